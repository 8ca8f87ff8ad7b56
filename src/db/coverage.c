/*
 * coverage: communes of a territory with and without an offer within reach
 * (see coverage.h).
 */
#include "db/coverage.h"
#include "core/geo.h"
#include "db/db.h"
#include "util/error.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KM_PER_DEGREE 111.195 /* 6371 km * pi / 180 */

static int load_communes(sqlite3 *db, const struct coverage_query *q, struct coverage *out)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;
	if (db_prepare(db, "SELECT code_insee, nom, population, latitude, longitude, epci, region, departement FROM communes "
		       "WHERE (?1 IS NOT NULL AND departement = ?1) OR (?2 IS NOT NULL AND epci = ?2) "
		       "ORDER BY code_insee", &st))
		return -1;
	sqlite3_bind_text(st, 1, q->departement, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->epci, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct coverage_commune *c;
		if (out->n == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			out->v = xrealloc(out->v, alloc * sizeof(*out->v));
		}
		c = &out->v[out->n];
		memset(c, 0, sizeof(*c));
		c->code_insee = db_column_dup(st, 0);
		c->nom = db_column_dup(st, 1);
		c->population = sqlite3_column_int(st, 2);
		c->has_coords = sqlite3_column_type(st, 3) != SQLITE_NULL && sqlite3_column_type(st, 4) != SQLITE_NULL;
		c->lat = sqlite3_column_double(st, 3);
		c->lon = sqlite3_column_double(st, 4);
		c->nearest_km = -1;
		c->epci = db_column_dup(st, 5);
		c->region = db_column_dup(st, 6);
		c->departement = db_column_dup(st, 7);
		out->n++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "communes");
}

/* The offer filter every query below shares: ?1 theme ids, ?2 sans_rdv. */
#define OFFERS "EXISTS (SELECT 1 FROM structure_themes t WHERE t.structure_id = s.id AND t.theme_id IN " \
	       "(SELECT value FROM json_each(?1))) AND (?2 = 0 OR s.sans_rdv = 1)"

static void bind_offer(sqlite3_stmt *st, const struct coverage_query *q)
{
	sqlite3_bind_text(st, 1, q->theme_ids, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, q->sans_rdv);
}

/* Offering places in the box (NULL: everywhere). */
static int load_places(sqlite3 *db, const struct coverage_query *q, const struct geo_box *box,
		       struct coverage_place **out, size_t *n)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, box ? "SELECT g.id, g.min_lat, g.min_lon FROM structures_geo g JOIN structures s "
			   "ON s.id = g.id WHERE g.min_lat >= ?3 AND g.max_lat <= ?4 AND g.min_lon >= ?5 "
			   "AND g.max_lon <= ?6 AND " OFFERS
			   : "SELECT g.id, g.min_lat, g.min_lon FROM structures_geo g JOIN structures s "
			   "ON s.id = g.id WHERE " OFFERS, &st))
		return -1;
	bind_offer(st, q);
	if (box) {
		sqlite3_bind_double(st, 3, box->min_lat);
		sqlite3_bind_double(st, 4, box->max_lat);
		sqlite3_bind_double(st, 5, box->min_lon);
		sqlite3_bind_double(st, 6, box->max_lon);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			*out = xrealloc(*out, alloc * sizeof(**out));
		}
		(*out)[*n].id = sqlite3_column_int64(st, 0);
		(*out)[*n].lat = sqlite3_column_double(st, 1);
		(*out)[*n].lon = sqlite3_column_double(st, 2);
		(*n)++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "structures_geo");
}

/*
 * The nearest of places to c: the flat-earth distance (squared, in km at
 * the commune's latitude) finds the candidates within 2% + 1 km of the
 * best, the great-circle distance decides among them.
 */
static double nearest(const struct coverage_commune *c, const struct coverage_place *p, size_t n)
{
	double kx = KM_PER_DEGREE * cos(c->lat * M_PI / 180.0), best = INFINITY, lim, d;
	size_t i;
	for (i = 0; i < n; i++) {
		double dx = (p[i].lon - c->lon) * kx, dy = (p[i].lat - c->lat) * KM_PER_DEGREE;
		d = dx * dx + dy * dy;
		if (d < best)
			best = d;
	}
	if (best == INFINITY)
		return -1;
	lim = sqrt(best) * 1.02 + 1.0;
	lim *= lim;
	best = INFINITY;
	for (i = 0; i < n; i++) {
		double dx = (p[i].lon - c->lon) * kx, dy = (p[i].lat - c->lat) * KM_PER_DEGREE;
		if (dx * dx + dy * dy <= lim && (d = geo_distance_km(c->lat, c->lon, p[i].lat, p[i].lon)) < best)
			best = d;
	}
	return best;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether sorted v holds s. */
static int contains(char **v, size_t n, const char *s)
{
	return s && n && bsearch(&s, v, n, sizeof(*v), cmp_str) != NULL;
}

/* The territories offering structures declare they serve, by kind. */
struct declared {
	char **v[4];   /* commune, epci, departement, region */
	size_t n[4];
};

static int load_declared(sqlite3 *db, const struct coverage_query *q, struct declared *d)
{
	static const char *const kinds[4] = { "commune", "epci", "departement", "region" };
	sqlite3_stmt *st;
	int rc, k;
	memset(d, 0, sizeof(*d));
	if (db_prepare(db, "SELECT DISTINCT st.kind, st.code FROM structure_territories st JOIN structures s "
		       "ON s.id = st.structure_id WHERE " OFFERS, &st))
		return -1;
	bind_offer(st, q);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		for (k = 0; k < 4; k++)
			if (kind && !strcmp(kind, kinds[k]))
				break;
		if (k == 4)
			continue;
		d->v[k] = xrealloc(d->v[k], (d->n[k] + 1) * sizeof(char *));
		d->v[k][d->n[k]] = db_column_dup(st, 1);
		if (d->v[k][d->n[k]])
			d->n[k]++;
	}
	sqlite3_finalize(st);
	for (k = 0; k < 4; k++)
		if (d->n[k])
			qsort(d->v[k], d->n[k], sizeof(char *), cmp_str);
	return rc == SQLITE_DONE ? 0 : db_error(db, "structure_territories");
}

static void declared_clear(struct declared *d)
{
	size_t k, i;
	for (k = 0; k < 4; k++) {
		for (i = 0; i < d->n[k]; i++)
			free(d->v[k][i]);
		free(d->v[k]);
	}
}

int coverage_compute(sqlite3 *db, const struct coverage_query *q, struct coverage *out)
{
	struct geo_box box = { 90, -90, 180, -180 }, b;
	struct coverage_place *all = NULL;
	struct declared decl = { 0 };
	size_t i, n_all = 0;
	bool all_loaded = false;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (load_communes(db, q, out) || load_declared(db, q, &decl))
		goto done;
	for (i = 0; i < out->n; i++) {
		if (!out->v[i].has_coords)
			continue;
		geo_box_around(out->v[i].lat, out->v[i].lon, q->radius_km + COVERAGE_MARGIN_KM, &b);
		box.min_lat = fmin(box.min_lat, b.min_lat);
		box.max_lat = fmax(box.max_lat, b.max_lat);
		box.min_lon = fmin(box.min_lon, b.min_lon);
		box.max_lon = fmax(box.max_lon, b.max_lon);
	}
	if (box.min_lat <= box.max_lat && load_places(db, q, &box, &out->places, &out->n_places))
		goto done;
	for (i = 0; i < out->n; i++) {
		struct coverage_commune *c = &out->v[i];
		if (c->has_coords) {
			c->nearest_km = nearest(c, out->places, out->n_places);
			if (c->nearest_km < 0) {
				if (!all_loaded && load_places(db, q, NULL, &all, &n_all))
					goto done;
				all_loaded = true;
				c->nearest_km = nearest(c, all, n_all);
			}
			c->near = c->nearest_km >= 0 && c->nearest_km <= q->radius_km;
		}
		c->declared = contains(decl.v[0], decl.n[0], c->code_insee) || contains(decl.v[1], decl.n[1], c->epci) ||
			      contains(decl.v[2], decl.n[2], c->departement) ||
			      contains(decl.v[3], decl.n[3], c->region);
		out->population += c->population;
		if (coverage_is_covered(c)) {
			out->covered++;
			out->covered_population += c->population;
		}
	}
	rc = 0;
done:
	free(all);
	declared_clear(&decl);
	return rc;
}

void coverage_clear(struct coverage *c)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].code_insee);
		free(c->v[i].nom);
		free(c->v[i].epci);
		free(c->v[i].departement);
		free(c->v[i].region);
	}
	free(c->v);
	free(c->places);
	memset(c, 0, sizeof(*c));
}
