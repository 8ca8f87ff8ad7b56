#!/bin/bash
# 0010: the merge review (m): open proposals one by one with both records
# side by side and their differences marked; keep left (l), not the same
# (n), skip (s); bulk acceptance by a rule shows the count first, then
# merges; each decision is in the history (undoable).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
WITH_LIEUX=1 demo_db
db() { sqlite3 "$QFQ_DB" "$1"; }
open_n() { db "SELECT count(*) FROM merge_proposals WHERE state = 'open'"; }
N=$(open_n)

tui_start -x 120 -y 32
screen_has "the TUI is up" "Recherche :"
keys Tab
keys m
screen_has "m opens the merge review" "Proposition 1 / $N"
screen_has "both sides have their keys" "→ r : garder celle-ci"
screen_has "differences are marked" "≠"
keys s
screen_has "s skips to the next proposal" "Proposition 2 / $N"
keys n
wait_for "Proposition 2 / $((N - 1))"
screen_has "n rejects the pair: one proposal fewer" "Proposition 2 / $((N - 1))"
is "the pair is rejected in the database" "$(db "SELECT count(*) FROM merge_proposals WHERE state = 'rejected'")" 1
BEFORE=$(db "SELECT count(*) FROM structures")
keys l
wait_for "/ $((N - 2))"
is "l merges the right one into the left one" "$(db "SELECT count(*) FROM structures")" $((BEFORE - 1))
is "the merge is a change set naming both" "$(db "SELECT count(*) FROM change_sets WHERE summary LIKE '%fusionnée dans%'")" 1
RULE=$(db "SELECT count(*) FROM merge_proposals m JOIN structures a ON a.id = m.a_id JOIN structures b ON b.id = m.b_id
	WHERE m.kind = 'structure' AND m.state = 'open' AND a.code_insee = b.code_insee")
keys b
screen_has "b shows a rule and its count first" "Règle « même nom, même commune » :"
keys b
screen_has "b again: the next rule" "Règle « même nom » :"
keys b
screen_has "...and the next, with its count" "Règle « nom proche, même commune » : $RULE proposition(s)"
is "nothing merged before Enter" "$(db "SELECT count(*) FROM structures")" $((BEFORE - 1))
keys Enter
screen_has "Enter merges them" "fusion(s) selon « nom proche, même commune »"
check "the rule's proposals are merged" test "$(db "SELECT count(*) FROM structures")" -lt $((BEFORE - 1))
keys Escape
screen_has "Esc goes back" "Recherche :"
tui_quit_ok "quits" F10
run "$QFQ" undo
is "the bulk merge is undone as one change set" "$(db "SELECT count(*) FROM structures")" $((BEFORE - 1))
done_testing
