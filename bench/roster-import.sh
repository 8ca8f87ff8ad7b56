#!/bin/bash
# bench/roster-import.sh: `qfq import roster` of a generated 100,000-row
# roster (bench/gen-roster.py) against `sqlite3 .import` of the same file
# into a bare table, in the same run (issue 3: target within 3x).
#
#   bash bench/roster-import.sh [build-dir] [rows]   (hyperfine must be installed)
#
# Both start from the same state every run: qfq from a freshly initialized
# database (reference data loaded, no person yet), sqlite3 from no file.
# qfq does much more per row (name parsing and keys, matching, structures
# with commune and typology, memberships, the search index, near-duplicate
# proposals) in one transaction; sqlite3 only stores the text.
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
N=${2:-100000}
QFQ=$PWD/$B/qfq
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

python3 bench/gen-roster.py "$N" >"$T/roster.csv"
echo "== $(($(wc -l <"$T/roster.csv") - 1)) rows, $(du -h "$T/roster.csv" | cut -f1)"
"$QFQ" --db "$T/template.db" init --quiet

hyperfine -N --warmup 1 --runs 5 \
	--prepare "sh -c 'cp $T/template.db $T/q.db; rm -f $T/q.db-wal $T/q.db-shm $T/bare.db'" \
	-n "qfq import roster ($N rows)" "$QFQ --db $T/q.db import roster $T/roster.csv --quiet" \
	-n "sqlite3 .import (bare table)" "sqlite3 $T/bare.db -cmd '.mode csv' '.import $T/roster.csv t'" \
	--export-json "$T/h.json"
python3 - "$T/h.json" <<'P'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
q, s = r[0]["mean"], r[1]["mean"]
print("qfq %.3f s, sqlite3 %.3f s: qfq takes %.1fx the bare import (target: 3x)" % (q, s, q / s))
P

echo "== re-importing the same file (everything matched, nothing written)"
cp "$T/template.db" "$T/q.db"
"$QFQ" --db "$T/q.db" import roster "$T/roster.csv" --quiet
hyperfine -N --warmup 1 --runs 5 -n "qfq import roster again ($N rows)" \
	"$QFQ --db $T/q.db import roster $T/roster.csv --quiet"
