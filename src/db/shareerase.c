/*
 * shareerase: erased persons' rows dropped from what other copies send
 * (see shareerase.h).
 */
#include "db/shareerase.h"
#include "db/changeset.h"
#include "db/db.h"
#include "db/erase.h"
#include "db/history.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define GID_LEN 16

/* ------------------------------------------------ the mentions of an erased person */

#define SALT_LEN 16
#define FORM_LEN 10 /* a mention: its length (2 bytes), its hash (8 bytes), little-endian */

/* A 64-bit hash of salt and the n bytes of p (FNV-1a, then mixed): it matches, it does not name. */
static uint64_t form_hash(const unsigned char *salt, const void *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;
	for (i = 0; i < SALT_LEN; i++)
		h = (h ^ salt[i]) * 1099511628211ULL;
	for (i = 0; i < n; i++)
		h = (h ^ ((const unsigned char *)p)[i]) * 1099511628211ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

void share_erased_forms(const char *const *needles, int n, struct strbuf *out)
{
	unsigned char salt[SALT_LEN], b[FORM_LEN];
	size_t at;
	int k, i, count = 0;
	sqlite3_randomness(SALT_LEN, salt);
	strbuf_add(out, salt, SALT_LEN);
	at = out->len;
	strbuf_addch(out, 0);
	for (k = 0; k < n && count < 255; k++) {
		size_t len = needles[k] ? strlen(needles[k]) : 0;
		uint64_t h;
		if (!len || len > 0xffff)
			continue;
		h = form_hash(salt, needles[k], len);
		b[0] = (unsigned char)(len & 0xff);
		b[1] = (unsigned char)(len >> 8);
		for (i = 0; i < 8; i++)
			b[2 + i] = (unsigned char)(h >> (8 * i));
		strbuf_add(out, b, FORM_LEN);
		count++;
	}
	out->buf[at] = (char)count;
}

/* Whether a word may start at text[i] (the byte before it is no ASCII letter or digit, nor UTF-8). */
static bool word_start(const char *text, size_t i)
{
	unsigned char c = i ? (unsigned char)text[i - 1] : ' ';
	return c < 0x80 && !isalnum(c);
}

/*
 * The mentions that the forms[0..n) (groups written by share_erased_forms,
 * one after another) find in text[0..len) at a word's start, added to m.
 */
static void find_mentions(const unsigned char *forms, size_t n, const char *text, size_t len, struct erase_needles *m)
{
	size_t g = 0;
	while (g + SALT_LEN + 1 <= n) {
		const unsigned char *salt = forms + g, *e = forms + g + SALT_LEN + 1;
		int count = forms[g + SALT_LEN], k, b;
		if (g + SALT_LEN + 1 + (size_t)count * FORM_LEN > n)
			break;
		for (k = 0; k < count; k++, e += FORM_LEN) {
			size_t l = (size_t)e[0] | (size_t)e[1] << 8, i;
			uint64_t h = 0;
			for (b = 0; b < 8; b++)
				h |= (uint64_t)e[2 + b] << (8 * b);
			for (i = 0; l && i + l <= len; i++)
				if (word_start(text, i) && form_hash(salt, text + i, l) == h) {
					erase_needle_add(m, text + i, l);
					break;
				}
		}
		g += SALT_LEN + 1 + (size_t)count * FORM_LEN;
	}
}

int share_scrub_text(const char *text, size_t len, const char *const *needles, int n, struct strbuf *out)
{
	struct strbuf cur = STRBUF_INIT, next = STRBUF_INIT;
	int k, rc = 0;
	strbuf_add(&cur, text, len);
	for (k = 0; k < n && rc < 2; k++) {
		size_t nl = needles[k] ? strlen(needles[k]) : 0, i = 0, a, z;
		const char *hit;
		if (!nl || !memmem(cur.buf, cur.len, needles[k], nl))
			continue;
		/* replace(text, needle, ''), then trim(..., ' |,'), then nullif(..., ''): as erase.c's SQL */
		strbuf_reset(&next);
		while ((hit = memmem(cur.buf + i, cur.len - i, needles[k], nl))) {
			strbuf_add(&next, cur.buf + i, (size_t)(hit - (cur.buf + i)));
			i = (size_t)(hit - cur.buf) + nl;
		}
		strbuf_add(&next, cur.buf + i, cur.len - i);
		for (a = 0; a < next.len && next.buf[a] && strchr(" |,", next.buf[a]); a++)
			;
		for (z = next.len; z > a && next.buf[z - 1] && strchr(" |,", next.buf[z - 1]); z--)
			;
		strbuf_reset(&cur);
		strbuf_add(&cur, next.buf + a, z - a);
		rc = cur.len ? 1 : 2;
	}
	if (rc == 1)
		strbuf_add(out, cur.buf, cur.len);
	strbuf_release(&cur);
	strbuf_release(&next);
	return rc;
}

/* For each table of the batch, which of its columns are free text an erasure scrubs (bit i: column i). */
struct text_cols {
	struct {
		char *table;
		uint64_t mask;
	} v[16];
	int n;
};

static int text_mask(sqlite3 *db, struct text_cols *tc, const char *table, uint64_t *mask)
{
	sqlite3_stmt *st;
	char *sql;
	int i, rc;
	for (i = 0; i < tc->n; i++)
		if (!strcmp(tc->v[i].table, table)) {
			*mask = tc->v[i].mask;
			return 0;
		}
	*mask = 0;
	sql = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q)", table);
	rc = db_prepare(db, sql, &st);
	sqlite3_free(sql);
	if (rc)
		return -1;
	for (i = 0; i < 64 && sqlite3_step(st) == SQLITE_ROW; i++)
		if (erase_text_col(table, (const char *)sqlite3_column_text(st, 0)))
			*mask |= (uint64_t)1 << i;
	sqlite3_finalize(st);
	if (tc->n < (int)(sizeof(tc->v) / sizeof(*tc->v))) {
		tc->v[tc->n].table = xstrdup(table);
		tc->v[tc->n++].mask = *mask;
	}
	return 0;
}

/*
 * The entry's free-text values without the mentions that forms[0..nforms)
 * find there (e->data rewritten): 1 rewritten, 0 nothing found, -1 error.
 */
static int scrub_entry_text(sqlite3 *db, struct text_cols *tc, const unsigned char *forms, size_t nforms,
			    struct share_entry *e)
{
	sqlite3_changeset_iter *it;
	struct strbuf out = STRBUF_INIT, bufs[CS_MAX_COLS][2];
	struct cslast last = { "" };
	struct csrow r;
	bool changed = false;
	int i, side, rc = 0;
	if (!e->n || sqlite3changeset_start(&it, e->n, e->data) != SQLITE_OK)
		return e->n ? -1 : 0;
	for (i = 0; i < CS_MAX_COLS; i++) {
		strbuf_init(&bufs[i][0], 0);
		strbuf_init(&bufs[i][1], 0);
	}
	while (!rc && sqlite3changeset_next(it) == SQLITE_ROW) {
		uint64_t mask;
		if (csrow_read(it, &r) || text_mask(db, tc, r.table, &mask)) {
			rc = -1;
			break;
		}
		for (i = 0; i < r.ncol && mask; i++)
			for (side = 0; side < 2 && (mask & ((uint64_t)1 << i)); side++) {
				struct csval *v = side ? &r.new[i] : &r.old[i];
				struct erase_needles m = { NULL, 0, 0 };
				if (v->type != SQLITE_TEXT)
					continue;
				find_mentions(forms, nforms, v->p, (size_t)v->n, &m);
				strbuf_reset(&bufs[i][side]);
				switch (m.n ? share_scrub_text(v->p, (size_t)v->n, (const char *const *)m.v, (int)m.n,
							       &bufs[i][side]) : 0) {
				case 1:
					v->p = bufs[i][side].buf;
					v->n = (int)bufs[i][side].len;
					changed = true;
					break;
				case 2:
					csval_null(v);
					changed = true;
					break;
				}
				erase_needles_clear(&m);
			}
		csrow_write(&out, &r, &last);
	}
	if (sqlite3changeset_finalize(it) != SQLITE_OK && !rc)
		rc = -1;
	if (!rc && changed) {
		free(e->data);
		e->n = (int)out.len;
		e->data = (unsigned char *)strbuf_detach(&out, NULL);
		rc = 1;
	}
	strbuf_release(&out);
	for (i = 0; i < CS_MAX_COLS; i++) {
		strbuf_release(&bufs[i][0]);
		strbuf_release(&bufs[i][1]);
	}
	return rc;
}

/*
 * The mentions that forms[0..n) (erasures new here) find in this copy's
 * free text, removed from it and from what it keeps (person_forget_text);
 * counted in meta share_erasures when there were some, so that the next
 * sync rewrites this copy's own files.
 */
static int scrub_local_text(sqlite3 *db, const unsigned char *forms, size_t n)
{
	struct erase_needles m = { NULL, 0, 0 };
	const char *table, *col;
	size_t i;
	long mentions = 0;
	int rc = 0;
	for (i = 0; !rc && (col = erase_text_column(i, &table)); i++) {
		sqlite3_stmt *st;
		char *sql = sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE \"%w\" IS NOT NULL", col, table, col);
		rc = db_prepare(db, sql, &st);
		sqlite3_free(sql);
		if (rc)
			break;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			find_mentions(forms, n, (const char *)sqlite3_column_text(st, 0),
				      (size_t)sqlite3_column_bytes(st, 0), &m);
		sqlite3_finalize(st);
		rc = rc == SQLITE_DONE ? 0 : db_error(db, _("share"));
	}
	/* a change set of its own, without values (they hold the mentions), not sent: each copy does it */
	if (!rc && m.n) {
		history_set_private(db);
		history_set_summary(db, _("effacement : mentions d'une personne effacée sur une autre copie"));
		rc = person_forget_text(db, (const char *const *)m.v, (int)m.n, &mentions) ||
		     history_record(db) || history_begin(db) ||
		     db_exec(db, "INSERT INTO meta(key, value) VALUES ('share_erasures', '1') "
				 "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1") ? -1 : 0;
	}
	erase_needles_clear(&m);
	return rc;
}


/* The gid and forms of an erasure join share_erased (forms added to those known): 1 something new, 0, -1. */
static int erased_upsert(sqlite3 *db, sqlite3_stmt *st, const void *forms, int nforms)
{
	int rc;
	if (forms && nforms > 0)
		sqlite3_bind_blob(st, 2, forms, nforms, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? sqlite3_changes(db) > 0 : db_error(db, _("share"));
}

#define ERASED_UPSERT \
	"ON CONFLICT(gid) DO UPDATE SET forms = coalesce(forms, x'') || excluded.forms " \
	"WHERE excluded.forms IS NOT NULL AND instr(coalesce(forms, x''), excluded.forms) = 0"

int share_erased_add(sqlite3 *db, sqlite3_int64 person_id, const void *forms, int nforms)
{
	/* the gid joins share_erased; the conflicts listed about their rows go (they hold their values) */
	static const char *const sql[] = {
		"INSERT INTO share_erased(gid, forms) SELECT gid, ?2 FROM share_ids WHERE tbl = 'persons' AND id = ?1 "
		ERASED_UPSERT,
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
		if (sqlite3_bind_parameter_count(st) > 1)
			rc = erased_upsert(db, st, forms, nforms) < 0 ? -1 : 0;
		else
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

/*
 * The person's gid an erasure entry carries (its one row: a delete of
 * persons), and the hashes of their mentions (the next column: a blob, or
 * none from an older qfq) appended to forms. Whether it is one.
 */
static bool erase_gid(const struct share_entry *e, unsigned char gid[GID_LEN], struct strbuf *forms)
{
	sqlite3_changeset_iter *it;
	struct csrow r;
	bool found = false;
	if (!e->n || sqlite3changeset_start(&it, e->n, e->data) != SQLITE_OK)
		return false;
	if (sqlite3changeset_next(it) == SQLITE_ROW && !csrow_read(it, &r) && !strcmp(r.table, "persons") &&
	    r.old[0].type == SQLITE_BLOB && r.old[0].n == GID_LEN) {
		memcpy(gid, r.old[0].p, GID_LEN);
		if (r.ncol > 1 && r.old[1].type == SQLITE_BLOB && r.old[1].n > 0)
			strbuf_add(forms, r.old[1].p, (size_t)r.old[1].n);
		found = true;
	}
	sqlite3changeset_finalize(it);
	return found;
}

/*
 * The erasures of v into share_erased (the mentions the new ones find in
 * this copy's free text removed), then all of share_erased into *gids and
 * the hashes of every erased person's mentions into forms.
 */
static int load_erased(sqlite3 *db, const struct share_entry *v, size_t n, unsigned char **gids, size_t *ngid,
		       struct strbuf *forms)
{
	sqlite3_stmt *add, *all;
	struct strbuf one = STRBUF_INIT, fresh = STRBUF_INIT;
	unsigned char gid[GID_LEN];
	size_t i, alloc = 0;
	int step = SQLITE_DONE, k = 0;
	if (db_prepare(db, "INSERT INTO share_erased(gid, forms) VALUES (?1, ?2) " ERASED_UPSERT, &add))
		return -1;
	for (i = 0; i < n && k >= 0; i++) {
		strbuf_reset(&one);
		if (!v[i].erase || !erase_gid(&v[i], gid, &one))
			continue;
		sqlite3_bind_blob(add, 1, gid, GID_LEN, SQLITE_STATIC);
		if ((k = erased_upsert(db, add, one.buf, (int)one.len)) > 0)
			strbuf_add(&fresh, one.buf, one.len);
	}
	sqlite3_finalize(add);
	strbuf_release(&one);
	if (k >= 0 && fresh.len)
		k = scrub_local_text(db, (const unsigned char *)fresh.buf, fresh.len);
	strbuf_release(&fresh);
	if (k < 0 || db_prepare(db, "SELECT gid, forms FROM share_erased", &all))
		return -1;
	while ((step = sqlite3_step(all)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(all, 0) == GID_LEN) {
			XGROW(*gids, alloc, (*ngid + 1) * GID_LEN);
			memcpy(*gids + *ngid * GID_LEN, sqlite3_column_blob(all, 0), GID_LEN);
			(*ngid)++;
		}
		if (sqlite3_column_bytes(all, 1) > 0)
			strbuf_add(forms, sqlite3_column_blob(all, 1), (size_t)sqlite3_column_bytes(all, 1));
	}
	sqlite3_finalize(all);
	return step == SQLITE_DONE ? 0 : db_error(db, _("share"));
}

int share_erased_filter(sqlite3 *db, struct share_entry *v, size_t n, long *dropped)
{
	struct strbuf forms = STRBUF_INIT;
	struct text_cols tc;
	unsigned char *gids = NULL;
	size_t ngid = 0, i;
	int rc = 0, t;
	*dropped = 0;
	tc.n = 0;
	if (load_erased(db, v, n, &gids, &ngid, &forms)) {
		free(gids);
		strbuf_release(&forms);
		return -1;
	}
	/* the mentions of erased persons in the free text other copies send */
	for (i = 0; i < n && forms.len && !rc; i++)
		if (!v[i].erase && scrub_entry_text(db, &tc, (const unsigned char *)forms.buf, forms.len, &v[i]) < 0)
			rc = qfq_error(_("change %s/%lld: not a changeset"), v[i].copy, (long long)v[i].seq);
	for (t = 0; t < tc.n; t++)
		free(tc.v[t].table);
	strbuf_release(&forms);
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
