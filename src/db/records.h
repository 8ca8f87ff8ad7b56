/*
 * records: what the stewardship commands say about a record — its name as
 * people know it ("CAPLAB Privas", "Corinne Sancho") — and where a record
 * that is gone went (merged into another one).
 */
#ifndef QFQ_DB_RECORDS_H
#define QFQ_DB_RECORDS_H

#include <sqlite3.h>
#include <stdbool.h>

struct strbuf;

enum record_kind { RECORD_STRUCTURE, RECORD_PERSON };

/* Appends the name of record id to sb: 1 found, 0 no such record, -1 error. */
int record_name(sqlite3 *db, enum record_kind kind, sqlite3_int64 id, struct strbuf *sb);

/*
 * The record id was merged into: 1 and *into (an existing record), 0 when
 * id was never merged, -1 error. Follows a chain of merges.
 */
int record_merged_into(sqlite3 *db, enum record_kind kind, sqlite3_int64 id, sqlite3_int64 *into);

#endif
