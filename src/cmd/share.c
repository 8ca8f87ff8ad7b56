/*
 * share: `qfq share`, copies of one directory exchanging their changes
 * (db/share.h, db/sharefile.h).
 *   qfq share                         this copy's id, name and what it holds
 *   qfq share export [--since SEQ] [-o FILE]   the change sets not yet given
 *   qfq share apply FILE...           other copies' change sets, once each
 *   qfq share sync DIR                both, through a shared folder
 *   qfq share conflicts [--swap ID]   the values an apply set aside
 *   qfq share snapshot FILE           a whole copy to start a new one from
 */
#include "cmd/cmd.h"
#include "db/history.h"
#include "db/share.h"
#include "db/sharefile.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
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
	if (!db_prepare(db, "SELECT copy, max(seq), count(*) FROM share_changes WHERE copy <> ?1 GROUP BY copy "
			    "ORDER BY copy", &st)) {
		sqlite3_bind_text(st, 1, copy, -1, SQLITE_STATIC);
		while (sqlite3_step(st) == SQLITE_ROW)
			fprintf(ctx->out, _("from %s: up to %lld (%lld change sets)\n"), sqlite3_column_text(st, 0),
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

/* Applies entries in one transaction and reports. */
static int apply_entries(struct cmd_ctx *ctx, sqlite3 *db, struct share_entry *v, size_t n)
{
	struct share_report rep;
	if (db_begin(db) || share_apply(db, v, n, &rep) || db_commit(db))
		return -1;
	fprintf(ctx->out, _("applied %ld change sets (%ld already there), %ld rows, %ld set aside, %ld conflicts\n"),
		rep.applied, rep.already, rep.rows, rep.dropped, rep.conflicts);
	return 0;
}

static int apply_cmd(struct cmd_ctx *ctx, int argc, char **argv)
{
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
	rc = apply_entries(ctx, db, v, n);
	share_entries_free(v, n);
	if (rc)
		return fail(db);
	db_close(db);
	return QFQ_EXIT_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The share files of dir, sorted (malloc'd names). */
static int list_dir(const char *dir, char ***out, size_t *nout)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, alloc = 0;
	if (!d)
		return qfq_error(_("cannot read folder \"%s\": %s"), dir, strerror(errno));
	while ((e = readdir(d))) {
		char copy[33];
		long long last;
		if (!sharefile_parse_name(e->d_name, copy, &last))
			continue;
		XGROW(v, alloc, n + 1);
		v[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*out = v;
	*nout = n;
	return 0;
}

static void free_names(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* This copy's change sets not yet in dir, as one new file. */
static int sync_out(struct cmd_ctx *ctx, sqlite3 *db, const char *dir, char **files, size_t nfiles)
{
	struct share_entry *v = NULL;
	char copy[33], *name = NULL, *path;
	long long given = 0;
	size_t n = 0, i;
	int rc;
	if (share_copy(db, copy, &name))
		return -1;
	for (i = 0; i < nfiles; i++) {
		char c[33];
		long long last;
		if (sharefile_parse_name(files[i], c, &last) && !strcmp(c, copy) && last > given)
			given = last;
	}
	rc = share_own_entries(db, given, &v, &n);
	if (!rc && n) {
		path = sharefile_name(dir, copy, (long long)v[0].seq, (long long)v[n - 1].seq);
		rc = sharefile_write(path, copy, name, v, n);
		if (!rc)
			fprintf(ctx->out, _("written: %zu change sets\n"), n);
		free(path);
	}
	share_entries_free(v, n);
	free(name);
	return rc;
}

static int sync_cmd(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct share_entry *v = NULL;
	size_t n = 0, alloc = 0, nfiles = 0, i;
	char **files = NULL, copy[33];
	sqlite3 *db;
	int rc;
	if (argc != 2)
		return cmd_usage_error(&cmd_share, _("share sync expects one folder"));
	if ((rc = cmd_open_db(&cmd_share, ctx, DB_WRITE, &db)))
		return rc;
	if (share_copy(db, copy, NULL) || list_dir(argv[1], &files, &nfiles))
		return fail(db);
	for (i = 0; i < nfiles; i++) {
		char c[33];
		long long last;
		struct strbuf path = STRBUF_INIT;
		sharefile_parse_name(files[i], c, &last);
		if (!strcmp(c, copy) || last <= share_last_seq(db, c))
			continue;
		strbuf_addf(&path, "%s/%s", argv[1], files[i]);
		rc = sharefile_read(path.buf, &v, &n, &alloc);
		strbuf_release(&path);
		if (rc)
			break;
	}
	if (!rc)
		rc = apply_entries(ctx, db, v, n);
	if (!rc)
		rc = sync_out(ctx, db, argv[1], files, nfiles);
	share_entries_free(v, n);
	free_names(files, nfiles);
	if (rc)
		return fail(db);
	db_close(db);
	return QFQ_EXIT_OK;
}

static int conflicts_cmd(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *headers[] = { _("N°"), _("Date"), _("Table"), _("Ligne"), _("Champ"), _("Gardé"), _("Écarté"),
				  _("État") };
	struct strbuf sb = STRBUF_INIT;
	struct out_table *t;
	sqlite3_stmt *st;
	sqlite3 *db;
	long swap = 0;
	int rc;
	if (argc == 3 && !strcmp(argv[1], "--swap")) {
		if ((rc = cmd_parse_count(&cmd_share, "--swap", argv[2], &swap)))
			return rc;
	} else if (argc != 1)
		return cmd_usage_error(&cmd_share, _("share conflicts takes no argument but --swap ID"));
	if ((rc = cmd_open_db(&cmd_share, ctx, swap ? DB_WRITE : DB_READ, &db)))
		return rc;
	if (swap) {
		strbuf_addf(&sb, _("conflit %ld : valeur écartée remise"), swap);
		if (db_begin(db))
			return fail(db);
		history_set_summary(db, sb.buf);
		rc = share_swap(db, swap);
		if (rc == 1) {
			db_rollback(db);
			db_close(db);
			strbuf_release(&sb);
			fprintf(stderr, _("qfq share: no open conflict %ld on a field\n"), swap);
			return QFQ_EXIT_USAGE;
		}
		if (rc || db_commit(db)) {
			strbuf_release(&sb);
			return fail(db);
		}
		fprintf(ctx->out, _("conflict %ld swapped: the other value is back, and will travel as a change\n"), swap);
		strbuf_release(&sb);
		db_close(db);
		return QFQ_EXIT_OK;
	}
	if (db_prepare(db, "SELECT id, at, tbl, key, ifnull(col, '*'), quote(kept), quote(lost), state "
			   "FROM share_conflicts ORDER BY id", &st))
		return fail(db);
	t = out_table_new(8, headers);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *cells[8];
		int i;
		for (i = 0; i < 8; i++)
			cells[i] = xstrdup(cmd_safe(&sb, (const char *)sqlite3_column_text(st, i)));
		out_table_add(t, (const char *const *)cells);
		for (i = 0; i < 8; i++)
			free(cells[i]);
	}
	sqlite3_finalize(st);
	rc = out_table_rows(t) ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
	if (rc == QFQ_EXIT_OK)
		out_table_write(t, OUT_TABLE, ctx->out, out_term_width(ctx->out), 0);
	else
		fprintf(ctx->out, _("no conflict\n"));
	out_table_free(t);
	strbuf_release(&sb);
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
		    "share sync DIR\n"
		    "share conflicts [--swap ID]\n"
		    "share snapshot FILE"),
	.help = N_("Each copy of the directory (a mediator's laptop, the coordinator's) records\n"
		   "its changes as SQLite changesets and exchanges them with the others.\n\n"
		   "  export          write this copy's change sets not given yet (-o FILE)\n"
		   "  --since SEQ     those after sequence SEQ instead\n"
		   "  apply FILE...   apply other copies' change sets, each once, in one transaction\n"
		   "  sync DIR        apply the others' new files in DIR, write this copy's new one\n"
		   "  conflicts       the values set aside: a field changed on two copies keeps\n"
		   "                  the later change; an erasure or a delete wins over an edit\n"
		   "  --swap ID       put the set-aside value back (it travels as a new change)\n"
		   "  snapshot FILE   the whole directory, to start a new copy from:\n"
		   "                  qfq --db NEW init --from FILE --copy-name NAME"),
	.exec = share_exec,
};
