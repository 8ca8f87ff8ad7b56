#!/bin/bash
# 0009: qfq forget while a TUI has the database open: the person's name,
# email and phone are found in no byte of the database file nor of its
# -wal afterwards (the history, the audit log, free text and the full-text
# index included), and the TUI goes on working.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
demo_db
db() { sqlite3 "$QFQ_DB" "$1"; }
S=$(db "SELECT id FROM structures WHERE nom = 'CAPLAB'")
# Everything written by qfq itself, so that old copies sit in the -wal.
P=$("$QFQ" add person --nom Vandercappellen --prenom Zéphyrine --courriels zephyrine.q@example.org \
	--telephones "06 98 76 54 32" --structures "$S:médiatrice" --competences smartphone)
"$QFQ" edit structure "$S" presentation_detail="Permanence tenue par Zéphyrine Vandercappellen, 06 98 76 54 32" >/dev/null
"$QFQ" edit person "$P" role="$S:coordinatrice" >/dev/null
traces() { # the number of files among db and -wal holding any of the person's strings
	local n=0 f s
	for f in "$QFQ_DB" "$QFQ_DB-wal"; do
		[ -f "$f" ] || continue
		for s in Vandercappellen Zéphyrine zephyrine 698765432 "06 98 76 54 32" example.org; do
			grep -aqi -- "$s" "$f" && { n=$((n + 1)); echo "# $s in $f" >&2; }
		done
	done
	echo "$n"
}
check "before: the person is in the files" test "$(traces 2>/dev/null)" -gt 0

tui_start
screen_has "the TUI is open on the database" "Recherche :"
type "caplab"
screen_has "it found the structure" "CAPLAB"
keys Enter
screen_has "its card shows the person" "Zéphyrine Vandercappellen"

run "$QFQ" forget person "$P" --yes
is "forget exits 0 with the TUI open" "$status" 0
# the TUI tests run in the desk's language (tmux.sh): French messages
has "forget names the person" "$TMP/out" "« Zéphyrine Vandercappellen » (personne $P) effacée"
is "no byte of the database or its -wal holds the name, email or phone" "$(traces)" 0
is "the person is gone" "$(db "SELECT count(*) FROM persons WHERE id = $P")" 0
is "the mention in free text is gone, the rest of the text stays" \
	"$(db "SELECT presentation_detail FROM structures WHERE id = $S")" "Permanence tenue par"
is "the history says someone was erased, not who" "$(db "SELECT summary FROM change_sets ORDER BY id DESC LIMIT 1")" "personne n°$P effacée"
run "$QFQ" undo
is "an erasure cannot be undone" "$status" 2
has "...and undo says so" "$TMP/err" "ne peut pas être annulé"
keys Escape
type "x"
keys BSpace
screen_has "the TUI goes on working" "Recherche :"
tui_quit_ok "the TUI quits normally" F10

run "$QFQ" forget person 99999 --yes
is "an unknown person exits 1" "$status" 1
run "$QFQ" forget structure "$S" --yes
is "forget of a structure is a usage error" "$status" 2
done_testing
