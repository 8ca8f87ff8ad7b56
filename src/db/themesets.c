/*
 * themesets: per-theme bitmaps of who offers a theme (see themesets.h).
 */
#include "db/themesets.h"
#include "db/db.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char *const rows_sql[] = {
	[THEMESET_STRUCTURES] = "SELECT structure_id FROM structure_themes WHERE theme_id = ?1",
	[THEMESET_PERSONS] = "SELECT person_id FROM person_themes WHERE theme_id = ?1",
};

void themeset_bits_set(struct themeset_bits *b, long long id)
{
	size_t byte = (size_t)(id / 8);
	if (byte >= b->len) {
		XGROW(b->bits, b->alloc, byte + 1);
		memset(b->bits + b->len, 0, byte + 1 - b->len);
		b->len = byte + 1;
	}
	b->bits[byte] |= (unsigned char)(1u << (id % 8));
}

/* The bitmap of one theme from its rows (index order: ids ascending). */
static int build_one(sqlite3 *db, sqlite3_stmt *rows, sqlite3_stmt *put, int kind, long long theme)
{
	struct themeset_bits b = { 0 };
	bool sparse = false;
	int rc;

	sqlite3_reset(rows);
	sqlite3_bind_int64(rows, 1, theme);
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(rows, 0);
		if (id < 0 || id > THEMESET_MAX_ID)
			sparse = true;
		else
			themeset_bits_set(&b, id);
	}
	if (rc != SQLITE_DONE) {
		free(b.bits);
		return db_error(db, "theme_bitmaps");
	}
	if (sparse) { /* left missing: readers use the rows */
		free(b.bits);
		return 0;
	}
	sqlite3_reset(put);
	sqlite3_bind_int64(put, 1, theme);
	sqlite3_bind_int(put, 2, kind);
	if (b.len)
		sqlite3_bind_blob(put, 3, b.bits, (int)b.len, SQLITE_STATIC);
	else
		sqlite3_bind_zeroblob(put, 3, 0);
	rc = sqlite3_step(put);
	sqlite3_clear_bindings(put);
	free(b.bits);
	return rc == SQLITE_DONE ? 0 : db_error(db, "theme_bitmaps");
}

int themesets_refresh(sqlite3 *db)
{
	sqlite3_stmt *missing = NULL, *rows = NULL, *put = NULL;
	int kind, rc = -1;

	if (db_prepare(db, "SELECT id FROM themes t WHERE NOT EXISTS (SELECT 1 FROM theme_bitmaps b "
			   "WHERE b.theme_id = t.id AND b.kind = ?1)", &missing) ||
	    db_prepare(db, "INSERT OR REPLACE INTO theme_bitmaps(theme_id, kind, bits) VALUES (?1, ?2, ?3)",
		       &put))
		goto done;
	for (kind = THEMESET_STRUCTURES; kind <= THEMESET_PERSONS; kind++) {
		int step;
		sqlite3_finalize(rows);
		rows = NULL;
		if (db_prepare(db, rows_sql[kind], &rows))
			goto done;
		sqlite3_reset(missing);
		sqlite3_bind_int(missing, 1, kind);
		/* inserting behind the cursor is safe: the missing ids are read from
		 * themes, and a theme gets at most one row per kind */
		while ((step = sqlite3_step(missing)) == SQLITE_ROW)
			if (build_one(db, rows, put, kind, sqlite3_column_int64(missing, 0)))
				goto done;
		if (step != SQLITE_DONE) {
			db_error(db, "theme_bitmaps");
			goto done;
		}
	}
	rc = 0;
done:
	sqlite3_finalize(missing);
	sqlite3_finalize(rows);
	sqlite3_finalize(put);
	return rc;
}

struct themeset_reader {
	sqlite3 *db;
	sqlite3_stmt *get;
	sqlite3_stmt *has;  /* prepared on first use */
};

int themeset_reader_open(sqlite3 *db, struct themeset_reader **out)
{
	struct themeset_reader *r = xcalloc(1, sizeof(*r));
	r->db = db;
	if (db_stmt(db, "SELECT bits FROM theme_bitmaps WHERE theme_id = ?1 AND kind = ?2", &r->get)) {
		free(r);
		*out = NULL;
		return -1;
	}
	*out = r;
	return 0;
}

int themeset_read(struct themeset_reader *r, enum themeset_kind kind, long long theme,
		  const unsigned char **bits, size_t *len)
{
	int rc;
	sqlite3_reset(r->get);
	sqlite3_bind_int64(r->get, 1, theme);
	sqlite3_bind_int(r->get, 2, (int)kind);
	rc = sqlite3_step(r->get);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_error(r->db, "theme_bitmaps");
	*bits = sqlite3_column_blob(r->get, 0);
	*len = (size_t)sqlite3_column_bytes(r->get, 0);
	return 1;
}

int themeset_has(struct themeset_reader *r, enum themeset_kind kind, long long theme)
{
	int rc;
	if (!r->has && db_stmt(r->db, "SELECT 1 FROM theme_bitmaps WHERE theme_id = ?1 AND kind = ?2", &r->has))
		return -1;
	sqlite3_reset(r->has);
	sqlite3_bind_int64(r->has, 1, theme);
	sqlite3_bind_int(r->has, 2, (int)kind);
	rc = sqlite3_step(r->has);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc == SQLITE_ROW;
	return db_error(r->db, "theme_bitmaps");
}

void themeset_reader_close(struct themeset_reader *r)
{
	if (!r)
		return;
	db_stmt_done(r->get);
	db_stmt_done(r->has);
	free(r);
}
