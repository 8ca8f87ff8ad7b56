#!/bin/bash
# 0005: --plain / QFQ_PLAIN=1: the line-by-line dialogue (search, numbered
# results, a card, filters), without any escape sequence.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db

printf 'alboussiere\n1\n:q\n' | "$QFQ" --plain tui >"$TMP/out" 2>"$TMP/err"
is "--plain tui reads from a pipe and exits 0" "$?" 0
has "it greets and says how to quit" "$TMP/out" ":q pour quitter"
has "the commune is understood" "$TMP/out" "Compris : autour d'Alboussière (15 km)."
has "results are numbered" "$TMP/out" "1. Espace Public Numérique d'Alboussière, Alboussière, à 1,4 km, ouvert maintenant"
has "a number shows the card" "$TMP/out" "du lundi au vendredi 09:00–12:00, 14:00–17:00"
has "the card lists the members" "$TMP/out" "Julien Roux"
has "the end of the card is said" "$TMP/out" "Fin de la fiche."
if grep -q $'\e' "$TMP/out"; then r=0; else r=1; fi
_result $r "no escape sequence in the dialogue"

printf 'evil\n1\n' | QFQ_PLAIN=1 "$QFQ" tui >"$TMP/out" 2>&1
is "QFQ_PLAIN=1 works like --plain (end of input quits)" "$?" 0
has "the hostile name is listed" "$TMP/out" "1. Evil"
if grep -q $'\e\|\a' "$TMP/out"; then r=0; else r=1; fi
_result $r "the hostile name's control characters are neutralized"

printf ':t caf\nprivas\n:o\n:s\n:c Tournon-sur-Rhône\n\n:r 5\nmédiathèque\n:t\n:p\n:x\n42\n:q\n' |
	"$QFQ" --plain tui >"$TMP/out" 2>&1
has ":t sets the theme" "$TMP/out" "Thème : caf."
has "theme and typed commune combine" "$TMP/out" "Compris : thème « Démarches CAF (allocations, prime d'activité, RSA, APL) » · autour de Privas (15 km)."
has "the CAF is found" "$TMP/out" "1. CAF de l'Ardèche, Privas"
has ":o toggles open now" "$TMP/out" "Seulement ouverts maintenant."
has ":s toggles without appointment" "$TMP/out" "Seulement sans rendez-vous."
has ":c sets the commune" "$TMP/out" "Commune : Tournon-sur-Rhône (07)."
has ":r sets the radius" "$TMP/out" "Rayon : 5 km."
has ":t alone removes the theme" "$TMP/out" "Plus de thème."
has "an unknown command lists the commands" "$TMP/out" "Commandes : :t thème"
has "a number out of range is said" "$TMP/out" "Pas de résultat numéro 42."

# On a terminal, `qfq --plain` (no command) is the dialogue, not the full screen.
tui_start --plain
screen_has "qfq --plain on a terminal starts the dialogue" ":q pour quitter"
type "caf"
keys Enter
screen_has "it answers on the terminal" "1. CAF de l'Ardèche"
screen_hasnt "no full-screen drawing" "[1 Structures]"
tui_quit_ok "and quits with :q" ":q" Enter

done_testing
