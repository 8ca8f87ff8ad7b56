/*
 * share: global ids, capture of this copy's changesets, apply of other
 * copies' changesets with the conflict rule, erasures (see share.h).
 */
/* the session extension's declarations (Debian's libsqlite3 is built with it) */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "db/share.h"
#include "db/changeset.h"
#include "db/db.h"
#include "db/erase.h"
#include "db/history.h"
#include "db/shareerase.h"
#include "db/structures.h"
#include "util/error.h"
#include "util/hmap.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/time.h>
#include <unistd.h>

#define GID_LEN 16

/* The id columns of the shared tables and the table whose ids they hold. */
static const struct ref {
	const char *table, *col, *target; /* target NULL: by merge_proposals.kind */
} refs[] = {
	{ "attendance", "event_id", "events" },
	{ "attendance", "person_id", "persons" },
	{ "attendance", "structure_id", "structures" },
	{ "events", "id", "events" },
	{ "memberships", "id", "memberships" },
	{ "memberships", "person_id", "persons" },
	{ "memberships", "structure_id", "structures" },
	{ "merge_proposals", "a_id", NULL },
	{ "merge_proposals", "b_id", NULL },
	{ "permanence_themes", "permanence_id", "permanences" },
	{ "permanences", "host_id", "structures" },
	{ "permanences", "id", "permanences" },
	{ "permanences", "structure_id", "structures" },
	{ "person_themes", "person_id", "persons" },
	{ "persons", "id", "persons" },
	{ "referral_history", "by_person_id", "persons" },     /* issue 13's columns: */
	{ "referral_history", "by_structure_id", "structures" }, /* absent before it lands */
	{ "referral_history", "id", "referral_history" },
	{ "referral_history", "referral_id", "referrals" },
	{ "referrals", "from_person_id", "persons" },
	{ "referrals", "from_structure_id", "structures" },
	{ "referrals", "id", "referrals" },
	{ "referrals", "parent_id", "referrals" },
	{ "referrals", "to_person_id", "persons" },
	{ "referrals", "to_structure_id", "structures" },
	{ "structure_aliases", "structure_id", "structures" },
	{ "structure_territories", "structure_id", "structures" },
	{ "structure_themes", "structure_id", "structures" },
	{ "structures", "id", "structures" },
	{ "structures", "parent_id", "structures" },
};

/* A shared table's columns: names, and for each id column the table it points at. */
struct layout {
	char *table;
	int ncol, kind_col;            /* kind_col: merge_proposals.kind, else -1 */
	char *names[CS_MAX_COLS];
	const char *target[CS_MAX_COLS];
	bool ref[CS_MAX_COLS];
	unsigned char pk[CS_MAX_COLS]; /* each column's position in the primary key, 0 none (as the session writes it) */
	bool self;                     /* column 0 is the table's own id (a gid on the wire) */
};

/* The state of one capture or apply. */
struct share {
	sqlite3 *db;
	char copy[33];
	struct layout *lay;
	size_t nlay, alay;
	sqlite3_stmt *to_gid, *add_gid, *to_local, *add_pending, *row_stamp, *conflict;
	sqlite3_stmt *already, *add_entry, *max_change, *set_stamp;
	sqlite3_int64 stamp;           /* the stamp of the entry being captured or applied */
	const char *stamp_copy;
	struct cached {                /* SELECT cols FROM table WHERE key, one per (table, cols) */
		char *table;
		uint64_t mask;         /* the columns read: bit i for column i */
		sqlite3_stmt *st;
	} *cache;
	size_t ncache, acache;
	bool pending;                  /* share_pending holds rows of the batch */
	/* the batch: entries' rows gathered into one changeset, applied by flush() */
	struct strbuf batch;
	struct cslast blast;
	struct keyset {                /* "table|key" strings, in open addressing */
		char **keys;
		bool *won;             /* rows: an insert that wins */
		bool *upd;             /* rows: later updates may join (updated only, or new here) */
		struct csval *val;     /* fields: the value the batch gives it (bytes owned) */
		size_t n, cap;
	} rows, fields, fresh, omitted; /* the batch's rows; their fields ("key\x1fcol") it sets; new rows' ids;
					  the updates its apply set aside */
	bool merge;                    /* the batch updates a row twice: sqlite3changegroup merges them */
	bool structural;               /* the batch inserts or deletes a row (not only updates) */
	const struct share_entry **held; /* the batch's entries (their change set is known at flush) */
	size_t nheld, aheld;
	struct strbuf keybuf;
	struct next_id {               /* the next local id of a table for rows from elsewhere */
		char *table;
		sqlite3_int64 id;
	} *next;
	size_t nnext, anext;
	struct hmap locals;            /* gid -> local id, as found by local_of (until the next flush) */
	struct touched {               /* structures to reindex after an apply: */
		sqlite3_int64 *ids;
		size_t n, alloc;
	} touched, texts;              /* every derived index; their searched text alone */
	struct share_report *rep;
	const struct share_entry *entry;
	/* the rows of the entry being applied, read once for every pass (read_entry) */
	struct erow {
		size_t lay;            /* its table's layout: s->lay[lay] */
		int ncol, op, nval;
		unsigned char pk[CS_MAX_COLS]; /* each column's place in the primary key (csrow's pk) */
		size_t first;          /* its values: evals[first .. first + nval) */
	} *erows;
	size_t nerows, aerows;
	struct eval {
		int col, side;         /* side 0: old value, 1: new */
		struct csval v;        /* text and blob bytes at ebytes.buf + (size_t)v.p until the entry is read */
	} *evals;
	size_t nevals, aevals;
	struct strbuf ebytes;
};

static bool applying; /* share_apply is running: its changes are not this copy's own */

/* ------------------------------------------------ the batch's rows (open addressing) */

static size_t key_hash(const char *table, const char *key)
{
	size_t h = 1469598103934665603ULL;
	const char *p;
	for (p = table; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ '|') * 1099511628211ULL;
	for (p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

/* The slot of (table, key): where it is, or the empty slot where it would go. */
static size_t key_slot(const struct keyset *ks, const char *table, const char *key)
{
	size_t i = key_hash(table, key) & (ks->cap - 1), tl = strlen(table);
	while (ks->keys[i] && !(!strncmp(ks->keys[i], table, tl) && ks->keys[i][tl] == '|' &&
				!strcmp(ks->keys[i] + tl + 1, key)))
		i = (i + 1) & (ks->cap - 1);
	return i;
}

/* The slot of (table, key) in the batch, or -1 when it is not there. */
static long key_find(const struct keyset *ks, const char *table, const char *key)
{
	size_t i;
	if (!ks->n)
		return -1;
	i = key_slot(ks, table, key);
	return ks->keys[i] ? (long)i : -1;
}

/* Adds (table, key) to the set (once); its slot. */
static size_t key_add(struct keyset *ks, const char *table, const char *key)
{
	size_t i;
	if (2 * (ks->n + 1) > ks->cap) {
		struct keyset old = *ks;
		ks->cap = old.cap ? 2 * old.cap : 256;
		ks->keys = xcalloc(ks->cap, sizeof(*ks->keys));
		ks->won = xcalloc(ks->cap, sizeof(*ks->won));
		ks->upd = xcalloc(ks->cap, sizeof(*ks->upd));
		ks->val = xcalloc(ks->cap, sizeof(*ks->val));
		ks->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.keys[i]) {
				char *bar = strchr(old.keys[i], '|');
				size_t k;
				*bar = '\0';
				k = key_slot(ks, old.keys[i], bar + 1);
				*bar = '|';
				ks->keys[k] = old.keys[i];
				ks->won[k] = old.won[i];
				ks->upd[k] = old.upd[i];
				ks->val[k] = old.val[i];
				ks->n++;
			}
		free(old.keys);
		free(old.won);
		free(old.upd);
		free(old.val);
	}
	i = key_slot(ks, table, key);
	if (!ks->keys[i]) {
		size_t tl = strlen(table), kl = strlen(key);
		char *k = xmalloc(tl + kl + 2);
		memcpy(k, table, tl);
		k[tl] = '|';
		memcpy(k + tl + 1, key, kl + 1);
		ks->keys[i] = k;
		ks->upd[i] = true;
		ks->n++;
	}
	return i;
}

/* The slot's value becomes a copy of v (its bytes owned by the set). */
static void key_set_value(struct keyset *ks, size_t i, const struct csval *v)
{
	void *p = NULL;
	free((void *)ks->val[i].p);
	if ((v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) && v->n > 0) {
		p = xmalloc((size_t)v->n);
		memcpy(p, v->p, (size_t)v->n);
	}
	ks->val[i] = *v;
	ks->val[i].p = p;
}

static void keys_clear(struct keyset *ks)
{
	size_t i;
	for (i = 0; i < ks->cap; i++) {
		free(ks->keys[i]);
		free((void *)ks->val[i].p);
		ks->keys[i] = NULL;
		ks->won[i] = false;
		ks->upd[i] = false;
		memset(&ks->val[i], 0, sizeof(ks->val[i]));
	}
	ks->n = 0;
}

static void keys_free(struct keyset *ks)
{
	if (ks->cap)
		keys_clear(ks);
	free(ks->keys);
	free(ks->won);
	free(ks->upd);
	free(ks->val);
}

static int db_fail(struct share *s)
{
	return db_error(s->db, _("share"));
}

static void share_close(struct share *s)
{
	size_t i;
	int k;
	for (i = 0; i < s->nlay; i++) {
		for (k = 0; k < s->lay[i].ncol; k++)
			free(s->lay[i].names[k]);
		free(s->lay[i].table);
	}
	free(s->lay);
	sqlite3_finalize(s->to_gid);
	sqlite3_finalize(s->add_gid);
	sqlite3_finalize(s->to_local);
	sqlite3_finalize(s->add_pending);
	sqlite3_finalize(s->row_stamp);
	sqlite3_finalize(s->conflict);
	sqlite3_finalize(s->already);
	sqlite3_finalize(s->add_entry);
	sqlite3_finalize(s->max_change);
	sqlite3_finalize(s->set_stamp);
	for (i = 0; i < s->ncache; i++) {
		free(s->cache[i].table);
		sqlite3_finalize(s->cache[i].st);
	}
	free(s->cache);
	strbuf_release(&s->keybuf);
	strbuf_release(&s->batch);
	keys_free(&s->rows);
	keys_free(&s->fields);
	keys_free(&s->fresh);
	keys_free(&s->omitted);
	hmap_clear(&s->locals);
	free(s->erows);
	free(s->evals);
	strbuf_release(&s->ebytes);
	free(s->held);
	free(s->touched.ids);
	free(s->texts.ids);
	for (i = 0; i < s->nnext; i++)
		free(s->next[i].table);
	free(s->next);
}

int share_copy(sqlite3 *db, char id[33], char **name)
{
	char *v = db_meta_get(db, "copy_id");
	if (!v || strlen(v) != 32) {
		free(v);
		return qfq_error(_("this database has no copy id (run `qfq init`)"));
	}
	memcpy(id, v, 33);
	free(v);
	if (name)
		*name = db_meta_get(db, "copy_name");
	return 0;
}

int share_set_copy(sqlite3 *db, const char *name, bool fresh_id)
{
	if (fresh_id && db_exec(db, "INSERT INTO meta(key, value) VALUES ('copy_id', lower(hex(randomblob(16)))) "
				    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"))
		return -1;
	return name ? db_meta_set(db, "copy_name", name) : 0;
}

static int share_open(sqlite3 *db, struct share *s)
{
	memset(s, 0, sizeof(*s));
	s->db = db;
	strbuf_init(&s->keybuf, 64);
	strbuf_init(&s->batch, 0);
	strbuf_init(&s->ebytes, 0);
	if (share_copy(db, s->copy, NULL))
		return -1;
	if (db_prepare(db, "SELECT gid FROM share_ids WHERE tbl = ?1 AND id = ?2", &s->to_gid) ||
	    db_prepare(db, "INSERT INTO share_ids(tbl, id, gid) VALUES (?1, ?2, randomblob(16)) RETURNING gid",
		       &s->add_gid) ||
	    db_prepare(db, "SELECT id FROM share_ids WHERE gid = ?1 UNION ALL "
			   "SELECT id FROM share_pending WHERE gid = ?1 LIMIT 1", &s->to_local) ||
	    db_prepare(db, "INSERT INTO share_pending(tbl, id, gid) VALUES (?1, ?2, ?3)", &s->add_pending) ||
	    db_prepare(db, "SELECT col, stamp, copy FROM share_stamps WHERE tbl = ?1 AND key = ?2", &s->row_stamp) ||
	    db_prepare(db, "INSERT INTO share_stamps(tbl, key, col, stamp, copy) VALUES (?1, ?2, ?3, ?4, ?5) "
			   "ON CONFLICT DO UPDATE SET stamp = excluded.stamp, copy = excluded.copy", &s->set_stamp) ||
	    db_prepare(db, "INSERT INTO share_conflicts(tbl, key, col, kept, lost, kept_copy, lost_copy) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &s->conflict) ||
	    db_prepare(db, "SELECT 1 FROM share_changes WHERE copy = ?1 AND seq = ?2", &s->already) ||
	    db_prepare(db, "INSERT INTO share_changes(copy, seq, stamp, change_id, kind, summary, data) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &s->add_entry) ||
	    db_prepare(db, "SELECT max(id) FROM change_sets", &s->max_change))
		return -1;
	return 0;
}

/* The layout of a shared table (NULL with qfq_error when it has none here). */
static const struct layout *layout_get(struct share *s, const char *table)
{
	struct layout *l;
	sqlite3_stmt *st;
	char *sql;
	size_t i, k;
	for (i = 0; i < s->nlay; i++)
		if (!strcmp(s->lay[i].table, table))
			return &s->lay[i];
	XGROW(s->lay, s->alay, s->nlay + 1);
	l = &s->lay[s->nlay];
	memset(l, 0, sizeof(*l));
	l->kind_col = -1;
	sql = sqlite3_mprintf("PRAGMA main.table_info(%Q)", table);
	i = (size_t)db_prepare(s->db, sql, &st);
	sqlite3_free(sql);
	if (i)
		return NULL;
	while (sqlite3_step(st) == SQLITE_ROW && l->ncol < CS_MAX_COLS) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		l->names[l->ncol] = xstrdup(name);
		l->pk[l->ncol] = (unsigned char)sqlite3_column_int(st, 5);
		if (!strcmp(table, "merge_proposals") && !strcmp(name, "kind"))
			l->kind_col = l->ncol;
		for (k = 0; k < sizeof(refs) / sizeof(*refs); k++)
			if (!strcmp(refs[k].table, table) && !strcmp(refs[k].col, name)) {
				l->ref[l->ncol] = true;
				l->target[l->ncol] = refs[k].target;
				if (refs[k].target && !strcmp(refs[k].target, table) && !strcmp(name, "id"))
					l->self = l->ncol == 0;
			}
		l->ncol++;
	}
	sqlite3_finalize(st);
	if (!l->ncol) {
		qfq_error(_("share: no table %s here"), table);
		return NULL;
	}
	l->table = xstrdup(table);
	s->nlay++;
	return l;
}

/* The table an id column points at, for this row (merge_proposals: by its kind). */
static const char *target_of(const struct layout *l, const struct csrow *r, int col)
{
	const struct csval *k;
	if (l->target[col])
		return l->target[col];
	if (l->kind_col < 0)
		return NULL;
	k = r->old[l->kind_col].type ? &r->old[l->kind_col] : &r->new[l->kind_col];
	if (k->type != SQLITE_TEXT)
		return NULL;
	return k->n == 6 && !memcmp(k->p, "person", 6) ? "persons" : "structures";
}

/* ============================================================ local -> global */

/* The gid of (table, id), drawn now when the row has none. 0 or -1; gid: 16 bytes. */
static int gid_of(struct share *s, const char *table, sqlite3_int64 id, unsigned char gid[GID_LEN])
{
	sqlite3_stmt *st = s->to_gid;
	int rc;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		st = s->add_gid;
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, id);
		rc = sqlite3_step(st);
	}
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == GID_LEN)
		memcpy(gid, sqlite3_column_blob(st, 0), GID_LEN);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(s);
}

/* Rewrites the id columns of r into gids (stored in gids[2 * col + old/new]). 0 or -1. */
static int to_global(struct share *s, const struct layout *l, struct csrow *r,
		     unsigned char gids[][GID_LEN])
{
	int i, side;
	for (i = 0; i < r->ncol; i++) {
		const char *target;
		if (!l->ref[i] || !(target = target_of(l, r, i)))
			continue;
		for (side = 0; side < 2; side++) {
			struct csval *v = side ? &r->new[i] : &r->old[i];
			if (v->type != SQLITE_INTEGER)
				continue;
			if (gid_of(s, target, v->i, gids[2 * i + side]))
				return -1;
			csval_blob(v, gids[2 * i + side], GID_LEN);
		}
	}
	return 0;
}

/* Clock in ms, never below a stamp already recorded here (so causes sort before effects). */
static sqlite3_int64 next_stamp(sqlite3 *db)
{
	struct timeval tv;
	sqlite3_stmt *st;
	sqlite3_int64 now, seen = 0;
	gettimeofday(&tv, NULL);
	now = (sqlite3_int64)tv.tv_sec * 1000 + tv.tv_usec / 1000;
	if (!db_prepare(db, "SELECT max(stamp) FROM share_changes", &st)) {
		if (sqlite3_step(st) == SQLITE_ROW)
			seen = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return now > seen ? now : seen + 1;
}

sqlite3_int64 share_last_seq(sqlite3 *db, const char *copy)
{
	sqlite3_stmt *st;
	sqlite3_int64 seq = 0;
	if (db_prepare(db, "SELECT max(seq) FROM share_changes WHERE copy = ?1", &st))
		return 0;
	sqlite3_bind_text(st, 1, copy, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return seq;
}

static int insert_entry(struct share *s, const char *copy, sqlite3_int64 seq, sqlite3_int64 stamp,
			sqlite3_int64 change_id, bool erase, const char *summary, const void *data, int n)
{
	sqlite3_stmt *st = s->add_entry;
	int rc;
	sqlite3_clear_bindings(st);
	sqlite3_bind_text(st, 1, copy, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_int64(st, 3, stamp);
	if (change_id)
		sqlite3_bind_int64(st, 4, change_id);
	sqlite3_bind_text(st, 5, erase ? "erase" : "change", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, summary, -1, SQLITE_STATIC);
	if (data)
		sqlite3_bind_blob(st, 7, data, n, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(s);
}

/* This copy's new entry: the next sequence, the stamp drawn for it (s->stamp). */
static int add_own(struct share *s, sqlite3_int64 change_id, bool erase, const char *summary, const struct strbuf *data)
{
	return insert_entry(s, s->copy, share_last_seq(s->db, s->copy) + 1, s->stamp, change_id, erase,
			    summary, data->buf, (int)data->len);
}

static const char *row_key(struct share *s, const struct csrow *r);
static int set_stamps(struct share *s, const struct layout *l, const struct csrow *r, const char *key, int only);

/*
 * A fresh gid for each structure the changeset inserts, before any row is
 * rewritten (a row may point at a structure inserted after it): structures
 * have no gid trigger (schema 16), and a deleted structure's id may come
 * back for a new one. 0 or -1.
 */
static int fresh_structure_gids(struct share *s, const void *blob, int n)
{
	sqlite3_changeset_iter *it;
	sqlite3_stmt *st = NULL; /* prepared at the first inserted structure: most change sets have none */
	int rc = 0;
	if (sqlite3changeset_start(&it, n, (void *)blob) != SQLITE_OK)
		return -1;
	while (!rc && sqlite3changeset_next(it) == SQLITE_ROW) {
		const char *table;
		int ncol, op, indirect;
		sqlite3_value *id;
		sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
		if (op != SQLITE_INSERT || strcmp(table, "structures") || sqlite3changeset_new(it, 0, &id) != SQLITE_OK)
			continue;
		if (!st && db_prepare(s->db, "INSERT OR REPLACE INTO share_ids(tbl, id, gid) "
					     "VALUES ('structures', ?1, randomblob(16))", &st)) {
			rc = -1;
			break;
		}
		sqlite3_bind_int64(st, 1, sqlite3_value_int64(id));
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3changeset_finalize(it);
	return rc;
}

int share_capture(sqlite3 *db, sqlite3_int64 change_id, const char *summary, const void *blob, int n)
{
	struct share s;
	struct strbuf out = STRBUF_INIT;
	sqlite3_changeset_iter *it = NULL;
	struct cslast last = { "" };
	static unsigned char gids[2 * CS_MAX_COLS][GID_LEN];
	struct csrow r;
	int rc = -1, step;

	if (applying || !blob || !n)
		return 0;
	if (share_open(db, &s))
		goto done;
	s.stamp = next_stamp(db);
	s.stamp_copy = s.copy;
	if (fresh_structure_gids(&s, blob, n) || sqlite3changeset_start(&it, n, (void *)blob) != SQLITE_OK) {
		db_fail(&s);
		goto done;
	}
	while ((step = sqlite3changeset_next(it)) == SQLITE_ROW) {
		const struct layout *l;
		if (csrow_read(it, &r) || !(l = layout_get(&s, r.table)) ||
		    (r.op != SQLITE_DELETE && set_stamps(&s, l, &r, row_key(&s, &r), -1)) || to_global(&s, l, &r, gids))
			goto done;
		csrow_write(&out, &r, &last);
	}
	if (step != SQLITE_DONE) {
		db_fail(&s);
		goto done;
	}
	rc = add_own(&s, change_id, false, summary, &out);
done:
	if (it)
		sqlite3changeset_finalize(it);
	strbuf_release(&out);
	share_close(&s);
	return rc;
}

/* ============================================================ erasure */

/* Whether r holds gid in a column. */
static int holds_gid(const struct csrow *r, const unsigned char *gid)
{
	int i, side;
	for (i = 0; i < r->ncol; i++)
		for (side = 0; side < 2; side++) {
			const struct csval *v = side ? &r->new[i] : &r->old[i];
			if (v->type == SQLITE_BLOB && v->n == GID_LEN && !memcmp(v->p, gid, GID_LEN))
				return i;
		}
	return -1;
}

/*
 * The text values of r rewritten without the mentions needles[0..n): in
 * the free-text columns an erasure scrubs, the mentions removed (bufs hold
 * the new values); 1 when another text value holds one (the row must go),
 * else 0.
 */
static int scrub_row_text(const struct layout *l, struct csrow *r, const char *const *needles, int n,
			  struct strbuf bufs[][2])
{
	int i, side, k;
	for (i = 0; i < r->ncol; i++)
		for (side = 0; side < 2; side++) {
			struct csval *v = side ? &r->new[i] : &r->old[i];
			if (v->type != SQLITE_TEXT)
				continue;
			if (erase_text_col(r->table, l->names[i])) {
				strbuf_reset(&bufs[i][side]);
				switch (share_scrub_text(v->p, (size_t)v->n, needles, n, &bufs[i][side])) {
				case 1:
					v->p = bufs[i][side].buf;
					v->n = (int)bufs[i][side].len;
					break;
				case 2:
					csval_null(v);
					break;
				}
				continue;
			}
			for (k = 0; k < n; k++)
				if (needles[k] && *needles[k] &&
				    memmem(v->p, (size_t)v->n, needles[k], strlen(needles[k])))
					return 1;
		}
	return 0;
}

/*
 * The changesets kept here rewritten without what names the erased person:
 * with gid (16 bytes), the rows about them (referrals lose the pointer, set
 * NULL); with needles[0..n), their mentions (scrub_row_text).
 */
static int scrub_kept(struct share *s, const unsigned char *gid, const char *const *needles, int n)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	struct strbuf bufs[CS_MAX_COLS][2];
	int rc = -1, step = SQLITE_DONE, q, c;
	for (c = 0; c < CS_MAX_COLS; c++) {
		strbuf_init(&bufs[c][0], 0);
		strbuf_init(&bufs[c][1], 0);
	}
	if (db_prepare(s->db, "SELECT seq, data, copy FROM share_changes WHERE data IS NOT NULL AND instr(data, ?1)",
		       &sel) ||
	    db_prepare(s->db, "UPDATE share_changes SET data = ?3 WHERE copy = ?1 AND seq = ?2", &upd))
		goto done;
	for (q = 0; q < (gid ? 1 : n) && step == SQLITE_DONE; q++) {
		if (gid)
			sqlite3_bind_blob(sel, 1, gid, GID_LEN, SQLITE_STATIC);
		else if (!needles[q] || !*needles[q])
			continue;
		else
			sqlite3_bind_blob(sel, 1, needles[q], (int)strlen(needles[q]), SQLITE_STATIC);
		while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
			sqlite3_changeset_iter *it;
			struct strbuf out = STRBUF_INIT;
			struct cslast last = { "" };
			struct csrow r;
			int k, i;
			if (sqlite3changeset_start(&it, sqlite3_column_bytes(sel, 1),
						   (void *)sqlite3_column_blob(sel, 1)) != SQLITE_OK)
				goto done;
			while (sqlite3changeset_next(it) == SQLITE_ROW) {
				const struct layout *l;
				if (csrow_read(it, &r) || !(l = layout_get(s, r.table)))
					break;
				if (!gid) {
					if (!scrub_row_text(l, &r, needles, n, bufs))
						csrow_write(&out, &r, &last);
					continue;
				}
				if ((k = holds_gid(&r, gid)) >= 0) {
					if (strcmp(r.table, "referrals") || k == 0)
						continue;
					for (i = 0; i < r.ncol; i++) {
						if (r.old[i].type == SQLITE_BLOB && r.old[i].n == GID_LEN &&
						    !memcmp(r.old[i].p, gid, GID_LEN))
							csval_null(&r.old[i]);
						if (r.new[i].type == SQLITE_BLOB && r.new[i].n == GID_LEN &&
						    !memcmp(r.new[i].p, gid, GID_LEN))
							csval_null(&r.new[i]);
					}
				}
				csrow_write(&out, &r, &last);
			}
			sqlite3changeset_finalize(it);
			sqlite3_bind_text(upd, 1, (const char *)sqlite3_column_text(sel, 2), -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(upd, 2, sqlite3_column_int64(sel, 0));
			sqlite3_bind_blob(upd, 3, out.buf, (int)out.len, SQLITE_TRANSIENT);
			k = sqlite3_step(upd);
			sqlite3_reset(upd);
			strbuf_release(&out);
			if (k != SQLITE_DONE)
				goto done;
		}
		sqlite3_reset(sel);
	}
	rc = step == SQLITE_DONE ? 0 : -1;
done:
	if (rc)
		db_fail(s);
	for (c = 0; c < CS_MAX_COLS; c++) {
		strbuf_release(&bufs[c][0]);
		strbuf_release(&bufs[c][1]);
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc;
}

int share_erase(sqlite3 *db, sqlite3_int64 person_id, const void *forms, int nforms)
{
	struct share s;
	struct strbuf out = STRBUF_INIT;
	const struct layout *l;
	struct cslast last = { "" };
	unsigned char gid[GID_LEN];
	struct csrow r;
	int i, rc = -1;

	if (share_open(db, &s) || !(l = layout_get(&s, "persons")) || gid_of(&s, "persons", person_id, gid))
		goto done;
	s.stamp = next_stamp(db);
	s.stamp_copy = s.copy;
	if (scrub_kept(&s, gid, NULL, 0))
		goto done;
	if (applying) {
		rc = 0; /* an erasure received: it is not this copy's to send again */
		goto done;
	}
	/* the erasure travels as a delete of the person's gid, every other value NULL */
	memset(&r, 0, sizeof(r));
	r.table = "persons";
	r.ncol = l->ncol;
	r.op = SQLITE_DELETE;
	for (i = 0; i < r.ncol; i++) {
		r.pk[i] = i == 0;
		csval_null(&r.old[i]);
	}
	csval_blob(&r.old[0], gid, GID_LEN);
	/* the hashes of their mentions in the next column (the person's family name, NULL otherwise) */
	if (forms && nforms > 0 && r.ncol > 1)
		csval_blob(&r.old[1], forms, nforms);
	csrow_write(&out, &r, &last);
	rc = add_own(&s, 0, true, NULL, &out);
done:
	strbuf_release(&out);
	share_close(&s);
	return rc;
}

int share_forget_text(sqlite3 *db, const char *const *needles, int n, const char *const *full, int nfull)
{
	struct share s;
	sqlite3_stmt *st = NULL;
	int k, rc = -1;
	if (share_open(db, &s) ||
	    db_prepare(db, "UPDATE share_changes SET summary = replace(summary, ?1, '') WHERE instr(summary, ?1)", &st))
		goto done;
	for (k = 0; k < n; k++) {
		if (!needles[k] || !*needles[k])
			continue;
		sqlite3_bind_text(st, 1, needles[k], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			db_fail(&s);
			goto done;
		}
		sqlite3_reset(st);
	}
	rc = scrub_kept(&s, NULL, full, nfull);
done:
	sqlite3_finalize(st);
	share_close(&s);
	return rc;
}

/* ============================================================ entries */

void share_entries_free(struct share_entry *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(v[i].copy_name);
		free(v[i].summary);
		free(v[i].data);
	}
	free(v);
}

int share_own_entries(sqlite3 *db, sqlite3_int64 since, struct share_entry **out, size_t *nout)
{
	struct share_entry *v = NULL;
	size_t n = 0, alloc = 0;
	sqlite3_stmt *st;
	char copy[33];
	int step;
	*out = NULL;
	*nout = 0;
	if (share_copy(db, copy, NULL) ||
	    db_prepare(db, "SELECT seq, stamp, kind, summary, data FROM share_changes WHERE copy = ?1 AND seq > ?2 "
			   "ORDER BY seq", &st))
		return -1;
	sqlite3_bind_text(st, 1, copy, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, since);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct share_entry *e;
		const char *sum = (const char *)sqlite3_column_text(st, 3);
		XGROW(v, alloc, n + 1);
		e = &v[n++];
		memset(e, 0, sizeof(*e));
		memcpy(e->copy, copy, sizeof(copy));
		e->seq = sqlite3_column_int64(st, 0);
		e->stamp = sqlite3_column_int64(st, 1);
		e->erase = !strcmp((const char *)sqlite3_column_text(st, 2), "erase");
		e->summary = sum ? xstrdup(sum) : NULL;
		e->n = sqlite3_column_bytes(st, 4);
		e->data = xmalloc((size_t)e->n + 1);
		if (e->n)
			memcpy(e->data, sqlite3_column_blob(st, 4), (size_t)e->n);
	}
	sqlite3_finalize(st);
	*out = v;
	*nout = n;
	if (step != SQLITE_DONE)
		return db_error(db, _("share"));
	return 0;
}

/* ============================================================ global -> local */

/*
 * The local id of gid: 1 found, 0 unknown. Found ids are remembered until
 * the next flush (share_ids never forgets a gid; a row of the batch that
 * the apply omits would leave a pending id that no row holds).
 */
static int local_of(struct share *s, const struct csval *v, sqlite3_int64 *id)
{
	struct hmap_entry *e;
	int rc, created;
	if (v->type != SQLITE_BLOB || v->n != GID_LEN)
		return 0;
	if ((e = hmap_get(&s->locals, v->p, GID_LEN))) {
		*id = e->num;
		return 1;
	}
	sqlite3_bind_blob(s->to_local, 1, v->p, GID_LEN, SQLITE_STATIC);
	rc = sqlite3_step(s->to_local) == SQLITE_ROW;
	if (rc) {
		*id = sqlite3_column_int64(s->to_local, 0);
		hmap_put(&s->locals, v->p, GID_LEN, &created)->num = *id;
	}
	sqlite3_reset(s->to_local);
	return rc;
}

/* A new local id for table: above every id the table and share_ids hold (read once per apply). */
static int new_local(struct share *s, const char *table, sqlite3_int64 *id)
{
	struct next_id *nx;
	char *sql;
	size_t i;
	for (i = 0; i < s->nnext; i++)
		if (!strcmp(s->next[i].table, table)) {
			*id = s->next[i].id++;
			return 0;
		}
	sql = sqlite3_mprintf("SELECT max(coalesce((SELECT max(id) FROM \"%w\"), 0), "
				    "coalesce((SELECT max(id) FROM share_ids WHERE tbl = %Q), 0), "
				    "coalesce((SELECT max(id) FROM share_pending WHERE tbl = %Q), 0)) + 1",
				    table, table, table);
	sqlite3_stmt *st;
	int rc = db_prepare(s->db, sql, &st);
	sqlite3_free(sql);
	if (rc)
		return -1;
	rc = sqlite3_step(st);
	*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(s);
	XGROW(s->next, s->anext, s->nnext + 1);
	nx = &s->next[s->nnext++];
	nx->table = xstrdup(table);
	nx->id = *id + 1;
	return 0;
}

/*
 * The rows of entry e read once (sqlite3changeset_next decodes every value
 * of a row: reading the changeset once instead of once per pass saves a
 * third of an apply's decoding), their values copied. 0 or -1.
 */
static int read_entry(struct share *s, const struct share_entry *e)
{
	sqlite3_changeset_iter *it;
	struct csrow r;
	size_t i;
	int rc = 0, c, side;
	s->nerows = s->nevals = 0;
	strbuf_reset(&s->ebytes);
	if (sqlite3changeset_start(&it, e->n, e->data) != SQLITE_OK)
		return qfq_error(_("change %s/%lld: not a changeset"), e->copy, (long long)e->seq);
	while (!rc && sqlite3changeset_next(it) == SQLITE_ROW) {
		const struct layout *l;
		struct erow *w;
		if (csrow_read(it, &r) || !(l = layout_get(s, r.table))) {
			rc = -1;
			break;
		}
		XGROW(s->erows, s->aerows, s->nerows + 1);
		w = &s->erows[s->nerows++];
		w->lay = (size_t)(l - s->lay);
		w->ncol = r.ncol;
		w->op = r.op;
		memcpy(w->pk, r.pk, (size_t)r.ncol);
		w->first = s->nevals;
		w->nval = 0;
		for (c = 0; c < r.ncol; c++) {
			for (side = 0; side < 2; side++) {
				const struct csval *v = side ? &r.new[c] : &r.old[c];
				struct eval *x;
				if (!v->type)
					continue;
				XGROW(s->evals, s->aevals, s->nevals + 1);
				x = &s->evals[s->nevals++];
				x->col = c;
				x->side = side;
				x->v = *v;
				if ((v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) && v->n > 0) {
					x->v.p = (const void *)(uintptr_t)s->ebytes.len; /* an offset until the bytes stop moving */
					strbuf_add(&s->ebytes, v->p, (size_t)v->n);
				} else
					x->v.p = NULL;
				w->nval++;
			}
		}
	}
	sqlite3changeset_finalize(it);
	for (i = 0; i < s->nevals; i++)
		if (s->evals[i].v.type == SQLITE_TEXT || s->evals[i].v.type == SQLITE_BLOB)
			s->evals[i].v.p = s->evals[i].v.n > 0 ? s->ebytes.buf + (uintptr_t)s->evals[i].v.p : "";
	return rc;
}

/* Row k of the entry read, into r (its values point into the entry's copy); its table's layout. */
static const struct layout *entry_row(struct share *s, size_t k, struct csrow *r)
{
	const struct erow *w = &s->erows[k];
	const struct layout *l = &s->lay[w->lay];
	int c, j;
	r->table = l->table;
	r->ncol = w->ncol;
	r->op = w->op;
	for (c = 0; c < w->ncol; c++) {
		r->pk[c] = w->pk[c];
		r->old[c].type = r->new[c].type = 0;
	}
	for (j = 0; j < w->nval; j++) {
		const struct eval *x = &s->evals[w->first + (size_t)j];
		if (x->side)
			r->new[x->col] = x->v;
		else
			r->old[x->col] = x->v;
	}
	return l;
}

/* Pass 1: a local id for each row inserted with a gid unknown here. */
static int allocate_inserts(struct share *s)
{
	struct csrow r;
	size_t k;
	int rc = 0;
	for (k = 0; k < s->nerows && !rc; k++) {
		const struct layout *l = entry_row(s, k, &r);
		sqlite3_int64 id;
		if (r.op != SQLITE_INSERT || !l->self || local_of(s, &r.new[0], &id))
			continue;
		if (new_local(s, r.table, &id))
			rc = -1;
		else {
			char idkey[24];
			snprintf(idkey, sizeof(idkey), "%lld", (long long)id);
			key_add(&s->fresh, r.table, idkey);
			sqlite3_bind_text(s->add_pending, 1, r.table, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(s->add_pending, 2, id);
			csval_bind(s->add_pending, 3, &r.new[0]);
			if (sqlite3_step(s->add_pending) != SQLITE_DONE)
				rc = db_fail(s);
			s->pending = true;
			sqlite3_reset(s->add_pending);
		}
	}
	return rc;
}

static void touch(struct touched *t, sqlite3_int64 id)
{
	if (t->n && t->ids[t->n - 1] == id)
		return;
	XGROW(t->ids, t->alloc, t->n + 1);
	t->ids[t->n++] = id;
}

/*
 * Rewrites the gids of r into local ids. Returns 1 done, 0 when the row is
 * about something unknown here (deleted or erased here: the row is dropped).
 */
static int to_local(struct share *s, const struct layout *l, struct csrow *r)
{
	int i, side;
	for (i = 0; i < r->ncol; i++) {
		if (!l->ref[i] || !target_of(l, r, i))
			continue;
		for (side = 0; side < 2; side++) {
			struct csval *v = side ? &r->new[i] : &r->old[i];
			sqlite3_int64 id;
			if (v->type != SQLITE_BLOB)
				continue;
			if (!local_of(s, v, &id))
				return 0;
			csval_int(v, id);
		}
	}
	return 1;
}

/* Whether the name is one of names[0..n). */
static bool among(const char *name, const char *const *names, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

#define COUNT(a) (sizeof(a) / sizeof(*(a)))

/*
 * The structures whose derived indexes (full text, position, hours) r may
 * change, noted for reindex_touched: those it names, unless r is in a table
 * these indexes never read or only sets structures' columns they never read
 * (a phone number, a web site: most field edits); when r changes only what
 * the full-text index reads (a summary, an alias, a theme), that index alone.
 */
static void touch_row(struct share *s, const struct layout *l, const struct csrow *r)
{
	static const char *const unread_tables[] = { "attendance", "events", "merge_proposals", "person_themes",
						     "persons", "referral_history", "referrals" };
	static const char *const text_tables[] = { "memberships", "structure_aliases", "structure_themes" };
	static const char *const unread_cols[] = {
		"adresse", "autres_formations_labels", "code_postal", "complement_adresse", "courriels", "created_at",
		"date_maj", "dispositifs", "fiche_acces_libre", "formations_labels", "frais", "itinerance",
		"modalites_acces", "modalites_accompagnement", "prise_en_charge", "prise_rdv", "publics", "sans_rdv",
		"siret", "site_web", "source", "source_id", "telephone", "updated_at"
	};
	/* what structures.c's full-text row reads of the structure itself (not its commune) */
	static const char *const text_cols[] = { "nom", "presentation_detail", "presentation_resume", "tags",
						 "typologie" };
	struct touched *t = &s->touched;
	int i, side;
	if (among(r->table, unread_tables, COUNT(unread_tables)))
		return;
	if (among(r->table, text_tables, COUNT(text_tables)))
		t = &s->texts;
	if (r->op == SQLITE_UPDATE && !strcmp(r->table, "structures")) {
		bool read = false, other = false;
		for (i = 0; i < r->ncol; i++) {
			if (r->pk[i] || !r->new[i].type || among(l->names[i], unread_cols, COUNT(unread_cols)))
				continue;
			read = true;
			other = other || !among(l->names[i], text_cols, COUNT(text_cols));
		}
		if (!read)
			return;
		if (!other)
			t = &s->texts;
	}
	for (i = 0; i < r->ncol; i++) {
		const char *target = l->ref[i] ? target_of(l, r, i) : NULL;
		if (!target || strcmp(target, "structures"))
			continue;
		for (side = 0; side < 2; side++) {
			const struct csval *v = side ? &r->new[i] : &r->old[i];
			if (v->type == SQLITE_INTEGER)
				touch(t, v->i);
		}
	}
}

/* The row's key as change_rows writes it: its primary key values joined with '|'. */
static const char *row_key(struct share *s, const struct csrow *r)
{
	int i;
	strbuf_reset(&s->keybuf);
	for (i = 0; i < r->ncol; i++) {
		const struct csval *v;
		if (!r->pk[i])
			continue;
		v = r->old[i].type ? &r->old[i] : &r->new[i];
		if (s->keybuf.len)
			strbuf_addch(&s->keybuf, '|');
		if (v->type == SQLITE_INTEGER)
			strbuf_addint(&s->keybuf, v->i);
		else if (v->type == SQLITE_TEXT)
			strbuf_add(&s->keybuf, v->p, (size_t)v->n);
		else if (v->type == SQLITE_FLOAT)
			strbuf_addf(&s->keybuf, "%.17g", v->f);
	}
	return s->keybuf.buf;
}

/*
 * Records that the current entry set these fields of the row (key: its
 * local key): column only, or (only < 0) every column it gives a value; an
 * insert sets them all, recorded once as the row's stamp (column "*", which
 * the look-ups of each field read too). 0 or -1.
 */
static int set_stamps(struct share *s, const struct layout *l, const struct csrow *r, const char *key, int only)
{
	int i, rc;
	for (i = 0; i < r->ncol; i++) {
		bool whole = only < 0 && r->op == SQLITE_INSERT;
		if (!whole && (r->pk[i] || (only >= 0 && i != only) || (only < 0 && r->new[i].type == 0)))
			continue;
		sqlite3_bind_text(s->set_stamp, 1, r->table, -1, SQLITE_STATIC);
		sqlite3_bind_text(s->set_stamp, 2, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(s->set_stamp, 3, whole ? "*" : l->names[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(s->set_stamp, 4, s->stamp);
		sqlite3_bind_text(s->set_stamp, 5, s->stamp_copy, -1, SQLITE_STATIC);
		rc = sqlite3_step(s->set_stamp);
		sqlite3_reset(s->set_stamp);
		if (rc != SQLITE_DONE)
			return db_fail(s);
		if (whole)
			break;
	}
	return 0;
}

/*
 * a, then sep and b when b is given, into dst of cap bytes, cut as
 * snprintf would cut it (the hot paths of an apply: no printf there).
 */
static void join(char *dst, size_t cap, const char *a, char sep, const char *b)
{
	size_t n = strlen(a), m = b ? strlen(b) : 0;
	if (n > cap - 1)
		n = cap - 1;
	memcpy(dst, a, n);
	if (b && n < cap - 1) {
		dst[n++] = sep;
		if (m > cap - 1 - n)
			m = cap - 1 - n;
		memcpy(dst + n, b, m);
		n += m;
	}
	dst[n] = '\0';
}

/* The stamps recorded here for one row: of its fields, and of the row itself (column "*"). */
struct row_stamps {
	int n;
	struct {
		char col[64], copy[33];
		sqlite3_int64 stamp;
	} v[CS_MAX_COLS + 1];
};

/* Reads the stamps of (table, key) into rs (one range of share_stamps' key). 0 or -1. */
static int row_stamps(struct share *s, const char *table, const char *key, struct row_stamps *rs)
{
	sqlite3_stmt *st = s->row_stamp;
	int step;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	rs->n = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW && rs->n < CS_MAX_COLS + 1) {
		join(rs->v[rs->n].col, sizeof(rs->v[rs->n].col), (const char *)sqlite3_column_text(st, 0), 0, NULL);
		rs->v[rs->n].stamp = sqlite3_column_int64(st, 1);
		join(rs->v[rs->n].copy, sizeof(rs->v[rs->n].copy), (const char *)sqlite3_column_text(st, 2), 0, NULL);
		rs->n++;
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE || step == SQLITE_ROW ? 0 : db_fail(s);
}

/*
 * The stamp and copy of the last change here to the row of rs (col NULL)
 * or to its field col (that field's stamp or the row's, the later): 1
 * found, 0 none. Compared here: an ORDER BY would sort in a temporary tree
 * at every call.
 */
static int last_stamp(const struct row_stamps *rs, const char *col, sqlite3_int64 *stamp, char copy[33])
{
	int i, found = 0;
	*stamp = 0;
	copy[0] = '\0';
	for (i = 0; i < rs->n; i++) {
		if (col && strcmp(rs->v[i].col, col) && strcmp(rs->v[i].col, "*"))
			continue;
		if (!found || rs->v[i].stamp > *stamp || (rs->v[i].stamp == *stamp && strcmp(rs->v[i].copy, copy) > 0)) {
			*stamp = rs->v[i].stamp;
			memcpy(copy, rs->v[i].copy, 33);
		}
		found = 1;
	}
	return found;
}

/* Whether the incoming entry's stamp is later than (stamp, copy). */
static bool incoming_later(const struct share_entry *e, sqlite3_int64 stamp, const char *copy)
{
	return e->stamp > stamp || (e->stamp == stamp && strcmp(e->copy, copy) > 0);
}

/* The columns an update sets (its non-key columns given a new value), one bit each. */
static uint64_t set_mask(const struct csrow *r)
{
	uint64_t m = 0;
	int i;
	for (i = 0; i < r->ncol; i++)
		if (!r->pk[i] && r->new[i].type)
			m |= (uint64_t)1 << i;
	return m;
}

/*
 * The statement reading the columns of mask of table's rows by primary key
 * (prepared once per apply and set of columns): column k of the result is
 * the k-th bit of mask.
 */
static sqlite3_stmt *values_stmt(struct share *s, const struct layout *l, const struct csrow *r, uint64_t mask)
{
	struct strbuf sql = STRBUF_INIT;
	struct cached *c;
	size_t i;
	int k = 0, j;
	for (i = 0; i < s->ncache; i++)
		if (s->cache[i].mask == mask && !strcmp(s->cache[i].table, r->table))
			return s->cache[i].st;
	XGROW(s->cache, s->acache, s->ncache + 1);
	c = &s->cache[s->ncache];
	strbuf_addstr(&sql, "SELECT ");
	for (j = 0; j < r->ncol; j++)
		if (mask & ((uint64_t)1 << j))
			strbuf_addf(&sql, "%s\"%s\"", k++ ? ", " : "", l->names[j]);
	strbuf_addf(&sql, " FROM \"%s\" WHERE ", r->table);
	for (j = 0, k = 0; j < r->ncol; j++)
		if (r->pk[j])
			strbuf_addf(&sql, "%s\"%s\" = ?%d", k++ ? " AND " : "", l->names[j], j + 1);
	if (db_prepare(s->db, sql.buf, &c->st)) {
		strbuf_release(&sql);
		return NULL;
	}
	strbuf_release(&sql);
	c->table = xstrdup(r->table);
	c->mask = mask;
	s->ncache++;
	return c->st;
}

/*
 * The current values of the columns r sets, read from r's row: 1 row found
 * (cur[col] set for each, valid until *st is reset), 0 gone, -1 error.
 */
static int current_values(struct share *s, const struct layout *l, const struct csrow *r, sqlite3_stmt **st,
			  struct csval *cur)
{
	uint64_t mask = set_mask(r);
	int i, k, rc;
	if (!(*st = values_stmt(s, l, r, mask)))
		return -1;
	for (i = 0; i < r->ncol; i++)
		if (r->pk[i])
			csval_bind(*st, i + 1, &r->old[i]);
	rc = sqlite3_step(*st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : db_fail(s);
	for (i = 0, k = 0; i < r->ncol; i++)
		if (mask & ((uint64_t)1 << i))
			csval_column(&cur[i], *st, k++);
	return 1;
}

static int add_conflict(struct share *s, const char *table, const char *key, const char *col,
			const struct csval *kept, const struct csval *lost, const char *kept_copy, const char *lost_copy)
{
	sqlite3_stmt *st = s->conflict;
	struct csval none = { 0, 0, 0, NULL, 0 };
	int rc;
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, col, -1, SQLITE_STATIC);
	csval_bind(st, 4, kept ? kept : &none);
	csval_bind(st, 5, lost ? lost : &none);
	sqlite3_bind_text(st, 6, kept_copy, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, lost_copy, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(s);
	s->rep->conflicts++;
	return 0;
}

/* Columns that follow others (dates of change, matching keys): never a conflict of their own. */
static bool bookkeeping(const char *col)
{
	static const char *const cols[] = { "created_at", "updated_at", "nom_norm", "name_key" };
	size_t i;
	for (i = 0; i < sizeof(cols) / sizeof(*cols); i++)
		if (!strcmp(col, cols[i]))
			return true;
	return false;
}

/*
 * An update from elsewhere, field by field: each changed field whose last
 * change here is later is left as it is; the others are written (old value
 * = the value here, so the apply has no conflict), and when the value they
 * replace was this copy's own, it is listed as a conflict. The fields
 * written go into the batch as ONE update of the row.
 */
static int update_fields(struct share *s, const struct layout *l, struct csrow *r, struct strbuf *out,
			 struct cslast *last)
{
	struct csrow one;
	struct csval cur[CS_MAX_COLS];
	struct row_stamps rs;
	sqlite3_stmt *st = NULL;
	int i, j, rc = 0, found = 0;
	bool any = false, stamps_read = false;
	char key[512], fkey[640];
	join(key, sizeof(key), row_key(s, r), 0, NULL);
	memset(&one, 0, sizeof(one));
	one.table = r->table;
	one.ncol = r->ncol;
	one.op = SQLITE_UPDATE;
	for (j = 0; j < r->ncol; j++) {
		one.pk[j] = r->pk[j];
		if (r->pk[j])
			one.old[j] = r->old[j];
	}
	for (i = 0; i < r->ncol && !rc; i++) {
		sqlite3_int64 stamp = 0;
		char copy[33] = "";
		long pend;
		if (r->pk[i] || !r->new[i].type)
			continue;
		join(fkey, sizeof(fkey), key, '\x1f', l->names[i]);
		if ((pend = key_find(&s->fields, r->table, fkey)) >= 0)
			cur[i] = s->fields.val[pend]; /* set by an earlier entry of the batch */
		else if (!found && (found = current_values(s, l, r, &st, cur)) <= 0) {
			if (found < 0)
				rc = -1;
			else
				s->rep->dropped++; /* deleted here: a delete wins over an edit */
			break;
		}
		if (csval_equal(&cur[i], &r->new[i]))
			continue;
		if (!stamps_read && (rc = row_stamps(s, r->table, key, &rs)) < 0)
			break;
		stamps_read = true;
		if (last_stamp(&rs, l->names[i], &stamp, copy) && !incoming_later(s->entry, stamp, copy)) {
			s->rep->dropped++;
			continue;
		}
		if ((!csval_equal(&cur[i], &r->old[i]) && !strcmp(copy, s->copy) && !bookkeeping(l->names[i]) &&
		     add_conflict(s, r->table, key, l->names[i], &r->new[i], &cur[i], s->entry->copy, s->copy)) ||
		    set_stamps(s, l, r, key, i)) {
			rc = -1;
			break;
		}
		one.old[i] = cur[i];
		one.new[i] = r->new[i];
		any = true;
		s->rep->rows++;
	}
	if (!rc && any) {
		csrow_write(out, &one, last);
		/* after the write: a value of the batch may be the one replaced here */
		for (i = 0; i < r->ncol; i++)
			if (!r->pk[i] && one.new[i].type) {
				join(fkey, sizeof(fkey), key, '\x1f', l->names[i]);
				key_set_value(&s->fields, key_add(&s->fields, r->table, fkey), &r->new[i]);
			}
	}
	if (st)
		sqlite3_reset(st);
	return rc;
}

/* An update the apply omits: noted so that the history leaves it out (kept_rows). */
static void set_aside(struct share *s, sqlite3_changeset_iter *it, const char *table, int op)
{
	struct csrow r;
	if (op == SQLITE_UPDATE && !csrow_read(it, &r))
		key_add(&s->omitted, table, row_key(s, &r));
}

/* sqlite3changeset_apply's conflict handler: the rules of share.h. */
static int on_conflict(void *ctx, int why, sqlite3_changeset_iter *it)
{
	struct share *s = ctx;
	const char *table;
	int ncol, op, indirect;
	sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
	switch (why) {
	case SQLITE_CHANGESET_DATA:
		/* a delete of a row changed since: the delete wins */
		if (op == SQLITE_DELETE)
			return SQLITE_CHANGESET_REPLACE;
		set_aside(s, it, table, op);
		return SQLITE_CHANGESET_OMIT;
	case SQLITE_CHANGESET_CONFLICT: {
		/* the same key inserted on two copies: the later one */
		struct csrow r;
		long k;
		if (op != SQLITE_INSERT || csrow_read(it, &r))
			return SQLITE_CHANGESET_OMIT;
		/* the pass before the apply marked the row when the incoming insert is the later one */
		if ((k = key_find(&s->rows, table, row_key(s, &r))) >= 0 && s->rows.won[k])
			return SQLITE_CHANGESET_REPLACE;
		s->rep->dropped++;
		return SQLITE_CHANGESET_OMIT;
	}
	default:
		/* NOTFOUND (deleted here), CONSTRAINT (a duplicate by another key), FOREIGN_KEY */
		if (why != SQLITE_CHANGESET_FOREIGN_KEY)
			set_aside(s, it, table, op);
		s->rep->dropped++;
		return SQLITE_CHANGESET_OMIT;
	}
}

static int cmp_id(const void *a, const void *b)
{
	sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
	return x < y ? -1 : x > y;
}

/*
 * The derived indexes (full text, places, hours) of the structures the
 * entries touched, once each; the full-text row alone of those whose
 * searched text only changed.
 */
static int reindex_touched(struct share *s)
{
	size_t i, n = 0;
	int rc = structure_reindex_ids(s->db, s->touched.ids, s->touched.n); /* sorts them */
	for (i = 0; i < s->texts.n; i++)
		if (!s->touched.n ||
		    !bsearch(&s->texts.ids[i], s->touched.ids, s->touched.n, sizeof(*s->touched.ids), cmp_id))
			s->texts.ids[n++] = s->texts.ids[i];
	if (!rc)
		rc = structure_reindex_text_ids(s->db, s->texts.ids, n);
	s->touched.n = s->texts.n = 0;
	return rc;
}

static sqlite3_int64 max_change(struct share *s);

/*
 * The rows of the applied changeset cs (n bytes) less those the apply set
 * aside, for the history: into out. 0 or -1.
 */
static int kept_rows(struct share *s, const void *cs, int n, struct strbuf *out)
{
	sqlite3_changeset_iter *it;
	struct cslast last = { "" };
	struct csrow r;
	int rc = 0, step;
	if (sqlite3changeset_start(&it, n, (void *)cs) != SQLITE_OK)
		return db_fail(s);
	while (!rc && (step = sqlite3changeset_next(it)) == SQLITE_ROW) {
		if (csrow_read(it, &r))
			rc = -1;
		else if (key_find(&s->omitted, r.table, row_key(s, &r)) < 0)
			csrow_write(out, &r, &last);
	}
	sqlite3changeset_finalize(it);
	return rc;
}

/*
 * The batch through sqlite3changeset_apply (merged first by
 * sqlite3changegroup when it updates a row twice). A batch of updates alone
 * is applied with the history's session off and given to the history as it
 * is, less the rows set aside: each is an update of the fields whose value
 * was read here just before (update_fields), so it is exactly what the
 * session would have recorded, without the session copying every old row
 * and rebuilding the changeset (a third of an apply). Updates cascade to
 * nothing, and their triggers write no tracked table. A batch that inserts
 * or deletes goes through the session (replaced rows, cascaded deletes).
 */
static int apply_batch(struct share *s)
{
	sqlite3_changegroup *g = NULL;
	void *merged = NULL;
	int n = (int)s->batch.len, rc;
	void *p = s->batch.buf;
	bool direct = !s->structural;
	if (s->merge) {
		if (sqlite3changegroup_new(&g) != SQLITE_OK ||
		    sqlite3changegroup_add(g, n, p) != SQLITE_OK ||
		    sqlite3changegroup_output(g, &n, &merged) != SQLITE_OK) {
			sqlite3changegroup_delete(g);
			return qfq_error(_("share: cannot merge the changes received"));
		}
		sqlite3changegroup_delete(g);
		p = merged;
	}
	if (direct)
		history_track(s->db, false);
	/*
	 * No savepoint of its own: each first write of a page under a savepoint
	 * copies the page to a statement journal, and the apply is already one
	 * transaction that rolls back whole on an error (the conflict handler
	 * never aborts).
	 */
	rc = sqlite3changeset_apply_v2(s->db, n, p, NULL, on_conflict, s, NULL, NULL,
				       SQLITE_CHANGESETAPPLY_NOSAVEPOINT) == SQLITE_OK ? 0 : db_fail(s);
	if (direct) {
		history_track(s->db, true);
		if (!rc && !s->omitted.n)
			rc = history_applied(s->db, p, n);
		else if (!rc) {
			struct strbuf kept = STRBUF_INIT;
			rc = kept_rows(s, p, n, &kept) || history_applied(s->db, kept.buf, (int)kept.len) ? -1 : 0;
			strbuf_release(&kept);
		}
	}
	sqlite3_free(merged);
	return rc;
}

/* Applies the batch: one sqlite3changeset_apply, one change set of the history for its entries. */
static int flush(struct share *s)
{
	struct strbuf sum = STRBUF_INIT;
	sqlite3_int64 before, after;
	size_t i;
	int rc = 0;
	if (!s->nheld)
		return 0;
	before = max_change(s);
	if (s->batch.len && apply_batch(s))
		return -1;
	if (s->nheld == 1)
		strbuf_addf(&sum, _("de %s n° %lld : %s"),
			    s->held[0]->copy_name && *s->held[0]->copy_name ? s->held[0]->copy_name : s->held[0]->copy,
			    (long long)s->held[0]->seq, s->held[0]->summary ? s->held[0]->summary : "");
	else
		strbuf_addf(&sum, _("%zu changements reçus d'autres copies"), s->nheld);
	history_set_summary(s->db, sum.buf);
	strbuf_release(&sum);
	if (history_record(s->db) || history_begin(s->db))
		return -1;
	after = max_change(s);
	for (i = 0; i < s->nheld && !rc; i++)
		rc = insert_entry(s, s->held[i]->copy, s->held[i]->seq, s->held[i]->stamp, after > before ? after : 0,
				  false, s->held[i]->summary, NULL, 0);
	/* structures have no gid trigger (schema 16): those the batch brought keep theirs here */
	if (!rc && s->pending &&
	    db_exec(s->db, "INSERT OR REPLACE INTO share_ids(tbl, id, gid) SELECT p.tbl, p.id, p.gid FROM share_pending p "
			   "WHERE p.tbl = 'structures' AND EXISTS (SELECT 1 FROM structures s WHERE s.id = p.id)"))
		rc = -1;
	if (!rc && s->pending && db_exec(s->db, "DELETE FROM share_pending"))
		rc = -1;
	s->pending = false;
	s->nheld = 0;
	strbuf_reset(&s->batch);
	s->blast.table[0] = '\0';
	keys_clear(&s->rows);
	keys_clear(&s->fields);
	keys_clear(&s->fresh);
	keys_clear(&s->omitted);
	hmap_clear(&s->locals);
	s->merge = false;
	s->structural = false;
	return rc;
}

/* Whether the entry read touches a row already in the batch (its values there are not in the tables yet). */
static int collides(struct share *s)
{
	struct csrow r;
	size_t k;
	int hit = 0;
	if (!s->rows.n)
		return 0;
	for (k = 0; k < s->nerows && !hit; k++) {
		const struct layout *l = entry_row(s, k, &r);
		long slot;
		if (r.ncol == l->ncol && to_local(s, l, &r) && (slot = key_find(&s->rows, r.table, row_key(s, &r))) >= 0) {
			/* an update of a row the batch updates or creates: it reads the values from the batch */
			hit = r.op != SQLITE_UPDATE || !s->rows.upd[slot];
			s->merge = true;
		}
	}
	return hit;
}

/* The values an inserted row gives its fields, for the updates of it that join the batch. */
static void note_fields(struct share *s, const struct layout *l, const struct csrow *r, const char *key)
{
	char fkey[640];
	int i;
	for (i = 0; i < r->ncol; i++) {
		if (r->pk[i] || !r->new[i].type)
			continue;
		join(fkey, sizeof(fkey), key, '\x1f', l->names[i]);
		key_set_value(&s->fields, key_add(&s->fields, r->table, fkey), &r->new[i]);
	}
}

/* Pass 2: the entry's rows, in local ids and field by field, added to the batch. */
static int apply_changeset(struct share *s, const struct share_entry *e)
{
	struct csrow r;
	size_t row;
	int rc = 0, hit;

	if (read_entry(s, e) || (hit = collides(s)) < 0 || (hit && flush(s)) || allocate_inserts(s))
		return -1;
	for (row = 0; row < s->nerows && !rc; row++) {
		const struct layout *l = entry_row(s, row, &r);
		bool won = false, fresh;
		char key[512];
		size_t k;
		if (r.ncol != l->ncol) {
			rc = qfq_error(_("change %s/%lld: table %s has %d columns there, %d here (another qfq version)"),
				       e->copy, (long long)e->seq, r.table, r.ncol, l->ncol);
			break;
		}
		if (!to_local(s, l, &r)) {
			s->rep->dropped++;
			continue;
		}
		touch_row(s, l, &r);
		join(key, sizeof(key), row_key(s, &r), 0, NULL);
		if (r.op == SQLITE_UPDATE) {
			rc = update_fields(s, l, &r, &s->batch, &s->blast);
			key_add(&s->rows, r.table, key);
			continue;
		}
		if (r.op == SQLITE_INSERT) {
			struct row_stamps rs;
			sqlite3_int64 stamp;
			char copy[33];
			if (row_stamps(s, r.table, key, &rs)) {
				rc = -1;
				break;
			}
			won = !last_stamp(&rs, NULL, &stamp, copy) || incoming_later(e, stamp, copy);
			if (won && set_stamps(s, l, &r, key, -1)) {
				rc = -1;
				break;
			}
		}
		/* a row new here (its id drawn by this batch) cannot clash: later updates of it join the batch */
		fresh = r.op == SQLITE_INSERT && l->self && key_find(&s->fresh, r.table, key) >= 0 &&
			key_find(&s->rows, r.table, key) < 0;
		k = key_add(&s->rows, r.table, key);
		s->rows.upd[k] = fresh;
		s->rows.won[k] = s->rows.won[k] || won;
		if (fresh)
			note_fields(s, l, &r, key);
		csrow_write(&s->batch, &r, &s->blast);
		s->structural = true;
		s->rep->rows++;
	}
	if (!rc) {
		XGROW(s->held, s->aheld, s->nheld + 1);
		s->held[s->nheld++] = e;
	}
	return rc;
}

/* An erasure from elsewhere: the same erasure here. */
static int apply_erase(struct share *s, const struct share_entry *e)
{
	sqlite3_changeset_iter *it;
	struct forget_report fr;
	struct csrow r;
	sqlite3_int64 id;
	int found = 0, rc = 0;
	if (sqlite3changeset_start(&it, e->n, e->data) != SQLITE_OK)
		return qfq_error(_("change %s/%lld: not a changeset"), e->copy, (long long)e->seq);
	if (sqlite3changeset_next(it) == SQLITE_ROW && !csrow_read(it, &r) && !strcmp(r.table, "persons"))
		found = local_of(s, &r.old[0], &id);
	sqlite3changeset_finalize(it);
	if (found) {
		rc = person_forget(s->db, id, &fr) < 0 ? -1 : 0;
		s->rep->rows++;
	}
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct share_entry *x = *(const struct share_entry *const *)a, *y = *(const struct share_entry *const *)b;
	int c;
	if (x->stamp != y->stamp)
		return x->stamp < y->stamp ? -1 : 1;
	if ((c = strcmp(x->copy, y->copy)))
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static sqlite3_int64 max_change(struct share *s)
{
	sqlite3_int64 id = 0;
	if (sqlite3_step(s->max_change) == SQLITE_ROW)
		id = sqlite3_column_int64(s->max_change, 0);
	sqlite3_reset(s->max_change);
	return id;
}

static bool already(struct share *s, const struct share_entry *e)
{
	bool found;
	sqlite3_bind_text(s->already, 1, e->copy, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->already, 2, e->seq);
	found = sqlite3_step(s->already) == SQLITE_ROW;
	sqlite3_reset(s->already);
	return found;
}

/* One entry: a change joins the batch; an erasure runs now, as its own change set of the history. */
static int apply_one(struct share *s, const struct share_entry *e)
{
	struct strbuf sum = STRBUF_INIT;
	sqlite3_int64 before, after;
	s->entry = e;
	s->stamp = e->stamp;
	s->stamp_copy = e->copy;
	s->rep->applied++;
	if (!e->erase)
		return apply_changeset(s, e);
	if (flush(s))
		return -1;
	before = max_change(s);
	if (apply_erase(s, e))
		return -1;
	strbuf_addf(&sum, _("de %s n° %lld : %s"), e->copy_name && *e->copy_name ? e->copy_name : e->copy,
		    (long long)e->seq, _("effacement"));
	history_set_summary(s->db, sum.buf);
	strbuf_release(&sum);
	if (history_record(s->db) || history_begin(s->db))
		return -1;
	after = max_change(s);
	return insert_entry(s, e->copy, e->seq, e->stamp, after > before ? after : 0, true, e->summary, NULL, 0);
}

int share_apply(sqlite3 *db, struct share_entry *v, size_t n, struct share_report *rep)
{
	struct share s;
	const struct share_entry **order;
	size_t i;
	int rc = -1;

	memset(rep, 0, sizeof(*rep));
	if (share_open(db, &s)) {
		share_close(&s);
		return -1;
	}
	s.rep = rep;
	order = xmalloc((n ? n : 1) * sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = &v[i];
	qsort(order, n, sizeof(*order), cmp_entry);
	applying = true;
	for (i = 0; i < n; i++) {
		/* sorted: the same entry given twice (two files) is side by side */
		if (!strcmp(order[i]->copy, s.copy) || already(&s, order[i]) ||
		    (i && order[i - 1]->seq == order[i]->seq && !strcmp(order[i - 1]->copy, order[i]->copy))) {
			rep->already++;
			continue;
		}
		if (apply_one(&s, order[i]))
			goto done;
	}
	/* the last batch; the derived indexes of the structures touched, once each: their own change set */
	rc = flush(&s) || reindex_touched(&s) || history_record(db) || history_begin(db) ? -1 : 0;
done:
	applying = false;
	free(order);
	share_close(&s);
	return rc;
}

/* ============================================================ swap */

int share_swap(sqlite3 *db, sqlite3_int64 id)
{
	sqlite3_stmt *st = NULL, *upd = NULL;
	struct strbuf sql = STRBUF_INIT;
	char *key = NULL, *table = NULL, *col = NULL;
	int rc = -1, k, nk = 0;
	if (db_prepare(db, "SELECT tbl, key, col, lost FROM share_conflicts WHERE id = ?1 AND state = 'open' "
			   "AND col IS NOT NULL", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return 1;
	}
	table = xstrdup((const char *)sqlite3_column_text(st, 0));
	key = xstrdup((const char *)sqlite3_column_text(st, 1));
	col = xstrdup((const char *)sqlite3_column_text(st, 2));
	/* the key's columns, in table order, are the primary key's */
	{
		sqlite3_stmt *ti;
		char *q = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q) WHERE pk > 0 ORDER BY cid", table);
		k = db_prepare(db, q, &ti);
		sqlite3_free(q);
		if (k)
			goto done;
		strbuf_addf(&sql, "UPDATE \"%s\" SET \"%s\" = ?1 WHERE ", table, col);
		while (sqlite3_step(ti) == SQLITE_ROW) {
			strbuf_addf(&sql, "%s\"%s\" = ?%d", nk ? " AND " : "", sqlite3_column_text(ti, 0), nk + 2);
			nk++;
		}
		sqlite3_finalize(ti);
	}
	if (db_prepare(db, sql.buf, &upd))
		goto done;
	sqlite3_bind_value(upd, 1, sqlite3_column_value(st, 3));
	{
		char *p = key;
		for (k = 0; k < nk; k++) {
			size_t len = strcspn(p, "|");
			sqlite3_bind_text(upd, k + 2, p, (int)len, SQLITE_TRANSIENT);
			p += len + (p[len] == '|');
		}
	}
	if (sqlite3_step(upd) != SQLITE_DONE) {
		db_error(db, _("share"));
		goto done;
	}
	if (sqlite3_changes(db) != 1) {
		rc = qfq_error(_("the row of conflict %lld is gone"), (long long)id);
		goto done;
	}
	sqlite3_finalize(upd);
	upd = NULL;
	if (db_prepare(db, "UPDATE share_conflicts SET state = 'swapped', kept = lost, lost = kept, "
			   "kept_copy = lost_copy, lost_copy = kept_copy WHERE id = ?1", &upd))
		goto done;
	sqlite3_bind_int64(upd, 1, id);
	rc = sqlite3_step(upd) == SQLITE_DONE ? 0 : db_error(db, _("share"));
	if (!rc && !strcmp(table, "structures")) {
		sqlite3_int64 sid = strtoll(key, NULL, 10);
		rc = structure_reindex(db, sid);
	}
done:
	sqlite3_finalize(st);
	sqlite3_finalize(upd);
	strbuf_release(&sql);
	free(key);
	free(table);
	free(col);
	return rc;
}

/* ============================================================ bulk capture */

/* The SQL of a table's local key (row_key's form: its key columns joined with '|'). 0 or -1. */
static int bulk_key_sql(const struct layout *l, struct strbuf *key)
{
	int i;
	for (i = 0; i < l->ncol; i++)
		if (l->pk[i])
			strbuf_addf(key, "%s\"%s\"", key->len ? " || '|' || " : "", l->names[i]);
	return key->len ? 0 : qfq_error(_("share: table %s has no key"), l->table);
}

/* The row stamps of the bulk's rows of one table: one INSERT ... SELECT. */
static int bulk_stamps(struct share *s, const struct history_bulk_table *t, const char *key, sqlite3_int64 after_id)
{
	sqlite3_stmt *st;
	char *sql = sqlite3_mprintf("INSERT INTO share_stamps(tbl, key, col, stamp, copy) "
				    "SELECT %Q, %s, '*', ?2, ?3 FROM \"%w\" WHERE \"%w\" > ?1 "
				    "ON CONFLICT DO UPDATE SET stamp = excluded.stamp, copy = excluded.copy",
				    t->table, key, t->table, t->col);
	int rc = db_prepare(s->db, sql, &st);
	sqlite3_free(sql);
	if (rc)
		return -1;
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int64(st, 2, s->stamp);
	sqlite3_bind_text(st, 3, s->stamp_copy, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s);
	sqlite3_finalize(st);
	return rc;
}

/* Fresh gids for the new structures (a deleted structure's id may come back: its gid does not). */
static int bulk_gids(struct share *s, sqlite3_int64 after_id)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(s->db, "INSERT OR REPLACE INTO share_ids(tbl, id, gid) "
			      "SELECT 'structures', id, randomblob(16) FROM structures WHERE id > ?1", &st))
		return -1;
	sqlite3_bind_int64(st, 1, after_id);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s);
	sqlite3_finalize(st);
	return rc;
}

/* One table's bulk rows as inserts, in global ids, into out (an entry written each piece). */
static int bulk_rows(struct share *s, const struct history_bulk_table *t, sqlite3_int64 after_id, sqlite3_int64 change_id,
		     const char *summary, struct strbuf *out, struct cslast *last)
{
	static unsigned char gids[2 * CS_MAX_COLS][GID_LEN];
	static struct csrow r;
	struct strbuf key = STRBUF_INIT;
	const struct layout *l;
	sqlite3_stmt *st = NULL;
	char *sql;
	int rc = -1, step, i, tie;

	if (!(l = layout_get(s, t->table)) || bulk_key_sql(l, &key) ||
	    bulk_stamps(s, t, key.buf, after_id))
		goto done;
	/* the structure's gid read with the row (to_global converts the other id columns) */
	sql = sqlite3_mprintf("SELECT t.*, g.gid FROM \"%w\" t LEFT JOIN share_ids g ON g.tbl = 'structures' "
			      "AND g.id = t.\"%w\" WHERE t.\"%w\" > ?1", t->table, t->col, t->col);
	i = db_prepare(s->db, sql, &st);
	sqlite3_free(sql);
	if (i)
		goto done;
	for (tie = 0; tie < l->ncol && strcmp(l->names[tie], t->col); tie++)
		;
	if (sqlite3_column_count(st) != l->ncol + 1 || tie == l->ncol) {
		qfq_error(_("history: table %s changed shape"), t->table);
		goto done;
	}
	sqlite3_bind_int64(st, 1, after_id);
	r.table = t->table;
	r.ncol = l->ncol;
	r.op = SQLITE_INSERT;
	memcpy(r.pk, l->pk, sizeof(r.pk));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < r.ncol; i++) {
			r.old[i].type = 0;
			csval_column(&r.new[i], st, i);
		}
		if (sqlite3_column_type(st, r.ncol) == SQLITE_BLOB)
			csval_column(&r.new[tie], st, r.ncol);
		if (to_global(s, l, &r, gids))
			goto done;
		csrow_write(out, &r, last);
		if (out->len >= SHARE_BULK_PIECE) {
			if (add_own(s, change_id, false, summary, out))
				goto done;
			strbuf_reset(out);
			last->table[0] = 0;
		}
	}
	rc = step == SQLITE_DONE ? 0 : db_fail(s);
done:
	sqlite3_finalize(st);
	strbuf_release(&key);
	return rc;
}

int share_capture_bulk(sqlite3 *db, sqlite3_int64 change_id, const char *summary, sqlite3_int64 after_id)
{
	struct share s;
	struct strbuf out = STRBUF_INIT;
	struct cslast last = { "" };
	size_t i;
	int rc = -1;

	if (applying)
		return 0;
	if (share_open(db, &s))
		goto done;
	s.stamp = next_stamp(db);
	s.stamp_copy = s.copy;
	strbuf_grow(&out, SHARE_BULK_PIECE + SHARE_BULK_PIECE / 4); /* a piece and its last row: no doubling */
	/* the new structures' gids, in one statement (gid_of draws one row by row otherwise) */
	if (bulk_gids(&s, after_id))
		goto done;
	for (i = 0; i < HISTORY_BULK_TABLES; i++)
		if (bulk_rows(&s, &history_bulk_tables[i], after_id, change_id, summary, &out, &last))
			goto done;
	rc = out.len ? add_own(&s, change_id, false, summary, &out) : 0;
done:
	strbuf_release(&out);
	share_close(&s);
	return rc;
}

/* ============================================================ snapshot */

int share_vacuum_into(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600), rc;
	if (fd < 0)
		return qfq_error(_("cannot create \"%s\": %s"), path, strerror(errno));
	close(fd);
	if (db_prepare(db, "VACUUM INTO ?1", &st)) {
		unlink(path);
		return -1;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(db, _("snapshot"));
	sqlite3_finalize(st);
	if (rc)
		unlink(path);
	return rc;
}

