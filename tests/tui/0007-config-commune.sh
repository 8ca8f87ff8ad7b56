#!/bin/bash
# 0007: the mediator's own commune (qfq config set commune) is the default
# centre of the full-screen interface; --commune overrides it; x goes back
# to it; a configured commune that no longer resolves is an error.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db

"$QFQ" config set commune Privas >/dev/null 2>&1
"$QFQ" config set rayon 10 >/dev/null 2>&1
tui_start
screen_has "the configured commune is the centre at start" "autour de Privas (10 km)"
screen_has "the configured radius is used" "(10 km)"
screen_hasnt "places beyond it are not listed (Tournon)" "Tournon"
type "alboussiere"
screen_has "a commune typed in the line wins over it" "autour d'Alboussière (10 km)"
keys C-u
screen_has "emptying the line comes back to it" "autour de Privas (10 km)"
keys Tab c
wait_for "Commune :"
type "tournon sur rhone"
screen_has "the picker finds Tournon-sur-Rhône" "▶ Tournon-sur-Rhône (07)"
keys Enter
screen_has "a picked commune replaces it" "autour de Tournon-sur-Rhône (10 km)"
keys x
screen_has "x comes back to the configured commune" "autour de Privas (10 km)"
tui_quit_ok "quits cleanly" q

tui_start tui --commune Tournon-sur-Rhône
screen_has "--commune overrides the configured commune" "autour de Tournon-sur-Rhône (10 km)"
tui_quit_ok "quits cleanly" F10

run "$QFQ" tui --commune Zzyzx-sur-Rien </dev/null
is "outside a terminal, qfq tui refuses (exit 2)" "$status" 2
has "and says to use --plain" "$TMP/err" "--plain"

tui_start tui --commune Zzyzx-sur-Rien
screen_has "an unknown --commune is an error, exit 4" "qfq exited 4"
screen_has "it names the commune" "Zzyzx-sur-Rien"

done_testing
