/*
 * psort: partial sort. A search ranks thousands of candidates but shows
 * twenty: only the first k need to be found and ordered.
 */
#ifndef QFQ_UTIL_PSORT_H
#define QFQ_UTIL_PSORT_H

#include <stddef.h>

/*
 * Rearranges the n elements of base (each size bytes) so that the first
 * min(k, n) are the smallest by cmp, in order; the others follow in no
 * particular order. Stable among equal elements of the first k only as far
 * as cmp tells them apart (give cmp a final tie-break).
 */
void psort(void *base, size_t n, size_t size, size_t k, int (*cmp)(const void *, const void *));

#endif
