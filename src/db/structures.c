/*
 * structures: derived indexes of a structure and look-ups by name key
 * (see structures.h).
 */
#include "db/structures.h"
#include "core/hours.h"
#include "core/names.h"
#include "db/db.h"
#include "db/hoursets.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>

/* Everything a person might type to find the structure, beside its name. */
#define FTS_TEXT \
	"ifnull((SELECT group_concat(alias, ' ') FROM structure_aliases WHERE structure_id = s.id), '') " \
	"|| ' ' || ifnull(s.presentation_resume, '') || ' ' || ifnull(s.presentation_detail, '') " \
	"|| ' ' || ifnull((SELECT group_concat(t.label, ' ') FROM structure_themes st " \
	"JOIN themes t ON t.id = st.theme_id WHERE st.structure_id = s.id), '') " \
	"|| ' ' || ifnull((SELECT group_concat(m.role, ' ') FROM memberships m WHERE m.structure_id = s.id), '') " \
	"|| ' ' || ifnull(c.nom, '') || ' ' || ifnull(s.typologie, '') || ' ' || ifnull(s.tags, '') "
#define WITH_COMMUNE "FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee "
/* Its own coordinates, else its commune's centre. */
#define GEO_LAT "coalesce(s.latitude, c.latitude)"
#define GEO_LON "coalesce(s.longitude, c.longitude)"

static const char fts_sql[] = "SELECT s.nom, " FTS_TEXT WITH_COMMUNE "WHERE s.id = ?1";

static const char geo_sql[] =
	"SELECT " GEO_LAT ", " GEO_LON " " WITH_COMMUNE "WHERE s.id = ?1 AND " GEO_LAT " IS NOT NULL";

/*
 * The statements of a reindex, prepared once per batch (an import of
 * 20,000 places would otherwise prepare the same statements 20,000 times).
 *
 * Why the virtual tables are written one row at a time with VALUES, and
 * deleted from only when the row is there: a statement that may write
 * several rows of a virtual table (INSERT ... SELECT, DELETE ... WHERE)
 * opens a statement savepoint, and FTS5 flushes its pending terms to a new
 * segment at every savepoint, so each reindex would write and later merge
 * a tiny segment: ten times slower.
 */
enum {
	IX_HAS_FTS, IX_DEL_FTS, IX_HAS_GEO, IX_DEL_GEO, IX_DEL_HOURS, IX_FTS, IX_FTS_ADD,
	IX_GEO, IX_GEO_ADD, IX_GET_HOURS, IX_ADD_HOURS, IX_HOURS_OK, IX_MEMBERS_MOVED, IX_HOURS_MOVED, IX_N
};

static const char *const ix_sql[IX_N] = {
	[IX_HAS_FTS] = "SELECT 1 FROM structures_fts WHERE rowid = ?1",
	[IX_DEL_FTS] = "DELETE FROM structures_fts WHERE rowid = ?1",
	[IX_HAS_GEO] = "SELECT 1 FROM structures_geo WHERE id = ?1",
	[IX_DEL_GEO] = "DELETE FROM structures_geo WHERE id = ?1",
	[IX_DEL_HOURS] = "DELETE FROM structure_hours WHERE structure_id = ?1",
	[IX_FTS] = fts_sql,
	[IX_FTS_ADD] = "INSERT INTO structures_fts(rowid, nom, texte) VALUES (?1, ?2, ?3)",
	[IX_GEO] = geo_sql,
	[IX_GEO_ADD] = "INSERT INTO structures_geo(id, min_lat, max_lat, min_lon, max_lon) "
		       "VALUES (?1, ?2, ?2, ?3, ?3)",
	[IX_GET_HOURS] = "SELECT horaires FROM structures WHERE id = ?1",
	[IX_ADD_HOURS] = "INSERT OR IGNORE INTO structure_hours(structure_id, start_min, end_min) "
			 "VALUES (?1, ?2, ?3)",
	[IX_HOURS_OK] = "UPDATE structures SET horaires_ok = ?2 WHERE id = ?1 AND horaires_ok IS NOT ?2",
	/* its position may have changed: its placed members are rebuilt at commit (db/membersgeo.h) */
	[IX_MEMBERS_MOVED] = "INSERT OR IGNORE INTO members_geo_dirty(structure_id) "
			     "SELECT ?1 WHERE EXISTS (SELECT 1 FROM memberships WHERE structure_id = ?1)",
	/*
	 * spans rewritten: the half-hour bitmaps are rebuilt at commit
	 * (db/hoursets.h). Not a trigger on structure_hours: a trigger makes
	 * every span insert a statement transaction, and FTS5 then flushes its
	 * pending terms each time (an import of 20,000 places: +0.6 s).
	 */
	[IX_HOURS_MOVED] = "DELETE FROM hour_bitmaps",
};

struct structure_indexer {
	sqlite3 *db;
	sqlite3_stmt *st[IX_N];
	bool hours_moved;        /* the hour bitmaps were dropped (once per indexer) */
};


int structure_indexer_open(sqlite3 *db, struct structure_indexer **out)
{
	struct structure_indexer *ix = xcalloc(1, sizeof(*ix));
	int i;
	ix->db = db;
	for (i = 0; i < IX_N; i++)
		if (db_prepare(db, ix_sql[i], &ix->st[i])) {
			structure_indexer_close(ix);
			*out = NULL;
			return -1;
		}
	*out = ix;
	return 0;
}

void structure_indexer_close(struct structure_indexer *ix)
{
	int i;
	if (!ix)
		return;
	for (i = 0; i < IX_N; i++)
		sqlite3_finalize(ix->st[i]);
	free(ix);
}

static int exec_id(struct structure_indexer *ix, int which, sqlite3_int64 id)
{
	sqlite3_stmt *st = ix->st[which];
	int rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(ix->db, "structure index");
}

/*
 * Writes the spans of opening hours text (NULL: none) for structure id and
 * its horaires_ok, unless it already has the value was_ok (-2: unknown).
 */
/* Before the first span is deleted or written: drop the hour bitmaps. */
static int hours_moving(struct structure_indexer *ix)
{
	sqlite3_stmt *st = ix->st[IX_HOURS_MOVED];
	int rc;
	if (ix->hours_moved)
		return 0;
	ix->hours_moved = true;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(ix->db, "hour bitmaps");
}

static int index_hours(struct structure_indexer *ix, sqlite3_int64 id, const char *text, int was_ok)
{
	sqlite3_stmt *st = ix->st[IX_ADD_HOURS];
	struct hours *h = NULL;
	struct hours_span spans[64];
	size_t n = 0, i;
	int ok = -1, rc = 0;

	if (text && *text) {
		ok = hours_parse(text, &h) == 0;
		if (ok && hours_is_weekly(h))
			n = hours_week_spans(h, spans, sizeof(spans) / sizeof(*spans) - 1);
		if (ok && !n) { /* a week cannot hold it (or never open): evaluated exactly (db/hoursexact.h) */
			spans[0] = (struct hours_span){ HOURSET_EXACT_SPAN, HOURSET_EXACT_SPAN };
			n = 1;
		} else if (ok && hours_uses_ph(h) && n < sizeof(spans) / sizeof(*spans)) { /* exact on holidays */
			spans[n++] = (struct hours_span){ HOURSET_PH_SPAN, HOURSET_PH_SPAN };
		}
	}
	if (n && hours_moving(ix))
		return -1;
	for (i = 0; i < n && i < sizeof(spans) / sizeof(*spans) && !rc; i++) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, spans[i].start);
		sqlite3_bind_int(st, 3, spans[i].end);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = db_error(ix->db, "structure hours");
		sqlite3_reset(st);
	}
	hours_free(h);
	if (rc || was_ok == ok)
		return rc;
	st = ix->st[IX_HOURS_OK];
	sqlite3_bind_int64(st, 1, id);
	if (ok >= 0)
		sqlite3_bind_int(st, 2, ok);
	else
		sqlite3_bind_null(st, 2);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(ix->db, "structure hours");
	sqlite3_reset(st);
	return rc;
}

/* Parses the structure's opening hours into structure_hours spans. */
static int reindex_hours(struct structure_indexer *ix, sqlite3_int64 id)
{
	sqlite3_stmt *get = ix->st[IX_GET_HOURS];
	char *text = NULL;
	int rc;
	sqlite3_bind_int64(get, 1, id);
	rc = sqlite3_step(get);
	if (rc == SQLITE_ROW && sqlite3_column_text(get, 0))
		text = xstrdup((const char *)sqlite3_column_text(get, 0));
	sqlite3_reset(get);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(ix->db, "structures");
	rc = index_hours(ix, id, text, -2);
	free(text);
	return rc;
}

/* 1 when the query (one id parameter) has a row, 0 when not, -1 error. */
static int has_row(struct structure_indexer *ix, int which, sqlite3_int64 id)
{
	sqlite3_stmt *st = ix->st[which];
	int rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : db_error(ix->db, "structure index");
}

static int unindex(struct structure_indexer *ix, sqlite3_int64 id)
{
	int fts = has_row(ix, IX_HAS_FTS, id), geo = has_row(ix, IX_HAS_GEO, id);
	if (fts < 0 || geo < 0)
		return -1;
	return (fts && exec_id(ix, IX_DEL_FTS, id)) || (geo && exec_id(ix, IX_DEL_GEO, id)) ||
	       hours_moving(ix) || exec_id(ix, IX_DEL_HOURS, id) ? -1 : 0;
}

/* Computes the row of a derived virtual table (select) and inserts it (add). */
static int index_row(struct structure_indexer *ix, int select, int add, sqlite3_int64 id)
{
	sqlite3_stmt *sel = ix->st[select], *ins = ix->st[add];
	int rc, i;
	sqlite3_bind_int64(sel, 1, id);
	rc = sqlite3_step(sel);
	if (rc == SQLITE_ROW && sqlite3_column_type(sel, 0) != SQLITE_NULL) {
		sqlite3_bind_int64(ins, 1, id);
		for (i = 0; i < 2; i++)
			sqlite3_bind_value(ins, i + 2, sqlite3_column_value(sel, i));
		rc = sqlite3_step(ins);
		sqlite3_reset(ins);
	} else if (rc == SQLITE_ROW) {
		rc = SQLITE_DONE;
	}
	sqlite3_reset(sel);
	return rc == SQLITE_DONE ? 0 : db_error(ix->db, "structure index");
}

int structure_indexer_run(struct structure_indexer *ix, sqlite3_int64 id)
{
	if (unindex(ix, id) || index_row(ix, IX_FTS, IX_FTS_ADD, id) ||
	    index_row(ix, IX_GEO, IX_GEO_ADD, id) || reindex_hours(ix, id) || exec_id(ix, IX_MEMBERS_MOVED, id))
		return qfq_error_prefix("structure %lld", (long long)id);
	return 0;
}

int structure_indexer_add(struct structure_indexer *ix, sqlite3_int64 id)
{
	if (index_row(ix, IX_FTS, IX_FTS_ADD, id) || index_row(ix, IX_GEO, IX_GEO_ADD, id) ||
	    reindex_hours(ix, id))
		return qfq_error_prefix("structure %lld", (long long)id);
	return 0;
}

/*
 * Structures inserted in bulk: their text and position go into the virtual
 * tables in one statement each (one savepoint, so FTS5 writes one segment),
 * their hours one by one with the indexer's statements.
 */
int structure_index_new(sqlite3 *db, sqlite3_int64 after_id)
{
	static const char fts_new[] = "INSERT INTO structures_fts(rowid, nom, texte) "
		"SELECT s.id, s.nom, " FTS_TEXT WITH_COMMUNE "WHERE s.id > ?1 ORDER BY s.id";
	static const char geo_new[] = "INSERT INTO structures_geo(id, min_lat, max_lat, min_lon, max_lon) "
		"SELECT s.id, " GEO_LAT ", " GEO_LAT ", " GEO_LON ", " GEO_LON " " WITH_COMMUNE
		"WHERE s.id > ?1 AND " GEO_LAT " IS NOT NULL ORDER BY s.id";
	static const char hours_new[] = "SELECT id, horaires, horaires_ok FROM structures "
		"WHERE id > ?1 AND horaires IS NOT NULL";
	struct structure_indexer *ix = NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1, step, i;

	for (i = 0; i < 2; i++) {
		if (db_prepare(db, i ? geo_new : fts_new, &st))
			goto done;
		sqlite3_bind_int64(st, 1, after_id);
		step = sqlite3_step(st);
		sqlite3_finalize(st);
		st = NULL;
		if (step != SQLITE_DONE) {
			db_error(db, "structure index");
			goto done;
		}
	}
	if (structure_indexer_open(db, &ix) || db_prepare(db, hours_new, &st))
		goto done;
	sqlite3_bind_int64(st, 1, after_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (index_hours(ix, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
				sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 2)))
			goto done;
	rc = step == SQLITE_DONE ? 0 : db_error(db, "structures");
done:
	sqlite3_finalize(st);
	structure_indexer_close(ix);
	return rc;
}

int structure_indexer_drop(struct structure_indexer *ix, sqlite3_int64 id)
{
	return unindex(ix, id);
}

int structure_hours_refresh(sqlite3 *db)
{
	struct structure_indexer *ix = NULL;
	sqlite3_stmt *st = NULL;
	long long *ids = NULL;
	size_t n = 0, alloc = 0, i;
	int rc = -1, step;

	/* read first: the indexer's statements run between the steps otherwise */
	if (db_prepare(db, "SELECT structure_id FROM hours_dirty", &st))
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(ids, alloc, n + 1);
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		free(ids);
		return db_error(db, "hours_dirty");
	}
	if (!n) {
		free(ids);
		return 0;
	}
	if (structure_indexer_open(db, &ix))
		goto done;
	for (i = 0; i < n; i++)
		if (hours_moving(ix) || exec_id(ix, IX_DEL_HOURS, ids[i]) || reindex_hours(ix, ids[i]))
			goto done;
	rc = db_exec(db, "DELETE FROM hours_dirty");
done:
	structure_indexer_close(ix);
	free(ids);
	return rc;
}

int structure_unindex(sqlite3 *db, sqlite3_int64 id)
{
	struct structure_indexer *ix;
	int rc;
	if (structure_indexer_open(db, &ix))
		return -1;
	rc = unindex(ix, id);
	structure_indexer_close(ix);
	return rc;
}

int structure_reindex(sqlite3 *db, sqlite3_int64 id)
{
	struct structure_indexer *ix;
	int rc;
	if (structure_indexer_open(db, &ix))
		return -1;
	rc = structure_indexer_run(ix, id);
	structure_indexer_close(ix);
	return rc;
}

static int cmp_id(const void *a, const void *b)
{
	sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
	return x < y ? -1 : x > y;
}

int structure_reindex_ids(sqlite3 *db, sqlite3_int64 *ids, size_t n)
{
	struct structure_indexer *ix = NULL;
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = 0;
	if (!n)
		return 0;
	qsort(ids, n, sizeof(*ids), cmp_id);
	/* one indexer for all: an undone import touches thousands of structures */
	if (db_prepare(db, "SELECT 1 FROM structures WHERE id = ?1", &st) || structure_indexer_open(db, &ix))
		rc = -1;
	for (i = 0; i < n && !rc; i++) {
		bool exists;
		if (i && ids[i] == ids[i - 1])
			continue;
		sqlite3_bind_int64(st, 1, ids[i]);
		exists = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
		rc = exists ? structure_indexer_run(ix, ids[i]) : structure_indexer_drop(ix, ids[i]);
	}
	structure_indexer_close(ix);
	sqlite3_finalize(st);
	return rc;
}

int structure_reindex_all(sqlite3 *db)
{
	struct structure_indexer *ix;
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT id FROM structures", &st))
		return -1;
	if (structure_indexer_open(db, &ix)) {
		sqlite3_finalize(st);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (structure_indexer_run(ix, sqlite3_column_int64(st, 0))) {
			structure_indexer_close(ix);
			sqlite3_finalize(st);
			return -1;
		}
	structure_indexer_close(ix);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "structures");
}

int structure_find_by_key(sqlite3 *db, const char *key, sqlite3_int64 *id)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT min(id) FROM (SELECT id FROM structures WHERE nom_norm = ?1 "
			   "UNION SELECT structure_id FROM structure_aliases WHERE alias_norm = ?1)", &st))
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(db, "structures");
}

int structure_add_alias(sqlite3 *db, sqlite3_int64 id, const char *alias)
{
	struct strbuf key = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc;
	names_structure_key(&key, alias);
	if (!key.len) {
		strbuf_release(&key);
		return 0;
	}
	if (db_prepare(db, "INSERT INTO structure_aliases(alias_norm, structure_id, alias) "
			   "VALUES (?1, ?2, ?3) ON CONFLICT(alias_norm) DO NOTHING", &st)) {
		strbuf_release(&key);
		return -1;
	}
	sqlite3_bind_text(st, 1, key.buf, (int)key.len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_text(st, 3, alias, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	strbuf_release(&key);
	return rc == SQLITE_DONE ? 0 : db_error(db, "structure aliases");
}
