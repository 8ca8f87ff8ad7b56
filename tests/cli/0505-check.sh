#!/bin/bash
# 0505: qfq check: integrity and the data-quality report (stale entries,
# missing hours/contact/themes, no members or territory, persons in no
# structure, coordinates far from their commune, open merge proposals) as a
# table or CSV; --sheets DIR writes one verification sheet per structure.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
db() { sqlite3 "$QFQ_DB" "$1"; }
S=$(db "SELECT id FROM structures WHERE nom = 'CAPLAB'")
"$QFQ" edit structure "$S" commune=Privas coordonnees="48.8566, 2.3522" horaires= >/dev/null
P=$("$QFQ" add person --nom Orphelin --prenom Jeanne)
run "$QFQ" check --format csv
is "check exits 0" "$status" 0
has "CSV header" "$TMP/out" "kind,entity,id,nom,commune,detail"
has "stale places are listed" "$TMP/out" "stale,structure,"
has "far coordinates are found" "$TMP/out" "coords,structure,$S,CAPLAB,"
has "missing hours" "$TMP/out" "hours,structure,$S,CAPLAB"
has "a person in no structure" "$TMP/out" "person,person,$P,Jeanne Orphelin"
has "open merge proposals" "$TMP/out" "merge,structure,"
has "the counts on standard error" "$TMP/err" "integrity: ok"
is "stale: as many as the query says" "$(grep -c '^stale,' "$TMP/out")" "$(db "SELECT count(*) FROM structures WHERE coalesce(date_maj, substr(updated_at, 1, 10)) < date('now', '-12 months')")"
run "$QFQ" check --format csv --months 600
is "--months: nothing is 50 years old" "$(grep -c '^stale,' "$TMP/out")" 0
run "$QFQ" check --months 0
is "--months 0 is a usage error" "$status" 2
run "$QFQ" check --sheets "$TMP/sheets"
is "--sheets exits 0" "$status" 0
is "one sheet per structure" "$(ls "$TMP/sheets" | wc -l)" "$(db "SELECT count(*) FROM structures")"
F=$(ls "$TMP/sheets"/*-caplab.txt)
has "a sheet holds the card" "$F" "CAPLAB (#$S)"
has "...and what to check" "$F" "from the centre of its commune"
is "sheets are private (0600)" "$(stat -c %a "$F")" 600
cp "$QFQ_DB" "$TMP/bad.db"
sqlite3 "$TMP/bad.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
P2=$(sqlite3 "$TMP/bad.db" "SELECT rootpage FROM sqlite_schema WHERE name = 'structures_nom'")
dd if=/dev/urandom of="$TMP/bad.db" bs=4096 seek=$((P2 - 1)) count=1 conv=notrunc status=none
QFQ_DB="$TMP/bad.db" run "$QFQ" check
is "a damaged file exits 4" "$status" 4
has "...and says to restore a backup" "$TMP/err" "damaged"
done_testing
