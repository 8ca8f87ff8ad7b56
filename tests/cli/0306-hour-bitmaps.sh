#!/bin/bash
# 0306: the half-hour bitmaps of who is open (db/hoursets.h) give the same
# "open at" answers as the spans, at whole and part half-hours, and are
# never stale: any change to structure_hours by another SQLite client
# empties them (the search then reads the spans) and the next qfq write
# rebuilds them.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
DB=$QFQ_DB
is "the demo has every bitmap: has-hours, evaluate-exactly, has-PH, and whole and part for 336 half-hours" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM hour_bitmaps")" 675
check "some place of the sample is open part of a half-hour (e.g. from 09:15)" \
	test "$(sqlite3 "$DB" "SELECT count(*) FROM hour_bitmaps WHERE kind = 1 AND length(bits) > 0")" -gt 0

cp "$DB" "$TMP/spans.db"
sqlite3 "$TMP/spans.db" "DELETE FROM hour_bitmaps"
# mardi 09:15 and 09:14 sit either side of the MJC's opening (Tu 09:15); 12:45 is
# a lunch hour; dimanche 03:00 nobody; samedi 14:00 the 26FK's afternoon
for when in "mardi 09:14" "mardi 09:15" "mardi 12:45" "jeudi 16:00" "samedi 14:00" "dimanche 03:00"; do
	"$QFQ" --db "$DB" search --format tsv --theme démarches --open-at "$when" >"$TMP/a" 2>&1
	"$QFQ" --db "$TMP/spans.db" search --format tsv --theme démarches --open-at "$when" >"$TMP/b" 2>&1
	is "open at $when: the bitmaps and the spans agree" "$(cat "$TMP/a")" "$(cat "$TMP/b")"
done
"$QFQ" --db "$DB" search --format tsv --theme démarches --open-at "mardi 09:15" >"$TMP/a"
is "mardi 09:15: the MJC of La Voulte is open" \
	"$(awk -F'\t' '$2 ~ /MJC/ { print $16 }' "$TMP/a")" true
"$QFQ" --db "$DB" search --format tsv --theme démarches --open-at "mardi 09:14" >"$TMP/a"
is "mardi 09:14: it is not yet (left out)" "$(awk -F'\t' '$2 ~ /MJC/ { print $16 }' "$TMP/a")" ""
is "a read never writes bitmaps" "$(sqlite3 "$TMP/spans.db" "SELECT count(*) FROM hour_bitmaps")" 0

# The hours of a place change (another client edits the text, then `qfq
# reindex`, as for every derived index): the place that ranks last on
# Sunday night becomes open then.
"$QFQ" search --format tsv --theme démarches >"$TMP/a"
sid=$(tail -n 1 "$TMP/a" | cut -f1)
sqlite3 "$DB" "UPDATE structures SET horaires = 'Su 02:50-03:20' WHERE id = $sid"
run "$QFQ" reindex
is "reindex rebuilds every bitmap" "$(sqlite3 "$DB" "SELECT count(*) FROM hour_bitmaps")" 675
"$QFQ" search --format tsv --theme démarches --open-at "dimanche 03:00" >"$TMP/a"
is "open on Sunday at 03:00, it ranks first" "$(sed -n 2p "$TMP/a" | cut -f1)" "$sid"
is "and says so" "$(sed -n 2p "$TMP/a" | cut -f16)" true
cp "$DB" "$TMP/spans2.db"
sqlite3 "$TMP/spans2.db" "DELETE FROM hour_bitmaps"
for when in "dimanche 03:00" "dimanche 03:19" "dimanche 03:20" "dimanche 02:49"; do
	"$QFQ" --db "$DB" search --format tsv --theme démarches --open-at "$when" >"$TMP/a" 2>&1
	"$QFQ" --db "$TMP/spans2.db" search --format tsv --theme démarches --open-at "$when" >"$TMP/b" 2>&1
	is "after the change, open at $when: the rebuilt bitmaps and the spans agree" "$(cat "$TMP/a")" "$(cat "$TMP/b")"
done
# a bitmap missing (say a client deleted it) is rebuilt by the next qfq write
sqlite3 "$DB" "DELETE FROM hour_bitmaps WHERE slot = 0"
run "$QFQ" reindex
is "a missing bitmap is rebuilt at the next write" "$(sqlite3 "$DB" "SELECT count(*) FROM hour_bitmaps")" 675
is "the database passes the integrity check" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok

done_testing
