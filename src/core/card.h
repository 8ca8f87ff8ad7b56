/*
 * card: everything known about one structure, gathered in one struct, so
 * that `qfq show` and the full-screen TUI show the same card from the same
 * queries.
 *
 * card_load() reads the structure's row, its commune, typology labels,
 * themes, members (with their contacts and themes), territories served,
 * permanences, and evaluates its opening hours at `now`: the week in
 * French, whether it is open now and, when closed, its next opening in
 * words ("ouvre mardi à 09:00"). Every string is owned by the card (UTF-8,
 * as stored: callers sanitize before drawing); NULL means unknown/empty.
 * Lists are arrays of strings with their length; '|'-joined store fields
 * come out split. card_clear() frees everything and leaves a zeroed card.
 *
 * card_format_text() lays the card out as plain text lines (what `qfq
 * show` prints), for a caller that wants the same layout elsewhere.
 */
#ifndef QFQ_CORE_CARD_H
#define QFQ_CORE_CARD_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/hours.h"

struct strbuf;

/* A list of owned strings. */
struct card_strings {
	char **v;
	size_t n, alloc;
};

/* A theme of the structure (or of a member, or of a permanence). */
struct card_theme {
	sqlite3_int64 id;
	char *slug;
	char *label;
	char *parent_label;   /* NULL for a top-level theme */
	char *standard;       /* the 1.x service label of its top-level ancestor, or NULL */
};

struct card_themes {
	struct card_theme *v;
	size_t n, alloc;
};

/* A person working at the structure (memberships). */
struct card_member {
	sqlite3_int64 person_id;
	char *nom;                    /* family name */
	char *prenom;                 /* given names, or NULL */
	char *display;                /* "Prénom Nom" as written */
	char *role;                   /* fonction / poste, or NULL */
	char *debut, *fin;            /* ISO dates, or NULL */
	struct card_strings courriels;
	struct card_strings telephones;
	struct card_themes themes;    /* person_themes */
	bool referent;                /* referent on at least one theme */
};

/* Office hours the structure holds elsewhere (permanences). */
struct card_permanence {
	sqlite3_int64 id;
	sqlite3_int64 host_id;        /* 0 when not a known structure */
	char *lieu;                   /* held elsewhere: the host's name, else the lieu
					 text; hosted here: the name of the structure
					 holding it (host_id is then that structure) */
	char *adresse;
	char *code_insee;
	char *commune;                /* commune name */
	char *horaires;               /* raw opening_hours, or NULL */
	char *horaires_fr;            /* the week in French (lines), or NULL when unparseable/none */
	int sur_rdv;                  /* 1, 0, -1 unknown */
	char *description;
	struct card_themes themes;
};

/* A territory the structure declares it serves. */
struct card_territory {
	char *kind;                   /* commune, epci, departement, region */
	char *code;
	char *nom;                    /* its name when known, else NULL */
	char *origine;                /* NULL stated, else deduced: "nom", "reunion", "lieu" */
};

/* How a deduced territory was found, for a card ("déduit du nom"), or NULL when stated. */
const char *card_territory_origin(const struct card_territory *t);


struct card {
	sqlite3_int64 id;
	char *nom;
	struct card_strings aliases;      /* other names it is known by */
	struct card_strings typologie;    /* codes */
	struct card_strings typologie_labels; /* same order as typologie */
	char *siret;                      /* pivot: SIRET or RNA */
	sqlite3_int64 parent_id;          /* 0 when none */
	char *parent_nom;

	/* Address. */
	char *adresse;
	char *complement_adresse;
	char *code_postal;
	char *code_insee;
	char *commune;                    /* commune name */
	char *departement;                /* code */
	char *departement_nom;
	char *epci_nom;
	bool has_coords;                  /* latitude/longitude are set */
	double latitude, longitude;       /* own coordinates, else commune centre */
	bool coord_exact;                 /* false: the commune centre (approximate) */

	/* Contact. */
	char *telephone;
	struct card_strings courriels;
	char *site_web;
	char *prise_rdv;                  /* appointment link */

	/* Hours. */
	char *horaires;                   /* raw opening_hours, or NULL */
	int horaires_ok;                  /* 1 parsed, 0 unparseable, -1 none */
	char *horaires_error;             /* the parser's message when unparseable */
	char *horaires_fr;                /* hours_week_fr() lines, or NULL */
	enum hours_state state;           /* at `now` (HOURS_UNKNOWN without hours) */
	bool has_next;                    /* next_open is set */
	struct tm next_open;              /* next opening when closed at `now` */
	char *ouverture;                  /* "ouvert en ce moment", "fermé, ouvre mardi à 09:00",
					     "fermé, pas d'ouverture prévue dans l'année", or NULL
					     when unknown */
	char *ferme_du, *ferme_au;        /* a temporary closure ("YYYY-MM-DD"; ferme_au NULL:
					     until further notice), or NULL */
	char *fermeture;                  /* "du 1er au ...", when the closure is not over, or NULL */
	int sans_rdv;                     /* 1, 0, -1 unknown */

	/* What it offers, to whom, how. */
	char *presentation_resume;
	char *presentation_detail;
	struct card_themes services;      /* structure_themes, in crosswalk order */
	struct card_strings publics;
	struct card_strings prise_en_charge;
	struct card_strings modalites_acces;
	struct card_strings modalites_accompagnement;
	struct card_strings frais;
	struct card_strings dispositifs;
	struct card_strings itinerance;
	struct card_strings formations_labels;
	struct card_strings autres_formations_labels;
	struct card_strings tags;

	/* People, territories, permanences. */
	struct card_member *members;
	size_t n_members;
	struct card_themes member_themes; /* union of the members' themes, deduplicated */
	struct card_territory *territories;
	size_t n_territories;
	struct card_permanence *permanences; /* those it holds elsewhere */
	size_t n_permanences;
	struct card_permanence *hosted;   /* those others hold here (host_id = id) */
	size_t n_hosted;

	/* Provenance. */
	char *source;
	char *source_id;
	char *date_maj;                   /* ISO date, or NULL */
	int freshness_months;             /* whole months from date_maj to now, -1 unknown */
	char *created_at, *updated_at;
};

/*
 * Loads structure id into *out (which must be zeroed or cleared), with
 * opening state evaluated at local time *now (NULL: the current time).
 * Returns 1 found, 0 no such structure, -1 on a database error (qfq_error).
 */
int card_load(sqlite3 *db, sqlite3_int64 id, const struct tm *now, struct card *out);
void card_clear(struct card *c);

/*
 * Appends "ouvre mardi à 09:00" / "ouvre demain à 14:00" / "ouvre
 * aujourd'hui à 14:00" for next relative to now (translated).
 */
/* Appends the territories served, "Ardèche (déduit du nom), Privas", to sb. */
void card_territories_line(struct strbuf *sb, const struct card *c);
void card_next_open_fr(struct strbuf *sb, const struct tm *now, const struct tm *next);

/*
 * Appends the card as plain text, one "Label : value" line per known
 * field, sections separated by blank lines (what `qfq show` prints).
 * Raw data: sanitize before a terminal.
 */
void card_format_text(const struct card *c, struct strbuf *sb);

#endif
