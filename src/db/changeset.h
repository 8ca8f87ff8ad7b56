/*
 * changeset: writing SQLite changesets byte by byte.
 *
 * The session extension reads changesets (sqlite3changeset_start) and
 * applies them (sqlite3changeset_apply), but only builds them from a
 * session's own view of a database. Sharing (db/share.h) needs changesets
 * whose values were rewritten (local row ids <-> global ids, one update per
 * field), so this module writes the documented changeset format: per table
 * 'T', the column count, one primary-key flag per column, the table's name;
 * per row the operation (SQLITE_INSERT / UPDATE / DELETE), the indirect
 * flag, and the old and/or new record, each value a type byte (0 undefined,
 * 1 integer, 2 real, 3 text, 4 blob, 5 NULL) and its bytes (8 big-endian
 * bytes for numbers, a varint length and the bytes for text and blobs).
 * What it writes is read back by SQLite's own iterator in the tests.
 */
#ifndef QFQ_DB_CHANGESET_H
#define QFQ_DB_CHANGESET_H

/* the session extension's declarations (Debian's libsqlite3 is built with it) */
#ifndef SQLITE_ENABLE_SESSION
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#endif
#include "util/strbuf.h"

#include <sqlite3.h>
#include <stdbool.h>

#define CS_MAX_COLS 64

/* One value: type 0 (undefined: not part of the record) or an SQLITE_ type code. */
struct csval {
	int type;
	sqlite3_int64 i;
	double f;
	const void *p; /* text or blob bytes, not owned */
	int n;
};

/* One row change, as read from an iterator, with values that may be rewritten. */
struct csrow {
	const char *table;
	int ncol, op;
	unsigned char pk[CS_MAX_COLS];
	struct csval old[CS_MAX_COLS], new[CS_MAX_COLS];
};

/* Fills r from the iterator's current row (values point into the iterator). 0 or -1. */
int csrow_read(sqlite3_changeset_iter *it, struct csrow *r);

/* The table of the last row written (a copy: an iterator reuses its buffers). */
struct cslast {
	char table[64];
};
/* Appends r to out (a table header first when the table differs from last's). */
void csrow_write(struct strbuf *out, const struct csrow *r, struct cslast *last);

void csval_int(struct csval *v, sqlite3_int64 i);
void csval_blob(struct csval *v, const void *p, int n);
void csval_null(struct csval *v);
/* Whether a and b are the same defined value (NULL equals NULL). */
bool csval_equal(const struct csval *a, const struct csval *b);
/* Binds v to parameter k of st (undefined binds NULL). */
void csval_bind(sqlite3_stmt *st, int k, const struct csval *v);
/* v from a column of a stepped statement (pointing into it). */
void csval_column(struct csval *v, sqlite3_stmt *st, int col);

#endif
