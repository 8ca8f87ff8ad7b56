#!/bin/bash
# 0008: qfq trusts SQLite about its own file. The state of a checkpoint in
# progress (the main file's header already counts pages that only the WAL
# holds) is a healthy database; a database in a folder the user may only
# read is searched and shown; files opened for writing are made private;
# a writer that waits too long says who holds the database.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
db() { sqlite3 "$QFQ_DB" "$1"; }

# --- The checkpoint state (issue 14: searches failed with "is truncated").
# A python connection keeps the database open with automatic checkpoints
# off, grows it by a few megabytes (the new pages are only in the WAL),
# then copies the newest page 1 from the WAL into the main file, as a
# checkpoint does first: the main file's header now counts more pages than
# the main file has. While it holds that state, qfq commands run.
cat >"$TMP/checkpoint.py" <<'PY'
import os, sqlite3, struct, subprocess, sys
path, qfq, out = sys.argv[1], sys.argv[2], sys.argv[3]
con = sqlite3.connect(path, isolation_level=None)
con.execute("PRAGMA wal_autocheckpoint = 0")
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.execute("BEGIN IMMEDIATE")
for i in range(40):
    con.execute("INSERT INTO meta(key, value) VALUES (?, ?)", ("i14-padding-%d" % i, "x" * 100000))
con.execute("COMMIT")
wal = open(path + "-wal", "rb").read()
page_size = struct.unpack(">I", wal[8:12])[0]
page1 = None
off = 32
while off + 24 + page_size <= len(wal):
    if struct.unpack(">I", wal[off:off + 4])[0] == 1:
        page1 = wal[off + 24:off + 24 + page_size]
    off += 24 + page_size
main_size = os.path.getsize(path)
pages = struct.unpack(">I", page1[28:32])[0]
with open(path, "r+b") as f:
    f.write(page1)
with open(out, "w") as log:
    log.write("state %d %d\n" % (main_size, pages * page_size))
    for args in (["commune", "Privas"], ["search", "--theme", "démarches", "--commune", "Privas"],
                 ["show", "1"], ["search", "caf"]):
        r = subprocess.run([qfq] + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        log.write("%s %d\n" % (args[0], r.returncode))
        open(out + ".err", "ab").write(r.stderr)
con.close()
PY
run python3 "$TMP/checkpoint.py" "$QFQ_DB" "$QFQ" "$TMP/cp.log"
is "the checkpoint state is built" "$status" 0
read -r _ main_size header_size < <(grep '^state' "$TMP/cp.log")
check "the main file is shorter than its header says ($main_size < $header_size)" test "$main_size" -lt "$header_size"
is "commune answers in that state" "$(grep '^commune' "$TMP/cp.log")" "commune 0"
is "search answers in that state" "$(grep '^search 0' "$TMP/cp.log" | wc -l)" 2
is "show answers in that state" "$(grep '^show' "$TMP/cp.log")" "show 0"
hasnt "nobody is told to restore a backup" "$TMP/cp.log.err" "backup"
is "the database is intact" "$(db 'PRAGMA integrity_check')" "ok"
is "the writer's rows are all there" "$(db "SELECT count(*) FROM meta WHERE key LIKE 'i14-padding-%'")" 40
db "DELETE FROM meta WHERE key LIKE 'i14-padding-%'"

# --- A damaged file is still refused, in SQLite's words.
cp "$QFQ_DB" "$TMP/cut.db"
sqlite3 "$TMP/cut.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
truncate -s 60000 "$TMP/cut.db"
run "$QFQ" --db "$TMP/cut.db" search caf
is "a cut file: exit 4" "$status" 4
has "a cut file: SQLite finds it damaged" "$TMP/err" "is damaged"
has "a cut file: the advice keeps the data" "$TMP/err" "keep a copy"

# --- 0600: files opened for writing are made private, with a warning.
umask 022
cp "$QFQ_DB" "$TMP/wide.db"
chmod 644 "$TMP/wide.db"
run "$QFQ" --db "$TMP/wide.db" search caf
is "a reader leaves the mode alone" "$(stat -c %a "$TMP/wide.db")" 644
run "$QFQ" --db "$TMP/wide.db" import roster "$QFQ_SRCDIR/data/rosters/2024-07-10-privas.csv" --quiet
is "an import of a 0644 database works" "$status" 0
is "the database is now 0600" "$(stat -c %a "$TMP/wide.db")" 600
has "with a warning naming the file" "$TMP/err" "wide.db\" could be read by other users (mode 0644): now 0600"
for f in "$TMP/wide.db-wal" "$TMP/wide.db-shm"; do
	[ -e "$f" ] && is "$(basename "$f") is private" "$(stat -c %a "$f")" 600
done
rm -f "$TMP/touched.db"
touch "$TMP/touched.db"
run "$QFQ" --db "$TMP/touched.db" init --quiet
is "init on a touch-created file works" "$status" 0
is "it is now 0600" "$(stat -c %a "$TMP/touched.db")" 600
has "with a warning" "$TMP/err" "now 0600"
run "$QFQ" --db "$TMP/wide.db" import roster "$QFQ_SRCDIR/data/rosters/2024-07-10-privas.csv" --quiet
is "no warning once private" "$(cat "$TMP/err")" ""

run "$QFQ" export lieux --output "$TMP/export.csv"
is "an export file is made 0600 whatever the umask" "$(stat -c %a "$TMP/export.csv")" 600

# --- A database the user may only read, in a folder the user may only read.
ro="$TMP/ro"
mkdir -p "$ro"
cp "$QFQ_DB" "$ro/q.db"
sqlite3 "$ro/q.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
rm -f "$ro/q.db-wal" "$ro/q.db-shm"
before=$(sha256sum "$ro/q.db" | cut -d' ' -f1)
if [ "$(id -u)" -eq 0 ]; then
	# root reads everything: run qfq as nobody, on a copy of the binary it may read
	chmod 755 "$TMP"
	cp "$QFQ" "$TMP/qfq-ro"
	chmod 644 "$ro/q.db"
	as_reader() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/ "$TMP/qfq-ro" "$@"; }
else
	chmod 444 "$ro/q.db"
	as_reader() { "$QFQ" "$@"; }
fi
chmod 555 "$ro"
run as_reader --db "$ro/q.db" search caf
is "read-only: search exits 0" "$status" 0
is "read-only: no error" "$(cat "$TMP/err")" ""
has "read-only: search finds" "$TMP/out" "CAF"
run as_reader --db "$ro/q.db" show 1
is "read-only: show exits 0" "$status" 0
run as_reader --db "$ro/q.db" --plain <<<"caf"
is "read-only: the --plain dialogue exits 0" "$status" 0
run as_reader --db "$ro/q.db" commune Privas
is "read-only: commune exits 0" "$status" 0
run as_reader --db "$ro/q.db" import roster "$QFQ_SRCDIR/data/rosters/2024-07-10-privas.csv" --quiet
is "read-only: an import is refused (exit 4)" "$status" 4
check "read-only: with a message" test -s "$TMP/err"
is "read-only: the file is untouched" "$(sha256sum "$ro/q.db" | cut -d' ' -f1)" "$before"
check "read-only: no -wal made" test ! -e "$ro/q.db-wal"
chmod 755 "$ro"

# --- A writer that waits too long names what holds the database.
python3 - "$QFQ_DB" "$TMP/locked" <<'PY' &
import sqlite3, sys, time, os
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(8)
con.execute("ROLLBACK")
PY
holder=$!
for _ in $(seq 100); do [ -e "$TMP/locked" ] && break; sleep 0.1; done
run env QFQ_LOCK_TIMEOUT=1 "$QFQ" import roster "$QFQ_SRCDIR/data/rosters/2024-07-10-privas.csv" --quiet
is "a locked database: exit 4" "$status" 4
has "the message says it is busy" "$TMP/err" "is busy"
has "the message names the process" "$TMP/err" "process $holder ("
has "and its command line" "$TMP/err" "python3 - $QFQ_DB"
has "the message says how long it waited" "$TMP/err" "more than 1 s"
run "$QFQ" search caf
is "a reader does not wait for the writer" "$status" 0
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null

done_testing
