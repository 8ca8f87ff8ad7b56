/*
 * quality: the freshness and data-quality report of `qfq check` (and its
 * verification sheets): what a coordinator should ask partners to correct.
 */
#ifndef QFQ_DB_QUALITY_H
#define QFQ_DB_QUALITY_H

#include <sqlite3.h>
#include <stdbool.h>

/* One finding. Strings are valid during the call only. */
struct quality_issue {
	const char *kind;      /* stale, hours, contact, themes, members, territory, person, coords, merge */
	bool person;           /* about a person (else a structure, or a pair for merge) */
	sqlite3_int64 id;
	const char *nom;
	const char *commune;   /* may be NULL */
	const char *detail;    /* translated */
};

typedef int (*quality_fn)(const struct quality_issue *issue, void *arg);

/*
 * Calls fn for every finding, structures in id order then persons then
 * merge proposals; months: a structure not updated for that long is stale.
 * only_id > 0: the findings about that structure only. fn returning
 * non-zero stops the scan (returned). 0 or -1.
 */
int quality_scan(sqlite3 *db, int months, sqlite3_int64 only_id, quality_fn fn, void *arg);

/* PRAGMA integrity_check: 0 ok, 1 damaged (*what: the first problem, malloc'd), -1 error. */
int quality_integrity(sqlite3 *db, char **what);

#endif
