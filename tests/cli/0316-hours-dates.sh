#!/bin/bash
# 0316: opening hours that depend on the date (issue 16): a permanence held
# on the second Thursday of the month is found that day and not on the
# first; a place closed in August is closed then and opens next on 1
# September; the half-hour bitmaps, the spans and the scans in C give the
# same answers as an evaluation of each place; the card reads the new
# forms in French.
. "$(dirname "$0")/lib.sh"
init_db

sqlite3 "$QFQ_DB" <<'SQL' || { echo "Bail out! fixture"; exit 1; }
PRAGMA foreign_keys = ON;
INSERT INTO structures(id, nom, nom_norm, typologie, code_insee, latitude, longitude, coord_exact, horaires) VALUES
 (1, 'Mairie de Privas', 'mairie privas', 'MUNI', '07186', 44.7220, 4.5960, 1, 'Mo-Fr 09:00-12:00; Aug off'),
 (2, 'CIDFF de Lyon', 'cidff lyon', 'CIDFF', '69123', 45.7588, 4.8361, 1, 'Mo-Fr 09:00-17:00'),
 (3, 'EPN d''Aubenas', 'epn aubenas', 'EPN', '07019', 44.6107, 4.3942, 1, 'Mo-Sa 08:00-18:00'),
 (4, 'Point info Privas', 'point info privas', 'ASSO', '07186', 44.7230, 4.5970, 1, 'Sa[1] 10:00-12:00; Th[2] 09:00-12:00'),
 (5, 'Espace numérique Privas', 'espace numerique privas', 'EPN', '07186', 44.7240, 4.5980, 1,
  'Mo-Fr 09:00-18:00; Mo-Fr 12:00-14:00 off'),
 (6, 'Maison France Services Privas', 'maison france services privas', 'MSAP', '07186', 44.7250, 4.5990, 1,
  'Mo-Fr 09:00-17:00; PH off'),
 (7, 'Atelier du soir Privas', 'atelier soir privas', 'ASSO', '07186', 44.7260, 4.6000, 1, 'off');
INSERT INTO structure_themes SELECT s, (SELECT id FROM themes WHERE slug = 'aide-demarches-administratives')
 FROM (SELECT 1 s UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5
       UNION ALL SELECT 6 UNION ALL SELECT 7);
INSERT INTO permanences(structure_id, code_insee, horaires) VALUES (2, '07186', 'Th[2] 09:00-12:00');
SQL
run "$QFQ" reindex
is "reindex exits 0" "$status" 0
is "a date-dependent value is marked for exact evaluation" \
	"$(sqlite3 "$QFQ_DB" "SELECT start_min, end_min FROM structure_hours WHERE structure_id = 1")" "-1|-1"
is "a weekly value keeps its spans" \
	"$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM structure_hours WHERE structure_id = 5")" 10

ids() { awk -F'\t' 'NR > 1 { printf "%s%s", sep, $1; sep = " " }' "$TMP/out"; }
col() {
	awk -F'\t' -v k="$1" -v id="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i; next } $1 == id { print $c }' "$TMP/out"
}

# The state of one place at a moment, from its card (a search at that
# moment lists only the places known to be open: issue 10).
state() {
	QFQ_NOW="$2" "$QFQ" show "$1" --format json 2>/dev/null |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d.get("ouvert")), d.get("prochaine_ouverture") or "")'
}
listed() { awk -F'\t' -v id="$1" 'NR > 1 && $1 == id { f = 1 } END { print f ? "listed" : "absent" }' "$TMP/out"; }

# January 2027: Thursdays 7, 14, 21, 28
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5 --open-at 2027-01-14T10:00
is "second Thursday: the permanence written Th[2] is found" "$status" 0
has "second Thursday: the CIDFF through its permanence" "$TMP/out" "CIDFF de Lyon"
has "second Thursday: the motif says the permanence" "$TMP/out" "permanence à Privas"
is "second Thursday: the Point info (Th[2]) is open" "$(col ouvert 4)" true
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5 --open-at 2027-01-07T10:00
hasnt "first Thursday: the permanence is not held, the CIDFF is not found" "$TMP/out" "CIDFF de Lyon"
is "first Thursday: the Point info, closed, is not listed" "$(listed 4)" absent
is "first Thursday: the Point info is closed and opens next on the second (14 January)" "$(state 4 2027-01-07T10:00)" "false 2027-01-14T09:00"

run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5 --open-at 2027-08-03T10:00
is "August: the mairie, closed, is not listed" "$(listed 1)" absent
is "August: the mairie is closed and opens next on 1 September" "$(state 1 2027-08-03T10:00)" "false 2027-09-01T09:00"
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5 --open-at 2027-07-27T10:00
is "July: the mairie is open" "$(col ouvert 1)" true
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5 --open-at 2027-07-27T12:30
is "a lunch break written as off: closed at 12:30 (not listed)" "$(listed 5)" absent
is "a lunch break written as off: closed at 12:30 (card)" "$(state 5 2027-07-27T12:30)" "false 2027-07-27T14:00"
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5 --open-at 2027-07-27T15:00
is "a lunch break written as off: open at 15:00" "$(col ouvert 5)" true
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5 --open-at 2027-07-14T10:00
is "14 July (a public holiday, no PH rule): an ordinary Wednesday" "$(col ouvert 5)" true
is "14 July: PH off closes the Maison France Services (not listed)" "$(listed 6)" absent
is "14 July: it is closed and opens next on the 15th" "$(state 6 2027-07-14T10:00)" "false 2027-07-15T09:00"
is "a value that never opens is closed (not unknown)" "$(state 7 2027-07-14T10:00 | cut -d' ' -f1)" false
is "PH rules are marked for exact evaluation on holidays" \
	"$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM structure_hours WHERE structure_id = 6 AND start_min = -2")" 1

# The same answers from the bitmaps, from the spans alone, and from SQL alone.
cp "$QFQ_DB" "$TMP/spans.db"
sqlite3 "$TMP/spans.db" "DELETE FROM hour_bitmaps"
for when in 2027-01-14T10:00 2027-01-07T10:00 2027-08-03T10:00 2027-07-27T10:00 2027-01-02T11:00 \
	2027-07-14T10:00 2027-07-15T10:00; do
	"$QFQ" search --format tsv --theme démarches --commune Privas --radius 60 --open-at "$when" >"$TMP/a" 2>&1
	"$QFQ" --db "$TMP/spans.db" search --format tsv --theme démarches --commune Privas --radius 60 \
		--open-at "$when" >"$TMP/b" 2>&1
	QFQ_SEARCH_NO_SCAN=1 "$QFQ" search --format tsv --theme démarches --commune Privas --radius 60 \
		--open-at "$when" >"$TMP/c" 2>&1
	is "$when: bitmaps and spans agree" "$(cat "$TMP/a")" "$(cat "$TMP/b")"
	is "$when: scans and SQL agree" "$(cat "$TMP/a")" "$(cat "$TMP/c")"
done
"$QFQ" search --format tsv --theme démarches --open-at 2027-01-02T11:00 >"$TMP/out"
is "a text-less theme search (no place) evaluates exactly too: 1st Saturday open" "$(col ouvert 4)" true

run "$QFQ" show "Mairie de Privas"
has "the card reads the closure in French" "$TMP/out" "fermé en août"
run "$QFQ" show "Point info Privas"
has "the card reads the nth Thursday in French" "$TMP/out" "le 2e jeudi du mois 09:00"
has "the card reads the nth Saturday in French" "$TMP/out" "le 1er samedi du mois 10:00"
done_testing
