/*
 * restore: `qfq restore FILE` replaces the directory by a backup, after
 * checking that FILE is a qfq database of a known version (nothing is
 * replaced otherwise); the replaced database is kept aside first. The
 * restore is recorded in the history of the restored database.
 */
#include "cmd/cmd.h"
#include "db/backup.h"
#include "db/history.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <time.h>
#include <unistd.h>

static int restore_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	struct strbuf aside = STRBUF_INIT, summary = STRBUF_INIT, s1 = STRBUF_INIT, s2 = STRBUF_INIT;
	char stamp[32];
	time_t now = time(NULL);
	const char *file;
	sqlite3 *db = NULL;
	long version;
	int opt, rc;

	if ((opt = cmd_getopt(&cmd_restore, argc, argv, "", opts, NULL)) != -1)
		return cmd_opt_exit(opt);
	if (argc - optind != 1)
		return cmd_usage_error(&cmd_restore, _("give the backup FILE to restore"));
	file = argv[optind];
	if (backup_check(file, &version)) {
		fprintf(stderr, _("qfq restore: %s: refused, nothing was replaced\n"), cmd_safe(&s1, qfq_error_msg()));
		rc = QFQ_EXIT_DATA;
		goto done;
	}
	if ((rc = cmd_open_db(&cmd_restore, ctx, DB_CREATE, &db)))
		goto done;
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	strbuf_addf(&aside, "%s.avant-restauration-%s", ctx->db_path, stamp);
	if (backup_write(db, aside.buf)) {
		fprintf(stderr, _("qfq restore: cannot keep the current database aside (%s): nothing was replaced\n"),
			cmd_safe(&s1, qfq_error_msg()));
		rc = QFQ_EXIT_FAIL;
		goto done;
	}
	if (backup_restore(db, file)) {
		rc = cmd_fail(&cmd_restore, QFQ_EXIT_FAIL);
		goto done;
	}
	db_close(db);
	db = NULL;
	/* an older schema is brought up to date by the open */
	if ((rc = cmd_open_db(&cmd_restore, ctx, DB_WRITE, &db)))
		goto done;
	strbuf_addf(&summary, _("restauration de « %s » (la base remplacée est gardée dans « %s »)"), file, aside.buf);
	if (db_begin(db)) {
		rc = cmd_fail(&cmd_restore, QFQ_EXIT_FAIL);
		goto done;
	}
	history_set_private(db);
	history_set_summary(db, summary.buf);
	if (db_commit(db)) {
		rc = cmd_fail(&cmd_restore, QFQ_EXIT_FAIL);
		goto done;
	}
	fprintf(ctx->out, _("restored from \"%s\" (schema %ld); the replaced database is kept in \"%s\"\n"),
		cmd_safe(&s1, file), version, cmd_safe(&s2, aside.buf));
	rc = QFQ_EXIT_OK;
done:
	db_close(db);
	strbuf_release(&aside);
	strbuf_release(&summary);
	strbuf_release(&s1);
	strbuf_release(&s2);
	return rc;
}

const struct cmd cmd_restore = {
	.name = "restore",
	.summary = N_("replace the directory by a backup, keeping the current one aside"),
	.usage = N_("restore FILE"),
	.help = N_("Checks that FILE is a qfq database of a known schema version and undamaged\n"
		   "(nothing is replaced otherwise), copies the current database aside to\n"
		   "DB.avant-restauration-DATE, then replaces it by FILE (through SQLite, so\n"
		   "another qfq that has it open sees the restored state). An older FILE is\n"
		   "brought up to the current schema. The restore is recorded in the history.\n\n"
		   "Exit status: 0 restored, 2 bad usage, 3 FILE refused, 4 failure."),
	.exec = restore_exec,
};
