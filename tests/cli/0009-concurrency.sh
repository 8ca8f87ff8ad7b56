#!/bin/bash
# 0009: readers never fail because a writer works: searches, cards, commune
# look-ups and the --plain dialogue during imports and merges; two imports
# at once (the second waits for the first). bench/stress.sh runs the long
# version (>= 1,000 reads).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stress-lib.sh"
stress_setup 800
stress_search_loop "${QFQ_STRESS_READS:-150}"
stress_two_imports
done_testing
