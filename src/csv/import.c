/*
 * import: the problem lists and statement helpers every importer shares
 * (see import.h).
 */
#include "csv/import.h"
#include "db/db.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void import_msg_addv(struct import_msgs *l, enum import_severity sev, unsigned long line, size_t column,
		     const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	struct import_msg *m;

	l->total++;
	if (l->keep && l->n >= l->keep)
		return;
	strbuf_vaddf(&sb, fmt, ap);
	XGROW(l->v, l->alloc, l->n + 1);
	m = &l->v[l->n++];
	m->line = line;
	m->column = column;
	m->severity = sev;
	m->text = strbuf_detach(&sb, NULL);
}

void import_msgs_clear(struct import_msgs *l)
{
	size_t i, keep = l->keep;

	for (i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof(*l));
	l->keep = keep;
}

int import_prepare(sqlite3 *db, const char *const *sql, size_t n, sqlite3_stmt **st)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (db_prepare(db, sql[i], &st[i]))
			return -1;
	return 0;
}

void import_finalize(sqlite3_stmt **st, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		sqlite3_finalize(st[i]);
		st[i] = NULL;
	}
}

int import_step_done(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, what);
}

void import_bind_text(sqlite3_stmt *st, int i, const char *s, size_t len)
{
	if (!s)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, len == (size_t)-1 ? -1 : (int)len, SQLITE_STATIC);
}

void import_bind_opt(sqlite3_stmt *st, int i, const char *s, size_t len)
{
	if (s && len == (size_t)-1)
		len = strlen(s);
	import_bind_text(st, i, s && len ? s : NULL, len);
}

void import_progress(const struct csv_reader *r, csv_progress_fn *fn, void *arg, unsigned long rows)
{
	size_t done, total;

	if (!fn || (rows & 255))
		return;
	csv_progress(r, &done, &total);
	fn(arg, rows, done, total);
}
