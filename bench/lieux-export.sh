#!/bin/bash
# bench/lieux-export.sh: `qfq export lieux` of 20,000 generated places
# (bench/gen-lieux.py, imported once), CSV and JSON, against the bare
# sqlite3 CLI writing the same table as CSV, in the same run. The export
# checks every row against the schema v1.0.2 before writing it (issue 17):
# this measures what that costs.
#
#   bash bench/lieux-export.sh [build-dir] [rows] [other-build-dir]
#
# With other-build-dir (e.g. a build of main), its qfq exports the same
# database in the same run, for a before/after comparison. hyperfine must
# be installed.
. "$(dirname "$0")/lib.sh"
N=${2:-20000}
OTHER=${3:-}
case $OTHER in /* | "") ;; *) OTHER=$PWD/$OTHER ;; esac

python3 bench/gen-lieux.py "$N" 1 >"$T/lieux.csv"
"$QFQ" --db "$T/q.db" init --quiet
"$QFQ" --db "$T/q.db" import lieux "$T/lieux.csv" --quiet
echo "== export of $N places ($(sqlite3 "$T/q.db" 'SELECT count(*) FROM structures') structures)"

set -- -n "qfq export lieux csv" "sh -c '$QFQ --db $T/q.db export lieux >/dev/null 2>&1'" \
	-n "qfq export lieux json" "sh -c '$QFQ --db $T/q.db export lieux --format json >/dev/null 2>&1'" \
	-n "sqlite3 CSV of the table (bare)" "sh -c 'sqlite3 -csv -header $T/q.db \"SELECT * FROM structures ORDER BY id\" >/dev/null'"
if [ -n "$OTHER" ]; then
	# the other build reads a copy: its migrations must not touch this one
	cp "$T/q.db" "$T/other.db"
	set -- "$@" -n "other build: qfq export lieux csv" \
		"sh -c '$OTHER/qfq --db $T/other.db export lieux >/dev/null 2>&1'"
fi
hyperfine -N --warmup 1 --runs 10 "$@"
