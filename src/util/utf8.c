/*
 * utf8: strict UTF-8 decoding and terminal display width (see utf8.h).
 *
 * The decoder is our own rather than utf8proc_iterate() so that the
 * "invalid sequence consumes exactly one byte" rule is explicit: callers
 * replace each bad byte by U+FFFD and resynchronize on the next byte, which
 * is what a terminal would show. Widths come from utf8proc's tables.
 */
#include "util/utf8.h"

#include <utf8proc.h>

/* Accepted range of the second byte for each lead byte; the table of
 * Unicode 3.9 (Table 3-7), which rules out overlong forms, surrogates
 * and code points above U+10FFFF. */
static int lead_info(unsigned char b, int *need, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (b >= 0xC2 && b <= 0xDF) {
		*need = 1;
	} else if (b >= 0xE0 && b <= 0xEF) {
		*need = 2;
		if (b == 0xE0)
			*lo = 0xA0;
		else if (b == 0xED)
			*hi = 0x9F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		*need = 3;
		if (b == 0xF0)
			*lo = 0x90;
		else if (b == 0xF4)
			*hi = 0x8F;
	} else {
		return -1;
	}
	return 0;
}

/* Returns 0 when len is 0 (nothing to decode) so a loop `while (i < len)`
 * can never step past the end. */
size_t utf8_decode(const char *s, size_t len, int32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo, hi;
	int need, i;
	int32_t c;

	if (len == 0) {
		*cp = 0xFFFD;
		return 0;
	}
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (lead_info(u[0], &need, &lo, &hi) < 0 || len < (size_t)need + 1 ||
	    u[1] < lo || u[1] > hi)
		goto bad;
	c = u[0] & (0x3F >> need);
	for (i = 1; i <= need; i++) {
		if (i > 1 && (u[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (u[i] & 0x3F);
	}
	*cp = c;
	return (size_t)need + 1;
bad:
	*cp = 0xFFFD;
	return 1;
}

bool utf8_valid(const char *s, size_t len, size_t *bad)
{
	size_t i = 0;

	while (i < len) {
		int32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		/* A genuine U+FFFD in the input is 3 bytes; 1 byte means error. */
		if (cp == 0xFFFD && n == 1) {
			if (bad)
				*bad = i;
			return false;
		}
		i += n;
	}
	return true;
}

/* Columns taken by one code point. Controls count 0 (the caller sanitizes
 * them before display); utf8proc reports ambiguous-width characters as 1,
 * which is what a terminal in a non-CJK locale shows. */
static size_t cp_width(int32_t cp)
{
	int w;

	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		return 0;
	w = utf8proc_charwidth(cp);
	return w > 0 ? (size_t)w : 0;
}

size_t utf8_width(const char *s, size_t len)
{
	size_t i = 0, w = 0;

	while (i < len) {
		int32_t cp;

		i += utf8_decode(s + i, len - i, &cp);
		w += cp_width(cp);
	}
	return w;
}

/* Zero-width code points (combining marks) after the last character that
 * fits stay in the prefix, so "e" + U+0301 is never cut in two. */
size_t utf8_prefix_for_width(const char *s, size_t len, size_t cols, size_t *width)
{
	size_t i = 0, w = 0;

	while (i < len) {
		int32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		size_t cw = cp_width(cp);

		if (w + cw > cols)
			break;
		w += cw;
		i += n;
	}
	if (width)
		*width = w;
	return i;
}
