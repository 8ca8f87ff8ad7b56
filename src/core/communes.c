/*
 * communes: resolving what people type into communes (see communes.h).
 *
 * Every look-up is an index probe on communes(nom_norm),
 * communes_anciennes(nom_norm), commune_postcodes or the primary key, so a
 * resolution costs well under a millisecond on the 34,969 communes.
 */
#include "core/communes.h"
#include "core/text.h"
#include "db/db.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define COMMUNE_COLUMNS \
	"SELECT c.code_insee, c.nom, c.departement, d.nom, c.epci, e.nom, c.latitude, c.longitude, " \
	"c.population, (SELECT group_concat(code_postal, '|') FROM (SELECT code_postal " \
	"FROM commune_postcodes p WHERE p.code_insee = c.code_insee ORDER BY 1)) "
#define COMMUNE_FROM \
	"FROM communes c LEFT JOIN departements d ON d.code = c.departement " \
	"LEFT JOIN epci e ON e.siren = c.epci "

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

static void read_row(sqlite3_stmt *st, struct commune *c, int matched_col)
{
	memset(c, 0, sizeof(*c));
	c->code_insee = col_dup(st, 0);
	c->nom = col_dup(st, 1);
	c->departement = col_dup(st, 2);
	c->departement_nom = col_dup(st, 3);
	c->epci = col_dup(st, 4);
	c->epci_nom = col_dup(st, 5);
	c->has_coords = sqlite3_column_type(st, 6) != SQLITE_NULL;
	c->latitude = sqlite3_column_double(st, 6);
	c->longitude = sqlite3_column_double(st, 7);
	c->population = (long)sqlite3_column_int64(st, 8);
	c->codes_postaux = col_dup(st, 9);
	if (matched_col >= 0)
		c->matched = col_dup(st, matched_col);
}

static bool listed(const struct commune_list *l, const char *code)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].code_insee, code))
			return true;
	return false;
}

/* Runs sql with up to two text parameters and appends its communes. */
static int run(sqlite3 *db, const char *sql, const char *p1, const char *p2,
	       struct commune_list *out, int matched_col)
{
	sqlite3_stmt *st;
	int rc;
	if (db_stmt(db, sql, &st))
		return -1;
	sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
	if (p2)
		sqlite3_bind_text(st, 2, p2, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		if (!code || listed(out, code))
			continue;
		XGROW(out->v, out->alloc, out->n + 1);
		read_row(st, &out->v[out->n++], matched_col);
	}
	db_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "communes");
}

static bool is_code_like(const char *q)
{
	size_t i;
	if (strlen(q) != 5)
		return false;
	for (i = 0; i < 5; i++)
		if (!isdigit((unsigned char)q[i]) && !(i == 1 && (q[i] == 'A' || q[i] == 'B' || q[i] == 'a' || q[i] == 'b')))
			return false;
	return true;
}

static bool is_dep_code(const char *s, size_t len)
{
	if (len == 2)
		return (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1])) ||
		       (s[0] == '2' && strchr("aAbB", s[1]));
	return len == 3 && s[0] == '9' && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]);
}

/*
 * Splits "Saint-Julien (07)" or "Saint-Julien 07" into a name and a
 * département code (uppercased); dep is left empty when there is none.
 */
static void split_departement(const char *q, struct strbuf *name, char dep[4])
{
	size_t len = strlen(q), e = len, b;
	dep[0] = '\0';
	while (e && q[e - 1] == ' ')
		e--;
	if (e && q[e - 1] == ')') {
		b = e - 1;
		while (b && q[b - 1] != '(')
			b--;
		if (b && is_dep_code(q + b, e - 1 - b)) {
			memcpy(dep, q + b, e - 1 - b);
			dep[e - 1 - b] = '\0';
			e = b - 1;
		}
	} else {
		b = e;
		while (b && q[b - 1] != ' ')
			b--;
		if (b > 0 && is_dep_code(q + b, e - b)) {
			memcpy(dep, q + b, e - b);
			dep[e - b] = '\0';
			e = b;
		}
	}
	for (b = 0; dep[b]; b++)
		dep[b] = (char)toupper((unsigned char)dep[b]);
	strbuf_add(name, q, e);
}

static int find_by_code(sqlite3 *db, const char *q, struct commune_list *out)
{
	char code[6];
	size_t i;
	for (i = 0; i < 5; i++)
		code[i] = (char)toupper((unsigned char)q[i]);
	code[5] = '\0';
	if (run(db, COMMUNE_COLUMNS COMMUNE_FROM "WHERE c.code_insee = ?1", code, NULL, out, -1))
		return -1;
	return run(db, COMMUNE_COLUMNS COMMUNE_FROM
		   "JOIN commune_postcodes p ON p.code_insee = c.code_insee WHERE p.code_postal = ?1 "
		   "ORDER BY c.population DESC", code, NULL, out, -1);
}

/* The name tiers, tried in order until one gives something. */
static const char *const name_queries[] = {
	COMMUNE_COLUMNS COMMUNE_FROM
	"WHERE c.nom_norm = ?1 AND (?2 = '' OR c.departement = ?2) ORDER BY c.population DESC",
	COMMUNE_COLUMNS ", a.nom " COMMUNE_FROM
	"JOIN communes_anciennes a ON a.commune_actuelle = c.code_insee "
	"WHERE a.nom_norm = ?1 AND (?2 = '' OR c.departement = ?2) ORDER BY c.population DESC",
	COMMUNE_COLUMNS COMMUNE_FROM
	"WHERE c.nom_norm >= ?1 AND c.nom_norm < ?1 || '~' AND (?2 = '' OR c.departement = ?2) "
	"ORDER BY c.population DESC LIMIT 50",
	COMMUNE_COLUMNS ", a.nom " COMMUNE_FROM
	"JOIN communes_anciennes a ON a.commune_actuelle = c.code_insee "
	"WHERE a.nom_norm >= ?1 AND a.nom_norm < ?1 || '~' AND (?2 = '' OR c.departement = ?2) "
	"ORDER BY c.population DESC LIMIT 50",
};

/* What the tiers missed, as communes_resolve() forgives it: one commune or none. */
static int find_forgiving(sqlite3 *db, const char *query, const char *name, const char *dep,
			  struct commune_list *out)
{
	struct commune_clue clue = { .nom = name, .departement = dep };
	struct commune_guess g;
	struct commune c;
	int rc;
	if (communes_resolve(db, &clue, &g))
		return -1;
	if (g.how == COMMUNE_HOW_NONE && *dep) {
		/* "Annecy Cedex 03": the number was not a département */
		clue.nom = query, clue.departement = NULL;
		if (communes_resolve(db, &clue, &g))
			return -1;
	}
	if (g.how == COMMUNE_HOW_NONE)
		return 0;
	if ((rc = communes_get(db, g.code_insee, &c)) != 1)
		return rc;
	c.forgiven = commune_how_reason(g.how, g.former);
	XGROW(out->v, out->alloc, out->n + 1);
	out->v[out->n++] = c;
	return 0;
}

int communes_find(sqlite3 *db, const char *query, struct commune_list *out,
		  enum commune_match *how)
{
	return communes_find_as(db, query, true, out, how);
}

int communes_find_as(sqlite3 *db, const char *query, bool forgive, struct commune_list *out,
		     enum commune_match *how)
{
	struct strbuf name = STRBUF_INIT, key = STRBUF_INIT;
	size_t before = out->n, i;
	char dep[4];
	int rc = 0;

	*how = COMMUNE_NONE;
	while (*query == ' ')
		query++;
	if (is_code_like(query)) {
		rc = find_by_code(db, query, out);
		if (!rc && out->n > before)
			*how = COMMUNE_FOUND;
		return rc;
	}
	split_departement(query, &name, dep);
	text_norm(&key, name.buf, name.len);
	for (i = 0; key.len && i < sizeof(name_queries) / sizeof(*name_queries); i++) {
		rc = run(db, name_queries[i], key.buf, dep, out, i % 2 ? 10 : -1);
		if (rc || out->n > before)
			break;
	}
	if (!rc && out->n == before && key.len && forgive)
		rc = find_forgiving(db, query, name.buf, dep, out);
	if (!rc && out->n > before)
		*how = out->n - before == 1 ? COMMUNE_FOUND : COMMUNE_AMBIGUOUS;
	strbuf_release(&name);
	strbuf_release(&key);
	return rc;
}

struct scored {
	char *code;
	size_t dist;
	long population;
};

static int cmp_scored(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;
	if (x->dist != y->dist)
		return x->dist < y->dist ? -1 : 1;
	return (y->population > x->population) - (y->population < x->population);
}

int communes_suggest(sqlite3 *db, const char *query, struct commune_list *out, size_t max)
{
	sqlite3_stmt *st;
	struct scored *best = NULL;
	size_t n = 0, alloc = 0, i, limit;
	char *key = text_norm_dup(query);
	int rc;

	limit = strlen(key) / 4 + 1;
	if (db_prepare(db, "SELECT code_insee, nom_norm, population FROM communes", &st)) {
		free(key);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *nm = (const char *)sqlite3_column_text(st, 1);
		size_t d = text_distance(key, nm, limit);
		if (d > limit)
			continue;
		XGROW(best, alloc, n + 1);
		best[n].code = xstrdup((const char *)sqlite3_column_text(st, 0));
		best[n].dist = d;
		best[n++].population = (long)sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (n > 1) /* best is NULL when nothing came close */
		qsort(best, n, sizeof(*best), cmp_scored);
	for (i = 0; i < n; i++) {
		if (i < max) {
			XGROW(out->v, out->alloc, out->n + 1);
			if (communes_get(db, best[i].code, &out->v[out->n]) == 1)
				out->n++;
		}
		free(best[i].code);
	}
	free(best);
	free(key);
	return rc == SQLITE_DONE ? 0 : -1;
}

int communes_get(sqlite3 *db, const char *code, struct commune *c)
{
	struct commune_list l = { 0 };
	if (run(db, COMMUNE_COLUMNS COMMUNE_FROM "WHERE c.code_insee = ?1", code, NULL, &l, -1))
		return -1;
	if (!l.n) {
		free(l.v);
		return 0;
	}
	*c = l.v[0];
	free(l.v);
	return 1;
}

void commune_clear(struct commune *c)
{
	free(c->code_insee);
	free(c->nom);
	free(c->departement);
	free(c->departement_nom);
	free(c->epci);
	free(c->epci_nom);
	free(c->codes_postaux);
	free(c->matched);
	memset(c, 0, sizeof(*c));
}

void commune_list_clear(struct commune_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		commune_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
