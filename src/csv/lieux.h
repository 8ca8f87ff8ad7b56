/*
 * lieux: the "schéma des lieux de médiation numérique", the national
 * open-data standard for digital-mediation places: importing its CSV files
 * (versions 0.x and 1.x, detected from the header) into structures, and
 * exporting structures back in the current (1.x) form.
 *
 * Import: every field is validated (INSEE code and postcode against the
 * commune tables, coordinates inside France, emails, phones normalized to
 * +33, URLs, the standard's vocabularies, dates) and mapped onto the current
 * vocabulary (0.x values through data/legacy_vocab.csv, services through the
 * theme crosswalk); a value no vocabulary knows is kept as a tag and
 * reported. A place is identified by (source, id): importing the same file
 * again changes nothing. A new place whose name and commune look like an
 * existing structure's (a roster's "26 FK" for the place "26FK" in Annonay)
 * gets a merge proposal instead of being silently merged. The whole import
 * is one transaction: a bad row refuses it all, unless skip_bad_rows.
 *
 * Export: the columns of the schema v1.0.2 in its order, lists joined with
 * '|', UTF-8, RFC 4180 quoting with CRLF; or JSON with the same names; only
 * values the schema accepts. Importing an export gives the same data back,
 * and exporting that again is byte-identical.
 *
 * Nothing here prints: problems are collected in the report, failures go
 * through qfq_error().
 */
#ifndef QFQ_CSV_LIEUX_H
#define QFQ_CSV_LIEUX_H

#include "csv/import.h"
#include "util/csvread.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct strbuf;

/* The 1.x columns (the importer's order; the export writes the schema's order). */
enum lieux_field {
	LF_ID, LF_NOM, LF_PIVOT, LF_STRUCTURE_PARENTE, LF_TYPOLOGIE, LF_COMMUNE,
	LF_CODE_POSTAL, LF_CODE_INSEE, LF_ADRESSE, LF_COMPLEMENT_ADRESSE, LF_LATITUDE,
	LF_LONGITUDE, LF_TELEPHONE, LF_COURRIELS, LF_SITE_WEB, LF_HORAIRES, LF_PRISE_RDV,
	LF_PRESENTATION_RESUME, LF_PRESENTATION_DETAIL, LF_SERVICES, LF_PUBLICS,
	LF_PRISE_EN_CHARGE, LF_FRAIS, LF_MODALITES_ACCES, LF_MODALITES_ACCOMPAGNEMENT,
	LF_FICHE_ACCES_LIBRE, LF_ITINERANCE, LF_DISPOSITIFS, LF_FORMATIONS_LABELS,
	LF_AUTRES_FORMATIONS_LABELS, LF_SOURCE, LF_DATE_MAJ,
	LF_N
};

/* The 1.x column name of a field ("publics_specifiquement_adresses"). */
const char *lieux_field_name(enum lieux_field f);
/* The closed 1.x vocabulary of a field (NULL-terminated), or NULL for free text. */
const char *const *lieux_vocabulary(enum lieux_field f);

enum lieux_version {
	LIEUX_V0 = 0,  /* early exports: `;` lists, courriel, publics_accueillis... */
	LIEUX_V1 = 1,  /* the current standard */
};

struct lieux_options {
	bool dry_run;              /* validate and count, then roll back */
	bool skip_bad_rows;        /* import the good rows, list the bad ones */
	const char *encoding;      /* NULL: decided from the file; else as csv_options */
	csv_progress_fn *progress; /* called every few hundred rows, or NULL */
	void *progress_arg;
};

struct lieux_report {
	enum lieux_version version;
	const char *encoding;      /* as detected ("UTF-8", "WINDOWS-1252"...) */
	long rows;                 /* data rows read */
	long inserted;             /* new structures */
	long updated;              /* known (source, id) whose data changed */
	long unchanged;            /* known and identical */
	long bad_rows;             /* rows with an error (skipped or refusing) */
	long merges_proposed;      /* new merge proposals with existing structures */
	long services_mapped;      /* service values mapped to themes */
	long values_unknown;       /* vocabulary values kept as tags */
	long hours_parsed;         /* rows whose horaires parsed */
	long hours_unparseable;    /* kept as text */
	long coords_approx;        /* commune centre taken */
	long communes_filled;      /* code_insee found from postcode and name */
	long communes_how[8];      /* ... by enum commune_how: guesses warned */
	long communes_former;      /* ... by a former commune's name */
	long phones_normalized;    /* rewritten to +33 */
	long warnings, errors;
	struct import_msgs issues; /* warnings and errors, in file order (all kept) */
	bool committed;            /* the changes were written */
};

/*
 * Imports path into db in one transaction (begun and ended here).
 * Returns 0 when the import is done (or, with dry_run, would be): with
 * skip_bad_rows the bad rows are in the report; 1 when bad rows refused
 * the import (database unchanged, report filled); -1 on a file or
 * database failure (qfq_error() names the file, line and column).
 */
int lieux_import(sqlite3 *db, const char *path, const struct lieux_options *opt,
		 struct lieux_report *rep);
void lieux_report_clear(struct lieux_report *rep);

enum lieux_export_format {
	LIEUX_CSV,
	LIEUX_JSON,
};

/* presentation_resume: at most this many characters (the schema's maxLength). */
#define LIEUX_RESUME_MAX 280

/* What is wrong with a value, against the schema (v1.0.2). */
enum lieux_export_why {
	LIEUX_EMPTY,        /* a required field is empty */
	LIEUX_FORM,         /* not the form the schema's pattern or type requires */
	LIEUX_TOO_LONG,     /* longer than the schema's maxLength (LIEUX_RESUME_MAX) */
	LIEUX_NOT_IN_LIST,  /* an item outside the field's closed vocabulary */
	LIEUX_DUPLICATE_ID, /* the id is already another exported place's */
};

struct lieux_export_problem {
	enum lieux_field field;
	enum lieux_export_why why;
	const char *value;  /* the value or item at fault ("" for LIEUX_EMPTY) */
	const char *to;     /* LIEUX_DUPLICATE_ID: the id written instead, or NULL */
};

enum lieux_export_outcome {
	LIEUX_LEFT_OUT,         /* a required value is missing or malformed */
	LIEUX_VALUES_DROPPED,   /* written valid, without the optional values at fault */
	LIEUX_WRITTEN_INVALID,  /* written as it is (include_invalid) */
};

/* One place the export could not write valid as it is, and why. */
struct lieux_export_note {
	long long structure_id;    /* qfq's id (`qfq show ID`) */
	const char *nom;
	enum lieux_export_outcome outcome;
	size_t n;
	const struct lieux_export_problem *v;
};

struct lieux_export_filter {
	const char *departement;   /* a département code, or NULL */
	const char *code_insee;    /* a commune, or NULL */
	bool include_invalid;      /* write places and values that break the schema too */
	/* told about every place not written valid as it is (may be NULL) */
	void (*note)(void *ctx, const struct lieux_export_note *n);
	void *note_ctx;
};

/*
 * Writes the structures matching filter to fp in the 1.x form, in the
 * field order of the schema v1.0.2 (see lieux_export.c). Every place comes
 * out valid against the schema: a place whose required value is missing or
 * malformed (no postcode, no services, a pivot that is no SIRET/RNA...) is
 * left out; an optional value that breaks the schema (a foreign phone, a
 * summary over 280 characters, an item outside a vocabulary) is left empty;
 * filter->note hears of each. With include_invalid, everything is written
 * as it is (and still noted). *written and *skipped count the places
 * written and left out. 0, or -1 with qfq_error() (write or database
 * failure).
 */
int lieux_export(sqlite3 *db, const struct lieux_export_filter *filter,
		 enum lieux_export_format format, FILE *fp, long *written, long *skipped);

/* Helpers shared with edits (db/edit.c) and the tests.
 * Degrees from "44.73" or "44,73" (NAN when not a number). */
double lieux_coord_parse(const char *s);
/* Whether s starts with a date YYYY-MM-DD that exists. */
bool lieux_date_valid(const char *s);
/* Whether s is a SIRET (14 digits), a SIREN (9) or an RNA number (W + 9 digits). */
bool lieux_pivot_valid(const char *s);
/* The field validators are in csv/fields.h, shared with the roster importer. */

#endif
