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
 *   - a time: each result is marked open, closed or unknown at that time;
 *     asked as a filter, only the places whose hours say they are open
 *     then are kept (the unknown ones after them, only when asked);
 *   - filters: without appointment, public, typology.
 * Results are ranked: open at the asked time (when it filters; unknown
 * hours after) and without appointment (when asked) first, then exact
 * theme before parent theme, then distance, then match quality.
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
#include "util/strbuf.h"

#define SEARCH_DEFAULT_RADIUS_KM 15.0

/* One --theme: the themes it resolved to (a structure needs any of them). */
struct search_theme_group {
	char *typed;              /* what was typed */
	struct theme_list themes; /* themes_resolve() result, never empty */
	/*
	 * The typed words also name structures ("caf": CAF ARDECHE): those
	 * come first, then the places that offer the themes (search_parse_input()).
	 */
	bool name_too;
};

/* What a time asked does to the results (see search_query.open). */
enum search_open_filter {
	SEARCH_MARK = 0,          /* each result says open/closed/unknown; nothing dropped */
	SEARCH_OPEN_ONLY,         /* only the places known to be open at `when` */
	SEARCH_OPEN_OR_UNKNOWN,   /* those, then the places whose hours are unknown */
};

struct search_query {
	char *text;               /* free text for FTS, NULL or "" for none */
	char *name_text;          /* words every structure's name must have, or NULL (internal:
				     the name part of a group with name_too) */

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
	enum search_open_filter open; /* with has_when: filter on the state at `when` */

	bool sans_rdv;            /* only places that accept people without appointment */
	char *publics;            /* folded substring of structures.publics, or NULL */
	char *typologie;          /* typology code (or label, resolved), or NULL */
	/* Filters from the standard's fields, asked at the desk (search_desk.c). */
	bool gratuit;             /* frais_a_charge says free ("Gratuit", "Gratuit sous condition") */
	char *prise_en_charge;    /* prise_en_charge_specifique mentions it ("surdité"), or NULL */
	char *acces;              /* modalites_acces mentions it ("téléphone", "mail"), or NULL */
	bool rdv_en_ligne;        /* has an online booking link (prise_rdv) */

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
	bool ids_only;            /* results carry their id only (counting, not showing) */
};

/* Whether q's time filters the results (not only marks them). */
static inline bool search_open_filters(const struct search_query *q)
{
	return q->has_when && q->open != SEARCH_MARK;
}

enum search_open {
	SEARCH_OPEN_UNKNOWN = -1, /* no parsed hours (or no time asked) */
	SEARCH_CLOSED = 0,
	SEARCH_OPEN = 1,
};

/* Why a result matched (bits of search_reason.why); worded by out/motif.h. */
enum search_why {
	SEARCH_WHY_RADIUS = 1 << 0,   /* within the radius of the commune */
	SEARCH_WHY_COMMUNE = 1 << 1,  /* declares it serves the commune */
	SEARCH_WHY_EPCI = 1 << 2,     /* declares it serves the EPCI */
	SEARCH_WHY_DEP = 1 << 3,      /* declares it serves the département */
	SEARCH_WHY_REGION = 1 << 4,   /* declares it serves the région */
	SEARCH_WHY_PERM = 1 << 5,     /* holds a permanence in or near it */
	SEARCH_WHY_IN_EPCI = 1 << 6,  /* is in the EPCI asked */
	SEARCH_WHY_IN_DEP = 1 << 7,   /* is in the département asked */
	SEARCH_WHY_THEME = 1 << 8,    /* offers the queried themes themselves */
	SEARCH_WHY_PARENT = 1 << 9,   /* offers only their parent service */
	SEARCH_WHY_TEXT = 1 << 10,    /* the free text matched */
	SEARCH_WHY_NAME = 1 << 11,    /* named after the typed words */
	SEARCH_WHY_DECLARED = 1 << 12, /* a person: a competence declared for them */
	SEARCH_WHY_VIA = 1 << 13,     /* a person: a theme of a structure where they act */
	SEARCH_WHY_TYPE = 1 << 14,    /* of the type asked (--type) */
	SEARCH_WHY_DESK = 1 << 15,    /* meets the desk filters asked (gratuit, support, access, booking) */
};

struct search_reason {
	unsigned why;             /* enum search_why bits */
	char *perm_commune;       /* SEARCH_WHY_PERM: where, or NULL */
	double perm_km;           /* its distance, < 0 unknown */
	char *parents;            /* SEARCH_WHY_PARENT: the parent services (", "-joined) */
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
	char *ferme_du, *ferme_au; /* a temporary closure ("YYYY-MM-DD"; ferme_au NULL: until further notice), or NULL */
	enum search_open ouvert;  /* at query->when; UNKNOWN without a time */
	char *prochaine_ouverture; /* "YYYY-MM-DDTHH:MM" local, next opening at or after when, or NULL */
	int sans_rdv;             /* 1, 0, -1 unknown */
	struct search_reason reason; /* why it matched */
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
	char *themes_via;         /* '|'-joined, one per theme: "" declared for them, else the
				     structure it comes from (see out_competences()) */
	char *telephone;          /* persons.telephones */
	char *courriels;
	double distance_km;       /* nearest of their structures; < 0 when none */
	struct search_reason reason;
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
 * Appends to out an FTS5 query (structures_fts) for the structures whose
 * name has every word of typed, folded: whole words, or prefixes when
 * prefix. Returns the number of words (0: nothing appended).
 */
size_t search_name_fts(const char *typed, bool prefix, struct strbuf *out);

/*
 * Everything a caller sets around the typed line: the options of `qfq
 * search`, the filters of the full-screen interface and of the line mode,
 * the configured commune. Every part optional (zero: not set).
 */
struct search_settings {
	const char *const *themes;     /* more themes (slug, label or alias), all required */
	size_t nthemes;
	const struct commune *commune; /* the centre when the typed line names none */
	double radius_km;              /* 0: SEARCH_DEFAULT_RADIUS_KM */
	const char *epci;              /* SIREN */
	const char *departement;       /* code */
	const struct tm *when;         /* the moment asked about */
	enum search_open_filter open;  /* what the moment does (with when) */
	bool sans_rdv;
	const char *publics;
	const char *typologie;
	bool gratuit, rdv_en_ligne;
	const char *prise_en_charge, *acces;
	bool persons;
	size_t limit, max_candidates;
};

/* Whether q asks one of the desk filters (gratuit, prise_en_charge, acces, rdv_en_ligne). */
bool search_desk_asked(const struct search_query *q);

/*
 * Reads the words of a desk filter line (the TUI's f, the line mode's :f)
 * into s: "gratuit", "rdv en ligne" / "en ligne", an access word
 * ("téléphone", "mail", "se présenter", "courrier", "prescription"), and
 * the rest as a specific support ("surdité", "langues étrangères").
 * Strings point into buf (a copy of line the caller frees).
 */
void search_desk_read(const char *line, struct search_settings *s, char **buf);

/*
 * The specific support a word names as people say it at the desk
 * ("anglais", "sourde", "LSF", "malvoyant", "illettrisme", "fauteuil"):
 * the label it is matched by ("langues étrangères", "surdité"...), or NULL.
 * The whole of typed is one word or phrase; case and accents ignored.
 */
const char *search_support_label(const char *typed);

/*
 * The one way a query is made: q is cleared, the typed line is read with
 * search_parse_input(), then the settings fill in the rest (a commune
 * typed in the line wins over s->commune). The same line and settings
 * give the same query in the shell, the full-screen interface and the
 * line mode. 0, or -1 with qfq_error() (a database error, or a theme of
 * s->themes that names no theme).
 */
int search_query_build(sqlite3 *db, const char *typed, const struct search_settings *s,
		       struct search_query *q);

/*
 * Runs q into r (cleared first). 0, or -1 with qfq_error() (a database
 * error; no input text makes it fail). r->total counts every match, r->n
 * (or r->np) those kept under q->limit.
 */
int search_run(sqlite3 *db, const struct search_query *q, struct search_results *r);

/*
 * For a query at a time (q->has_when) that found nothing open: the places
 * of the same criteria that open next, soonest then nearest, at most
 * `limit` (0: all found) in r (replaced; r->total: how many in all). Only
 * places known closed now with a known next opening (prochaine_ouverture).
 * Returns 0, or -1 with qfq_error() set.
 */
int search_next_openings(sqlite3 *db, const struct search_query *q, size_t limit, struct search_results *r);
void search_results_clear(struct search_results *r);
/* Frees what one result owns (and zeroes it). */
void search_structure_free(struct search_structure *s);

/* How many places a search would return with one more theme (search_theme_counts()). */
struct search_theme_count {
	long long theme;          /* theme id */
	size_t n;
};

/*
 * For every theme, the number of structures that base with that theme
 * added as a group would return (a theme matches as in search_run():
 * itself, a sub-theme, or an ancestor service), into *out (malloc'd, *n
 * entries, by theme id). base's own groups and text are kept, its limit
 * ignored. 0, or -1 with qfq_error().
 */
int search_theme_counts(sqlite3 *db, const struct search_query *base, struct search_theme_count **out,
			size_t *n);

#endif
