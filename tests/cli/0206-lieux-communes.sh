#!/bin/bash
# 0206: a regional places file (Auvergne-Rhône-Alpes, 670 places in the 1.x
# form, generated from the real communes) with the ten commune spellings of
# a real export that an exact look-up refused (issue 11): "Annecy Cedex 03",
# "Pont de Claix", "Loriol", "Saint-Donat-sur-lHerbasse", "Sciez-sur-Léman",
# "Ardes sur couze", "Vorey sur Arzon", "SAINT GERVAIS", "Les Molettes",
# "Entremont" (merged in 2019), without code_insee but with postcode and
# coordinates, as people write them. The file imports with a warning for
# each and no error; each place is in the commune meant.
. "$(dirname "$0")/lib.sh"
init_db
q() { sqlite3 -batch -noheader "$QFQ_DB" "$@"; }
r() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$TMP/out" "$1"; }

python3 "$QFQ_SRCDIR/tests/data/lieux/gen_lieux.py" --form 1 --count 660 --seed 84 \
	--departements 01,03,07,15,26,38,42,43,63,69,73,74 --communes "$QFQ_SRCDIR/data/communes.csv" >"$TMP/gen.csv"
python3 - "$TMP/gen.csv" "$TMP/aura.csv" <<'P'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
odd = [("Annecy Cedex 03", "74003", 45.8992, 6.1294), ("Pont de Claix", "38800", 45.1250, 5.6990),
       ("Loriol", "26270", 44.7510, 4.8180), ("Saint-Donat-sur-lHerbasse", "26260", 45.1220, 4.9830),
       ("Sciez-sur-Léman", "74140", 46.3330, 6.3830), ("Ardes sur couze", "63420", 45.4020, 3.1240),
       ("Vorey sur Arzon", "43800", 45.1860, 3.9090), ("SAINT GERVAIS", "74170", 45.8920, 6.7130),
       ("Les Molettes", "73800", 45.4650, 6.0510), ("Entremont", "74130", 45.9575, 6.3889)]
w = csv.DictWriter(open(sys.argv[2], "w", newline="", encoding="utf-8"), fieldnames=rows[0].keys())
w.writeheader()
w.writerows(rows)
for i, (nom, cp, lat, lon) in enumerate(odd):
    r = dict(rows[i])
    r.update(id="odd-%d" % i, nom="Lieu %s" % nom, commune=nom, code_postal=cp, code_insee="",
             latitude=str(lat), longitude=str(lon), structure_parente="")
    w.writerow(r)
P

run "$QFQ" import lieux "$TMP/aura.csv" --format json
is "exits 0" "$status" 0
is "670 rows" "$(r rows)" 670
is "no error" "$(r errors)" 0
is "670 places" "$(r inserted)" 670
is "one CEDEX" "$(r communes_cedex)" 1
is "two spellings without articles or apostrophes" "$(r communes_spelling)" 2
is "five names without or with a suffix" "$(r communes_affix)" 5
is "one near spelling" "$(r communes_near)" 1
is "one nearest to the coordinates" "$(r communes_nearest)" 1
for w in "\"Annecy Cedex 03\" taken as Annecy (74010)" "\"Pont de Claix\" taken as Le Pont-de-Claix (38317)" \
	"\"Loriol\" taken as Loriol-sur-Drôme (26166)" "\"Les Molettes\" taken as Les Mollettes (73159)" \
	"\"Entremont\" taken as Glières-Val-de-Borne (74212)"; do
	has "warned: $w" "$TMP/err" "$w"
done
has "the warning says why" "$TMP/err" "the name without or with a suffix"
is "each odd place in the commune meant" \
	"$(q "SELECT group_concat(code_insee, ' ') FROM (SELECT code_insee FROM structures WHERE source_id LIKE 'odd-%' ORDER BY CAST(substr(source_id, 5) AS INTEGER))")" \
	"74010 38317 26166 26301 74263 63009 43267 74236 73159 74212"

# The same again: the resolutions are cached, the warnings are not lost.
run "$QFQ" import lieux "$TMP/aura.csv" --format json --dry-run
is "again: the same guesses warned" "$(r communes_affix)" 5

# Without coordinates, Entremont cannot be told from the other communes of 74130.
python3 - "$TMP/aura.csv" "$TMP/nocoords.csv" <<'P'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
w = csv.DictWriter(open(sys.argv[2], "w", newline="", encoding="utf-8"), fieldnames=rows[0].keys())
w.writeheader()
for r in rows[-10:]:
    r.update(latitude="", longitude="", id=r["id"] + "-nc")
    w.writerow(r)
P
run "$QFQ" import lieux "$TMP/nocoords.csv" --format json
is "without coordinates: refused" "$status" 3
is "without coordinates: only Entremont is an error" "$(r errors)" 1
has "without coordinates: the error names it" "$TMP/err" 'no commune "Entremont" with postcode 74130'
done_testing
