/*
 * out: the table, tsv and csv writers, terminal sanitizing and terminal
 * size (see out.h). JSON lives in json.c.
 *
 * Every byte of data goes through one sanitizer whatever the format: tsv
 * and csv are often read with `less` or `cat`, so they must not carry
 * escape sequences to a terminal either, and promising UTF-8 output means
 * replacing invalid bytes. Only the treatment of tab, CR and LF differs.
 * tsv and csv cells also get the spreadsheet formula guard.
 */
#include "out/out.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */
#define ELLIPSIS "\xE2\x80\xA6"    /* U+2026, one column */
#define RULE "\xE2\x94\x80"        /* U+2500, the header underline */
#define NEWLINE_MARK " \xE2\x8F\x8E " /* " ⏎ " */

/* Columns are not shrunk below this many columns (or their natural width
 * when smaller): a narrower column shows too little to be recognized. */
#define MIN_COL_WIDTH 6

int out_format_parse(const char *s, enum out_format *f)
{
	static const struct {
		const char *name;
		enum out_format f;
	} formats[] = {
		{ "table", OUT_TABLE },
		{ "tsv", OUT_TSV },
		{ "csv", OUT_CSV },
		{ "json", OUT_JSON },
	};
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (!strcmp(s, formats[i].name)) {
			*f = formats[i].f;
			return 0;
		}
	}
	return qfq_error(_("unknown format \"%s\" (expected table, tsv, csv or json)"), s);
}

/* ------------------------------------------------------------------ */
/* Sanitizing                                                          */

/* How tab, CR, LF and backslash are written; everything else dangerous
 * becomes U+FFFD in every mode. */
enum san_mode {
	SAN_LINE,    /* one line on a terminal: tab → space, LF → " ⏎ " */
	SAN_KEEP_NL, /* several lines on a terminal: LF kept */
	SAN_TSV,     /* tab, CR, LF, backslash as \t \r \n \\ */
	SAN_CSV,     /* tab, CR, LF kept: the field is quoted */
};

/* Length of the rest of an ECMA-48 control sequence after ESC [: parameter
 * bytes, then intermediate bytes, then one final byte. Returns 0 when the
 * sequence is not complete. */
static size_t csi_len(const unsigned char *u, size_t len)
{
	size_t i = 0;

	while (i < len && u[i] >= 0x30 && u[i] <= 0x3F)
		i++;
	while (i < len && u[i] >= 0x20 && u[i] <= 0x2F)
		i++;
	if (i < len && u[i] >= 0x40 && u[i] <= 0x7E)
		return i + 1;
	return 0;
}

/* Length of a control string body (OSC, DCS, SOS, PM, APC) up to and
 * including its terminator, BEL or ESC \. 0 when unterminated or broken by
 * another control character. */
static size_t string_len(const unsigned char *u, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (u[i] == 0x07)
			return i + 1;
		if (u[i] == 0x1B)
			return i + 1 < len && u[i + 1] == '\\' ? i + 2 : 0;
		if (u[i] < 0x20 || u[i] == 0x7F)
			return 0;
	}
	return 0;
}

/*
 * Length of the escape sequence starting with the ESC at s[0]. A complete
 * sequence is swallowed whole (shown as one U+FFFD, as the terminal would
 * have hidden it); anything else counts as a lone ESC, so an unterminated
 * sequence can never hide the data that follows.
 */
static size_t esc_len(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0, i;

	if (len < 2)
		return 1;
	switch (u[1]) {
	case '[':
		n = csi_len(u + 2, len - 2);
		break;
	case ']': case 'P': case 'X': case '^': case '_':
		n = string_len(u + 2, len - 2);
		break;
	default:
		/* nF, Fp, Fe, Fs: intermediates then a final byte */
		for (i = 1; i < len && u[i] >= 0x20 && u[i] <= 0x2F; i++)
			;
		if (i < len && u[i] >= 0x30 && u[i] <= 0x7E)
			return i + 1;
		return 1;
	}
	return n ? n + 2 : 1;
}

bool out_cp_unsafe(int32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return true; /* C0, DEL, C1 */
	if (cp < 0x061C)
		return false;
	return cp == 0x061C ||                     /* arabic letter mark */
	       cp == 0x180E ||                     /* mongolian vowel separator */
	       (cp >= 0x200B && cp <= 0x200F) ||   /* zero widths, LRM, RLM */
	       (cp >= 0x2028 && cp <= 0x202E) ||   /* line/paragraph separators, embeddings, overrides */
	       (cp >= 0x2060 && cp <= 0x206F) ||   /* word joiner, invisible operators, isolates */
	       cp == 0xFEFF ||                     /* BOM, zero-width no-break space */
	       (cp >= 0xFFF9 && cp <= 0xFFFB) ||   /* interlinear annotation */
	       (cp >= 0xE0000 && cp <= 0xE007F);   /* tags */
}

/* Appends the replacement for tab, CR, LF or backslash in mode m; returns 0
 * when cp is none of those (or needs no special treatment in m). */
static int add_special(struct strbuf *sb, int32_t cp, int next, enum san_mode m)
{
	static const char *const tsv[] = { ['\t'] = "\\t", ['\n'] = "\\n",
					   ['\r'] = "\\r", ['\\'] = "\\\\" };

	if (cp != '\t' && cp != '\n' && cp != '\r' && cp != '\\')
		return 0;
	if (m == SAN_TSV) {
		strbuf_addstr(sb, tsv[cp]);
	} else if (cp == '\\') {
		return 0;
	} else if (m == SAN_CSV) {
		strbuf_addch(sb, (int)cp);
	} else if (cp == '\t') {
		strbuf_addch(sb, ' ');
	} else if (cp == '\n') {
		strbuf_addstr(sb, m == SAN_KEEP_NL ? "\n" : NEWLINE_MARK);
	} else if (next != '\n') {
		/* A lone CR would move the cursor back over the line. A CR
		 * before LF is dropped: CRLF data is one line break. */
		strbuf_addstr(sb, REPLACEMENT);
	}
	return 1;
}

static void sanitize(struct strbuf *sb, const char *s, size_t len, enum san_mode m)
{
	size_t i = 0;

	strbuf_grow(sb, len);
	while (i < len) {
		int32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		int next = i + 1 < len ? (unsigned char)s[i + 1] : -1;

		if (cp == 0x1B) {
			strbuf_addstr(sb, REPLACEMENT);
			n = esc_len(s + i, len - i);
		} else if (!add_special(sb, cp, next, m)) {
			if (out_cp_unsafe(cp) || (cp == 0xFFFD && n == 1))
				strbuf_addstr(sb, REPLACEMENT);
			else
				strbuf_add(sb, s + i, n);
		}
		i += n;
	}
}

void out_sanitize(struct strbuf *sb, const char *s, size_t len, int keep_newlines)
{
	sanitize(sb, s, len, keep_newlines ? SAN_KEEP_NL : SAN_LINE);
}

/* ------------------------------------------------------------------ */
/* The grid                                                            */

struct out_table {
	size_t ncols;
	size_t nrows;
	size_t alloc;   /* entries allocated in cells */
	char **headers; /* ncols copies */
	char **cells;   /* nrows * ncols copies, row by row */
};

static char **copy_row(char **dst, size_t ncols, const char *const *src)
{
	size_t i;

	for (i = 0; i < ncols; i++)
		dst[i] = xstrdup(src && src[i] ? src[i] : "");
	return dst;
}

struct out_table *out_table_new(size_t ncols, const char *const *headers)
{
	struct out_table *t = xcalloc(1, sizeof(*t));

	t->ncols = ncols;
	t->headers = copy_row(xcalloc(ncols ? ncols : 1, sizeof(char *)), ncols, headers);
	return t;
}

void out_table_add(struct out_table *t, const char *const *cells)
{
	/* + 1: cells is allocated even for a table without columns */
	XGROW(t->cells, t->alloc, (t->nrows + 1) * t->ncols + 1);
	copy_row(t->cells + t->nrows * t->ncols, t->ncols, cells);
	t->nrows++;
}

size_t out_table_rows(const struct out_table *t)
{
	return t->nrows;
}

void out_table_free(struct out_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->ncols; i++)
		free(t->headers[i]);
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->headers);
	free(t->cells);
	free(t);
}

/* Cell c of row r, where row 0 is the header. */
static const char *cell(const struct out_table *t, size_t r, size_t c)
{
	return r ? t->cells[(r - 1) * t->ncols + c] : t->headers[c];
}

/* ------------------------------------------------------------------ */
/* Table format                                                        */

/* A cell made ready for display, with its width computed once. */
struct shown_cell {
	char *s;
	size_t len;
	size_t width;
};

/* Sum of the column widths when no column is wider than cap (columns
 * narrower than cap keep their own width). */
static size_t capped_sum(const size_t *w, size_t ncols, size_t cap)
{
	size_t i, sum = 0;

	for (i = 0; i < ncols; i++)
		sum += w[i] < cap ? w[i] : cap;
	return sum;
}

/*
 * Shrinks the column widths w so that the line fits term_width: the widest
 * columns give up columns first, i.e. every column is capped at the largest
 * width C that fits, and the columns left over after capping are handed back
 * one each to the capped columns, left to right. No column goes below
 * MIN_COL_WIDTH; if even that does not fit, the line overflows.
 */
static void fit_widths(size_t *w, size_t ncols, size_t term_width)
{
	size_t seps = ncols ? 2 * (ncols - 1) : 0, maxw = 0, avail, lo, hi, i, left;

	for (i = 0; i < ncols; i++)
		maxw = w[i] > maxw ? w[i] : maxw;
	if (!term_width || capped_sum(w, ncols, maxw) + seps <= term_width)
		return;
	avail = term_width > seps ? term_width - seps : 0;
	lo = MIN_COL_WIDTH;
	hi = maxw;
	if (capped_sum(w, ncols, lo) > avail) {
		hi = lo;
	} else {
		/* largest cap in [lo, hi] whose sum fits: invariant sum(lo) fits */
		while (lo < hi) {
			size_t mid = lo + (hi - lo + 1) / 2;

			if (capped_sum(w, ncols, mid) <= avail)
				lo = mid;
			else
				hi = mid - 1;
		}
	}
	left = capped_sum(w, ncols, lo);
	left = avail > left ? avail - left : 0;
	for (i = 0; i < ncols; i++) {
		if (w[i] <= lo)
			continue;
		w[i] = lo + (left > 0);
		if (left)
			left--;
	}
}

/* Appends c to line in a column of width colw: truncated with "…" when
 * wider, padded with spaces unless it is the last column. */
static void add_cell(struct strbuf *line, const struct shown_cell *c, size_t colw, int last)
{
	size_t w = c->width;

	if (w <= colw) {
		strbuf_add(line, c->s, c->len);
	} else if (colw > 0) {
		strbuf_add(line, c->s, utf8_prefix_for_width(c->s, c->len, colw - 1, &w));
		strbuf_addstr(line, ELLIPSIS);
		w++;
	} else {
		w = 0;
	}
	while (!last && w++ < colw)
		strbuf_addch(line, ' ');
	if (!last)
		strbuf_addstr(line, "  ");
}

/* Writes line without its trailing spaces (empty last columns would leave
 * some), then a newline; empties line. */
static void put_line(struct strbuf *line, FILE *fp)
{
	size_t n = line->len;

	while (n > 0 && line->buf[n - 1] == ' ')
		n--;
	fwrite(line->buf, 1, n, fp);
	fputc('\n', fp);
	strbuf_reset(line);
}

static void write_rule(struct strbuf *line, const size_t *colw, size_t ncols, FILE *fp)
{
	size_t c, i;

	for (c = 0; c < ncols; c++) {
		for (i = 0; i < colw[c]; i++)
			strbuf_addstr(line, RULE);
		if (c + 1 < ncols)
			strbuf_addstr(line, "  ");
	}
	put_line(line, fp);
}

static void write_table(const struct out_table *t, FILE *fp, size_t term_width, size_t max_rows)
{
	size_t shown = max_rows && t->nrows > max_rows ? max_rows : t->nrows;
	size_t nc = t->ncols, ncells = (shown + 1) * nc, r, c;
	struct shown_cell *sc = xcalloc(ncells ? ncells : 1, sizeof(*sc));
	size_t *colw = xcalloc(nc ? nc : 1, sizeof(*colw));
	struct strbuf line = STRBUF_INIT;

	for (r = 0; r <= shown; r++) {
		for (c = 0; c < nc; c++) {
			struct shown_cell *x = &sc[r * nc + c];
			const char *s = cell(t, r, c);

			sanitize(&line, s, strlen(s), SAN_LINE);
			x->s = strbuf_detach(&line, &x->len);
			x->width = utf8_width(x->s, x->len);
			if (x->width > colw[c])
				colw[c] = x->width;
		}
	}
	fit_widths(colw, nc, term_width);
	for (r = 0; r <= shown; r++) {
		for (c = 0; c < nc; c++)
			add_cell(&line, &sc[r * nc + c], colw[c], c + 1 == nc);
		put_line(&line, fp);
		if (r == 0)
			write_rule(&line, colw, nc, fp);
	}
	if (shown < t->nrows) {
		size_t more = t->nrows - shown;

		fprintf(fp, ngettext("… %zu more row", "… %zu more rows", more), more);
		fputc('\n', fp);
	}
	for (r = 0; r < ncells; r++)
		free(sc[r].s);
	free(sc);
	free(colw);
	strbuf_release(&line);
}

/* ------------------------------------------------------------------ */
/* TSV and CSV                                                         */

static bool raw_cells;

void out_set_raw_cells(bool raw)
{
	raw_cells = raw;
}

/* A decimal number as a spreadsheet reads it ("-0.5", "+33475000000",
 * "1e-3"): it starts with a sign but cannot be a formula. */
static bool is_number(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (!digits)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t e = ++i;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			e = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == e)
			return false;
	}
	return i == len;
}

/*
 * The spreadsheet formula guard (OWASP, "CSV injection"): a cell that
 * starts with =, +, -, @, tab or CR is read as a formula by spreadsheets
 * (=HYPERLINK(...), =cmd|' /C calc'!A0), so it gets a leading ' which
 * they show as text. Numbers ("-0.5" longitudes) are left alone; so is
 * everything when raw cells were asked for (out_set_raw_cells()).
 */
static bool needs_guard(const char *s, size_t len)
{
	if (raw_cells || !len || !strchr("=+-@\t\r", s[0]))
		return false;
	return !is_number(s, len);
}

/* RFC 4180 asks for quotes around , " CR LF; leading or trailing blanks
 * are quoted too since many readers trim them otherwise. */
static int csv_needs_quotes(const char *s, size_t len)
{
	if (len && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t'))
		return 1;
	return strcspn(s, ",\"\r\n") < len;
}

static void add_csv_field(struct strbuf *out, const char *s, size_t len)
{
	size_t i;
	bool guard = needs_guard(s, len);

	if (!csv_needs_quotes(s, len)) {
		if (guard)
			strbuf_addch(out, '\'');
		strbuf_add(out, s, len);
		return;
	}
	strbuf_addch(out, '"');
	if (guard)
		strbuf_addch(out, '\'');
	for (i = 0; i < len; i++) {
		if (s[i] == '"')
			strbuf_addch(out, '"');
		strbuf_addch(out, s[i]);
	}
	strbuf_addch(out, '"');
}

void out_csv_cell(struct strbuf *sb, const char *s, size_t len)
{
	struct strbuf field = STRBUF_INIT;

	sanitize(&field, s, len, SAN_CSV);
	add_csv_field(sb, field.buf, field.len);
	strbuf_release(&field);
}

void out_tsv_cell(struct strbuf *sb, const char *s, size_t len)
{
	if (needs_guard(s, len))
		strbuf_addch(sb, '\'');
	sanitize(sb, s, len, SAN_TSV);
}

static void write_delimited(const struct out_table *t, enum out_format f, FILE *fp)
{
	struct strbuf line = STRBUF_INIT;
	size_t r, c;

	for (r = 0; r <= t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = cell(t, r, c);

			if (c)
				strbuf_addch(&line, f == OUT_CSV ? ',' : '\t');
			if (f == OUT_TSV)
				out_tsv_cell(&line, s, strlen(s));
			else
				out_csv_cell(&line, s, strlen(s));
		}
		strbuf_addstr(&line, f == OUT_CSV ? "\r\n" : "\n");
		fwrite(line.buf, 1, line.len, fp);
		strbuf_reset(&line);
	}
	strbuf_release(&line);
}

int out_table_write(const struct out_table *t, enum out_format f, FILE *fp,
		    size_t term_width, size_t max_rows)
{
	if (f == OUT_TABLE)
		write_table(t, fp, term_width, max_rows);
	else if (f == OUT_TSV || f == OUT_CSV)
		write_delimited(t, f, fp);
	else
		return qfq_error(_("table output: format json is written with json.h"));
	if (fflush(fp) == EOF || ferror(fp))
		return qfq_error(_("write error: %s"), strerror(errno ? errno : EIO));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Terminal size                                                       */

/* A positive number in the environment variable name, else 0. */
static size_t env_size(const char *name)
{
	const char *v = getenv(name);
	char *end;
	unsigned long n;

	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n == 0 || v[0] == '-' || n > 100000)
		return 0;
	return n;
}

/* COLUMNS and LINES win even when fp is not a terminal: they are how a
 * user (or a test) asks for a given size. */
static size_t term_size(FILE *fp, const char *env, int want_cols)
{
	struct winsize ws;
	size_t n = env_size(env);
	int fd = fileno(fp);

	if (n)
		return n;
	if (fd < 0 || !isatty(fd) || ioctl(fd, TIOCGWINSZ, &ws) < 0)
		return 0;
	return want_cols ? ws.ws_col : ws.ws_row;
}

size_t out_term_width(FILE *fp)
{
	return term_size(fp, "COLUMNS", 1);
}

size_t out_term_height(FILE *fp)
{
	return term_size(fp, "LINES", 0);
}
