/*
 * text: the one place where qfq folds and normalizes UTF-8 text, used by
 * every search, import and match, so that "Saint-Jean-de-Muzols",
 * "st jean de muzols" and "ST JEAN-DE-MUZOLS" meet.
 *
 * - text_fold: case and accent folding for French (é→e, ç→c, œ→oe, æ→ae,
 *   ß→ss, ’→'), Unicode compatibility forms flattened; everything else kept.
 * - text_norm: a matching key: folded, every character that is not a letter
 *   or a digit becomes a space (hyphens, apostrophes, punctuation), runs of
 *   spaces collapse, the ends are trimmed, and the tokens "st"/"ste" become
 *   "saint"/"sainte".
 * Invalid UTF-8 bytes are dropped by both (callers validate input first).
 */
#ifndef QFQ_CORE_TEXT_H
#define QFQ_CORE_TEXT_H

#include <stddef.h>

struct strbuf;

/* Appends the folded form of s[0..len) to out. */
void text_fold(struct strbuf *out, const char *s, size_t len);
/* Appends the matching key of s[0..len) to out. */
void text_norm(struct strbuf *out, const char *s, size_t len);
/* Convenience: a malloc'd text_norm() of a NUL-terminated string. */
char *text_norm_dup(const char *s);

/*
 * Splits a normalized key on spaces. Calls fn for each token (not
 * NUL-terminated: start and length) until it returns non-zero.
 */
int text_each_token(const char *norm, int (*fn)(const char *tok, size_t len, void *arg), void *arg);

/*
 * French order of two strings: their matching keys (text_norm: case and
 * accents folded, "É" with "E", punctuation as spaces) compared bytewise;
 * <0, 0 or >0 like strcmp. Equal keys compare 0: callers break ties by id.
 * The same order as strcmp() over text_norm() keys computed once, which is
 * what long lists should sort on. Registered on every database connection
 * as the collation "fr" (db/collate.c).
 */
int text_collate(const char *a, size_t alen, const char *b, size_t blen);

/* Levenshtein distance between two short byte strings, capped at max+1. */
size_t text_distance(const char *a, const char *b, size_t max);

#endif
