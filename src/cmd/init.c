/*
 * init: `qfq init`, create or upgrade the database and load the reference
 * data (territories, typologies, themes) shipped in data/. Idempotent.
 */
#include "cmd/cmd.h"
#include "core/paths.h"
#include "db/refdata.h"
#include "db/share.h"
#include "out/json.h"
#include "util/error.h"
#include "util/i18n.h"

#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

static void print_report(struct cmd_ctx *ctx, const char *path, const struct refdata_report *rep,
			 enum out_format f)
{
	static const char *const headers[] = { "table", "rows", "changed" };
	struct out_table *t;
	char rows[32], changed[32];
	int i;

	if (f == OUT_JSON) {
		struct json_writer jw;
		json_init(&jw, ctx->out, true);
		json_object_begin(&jw);
		json_kv_str(&jw, "database", path);
		for (i = 0; i < REF_N; i++) {
			json_key(&jw, rep->c[i].what);
			json_object_begin(&jw);
			json_key(&jw, "rows");
			json_int(&jw, rep->c[i].rows);
			json_key(&jw, "changed");
			json_int(&jw, rep->c[i].changed);
			json_object_end(&jw);
		}
		json_object_end(&jw);
		json_finish(&jw);
		return;
	}
	{
		/* a report for people in their language; tsv and csv keep the keys */
		const char *human[] = { _("Table"), _("Rows"), _("Changed") };
		t = out_table_new(3, f == OUT_TABLE ? human : headers);
	}
	for (i = 0; i < REF_N; i++) {
		const char *cells[3] = { rep->c[i].what, rows, changed };
		snprintf(rows, sizeof(rows), "%ld", rep->c[i].rows);
		snprintf(changed, sizeof(changed), "%ld", rep->c[i].changed);
		out_table_add(t, cells);
	}
	if (f == OUT_TABLE)
		fprintf(ctx->out, _("database: %s\n"), path);
	out_table_write(t, f, ctx->out, out_term_width(ctx->out), 0);
	out_table_free(t);
}

/*
 * A new copy from a coordinator's snapshot: the file copied whole to the
 * database path (which must not exist yet), with a copy id of its own and
 * nothing of the coordinator's own bookkeeping (what it gave, its conflicts).
 */
static int from_snapshot(struct cmd_ctx *ctx, const char *from)
{
	sqlite3 *src, *db;
	if (access(ctx->db_path, F_OK) == 0)
		return cmd_usage_error(&cmd_init, _("--from makes a new copy: \"%s\" exists already"), ctx->db_path);
	if (db_open(from, DB_READ, &src))
		return cmd_fail(&cmd_init, QFQ_EXIT_DATA);
	if (share_vacuum_into(src, ctx->db_path)) {
		db_close(src);
		return cmd_fail(&cmd_init, QFQ_EXIT_FAIL);
	}
	db_close(src);
	if (db_open(ctx->db_path, DB_WRITE, &db))
		return cmd_fail(&cmd_init, QFQ_EXIT_FAIL);
	if (db_exec(db, "BEGIN IMMEDIATE") || share_set_copy(db, NULL, true) ||
	    db_exec(db, "DELETE FROM meta WHERE key IN ('share_given', 'copy_name'); DELETE FROM share_conflicts; "
			"UPDATE share_changes SET data = NULL") ||
	    db_exec(db, "COMMIT")) {
		db_close(db);
		return cmd_fail(&cmd_init, QFQ_EXIT_FAIL);
	}
	db_close(db);
	return 0;
}

static int init_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "copy-name", required_argument, NULL, 'N' },
		{ "data", required_argument, NULL, 'D' },
		{ "from", required_argument, NULL, 'F' },
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct refdata_report rep;
	enum out_format f = OUT_TABLE;
	const char *datadir = NULL, *copy_name = NULL, *from = NULL;
	sqlite3 *db;
	int opt, rc, quiet = 0;

	while ((opt = cmd_getopt(&cmd_init, argc, argv, "f:q", opts, NULL)) != -1) {
		switch (opt) {
		case 'D': datadir = optarg; break;
		case 'N': copy_name = optarg; break;
		case 'F': from = optarg; break;
		case 'f': if ((rc = cmd_parse_format(&cmd_init, optarg, &f))) return rc; break;
		case 'q': quiet = 1; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_init, _("unexpected argument \"%s\""), argv[optind]);
	if (!datadir)
		datadir = paths_data_dir();
	if (from && (rc = from_snapshot(ctx, from)))
		return rc;
	if ((rc = cmd_open_db(&cmd_init, ctx, DB_CREATE, &db)))
		return rc;
	/* a large cache keeps the bulk load from spilling half-built index pages to the WAL */
	db_exec(db, "PRAGMA cache_size = -65536");
	if (db_begin(db) || refdata_load(db, datadir, &rep) || (copy_name && share_set_copy(db, copy_name, false)) ||
	    db_audit(db, "init", NULL, 0, datadir) || db_commit(db)) {
		rc = cmd_fail(&cmd_init, QFQ_EXIT_FAIL);
		db_close(db);
		return rc;
	}
	db_exec(db, "PRAGMA optimize");
	db_close(db);
	if (!quiet)
		print_report(ctx, ctx->db_path, &rep, f);
	return QFQ_EXIT_OK;
}

const struct cmd cmd_init = {
	.name = "init",
	.summary = N_("create or upgrade the database and load the reference data"),
	.usage = N_("init [--data DIR] [--copy-name NAME] [--from SNAPSHOT] [--format table|tsv|csv|json] [--quiet]"),
	.help = N_("Creates the database file (mode 0600) if it does not exist, upgrades its\n"
		   "schema, and loads the communes, former communes, EPCI, départements, régions,\n"
		   "typologies and the theme crosswalk. Running it again changes nothing unless\n"
		   "the data files changed.\n\n"
		   "  --data DIR      read the reference files from DIR (default: the installed data)\n"
		   "  --copy-name NAME  this copy's name for the other copies (`qfq share`)\n"
		   "  --from SNAPSHOT   start a new copy from a `qfq share snapshot` file\n"
		   "  --format FMT    the report as table, tsv, csv or json\n"
		   "  --quiet, -q     no report"),
	.exec = init_exec,
};
