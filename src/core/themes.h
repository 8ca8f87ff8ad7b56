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
#include <stdbool.h>
#include <stddef.h>

struct strbuf;

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

/*
 * The theme tree as parent links, loaded in one query (the taxonomy is a few
 * hundred rows): resolution and search walk it in memory instead of running
 * a recursive query per pair.
 */
struct theme_tree {
	long long *id, *parent;  /* parallel arrays; parent 0: top level */
	size_t n;
};

int themes_tree_load(sqlite3 *db, struct theme_tree *t);
/* The parent of id (0 for a top-level or unknown theme). */
long long themes_tree_parent(const struct theme_tree *t, long long id);
/* Whether anc is id or one of its ancestors. */
bool themes_tree_is_ancestor(const struct theme_tree *t, long long anc, long long id);
void themes_tree_clear(struct theme_tree *t);

/*
 * Appends to json the ids of the themes q names and of all their
 * sub-themes, as a JSON array ("[3,14,15]"). 1 when q named a theme, 0 when
 * not (json untouched), -1 on error.
 */
int themes_ids_json(sqlite3 *db, const char *q, struct strbuf *json);
void theme_clear(struct theme *t);
void theme_list_clear(struct theme_list *l);

#endif
