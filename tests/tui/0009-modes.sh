#!/bin/bash
# 0009: the keyboard has visible modes. The status line always says where
# the keys go ([recherche], [liste], [fiche]) and shows every key that works
# there, wrapped, never cut, at 80 columns; after a picker the keys of the
# list work (r, o are not typed into the search); Esc goes back one step and
# never erases the typed search (Ctrl-U does); the filter summary wraps
# rather than cut an active filter.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db

tui_start -x 80 -y 24
screen_has "the search line has the keys at start" "[recherche]"
screen_has "... with its keys" "tapez pour chercher"
screen_has "... all of them, wrapped at 80 columns" "F8 commune"
type "alboussiere"
screen_has "typing searches" "1 résultat"
keys Tab
screen_has "Tab: the list has the keys" "[liste]"
for k in "/ chercher" "t thème" "c commune" "r rayon" "o ouvert" "h heure" "s sans rdv" "p publics" \
	"y type" "x filtres"; do
	screen_has "80 columns: the list's key \"$k\" is on the status line" "$k"
done
python3 - "$TMP/screen" >"$TMP/cut" <<'P'
import sys
# no status line ends in a cut word ("s san…")
print(''.join(l for l in open(sys.argv[1], encoding='utf-8') if l.rstrip().endswith('…')))
P
is "no line of the screen is cut with an ellipsis" "$(cat "$TMP/cut")" ""
keys Tab
screen_has "Tab again: the card pane has the keys" "[fiche]"
keys Escape
screen_has "Esc: back to the list" "[liste]"
keys Escape
screen_has "Esc: back to the search line" "[recherche]"
keys Escape
screen_has "Esc on the search line keeps the search" "Recherche : alboussiere"
screen_has "... and says how to clear it" "Ctrl-U efface la recherche"
screen_has "... the mode still shown with the message" "[recherche] Ctrl-U"
keys C-u
screen_has "Ctrl-U clears the search" "45 résultats"
screen_hasnt "... the line is empty" "Recherche : alboussiere"

# After a picker the keys of the list work: "annonayr" never happens.
type "annonay"
wait_for "Recherche : annonay"
keys F7
screen_has "F7 opens the theme picker from the search line" "Filtrer par thème :"
type "caf"
screen_has "the picker narrows" "Démarches CAF"
keys Enter
screen_has "the theme applies" "thème « Démarches CAF"
screen_has "after the picker, the list has the keys" "[liste]"
keys r
screen_hasnt "r is not typed into the search" "annonayr"
screen_has "r changes the radius" "(20 km)"
keys o
screen_hasnt "o is not typed into the search" "annonayo"
screen_has "o keeps only what is open" "ouvert maintenant"
keys F8
screen_has "F8 opens the commune picker" "Commune :"
type "privas"
screen_has "the commune picker lists Privas" "Privas (07)"
keys Enter
screen_has "after the commune picker, the list has the keys" "[liste]"
keys s
screen_hasnt "s is not typed into the search" "annonays"
screen_has "s keeps only walk-in places" "sans rendez-vous"
# Every active filter is on the screen, whole, at 80 columns.
for f in "Démarches CAF (allocations, prime d'activité, RSA, APL) »" "ouvert maintenant" "sans rendez-vous" \
	"autour d'Annonay (20 km)" "grand (r) ou enlevez les filtres (x)."; do
	screen_has "80 columns: the filter \"$f\" is shown whole" "$f"
done
keys h
screen_has "h asks for a time" "Ouvert quand ?"
screen_has "the prompt says where the keys go" "[saisie]"
type "mardi 14h"
keys Enter
screen_has "after the prompt, the list has the keys" "[liste]"
screen_has "the time filter is shown whole" "ouvert mardi 14h"
tui_quit_ok "q quits" q

# English under C.UTF-8: the same modes and keys, in English.
if locale -a 2>/dev/null | grep -qi '^C\.utf-\?8$'; then
	TUI_LOCALE=C.UTF-8
	tui_start -x 80 -y 24
	screen_has "C.UTF-8: the search line in English" "Search:"
	screen_has "C.UTF-8: the mode in English" "[search]"
	screen_has "C.UTF-8: the keys in English" "type to search"
	keys Tab
	screen_has "C.UTF-8: the list mode in English" "[list]"
	screen_has "C.UTF-8: the list keys in English" "x filters"
	screen_hasnt "C.UTF-8: no French on the status line" "chercher"
	tui_quit_ok "C.UTF-8: q quits" q
fi

done_testing
