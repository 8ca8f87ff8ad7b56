/*
 * ftsrank: qfq_rank(structures_fts), the FTS5 auxiliary function that ranks
 * text matches of the structures index (schema.sql: columns nom, texte).
 *
 * bm25() reads each match's %_docsize row to normalize by length: on a
 * national directory those are random pages, and for a two-letter prefix
 * typed in the interface tens of thousands of them. qfq_rank scores from
 * the phrase instances FTS5 already holds while matching (which column
 * each typed word hits and where), never from column sizes or text, so it
 * costs no page beyond the match itself. Lower is better, as with bm25:
 *
 *	score = -(1000 * words found in the name
 *	          + 100 * (7 - offset of the name's first hit, at most 7)
 *	          + hits in the name and the text, at most 99)
 *
 * so a name match comes before a description match, a name that begins
 * with a typed word before one that has it further on, and more hits
 * before fewer. Equal scores are frequent ("mairie": thousands of "Mairie
 * de …"); core/search.c breaks ties by id, so that asking for more rows
 * (the interface loads them a few screens at a time) keeps the first ones
 * in place.
 */
#ifndef QFQ_DB_FTSRANK_H
#define QFQ_DB_FTSRANK_H

#include <sqlite3.h>

/*
 * qfq_rank_each(structures_fts, ?) hands each match's rowid and score to
 * a sink bound with sqlite3_bind_pointer(st, i, &sink, FTSRANK_SINK, NULL),
 * and returns 1: inside `SELECT count(*) ... WHERE ... MATCH ?1 AND
 * qfq_rank_each(structures_fts, ?2)`, the caller keeps what it wants in C
 * without SQLite handing it a row per match (which costs more than
 * matching and scoring together). want, when set, is asked first: a match
 * it refuses is not scored (reading its phrase instances is most of the
 * cost of a match).
 */
#define FTSRANK_SINK "qfq_rank_sink"

struct ftsrank_sink {
	int (*want)(void *arg, sqlite3_int64 rowid);
	void (*take)(void *arg, sqlite3_int64 rowid, double score);
	void *arg;
};

/* Registers qfq_rank and qfq_rank_each on db (once per connection; db_open() does it). 0 or -1 (qfq_error). */
int ftsrank_register(sqlite3 *db);

#endif
