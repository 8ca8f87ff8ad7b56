#!/bin/bash
# bench/roster-import.sh: `qfq import roster` of a generated 100,000-row
# roster (bench/gen-roster.py) against `sqlite3 .import` of the same file
# into a bare table, in the same run (issue 3: target within 3x).
#
#   bash bench/roster-import.sh [build-dir] [rows]   (hyperfine must be installed)
#
# Both start from the same state every run: qfq from a freshly initialized
# database (reference data loaded, no person yet), sqlite3 from no file.
# qfq does much more per row (name parsing and keys, matching, structures
# with commune and typology, memberships, the search index, near-duplicate
# proposals) in one transaction; sqlite3 only stores the text.
. "$(dirname "$0")/lib.sh"
N=${2:-100000}

python3 bench/gen-roster.py "$N" >"$T/roster.csv"
echo "== $(($(wc -l <"$T/roster.csv") - 1)) rows, $(du -h "$T/roster.csv" | cut -f1)"
"$QFQ" --db "$T/template.db" init --quiet

# A floor for the data model itself: the sqlite3 CLI importing the file and
# copying it, without any matching, into qfq's own tables (persons,
# structures, memberships and their indexes), in one transaction.
cat >"$T/floor.sql" <<SQL
PRAGMA cache_size = -131072;
BEGIN;
.mode csv
.import --schema temp $T/roster.csv t
INSERT INTO persons(nom, prenom, name_key, courriels, telephones)
  SELECT "Nom prénom", '', lower("Nom prénom") || rowid, "Courriel", "Téléphone" FROM temp.t;
INSERT INTO structures(nom, nom_norm) SELECT DISTINCT Structure, lower(Structure) FROM temp.t;
INSERT INTO memberships(person_id, structure_id, role)
  SELECT t.rowid, (SELECT id FROM structures s WHERE s.nom_norm = lower(t.Structure)), Fonction FROM temp.t t;
COMMIT;
SQL

hyperfine -N --warmup 1 --runs 5 \
	--prepare "sh -c 'cp $T/template.db $T/q.db; cp $T/template.db $T/f.db; rm -f $T/q.db-wal $T/q.db-shm $T/f.db-wal $T/f.db-shm $T/bare.db'" \
	-n "qfq import roster ($N rows)" "$QFQ --db $T/q.db import roster $T/roster.csv --quiet" \
	-n "sqlite3 .import (bare table)" "sqlite3 $T/bare.db -cmd '.mode csv' '.import $T/roster.csv t'" \
	-n "sqlite3 .import + copy into qfq's tables (no matching)" "sqlite3 $T/f.db '.read $T/floor.sql'" \
	--export-json "$T/h.json"
python3 - "$T/h.json" <<'P'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
q, s, f = r[0]["mean"], r[1]["mean"], r[2]["mean"]
print("qfq %.3f s, sqlite3 bare %.3f s: qfq takes %.1fx the bare import (target: 3x)" % (q, s, q / s))
print("sqlite3 into qfq's tables %.3f s (%.1fx the bare import): qfq takes %.1fx that floor" % (f, f / s, q / f))
P

echo "== re-importing the same file (everything matched, nothing written)"
cp "$T/template.db" "$T/q.db"
"$QFQ" --db "$T/q.db" import roster "$T/roster.csv" --quiet
hyperfine -N --warmup 1 --runs 5 -n "qfq import roster again ($N rows)" \
	"$QFQ --db $T/q.db import roster $T/roster.csv --quiet"
