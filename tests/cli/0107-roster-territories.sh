#!/bin/bash
# 0107: after the demo import (both rosters, the places sample, the demo's
# merges, as `setup.sh demo` builds it), every structure of the rosters has
# a territory with its origin: what its name names ("CAF ARDECHE": Ardèche,
# "Arche Agglo": the EPCI, "Mairie de Lavilledieu": the commune), else the
# meeting's département; `qfq show` says so, and a search near Privas finds
# the CAF and the département's services (issue 11).
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
q() { sqlite3 -batch -noheader "$QFQ_DB" "$@"; }
python3 "$QFQ_SRCDIR/tools/demo-merges.py" "$QFQ_DB" "$QFQ_SRCDIR/data/demo-merges.csv" | while read -r keep other; do
	"$QFQ" merge "$keep" "$other" >/dev/null
done

is "every structure of the rosters has a territory" \
	"$(q "SELECT count(*) FROM structures s WHERE s.source LIKE '%.csv' AND s.source NOT LIKE 'lieux%'
		AND NOT EXISTS (SELECT 1 FROM structure_territories t WHERE t.structure_id = s.id)")" 0
check "some from their name" test "$(q "SELECT count(DISTINCT structure_id) FROM structure_territories WHERE origine = 'nom'")" -ge 20
check "some from the meeting" test "$(q "SELECT count(DISTINCT structure_id) FROM structure_territories WHERE origine = 'reunion'")" -ge 5
t() { q "SELECT group_concat(t.kind || ':' || t.code || ':' || ifnull(t.origine, ''), ' ') FROM structure_territories t
	JOIN structures s ON s.id = t.structure_id WHERE s.nom = '${1//\'/\'\'}'"; }
is "CAF ARDECHE: Ardèche, from its name" "$(t 'CAF ARDECHE')" "departement:07:nom"
is "CRF 07: Ardèche" "$(t 'CRF 07')" "departement:07:nom"
is "DDETSPP 07: Ardèche" "$(t 'DDETSPP 07')" "departement:07:nom"
is "Arche Agglo: the EPCI" "$(t 'Arche Agglo')" "epci:200073096:nom"
is "the CC of Sources et Volcans, words in another order" \
	"$(t "Communauté de communes des Sources et Volcans d'ardeche")" "epci:200039824:nom"
is "Mairie de Lavilledieu: the commune" "$(t 'Mairie de Lavilledieu')" "commune:07138:nom"
is "MJC Centre Social La Voulte: La Voulte-sur-Rhône" "$(t 'MJC Centre Social La Voulte')" "commune:07349:nom"
is "MSA Ardèche Drôme Loire: three départements" "$(t 'MSA Ardèche Drôme Loire')" \
	"departement:07:nom departement:26:nom departement:42:nom"
is "Association Collectif 31 is not Haute-Garonne: the meeting's" "$(t 'Association Collectif 31')" "departement:07:reunion"
is "Orange SA: the meeting's département" "$(t 'Orange SA')" "departement:07:reunion"

run "$QFQ" show "CAF ARDECHE"
has "show: the origin of the territory" "$TMP/out" "Ardèche (déduit du nom)"
run "$QFQ" show "Orange SA"
has "show: a territory from the meeting" "$TMP/out" "Ardèche (déduit de la réunion)"
run "$QFQ" show "CAF ARDECHE" --format json
has "show json: origine" "$TMP/out" '"origine": "nom"'

run "$QFQ" search --commune Privas --format tsv
is "search near Privas exits 0" "$status" 0
for s in "CAF ARDECHE" "DDETSPP 07" "conseil départemental de l'Ardèche" "Udaf Ardeche" "CRF 07" "MSA Ardèche Drôme Loire"; do
	is "search near Privas finds $s" "$(cut -f2 "$TMP/out" | grep -cxF -- "$s")" 1
done
is "... but not Lyon's ARS" "$(cut -f2 "$TMP/out" | grep -cxF 'ARS Lyon')" 0

# A territory the roster states is not deduced, and a stated one confirms a deduced one.
printf 'Nom prénom,Structure,Zone d'"'"'intervention\nDupont Jeanne,CAF ARDECHE,Ardèche\nMartin Paul,Orange SA,\n' >"$TMP/r.csv"
run "$QFQ" import roster "$TMP/r.csv" --format json
is "a roster stating CAF ARDECHE's territory: exits 0" "$status" 0
is "the stated territory is no longer marked deduced" "$(t 'CAF ARDECHE')" "departement:07:"
is "another structure keeps its deduced one" "$(t 'Orange SA')" "departement:07:reunion"

# The coordinator's review: list the deduced ones, confirm or drop them.
run "$QFQ" territories --deduced --format tsv
is "territories --deduced exits 0" "$status" 0
has "lists Orange SA's, from the meeting" "$TMP/out" "$(printf 'Orange SA\tdepartement\t07\tArdèche\treunion')"
hasnt "does not list stated ones" "$TMP/out" "$(printf 'CAF ARDECHE\t')"
id=$(q "SELECT id FROM structures WHERE nom = 'Orange SA'")
run "$QFQ" territories --confirm "$id"
is "--confirm exits 0" "$status" 0
is "--confirm: stated now" "$(t 'Orange SA')" "departement:07:"
run "$QFQ" territories --confirm "$id"
is "--confirm again: nothing to confirm, exit 1" "$status" 1
id=$(q "SELECT id FROM structures WHERE nom = 'Association Collectif 31'")
run "$QFQ" territories --drop "$id"
is "--drop exits 0" "$status" 0
is "--drop: gone" "$(t 'Association Collectif 31')" ""
run "$QFQ" territories --drop abc
is "--drop abc: usage error" "$status" 2
run "$QFQ" territories --format json --deduced
check "json parses" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d and all(x["origine"] for x in d)' "$TMP/out"
done_testing
