/*
 * out: writing results in the formats every command shares:
 * table (aligned by display width, fitted to the terminal), tsv, csv
 * (RFC 4180) and json (see json.h for nested output).
 *
 * The table/tsv/csv writers take a simple grid of strings. Everything that
 * reaches a terminal goes through out_sanitize() first, so data never
 * carries control characters or escape sequences to the screen.
 */
#ifndef QFQ_OUT_OUT_H
#define QFQ_OUT_OUT_H

#include <stddef.h>
#include <stdio.h>

struct strbuf;

enum out_format {
	OUT_TABLE,
	OUT_TSV,
	OUT_CSV,
	OUT_JSON,
};

/* Parses "table", "tsv", "csv", "json". Returns 0, or -1 with qfq_error(). */
int out_format_parse(const char *s, enum out_format *f);

/*
 * Appends s[0..len) to sb made safe for a terminal: C0 and C1 control
 * characters, DEL and escape sequences become U+FFFD (a tab becomes a space,
 * a newline becomes " ⏎ " unless keep_newlines); invalid UTF-8 bytes become
 * U+FFFD. Bidirectional overrides (U+202A..U+202E, U+2066..U+2069) too.
 */
void out_sanitize(struct strbuf *sb, const char *s, size_t len, int keep_newlines);

struct out_table; /* a grid of cells with a header row */

struct out_table *out_table_new(size_t ncols, const char *const *headers);
/* Copies the cells (NULL cells are empty). */
void out_table_add(struct out_table *t, const char *const *cells);
size_t out_table_rows(const struct out_table *t);
/*
 * Writes t in format f (not OUT_JSON) to fp. For OUT_TABLE: cells are
 * sanitized and aligned by display width; columns are shrunk (widest first,
 * with "…") so that a line fits term_width (0: no limit); at most max_rows
 * rows are shown (0: all) followed by a line "… et N de plus" when cut.
 * OUT_TSV escapes tab/newline/backslash as \t \n \\; OUT_CSV quotes per RFC
 * 4180 with CRLF line ends. Returns 0 or -1 (write error, qfq_error()).
 */
int out_table_write(const struct out_table *t, enum out_format f, FILE *fp,
		    size_t term_width, size_t max_rows);
void out_table_free(struct out_table *t);

/* Terminal width of fp if it is a terminal (COLUMNS honoured), else 0. */
size_t out_term_width(FILE *fp);
/* Terminal height of fp if it is a terminal (LINES honoured), else 0. */
size_t out_term_height(FILE *fp);

#endif
