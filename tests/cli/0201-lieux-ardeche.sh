#!/bin/bash
# 0201: the Ardèche sample of the lieux standard (0.x, 17 places) over the
# demo rosters (issue 4 "Done when"): 17 places, services mapped, hours
# parsed, the places also in the rosters proposed for merging rather than
# duplicated; idempotent re-import; the card of qfq show.
. "$(dirname "$0")/lib.sh"
demo_db
sample="$QFQ_SRCDIR/data/samples/lieux-ardeche-2022.csv"
q() { sqlite3 -batch -noheader "$QFQ_DB" "$@"; }

before=$(q "SELECT count(*) FROM structures")
run "$QFQ" import lieux "$sample" --format json
is "import lieux exits 0" "$status" 0
cp "$TMP/out" "$TMP/report.json"
r() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$TMP/report.json" "$1"; }
is "the sample is 0.x" "$(r version)" "0.x"
is "17 rows read" "$(r rows)" 17
is "17 new places" "$(r inserted)" 17
is "no bad row" "$(r bad_rows)" 0
is "no error" "$(r errors)" 0
is "15 opening hours understood (two places have none)" "$(r hours_parsed)" 15
is "none kept as text" "$(r hours_unparseable)" 0
is "17 structures more" "$(q "SELECT count(*) FROM structures")" "$((before + 17))"

is "every place has its services mapped to themes" \
	"$(q "SELECT count(*) FROM structures s WHERE source = 'Hinaura' AND EXISTS
	      (SELECT 1 FROM structure_themes t WHERE t.structure_id = s.id)")" 17
is "every place with hours has them parsed" \
	"$(q "SELECT count(*) FROM structures WHERE source = 'Hinaura' AND horaires IS NOT NULL AND horaires_ok = 1")" 15
check "parsed hours are indexed as spans" \
	test "$(q "SELECT count(DISTINCT structure_id) FROM structure_hours h JOIN structures s ON s.id = h.structure_id
	          WHERE s.source = 'Hinaura'")" -eq 15
is "0.x health service becomes the santé sub-theme" \
	"$(q "SELECT count(*) FROM structure_themes st JOIN themes t ON t.id = st.theme_id
	      JOIN structures s ON s.id = st.structure_id WHERE s.nom = '26FK' AND t.slug = 'demarches-sante'")" 1
is "every commune found from postcode and name" \
	"$(q "SELECT count(*) FROM structures WHERE source = 'Hinaura' AND code_insee IS NOT NULL")" 17
is "Vernoux en Vivarais is 07338" "$(q "SELECT code_insee FROM structures WHERE nom = 'Kuadrado Software'")" 07338
is "old frais mapped to 1.x, Adhésion kept as a tag" \
	"$(q "SELECT frais || ' / ' || tags FROM structures WHERE nom = '26FK'")" \
	"Gratuit sous condition / Adultes|Adhésion|Pass numérique"
is "old publics mapped to 1.x" "$(q "SELECT publics FROM structures WHERE nom = '26FK'")" "Jeunes|Seniors"
is "old accompaniment mapped to 1.x" \
	"$(q "SELECT modalites_accompagnement FROM structures WHERE nom = '26FK'")" \
	"Dans un atelier collectif|Accompagnement individuel|En autonomie"

# Places also in the rosters: proposed, never duplicated silently.
prop() { # place roster: the open proposal between them, 1 or 0
	q "SELECT count(*) FROM merge_proposals m JOIN structures a ON a.id = m.a_id
	   JOIN structures b ON b.id = m.b_id WHERE m.kind = 'structure' AND m.a_id < m.b_id
	   AND m.reason <> '' AND ((a.nom = '$2' AND b.nom = '$1') OR (a.nom = '$1' AND b.nom = '$2'))"
}
is "26FK / 26 FK proposed for merging" "$(prop 26FK '26 FK')" 1
is "MJC of La Voulte proposed for merging" \
	"$(prop 'Centre Multimédia MJC Centre Social' 'MJC CS La Voulte-sur-Rhône')" 1
is "EPN d'Alboussière proposed for merging" \
	"$(prop 'Espace Public Numérique Alboussière' "EPN d''Alboussière")" 1
is "CAPLAB Privas proposed for merging" \
	"$(prop 'CAPLAB, Le FabLab du Centre Ardèche' 'CAPLAB Privas')" 1
is "the EPN of Annonay is not the EPN of Alboussière" \
	"$(q "SELECT count(*) FROM merge_proposals m JOIN structures b ON b.id = m.b_id
	      WHERE b.nom = 'Espace Public Numérique' AND b.code_insee = '07010'")" 0
is "26FK is one structure of its own, not merged" "$(q "SELECT count(*) FROM structures WHERE nom = '26FK'")" 1
check "merges proposed in the report" test "$(r merges_proposed)" -ge 4

# Again: nothing changes.
q "SELECT count(*) FROM merge_proposals" >"$TMP/props1"
run "$QFQ" import lieux "$sample" --format json
cp "$TMP/out" "$TMP/report.json"
is "re-import exits 0" "$status" 0
is "re-import: 17 unchanged" "$(r unchanged)" 17
is "re-import: nothing new" "$(r inserted)" 0
is "re-import: no new proposal" "$(q "SELECT count(*) FROM merge_proposals")" "$(cat "$TMP/props1")"
is "still 17 Hinaura places" "$(q "SELECT count(*) FROM structures WHERE source = 'Hinaura'")" 17

# The card.
id=$(q "SELECT id FROM structures WHERE nom = '26FK'")
run "$QFQ" show "$id"
is "show exits 0" "$status" 0
has "card: name" "$TMP/out" "26FK (#$id)"
has "card: address" "$TMP/out" "26 Rue Franki Kramer, 07100 Annonay (07)"
has "card: phone" "$TMP/out" "+33475693501"
has "card: hours in French" "$TMP/out" "lundi et mardi 10:00–12:00, 14:00–16:00"
has "card: services with sub-themes" "$TMP/out" "Démarches de santé"
has "card: audiences" "$TMP/out" "Publics : Jeunes, Seniors"
has "card: tags" "$TMP/out" "Adhésion"
has "card: source and id" "$TMP/out" "Source : Hinaura (id 39)"
has "card: date and freshness" "$TMP/out" "Mise à jour : 2021-06-07 (il y a"
if grep -q "ouvert en ce moment" "$TMP/out"; then _result 1 "card: open now or next opening"
else has "card: open now or next opening" "$TMP/out" "fermé, ouvre"; fi

run "$QFQ" show --format json "$id"
is "show json exits 0" "$status" 0
is "show json: keys of the standard" "$(python3 -c '
import json,sys; c=json.load(open(sys.argv[1]))
print(c["nom"], c["code_insee"], c["commune"], c["services"][0]["label"], c["publics_specifiquement_adresses"], c["horaires_compris"], c["ouvert"] in (True, False))
' "$TMP/out")" "26FK 07010 Annonay Aide aux démarches administratives ['Jeunes', 'Seniors'] True True"

run "$QFQ" show "26FK"
is "show by name" "$status" 0
has "show by name finds it" "$TMP/out" "26FK (#$id)"

nohours=$(q "SELECT id FROM structures WHERE nom LIKE 'CAPLAB, %'")
run "$QFQ" show "$nohours"
has "card without hours says so" "$TMP/out" "Horaires : inconnus"

roster=$(q "SELECT id FROM structures WHERE nom = 'Numérian'")
run "$QFQ" show "$roster"
is "a roster structure's card" "$status" 0
has "card: members with roles" "$TMP/out" "Membres :"

run "$QFQ" show 999999
is "show of an unknown id exits 1" "$status" 1
has "unknown id is named" "$TMP/err" '"999999"'
run "$QFQ" show
is "show without id exits 2" "$status" 2

# The export of Ardèche: the standard's header, the places with their fields.
run "$QFQ" export lieux --departement 07
is "export --departement 07 exits 0" "$status" 0
is "export header in the schema's order" "$(head -n 1 "$TMP/out" | tr -d '\r')" \
	"id,pivot,nom,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,typologie,telephone,courriels,site_web,horaires,presentation_resume,presentation_detail,source,itinerance,structure_parente,date_maj,services,publics_specifiquement_adresses,prise_en_charge_specifique,frais_a_charge,dispositif_programmes_nationaux,formations_labels,autres_formations_labels,modalites_acces,modalites_accompagnement,fiche_acces_libre,prise_rdv"
is "17 places exported (roster structures lack required fields)" "$(($(wc -l <"$TMP/out") - 1))" 17
has "structures left out are counted" "$TMP/err" "left out"
has "26FK row, lists joined with |" "$TMP/out" "39,00000000000000,26FK,Annonay,07100,07010,26 Rue Franki Kramer,,45.2403521,4.6688647,,+33475693501,espacenumerique@26fk.fr,http://26fk.fr,\"Mo-Fr 10:00-12:00,14:00-16:00; We 14:00-18:00\",,,Hinaura,,,2021-06-07,Aide aux démarches administratives|Maîtrise des outils numériques du quotidien|Accès internet et matériel informatique|Compréhension du monde numérique,Jeunes|Seniors,Handicaps mentaux|Illettrisme,Gratuit sous condition,,,,,Dans un atelier collectif|Accompagnement individuel|En autonomie,,"
check "the export is valid against the schema v1.0.2" python3 "$QFQ_SRCDIR/tests/check_lieux_schema.py" --quiet "$TMP/out"
check "CRLF line ends" grep -q $'\r$' "$TMP/out"
run "$QFQ" export lieux --commune Annonay
is "export --commune Annonay: two places" "$(($(wc -l <"$TMP/out") - 1))" 2
run "$QFQ" export lieux --departement 29
is "export of a département without places exits 1" "$status" 1
run "$QFQ" export lieux --departement 7x
is "bad --departement exits 2" "$status" 2
run "$QFQ" export roster
is "export of an unknown kind exits 2" "$status" 2
run "$QFQ" export lieux --format json --output "$TMP/ardeche.json"
is "export json to a file exits 0" "$status" 0
check "the json export is valid against the schema v1.0.2" python3 "$QFQ_SRCDIR/tests/check_lieux_schema.py" --quiet "$TMP/ardeche.json"
is "json export: 17 places, lists as arrays" "$(python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); p=[x for x in d if x["nom"]=="26FK"][0]
print(len(d), p["publics_specifiquement_adresses"], p["latitude"], p["prise_rdv"])' "$TMP/ardeche.json")" \
	"17 ['Jeunes', 'Seniors'] 45.2403521 None"

done_testing
