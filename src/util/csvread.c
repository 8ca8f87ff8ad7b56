/*
 * csvread: reads the CSV files people really send (Excel exports in
 * Windows-1252 with `;`, UTF-8 with a BOM and tabs, open-data dumps) on top
 * of libcsv. csvread.h is the contract.
 *
 * How: two passes over the input, in chunks of 256 KiB, so that memory
 * stays bounded whatever the file's size (a window of about 1 MiB, plus
 * the record being read).
 * - csv_open*() makes the first pass: the size, the BOM, the evidence for
 *   the encoding over the whole file (valid UTF-8 sequences against bad
 *   bytes), and a NUL byte refused as soon as it is read, so that a stream
 *   of zeros costs one chunk. A pipe (or standard input that is not a
 *   file) is copied to an unlinked temporary file on the way, for the
 *   second pass. A regular file whose size or mtime changes before the
 *   end of either pass is refused (the error of the second pass comes
 *   from csv_next(), once rows may have been handed out: importers run in
 *   one transaction, so they roll back).
 * - The second pass converts each chunk to UTF-8 (8-bit charsets through a
 *   table, UTF-16 through iconv) into the window, and csv_next() feeds
 *   libcsv one physical line at a time, in pieces of at most 64 KiB: that
 *   is how each record gets its line number (libcsv reports no positions),
 *   and how an oversized field or record is stopped after one piece.
 *   Between pieces it reads three fields of the public struct csv_parser:
 *   entry_pos (length of the field in progress), spaces and quoted
 *   (whether a quoted field is still open).
 * - UTF-16 text is only converted in the second pass, so a bad UTF-16
 *   sequence or a NUL character in it is an error of csv_next().
 *
 * Positions in messages: "line L" is the 1-based physical line (LF, CRLF or
 * a lone CR ends a line, inside quotes too). Field-level problems give
 * "field F", the 1-based field number in the record; byte-level problems
 * (encoding, NUL, control bytes) give "column C", the 1-based character
 * column in the line.
 *
 * Choices worth knowing:
 * - delimiter ties go `;` > `,` > tab (French Excel writes `;`); a first
 *   record without any of them is a tie, so a one-column file reads with
 *   `;`. An Excel "sep=X" first line sets the delimiter and is skipped;
 * - libcsv strips leading and trailing spaces and tabs of unquoted fields;
 * - CRLF and lone CR inside quoted fields become LF;
 * - libcsv runs in strict mode: a quote inside an unquoted field or text
 *   after a closing quote is an error, not a guess;
 * - 0x81 0x8D 0x8F 0x90 0x9D, undefined in Windows-1252, are read as
 *   Latin-1 (U+0081...) rather than failing the file; 8-bit charsets are
 *   converted through a 128-entry table that iconv fills;
 * - UTF-16 with a BOM (Excel's "Unicode text") is converted as well;
 * - past max_fields, empty fields are tolerated (they would be trimmed
 *   anyway: Excel pads ragged rows); only a non-empty one is an error;
 * - a final Ctrl-Z (old DOS end-of-file mark) is dropped.
 */
#include "util/csvread.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INPUT ((size_t)512 << 20)
#define DEFAULT_MAX_FIELD ((size_t)1 << 20)
#define DEFAULT_MAX_FIELDS 1000
#define PIECE ((size_t)64 << 10)  /* most bytes handed to libcsv per call */
#define SNIFF ((size_t)4 << 10)   /* bytes examined for binary content */
#define SNIFF_DELIM ((size_t)1 << 20) /* longest first record scanned */
#define CHUNK ((size_t)256 << 10) /* bytes read from the input at a time (default) */
#define WINDOW_START (SNIFF_DELIM + PIECE) /* text held to choose the delimiter */

enum limit { LIMIT_OK, LIMIT_FIELDS, LIMIT_LENGTH };

struct byte_map;

struct csv_reader {
	char *name;               /* file name, for messages */
	const char *encoding;     /* what csv_encoding() reports */
	char delim;
	size_t max_field;         /* bytes */
	size_t max_fields;

	/* The input: a file (read with pread from base), a spool file holding
	 * what a pipe gave, or memory. */
	int fd;                   /* -1: memory */
	int own_fd;               /* csv_close() closes fd */
	const char *mem;
	size_t mem_len;
	off_t base;               /* offset of the input's first byte in fd */
	int regular;              /* a regular file: checked for changes */
	struct stat st;           /* ... against its size and mtime at opening */
	size_t size;              /* bytes in the input (first pass) */
	size_t src_off;           /* next input byte of the second pass */
	size_t chunk;             /* bytes read at a time */
	int may_utf16;            /* no encoding forced: a UTF-16 BOM is believed */
	int src_eof;              /* the second pass read it all */
	struct byte_map *map;     /* 8-bit charset, or NULL */
	iconv_t cd;               /* UTF-16, or (iconv_t)-1 */
	struct strbuf raw;        /* input bytes waiting for conversion */

	struct strbuf text;       /* window on the input in UTF-8, no NUL inside */
	size_t pos;               /* next byte of text for the parser */
	unsigned long line;       /* line of text[pos] */
	struct csv_parser parser;
	int parser_live;          /* csv_init() done: csv_free() needed */
	int eof;                  /* csv_fini() done */
	int failed;               /* csv_next() failed once: it keeps failing */
	struct strbuf errmsg;     /* ... with this message */

	/* The record being assembled; buffers are reused from record to record. */
	struct strbuf fbuf;       /* field bytes, each followed by a NUL */
	size_t *lens;             /* length of each field in fbuf */
	size_t lens_alloc;
	char **fields;            /* pointers into fbuf, built once complete */
	size_t fields_alloc;
	size_t nfields;
	int in_record;            /* a record (open quote) goes on to this line */
	int ready;                /* libcsv ended the record */
	enum limit limit;         /* limit broken inside a callback */
	size_t bad_field;         /* 1-based field that broke it */
	unsigned long rec_line;   /* line where the record starts */
	unsigned long field_line; /* line where the current field starts */
};

/* ---------------------------------------------------------------- text */

/* Where a byte is, as a user sees it in an editor: 1-based line and
 * character column. LF, CRLF and a lone CR end a line. Fed piece by piece,
 * so that a position deep in a file is found by streaming over it. */
struct where {
	unsigned long line, col;
	int cr;                   /* the last byte was a CR: a line end unless LF follows */
};

#define WHERE_START { 1, 1, 0 }

static void walk(struct where *w, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (w->cr) {
			w->cr = 0;
			if (c != '\n')
				w->line++, w->col = 1;
		}
		if (c == '\n')
			w->line++, w->col = 1;
		else if (c == '\r')
			w->cr = 1;
		else if (((unsigned char)c & 0xC0) != 0x80)
			w->col++;
	}
}

/* The position reached: a pending CR has ended its line. */
static void where_end(struct where *w, unsigned long *line, unsigned long *col)
{
	if (w->cr)
		w->line++, w->col = 1, w->cr = 0;
	*line = w->line;
	*col = w->col;
}

/* Line and column of byte off of s (only called on errors). */
static void locate(const char *s, size_t off, unsigned long *line, unsigned long *col)
{
	struct where w = WHERE_START;

	walk(&w, s, off);
	where_end(&w, line, col);
}

/* Reports a byte-level problem at byte off of the text window. The
 * window starts at line r->line, at a line start but after a line longer
 * than a piece (only UTF-16 conversion errors can then be a few columns
 * off). */
static int error_at(const struct csv_reader *r, size_t off, const char *problem)
{
	unsigned long line, col;

	locate(r->text.buf + r->pos, off - r->pos, &line, &col);
	return qfq_error(_("line %lu, column %lu: %s in \"%s\""), r->line + line - 1, col, problem, r->name);
}

/* Length of the run of ASCII bytes at the start of s. Tested 8 bytes at a
 * time since ASCII is the bulk of any file, and French text has an accent
 * every few words: hence the jump straight to the first non-ASCII byte. */
static inline size_t ascii_run(const unsigned char *s, size_t len)
{
	size_t i = 0;
	uint64_t w;

	while (i + 8 <= len) {
		memcpy(&w, s + i, 8);
		w &= 0x8080808080808080ULL;
		if (w) {
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			return i + (size_t)__builtin_ctzll(w) / 8;
#else
			break;
#endif
		}
		i += 8;
	}
	while (i < len && s[i] < 0x80)
		i++;
	return i;
}

/* Offset of the first byte of s that is not valid UTF-8 (len when all is).
 * Overlong forms, surrogates and values past U+10FFFF are invalid, as for
 * iconv. A sequence cut by the end of s is invalid too. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0, k, n;

	while (i < len) {
		unsigned c = s[i];
		unsigned lo = 0x80, hi = 0xBF;

		if (c < 0x80) {
			i += ascii_run(s + i, len - i);
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			if (i + 1 >= len || (s[i + 1] & 0xC0) != 0x80)
				return i;
			i += 2;
			continue;
		}
		if (c >= 0xE0 && c <= 0xEF)
			n = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3;
		else
			return i;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		else if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		if (len - i <= n || s[i + 1] < lo || s[i + 1] > hi)
			return i;
		for (k = 2; k <= n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		i += n + 1;
	}
	return len;
}

/* Counts the lead bytes of multi-byte sequences in valid UTF-8. */
static size_t utf8_leads(const unsigned char *s, size_t len)
{
	size_t i, n = 0;
	for (i = 0; i < len; i += ascii_run(s + i, len - i))
		if ((s[i++] & 0xC0) == 0xC0)
			n++;
	return n;
}

/* -------------------------------------------------------------- source */

/* Up to n bytes of the input from offset off: 0 at its end, -1 on error. */
static ssize_t src_read(const struct csv_reader *r, size_t off, char *buf, size_t n)
{
	ssize_t k;

	if (r->fd < 0) {
		if (off >= r->mem_len)
			return 0;
		k = (ssize_t)(r->mem_len - off < n ? r->mem_len - off : n);
		memcpy(buf, r->mem + off, (size_t)k);
		return k;
	}
	do
		k = pread(r->fd, buf, n, r->base + (off_t)off);
	while (k < 0 && errno == EINTR);
	return k;
}

static int too_big(const char *name)
{
	return qfq_error(_("file larger than %zu MiB: \"%s\""), MAX_INPUT >> 20, name);
}

static int read_error(const struct csv_reader *r)
{
	return qfq_error(_("cannot read \"%s\": %s"), r->name, strerror(errno));
}

/* Lines and columns of the n input offsets off[] (ascending), counted
 * from input offset from: one more pass over the input, on errors only. */
static int locate_input(const struct csv_reader *r, size_t from, const size_t *off, size_t n,
			unsigned long *line, unsigned long *col)
{
	struct where w = WHERE_START, at;
	char *buf = xmalloc(r->chunk);
	size_t pos = from, k = 0;
	ssize_t got;

	while (k < n && (got = src_read(r, pos, buf, r->chunk)) > 0) {
		size_t used = 0;

		while (k < n && off[k] < pos + (size_t)got) {
			walk(&w, buf + used, off[k] - pos - used);
			used = off[k] - pos;
			at = w;
			where_end(&at, &line[k], &col[k]);
			k++;
		}
		walk(&w, buf + used, (size_t)got - used);
		pos += (size_t)got;
	}
	free(buf);
	for (; k < n; k++)
		line[k] = col[k] = 0;
	return 0;
}

/* Error at input offset off, its position counted from offset from. */
static int input_error(const struct csv_reader *r, size_t from, size_t off, const char *problem)
{
	unsigned long line, col;

	locate_input(r, from, &off, 1, &line, &col);
	return qfq_error(_("line %lu, column %lu: %s in \"%s\""), line, col, problem, r->name);
}

/* What a first pass over the whole input found. */
struct survey {
	size_t size;              /* bytes */
	unsigned char head[4];    /* the first bytes (BOMs) */
	size_t headlen;
	size_t leads;             /* valid multi-byte UTF-8 sequences */
	size_t bad;               /* bytes that are not UTF-8 */
	size_t bad_at[10];        /* offsets of the first ones */
};

static int utf16_head(const struct survey *sv)
{
	return sv->headlen >= 2 && ((sv->head[0] == 0xFF && sv->head[1] == 0xFE) ||
				    (sv->head[0] == 0xFE && sv->head[1] == 0xFF));
}

/* UTF-8 evidence in s[0..len), input offset off. Returns how many bytes at
 * the end were kept for the next piece (a sequence that the piece cuts). */
static size_t survey_utf8(struct survey *sv, const unsigned char *s, size_t len, size_t off, int last)
{
	size_t i = 0, b;

	while (i < len) {
		b = i + utf8_invalid_at(s + i, len - i);
		sv->leads += utf8_leads(s + i, b - i);
		if (b == len)
			break;
		if (!last && len - b < 4 && s[b] >= 0xC2 && s[b] <= 0xF4)
			return len - b;
		if (sv->bad < sizeof(sv->bad_at) / sizeof(sv->bad_at[0]))
			sv->bad_at[sv->bad] = off + b;
		sv->bad++;
		i = b + 1;
	}
	return 0;
}

static int write_all(int fd, const char *s, size_t n)
{
	ssize_t k;

	while (n) {
		k = write(fd, s, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

/*
 * The first pass: size, BOM, UTF-8 evidence over the whole input, and a
 * NUL byte refused as soon as it is read (a stream of zeros costs one
 * chunk of memory). Reads from in when it is a pipe, copying each chunk to
 * the spool file r->fd for the second pass; else from the source itself.
 */
static int survey(struct csv_reader *r, struct survey *sv, int in)
{
	unsigned char *buf = xmalloc(r->chunk + 4);
	size_t carry = 0, off = 0, len, i;
	const unsigned char *nul;
	ssize_t n;
	int rc = 0;

	memset(sv, 0, sizeof(*sv));
	for (;;) {
		if (in >= 0) {
			do
				n = read(in, buf + carry, r->chunk);
			while (n < 0 && errno == EINTR);
		} else {
			n = src_read(r, off + carry, (char *)buf + carry, r->chunk);
		}
		if (n < 0) {
			rc = read_error(r);
			break;
		}
		if (n > 0 && in >= 0 && write_all(r->fd, (char *)buf + carry, (size_t)n) < 0) {
			rc = qfq_error(_("cannot keep a copy of \"%s\" to read it: %s"), r->name, strerror(errno));
			break;
		}
		for (i = 0; sv->headlen < sizeof(sv->head) && i < (size_t)n; i++)
			sv->head[sv->headlen++] = buf[carry + i];
		len = carry + (size_t)n;
		if (off + len > MAX_INPUT) {
			rc = too_big(r->name);
			break;
		}
		/* UTF-16 text has NUL bytes: its own NULs are caught once converted */
		if (!(r->may_utf16 && utf16_head(sv)) && (nul = memchr(buf + carry, '\0', (size_t)n))) {
			rc = input_error(r, 0, off + (size_t)(nul - buf), _("NUL byte (binary file?)"));
			break;
		}
		carry = r->may_utf16 && utf16_head(sv) ? 0 : survey_utf8(sv, buf, len, off, n == 0);
		memmove(buf, buf + len - carry, carry);
		off += len - carry;
		if (n == 0)
			break;
	}
	sv->size = off;
	free(buf);
	return rc;
}

/* A regular file must not change between opening and the end of either
 * pass: a file being written (a copy, a download) is refused, not half
 * read. */
static int check_unchanged(const struct csv_reader *r, size_t read)
{
	struct stat now;

	if (!r->regular)
		return 0;
	if (fstat(r->fd, &now) == 0 && now.st_size == r->st.st_size &&
	    (uintmax_t)r->base + read == (uintmax_t)r->st.st_size &&
	    now.st_mtim.tv_sec == r->st.st_mtim.tv_sec && now.st_mtim.tv_nsec == r->st.st_mtim.tv_nsec)
		return 0;
	return qfq_error(_("\"%s\" changed while it was read (%jd bytes, then %zu read): "
			   "import it once it is complete"), r->name, (intmax_t)r->st.st_size, read);
}

/* ------------------------------------------------------------ encoding */

static const struct {
	const char *alias;   /* accepted in csv_options.encoding, any case */
	const char *name;    /* reported by csv_encoding() */
	const char *charset; /* iconv source charset, NULL for UTF-8 */
} encodings[] = {
	{ "utf-8", "UTF-8", NULL },
	{ "utf8", "UTF-8", NULL },
	{ "windows-1252", "WINDOWS-1252", "WINDOWS-1252" },
	{ "cp1252", "WINDOWS-1252", "WINDOWS-1252" },
	{ "latin1", "ISO-8859-1", "ISO-8859-1" },
	{ "latin-1", "ISO-8859-1", "ISO-8859-1" },
	{ "iso-8859-1", "ISO-8859-1", "ISO-8859-1" },
	{ "iso8859-1", "ISO-8859-1", "ISO-8859-1" },
	{ "iso-8859-15", "ISO-8859-15", "ISO-8859-15" },
	{ "latin9", "ISO-8859-15", "ISO-8859-15" },
};

/* UTF-8 for each byte 0x80-0xFF of an 8-bit charset. */
struct byte_map {
	unsigned char len[128]; /* bytes used in seq */
	char seq[128][4];
};

/* Asks iconv once per high byte rather than converting the file through
 * it: glibc goes through UCS-4 for every byte, which made reading a
 * Windows-1252 file twice as slow as reading UTF-8. For these stateless
 * one-byte charsets the result is the same. A byte the charset leaves
 * undefined (0x81 0x8D 0x8F 0x90 0x9D in Windows-1252) is read as Latin-1:
 * a character is better than a refused file. */
static int build_map(struct byte_map *m, const char *cs)
{
	iconv_t cd = iconv_open("UTF-8", cs);
	char in, *ip, *op;
	size_t il, ol;
	unsigned c;

	if (cd == (iconv_t)-1)
		return qfq_error(_("cannot convert from %s: %s"), cs, strerror(errno));
	for (c = 0x80; c <= 0xFF; c++) {
		in = (char)c;
		ip = &in, il = 1;
		op = m->seq[c - 0x80], ol = sizeof(m->seq[0]);
		if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
			iconv(cd, NULL, NULL, NULL, NULL);
			m->seq[c - 0x80][0] = (char)(0xC0 | (c >> 6));
			m->seq[c - 0x80][1] = (char)(0x80 | (c & 0x3F));
			ol = sizeof(m->seq[0]) - 2;
		}
		m->len[c - 0x80] = (unsigned char)(sizeof(m->seq[0]) - ol);
	}
	iconv_close(cd);
	return 0;
}

/* Appends s[0..len), in the 8-bit charset of r->map, to the text as UTF-8. */
static void convert_8bit(struct csv_reader *r, const unsigned char *s, size_t len)
{
	const struct byte_map *m = r->map;
	size_t i, k;
	char *o;

	/* a byte becomes at most 3 (U+20AC "€" is E2 82 AC); + 1: each
	 * sequence is copied as 4 bytes */
	strbuf_grow(&r->text, 3 * len + 1);
	o = r->text.buf + r->text.len;
	for (i = 0; i < len; i++) {
		k = ascii_run(s + i, len - i);
		memcpy(o, s + i, k);
		o += k;
		i += k;
		if (i == len)
			break;
		memcpy(o, m->seq[s[i] - 0x80], 4);
		o += m->len[s[i] - 0x80];
	}
	strbuf_setlen(&r->text, (size_t)(o - r->text.buf));
}

/* Appends the UTF-16 in r->raw to the text as UTF-8, keeping in r->raw
 * the bytes of a character that the chunk cut. */
static int convert_utf16(struct csv_reader *r)
{
	char *in = r->raw.buf, *o;
	size_t inleft = r->raw.len, oleft, start = r->text.len;
	const char *nul;
	int bad = 0;

	strbuf_grow(&r->text, inleft + inleft / 2 + 16);
	while (inleft) {
		o = r->text.buf + r->text.len;
		oleft = r->text.alloc - r->text.len - 1;
		if (iconv(r->cd, &in, &inleft, &o, &oleft) != (size_t)-1) {
			strbuf_setlen(&r->text, (size_t)(o - r->text.buf));
			break;
		}
		strbuf_setlen(&r->text, (size_t)(o - r->text.buf));
		if (errno == EINVAL)
			break; /* the rest comes with the next chunk */
		if (errno != E2BIG) {
			bad = 1;
			break;
		}
		strbuf_grow(&r->text, inleft + 16);
	}
	memmove(r->raw.buf, in, inleft);
	strbuf_setlen(&r->raw, inleft);
	/* the first problem in the text, whatever the chunks */
	if ((nul = memchr(r->text.buf + start, '\0', r->text.len - start)))
		return error_at(r, (size_t)(nul - r->text.buf), _("NUL byte (binary file?)"));
	return bad ? error_at(r, r->text.len, _("invalid UTF-16")) : 0;
}

/*
 * A file whose non-ASCII text is UTF-8 but for a few bytes is UTF-8
 * damaged, not Windows-1252 (which would turn every "é" into "Ã©"):
 * refused with the position of each bad byte (the first ten). 0 when its
 * valid UTF-8 sequences are fewer than its bad bytes: then it is
 * Windows-1252 (or binary).
 */
static int refuse_mixed(const struct csv_reader *r, const struct survey *sv)
{
	const size_t nat = sizeof(sv->bad_at) / sizeof(sv->bad_at[0]);
	size_t n = sv->bad < nat ? sv->bad : nat, i;
	unsigned long line[sizeof(sv->bad_at) / sizeof(sv->bad_at[0])], col[sizeof(line) / sizeof(line[0])];
	struct strbuf where = STRBUF_INIT;
	unsigned char byte;
	int rc;

	if (sv->leads < sv->bad)
		return 0;
	locate_input(r, 0, sv->bad_at, n, line, col);
	for (i = 0; i < n; i++) {
		if (src_read(r, sv->bad_at[i], (char *)&byte, 1) != 1)
			byte = 0;
		strbuf_addf(&where, _("%sline %lu, column %lu (0x%02X)"), where.len ? "; " : "", line[i], col[i], byte);
	}
	rc = qfq_error(_("\"%s\" is UTF-8 except at %s%s (%zu in all): fix these bytes, or read the whole "
			 "file as another encoding with --encoding WINDOWS-1252"), r->name, where.buf,
		       sv->bad > nat ? "..." : "", sv->bad);
	strbuf_release(&where);
	return rc;
}

/* Picks the encoding (forced, from a BOM, or UTF-8 when valid, else
 * Windows-1252 when no valid UTF-8 sequence says otherwise) from the
 * survey, and prepares its conversion for the second pass. */
static int decide_encoding(struct csv_reader *r, const struct survey *sv, const char *forced)
{
	const unsigned char *s = sv->head;
	const char *cs = NULL;
	int bom = sv->headlen >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3), declared = bom;
	size_t i;
	unsigned char byte;
	char msg[128];

	if (forced && (!*forced || !strcasecmp(forced, "auto")))
		forced = NULL;
	if (forced) {
		for (i = 0; i < sizeof(encodings) / sizeof(encodings[0]); i++)
			if (!strcasecmp(forced, encodings[i].alias))
				break;
		if (i == sizeof(encodings) / sizeof(encodings[0]))
			return qfq_error(_("unknown encoding \"%s\" (use UTF-8, WINDOWS-1252 or LATIN1)"), forced);
		r->encoding = encodings[i].name;
		cs = encodings[i].charset;
		declared = 1;
		bom = bom && !cs;
	} else if (utf16_head(sv)) {
		/* iconv's "UTF-16" reads the BOM for the byte order and drops it */
		r->encoding = s[0] == 0xFF ? "UTF-16LE (BOM)" : "UTF-16BE (BOM)";
		cs = "UTF-16";
	} else if (bom || !sv->bad) {
		r->encoding = "UTF-8";
	} else if (refuse_mixed(r, sv)) {
		return -1;
	} else {
		r->encoding = cs = "WINDOWS-1252";
	}
	if (cs && !strcmp(cs, "UTF-16")) {
		r->cd = iconv_open("UTF-8", cs);
		if (r->cd == (iconv_t)-1)
			return qfq_error(_("cannot convert from UTF-16: %s"), strerror(errno));
		return 0;
	}
	if (cs) {
		r->map = xmalloc(sizeof(*r->map));
		return build_map(r->map, cs);
	}
	if (bom)
		r->encoding = "UTF-8 (BOM)";
	r->src_off = bom ? 3 : 0;
	if (!declared || !sv->bad)
		return 0;
	if (src_read(r, sv->bad_at[0], (char *)&byte, 1) != 1)
		byte = 0;
	snprintf(msg, sizeof(msg), _("invalid UTF-8 byte 0x%02X"), byte);
	return input_error(r, r->src_off, sv->bad_at[0], msg);
}

/* ------------------------------------------------------------ the window */

/* The end of the input in the second pass: all of it read again, the file
 * unchanged, no UTF-16 character cut, and a final Ctrl-Z (an old DOS
 * end-of-file mark) dropped. */
static int at_end(struct csv_reader *r)
{
	r->src_eof = 1;
	if (r->src_off != r->size)
		return qfq_error(_("\"%s\" changed while it was read (%jd bytes, then %zu read): "
				   "import it once it is complete"), r->name, (intmax_t)r->size, r->src_off);
	if (check_unchanged(r, r->size) < 0)
		return -1;
	if (r->raw.len)
		return error_at(r, r->text.len, _("truncated UTF-16 (odd number of bytes)"));
	if (r->text.len > r->pos && r->text.buf[r->text.len - 1] == 0x1A)
		strbuf_setlen(&r->text, r->text.len - 1);
	return 0;
}

/* Moves what is left of the window to its start and appends the next
 * chunk of the input, converted to UTF-8. */
static int fill(struct csv_reader *r)
{
	size_t keep = r->text.len - r->pos;
	ssize_t n;

	/* only once as much was parsed as is left: each byte moves about once */
	if (r->pos && r->pos >= keep) {
		memmove(r->text.buf, r->text.buf + r->pos, keep);
		strbuf_setlen(&r->text, keep);
		r->pos = 0;
	}
	if (!r->map && r->cd == (iconv_t)-1) {
		strbuf_grow(&r->text, r->chunk);
		n = src_read(r, r->src_off, r->text.buf + r->text.len, r->chunk);
		if (n > 0)
			strbuf_setlen(&r->text, r->text.len + (size_t)n);
	} else {
		strbuf_grow(&r->raw, r->chunk);
		n = src_read(r, r->src_off, r->raw.buf + r->raw.len, r->chunk);
		if (n > 0)
			strbuf_setlen(&r->raw, r->raw.len + (size_t)n);
	}
	if (n < 0)
		return read_error(r);
	if (n == 0)
		return at_end(r);
	r->src_off += (size_t)n;
	if (r->cd != (iconv_t)-1)
		return convert_utf16(r);
	if (r->map) {
		convert_8bit(r, (const unsigned char *)r->raw.buf, r->raw.len);
		strbuf_reset(&r->raw);
	}
	return 0;
}

/* Fills the window until it holds more than want bytes or the input ends. */
static int fill_to(struct csv_reader *r, size_t want)
{
	while (!r->src_eof && r->text.len - r->pos <= want)
		if (fill(r) < 0)
			return -1;
	return 0;
}

/* Refuses a first 4 KiB full of control bytes: a spreadsheet or an
 * archive given instead of a CSV. */
static int check_binary(struct csv_reader *r)
{
	const char *s = r->text.buf + r->pos;
	size_t len = r->text.len - r->pos, n = len < SNIFF ? len : SNIFF, i, ctl = 0, first = 0;
	char msg[128];

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v')
			if (!ctl++)
				first = i;
	}
	if (ctl < 4 || ctl * 20 <= n)
		return 0;
	snprintf(msg, sizeof(msg), _("control byte 0x%02X (binary file?)"), (unsigned char)s[first]);
	return error_at(r, r->pos + first, msg);
}

/* ----------------------------------------------------------- delimiter */

static int usable_delim(char c)
{
	return c > ' ' ? c != '"' && c < 0x7F : c == '\t';
}

/* Excel understands a first line "sep=;" as the delimiter to use; honour
 * it and skip the line. Returns the delimiter, or 0 without such a line. */
static char skip_sep_line(struct csv_reader *r)
{
	const char *s = r->text.buf + r->pos;
	size_t q = s[0] == '"', i = q + 5;
	char c;

	if (strncasecmp(s + q, "sep=", 4) || !usable_delim(c = s[q + 4]))
		return 0;
	if (q && s[i++] != '"')
		return 0;
	if (s[i] == '\r' && s[i + 1] == '\n')
		i += 2;
	else if (s[i] == '\r' || s[i] == '\n')
		i++;
	else if (s[i] != '\0')
		return 0;
	if (s[i - 1] == '\n' || s[i - 1] == '\r')
		r->line++;
	r->pos += i;
	return c;
}

/* Counts `,` `;` and tabs in the first record outside quotes (after any
 * blank lines); the most frequent wins, ties going `;` > `,` > tab. */
static char sniff_delim(const struct csv_reader *r)
{
	const char *s = r->text.buf + r->pos, *end;
	size_t semi = 0, comma = 0, tab = 0, k;
	int quoted = 0;

	while ((k = strspn(s, " ")), s[k] == '\r' || s[k] == '\n')
		s += k + 1;
	end = r->text.buf + r->text.len;
	if ((size_t)(end - s) > SNIFF_DELIM)
		end = s + SNIFF_DELIM;
	for (; s < end; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (*s == '\r' || *s == '\n')
			break;
		else if (*s == ';')
			semi++;
		else if (*s == ',')
			comma++;
		else if (*s == '\t')
			tab++;
	}
	if (semi >= comma && semi >= tab)
		return ';';
	return comma >= tab ? ',' : '\t';
}

static int choose_delim(struct csv_reader *r, char forced)
{
	char sep = skip_sep_line(r);

	if (forced && !usable_delim(forced))
		return qfq_error(_("unusable delimiter 0x%02X for \"%s\""), (unsigned char)forced, r->name);
	r->delim = forced ? forced : sep ? sep : sniff_delim(r);
	return 0;
}

/* ------------------------------------------------------------- parsing */

/* Appends field s and a NUL to sb; returns the field's length. Quoted
 * CRLF and lone CR become LF, as everywhere else in qfq. The result is
 * never longer than s, so one grow and direct copies are enough: this
 * runs for every field. */
static size_t add_field(struct strbuf *sb, const char *s, size_t len)
{
	size_t start = sb->len, k;
	const char *cr;
	char *o;

	strbuf_grow(sb, len + 1);
	o = sb->buf + start;
	while (len && (cr = memchr(s, '\r', len))) {
		k = (size_t)(cr - s);
		memcpy(o, s, k);
		o += k;
		*o++ = '\n';
		k += 1 + (k + 1 < len && cr[1] == '\n');
		s += k;
		len -= k;
	}
	if (len)
		memcpy(o, s, len);
	o += len;
	*o = '\0';
	strbuf_setlen(sb, (size_t)(o - sb->buf) + 1);
	return (size_t)(o - sb->buf) - start;
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct csv_reader *r = ctx;

	if (r->limit)
		return;
	if (r->nfields >= r->max_fields) {
		if (len)
			r->limit = LIMIT_FIELDS;
		return;
	}
	if (len > r->max_field) {
		r->limit = LIMIT_LENGTH;
		r->bad_field = r->nfields + 1;
		return;
	}
	if (r->nfields == r->lens_alloc)
		XGROW(r->lens, r->lens_alloc, r->nfields + 1);
	r->lens[r->nfields++] = add_field(&r->fbuf, data, len);
	/* the next field starts after a delimiter, which is on this line */
	r->field_line = r->line;
}

static void on_record(int c, void *ctx)
{
	struct csv_reader *r = ctx;

	(void)c;
	r->ready = 1;
}

static void size_text(size_t n, char *buf, size_t size)
{
	if (n >= ((size_t)1 << 20) && !(n & (((size_t)1 << 20) - 1)))
		snprintf(buf, size, _("%zu MiB"), n >> 20);
	else if (n >= 1024 && !(n & 1023))
		snprintf(buf, size, _("%zu KiB"), n >> 10);
	else
		snprintf(buf, size, _("%zu bytes"), n);
}

static int limit_error(struct csv_reader *r)
{
	char size[32];
	int open_quote = r->parser.quoted && r->line > r->field_line;

	if (r->limit == LIMIT_FIELDS)
		return qfq_error(_("line %lu: more than %zu fields in \"%s\""),
				 r->rec_line, r->max_fields, r->name);
	size_text(r->max_field, size, sizeof(size));
	return qfq_error(_("line %lu, field %zu: field longer than %s%s in \"%s\""),
			 r->field_line, r->bad_field, size,
			 open_quote ? _(" (unterminated quote?)") : "", r->name);
}

/* libcsv stopped at byte c of the current line (strict mode). */
static int parse_error(struct csv_reader *r, char c)
{
	const char *what;
	int err = csv_error(&r->parser);

	if (err != CSV_EPARSE)
		return qfq_error(_("line %lu: %s in \"%s\""), r->line, csv_strerror(err), r->name);
	if (c == '"' && !r->parser.quoted)
		what = _("quote inside an unquoted field (quote the whole field)");
	else
		what = _("text after a closing quote");
	return qfq_error(_("line %lu, field %zu: %s in \"%s\""), r->line, r->nfields + 1, what, r->name);
}

/* Gives libcsv the next physical line, in pieces of at most PIECE bytes so
 * that an oversized field or record is caught early, refilling the window
 * as it goes (a line may be longer than the window). A line holds at most
 * one record end: record ends are line ends outside quotes. */
static int feed_line(struct csv_reader *r)
{
	struct csv_parser *p = &r->parser;
	size_t n, avail, piece, used;
	const char *s;
	int ended = 0;

	if (!r->in_record)
		r->rec_line = r->field_line = r->line;
	while (!ended) {
		/* more than a piece ahead, so that a CR's LF is always seen */
		if (fill_to(r, PIECE) < 0)
			return -1;
		s = r->text.buf + r->pos;
		avail = r->text.len - r->pos;
		if (!avail)
			break;
		/* the window has no NUL but its end (survey, convert_utf16) */
		n = strcspn(s, "\r\n");
		if (n < PIECE && n < avail) {
			piece = n + (s[n] == '\r' && s[n + 1] == '\n' ? 2 : 1);
			ended = 1;
		} else {
			piece = avail < PIECE ? avail : PIECE;
		}
		used = csv_parse(p, s, piece, on_field, on_record, r);
		if (r->limit)
			return limit_error(r);
		if (used < piece)
			return parse_error(r, s[used]);
		/* entry_pos counts trailing spaces and maybe a closing quote */
		if (p->entry_pos > r->max_field + p->spaces + 1) {
			r->limit = LIMIT_LENGTH;
			r->bad_field = r->nfields + 1;
			return limit_error(r);
		}
		r->pos += piece;
	}
	r->line += ended;
	/* no record end on this line: blank, or inside a quoted field */
	r->in_record = !r->ready && (r->nfields > 0 || p->quoted);
	return 0;
}

static int finish(struct csv_reader *r)
{
	r->eof = 1;
	if (csv_fini(&r->parser, on_field, on_record, r) != 0)
		return qfq_error(_("line %lu, field %zu: unterminated quote in \"%s\""),
				 r->field_line, r->nfields + 1, r->name);
	return r->limit ? limit_error(r) : 0;
}

/* Hands the completed record out, minus its trailing empty fields.
 * Returns 0 when nothing is left (blank line, only delimiters). */
static int take_record(struct csv_reader *r, struct csv_row *row)
{
	size_t n = r->nfields, i, off = 0;

	r->ready = r->in_record = 0;
	r->nfields = 0;
	while (n > 0 && r->lens[n - 1] == 0)
		n--;
	if (n == 0) {
		strbuf_reset(&r->fbuf);
		return 0;
	}
	XGROW(r->fields, r->fields_alloc, n);
	for (i = 0; i < n; i++) {
		r->fields[i] = r->fbuf.buf + off;
		off += r->lens[i] + 1;
	}
	row->n = n;
	row->fields = r->fields;
	row->lens = r->lens;
	row->line = r->rec_line;
	return 1;
}

int csv_next(struct csv_reader *r, struct csv_row *row)
{
	int rc;

	if (r->failed)
		return qfq_error("%s", r->errmsg.buf);
	strbuf_reset(&r->fbuf);
	while (!r->eof) {
		rc = fill_to(r, 0);
		if (rc == 0)
			rc = r->pos < r->text.len ? feed_line(r) : finish(r);
		if (rc < 0) {
			r->failed = 1;
			strbuf_addstr(&r->errmsg, qfq_error_msg());
			return -1;
		}
		if (r->ready && take_record(r, row))
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------- opening */

static int start_parser(struct csv_reader *r)
{
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return qfq_error(_("cannot start the CSV parser for \"%s\""), r->name);
	r->parser_live = 1;
	csv_set_delim(&r->parser, (unsigned char)r->delim);
	/* out of memory is fatal in qfq; libcsv grows linearly, so by 64 KiB */
	csv_set_realloc_func(&r->parser, xrealloc);
	csv_set_free_func(&r->parser, free);
	csv_set_blk_size(&r->parser, PIECE);
	return 0;
}

static struct csv_reader *new_reader(const char *name, const struct csv_options *opt)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	r->name = xstrdup(name);
	r->fd = -1;
	r->cd = (iconv_t)-1;
	strbuf_init(&r->text, 0);
	strbuf_init(&r->raw, 0);
	strbuf_init(&r->errmsg, 0);
	strbuf_init(&r->fbuf, 0);
	r->line = 1;
	r->max_field = opt && opt->max_field ? opt->max_field : DEFAULT_MAX_FIELD;
	r->max_fields = opt && opt->max_fields ? opt->max_fields : DEFAULT_MAX_FIELDS;
	r->chunk = opt && opt->chunk ? opt->chunk : CHUNK;
	return r;
}

/* The first pass (in: a pipe to copy to the spool, else -1), then the
 * start of the second: encoding, first window, binary check, delimiter. */
static int setup(struct csv_reader *r, int in, const struct csv_options *opt)
{
	const char *enc = opt ? opt->encoding : NULL;
	struct survey sv;
	size_t start, skip;

	r->may_utf16 = !enc || !*enc || !strcasecmp(enc, "auto");
	if (survey(r, &sv, in) < 0)
		return -1;
	r->size = sv.size;
	if (check_unchanged(r, sv.size) < 0 || decide_encoding(r, &sv, opt ? opt->encoding : NULL) < 0)
		return -1;
	start = r->src_off;
	if (fill_to(r, WINDOW_START) < 0 || check_binary(r) < 0 || choose_delim(r, opt ? opt->delim : 0) < 0)
		return -1;
	if (r->chunk < CHUNK) {
		/* tiny chunks (tests, fuzzing): the window starts again, small,
		 * so that small inputs go through every refill too */
		skip = r->pos;
		strbuf_reset(&r->text);
		strbuf_reset(&r->raw);
		r->pos = 0;
		r->src_off = start;
		r->src_eof = 0;
		if (r->cd != (iconv_t)-1)
			iconv(r->cd, NULL, NULL, NULL, NULL);
		if (fill_to(r, skip) < 0)
			return -1;
		r->pos = skip;
	}
	return start_parser(r);
}

/* A temporary file, already unlinked, to keep a pipe's bytes for the
 * second pass. */
static int spool_file(const char *name)
{
	const char *dir = getenv("TMPDIR");
	struct strbuf path = STRBUF_INIT;
	int fd;

	strbuf_addf(&path, "%s/qfq-csv-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkostemp(path.buf, O_CLOEXEC);
	if (fd >= 0)
		unlink(path.buf);
	else
		qfq_error(_("cannot keep a copy of \"%s\" to read it: %s"), name, strerror(errno));
	strbuf_release(&path);
	return fd;
}

int csv_open(struct csv_reader **out, const char *path, const struct csv_options *opt)
{
	int is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? _("standard input") : path;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	struct csv_reader *r;
	off_t at;
	int rc;

	*out = NULL;
	if (fd < 0)
		return qfq_error(_("cannot open \"%s\": %s"), path, strerror(errno));
	r = new_reader(name, opt);
	r->fd = fd;
	r->own_fd = !is_stdin;
	if (fstat(fd, &r->st) < 0) {
		rc = read_error(r);
	} else if (S_ISDIR(r->st.st_mode)) {
		rc = qfq_error(_("cannot read \"%s\": %s"), name, strerror(EISDIR));
	} else if (S_ISREG(r->st.st_mode) && (at = lseek(fd, 0, SEEK_CUR)) >= 0) {
		r->regular = 1;
		r->base = at;
		rc = (uintmax_t)r->st.st_size > MAX_INPUT + (uintmax_t)at ? too_big(name) : setup(r, -1, opt);
	} else if ((r->fd = spool_file(name)) < 0) {
		r->fd = fd;
		rc = -1;
	} else {
		/* a pipe: read once, kept in a temporary file for the second pass */
		r->own_fd = 1;
		rc = setup(r, fd, opt);
		if (!is_stdin)
			close(fd);
	}
	if (rc < 0) {
		csv_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

int csv_open_mem(struct csv_reader **out, const char *name, const char *data, size_t len,
		 const struct csv_options *opt)
{
	struct csv_reader *r = new_reader(name, opt);

	*out = NULL;
	r->mem = data;
	r->mem_len = len;
	if (setup(r, -1, opt) < 0) {
		csv_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

size_t csv_field_control(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;
	for (i = 0; i < len; i++) {
		if ((u[i] < 0x20 && u[i] != '\t' && u[i] != '\n' && u[i] != '\r') || u[i] == 0x7F) {
			*cp = u[i];
			return i;
		}
		/* C1 controls are U+0080-U+009F: 0xC2 0x80-0x9F in UTF-8 */
		if (u[i] == 0xC2 && i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F) {
			*cp = u[i + 1];
			return i;
		}
	}
	return len;
}

void csv_progress(const struct csv_reader *r, size_t *done, size_t *total)
{
	size_t ahead = r->text.len - r->pos; /* read but not parsed (exact for UTF-8) */

	*done = r->src_off > ahead ? r->src_off - ahead : 0;
	*total = r->size;
}

const char *csv_encoding(const struct csv_reader *r)
{
	return r->encoding;
}

char csv_delimiter(const struct csv_reader *r)
{
	return r->delim;
}

const char *csv_name(const struct csv_reader *r)
{
	return r->name;
}

void csv_close(struct csv_reader *r)
{
	if (!r)
		return;
	if (r->parser_live)
		csv_free(&r->parser);
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	if (r->own_fd)
		close(r->fd);
	free(r->map);
	strbuf_release(&r->text);
	strbuf_release(&r->raw);
	strbuf_release(&r->fbuf);
	strbuf_release(&r->errmsg);
	free(r->lens);
	free(r->fields);
	free(r->name);
	free(r);
}
