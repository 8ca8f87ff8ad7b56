/*
 * shareconflicts: the values an apply set aside (share_conflicts), as
 * `qfq share conflicts` and the TUI's Conflits view show them: the record
 * named, the field, the value kept and the one set aside, the two copies
 * by name, the dates, the rule applied; and the swap, one change set of
 * the history that travels to the other copies like any edit.
 */
#ifndef QFQ_DB_SHARECONFLICTS_H
#define QFQ_DB_SHARECONFLICTS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct share_conflict {
	sqlite3_int64 id;
	char *at;            /* when the apply set the value aside (UTC, "YYYY-MM-DD HH:MM") */
	char *table, *key;   /* the row, as in change_rows */
	char *record;        /* the record named ("Médiathèque de Privas"), NULL: gone */
	char *col;           /* the field; NULL: the whole row (deleted elsewhere) */
	char *kept, *lost;   /* the values as text; NULL: empty */
	char *kept_copy, *lost_copy; /* the copies' names (or the start of their ids) */
	bool kept_here, lost_here;   /* the copy is this one */
	char *kept_date;     /* when the kept value was set (UTC), NULL: unknown */
	bool swapped;
};

/* Every conflict, oldest first. 0 or -1. */
int share_conflicts_load(sqlite3 *db, struct share_conflict **v, size_t *n);
void share_conflicts_free(struct share_conflict *v, size_t n);
/* The rule that chose the kept value (translated). */
const char *share_conflict_rule(const struct share_conflict *c);
/* Swaps conflict id in its own transaction, one change set of the history. 0, 1 no such open conflict, -1. */
int share_conflict_swap(sqlite3 *db, sqlite3_int64 id);

#endif
