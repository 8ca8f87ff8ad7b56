/*
 * json: the streaming JSON writer (see json.h).
 *
 * The writer only tracks where commas go; the caller is trusted to pair
 * begin/end calls. Strings are escaped so the output is valid JSON whatever
 * the data (invalid UTF-8 becomes U+FFFD) and safe to show on a terminal:
 * control characters, C1 controls, bidi overrides and U+2028/U+2029 leave
 * as \uXXXX escapes, which lose nothing for a JSON reader.
 */
#include "out/json.h"
#include "out/out.h"
#include "util/utf8.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void indent(struct json_writer *jw)
{
	int i;

	fputc('\n', jw->fp);
	for (i = 0; i < jw->depth; i++)
		fputs("  ", jw->fp);
}

/* Everything a value or a key needs before it: a comma after a sibling,
 * a new line in pretty mode, nothing right after a key. */
static void before_value(struct json_writer *jw)
{
	if (jw->after_key) {
		jw->after_key = false;
		return;
	}
	if (!jw->first[jw->depth])
		fputc(jw->depth ? ',' : '\n', jw->fp);
	jw->first[jw->depth] = false;
	if (jw->pretty && jw->depth > 0)
		indent(jw);
}

void json_init(struct json_writer *jw, FILE *fp, bool pretty)
{
	memset(jw, 0, sizeof(*jw));
	jw->fp = fp;
	jw->pretty = pretty;
	jw->first[0] = true;
}

static void open_container(struct json_writer *jw, int c)
{
	before_value(jw);
	/* Nesting is fixed by qfq's own output shapes, never by data: going
	 * deeper is a programming error, not a runtime condition. */
	if (jw->depth + 1 >= JSON_MAX_DEPTH)
		abort();
	fputc(c, jw->fp);
	jw->depth++;
	jw->first[jw->depth] = true;
}

static void close_container(struct json_writer *jw, int c)
{
	bool empty = jw->first[jw->depth];

	if (jw->depth == 0)
		abort();
	jw->depth--;
	if (jw->pretty && !empty)
		indent(jw);
	fputc(c, jw->fp);
}

void json_array_begin(struct json_writer *jw)
{
	open_container(jw, '[');
}

void json_array_end(struct json_writer *jw)
{
	close_container(jw, ']');
}

void json_object_begin(struct json_writer *jw)
{
	open_container(jw, '{');
}

void json_object_end(struct json_writer *jw)
{
	close_container(jw, '}');
}

/* Code points written as \uXXXX although JSON allows them raw: those of
 * the output policy (out_cp_unsafe(): they could act on a terminal, reorder
 * or hide the text shown; U+2028/U+2029 also break JavaScript strings). */
static bool must_escape(int32_t cp)
{
	return out_cp_unsafe(cp);
}

static void write_escaped(FILE *fp, const char *s, size_t len)
{
	size_t i = 0;

	fputc('"', fp);
	while (i < len) {
		int32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		if (cp == '"' || cp == '\\') {
			fputc('\\', fp);
			fputc((int)cp, fp);
		} else if (cp == '\n') {
			fputs("\\n", fp);
		} else if (cp == '\t') {
			fputs("\\t", fp);
		} else if (cp == '\r') {
			fputs("\\r", fp);
		} else if (must_escape(cp) && cp > 0xFFFF) {
			/* a UTF-16 surrogate pair, as JSON writes characters above U+FFFF */
			fprintf(fp, "\\u%04x\\u%04x", 0xD800u + (((unsigned)cp - 0x10000u) >> 10),
				0xDC00u + (((unsigned)cp - 0x10000u) & 0x3FFu));
		} else if (must_escape(cp)) {
			fprintf(fp, "\\u%04x", (unsigned)cp);
		} else if (cp == 0xFFFD && n == 1) {
			fputs("\xEF\xBF\xBD", fp); /* invalid byte */
		} else {
			fwrite(s + i, 1, n, fp);
		}
		i += n;
	}
	fputc('"', fp);
}

void json_key(struct json_writer *jw, const char *key)
{
	before_value(jw);
	write_escaped(jw->fp, key, strlen(key));
	fputs(jw->pretty ? ": " : ":", jw->fp);
	jw->after_key = true;
}

void json_strn(struct json_writer *jw, const char *s, size_t len)
{
	before_value(jw);
	write_escaped(jw->fp, s, len);
}

void json_str(struct json_writer *jw, const char *s)
{
	if (!s)
		json_null(jw);
	else
		json_strn(jw, s, strlen(s));
}

void json_int(struct json_writer *jw, long long v)
{
	before_value(jw);
	fprintf(jw->fp, "%lld", v);
}

/* The C locale, so that "%f" writes a '.' even after setlocale(LC_ALL, "")
 * picked fr_FR and its decimal comma. Created once, kept for the process. */
static locale_t c_locale(void)
{
	static locale_t loc;

	if (!loc)
		loc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	return loc;
}

/* Formats v into buf with a '.' and no trailing zeros ("4.60" → "4.6",
 * "0.00" → "0", "-0" → "0"). */
static void format_double(char *buf, size_t size, double v, int decimals)
{
	locale_t loc = c_locale(), old = (locale_t)0;
	char *dot, *end;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 17)
		decimals = 17;
	if (loc)
		old = uselocale(loc);
	snprintf(buf, size, "%.*f", decimals, v);
	if (loc)
		uselocale(old);
	/* Only reached if newlocale() failed: fix up a one-byte comma. */
	for (end = buf; *end; end++)
		if (*end == ',')
			*end = '.';
	dot = strchr(buf, '.');
	if (dot) {
		while (end > dot + 1 && end[-1] == '0')
			end--;
		if (end == dot + 1)
			end = dot;
		*end = '\0';
	}
	if (!strcmp(buf, "-0"))
		memmove(buf, buf + 1, 2);
}

void json_double(struct json_writer *jw, double v, int decimals)
{
	char buf[512];

	if (!isfinite(v)) {
		json_null(jw);
		return;
	}
	format_double(buf, sizeof(buf), v, decimals);
	before_value(jw);
	fputs(buf, jw->fp);
}

void json_bool(struct json_writer *jw, bool v)
{
	before_value(jw);
	fputs(v ? "true" : "false", jw->fp);
}

void json_null(struct json_writer *jw)
{
	before_value(jw);
	fputs("null", jw->fp);
}

/* An absent and an empty value both mean "not known" in qfq's data, and
 * scripts reading the JSON should test for one thing: null. */
void json_kv_str(struct json_writer *jw, const char *key, const char *s)
{
	json_key(jw, key);
	if (!s || !*s)
		json_null(jw);
	else
		json_str(jw, s);
}

int json_finish(struct json_writer *jw)
{
	fputc('\n', jw->fp);
	if (fflush(jw->fp) == EOF || ferror(jw->fp))
		return -1;
	return 0;
}
