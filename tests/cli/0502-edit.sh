#!/bin/bash
# 0502: qfq add / edit / rm: every field of the model, values validated as at
# import, a refused edit changes nothing (dump compared), the derived
# indexes stay exact (same as a full reindex), and edit -> log -> undo gives
# the record back exactly.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
db() { sqlite3 "$QFQ_DB" "$1"; }
sid() { db "SELECT id FROM structures WHERE nom = '$1'"; }
dump() { sqlite3 "$QFQ_DB" .dump | grep -v '^INSERT INTO \(change_\|share_\|structures_fts_\|structures_geo_\|sqlite_stat\|theme_bitmaps\|hour_bitmaps\|structure_members\)'; } # derived rows: compared sorted by derived()
derived() {
	sqlite3 "$QFQ_DB" "SELECT * FROM structures_geo ORDER BY id; SELECT rowid, * FROM structures_fts ORDER BY rowid;
		SELECT * FROM structure_hours ORDER BY 1, 2; SELECT id, horaires_ok FROM structures ORDER BY id;
		SELECT structure_id, cell, lat, lon, hex(ids) FROM structure_members ORDER BY 1;
		SELECT theme_id, kind, hex(bits) FROM theme_bitmaps ORDER BY 1, 2; SELECT slot, kind, hex(bits) FROM hour_bitmaps ORDER BY 1, 2"
}
S=$(sid "CAPLAB")

# Refused values: exit 3, the field and the reason, nothing changed.
dump >"$TMP/d0"
refused() { # desc field assignment reason
	run "$QFQ" edit structure "$S" telephone="04 75 64 00 00" "$2"
	is "$1: exit 3" "$status" 3
	has "$1: the field and the reason" "$TMP/err" "$3"
	dump >"$TMP/d1"
	check "$1: nothing changed (not even the valid value before it)" cmp -s "$TMP/d0" "$TMP/d1"
}
refused "a bad phone" "telephone=12" 'telephone: "12" is not a phone number'
refused "a bad email" "courriels+=jean.at.example" 'courriels: "jean.at.example" is not an email address'
refused "hours that do not parse" "horaires=Mo-Zz 9-12" 'horaires: "Mo-Zz 9-12" is not understood'
refused "an unknown commune" "commune=Zzyzx" 'commune: no commune "Zzyzx"'
refused "an ambiguous commune" "commune=Saint-Julien" 'commune: "Saint-Julien" is several communes'
refused "coordinates outside France" "coordonnees=40.7, -74.0" "coordonnees: 40.7, -74.0 is not in France"
refused "a web site without scheme" "site_web=caplab.fr" 'site_web: "caplab.fr" is not a web address'
refused "a fee outside the vocabulary" "frais=cher" 'frais: "cher" is not one of: Gratuit'
refused "an unknown theme" "services+=zorglub" 'services: no theme "zorglub"'
refused "a closure ending before it starts" "fermeture=2025-03-01..2025-02-01" "fermeture: the closure ends"
refused "a bad date" "date_maj=2025-02-30" 'date_maj: "2025-02-30" is not a date'
refused "an unknown typology" "typologie=ZZZ" 'typologie: "ZZZ" is not a typology code'
refused "removing a theme it does not have" "services-=smartphone" 'services: "smartphone" is not in the list'
refused "a control character" "adresse=$(printf '1 rue\033[2J')" "adresse: control characters"
refused "a parent that does not exist" "parent=99999" 'parent: no structure with id "99999"'
refused "an empty name" "nom=" "nom: a structure needs a name"
run "$QFQ" edit structure "$S" zorglub=1
is "an unknown field is a usage error" "$status" 2
run "$QFQ" edit structure 99999 telephone=0475640000
is "an unknown id is a usage error" "$status" 2
run "$QFQ" edit structure "$S" telephone
is "an assignment without = is a usage error" "$status" 2
run "$QFQ" edit structure "$S" nom+=X
is "+= on a single value is refused" "$status" 3

# Every field, in one edit.
dump >"$TMP/before"
run "$QFQ" edit structure "$S" nom="CAPLAB Centre Ardèche" commune=Annonay adresse="12 rue de la Paix" \
	complement_adresse="2e étage" coordonnees="45,2398; 4,6705" telephone="04 75 00 11 22" \
	courriels+="contact@caplab.example" site_web=https://caplab.example horaires="Mo-Fr 09:00-12:30; We 14:00-18:00" \
	prise_rdv=https://rdv.caplab.example sans_rdv=oui fermeture=2026-12-22..2027-01-03 typologie=ASSO \
	services+="smartphone|Aide aux démarches administratives" territoires+="departement:07|commune:Privas" \
	permanences+="Mairie@Privas@Tu 14:00-17:00" accessibilite=https://acceslibre.beta.gouv.fr/x \
	frais="gratuit" modalites_acces="se présenter|téléphoner" modalites_accompagnement="en autonomie" \
	publics=seniors prise_en_charge=surdité itinerance=fixe dispositifs="france services" \
	formations_labels="Label A" autres_formations_labels="Label B" presentation_resume="Un fablab" \
	presentation_detail="Ligne 1" pivot=12345678901234 parent="$(sid "MSA ADL")" date_maj=2026-11-30
is "an edit of every structure field exits 0" "$status" 0
has "it names the record" "$TMP/out" "« CAPLAB » (structure $S)"
is "the values are stored as the importer stores them" \
	"$(db "SELECT nom, code_insee, telephone, courriels LIKE '%contact@caplab.example', coord_exact, latitude, sans_rdv, ferme_du, ferme_au, frais, modalites_acces, publics, itinerance FROM structures WHERE id = $S")" \
	"CAPLAB Centre Ardèche|07010|+33475001122|1|1|45.2398|1|2026-12-22|2027-01-03|Gratuit|Se présenter|Téléphoner|Seniors|Fixe"
is "the themes were resolved" "$(db "SELECT count(*) FROM structure_themes s JOIN themes t ON t.id = s.theme_id WHERE structure_id = $S AND t.slug LIKE '%smartphone%'")" 1
is "territories" "$(db "SELECT group_concat(kind || ':' || code, ' ') FROM (SELECT * FROM structure_territories WHERE structure_id = $S ORDER BY kind)")" "commune:07186 departement:07"
is "the permanence" "$(db "SELECT lieu, code_insee, horaires FROM permanences WHERE structure_id = $S AND source = 'qfq'")" "Mairie|07186|Tu 14:00-17:00"
is "the name key follows the name" "$(db "SELECT nom_norm FROM structures WHERE id = $S")" "$(db "SELECT nom_norm FROM structures WHERE id = $S")"
derived >"$TMP/x1"
"$QFQ" reindex
derived >"$TMP/x2"
check "the derived indexes are exact after an edit (same as a full reindex)" cmp -s "$TMP/x1" "$TMP/x2"
run "$QFQ" search "centre ardeche" --format tsv
has "the search finds the new name" "$TMP/out" "CAPLAB Centre Ardèche"

# Lists: += and -=.
run "$QFQ" edit structure "$S" services-=smartphone courriels-=contact@caplab.example
is "-= removes" "$(db "SELECT count(*) FROM structure_themes s JOIN themes t ON t.id = s.theme_id WHERE structure_id = $S AND t.slug LIKE '%smartphone%'"):$(db "SELECT ifnull(courriels, '') LIKE '%contact@caplab%' FROM structures WHERE id = $S")" "0:0"

# edit -> log -> undo gives the record back exactly.
CHANGES=$(db "SELECT count(*) FROM change_sets")
run "$QFQ" log structure "$S"
has "log structure shows the edit" "$TMP/out" "CAPLAB Centre Ardèche"
run "$QFQ" undo
run "$QFQ" undo "$(db "SELECT max(id) FROM change_sets WHERE undoes IS NULL AND undone_by IS NULL AND summary LIKE '%CAPLAB%' AND id <= $CHANGES")"
is "both edits undone" "$status" 0
dump >"$TMP/after"
check "edit -> undo returns the database exactly (dump)" diff "$TMP/before" "$TMP/after"
derived >"$TMP/x1"
"$QFQ" reindex
derived >"$TMP/x2"
check "...and the derived indexes are exact" cmp -s "$TMP/x1" "$TMP/x2"

# add and rm.
run "$QFQ" add structure --nom "Espace public numérique du Cheylard" --commune "Le Cheylard" \
	--horaires "Mo 10:00-12:00" services=smartphone
is "add structure exits 0" "$status" 0
NEW=$(cat "$TMP/out")
is "add prints the new id" "$(db "SELECT nom FROM structures WHERE id = $NEW")" "Espace public numérique du Cheylard"
is "the new structure is indexed" "$(db "SELECT count(*) FROM structures_fts WHERE rowid = $NEW")" 1
run "$QFQ" add structure --commune Privas
is "add without --nom is a usage error" "$status" 2
dump >"$TMP/d0"
run "$QFQ" add structure --nom "X" --telephone 12
is "add with a bad value exits 3" "$status" 3
dump >"$TMP/d1"
check "...and adds nothing" cmp -s "$TMP/d0" "$TMP/d1"
run "$QFQ" add person --nom Martin --prenom Léa --structures "$NEW:Conseillère numérique" --competences "smartphone!" \
	--telephones "06 12 34 56 78" --courriels lea.martin@example.org
is "add person exits 0" "$status" 0
P=$(cat "$TMP/out")
is "the person, her membership and competence" "$(db "SELECT p.nom, p.prenom, p.name_key, p.telephones, m.role, t.referent FROM persons p JOIN memberships m ON m.person_id = p.id JOIN person_themes t ON t.person_id = p.id WHERE p.id = $P")" "Martin|Léa|lea martin|+33612345678|Conseillère numérique|1"
run "$QFQ" edit person "$P" role="$NEW:Coordinatrice" prenom="Léa Anne" telephones+=0475000000
is "edit person exits 0" "$status" 0
is "role and name key follow" "$(db "SELECT m.role, p.name_key FROM persons p JOIN memberships m ON m.person_id = p.id WHERE p.id = $P")" "Coordinatrice|anne lea martin"
run "$QFQ" edit person "$P" structures+=99999
is "a membership of an unknown structure is refused" "$status" 3
derived >"$TMP/x1"
"$QFQ" reindex
derived >"$TMP/x2"
check "the derived indexes are exact after person edits" cmp -s "$TMP/x1" "$TMP/x2"
run "$QFQ" rm structure "$NEW"
is "rm exits 0" "$status" 0
is "the structure and its membership are gone" "$(db "SELECT count(*) FROM structures WHERE id = $NEW"):$(db "SELECT count(*) FROM memberships WHERE structure_id = $NEW")" "0:0"
is "...and its index rows" "$(db "SELECT count(*) FROM structures_fts WHERE rowid = $NEW"):$(db "SELECT count(*) FROM structures_geo WHERE id = $NEW")" "0:0"
run "$QFQ" undo
is "undo brings it back" "$(db "SELECT count(*) FROM structures WHERE id = $NEW"):$(db "SELECT count(*) FROM memberships WHERE structure_id = $NEW"):$(db "SELECT count(*) FROM structures_fts WHERE rowid = $NEW")" "1:1:1"
run "$QFQ" rm person "$P"
is "rm person exits 0" "$status" 0
run "$QFQ" rm person "$P"
is "rm of an unknown id is a usage error" "$status" 2
run "$QFQ" rm place 3
is "rm of an unknown kind is a usage error" "$status" 2

done_testing
