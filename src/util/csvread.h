/*
 * csvread: reading messy CSV files as they really come (Excel exports,
 * open-data dumps), on top of libcsv.
 *
 * - Encoding: UTF-8 with or without BOM, or Windows-1252 / Latin-1,
 *   detected (or forced) and converted to UTF-8 with iconv. Invalid UTF-8
 *   in a file declared UTF-8 (BOM, or forced) is an error with its line.
 * - Delimiter: `,` `;` or tab, detected from the first record outside quotes.
 * - CRLF or LF; quoted fields with embedded delimiters, `""`, newlines.
 * - Trailing empty lines are skipped; trailing empty fields are trimmed off.
 * - Refused with a clear error and position: NUL bytes / binary content,
 *   a field over max_field bytes, a record over max_fields fields, an
 *   unterminated quote (reported at the line where the quote opened).
 *
 * Errors go through qfq_error(): `line L, column C: <problem> in "<file>"`.
 */
#ifndef QFQ_UTIL_CSVREAD_H
#define QFQ_UTIL_CSVREAD_H

#include <stddef.h>

struct csv_reader;

struct csv_options {
	char delim;           /* 0: detect; else ',', ';' or '\t' */
	const char *encoding; /* NULL: detect; else "UTF-8", "WINDOWS-1252", "LATIN1" */
	size_t max_field;     /* 0: default 1 MiB */
	size_t max_fields;    /* 0: default 1000 */
	size_t chunk;         /* bytes read at a time; 0: default 256 KiB (tests use tiny ones) */
};

/* One record. Fields are NUL-terminated UTF-8 and valid until the next csv_next(). */
struct csv_row {
	size_t n;             /* number of fields */
	char **fields;        /* fields[0..n-1] */
	size_t *lens;         /* byte length of each field */
	unsigned long line;   /* 1-based line where the record starts */
};

/* Opens path ("-" for standard input) and makes the first pass over it
 * (see csvread.c: two streaming passes, memory bounded; a pipe is kept in
 * a temporary file). Returns 0, or -1 with qfq_error(). */
int csv_open(struct csv_reader **out, const char *path, const struct csv_options *opt);
/* Parses a buffer instead of a file (not copied: it must outlive the
 * reader); name is used in messages. */
int csv_open_mem(struct csv_reader **out, const char *name, const char *data, size_t len,
		 const struct csv_options *opt);
/* Next record: 1 and *row filled, 0 at end of file, -1 on error (qfq_error()). */
int csv_next(struct csv_reader *r, struct csv_row *row);
/* How far the reading is: bytes of the input parsed so far (exact for
 * UTF-8, near for a converted charset) and in all. */
void csv_progress(const struct csv_reader *r, size_t *done, size_t *total);
/*
 * A progress callback an importer calls every few hundred rows (rows read,
 * bytes read, bytes in all); the caller decides whether and how to show it.
 */
typedef void csv_progress_fn(void *arg, unsigned long rows, size_t done, size_t total);
/* What was detected or forced: "UTF-8", "UTF-8 (BOM)", "WINDOWS-1252". */
const char *csv_encoding(const struct csv_reader *r);
char csv_delimiter(const struct csv_reader *r);
const char *csv_name(const struct csv_reader *r);
void csv_close(struct csv_reader *r);

/*
 * The one rule of both importers for control characters in a field: TAB,
 * LF and CR are text; any other C0 byte, DEL or a C1 character (U+0080 to
 * U+009F) is refused, as terminal escapes ("\x1b[31m") or bells hidden in a
 * name would reach every screen that shows it. Returns the byte offset of
 * the first one in s[0..len) and its code point in *cp, or len when none.
 */
size_t csv_field_control(const char *s, size_t len, unsigned *cp);

#endif
