#!/bin/bash
# 0002: every key on the help screen does what it says. The keys are read
# from the help screen itself: a key added to the table without a check
# here makes this test fail.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db

# The help screen, tall enough to hold every line.
tui_start -y 60
wait_for "Recherche :"
keys F1
screen_has "F1 opens the help" "les touches"
python3 - "$TMP/screen" >"$TMP/help_keys" <<'PY'
import re, sys
keys = set()
for line in open(sys.argv[1], encoding="utf-8"):
    # "   ↑ k               ligne précédente": the keys, then two spaces or more
    m = re.match(r"^   (\S.*?)\s{2,}\S", line)
    if m:
        keys.update(m.group(1).split())
print("\n".join(sorted(keys)))
PY
tested="↑ k ↓ j PgUp PgDn Home g End G Entrée Échap ⌫ / Tab F2 1 F3 2 F4 3 F5 4 F6 5 F7 t F8 c r o s h u p y b x a f 6 7 8 m e n d Ctrl-U Ctrl-L ? F1 q F10 Ctrl-C"
while read -r k; do
	case " $tested " in *" $k "*) r=1 ;; *) r=0 ;; esac
	_result $r "the help screen's key \"$k\" is tested below"
done <"$TMP/help_keys"
is "the help screen lists 54 key labels" "$(wc -l <"$TMP/help_keys")" 54
keys Escape
screen_hasnt "Échap closes the help" "les touches"
keys F1
wait_for "les touches"
keys -l "?"
screen_hasnt "? closes the help too" "les touches"

# Navigation in the list (80x24: 8 rows shown; CAF, CIDFF, EPN, Evil, the
# forty Mairie annexe, the Médiathèque).
tui_start
wait_for "45 résultats"
keys Tab
screen_has "Tab moves to the list (the hint changes)" "/ chercher"
keys j
screen_has "j: next line" "▶ CIDFF de l'Ardèche"
keys k
screen_has "k: previous line" "▶ CAF de l'Ardèche"
keys Down
screen_has "↓: next line" "▶ CIDFF de l'Ardèche"
keys Up
screen_has "↑: previous line" "▶ CAF de l'Ardèche"
keys NPage
screen_has "PgDn: next page" "▶ Mairie annexe 04"
keys PPage
screen_has "PgUp: previous page" "▶ CAF de l'Ardèche"
# Rows are loaded three screens at a time (30 here): paging down past them
# loads more, keeping the selection and the count.
for want in 04 11 18 25 32 39; do
	keys NPage
	screen_has "PgDn to Mairie annexe $want" "▶ Mairie annexe $want"
done
screen_has "the count is the whole directory's" "45 résultats"
keys Home
screen_has "Home: first line again" "▶ CAF de l'Ardèche"
keys End
screen_has "End: last line" "▶ Médiathèque 東京 de Tournon"
keys Home
screen_has "Home: first line" "▶ CAF de l'Ardèche"
keys G
screen_has "G: last line" "▶ Médiathèque 東京 de Tournon"
keys g
screen_has "g: first line" "▶ CAF de l'Ardèche"
keys Enter
screen_has "Entrée opens the card" "› Fiche"
keys BSpace
screen_hasnt "⌫ goes back from the card" "› Fiche"
keys Enter
wait_for "› Fiche"
keys Escape
screen_hasnt "Échap goes back from the card" "› Fiche"
keys Tab
screen_has "Tab again: the card pane has the focus" "Fiche [défilement]"
keys Tab
screen_has "Tab again: back to the search line" "tapez pour chercher"
keys Tab
wait_for "/ chercher"
keys /
screen_has "/ goes to the search line" "tapez pour chercher"
type "q"
screen_has "in the search line, letters are typed (q)" "Recherche : q"
keys BSpace
screen_has "⌫ in the search line erases" "45 résultats"
keys Escape
screen_has "Échap from the search line is harmless at the top" "[1 Structures]"

# Views, one key each.
keys Tab
wait_for "/ chercher"
keys 2
screen_has "2: Personnes view" "[2 Personnes]"
keys F4
screen_has "F4: Thèmes view" "[3 Thèmes]"
keys 4
screen_has "4: Territoires view" "[4 Territoires]"
keys 5
screen_has "5: Réunions view" "[5 Réunions]"
keys 3
screen_has "3: Thèmes view" "[3 Thèmes]"
keys 1
screen_has "1: Structures view" "[1 Structures]"
screen_has "the Structures view kept its place (list focus)" "/ chercher"
keys F3
screen_has "F3: Personnes view" "[2 Personnes]"
keys F5
screen_has "F5: Territoires view" "[4 Territoires]"
keys F6
screen_has "F6: Réunions view" "[5 Réunions]"
keys F2
screen_has "F2: Structures view" "[1 Structures]"

# Filters.
keys t
screen_has "t opens the theme picker" "Filtrer par thème :"
type "caf"
screen_has "typing narrows the tree" "Démarches CAF"
keys Enter
screen_has "Entrée applies the theme" "thème « Démarches CAF"
screen_has "only who offers it is left" "▶ CAF de l'Ardèche"
keys x
screen_has "x removes the filters" "45 résultats"
keys F7
screen_has "F7 opens the theme picker" "Filtrer par thème :"
keys Escape
screen_hasnt "Échap closes the picker" "Filtrer par thème :"
keys c
screen_has "c opens the commune picker" "Commune :"
type "privas"
screen_has "the commune picker lists Privas" "Privas (07)"
keys Enter
screen_has "Entrée searches around it" "autour de Privas (15 km)"
keys r
screen_has "r: a larger radius" "autour de Privas (20 km)"
keys o
screen_has "o: only what is open now" "ouvert maintenant"
keys s
screen_has "s: only without appointment" "sans rendez-vous"
keys x
screen_hasnt "x removes them all" "autour de Privas"
keys h
screen_has "h asks for a time" "Ouvert quand ?"
type "mardi 13h"
keys Enter
screen_has "h: only what is open then" "ouvert mardi 13h"
screen_hasnt "the CIDFF (Tuesday 9-12) is left out" "CIDFF"
screen_has "the CAF (Monday-Thursday 8:30-16) stays" "CAF de l'Ardèche"
screen_has "the time column is headed by the moment" "mardi 13:00"
keys u
screen_has "u: the unknown hours are added after" "horaires inconnus ajoutés"
screen_has "they are marked" "h. inconnus"
keys u
screen_has "u again: only the known open" "seulement les lieux dont les horaires disent ouvert"
screen_hasnt "no unknown hours then" "h. inconnus"
keys x
wait_for "45 résultats"
keys p
screen_has "p asks for publics" "Publics :"
type "seniors"
keys Enter
screen_has "p: only places for those publics" "publics : seniors"
screen_has "the EPN declares seniors" "▶ Espace Public Numérique d'Alboussière"
screen_has "and only it" "1 résultat"
keys x
wait_for "45 résultats"
keys y
screen_has "y asks for a type" "Type de structure :"
type "CAF"
keys Enter
screen_has "y: only that type" "type : CAF"
screen_has "the CAF is the one" "▶ CAF de l'Ardèche"
keys x
wait_for "45 résultats"
keys b
screen_has "b asks for the desk filters" "Guichet :"
type "gratuit surdité"
keys Enter
screen_has "b: the desk filters apply" "guichet : gratuit surdité"
keys x
wait_for "45 résultats"
keys F8
screen_has "F8 opens the commune picker" "Commune :"
keys Escape
wait_gone "Commune :"
keys /
type "caf"
wait_gone "45 résultats"
keys Tab
screen_has "Tab: the list has the keys" "[liste]"
keys C-u
screen_has "Ctrl-U from the list clears the search line" "45 résultats"
screen_has "... and the keys go to the search line again" "[recherche]"
keys Tab
wait_for "[liste]"
keys a
screen_has "a outside a card says where it works" "a et f s'utilisent sur une fiche"
keys f
screen_has "f outside a card too" "a et f s'utilisent sur une fiche"
keys 6
screen_has "6 opens the Orientations view" "Orientations (0, les plus récentes d'abord)"
keys Escape
wait_gone "Orientations (0"
keys 7
screen_has "7 opens the Observatoire view" "Aucune orientation enregistrée"
keys Escape
wait_gone "Aucune orientation enregistrée"
keys 8
screen_has "8 opens the Conflits view (deeper: 0021)" "Aucun conflit"
keys Escape
wait_gone "Aucun conflit"
keys m
screen_has "m opens the merge review (deeper: 0010)" "Aucune proposition de fusion ouverte"
keys Escape
wait_for "45 résultats"
keys e
screen_has "e on the list asks for a card first (the form: 0011)" "ouvrez d'abord une fiche"
keys d
screen_has "d likewise" "ouvrez d'abord une fiche"
keys n
screen_has "n opens an empty structure form" "Nouvelle structure"
keys Escape
wait_for "45 résultats"
keys C-l
screen_has "Ctrl-L redraws the same screen" "45 résultats"
keys -l "?"
screen_has "? opens the help" "les touches"
keys Escape
wait_gone "les touches"
tui_quit_ok "q quits with status 0 and the terminal restored" q

tui_start
wait_for "Recherche :"
type "caf"
tui_quit_ok "Ctrl-C quits cleanly, even while typing" C-c

done_testing
