#!/bin/bash
# 0101: the two bundled rosters (issue 3 "Done when"): 56 persons, people
# present at both meetings once, presences, homonyms, structures spelled
# two ways are one, Numérian's four members and roles, idempotent re-import.
. "$(dirname "$0")/lib.sh"
demo_db

run "$QFQ" persons --format json
is "persons exits 0" "$status" 0
cp "$TMP/out" "$TMP/persons.json"

py() { python3 - "$TMP/persons.json" "$@"; }

is "exactly 56 distinct persons" "$(py <<'P'
import json,sys; print(len(json.load(open(sys.argv[1]))))
P
)" 56

for n in Blanchard Nizon Sancho Maréchal; do
	is "$n appears once with both meetings" "$(py "$n" <<'P'
import json,sys
d=[p for p in json.load(open(sys.argv[1])) if p["nom"].lower()==sys.argv[2].lower()]
print(len(d), sorted(r["date"] for r in d[0]["reunions"]) if d else None)
P
)" "1 ['2024-06-21', '2024-07-10']"
done

is "Corinne Sancho present on 21 June, excused on 10 July" "$(py <<'P'
import json,sys
p=[p for p in json.load(open(sys.argv[1])) if p["nom"]=="Sancho"][0]
print(p["prenom"], sorted((r["date"], r["presence"]) for r in p["reunions"]))
P
)" "Corinne [('2024-06-21', 'present'), ('2024-07-10', 'excuse')]"

is "Samuel Pabion excused on 21 June" "$(py <<'P'
import json,sys
p=[p for p in json.load(open(sys.argv[1])) if p["nom"].lower()=="pabion"][0]
print(p["prenom"], [(r["date"], r["presence"]) for r in p["reunions"]])
P
)" "Samuel [('2024-06-21', 'excuse')]"

is "Antony and Isabelle Gaillard are two people" "$(py <<'P'
import json,sys
print(sorted(p["prenom"] for p in json.load(open(sys.argv[1])) if p["nom"].lower()=="gaillard"))
P
)" "['Antony', 'Isabelle']"

is "Blanchard Jean Marc and BLANCHARD Jean-Marc are one person" "$(py <<'P'
import json,sys
p=[p for p in json.load(open(sys.argv[1])) if p["nom"].lower()=="blanchard"]
print(len(p), sorted(s["nom"] for s in p[0]["structures"]))
P
)" "1 ['CAPLAB', 'CAPLAB Privas']"

is "particles and compounds kept in family names" "$(py <<'P'
import json,sys
d={p["nom"]:p["prenom"] for p in json.load(open(sys.argv[1]))}
print(d.get("De THY"), d.get("Scotto Di Vettimo"), d.get("ORLANDO-KOSIK"), d.get("Laorer"))
P
)" "Christian Camille Edith Anne-Isabelle"

# Pairs of spellings that must be one structure: both members share its id.
pair() { # desc, person A, person B ("nom prenom", lowercase)
	is "$1 is one structure" "$(py "$2" "$3" <<'P'
import json,sys
d={(p["nom"]+" "+p["prenom"]).lower():p for p in json.load(open(sys.argv[1]))}
a=[s["id"] for s in d[sys.argv[2]]["structures"]]; b=[s["id"] for s in d[sys.argv[3]]["structures"]]
print("same" if set(a)&set(b) else "different %s %s" % (a,b))
P
)" same
}
pair "Udaf Ardeche / UDAF de l'Ardèche" "charrier alban" "benefice frédéric"
pair "Cidff de l'Ardèche / CIDFF de l'Ardèche" "exmelin nathalie" "scotto di vettimo camille"
pair "Commune d'Alba-la-Romaine / Commune d'Alba la Romaine" "gaillard antony" "laulagnet pierre"
pair "Mont à la Feira / Mont'a la Feira" "berge gaëlle" "gauthey maxime"

is "Clair obscur was one structure for both rows of Nizon" "$(py <<'P'
import json,sys
p=[p for p in json.load(open(sys.argv[1])) if p["nom"]=="Nizon"][0]
print(len(p["structures"]))
P
)" 1

run "$QFQ" persons --structure "Numérian" --format json
is "Numérian has four members, with their roles" "$(python3 - "$TMP/out" <<'P'
import json,sys
d=json.load(open(sys.argv[1]))
ids={s["id"] for p in d for s in p["structures"] if s["nom"]=="Numérian"}
print(len(d), len(ids), sorted((p["nom"], [s["role"] for s in p["structures"]][0]) for p in d))
P
)" "4 1 [('BOUCHARDON', 'Vice-président'), ('BRIELLE', 'responsable du pôle communication et des relations avec les collectivités'), ('MESSAOUDI', 'coordinateur départemental des conseillers numériques France Services'), ('MICHEL', None)]"

run "$QFQ" persons --structure "MJC CS La Voulte-sur-Rhône" --format tsv
has "a parenthesized role is taken out of the structure" "$TMP/out" "$(printf 'Lacombe\tÉric\tMJC CS La Voulte-sur-Rhône (directeur)')"
run "$QFQ" persons --structure "Préfecture" --format tsv
has "Préfecture chargé de mission Numérique: role split" "$TMP/out" "Préfecture (chargé de mission Numérique)"

# Communes and typologies found in names.
db() { sqlite3 "$QFQ_DB" "$1"; }
is "Mairie de Lavilledieu: commune and typology" "$(db "SELECT code_insee, typologie FROM structures WHERE nom = 'Mairie de Lavilledieu'")" "07138|MUNI"
is "Commune d'Alba-la-Romaine: commune" "$(db "SELECT code_insee FROM structures WHERE nom = 'Commune d''Alba-la-Romaine'")" "07005"
is "EPN ARCHE Agglo Saint-Jean-de-Muzols: commune" "$(db "SELECT code_insee FROM structures WHERE nom LIKE 'EPN ARCHE%'")" "07245"
is "Association AIME Bourg Saint Andéol: commune" "$(db "SELECT code_insee FROM structures WHERE nom LIKE 'Association AIME%'")" "07042"
is "Croix Rouge is not the commune of Rougé" "$(db "SELECT ifnull(code_insee, 'none') FROM structures WHERE nom = 'Croix Rouge'")" "none"
is "MSA is typed MSA" "$(db "SELECT typologie FROM structures WHERE nom = 'MSA ADL'")" "MSA"
is "two meetings inferred from the file names" "$(db "SELECT date || ' ' || titre FROM events ORDER BY date" | tr '\n' ,)" "2024-06-21 Numerian,2024-07-10 Privas,"

# Near matches are proposals, never merged.
run "$QFQ" merge --list --format tsv
has "CAPLAB / CAPLAB Privas proposed" "$TMP/out" "CAPLAB Privas"
has "MSA ADL / MSA Ardèche Drôme Loire proposed" "$TMP/out" "MSA ADL"
has "PIMMS MEDIATION - FRANCE SERVICES / PIMMS Médiation proposed" "$TMP/out" "PIMMS Médiation"

# Re-importing changes nothing.
sqlite3 "$QFQ_DB" .dump | grep -v 'audit_log' >"$TMP/before.sql"
run "$QFQ" import roster "$QFQ_SRCDIR/data/rosters/2024-07-10-privas.csv" --format json
is "re-import exits 0" "$status" 0
is "re-import: 0 new persons, 0 new structures, all matched" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["persons_new"], d["persons_matched"], d["structures_new"], d["memberships_new"], d["attendance_new"], d["merges_proposed"])' "$TMP/out")" "0 33 0 0 0 0"
sqlite3 "$QFQ_DB" .dump | grep -v 'audit_log' >"$TMP/after.sql"
check "re-import leaves the dump identical (audit log aside)" cmp -s "$TMP/before.sql" "$TMP/after.sql"

run "$QFQ" import roster "$QFQ_SRCDIR/data/rosters/2024-06-21-numerian.csv"
has "the report says what it inferred" "$TMP/out" 'meeting: "Numerian" on 2024-06-21'
has "the report counts rows" "$TMP/out" "rows read: 27"

done_testing
