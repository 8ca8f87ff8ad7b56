#!/bin/bash
# 0020: orienting from a card in two keys (a, a) for the theme searched,
# the slip (f), the Orientations view (list, status change, slip) and the
# Observatoire view (bar charts), against what the store then holds.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db
"$QFQ" config set structure 2 >/dev/null   # the CAF refers
# read-only, so that closing never checkpoints away the WAL the TUI maps
count() { sqlite3 -readonly "$QFQ_DB" "SELECT count(*) FROM referrals"; }

tui_start
wait_for "Recherche :"
type "smartphone"
screen_has "the theme is searched" "▶ Espace Public Numérique d'Alboussière"
keys Enter
screen_has "Enter opens the card" "› Fiche"
screen_has "the card shows the key to orient" "a orienter ici"
keys a
# (at 80 columns the status line wraps between its items, never inside one)
screen_has "a asks to confirm" "a ou Entrée : orienter ici"
screen_has "... or Esc to say no" "Échap : non — pour"
is "nothing recorded before the confirmation" "$(count)" 0
keys Escape
screen_has "Échap cancels" "orientation annulée"
screen_has "and stays on the card" "› Fiche"
is "nothing recorded after cancelling" "$(count)" 0
keys a
wait_for "orienter ici"
keys a
screen_has "the second a records it" "orientation n° 1 enregistrée"
is "one referral in the store" "$(count)" 1
is "to the place, for the theme searched, from the configured structure" \
	"$(sqlite3 -readonly "$QFQ_DB" "SELECT r.to_structure_id || ' ' || t.slug || ' ' || r.from_structure_id || ' ' || r.status || ' ' || r.date
		FROM referrals r JOIN themes t ON t.id = r.theme_id")" "1 smartphone-tablette 2 proposee 2024-07-09"
keys f
screen_has "f shows the slip" "Fiche d'orientation : Espace Public Numérique d'Alboussière"
screen_has "the slip marks today (QFQ_NOW)" "mardi 9 juillet (aujourd'hui)"
screen_has "the slip names who referred" "Orienté par : CAF de l'Ardèche"
keys Escape
screen_has "Échap goes back to the card" "› Fiche"
keys Escape
wait_gone "› Fiche"

# Orientations: the list, a status change, the slip
keys Tab
wait_for "/ chercher"
keys 6
screen_has "6 opens the Orientations view" "Orientations (1, les plus récentes d'abord)"
screen_has "the referral is listed with its status" "1  2024-07-09  proposée         CAF de l'Ardèche → Espace Public"
keys Enter
screen_has "Entrée offers the statuses" "1 prise en charge · 2 réalisée"
keys 2
screen_has "2 sets réalisée" "orientation n° 1 : réalisée"
screen_has "the list shows it" "1  2024-07-09  réalisée         CAF de l'Ardèche → Espace Public"
is "the store has it, dated, by the configured structure" \
	"$(sqlite3 -readonly "$QFQ_DB" "SELECT status || ' ' || status_date FROM referrals; SELECT count(*) FROM referral_history WHERE status = 'realisee' AND by_structure_id = 2")" \
	"realisee 2024-07-09
1"
keys Enter
wait_for "1 prise en charge"
keys 1
screen_has "a final status cannot change" "statut non changé"
keys f
screen_has "f on a referral shows its slip" "Orientation n° 1"
keys Escape
wait_for "Orientations (1"
keys Escape
wait_gone "Orientations (1"

# Observatoire: bars
keys 7
screen_has "7 opens the Observatoire" "1 orientations · réalisées : 100.0 %"
screen_has "by theme" "── Par thème"
screen_has "with a bar" "█"
keys Escape
wait_gone "── Par thème"

# without a theme searched, a asks for one
keys /
keys C-u
type "caf"
wait_for "▶ CAF de l'Ardèche"
keys Escape
keys Tab
keys C-u
wait_for "45 résultats"
keys Enter
wait_for "› Fiche"
keys a
screen_has "a without a theme searched says to search one" "cherchez d'abord un thème"
is "nothing more recorded" "$(count)" 1
tui_quit_ok "F10 quits" F10

done_testing
