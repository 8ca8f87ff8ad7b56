/*
 * merge: duplicates of structures and persons — finding near matches
 * (merge_proposals, never merged silently), merging two records into one,
 * rejecting a proposal for good, and erasing a person completely.
 *
 * None of these open a transaction: the caller holds one (db_begin) so
 * that a command is one atomic change.
 */
#ifndef QFQ_DB_MERGE_H
#define QFQ_DB_MERGE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

enum merge_kind { MERGE_STRUCTURE, MERGE_PERSON };

/*
 * Whether two structure keys (names_structure_key()) are near matches but
 * not equal: one's tokens within the other's ("caplab" / "caplab privas"),
 * an acronym of the other's words ("msa adl" / "msa ardeche drome loire"),
 * or one word spelled slightly differently. *reason gets a static
 * description.
 */
bool merge_structure_keys_near(const char *a, const char *b, const char **reason);
/* The same for persons: family and given names (folded), near but not equal. */
bool merge_person_names_near(const char *nom_a, const char *prenom_a, const char *nom_b,
			     const char *prenom_b, const char **reason);

/*
 * Compares the structures ids[0..n) (just created) with every structure
 * and records near matches as open proposals (a pair rejected or already
 * proposed stays as it is). *added counts the new ones. 0 or -1.
 */
int merge_propose_structures(sqlite3 *db, const sqlite3_int64 *ids, size_t n, size_t *added);
/* The same for persons. */
int merge_propose_persons(sqlite3 *db, const sqlite3_int64 *ids, size_t n, size_t *added);

/*
 * Merges other into keep: moves everything that points at other to keep,
 * fills keep's empty fields from other's, remembers other's name (a
 * structure alias; a person's emails and phones are kept), deletes other,
 * reindexes and writes the audit log. 0 or -1 with qfq_error().
 */
int merge_structures(sqlite3 *db, sqlite3_int64 keep, sqlite3_int64 other);
int merge_persons(sqlite3 *db, sqlite3_int64 keep, sqlite3_int64 other);
/* Marks the pair rejected (creating the row if needed): never proposed again. */
int merge_reject(sqlite3 *db, enum merge_kind kind, sqlite3_int64 a, sqlite3_int64 b);

/*
 * Erases a person completely: the row, memberships, attendance, themes,
 * proposals and the audit-log rows about them (referrals keep no link).
 * 1 erased, 0 no such person, -1 error.
 */
int person_erase(sqlite3 *db, sqlite3_int64 id);

#endif
