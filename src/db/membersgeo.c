/*
 * membersgeo: the members of each structure, clustered by place (see
 * membersgeo.h).
 */
#include "db/membersgeo.h"
#include "db/db.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum {
	MG_DIRTY,      /* the structures to rebuild */
	MG_DEL,        /* a structure's row */
	MG_GEO,        /* the structure's point */
	MG_MEMBERS,    /* its memberships */
	MG_ADD,        /* its row */
	MG_UNDIRTY,    /* done with it */
	MG_N
};

static const char *const mg_sql[MG_N] = {
	[MG_DIRTY] = "SELECT structure_id FROM members_geo_dirty",
	[MG_DEL] = "DELETE FROM structure_members WHERE structure_id = ?1",
	[MG_GEO] = "SELECT min_lat, min_lon FROM structures_geo WHERE id = ?1",
	[MG_MEMBERS] = "SELECT person_id, fin IS NOT NULL FROM memberships WHERE structure_id = ?1 ORDER BY person_id",
	[MG_ADD] = "INSERT INTO structure_members(cell, structure_id, lat, lon, ids) VALUES (?1, ?2, ?3, ?4, ?5)",
	[MG_UNDIRTY] = "DELETE FROM members_geo_dirty WHERE structure_id = ?1",
};

static int step_done(sqlite3 *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "structure_members");
}

/*
 * Writes the row of structure sid from its memberships and its point: 0,
 * 1 when a person id is too large to store (sid stays dirty: searches read
 * memberships), -1 on error.
 */
static int rebuild(sqlite3 *db, sqlite3_stmt **st, long long sid)
{
	unsigned char *blob = NULL;
	size_t n = 0, alloc = 0;
	double lat = 0, lon = 0;
	bool placed;
	int rc, k;

	sqlite3_bind_int64(st[MG_DEL], 1, sid);
	if (step_done(db, st[MG_DEL]))
		return -1;
	sqlite3_bind_int64(st[MG_MEMBERS], 1, sid);
	while ((rc = sqlite3_step(st[MG_MEMBERS])) == SQLITE_ROW) {
		long long pid = sqlite3_column_int64(st[MG_MEMBERS], 0);
		unsigned long long m;
		if (pid < 0 || pid > MEMBERSGEO_MAX_ID) {
			sqlite3_reset(st[MG_MEMBERS]);
			free(blob);
			return 1;
		}
		m = (unsigned long long)membersgeo_member(pid, sqlite3_column_int(st[MG_MEMBERS], 1));
		XGROW(blob, alloc, 8 * (n + 1));
		for (k = 0; k < 8; k++)
			blob[8 * n + (size_t)k] = (unsigned char)(m >> (8 * k));
		n++;
	}
	sqlite3_reset(st[MG_MEMBERS]);
	if (rc != SQLITE_DONE) {
		free(blob);
		return db_error(db, "structure_members");
	}
	if (!n) /* no members: no row */
		return 0;
	sqlite3_bind_int64(st[MG_GEO], 1, sid);
	rc = sqlite3_step(st[MG_GEO]);
	placed = rc == SQLITE_ROW;
	if (placed) {
		lat = sqlite3_column_double(st[MG_GEO], 0);
		lon = sqlite3_column_double(st[MG_GEO], 1);
	}
	sqlite3_reset(st[MG_GEO]);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		free(blob);
		return db_error(db, "structure_members");
	}
	sqlite3_bind_int64(st[MG_ADD], 1, placed ? membersgeo_cell(lat, lon) : -1);
	sqlite3_bind_int64(st[MG_ADD], 2, sid);
	if (placed) {
		sqlite3_bind_double(st[MG_ADD], 3, lat);
		sqlite3_bind_double(st[MG_ADD], 4, lon);
	}
	sqlite3_bind_blob(st[MG_ADD], 5, blob, (int)(8 * n), free);
	return step_done(db, st[MG_ADD]);
}

int membersgeo_refresh(sqlite3 *db)
{
	sqlite3_stmt *st[MG_N] = { 0 };
	long long *sids = NULL;
	size_t n = 0, alloc = 0, i;
	int rc = -1, step, k;

	for (k = 0; k < MG_N; k++)
		if (db_prepare(db, mg_sql[k], &st[k]))
			goto done;
	/* read first: the rows are deleted as they are rebuilt */
	while ((step = sqlite3_step(st[MG_DIRTY])) == SQLITE_ROW) {
		XGROW(sids, alloc, n + 1);
		sids[n++] = sqlite3_column_int64(st[MG_DIRTY], 0);
	}
	if (step != SQLITE_DONE) {
		db_error(db, "structure_members");
		goto done;
	}
	for (i = 0; i < n; i++) {
		int r = rebuild(db, st, sids[i]);
		if (r < 0)
			goto done;
		sqlite3_bind_int64(st[MG_UNDIRTY], 1, sids[i]);
		if (!r && step_done(db, st[MG_UNDIRTY]))
			goto done;
		sqlite3_reset(st[MG_UNDIRTY]);
	}
	rc = 0;
done:
	for (k = 0; k < MG_N; k++)
		sqlite3_finalize(st[k]);
	free(sids);
	return rc;
}

int membersgeo_fresh(sqlite3 *db)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT 1 FROM members_geo_dirty LIMIT 1", &st))
		return -1;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc == SQLITE_DONE;
	return db_error(db, "members_geo_dirty");
}
