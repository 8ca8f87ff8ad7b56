/*
 * communes: the commune resolver shared by `qfq commune`, `--commune` of
 * every command, the importers and the TUI picker.
 *
 * A query is an INSEE code ("07186"), a postcode ("07000": every commune
 * of that postcode), or a name, case- and accent-insensitive, with "st" for
 * Saint, current names first, then former/delegated names (which give the
 * current commune), then name prefixes. "Saint-Julien (07)" or
 * "Saint-Julien 07" restricts a name to a département.
 */
#ifndef QFQ_CORE_COMMUNES_H
#define QFQ_CORE_COMMUNES_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct commune {
	char *code_insee;
	char *nom;
	char *departement;     /* code, e.g. "07" */
	char *departement_nom;
	char *epci;            /* SIREN or NULL */
	char *epci_nom;
	char *codes_postaux;   /* '|'-joined */
	char *matched;         /* the former name matched, or NULL */
	double latitude, longitude;
	bool has_coords;
	long population;
};

struct commune_list {
	struct commune *v;
	size_t n, alloc;
};

enum commune_match {
	COMMUNE_NONE,      /* nothing found */
	COMMUNE_FOUND,     /* a code, a postcode (one or more communes) or a unique name */
	COMMUNE_AMBIGUOUS, /* a name several communes bear: the candidates */
};

/* Resolves query into out (appended). 0 and *how, or -1 with qfq_error(). */
int communes_find(sqlite3 *db, const char *query, struct commune_list *out,
		  enum commune_match *how);
/* Up to max communes whose names are close to query (typos), best first. */
int communes_suggest(sqlite3 *db, const char *query, struct commune_list *out, size_t max);
/* One commune by INSEE code: 1 found, 0 not found, -1 error. */
int communes_get(sqlite3 *db, const char *code, struct commune *out);

void commune_clear(struct commune *c);
void commune_list_clear(struct commune_list *l);

#endif
