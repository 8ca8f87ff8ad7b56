/*
 * rm: `qfq rm structure|person ID` deletes a record with everything that
 * hangs off it (memberships, themes, territories, permanences), keeping the
 * indexes exact. Recorded in the history, so `qfq undo` brings it back;
 * to erase a person for good, see `qfq forget`.
 */
#include "cmd/cmd.h"
#include "cmd/entity.h"
#include "db/edit.h"
#include "db/history.h"
#include "db/records.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>

static int rm_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf name = STRBUF_INIT, summary = STRBUF_INIT, safe = STRBUF_INIT;
	sqlite3_int64 id;
	bool person;
	sqlite3 *db;
	int opt, rc;

	if ((opt = cmd_getopt(&cmd_rm, argc, argv, "", opts, NULL)) != -1)
		return cmd_opt_exit(opt);
	if (argc - optind != 2)
		return cmd_usage_error(&cmd_rm, _("give structure|person ID"));
	if ((rc = cmd_parse_record(&cmd_rm, argv[optind], argv[optind + 1], &person, &id)))
		return rc;
	if ((rc = cmd_open_db(&cmd_rm, ctx, DB_WRITE, &db)))
		return rc;
	if (db_begin(db)) {
		rc = cmd_fail(&cmd_rm, QFQ_EXIT_FAIL);
		goto done;
	}
	rc = record_name(db, person ? RECORD_PERSON : RECORD_STRUCTURE, id, &name);
	if (rc == 0) {
		fprintf(stderr, _("qfq rm: no %s with id %lld\n"), person ? _("person") : _("structure"), (long long)id);
		rc = QFQ_EXIT_USAGE;
		goto done;
	}
	strbuf_addf(&summary, person ? _("personne « %s » supprimée") : _("structure « %s » supprimée"), name.buf);
	history_set_summary(db, summary.buf);
	if (rc < 0 || edit_remove(db, person ? EDIT_PERSON : EDIT_STRUCTURE, id) < 0 || db_commit(db)) {
		rc = cmd_fail(&cmd_rm, QFQ_EXIT_FAIL);
		goto done;
	}
	fprintf(ctx->out, _("« %s » (%s %lld) deleted; `qfq undo` brings it back\n"), cmd_safe(&safe, name.buf),
		person ? _("person") : _("structure"), (long long)id);
	rc = QFQ_EXIT_OK;
done:
	db_rollback(db);
	db_close(db);
	strbuf_release(&name);
	strbuf_release(&summary);
	strbuf_release(&safe);
	return rc;
}

const struct cmd cmd_rm = {
	.name = "rm",
	.summary = N_("delete a structure or a person (undoable)"),
	.usage = N_("rm structure ID\n"
		    "rm person ID"),
	.help = N_("Deletes the record and everything attached to it: memberships, themes,\n"
		   "territories, permanences, merge proposals. The deletion is recorded in the\n"
		   "history and `qfq undo` brings the record back. To erase a person for good\n"
		   "(the right to erasure), use `qfq forget person ID`.\n\n"
		   "Exit status: 0 deleted, 2 bad usage or unknown id."),
	.exec = rm_exec,
};
