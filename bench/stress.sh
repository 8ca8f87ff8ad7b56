#!/bin/bash
# bench/stress.sh: the long runs of the concurrency and crash trials of
# tests/cli/0009-concurrency.sh and 0010-crash.sh (tests/cli/stress-lib.sh):
# at least 1,000 reads (search, show, commune, --plain) while imports and
# merges write, 100 SIGKILLs during imports and 100 during merges. TAP
# output; the "#" lines give the counts.
#
#   bash bench/stress.sh [build-dir]
#   READS=5000 KILLS=300 ROWS=3000 bash bench/stress.sh
set -u
cd "$(dirname "$0")/.."
export QFQ=$PWD/${1:-build}/qfq QFQ_SRCDIR=$PWD
. tests/cli/lib.sh
. tests/cli/stress-lib.sh
stress_setup "${ROWS:-2000}"
stress_search_loop "${READS:-1000}"
stress_two_imports
stress_kill_imports "${KILLS:-100}"
stress_kill_merges "${KILLS:-100}"
done_testing
