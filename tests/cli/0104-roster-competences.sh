#!/bin/bash
# 0104: a roster with competences, contacts, territories, an unknown
# column, and an explicit meeting: themes found by `qfq persons --theme`,
# "référent", warnings for a bad email, normalized phones, unknown themes
# and territories (with the nearest known), --map, conflicts never overwrite.
. "$(dirname "$0")/lib.sh"
init_db
F="$QFQ_SRCDIR/tests/data/roster/competences.csv"

run "$QFQ" import roster "$F" --event "Réunion test" --date 2024-09-01 --place Privas
is "import exits 0" "$status" 0
has "the meeting is reported" "$TMP/out" 'meeting: "Réunion test" on 2024-09-01, new'
has "3 rows" "$TMP/out" "rows read: 3 (imported 3, skipped 0)"
has "5 competences" "$TMP/out" "competences: 5 new"
has "unknown column reported with the --map hint" "$TMP/out" "line 1, column 9: unknown column \"Remarque\" ignored (name it with --map 'Remarque=FIELD')"
has "bad email is a warning with its position" "$TMP/out" 'line 3, column 5: invalid email "paul.martin@" left out'
has "phone normalized to +33" "$TMP/out" 'phone number "06 12 34 56 78" normalized to +33612345678'
has "+33 (0)4 normalized" "$TMP/out" 'normalized to +33475112233'
has "unknown theme is a warning" "$TMP/out" 'unknown theme "zorglub" left out'
has "unknown territory names the nearest" "$TMP/out" 'unknown territory "Privaz" left out; nearest: Privas (07)'

run "$QFQ" persons --theme caf --format tsv
is "--theme caf exits 0" "$status" 0
is "--theme caf finds Marie Dupont" "$(cut -f2,3 "$TMP/out" | tail -n +2)" "$(printf 'DUPONT\tMarie')"
run "$QFQ" persons --theme smartphone --format tsv
has "--theme smartphone" "$TMP/out" "DUPONT"
run "$QFQ" persons --theme "parentalité" --format tsv
has "--theme parentalité" "$TMP/out" "DUPONT"
run "$QFQ" persons --theme "maîtrise des outils numériques" --format tsv
has "a parent theme includes its sub-themes (smartphone)" "$TMP/out" "DUPONT"
run "$QFQ" persons --theme santé --format json
is "référent santé: Paul Martin, referent" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([(p["nom"], [(t["slug"], t["referent"]) for t in p["themes"]]) for p in d])' "$TMP/out")" "[('Martin', [('sante', True)])]"
run "$QFQ" persons --theme "démarches msa" --format tsv
has "démarches msa" "$TMP/out" "Durand"
run "$QFQ" persons --theme juridique
is "nobody with that theme exits 1" "$status" 1

run "$QFQ" persons --format json --structure "CAF Ardèche"
is "JSON keys and values" "$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))[0]; print(sorted(p), p["courriels"], p["telephones"], p["structures"][0]["role"], p["reunions"])' "$TMP/out")" "['courriels', 'id', 'nom', 'prenom', 'reunions', 'structures', 'telephones', 'themes'] ['marie.dupont@example.org'] ['+33612345678'] conseillère numérique [{'titre': 'Réunion test', 'date': '2024-09-01', 'presence': 'present'}]"

db() { sqlite3 "$QFQ_DB" "$1"; }
is "emails are stored lowercase" "$(db "SELECT courriels FROM persons WHERE nom = 'Durand'")" "lea.durand@example.org"
is "territories: commune and EPCI for the CAF" "$(db "SELECT group_concat(kind || ':' || code, ' ') FROM (SELECT * FROM structure_territories t JOIN structures s ON s.id = t.structure_id WHERE s.nom = 'CAF Ardèche' ORDER BY kind)")" "commune:07186 epci:200071413"
is "territory: département for the MSA" "$(db "SELECT kind || ':' || code FROM structure_territories t JOIN structures s ON s.id = t.structure_id WHERE s.nom LIKE 'MSA%'")" "departement:07"
is "the meeting's place" "$(db "SELECT code_insee || ' ' || lieu FROM events")" "07186 Privas"

# A second file: same person by email under another spelling, another role.
cat >"$TMP/second.csv" <<'C'
Participant,Structure,Poste,E-mail,Statut
DUPOND Marie,CAF Ardèche,directrice,Marie.Dupont@example.org,excusée
Martin Paul,Mairie de Vesseaux,,paul.martin@example.org,présent
C
run "$QFQ" import roster "$TMP/second.csv" --event "Réunion test" --date 2024-09-01
is "second import exits 0" "$status" 0
has "matched by email" "$TMP/out" "persons: 0 new, 2 matched"
has "a different name under a known email is a conflict" "$TMP/out" 'has the email of "DUPONT Marie"'
has "a different role is a conflict, not overwritten" "$TMP/out" 'role "directrice" for DUPOND Marie differs from the recorded "conseillère numérique": kept'
has "a different presence is a conflict" "$TMP/out" 'is recorded as present at this meeting, the file says excuse: kept'
is "role kept" "$(db "SELECT role FROM memberships m JOIN persons p ON p.id = m.person_id WHERE p.nom = 'DUPONT'")" "conseillère numérique"
is "name kept" "$(db "SELECT count(*) FROM persons WHERE nom = 'DUPOND'")" 0
is "a new email enriches the person" "$(db "SELECT courriels FROM persons WHERE nom = 'Martin'")" "paul.martin@example.org"

# "excusé" may follow the name instead of the structure.
printf 'Nom prénom,Structure\nROCHE Lucie (excusée),CAF Ardèche\n' >"$TMP/ex.csv"
run "$QFQ" import roster "$TMP/ex.csv" --event "Réunion test" --date 2024-09-01
is "excusée after a name: imported" "$status" 0
is "excusée after a name: excused, name clean" "$(db "SELECT p.nom || ' ' || p.prenom || ' ' || a.presence FROM attendance a JOIN persons p ON p.id = a.person_id WHERE p.nom = 'ROCHE'")" "ROCHE Lucie excuse"

# --map names a column by hand.
printf 'Qui,Où\nLEGRAND Julie,EPN de Privas\n' >"$TMP/map.csv"
run "$QFQ" import roster "$TMP/map.csv"
is "no name column: refused" "$status" 3
has "the refusal suggests --map" "$TMP/err" "--map"
run "$QFQ" import roster "$TMP/map.csv" --map 'Qui=nom_prenom' --map 'où=structure' --format json
is "--map: imported" "$status" 0
has "--map: one person" "$TMP/out" '"persons_new": 1'
is "--map: member of EPN de Privas" "$(db "SELECT s.nom || ' ' || s.code_insee FROM memberships m JOIN structures s ON s.id = m.structure_id JOIN persons p ON p.id = m.person_id WHERE p.nom = 'LEGRAND'")" "EPN de Privas 07186"

done_testing
