# bench/lib.sh: the preamble the benchmarks share, sourced first thing
# (`. "$(dirname "$0")/lib.sh"`): run from the source root, B the build
# directory (first argument, default build), QFQ its qfq, T a temporary
# directory removed on exit, a configuration directory of its own so that
# the user's settings never change a figure; `national_db` for those that
# run on a copy of a national-scale directory (BENCH_DB).
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
QFQ=$PWD/$B/qfq
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_CONFIG_HOME=$T/config

# DB and QFQ_DB: the copy of a national directory named by BENCH_DB (a
# copy: qfq upgrades the schema of the file it opens).
national_db() {
	DB=${BENCH_DB:?BENCH_DB must name a copy of a national directory}
	export QFQ_DB=$DB
}
