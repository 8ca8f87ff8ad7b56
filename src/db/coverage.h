/*
 * coverage: which communes of a territory have a structure offering a
 * theme within reach, for `qfq gaps` and `qfq map`.
 *
 * A commune is covered when a structure offering the theme (or one of its
 * sub-themes; with sans_rdv, one that takes people without appointment)
 * stands within radius_km of the commune's centre, or when such a structure
 * declares it serves the commune, its EPCI, its département or its region.
 * A structure stands at its own coordinates, else at its commune's centre
 * (what the search's place index holds). Distances are great-circle
 * (core/geo.h).
 *
 * The offering places are read from the place index inside the territory's
 * box widened by the radius and more (COVERAGE_MARGIN_KM), and compared to
 * each commune centre with a cheap flat-earth distance first, the
 * great-circle distance deciding; a commune with no offer in that box gets
 * its nearest offer from every offering place of the country.
 */
#ifndef QFQ_DB_COVERAGE_H
#define QFQ_DB_COVERAGE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define COVERAGE_MARGIN_KM 50.0

struct coverage_query {
	const char *theme_ids;     /* JSON array of theme ids (themes_ids_json) */
	double radius_km;
	const char *departement;   /* code, or NULL */
	const char *epci;          /* SIREN, or NULL (one of the two is set) */
	bool sans_rdv;
};

struct coverage_commune {
	char *code_insee;
	char *nom;
	char *epci, *departement, *region; /* codes, or NULL */
	long population;           /* 0 when unknown */
	bool has_coords;
	double lat, lon;
	double nearest_km;         /* to the nearest offer; < 0 when there is none */
	bool near;                 /* an offer within the radius */
	bool declared;             /* an offering structure declares it serves it */
};

struct coverage_place {
	sqlite3_int64 id;
	double lat, lon;
};

struct coverage {
	struct coverage_commune *v; /* the territory's communes, by INSEE code */
	size_t n;
	struct coverage_place *places; /* offering places in the widened box */
	size_t n_places;
	long population, covered_population;
	size_t covered;            /* communes covered */
};

static inline bool coverage_is_covered(const struct coverage_commune *c)
{
	return c->near || c->declared;
}

/* Computes the coverage of q into out (zeroed first). 0 or -1 (qfq_error). */
int coverage_compute(sqlite3 *db, const struct coverage_query *q, struct coverage *out);
void coverage_clear(struct coverage *c);

#endif
