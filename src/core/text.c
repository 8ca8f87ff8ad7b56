/*
 * text: French-aware folding and matching keys over UTF-8 (see text.h).
 *
 * ASCII goes through a fast path; anything else is decomposed by utf8proc
 * (NFKD with case folding and marks stripped), plus the few French
 * ligatures and quotes that Unicode does not decompose.
 */
#include "core/text.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Characters Unicode does not decompose into what a French reader expects. */
static const char *fold_special(utf8proc_int32_t cp)
{
	switch (cp) {
	case 0x0152: case 0x0153: return "oe"; /* Œ œ */
	case 0x00C6: case 0x00E6: return "ae"; /* Æ æ */
	case 0x00D8: case 0x00F8: return "o";  /* Ø ø */
	case 0x0141: case 0x0142: return "l";  /* Ł ł */
	case 0x00D0: case 0x00F0: return "d";  /* Ð ð */
	case 0x2018: case 0x2019: case 0x02BC: case 0x2032: case 0x00B4: case 0x0060:
		return "'";
	case 0x201C: case 0x201D: case 0x00AB: case 0x00BB: return "\"";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212:
		return "-";
	case 0x00A0: case 0x202F: case 0x2009: return " ";
	default: return NULL;
	}
}

static void fold_codepoint(struct strbuf *out, utf8proc_int32_t cp)
{
	utf8proc_int32_t buf[8];
	utf8proc_ssize_t n, i;
	const char *special = fold_special(cp);
	if (special) {
		strbuf_addstr(out, special);
		return;
	}
	n = utf8proc_decompose_char(cp, buf, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
				    UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK, NULL);
	if (n < 0 || n > 8)
		return;
	for (i = 0; i < n; i++) {
		utf8proc_uint8_t enc[4];
		utf8proc_ssize_t len;
		const char *sp = fold_special(buf[i]);
		if (sp) {
			strbuf_addstr(out, sp);
			continue;
		}
		len = utf8proc_encode_char(buf[i], enc);
		strbuf_add(out, enc, (size_t)len);
	}
}

void text_fold(struct strbuf *out, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		utf8proc_int32_t cp;
		utf8proc_ssize_t n;
		if (c < 0x80) {
			strbuf_addch(out, c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0) {
			i++; /* invalid byte: dropped */
			continue;
		}
		fold_codepoint(out, cp);
		i += (size_t)n;
	}
}

static bool is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Appends one token of a key, expanding the abbreviations people type. */
static void add_token(struct strbuf *out, const char *tok, size_t len)
{
	if (out->len && out->buf[out->len - 1] != ' ')
		strbuf_addch(out, ' ');
	if (len == 2 && !memcmp(tok, "st", 2))
		strbuf_addstr(out, "saint");
	else if (len == 3 && !memcmp(tok, "ste", 3))
		strbuf_addstr(out, "sainte");
	else
		strbuf_add(out, tok, len);
}

void text_norm(struct strbuf *out, const char *s, size_t len)
{
	struct strbuf folded = STRBUF_INIT, key = STRBUF_INIT;
	size_t i = 0;
	text_fold(&folded, s, len);
	while (i < folded.len) {
		size_t b;
		while (i < folded.len && !is_word_byte((unsigned char)folded.buf[i]))
			i++;
		b = i;
		while (i < folded.len && is_word_byte((unsigned char)folded.buf[i]))
			i++;
		if (i > b)
			add_token(&key, folded.buf + b, i - b);
	}
	strbuf_add(out, key.buf, key.len);
	strbuf_release(&key);
	strbuf_release(&folded);
}

char *text_norm_dup(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	text_norm(&sb, s, strlen(s));
	return strbuf_detach(&sb, NULL);
}

int text_each_token(const char *norm, int (*fn)(const char *tok, size_t len, void *arg), void *arg)
{
	const char *p = norm;
	while (*p) {
		const char *b;
		int r;
		while (*p == ' ')
			p++;
		b = p;
		while (*p && *p != ' ')
			p++;
		if (p > b && (r = fn(b, (size_t)(p - b), arg)))
			return r;
	}
	return 0;
}

int text_collate(const char *a, size_t alen, const char *b, size_t blen)
{
	struct strbuf ka = STRBUF_INIT, kb = STRBUF_INIT;
	int c;
	text_norm(&ka, a, alen);
	text_norm(&kb, b, blen);
	c = strcmp(ka.buf, kb.buf);
	strbuf_release(&ka);
	strbuf_release(&kb);
	return c;
}

size_t text_distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, res;
	if (la > lb + max || lb > la + max)
		return max + 1;
	row = xmalloc((lb + 1) * sizeof(*row));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0], best;
		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > max) {
			free(row);
			return max + 1;
		}
	}
	res = row[lb];
	free(row);
	return res > max ? max + 1 : res;
}
