#!/bin/bash
# bench/search.sh: `qfq search` on a national-scale directory (100,000
# structures, 300,000 persons; bench/gen-national.py), for several query
# shapes, each against the bare sqlite3 CLI running the equivalent SQL on
# the same file in the same hyperfine run. Targets (issue 5): median under
# 15 ms end to end, within 1.5x of sqlite3, max RSS under 32 MB.
#
#   bash bench/search.sh [build-dir]
#   BENCH_DB=/path/nat.db bash bench/search.sh   (reuse a generated directory)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
QFQ=$PWD/$B/qfq
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=${BENCH_DB:-$T/nat.db}
export QFQ_DB=$DB

if [ ! -s "$DB" ]; then
	echo "== generating the national directory into $DB (about a minute)"
	"$QFQ" init --quiet
	python3 bench/gen-national.py "$DB"
	/usr/bin/time -f "qfq reindex: %e s, max RSS %M KB" "$QFQ" reindex
fi
sqlite3 "$DB" "SELECT count(*) || ' structures, ' || (SELECT count(*) FROM persons) || ' persons' FROM structures"

# The commune centre, its EPCI and the theme ids, read once: the SQL below
# is what a person fluent in SQL would type against this schema.
read -r LA LO EPCI <<<"$(sqlite3 -separator ' ' "$DB" "SELECT latitude, longitude, epci FROM communes WHERE code_insee = '69123'")"
DLAT=$(python3 -c "print(20 / 6371 / 0.017453292519943295)")
DLON=$(python3 -c "import math; print(20 / 6371 / 0.017453292519943295 / math.cos(math.radians($LA)))")
DIST="6371 * 2 * asin(sqrt(pow(sin(radians(g.min_lat - $LA) / 2), 2) + cos(radians($LA)) * cos(radians(g.min_lat)) * pow(sin(radians(g.min_lon - $LO) / 2), 2)))"
BOX="g.min_lat BETWEEN $LA - $DLAT AND $LA + $DLAT AND g.min_lon BETWEEN $LO - $DLON AND $LO + $DLON"
# the places of a radius, plus those declaring they serve the commune, its EPCI or département
# (t = 1: declared; its distance is shown but does not exclude it)
NEAR="SELECT id, d, t FROM (SELECT g.id, $DIST AS d, 0 AS t FROM structures_geo g WHERE $BOX) WHERE d <= 20
UNION ALL SELECT g.id, $DIST, 1 FROM structure_territories t JOIN structures_geo g ON g.id = t.structure_id
 WHERE (t.kind = 'commune' AND t.code = '69123') OR (t.kind = 'epci' AND t.code = '$EPCI') OR (t.kind = 'departement' AND t.code = '69')"
SUBTREE="WITH RECURSIVE th(id) AS (SELECT id FROM themes WHERE slug = '%s' UNION ALL SELECT t.id FROM themes t JOIN th ON t.parent_id = th.id)"

cat >"$T/theme.sql" <<SQL
$(printf "$SUBTREE" aide-demarches-administratives),
near(id, d, t) AS ($NEAR)
SELECT s.id, s.nom, c.nom, round(min(near.d), 1), s.telephone
FROM near JOIN structures s ON s.id = near.id LEFT JOIN communes c ON c.code_insee = s.code_insee
WHERE EXISTS (SELECT 1 FROM structure_themes st WHERE st.structure_id = s.id AND st.theme_id IN (SELECT id FROM th))
GROUP BY s.id ORDER BY min(near.d) LIMIT 20;
SQL
cat >"$T/text.sql" <<SQL
SELECT s.id, s.nom, c.nom, s.telephone
FROM (SELECT rowid AS id, bm25(structures_fts, 10.0, 1.0) AS r FROM structures_fts
      WHERE structures_fts MATCH '"mission"* "locale"*' ORDER BY r LIMIT 20) f
JOIN structures s ON s.id = f.id LEFT JOIN communes c ON c.code_insee = s.code_insee ORDER BY f.r;
SQL
# Tuesday 10:00 is minute 1440 + 600 of the week
cat >"$T/open.sql" <<SQL
$(printf "$SUBTREE" demarches-caf),
anc(id) AS (SELECT parent_id FROM themes WHERE slug = 'demarches-caf'),
near(id, d, t) AS ($NEAR)
SELECT s.id, s.nom, c.nom, round(min(near.d), 1),
 (SELECT max(h.start_min <= 2040 AND h.end_min > 2040) FROM structure_hours h WHERE h.structure_id = s.id) AS ouvert
FROM near JOIN structures s ON s.id = near.id LEFT JOIN communes c ON c.code_insee = s.code_insee
WHERE EXISTS (SELECT 1 FROM structure_themes st WHERE st.structure_id = s.id
              AND st.theme_id IN (SELECT id FROM th UNION SELECT id FROM anc))
GROUP BY s.id
ORDER BY CASE ouvert WHEN 1 THEN 0 WHEN 0 THEN 1 ELSE 2 END,
 NOT EXISTS (SELECT 1 FROM structure_themes st WHERE st.structure_id = s.id AND st.theme_id IN (SELECT id FROM th)),
 min(near.d) LIMIT 20;
SQL
cat >"$T/persons.sql" <<SQL
$(printf "$SUBTREE" smartphone-tablette),
anc(id) AS (SELECT parent_id FROM themes WHERE slug = 'smartphone-tablette'),
near(id, d, t) AS ($NEAR)
SELECT p.id, p.nom, p.prenom, round(min(near.d), 1)
FROM near JOIN memberships m ON m.structure_id = near.id JOIN persons p ON p.id = m.person_id
WHERE (m.fin IS NULL OR m.fin >= date('now'))
  AND (EXISTS (SELECT 1 FROM person_themes pt WHERE pt.person_id = p.id
               AND pt.theme_id IN (SELECT id FROM th UNION SELECT id FROM anc))
       OR EXISTS (SELECT 1 FROM structure_themes st WHERE st.structure_id = m.structure_id
               AND st.theme_id IN (SELECT id FROM th UNION SELECT id FROM anc)))
GROUP BY p.id
ORDER BY NOT EXISTS (SELECT 1 FROM person_themes pt WHERE pt.person_id = p.id
                     AND pt.theme_id IN (SELECT id FROM th UNION SELECT id FROM anc)),
 min(near.d), p.id LIMIT 20;
SQL

run_shape() { # name sqlfile qfq-args...
	local name=$1 sql=$2
	shift 2
	echo
	echo "== $name"
	"$QFQ" search --format tsv --limit 20 "$@" >"$T/q.out" || true
	sqlite3 "$DB" <"$sql" >"$T/s.out"
	echo "   rows: qfq $(($(wc -l <"$T/q.out") - 1)), sqlite3 $(wc -l <"$T/s.out"), same ids:" \
		"$(comm -12 <(tail -n +2 "$T/q.out" | cut -f1 | sort) <(cut -d'|' -f1 "$T/s.out" | sort) | wc -l)"
	[ "${BENCH_RUNS:-30}" = 0 ] && return
	hyperfine -N --warmup 3 --runs "${BENCH_RUNS:-30}" --export-json "$T/$name.json" \
		-n "qfq search $*" "$QFQ search --format tsv --limit 20 $(printf "'%s' " "$@")" \
		-n "sqlite3 (equivalent SQL)" "sqlite3 $DB '.read $sql'" 2>&1 | grep -vE '^ *$'
	python3 - "$T/$name.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
q, s = r[0]["median"] * 1000, r[1]["median"] * 1000
print("   median: qfq %.1f ms, sqlite3 %.1f ms, ratio %.2f" % (q, s, q / s))
PY
	/usr/bin/time -f "   max RSS: %M KB" "$QFQ" search --format tsv --limit 20 "$@" >/dev/null
}

# hyperfine -N runs commands without a shell: quote arguments with spaces
run_shape theme-commune-radius "$T/theme.sql" --theme démarches --commune Lyon --radius 20
run_shape text "$T/text.sql" "mission locale"
run_shape open-at "$T/open.sql" --theme caf --commune Lyon --radius 20 --open-at "mardi 10:00"
run_shape persons "$T/persons.sql" --persons --theme smartphone --commune Lyon --radius 20
