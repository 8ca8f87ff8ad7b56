/*
 * coverage: communes of a territory with and without an offer within reach
 * (see coverage.h).
 */
#include "db/coverage.h"
#include "core/geo.h"
#include "db/db.h"
#include "db/themesets.h"
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

/*
 * Who offers the theme: the union of the theme bitmaps of every id in the
 * JSON array (db/themesets.h), a theme's rows read where its bitmap is
 * missing. The places and territories below are then filtered in memory
 * instead of probing structure_themes once per row.
 */
struct offers {
	struct themeset_bits bits;
	sqlite3_stmt *rdv;        /* sans_rdv of one structure, when asked */
};

static int offers_load(sqlite3 *db, const struct coverage_query *q, struct offers *o)
{
	struct themeset_reader *r = NULL;
	sqlite3_stmt *rows = NULL;
	const char *p = q->theme_ids;
	int rc = -1;

	memset(o, 0, sizeof(*o));
	if (themeset_reader_open(db, &r) ||
	    db_prepare(db, "SELECT structure_id FROM structure_themes WHERE theme_id = ?1", &rows))
		goto done;
	while (p && *p) {
		const unsigned char *bits;
		size_t len, i;
		char *end;
		long long id = strtoll(p, &end, 10);
		int has;
		if (end == p) {
			p++;
			continue;
		}
		p = end;
		has = themeset_read(r, THEMESET_STRUCTURES, id, &bits, &len);
		if (has < 0)
			goto done;
		if (has) {
			if (len > o->bits.len) {
				XGROW(o->bits.bits, o->bits.alloc, len);
				memset(o->bits.bits + o->bits.len, 0, len - o->bits.len);
				o->bits.len = len;
			}
			for (i = 0; i < len; i++)
				o->bits.bits[i] |= bits[i];
			continue;
		}
		sqlite3_bind_int64(rows, 1, id);
		while (sqlite3_step(rows) == SQLITE_ROW)
			themeset_bits_set(&o->bits, sqlite3_column_int64(rows, 0));
		sqlite3_reset(rows);
	}
	if (q->sans_rdv && db_prepare(db, "SELECT sans_rdv = 1 FROM structures WHERE id = ?1", &o->rdv))
		goto done;
	rc = 0;
done:
	sqlite3_finalize(rows);
	themeset_reader_close(r);
	return rc;
}

/* Whether structure id offers the theme (and takes walk-ins when asked). */
static bool offers_has(struct offers *o, sqlite3_int64 id)
{
	bool yes;
	if (id < 0 || (size_t)(id >> 3) >= o->bits.len || !(o->bits.bits[id >> 3] & (1u << (id & 7))))
		return false;
	if (!o->rdv)
		return true;
	sqlite3_bind_int64(o->rdv, 1, id);
	yes = sqlite3_step(o->rdv) == SQLITE_ROW && sqlite3_column_int(o->rdv, 0) == 1;
	sqlite3_reset(o->rdv);
	return yes;
}

static void offers_clear(struct offers *o)
{
	free(o->bits.bits);
	sqlite3_finalize(o->rdv);
	memset(o, 0, sizeof(*o));
}

/* Offering places in the box (NULL: everywhere). */
static int load_places(sqlite3 *db, struct offers *o, const struct geo_box *box,
		       struct coverage_place **out, size_t *n)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, box ? "SELECT id, min_lat, min_lon FROM structures_geo WHERE min_lat >= ?1 "
			   "AND max_lat <= ?2 AND min_lon >= ?3 AND max_lon <= ?4"
			   : "SELECT id, min_lat, min_lon FROM structures_geo", &st))
		return -1;
	if (box) {
		sqlite3_bind_double(st, 1, box->min_lat);
		sqlite3_bind_double(st, 2, box->max_lat);
		sqlite3_bind_double(st, 3, box->min_lon);
		sqlite3_bind_double(st, 4, box->max_lon);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		if (!offers_has(o, id))
			continue;
		if (*n == alloc) {
			alloc = alloc ? 2 * alloc : 256;
			*out = xrealloc(*out, alloc * sizeof(**out));
		}
		(*out)[*n].id = id;
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

static int load_declared(sqlite3 *db, struct offers *o, struct declared *d)
{
	static const char *const kinds[4] = { "commune", "epci", "departement", "region" };
	sqlite3_stmt *st;
	int rc, k;
	memset(d, 0, sizeof(*d));
	if (db_prepare(db, "SELECT kind, code, structure_id FROM structure_territories", &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		if (!offers_has(o, sqlite3_column_int64(st, 2)))
			continue;
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
	struct offers offers = { 0 };
	size_t i, n_all = 0;
	bool all_loaded = false;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (load_communes(db, q, out) || offers_load(db, q, &offers) || load_declared(db, &offers, &decl))
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
	if (box.min_lat <= box.max_lat && load_places(db, &offers, &box, &out->places, &out->n_places))
		goto done;
	for (i = 0; i < out->n; i++) {
		struct coverage_commune *c = &out->v[i];
		if (c->has_coords) {
			c->nearest_km = nearest(c, out->places, out->n_places);
			if (c->nearest_km < 0) {
				if (!all_loaded && load_places(db, &offers, NULL, &all, &n_all))
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
	offers_clear(&offers);
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
