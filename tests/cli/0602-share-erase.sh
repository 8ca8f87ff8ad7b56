#!/bin/bash
# 0602: an erasure reaches the shared folder (issue 15). After `qfq forget`
# (with `partage` configured) and the syncs, no file of the folder holds
# the erased person's name, email or phones: each copy rewrites its own
# files there. A copy that learns of the erasure first drops the rows about
# the person that arrive later (an old file, another copy's edit): erasure
# always wins. Also the config keys partage / partage_au_demarrage, `share
# sync` without a folder, and the start-up sync of `--plain tui`.
. "$(dirname "$0")/lib.sh"
demo_db
D=$TMP/dossier
mkdir -p "$D"
# every trace of the person a file could hold
traces() { grep -rail -e Zyxwvut -e Albertine -e albertine.zyx -e 98765432 -e '98 76 54 32' -e 11223344 "$@" 2>/dev/null | wc -l; }

"$QFQ" init --copy-name "Coordination" --quiet
"$QFQ" share snapshot "$TMP/snap.db" >/dev/null
cp "$QFQ_DB" "$TMP/c.db"
q a init --from "$TMP/snap.db" --copy-name "Médiateur Privas" --quiet
q b init --from "$TMP/snap.db" --copy-name "Médiateur Aubenas" --quiet
S=$(sq c "SELECT id FROM structures ORDER BY id LIMIT 1")

# a records a person; c receives them and changes their phone
q a add person --nom Zyxwvut --prenom Albertine --courriels albertine.zyx@exemple.org \
	--telephones "06 98 76 54 32" --structures "$S:Médiatrice" >/dev/null
q a share export --since 0 -o "$TMP/ancien.qfqs" 2>/dev/null   # a file mailed before the erasure
q a share sync "$D" >/dev/null
q c share sync "$D" >/dev/null
P=$(sq c "SELECT id FROM persons WHERE nom = 'Zyxwvut'")
check "c received the person" test -n "$P"
q c edit person "$P" telephones="06 11 22 33 44" >/dev/null
q c share sync "$D" >/dev/null
check "before the erasure the folder holds them (in a's and c's files)" test "$(traces "$D")" -ge 2

# the erasure on a, with the folder configured: a's files rewritten at once
"$QFQ" config set partage "$D" >/dev/null
PA=$(sq a "SELECT id FROM persons WHERE nom = 'Zyxwvut'")
run q a forget person "$PA" --yes
is "forget exits 0" "$status" 0
has "forget says the folder has the erasure" "$TMP/out" "shared folder: the erasure written, 1 file(s) of this copy rewritten"
ida=$(sq a "SELECT value FROM meta WHERE key = 'copy_id'")
is "a's own files in the folder no longer hold them" "$(traces "$D"/"$ida".*)" 0
check "the files stay private (0600)" test "$(stat -c %a "$D"/"$ida".* | sort -u)" = 600

# b learns of the erasure before ever seeing the person: what comes later about them is dropped
run q b share sync "$D"
is "b's sync exits 0" "$status" 0
has "b drops c's edit of the erased person" "$TMP/out" "dropped: 1 rows about persons erased on a copy"
run q b share apply "$TMP/ancien.qfqs"
is "an old file with the person's creation applies" "$status" 0
has "... and drops their rows" "$TMP/out" "rows about persons erased on a copy"
is "the person is not on b" "$(sq b "SELECT count(*) FROM persons WHERE nom = 'Zyxwvut' OR courriels LIKE '%albertine%'")" 0
is "nor their membership" "$(sq b "SELECT count(*) FROM memberships WHERE person_id NOT IN (SELECT id FROM persons)")" 0
is "b keeps the erased person's global id only" "$(sq b "SELECT count(*) FROM share_erased")" 1

# c receives the erasure: the person goes, and c's own file in the folder is rewritten
run q c share sync "$D"
has "c rewrites its own file" "$TMP/out" "rewritten without erased persons: 1 files of this copy"
is "the person is not on c" "$(sq c "SELECT count(*) FROM persons WHERE nom = 'Zyxwvut'")" 0
for c in a b c; do q $c share sync "$D" >/dev/null; done
is "no file of the folder holds their name, email or phones" "$(traces "$D")" 0
is "nor any copy's kept change sets" \
	"$(for c in a b c; do sq $c "SELECT count(*) FROM share_changes WHERE instr(data, 'Zyxwvut') OR instr(data, '98765432') OR instr(data, '11223344')"; done | tr '\n' ' ')" "0 0 0 "
inodes() { ls -i "$D" | sort -k2; }
before=$(inodes)
for c in a b c; do q $c share sync "$D" >/dev/null; done
is "syncs with no erasure since leave every file as it was (not rewritten)" "$(inodes)" "$before"
run q b share apply "$TMP/ancien.qfqs"
is "the old file again: still not on b" "$(sq b "SELECT count(*) FROM persons WHERE nom = 'Zyxwvut'")" 0
check "the folder holds only whole files named by copy and sequence" \
	test -z "$(ls -A "$D" | grep -v '^[0-9a-f]\{32\}\.[0-9]\{9\}-[0-9]\{9\}\.qfqs$')"

run q b share
has "share names the other copies by the name their files gave" "$TMP/out" "(Médiateur Privas)"

# share sync without a folder takes the configured one
run q a share sync
is "share sync with partage configured exits 0" "$status" 0
has "and applies" "$TMP/out" "applied"
"$QFQ" config unset partage
run q a share sync
is "share sync without a folder nor partage: usage error" "$status" 2
has "it says how to configure one" "$TMP/err" "qfq config set partage DIR"

# the config keys
(cd "$TMP" && run "$QFQ" config set partage dossier-absent)
run "$QFQ" config set partage dossier-absent
is "a relative folder that does not exist: usage error" "$status" 2
(cd "$TMP" && "$QFQ" config set partage dossier >/dev/null 2>&1)
is "a relative folder that exists is stored absolute" "$("$QFQ" config get partage)" "$D"
run "$QFQ" config set partage /media/cle-absente
is "an absolute folder out of reach is kept" "$status" 0
has "... and said" "$TMP/err" "cannot be reached now"
run "$QFQ" config set partage_au_demarrage peut-etre
is "partage_au_demarrage takes oui or non" "$status" 2

# a forget with the folder out of reach: erased here, the folder said
q a add person --nom Quidam --prenom Ulysse >/dev/null
run q a forget person "$(sq a "SELECT id FROM persons WHERE nom = 'Quidam'")" --yes
is "forget with the folder out of reach exits 0" "$status" 0
has "it says the next sync takes it" "$TMP/err" "the next \`qfq share sync\` takes the erasure there"

# --plain tui syncs at start-up too, and says so first
"$QFQ" config set partage "$D" >/dev/null
"$QFQ" config set partage_au_demarrage oui >/dev/null
q b edit structure "$S" site_web="https://exemple.fr/" >/dev/null
q b share sync "$D" >/dev/null
printf ':q\n' | "$QFQ" --db "$TMP/c.db" --plain tui >"$TMP/plain" 2>&1
is "the first line of --plain is the sync's outcome" "$(head -1 "$TMP/plain")" \
	"partage : 1 modification(s) reçue(s), 0 conflit(s), 0 envoyée(s)"
is "the edit arrived" "$(sq c "SELECT site_web FROM structures WHERE id = $S")" "https://exemple.fr/"
done_testing
