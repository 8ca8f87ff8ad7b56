#!/bin/bash
# bench/stats.sh: `qfq stats` over 1,000,000 generated referrals
# (bench/gen-referrals.py) on a national-scale directory, against the bare
# sqlite3 CLI running the equivalent SQL (one GROUP BY per table, the same
# tables and top-10 cuts) on the same file in the same hyperfine run.
# Target (issue 13): under 1 s.
#
#   BENCH_DB=/path/copy-of-national.db bash bench/stats.sh [build-dir]
# (a copy: the referrals are added to it once, and qfq upgrades its schema)
. "$(dirname "$0")/lib.sh"
national_db
"$QFQ" orientations --format tsv --since 2999-01-01 >/dev/null 2>&1 || true   # schema up to date
if [ "$(sqlite3 "$DB" "SELECT count(*) FROM referrals")" -lt 1000000 ]; then
	echo "== generating 1,000,000 referrals into $DB (a few minutes)"
	python3 bench/gen-referrals.py "$DB" 1000000
fi
sqlite3 "$DB" "SELECT count(*) || ' referrals' FROM referrals"

cat >"$T/stats.sql" <<'SQL'
SELECT count(*), sum(status = 'realisee') * 1.0 / count(*),
  avg(CASE WHEN status = 'realisee' THEN julianday(status_date) - julianday(date) END) FROM referrals;
SELECT status, count(*) FROM referrals GROUP BY status;
SELECT t.label, count(*), sum(r.status = 'realisee') FROM referrals r LEFT JOIN themes t ON t.id = r.theme_id
  GROUP BY r.theme_id ORDER BY 2 DESC LIMIT 10;
SELECT substr(date, 1, 7), count(*), sum(status = 'realisee') FROM referrals GROUP BY 1 ORDER BY 1;
SELECT c.nom, x.n, x.r FROM (SELECT from_commune k, count(*) n, sum(status = 'realisee') r FROM referrals
  GROUP BY from_commune ORDER BY n DESC LIMIT 10) x LEFT JOIN communes c ON c.code_insee = x.k;
SELECT c.nom, x.n, x.r FROM (SELECT to_commune k, count(*) n, sum(status = 'realisee') r FROM referrals
  GROUP BY to_commune ORDER BY n DESC LIMIT 10) x LEFT JOIN communes c ON c.code_insee = x.k;
SELECT e.nom, count(*) n FROM referrals r JOIN communes c ON c.code_insee = r.from_commune
  JOIN epci e ON e.siren = c.epci GROUP BY c.epci ORDER BY n DESC LIMIT 10;
SELECT e.nom, count(*) n FROM referrals r JOIN communes c ON c.code_insee = r.to_commune
  JOIN epci e ON e.siren = c.epci GROUP BY c.epci ORDER BY n DESC LIMIT 10;
SELECT a.nom, b.nom, x.n FROM (SELECT from_structure_id f, to_structure_id t, count(*) n FROM referrals
  GROUP BY 1, 2 ORDER BY n DESC LIMIT 10) x LEFT JOIN structures a ON a.id = x.f LEFT JOIN structures b ON b.id = x.t;
SELECT t.label, count(*) n FROM referrals r LEFT JOIN themes t ON t.id = r.theme_id
  WHERE r.status = 'sans_solution' GROUP BY r.theme_id ORDER BY n DESC LIMIT 10;
SQL
hyperfine -N --warmup 1 --runs ${RUNS:-5} --export-markdown "$T/stats.md" \
	-n "qfq stats" "$QFQ stats --format tsv" \
	-n "sqlite3 equivalent" "sqlite3 $DB \".read $T/stats.sql\""
cat "$T/stats.md"
