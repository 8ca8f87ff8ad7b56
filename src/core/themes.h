/*
 * themes: resolving what people type ("caf", "démarches", "smartphone",
 * "Parentalité", a slug, an old 0.x service label) into themes of the one
 * crosswalk (data/themes.csv, table themes + theme_names).
 *
 * Resolution, folded and accent-free: an exact name (label, slug, alias,
 * legacy or standard label, data·inclusion slug) wins; else every word of
 * the query must start a word of one of the theme's names ("demarch admin").
 * Several matches in one subtree collapse to their common top-most theme
 * (a parent includes its sub-themes); matches in unrelated subtrees are all
 * returned, best first.
 */
#ifndef QFQ_CORE_THEMES_H
#define QFQ_CORE_THEMES_H

#include <sqlite3.h>
#include <stddef.h>

struct theme {
	long long id;
	char *slug;
	char *label;
	char *parent_label;   /* NULL for a top-level theme */
	char *matched;        /* the name that matched the query */
};

struct theme_list {
	struct theme *v;
	size_t n, alloc;
};

/* Resolves query into out (appended). Returns 0 (out->n tells whether
 * anything matched) or -1 with qfq_error(). */
int themes_resolve(sqlite3 *db, const char *query, struct theme_list *out);
/* Up to max theme labels close to query, for "did you mean" messages. */
int themes_suggest(sqlite3 *db, const char *query, struct theme_list *out, size_t max);
/* One theme by id: 1 found, 0 not, -1 error. */
int themes_get(sqlite3 *db, long long id, struct theme *out);

void theme_clear(struct theme *t);
void theme_list_clear(struct theme_list *l);

#endif
