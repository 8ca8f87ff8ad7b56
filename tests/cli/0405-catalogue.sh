#!/bin/bash
# 0405: qfq catalogue: who does what on a territory, by theme then commune,
# with address, hours in French, contact and the people to ask; txt, csv
# (parsed) and printable HTML (parsed, with its table of contents and the map).
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
B=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures WHERE nom = 'France Services Les Ollières Sur Eyrieux'")
P=$(sqlite3 "$QFQ_DB" "SELECT min(person_id) FROM memberships")
sqlite3 "$QFQ_DB" "INSERT OR IGNORE INTO memberships(person_id, structure_id, role) VALUES ($P, $B, 'agent France Services')"
PN=$(sqlite3 "$QFQ_DB" "SELECT trim(coalesce(prenom || ' ', '') || nom) FROM persons WHERE id = $P")

run "$QFQ" catalogue --departement 07
is "catalogue exits 0" "$status" 0
has "a title names the territory" "$TMP/out" "Qui fait quoi : Ardèche"
has "grouped by theme" "$TMP/out" "== Aide aux démarches administratives =="
has "then by commune" "$TMP/out" "-- Les Ollières-sur-Eyrieux --"
has "each place with its address" "$TMP/out" "Adresse : 70 Le Bas Pranles, 07360 Les Ollières-sur-Eyrieux"
has "its hours in French" "$TMP/out" "Horaires : lundi 09:00–12:00, 13:30–16:30 ; mardi 09:00–12:30, 13:30–16:00"
has "the people to ask, with their role" "$TMP/out" "Personnes à contacter : $PN (agent France Services"
# communes in order inside a theme
awk '/^== /{t=$0} /^-- /{print t "|" $0}' "$TMP/out" | awk -F'|' '$1 == "== Aide aux démarches administratives =="{print $2}' >"$TMP/communes"
check "communes are in alphabetical order within a theme" sort -c "$TMP/communes"

run "$QFQ" catalogue --departement 07 --format csv
is "csv exits 0" "$status" 0
python3 - "$TMP/out" "$QFQ_DB" >"$TMP/csvcheck" <<'PY'
import csv, sqlite3, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8', newline='')))
db = sqlite3.connect(sys.argv[2])
# every structure of 07 offering a theme appears, under each top-level theme it offers
want = db.execute("""WITH RECURSIVE up(id, top) AS (SELECT id, id FROM themes WHERE parent_id IS NULL
  UNION ALL SELECT t.id, up.top FROM themes t JOIN up ON t.parent_id = up.id)
  SELECT count(*) FROM (SELECT DISTINCT s.id, up.top FROM structures s JOIN communes c ON c.code_insee = s.code_insee
  JOIN structure_themes st ON st.structure_id = s.id JOIN up ON up.id = st.theme_id WHERE c.departement = '07')""").fetchone()[0]
print(len(rows) == want and all(r['nom'] and r['theme'] for r in rows), len(rows), want)
PY
is "csv: one row per place and top-level theme, as counted in SQL" "$(cut -d' ' -f1 "$TMP/csvcheck")" True

run "$QFQ" catalogue --commune Privas --radius 10 --theme démarches
is "around a commune, one theme" "$status" 0
has "the title says where" "$TMP/out" "Qui fait quoi à 10 km de Privas · Aide aux démarches administratives"
hasnt "nothing from Annonay (far)" "$TMP/out" "Annonay"

S=$(sqlite3 "$QFQ_DB" "SELECT min(structure_id) FROM structure_themes WHERE theme_id IN (SELECT id FROM themes WHERE slug = 'smartphone-tablette')")
sqlite3 "$QFQ_DB" "UPDATE structures SET nom = 'Lieu <b>&' WHERE id = $S"
run "$QFQ" catalogue --departement 07 --theme smartphone --format html --map
is "html with the map exits 0" "$status" 0
python3 - "$TMP/out" >"$TMP/htmlcheck" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
links = [a.get('href')[1:] for a in root.iter('a') if (a.get('href') or '').startswith('#')]
ids = [h.get('id') for h in root.iter('h2') if h.get('id')]
svg = [e for e in root.iter() if e.tag.endswith('svg')]
marks = [g for g in root.iter() if g.tag.endswith('g') and 'commune' in (g.get('class') or '').split()]
print(bool(links) and links == ids, len(svg), len(marks))
PY
read -r toc svgs marks <<<"$(cat "$TMP/htmlcheck")"
is "the table of contents links every theme section" "$toc" True
is "the map is included" "$svgs" 1
is "with a mark per commune" "$marks" "$(awk -F, '$3 == "07"' "$QFQ_SRCDIR/data/communes.csv" | wc -l)"
has "a print stylesheet" "$TMP/out" "@media print"
has "names are escaped" "$TMP/out" "Lieu &lt;b&gt;&amp;"

run "$QFQ" catalogue
is "no territory exits 2" "$status" 2
run "$QFQ" catalogue --departement 07 --epci 200071413
is "two territories exit 2" "$status" 2
run "$QFQ" catalogue --departement 07 --map
is "--map without --theme exits 2" "$status" 2
run "$QFQ" catalogue --departement 07 --format pdf
is "an unknown format exits 2" "$status" 2

done_testing
