/*
 * xalloc: allocation wrappers that abort on failure.
 *
 * qfq treats running out of memory as fatal: every caller may assume the
 * returned pointer is valid, so error paths stay about real errors.
 */
#ifndef QFQ_UTIL_XALLOC_H
#define QFQ_UTIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Copies at most n bytes of s and NUL-terminates the copy. */
char *xstrndup(const char *s, size_t n);
/* Grows *p (an array of *alloc elements of elsize bytes) to hold at least
 * need elements; doubles to keep appends amortized O(1). */
void xgrow(void **p, size_t *alloc, size_t need, size_t elsize);

#define XGROW(p, alloc, need) xgrow((void **)&(p), &(alloc), (need), sizeof(*(p)))

#endif
