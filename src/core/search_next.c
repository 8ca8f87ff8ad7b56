/*
 * search_next: when a search at a time finds nothing open ("c'est urgent,
 * il faut que ce soit fait aujourd'hui"), the places of the same criteria
 * that open next: soonest first, then nearest. Only places whose hours say
 * when they open (never unknown hours), each with its next opening.
 */
#include "core/search.h"

#include <stdlib.h>
#include <string.h>

/* How many candidates of the criteria are looked at, the best ranked (the
 * nearest) first: the soonest opening among the 30 nearest places, whose
 * next openings cost a few milliseconds to settle (60 took twice as long in
 * the interface: bench/tui-keys.sh, a key o at night around Lyon). */
#define NEXT_CANDIDATES 30

static int cmp_next(const void *a, const void *b)
{
	const struct search_structure *x = a, *y = b;
	int c = strcmp(x->prochaine_ouverture, y->prochaine_ouverture);

	if (c)
		return c;
	if ((x->distance_km < 0) != (y->distance_km < 0))
		return x->distance_km < 0 ? 1 : -1;
	if (x->distance_km != y->distance_km)
		return x->distance_km < y->distance_km ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int search_next_openings(sqlite3 *db, const struct search_query *q, size_t limit, struct search_results *r)
{
	/* q's criteria, every state marked, none dropped (a shallow copy: q
	 * keeps what it owns) */
	struct search_query all = *q;
	size_t i, k = 0;

	search_results_clear(r);
	if (!q->has_when || q->persons)
		return 0;
	all.open = SEARCH_MARK;
	all.limit = NEXT_CANDIDATES;
	all.ids_only = false;
	if (search_run(db, &all, r))
		return -1;
	for (i = 0; i < r->n; i++) {
		if (r->v[i].ouvert == SEARCH_CLOSED && r->v[i].prochaine_ouverture)
			r->v[k++] = r->v[i];
		else
			search_structure_free(&r->v[i]);
	}
	r->n = k;
	qsort(r->v, r->n, sizeof(*r->v), cmp_next);
	for (i = limit && limit < r->n ? limit : r->n; i < r->n; i++)
		search_structure_free(&r->v[i]);
	if (limit && limit < r->n)
		r->n = limit;
	r->total = k;
	return 0;
}
