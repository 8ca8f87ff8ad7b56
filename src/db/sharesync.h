/*
 * sharesync: a copy and a shared folder (a synced folder, a USB stick).
 * share_sync() applies the other copies' new files found there, in one
 * transaction, writes this copy's new change sets as one new file, and
 * rewrites this copy's own files already there whose change sets were
 * scrubbed since (a person erased here or elsewhere: their rows leave the
 * folder too, each file replaced atomically). The files are only read
 * again after an erasure since the last pass over that folder. The same for `qfq share
 * sync DIR`, the TUI at start-up and `qfq forget` (share_publish: no apply).
 */
#ifndef QFQ_DB_SHARESYNC_H
#define QFQ_DB_SHARESYNC_H

#include "db/share.h"

#include <sqlite3.h>

struct share_sync_report {
	struct share_report apply;
	size_t files;      /* other copies' files read */
	size_t written;    /* this copy's change sets written in a new file */
	size_t rewritten;  /* this copy's files rewritten without erased rows */
	long erased;       /* rows about erased persons dropped before the apply */
};

/*
 * Applies entries v[0..n) in one transaction (db_begin .. db_commit): the
 * copies' names remembered, the rows about erased persons dropped, then
 * share_apply. 0 or -1 (qfq_error; rolled back).
 */
int share_apply_entries(sqlite3 *db, struct share_entry *v, size_t n, struct share_sync_report *rep);
/* The whole sync with folder dir. 0 or -1 (qfq_error names the folder or file). */
int share_sync(sqlite3 *db, const char *dir, struct share_sync_report *rep);
/* Only this copy's side: its new change sets written, its own files rewritten. 0 or -1. */
int share_publish(sqlite3 *db, const char *dir, struct share_sync_report *rep);

#endif
