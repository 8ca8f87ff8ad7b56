/*
 * records: names and merge destinations of structures and persons (see
 * records.h).
 */
#include "db/records.h"
#include "db/db.h"
#include "util/strbuf.h"

int record_name(sqlite3 *db, enum record_kind kind, sqlite3_int64 id, struct strbuf *sb)
{
	static const char *const sql[] = {
		"SELECT nom FROM structures WHERE id = ?1",
		"SELECT trim(ifnull(prenom, '') || ' ' || nom) FROM persons WHERE id = ?1",
	};
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, sql[kind], &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		strbuf_addstr(sb, (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : db_error(db, "records");
}

static int exists(sqlite3 *db, enum record_kind kind, sqlite3_int64 id)
{
	struct strbuf sb = STRBUF_INIT;
	int rc = record_name(db, kind, id, &sb);
	strbuf_release(&sb);
	return rc;
}

int record_merged_into(sqlite3 *db, enum record_kind kind, sqlite3_int64 id, sqlite3_int64 *into)
{
	sqlite3_stmt *st;
	int hops, rc = 0;
	if (db_prepare(db, "SELECT CASE WHEN a_id = ?2 THEN b_id ELSE a_id END FROM merge_proposals "
			   "WHERE kind = ?1 AND state = 'merged' AND (a_id = ?2 OR b_id = ?2)", &st))
		return -1;
	sqlite3_bind_text(st, 1, kind == RECORD_PERSON ? "person" : "structure", -1, SQLITE_STATIC);
	/* a merged pair is (keep, other) in either order: the one that still exists is the target */
	for (hops = 0; hops < 16; hops++) {
		sqlite3_int64 next = 0;
		sqlite3_bind_int64(st, 2, id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			sqlite3_int64 other = sqlite3_column_int64(st, 0);
			if (exists(db, kind, other) == 1) {
				*into = other;
				rc = 1;
				break;
			}
			next = other;
		}
		sqlite3_reset(st);
		if (rc || !next)
			break;
		id = next;
	}
	sqlite3_finalize(st);
	return rc;
}
