/*
 * history: every change to the directory as one change set, and undo.
 *
 * db_begin() starts an SQLite session on the tracked tables (the
 * directory's own data: structures, persons and everything that hangs off
 * them; not the reference data nor the derived indexes); db_commit() turns
 * what the session saw into one change set before COMMIT:
 *   change_sets   id, time, command line, summary ("« A » fusionnée dans
 *                 « B »"), which change set it undoes, which undid it;
 *   change_rows   one per row touched: table, insert/update/delete, the
 *                 row's primary key, the structure and person it is about
 *                 (for `qfq log structure 12`), and the row's columns
 *                 before and after, each side one blob of exact values
 *                 (REALs and BLOBs intact; read with history_value_next()).
 * An insert keeps its non-NULL values, a delete the whole row before, an
 * update its changed columns and its key. Nothing refers to pages or to
 * this copy's file: a change set can be shipped to another copy (issue 15).
 *
 * Undo applies the inverse of a change set when no later change set (not
 * itself undone) touched one of its rows, and only while each row is still
 * as the change set left it; else it names the change set in the way.
 */
#ifndef QFQ_DB_HISTORY_H
#define QFQ_DB_HISTORY_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* One column of a recorded row side (pointers into the blob). */
struct history_value {
	const char *col;           /* the column name (not NUL-terminated) */
	size_t col_len;
	int type;                  /* SQLITE_NULL, SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB */
	sqlite3_int64 i;
	double r;
	const unsigned char *p;    /* TEXT or BLOB bytes */
	size_t n;
};
/* The next column of the side [*p, end): 1 and *v (and *p advanced), 0 at the end, -1 malformed. */
int history_value_next(const unsigned char **p, const unsigned char *end, struct history_value *v);
/* Appends v as text (a REAL with 17 significant digits, a BLOB as x'..'). */
struct strbuf;
void history_value_text(const struct history_value *v, struct strbuf *sb);

/*
 * Calls fn for each column of a recorded row, given its two sides (NULL
 * when absent): o and n are NULL when the side has no value for it. A
 * non-zero return of fn stops (returned). -1 when a side is malformed.
 */
typedef int (*history_column_fn)(const struct history_value *o, const struct history_value *n, void *arg);
int history_columns(const void *old, size_t old_len, const void *new, size_t new_len, history_column_fn fn,
		    void *arg);

/* Called by db_begin / db_commit (before COMMIT) / after COMMIT or ROLLBACK. */
int history_begin(sqlite3 *db);
int history_record(sqlite3 *db);
void history_end(sqlite3 *db);

/* The summary of the change set being written (copied); NULL: none. */
void history_set_summary(sqlite3 *db, const char *summary);
/*
 * The transaction writes personal data that must leave no trace (an
 * erasure): the change set is recorded with its summary only, no values,
 * and cannot be undone.
 */
void history_set_private(sqlite3 *db);

/*
 * Bulk inserts (an import of a national file): the structures this
 * transaction inserts with ids above after_id, and the rows of their themes,
 * territories and aliases, are recorded together at commit instead of one by
 * one by the session (whose memory and changeset grew with every row). The
 * caller writes those rows with the session off (history_track(db, false)).
 * The change set keeps the range of ids (change_sets.bulk_after/bulk_last),
 * not a history row per row: the values are in the directory, `qfq log`
 * shows the range, undo deletes the range's rows (refused when a later
 * change set touched one of them), and the copy's shared changes carry the
 * values whole (share_capture_bulk, in pieces of bounded size).
 */
int history_bulk(sqlite3 *db, sqlite3_int64 after_id);
/* The tables a bulk insert writes, and the column tying their rows to the new structures. */
#define HISTORY_BULK_TABLES 4
struct history_bulk_table {
	const char *table, *col;
};
extern const struct history_bulk_table history_bulk_tables[HISTORY_BULK_TABLES];
/* Whether the session records the writes that follow (on by default). */
void history_track(sqlite3 *db, bool on);
/*
 * The rows of changeset (n bytes, local ids) were written with the session
 * off, exactly as it says (no row set aside, nothing cascaded, no trigger
 * writing a tracked table): the change set records them with what the
 * session saw (share apply: the session would copy every old row it
 * updates, then rebuild the same changeset). 0 or -1.
 */
int history_applied(sqlite3 *db, const void *changeset, int n);

/*
 * Reverts change set id in one transaction of its own (begun and committed
 * here; foreign keys are checked at the end instead of cascading). Returns
 * 0 done (*undo_id: the new change set), 1 refused because a later change
 * set depends on it (*blocker: its id, 0 when the rows were changed
 * outside qfq), -1 error (qfq_error: unknown id, already undone...).
 */
int history_undo(sqlite3 *db, sqlite3_int64 id, sqlite3_int64 *undo_id, sqlite3_int64 *blocker);

/* The latest change set in effect (not an undo, not undone): 1 and *id, 0 none, -1. */
int history_last(sqlite3 *db, sqlite3_int64 *id);

/*
 * Removes every value about person id from the history (their rows' values
 * and any text containing one of needles[0..n)), and marks the change sets
 * that lost values as not undoable. Inside the caller's transaction. 0 or -1.
 */
int history_forget(sqlite3 *db, sqlite3_int64 person_id, const char *const *needles, int n);

#endif
