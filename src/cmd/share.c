/*
 * share: `qfq share`, copies of one directory exchanging their changes
 * (db/share.h, db/sharefile.h).
 *   qfq share                         this copy's id, name and what it holds
 *   qfq share export [--since SEQ] [-o FILE]   the change sets not yet given
 *   qfq share apply FILE...           other copies' change sets, once each
 *   qfq share sync [DIR]              both, through a shared folder (config partage)
 *   qfq share conflicts [--swap ID]   the values an apply set aside
 *   qfq share snapshot FILE           a whole copy to start a new one from
 */
#include "cmd/cmd.h"
#include "core/config.h"
#include "core/paths.h"
#include "db/share.h"
#include "db/shareconflicts.h"
#include "db/sharefile.h"
#include "db/sharesync.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fail(sqlite3 *db)
{
	int rc = cmd_fail(&cmd_share, QFQ_EXIT_FAIL);
	db_rollback(db);
	db_close(db);
	return rc;
}

static sqlite3_int64 meta_int(sqlite3 *db, const char *key)
{
	char *v = db_meta_get(db, key);
	sqlite3_int64 n = v ? strtoll(v, NULL, 10) : 0;
	free(v);
	return n;
}

static int status(struct cmd_ctx *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	sqlite3 *db;
	sqlite3_stmt *st;
	char copy[33], *name = NULL;
	int rc;
	if ((rc = cmd_open_db(&cmd_share, ctx, DB_READ, &db)))
		return rc;
	if (share_copy(db, copy, &name))
		return fail(db);
	fprintf(ctx->out, _("copy: %s (%s)\n"), copy, cmd_safe(&sb, name ? name : _("sans nom")));
	fprintf(ctx->out, _("own change sets: %lld, given up to %lld\n"), (long long)share_last_seq(db, copy),
		(long long)meta_int(db, "share_given"));
	/* the other copies by id and by the name their files gave (untrusted: shown sanitized) */
	if (!db_prepare(db, "SELECT c.copy || ifnull(' (' || (SELECT name FROM share_copies n WHERE n.copy = c.copy) "
			    "|| ')', ''), max(c.seq), count(*) FROM share_changes c WHERE c.copy <> ?1 "
			    "GROUP BY c.copy ORDER BY c.copy", &st)) {
		sqlite3_bind_text(st, 1, copy, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			fprintf(ctx->out, _("from %s: up to %lld (%lld change sets)\n"),
				cmd_safe(&sb, (const char *)sqlite3_column_text(st, 0)),
				(long long)sqlite3_column_int64(st, 1), (long long)sqlite3_column_int64(st, 2));
		sqlite3_finalize(st);
	}
	free(name);
	strbuf_release(&sb);
	db_close(db);
	return QFQ_EXIT_OK;
}

static int export_cmd(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	struct share_entry *v = NULL;
	const char *out = NULL;
	sqlite3_int64 since = -1;
	size_t n = 0;
	char copy[33], *name = NULL;
	sqlite3 *db;
	int opt, rc;
	long l;

	optind = 1;
	while ((opt = cmd_getopt(&cmd_share, argc, argv, "o:", opts, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (!strcmp(optarg, "0"))
				l = 0;
			else if ((rc = cmd_parse_count(&cmd_share, "--since", optarg, &l)))
				return rc;
			since = l;
			break;
		case 'o': out = optarg; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_share, _("unexpected argument \"%s\""), argv[optind]);
	if (!out && isatty(fileno(ctx->out)))
		return cmd_usage_error(&cmd_share, _("share export writes binary data: give -o FILE"));
	if ((rc = cmd_open_db(&cmd_share, ctx, DB_WRITE, &db)))
		return rc;
	if (share_copy(db, copy, &name) || share_own_entries(db, since >= 0 ? since : meta_int(db, "share_given"), &v, &n))
		return fail(db);
	rc = out ? sharefile_write(out, copy, name, v, n) : sharefile_print(ctx->out, copy, name, v, n);
	if (!rc && n && since < 0) {
		char seq[32];
		snprintf(seq, sizeof(seq), "%lld", (long long)v[n - 1].seq);
		rc = db_meta_set(db, "share_given", seq);
	}
	if (!rc && out)
		fprintf(stderr, _("%zu change sets written to %s\n"), n, out);
	share_entries_free(v, n);
	free(name);
	if (rc)
		return fail(db);
	db_close(db);
	return QFQ_EXIT_OK;
}

/* The line of an apply's figures. */
static void report(struct cmd_ctx *ctx, const struct share_sync_report *rep)
{
	fprintf(ctx->out, _("applied %ld change sets (%ld already there), %ld rows, %ld set aside, %ld conflicts\n"),
		rep->apply.applied, rep->apply.already, rep->apply.rows, rep->apply.dropped, rep->apply.conflicts);
	if (rep->erased)
		fprintf(ctx->out, _("dropped: %ld rows about persons erased on a copy\n"), rep->erased);
}

static int apply_cmd(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct share_sync_report rep = { 0 };
	struct share_entry *v = NULL;
	size_t n = 0, alloc = 0;
	sqlite3 *db;
	int i, rc;
	if (argc < 2)
		return cmd_usage_error(&cmd_share, _("share apply expects one or more files"));
	for (i = 1; i < argc; i++)
		if (sharefile_read(argv[i], &v, &n, &alloc)) {
			share_entries_free(v, n);
			return cmd_fail(&cmd_share, QFQ_EXIT_DATA);
		}
	if ((rc = cmd_open_db(&cmd_share, ctx, DB_WRITE, &db))) {
		share_entries_free(v, n);
		return rc;
	}
	rc = share_apply_entries(db, v, n, &rep);
	share_entries_free(v, n);
	if (rc)
		return fail(db);
	report(ctx, &rep);
	db_close(db);
	return QFQ_EXIT_OK;
}

static int sync_cmd(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct share_sync_report rep;
	struct config cfg = CONFIG_INIT;
	const char *dir = argc == 2 ? argv[1] : NULL;
	sqlite3 *db;
	int rc;
	if (argc > 2)
		return cmd_usage_error(&cmd_share, _("share sync expects one folder"));
	if (!dir && (config_load(paths_config_file(), &cfg) || !(dir = config_get(&cfg, "partage")))) {
		config_clear(&cfg);
		return cmd_usage_error(&cmd_share, _("share sync expects a folder, or `qfq config set partage DIR`"));
	}
	if ((rc = cmd_open_db(&cmd_share, ctx, DB_WRITE, &db))) {
		config_clear(&cfg);
		return rc;
	}
	rc = share_sync(db, dir, &rep);
	config_clear(&cfg);
	if (rc)
		return fail(db);
	report(ctx, &rep);
	if (rep.written)
		fprintf(ctx->out, _("written: %zu change sets\n"), rep.written);
	if (rep.rewritten)
		fprintf(ctx->out, _("rewritten without erased persons: %zu files of this copy\n"), rep.rewritten);
	db_close(db);
	return QFQ_EXIT_OK;
}

static int swap_cmd(struct cmd_ctx *ctx, long swap)
{
	sqlite3 *db;
	int rc;
	if ((rc = cmd_open_db(&cmd_share, ctx, DB_WRITE, &db)))
		return rc;
	rc = share_conflict_swap(db, swap);
	if (rc < 0)
		return fail(db);
	db_close(db);
	if (rc == 1) {
		fprintf(stderr, _("qfq share: no open conflict %ld on a field\n"), swap);
		return QFQ_EXIT_USAGE;
	}
	fprintf(ctx->out, _("conflict %ld swapped: the other value is back, and will travel as a change\n"), swap);
	return QFQ_EXIT_OK;
}

/* One conflict's cells: number, date, record, field, kept (copy), set aside (copy), state. */
static void conflict_row(struct out_table *t, const struct share_conflict *c)
{
	struct strbuf sb[7];
	char *cells[7];
	int i;
	for (i = 0; i < 7; i++)
		strbuf_init(&sb[i], 0);
	strbuf_addint(&sb[0], c->id);
	strbuf_addstr(&sb[1], c->at ? c->at : "");
	strbuf_addf(&sb[2], "%s %s", c->table, c->record ? c->record : c->key);
	strbuf_addstr(&sb[3], c->col ? c->col : "*");
	strbuf_addf(&sb[4], "%s (%s)", c->kept ? c->kept : "-", c->kept_copy ? c->kept_copy : "?");
	strbuf_addf(&sb[5], "%s (%s)", c->lost ? c->lost : "-", c->lost_copy ? c->lost_copy : "?");
	strbuf_addstr(&sb[6], c->swapped ? _("échangé") : _("ouvert"));
	for (i = 0; i < 7; i++) {
		struct strbuf safe = STRBUF_INIT;
		cells[i] = xstrdup(cmd_safe(&safe, sb[i].buf));
		strbuf_release(&safe);
	}
	out_table_add(t, (const char *const *)cells);
	for (i = 0; i < 7; i++) {
		free(cells[i]);
		strbuf_release(&sb[i]);
	}
}

static int conflicts_cmd(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *headers[] = { _("N°"), _("Date"), _("Fiche"), _("Champ"), _("Gardé (copie)"),
				  _("Écarté (copie)"), _("État") };
	struct share_conflict *v;
	struct out_table *t;
	size_t n, i;
	sqlite3 *db;
	long swap = 0;
	int rc;
	if (argc == 3 && !strcmp(argv[1], "--swap")) {
		if ((rc = cmd_parse_count(&cmd_share, "--swap", argv[2], &swap)))
			return rc;
		return swap_cmd(ctx, swap);
	}
	if (argc != 1)
		return cmd_usage_error(&cmd_share, _("share conflicts takes no argument but --swap ID"));
	if ((rc = cmd_open_db(&cmd_share, ctx, DB_READ, &db)))
		return rc;
	if (share_conflicts_load(db, &v, &n))
		return fail(db);
	t = out_table_new(7, headers);
	for (i = 0; i < n; i++)
		conflict_row(t, &v[i]);
	rc = n ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
	if (n)
		out_table_write(t, OUT_TABLE, ctx->out, out_term_width(ctx->out), 0);
	else
		fprintf(ctx->out, _("no conflict\n"));
	out_table_free(t);
	share_conflicts_free(v, n);
	db_close(db);
	return rc;
}

static int snapshot_cmd(struct cmd_ctx *ctx, int argc, char **argv)
{
	sqlite3 *db;
	int rc;
	if (argc != 2)
		return cmd_usage_error(&cmd_share, _("share snapshot expects one file"));
	if ((rc = cmd_open_db(&cmd_share, ctx, DB_READ, &db)))
		return rc;
	if (share_vacuum_into(db, argv[1]))
		return fail(db);
	fprintf(ctx->out, _("snapshot written to %s: start a copy with `qfq --db NEW init --from %s --copy-name NAME`\n"),
		argv[1], argv[1]);
	db_close(db);
	return QFQ_EXIT_OK;
}

static int share_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct cmd_ctx *, int, char **);
	} subs[] = {
		{ "apply", apply_cmd }, { "conflicts", conflicts_cmd }, { "export", export_cmd },
		{ "snapshot", snapshot_cmd }, { "sync", sync_cmd },
	};
	size_t i;
	if (argc < 2)
		return status(ctx);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cmd_print_help(&cmd_share, stdout);
		return 0;
	}
	if (argv[1][0] == '-')
		return cmd_usage_error(&cmd_share, _("unknown option \"%s\""), argv[1]);
	for (i = 0; i < sizeof(subs) / sizeof(*subs); i++)
		if (!strcmp(argv[1], subs[i].name))
			return subs[i].fn(ctx, argc - 1, argv + 1);
	return cmd_usage_error(&cmd_share, _("unknown share command \"%s\""), argv[1]);
}

const struct cmd cmd_share = {
	.name = "share",
	.summary = N_("exchange changes with the other copies of the directory"),
	.usage = N_("share\n"
		    "share export [--since SEQ] [-o FILE]\n"
		    "share apply FILE...\n"
		    "share sync [DIR]\n"
		    "share conflicts [--swap ID]\n"
		    "share snapshot FILE"),
	.help = N_("Each copy of the directory (a mediator's laptop, the coordinator's) records\n"
		   "its changes as SQLite changesets and exchanges them with the others.\n\n"
		   "  export          write this copy's change sets not given yet (-o FILE)\n"
		   "  --since SEQ     those after sequence SEQ instead\n"
		   "  apply FILE...   apply other copies' change sets, each once, in one transaction\n"
		   "  sync [DIR]      apply the others' new files in DIR, write this copy's new one,\n"
		   "                  rewrite its own files there without the persons erased since;\n"
		   "                  DIR defaults to `qfq config get partage` (the TUI syncs at\n"
		   "                  start-up with `qfq config set partage_au_demarrage oui`)\n"
		   "  conflicts       the values set aside: a field changed on two copies keeps\n"
		   "                  the later change; an erasure or a delete wins over an edit\n"
		   "  --swap ID       put the set-aside value back (it travels as a new change)\n"
		   "  snapshot FILE   the whole directory, to start a new copy from:\n"
		   "                  qfq --db NEW init --from FILE --copy-name NAME"),
	.exec = share_exec,
};
