#!/bin/bash
# 0308: the R*Tree scans in C (structures and members within the radius,
# core/search.c box_scan() and members_scan()) answer exactly as the SQL
# they replace (QFQ_SEARCH_NO_SCAN=1), for places, themes, opening hours
# at whole and part half-hours, declared territories and permanences.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
DB=$QFQ_DB

# Declared territories, a permanence with and one without coordinates, a
# few competences: every source of a place search has something.
sqlite3 "$DB" "
INSERT INTO structure_territories(structure_id, kind, code)
	SELECT id, 'departement', '07' FROM structures WHERE code_insee = '07186' ORDER BY id LIMIT 2;
INSERT INTO structure_territories(structure_id, kind, code)
	SELECT id, 'commune', '07010' FROM structures WHERE code_insee = '07349' ORDER BY id LIMIT 1;
INSERT INTO permanences(structure_id, code_insee, latitude, longitude, horaires)
	SELECT id, '07019', 44.6203, 4.3900, 'Tu 09:00-12:00' FROM structures WHERE code_insee = '07186' ORDER BY id LIMIT 1;
INSERT INTO permanences(structure_id, code_insee, horaires)
	SELECT id, '07324', 'Th 14:00-17:00' FROM structures WHERE code_insee = '07010' ORDER BY id LIMIT 1;
INSERT INTO person_themes(person_id, theme_id) SELECT p.id, t.id FROM persons p, themes t
	WHERE t.slug = 'smartphone-tablette' AND p.id % 3 = 0;"
run "$QFQ" reindex
is "setup: reindexed" "$status" 0

same() { # desc search-args...
	local desc=$1
	shift
	"$QFQ" search --format tsv "$@" >"$TMP/a" 2>&1
	QFQ_SEARCH_NO_SCAN=1 "$QFQ" search --format tsv "$@" >"$TMP/b" 2>&1
	is "$desc: the scan and SQL agree" "$(cat "$TMP/a")" "$(cat "$TMP/b")"
	check "$desc: something found" test "$(wc -l <"$TMP/a")" -gt 1
}
same "a commune, no theme" --commune Privas --radius 20
same "a theme near Privas" --theme démarches --commune Privas --radius 30
same "two themes near Aubenas" --theme smartphone --theme démarches --commune Aubenas --radius 60
same "a sub-theme found through its parent" --theme caf --commune Privas --radius 40
same "a declared commune far away" --commune Annonay --radius 1
same "a permanence with coordinates" --commune Aubenas --radius 3
same "a permanence at its commune's centre" --commune Vals-les-Bains --radius 2
for when in "mardi 09:14" "mardi 09:15" "mardi 12:45" "jeudi 16:00" "samedi 14:00" "dimanche 03:00"; do
	same "open at $when (and unknown hours)" --theme démarches --commune Privas --radius 50 --open-at "$when" --unknown-hours
done
same "persons near Privas" --persons --commune Privas --radius 30
same "persons by theme near Aubenas" --persons --theme smartphone --commune Aubenas --radius 60
same "persons far away through a declared département" --persons --commune Annonay --radius 1

# The scans stop at a cap like SQL does: with --limit the order is the same.
same "a small limit" --theme démarches --commune Privas --radius 50 --limit 3

# Text without a place: every match scored and ranked in C (stream_scan(),
# qfq_rank_each) as the candidate statement ranks them.
same "a word" mairie --limit 5
same "a prefix" ma --limit 7
same "two words" "espace numerique" --limit 4
same "a word and a theme" "ma" --theme démarches --limit 6
for when in "mardi 09:15" "mardi 12:45" "samedi 14:00"; do
	same "a prefix open at $when" "pr" --open-at "$when" --limit 5
	same "a prefix, a theme, open at $when and unknown hours" "ac" --theme démarches --open-at "$when" \
		--unknown-hours --limit 8
done

done_testing
