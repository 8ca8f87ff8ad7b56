/*
 * changeset: reading a changeset row into rewritable values and writing
 * rows back in SQLite's changeset format (see changeset.h).
 */
#include "db/changeset.h"
#include "util/error.h"
#include "util/i18n.h"

#include <stdio.h>
#include <string.h>

static void from_value(struct csval *v, sqlite3_value *s)
{
	memset(v, 0, sizeof(*v));
	if (!s)
		return;
	v->type = sqlite3_value_type(s);
	switch (v->type) {
	case SQLITE_INTEGER: v->i = sqlite3_value_int64(s); break;
	case SQLITE_FLOAT: v->f = sqlite3_value_double(s); break;
	case SQLITE_TEXT:
		v->p = sqlite3_value_text(s);
		v->n = sqlite3_value_bytes(s);
		break;
	case SQLITE_BLOB:
		v->p = sqlite3_value_blob(s);
		v->n = sqlite3_value_bytes(s);
		break;
	default: break;
	}
}

int csrow_read(sqlite3_changeset_iter *it, struct csrow *r)
{
	unsigned char *pk;
	int npk, indirect, i;
	if (sqlite3changeset_op(it, &r->table, &r->ncol, &r->op, &indirect) != SQLITE_OK ||
	    sqlite3changeset_pk(it, &pk, &npk) != SQLITE_OK)
		return qfq_error(_("changeset: unreadable row"));
	if (r->ncol > CS_MAX_COLS)
		return qfq_error(_("changeset: table %s has too many columns"), r->table);
	for (i = 0; i < r->ncol; i++) {
		sqlite3_value *o = NULL, *n = NULL;
		r->pk[i] = pk[i]; /* its place in the primary key (1, 2...): apply compares it */
		if (r->op != SQLITE_INSERT)
			sqlite3changeset_old(it, i, &o);
		if (r->op != SQLITE_DELETE)
			sqlite3changeset_new(it, i, &n);
		from_value(&r->old[i], o);
		from_value(&r->new[i], n);
	}
	return 0;
}

static void put_varint(struct strbuf *out, sqlite3_uint64 v)
{
	unsigned char b[10];
	int n = 0, i;
	/* SQLite's varint: 7 bits a byte, most significant first, high bit = more */
	do {
		b[n++] = (unsigned char)(v & 0x7f);
		v >>= 7;
	} while (v && n < 9);
	for (i = n - 1; i >= 0; i--)
		strbuf_addch(out, b[i] | (i ? 0x80 : 0));
}

static void put_be64(struct strbuf *out, sqlite3_uint64 v)
{
	int i;
	for (i = 7; i >= 0; i--)
		strbuf_addch(out, (int)((v >> (8 * i)) & 0xff));
}

static void put_value(struct strbuf *out, const struct csval *v)
{
	strbuf_addch(out, v->type);
	switch (v->type) {
	case SQLITE_INTEGER: put_be64(out, (sqlite3_uint64)v->i); break;
	case SQLITE_FLOAT: {
		sqlite3_uint64 bits;
		memcpy(&bits, &v->f, sizeof(bits));
		put_be64(out, bits);
		break;
	}
	case SQLITE_TEXT:
	case SQLITE_BLOB:
		put_varint(out, (sqlite3_uint64)v->n);
		if (v->n)
			strbuf_add(out, v->p, (size_t)v->n);
		break;
	default: break;
	}
}

void csrow_write(struct strbuf *out, const struct csrow *r, struct cslast *last)
{
	int i;
	if (strcmp(last->table, r->table)) {
		strbuf_addch(out, 'T');
		put_varint(out, (sqlite3_uint64)r->ncol);
		for (i = 0; i < r->ncol; i++)
			strbuf_addch(out, r->pk[i]);
		strbuf_add(out, r->table, strlen(r->table) + 1);
		snprintf(last->table, sizeof(last->table), "%s", r->table);
	}
	strbuf_addch(out, r->op);
	strbuf_addch(out, 0);
	if (r->op != SQLITE_INSERT)
		for (i = 0; i < r->ncol; i++)
			put_value(out, &r->old[i]);
	if (r->op != SQLITE_DELETE)
		for (i = 0; i < r->ncol; i++)
			put_value(out, &r->new[i]);
}

void csval_int(struct csval *v, sqlite3_int64 i)
{
	memset(v, 0, sizeof(*v));
	v->type = SQLITE_INTEGER;
	v->i = i;
}

void csval_blob(struct csval *v, const void *p, int n)
{
	memset(v, 0, sizeof(*v));
	v->type = SQLITE_BLOB;
	v->p = p;
	v->n = n;
}

void csval_null(struct csval *v)
{
	memset(v, 0, sizeof(*v));
	v->type = SQLITE_NULL;
}

bool csval_equal(const struct csval *a, const struct csval *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case SQLITE_INTEGER: return a->i == b->i;
	case SQLITE_FLOAT: return a->f == b->f;
	case SQLITE_TEXT:
	case SQLITE_BLOB: return a->n == b->n && (!a->n || !memcmp(a->p, b->p, (size_t)a->n));
	default: return true;
	}
}

void csval_bind(sqlite3_stmt *st, int k, const struct csval *v)
{
	switch (v->type) {
	case SQLITE_INTEGER: sqlite3_bind_int64(st, k, v->i); break;
	case SQLITE_FLOAT: sqlite3_bind_double(st, k, v->f); break;
	case SQLITE_TEXT: sqlite3_bind_text(st, k, v->p, v->n, SQLITE_STATIC); break;
	case SQLITE_BLOB: sqlite3_bind_blob(st, k, v->p, v->n, SQLITE_STATIC); break;
	default: sqlite3_bind_null(st, k); break;
	}
}

void csval_column(struct csval *v, sqlite3_stmt *st, int col)
{
	from_value(v, sqlite3_column_value(st, col));
}
