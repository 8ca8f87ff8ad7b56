/*
 * structures: derived indexes of a structure and look-ups by name key
 * (see structures.h).
 */
#include "db/structures.h"
#include "core/hours.h"
#include "core/names.h"
#include "db/db.h"
#include "util/error.h"
#include "util/strbuf.h"

#include <stdlib.h>

/* Everything a person might type to find the structure, beside its name. */
static const char fts_sql[] =
	"INSERT INTO structures_fts(rowid, nom, texte) SELECT s.id, s.nom, "
	"ifnull((SELECT group_concat(alias, ' ') FROM structure_aliases WHERE structure_id = s.id), '') "
	"|| ' ' || ifnull(s.presentation_resume, '') || ' ' || ifnull(s.presentation_detail, '') "
	"|| ' ' || ifnull((SELECT group_concat(t.label, ' ') FROM structure_themes st "
	"JOIN themes t ON t.id = st.theme_id WHERE st.structure_id = s.id), '') "
	"|| ' ' || ifnull((SELECT group_concat(m.role, ' ') FROM memberships m WHERE m.structure_id = s.id), '') "
	"|| ' ' || ifnull(c.nom, '') || ' ' || ifnull(s.typologie, '') || ' ' || ifnull(s.tags, '') "
	"FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee WHERE s.id = ?1";

static const char geo_sql[] =
	"INSERT INTO structures_geo(id, min_lat, max_lat, min_lon, max_lon) "
	"SELECT s.id, coalesce(s.latitude, c.latitude), coalesce(s.latitude, c.latitude), "
	"coalesce(s.longitude, c.longitude), coalesce(s.longitude, c.longitude) "
	"FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee "
	"WHERE s.id = ?1 AND coalesce(s.latitude, c.latitude) IS NOT NULL";

static int exec_id(sqlite3 *db, const char *sql, sqlite3_int64 id)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, sql, &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "structure index");
}

/* Parses the structure's opening hours into structure_hours spans. */
static int reindex_hours(sqlite3 *db, sqlite3_int64 id)
{
	sqlite3_stmt *get = NULL, *ins = NULL;
	struct hours *h = NULL;
	struct hours_span spans[64];
	size_t n = 0, i;
	int ok = -1, rc = -1;

	if (db_prepare(db, "SELECT horaires FROM structures WHERE id = ?1", &get) ||
	    db_prepare(db, "INSERT OR REPLACE INTO structure_hours(structure_id, start_min, end_min) "
			   "VALUES (?1, ?2, ?3)", &ins))
		goto done;
	sqlite3_bind_int64(get, 1, id);
	if (sqlite3_step(get) == SQLITE_ROW && sqlite3_column_text(get, 0) && *sqlite3_column_text(get, 0)) {
		ok = hours_parse((const char *)sqlite3_column_text(get, 0), &h) == 0;
		if (ok)
			n = hours_week_spans(h, spans, sizeof(spans) / sizeof(*spans));
	}
	for (i = 0; i < n && i < sizeof(spans) / sizeof(*spans); i++) {
		sqlite3_bind_int64(ins, 1, id);
		sqlite3_bind_int(ins, 2, spans[i].start);
		sqlite3_bind_int(ins, 3, spans[i].end);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			db_error(db, "structure hours");
			goto done;
		}
		sqlite3_reset(ins);
	}
	sqlite3_finalize(ins);
	ins = NULL;
	if (db_prepare(db, "UPDATE structures SET horaires_ok = ?2 WHERE id = ?1 AND horaires_ok IS NOT ?2", &ins))
		goto done;
	sqlite3_bind_int64(ins, 1, id);
	if (ok >= 0)
		sqlite3_bind_int(ins, 2, ok);
	rc = sqlite3_step(ins) == SQLITE_DONE ? 0 : db_error(db, "structure hours");
done:
	hours_free(h);
	sqlite3_finalize(get);
	sqlite3_finalize(ins);
	return rc;
}

int structure_unindex(sqlite3 *db, sqlite3_int64 id)
{
	return exec_id(db, "DELETE FROM structures_fts WHERE rowid = ?1", id) ||
	       exec_id(db, "DELETE FROM structures_geo WHERE id = ?1", id) ||
	       exec_id(db, "DELETE FROM structure_hours WHERE structure_id = ?1", id) ? -1 : 0;
}

int structure_reindex(sqlite3 *db, sqlite3_int64 id)
{
	if (structure_unindex(db, id) || exec_id(db, fts_sql, id) || exec_id(db, geo_sql, id) ||
	    reindex_hours(db, id))
		return qfq_error_prefix("structure %lld", (long long)id);
	return 0;
}

int structure_reindex_all(sqlite3 *db)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT id FROM structures", &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (structure_reindex(db, sqlite3_column_int64(st, 0))) {
			sqlite3_finalize(st);
			return -1;
		}
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
