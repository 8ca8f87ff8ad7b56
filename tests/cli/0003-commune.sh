#!/bin/bash
# 0003: qfq commune: names, former names, codes, postcodes, ambiguity, formats.
. "$(dirname "$0")/lib.sh"
init_db

run "$QFQ" commune --format tsv "st jean de muzols"
is "st jean de muzols exits 0" "$status" 0
has "finds Saint-Jean-de-Muzols (07)" "$TMP/out" "$(printf '07245\tSaint-Jean-de-Muzols\t07')"

run "$QFQ" commune --format tsv "SAINT JEAN-DE-MUZOLS"
has "case and hyphens do not matter" "$TMP/out" "Saint-Jean-de-Muzols"

run "$QFQ" commune --format tsv 07000
is "postcode 07000 exits 0" "$status" 0
has "postcode 07000 gives Privas" "$TMP/out" "$(printf '07186\tPrivas')"
lines=$(($(wc -l <"$TMP/out") - 1))
check "postcode 07000 lists several communes" test "$lines" -gt 1

run "$QFQ" commune --format tsv 07186
has "INSEE code 07186 is Privas" "$TMP/out" "Privas"

run "$QFQ" commune --format json Brahic
is "former commune Brahic exits 0" "$status" 0
has "Brahic gives Les Vans" "$TMP/out" '"nom": "Les Vans"'
has "Brahic says which former name matched" "$TMP/out" '"ancien_nom": "Brahic"'

run "$QFQ" commune Saint-Julien
is "ambiguous Saint-Julien exits 2" "$status" 2
has "ambiguity is explained" "$TMP/err" "ambiguous"
has "candidates show their département" "$TMP/out" "Saint-Julien"

run "$QFQ" commune --format tsv "Saint-Julien (88)"
is "Saint-Julien (88) picks one" "$status" 0
has "Saint-Julien (88) is in the Vosges" "$TMP/out" "$(printf '\t88\t')"

run "$QFQ" commune "Zzyzx-sur-Rien"
is "unknown commune exits 1" "$status" 1
has "unknown commune says so" "$TMP/err" "no commune matches"

run "$QFQ" commune Privaz
is "a typo of one commune: found (exit 0)" "$status" 0
has "a typo: taken as the right name, with a warning" "$TMP/err" 'taken as Privas (07, 07186): a near spelling'
run "$QFQ" commune Privazzz
is "a farther typo exits 1" "$status" 1
has "a farther typo suggests the right name" "$TMP/err" "Privas"

run "$QFQ" commune --format json Privas
has "JSON has code_insee" "$TMP/out" '"code_insee": "07186"'
has "JSON has codes_postaux as a list" "$TMP/out" '"codes_postaux": ['
has "JSON has the EPCI" "$TMP/out" '"epci": "'
has "JSON has the population" "$TMP/out" '"population": '
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["nom"]=="Privas" and abs(d[0]["latitude"]-44.7)<0.2' "$TMP/out"
check "JSON parses and has Privas' coordinates" test $? -eq 0

run "$QFQ" commune --format csv Privas
has "CSV header" "$TMP/out" "code_insee,nom,departement,codes_postaux,epci,latitude,longitude,population"

run "$QFQ" commune
is "no query exits 2" "$status" 2

# Names written the way people write them: found, with a warning saying why.
run "$QFQ" commune "Pont de Claix" --format tsv
is "Pont de Claix: exits 0" "$status" 0
has "Pont de Claix: Le Pont-de-Claix" "$TMP/out" "38317"
has "Pont de Claix: warned with the reason" "$TMP/err" 'taken as Le Pont-de-Claix (38, 38317): the same name but for articles'
run "$QFQ" commune "Annecy Cedex 03" --format tsv
has "Annecy Cedex 03: Annecy" "$TMP/out" "74010"
has "Annecy Cedex 03: warned" "$TMP/err" "once CEDEX removed"
run "$QFQ" search --commune "Saint-Donat-sur-lHerbasse" --radius 1 --format tsv
check "search --commune Saint-Donat-sur-lHerbasse: not a usage error" test "$status" -ne 2
has "search --commune: warned" "$TMP/err" "Saint-Donat-sur-l'Herbasse (26, 26301)"
run "$QFQ" commune "Privas" --format tsv
is "an exact name: no warning" "$(cat "$TMP/err")" ""

done_testing
