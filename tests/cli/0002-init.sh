#!/bin/bash
# 0002: qfq init loads the reference data, idempotently, into a 0600 file.
. "$(dirname "$0")/lib.sh"

run "$QFQ" init --format tsv
is "init exits 0" "$status" 0
has "init loads 34969 communes" "$TMP/out" "$(printf 'communes\t34969\t34969')"
has "init loads 1255 EPCI" "$TMP/out" "$(printf 'epci\t1255\t1255')"
has "init loads 109 départements and COM" "$TMP/out" "$(printf 'departements\t109\t109')"
has "init loads the former communes" "$TMP/out" "$(printf 'communes_anciennes\t2621\t2621')"
is "database file is mode 0600" "$(stat -c %a "$QFQ_DB")" 600

n=$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM departements WHERE length(code) = 2 OR code IN ('971','972','973','974','976')")
is "101 départements" "$n" 101
n=$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM themes WHERE standard IS NOT NULL")
is "the nine services of the national standard are themes" "$n" 9

run "$QFQ" init --format tsv
is "second init exits 0" "$status" 0
changed=$(awk -F'\t' 'NR > 1 { s += $3 } END { print s }' "$TMP/out")
is "second init changes nothing" "$changed" 0

run "$QFQ" init --format json
has "init --format json gives JSON" "$TMP/out" '"communes": {'

# A file under XDG_DATA_HOME by default, created with its folder.
run env -u QFQ_DB "$QFQ" init --quiet
is "init at the default location exits 0" "$status" 0
check "default database under XDG_DATA_HOME" test -f "$XDG_DATA_HOME/qfq/qfq.db"

# An upgrade in place: a commune renamed in the data is renamed in the store.
mkdir -p "$TMP/data"
cp "$QFQ_SRCDIR"/data/*.csv "$TMP/data/"
sed -i 's/^07186,Privas,/07186,Privas-Test,/' "$TMP/data/communes.csv"
run "$QFQ" init --data "$TMP/data" --format tsv
has "changed data updates one commune" "$TMP/out" "$(printf 'communes\t34969\t1')"
is "the commune is renamed" "$(sqlite3 "$QFQ_DB" "SELECT nom FROM communes WHERE code_insee = '07186'")" "Privas-Test"

done_testing
