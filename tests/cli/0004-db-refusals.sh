#!/bin/bash
# 0004: files that are not a usable qfq database are refused, untouched.
. "$(dirname "$0")/lib.sh"
init_db
cp "$QFQ_DB" "$TMP/good.db"

refused() { # desc file message
	local before after
	chmod 644 "$2"
	before=$(sha256sum "$2" | cut -d' ' -f1)
	run "$QFQ" --db "$2" commune Privas
	is "$1: exit 4" "$status" 4
	has "$1: says why" "$TMP/err" "$3"
	after=$(sha256sum "$2" | cut -d' ' -f1)
	is "$1: file untouched" "$after" "$before"
	check "$1: no WAL file left" test ! -e "$2-wal"
	run "$QFQ" --db "$2" init --quiet
	is "$1: init refuses too" "$status" 4
	is "$1: file untouched by init" "$(sha256sum "$2" | cut -d' ' -f1)" "$before"
	is "$1: its mode untouched too" "$(stat -c %a "$2")" 644
}

printf 'Nom;Structure\nDupont;Mairie\n' >"$TMP/text.db"
refused "a text file" "$TMP/text.db" "not a qfq database"

head -c 50000 "$TMP/good.db" >"$TMP/trunc.db"
refused "a truncated database (SQLite finds it damaged)" "$TMP/trunc.db" "is damaged"

sqlite3 "$TMP/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
refused "another application's database" "$TMP/other.db" "another application"

cp "$TMP/good.db" "$TMP/newer.db"
sqlite3 "$TMP/newer.db" "PRAGMA journal_mode=DELETE; PRAGMA user_version = 99;" >/dev/null
refused "a database from a newer qfq" "$TMP/newer.db" "newer qfq"

run "$QFQ" --db "$TMP/missing.db" commune Privas
is "a missing database: exit 4" "$status" 4
has "a missing database: says to run init" "$TMP/err" "qfq init"
check "a missing database is not created by a query" test ! -e "$TMP/missing.db"

mkdir -p "$TMP/dir.db"
run "$QFQ" --db "$TMP/dir.db" commune Privas
is "a folder: exit 4" "$status" 4

# The good copy still works and is still 0600 after use.
run "$QFQ" --db "$TMP/good.db" commune Privas
is "the good database still answers" "$status" 0
umask 022
run "$QFQ" --db "$TMP/new/sub/q.db" init --quiet
is "init creates parent folders" "$status" 0
is "created with mode 0600 whatever the umask" "$(stat -c %a "$TMP/new/sub/q.db")" 600
is "its folder is private" "$(stat -c %a "$TMP/new/sub")" 700

done_testing
