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

deduced=$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM structure_territories WHERE origine IS NOT NULL")
check "the current version has deduced territories" test "$deduced" -gt 0
history=$(sqlite3 "$QFQ_DB" "SELECT count(*) || ' ' || sum(length(old)) || ' ' || sum(length(new)) FROM change_rows")
# version 17: change_rows checked op with an IN list (a temporary b-tree per row written)
cp "$QFQ_DB" "$TMP/v17.db"
sqlite3 "$TMP/v17.db" "PRAGMA journal_mode=DELETE; CREATE TABLE change_rows_v17 (
	id INTEGER PRIMARY KEY, change_id INTEGER NOT NULL REFERENCES change_sets(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL, tbl TEXT NOT NULL, op TEXT NOT NULL CHECK (op IN ('insert','update','delete')),
	key TEXT NOT NULL, structure_id INTEGER, person_id INTEGER, old BLOB, new BLOB, UNIQUE (change_id, seq));
	INSERT INTO change_rows_v17 SELECT * FROM change_rows; DROP TABLE change_rows;
	ALTER TABLE change_rows_v17 RENAME TO change_rows;
	CREATE INDEX change_rows_row ON change_rows(tbl, key, change_id);
	CREATE INDEX change_rows_structure ON change_rows(structure_id) WHERE structure_id IS NOT NULL;
	CREATE INDEX change_rows_person ON change_rows(person_id) WHERE person_id IS NOT NULL;
	PRAGMA user_version = 17;" >/dev/null
is "version 17 is rebuilt with the IN list" \
	"$(sqlite3 "$TMP/v17.db" "EXPLAIN INSERT INTO change_rows(change_id, seq, tbl, op, key) VALUES (1, 1, 'x', 'insert', '1')" | grep -c OpenEphemeral)" 1
# version 16: before the hashes of an erased person's mentions (issue 15)
cp "$TMP/v17.db" "$TMP/v16.db"
sqlite3 "$TMP/v16.db" "PRAGMA journal_mode=DELETE; ALTER TABLE share_erased DROP COLUMN forms; PRAGMA user_version = 16;" >/dev/null
# version 15: structures still had a gid trigger, change sets no bulk range (issue 11)
cp "$TMP/v16.db" "$TMP/v15.db"
sqlite3 "$TMP/v15.db" "PRAGMA journal_mode=DELETE; CREATE TRIGGER structures_gid AFTER INSERT ON structures BEGIN
	INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('structures', NEW.id,
	coalesce((SELECT gid FROM share_pending WHERE tbl = 'structures' AND id = NEW.id), randomblob(16))); END;
	ALTER TABLE change_sets DROP COLUMN bulk_after; ALTER TABLE change_sets DROP COLUMN bulk_last;
	PRAGMA user_version = 15;" >/dev/null
# version 14: before the referral history's global ids (issue 15)
cp "$TMP/v15.db" "$TMP/v14.db"
sqlite3 "$TMP/v14.db" "PRAGMA journal_mode=DELETE; DROP TRIGGER referral_history_gid;
	DELETE FROM share_ids WHERE tbl = 'referral_history'; PRAGMA user_version = 14;" >/dev/null
# version 13: before permanences_host (issue 10)
cp "$TMP/v14.db" "$TMP/v13.db"
sqlite3 "$TMP/v13.db" "PRAGMA journal_mode=DELETE; DROP INDEX permanences_host; PRAGMA user_version = 13;" >/dev/null
# version 12: before share_erased and share_copies (issue 15, user side)
cp "$TMP/v13.db" "$TMP/v12.db"
sqlite3 "$TMP/v12.db" "PRAGMA journal_mode=DELETE; DROP TABLE share_erased; DROP TABLE share_copies;
	PRAGMA user_version = 12;" >/dev/null
# version 11: before the closure index
cp "$TMP/v12.db" "$TMP/v11.db"
sqlite3 "$TMP/v11.db" "PRAGMA journal_mode=DELETE; DROP INDEX structures_closure; PRAGMA user_version = 11;" >/dev/null
# version 10: before the share tables and the global ids (issue 15)
cp "$TMP/v11.db" "$TMP/v10.db"
sqlite3 "$TMP/v10.db" "PRAGMA journal_mode=DELETE; DROP TABLE share_ids; DROP TABLE share_pending;
	DROP TABLE share_changes; DROP TABLE share_conflicts; DROP TABLE share_stamps; DELETE FROM meta WHERE key = 'copy_id';
	DELETE FROM change_rows; DELETE FROM change_sets;
	DROP TRIGGER structures_gid; DROP TRIGGER persons_gid; DROP TRIGGER memberships_gid;
	DROP TRIGGER permanences_gid; DROP TRIGGER events_gid; DROP TRIGGER referrals_gid;
	PRAGMA user_version = 10;" >/dev/null
# version 9: before structure_territories.origine (issue 11)
cp "$TMP/v10.db" "$TMP/v9.db"
sqlite3 "$TMP/v9.db" "PRAGMA journal_mode=DELETE; DROP INDEX structure_territories_deduced;
	ALTER TABLE structure_territories DROP COLUMN origine; PRAGMA user_version = 9;" >/dev/null
# version 8: before hours_dirty (issue 16); its hours as an older qfq
# indexed them (a value it could not read, one it read as closed all week)
s1=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures")
cp "$TMP/v9.db" "$TMP/v8.db"
sqlite3 "$TMP/v8.db" "PRAGMA journal_mode=DELETE; DROP TABLE hours_dirty;
	INSERT INTO referrals(id, date, to_structure_id, channel, status, status_date)
	VALUES (1, '2025-01-02', $s1, 'courriel', 'realisee', '2025-01-02');
	INSERT INTO referral_history(referral_id, at, status) VALUES (1, '2025-01-02', 'proposee'), (1, '2025-01-05', 'realisee');
	UPDATE structures SET horaires = 'Mo-Fr 09:00-12:00; Aug off', horaires_ok = 0 WHERE id = 1;
	DELETE FROM structure_hours WHERE structure_id = 1;
	UPDATE structures SET horaires = 'Mo-Fr 09:00-18:00; Mo-Fr 12:00-14:00 off' WHERE id = 2;
	DELETE FROM structure_hours WHERE structure_id = 2;
	PRAGMA user_version = 8;" >/dev/null
# version 7: before the history (change_sets, change_rows) and the
# temporary closure columns (issue 12)
cp "$TMP/v8.db" "$TMP/v7.db"
sqlite3 "$TMP/v7.db" "PRAGMA journal_mode=DELETE; DROP TABLE change_rows;
	DROP TABLE change_sets; ALTER TABLE structures DROP COLUMN ferme_du; ALTER TABLE structures DROP COLUMN ferme_au;
	PRAGMA user_version = 7;" >/dev/null
# version 6: the referral tables as schema 1 made them (issue 13 reshaped them)
cp "$TMP/v7.db" "$TMP/v6.db"
sqlite3 "$TMP/v6.db" "PRAGMA journal_mode=DELETE; DROP TABLE referral_history; DROP TABLE referrals;
	CREATE TABLE referrals (id INTEGER PRIMARY KEY, date TEXT NOT NULL,
	from_structure_id INTEGER REFERENCES structures(id) ON DELETE SET NULL,
	from_person_id INTEGER REFERENCES persons(id) ON DELETE SET NULL,
	to_structure_id INTEGER REFERENCES structures(id) ON DELETE SET NULL,
	to_person_id INTEGER REFERENCES persons(id) ON DELETE SET NULL,
	theme_id INTEGER REFERENCES themes(id) ON DELETE SET NULL,
	channel TEXT NOT NULL DEFAULT 'physique' CHECK (channel IN ('physique','telephone','courriel','visio','courrier','autre')),
	status TEXT NOT NULL DEFAULT 'orientee' CHECK (status IN ('orientee','prise_en_charge','resolue','sans_suite','reorientee')),
	commune_code TEXT REFERENCES communes(code_insee), urgent INTEGER NOT NULL DEFAULT 0);
	CREATE INDEX referrals_to ON referrals(to_structure_id); CREATE INDEX referrals_from ON referrals(from_structure_id);
	CREATE INDEX referrals_date ON referrals(date);
	CREATE TABLE referral_history (referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
	at TEXT NOT NULL, status TEXT NOT NULL, PRIMARY KEY (referral_id, at, status)) WITHOUT ROWID;
	INSERT INTO referrals(id, date, to_structure_id, channel, status) VALUES (1, '2025-01-02', $s1, 'courrier', 'resolue');
	INSERT INTO referral_history VALUES (1, '2025-01-02T10:00:00Z', 'orientee'), (1, '2025-01-05T10:00:00Z', 'resolue');
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

for v in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17; do
	run "$QFQ" --db "$TMP/v$v.db" persons --format tsv
	is "a version $v database answers a read command" "$status" 0
	is "version $v is upgraded to the current version on open" \
		"$(sqlite3 "$TMP/v$v.db" "PRAGMA user_version")" "$current"
	is "version $v keeps its memberships" "$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM memberships")" "$members"
	is "version $v gets the new index" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'memberships_structure_person'")" 1
	is "version $v gets the index of hosted permanences, used by the card" \
		"$(sqlite3 "$TMP/v$v.db" "EXPLAIN QUERY PLAN SELECT id FROM permanences WHERE host_id = 1" | grep -c permanences_host)" 1
	is "version $v gets the new column" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM pragma_table_info('structures') WHERE name = 'fiche_acces_libre'")" 1
	is "version $v gets its theme bitmaps, built on the upgrade" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM theme_bitmaps")" $((2 * themes))
	is "version $v gets its hour bitmaps" "$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM hour_bitmaps")" 675
	is "version $v gets the bitmap triggers" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE '%bitmap%'")" 6
	is "version $v gets every membership in structure_members, none left to do" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT (SELECT sum(length(ids)) / 8 FROM structure_members) || ' ' ||
			(SELECT count(*) FROM members_geo_dirty)")" "$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM memberships") 0"
	is "version $v gets the closure index" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'structures_closure'")" 1
	is "version $v gets the history tables and the closure columns" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM sqlite_schema WHERE name IN ('change_sets', 'change_rows')") $(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM pragma_table_info('structures') WHERE name IN ('ferme_du', 'ferme_au')")" "2 2"
	run "$QFQ" --db "$TMP/v$v.db" edit structure 1 telephone=0475000000
	is "version $v records an edit in its new history" "$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM change_sets WHERE command LIKE '%edit structure 1%'")" 1
	[ "$v" -le 7 ] &&
	is "version $v: an upgrade that rewrote rows says so in the history" "$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM change_sets WHERE summary LIKE 'schema upgraded from version $v to %'")" 1
	[ "$v" -le 8 ] &&
	is "version $v has its hours read again: the month closure parsed and marked exact" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT horaires_ok || ' ' || (SELECT group_concat(start_min) FROM structure_hours
			WHERE structure_id = 1) FROM structures WHERE id = 1")" "1 -1"
	[ "$v" -le 8 ] &&
	is "version $v has its hours read again: the lunch break written as off" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM structure_hours WHERE structure_id = 2")" 10
	is "version $v has no hours left to reindex" "$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM hours_dirty")" 0
	[ "$v" -le 9 ] &&
	is "version $v gets territories' origin (all stated)" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM pragma_table_info('structure_territories') WHERE name = 'origine'") $(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM structure_territories WHERE origine IS NOT NULL")" "1 0"
	[ "$v" -le 8 ] &&
	is "version $v keeps its referral, in the new statuses and channels" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT status || ' ' || channel || ' ' || status_date FROM referrals")" "realisee courriel 2025-01-02"
	[ "$v" -le 8 ] &&
	is "version $v keeps its referral's history" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT group_concat(at || ':' || status, ' ') FROM referral_history")" \
		"2025-01-02:proposee 2025-01-05:realisee"
	is "version $v passes the foreign key check" "$(sqlite3 "$TMP/v$v.db" "PRAGMA foreign_key_check")" ""
	is "version $v gets a copy id, a global id for each structure and person, and its edit to share" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT length(value) FROM meta WHERE key = 'copy_id'") $(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM share_ids WHERE tbl IN ('structures', 'persons')") $(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM share_changes WHERE change_id IN (SELECT id FROM change_sets WHERE command LIKE '%edit structure 1%')")" \
		"32 $(sqlite3 "$QFQ_DB" "SELECT (SELECT count(*) FROM structures) + (SELECT count(*) FROM persons)") 1"
	run "$QFQ" --db "$TMP/v$v.db" orient --from 1 --to 2 --theme démarches --date 2025-03-01
	is "version $v gives its referral history rows global ids, the new one too" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM referral_history WHERE id NOT IN (SELECT id FROM share_ids WHERE tbl = 'referral_history')") $(sqlite3 "$TMP/v$v.db" "SELECT count(*) > 0 FROM share_ids WHERE tbl = 'referral_history'")" "0 1"
	is "version $v passes the integrity check" "$(sqlite3 "$TMP/v$v.db" "PRAGMA integrity_check")" ok
	is "version $v gets the erased persons' and the copies' tables, with the mentions' hashes" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM sqlite_schema WHERE name IN ('share_erased', 'share_copies')") $(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM pragma_table_info('share_erased') WHERE name = 'forms'")" "2 1"
	is "version $v is still mode 0600" "$(stat -c %a "$TMP/v$v.db")" 600
	is "version $v writes a history row without a temporary b-tree" \
		"$(sqlite3 "$TMP/v$v.db" "EXPLAIN INSERT INTO change_rows(change_id, seq, tbl, op, key) VALUES (1, 1, 'x', 'insert', '1')" | grep -c OpenEphemeral)" 0
	[ "$v" -ge 16 ] &&
	is "version $v keeps its history rows, ids and values" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) || ' ' || sum(length(old)) || ' ' || sum(length(new)) FROM change_rows WHERE id <= (SELECT max(id) FROM change_rows WHERE change_id < (SELECT min(id) FROM change_sets WHERE command LIKE '%edit structure 1%'))")" "$history"
	is "version $v still refuses an unknown operation in the history" \
		"$(sqlite3 "$TMP/v$v.db" "INSERT INTO change_rows(change_id, seq, tbl, op, key) VALUES ((SELECT max(id) FROM change_sets), 999999, 'x', 'upsert', '1')" 2>&1 | grep -c 'CHECK constraint failed')" 1
	is "version $v loses the structures' gid trigger (gids drawn at capture)" \
		"$(sqlite3 "$TMP/v$v.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'structures_gid'")" 0
done

# An erasure made before share_erased existed: the person's gid stays in
# share_ids and no change row is left about them (the history forgot them);
# a person deleted (rm) or merged leaves their delete in the history.
cp "$QFQ_DB" "$TMP/e.db"
X=$(sqlite3 "$TMP/e.db" "SELECT id FROM persons ORDER BY id LIMIT 1")
Y=$(sqlite3 "$TMP/e.db" "SELECT id FROM persons ORDER BY id LIMIT 1 OFFSET 1")
GX=$(sqlite3 "$TMP/e.db" "SELECT hex(gid) FROM share_ids WHERE tbl = 'persons' AND id = $X")
GY=$(sqlite3 "$TMP/e.db" "SELECT hex(gid) FROM share_ids WHERE tbl = 'persons' AND id = $Y")
"$QFQ" --db "$TMP/e.db" forget person "$X" --yes >/dev/null 2>&1
"$QFQ" --db "$TMP/e.db" rm person "$Y" >/dev/null 2>&1
is "the erased and the deleted persons are gone" "$(sqlite3 "$TMP/e.db" "SELECT count(*) FROM persons WHERE id IN ($X, $Y)")" 0
sqlite3 "$TMP/e.db" "PRAGMA journal_mode=DELETE; DELETE FROM share_erased; DELETE FROM meta WHERE key = 'share_erasures';
	ALTER TABLE share_erased DROP COLUMN forms; PRAGMA user_version = 16;" >/dev/null
run "$QFQ" --db "$TMP/e.db" persons --format tsv
is "version 16 with an older erasure upgrades" "$status $(sqlite3 "$TMP/e.db" "PRAGMA user_version")" "0 $current"
is "the erasure made before share_erased joins it, the delete does not" \
	"$(sqlite3 "$TMP/e.db" "SELECT count(*) FROM share_erased WHERE hex(gid) = '$GX'") $(sqlite3 "$TMP/e.db" "SELECT count(*) FROM share_erased WHERE hex(gid) = '$GY'") $(sqlite3 "$TMP/e.db" "SELECT count(*) FROM share_erased")" "1 0 1"
is "it is counted, so that the next sync rewrites this copy's own files" \
	"$(sqlite3 "$TMP/e.db" "SELECT value FROM meta WHERE key = 'share_erasures'")" 1

done_testing
