/* test_psort: the partial sort (src/util/psort.c) against qsort on random data. */
#include "util/psort.h"
#include "tap.h"

#include <stdlib.h>

struct item {
	int key;
	int tag;    /* original position: a tie-break, and a check that nothing is lost */
	char pad[20];
};

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->tag > y->tag) - (x->tag < y->tag);
}

/* psort(k) then the first k equal qsort's first k, and all n are still there. */
static int check(size_t n, size_t k, int range, unsigned seed)
{
	struct item *a = malloc(n * sizeof(*a)), *b = malloc(n * sizeof(*b));
	unsigned char *seen = calloc(n ? n : 1, 1);
	size_t i, kk = k < n ? k : n;
	int good = 1;
	srand(seed);
	for (i = 0; i < n; i++) {
		a[i].key = rand() % range;
		a[i].tag = (int)i;
		b[i] = a[i];
	}
	psort(a, n, sizeof(*a), k, cmp_item);
	qsort(b, n, sizeof(*b), cmp_item);
	for (i = 0; i < kk; i++)
		good &= a[i].key == b[i].key && a[i].tag == b[i].tag;
	for (i = 0; i < n; i++) {
		good &= !seen[a[i].tag];
		seen[a[i].tag] = 1;
	}
	free(a);
	free(b);
	free(seen);
	return good;
}

int main(void)
{
	ok(check(5000, 20, 1000000, 1), "the 20 smallest of 5,000 in order, nothing lost");
	ok(check(5000, 20, 7, 2), "with many ties, broken by the tie-break");
	ok(check(5000, 1, 1000, 3), "k = 1");
	ok(check(5000, 0, 1000, 4), "k = 0 keeps every element");
	ok(check(300, 200, 1000, 5), "k over half of n: a full sort");
	ok(check(10, 3, 5, 6), "small n");
	ok(check(0, 5, 5, 7), "empty");
	ok(check(100000, 300, 50000, 8), "300 of 100,000");
	return tap_done();
}
