/*
 * fuzz_check: what every output-writer fuzz target checks of what the
 * writer produced, independently of src/out/ (its own UTF-8 decoder and its
 * own list of the code points the output policy keeps off a terminal), and
 * how the targets cut their input into cells.
 */
#ifndef QFQ_TESTS_FUZZ_CHECK_H
#define QFQ_TESTS_FUZZ_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decodes one strict UTF-8 sequence (no overlong form, no surrogate, at
 * most U+10FFFF) at s; returns its length, 0 when invalid. */
static size_t fc_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, k;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, *cp = s[0] & 0x1F;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, *cp = s[0] & 0x0F;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, *cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[k] & 0x3F);
	}
	if ((len == 2 && *cp < 0x80) || (len == 3 && *cp < 0x800) || (len == 4 && *cp < 0x10000) ||
	    *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return len;
}

/* The policy of issue 14, written out again on purpose. */
static int fc_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x180E ||
	       (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) ||
	       (cp >= 0xE0000 && cp <= 0xE007F);
}

/* Aborts unless out[0..n) is valid UTF-8 whose only unsafe code points are
 * among the ASCII characters of `allowed` (e.g. "\n", "\t\r\n"). */
static void fc_check_safe(const char *what, const char *out, size_t n, const char *allowed)
{
	const unsigned char *s = (const unsigned char *)out;
	size_t i = 0, len;
	uint32_t cp;

	while (i < n) {
		len = fc_decode(s + i, n - i, &cp);
		if (!len) {
			fprintf(stderr, "%s: invalid UTF-8 at byte %zu\n", what, i);
			abort();
		}
		if (fc_unsafe(cp) && !(cp < 0x80 && cp && strchr(allowed, (int)cp))) {
			fprintf(stderr, "%s: unsafe U+%04X at byte %zu\n", what, (unsigned)cp, i);
			abort();
		}
		i += len;
	}
}

/*
 * Cuts data into NUL-terminated cells at each 0x1F byte (the ASCII unit
 * separator, so the cells themselves may hold anything else, NUL
 * included: a NUL ends the cell's string there, as SQLite text would).
 * Returns the number of cells (at most max); cells point into buf, a
 * malloc'd copy the caller frees.
 */
static size_t fc_cells(const uint8_t *data, size_t size, char **buf, char **cells, size_t max)
{
	size_t i, n = 0;
	char *b = malloc(size + 1);

	memcpy(b, data, size);
	b[size] = '\0';
	*buf = b;
	if (max)
		cells[n++] = b;
	for (i = 0; i < size && n < max; i++) {
		if (b[i] == 0x1F) {
			b[i] = '\0';
			cells[n++] = b + i + 1;
		}
	}
	return n;
}

#endif
