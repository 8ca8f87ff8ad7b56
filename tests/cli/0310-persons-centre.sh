#!/bin/bash
# 0310: persons by competence have one definition (declared, or a theme of
# a structure where they act, with its origin) for `qfq persons --theme`,
# `qfq search --persons` and the Personnes view; the configured commune is
# the default centre of `qfq search` and `qfq persons` (said on stderr),
# --no-commune searches without any.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
# the coordinator's merges of the demo (setup.sh demo): roster entries become
# the places of the open data, with their services
python3 "$QFQ_SRCDIR/tools/demo-merges.py" "$QFQ_DB" "$QFQ_SRCDIR/data/demo-merges.csv" |
	while read -r keep other; do "$QFQ" merge "$keep" "$other" >/dev/null 2>&1; done

ids() { awk -F'\t' 'NR > 1 { print $1 }' "$1" | sort -n | tr '\n' ' '; }
for theme in smartphone caf "démarches" "parentalité"; do
	"$QFQ" persons --theme "$theme" --format tsv >"$TMP/a" 2>/dev/null
	"$QFQ" search --persons --theme "$theme" --format tsv --limit 100000 >"$TMP/b" 2>/dev/null
	is "persons --theme $theme and search --persons --theme $theme: the same people" "$(ids "$TMP/a")" "$(ids "$TMP/b")"
	[ "$theme" = smartphone ] && check "smartphone finds people (through their structures)" test "$(wc -l <"$TMP/a")" -gt 1
done

run "$QFQ" persons --theme smartphone --format json
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d, "somebody"
for p in d:
    assert all("via" in t for t in p["themes"]), p
    names = [s["nom"] for s in p["structures"]]
    assert all(t["via"] is None or t["via"] in names for t in p["themes"]), p
assert any(t["via"] for p in d for t in p["themes"]), "competences through a structure say so"
PY
check "persons json: each competence with its origin (via null: declared)" test $? -eq 0
run "$QFQ" persons --theme smartphone
has "the table says where a competence comes from" "$TMP/out" "(via "
hasnt "no raw separator in the table" "$TMP/out" "|"
run "$QFQ" search --persons --theme smartphone
hasnt "search --persons: no raw separator in the table" "$TMP/out" "|"
has "search --persons says where a competence comes from" "$TMP/out" "(via "

# The configured commune: the default centre, said on stderr.
"$QFQ" search --format tsv --limit 1000 >"$TMP/all" 2>/dev/null
"$QFQ" config set commune Privas >/dev/null 2>&1
run "$QFQ" search --format tsv --limit 1000
is "search with a configured commune exits 0" "$status" 0
has "the configured centre is said on stderr" "$TMP/err" "commune configurée : Privas"
check "fewer places than the whole directory" test "$(wc -l <"$TMP/out")" -lt "$(wc -l <"$TMP/all")"
python3 - "$TMP/out" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
h = rows[0]
km = [(r[h.index("distance_km")], r[h.index("motif")]) for r in rows[1:]]
# within the radius, or found through a territory it serves (issue 11's
# deduced territories: the département's services), never anything else
assert km and all(not k or float(k) <= 15 or "km de" not in m for k, m in km), km
assert all(not k or float(k) <= 15 or m for k, m in km), km
PY
check "around Privas: within the default radius, or serving Privas" test $? -eq 0
run "$QFQ" search --format tsv --limit 1000 --no-commune
is "--no-commune: the whole directory again" "$(wc -l <"$TMP/out")" "$(wc -l <"$TMP/all")"
hasnt "--no-commune says no centre" "$TMP/err" "commune configurée"
run "$QFQ" search --format tsv --limit 1000 annonay
hasnt "a commune typed in the text wins over the configured one" "$TMP/err" "commune configurée"
run "$QFQ" persons --format tsv
has "persons: the configured centre is said too" "$TMP/err" "commune configurée : Privas"
"$QFQ" persons --format tsv --no-commune >"$TMP/everyone" 2>/dev/null
check "persons around Privas are fewer than everyone" test "$(wc -l <"$TMP/out")" -lt "$(wc -l <"$TMP/everyone")"
run "$QFQ" search --commune Privas --no-commune
is "--commune with --no-commune is a usage error" "$status" 2

done_testing
