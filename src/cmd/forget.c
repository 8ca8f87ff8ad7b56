/*
 * forget: `qfq forget person ID [--yes]`, the right to erasure. Names the
 * person, asks for confirmation on a terminal (--yes otherwise), erases
 * them everywhere in one transaction (db/erase.h), then empties the -wal
 * so that no byte of theirs stays in either file; when another program
 * keeps the file busy, says which one. With a shared folder configured,
 * the erasure reaches it at once (this copy's files there rewritten).
 * `qfq persons --erase ID` is the same command.
 */
#include "cmd/cmd.h"
#include "cmd/entity.h"
#include "core/config.h"
#include "core/paths.h"
#include "db/erase.h"
#include "db/history.h"
#include "db/records.h"
#include "db/sharesync.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Asks on the terminal; true when the answer is yes. */
static bool confirm(const char *name, sqlite3_int64 id)
{
	char line[32];
	fprintf(stderr, _("erase « %s » (person %lld) for good, everywhere, history included? [o/N] "), name,
		(long long)id);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	line[strcspn(line, "\n")] = '\0';
	return !strcasecmp(line, "o") || !strcasecmp(line, "oui") || !strcasecmp(line, "y") ||
	       !strcasecmp(line, "yes");
}

/*
 * With a shared folder configured (`qfq config set partage DIR`): the
 * erasure written there for the other copies, and this copy's own files
 * there rewritten without the person. A folder out of reach is said; the
 * next `qfq share sync` does it.
 */
static void publish(const struct cmd *c, struct cmd_ctx *ctx, sqlite3 *db)
{
	struct share_sync_report rep;
	struct config cfg = CONFIG_INIT;
	struct strbuf safe = STRBUF_INIT;
	const char *dir;
	if (config_load(paths_config_file(), &cfg) || !(dir = config_get(&cfg, "partage"))) {
		config_clear(&cfg);
		return;
	}
	if (share_publish(db, dir, &rep))
		fprintf(stderr, _("qfq %s: the shared folder was not updated (%s); the next `qfq share sync` "
				  "takes the erasure there\n"), c->name, cmd_safe(&safe, qfq_error_msg()));
	else
		fprintf(ctx->out, _("shared folder: the erasure written, %zu file(s) of this copy rewritten without "
				    "the person\n"), rep.rewritten);
	strbuf_release(&safe);
	config_clear(&cfg);
}

int cmd_forget_person(const struct cmd *c, struct cmd_ctx *ctx, sqlite3_int64 id, bool yes)
{
	struct strbuf name = STRBUF_INIT, safe = STRBUF_INIT, holders = STRBUF_INIT, summary = STRBUF_INIT;
	struct forget_report rep;
	sqlite3 *db;
	int rc;

	if ((rc = cmd_open_db(c, ctx, DB_WRITE, &db)))
		return rc;
	db_exec(db, "PRAGMA secure_delete = ON");
	rc = record_name(db, RECORD_PERSON, id, &name);
	if (rc <= 0) {
		if (rc == 0)
			fprintf(stderr, _("qfq %s: no person with id %lld\n"), c->name, (long long)id);
		rc = rc ? cmd_fail(c, QFQ_EXIT_FAIL) : QFQ_EXIT_NONE;
		goto done;
	}
	cmd_safe(&safe, name.buf);
	if (!yes && !isatty(STDIN_FILENO)) {
		fprintf(stderr, _("qfq %s: erasing « %s » (person %lld) cannot be undone: confirm with --yes\n"),
			c->name, safe.buf, (long long)id);
		rc = QFQ_EXIT_USAGE;
		goto done;
	}
	if (!yes && !confirm(safe.buf, id)) {
		fprintf(stderr, _("qfq %s: nothing erased\n"), c->name);
		rc = QFQ_EXIT_NONE;
		goto done;
	}
	if (db_begin(db)) {
		rc = cmd_fail(c, QFQ_EXIT_FAIL);
		goto done;
	}
	/* the history keeps that someone was erased, not who */
	strbuf_addf(&summary, _("personne n°%lld effacée"), (long long)id);
	history_set_summary(db, summary.buf);
	if (person_forget(db, id, &rep) < 0 || db_commit(db)) {
		db_rollback(db);
		rc = cmd_fail(c, QFQ_EXIT_FAIL);
		goto done;
	}
	fprintf(ctx->out, _("« %s » (person %lld) erased: %ld membership(s), %ld attendance(s), %ld competence(s), "
			    "%ld mention(s) in free text, and every value about them in the history\n"),
		safe.buf, (long long)id, rep.memberships, rep.attendance, rep.competences, rep.mentions);
	publish(c, ctx, db);
	rc = erase_wal(db, ctx->db_path, &holders);
	if (rc < 0) {
		rc = cmd_fail(c, QFQ_EXIT_FAIL);
	} else if (rc > 0) {
		fprintf(stderr, _("qfq %s: the database is in use by %s: until it closes the file, old copies of "
				  "the erased values may remain in \"%s-wal\"; close it, then run `qfq %s` (it empties the -wal)\n"),
			c->name, holders.len ? holders.buf : _("another program"), ctx->db_path, "check");
		rc = QFQ_EXIT_FAIL;
	}
done:
	db_close(db);
	strbuf_release(&name);
	strbuf_release(&safe);
	strbuf_release(&holders);
	strbuf_release(&summary);
	return rc;
}

static int forget_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	sqlite3_int64 id;
	bool person, yes = false;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_forget, argc, argv, "y", opts, NULL)) != -1) {
		switch (opt) {
		case 'y': yes = true; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (argc - optind != 2)
		return cmd_usage_error(&cmd_forget, _("give person ID"));
	if ((rc = cmd_parse_record(&cmd_forget, argv[optind], argv[optind + 1], &person, &id)))
		return rc;
	if (!person)
		return cmd_usage_error(&cmd_forget, _("only persons are erased; delete a structure with `qfq rm`"));
	return cmd_forget_person(&cmd_forget, ctx, id, yes);
}

const struct cmd cmd_forget = {
	.name = "forget",
	.summary = N_("erase a person for good, everywhere (right to erasure)"),
	.usage = N_("forget person ID [--yes]"),
	.help = N_("Names the person and asks for confirmation (on a terminal; elsewhere --yes is\n"
		   "required), then erases them in one transaction: the person, memberships,\n"
		   "attendance, competences, merge proposals, mentions of their name, emails and\n"
		   "phones in free text, and every value about them in the history and the audit\n"
		   "log. The erasure is recorded without naming them and cannot be undone.\n"
		   "Afterwards the write-ahead log is checkpointed and emptied, so the erased\n"
		   "values remain in no byte of the database file nor of its -wal; when another\n"
		   "program keeps the file busy, qfq waits, then says which one it is.\n\n"
		   "  --yes           do not ask\n\n"
		   "`qfq persons --erase ID` is the same. See also `qfq export person ID`.\n\n"
		   "Exit status: 0 erased, 1 no such person or not confirmed, 2 bad usage,\n"
		   "4 erased but the -wal could not be emptied (another program holds it)."),
	.exec = forget_exec,
};
