/*
 * membersgeo: memberships placed at their structure (see membersgeo.h).
 */
#include "db/membersgeo.h"
#include "db/db.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum {
	MG_DIRTY,      /* the structures to rebuild */
	MG_OLD,        /* the ids stored for one */
	MG_DEL,        /* one entry, by id */
	MG_GEO,        /* the structure's point */
	MG_MEMBERS,    /* its memberships */
	MG_ADD,        /* one entry */
	MG_AT_SET, MG_AT_DEL, MG_N
};

static const char *const mg_sql[MG_N] = {
	[MG_DIRTY] = "SELECT structure_id FROM members_geo_dirty",
	[MG_OLD] = "SELECT ids FROM structure_members WHERE structure_id = ?1",
	[MG_DEL] = "DELETE FROM members_geo WHERE id = ?1",
	[MG_GEO] = "SELECT min_lat, max_lat, min_lon, max_lon FROM structures_geo WHERE id = ?1",
	[MG_MEMBERS] = "SELECT person_id, fin IS NOT NULL FROM memberships WHERE structure_id = ?1",
	[MG_ADD] = "INSERT INTO members_geo(id, min_lat, max_lat, min_lon, max_lon) VALUES (?1, ?2, ?3, ?4, ?5)",
	[MG_AT_SET] = "INSERT OR REPLACE INTO structure_members(structure_id, lat, lon, ids) VALUES (?1, ?2, ?3, ?4)",
	[MG_AT_DEL] = "DELETE FROM structure_members WHERE structure_id = ?1",
};

static int step_done(sqlite3 *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "members_geo");
}

/* Deletes the entries stored for structure sid. */
static int drop_old(sqlite3 *db, sqlite3_stmt **st, long long sid)
{
	sqlite3_int64 *ids = NULL;
	size_t n = 0, i;
	int rc;
	sqlite3_bind_int64(st[MG_OLD], 1, sid);
	rc = sqlite3_step(st[MG_OLD]);
	if (rc == SQLITE_ROW) {
		const unsigned char *blob = sqlite3_column_blob(st[MG_OLD], 0);
		n = (size_t)sqlite3_column_bytes(st[MG_OLD], 0) / 8;
		ids = xmalloc((n ? n : 1) * sizeof(*ids));
		for (i = 0; i < n; i++)
			ids[i] = membersgeo_ids_at(blob, i);
	}
	sqlite3_reset(st[MG_OLD]);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(db, "members_geo");
	for (i = 0, rc = 0; i < n && !rc; i++) {
		sqlite3_bind_int64(st[MG_DEL], 1, ids[i]);
		rc = step_done(db, st[MG_DEL]);
	}
	free(ids);
	return rc;
}

/* Places the memberships of sid at its point (if it has one); records their ids. */
static int add_new(sqlite3 *db, sqlite3_stmt **st, long long sid)
{
	sqlite3_int64 *ids = NULL;
	size_t n = 0, alloc = 0, i;
	double box[4];
	bool placed;
	int rc, k;

	sqlite3_bind_int64(st[MG_GEO], 1, sid);
	rc = sqlite3_step(st[MG_GEO]);
	placed = rc == SQLITE_ROW;
	for (k = 0; placed && k < 4; k++)
		box[k] = sqlite3_column_double(st[MG_GEO], k);
	sqlite3_reset(st[MG_GEO]);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(db, "members_geo");
	sqlite3_bind_int64(st[MG_MEMBERS], 1, sid);
	while ((rc = sqlite3_step(st[MG_MEMBERS])) == SQLITE_ROW) {
		long long pid = sqlite3_column_int64(st[MG_MEMBERS], 0);
		if (pid < 0 || pid > MEMBERSGEO_MAX_ID)
			continue;
		XGROW(ids, alloc, n + 1);
		ids[n++] = membersgeo_id(sid, pid, sqlite3_column_int(st[MG_MEMBERS], 1));
	}
	sqlite3_reset(st[MG_MEMBERS]);
	if (rc != SQLITE_DONE) {
		free(ids);
		return db_error(db, "members_geo");
	}
	/* without a position its members are listed, not placed */
	for (i = 0, rc = 0; placed && i < n && !rc; i++) {
		sqlite3_bind_int64(st[MG_ADD], 1, ids[i]);
		for (k = 0; k < 4; k++)
			sqlite3_bind_double(st[MG_ADD], 2 + k, box[k]);
		rc = step_done(db, st[MG_ADD]);
	}
	if (!rc && n) {
		sqlite3_bind_int64(st[MG_AT_SET], 1, sid);
		if (placed) {
			sqlite3_bind_double(st[MG_AT_SET], 2, box[0]);
			sqlite3_bind_double(st[MG_AT_SET], 3, box[2]);
		} else {
			sqlite3_bind_null(st[MG_AT_SET], 2);
			sqlite3_bind_null(st[MG_AT_SET], 3);
		}
		unsigned char *blob = xmalloc(8 * n);
		for (i = 0; i < n; i++)
			for (k = 0; k < 8; k++)
				blob[8 * i + (size_t)k] = (unsigned char)((unsigned long long)ids[i] >> (8 * k));
		sqlite3_bind_blob(st[MG_AT_SET], 4, blob, (int)(8 * n), free);
		rc = step_done(db, st[MG_AT_SET]);
	} else if (!rc) {
		sqlite3_bind_int64(st[MG_AT_DEL], 1, sid);
		rc = step_done(db, st[MG_AT_DEL]);
	}
	free(ids);
	return rc;
}

int membersgeo_refresh(sqlite3 *db)
{
	sqlite3_stmt *st[MG_N] = { 0 };
	int i, rc = -1, step;

	for (i = 0; i < MG_N; i++)
		if (db_prepare(db, mg_sql[i], &st[i]))
			goto done;
	while ((step = sqlite3_step(st[MG_DIRTY])) == SQLITE_ROW) {
		long long sid = sqlite3_column_int64(st[MG_DIRTY], 0);
		if (sid < 0 || sid > MEMBERSGEO_MAX_ID)
			continue; /* stays dirty: searches read memberships */
		if (drop_old(db, st, sid) || add_new(db, st, sid))
			goto done;
	}
	if (step != SQLITE_DONE) {
		db_error(db, "members_geo");
		goto done;
	}
	sqlite3_reset(st[MG_DIRTY]);
	/* what could not be placed (ids out of range) stays recorded */
	rc = db_exec(db, "DELETE FROM members_geo_dirty WHERE structure_id BETWEEN 0 AND 1073741823");
done:
	for (i = 0; i < MG_N; i++)
		sqlite3_finalize(st[i]);
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
	return db_error(db, "members_geo");
}
