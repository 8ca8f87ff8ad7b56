/*
 * themes: the theme resolver (see themes.h).
 *
 * The taxonomy is small (a few hundred names), so prefix matching scans
 * theme_names in memory rather than building an index: it stays well under
 * a millisecond and handles "every query word starts a name word" simply.
 */
#include "core/themes.h"
#include "core/text.h"
#include "db/db.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct candidate {
	long long id;
	long long parent;
	int depth;
	int score;       /* higher is better */
	char *matched;
};

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

/* Whether every token of q starts some token of name (both normalized keys). */
static bool tokens_prefix(const char *q, const char *name)
{
	const char *p = q;
	while (*p) {
		const char *e = strchr(p, ' ');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *n = name;
		bool found = false;
		while (*n && !found) {
			if (!strncmp(n, p, len))
				found = true;
			n = strchr(n, ' ');
			if (!n)
				break;
			n++;
		}
		if (!found)
			return false;
		p += len;
		while (*p == ' ')
			p++;
	}
	return true;
}

/* How deep id sits in the tree (0 for a root); bounded against loops. */
static int tree_depth(const struct theme_tree *t, long long id)
{
	int d = 0;
	while ((id = themes_tree_parent(t, id)) && d < 64)
		d++;
	return d;
}

static int load_candidates(sqlite3 *db, const struct theme_tree *tree, const char *key,
			   struct candidate **out, size_t *n)
{
	/* depth comes from the tree in memory: a recursive CTE joined here
	 * was scanned once per name (2 ms of every search) */
	static const char sql[] = "SELECT n.theme_id, n.name_norm, n.name FROM theme_names n";
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;
	bool exact = false;

	if (db_stmt(db, sql, &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *nn = (const char *)sqlite3_column_text(st, 1);
		bool is_exact = nn && !strcmp(nn, key);
		if (!nn || (!is_exact && (exact || !tokens_prefix(key, nn))))
			continue;
		if (is_exact && !exact) {
			/* an exact name beats every prefix match seen so far */
			while (*n)
				free((*out)[--*n].matched);
			exact = true;
		}
		XGROW(*out, alloc, *n + 1);
		(*out)[*n].id = sqlite3_column_int64(st, 0);
		(*out)[*n].parent = themes_tree_parent(tree, (*out)[*n].id);
		(*out)[*n].depth = tree_depth(tree, (*out)[*n].id);
		(*out)[*n].score = is_exact ? 1000 : (int)(100 * strlen(key) / (strlen(nn) + 1));
		(*out)[*n].matched = col_dup(st, 2);
		(*n)++;
	}
	db_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "themes");
}

int themes_tree_load(sqlite3 *db, struct theme_tree *t)
{
	sqlite3_stmt *st;
	size_t alloc = 0, alloc2 = 0;
	int rc;
	memset(t, 0, sizeof(*t));
	if (db_stmt(db, "SELECT id, ifnull(parent_id, 0) FROM themes", &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(t->id, alloc, t->n + 1);
		XGROW(t->parent, alloc2, t->n + 1);
		t->id[t->n] = sqlite3_column_int64(st, 0);
		t->parent[t->n++] = sqlite3_column_int64(st, 1);
	}
	db_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "themes");
}

long long themes_tree_parent(const struct theme_tree *t, long long id)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		if (t->id[i] == id)
			return t->parent[i];
	return 0;
}

/* Depth-bounded, so that a loop in bad data cannot hang. */
bool themes_tree_is_ancestor(const struct theme_tree *t, long long anc, long long id)
{
	int depth;
	for (depth = 0; id && depth < 64; depth++) {
		if (id == anc)
			return true;
		id = themes_tree_parent(t, id);
	}
	return false;
}

void themes_tree_clear(struct theme_tree *t)
{
	free(t->id);
	free(t->parent);
	memset(t, 0, sizeof(*t));
}

static int cmp_candidate(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	return x->depth - y->depth;
}

int themes_resolve(sqlite3 *db, const char *query, struct theme_list *out)
{
	struct candidate *c = NULL;
	struct theme_tree par = { 0 };
	size_t n = 0, i, j;
	char *key = text_norm_dup(query);
	int rc = 0;

	if (!*key || themes_tree_load(db, &par) || load_candidates(db, &par, key, &c, &n)) {
		rc = *key ? -1 : 0;
		goto done;
	}
	if (n)
		qsort(c, n, sizeof(*c), cmp_candidate);
	/* keep a candidate unless an already kept one is itself or an ancestor,
	 * and drop kept ones that this one is an ancestor of */
	for (i = 0; i < n; i++) {
		bool covered = false;
		for (j = 0; j < out->n && !covered; j++)
			covered = themes_tree_is_ancestor(&par, out->v[j].id, c[i].id);
		if (covered)
			continue;
		for (j = 0; j < out->n;) {
			if (themes_tree_is_ancestor(&par, c[i].id, out->v[j].id)) {
				theme_clear(&out->v[j]);
				out->v[j] = out->v[--out->n];
			} else {
				j++;
			}
		}
		XGROW(out->v, out->alloc, out->n + 1);
		if (themes_get(db, c[i].id, &out->v[out->n]) == 1) {
			out->v[out->n].matched = c[i].matched;
			c[i].matched = NULL;
			out->n++;
		}
	}
done:
	for (i = 0; i < n; i++)
		free(c[i].matched);
	free(c);
	themes_tree_clear(&par);
	free(key);
	return rc;
}

int themes_suggest(sqlite3 *db, const char *query, struct theme_list *out, size_t max)
{
	sqlite3_stmt *st;
	char *key = text_norm_dup(query);
	size_t limit = strlen(key) / 3 + 1, d;
	int rc;
	if (db_prepare(db, "SELECT theme_id, name_norm FROM theme_names", &st)) {
		free(key);
		return -1;
	}
	for (d = 0; d <= limit && out->n < max; d++) {
		sqlite3_reset(st);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW && out->n < max) {
			const char *nn = (const char *)sqlite3_column_text(st, 1);
			long long id = sqlite3_column_int64(st, 0);
			size_t k;
			bool dup = false;
			if (text_distance(key, nn, limit) != d)
				continue;
			for (k = 0; k < out->n; k++)
				dup |= out->v[k].id == id;
			XGROW(out->v, out->alloc, out->n + 1);
			if (!dup && themes_get(db, id, &out->v[out->n]) == 1)
				out->n++;
		}
	}
	sqlite3_finalize(st);
	free(key);
	return 0;
}

int themes_get(sqlite3 *db, long long id, struct theme *t)
{
	sqlite3_stmt *st;
	int found;
	if (db_stmt(db, "SELECT t.id, t.slug, t.label, p.label FROM themes t "
			   "LEFT JOIN themes p ON p.id = t.parent_id WHERE t.id = ?1", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	found = sqlite3_step(st) == SQLITE_ROW;
	memset(t, 0, sizeof(*t));
	if (found) {
		t->id = sqlite3_column_int64(st, 0);
		t->slug = col_dup(st, 1);
		t->label = col_dup(st, 2);
		t->parent_label = col_dup(st, 3);
	}
	db_stmt_done(st);
	return found;
}

void theme_clear(struct theme *t)
{
	free(t->slug);
	free(t->label);
	free(t->parent_label);
	free(t->matched);
	memset(t, 0, sizeof(*t));
}

void theme_list_clear(struct theme_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		theme_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* JSON array of the ids of the themes q names and of all their sub-themes. */
int themes_ids_json(sqlite3 *db, const char *q, struct strbuf *json)
{
	struct theme_list l = { 0 };
	sqlite3_stmt *st;
	size_t i;
	int rc;
	if (themes_resolve(db, q, &l))
		return -1;
	if (!l.n) {
		theme_list_clear(&l);
		return 0;
	}
	if (db_prepare(db, "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION SELECT t.id FROM themes t "
			   "JOIN sub ON t.parent_id = sub.id) SELECT id FROM sub", &st)) {
		theme_list_clear(&l);
		return -1;
	}
	strbuf_addch(json, '[');
	for (i = 0; i < l.n; i++) {
		sqlite3_bind_int64(st, 1, l.v[i].id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			strbuf_addf(json, "%s%lld", json->len > 1 ? "," : "", (long long)sqlite3_column_int64(st, 0));
		sqlite3_reset(st);
	}
	strbuf_addch(json, ']');
	sqlite3_finalize(st);
	theme_list_clear(&l);
	return 1;
}
