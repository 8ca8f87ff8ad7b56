#!/bin/bash
# 0003: the Personnes, Thèmes, Territoires and Réunions views, their
# drill-downs, and every view keeping its place.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db

tui_start
wait_for "Recherche :"

# Personnes: search by name, the pane shows their structures, Enter their card.
keys F3
screen_has "Personnes starts on its search line" "Personne :"
type "roux"
screen_has "a person is found by name" "▶ Julien Roux"
screen_has "the pane lists the person's structure and role" "• Espace Public Numérique d'Alboussière — conseiller numérique"
keys Enter
screen_has "Enter opens the card of their structure" "› Fiche"
screen_has "it is the EPN's card" "20 rue des écoliers"
keys Escape
wait_gone "› Fiche"

# Thèmes: the tree with counts, drill down to who offers a theme.
keys F4
screen_has "the Thèmes view shows the tree" "Maîtrise des outils numériques du quotidien"
wait_for "Prendre en main un smartphone" && grep -F "Prendre en main un smartphone" "$TMP/screen" >"$TMP/row"
has "a theme shows how many structures offer it" "$TMP/row" "  2"
grep -F "Maîtrise des outils numériques du quotidien" "$TMP/screen" >"$TMP/row"
has "a parent counts its sub-themes' structures" "$TMP/row" "  2"
keys /
type "smartph"
screen_has "/ then typing narrows the tree" "▶ "
screen_hasnt "other themes are hidden" "Maîtrise des outils numériques du quotidien"
keys Enter
screen_has "Enter drills down to who offers it" "qui propose « Prendre en main un smartphone"
screen_has "the EPN offers it" "Espace Public Numérique d'Alboussière"
screen_has "the médiathèque offers it" "Médiathèque 東京 de Tournon"
screen_has "and only they do" "2 résultats"
keys Escape
screen_has "Esc leaves the drill-down, back to the tree" "Thèmes, taper / pour réduire"
screen_has "the tree kept its narrowing" "Prendre en main un smartphone"

# Territoires: département -> EPCI -> commune -> structures.
keys F5
screen_has "the Territoires view lists départements with counts" "07 Ardèche"
keys Enter
screen_has "Enter on a département lists its EPCI" "Toutes les structures : Ardèche"
screen_has "with the EPCI of Privas" "Privas Centre Ardèche"
wait_for "Privas Centre Ardèche"
n=$(grep -n "Privas Centre Ardèche" "$TMP/screen" | head -1 | cut -d: -f1)
i=0
while [ $i -lt 10 ] && ! sed -n "${n}p" "$TMP/screen" | grep -qF "▶"; do keys Down; sleep 0.05; screen >/dev/null; i=$((i + 1)); done
keys Enter
screen_has "Enter on an EPCI lists its communes" "Communes — Ardèche › "
screen_has "Privas is there with its count" "Privas"
keys Down Enter
screen_has "Enter on a commune lists the structures there" "territoire : Privas"
screen_has "the CAF is among them" "CAF de l'Ardèche"
keys Escape
screen_has "Esc leaves the list at once (nothing typed)" "Communes — Ardèche"
keys Escape
screen_has "Esc goes up a level" "EPCI — Ardèche"
keys Escape
screen_has "and up to the départements" "Départements"

# Réunions: the meeting, who attended.
keys F6
screen_has "the Réunions view lists meetings with the present count" "Réunion réseau inclusion · 1 présents"
keys Enter
screen_has "Enter lists who attended" "présent    Julien Roux — Espace Public Numérique d'Alboussière"
screen_has "the excused are there too" "excusé     Rafaëla Ballerini — CIDFF de l'Ardèche"
keys Escape
screen_has "Esc back to the meetings" "Réunions (les plus récentes d'abord)"

# Every view keeps its place.
keys F3
screen_has "Personnes kept its query" "Personne : roux"
keys F2
screen_has "Structures kept its (empty) query" "45 résultats"

tui_quit_ok "quits cleanly" F10
done_testing
