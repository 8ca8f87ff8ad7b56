#!/bin/bash
# 0402: qfq slip: the fiche d'orientation of a referral or of a place, in
# text (lines under 160 characters, the seven days in French with today's
# marked) and in self-contained HTML (parsed), handed to lp with --print.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
export QFQ_NOW=2026-03-02T10:00   # a Monday
A=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures WHERE nom LIKE 'CAPLAB%'")
B=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures WHERE nom = 'France Services Les Ollières Sur Eyrieux'")
"$QFQ" config set structure "$A" >/dev/null
R=$("$QFQ" orient --to "$B" --theme démarches)

run "$QFQ" slip "$R"
is "slip ID exits 0" "$status" 0
has "the place's name" "$TMP/out" "France Services Les Ollières Sur Eyrieux"
has "its address" "$TMP/out" "70 Le Bas Pranles, 07360 Les Ollières-sur-Eyrieux"
has "what for" "$TMP/out" "Pour : Aide aux démarches administratives"
has "today is marked, in French" "$TMP/out" "- lundi 2 mars (aujourd'hui) : 09:00–12:00, 13:30–16:30"
has "Tuesday's own hours (Tu rule)" "$TMP/out" "- mardi 3 mars : 09:00–12:30, 13:30–16:00"
has "a closed day" "$TMP/out" "- samedi 7 mars : fermé"
hasnt "no eighth day" "$TMP/out" "lundi 9 mars"
has "who referred" "$TMP/out" "Orienté par : $(sqlite3 "$QFQ_DB" "SELECT nom FROM structures WHERE id = $A")"
has "the referral number" "$TMP/out" "Orientation n° $R"
is "seven day lines" "$(grep -c '^- ' "$TMP/out")" 7
check "every line is under 160 characters" awk 'length($0) >= 160 { exit 1 }' "$TMP/out"
hasnt "no decoration (no box drawing)" "$TMP/out" "─"

# a long field is wrapped, not cut
sqlite3 "$QFQ_DB" "UPDATE structures SET site_web = 'https://example.org/' || replace(hex(zeroblob(100)), '0', 'a') || ' fin' WHERE id = $B"
run "$QFQ" slip "$R"
check "a long line is wrapped under 160 characters" awk 'length($0) >= 160 { exit 1 }' "$TMP/out"
has "nothing is lost by wrapping" "$TMP/out" "fin"

run "$QFQ" slip --to "$B" --theme smartphone
is "slip --to exits 0" "$status" 0
has "slip --to: the theme" "$TMP/out" "Pour : Prendre en main un smartphone"
hasnt "slip --to: no referral number" "$TMP/out" "Orientation n°"
is "slip --to records nothing" "$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM referrals")" 1

run "$QFQ" slip "$R" --to "$B"
is "a number and --to exits 2" "$status" 2
run "$QFQ" slip 999
is "an unknown referral exits 1" "$status" 1
run "$QFQ" slip "$R" --format pdf
is "an unknown format exits 2" "$status" 2

# HTML: parsed, escaped, with a print stylesheet, nothing fetched from outside
sqlite3 "$QFQ_DB" "UPDATE structures SET telephone = '04 <b>&amp;' || char(27) || '[31m' WHERE id = $B"
run "$QFQ" slip "$R" --format html
is "slip --format html exits 0" "$status" 0
check "the HTML is well-formed XML" python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$TMP/out"
has "a print stylesheet for A4" "$TMP/out" "@page { size: A4"
has "today's row is marked" "$TMP/out" '<tr class="aujourdhui"><td>lundi 2 mars'
has "data is escaped" "$TMP/out" "04 &lt;b&gt;&amp;amp;"
hasnt "no escape byte" "$TMP/out" $'\e'
hasnt "self-contained: no external resource" "$TMP/out" "src="
hasnt "self-contained: no link" "$TMP/out" "<link"

# --print hands the document to lp
mkdir -p "$TMP/bin"
printf '#!/bin/sh\ncat >"%s/printed"\n' "$TMP" >"$TMP/bin/lp"
chmod +x "$TMP/bin/lp"
run env PATH="$TMP/bin:$PATH" "$QFQ" slip "$R" --print
is "slip --print exits 0" "$status" 0
is "slip --print writes nothing on stdout" "$(cat "$TMP/out")" ""
has "lp received the slip" "$TMP/printed" "France Services Les Ollières Sur Eyrieux"
run env PATH="$TMP/nothing" "$QFQ" slip "$R" --print
is "without lp, --print exits 4" "$status" 4
has "and says CUPS is missing" "$TMP/err" "lp (CUPS)"

done_testing
