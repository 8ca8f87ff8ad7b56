/*
 * tui: `qfq tui` (and `qfq` alone on a terminal), the full-screen
 * interface (src/tui/), or with --plain / QFQ_PLAIN=1 the line-by-line
 * dialogue for screen readers and braille displays. With a shared folder
 * and `partage_au_demarrage oui` configured, syncs with it first.
 */
#include "cmd/cmd.h"
#include "core/config.h"
#include "core/paths.h"
#include "db/sharesync.h"
#include "tui/tui.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * `qfq config set partage_au_demarrage oui`: the same sync as `qfq share
 * sync DIR` before the first screen, its outcome in one line (*msg,
 * malloc'd). A folder out of reach (a USB stick not plugged in) is said,
 * and the interface opens all the same.
 */
static void startup_sync(struct cmd_ctx *ctx, char **msg)
{
	struct share_sync_report rep;
	struct config cfg = CONFIG_INIT;
	struct strbuf sb = STRBUF_INIT;
	const char *dir, *on;
	struct stat st;
	sqlite3 *db;
	*msg = NULL;
	if (config_load(paths_config_file(), &cfg) || !(on = config_get(&cfg, "partage_au_demarrage")) ||
	    strcmp(on, "oui") || !(dir = config_get(&cfg, "partage"))) {
		config_clear(&cfg);
		return;
	}
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		strbuf_addf(&sb, _("partage : dossier %s introuvable (clé USB absente ?), pas de synchronisation"), dir);
	} else if (cmd_open_db(&cmd_tui, ctx, DB_WRITE, &db)) {
		strbuf_addf(&sb, _("partage : synchronisation impossible (%s)"), qfq_error_msg());
	} else {
		if (share_sync(db, dir, &rep))
			strbuf_addf(&sb, _("partage : synchronisation impossible (%s)"), qfq_error_msg());
		else
			strbuf_addf(&sb, _("partage : %ld modification(s) reçue(s), %ld conflit(s), %zu envoyée(s)%s"),
				    rep.apply.applied, rep.apply.conflicts, rep.written,
				    rep.apply.conflicts ? _(" · 8 : les conflits") : "");
		db_close(db);
	}
	*msg = strbuf_detach(&sb, NULL);
	config_clear(&cfg);
}

static int tui_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "commune", required_argument, NULL, 'c' },
		{ "bench-keys", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	struct tui_options o = { .bench_out = ctx->out };
	char *msg = NULL;
	sqlite3 *db;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_tui, argc, argv, "c:", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': o.commune = optarg; break;
		case 'B': o.bench_keys = optarg; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_tui, _("unexpected argument \"%s\""), argv[optind]);
	if (!ctx->plain && !o.bench_keys && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)))
		return cmd_usage_error(&cmd_tui, _("the full-screen interface needs a terminal; "
						   "use --plain for a line-by-line dialogue"));
	if (!o.bench_keys)
		startup_sync(ctx, &msg);
	o.startup_message = msg;
	rc = cmd_open_db(&cmd_tui, ctx, DB_READ, &db);
	if (rc) {
		free(msg);
		return rc;
	}
	if (ctx->plain && !o.bench_keys)
		rc = tui_plain(db, &o, stdin, ctx->out);
	else
		rc = tui_run(db, &o) ? cmd_fail(&cmd_tui, QFQ_EXIT_FAIL) : QFQ_EXIT_OK;
	db_close(db);
	free(msg);
	return rc;
}

const struct cmd cmd_tui = {
	.name = "tui",
	.summary = N_("the full-screen directory (what `qfq` alone opens on a terminal)"),
	.usage = N_("tui [--commune NAME]\n--plain tui [--commune NAME]"),
	.help = N_("Search as you type (names, themes such as \"caf\", communes such as \"privas\"),\n"
		   "browse by theme, territory, person or meeting, open a card. Press ? inside\n"
		   "for every key.\n\n"
		   "  --commune NAME      search around this commune (default: `qfq config get commune`)\n"
		   "  --bench-keys KEYS   replay KEYS on a virtual 80x24 screen and print the\n"
		   "                      start-up and per-key times in ms (for bench/tui-keys.sh);\n"
		   "                      with KEYS empty, stop at the first drawn screen\n\n"
		   "With --plain (or QFQ_PLAIN=1): a line-by-line dialogue with numbered choices,\n"
		   "for screen readers and braille displays.\n\n"
		   "With `qfq config set partage DIR` and `qfq config set partage_au_demarrage oui`,\n"
		   "it first syncs with the shared folder as `qfq share sync` does, and says how\n"
		   "it went on the status line (a folder out of reach is said; it opens all the same)."),
	.exec = tui_exec,
};
