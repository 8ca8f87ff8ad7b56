#!/bin/bash
# 0601: copies of one directory exchanging change sets (issue 15). Three
# copies start from the coordinator's snapshot; edits on different records
# converge to the same shared tables (compared in global ids) whatever the
# order of the syncs; the same field edited on two copies keeps the later
# value everywhere and lists one conflict, on the copy that lost; --swap
# puts it back everywhere; an erasure on one copy removes the person from
# all, from the changesets kept, and a later edit of them elsewhere is
# dropped; apply is idempotent and one transaction; derived indexes stay
# exact; a bad file is refused with its name and entry.
. "$(dirname "$0")/lib.sh"
demo_db
D=$TMP/dir
mkdir -p "$D"
derived() {
	sqlite3 "$TMP/$1.db" "SELECT * FROM structures_geo ORDER BY id; SELECT rowid, * FROM structures_fts ORDER BY rowid;
		SELECT * FROM structure_hours ORDER BY 1, 2; SELECT structure_id, cell, lat, lon, hex(ids) FROM structure_members ORDER BY 1;
		SELECT theme_id, kind, hex(bits) FROM theme_bitmaps ORDER BY 1, 2; SELECT slot, kind, hex(bits) FROM hour_bitmaps ORDER BY 1, 2"
}

# The coordinator's copy and two mediators' copies made from its snapshot.
run "$QFQ" init --copy-name "Coordination" --quiet
is "init --copy-name exits 0" "$status" 0
run "$QFQ" share snapshot "$TMP/snap.db"
is "share snapshot exits 0" "$status" 0
is "the snapshot is private (0600)" "$(stat -c %a "$TMP/snap.db")" 600
cp "$QFQ_DB" "$TMP/c.db"
run q a init --from "$TMP/snap.db" --copy-name "Médiateur Privas" --quiet
is "init --from exits 0" "$status" 0
q b init --from "$TMP/snap.db" --copy-name "Médiateur Aubenas" --quiet
run q a init --from "$TMP/snap.db" --quiet
is "init --from onto an existing file: usage error" "$status" 2
ida=$(sq a "SELECT value FROM meta WHERE key = 'copy_id'")
idb=$(sq b "SELECT value FROM meta WHERE key = 'copy_id'")
idc=$(sq c "SELECT value FROM meta WHERE key = 'copy_id'")
check "each copy has its own id" test "$ida" != "$idb" -a "$ida" != "$idc" -a ${#ida} = 32
run q a share
has "share names the copy" "$TMP/out" "Médiateur Privas"
is "the copies start equal" "$(dump a | md5sum)" "$(dump c | md5sum)"

# Edits on different records on each copy, then syncs in two different orders.
S1=$(sq c "SELECT id FROM structures WHERE nom = 'CAPLAB'")
S2=$(sq c "SELECT id FROM structures ORDER BY id LIMIT 1")
P1=$(sq c "SELECT id FROM persons ORDER BY id LIMIT 1")
q a edit structure "$S1" telephone="04 75 11 11 11" >/dev/null
q a add structure --nom "Espace numérique de Vals" --commune "Vals-les-Bains" >/dev/null
q b edit structure "$S2" site_web="https://exemple.fr/" services+=smartphone >/dev/null
q b add person --nom Nouvel --prenom Jeanne --structures "$S2:Médiatrice" >/dev/null
q c edit person "$P1" telephones="06 12 34 56 78" >/dev/null
# the searched text alone (one derived index), and the hours with the text (every index)
q b edit structure "$S1" presentation_resume="Atelier de reprographie solidaire" >/dev/null
q c edit structure "$S2" presentation_resume="Cafe calligraphie" horaires="Mo-Fr 09:00-12:00" >/dev/null
rh=$(sq a "SELECT count(*) FROM referral_history")
q a orient --from "$S1" --to "$S2" --theme démarches --date 2025-03-01 >/dev/null
q b orient --from "$S2" --to "$S1" --theme démarches --date 2025-03-02 >/dev/null
# a's referral followed up and a field edited twice: later entries of the rows one apply batches
R=$(sq a "SELECT max(id) FROM referrals")
q a orientation "$R" statut "prise en charge" --date 2025-03-03 >/dev/null
q a orientation "$R" statut réalisée --date 2025-03-04 >/dev/null
q a edit structure "$S1" site_web="https://premier.example/" >/dev/null
q a edit structure "$S1" site_web="https://second.example/" >/dev/null
for c in b c a b c a; do q $c share sync "$D" >"$TMP/sync.$c" 2>&1 || echo "# sync $c failed: $(cat "$TMP/sync.$c")"; done
is "after syncs, copies a and b hold the same shared tables" "$(dump a | md5sum)" "$(dump b | md5sum)"
is "after syncs, copies a and c hold the same shared tables" "$(dump a | md5sum)" "$(dump c | md5sum)"
is "a's new structure is on c" "$(sq c "SELECT count(*) FROM structures WHERE nom = 'Espace numérique de Vals'")" 1
is "b's new person is on a, member of the structure" \
	"$(sq a "SELECT count(*) FROM persons p JOIN memberships m ON m.person_id = p.id WHERE p.nom = 'Nouvel'")" 1
is "c's edit is on b" "$(sq b "SELECT telephones FROM persons WHERE id = $P1")" "+33612345678"
is "the referrals made on a and b, with their history rows (numbered alike on each), are on c" \
	"$(sq c "SELECT count(*) FROM referral_history")" $((rh + 4))
is "a's referral reached c with its last status, a's field its last value" \
	"$(sq c "SELECT r.status FROM referrals r JOIN share_ids i ON i.tbl = 'referrals' AND i.id = r.id
		WHERE hex(i.gid) = '$(sq a "SELECT hex(gid) FROM share_ids WHERE tbl = 'referrals' AND id = $R")'") $(sq c "SELECT site_web FROM structures WHERE id = $S1")" \
	"realisee https://second.example/"
is "no conflict anywhere" "$(sq a "SELECT count(*) FROM share_conflicts") $(sq b "SELECT count(*) FROM share_conflicts") $(sq c "SELECT count(*) FROM share_conflicts")" "0 0 0"
derived a >"$TMP/x0"
q a reindex >/dev/null 2>&1
derived a >"$TMP/x1"
check "derived indexes after apply equal a full reindex" cmp -s "$TMP/x0" "$TMP/x1"
is "b's new summary is searched on a" "$(q a search reprographie --format tsv 2>/dev/null | grep -c CAPLAB)" 1
is "c's new summary and hours are searched on a" "$(sq a "SELECT count(*) FROM structures_fts WHERE structures_fts MATCH 'calligraphie' AND rowid = $S2") $(sq a "SELECT count(*) FROM structure_hours WHERE structure_id = $S2")" "1 5"
run q a search --commune "Vals-les-Bains"
has "the structure received is found by search" "$TMP/out" "Espace numérique de Vals"

# The same field on two copies: the later change wins everywhere, one conflict on the loser.
q b edit structure "$S1" telephone="04 75 22 22 22" >/dev/null
sleep 0.01
q c edit structure "$S1" telephone="04 75 33 33 33" >/dev/null
for c in c a b c; do q $c share sync "$D" >/dev/null 2>&1; done
is "one value everywhere (the later one)" \
	"$(sq a "SELECT telephone FROM structures WHERE id = $S1") $(sq b "SELECT telephone FROM structures WHERE id = $S1") $(sq c "SELECT telephone FROM structures WHERE id = $S1")" \
	"+33475333333 +33475333333 +33475333333"
is "one conflict on the copy that lost (b)" "$(sq b "SELECT count(*) FROM share_conflicts")" 1
is "none on the others" "$(sq a "SELECT count(*) FROM share_conflicts") $(sq c "SELECT count(*) FROM share_conflicts")" "0 0"
run q b share conflicts
has "conflicts lists the field" "$TMP/out" "telephone"
has "conflicts lists the value set aside" "$TMP/out" "+33475222222"
run q a share conflicts
is "no conflict: exit 1" "$status" 1
cid=$(sq b "SELECT id FROM share_conflicts")
run q b share conflicts --swap "$cid"
is "swap exits 0" "$status" 0
for c in b a c; do q $c share sync "$D" >/dev/null 2>&1; done
is "the swapped value travels everywhere" \
	"$(sq a "SELECT telephone FROM structures WHERE id = $S1") $(sq c "SELECT telephone FROM structures WHERE id = $S1")" \
	"+33475222222 +33475222222"
run q b share conflicts --swap "$cid"
is "a conflict swapped already: usage error" "$status" 2
is "still converged" "$(dump a | md5sum) $(dump b | md5sum)" "$(dump c | md5sum) $(dump c | md5sum)"

# An erasure on one copy removes the person from all; an edit of them elsewhere is dropped.
P2=$(sq c "SELECT id FROM persons WHERE nom = 'Nouvel'")
NAME=$(sq c "SELECT nom FROM persons ORDER BY id LIMIT 1 OFFSET 3")
P3=$(sq c "SELECT id FROM persons ORDER BY id LIMIT 1 OFFSET 3")
PA=$(sq a "SELECT id FROM persons WHERE nom = '$NAME'")
q b edit person "$(sq b "SELECT id FROM persons WHERE nom = '$NAME'")" telephones="06 99 99 99 99" >/dev/null
q a forget person "$PA" --yes >/dev/null 2>&1
for c in a c b a; do q $c share sync "$D" >/dev/null 2>&1; done
is "the erased person is on no copy" \
	"$(sq a "SELECT count(*) FROM persons WHERE nom = '$NAME'") $(sq b "SELECT count(*) FROM persons WHERE nom = '$NAME'") $(sq c "SELECT count(*) FROM persons WHERE nom = '$NAME'")" "0 0 0"
is "no changeset kept on any copy holds their name" \
	"$(for c in a b c; do sq $c "SELECT count(*) FROM share_changes WHERE instr(data, '$NAME')"; done | tr '\n' ' ')" "0 0 0 "
is "converged after the erasure" "$(dump a | md5sum) $(dump b | md5sum)" "$(dump c | md5sum) $(dump c | md5sum)"
: "$P2 $P3"

# export / apply by file: once each, one transaction.
q c edit structure "$S2" telephone="04 75 44 44 44" >/dev/null
run q c share export -o "$TMP/c.qfqs"
is "share export -o exits 0" "$status" 0
run q c share export -o "$TMP/c2.qfqs"
has "a second export has nothing new" "$TMP/err" "0 change sets"
run q c share export --since 0 -o "$TMP/all.qfqs"
check "export --since 0 gives every change set" test "$(grep -ac '^entry ' "$TMP/all.qfqs")" -gt 3
run q a share apply "$TMP/c.qfqs"
is "share apply exits 0" "$status" 0
has "apply reports one change set" "$TMP/out" "applied 1 change sets"
dump a >"$TMP/d1"
run q a share apply "$TMP/c.qfqs" "$TMP/all.qfqs"
has "applying again changes nothing" "$TMP/out" "applied 0 change sets"
dump a >"$TMP/d2"
check "the tables are the same after a second apply" cmp -s "$TMP/d1" "$TMP/d2"
printf 'qfq-share 1\ncopy %s x\nentry 1 5 change 0 999\nabc' "$idc" >"$TMP/bad.qfqs"
run q a share apply "$TMP/bad.qfqs"
is "a cut file: exit 3" "$status" 3
has "the message names the file and the entry" "$TMP/err" "bad.qfqs: entry 1: expected as many bytes"
printf 'hello\n' >"$TMP/bad2.qfqs"
run q a share apply "$TMP/c.qfqs" "$TMP/bad2.qfqs"
is "not a share file: exit 3" "$status" 3
has "not a share file: said so" "$TMP/err" "not a qfq share file"
run q a share frob
is "unknown share command: exit 2" "$status" 2
check "the folder holds only whole files named by copy and sequence" \
	test -z "$(ls -A "$D" | grep -v '^[0-9a-f]\{32\}\.[0-9]\{9\}-[0-9]\{9\}\.qfqs$')"

[ -n "${KEEP:-}" ] && cp -r "$TMP" "$KEEP"
done_testing
