/*
 * psort: partial sort with a bounded max-heap of indices (see psort.h):
 * n log k comparisons instead of n log n, and elements moved once.
 */
#include "util/psort.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct heap {
	char *base;
	size_t size;
	int (*cmp)(const void *, const void *);
	size_t *v;   /* element indices; v[0] is the largest kept */
	size_t n;
};

static int hcmp(const struct heap *h, size_t a, size_t b)
{
	return h->cmp(h->base + h->v[a] * h->size, h->base + h->v[b] * h->size);
}

static void swap_idx(size_t *a, size_t *b)
{
	size_t t = *a;
	*a = *b;
	*b = t;
}

static void sift_down(struct heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && hcmp(h, l, m) > 0)
			m = l;
		if (r < h->n && hcmp(h, r, m) > 0)
			m = r;
		if (m == i)
			return;
		swap_idx(&h->v[i], &h->v[m]);
		i = m;
	}
}

static void sift_up(struct heap *h, size_t i)
{
	while (i && hcmp(h, i, (i - 1) / 2) > 0) {
		swap_idx(&h->v[i], &h->v[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
}

void psort(void *base, size_t n, size_t size, size_t k, int (*cmp)(const void *, const void *))
{
	struct heap h = { base, size, cmp, NULL, 0 };
	unsigned char *taken;
	char *out, *p;
	size_t i;

	if (n < 2) /* nothing to order (and base may be NULL) */
		return;
	if (k >= n / 2 || n < 64) { /* most of it is needed anyway */
		qsort(base, n, size, cmp);
		return;
	}
	if (!k)
		return;
	h.v = xmalloc(k * sizeof(*h.v));
	for (i = 0; i < n; i++) {
		if (h.n < k) {
			h.v[h.n++] = i;
			sift_up(&h, h.n - 1);
		} else if (cmp(h.base + i * size, h.base + h.v[0] * size) < 0) {
			h.v[0] = i;
			sift_down(&h, 0);
		}
	}
	/* the kept indices, largest first, out of the heap: the order is reversed */
	taken = xcalloc(n, 1);
	out = xmalloc(n * size);
	for (i = k; i > 0; i--) {
		size_t top = h.v[0];
		memcpy(out + (i - 1) * size, h.base + top * size, size);
		taken[top] = 1;
		h.v[0] = h.v[--h.n];
		if (h.n)
			sift_down(&h, 0);
	}
	for (i = 0, p = out + k * size; i < n; i++)
		if (!taken[i]) {
			memcpy(p, h.base + i * size, size);
			p += size;
		}
	memcpy(base, out, n * size);
	free(out);
	free(taken);
	free(h.v);
}
