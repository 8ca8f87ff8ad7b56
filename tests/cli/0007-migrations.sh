#!/bin/bash
# 0007: databases of earlier schema versions are upgraded on open, reads
# included, with their data kept. Earlier versions are rebuilt from the
# current schema by undoing each migration (see migrations[] in db.c).
. "$(dirname "$0")/lib.sh"
demo_db
current=$(sqlite3 "$QFQ_DB" "PRAGMA user_version")
members=$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM memberships")

themes=$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM themes")
is "the current version has a structure and a person bitmap per theme" \
	"$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM theme_bitmaps")" $((2 * themes))

# version 7: before the share tables and the global ids (issue 15)
cp "$QFQ_DB" "$TMP/v7.db"
sqlite3 "$TMP/v7.db" "PRAGMA journal_mode=DELETE; DROP TABLE share_ids; DROP TABLE share_pending;
	DROP TABLE share_changes; DROP TABLE share_conflicts; DROP TABLE share_stamps; DELETE FROM meta WHERE key = 'copy_id';
	DELETE FROM change_rows; DELETE FROM change_sets;
	DROP TRIGGER structures_gid; DROP TRIGGER persons_gid; DROP TRIGGER memberships_gid;
	DROP TRIGGER permanences_gid; DROP TRIGGER events_gid; DROP TRIGGER referrals_gid;
	PRAGMA user_version = 7;" >/dev/null
# version 6: before the history (change_sets, change_rows) and
# the temporary closure columns (issue 12)
cp "$TMP/v7.db" "$TMP/v6.db"
sqlite3 "$TMP/v6.db" "PRAGMA journal_mode=DELETE; DROP TABLE change_rows;
	DROP TABLE change_sets; ALTER TABLE structures DROP COLUMN ferme_du; ALTER TABLE structures DROP COLUMN ferme_au;
	PRAGMA user_version = 6;" >/dev/null
# version 5: before structure_members, members_geo_dirty, permanences_place
cp "$TMP/v6.db" "$TMP/v5.db"
sqlite3 "$TMP/v5.db" "PRAGMA journal_mode=DELETE; DROP TABLE structure_members;
	DROP TABLE members_geo_dirty; DROP INDEX permanences_place; DROP TRIGGER memberships_geo_ins;
	DROP TRIGGER memberships_geo_del; DROP TRIGGER memberships_geo_upd; PRAGMA user_version = 5;" >/dev/null
# version 4: before hour_bitmaps
cp "$TMP/v5.db" "$TMP/v4.db"
sqlite3 "$TMP/v4.db" "PRAGMA journal_mode=DELETE; DROP TABLE hour_bitmaps; PRAGMA user_version = 4;" >/dev/null
# version 3: before theme_bitmaps and its triggers
cp "$TMP/v4.db" "$TMP/v3.db"
sqlite3 "$TMP/v3.db" "PRAGMA journal_mode=DELETE; DROP TABLE theme_bitmaps;
	DROP TRIGGER structure_themes_bitmap_ins; DROP TRIGGER structure_themes_bitmap_del;
	DROP TRIGGER structure_themes_bitmap_upd; DROP TRIGGER person_themes_bitmap_ins;
	DROP TRIGGER person_themes_bitmap_del; DROP TRIGGER person_themes_bitmap_upd;
	PRAGMA user_version = 3;" >/dev/null
# version 2: before memberships_structure_person
cp "$TMP/v3.db" "$TMP/v2.db"
sqlite3 "$TMP/v2.db" "PRAGMA journal_mode=DELETE; DROP INDEX memberships_structure_person;
	CREATE INDEX memberships_structure ON memberships(structure_id); PRAGMA user_version = 2;" >/dev/null
# version 1: before structures.fiche_acces_libre
cp "$TMP/v2.db" "$TMP/v1.db"
sqlite3 "$TMP/v1.db" "PRAGMA journal_mode=DELETE; ALTER TABLE structures DROP COLUMN fiche_acces_libre;
	PRAGMA user_version = 1;" >/dev/null

for v in 1 2 3 4 5 6 7; do
	run "$QFQ" --db "$TMP/v$v.db" persons --format tsv
	is "a version $v database answers a read command" "$status" 0
	is "version $v is upgraded to the current version on open" \
		"$(sqlite3 "$TMP/v$v.db" "PRAGMA user_version")" "$current"
	is "version $v keeps its memberships" "$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM memberships")" "$members"
	is "version $v gets the new index" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'memberships_structure_person'")" 1
	is "version $v gets the new column" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM pragma_table_info('structures') WHERE name = 'fiche_acces_libre'")" 1
	is "version $v gets its theme bitmaps, built on the upgrade" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM theme_bitmaps")" $((2 * themes))
	is "version $v gets its hour bitmaps" "$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM hour_bitmaps")" 673
	is "version $v gets the bitmap triggers" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%bitmap%'")" 6
	is "version $v gets every membership in structure_members, none left to do" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT (SELECT sum(length(ids)) / 8 FROM structure_members) || ' ' ||
			(SELECT count(*) FROM members_geo_dirty)")" "$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM memberships") 0"
	is "version $v gets the history tables and the closure columns" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM sqlite_schema WHERE name IN ('change_sets', 'change_rows')") $(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM pragma_table_info('structures') WHERE name IN ('ferme_du', 'ferme_au')")" "2 2"
	run "$QFQ" --db "$TMP/v$v.db" edit structure 1 telephone=0475000000
	is "version $v records an edit in its new history" "$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM change_sets")" 1
	is "version $v gets a copy id, a global id for each structure and person, and its edit to share" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT length(value) FROM meta WHERE key = 'copy_id'") $(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM share_ids WHERE tbl IN ('structures', 'persons')") $(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM share_changes")" \
		"32 $(sqlite3 "$QFQ_DB" "SELECT (SELECT count(*) FROM structures) + (SELECT count(*) FROM persons)") 1"
	is "version $v passes the integrity check" "$(sqlite3 "$TMP/v$v.db" "PRAGMA integrity_check")" ok
	is "version $v is still mode 0600" "$(stat -c %a "$TMP/v$v.db")" 600
done

done_testing
