#!/bin/bash
# 0009: lists in French order everywhere: case and accents folded, "É" with
# "E", ties by id (persons from `search --persons` and `persons`, the members
# of a card, the people of a meeting).
. "$(dirname "$0")/lib.sh"
demo_db

# Checks that the lines of FILE (id TAB name) are in French order.
french_sorted() { # file
	python3 - "$1" <<'P'
import sys, unicodedata, re
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1], encoding='utf-8') if l.strip()]
def key(r):
    s = unicodedata.normalize('NFKD', r[1]).casefold()
    s = ''.join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r'[^0-9a-z]+', ' ', s).strip()
    return (s, int(r[0].lstrip('p')))
bad = [(a, b) for a, b in zip(rows, rows[1:]) if key(a) > key(b)]
for a, b in bad[:3]:
    print('#   out of order: %s / %s' % (a[1], b[1]))
sys.exit(1 if bad or len(rows) < 2 else 0)
P
}

run "$QFQ" search --persons --format tsv
is "search --persons: exit 0" "$status" 0
tail -n +2 "$TMP/out" | awk -F'\t' '{print $1 "\t" $2 " " $3}' >"$TMP/p1"
check "search --persons: French order (nom, prénom)" french_sorted "$TMP/p1"
# The demo has both "Gaillard Antony" and "GAILLARD Isabelle", "Lacombe Éric":
check "search --persons: capitals are not first" \
	test "$(grep -n 'BENEFICE' "$TMP/p1" | cut -d: -f1)" -lt "$(grep -n 'Berge' "$TMP/p1" | cut -d: -f1)"
check "search --persons: É with E" \
	test "$(grep -n 'Éric' "$TMP/p1" | cut -d: -f1)" -lt "$(grep -n 'Laorer' "$TMP/p1" | cut -d: -f1)"

run "$QFQ" persons --format tsv
tail -n +2 "$TMP/out" | awk -F'\t' '{print $1 "\t" $2 " " $3}' >"$TMP/p2"
check "persons: French order" french_sorted "$TMP/p2"
is "persons and search --persons list the same people in the same order" \
	"$(cut -f1 "$TMP/p2" | tr '\n' ' ')" "$(cut -f1 "$TMP/p1" | tr '\n' ' ')"

# The members of a card: the structure with the most members, in French order.
sid=$(python3 - "$QFQ_DB" <<'P'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT structure_id FROM memberships WHERE fin IS NULL GROUP BY structure_id "
                 "ORDER BY count(*) DESC, structure_id LIMIT 1").fetchone()[0])
P
)
run "$QFQ" show --format json "$sid"
python3 - "$TMP/out" >"$TMP/m" <<'P'
import json, sys
for m in json.load(open(sys.argv[1]))["membres"]:
    print("%s\t%s %s" % (m.get("id", 0), m.get("nom", ""), m.get("prenom") or ""))
P
check "show: the members in French order" french_sorted "$TMP/m"

done_testing
