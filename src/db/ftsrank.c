/*
 * ftsrank: the qfq_rank() FTS5 auxiliary function (see ftsrank.h).
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
 * qfq_rank(structures_fts): see ftsrank.h. Each phrase (one per typed
 * word) is walked with xPhraseFirst/xPhraseNext, which read the position
 * lists of the current match only: instances come column by column, so
 * the first one tells whether the word is in the name, and where.
 */
static void rank_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		    int argc, sqlite3_value **argv)
{
	int nphrase = api->xPhraseCount(fts), i, in_name = 0, first = MAX_OFFSET, hits = 0;
	(void)argc;
	(void)argv;
	for (i = 0; i < nphrase; i++) {
		Fts5PhraseIter it;
		int col, off;
		bool first_of_phrase = true;
		if (api->xPhraseFirst(fts, i, &it, &col, &off) != SQLITE_OK) {
			sqlite3_result_error(ctx, "qfq_rank: cannot read the match", -1);
			return;
		}
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
	sqlite3_result_double(ctx, -(1000.0 * in_name + 100.0 * (MAX_OFFSET - first) * (in_name > 0) + hits));
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
	if (api->xCreateFunction(api, "qfq_rank", NULL, rank_fn, NULL) != SQLITE_OK)
		return db_error(db, "qfq_rank");
	return 0;
}
