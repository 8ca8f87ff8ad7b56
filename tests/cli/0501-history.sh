#!/bin/bash
# 0501: history: every write (import, merge) is one change set; qfq log shows
# it; qfq undo reverts a merge (both records and their links, the derived
# indexes included) and refuses when a later change depends on it.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
db() { sqlite3 "$QFQ_DB" "$1"; }
sid() { db "SELECT id FROM structures WHERE nom = '$1'"; }
# The directory's own tables and what the search reads of the derived ones.
state() {
	local t
	for t in structures persons memberships attendance structure_themes structure_territories \
		structure_aliases merge_proposals person_themes permanences; do
		echo "== $t"; sqlite3 "$QFQ_DB" "SELECT * FROM $t ORDER BY 1, 2"
	done
	echo "== geo"; sqlite3 "$QFQ_DB" "SELECT * FROM structures_geo ORDER BY id"
	echo "== fts"; sqlite3 "$QFQ_DB" "SELECT rowid, * FROM structures_fts ORDER BY rowid"
	echo "== hours"; sqlite3 "$QFQ_DB" "SELECT * FROM structure_hours ORDER BY 1, 2"
	echo "== members"; sqlite3 "$QFQ_DB" "SELECT structure_id, cell, hex(ids) FROM structure_members ORDER BY 1"
	echo "== bitmaps"; sqlite3 "$QFQ_DB" "SELECT theme_id, kind, hex(bits) FROM theme_bitmaps ORDER BY 1, 2"
}

is "each import is one change set" "$(db "SELECT count(*) FROM change_sets")" 3
is "the import's rows are recorded" "$(db "SELECT count(*) > 10 FROM change_rows WHERE change_id = 1 AND tbl = 'structures' AND op = 'insert'")" 1
is "derived tables are not recorded" "$(db "SELECT count(*) FROM change_rows WHERE tbl NOT IN ('structures','persons','memberships','attendance','events','structure_themes','merge_proposals','structure_aliases','structure_territories','person_themes')")" 0
run "$QFQ" log
is "log exits 0" "$status" 0
has "log names the command" "$TMP/out" "qfq import lieux"

KEEP=$(sid "CAPLAB"); OTHER=$(sid "CAPLAB Privas")
state >"$TMP/before"
run "$QFQ" merge "$KEEP" "$OTHER"
is "merge exits 0" "$status" 0
has "merge names both records" "$TMP/out" "« CAPLAB Privas » ($OTHER) merged into « CAPLAB » ($KEEP)"
run "$QFQ" merge "$KEEP" "$OTHER"
is "merging an id already merged is a usage error" "$status" 2
has "...that says where it went" "$TMP/err" "structure $OTHER was already merged into « CAPLAB » ($KEEP)"
run "$QFQ" log
has "the merge is in the log, named" "$TMP/out" "« CAPLAB Privas » fusionnée dans « CAPLAB »"
MERGE=$(db "SELECT max(id) FROM change_sets")
run "$QFQ" log structure "$OTHER"
has "log structure: its deletion" "$TMP/out" "CAPLAB Privas"
run "$QFQ" log "$MERGE" --format tsv
has "log CHANGE: the alias added" "$TMP/out" "structure_aliases"

run "$QFQ" undo
is "undo exits 0" "$status" 0
has "undo says which change" "$TMP/out" "change $MERGE undone"
state >"$TMP/after"
check "undo of a merge restores both records, their links and the indexes" diff "$TMP/before" "$TMP/after"
run "$QFQ" undo "$MERGE"
is "undoing twice is refused" "$status" 2
has "...saying by which change" "$TMP/err" "already undone"

# Redo (undo the undo), then a later merge that depends on it.
UNDO=$(db "SELECT max(id) FROM change_sets")
run "$QFQ" undo "$UNDO"
is "undoing the undo redoes the merge" "$(db "SELECT count(*) FROM structures WHERE id = $OTHER")" 0
C26=$(sid "26 FK"); C26B=$(sid "26FK")
run "$QFQ" merge "$KEEP" "$C26"
LATER=$(db "SELECT max(id) FROM change_sets")
db "SELECT 1" >/dev/null
cp "$QFQ_DB" "$TMP/copy.db"
run "$QFQ" undo "$MERGE"
if [ "$(db "SELECT undone_by IS NULL FROM change_sets WHERE id = $MERGE")" = 1 ]; then
	# the two merges touch KEEP's row: the later one is in the way
	is "undo refused when a later change depends on it" "$status" 3
	has "...naming that change" "$TMP/err" "change $LATER depends on it"
	check "a refused undo changes nothing" cmp "$QFQ_DB" "$TMP/copy.db"
else
	is "undo refused when a later change depends on it" "$status" 3
fi
run "$QFQ" undo "$LATER"
is "the later one can be undone" "$status" 0
run "$QFQ" undo 999
is "an unknown change is a usage error" "$status" 2
run "$QFQ" undo abc
is "a bad change number is a usage error" "$status" 2
run "$QFQ" log person 999999
is "log of an unknown person exits 1" "$status" 1
run "$QFQ" log place 3
is "log of an unknown kind is a usage error" "$status" 2

# Bulk acceptance by a rule: the count first, the merges with --yes, one change set.
R=$(db "SELECT count(*) FROM merge_proposals m JOIN structures a ON a.id = m.a_id JOIN structures b ON b.id = m.b_id
	WHERE m.kind = 'structure' AND m.state = 'open' AND a.code_insee = b.code_insee")
N0=$(db "SELECT count(*) FROM structures")
check "the demo data has proposals in one commune" test "$R" -gt 1
run "$QFQ" merge --rule near-name-commune
is "--rule without --yes exits 0" "$status" 0
has "--rule shows the count" "$TMP/out" "nom proche, même commune: $R proposal(s)"
is "...and merges nothing" "$(db "SELECT count(*) FROM structures")" "$N0"
run "$QFQ" merge --rule near-name-commune --yes
check "--rule --yes merges them (a pair may share a record with another)" test "$(db "SELECT count(*) FROM structures")" -lt "$N0"
run "$QFQ" undo
is "one undo reverts the whole bulk merge" "$(db "SELECT count(*) FROM structures")" "$N0"
run "$QFQ" merge --rule zorglub
is "an unknown rule is a usage error" "$status" 2

done_testing
