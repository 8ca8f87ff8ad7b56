/*
 * ftsrank: the qfq_rank() and qfq_rank_each() FTS5 auxiliary functions (see ftsrank.h).
 */
#include "db/ftsrank.h"
#include "db/db.h"
#include "util/error.h"
#include "util/i18n.h"

#include <stdbool.h>

#define NAME_COL 0       /* structures_fts(nom, texte) */
#define MAX_OFFSET 7     /* a name's first hit further than this counts as this */
#define MAX_HITS 99      /* hits counted at most (the weight of a name word is 1000) */

/*
 * The score of the current match (see ftsrank.h). Each phrase (one per
 * typed word) is walked with xPhraseFirst/xPhraseNext, which read the
 * position lists of the current match only: instances come column by
 * column, so the first one tells whether the word is in the name, and
 * where. 0, or an SQLite error code.
 */
static int score(const Fts5ExtensionApi *api, Fts5Context *fts, double *out)
{
	int nphrase = api->xPhraseCount(fts), i, in_name = 0, first = MAX_OFFSET, hits = 0;
	for (i = 0; i < nphrase; i++) {
		Fts5PhraseIter it;
		int col, off, rc;
		bool first_of_phrase = true;
		if ((rc = api->xPhraseFirst(fts, i, &it, &col, &off)) != SQLITE_OK)
			return rc;
		for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off)) {
			if (first_of_phrase && col == NAME_COL) {
				in_name++;
				if (off < first)
					first = off;
			}
			first_of_phrase = false;
			if (++hits >= MAX_HITS)
				break;
		}
	}
	if (hits > MAX_HITS)
		hits = MAX_HITS;
	*out = -(1000.0 * in_name + 100.0 * (MAX_OFFSET - first) * (in_name > 0) + hits);
	return SQLITE_OK;
}

/* qfq_rank(structures_fts): the score. */
static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		    int argc, sqlite3_value **argv)
{
	double s;
	(void)argc;
	(void)argv;
	if (score(api, fts, &s) != SQLITE_OK) {
		sqlite3_result_error(ctx, "qfq_rank: cannot read the match", -1);
		return;
	}
	sqlite3_result_double(ctx, s);
}

/* qfq_rank_each(structures_fts, sink): hands the match's rowid and score to the sink; 1. */
static void rank_each_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
			 int argc, sqlite3_value **argv)
{
	const struct ftsrank_sink *sink = argc == 1 ? sqlite3_value_pointer(argv[0], FTSRANK_SINK) : NULL;
	sqlite3_int64 rowid;
	double s;
	if (!sink) {
		sqlite3_result_error(ctx, "qfq_rank_each: no sink", -1);
		return;
	}
	rowid = api->xRowid(fts);
	sqlite3_result_int(ctx, 1);
	if (sink->want && !sink->want(sink->arg, rowid))
		return;
	if (score(api, fts, &s) != SQLITE_OK) {
		sqlite3_result_error(ctx, "qfq_rank_each: cannot read the match", -1);
		return;
	}
	sink->take(sink->arg, rowid, s);
}

int ftsrank_register(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	int rc;
	/* the documented way to reach FTS5's API: a pointer bound to SELECT fts5(?1) */
	if (db_prepare(db, "SELECT fts5(?1)", &st))
		return -1;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW || !api)
		return qfq_error(_("cannot reach the full-text search of SQLite (FTS5)"));
	if (api->xCreateFunction(api, "qfq_rank", NULL, rank_fn, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "qfq_rank_each", NULL, rank_each_fn, NULL) != SQLITE_OK)
		return db_error(db, "qfq_rank");
	return 0;
}
