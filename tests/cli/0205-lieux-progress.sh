#!/bin/bash
# 0205: a long import shows its progress on a terminal (rows, percent,
# rate, time left) on stderr, a few times a second, and erases it at the
# end; nothing when stderr is not a terminal or with --quiet (issue 11).
. "$(dirname "$0")/lib.sh"
command -v script >/dev/null || { echo "1..0 # SKIP no script(1) for a terminal"; exit 0; }
init_db
python3 "$QFQ_SRCDIR/tests/data/lieux/gen_lieux.py" --form 1 --count 20000 --departements all \
	--communes "$QFQ_SRCDIR/data/communes.csv" >"$TMP/big.csv"

script -qfec "'$QFQ' import lieux '$TMP/big.csv' --dry-run --format json >/dev/null" "$TMP/tty" >/dev/null 2>&1
tr '\r' '\n' <"$TMP/tty" | grep -a 'rows/s' >"$TMP/lines"
check "on a terminal: progress lines" test -s "$TMP/lines"
check "... with rows, percent, rate and time left" grep -aqE "^.*[0-9]+ rows, [0-9]+ %, [0-9]+ rows/s, [0-9]+ s left" "$TMP/lines"
check "... the rows count grows" python3 - "$TMP/lines" <<'P'
import re, sys
n = [int(re.search(r"(\d+) rows", l).group(1)) for l in open(sys.argv[1], errors="replace") if re.search(r"(\d+) rows", l)]
sys.exit(0 if n and n == sorted(n) and len(set(n)) == len(n) else 1)
P
check "... and the line is erased at the end, before the report" python3 - "$TMP/tty" <<'P'
import re, sys
t = open(sys.argv[1], "rb").read()
last = t.rfind(b"rows/s")
m = re.match(rb"[^\r]*\r\x1b\[K(?![0-9])", t[last:])
sys.exit(0 if last >= 0 and m else 1)
P

run "$QFQ" import lieux "$TMP/big.csv" --dry-run --format json
is "not a terminal: exits 0" "$status" 0
hasnt "not a terminal: no progress" "$TMP/err" "rows/s"
script -qfec "'$QFQ' import lieux '$TMP/big.csv' --dry-run --quiet" "$TMP/tty2" >/dev/null 2>&1
hasnt "--quiet on a terminal: no progress" "$TMP/tty2" "rows/s"

# The new places are indexed together at the end (structure_index_new):
# each in the search text, under its own name, and on the map.
python3 "$QFQ_SRCDIR/tests/data/lieux/gen_lieux.py" --form 1 --count 5000 --departements all \
	--communes "$QFQ_SRCDIR/data/communes.csv" >"$TMP/five.csv"
run "$QFQ" import lieux "$TMP/five.csv" --quiet
is "5,000 places imported" "$status" 0
q() { sqlite3 -batch -noheader "$QFQ_DB" "$@"; }
is "every place in the search text" \
	"$(q "SELECT count(*) FROM structures s JOIN structures_fts f ON f.rowid = s.id WHERE f.nom = s.nom")" 5000
is "every place on the map" "$(q "SELECT count(*) FROM structures_geo")" 5000
done_testing
