#!/bin/bash
# 0604: an import of many places is recorded in bulk (issue 11). Its new
# places are one range of ids on its change set (no history row each),
# their values read
# from the tables at commit and sent to the other copies in pieces of
# bounded size; the places it updates are recorded field by field as
# before. A copy that applies the import ends with the same shared tables;
# undo and redo of an import restore the directory exactly, on both copies.
. "$(dirname "$0")/lib.sh"
gen() { # count seed
	python3 "$QFQ_SRCDIR/tests/data/lieux/gen_lieux.py" --form 1 --count "$1" --seed "$2" --departements all \
		--communes "$QFQ_SRCDIR/data/communes.csv"
}
rows() { # copy: the directory's own rows, in local ids
	sqlite3 "$TMP/$1.db" "SELECT * FROM structures ORDER BY id; SELECT * FROM structure_themes ORDER BY 1, 2"
}
derived() {
	sqlite3 "$TMP/$1.db" "SELECT * FROM structures_geo ORDER BY id; SELECT rowid, * FROM structures_fts ORDER BY rowid;
		SELECT * FROM structure_hours ORDER BY 1, 2; SELECT theme_id, kind, hex(bits) FROM theme_bitmaps ORDER BY 1, 2"
}
last_change() { sq "$1" "SELECT max(id) FROM change_sets"; }

q c init --copy-name Coordination --quiet
q c share snapshot "$TMP/snap.db" >/dev/null
q a init --from "$TMP/snap.db" --copy-name "Médiateur Privas" --quiet
gen 1600 5 >"$TMP/l1.csv"
gen 1650 6 >"$TMP/l2.csv" # the same 1,600 ids with other values, and 50 new ones

run q c import lieux "$TMP/l1.csv" --quiet --skip-bad-rows
is "import of 1,600 places exits 0" "$status" 0
n1=$(sq c "SELECT count(*) FROM structures")
check "the places are in" test "$n1" -gt 1500
C1=$(last_change c)
is "the import's new places are one range of its change set, no history row each" \
	"$(sq c "SELECT bulk_last - bulk_after, (SELECT count(*) FROM change_rows WHERE change_id = $C1) FROM change_sets WHERE id = $C1")" \
	"$n1|0"
check "the places have themes" test "$(sq c "SELECT count(*) FROM structure_themes")" -gt "$n1"
run q c log
has "log: the import counts its places" "$TMP/out" "$n1"
run q c log "$C1"
has "log CHANGE: the range, said as such" "$TMP/out" "$n1 structures créées par cet import"
S=$(sq c "SELECT min(id) FROM structures")
run q c log structure "$S"
has "log structure: the place's creation by the import" "$TMP/out" "ajout en bloc"
has "...its values being its card's" "$TMP/out" "créée par cet import"
pieces=$(sq c "SELECT count(*) FROM share_changes WHERE change_id = $C1")
check "the import travels in several pieces" test "$pieces" -ge 2
check "each piece is bounded (about 2 MiB)" test "$(sq c "SELECT max(length(data)) FROM share_changes WHERE change_id = $C1")" -lt 2200000
is "each new row has its insert stamp" \
	"$(sq c "SELECT count(*) FROM share_stamps WHERE col = '*' AND tbl IN ('structures', 'structure_themes')")" \
	"$(sq c "SELECT (SELECT count(*) FROM structures) + (SELECT count(*) FROM structure_themes)")"

q c share export -o "$TMP/c1.qfqs" >/dev/null
run q a share apply "$TMP/c1.qfqs"
is "apply of the import exits 0" "$status" 0
is "the copy that applied it holds the same shared tables" "$(dump a | md5sum)" "$(dump c | md5sum)"
is "...and the same places and themes" "$(rows a | md5sum)" "$(rows c | md5sum)"
derived a >"$TMP/x0"
q a reindex >/dev/null 2>&1
derived a >"$TMP/x1"
check "derived indexes after the apply equal a full reindex" cmp -s "$TMP/x0" "$TMP/x1"

# A second import: the 1,600 places known (updated, field by field) and 50 new ones (in bulk).
rows c >"$TMP/r1"
run q c import lieux "$TMP/l2.csv" --quiet --skip-bad-rows
is "second import exits 0" "$status" 0
C2=$(last_change c)
n2=$(sq c "SELECT count(*) FROM structures")
is "new places: the change set's range" \
	"$(sq c "SELECT bulk_last - bulk_after FROM change_sets WHERE id = $C2")" $((n2 - n1))
check "known places: their updates" \
	test "$(sq c "SELECT count(*) FROM change_rows WHERE change_id = $C2 AND tbl = 'structures' AND op = 'update'")" -gt 300
check "the updated places' themes are recorded row by row" \
	test "$(sq c "SELECT count(*) FROM change_rows WHERE change_id = $C2 AND tbl = 'structure_themes'")" -gt 0
rows c >"$TMP/r2"
q c share export -o "$TMP/c2.qfqs" >/dev/null
q a share apply "$TMP/c2.qfqs" >/dev/null
is "after the second import, the copies hold the same shared tables" "$(dump a | md5sum)" "$(dump c | md5sum)"
is "...and the same places and themes" "$(rows a | md5sum)" "$(rows c | md5sum)"

# Undo the second import, then redo it.
gid_last() { sq c "SELECT hex(gid) FROM share_ids WHERE tbl = 'structures' AND id = (SELECT max(id) FROM structures)"; }
G1=$(gid_last)
run q c undo "$C2"
is "undo of the import exits 0" "$status" 0
rows c >"$TMP/u1"
check "undo restores the places and themes as the first import left them" cmp -s "$TMP/r1" "$TMP/u1"
derived c >"$TMP/x0"
q c reindex >/dev/null 2>&1
derived c >"$TMP/x1"
check "derived indexes after the undo equal a full reindex" cmp -s "$TMP/x0" "$TMP/x1"
run q c undo "$(last_change c)"
is "redo (undo of the undo) exits 0" "$status" 0
rows c >"$TMP/u2"
check "redo brings the second import back" cmp -s "$TMP/r2" "$TMP/u2"
G2=$(gid_last)
check "a place brought back has a new global id (the other copies erased the old one)" test -n "$G2" -a "$G1" != "$G2"
q c share export -o "$TMP/c3.qfqs" >/dev/null
q a share apply "$TMP/c3.qfqs" >/dev/null
is "the undo and redo travel: same shared tables" "$(dump a | md5sum)" "$(dump c | md5sum)"
counts() { sq "$1" "SELECT (SELECT count(*) FROM structures) || ' ' || (SELECT count(*) FROM structure_themes)"; }
is "...and as many places and themes (their local ids may differ now)" "$(counts a)" "$(counts c)"

done_testing
