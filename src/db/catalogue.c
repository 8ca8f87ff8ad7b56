/*
 * catalogue: the structures of a territory by theme and commune (see
 * catalogue.h).
 */
#include "db/catalogue.h"
#include "core/geo.h"
#include "core/themes.h"
#include "db/db.h"
#include "util/error.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* What sorting needs beside an entry. */
struct keyed {
	struct catalogue_entry e;
	long position;             /* the theme's crosswalk position */
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c;
	if (x->position != y->position)
		return x->position < y->position ? -1 : 1;
	if (x->e.theme_id != y->e.theme_id)
		return x->e.theme_id < y->e.theme_id ? -1 : 1;
	if ((c = strcoll(x->e.commune ? x->e.commune : "", y->e.commune ? y->e.commune : "")))
		return c;
	if ((c = strcoll(x->e.nom, y->e.nom)))
		return c;
	return (x->e.structure_id > y->e.structure_id) - (x->e.structure_id < y->e.structure_id);
}

/* The top-level ancestor of id. */
static long long top_of(const struct theme_tree *t, long long id)
{
	long long p;
	int d = 0;
	while ((p = themes_tree_parent(t, id)) && d++ < 64)
		id = p;
	return id;
}

int catalogue_list(sqlite3 *db, const struct catalogue_query *q, struct catalogue *out)
{
	struct theme_tree tree = { 0 };
	struct geo_box box = { 0 };
	struct keyed *k = NULL;
	size_t n = 0, alloc = 0, i;
	sqlite3_stmt *st = NULL, *label = NULL;
	int rc = -1, step;

	memset(out, 0, sizeof(*out));
	if (q->around)
		geo_box_around(q->lat, q->lon, q->radius_km, &box);
	if (themes_tree_load(db, &tree) ||
	    db_prepare(db, "SELECT DISTINCT s.id, s.nom, c.nom, t.theme_id, g.min_lat, g.min_lon FROM structures s "
			   "JOIN (SELECT structure_id, theme_id FROM structure_themes UNION "
			   "SELECT m.structure_id, p.theme_id FROM memberships m JOIN person_themes p "
			   "ON p.person_id = m.person_id WHERE m.fin IS NULL) t ON t.structure_id = s.id "
			   "LEFT JOIN communes c ON c.code_insee = s.code_insee "
			   "LEFT JOIN structures_geo g ON g.id = s.id "
			   "WHERE (?1 IS NULL OR c.departement = ?1) AND (?2 IS NULL OR c.epci = ?2) "
			   "AND (?3 = 0 OR (g.min_lat BETWEEN ?4 AND ?5 AND g.min_lon BETWEEN ?6 AND ?7)) "
			   "AND (?8 IS NULL OR t.theme_id IN (SELECT value FROM json_each(?8)))", &st) ||
	    db_prepare(db, "SELECT label, position FROM themes WHERE id = ?1", &label))
		goto done;
	sqlite3_bind_text(st, 1, q->departement, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->epci, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, q->around);
	sqlite3_bind_double(st, 4, box.min_lat);
	sqlite3_bind_double(st, 5, box.max_lat);
	sqlite3_bind_double(st, 6, box.min_lon);
	sqlite3_bind_double(st, 7, box.max_lon);
	sqlite3_bind_text(st, 8, q->theme_ids, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long group = q->theme_ids ? q->theme_id : top_of(&tree, sqlite3_column_int64(st, 3));
		struct keyed *e;
		if (q->around && geo_distance_km(q->lat, q->lon, sqlite3_column_double(st, 4),
						 sqlite3_column_double(st, 5)) > q->radius_km)
			continue;
		/* one entry per structure and group (several sub-themes share a group) */
		for (i = n; i > 0; i--)
			if (k[i - 1].e.structure_id == sqlite3_column_int64(st, 0) && k[i - 1].e.theme_id == group)
				break;
		if (i > 0)
			continue;
		XGROW(k, alloc, n + 1);
		e = &k[n++];
		memset(e, 0, sizeof(*e));
		e->e.structure_id = sqlite3_column_int64(st, 0);
		e->e.nom = db_column_dup(st, 1);
		e->e.commune = db_column_dup(st, 2);
		e->e.theme_id = group;
		sqlite3_bind_int64(label, 1, group);
		if (sqlite3_step(label) == SQLITE_ROW) {
			e->e.theme = db_column_dup(label, 0);
			e->position = sqlite3_column_int(label, 1);
		}
		sqlite3_reset(label);
	}
	if (step != SQLITE_DONE) {
		db_error(db, "catalogue");
		goto done;
	}
	qsort(k, n, sizeof(*k), cmp_keyed);
	out->v = xcalloc(n + 1, sizeof(*out->v));
	for (i = 0; i < n; i++)
		out->v[i] = k[i].e;
	out->n = out->alloc = n;
	n = 0;
	rc = 0;
done:
	for (i = 0; i < n; i++) {
		free(k[i].e.theme);
		free(k[i].e.commune);
		free(k[i].e.nom);
	}
	free(k);
	sqlite3_finalize(st);
	sqlite3_finalize(label);
	themes_tree_clear(&tree);
	return rc;
}

void catalogue_clear(struct catalogue *c)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].theme);
		free(c->v[i].commune);
		free(c->v[i].nom);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}
