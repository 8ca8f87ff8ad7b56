/*
 * backup: `qfq backup FILE` writes a copy of the directory with SQLite's
 * online backup: one consistent snapshot even while another qfq writes
 * (an import in progress is in the copy entirely or not at all), checked
 * after writing. `qfq restore FILE` puts one back.
 */
#include "cmd/cmd.h"
#include "db/backup.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <unistd.h>

static int backup_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf safe = STRBUF_INIT;
	sqlite3 *db;
	int opt, rc;

	if ((opt = cmd_getopt(&cmd_backup, argc, argv, "", opts, NULL)) != -1)
		return cmd_opt_exit(opt);
	if (argc - optind != 1)
		return cmd_usage_error(&cmd_backup, _("give the FILE to write"));
	if (access(argv[optind], F_OK) == 0) {
		rc = cmd_usage_error(&cmd_backup, _("\"%s\" exists: give a new file name"), cmd_safe(&safe, argv[optind]));
		strbuf_release(&safe);
		return rc;
	}
	if ((rc = cmd_open_db(&cmd_backup, ctx, DB_READ, &db)))
		return rc;
	if (backup_write(db, argv[optind])) {
		rc = cmd_fail(&cmd_backup, QFQ_EXIT_FAIL);
	} else {
		fprintf(ctx->out, _("backup written to \"%s\" and checked\n"), cmd_safe(&safe, argv[optind]));
		rc = QFQ_EXIT_OK;
	}
	db_close(db);
	strbuf_release(&safe);
	return rc;
}

const struct cmd cmd_backup = {
	.name = "backup",
	.summary = N_("copy the directory into a file, safely while it is in use"),
	.usage = N_("backup FILE"),
	.help = N_("Writes a copy of the database to FILE (a new file, mode 0600) with SQLite's\n"
		   "online backup: the copy is one consistent state even while another qfq writes\n"
		   "(an import running is in it entirely or not at all). The copy is checked\n"
		   "(integrity, schema) before qfq says it is done. Put it back with\n"
		   "`qfq restore FILE`.\n\n"
		   "Exit status: 0 written, 2 bad usage (FILE exists), 4 failure."),
	.exec = backup_exec,
};
