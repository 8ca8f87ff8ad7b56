/*
 * utf8: UTF-8 validation, decoding and terminal display width.
 *
 * Width follows utf8proc's character widths (East Asian wide = 2,
 * combining = 0). Truncation never splits a UTF-8 sequence.
 */
#ifndef QFQ_UTIL_UTF8_H
#define QFQ_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns true when s[0..len) is valid UTF-8; else false and, if bad is
 * not NULL, the byte offset of the first invalid sequence. */
bool utf8_valid(const char *s, size_t len, size_t *bad);
/* Decodes one code point at s (len bytes available). Returns the number of
 * bytes consumed (>= 1) and stores the code point, or U+FFFD for an invalid
 * sequence (consuming 1 byte). */
size_t utf8_decode(const char *s, size_t len, int32_t *cp);
/* Display width of s in terminal columns (control characters count 0). */
size_t utf8_width(const char *s, size_t len);
/* Largest prefix length in bytes whose display width is <= cols. */
size_t utf8_prefix_for_width(const char *s, size_t len, size_t cols, size_t *width);

#endif
