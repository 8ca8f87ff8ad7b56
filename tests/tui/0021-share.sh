#!/bin/bash
# 0021: sharing in the full-screen interface (issue 15). Key 8 lists the
# conflicts of sharing (record, field, value kept and set aside, the two
# copies, the dates, the rule), Entrée then o swaps one (n says no), and
# the swap travels; with `partage_au_demarrage oui` the interface syncs at
# start-up and says how it went on the status line, and a shared folder
# out of reach (a USB stick not plugged in) is said without stopping it.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db
D=$TMP/dossier
mkdir -p "$D"
B=$TMP/b.db
sq() { sqlite3 -readonly "$1" "$2"; }
tel() { sq "$1" "SELECT telephone FROM structures WHERE id = 1"; }

"$QFQ" init --copy-name "Coordination" --quiet
"$QFQ" share snapshot "$TMP/snap.db" >/dev/null
# a copy name carrying an escape sequence: shown, never run by the terminal
"$QFQ" --db "$B" init --from "$TMP/snap.db" --copy-name "$(printf 'Médiateur\033[7mAubenas')" --quiet
# the same field on both copies; b's change is the later one
"$QFQ" edit structure 1 telephone="04 75 11 11 11" >/dev/null
sleep 0.01
"$QFQ" --db "$B" edit structure 1 telephone="04 75 22 22 22" >/dev/null
"$QFQ" share sync "$D" >/dev/null
"$QFQ" --db "$B" share sync "$D" >/dev/null
"$QFQ" share sync "$D" >/dev/null
is "one conflict here, the copy that lost" "$(sq "$QFQ_DB" "SELECT count(*) FROM share_conflicts WHERE state = 'open'")" 1
is "b's value kept here" "$(tel "$QFQ_DB")" "+33475222222"

tui_start -x 120 -y 30
wait_for "Recherche :"
keys Tab
wait_for "/ chercher"
keys 8
screen_has "8 opens the conflicts view" "Conflits de partage (1)"
screen_has "the record is named, the conflict open" "ouvert   structures · Espace Public Numérique d'Alboussière"
screen_has "the field and both values, kept first" "telephone : +33475222222 ← +33475111111"
screen_has "the kept value's copy, escape shown not run" "Gardé : +33475222222 — copie Médiateur�Aubenas, modifiée le 20"
screen_has "the value set aside, from this copy" "Écarté : +33475111111 — copie Coordination (celle-ci), écarté le 20"
screen_has "the rule applied" "Règle : la modification la plus récente l'emporte"
keys Enter
screen_has "Entrée asks before swapping" "remettre « +33475111111 » à la place de « +33475222222 » ? o : oui"
keys n
screen_has "another key says no" "rien n'a été échangé"
is "nothing swapped" "$(tel "$QFQ_DB") $(sq "$QFQ_DB" "SELECT state FROM share_conflicts")" "+33475222222 open"
keys Enter
wait_for "o : oui"
keys o
screen_has "o swaps" "conflit n° 1 échangé"
screen_has "the list says it" "échangé  structures · Espace"
is "the value set aside is back, the conflict swapped" "$(tel "$QFQ_DB") $(sq "$QFQ_DB" "SELECT state FROM share_conflicts")" "+33475111111 swapped"
keys Enter
screen_has "a swapped conflict is not swapped twice" "déjà échangé"
keys Escape
screen_hasnt "Échap goes back" "Conflits de partage"
tui_quit_ok "F10 quits" F10
"$QFQ" share sync "$D" >/dev/null
"$QFQ" --db "$B" share sync "$D" >/dev/null
is "the swap travels to the other copy" "$(tel "$B")" "+33475111111"

# Sync at start-up: b's new edit arrives, the status line says so.
"$QFQ" --db "$B" edit structure 1 site_web="https://exemple.fr/" >/dev/null
"$QFQ" --db "$B" share sync "$D" >/dev/null
"$QFQ" config set partage "$D" >/dev/null
"$QFQ" config set partage_au_demarrage oui >/dev/null
tui_start -x 120 -y 30
screen_has "the start-up sync's outcome on the status line" "partage : 1 modification(s) reçue(s), 0 conflit(s), 0 envoyée(s)"
is "the edit from the other copy is here" "$(sq "$QFQ_DB" "SELECT site_web FROM structures WHERE id = 1")" "https://exemple.fr/"
tui_quit_ok "F10 quits" F10

# A folder out of reach: said, and the interface works.
"$QFQ" config set partage /nonexistent/cle-usb 2>/dev/null
tui_start -x 120 -y 30
screen_has "a missing folder is said" "partage : dossier /nonexistent/cle-usb introuvable (clé USB absente ?)"
type "smartphone"
screen_has "and the interface works" "2 résultats"
tui_quit_ok "quits" F10
"$QFQ" config set partage_au_demarrage non >/dev/null
tui_start -x 120 -y 30
wait_for "Recherche :"
screen_hasnt "no sync when partage_au_demarrage is non" "partage :"
tui_quit_ok "quits" F10
done_testing
