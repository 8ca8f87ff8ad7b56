#!/bin/bash
# 0304: qfq search on the demo data (rosters and the 2022 Ardèche sample
# places, through the real importers): the issue's acceptance queries.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db

run "$QFQ" search --format json --theme démarches --commune Privas --radius 30
is "démarches around Privas exits 0" "$status" 0
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
dist = [x["distance_km"] for x in d]
assert len(d) >= 8, len(d)
assert dist == sorted(dist), dist
assert all(x <= 30 for x in dist), dist
assert d[0]["nom"].startswith("CAPLAB") and d[0]["commune"] == "Privas", d[0]
assert all(x["themes"] for x in d), "each says which theme matched"
PY
check "sample places around Privas, by distance, within 30 km" test $? -eq 0

run "$QFQ" search --theme smartphone --commune Privas --radius 30
is "smartphone exits 0" "$status" 0
has "smartphone resolves to its theme" "$TMP/err" "compris : thème « Prendre en main un smartphone ou une tablette » · autour de Privas (30 km)"

run "$QFQ" search --format tsv --theme smartphone --commune "st jean de muzols" --radius 40
is "st jean de muzols exits 0" "$status" 0
run "$QFQ" search --theme smartphone --commune "st jean de muzols" --radius 40
has "st jean de muzols resolves" "$TMP/err" "autour de Saint-Jean-de-Muzols (40 km)"

run "$QFQ" search --format json --commune Privas --radius 40 --open-at "mardi 10:00"
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
o = {x["nom"]: x for x in d}
alb = o["Espace Public Numérique Alboussière"]   # Mo-Fr 09:30-12:30,13:30-17:00
assert alb["ouvert"] is True, alb
assert "Mairie de Saint Sauveur de Montagut" not in o   # Fr 08:45-11:45,14:30-16:45
assert all(x["ouvert"] is True and x["horaires"] for x in d), d
PY
check "mardi 10:00 keeps only the places whose hours say open" test $? -eq 0

run "$QFQ" search --format json --commune Privas --radius 40 --open-at "mardi 10:00" --unknown-hours
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert all(x["ouvert"] is not False for x in d), "never a closed place"
assert all(x["horaires"] for x in d if x["ouvert"] is True)
rank = [{True: 0, None: 2}[x["ouvert"]] for x in d]
assert rank == sorted(rank) and 0 in rank and 2 in rank, rank
PY
check "--unknown-hours adds the places with unknown hours after the open ones" test $? -eq 0

# Names and themes together: "caf" is the CAF's name and a theme's alias.
run "$QFQ" search --format tsv caf
is "caf exits 0" "$status" 0
is "CAF ARDECHE (named so) comes first" "$(awk -F'\t' 'NR == 2 { print $2 }' "$TMP/out")" "CAF ARDECHE"
check "then the places that offer the theme" test "$(wc -l <"$TMP/out")" -gt 3
is "the first says it matched by name" "$(awk -F'\t' 'NR == 2 { print $NF }' "$TMP/out")" "nom trouvé"
has "the rest say they offer the theme" "$TMP/out" "service parent proposé (Aide aux démarches administratives)"
run "$QFQ" search caf
has "the reading names both" "$TMP/err" "compris : nom « caf » puis thème « Démarches CAF"
run "$QFQ" search --format json caf
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d[0]["nom"] == "CAF ARDECHE" and d[0]["motif"] == "nom trouvé", d[0]
assert all(x["motif"] for x in d), "every result says why"
assert len({x["id"] for x in d}) == len(d), "no place twice"
PY
check "json: the name first, every result with its reason, none twice" test $? -eq 0

# The same words, read the same way: as text, as --theme, in the TUI.
run "$QFQ" search "caf privas"
has "\"caf privas\" is read as a theme and a commune" "$TMP/err" "compris : nom « caf » puis thème « Démarches CAF (allocations, prime d'activité, RSA, APL) » · autour de Privas (15 km)"
run "$QFQ" search --format tsv "caf privas"
is "\"caf privas\" and caf privas are one query" "$(cut -f1 "$TMP/out")" "$("$QFQ" search --format tsv caf privas | cut -f1)"

# show NAME: candidates when the name is only approximately found.
run "$QFQ" show CAF
is "show CAF: not a full name, exit 2" "$status" 2
has "show CAF lists the candidate" "$TMP/err" "CAF ARDECHE"
run "$QFQ" show "espace public"
is "show with several approximate matches: exit 2" "$status" 2
has "they are listed" "$TMP/err" "Espace Public Numérique Alboussière (Alboussière)"
run "$QFQ" show "zzzz nothing"
is "show with nothing close: exit 1" "$status" 1

# --type: the typology, the national labels, and what the name says.
run "$QFQ" search --format tsv --type "France Services"
for nom in "France Services Les Ollières Sur Eyrieux" "France services Thueyts" "France Services Serrieres" "PIMMS MEDIATION - FRANCE SERVICES"; do
	has "--type \"France Services\" finds $nom" "$TMP/out" "$nom"
done
run "$QFQ" search --format tsv --type mairie
has "--type mairie: a MUNI typology" "$TMP/out" "Mairie de Lavilledieu"
has "--type mairie: a name \"Mairie de ...\" without typology" "$TMP/out" "Mairie de Saint Sauveur de Montagut"
hasnt "--type mairie: not a France Services" "$TMP/out" "France services Thueyts"
sqlite3 "$QFQ_DB" "UPDATE structures SET dispositifs = 'Conseillers numériques|Aidants Connect' WHERE nom = 'CAPLAB, Le FabLab du Centre Ardèche'"
run "$QFQ" search --format tsv --type "conseillers numeriques"
is "--type a national programme: the place that carries it" "$(cut -f2 "$TMP/out" | tail -n +2)" "CAPLAB, Le FabLab du Centre Ardèche"
run "$QFQ" search --format tsv --type "Aidants Connect"
has "--type Aidants Connect" "$TMP/out" "CAPLAB"

# Desk filters from the standard's fields.
n_sql() { sqlite3 "$QFQ_DB" "SELECT count(*) FROM structures WHERE $1"; }
n_qfq() { "$QFQ" search --format tsv --limit 100000 "$@" 2>/dev/null | tail -n +2 | wc -l; }
is "--gratuit: the places whose fees say free" "$(n_qfq --gratuit)" "$(n_sql "frais LIKE 'Gratuit%'")"
is "--prise-en-charge surdité" "$(n_qfq --prise-en-charge surdité)" "$(n_sql "prise_en_charge LIKE '%Surdit%'")"
is "--gratuit --prise-en-charge surdité: both" "$(n_qfq --gratuit --prise-en-charge "SURDITE")" "$(n_sql "frais LIKE 'Gratuit%' AND prise_en_charge LIKE '%Surdit%'")"
# a support as people say it at the desk (DESK 6: "quelqu'un qui parle anglais / qui signe")
is "--prise-en-charge anglais: the places for foreign languages" "$(n_qfq --prise-en-charge anglais)" "$(n_sql "prise_en_charge LIKE '%Langues étrang%'")"
is "--prise-en-charge sourde: the places for deafness" "$(n_qfq --prise-en-charge sourde)" "$(n_sql "prise_en_charge LIKE '%Surdit%'")"
is "--prise-en-charge malvoyant: visual impairment" "$(n_qfq --prise-en-charge malvoyant)" "$(n_sql "prise_en_charge LIKE '%visuelle%'")"
is "--prise-en-charge handicap: every handicap" "$(n_qfq --prise-en-charge handicap)" "$(n_sql "prise_en_charge LIKE '%Handicap%'")"
check "there are places for foreign languages in the demo" test "$(n_sql "prise_en_charge LIKE '%Langues étrang%'")" -gt 0
run "$QFQ" search --format tsv anglais
is "typed \"anglais\": the same places as --prise-en-charge anglais" "$(tail -n +2 "$TMP/out" | wc -l)" "$(n_sql "prise_en_charge LIKE '%Langues étrang%'")"
is "typed \"anglais\": the motif names the support" "$(awk -F'\t' 'NR == 2 { print $NF }' "$TMP/out")" "prise en charge langues étrangères"
run "$QFQ" search anglais
has "typed \"anglais\": the reading says the support" "$TMP/err" "prise en charge langues étrangères"
run "$QFQ" search "qui signe"
has "typed \"qui signe\": deafness" "$TMP/err" "prise en charge surdité"
run "$QFQ" search --format tsv --prise-en-charge surdit
is "a support word not in the list is matched as typed" "$(tail -n +2 "$TMP/out" | wc -l)" "$(n_sql "prise_en_charge LIKE '%Surdit%'")"
sqlite3 "$QFQ_DB" "UPDATE structures SET modalites_acces = 'Se présenter|Téléphoner', prise_rdv = 'https://rdv.example.org/x' WHERE nom = 'France services Thueyts'"
run "$QFQ" search --format tsv --acces téléphone
is "--acces téléphone: the place that says Téléphoner" "$(cut -f2 "$TMP/out" | tail -n +2)" "France services Thueyts"
run "$QFQ" search --format tsv --rdv-en-ligne
is "--rdv-en-ligne: the place with a booking link" "$(cut -f2 "$TMP/out" | tail -n +2)" "France services Thueyts"
run "$QFQ" search --acces mail
is "--acces mail: nobody" "$status" 1
run "$QFQ" search --format tsv --gratuit --no-commune
is "the motif says the desk filter met" "$(awk -F'\t' 'NR == 2 { print $NF }' "$TMP/out")" "gratuit"
run "$QFQ" search --format tsv --type mairie --no-commune
is "the motif says the type" "$(awk -F'\t' 'NR == 2 { print $NF }' "$TMP/out")" "type mairie"
run "$QFQ" search --gratuit --acces "se présenter"
has "the reading says the desk filters" "$TMP/err" "gratuit · accès se présenter"
run "$QFQ" show 'France services Thueyts'
has "the card shows how to get in" "$TMP/out" "Téléphoner"
printf ':f gratuit surdité\n%s\n:q\n' "" | "$QFQ" --plain tui >"$TMP/plain" 2>&1
has "line mode :f sets the desk filters" "$TMP/plain" "Guichet : gratuit surdité."

done_testing
