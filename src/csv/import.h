/*
 * import: what every importer shares (roster.c and lieux.c today; a third
 * format brings only its field mapping and its row checks):
 * - the list of problems of a report, each at a line and column of the
 *   file, with its severity, counted even past the number kept;
 * - the prepared statements of an import: one table of SQL, prepared
 *   together, stepped with one helper that resets them, finalized together;
 * - the binding of text without a copy (an empty optional field: NULL);
 * - the progress callback, every 256 rows.
 *
 * Nothing here prints: the commands render the lists.
 */
#ifndef QFQ_CSV_IMPORT_H
#define QFQ_CSV_IMPORT_H

#include "util/csvread.h"

#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>

enum import_severity {
	IMPORT_WARNING,   /* kept (perhaps normalized), reported */
	IMPORT_CONFLICT,  /* the file disagrees with the directory, which is kept */
	IMPORT_ERROR,     /* the row is bad */
};

/* One problem, at a place in the file. */
struct import_msg {
	unsigned long line;        /* 1-based line where the record starts (0: the file) */
	size_t column;             /* 1-based field number, 0: the whole row */
	enum import_severity severity;
	char *text;                /* translated, complete, without the position */
};

struct import_msgs {
	struct import_msg *v;
	size_t n, alloc;
	size_t total;              /* all of them, even those not kept */
	size_t keep;               /* most kept in v (0: all) */
};

/* Adds a message (formatted from fmt) to l, or only counts it once l->keep are kept. */
void import_msg_addv(struct import_msgs *l, enum import_severity sev, unsigned long line, size_t column,
		     const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
void import_msgs_clear(struct import_msgs *l);

/* Prepares sql[0..n) into st[] (all NULL on entry). 0, or -1 with qfq_error(). */
int import_prepare(sqlite3 *db, const char *const *sql, size_t n, sqlite3_stmt **st);
void import_finalize(sqlite3_stmt **st, size_t n);
/* Steps st to its end, then resets it and clears its bindings (which
 * may point at buffers that change next). 0, or -1 with qfq_error() naming what. */
int import_step_done(sqlite3 *db, sqlite3_stmt *st, const char *what);
/* Binds s[0..len) (len (size_t)-1: up to its NUL) without a copy, NULL
 * when s is NULL: the caller steps st before s changes. */
void import_bind_text(sqlite3_stmt *st, int i, const char *s, size_t len);
/* The same, but an empty value is NULL too (an optional field left blank). */
void import_bind_opt(sqlite3_stmt *st, int i, const char *s, size_t len);

/* Calls fn (when not NULL) with the rows read so far and how far r is in
 * its input, every 256 rows. */
void import_progress(const struct csv_reader *r, csv_progress_fn *fn, void *arg, unsigned long rows);

#endif
