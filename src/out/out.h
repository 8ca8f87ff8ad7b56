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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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
 * The one output policy of qfq. A code point is unsafe on a terminal when
 * it is a C0 or C1 control character or DEL, or when it is invisible yet
 * changes what is shown: direction marks, embeddings, overrides and
 * isolates (U+061C, U+200E/F, U+202A..E, U+2066..9), zero-width characters
 * and joiners (U+200B..D, U+2060..4, U+180E), the BOM (U+FEFF), line and
 * paragraph separators (U+2028/9), interlinear annotations and tags.
 * Text writers show it as U+FFFD; JSON escapes it as \uXXXX.
 */
bool out_cp_unsafe(int32_t cp);

/*
 * Appends s[0..len) to sb made safe for a terminal: unsafe code points
 * (out_cp_unsafe()) and whole escape sequences become U+FFFD (a tab becomes
 * a space, a newline becomes " ⏎ " unless keep_newlines); invalid UTF-8
 * bytes become U+FFFD.
 */
void out_sanitize(struct strbuf *sb, const char *s, size_t len, int keep_newlines);

/*
 * One csv (RFC 4180) or tsv cell, sanitized like out_sanitize() (csv keeps
 * tab, CR and LF inside quotes; tsv writes them \t \r \n, and \ as \\),
 * with the spreadsheet formula guard: a cell starting with =, +, -, @, tab
 * or CR that is not a plain number gets a leading ' (OWASP), unless
 * out_set_raw_cells(true) (`qfq --raw-cells`). Every csv and tsv writer
 * writes its cells with these.
 */
void out_csv_cell(struct strbuf *sb, const char *s, size_t len);
void out_tsv_cell(struct strbuf *sb, const char *s, size_t len);
void out_set_raw_cells(bool raw);

/*
 * Makes stderr safe for a terminal: every message, with the arguments and
 * data it echoes, goes through out_sanitize() (newlines kept) on its way to
 * file descriptor 2. main() calls it once. 0, or -1 (stderr left as is).
 */
int out_guard_stderr(void);

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
