#!/bin/bash
# 0001: start, incremental search (case and accents folded), the first result,
# its card (hours in French, members), a hostile name shown harmlessly, quit.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db

tui_start
screen_has "starts on the Structures view" "[1 Structures]"
screen_has "the search line is there" "Recherche :"
screen_has "the status line gives the keys" "F10 quitter"
screen_has "with an empty line, the whole directory" "45 résultats"

type "ALBOUSSIÈRE"
screen_has "typing searches (case and accents folded)" "1 résultat"
screen_has "the commune is recognized in the text" "autour d'Alboussière"
wait_for "Alboussière" && sed -n 5p "$TMP/screen" >"$TMP/first"
has "the EPN of Alboussière is first, selected" "$TMP/first" "▶ Espace Public Numérique d'Alboussière"
screen_has "the card pane shows the selected entry" "20 rue des écoliers"
screen_has "the distance has a decimal comma" "1,4 km"

keys Enter
screen_has "Enter opens the card" "› Fiche"
screen_has "the card has its hours in French" "du lundi au vendredi 09:00–12:00, 14:00–17:00"
screen_has "the card says it is open now" "● ouvert en ce moment"
screen_has "the card lists its members with their role" "• Julien Roux — conseiller numérique"
screen_has "stale data is flagged" "⚠ mis à jour il y a 28 mois"
screen_has "walk-in is said in words" "✓ accueil sans rendez-vous"

keys Escape
screen_has "Esc goes back to the list" "Recherche : ALBOUSSIÈRE"
screen_hasnt "the card view is closed" "› Fiche"

keys C-u
type "alboussiere"
screen_has "unaccented lowercase finds it too" "▶ Espace Public Numérique d'Alboussière"

keys C-u
type "evil"
screen_has "a name with escape sequences is found" "1 résultat"
screen_has "its control characters are shown as U+FFFD" "Evil�"
screen_hasnt "its OSC payload does not reach the terminal as a title" "pwned"
title=$(tmx display-message -p -t t '#{pane_title}')
check "the pane title was not changed by the data" test "$title" != "pwned"
screen_has "the screen was not cleared by the data" "[1 Structures]"

keys C-u
type "東京"
screen_has "wide characters are found" "Médiathèque 東京 de Tournon"
wait_for "Médiathèque 東京" && grep -F "▶ Médiathèque" "$TMP/screen" >"$TMP/row"
# 2 (marker) + 51 (name column at 80 columns) + 1: the commune starts at column 54,
# whatever the widths of the characters before it.
row=$(cat "$TMP/row")
prefix=${row%%Tournon-sur-Rh*}
width=$(printf '%s' "$prefix" | python3 -c 'import sys,unicodedata as u; s=sys.stdin.read(); print(sum(2 if u.east_asian_width(c) in "WF" else 1 for c in s))')
is "columns stay aligned after wide characters" "$width" 54

tui_quit_ok "F10 quits with status 0 and the terminal restored" F10

done_testing
