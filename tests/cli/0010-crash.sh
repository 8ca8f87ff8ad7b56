#!/bin/bash
# 0010: SIGKILL at a random moment of an import and of a merge, 20 trials
# each: the database is intact, holds all of the write or none of it, and
# the next command works. bench/stress.sh runs more trials.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stress-lib.sh"
stress_setup 500
stress_kill_imports "${QFQ_STRESS_KILLS:-20}"
stress_kill_merges "${QFQ_STRESS_KILLS:-20}"
done_testing
