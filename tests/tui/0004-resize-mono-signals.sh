#!/bin/bash
# 0004: resizing (80x24, 200x60, too small and back), monochrome terminals
# (TERM=vt100, NO_COLOR), and the terminal restored on signals.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db

tui_start -x 80 -y 24
wait_for "45 résultats"
type "alboussiere"
screen_has "80x24: the list" "▶ Espace Public Numérique d'Alboussière"
screen_has "80x24: the card below the list" "─ Fiche ─"

tmx resize-window -t t -x 200 -y 60
screen_has "200x60: the card moves beside the list" "│ Espace Public Numérique d'Alboussière"
screen_hasnt "200x60: no card rule below the list" "─ Fiche ─"
wait_for "│ Espace Public"
is "200x60: the screen is 60 lines" "$(wc -l <"$TMP/screen")" 60
screen_has "200x60: the whole card fits (members)" "• Julien Roux — conseiller numérique"
screen_has "200x60: the search line kept its text" "Recherche : alboussiere"
wait_for "F10 quitter" && tail -n 1 "$TMP/screen" >"$TMP/last"
has "200x60: the status line is on the last line" "$TMP/last" "F10 quitter"

tmx resize-window -t t -x 50 -y 12
screen_has "50x12: too small, says so" "Terminal trop petit"
tmx resize-window -t t -x 80 -y 24
screen_has "back to 80x24: the screen comes back" "─ Fiche ─"
screen_hasnt "no message left over" "Terminal trop petit"
screen_has "the selection survived the resizes" "▶ Espace Public Numérique d'Alboussière"
is "80x24: the screen is 24 lines" "$(wc -l <"$TMP/screen")" 24
tui_quit_ok "quits cleanly after resizing" F10

# vt100: no colour, no function-key assumptions beyond the basics.
tui_start -t vt100
screen_has "TERM=vt100 starts" "Recherche :"
type "caf"
screen_has "TERM=vt100: the search works" "▶ CAF de l'Ardèche"
screen_has "TERM=vt100: the selection has a marker, not only a colour" "▶"
keys Enter
screen_has "TERM=vt100: Enter opens the card" "› Fiche"
keys Escape
wait_gone "› Fiche"
tui_quit_ok "TERM=vt100: quits cleanly (Ctrl-C)" -k C-c

# NO_COLOR: the same, and the pane carries no colour attributes.
NO_COLOR=1 tui_start
wait_for "45 résultats"
tmx capture-pane -p -e -t t >"$TMP/esc"
if grep -qE $'\e\\[[0-9;]*3[0-7]m|\e\\[[0-9;]*38;5;' "$TMP/esc"; then r=0; else r=1; fi
_result $r "NO_COLOR: no colour on the screen"
has "NO_COLOR: the current view is marked by brackets" "$TMP/esc" "[1 Structures]"
tui_quit_ok "NO_COLOR: quits cleanly" F10

# With colours the screen does use them (the check above can fail).
NO_COLOR= tui_start
wait_for "45 résultats"
tmx capture-pane -p -e -t t >"$TMP/esc"
if grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7])m|\e\\[[0-9;]*(38|48);5;' "$TMP/esc"; then r=1; else r=0; fi
_result $r "xterm-256color: colours are used"

# Signals: the terminal is restored and the process dies of the signal.
pid=$(pgrep -n -f "$QFQ tui" || true)
check "the qfq process is found" test -n "$pid"
kill -TERM "$pid"
if wait_for "qfq exited 143" 5 && ! grep -qF "Recherche :" "$TMP/screen"; then r=1; else r=0; screen; fi
_result $r "SIGTERM: the terminal is restored, exit 143"
tmx capture-pane -p -t t -S - -E - >/dev/null
keys -l "echo cursor-ok"
tui_start
wait_for "45 résultats"
pid=$(pgrep -n -f "$QFQ tui" || true)
kill -HUP "$pid"
if wait_for "qfq exited 129" 5 && ! grep -qF "Recherche :" "$TMP/screen"; then r=1; else r=0; screen; fi
_result $r "SIGHUP: the terminal is restored, exit 129"

done_testing
