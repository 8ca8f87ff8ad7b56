#!/bin/bash
# 0011: one output policy for every writer (src/out/out.h). Control
# characters, escape sequences, C1, direction marks and overrides,
# zero-width characters and BOMs in the data or in an echoed argument never
# reach a terminal: table, tsv, csv, the card, --plain and the messages on
# stderr show a visible replacement; JSON escapes them (nothing lost).
# csv and tsv cells that a spreadsheet would run as a formula get a
# leading ' (numbers such as "-0.5" stay numbers); --raw-cells turns it off.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
U="python3 $QFQ_SRCDIR/tests/cli/unsafe.py"
db() { sqlite3 "$QFQ_DB" "$1"; }

# Every kind of unsafe character, in every text field of one structure.
H=$(printf '\e]0;pwned\a|\e]52;c;aGk=\a|\e[2J|\xc2\x9b31m|A\u200fB\u200eC\u061cD\u202eE\u2066F\u200bG\ufeffH\u2028I|\x01\x7f|\xff\xfe|\xc0\xaf|\xf3\xa0\x80\x81')
ID=$(db "SELECT min(id) FROM structures WHERE code_insee = '07186'")
HQ=$(printf '%s' "$H" | sed "s/'/''/g")
db "UPDATE structures SET nom = '=HYPERLINK(\"http://x.example\",\"Zorglub\") $HQ', nom_norm = 'zorglub',
	adresse = '+cmd|'' /C calc''!A0 $HQ', telephone = '@SUM(1+1) $HQ', site_web = '-2+3 $HQ',
	courriels = 'x@example.org', presentation_resume = '$HQ', presentation_detail = '$HQ',
	horaires = 'Mo-Fr 09:00-12:00', source_id = 'zorg-1', date_maj = '2024-01-01'
	WHERE id = $ID"
# and a place near Bordeaux: its longitude is negative
ID2=$(db "SELECT max(id) FROM structures WHERE code_insee = '07186'")
db "UPDATE structures SET nom = 'Médiathèque Zorglub Ouest', code_insee = '33063', code_postal = '33000',
	adresse = '1 rue X', latitude = 44.85, longitude = -0.5, coord_exact = 1, source_id = 'zorg-2',
	date_maj = '2024-01-01' WHERE id = $ID2"
check "the hostile structure is in place" test "$(db "SELECT count(*) FROM structures WHERE nom LIKE '=HYPERLINK%'")" = 1
"$QFQ" reindex >/dev/null 2>&1

for f in table tsv csv json; do
	run "$QFQ" search --commune Privas --radius 100 --limit 200 --format "$f"
	is "search --format $f: exit 0" "$status" 0
	has "search --format $f: the structure is listed" "$TMP/out" "Zorglub"
	check "search --format $f: nothing unsafe on stdout" $U "$TMP/out"
done
run "$QFQ" search --commune Privas --radius 100 --limit 200 --format json
check "json: valid, and the unsafe characters are kept as escapes" python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
rows = rows.get("results", rows) if isinstance(rows, dict) else rows
names = [r["nom"] for r in rows if "Zorglub" in r["nom"]]
n = names[0]
sys.exit(0 if all(c in n for c in "\u200f\u061c\u202e\u2066\u200b\ufeff\u2028\x1b\x07\x9b") else 1)' "$TMP/out"
has "json: ESC escaped" "$TMP/out" '\u001b]0;pwned\u0007'
has "json: a tag character as a surrogate pair" "$TMP/out" '\udb40\udc01'

run "$QFQ" search --commune Privas --radius 100 --limit 200 --format csv
check "csv: parses" python3 -c 'import csv,sys; list(csv.reader(open(sys.argv[1], newline="")))' "$TMP/out"
cell() { # column name -> the hostile row's cell
	python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"), delimiter=sys.argv[3]):
    if "Zorglub" in r["nom"]:
        print(r[sys.argv[2]]); break' "$TMP/out" "$1" "${2:-,}"
}
is "csv: a formula name gets a leading '" "$(cell nom | cut -c1-11)" "'=HYPERLINK"
is "csv: a + address gets a leading '" "$(cell adresse | cut -c1-5)" "'+cmd"
is "csv: an @ phone gets a leading '" "$(cell telephone | cut -c1-5)" "'@SUM"
is "csv: a - site gets a leading '" "$(cell site_web | cut -c1-4)" "'-2+"
run "$QFQ" search --commune Privas --radius 100 --limit 200 --format tsv
is "tsv: a formula name gets a leading '" "$(cell nom $'\t' | cut -c1-11)" "'=HYPERLINK"
ocell() { # column name -> the Bordeaux row's cell
	python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"), delimiter=sys.argv[3]):
    if "Ouest" in r["nom"]:
        print(r[sys.argv[2]]); break' "$TMP/out" "$1" "${2:-,}"
}
run "$QFQ" search --commune Bordeaux --radius 20 --format csv
is "csv: a negative longitude stays a number" "$(ocell longitude)" "-0.500000"
run "$QFQ" search --commune Bordeaux --radius 20 --format tsv
is "tsv: a negative longitude stays a number" "$(ocell longitude $'\t')" "-0.500000"
run "$QFQ" --raw-cells search --commune Privas --radius 100 --limit 200 --format csv
is "--raw-cells: the cell as it is" "$(cell nom | cut -c1-10)" "=HYPERLINK"
check "--raw-cells: still nothing unsafe" $U "$TMP/out"

run "$QFQ" show "$ID"
is "show: exit 0" "$status" 0
has "show: the card is shown" "$TMP/out" "Zorglub"
check "show: nothing unsafe" $U "$TMP/out" "$TMP/err"
run "$QFQ" show "$ID" --format json
check "show --format json: nothing unsafe" $U "$TMP/out"

printf 'zorglub\n1\n:q\n' | "$QFQ" --plain tui >"$TMP/out" 2>"$TMP/err"
has "--plain: the structure is listed" "$TMP/out" "Zorglub"
check "--plain: nothing unsafe" $U "$TMP/out" "$TMP/err"

run "$QFQ" export lieux --all
is "export lieux: exit 0" "$status" 0
check "export lieux (to a terminal or not): no ESC]0;...BEL, nothing unsafe" $U "$TMP/out"
if grep -q $'\e]0;' "$TMP/out"; then r=0; else r=1; fi
_result $r "export lieux: the window-title sequence is not written"
is "export lieux: a formula name gets a leading '" "$(cell nom | cut -c1-11)" "'=HYPERLINK"
is "export lieux: a negative longitude stays a number" "$(ocell longitude)" "-0.5"
run "$QFQ" export lieux --all --format json
check "export lieux --format json: nothing unsafe" $U "$TMP/out"
run "$QFQ" --raw-cells export lieux --all
is "export lieux --raw-cells: the cell as it is" "$(cell nom | cut -c1-10)" "=HYPERLINK"

# Arguments echoed in messages on stderr.
A=$(printf 'X\e]0;t\aY\u202eZ\xff\u200b')
for args in "commune $A" "search --commune $A" "search --theme $A" "show $A" "persons --structure $A" \
	"persons --theme $A" "export lieux --commune $A" "merge $A 1" "config set commune $A" "frobnicate $A"; do
	read -r -a argv <<<"$args"
	argv[${#argv[@]}-1]=$A
	[ "${args%% *}" = merge ] && argv=(merge "$A" 1)
	run "$QFQ" "${argv[@]}"
	check "qfq ${args%% *} ${argv[1]%%"$A"*}…: refused (exit $status)" test "$status" -ne 0
	check "qfq ${args%% *} ${argv[1]%%"$A"*}…: the echoed argument is sanitized" $U "$TMP/err" "$TMP/out"
done
run "$QFQ" --db "$TMP/$A.db" search caf
check "a database path with escapes: sanitized in the message" $U "$TMP/err"
has "a database path with escapes: visible replacement" "$TMP/err" "X�Y"

done_testing
