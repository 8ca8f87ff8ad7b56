#!/bin/bash
# 0006: the mouse (xterm SGR reports, as a terminal sends them): a click
# selects a line, a click on the selected line opens it, the wheel scrolls.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db

# A press and a release at 1-based column $1, row $2 (button 0: left).
click() { keys -l $'\e'"[<0;$1;$2M"$'\e'"[<0;$1;$2m"; }
wheel_down() { keys -l $'\e'"[<65;$1;$2M"; }
wheel_up() { keys -l $'\e'"[<64;$1;$2M"; }

tui_start
wait_for "45 résultats"
# Row 7 of the screen (1-based) is the third result.
click 10 7
screen_has "a click selects the line under it" "▶ Espace Public Numérique d'Alboussière"
screen_has "and moves the focus to the list" "/ chercher"
screen_has "the card pane follows" "20 rue des écoliers"
click 10 7
screen_has "a click on the selected line opens its card" "› Fiche"
keys Escape
wait_gone "› Fiche"
wheel_down 10 7
screen_has "the wheel moves down the list (3 lines)" "▶ Mairie annexe 02"
wheel_up 10 7
screen_has "and back up" "▶ Espace Public Numérique d'Alboussière"
click 5 2
screen_has "a click on the search line gives it the focus" "tapez pour chercher"
tui_quit_ok "quits cleanly" F10

done_testing
