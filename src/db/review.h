/*
 * review: the merge desk at scale — the open proposals in order, each
 * record described line by line for a side-by-side comparison, and
 * explicit bulk rules ("même nom, même commune") counted before they are
 * applied. Used by `qfq merge --rule` and the TUI's merge review.
 */
#ifndef QFQ_DB_REVIEW_H
#define QFQ_DB_REVIEW_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf;

/* One open proposal. */
struct review_item {
	bool person;
	sqlite3_int64 a, b;  /* a < b */
	char *reason;
};

/* The open proposals, structures first (malloc'd array). 0 or -1. */
int review_load(sqlite3 *db, struct review_item **out, size_t *n);
void review_free(struct review_item *v, size_t n);

/* The lines describing a record ("Label : value\n"...) for a side-by-side view: 1 found, 0 gone, -1. */
int review_describe(sqlite3 *db, bool person, sqlite3_int64 id, struct strbuf *sb);

/* Bulk rules. */
enum review_rule {
	RULE_SAME_NAME_COMMUNE, /* the same name key (spaces aside) in the same commune */
	RULE_SAME_NAME,         /* the same name key (spaces aside) */
	RULE_NEAR_NAME_COMMUNE, /* a proposal (near names) in the same commune */
	RULE_COUNT
};
/* The rule's name as typed ("same-name-commune") and as shown ("même nom, même commune"). */
const char *review_rule_name(enum review_rule r);
const char *review_rule_label(enum review_rule r);
int review_rule_parse(const char *s, enum review_rule *r);
/* How many open proposals the rule accepts. 0 or -1. */
int review_rule_count(sqlite3 *db, enum review_rule r, long *n);
/* Merges every pair the rule accepts (the smaller id kept), in the caller's transaction. 0 or -1. */
int review_rule_apply(sqlite3 *db, enum review_rule r, long *merged);
/* The same in one transaction of its own, one change set of the history. 0 or -1. */
int review_rule_accept(sqlite3 *db, enum review_rule r, long *merged);

/* One decision in its own transaction, recorded in the history with the records named. 0 or -1. */
int review_merge(sqlite3 *db, bool person, sqlite3_int64 keep, sqlite3_int64 other);
int review_reject(sqlite3 *db, bool person, sqlite3_int64 a, sqlite3_int64 b);

#endif
