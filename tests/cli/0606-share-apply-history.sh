#!/bin/bash
# 0606: the history of changes received from another copy. A batch of
# updates alone is applied with the session off and recorded from the batch
# itself (db/share.c apply_batch): its history rows must be the rows the
# sender's own history holds, a row the apply sets aside must not be
# recorded, and the received change set must undo and redo like any other.
# A batch that inserts goes through the session as before.
. "$(dirname "$0")/lib.sh"
demo_db
"$QFQ" share snapshot "$TMP/snap.db" >/dev/null
q a init --from "$TMP/snap.db" --copy-name Réception --quiet
q b init --from "$TMP/snap.db" --copy-name Terrain --quiet
rows() { # copy, change sets (SQL list): its history rows, without ids or sequence
	sq "$1" "SELECT tbl || ' ' || op || ' ' || key || ' ' || ifnull(structure_id, '-') || ' ' || hex(old) || ' ' || hex(new)
		FROM change_rows WHERE change_id IN ($2) ORDER BY tbl, key"
}
S1=$(sq b "SELECT id FROM structures WHERE nom = 'CAPLAB'")
S2=$(sq b "SELECT min(id) FROM structures")
S3=$(sq b "SELECT max(id) FROM structures")
send() { # file: b's new change sets, applied on a (its output in $TMP/out)
	q b share export -o "$TMP/$1" >/dev/null
	run q a share apply "$TMP/$1"
}
tel1=$(sq a "SELECT ifnull(telephone, '') FROM structures WHERE id = $S1")

# Updates only: one searched text among them.
before=$(sq b "SELECT max(id) FROM change_sets")
q b edit structure "$S1" telephone="04 75 00 00 01" >/dev/null
q b edit structure "$S2" presentation_resume="Atelier de calligraphie numérique" >/dev/null
send b1.qfqs
is "a batch of updates applies" "$status" 0
has "it says what it did" "$TMP/out" "2 change sets"
got=$(sq a "SELECT max(id) FROM change_sets")
check "the received changes are one change set of a's history" test -n "$got"
is "its history rows are the sender's own rows, values before and after included" \
	"$(rows a "$got")" "$(rows b "SELECT id FROM change_sets WHERE id > $before")"
check "and there are some" test "$(sq a "SELECT count(*) FROM change_rows WHERE change_id = $got")" -eq 2
run q a log structure "$S1"
has "the structure's log shows the received change" "$TMP/out" "+33475000001"
run q a search calligraphie --format tsv
has "the received text is searchable" "$TMP/out" "$S2"

# Undo and redo of the received change set.
run q a undo "$got"
is "the received change set undoes" "$status" 0
is "the telephone is back" "$(sq a "SELECT ifnull(telephone, '') FROM structures WHERE id = $S1")" "$tel1"
run q a search calligraphie --format tsv
hasnt "the text is out of the search again" "$TMP/out" "$S2"
undo=$(sq a "SELECT max(id) FROM change_sets")
run q a undo "$undo"
is "undoing the undo redoes it" "$status $(sq a "SELECT telephone FROM structures WHERE id = $S1")" "0 +33475000001"

# A row the apply sets aside is not in the history: a's table refuses one
# value (a trigger raising a constraint error, as a unique index would).
sq a "CREATE TRIGGER refuse_tel BEFORE UPDATE OF telephone ON structures
	WHEN NEW.telephone = '+33475000099' BEGIN SELECT RAISE(ABORT, 'refused'); END;"
tel2=$(sq a "SELECT ifnull(telephone, '') FROM structures WHERE id = $S2")
tel3=$(sq a "SELECT ifnull(telephone, '') FROM structures WHERE id = $S3")
q b edit structure "$S3" telephone="04 75 00 00 99" >/dev/null
q b edit structure "$S2" telephone="04 75 00 00 02" >/dev/null
send b2.qfqs
is "the batch applies, one row set aside" "$status" 0
has "the report counts it" "$TMP/out" "1 set aside"
got2=$(sq a "SELECT max(id) FROM change_sets")
is "the refused row stays as it was" "$(sq a "SELECT ifnull(telephone, '') FROM structures WHERE id = $S3")" "$tel3"
is "the history holds the applied row, not the refused one" \
	"$(sq a "SELECT group_concat(key) FROM change_rows WHERE change_id = $got2")" "$S2"
run q a undo "$got2"
is "that change set undoes too" "$status $(sq a "SELECT ifnull(telephone, '') FROM structures WHERE id = $S2")" "0 $tel2"
sq a "DROP TRIGGER refuse_tel"

# A batch that inserts is recorded by the session: the new structure's row is there.
q b add structure --nom "Espace numérique de Vals" --commune "Vals-les-Bains" >/dev/null
q b edit structure "$S1" site_web="https://exemple.fr/" >/dev/null
send b3.qfqs
got3=$(sq a "SELECT max(id) FROM change_sets")
is "an insert and an update: both in the history" \
	"$(sq a "SELECT group_concat(tbl || ':' || op, ' ') FROM (SELECT tbl, op FROM change_rows WHERE change_id = $got3 AND tbl = 'structures' ORDER BY op)")" \
	"structures:insert structures:update"
done_testing
