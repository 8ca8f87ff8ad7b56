/*
 * catalogue: who does what on a territory, for `qfq catalogue`: the
 * structures of a département, an EPCI or within a radius of a commune,
 * each listed under the top-level theme of every service it offers or
 * competence its current members have (or under the one theme asked for), ordered by theme (crosswalk order), then
 * commune, then name. The entries' details come from core/card.h.
 */
#ifndef QFQ_DB_CATALOGUE_H
#define QFQ_DB_CATALOGUE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct catalogue_query {
	const char *departement;   /* code, or NULL */
	const char *epci;          /* SIREN, or NULL */
	bool around;               /* within radius_km of (lat, lon) */
	double lat, lon, radius_km;
	const char *theme_ids;     /* JSON array (a theme and its sub-themes), or NULL: all */
	long long theme_id;        /* with theme_ids: the group everything goes under */
};

struct catalogue_entry {
	long long theme_id;        /* the group */
	char *theme;               /* its label */
	sqlite3_int64 structure_id;
	char *commune;             /* commune name, or NULL */
	char *nom;
};

struct catalogue {
	struct catalogue_entry *v;
	size_t n, alloc;
};

/* Lists the entries of q in order into out. 0 or -1 (qfq_error). */
int catalogue_list(sqlite3 *db, const struct catalogue_query *q, struct catalogue *out);
void catalogue_clear(struct catalogue *c);

#endif
