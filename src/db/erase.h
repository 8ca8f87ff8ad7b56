/*
 * erase: the right to erasure. person_forget() removes a person from
 * everything the directory holds — the person, memberships, attendance,
 * competences, merge proposals, mentions of their name, emails and phones
 * in free text, and every value about them in the history and the audit
 * log — inside the caller's transaction (recorded as a change set without
 * values, which cannot be undone). erase_wal() then makes sure no old copy
 * of the erased bytes stays in the -wal file.
 */
#ifndef QFQ_DB_ERASE_H
#define QFQ_DB_ERASE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/* What was removed, for the message. */
struct forget_report {
	long memberships, attendance, competences, mentions;
};

/* A growable list of distinct malloc'd strings: a person's mentions. */
struct erase_needles {
	char **v;
	size_t n, alloc;
};
/* Adds the len bytes of s unless already there or shorter than 3 bytes (not identifying). */
void erase_needle_add(struct erase_needles *nd, const char *s, size_t len);
void erase_needles_clear(struct erase_needles *nd);

/* 1 erased, 0 no such person, -1 error (qfq_error). */
int person_forget(sqlite3 *db, sqlite3_int64 id, struct forget_report *rep);

/* Whether table.col is one of the free-text columns an erasure removes mentions from. */
bool erase_text_col(const char *table, const char *col);
/* The i-th of these columns (its table in *table), NULL past the last. */
const char *erase_text_column(size_t i, const char **table);

/*
 * The mentions (needles[0..n): a name, an email, a phone as written) of a
 * person erased on another copy and not known here, found in this copy's
 * free text: removed from it, from the history's values and command lines,
 * and from the change sets kept for sharing (issue 15). *mentions counts
 * the values changed. 0 or -1.
 */
int person_forget_text(sqlite3 *db, const char *const *needles, int n, long *mentions);

/*
 * After the commit: checkpoints the whole -wal into the database file and
 * truncates it (waiting for readers up to the busy timeout), so the erased
 * values survive in neither. Returns 0 done, 1 when another connection
 * kept it busy (*holders names the processes that have the file open:
 * "1234 (qfq)"), -1 error.
 */
int erase_wal(sqlite3 *db, const char *path, struct strbuf *holders);

#endif
