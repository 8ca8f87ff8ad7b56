/*
 * search_counts: how many places each theme would give with the same
 * other criteria (`qfq themes`, the Thèmes view): the structures the base
 * query returns, as a bit set, intersected with who offers each theme in
 * the engine's sense (the theme, a sub-theme, or an ancestor service),
 * from the stored theme bitmaps (db/themesets.h) or the rows.
 */
#include "core/search.h"
#include "db/db.h"
#include "db/themesets.h"
#include "util/error.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct idbits {
	uint64_t *w;
	size_t words;
};

static void bits_set(struct idbits *b, long long id)
{
	size_t at = (size_t)id / 64;
	if (id < 0)
		return;
	if (at >= b->words) {
		size_t words = at + 1 > b->words * 2 ? at + 1 : b->words * 2;
		b->w = xrealloc(b->w, words * sizeof(*b->w));
		memset(b->w + b->words, 0, (words - b->words) * sizeof(*b->w));
		b->words = words;
	}
	b->w[at] |= 1ull << (id % 64);
}

/* Who offers theme (exactly), ORed into acc. 0 or -1. */
static int offered(sqlite3 *db, struct themeset_reader *tr, sqlite3_stmt *rows, long long theme,
		   struct idbits *acc)
{
	const unsigned char *bits;
	size_t len, i;
	int rc = tr ? themeset_read(tr, THEMESET_STRUCTURES, theme, &bits, &len) : 0;
	if (rc < 0)
		return -1;
	if (rc > 0) {
		for (i = 0; i < len; i++)
			if (bits[i])
				for (int j = 0; j < 8; j++)
					if (bits[i] & (1u << j))
						bits_set(acc, (long long)i * 8 + j);
		return 0;
	}
	sqlite3_reset(rows);
	sqlite3_bind_int64(rows, 1, theme);
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW)
		bits_set(acc, sqlite3_column_int64(rows, 0));
	return rc == SQLITE_DONE ? 0 : db_error(db, "themes");
}

/* |a AND b|, or |a| when b is NULL (no place criteria: every structure). */
static size_t count_and(const struct idbits *a, const struct idbits *b)
{
	size_t i, n = 0, words = b && b->words < a->words ? b->words : a->words;
	for (i = 0; i < words; i++)
		n += (size_t)__builtin_popcountll(b ? a->w[i] & b->w[i] : a->w[i]);
	return n;
}

static bool has_criteria(const struct search_query *q)
{
	return q->ngroups || (q->text && *q->text) || q->has_commune || q->epci || q->departement ||
	       search_open_filters(q) || q->sans_rdv || q->publics || q->typologie;
}

/* The structures base returns, as bits. 0 or -1. */
static int base_bits(sqlite3 *db, const struct search_query *base, struct idbits *out)
{
	struct search_query q = *base;
	struct search_results r = SEARCH_RESULTS_INIT;
	size_t i;
	q.limit = 0;
	q.max_candidates = 0;
	q.persons = false;
	q.ids_only = true;
	if (search_run(db, &q, &r)) {
		search_results_clear(&r);
		return -1;
	}
	for (i = 0; i < r.n; i++)
		bits_set(out, r.v[i].id);
	search_results_clear(&r);
	return 0;
}

/* The tree index of each theme's parent (-1 for a top-level one). */
static size_t *parent_index(const struct theme_tree *t)
{
	size_t *pi = xcalloc(t->n ? t->n : 1, sizeof(*pi)), i, j;
	for (i = 0; i < t->n; i++) {
		pi[i] = (size_t)-1;
		for (j = 0; t->parent[i] && j < t->n; j++)
			if (t->id[j] == t->parent[i]) {
				pi[i] = j;
				break;
			}
	}
	return pi;
}

/* Whether a is b or one of b's ancestors (indexes into the tree). */
static bool above(const size_t *pi, size_t a, size_t b)
{
	int depth = 0;
	while (b != (size_t)-1 && depth++ < 64) {
		if (b == a)
			return true;
		b = pi[b];
	}
	return false;
}

int search_theme_counts(sqlite3 *db, const struct search_query *base, struct search_theme_count **out,
			size_t *n)
{
	struct theme_tree tree = { 0 };
	struct themeset_reader *tr = NULL;
	struct idbits in = { 0 }, acc = { 0 }, *exact = NULL;
	sqlite3_stmt *rows = NULL;
	size_t *pi = NULL, i, j, k;
	bool all = !has_criteria(base);
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (themes_tree_load(db, &tree) ||
	    db_prepare(db, "SELECT structure_id FROM structure_themes WHERE theme_id = ?1", &rows))
		goto done;
	if (themeset_reader_open(db, &tr))
		tr = NULL;
	qfq_error_clear();
	if (!all && base_bits(db, base, &in))
		goto done;
	/* who offers each theme exactly, read once */
	exact = xcalloc(tree.n ? tree.n : 1, sizeof(*exact));
	for (i = 0; i < tree.n; i++)
		if (offered(db, tr, rows, tree.id[i], &exact[i]))
			goto done;
	pi = parent_index(&tree);
	*out = xcalloc(tree.n ? tree.n : 1, sizeof(**out));
	for (i = 0; i < tree.n; i++) {
		if (acc.w)
			memset(acc.w, 0, acc.words * sizeof(*acc.w));
		/* the theme and its sub-themes, and its ancestors (a place offering
		 * only the parent service matches, as in the engine) */
		for (j = 0; j < tree.n; j++) {
			if (!exact[j].words || (!above(pi, i, j) && !above(pi, j, i)))
				continue;
			if (exact[j].words > acc.words) {
				acc.w = xrealloc(acc.w, exact[j].words * sizeof(*acc.w));
				memset(acc.w + acc.words, 0, (exact[j].words - acc.words) * sizeof(*acc.w));
				acc.words = exact[j].words;
			}
			for (k = 0; k < exact[j].words; k++)
				acc.w[k] |= exact[j].w[k];
		}
		(*out)[*n].theme = tree.id[i];
		(*out)[(*n)++].n = acc.w ? count_and(&acc, all ? NULL : &in) : 0;
	}
	rc = 0;
done:
	if (rc) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	for (i = 0; exact && i < tree.n; i++)
		free(exact[i].w);
	free(exact);
	free(pi);
	sqlite3_finalize(rows);
	themeset_reader_close(tr);
	themes_tree_clear(&tree);
	free(in.w);
	free(acc.w);
	return rc;
}
