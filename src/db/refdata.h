/*
 * refdata: loading the reference data shipped in data/ into the store:
 * régions, départements, EPCI, communes with postcodes and former names,
 * the typology codes and the theme crosswalk. Used by `qfq init`.
 *
 * Idempotent: rows are upserted and only rows whose content differs are
 * written, so a second load reports 0 changes; names that disappeared from
 * the files (postcodes, former names, theme names) are removed. Runs in the
 * caller's transaction.
 */
#ifndef QFQ_DB_REFDATA_H
#define QFQ_DB_REFDATA_H

#include <sqlite3.h>

struct refdata_count {
	const char *what;  /* e.g. "communes" (untranslated key) */
	long rows;         /* rows read from the file */
	long changed;      /* rows inserted, updated or deleted */
};

enum {
	REF_REGIONS, REF_DEPARTEMENTS, REF_EPCI, REF_COMMUNES, REF_POSTCODES,
	REF_ANCIENNES, REF_TYPOLOGIES, REF_THEMES, REF_THEME_NAMES, REF_N
};

struct refdata_report {
	struct refdata_count c[REF_N];
};

/* Loads every file from datadir. 0, or -1 with qfq_error() naming the file and line. */
int refdata_load(sqlite3 *db, const char *datadir, struct refdata_report *rep);
/* The theme crosswalk alone (refthemes.c). */
int refdata_load_themes(sqlite3 *db, const char *datadir, struct refdata_report *rep);

#endif
