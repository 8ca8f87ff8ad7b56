/*
 * history: change sets recorded from an SQLite session, and undo (see
 * history.h).
 */
/* the session extension's declarations (Debian's libsqlite3 is built with it) */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "db/history.h"
#include "db/db.h"
#include "db/share.h"
#include "db/structures.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The tracked tables and the columns that say which structure / person a row is about. */
static const struct tracked {
	const char *name;
	const char *structure_col; /* NULL: none */
	const char *person_col;
	bool rowid;                /* a rowid table (its key is the rowid) */
} tracked[] = {
	{ "attendance", "structure_id", "person_id", false },
	{ "events", NULL, NULL, true },
	{ "memberships", "structure_id", "person_id", true },
	{ "merge_proposals", NULL, NULL, false },
	{ "permanence_themes", NULL, NULL, false },
	{ "permanences", "structure_id", NULL, true },
	{ "person_themes", NULL, "person_id", false },
	{ "persons", NULL, "id", true },
	{ "referral_history", NULL, NULL, false },
	{ "referrals", NULL, NULL, true },
	{ "structure_aliases", "structure_id", NULL, false },
	{ "structure_territories", "structure_id", NULL, false },
	{ "structure_themes", "structure_id", NULL, false },
	{ "structures", "id", NULL, true },
};

static const struct tracked *find_tracked(const char *name)
{
	size_t i;
	for (i = 0; i < sizeof(tracked) / sizeof(*tracked); i++)
		if (!strcmp(tracked[i].name, name))
			return &tracked[i];
	return NULL;
}

/* The session of each open write transaction (a process has few connections). */
struct hist {
	sqlite3 *db;
	sqlite3_session *session;
	char *summary;
	sqlite3_int64 undoes;      /* the change set this one reverts, 0 none */
	bool private_values;       /* history_set_private() */
	bool bulk;                 /* history_bulk(): structures above bulk_after */
	sqlite3_int64 bulk_after;
	void *applied;             /* history_applied(): rows written with the session off (sqlite3_malloc'd) */
	int napplied;
};
static struct hist slots[4];
static sqlite3_int64 last_recorded; /* the id of the last change set written */

static struct hist *slot(sqlite3 *db, bool create)
{
	size_t i;
	for (i = 0; i < sizeof(slots) / sizeof(*slots); i++)
		if (slots[i].db == db)
			return &slots[i];
	if (!create)
		return NULL;
	for (i = 0; i < sizeof(slots) / sizeof(*slots); i++)
		if (!slots[i].db) {
			slots[i].db = db;
			return &slots[i];
		}
	return NULL;
}

int history_begin(sqlite3 *db)
{
	struct hist *h;
	size_t i;
	history_end(db);
	h = slot(db, true);
	if (!h)
		return qfq_error(_("history: too many open databases"));
	if (sqlite3session_create(db, "main", &h->session) != SQLITE_OK) {
		history_end(db);
		return db_error(db, _("history"));
	}
	/* by name: a write to any other table (the indexes) is passed over at once */
	for (i = 0; i < sizeof(tracked) / sizeof(*tracked); i++)
		if (sqlite3session_attach(h->session, tracked[i].name) != SQLITE_OK) {
			history_end(db);
			return db_error(db, _("history"));
		}
	return 0;
}

void history_end(sqlite3 *db)
{
	struct hist *h = slot(db, false);
	if (!h)
		return;
	if (h->session)
		sqlite3session_delete(h->session);
	sqlite3_free(h->applied);
	free(h->summary);
	memset(h, 0, sizeof(*h));
}

void history_set_summary(sqlite3 *db, const char *summary)
{
	struct hist *h = slot(db, false);
	if (!h)
		return;
	free(h->summary);
	h->summary = summary ? xstrdup(summary) : NULL;
}

void history_set_private(sqlite3 *db)
{
	struct hist *h = slot(db, false);
	if (h) {
		h->private_values = true;
		sqlite3session_enable(h->session, 0);
	}
}

int history_bulk(sqlite3 *db, sqlite3_int64 after_id)
{
	struct hist *h = slot(db, false);
	if (!h || !h->session)
		return qfq_error(_("history: no write transaction"));
	h->bulk = true;
	h->bulk_after = after_id;
	return 0;
}

void history_track(sqlite3 *db, bool on)
{
	struct hist *h = slot(db, false);
	if (h && h->session && !h->private_values)
		sqlite3session_enable(h->session, on);
}

/*
 * Changeset b (nb bytes) after *a (*na bytes, sqlite3_malloc'd, or NULL),
 * as one changeset in *a: 0 or -1 (*a left as it was).
 */
static int append_changeset(void **a, int *na, const void *b, int nb)
{
	sqlite3_changegroup *g = NULL;
	void *out = NULL;
	int n = 0, rc;
	if (!*a) { /* a copy: a changegroup would decode and re-encode every row */
		if (!(*a = sqlite3_malloc(nb)))
			abort(); /* out of memory is fatal, as in util/xalloc */
		memcpy(*a, b, (size_t)nb);
		*na = nb;
		return 0;
	}
	rc = sqlite3changegroup_new(&g) == SQLITE_OK && sqlite3changegroup_add(g, *na, *a) == SQLITE_OK &&
			     sqlite3changegroup_add(g, nb, (void *)b) == SQLITE_OK &&
			     sqlite3changegroup_output(g, &n, &out) == SQLITE_OK
		     ? 0
		     : -1;
	sqlite3changegroup_delete(g);
	if (rc)
		return -1;
	sqlite3_free(*a);
	*a = out;
	*na = n;
	return 0;
}

int history_applied(sqlite3 *db, const void *changeset, int n)
{
	struct hist *h = slot(db, false);
	if (!h || !h->session)
		return qfq_error(_("history: no write transaction"));
	if (h->private_values || n <= 0)
		return 0;
	return append_changeset(&h->applied, &h->napplied, changeset, n) ? db_error(db, _("history")) : 0;
}

/* ============================================================ recording */

/* The column names of a table, from PRAGMA table_info (malloc'd array of malloc'd names). */
struct columns {
	char *table;
	char **names;
	int n;
};

static int columns_load(sqlite3 *db, const char *table, struct columns *c)
{
	char *sql = sqlite3_mprintf("PRAGMA main.table_info(%Q)", table);
	sqlite3_stmt *st;
	int rc, alloc = 0;
	c->table = xstrdup(table);
	c->names = NULL;
	c->n = 0;
	rc = db_prepare(db, sql, &st);
	sqlite3_free(sql);
	if (rc)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (c->n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			c->names = xrealloc(c->names, (size_t)alloc * sizeof(*c->names));
		}
		c->names[c->n++] = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return 0;
}

static void columns_clear(struct columns *c)
{
	int i;
	for (i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	free(c->table);
	memset(c, 0, sizeof(*c));
}

/* ================================================================ codec */

/*
 * One side of a recorded row (the columns before, or after) is one blob:
 * for each column, its name (1 length byte and the bytes), a type byte
 * (SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL),
 * then 8 bytes little-endian for an integer or the bits of a double, or 4
 * bytes of length and the bytes for a text or a blob. Exact, and one
 * history row per row written (an import of 20,000 places writes 70,000
 * history rows instead of 700,000 column rows).
 */
static void put_u64(struct strbuf *b, uint64_t v)
{
	unsigned char c[8];
	int i;
	for (i = 0; i < 8; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	strbuf_add(b, c, 8);
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;
	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void enc_value(struct strbuf *b, const char *name, sqlite3_value *v)
{
	size_t nl = strlen(name);
	int type = sqlite3_value_type(v);
	unsigned char t;
	strbuf_addch(b, (int)(nl > 255 ? 255 : nl));
	strbuf_add(b, name, nl > 255 ? 255 : nl);
	t = (unsigned char)type;
	strbuf_addch(b, t);
	if (type == SQLITE_INTEGER) {
		put_u64(b, (uint64_t)sqlite3_value_int64(v));
	} else if (type == SQLITE_FLOAT) {
		double d = sqlite3_value_double(v);
		uint64_t bits;
		memcpy(&bits, &d, sizeof(bits));
		put_u64(b, bits);
	} else if (type == SQLITE_TEXT || type == SQLITE_BLOB) {
		const void *p = type == SQLITE_TEXT ? (const void *)sqlite3_value_text(v) : sqlite3_value_blob(v);
		uint32_t n = (uint32_t)sqlite3_value_bytes(v);
		unsigned char c[4] = { (unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16),
				       (unsigned char)(n >> 24) };
		strbuf_add(b, c, 4);
		if (n)
			strbuf_add(b, p, n);
	}
}

int history_value_next(const unsigned char **pp, const unsigned char *end, struct history_value *v)
{
	const unsigned char *p = *pp;
	if (p >= end)
		return 0;
	memset(v, 0, sizeof(*v));
	v->col_len = *p++;
	if ((size_t)(end - p) < v->col_len + 1)
		return -1;
	v->col = (const char *)p;
	p += v->col_len;
	v->type = *p++;
	if (v->type == SQLITE_INTEGER || v->type == SQLITE_FLOAT) {
		uint64_t bits;
		if ((size_t)(end - p) < 8)
			return -1;
		bits = get_u64(p);
		p += 8;
		if (v->type == SQLITE_INTEGER)
			v->i = (sqlite3_int64)bits;
		else
			memcpy(&v->r, &bits, sizeof(v->r));
	} else if (v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) {
		if ((size_t)(end - p) < 4)
			return -1;
		v->n = (size_t)p[0] | (size_t)p[1] << 8 | (size_t)p[2] << 16 | (size_t)p[3] << 24;
		p += 4;
		if ((size_t)(end - p) < v->n)
			return -1;
		v->p = p;
		p += v->n;
	} else if (v->type != SQLITE_NULL) {
		return -1;
	}
	*pp = p;
	return 1;
}

void history_value_text(const struct history_value *v, struct strbuf *sb)
{
	size_t i;
	switch (v->type) {
	case SQLITE_INTEGER: strbuf_addint(sb, v->i); break;
	case SQLITE_FLOAT: strbuf_addf(sb, "%.17g", v->r); break;
	case SQLITE_TEXT: strbuf_add(sb, v->p, v->n); break;
	case SQLITE_BLOB:
		strbuf_addstr(sb, "x'");
		for (i = 0; i < v->n; i++)
			strbuf_addf(sb, "%02x", v->p[i]);
		strbuf_addch(sb, '\'');
		break;
	default: break;
	}
}

int history_columns(const void *old, size_t old_len, const void *new, size_t new_len, history_column_fn fn,
		    void *arg)
{
	const unsigned char *po = old, *pn = new;
	struct history_value a, b;
	int ra, rb, rc;
	for (;;) {
		ra = old ? history_value_next(&po, (const unsigned char *)old + old_len, &a) : 0;
		rb = new ? history_value_next(&pn, (const unsigned char *)new + new_len, &b) : 0;
		if (ra < 0 || rb < 0 || (ra && rb && (a.col_len != b.col_len || memcmp(a.col, b.col, a.col_len))))
			return -1;
		if (!ra && !rb)
			return 0;
		if ((rc = fn(ra ? &a : NULL, rb ? &b : NULL, arg)))
			return rc;
	}
}

static void bind_hvalue(sqlite3_stmt *st, int i, const struct history_value *v)
{
	switch (v->type) {
	case SQLITE_INTEGER: sqlite3_bind_int64(st, i, v->i); break;
	case SQLITE_FLOAT: sqlite3_bind_double(st, i, v->r); break;
	case SQLITE_TEXT: sqlite3_bind_text(st, i, (const char *)v->p, (int)v->n, SQLITE_STATIC); break;
	case SQLITE_BLOB: sqlite3_bind_blob(st, i, v->p, (int)v->n, SQLITE_STATIC); break;
	default: sqlite3_bind_null(st, i); break;
	}
}

struct recorder {
	sqlite3 *db;
	sqlite3_int64 change;
	sqlite3_stmt *row;
	struct columns cols;
	struct strbuf old, new;   /* the two sides of the row being recorded */
};

/* For an update that left a_col unchanged: the live row's value (rowid tables). */
static sqlite3_int64 live_int(sqlite3 *db, const char *table, const char *col, sqlite3_int64 rowid)
{
	char *sql = sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE rowid = ?1", col, table);
	sqlite3_stmt *st;
	sqlite3_int64 v = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, rowid);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_free(sql);
	return v;
}

/* One changeset row -> one change_rows row with its two encoded sides. */
static int record_row(struct recorder *r, sqlite3_changeset_iter *it, int seq)
{
	const char *table, *opname;
	int ncol, op, indirect, npk, i, rc;
	unsigned char *pk;
	struct strbuf key = STRBUF_INIT;
	const struct tracked *t;
	sqlite3_int64 about[2] = { 0, 0 };

	sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
	sqlite3changeset_pk(it, &pk, &npk);
	t = find_tracked(table);
	if (!r->cols.table || strcmp(r->cols.table, table)) {
		columns_clear(&r->cols);
		if (columns_load(r->db, table, &r->cols))
			return -1;
	}
	if (r->cols.n != ncol)
		return qfq_error(_("history: table %s changed shape"), table);
	opname = op == SQLITE_INSERT ? "insert" : op == SQLITE_DELETE ? "delete" : "update";
	strbuf_reset(&r->old);
	strbuf_reset(&r->new);
	for (i = 0; i < ncol; i++) {
		sqlite3_value *o = NULL, *n = NULL;
		if (op != SQLITE_INSERT)
			sqlite3changeset_old(it, i, &o);
		if (op != SQLITE_DELETE)
			sqlite3changeset_new(it, i, &n);
		if (pk[i]) {
			sqlite3_value *k = o ? o : n;
			if (key.len)
				strbuf_addch(&key, '|');
			if (k && sqlite3_value_text(k))
				strbuf_addstr(&key, (const char *)sqlite3_value_text(k));
			if (op == SQLITE_UPDATE && !n)
				n = o; /* the key of an update: the same before and after */
		}
		if (t) {
			sqlite3_value *v = n ? n : o;
			if (v && t->structure_col && !strcmp(r->cols.names[i], t->structure_col))
				about[0] = sqlite3_value_int64(v);
			if (v && t->person_col && !strcmp(r->cols.names[i], t->person_col))
				about[1] = sqlite3_value_int64(v);
		}
		/* an insert keeps its non-NULL values, a delete its whole row, an update its changes and key */
		if ((op == SQLITE_INSERT && sqlite3_value_type(n) == SQLITE_NULL) ||
		    (op == SQLITE_DELETE && sqlite3_value_type(o) == SQLITE_NULL) || (op == SQLITE_UPDATE && !n))
			continue;
		if (o)
			enc_value(&r->old, r->cols.names[i], o);
		if (n)
			enc_value(&r->new, r->cols.names[i], n);
	}
	if (t && op == SQLITE_UPDATE && t->rowid) {
		sqlite3_int64 rowid = strtoll(key.buf, NULL, 10);
		if (t->structure_col && !about[0])
			about[0] = live_int(r->db, table, t->structure_col, rowid);
		if (t->person_col && !about[1])
			about[1] = live_int(r->db, table, t->person_col, rowid);
	}
	sqlite3_bind_int(r->row, 2, seq);
	sqlite3_bind_text(r->row, 3, table, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(r->row, 4, opname, -1, SQLITE_STATIC);
	sqlite3_bind_text(r->row, 5, key.buf, -1, SQLITE_TRANSIENT);
	about[0] ? sqlite3_bind_int64(r->row, 6, about[0]) : sqlite3_bind_null(r->row, 6);
	about[1] ? sqlite3_bind_int64(r->row, 7, about[1]) : sqlite3_bind_null(r->row, 7);
	op == SQLITE_INSERT ? sqlite3_bind_null(r->row, 8)
			    : sqlite3_bind_blob(r->row, 8, r->old.buf, (int)r->old.len, SQLITE_STATIC);
	op == SQLITE_DELETE ? sqlite3_bind_null(r->row, 9)
			    : sqlite3_bind_blob(r->row, 9, r->new.buf, (int)r->new.len, SQLITE_STATIC);
	rc = sqlite3_step(r->row);
	sqlite3_reset(r->row);
	strbuf_release(&key);
	return rc == SQLITE_DONE ? 0 : db_error(r->db, _("history"));
}

static sqlite3_int64 insert_change_set(sqlite3 *db, const struct hist *h)
{
	sqlite3_stmt *st;
	sqlite3_int64 id = 0;
	if (db_prepare(db, "INSERT INTO change_sets(command, summary, undoes, undoable) VALUES (?1, ?2, ?3, ?4)",
		       &st))
		return 0;
	sqlite3_bind_text(st, 1, db_command(), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, h->summary, -1, SQLITE_STATIC);
	if (h->undoes)
		sqlite3_bind_int64(st, 3, h->undoes);
	sqlite3_bind_int(st, 4, !h->private_values);
	if (sqlite3_step(st) == SQLITE_DONE)
		id = sqlite3_last_insert_rowid(db);
	else
		db_error(db, _("history"));
	sqlite3_finalize(st);
	return id;
}

/*
 * target is undone by change: mark it so; and when target was itself an
 * undo, the change set it reverted is in effect again.
 */
static int mark_undone(sqlite3 *db, sqlite3_int64 target, sqlite3_int64 change)
{
	static const char *const sql[] = {
		"UPDATE change_sets SET undone_by = NULL WHERE id = (SELECT undoes FROM change_sets WHERE id = ?1)",
		"UPDATE change_sets SET undone_by = ?2 WHERE id = ?1",
	};
	size_t i;
	for (i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		int step;
		if (db_prepare(db, sql[i], &st))
			return -1;
		sqlite3_bind_int64(st, 1, target);
		if (i)
			sqlite3_bind_int64(st, 2, change);
		step = sqlite3_step(st);
		sqlite3_finalize(st);
		if (step != SQLITE_DONE)
			return db_error(db, _("history"));
	}
	return 0;
}

const struct history_bulk_table history_bulk_tables[HISTORY_BULK_TABLES] = {
	{ "structures", "id" },
	{ "structure_themes", "structure_id" },
	{ "structure_territories", "structure_id" },
	{ "structure_aliases", "structure_id" },
};

/* The bulk's range on its change set: the structures above bulk_after, up to the last one. 0 or -1. */
static int record_bulk(sqlite3 *db, sqlite3_int64 change, const struct hist *h)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "UPDATE change_sets SET bulk_after = ?2, bulk_last = (SELECT max(id) FROM structures) "
			   "WHERE id = ?1", &st))
		return -1;
	sqlite3_bind_int64(st, 1, change);
	sqlite3_bind_int64(st, 2, h->bulk_after);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(db, _("history"));
	sqlite3_finalize(st);
	return rc;
}

/* Whether the bulk inserted a structure. */
static bool bulk_holds(sqlite3 *db, const struct hist *h)
{
	sqlite3_stmt *st;
	bool any = false;
	if (!h->bulk || h->private_values || db_prepare(db, "SELECT 1 FROM structures WHERE id > ?1 LIMIT 1", &st))
		return false;
	sqlite3_bind_int64(st, 1, h->bulk_after);
	any = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return any;
}

int history_record(sqlite3 *db)
{
	struct hist *h = slot(db, false);
	struct recorder r = { db, 0, NULL, { NULL, NULL, 0 }, STRBUF_INIT, STRBUF_INIT };
	sqlite3_changeset_iter *it = NULL;
	void *blob = NULL;
	int n = 0, seq = 0, rc = -1, step;
	bool bulk;

	if (!h || !h->session)
		return 0;
	bulk = bulk_holds(db, h);
	if (!h->private_values && !bulk && sqlite3session_isempty(h->session) && !h->applied)
		return 0;
	if (!h->private_values && !sqlite3session_isempty(h->session) &&
	    sqlite3session_changeset(h->session, &n, &blob) != SQLITE_OK)
		return db_error(db, _("history"));
	/*
	 * The rows written with the session off (history_applied), after the
	 * session's. Exact when the two hold different rows, as in share.c,
	 * which records each applied batch as its own change set; a row in
	 * both would be merged as if the session's change came first.
	 */
	if (!h->private_values && h->applied) {
		int failed = append_changeset(&blob, &n, h->applied, h->napplied);
		sqlite3_free(h->applied);
		h->applied = NULL;
		h->napplied = 0;
		if (failed) {
			sqlite3_free(blob);
			return db_error(db, _("history"));
		}
	}
	if (!(r.change = insert_change_set(db, h)))
		goto done;
	last_recorded = r.change;
	if (h->undoes && mark_undone(db, h->undoes, r.change))
		goto done;
	if (h->private_values) {
		rc = 0;
		goto done;
	}
	/* the same changes, in global ids, for the other copies (issue 15); the bulk's rows first */
	if ((bulk && (record_bulk(db, r.change, h) || share_capture_bulk(db, r.change, h->summary, h->bulk_after))) ||
	    share_capture(db, r.change, h->summary, blob, n))
		goto done;
	if (db_prepare(db, "INSERT INTO change_rows(change_id, seq, tbl, op, key, structure_id, person_id, old, new) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &r.row))
		goto done;
	sqlite3_bind_int64(r.row, 1, r.change);

	if (!blob) {
		rc = 0;
		goto done;
	}
	if (sqlite3changeset_start(&it, n, blob) != SQLITE_OK) {
		db_error(db, _("history"));
		goto done;
	}
	while ((step = sqlite3changeset_next(it)) == SQLITE_ROW)
		if (record_row(&r, it, ++seq))
			goto done;
	rc = step == SQLITE_DONE ? 0 : db_error(db, _("history"));
done:
	if (it)
		sqlite3changeset_finalize(it);
	sqlite3_finalize(r.row);
	columns_clear(&r.cols);
	strbuf_release(&r.old);
	strbuf_release(&r.new);
	sqlite3_free(blob);
	return rc;
}

/* ================================================================ undo */

/* One recorded row, read back for undo. */
struct hrow {
	int seq;
	char *table, *op;
	sqlite3_int64 structure_id;
	unsigned char *ob, *nb;        /* copies of the two sides */
	int n;
	char **cols;
	struct history_value *old, *new; /* pointing into ob and nb; type NULL when absent */
	bool *pk;
};

static void hrow_clear(struct hrow *r)
{
	int i;
	for (i = 0; i < r->n; i++)
		free(r->cols[i]);
	free(r->cols);
	free(r->old);
	free(r->new);
	free(r->pk);
	free(r->ob);
	free(r->nb);
	free(r->table);
	free(r->op);
	memset(r, 0, sizeof(*r));
}

static bool is_pk(sqlite3 *db, const char *table, const char *col)
{
	int pk = 0;
	sqlite3_table_column_metadata(db, "main", table, col, NULL, NULL, NULL, &pk, NULL);
	return pk != 0;
}

static unsigned char *copy_blob(sqlite3_stmt *st, int col, size_t *n)
{
	const void *p = sqlite3_column_blob(st, col);
	unsigned char *c;
	*n = (size_t)sqlite3_column_bytes(st, col);
	c = xmalloc(*n + 1);
	if (*n)
		memcpy(c, p, *n);
	return c;
}

/* history_columns() callback: one more column of the hrow being read. */
static int hrow_add(const struct history_value *o, const struct history_value *n, void *arg)
{
	struct hrow *r = arg;
	const struct history_value *v = o ? o : n;
	r->cols = xrealloc(r->cols, ((size_t)r->n + 1) * sizeof(*r->cols));
	r->old = xrealloc(r->old, ((size_t)r->n + 1) * sizeof(*r->old));
	r->new = xrealloc(r->new, ((size_t)r->n + 1) * sizeof(*r->new));
	r->cols[r->n] = xmalloc(v->col_len + 1);
	memcpy(r->cols[r->n], v->col, v->col_len);
	r->cols[r->n][v->col_len] = '\0';
	memset(&r->old[r->n], 0, sizeof(r->old[r->n]));
	memset(&r->new[r->n], 0, sizeof(r->new[r->n]));
	r->old[r->n].type = r->new[r->n].type = SQLITE_NULL;
	if (o)
		r->old[r->n] = *o;
	if (n)
		r->new[r->n] = *n;
	r->n++;
	return 0;
}

/* Decodes the sides of r (ob: on, nb: nn bytes) into its column arrays. 0 or -1 (malformed). */
static int hrow_decode(struct hrow *r, size_t on, size_t nn)
{
	if (history_columns(r->ob, on, r->nb, nn, hrow_add, r) < 0)
		return qfq_error(_("history: change row %d is damaged"), r->seq);
	return 0;
}

static int load_rows(sqlite3 *db, sqlite3_int64 id, struct hrow **out, size_t *nout)
{
	sqlite3_stmt *rows = NULL;
	struct hrow *v = NULL;
	size_t n = 0, alloc = 0;
	int rc = -1, step, i;

	if (db_prepare(db, "SELECT seq, tbl, op, ifnull(structure_id, 0), old, new FROM change_rows "
			   "WHERE change_id = ?1 ORDER BY seq", &rows))
		goto done;
	sqlite3_bind_int64(rows, 1, id);
	while ((step = sqlite3_step(rows)) == SQLITE_ROW) {
		struct hrow *r;
		size_t on = 0, nn = 0;
		XGROW(v, alloc, n + 1);
		r = &v[n++];
		memset(r, 0, sizeof(*r));
		r->seq = sqlite3_column_int(rows, 0);
		r->table = xstrdup((const char *)sqlite3_column_text(rows, 1));
		r->op = xstrdup((const char *)sqlite3_column_text(rows, 2));
		r->structure_id = sqlite3_column_int64(rows, 3);
		if (sqlite3_column_type(rows, 4) != SQLITE_NULL)
			r->ob = copy_blob(rows, 4, &on);
		if (sqlite3_column_type(rows, 5) != SQLITE_NULL)
			r->nb = copy_blob(rows, 5, &nn);
		if (hrow_decode(r, on, nn))
			goto done;
		r->pk = xcalloc((size_t)r->n + 1, sizeof(*r->pk));
		for (i = 0; i < r->n; i++)
			r->pk[i] = is_pk(db, r->table, r->cols[i]);
	}
	rc = step == SQLITE_DONE ? 0 : db_error(db, _("history"));
done:
	sqlite3_finalize(rows);
	*out = v;
	*nout = n;
	return rc;
}

/*
 * Runs one inverse statement for r and returns the number of rows it
 * changed (1 expected), or -1. The WHERE clause of a delete or an update
 * also asks that the row still hold the values the change set left, so a
 * row changed since (outside the history) is not overwritten.
 */
static int apply_inverse(sqlite3 *db, const struct hrow *r)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	int i, k = 0, rc;
	bool first = true;

	if (!strcmp(r->op, "delete")) {
		strbuf_addf(&sql, "INSERT INTO \"%s\"(", r->table);
		for (i = 0; i < r->n; i++)
			strbuf_addf(&sql, "%s\"%s\"", i ? ", " : "", r->cols[i]);
		strbuf_addstr(&sql, ") VALUES (");
		for (i = 0; i < r->n; i++)
			strbuf_addf(&sql, "%s?%d", i ? ", " : "", i + 1);
		strbuf_addstr(&sql, ")");
	} else if (!strcmp(r->op, "insert")) {
		strbuf_addf(&sql, "DELETE FROM \"%s\" WHERE ", r->table);
		for (i = 0; i < r->n; i++)
			strbuf_addf(&sql, "%s\"%s\" IS ?%d", i ? " AND " : "", r->cols[i], i + 1);
	} else {
		strbuf_addf(&sql, "UPDATE \"%s\" SET ", r->table);
		for (i = 0; i < r->n; i++)
			if (!r->pk[i]) {
				strbuf_addf(&sql, "%s\"%s\" = ?%d", first ? "" : ", ", r->cols[i], i + 1);
				first = false;
			}
		strbuf_addstr(&sql, " WHERE ");
		for (i = 0; i < r->n; i++)
			strbuf_addf(&sql, "%s\"%s\" IS ?%d", i ? " AND " : "", r->cols[i], r->n + i + 1);
		if (first) {
			strbuf_release(&sql);
			return 1; /* nothing but the key: nothing to do */
		}
	}
	rc = db_prepare(db, sql.buf, &st);
	strbuf_release(&sql);
	if (rc)
		return -1;
	for (i = 0; i < r->n; i++) {
		if (!strcmp(r->op, "delete"))
			bind_hvalue(st, i + 1, &r->old[i]);
		else if (!strcmp(r->op, "insert"))
			bind_hvalue(st, i + 1, &r->new[i]);
		else {
			bind_hvalue(st, i + 1, &r->old[i]);
			bind_hvalue(st, r->n + i + 1, &r->new[i]);
		}
	}
	rc = sqlite3_step(st);
	k = sqlite3_changes(db);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
		return 0;
	return rc == SQLITE_DONE ? k : db_error(db, _("undo"));
}

/* The first later change set, still in effect, that touched one of id's rows: 0 none. */
static int later_dependent(sqlite3 *db, sqlite3_int64 id, sqlite3_int64 *blocker)
{
	sqlite3_stmt *st;
	int rc;
	*blocker = 0;
	/* a later change to one of its rows, or to a structure its bulk inserted (or their rows) */
	if (db_prepare(db, "SELECT min(x) FROM ("
			   "SELECT min(l.change_id) AS x FROM change_rows m "
			   "JOIN change_rows l ON l.tbl = m.tbl AND l.key = m.key AND l.change_id > m.change_id "
			   "JOIN change_sets c ON c.id = l.change_id "
			   "WHERE m.change_id = ?1 AND c.undone_by IS NULL AND c.undoes IS NULL "
			   "UNION ALL SELECT min(l.change_id) FROM change_sets m "
			   "JOIN change_rows l ON l.structure_id > m.bulk_after AND l.structure_id <= m.bulk_last "
			   "AND l.change_id > m.id JOIN change_sets c ON c.id = l.change_id "
			   "WHERE m.id = ?1 AND c.undone_by IS NULL AND c.undoes IS NULL)", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*blocker = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(db, _("history"));
}

/* A later change set in effect about the same structures or persons (a foreign key in the way). */
static sqlite3_int64 later_about(sqlite3 *db, sqlite3_int64 id)
{
	sqlite3_stmt *st;
	sqlite3_int64 b = 0;
	if (db_prepare(db, "SELECT min(l.change_id) FROM change_rows m JOIN change_rows l "
			   "ON l.change_id > m.change_id AND (l.structure_id = m.structure_id OR l.person_id = m.person_id) "
			   "JOIN change_sets c ON c.id = l.change_id "
			   "WHERE m.change_id = ?1 AND c.undone_by IS NULL AND c.undoes IS NULL", &st))
		return 0;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		b = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return b;
}

/* Whether a row of a tracked table now points at nothing: 1, 0, or -1. */
static int fk_violations(sqlite3 *db)
{
	size_t i;
	int bad = 0;
	for (i = 0; i < sizeof(tracked) / sizeof(*tracked) && !bad; i++) {
		char *sql = sqlite3_mprintf("PRAGMA main.foreign_key_check(%Q)", tracked[i].name);
		sqlite3_stmt *st;
		int rc = db_prepare(db, sql, &st);
		sqlite3_free(sql);
		if (rc)
			return -1;
		bad = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	return bad;
}

/* A change set's bulk (history_bulk): the structures in (after, last]. */
struct bulk_range {
	sqlite3_int64 after, last;
};

static int bulk_range(sqlite3 *db, sqlite3_int64 id, struct bulk_range *b)
{
	sqlite3_stmt *st;
	int rc;
	b->after = b->last = 0;
	if (db_prepare(db, "SELECT bulk_after, bulk_last FROM change_sets WHERE id = ?1 AND bulk_last IS NOT NULL", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		b->after = sqlite3_column_int64(st, 0);
		b->last = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(db, _("undo"));
}

/* Deletes the bulk's structures and their rows (the session records them, for a redo). */
static int undo_bulk(sqlite3 *db, const struct bulk_range *b)
{
	size_t i;
	for (i = HISTORY_BULK_TABLES; i-- > 0 && b->last > b->after;) {
		const struct history_bulk_table *t = &history_bulk_tables[i];
		char *sql = sqlite3_mprintf("DELETE FROM \"%w\" WHERE \"%w\" > ?1 AND \"%w\" <= ?2", t->table, t->col,
					    t->col);
		sqlite3_stmt *st;
		int rc = db_prepare(db, sql, &st);
		sqlite3_free(sql);
		if (rc)
			return -1;
		sqlite3_bind_int64(st, 1, b->after);
		sqlite3_bind_int64(st, 2, b->last);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_error(db, _("undo"));
	}
	return 0;
}

/* The derived indexes of every structure the undone rows (and bulk) were about. */
static int reindex_touched(sqlite3 *db, const struct hrow *v, size_t n, const struct bulk_range *b)
{
	size_t nb = b->last > b->after ? (size_t)(b->last - b->after) : 0;
	sqlite3_int64 *ids = xmalloc((n + nb + 1) * sizeof(*ids)), id;
	size_t i, k = 0;
	int rc;
	for (i = 0; i < n; i++)
		if (v[i].structure_id)
			ids[k++] = v[i].structure_id;
	for (id = b->after + 1; id <= b->last; id++)
		ids[k++] = id;
	rc = structure_reindex_ids(db, ids, k);
	free(ids);
	return rc;
}

static int check_undoable(sqlite3 *db, sqlite3_int64 id, struct strbuf *summary)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT undone_by, undoable, ifnull(summary, command) FROM change_sets WHERE id = ?1", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		rc = qfq_error(_("no change %lld"), (long long)id);
	else if (sqlite3_column_type(st, 0) != SQLITE_NULL)
		rc = qfq_error(_("change %lld was already undone by change %lld"), (long long)id,
			       (long long)sqlite3_column_int64(st, 0));
	else if (!sqlite3_column_int(st, 1))
		rc = qfq_error(_("change %lld cannot be undone (an erasure, a restore, or its values were erased since)"), (long long)id);
	else {
		strbuf_addstr(summary, (const char *)sqlite3_column_text(st, 2));
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Applies the inverse of rows v: deletes first, then updates, then the rows to bring back. */
static int apply_all(sqlite3 *db, const struct hrow *v, size_t n)
{
	static const char *const order[] = { "insert", "update", "delete" };
	size_t pass, i;
	for (pass = 0; pass < 3; pass++)
		for (i = n; i-- > 0;) {
			int k;
			if (strcmp(v[i].op, order[pass]))
				continue;
			k = apply_inverse(db, &v[i]);
			if (k < 0)
				return -1;
			if (k == 0)
				return 1;
		}
	return 0;
}

int history_undo(sqlite3 *db, sqlite3_int64 id, sqlite3_int64 *undo_id, sqlite3_int64 *blocker)
{
	struct strbuf summary = STRBUF_INIT, what = STRBUF_INIT;
	struct hrow *v = NULL;
	struct bulk_range bulk = { 0, 0 };
	size_t n = 0, i;
	int rc = -1, r;

	*undo_id = *blocker = 0;
	if (db_exec(db, "PRAGMA foreign_keys = OFF"))
		return -1;
	if (db_begin(db))
		goto out;
	if (check_undoable(db, id, &summary) || later_dependent(db, id, blocker))
		goto out;
	if (*blocker) {
		rc = 1;
		goto out;
	}
	if (load_rows(db, id, &v, &n) || bulk_range(db, id, &bulk))
		goto out;
	r = apply_all(db, v, n);
	if (r == 0)
		r = undo_bulk(db, &bulk);
	if (r == 0)
		r = fk_violations(db);
	if (r < 0)
		goto out;
	if (r > 0) {
		*blocker = later_about(db, id);
		rc = 1;
		goto out;
	}
	strbuf_addf(&what, _("annulation de %lld : %s"), (long long)id, summary.buf);
	history_set_summary(db, what.buf);
	{
		struct hist *h = slot(db, false);
		if (h)
			h->undoes = id;
	}
	if (reindex_touched(db, v, n, &bulk) || db_commit(db))
		goto out;
	*undo_id = last_recorded;
	rc = 0;
out:
	if (rc)
		db_rollback(db);
	for (i = 0; i < n; i++)
		hrow_clear(&v[i]);
	free(v);
	strbuf_release(&summary);
	strbuf_release(&what);
	db_exec(db, "PRAGMA foreign_keys = ON");
	return rc;
}

int history_last(sqlite3 *db, sqlite3_int64 *id)
{
	sqlite3_stmt *st;
	int rc;
	/* the latest change, even when it cannot be undone: undo never skips to an older one unasked */
	if (db_prepare(db, "SELECT max(id) FROM change_sets WHERE undone_by IS NULL AND undoes IS NULL", &st))
		return -1;
	rc = sqlite3_step(st);
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_error(db, _("history"));
	return *id != 0;
}

/* =============================================================== erasure */

static int exec_bind(sqlite3 *db, const char *sql, sqlite3_int64 id, const char *text)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, sql, &st))
		return -1;
	if (sqlite3_bind_parameter_count(st) >= 1)
		sqlite3_bind_int64(st, 1, id);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, _("history"));
}

/* side with every needle removed from its text values, re-encoded into out. */
static int scrub_side(const unsigned char *p, size_t len, const char *const *needles, int n, struct strbuf *out)
{
	const unsigned char *end = p + len;
	struct history_value v;
	struct strbuf text = STRBUF_INIT;
	int r, k;
	while ((r = history_value_next(&p, end, &v)) == 1) {
		unsigned char nl = (unsigned char)v.col_len;
		strbuf_addch(out, nl);
		strbuf_add(out, v.col, v.col_len);
		strbuf_addch(out, v.type);
		if (v.type == SQLITE_INTEGER || v.type == SQLITE_FLOAT) {
			strbuf_add(out, p - 8, 8);
		} else if (v.type == SQLITE_TEXT || v.type == SQLITE_BLOB) {
			uint32_t tn;
			unsigned char c[4];
			strbuf_reset(&text);
			strbuf_add(&text, v.p, v.n);
			for (k = 0; k < n && v.type == SQLITE_TEXT; k++) {
				size_t l = strlen(needles[k]);
				char *hit;
				while (l && (hit = strstr(text.buf, needles[k]))) {
					size_t at = (size_t)(hit - text.buf);
					memmove(hit, hit + l, text.len - at - l + 1);
					strbuf_setlen(&text, text.len - l);
				}
			}
			tn = (uint32_t)text.len;
			c[0] = (unsigned char)tn, c[1] = (unsigned char)(tn >> 8), c[2] = (unsigned char)(tn >> 16),
			c[3] = (unsigned char)(tn >> 24);
			strbuf_add(out, c, 4);
			strbuf_add(out, text.buf, text.len);
		}
	}
	strbuf_release(&text);
	return r;
}

/* Rewrites the sides of every history row holding one of needles' bytes. */
static int scrub_rows(sqlite3 *db, const char *const *needles, int n)
{
	sqlite3_stmt *sel = NULL, *upd = NULL, *mark = NULL;
	struct strbuf o = STRBUF_INIT, w = STRBUF_INIT;
	int k, rc = 0;
	if (db_prepare(db, "SELECT change_id, seq, old, new FROM change_rows "
			   "WHERE instr(old, CAST(?1 AS BLOB)) OR instr(new, CAST(?1 AS BLOB))", &sel) ||
	    db_prepare(db, "UPDATE change_rows SET old = ?3, new = ?4 WHERE change_id = ?1 AND seq = ?2", &upd) ||
	    db_prepare(db, "UPDATE change_sets SET undoable = 0 WHERE id = ?1", &mark))
		rc = -1;
	for (k = 0; k < n && !rc; k++) {
		if (!needles[k] || !*needles[k])
			continue;
		sqlite3_bind_text(sel, 1, needles[k], -1, SQLITE_STATIC);
		/* read all first: the rows change under the statement */
		while (!rc && sqlite3_step(sel) == SQLITE_ROW) {
			int side;
			strbuf_reset(&o);
			strbuf_reset(&w);
			for (side = 0; side < 2 && !rc; side++) {
				const unsigned char *p = sqlite3_column_blob(sel, 2 + side);
				if (p && scrub_side(p, (size_t)sqlite3_column_bytes(sel, 2 + side), needles, n,
						    side ? &w : &o) < 0)
					rc = qfq_error(_("history: a change row is damaged"));
			}
			sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
			sqlite3_bind_int64(upd, 2, sqlite3_column_int64(sel, 1));
			sqlite3_column_type(sel, 2) == SQLITE_NULL ? sqlite3_bind_null(upd, 3)
								   : sqlite3_bind_blob(upd, 3, o.buf, (int)o.len, SQLITE_TRANSIENT);
			sqlite3_column_type(sel, 3) == SQLITE_NULL ? sqlite3_bind_null(upd, 4)
								   : sqlite3_bind_blob(upd, 4, w.buf, (int)w.len, SQLITE_TRANSIENT);
			sqlite3_bind_int64(mark, 1, sqlite3_column_int64(sel, 0));
			if (!rc && (sqlite3_step(upd) != SQLITE_DONE || sqlite3_step(mark) != SQLITE_DONE))
				rc = db_error(db, _("history"));
			sqlite3_reset(upd);
			sqlite3_reset(mark);
		}
		sqlite3_reset(sel);
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	sqlite3_finalize(mark);
	strbuf_release(&o);
	strbuf_release(&w);
	return rc;
}

int history_forget(sqlite3 *db, sqlite3_int64 person_id, const char *const *needles, int n)
{
	static const char *const rows[] = {
		/* the change sets that lose rows can no longer be undone */
		"UPDATE change_sets SET undoable = 0 WHERE id IN (SELECT change_id FROM change_rows WHERE person_id = ?1 "
		"OR (tbl = 'merge_proposals' AND (key LIKE 'person|' || ?1 || '|%' OR key LIKE 'person|%|' || ?1)))",
		"DELETE FROM change_rows WHERE person_id = ?1",
		/* a person's merge proposals: their key is the person's id */
		"DELETE FROM change_rows WHERE tbl = 'merge_proposals' "
		"AND (key LIKE 'person|' || ?1 || '|%' OR key LIKE 'person|%|' || ?1)",
	};
	static const char *const text[] = {
		"UPDATE change_sets SET undoable = 0, command = replace(command, ?2, ''), "
		"summary = replace(summary, ?2, '') WHERE instr(command, ?2) OR instr(summary, ?2)",
		"UPDATE audit_log SET command = replace(command, ?2, ''), detail = replace(detail, ?2, '') "
		"WHERE instr(command, ?2) OR instr(detail, ?2)",
	};
	size_t i;
	int k;
	for (i = 0; i < sizeof(rows) / sizeof(*rows); i++)
		if (exec_bind(db, rows[i], person_id, NULL))
			return -1;
	for (k = 0; k < n; k++)
		for (i = 0; i < sizeof(text) / sizeof(*text); i++)
			if (needles[k] && *needles[k] && exec_bind(db, text[i], person_id, needles[k]))
				return -1;
	return scrub_rows(db, needles, n);
}
