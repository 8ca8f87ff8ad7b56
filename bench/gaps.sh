#!/bin/bash
# bench/gaps.sh: `qfq gaps` for a whole département (the largest, 62: 887
# communes) on a national-scale directory (100,000 structures;
# bench/gen-national.py), against the bare sqlite3 CLI running the
# equivalent SQL on the same file in the same hyperfine run: the communes
# with no structure offering the theme within the radius (the place index's
# box, then the great-circle distance) and none declaring to serve the
# commune, its EPCI, département or region. Target (issue 13): under 100 ms.
#
#   BENCH_DB=/path/copy-of-national.db bash bench/gaps.sh [build-dir]
# (a copy: qfq upgrades the schema of the file it opens)
. "$(dirname "$0")/lib.sh"
national_db
DEP=${DEP:-62}
R=${RADIUS:-5}
THEME=${THEME:-materiel-reconditionne}
"$QFQ" gaps --theme "$THEME" --departement "$DEP" --radius "$R" --format tsv >/dev/null 2>&1 || true
sqlite3 "$DB" "SELECT count(*) || ' structures, ' || (SELECT count(*) FROM communes WHERE departement = '$DEP') || ' communes in $DEP' FROM structures"

DLAT=$(python3 -c "print($R / 6371 / 0.017453292519943295)")
cat >"$T/gaps.sql" <<SQL
WITH RECURSIVE th(id) AS (SELECT id FROM themes WHERE slug = '$THEME'
  UNION ALL SELECT t.id FROM themes t JOIN th ON t.parent_id = th.id),
offer(id) AS (SELECT DISTINCT structure_id FROM structure_themes WHERE theme_id IN (SELECT id FROM th)),
declared(kind, code) AS (SELECT DISTINCT kind, code FROM structure_territories WHERE structure_id IN (SELECT id FROM offer))
SELECT c.code_insee, c.nom, c.population FROM communes c
WHERE c.departement = '$DEP'
  AND NOT EXISTS (SELECT 1 FROM declared d WHERE (d.kind = 'commune' AND d.code = c.code_insee)
     OR (d.kind = 'epci' AND d.code = c.epci) OR (d.kind = 'departement' AND d.code = c.departement)
     OR (d.kind = 'region' AND d.code = c.region))
  AND NOT EXISTS (SELECT 1 FROM structures_geo g
     WHERE g.min_lat BETWEEN c.latitude - $DLAT AND c.latitude + $DLAT
       AND g.min_lon BETWEEN c.longitude - $DLAT / cos(radians(c.latitude)) AND c.longitude + $DLAT / cos(radians(c.latitude))
       AND g.id IN (SELECT id FROM offer)
       AND 6371 * 2 * asin(sqrt(pow(sin(radians(g.min_lat - c.latitude) / 2), 2) + cos(radians(c.latitude))
           * cos(radians(g.min_lat)) * pow(sin(radians(g.min_lon - c.longitude) / 2), 2))) <= $R)
ORDER BY c.population DESC;
SQL
echo "qfq: $("$QFQ" gaps --theme "$THEME" --departement "$DEP" --radius "$R" --format tsv 2>&1 >/dev/null)"
echo "sqlite3: $(sqlite3 "$DB" <"$T/gaps.sql" | wc -l) communes without an offer"
hyperfine -N -i --warmup 3 --runs ${RUNS:-20} --export-markdown "$T/gaps.md" \
	-n "qfq gaps $DEP" "$QFQ gaps --theme $THEME --departement $DEP --radius $R --format tsv" \
	-n "sqlite3 equivalent" "sqlite3 $DB \".read $T/gaps.sql\""
cat "$T/gaps.md"
