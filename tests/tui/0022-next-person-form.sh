#!/bin/bash
# 0022: two desk answers of the list views. When nothing is open at the
# time asked ("c'est urgent"), the list shows the places that open next,
# soonest first, said as such, with their next opening in the state column
# (DESK 2); never a place whose hours are unknown. In Personnes, e on a
# person opens the person's form (validated and recorded as `qfq edit
# person` does).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db
db() { sqlite3 "$QFQ_DB" "$1"; }
# Tuesday 9 July 2024, 20:00: every place of the fixture is closed
export QFQ_NOW="2024-07-09T20:00"

tui_start -x 100 -y 40
type "smartphone"
screen_has "smartphone: found" "2 résultats"
keys Tab o
screen_has "o with nothing open: said, and the next openings instead" "rien d'ouvert · les 2 prochaines ouvertures"
screen_has "the EPN opens next on Wednesday at 09:00" "mer 09:00"
screen_has "the médiathèque on Wednesday at 10:00" "mer 10:00"
screen_has "the state column says the moment" "maintenant"
line_epn=$(screen | grep -n "Alboussière" | head -1 | cut -d: -f1)
line_med=$(screen | grep -n "Médiathèque" | head -1 | cut -d: -f1)
check "soonest first: the EPN above the médiathèque" test "${line_epn:-99}" -lt "${line_med:-0}"
keys o
screen_hasnt "o again: the plain list" "prochaines ouvertures"
tui_quit_ok "quits" F10

tui_start -x 120 -y 30
keys F3
type "roux"
screen_has "Personnes: Julien Roux" "Julien Roux"
keys Tab
screen_has "the person's keys are said" "e corriger la personne"
keys e
screen_has "e opens the person's form" "Corriger la personne"
screen_has "with the current values" "Roux"
keys Down Enter C-u
type "Jules"
keys Enter
screen_has "the given name is saved" "prenom enregistré"
is "stored" "$(db "SELECT prenom FROM persons WHERE id = 1")" "Jules"
is "one change set of the history for it" "$(db "SELECT count(*) FROM change_sets WHERE command LIKE '%formulaire%'")" 1
keys Escape
screen_has "Esc back to Personnes, read again" "Jules Roux"
tui_quit_ok "quits" F10
done_testing
