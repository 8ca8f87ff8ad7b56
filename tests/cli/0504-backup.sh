#!/bin/bash
# 0504: qfq backup and qfq restore: a backup taken while an import writes is
# consistent (passes qfq check, holds the state before or after the import,
# nothing in between); restore checks the file first (not SQLite, another
# application's, a newer schema: refused, nothing replaced), keeps the
# replaced database aside, and is recorded in the history.
. "$(dirname "$0")/lib.sh"
demo_db
db() { sqlite3 "$QFQ_DB" "$1"; }
# A places file big enough for the import to take a while: the sample's rows, many times.
python3 - "$QFQ_SRCDIR/data/samples/lieux-ardeche-2022.csv" "$TMP/big.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(rows[0])
    for k in range(100):
        for r in rows[1:]:
            r2 = list(r)
            r2[0] = "%s-%d" % (r[0], k)
            r2[1] = "%s %d" % (r[1], k)
            w.writerow(r2)
PY
BEFORE=$(db "SELECT count(*) FROM structures")
"$QFQ" import lieux "$TMP/big.csv" --quiet >"$TMP/import.out" 2>&1 &
IMPORT=$!
n=0
while kill -0 "$IMPORT" 2>/dev/null && [ $n -lt 20 ]; do
	n=$((n + 1))
	"$QFQ" backup "$TMP/during-$n.db" >/dev/null 2>>"$TMP/backup.err" || echo "backup $n failed" >>"$TMP/backup.err"
done
wait "$IMPORT"
is "the import succeeded" "$?" 0
AFTER=$(db "SELECT count(*) FROM structures")
check "the import added structures" test "$AFTER" -gt "$BEFORE"
is "every backup during the import succeeded" "$(cat "$TMP/backup.err" 2>/dev/null)" ""
echo "# $n backup(s) taken during the import"
bad=0
for f in "$TMP"/during-*.db; do
	[ -f "$f" ] || continue
	c=$(sqlite3 "$f" "SELECT count(*) FROM structures")
	[ "$c" = "$BEFORE" ] || [ "$c" = "$AFTER" ] || { bad=$((bad + 1)); echo "# $f: $c structures"; }
	QFQ_DB="$f" "$QFQ" check >/dev/null 2>"$TMP/check.err" || { bad=$((bad + 1)); cat "$TMP/check.err"; }
	[ "$(stat -c %a "$f")" = 600 ] || bad=$((bad + 1))
done
is "each backup holds the state before or after the import, passes qfq check, mode 0600" "$bad" 0
run "$QFQ" backup "$TMP/during-1.db"
is "backup onto an existing file is refused" "$status" 2

"$QFQ" backup "$TMP/full.db" >/dev/null
is "a backup is one file (no -wal needed)" "$(sqlite3 "$TMP/full.db" "PRAGMA journal_mode")" delete
S=$(db "SELECT id FROM structures WHERE nom = 'CAPLAB'")
"$QFQ" edit structure "$S" telephone=0475000000 >/dev/null

# Files that must be refused, the database untouched.
sqlite3 "$QFQ_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$QFQ_DB" "$TMP/live.copy"
refused() { # desc file text
	run "$QFQ" restore "$2"
	is "$1: exit 3" "$status" 3
	has "$1: says why" "$TMP/err" "$3"
	check "$1: nothing replaced" cmp -s "$QFQ_DB" "$TMP/live.copy"
}
echo "not a database" >"$TMP/text.db"
refused "a text file" "$TMP/text.db" "not an SQLite file"
sqlite3 "$TMP/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1)"
refused "another application's SQLite file" "$TMP/other.db" "another application"
cp "$TMP/full.db" "$TMP/newer.db"
sqlite3 "$TMP/newer.db" "PRAGMA user_version = 999"
refused "a newer schema" "$TMP/newer.db" "schema version 999"
head -c 8192 "$TMP/full.db" >"$TMP/cut.db"
run "$QFQ" restore "$TMP/cut.db"
is "a truncated file is refused" "$status" 3
check "...nothing replaced" cmp -s "$QFQ_DB" "$TMP/live.copy"
run "$QFQ" restore "$TMP/missing.db"
is "a missing file is refused" "$status" 3
is "no file was kept aside for a refused restore" "$(ls "$QFQ_DB".avant-restauration-* 2>/dev/null | wc -l)" 0

run "$QFQ" restore "$TMP/full.db"
is "restore exits 0" "$status" 0
is "the restored state (before the edit)" "$(db "SELECT ifnull(telephone, '') FROM structures WHERE id = $S")" "$(sqlite3 "$TMP/full.db" "SELECT ifnull(telephone, '') FROM structures WHERE id = $S")"
ASIDE=$(ls "$QFQ_DB".avant-restauration-* 2>/dev/null | head -n 1)
check "the replaced database is kept aside" test -f "$ASIDE"
is "...holding the edit" "$(sqlite3 "$ASIDE" "SELECT telephone FROM structures WHERE id = $S")" "+33475000000"
has "restore says where" "$TMP/out" "kept in"
run "$QFQ" log
has "the restore is in the history" "$TMP/out" "restauration de"
run "$QFQ" check
is "the restored database passes qfq check" "$status" 0
done_testing
