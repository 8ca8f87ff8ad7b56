/*
 * structures: the store operations on structures that every importer, the
 * merge command and the editor share, so that the derived indexes can never
 * drift from the rows:
 *   - structures_fts (name; aliases, descriptions, theme labels, member
 *     roles, commune, typology labels),
 *   - structures_geo (its own coordinates, else its commune's centre),
 *   - structure_hours (the regular week of its parsed opening hours) and
 *     structures.horaires_ok.
 * Call structure_reindex() after any change to a structure, its aliases,
 * themes, memberships or hours, inside the caller's transaction.
 */
#ifndef QFQ_DB_STRUCTURES_H
#define QFQ_DB_STRUCTURES_H

#include <sqlite3.h>
#include <stddef.h>

/* Rebuilds the derived rows of structure id. 0 or -1 (qfq_error). */
int structure_reindex(sqlite3 *db, sqlite3_int64 id);
/* Removes them (before a delete or a merge). 0 or -1. */
int structure_unindex(sqlite3 *db, sqlite3_int64 id);
/* Rebuilds every structure's derived rows (after a bulk load). 0 or -1. */
int structure_reindex_all(sqlite3 *db);
/*
 * Rebuilds the derived rows of each structure of ids[0..n) once (sorted in
 * place, repeats skipped), or removes them when it is gone: after an undo
 * or an apply of changes from another copy. 0 or -1.
 */
int structure_reindex_ids(sqlite3 *db, sqlite3_int64 *ids, size_t n);
/*
 * The same for structures whose searched text only may have changed (name,
 * summaries, type, tags, aliases, themes, roles of members): their full-text
 * row alone, not their position nor their hours (issue 15: an apply of field
 * edits from other copies). 0 or -1.
 */
int structure_reindex_text_ids(sqlite3 *db, sqlite3_int64 *ids, size_t n);

/*
 * The same for many structures in a row (an import): the statements are
 * prepared once by open and reused by every run, which is what makes a
 * bulk import fast. run() does what structure_reindex() does. Close before
 * the database; close(NULL) does nothing.
 */
struct structure_indexer;
int structure_indexer_open(sqlite3 *db, struct structure_indexer **out);
int structure_indexer_run(struct structure_indexer *ix, sqlite3_int64 id);
/* What structure_unindex() does, with the prepared statements (a structure deleted). */
int structure_indexer_drop(struct structure_indexer *ix, sqlite3_int64 id);
/* The same for a structure just inserted, which has no derived rows yet. */
int structure_indexer_add(struct structure_indexer *ix, sqlite3_int64 id);
/*
 * Indexes at once every structure whose id is above after_id: those a bulk
 * import inserted (they must have no derived rows yet). Several times
 * faster than one reindex each. 0 or -1.
 */
int structure_index_new(sqlite3 *db, sqlite3_int64 after_id);

/*
 * Reindexes the hours of the structures listed in hours_dirty (a schema
 * upgrade lists them all when qfq's reading of hours changes) and empties
 * it; db_commit() calls it before the hour bitmaps are rebuilt. 0 or -1.
 */
int structure_hours_refresh(sqlite3 *db);
void structure_indexer_close(struct structure_indexer *ix);

/*
 * Finds a structure by matching key (names_structure_key()) among names and
 * remembered aliases: 1 and *id when exactly one, 0 when none, -1 error.
 * With several candidates, the lowest id is returned (1).
 */
int structure_find_by_key(sqlite3 *db, const char *key, sqlite3_int64 *id);

/* Remembers alias (as written) for structure id, under its matching key. */
int structure_add_alias(sqlite3 *db, sqlite3_int64 id, const char *alias);

#endif
