#!/bin/bash
# 0605: an erased person's name inside other free text, written on another
# copy (issue 15). The erasure carries salted hashes of the person's
# mentions (name in both orders, email, phones), never the mentions: a copy
# that never knew the person finds them in its own free text, in what it
# keeps and in what arrives later, and removes them as the erasing copy
# does. In the end no copy and no file of the folder holds the name, and
# the copies hold the same shared tables.
. "$(dirname "$0")/lib.sh"
demo_db
D=$TMP/dossier
mkdir -p "$D"
# every trace of the person: name, email, phone (as written in the text)
traces() { grep -rail -e Quiquandon -e ophelie.qq -e '06 55 44 33 22' "$@" 2>/dev/null | wc -l; }
# the copies' tables, kept change sets and history holding the name
held() {
	local c
	for c in "$@"; do
		sq $c "SELECT (SELECT count(*) FROM structures WHERE instr(presentation_resume, 'Quiquandon')
				OR instr(presentation_detail, '06 55 44 33 22'))
			+ (SELECT count(*) FROM share_changes WHERE instr(data, 'Quiquandon') OR instr(data, 'ophelie.qq'))
			+ (SELECT count(*) FROM change_rows WHERE instr(old, 'Quiquandon') OR instr(new, 'Quiquandon'))
			+ (SELECT count(*) FROM structures_fts WHERE structures_fts MATCH 'quiquandon')"
	done | tr '\n' ' '
}

"$QFQ" init --copy-name "Coordination" --quiet
"$QFQ" share snapshot "$TMP/snap.db" >/dev/null
for c in a b c d; do q $c init --from "$TMP/snap.db" --copy-name "Copie $c" --quiet; done
S=$(sq a "SELECT id FROM structures ORDER BY id LIMIT 1")
S2=$(sq a "SELECT id FROM structures ORDER BY id LIMIT 1 OFFSET 1")

# a records a person, never shared before the erasure
q a add person --nom Quiquandon --prenom Ophélie --courriels ophelie.qq@exemple.org \
	--telephones "06 55 44 33 22" >/dev/null
# c, who never knew them, names them in a structure's text; d receives it before the erasure
q c edit structure "$S" presentation_resume="Accueil par Ophélie Quiquandon le mardi" \
	presentation_detail="Rendez-vous au 06 55 44 33 22 ou ophelie.qq@exemple.org" >/dev/null
q c edit structure "$S2" presentation_resume="Ophélie anime l'atelier" >/dev/null
q c share export --since 0 -o "$TMP/ancien.qfqs" >/dev/null 2>&1 # mailed before the erasure
q c share sync "$D" >/dev/null
q d share sync "$D" >/dev/null
is "d holds c's text before the erasure" "$(sq d "SELECT count(*) FROM structures WHERE instr(presentation_resume, 'Quiquandon')")" 1

# a erases the person, then receives c's text: the mention goes before it lands
P=$(sq a "SELECT id FROM persons WHERE nom = 'Quiquandon'")
run q a forget person "$P" --yes
is "forget exits 0" "$status" 0
run q a share sync "$D"
is "a's sync exits 0" "$status" 0
is "a applies c's text without the name" "$(sq a "SELECT presentation_resume FROM structures WHERE id = $S")" "Accueil par  le mardi"
is "... nor the phone and email" "$(sq a "SELECT presentation_detail FROM structures WHERE id = $S")" "Rendez-vous au  ou"
is "a given name alone is not a mention: kept" "$(sq a "SELECT presentation_resume FROM structures WHERE id = $S2")" "Ophélie anime l'atelier"
is "the erasure keeps hashes, not the mentions" \
	"$(sq a "SELECT count(*) FROM share_erased WHERE forms IS NOT NULL AND NOT instr(forms, 'Quiquandon') AND NOT instr(forms, 'ophelie')")" 1

# b never knew the person: the erasure and c's text arrive in one sync
run q b share sync "$D"
is "b's sync exits 0" "$status" 0
is "b applies c's text without the mentions" "$(sq b "SELECT presentation_resume FROM structures WHERE id = $S")" "Accueil par  le mardi"
is "b keeps the hashes the erasure brought" "$(sq b "SELECT count(*) FROM share_erased WHERE length(forms) > 16")" 1

# d already holds the text: the erasure's hashes find it there
run q d share sync "$D"
is "d's sync exits 0" "$status" 0
is "d's text loses the mentions" "$(sq d "SELECT presentation_resume || ' / ' || presentation_detail FROM structures WHERE id = $S")" \
	"Accueil par  le mardi / Rendez-vous au  ou"
is "d's full-text index and kept change sets no longer hold them" "$(held d)" "0 "

# c, the author, removes them from its text and rewrites its own file in the folder
run q c share sync "$D"
is "c's sync exits 0" "$status" 0
has "c rewrites its own file" "$TMP/out" "rewritten without erased persons: 1 files of this copy"
is "c's text loses the mentions" "$(sq c "SELECT presentation_resume FROM structures WHERE id = $S")" "Accueil par  le mardi"

for c in a b c d a b c d; do q $c share sync "$D" >/dev/null; done
is "no file of the folder holds the name, email or phone" "$(traces "$D")" 0
is "no copy holds them in its tables, index, kept change sets or history" "$(held a b c d)" "0 0 0 0 "
is "the copies end with the same shared tables (a, b)" "$(dump a | md5sum)" "$(dump b | md5sum)"
is "the copies end with the same shared tables (a, c)" "$(dump a | md5sum)" "$(dump c | md5sum)"
is "the copies end with the same shared tables (a, d)" "$(dump a | md5sum)" "$(dump d | md5sum)"

# a file mailed before the erasure, applied later on a fresh copy: the mentions go too
q e init --from "$TMP/snap.db" --copy-name "Copie e" --quiet
q e share sync "$D" >/dev/null
run q e share apply "$TMP/ancien.qfqs"
is "an old file applies on a copy that knows the erasure" "$status" 0
is "... without the mentions" "$(held e)" "0 "

done_testing
