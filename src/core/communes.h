/*
 * communes: the commune resolver shared by `qfq commune`, `--commune` of
 * every command, the importers and the TUI picker.
 *
 * A query is an INSEE code ("07186"), a postcode ("07000": every commune
 * of that postcode), or a name, case- and accent-insensitive, with "st" for
 * Saint, current names first, then former/delegated names (which give the
 * current commune), then name prefixes. "Saint-Julien (07)" or
 * "Saint-Julien 07" restricts a name to a département. A name none of
 * these find goes through the forgiving resolution (communes_resolve:
 * CEDEX, articles, suffixes, near spellings): a single commune it finds
 * is returned with its reason in `forgiven`, for the caller to say.
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
	const char *forgiven;  /* not found as typed: why this one (translated, static), or NULL */
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
/* communes_find() with the forgiving tier or without (forgive false: as typed only). */
int communes_find_as(sqlite3 *db, const char *query, bool forgive, struct commune_list *out,
		     enum commune_match *how);
/* Up to max communes whose names are close to query (typos), best first. */
int communes_suggest(sqlite3 *db, const char *query, struct commune_list *out, size_t max);
/* One commune by INSEE code: 1 found, 0 not found, -1 error. */
int communes_get(sqlite3 *db, const char *code, struct commune *out);

/*
 * Forgiving resolution (communes_resolve.c), for the importers and for a
 * --commune that matched nothing exactly: what a row says of its commune.
 */
struct commune_clue {
	const char *nom;          /* as written, or NULL */
	const char *code_postal;  /* or NULL; a CEDEX postcode gives its département */
	const char *departement;  /* a code to search in when there is no postcode, or NULL */
	double lat, lon;          /* the row's point, when has_coords */
	bool has_coords;
};

/* How the commune was found, best first (the order ranks candidates). */
enum commune_how {
	COMMUNE_HOW_NONE,      /* not placed (out->candidates > 1: the name is ambiguous) */
	COMMUNE_HOW_EXACT,     /* the name as written */
	COMMUNE_HOW_SPELLING,  /* the same letters but for articles, hyphens, apostrophes */
	COMMUNE_HOW_AFFIX,     /* the name lacks or adds a suffix: "Loriol", "Sciez-sur-Léman" */
	COMMUNE_HOW_NEAR,      /* a near spelling: "Les Molettes" */
	COMMUNE_HOW_CEDEX,     /* the exact name once "CEDEX nn" removed */
	COMMUNE_HOW_ONLY,      /* the only commune of the postcode, whatever the name */
	COMMUNE_HOW_NEAREST,   /* the commune of the postcode (or département) nearest the point */
};

struct commune_guess {
	char code_insee[8];
	enum commune_how how;
	bool former;           /* the name matched is a former (merged, delegated) commune's */
	bool cedex;            /* a CEDEX mention was removed from the name */
	bool by_coords;        /* several candidates were equally good: the nearest was taken */
	bool in_postcode;      /* the commune has the clue's postcode */
	size_t candidates;     /* how many communes were equally good */
	double km;             /* from the point to the commune's centre (0 without a point) */
};

/*
 * Places clue in a commune: out->how says how, COMMUNE_HOW_NONE when it
 * cannot be placed. Anything but EXACT (of a current name) is a guess the
 * caller reports. 0, or -1 with qfq_error().
 */
int communes_resolve(sqlite3 *db, const struct commune_clue *clue, struct commune_guess *out);
/* Why a guess was taken, translated: "the name once CEDEX removed". */
const char *commune_how_reason(enum commune_how how, bool former);

void commune_clear(struct commune *c);
void commune_list_clear(struct commune_list *l);

#endif
