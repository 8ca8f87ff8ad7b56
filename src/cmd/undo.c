/*
 * undo: `qfq undo [CHANGE]` reverts a change set of the history (the latest
 * one by default) in one transaction, itself recorded as a change set; a
 * change set that a later one depends on is refused, naming that one.
 */
#include "cmd/cmd.h"
#include "db/history.h"
#include "util/error.h"
#include "util/i18n.h"

#include <getopt.h>
#include <stdlib.h>

static int undo_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	sqlite3_int64 id = 0, undo_id, blocker;
	sqlite3 *db;
	int opt, rc;

	if ((opt = cmd_getopt(&cmd_undo, argc, argv, "", opts, NULL)) != -1)
		return cmd_opt_exit(opt);
	if (argc - optind > 1)
		return cmd_usage_error(&cmd_undo, _("unexpected argument \"%s\""), argv[optind + 1]);
	if (argc - optind == 1) {
		char *end;
		long long v = strtoll(argv[optind], &end, 10);
		if (!*argv[optind] || *end || v < 1)
			return cmd_usage_error(&cmd_undo, _("a change number, not \"%s\""), argv[optind]);
		id = v;
	}
	if ((rc = cmd_open_db(&cmd_undo, ctx, DB_WRITE, &db)))
		return rc;
	if (!id && (rc = history_last(db, &id)) <= 0) {
		if (rc < 0)
			rc = cmd_fail(&cmd_undo, QFQ_EXIT_FAIL);
		else {
			fprintf(stderr, _("qfq undo: nothing to undo\n"));
			rc = QFQ_EXIT_NONE;
		}
		goto done;
	}
	rc = history_undo(db, id, &undo_id, &blocker);
	if (rc < 0) {
		rc = cmd_fail(&cmd_undo, QFQ_EXIT_USAGE);
	} else if (rc == 1 && blocker) {
		fprintf(stderr, _("qfq undo: change %lld cannot be undone: change %lld depends on it "
				  "(undo that one first)\n"), (long long)id, (long long)blocker);
		rc = QFQ_EXIT_DATA;
	} else if (rc == 1) {
		fprintf(stderr, _("qfq undo: change %lld cannot be undone: its rows were changed since "
				  "outside qfq's history\n"), (long long)id);
		rc = QFQ_EXIT_DATA;
	} else {
		fprintf(ctx->out, _("change %lld undone (recorded as change %lld)\n"), (long long)id,
			(long long)undo_id);
		rc = QFQ_EXIT_OK;
	}
done:
	db_close(db);
	return rc;
}

const struct cmd cmd_undo = {
	.name = "undo",
	.summary = N_("revert a change set of the history (the latest by default)"),
	.usage = N_("undo [CHANGE]"),
	.help = N_("Reverts change set CHANGE (see `qfq log`), or the latest one not yet undone:\n"
		   "every row it added, changed or deleted comes back as it was, a merge\n"
		   "included (both records and their links). Refused, changing nothing, when\n"
		   "a later change set touched the same rows: undo that one first. The undo\n"
		   "is itself a change set, so undoing it again redoes the change.\n\n"
		   "Exit status: 0 undone, 1 nothing to undo, 2 bad usage or unknown change,\n"
		   "3 refused (a later change depends on it)."),
	.exec = undo_exec,
};
