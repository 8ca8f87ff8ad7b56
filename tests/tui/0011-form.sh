#!/bin/bash
# 0011: the structure form: e on a card opens it with the current values;
# a refused value is shown beside its field and changes nothing; a valid one
# is saved (one change set); d deletes after a confirmation; a adds a
# structure (n), starting with its name.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db
db() { sqlite3 "$QFQ_DB" "$1"; }
dump() { sqlite3 "$QFQ_DB" "SELECT * FROM structures ORDER BY id; SELECT count(*) FROM change_sets"; }
S=$(db "SELECT id FROM structures WHERE nom LIKE '%Alboussière%' LIMIT 1")
PHONE=$(db "SELECT ifnull(telephone, '') FROM structures WHERE id = $S")

tui_start -x 100 -y 40
type "alboussiere"
screen_has "found" "1 résultat"
keys Enter
screen_has "the card" "› Fiche"
keys e
screen_has "e opens the form" "Corriger la fiche"
screen_has "with the current values" "20 rue des écoliers"
dump >"$TMP/d0"
keys Down Down Down Down Down Down
keys Enter C-u
type "12"
keys Enter
screen_has "a refused phone: the reason beside the field (in French, the desk's language)" "✗ « 12 » n'est pas un numéro de téléphone"
dump >"$TMP/d1"
check "a refused value changes nothing" cmp -s "$TMP/d0" "$TMP/d1"
keys Enter C-u
type "04 75 00 11 22"
keys Enter
screen_has "a valid phone is saved" "telephone enregistré"
is "stored as the importer stores it" "$(db "SELECT telephone FROM structures WHERE id = $S")" "+33475001122"
is "one change set naming the structure" "$(db "SELECT count(*) FROM change_sets WHERE summary LIKE '%modifiée : telephone'")" 1
keys Escape
screen_has "Esc back to the card" "› Fiche"
keys d
screen_has "d asks first" "Supprimer cette structure ?"
keys n
screen_hasnt "another key says no" "Supprimer cette structure ?"
is "nothing deleted" "$(db "SELECT count(*) FROM structures WHERE id = $S")" 1
keys d
keys o
screen_has "o deletes" "structure supprimée"
is "the structure is gone" "$(db "SELECT count(*) FROM structures WHERE id = $S")" 0
# n works from any list or card: here, from the card still open
keys n
screen_has "n opens an empty form" "Nouvelle structure"
keys Enter
type "Tiers-lieu du Test"
keys Enter
screen_has "the name creates it" "nom enregistré"
is "the new structure exists" "$(db "SELECT count(*) FROM structures WHERE nom = 'Tiers-lieu du Test'")" 1
tui_quit_ok "quits" F10
run "$QFQ" undo
run "$QFQ" undo
run "$QFQ" undo
is "three undos: the new one gone, the deleted one back, its phone as before" \
	"$(db "SELECT count(*) FROM structures WHERE nom = 'Tiers-lieu du Test'") $(db "SELECT count(*) FROM structures WHERE id = $S") $(db "SELECT ifnull(telephone, '') FROM structures WHERE id = $S")" \
	"0 1 $PHONE"
done_testing
