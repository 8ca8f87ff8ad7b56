/*
 * db: opening the qfq store and keeping its schema current.
 *
 * One SQLite file per directory. db_open() asks SQLite what the file is (its
 * own errors, application_id and user_version, the WAL included: no check
 * of the file's bytes by hand) and refuses, without writing a byte, a file
 * that is not a SQLite database, a damaged one, another application's and
 * one written by a newer qfq; it creates a new file with mode 0600
 * (personal data) and makes private an existing one opened for writing,
 * applies the schema and any forward migration, and sets foreign_keys=ON,
 * WAL and a busy timeout long enough for an import (QFQ_LOCK_TIMEOUT); a
 * reader in a folder it may not write opens the file immutable.
 */
#ifndef QFQ_DB_DB_H
#define QFQ_DB_DB_H

#include <sqlite3.h>
#include <stdbool.h>

/* How long a writer waits for the lock, in ms (QFQ_LOCK_TIMEOUT, else 300 s). */
int db_lock_timeout_ms(void);

/* The schema version this build writes (PRAGMA user_version). */
#define QFQ_SCHEMA_VERSION 18
/* PRAGMA application_id of a qfq database ("QFQ!"). */
#define QFQ_APPLICATION_ID 0x51465121

enum db_mode {
	DB_READ,   /* must exist; opened read-only */
	DB_WRITE,  /* must exist (or be created by `qfq init`) */
	DB_CREATE, /* created (with its parent folders) when missing */
};

/*
 * Opens path. Returns 0 and *out, or -1 with qfq_error(). For DB_READ and
 * DB_WRITE a missing file is an error that says to run `qfq init`.
 */
int db_open(const char *path, enum db_mode mode, sqlite3 **out);
void db_close(sqlite3 *db);
/*
 * A writable connection to the file db has open, for a process that reads
 * with a read-only one (the TUI saving a form). 0 or -1 with qfq_error().
 */
int db_open_sibling(sqlite3 *db, sqlite3 **out);

/* The default location: $QFQ_DB, else $XDG_DATA_HOME/qfq/qfq.db, else
 * ~/.local/share/qfq/qfq.db. Returns a static buffer. */
const char *db_default_path(void);

/* Transactions: BEGIN IMMEDIATE / COMMIT / ROLLBACK. 0 or -1 (qfq_error). */
int db_begin(sqlite3 *db);
int db_commit(sqlite3 *db);
void db_rollback(sqlite3 *db);

/* Runs SQL without results. 0 or -1 with qfq_error() naming what failed. */
int db_exec(sqlite3 *db, const char *sql);
/* Prepares sql. 0 or -1 with qfq_error(). */
int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st);
/*
 * A prepared statement for sql kept for the life of the connection, for
 * what runs on every keystroke of the interface (preparing costs more than
 * running most of them). sql must stay at the same address as long as db
 * is open (a string literal): it is the key. Give it back with
 * db_stmt_done() (never sqlite3_finalize()), which resets it and clears
 * its bindings: a statement left mid-way would hold a read transaction
 * open. db_close() finalizes them. 0 or -1 with qfq_error().
 */
int db_stmt(sqlite3 *db, const char *sql, sqlite3_stmt **st);
/* db_stmt() for SQL built at run time (the search's, whose values are all
 * bound: the same shape of query gives the same text): kept by its text. */
int db_stmt_sql(sqlite3 *db, const char *sql, sqlite3_stmt **st);
void db_stmt_done(sqlite3_stmt *st);
/*
 * Whether this is the first call with key (any constant address) for the
 * connection db since it was opened: for what is done once per connection,
 * such as registering SQL functions (registering one again expires every
 * prepared statement of the connection, db_stmt()'s included).
 */
bool db_first_time(sqlite3 *db, const void *key);
/* A malloc'd copy of column i of the current row, or NULL when NULL. */
char *db_column_dup(sqlite3_stmt *st, int i);
/* Records the SQLite error of db as the qfq error and returns -1. */
int db_error(sqlite3 *db, const char *what);

/* Appends one row to the audit log (what, when, by which command). */
int db_audit(sqlite3 *db, const char *action, const char *entity, sqlite3_int64 id,
	     const char *detail);
/* The command line recorded in the audit log ("qfq import roster x.csv"). */
void db_set_command(const char *command);
/* That command line ("qfq" when none was set). */
const char *db_command(void);

/* Meta key/value store. db_meta_get returns a malloc'd copy or NULL. */
int db_meta_set(sqlite3 *db, const char *key, const char *value);
char *db_meta_get(sqlite3 *db, const char *key);

#endif
