/*
 * roster: importing attendee lists and rosters (people, their structures
 * and roles, their competences, their attendance at a meeting) from the
 * messy CSV files people send, without filling the directory with
 * duplicates.
 *
 * - Columns are recognized by their header, French or English, any case
 *   or accents ("Nom prénom", "Nom" + "Prénom", "Structure"/"Organisme",
 *   "Fonction", "Courriel", "Téléphone", "Présence", "Compétences",
 *   "Zone d'intervention", ...); `--map 'Colonne=champ'` names the others.
 * - Glued information is taken apart: a role inside the structure column
 *   ("Numérian responsable du pôle ...", "MJC ... (directeur)",
 *   "Vice-président de Numérian"), "excusé(e)" after a structure, the
 *   commune inside a structure name, its typology.
 * - A person is the same when the order-free name key agrees or an email
 *   agrees; a structure when its names_structure_key() or an alias agrees.
 *   Near matches become merge_proposals, never silent merges. Existing
 *   non-empty fields are never overwritten: a difference is a conflict in
 *   the report.
 * - One transaction: any bad row aborts the whole import unless
 *   skip_bad_rows; dry_run runs everything and rolls back.
 *
 * Nothing here prints: the caller renders struct roster_report.
 */
#ifndef QFQ_CSV_ROSTER_H
#define QFQ_CSV_ROSTER_H

#include "csv/import.h"
#include "util/csvread.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/* The fields a column can feed (what --map names, after '='). */
enum roster_field {
	RF_NONE,        /* unknown: reported, ignored */
	RF_IGNORE,      /* --map 'X=ignore': ignored silently */
	RF_NOM_PRENOM,  /* "Nom prénom": family name first */
	RF_NOM,
	RF_PRENOM,
	RF_STRUCTURE,
	RF_ROLE,
	RF_COMMUNE,
	RF_CODE_POSTAL,
	RF_COURRIEL,
	RF_TELEPHONE,
	RF_PRESENCE,
	RF_THEMES,
	RF_TERRITOIRE,
	RF_COUNT
};

struct roster_options {
	const char *event_title;  /* with event_date: record attendance */
	const char *event_date;   /* YYYY-MM-DD */
	const char *event_place;  /* a commune query (optional) */
	bool infer_event;         /* no event given: infer from "YYYY-MM-DD-slug.csv" */
	const char *const *map;   /* "Colonne=champ" strings */
	size_t nmap;
	bool skip_bad_rows;
	bool dry_run;
	struct csv_options csv;
	csv_progress_fn *progress; /* called every few hundred rows, or NULL */
	void *progress_arg;
};

struct roster_report {
	const char *file;
	const char *encoding;     /* as detected */
	char delimiter;
	size_t rows;              /* data rows read */
	size_t rows_imported;
	size_t rows_skipped;      /* bad rows left out (skip_bad_rows) */
	size_t persons_new, persons_matched;
	size_t structures_new, structures_matched;
	size_t memberships_new;
	size_t themes_added;      /* person_themes rows added */
	size_t attendance_new;
	size_t merges_proposed;   /* new proposals */
	size_t territories_from_name;    /* structures given territories their name names */
	size_t territories_from_place;   /* ... their own commune */
	size_t territories_from_meeting; /* ... the meeting's département */
	size_t territories_missing;      /* structures left without (no meeting place) */
	size_t communes_guessed;  /* commune columns not written as the commune's name (warned) */
	char *event_title;        /* the meeting, when attendance was recorded */
	char *event_date;
	bool event_inferred;      /* from the file name */
	bool event_new;
	bool dry_run;             /* rolled back on purpose */
	bool data_error;          /* refused for bad input (vs. a system error) */
	char *columns;            /* "Nom prénom=nom_prenom, Structure=structure" */
	struct import_msgs warnings;  /* the first 500 of each list are kept */
	struct import_msgs conflicts;
	struct import_msgs errors;
};

/*
 * Imports path into db (one transaction, committed unless dry_run).
 * Returns 0, or -1 with qfq_error() (rep->data_error tells bad input from
 * a system failure; rep->errors lists the bad rows). rep is filled either
 * way and released with roster_report_clear().
 */
int roster_import(sqlite3 *db, const char *path, const struct roster_options *opt,
		  struct roster_report *rep);
void roster_report_clear(struct roster_report *rep);

/* The field named by s (a --map right-hand side: "nom", "courriel", ...). */
enum roster_field roster_field_parse(const char *s);
/* The field a header suggests (French or English, any case), RF_NONE if none. */
enum roster_field roster_field_guess(const char *header);
const char *roster_field_name(enum roster_field f);

/*
 * Takes apart a structure cell: the structure name (role and "excusé"
 * removed), the role found in it, and whether it said excused.
 */
void roster_split_structure(const char *cell, struct strbuf *name, struct strbuf *role,
			    bool *excused);
/* Removes a trailing "excusé(e)" from a cell (a name); true when there was one. */
bool roster_strip_excused(struct strbuf *cell);

#endif
