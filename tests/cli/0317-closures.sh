#!/bin/bash
# 0317: temporary closures (qfq edit ... fermeture=FROM..TO) decide the
# state: a place closed for the holidays is not "open" in a search at a
# time within them, whatever its weekly hours say; it is known closed even
# when its hours are unknown; its card, JSON and slip say until when and
# when it opens next; the same search before or after the closure is
# unchanged; a closure "until further notice" has no next opening. When
# nothing is open at the time asked, the next openings are listed instead
# (DESK 2), in the shell and in the line mode.
. "$(dirname "$0")/lib.sh"
init_db

sqlite3 "$QFQ_DB" <<'SQL' || { echo "Bail out! fixture"; exit 1; }
INSERT INTO structures(id, nom, nom_norm, typologie, code_insee, latitude, longitude, coord_exact, horaires) VALUES
 (1, 'Mairie de Privas', 'mairie privas', 'MUNI', '07186', 44.7220, 4.5960, 1, 'Mo-Fr 09:00-17:00'),
 (2, 'EPN de Privas', 'epn privas', 'EPN', '07186', 44.7230, 4.5970, 1, 'Mo-Fr 09:00-17:00'),
 (3, 'Point info Privas', 'point info privas', 'ASSO', '07186', 44.7240, 4.5980, 1, NULL),
 (4, 'Atelier Privas', 'atelier privas', 'ASSO', '07186', 44.7250, 4.5990, 1, 'Mo-Fr 09:00-17:00; Mo 12:00-14:00 off');
INSERT INTO structure_themes SELECT s, (SELECT id FROM themes WHERE slug = 'aide-demarches-administratives')
 FROM (SELECT 1 s UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4);
SQL
run "$QFQ" reindex
is "reindex exits 0" "$status" 0

run "$QFQ" edit structure 1 fermeture=2027-12-20..2028-01-02
is "a closure is recorded" "$status" 0
run "$QFQ" edit structure 3 fermeture=2027-12-20..2028-01-02
run "$QFQ" edit structure 4 fermeture=2027-12-01..
is "a closure until further notice is recorded" "$status" 0
is "the closures are found through their index" \
	"$(sqlite3 "$QFQ_DB" "EXPLAIN QUERY PLAN SELECT id FROM structures WHERE ferme_du IS NOT NULL AND ferme_du <= '2027-12-21'" | grep -c structures_closure)" 1

listed() { awk -F'\t' -v id="$1" 'NR > 1 && $1 == id { f = 1 } END { print f ? "listed" : "absent" }' "$TMP/out"; }
col() {
	awk -F'\t' -v k="$1" -v id="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == k) c = i; next } $1 == id { print $c }' "$TMP/out"
}
card() {
	QFQ_NOW="$2" "$QFQ" show "$1" --format json 2>/dev/null |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(d.get("ouvert")), d.get("prochaine_ouverture") or "-")'
}

# Tuesday 21 December 2027, 10:00: within the closure
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5 --open-at 2027-12-21T10:00
is "within the closure: the search exits 0" "$status" 0
is "within the closure: the mairie is not listed as open" "$(listed 1)" absent
is "within the closure: the EPN (no closure) is open" "$(col ouvert 2)" true
is "closed until further notice: not listed" "$(listed 4)" absent
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5 --open-at 2027-12-21T10:00 --unknown-hours
is "with unknown hours asked: the point info, whose hours are unknown but closed, is not added" "$(listed 3)" absent
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5
is "a search without a time still lists the closed place" "$(listed 1)" listed
is "the card within the closure: closed, opens next on Monday 3 January 2028" "$(card 1 2027-12-21T10:00)" "false 2028-01-03T09:00"
is "the card of a place with unknown hours within its closure: known closed, no next opening" "$(card 3 2027-12-21T10:00)" "false -"
is "closed until further notice: no next opening" "$(card 4 2027-12-21T10:00)" "false -"
is "the last day of the closure is closed" "$(card 1 2028-01-02T10:00 | cut -d' ' -f1)" false

# before and after the closure: the weekly hours again
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5 --open-at 2027-12-17T10:00
is "the Friday before: the mairie is open" "$(col ouvert 1)" true
is "the Friday before, the card: open" "$(card 1 2027-12-17T10:00 | cut -d' ' -f1)" true
is "the Friday before, after closing time: opens next after the closure" "$(card 1 2027-12-17T18:00)" "false 2028-01-03T09:00"
run "$QFQ" search --format tsv --theme démarches --commune Privas --radius 5 --open-at 2028-01-03T10:00
is "the Monday after: the mairie is open" "$(col ouvert 1)" true

# nothing open (DESK 2): the next openings, soonest first, never unknown hours
run "$QFQ" search --theme démarches --commune Privas --radius 5 --open-at 2027-12-21T20:00
is "nothing open at 20:00: exit 1" "$status" 1
has "nothing open: said so" "$TMP/err" "nothing open at that time; the next openings"
is "the next openings: the EPN (tomorrow) then the mairie (after its closure); not the unknown hours, not the one closed until further notice" \
	"$(awk 'NR > 2 { sub(/  .*/, ""); print }' "$TMP/out" | paste -sd,)" "EPN de Privas,Mairie de Privas"
has "the next opening is in the state column" "$TMP/out" "03/01 09:00"
run "$QFQ" search --theme démarches --commune Privas --radius 5 --open-at 2027-12-21T20:00 --format tsv
is "nothing open, tsv: nothing written but the header (scripts)" "$(wc -l <"$TMP/out")" 1
printf ':o\ndémarches privas\n:q\n' | QFQ_NOW=2027-12-21T20:00 "$QFQ" --plain tui >"$TMP/plain" 2>&1
has "line mode: nothing open said, then the next openings" "$TMP/plain" "Prochaines ouvertures"
has "line mode: the EPN opens tomorrow" "$TMP/plain" "EPN de Privas, Privas, à 0,2 km, fermé, ouvre demain à 09:00"

# the words, in French
export LANGUAGE= LC_ALL=fr_FR.UTF-8
QFQ_NOW=2027-12-21T10:00 "$QFQ" show 1 >"$TMP/card" 2>&1
has "the card says until when" "$TMP/card" "fermé temporairement jusqu'au 2 janvier 2028, ouvre lundi 3 janvier à 09:00"
has "the card states the closure" "$TMP/card" "Fermeture temporaire : du 20 décembre 2027 au 2 janvier 2028"
QFQ_NOW=2027-12-21T10:00 "$QFQ" show 4 >"$TMP/card" 2>&1
has "until further notice, in words" "$TMP/card" "fermé temporairement, jusqu'à nouvel ordre"
has "until further notice, since when" "$TMP/card" "depuis le 1er décembre 2027, jusqu'à nouvel ordre"
QFQ_NOW=2027-11-02T10:00 "$QFQ" show 1 >"$TMP/card" 2>&1
has "a closure to come is announced" "$TMP/card" "Fermeture temporaire : du 20 décembre 2027 au 2 janvier 2028"
hasnt "a closure to come does not close the place today" "$TMP/card" "fermé temporairement"
QFQ_NOW=2028-02-01T10:00 "$QFQ" show 1 >"$TMP/card" 2>&1
hasnt "a closure that is over is not shown" "$TMP/card" "Fermeture temporaire"
QFQ_NOW=2027-12-17T10:00 "$QFQ" slip --to 1 >"$TMP/slip" 2>&1
has "the slip states the closure" "$TMP/slip" "du 20 décembre 2027 au 2 janvier 2028"
grep -A8 "7 prochains jours" "$TMP/slip" | grep -i "lundi 20" >"$TMP/day" || true
has "the slip's week shows the first day of the closure closed" "$TMP/day" "fermé"

done_testing
