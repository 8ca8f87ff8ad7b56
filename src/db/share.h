/*
 * share: copies of one directory exchanging their change sets (issue 15).
 *
 * Identity. Every row of the seven id tables (structures, persons,
 * memberships, permanences, events, referrals, referral history) keeps its local integer id
 * and gets, in share_ids, a random 128-bit global id (gid) that no other
 * copy will ever draw (2^-128 per pair). Local ids stay small and dense
 * because the search engine's bitmaps are indexed by them: globally unique
 * rowids (copy number << 40 | n) would make every bitmap megabytes long.
 * The other shared tables (memberships' theme links, territories, aliases,
 * permanence themes, merge decisions) are keyed by the
 * ids of these rows or by natural keys, so they need no id of their own.
 * Each copy has its own id (meta copy_id, 32 hex digits) and name
 * (meta copy_name).
 *
 * Changes. Each change set of the history made here is kept in
 * share_changes with this copy's id, its sequence number, a stamp (ms,
 * never below a stamp already seen) and its changeset rewritten in global
 * ids (every id column holds the gid). Applying another copy's changeset
 * rewrites it back to local ids (an unknown gid inserted gets a new local
 * id), splits each update into one update per field, and applies it with
 * sqlite3changeset_apply in the caller's transaction, each one once
 * (share_changes has its copy and sequence afterwards).
 *
 * Conflicts. A field changed on two copies keeps the value of the later
 * stamp (ties: the larger copy id) on every copy; the copy whose own value
 * lost lists it in share_conflicts (exactly one conflict, on the copy that
 * lost), from which `qfq share conflicts --swap` puts it back as a new
 * change. An erasure or a delete wins over any edit: an edit of a row
 * deleted here is dropped. A person's erasure travels as an "erase" entry
 * that runs the same erasure (person_forget) on each copy.
 */
#ifndef QFQ_DB_SHARE_H
#define QFQ_DB_SHARE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* This copy's id (32 hex digits + NUL) and its name (malloc'd, may be NULL). 0 or -1. */
int share_copy(sqlite3 *db, char id[33], char **name);
/* Sets this copy's name; with fresh_id, draws a new copy id too (a copy made from a snapshot). */
int share_set_copy(sqlite3 *db, const char *name, bool fresh_id);

/* Called by the history for each change set it records here (not while applying). 0 or -1. */
int share_capture(sqlite3 *db, sqlite3_int64 change_id, const char *summary, const void *blob, int n);
/*
 * Called by the history for a bulk insert (history_bulk): the structures
 * with ids above after_id and their themes, territories and aliases, read
 * from the tables, as this copy's entries of change set change_id, in pieces
 * of about SHARE_BULK_PIECE bytes (1 MiB) each (memory stays bounded whatever the
 * import's size), with the row stamps an insert records. 0 or -1.
 */
#define SHARE_BULK_PIECE (1 << 20)
int share_capture_bulk(sqlite3 *db, sqlite3_int64 change_id, const char *summary, sqlite3_int64 after_id);
/* Called by person_forget before the rows go: the erasure to send, and this copy's own changesets cleaned. */
int share_erase(sqlite3 *db, sqlite3_int64 person_id);

/*
 * Called by person_forget with the person's strings (names, emails, phones):
 * removed from the summaries kept, and the kept changesets' rows holding
 * one of them dropped (the other copies erase them on their own side). 0 or -1.
 */
int share_forget_text(sqlite3 *db, const char *const *needles, int n);

/* One change set as it travels. */
struct share_entry {
	char copy[33];
	char *copy_name;
	sqlite3_int64 seq, stamp;
	bool erase;
	char *summary;
	unsigned char *data;
	int n;
};
void share_entries_free(struct share_entry *v, size_t n);

/* This copy's own entries with seq > since, in order. 0 or -1. */
int share_own_entries(sqlite3 *db, sqlite3_int64 since, struct share_entry **v, size_t *n);
/* The largest sequence of copy applied or made here (0 none). */
sqlite3_int64 share_last_seq(sqlite3 *db, const char *copy);

struct share_report {
	long applied, already, rows, dropped, conflicts;
};
/*
 * Applies entries v[0..n) from other copies, in stamp order, skipping those
 * applied before and this copy's own. Inside the caller's transaction
 * (db_begin .. db_commit): each entry becomes one change set of the history.
 * 0 or -1 (qfq_error).
 */
int share_apply(sqlite3 *db, struct share_entry *v, size_t n, struct share_report *rep);

/* Puts the lost value of conflict id back (a new change here); inside a transaction. 0, 1 no such open conflict, -1. */
int share_swap(sqlite3 *db, sqlite3_int64 id);

/* db copied whole into path (a snapshot; created 0600, must not exist). 0 or -1. */
int share_vacuum_into(sqlite3 *db, const char *path);

#endif
