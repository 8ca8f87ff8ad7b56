/*
 * fuzz_out_json: libFuzzer target for the JSON writer (src/out/json.c).
 * Byte 0 picks pretty or compact output; the rest is cells separated by
 * 0x1F, written as an array of objects of key/value pairs, with numbers
 * made from the cells' lengths. The output is checked by a JSON reader
 * written here (RFC 8259: structure, escapes, surrogate pairs) and must be
 * valid UTF-8 with no unsafe code point raw (only newlines, when pretty).
 */
#include "out/json.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct rd {
	const char *s;
	size_t i, n;
};

static void fail(const struct rd *r, const char *why)
{
	fprintf(stderr, "json: %s at byte %zu\n", why, r->i);
	abort();
}

static void ws(struct rd *r)
{
	while (r->i < r->n && strchr(" \t\r\n", r->s[r->i]) && r->s[r->i])
		r->i++;
}

static unsigned hex4(struct rd *r)
{
	unsigned v = 0, k;
	for (k = 0; k < 4; k++, r->i++) {
		char c = r->i < r->n ? r->s[r->i] : 0;
		if (c >= '0' && c <= '9')
			v = v * 16 + (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (unsigned)(c - 'A' + 10);
		else
			fail(r, "bad \\u escape");
	}
	return v;
}

static void string(struct rd *r)
{
	if (r->i >= r->n || r->s[r->i] != '"')
		fail(r, "string expected");
	for (r->i++;;) {
		unsigned char c;
		if (r->i >= r->n)
			fail(r, "unterminated string");
		c = (unsigned char)r->s[r->i];
		if (c == '"') {
			r->i++;
			return;
		}
		if (c < 0x20)
			fail(r, "raw control character in a string");
		if (c != '\\') {
			r->i++;
			continue;
		}
		r->i++;
		if (r->i >= r->n)
			fail(r, "escape at the end");
		c = (unsigned char)r->s[r->i];
		if (c == 'u') {
			unsigned u;
			r->i++;
			u = hex4(r);
			if (u >= 0xDC00 && u <= 0xDFFF)
				fail(r, "lone low surrogate");
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (r->i + 1 >= r->n || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u')
					fail(r, "high surrogate without its pair");
				r->i += 2;
				u = hex4(r);
				if (u < 0xDC00 || u > 0xDFFF)
					fail(r, "high surrogate without its pair");
			}
		} else if (strchr("\"\\/bfnrt", c) && c) {
			r->i++;
		} else {
			fail(r, "bad escape");
		}
	}
}

static void value(struct rd *r, int depth);

static void container(struct rd *r, int depth, char close, int object)
{
	r->i++;
	ws(r);
	if (r->i < r->n && r->s[r->i] == close) {
		r->i++;
		return;
	}
	for (;;) {
		ws(r);
		if (object) {
			string(r);
			ws(r);
			if (r->i >= r->n || r->s[r->i] != ':')
				fail(r, "':' expected");
			r->i++;
		}
		value(r, depth + 1);
		ws(r);
		if (r->i < r->n && r->s[r->i] == ',') {
			r->i++;
			continue;
		}
		if (r->i < r->n && r->s[r->i] == close) {
			r->i++;
			return;
		}
		fail(r, "',' or close expected");
	}
}

static void value(struct rd *r, int depth)
{
	char c;
	if (depth > 64)
		fail(r, "too deep");
	ws(r);
	c = r->i < r->n ? r->s[r->i] : 0;
	if (c == '{') {
		container(r, depth, '}', 1);
	} else if (c == '[') {
		container(r, depth, ']', 0);
	} else if (c == '"') {
		string(r);
	} else if (c == '-' || (c >= '0' && c <= '9')) {
		if (c == '-')
			r->i++;
		if (r->i >= r->n || r->s[r->i] < '0' || r->s[r->i] > '9')
			fail(r, "digit expected");
		while (r->i < r->n && ((r->s[r->i] >= '0' && r->s[r->i] <= '9') || strchr(".eE+-", r->s[r->i])) && r->s[r->i])
			r->i++;
	} else if (r->n - r->i >= 4 && !memcmp(r->s + r->i, "null", 4)) {
		r->i += 4;
	} else if (r->n - r->i >= 4 && !memcmp(r->s + r->i, "true", 4)) {
		r->i += 4;
	} else if (r->n - r->i >= 5 && !memcmp(r->s + r->i, "false", 5)) {
		r->i += 5;
	} else {
		fail(r, "value expected");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cells[512], *buf, *out = NULL;
	size_t n, i, len = 0;
	struct json_writer jw;
	struct rd r;
	FILE *fp;

	if (size < 1)
		return 0;
	n = fc_cells(data + 1, size - 1, &buf, cells, 512);
	fp = open_memstream(&out, &len);
	json_init(&jw, fp, data[0] & 1);
	json_array_begin(&jw);
	for (i = 0; i + 1 < n; i += 2) {
		json_object_begin(&jw);
		json_key(&jw, cells[i]);
		json_str(&jw, cells[i + 1]);
		json_key(&jw, "n");
		json_int(&jw, (long long)strlen(cells[i]) - 40);
		json_key(&jw, "x");
		json_double(&jw, (double)strlen(cells[i + 1]) / 7.0 - 3, data[0] % 8);
		json_kv_str(&jw, "e", cells[i + 1]);
		json_object_end(&jw);
	}
	json_array_end(&jw);
	if (json_finish(&jw))
		abort();
	fclose(fp);
	fc_check_safe("json", out, len, "\n");
	r.s = out;
	r.n = len;
	r.i = 0;
	value(&r, 0);
	ws(&r);
	if (r.i != len)
		fail(&r, "text after the value");
	free(out);
	free(buf);
	return 0;
}
