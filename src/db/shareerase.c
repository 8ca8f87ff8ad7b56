/*
 * shareerase: erased persons' rows dropped from what other copies send
 * (see shareerase.h).
 */
#include "db/shareerase.h"
#include "db/changeset.h"
#include "db/db.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define GID_LEN 16

int share_erased_add(sqlite3 *db, sqlite3_int64 person_id)
{
	/* the gid joins share_erased; the conflicts listed about their rows go (they hold their values) */
	static const char *const sql[] = {
		"INSERT OR IGNORE INTO share_erased(gid) SELECT gid FROM share_ids WHERE tbl = 'persons' AND id = ?1",
		"DELETE FROM share_conflicts WHERE (tbl = 'persons' AND key = CAST(?1 AS TEXT)) "
		"OR (tbl = 'memberships' AND key IN (SELECT CAST(id AS TEXT) FROM memberships WHERE person_id = ?1)) "
		"OR (tbl = 'person_themes' AND key LIKE ?1 || '|%') "
		"OR (tbl = 'attendance' AND key LIKE '%|' || ?1)",
		/* counted: a sync then rewrites this copy's own files in the folder (db/sharesync.c) */
		"INSERT INTO meta(key, value) VALUES ('share_erasures', '1') "
		"ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
	};
	size_t i;
	int rc = 0;
	for (i = 0; i < sizeof(sql) / sizeof(*sql) && !rc; i++) {
		sqlite3_stmt *st;
		if (db_prepare(db, sql[i], &st))
			return -1;
		if (sqlite3_bind_parameter_count(st))
			sqlite3_bind_int64(st, 1, person_id);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(db, _("share"));
		sqlite3_finalize(st);
	}
	return rc;
}

int share_erased_text(sqlite3 *db, const char *const *needles, int n)
{
	sqlite3_stmt *st;
	int k, rc = 0;
	if (db_prepare(db, "DELETE FROM share_conflicts WHERE instr(CAST(kept AS TEXT), ?1) "
			   "OR instr(CAST(lost AS TEXT), ?1)", &st))
		return -1;
	for (k = 0; k < n && !rc; k++) {
		if (!needles[k] || !*needles[k])
			continue;
		sqlite3_bind_text(st, 1, needles[k], -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(db, _("share"));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Whether v is one of the gids. */
static bool is_erased(const struct csval *v, const unsigned char *gids, size_t ngid)
{
	size_t i;
	if (v->type != SQLITE_BLOB || v->n != GID_LEN)
		return false;
	for (i = 0; i < ngid; i++)
		if (!memcmp(v->p, gids + i * GID_LEN, GID_LEN))
			return true;
	return false;
}

/* Whether data holds one of the gids at all (most entries do not: no rewrite). */
static bool holds_any(const void *data, int n, const unsigned char *gids, size_t ngid)
{
	size_t i;
	for (i = 0; i < ngid; i++)
		if (memmem(data, (size_t)n, gids + i * GID_LEN, GID_LEN))
			return true;
	return false;
}

int share_scrub_changeset(const void *data, int n, const unsigned char *gids, size_t ngid, struct strbuf *out,
			  long *dropped)
{
	sqlite3_changeset_iter *it;
	struct cslast last = { "" };
	struct csrow r;
	int i, side, rc = 0;
	if (!ngid || n <= 0 || !holds_any(data, n, gids, ngid))
		return 0;
	if (sqlite3changeset_start(&it, n, (void *)data) != SQLITE_OK)
		return -1;
	while (sqlite3changeset_next(it) == SQLITE_ROW) {
		bool about = false, pointer_only = true;
		if (csrow_read(it, &r)) {
			rc = -1;
			break;
		}
		for (i = 0; i < r.ncol; i++)
			for (side = 0; side < 2; side++) {
				struct csval *v = side ? &r.new[i] : &r.old[i];
				if (!is_erased(v, gids, ngid))
					continue;
				about = true;
				if (strcmp(r.table, "referrals") || r.pk[i])
					pointer_only = false;
				else
					csval_null(v); /* the referral stays, without who sent or received it */
			}
		if (about && !pointer_only) {
			(*dropped)++;
			continue;
		}
		csrow_write(out, &r, &last);
	}
	if (sqlite3changeset_finalize(it) != SQLITE_OK)
		rc = -1;
	return rc ? -1 : 1;
}

/* The person's gid an erasure entry carries (its one row: a delete of persons), or NULL. */
static bool erase_gid(const struct share_entry *e, unsigned char gid[GID_LEN])
{
	sqlite3_changeset_iter *it;
	struct csrow r;
	bool found = false;
	if (!e->n || sqlite3changeset_start(&it, e->n, e->data) != SQLITE_OK)
		return false;
	if (sqlite3changeset_next(it) == SQLITE_ROW && !csrow_read(it, &r) && !strcmp(r.table, "persons") &&
	    r.old[0].type == SQLITE_BLOB && r.old[0].n == GID_LEN) {
		memcpy(gid, r.old[0].p, GID_LEN);
		found = true;
	}
	sqlite3changeset_finalize(it);
	return found;
}

/* The erasures of v into share_erased, then all of share_erased into *gids. */
static int load_erased(sqlite3 *db, const struct share_entry *v, size_t n, unsigned char **gids, size_t *ngid)
{
	sqlite3_stmt *add, *all;
	unsigned char gid[GID_LEN];
	size_t i, alloc = 0;
	int step = SQLITE_DONE;
	if (db_prepare(db, "INSERT OR IGNORE INTO share_erased(gid) VALUES (?1)", &add))
		return -1;
	for (i = 0; i < n && step == SQLITE_DONE; i++) {
		if (!v[i].erase || !erase_gid(&v[i], gid))
			continue;
		sqlite3_bind_blob(add, 1, gid, GID_LEN, SQLITE_STATIC);
		step = sqlite3_step(add);
		sqlite3_reset(add);
	}
	sqlite3_finalize(add);
	if (step != SQLITE_DONE || db_prepare(db, "SELECT gid FROM share_erased WHERE length(gid) = 16", &all))
		return db_error(db, _("share"));
	while ((step = sqlite3_step(all)) == SQLITE_ROW) {
		XGROW(*gids, alloc, (*ngid + 1) * GID_LEN);
		memcpy(*gids + *ngid * GID_LEN, sqlite3_column_blob(all, 0), GID_LEN);
		(*ngid)++;
	}
	sqlite3_finalize(all);
	return step == SQLITE_DONE ? 0 : db_error(db, _("share"));
}

int share_erased_filter(sqlite3 *db, struct share_entry *v, size_t n, long *dropped)
{
	unsigned char *gids = NULL;
	size_t ngid = 0, i;
	int rc = 0;
	*dropped = 0;
	if (load_erased(db, v, n, &gids, &ngid)) {
		free(gids);
		return -1;
	}
	for (i = 0; i < n && ngid && !rc; i++) {
		struct strbuf out = STRBUF_INIT;
		int k;
		if (v[i].erase)
			continue;
		k = share_scrub_changeset(v[i].data, v[i].n, gids, ngid, &out, dropped);
		if (k < 0)
			rc = qfq_error(_("change %s/%lld: not a changeset"), v[i].copy, (long long)v[i].seq);
		if (k > 0) {
			free(v[i].data);
			v[i].n = (int)out.len;
			v[i].data = (unsigned char *)strbuf_detach(&out, NULL);
		}
		strbuf_release(&out);
	}
	free(gids);
	return rc;
}
