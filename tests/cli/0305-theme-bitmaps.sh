#!/bin/bash
# 0305: the per-theme bitmaps the search engine reads (db/themesets.h) are
# exact or absent, never stale: a change to a theme's rows by any SQLite
# client drops its bitmap, the search then reads the rows, and the next qfq
# write rebuilds it. Results are the same with and without bitmaps.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
DB=$QFQ_DB
themes=$(sqlite3 "$DB" "SELECT count(*) FROM themes")
is "every theme has a structure and a person bitmap after the imports" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM theme_bitmaps")" $((2 * themes))

# The same answers from the bitmaps and from the rows, for several shapes
# (a few competences first, so that persons have some of their own).
sqlite3 "$DB" "INSERT INTO person_themes(person_id, theme_id) SELECT p.id, t.id FROM persons p, themes t
	WHERE t.slug = 'smartphone-tablette' AND p.id % 3 = 0"
run "$QFQ" reindex
cp "$DB" "$TMP/rows.db"
sqlite3 "$TMP/rows.db" "DELETE FROM theme_bitmaps"
same() { # desc search-args...
	local desc=$1
	shift
	"$QFQ" --db "$DB" search --format tsv "$@" >"$TMP/a" 2>&1
	"$QFQ" --db "$TMP/rows.db" search --format tsv "$@" >"$TMP/b" 2>&1
	is "$desc: same results from bitmaps and from rows" "$(cat "$TMP/a")" "$(cat "$TMP/b")"
	check "$desc: something found" test "$(wc -l <"$TMP/a")" -gt 1
}
same "a parent theme, whole directory" --theme démarches
same "a sub-theme near a commune" --theme smartphone --commune Privas --radius 30
same "two themes in a département" --theme smartphone --theme démarches --departement 07
same "persons by competence" --persons --theme smartphone
is "a read never writes bitmaps" "$(sqlite3 "$TMP/rows.db" "SELECT count(*) FROM theme_bitmaps")" 0

# Another client gives a structure a theme it did not have.
read -r sid tid slug <<<"$(sqlite3 -separator ' ' "$DB" "SELECT s.id, t.id, t.slug FROM structures s, themes t
	WHERE t.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM structure_themes x
	WHERE x.structure_id = s.id AND x.theme_id IN (t.id, t.parent_id)) ORDER BY s.id, t.id LIMIT 1")"
run "$QFQ" search --format tsv --theme "$slug"
is "before: structure $sid does not offer $slug" "$(cut -f1 "$TMP/out" | grep -cx "$sid")" 0
sqlite3 "$DB" "INSERT INTO structure_themes(structure_id, theme_id) VALUES ($sid, $tid)"
is "the insert dropped that theme's structure bitmap" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM theme_bitmaps WHERE theme_id = $tid AND kind = 0")" 0
is "and only that one" "$(sqlite3 "$DB" "SELECT count(*) FROM theme_bitmaps")" $((2 * themes - 1))
run "$QFQ" search --format tsv --theme "$slug"
is "the search reads the rows and finds it" "$(cut -f1 "$TMP/out" | grep -cx "$sid")" 1
run "$QFQ" reindex
is "the next qfq write rebuilds the bitmap" "$(sqlite3 "$DB" "SELECT count(*) FROM theme_bitmaps")" $((2 * themes))
run "$QFQ" search --format tsv --theme "$slug"
is "the rebuilt bitmap has it" "$(cut -f1 "$TMP/out" | grep -cx "$sid")" 1

# Deleting a structure (cascading to its themes) drops the bitmaps of its themes.
n=$(sqlite3 "$DB" "SELECT count(*) FROM structure_themes WHERE structure_id = $sid")
sqlite3 "$DB" "PRAGMA foreign_keys = ON; DELETE FROM structures WHERE id = $sid"
is "a cascading delete drops the bitmaps of the structure's $n themes" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM theme_bitmaps WHERE kind = 0")" $((themes - n))
run "$QFQ" search --format tsv --theme "$slug"
is "the deleted structure is not found" "$(cut -f1 "$TMP/out" | grep -cx "$sid")" 0

# Competences of persons: the same through person_themes.
pid=$(sqlite3 "$DB" "SELECT id FROM persons ORDER BY id LIMIT 1")
sqlite3 "$DB" "INSERT OR IGNORE INTO person_themes(person_id, theme_id) VALUES ($pid, $tid)"
is "a competence added elsewhere drops the person bitmap" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM theme_bitmaps WHERE theme_id = $tid AND kind = 1")" 0
run "$QFQ" search --persons --format tsv --theme "$slug"
is "the person is found from the rows" "$(cut -f1 "$TMP/out" | grep -cx "$pid")" 1
run "$QFQ" reindex
run "$QFQ" search --persons --format tsv --theme "$slug"
is "and from the rebuilt bitmap" "$(cut -f1 "$TMP/out" | grep -cx "$pid")" 1
is "the database passes the integrity check" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok

done_testing
