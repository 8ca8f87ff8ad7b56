#!/bin/bash
# 0301: qfq search on a small hand-made directory around Privas: distance
# ordering and radius, served territories, permanences, themes (alias,
# prefix, parent, ancestor, several), opening hours, walk-in, filters,
# persons, formats, exit statuses.
. "$(dirname "$0")/lib.sh"
init_db

# Structures written straight into the store, then indexed by `qfq reindex`.
sqlite3 "$QFQ_DB" <<'SQL' || { echo "Bail out! fixture"; exit 1; }
PRAGMA foreign_keys = ON;
INSERT INTO structures(id, nom, nom_norm, typologie, code_insee, latitude, longitude, coord_exact,
                       telephone, courriels, horaires, sans_rdv, publics, adresse) VALUES
 (1, 'Mairie de Privas', 'mairie privas', 'MUNI', '07186', 44.7220, 4.5960, 1, '0475000001',
  'accueil@privas.example|numerique@privas.example', 'Mo-Fr 09:00-12:00', 1, 'Seniors|Familles', '1 place de l''Hôtel de ville'),
 (2, 'France Services Flaviac', 'france services flaviac', 'MSAP', '07090', NULL, NULL, 0, '0475000002',
  NULL, 'Tu 14:00-17:00', 0, 'Tous publics', NULL),
 (3, 'Médiathèque de Freyssenet', 'mediatheque freyssenet', 'BIB', '07092', NULL, NULL, 0, NULL,
  NULL, NULL, NULL, NULL, NULL),
 (4, 'EPN d''Aubenas', 'epn aubenas', 'EPN', '07019', 44.6107, 4.3942, 1, NULL,
  NULL, 'Mo-Sa 08:00-18:00', NULL, NULL, NULL),
 (5, 'CIDFF de Lyon', 'cidff lyon', 'CIDFF', '69123', 45.7588, 4.8361, 1, NULL,
  NULL, NULL, NULL, NULL, NULL),
 (6, 'Association Annonay Numérique', 'association annonay numerique', 'ASSO', '07010', NULL, NULL, 0, NULL,
  NULL, NULL, NULL, NULL, NULL),
 (7, 'UDAF Tournon', 'udaf tournon', 'UDAF', '07324', NULL, NULL, 0, NULL,
  NULL, NULL, NULL, NULL, NULL),
 (8, 'Croix-Rouge Lyon', 'croix rouge lyon', 'ASSO', '69123', NULL, NULL, 0, NULL,
  NULL, NULL, NULL, NULL, NULL);
INSERT INTO structure_themes SELECT s, (SELECT id FROM themes WHERE slug = t) FROM (
 SELECT 1 s, 'demarches-caf' t UNION ALL SELECT 1, 'smartphone-tablette'
 UNION ALL SELECT 2, 'aide-demarches-administratives'
 UNION ALL SELECT 3, 'maitrise-outils-numeriques'
 UNION ALL SELECT 4, 'demarches-impots' UNION ALL SELECT 4, 'ordinateur'
 UNION ALL SELECT 5, 'aide-demarches-administratives'
 UNION ALL SELECT 6, 'demarches-caf'
 UNION ALL SELECT 7, 'demarches-caf'
 UNION ALL SELECT 8, 'smartphone-tablette');
INSERT INTO structure_territories(structure_id, kind, code) VALUES (5, 'commune', '07186'), (7, 'epci', '200071413');
INSERT INTO permanences(structure_id, code_insee, horaires) VALUES (6, '07186', 'Tu 09:00-12:00');
INSERT INTO persons(id, nom, prenom, name_key, courriels, telephones) VALUES
 (1, 'Dupont', 'Marie', 'dupont marie', 'marie.dupont@example.org', '0600000001'),
 (2, 'Martin', 'Paul', 'martin paul', NULL, NULL),
 (3, 'Durand', 'Léa', 'durand lea', NULL, NULL);
INSERT INTO memberships(person_id, structure_id, role) VALUES
 (1, 1, 'conseillère numérique'), (2, 7, 'juriste'), (3, 8, 'bénévole');
INSERT INTO person_themes VALUES (1, (SELECT id FROM themes WHERE slug = 'smartphone-tablette'), 1);
SQL
run "$QFQ" reindex
is "reindex exits 0" "$status" 0

ids() { # the id column of a tsv result, joined by spaces
	awk -F'\t' 'NR > 1 { printf "%s%s", sep, $1; sep = " " }' "$TMP/out"
}
col() { # col NAME: that column of a tsv result for row id $2
	awk -F'\t' -v k="$1" -v id="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i; next } $1 == id { print $c }' "$TMP/out"
}

# --- place and distance
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 30
is "démarches around Privas exits 0" "$status" 0
is "by distance; declared and permanence places included" "$(ids)" "6 1 2 4 7 5"
is "distance of Flaviac (its commune's centre)" "$(col distance_km 2)" "6.3"
has "motif says the radius" "$TMP/out" "à 0,1 km de Privas"
has "motif says the served commune" "$TMP/out" "dessert Privas"
has "motif says the served EPCI" "$TMP/out" "dessert l'EPCI"
has "motif says the permanence" "$TMP/out" "permanence à Privas"
hasnt "Croix-Rouge Lyon (no démarches) is not listed" "$TMP/out" "Croix-Rouge"

run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 10
is "a 10 km radius drops Aubenas, keeps declared places" "$(ids)" "6 1 2 7 5"

run "$QFQ" search --format tsv --theme démarches --commune "st jean de muzols" --radius 15
is "st jean de muzols: Tournon's UDAF is 2.5 km away" "$(ids)" "7"

run "$QFQ" search --format tsv --commune "Tournon-sur-Rhône" --radius 5
is "around Tournon, only its own structure" "$(ids)" "7"

# --- themes
run "$QFQ" search --theme smartphone --commune Privas --radius 10
has "the reading printed on stderr" "$TMP/err" "compris : thème « Prendre en main un smartphone ou une tablette »"
run "$QFQ" search --format tsv --theme smartphone --commune Privas --radius 10
is "smartphone: direct first, then the place offering only the parent service" "$(ids)" "1 3"
has "an ancestor match says so" "$TMP/out" "service parent proposé (Maîtrise des outils numériques du quotidien)"
is "themes lists the matched labels" "$(col themes 1)" "Prendre en main un smartphone ou une tablette"

run "$QFQ" search --format tsv --theme impots
is "alias impots, anywhere: direct, then places offering its parent service" "$(ids)" "4 5 2"
run "$QFQ" search --format tsv --theme "démarch caf"
is "prefix words resolve (démarch caf)" "$(ids)" "6 1 7 5 2"
run "$QFQ" search --format tsv --theme caf --theme smartphone
is "two themes: both required" "$(ids)" "1"

run "$QFQ" search --theme smartfone
is "unknown theme exits 2" "$status" 2
has "unknown theme is named" "$TMP/err" 'no theme matches "smartfone"'
has "unknown theme suggests names" "$TMP/err" "did you mean"

# --- opening hours
run "$QFQ" search --format json --theme démarches --commune Privas --radius 30 --open-at 2024-07-09T10:00
is "open-at exits 0" "$status" 0
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
o = {x["id"]: x for x in d}
assert o[1]["ouvert"] is True and o[4]["ouvert"] is True, "Mo-Fr 09-12 and Mo-Sa 08-18 open on Tuesday 10:00"
assert 2 not in o, "closed then: left out"
assert 5 not in o and 7 not in o, "no hours: never shown open"
assert all(x["ouvert"] is True for x in d)
PY
check "open at a time keeps only the places known open then" test $? -eq 0
run "$QFQ" search --format json --theme démarches --commune Privas --radius 30 --open-at 2024-07-09T10:00 --unknown-hours
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
o = {x["id"]: x for x in d}
assert o[5]["ouvert"] is None and o[7]["ouvert"] is None, "no hours: unknown (null)"
assert 2 not in o
order = [x["ouvert"] for x in d]
assert order == sorted(order, key=lambda v: {True: 0, None: 2}[v]), order
PY
check "--unknown-hours: open first, then unknown hours (ouvert null), never closed" test $? -eq 0
run "$QFQ" search --theme démarches --commune Privas --radius 30 --open-at 2024-07-09T10:00 --unknown-hours
has "the time column is headed by the moment" "$TMP/out" "mardi 10:00"
has "unknown hours are marked so" "$TMP/out" "horaires inconnus"

run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 30 --open-at "mardi 14:00"
is "Tuesday 14:00: Flaviac is open" "$(col ouvert 2)" "true"
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 30 --open-at "mardi 14:00"
hasnt "Tuesday 14:00: the Mairie (closed) is left out" "$TMP/out" "Mairie de Privas"
is "open places come first" "$(ids | cut -d' ' -f1-2)" "2 4"

run "$QFQ" search --open-at "someday"
is "unreadable time exits 2" "$status" 2
has "unreadable time says what is expected" "$TMP/err" "mardi 14:00"
run "$QFQ" search --open-now --open-at "mardi 10:00"
is "--open-now with --open-at exits 2" "$status" 2

# --- walk-in, filters
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 30 --sans-rdv
is "sans-rdv: appointment-only place left out, walk-in first" "$(ids)" "1 6 4 7 5"
run "$QFQ" search --format tsv --type MSAP
is "--type MSAP" "$(ids)" "2"
run "$QFQ" search --format tsv --type "maison de services"
is "--type by the start of a label" "$(ids)" "2"
run "$QFQ" search --format tsv --type "france services"
is "--type by a word that implies a typology (RFS: none here)" "$status" 1
run "$QFQ" search --format tsv --public seniors
is "--public seniors (case ignored)" "$(ids)" "1"
run "$QFQ" search --format tsv --departement 69
is "--departement 69" "$(ids)" "5 8"
run "$QFQ" search --format tsv --epci "CA Privas Centre"
is "--epci by name: its places, those serving it or its communes, its permanences" "$(ids)" "1 2 3 5 6 7"
run "$QFQ" search --format tsv --epci 200071413 --theme smartphone
is "--epci by SIREN with a theme" "$(ids)" "1 3"
run "$QFQ" search --departement 99
is "unknown département exits 2" "$status" 2

# --- text
run "$QFQ" search --format tsv mediatheque
is "text, accents folded" "$(ids)" "3"
run "$QFQ" search --format tsv "croix"
is "text prefix of a name" "$(ids)" "8"
run "$QFQ" search --format tsv --commune Privas --radius 10 mairie
is "text with a place" "$(ids)" "1"
run "$QFQ" search caplab
is "no match exits 1" "$status" 1

# --- commune errors
run "$QFQ" search --commune Saint-Julien
is "ambiguous commune exits 2" "$status" 2
has "ambiguous commune lists candidates" "$TMP/err" "Saint-Julien (88)"
run "$QFQ" search --commune "Zzyzx-sur-Rien"
is "unknown commune exits 2" "$status" 2
run "$QFQ" search --commune Privas --radius -3
is "negative radius exits 2" "$status" 2
run "$QFQ" search --radius 3
is "radius without commune exits 2" "$status" 2

# --- formats
run "$QFQ" search --format tsv --limit 1
is "--limit 1 gives one row (by name without place)" "$(ids)" "6"
has "tsv header has the standard keys" "$TMP/out" "$(printf 'id\tnom\ttypologie\tcommune\tcode_insee\tadresse\tlatitude\tlongitude\tdistance_km\tservices\tthemes\ttelephone\tcourriels\tsite_web\thoraires\touvert\tprochaine_ouverture\tsans_rdv\tmotif')"
run "$QFQ" search --format csv --theme impots
has "csv header" "$TMP/out" "id,nom,typologie,commune,code_insee"
run "$QFQ" search --format json --commune Privas --radius 1
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
keys = ["id", "nom", "typologie", "commune", "code_insee", "adresse", "latitude", "longitude",
        "distance_km", "services", "themes", "telephone", "courriels", "site_web", "horaires",
        "ouvert", "prochaine_ouverture", "sans_rdv", "motif"]
m = [x for x in d if x["id"] == 1][0]
assert list(m.keys()) == keys, list(m.keys())
assert m["courriels"] == ["accueil@privas.example", "numerique@privas.example"], m["courriels"]
assert m["sans_rdv"] is True and m["ouvert"] is None and m["commune"] == "Privas"
assert "Prendre en main un smartphone ou une tablette" in m["services"]
assert abs(m["latitude"] - 44.722) < 1e-6
PY
check "json has exactly the standard keys and typed values" test $? -eq 0
run "$QFQ" search
is "no criteria lists the whole directory" "$(grep -c . "$TMP/out")" 10
COLUMNS=60 LINES=8 run "$QFQ" search
is "a table on a non-terminal shows everything" "$status" 0

# --- persons
run "$QFQ" search --format tsv --persons --theme caf --commune Privas --radius 10
is "persons by their structures' themes, nearest first" "$(ids)" "1 2"
run "$QFQ" search --format json --persons --theme smartphone --commune Privas --radius 10
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert [x["id"] for x in d] == [1], d
p = d[0]
assert list(p.keys()) == ["id", "nom", "prenom", "structures", "themes", "competences", "telephone", "courriels", "distance_km", "motif"], list(p.keys())
assert p["structures"] == [{"nom": "Mairie de Privas", "role": "conseillère numérique"}], p["structures"]
assert p["themes"] == ["Prendre en main un smartphone ou une tablette"], p["themes"]
assert p["courriels"] == ["marie.dupont@example.org"] and p["distance_km"] == 0.1
PY
check "persons json: structures with roles, competences, distance" test $? -eq 0
run "$QFQ" search --format tsv --persons dupont
is "persons by name" "$(ids)" "1"
run "$QFQ" search --format tsv --persons --theme smartphone
is "persons by competence or structure, no place" "$(ids)" "1 3"

# --- completion helper
run "$QFQ" complete themes smartph
has "complete themes" "$TMP/out" "smartphone"
run "$QFQ" complete communes "st jean de m"
has "complete communes" "$TMP/out" "Saint-Jean-de-Muzols"
run "$QFQ" complete commands se
is "complete commands" "$(cat "$TMP/out")" "search"

done_testing
