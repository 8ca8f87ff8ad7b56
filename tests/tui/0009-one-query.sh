#!/bin/bash
# 0009: one query model. The same typed words and filters give the same
# places in the same order in `qfq search`, the full-screen interface and
# the line mode (--plain): each shape runs through the three and the first
# rows are compared. Also: no place with unknown hours is ever reported open.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/tmux.sh"
tui_db
N=10   # rows compared

# shape: TEXT|FILTERS (o: open now, s: without appointment, u: unknown hours too)
shapes=(
	"caf|"
	"caf privas|"
	"privas|"
	"smartphone|"
	"tournon-sur-rhône|"
	"mairie annexe|"
	"alboussiere|"
	"mediatheque|"
	"démarches privas|o"
	"privas|s"
	"caf|o"
	"démarches privas|ou"
	"espace public numerique|"
)

# The CLI's names, one a line (the shell is the reference).
cli_names() { # text filters
	local args=(search --format tsv --limit "$N" --no-commune)
	case $2 in *o*) args+=(--open-at "$QFQ_NOW") ;; esac
	case $2 in *s*) args+=(--sans-rdv) ;; esac
	case $2 in *u*) args+=(--unknown-hours) ;; esac
	# shellcheck disable=SC2086
	"$QFQ" "${args[@]}" $1 2>"$TMP/cli_err" | awk -F'\t' 'NR > 1 { print $2 }' >"$TMP/cli"
	# how the shell read it: its first part is what the TUI's reading line says
	sed -n 's/^compris : //p' "$TMP/cli_err" | awk -F' · ' '{ print $1 }' >"$TMP/reading"
}

# Polls until two captures a fifth of a second apart are the same.
settle() {
	local a b i=0
	a=$(tmx capture-pane -p -t t)
	while [ $i -lt 50 ]; do
		sleep 0.2
		b=$(tmx capture-pane -p -t t)
		[ "$a" = "$b" ] && { printf '%s\n' "$b" >"$TMP/screen"; return 0; }
		a=$b
		i=$((i + 1))
	done
	return 1
}

for shape in "${shapes[@]}"; do
	text=${shape%%|*}
	filt=${shape#*|}
	desc="\"$text\"${filt:+ +$filt}"
	cli_names "$text" "$filt"
	check "$desc: the shell finds something" test -s "$TMP/cli"

	# --plain: the numbered lines start with the shell's names, in its order
	# (:o there is the moment QFQ_NOW, :u the unknown hours after)
	{
		case $filt in *o*) echo ":o" ;; esac
		case $filt in *s*) echo ":s" ;; esac
		case $filt in *u*) echo ":u" ;; esac
		echo "$text"
		echo ":q"
	} | "$QFQ" --plain tui >"$TMP/plain" 2>&1
	python3 - "$TMP/cli" "$TMP/plain" <<'PY'
import re, sys
cli = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
plain = [l for l in open(sys.argv[2], encoding="utf-8")]
# the last answer's numbered lines
rows = {}
for l in plain:
    m = re.match(r"^(?:> )*(\d+)\. (.*)$", l.rstrip("\n"))
    if m:
        rows[int(m.group(1))] = m.group(2)
got = [rows[i] for i in sorted(rows)][:len(cli)]
bad = [(c, g) for c, g in zip(cli, got) if not g.startswith(c + ",") and g != c and not g.startswith(c + " —")]
sys.exit(1 if bad or len(got) < len(cli) else 0)
PY
	check "$desc: --plain gives the shell's places in its order" test $? -eq 0

	# the full-screen interface, wide: the list's name column
	tui_start -x 200 -y 60
	wait_for "Recherche :"
	type "$text"
	wait_for "$(cat "$TMP/reading")"
	if [ -n "$filt" ]; then
		keys Tab
		case $filt in *o*) keys o; wait_for "ouvert maintenant" ;; esac
		case $filt in *s*) keys s; wait_for "sans rendez-vous" ;; esac
		case $filt in *u*) keys u; wait_for "h. inconnus" ;; esac
	fi
	settle
	python3 - "$TMP/cli" "$TMP/screen" <<'PY'
import re, sys
cli = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
screen = open(sys.argv[2], encoding="utf-8").read().split("\n")
rows = []
started = False
for l in screen:
    if l.startswith("  Nom"):
        started = True
        continue
    if started:
        # wide characters take two columns: the name is what comes before
        # the first run of two spaces (or the cut of its column)
        cell = re.split(r"\s{2,}", l[2:])[0] if l[2:].strip() else ""
        if not cell.strip():
            break
        rows.append(cell.rstrip("…").strip())
got = rows[:len(cli)]
bad = [(c, g) for c, g in zip(cli, got) if not c.startswith(g)]
if bad or len(got) < len(cli):
    print("# cli:", cli, file=sys.stderr)
    print("# tui:", got, file=sys.stderr)
    sys.exit(1)
PY
	check "$desc: the full-screen list gives the shell's places in its order" test $? -eq 0
	keys F10
done

# Unknown hours are never reported open: the shell (table, tsv, json), the
# line mode and the interface.
sqlite3 "$QFQ_DB" "SELECT nom FROM structures WHERE horaires IS NULL OR horaires = ''" >"$TMP/unknown"
check "the fixture has places with unknown hours" test -s "$TMP/unknown"
for when in "$QFQ_NOW" "mardi 14:00" "samedi 10:00" "dimanche 03:00"; do
	"$QFQ" search --format json --no-commune --open-at "$when" --unknown-hours >"$TMP/j" 2>/dev/null
	python3 - "$TMP/j" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    d = []
assert all(not (x["ouvert"] is True and not x["horaires"]) for x in d), d
assert all(x["ouvert"] in (True, None) for x in d), "a closed place is never listed"
PY
	check "open at $when: no place with unknown hours is open (json, with --unknown-hours)" test $? -eq 0
	"$QFQ" search --format tsv --no-commune --open-at "$when" 2>/dev/null | awk -F'\t' 'NR > 1 { print $2 }' >"$TMP/open"
	if grep -qxFf "$TMP/unknown" "$TMP/open"; then r=0; else r=1; fi
	_result $r "open at $when: no place with unknown hours is listed open (tsv)"
done
printf ':o\nprivas\n:q\n' | "$QFQ" --plain tui >"$TMP/plain" 2>&1
while read -r nom; do
	if grep -qF "$nom, " "$TMP/plain" && grep -F "$nom, " "$TMP/plain" | grep -q "ouvert maintenant"; then
		echo "# $nom said open" >&2
		r=0
		break
	fi
	r=1
done <"$TMP/unknown"
_result $r "the line mode never says a place with unknown hours is open"

# The Thèmes view counts what `qfq themes` counts (the engine's definition).
"$QFQ" themes --format tsv >"$TMP/themes"
tui_start -x 120 -y 60
wait_for "Recherche :"
keys F4
wait_for "Thèmes, taper / pour réduire"
settle
python3 - "$TMP/themes" "$TMP/screen" <<'PY'
import re, sys
want = {}
for l in open(sys.argv[1], encoding="utf-8").read().split("\n")[1:]:
    f = l.split("\t")
    if len(f) == 4:
        want[f[1]] = f[3]
bad, seen = [], 0
for l in open(sys.argv[2], encoding="utf-8"):
    m = re.match(r"^\s*[▶ ]?\s*(.+?)\s{2,}(\d+)\s*$", l.rstrip("\n"))
    if m and m.group(1).strip() in want:
        seen += 1
        if want[m.group(1).strip()] != m.group(2):
            bad.append((m.group(1), m.group(2), want[m.group(1).strip()]))
if bad or seen < 10:
    print("# bad:", bad, "seen:", seen, file=sys.stderr)
    sys.exit(1)
PY
check "the Thèmes view shows the numbers of qfq themes" test $? -eq 0
keys F10

# Why, in the list's card pane: the same reasons as the shell's Motif.
motif=$("$QFQ" search --format tsv --no-commune caf 2>/dev/null | awk -F'\t' 'NR == 2 { print $NF }')
tui_start -x 120 -y 40
wait_for "Recherche :"
type "caf"
wait_for "nom « caf »"
screen_has "the card pane says why the first place matched" "Pourquoi : $motif"
keys F10

# Persons by competence: the Personnes view finds whom `qfq persons --theme`
# and `qfq search --persons` find, and says where each competence comes from.
"$QFQ" persons --theme smartphone --format tsv --no-commune 2>/dev/null |
	awk -F'\t' 'NR > 1 { print $3 " " $2 }' >"$TMP/pp"
"$QFQ" search --persons smartphone --format tsv --no-commune 2>/dev/null |
	awk -F'\t' 'NR > 1 { print $3 " " $2 }' >"$TMP/sp"
check "persons --theme finds somebody" test -s "$TMP/pp"
is "persons --theme smartphone and search --persons smartphone agree" "$(sort "$TMP/pp")" "$(sort "$TMP/sp")"
tui_start -x 120 -y 40
wait_for "Recherche :"
keys F3
wait_for "Personne :"
type "smartphone"
wait_for "thème « Prendre en main un smartphone"
settle
while read -r who; do
	screen_has "the Personnes view lists $who" "$who"
done <"$TMP/pp"
screen_has "the pane says where the competence comes from" "Compétences : "
if grep -q "Compétences : .*|" "$TMP/screen"; then r=0; else r=1; fi
_result $r "no raw separator in the competences"
keys F10

done_testing

