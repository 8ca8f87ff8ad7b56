/*
 * search: the one search engine behind `qfq search` and the full-screen
 * interface: "who handles these themes near this commune, and can they
 * see the person soon?". Library code: it never prints.
 *
 * A query combines (every part optional):
 *   - free text, matched with FTS5 over names, aliases, descriptions,
 *     roles, theme labels (accents folded; every token is quoted, so any
 *     input is plain text, never FTS syntax);
 *   - theme groups: each --theme resolves (themes_resolve()) to one or
 *     more themes; a structure matches a group when it offers one of them,
 *     one of their sub-themes, or (for places that only declare the nine
 *     national services) one of their ancestors; every group must match;
 *   - a place: a commune (its centre and radius, the territories it
 *     belongs to, the permanences held near it), or an EPCI, or a
 *     département;
 *   - a time: each result is marked open, closed or unknown at that time
 *     (unknown hours are kept, ranked after);
 *   - filters: without appointment, public, typology.
 * Results are ranked: open at the asked time (and without appointment
 * when asked) first, then distance, then match quality.
 *
 * Typical use:
 *	struct search_query q;
 *	struct search_results r = SEARCH_RESULTS_INIT;
 *	search_query_init(&q);
 *	search_query_add_theme(db, &q, "smartphone");
 *	search_query_set_commune(&q, &commune);   (from communes_find())
 *	if (search_run(db, &q, &r) == 0) ... r.v[0..r.n), r.total ...
 *	search_results_clear(&r);
 *	search_query_clear(&q);
 * The query may be changed and run again; results are replaced each run.
 */
#ifndef QFQ_CORE_SEARCH_H
#define QFQ_CORE_SEARCH_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/communes.h"
#include "core/themes.h"

#define SEARCH_DEFAULT_RADIUS_KM 15.0

/* One --theme: the themes it resolved to (a structure needs any of them). */
struct search_theme_group {
	char *typed;              /* what was typed */
	struct theme_list themes; /* themes_resolve() result, never empty */
};

struct search_query {
	char *text;               /* free text for FTS, NULL or "" for none */

	struct search_theme_group *groups; /* all must match */
	size_t ngroups, groups_alloc;

	/* The commune searched around (search_query_set_commune()). */
	bool has_commune;
	char *commune_insee;      /* INSEE code */
	char *commune_nom;
	char *commune_epci;       /* its EPCI SIREN or NULL */
	char *commune_dep;        /* its département code */
	bool has_center;          /* the commune has coordinates */
	double lat, lon;          /* its centre */
	double radius_km;         /* default SEARCH_DEFAULT_RADIUS_KM */

	char *epci;               /* SIREN: restrict to this EPCI, or NULL */
	char *departement;        /* code: restrict to this département, or NULL */

	bool has_when;            /* mark open/closed at `when` */
	struct tm when;           /* local time (tm_wday, tm_hour, tm_min, date) */
	bool open_only;           /* hide places known closed at `when` (unknown kept) */

	bool sans_rdv;            /* only places that accept people without appointment */
	char *publics;            /* folded substring of structures.publics, or NULL */
	char *typologie;          /* typology code (or label, resolved), or NULL */

	bool persons;             /* search persons instead of structures */
	size_t limit;             /* at most this many results (0: all) */
	/*
	 * Stop collecting after this many candidates (0: never). For an
	 * interactive caller on a large directory: a one-letter query or a
	 * theme alone nationwide matches tens of thousands of places; ranking
	 * them all takes longer than a keystroke. The ranking is then among
	 * the first ones found, and results->capped says so (total is then a
	 * floor). A text-only search with a limit counts the full-text matches
	 * read, before any other filter: its work stays bounded whatever the
	 * filters drop.
	 */
	size_t max_candidates;
};

enum search_open {
	SEARCH_OPEN_UNKNOWN = -1, /* no parsed hours (or no time asked) */
	SEARCH_CLOSED = 0,
	SEARCH_OPEN = 1,
};

/* One structure found. Strings are owned (NULL when absent); lists are '|'-joined. */
struct search_structure {
	long long id;
	char *nom;
	char *typologie;          /* typology codes */
	char *commune;            /* commune name */
	char *code_insee;
	char *adresse;
	bool has_coords;
	double latitude, longitude; /* its own, else its commune's centre */
	double distance_km;       /* from the commune searched; < 0 when none */
	char *services;           /* labels of all the themes it offers */
	char *themes;             /* labels of the themes that matched the query */
	char *telephone;
	char *courriels;
	char *site_web;
	char *horaires;           /* OSM opening_hours as stored */
	enum search_open ouvert;  /* at query->when; UNKNOWN without a time */
	char *prochaine_ouverture; /* "YYYY-MM-DDTHH:MM" local, next opening at or after when, or NULL */
	int sans_rdv;             /* 1, 0, -1 unknown */
	char *motif;              /* why it matched, French, e.g. "à 4,2 km ; thème direct" */
	bool direct;              /* offers a queried theme itself (not only an ancestor) */
	double rank;              /* match quality used for ordering (lower is better) */
};

struct search_person_structure {
	long long id;
	char *nom;
	char *role;               /* NULL when unknown */
};

/* One person found. */
struct search_person {
	long long id;
	char *nom;
	char *prenom;
	struct search_person_structure *structures;
	size_t nstructures;
	char *themes;             /* '|'-joined labels of matched competences */
	char *telephone;          /* persons.telephones */
	char *courriels;
	double distance_km;       /* nearest of their structures; < 0 when none */
	char *motif;
};

struct search_results {
	struct search_structure *v;  /* structures (query->persons false) */
	size_t n, alloc;
	struct search_person *p;     /* persons (query->persons true) */
	size_t np, palloc;
	size_t total;                /* matches before the limit */
	bool capped;                 /* query->max_candidates reached: total is a floor */
};

#define SEARCH_RESULTS_INIT { NULL, 0, 0, NULL, 0, 0, 0, false }

/* Empties q and sets the defaults (radius). */
void search_query_init(struct search_query *q);
/* Frees what q owns and re-initializes it. */
void search_query_clear(struct search_query *q);

/*
 * Resolves typed with themes_resolve() and adds it as a group.
 * Returns 1 added, 0 unknown theme (nothing added), -1 error (qfq_error).
 */
int search_query_add_theme(sqlite3 *db, struct search_query *q, const char *typed);
/* Searches around c (copied): centre, its EPCI and département. */
void search_query_set_commune(struct search_query *q, const struct commune *c);
/*
 * Restricts to an EPCI given by SIREN or name (folded, prefix allowed).
 * Returns 1 set, 0 none matches, 2 several match (q unchanged), -1 error.
 */
int search_query_set_epci(sqlite3 *db, struct search_query *q, const char *typed);
/* Sets the free text (copied; NULL clears). */
void search_query_set_text(struct search_query *q, const char *text);

/*
 * Parses a time: "now"/"maintenant", a French or English weekday with a
 * time ("mardi 14:00", "mar 14h", "tuesday 9:30": the next such day from
 * now, today included), "14:00" (today), or ISO "2024-07-10T14:00" /
 * "2024-07-10 14:00". Fills *out (normalized local time). 0, or -1 with
 * qfq_error() saying what was expected.
 */
int search_parse_when(const char *s, const struct tm *now, struct tm *out);

/*
 * Reads what a person typed in one line (the interface's search box) into
 * q: words or runs of words that name a theme become theme groups ("caf"),
 * a commune name becomes the place ("privas", "st jean de muzols"); the
 * words left become the free text. Longer runs win; a commune name is only
 * taken when it is unambiguous. q's previous themes, commune and text are
 * replaced; its other settings (radius, time, filters, limit) are kept.
 * Returns 0 or -1 (qfq_error).
 */
int search_parse_input(sqlite3 *db, const char *typed, struct search_query *q);

/*
 * Runs q into r (cleared first). 0, or -1 with qfq_error() (a database
 * error; no input text makes it fail). r->total counts every match, r->n
 * (or r->np) those kept under q->limit.
 */
int search_run(sqlite3 *db, const struct search_query *q, struct search_results *r);
void search_results_clear(struct search_results *r);

#endif
