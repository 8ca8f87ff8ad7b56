/*
 * csvread: reads the CSV files people really send (Excel exports in
 * Windows-1252 with `;`, UTF-8 with a BOM and tabs, open-data dumps) on top
 * of libcsv. csvread.h is the contract.
 *
 * How: csv_open*() loads the whole input (at most 512 MiB), converts it to
 * UTF-8 once with iconv, refuses binary content and picks the delimiter.
 * csv_next() then feeds libcsv one physical line at a time, in pieces of at
 * most 64 KiB: that is how each record gets its line number (libcsv reports
 * no positions), and how an oversized field or record is stopped after one
 * piece instead of after the whole file. Between pieces it reads three
 * fields of the public struct csv_parser: entry_pos (length of the field in
 * progress), spaces and quoted (whether a quoted field is still open).
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
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INPUT ((size_t)512 << 20)
#define DEFAULT_MAX_FIELD ((size_t)1 << 20)
#define DEFAULT_MAX_FIELDS 1000
#define PIECE ((size_t)64 << 10)  /* most bytes handed to libcsv per call */
#define SNIFF ((size_t)4 << 10)   /* bytes examined for binary content */
#define SNIFF_DELIM ((size_t)1 << 20) /* longest first record scanned */

enum limit { LIMIT_OK, LIMIT_FIELDS, LIMIT_LENGTH };

struct csv_reader {
	char *name;               /* file name, for messages */
	const char *encoding;     /* what csv_encoding() reports */
	char delim;
	size_t max_field;         /* bytes */
	size_t max_fields;
	struct strbuf text;       /* the whole input in UTF-8, no NUL inside */
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

/* Maps the pages of a large buffer about to be written in one call
 * instead of one page fault each: on virtual machines a fault can cost
 * 10-20 us, which made loading a 10 MB file take longer than parsing it.
 * Only a speed-up, so failure (older kernel) is ignored. */
static void prefault(char *buf, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t b = ((uintptr_t)buf + page - 1) & ~(page - 1);
	uintptr_t e = ((uintptr_t)buf + len) & ~(page - 1);

	if (len >= ((size_t)1 << 20) && e > b)
		madvise((void *)b, e - b, MADV_POPULATE_WRITE);
#else
	(void)buf, (void)len;
#endif
}

/* Line and character column (both 1-based) of byte off of s: what a user
 * sees in an editor. Only called on errors, so a plain scan is fine. */
static void locate(const char *s, size_t off, unsigned long *line, unsigned long *col)
{
	size_t i;

	*line = *col = 1;
	for (i = 0; i < off; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && s[i + 1] != '\n')) {
			++*line;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80 && s[i] != '\r') {
			++*col;
		}
	}
}

/* Reports a byte-level problem at byte off of the text. */
static int error_at(const struct csv_reader *r, size_t off, const char *problem)
{
	unsigned long line, col;

	locate(r->text.buf + r->pos, off - r->pos, &line, &col);
	return qfq_error(_("line %lu, column %lu: %s in \"%s\""), line, col, problem, r->name);
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
 * iconv. */
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

/* Converts raw (in the 8-bit charset cs) into r->text, sized exactly. */
static int convert_8bit(struct csv_reader *r, const struct strbuf *raw, const char *cs)
{
	const unsigned char *s = (const unsigned char *)raw->buf;
	size_t len = raw->len, need = len, i, k;
	struct byte_map m;
	char *o;

	if (build_map(&m, cs) < 0)
		return -1;
	for (i = ascii_run(s, len); i < len; i += ascii_run(s + i, len - i))
		need += m.len[s[i++] - 0x80] - 1u;
	/* + 3: the last sequence is copied as 4 bytes */
	strbuf_grow(&r->text, need + 3);
	prefault(r->text.buf, need);
	o = r->text.buf + r->text.len;
	for (i = 0; i < len; i++) {
		k = ascii_run(s + i, len - i);
		memcpy(o, s + i, k);
		o += k;
		i += k;
		if (i == len)
			break;
		memcpy(o, m.seq[s[i] - 0x80], 4);
		o += m.len[s[i] - 0x80];
	}
	strbuf_setlen(&r->text, (size_t)(o - r->text.buf));
	return 0;
}

/* Converts raw UTF-16 (byte order from its BOM) into r->text. */
static int convert_utf16(struct csv_reader *r, struct strbuf *raw)
{
	iconv_t cd = iconv_open("UTF-8", "UTF-16");
	char *in = raw->buf, *o;
	size_t inleft = raw->len, oleft;
	int rc = 0;

	if (cd == (iconv_t)-1)
		return qfq_error(_("cannot convert from UTF-16: %s"), strerror(errno));
	strbuf_grow(&r->text, inleft + inleft / 2 + 16);
	while (inleft) {
		o = r->text.buf + r->text.len;
		oleft = r->text.alloc - r->text.len - 1;
		if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1) {
			strbuf_setlen(&r->text, (size_t)(o - r->text.buf));
			break;
		}
		strbuf_setlen(&r->text, (size_t)(o - r->text.buf));
		if (errno != E2BIG) {
			rc = error_at(r, r->text.len, errno == EINVAL ?
				      _("truncated UTF-16 (odd number of bytes)") : _("invalid UTF-16"));
			break;
		}
		strbuf_grow(&r->text, inleft + 16);
	}
	iconv_close(cd);
	return rc;
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

/*
 * Evidence over the whole file: a file whose non-ASCII text is UTF-8 but
 * for a few bytes is UTF-8 damaged, not Windows-1252 (which would turn every
 * "é" into "Ã©"): refused with the position of each bad byte (the first
 * ten). 0 when its valid UTF-8 sequences are fewer than its bad bytes:
 * then it is Windows-1252 (or binary).
 */
static int refuse_mixed(const struct csv_reader *r, const unsigned char *s, size_t len)
{
	struct strbuf where = STRBUF_INIT;
	size_t i = 0, b, leads = 0, bad = 0;
	unsigned long line, col;
	int rc;

	while (i < len) {
		b = i + utf8_invalid_at(s + i, len - i);
		leads += utf8_leads(s + i, b - i);
		if (b == len)
			break;
		if (bad++ < 10) {
			locate((const char *)s, b, &line, &col);
			strbuf_addf(&where, _("%sline %lu, column %lu (0x%02X)"), where.len ? "; " : "", line, col, s[b]);
		}
		i = b + 1;
	}
	if (leads < bad) {
		/* mostly not UTF-8: Windows-1252 (or binary, which check_binary() says) */
		strbuf_release(&where);
		return 0;
	}
	rc = qfq_error(_("\"%s\" is UTF-8 except at %s%s (%zu in all): fix these bytes, or read the whole "
			 "file as another encoding with --encoding WINDOWS-1252"), r->name, where.buf,
		       bad > 10 ? "..." : "", bad);
	strbuf_release(&where);
	return rc;
}

/* Picks the encoding (forced, from a BOM, or UTF-8 when valid, else
 * Windows-1252 when no valid UTF-8 sequence says otherwise) and leaves
 * the input in r->text as UTF-8. Takes raw. */
static int decode(struct csv_reader *r, struct strbuf *raw, const char *forced)
{
	const unsigned char *s = (const unsigned char *)raw->buf;
	const char *cs = NULL;
	int bom = raw->len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3), declared = bom;
	size_t i, bad;
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
	} else if (raw->len >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		/* iconv's "UTF-16" reads the BOM for the byte order and drops it */
		r->encoding = s[0] == 0xFF ? "UTF-16LE (BOM)" : "UTF-16BE (BOM)";
		cs = "UTF-16";
	} else if (bom || utf8_invalid_at(s, raw->len) == raw->len) {
		r->encoding = "UTF-8";
	} else if (refuse_mixed(r, s, raw->len)) {
		return -1;
	} else {
		r->encoding = cs = "WINDOWS-1252";
	}
	if (cs)
		return strcmp(cs, "UTF-16") ? convert_8bit(r, raw, cs) : convert_utf16(r, raw);

	if (bom)
		r->encoding = "UTF-8 (BOM)";
	strbuf_release(&r->text);
	r->text = *raw;
	strbuf_init(raw, 0);
	r->pos = bom ? 3 : 0;
	if (!declared)
		return 0;
	bad = r->pos + utf8_invalid_at(s + r->pos, r->text.len - r->pos);
	if (bad == r->text.len)
		return 0;
	snprintf(msg, sizeof(msg), _("invalid UTF-8 byte 0x%02X"), s[bad]);
	return error_at(r, bad, msg);
}

/* Refuses NUL bytes anywhere and a first 4 KiB full of control bytes:
 * either means a spreadsheet or an archive was given instead of a CSV. */
static int check_binary(struct csv_reader *r)
{
	const char *s = r->text.buf + r->pos, *nul;
	size_t len = r->text.len - r->pos, n = len < SNIFF ? len : SNIFF, i, ctl = 0, first = 0;
	char msg[128];

	if (len && s[len - 1] == 0x1A)
		strbuf_setlen(&r->text, --len + r->pos);
	nul = memchr(s, '\0', len);
	if (nul)
		return error_at(r, r->pos + (size_t)(nul - s), _("NUL byte (binary file?)"));
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
 * that an oversized field or record is caught early. A line holds at most
 * one record end: record ends are line ends outside quotes. */
static int feed_line(struct csv_reader *r)
{
	const char *s = r->text.buf + r->pos;
	size_t n = strcspn(s, "\r\n"), done, piece, used;
	struct csv_parser *p = &r->parser;
	int ended = s[n] != '\0'; /* text has no NUL but its end (check_binary) */

	if (ended)
		n += s[n] == '\r' && s[n + 1] == '\n' ? 2 : 1;
	if (!r->in_record)
		r->rec_line = r->field_line = r->line;
	for (done = 0; done < n; done += piece) {
		piece = n - done < PIECE ? n - done : PIECE;
		used = csv_parse(p, s + done, piece, on_field, on_record, r);
		if (r->limit)
			return limit_error(r);
		if (used < piece)
			return parse_error(r, s[done + used]);
		/* entry_pos counts trailing spaces and maybe a closing quote */
		if (p->entry_pos > r->max_field + p->spaces + 1) {
			r->limit = LIMIT_LENGTH;
			r->bad_field = r->nfields + 1;
			return limit_error(r);
		}
	}
	r->pos += n;
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

/* Builds the reader around raw (taken over) and prepares the parsing. */
static int setup(struct csv_reader **out, const char *name, struct strbuf *raw,
		 const struct csv_options *opt)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	r->name = xstrdup(name);
	strbuf_init(&r->text, 0);
	strbuf_init(&r->errmsg, 0);
	strbuf_init(&r->fbuf, 0);
	r->line = 1;
	r->max_field = opt && opt->max_field ? opt->max_field : DEFAULT_MAX_FIELD;
	r->max_fields = opt && opt->max_fields ? opt->max_fields : DEFAULT_MAX_FIELDS;
	if (decode(r, raw, opt ? opt->encoding : NULL) < 0 || check_binary(r) < 0 ||
	    choose_delim(r, opt ? opt->delim : 0) < 0 || start_parser(r) < 0) {
		csv_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

static int too_big(const char *name)
{
	return qfq_error(_("file larger than %zu MiB: \"%s\""), MAX_INPUT >> 20, name);
}

/* A NUL byte in what was just read (not UTF-16, whose text has them): a
 * binary file, refused at once so that a stream of zeros costs one piece
 * of memory, not the whole input limit. */
static int nul_in_piece(const char *name, const struct strbuf *sb, size_t from)
{
	const char *nul;
	unsigned long line, col;
	if (sb->len >= 2 && ((unsigned char)sb->buf[0] == 0xFF || (unsigned char)sb->buf[0] == 0xFE) &&
	    ((unsigned char)sb->buf[1] == 0xFE || (unsigned char)sb->buf[1] == 0xFF))
		return 0;
	if (!(nul = memchr(sb->buf + from, '\0', sb->len - from)))
		return 0;
	locate(sb->buf, (size_t)(nul - sb->buf), &line, &col);
	return qfq_error(_("line %lu, column %lu: %s in \"%s\""), line, col, _("NUL byte (binary file?)"), name);
}

static int read_fd(int fd, const char *name, struct strbuf *sb)
{
	struct stat st, after;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return qfq_error(_("cannot read \"%s\": %s"), name, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return qfq_error(_("cannot read \"%s\": %s"), name, strerror(EISDIR));
	if (S_ISREG(st.st_mode)) {
		if ((uintmax_t)st.st_size > MAX_INPUT)
			return too_big(name);
		/* one spare byte so that the read seeing the end needs no growth */
		strbuf_grow(sb, (size_t)st.st_size + 1);
		prefault(sb->buf, (size_t)st.st_size);
	}
	for (;;) {
		size_t before = sb->len;
		if (sb->len + 1 >= sb->alloc)
			strbuf_grow(sb, PIECE);
		n = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return qfq_error(_("cannot read \"%s\": %s"), name, strerror(errno));
		if (n == 0)
			break;
		strbuf_setlen(sb, sb->len + (size_t)n);
		if (nul_in_piece(name, sb, before))
			return -1;
		if (sb->len > MAX_INPUT)
			return too_big(name);
	}
	/* a file being written (a copy, a download) is refused, not half read */
	if (S_ISREG(st.st_mode) &&
	    (fstat(fd, &after) < 0 || after.st_size != st.st_size || (uintmax_t)sb->len != (uintmax_t)st.st_size ||
	     after.st_mtim.tv_sec != st.st_mtim.tv_sec || after.st_mtim.tv_nsec != st.st_mtim.tv_nsec))
		return qfq_error(_("\"%s\" changed while it was read (%jd bytes, then %zu read): "
				   "import it once it is complete"), name, (intmax_t)st.st_size, sb->len);
	return 0;
}

int csv_open(struct csv_reader **out, const char *path, const struct csv_options *opt)
{
	struct strbuf raw = STRBUF_INIT;
	int is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? _("standard input") : path;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	*out = NULL;
	if (fd < 0)
		return qfq_error(_("cannot open \"%s\": %s"), path, strerror(errno));
	rc = read_fd(fd, name, &raw);
	if (!is_stdin)
		close(fd);
	if (rc == 0)
		rc = setup(out, name, &raw, opt);
	strbuf_release(&raw);
	return rc;
}

int csv_open_mem(struct csv_reader **out, const char *name, const char *data, size_t len,
		 const struct csv_options *opt)
{
	struct strbuf raw = STRBUF_INIT;
	int rc;

	*out = NULL;
	if (len > MAX_INPUT)
		return too_big(name);
	if (len)
		strbuf_add(&raw, data, len);
	rc = setup(out, name, &raw, opt);
	strbuf_release(&raw);
	return rc;
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
	*done = r->pos;
	*total = r->text.len;
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
	strbuf_release(&r->text);
	strbuf_release(&r->fbuf);
	strbuf_release(&r->errmsg);
	free(r->lens);
	free(r->fields);
	free(r->name);
	free(r);
}
