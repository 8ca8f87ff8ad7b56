/*
 * backup: copies of the store with SQLite's online backup, consistent
 * while another process writes (one read snapshot), and the checks a file
 * must pass before it may replace the store.
 */
#ifndef QFQ_DB_BACKUP_H
#define QFQ_DB_BACKUP_H

#include <sqlite3.h>

/* Copies db into a new file path (mode 0600; an existing file is refused), then checks the copy. 0 or -1. */
int backup_write(sqlite3 *db, const char *path);

/*
 * Whether path is a qfq database this build can use (application id,
 * a known schema version, integrity): 0 and *version, or -1 with
 * qfq_error() saying why. Opens it immutable: writes nothing beside it.
 */
int backup_check(const char *path, long *version);

/* Replaces the content of db by the database in path (already checked). 0 or -1. */
int backup_restore(sqlite3 *db, const char *path);

#endif
