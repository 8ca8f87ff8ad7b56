#!/bin/bash
# 0008: the issue's "done when" on the demo directory (both rosters and the
# 2022 places): typing `alboussiere` shows the Espace Public Numérique of
# Alboussière first, and Enter shows its card with its hours in French and
# its members from the rosters — once the import's merge proposal between
# the place and the rosters' "EPN d'Alboussière" is accepted (imports never
# merge near matches silently).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
WITH_LIEUX=1 demo_db
export QFQ_NOW="2024-07-09T10:00"

"$QFQ" merge --list --format tsv >"$TMP/proposals" 2>&1
line=$(grep -F "Alboussière" "$TMP/proposals" | grep -F "EPN d'Alboussière" | head -1)
check "the import proposed to merge the place with the rosters' EPN d'Alboussière" test -n "$line"
# Keep the place (it has the address and the hours), merge the roster's entry into it.
read -r place roster <<<"$(sqlite3 "$QFQ_DB" "SELECT (SELECT id FROM structures WHERE nom = 'Espace Public Numérique Alboussière'), (SELECT id FROM structures WHERE nom = 'EPN d''Alboussière')" | tr '|' ' ')"
run "$QFQ" merge "$place" "$roster"
is "qfq merge PLACE ROSTER exits 0" "$status" 0

tui_start
wait_for "Recherche :"
type "alboussiere"
wait_for "résultat"
screen_has "typing alboussiere lists the EPN" "Espace Public Numérique Alboussière"
wait_for "Alboussière" && sed -n 5p "$TMP/screen" >"$TMP/first"
has "the EPN of Alboussière is first" "$TMP/first" "▶ Espace Public Numérique Alboussière"
keys Enter
screen_has "Enter opens its card" "› Fiche"
screen_has "its hours in French" "lundi et mardi 09:30–12:30, 13:30–17:00"
screen_has "open at the time asked" "● ouvert en ce moment"
keys End
screen_has "its members from the rosters" "── Membres"
screen_has "the roster's mediator is a member" "• Maud Sarano"
screen_has "the rosters' name is kept as another name" "Aussi appelé : EPN d'Alboussière"
tui_quit_ok "quits cleanly" Escape F10

done_testing
