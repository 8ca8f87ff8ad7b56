/*
 * reindex: `qfq reindex`, a maintenance command that rebuilds every
 * structure's derived indexes (full text, map, opening-hours spans) in one
 * transaction, after rows were written by other means than qfq (a bulk
 * load, a benchmark generator, a manual sqlite3 session).
 */
#include "cmd/cmd.h"
#include "db/structures.h"
#include "util/i18n.h"

#include <getopt.h>

static int reindex_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	sqlite3 *db;
	int opt, rc;

	if ((opt = cmd_getopt(&cmd_reindex, argc, argv, "", opts, NULL)) != -1)
		return cmd_opt_exit(opt);
	if (optind < argc)
		return cmd_usage_error(&cmd_reindex, _("no argument expected"));
	if ((rc = cmd_open_db(&cmd_reindex, ctx, DB_WRITE, &db)))
		return rc;
	if (db_begin(db) || structure_reindex_all(db) || db_commit(db)) {
		rc = cmd_fail(&cmd_reindex, QFQ_EXIT_FAIL);
		db_rollback(db);
	} else if (db_exec(db, "INSERT INTO structures_fts(structures_fts) VALUES ('optimize'); "
			       "PRAGMA optimize")) {
		rc = cmd_fail(&cmd_reindex, QFQ_EXIT_FAIL);
	}
	db_close(db);
	return rc;
}

const struct cmd cmd_reindex = {
	.name = "reindex",
	.summary = N_("(maintenance) rebuild the search indexes of every structure"),
	.usage = N_("reindex"),
	.help = N_("Rebuilds the full-text, map and opening-hours indexes of every structure,\n"
		   "in one transaction. Only needed after rows were written outside qfq."),
	.exec = reindex_exec,
};
