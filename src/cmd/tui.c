/*
 * tui: `qfq tui` (and `qfq` alone on a terminal), the full-screen
 * interface (src/tui/), or with --plain / QFQ_PLAIN=1 the line-by-line
 * dialogue for screen readers and braille displays.
 */
#include "cmd/cmd.h"
#include "tui/tui.h"
#include "util/i18n.h"

#include <getopt.h>
#include <unistd.h>

static int tui_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "commune", required_argument, NULL, 'c' },
		{ "bench-keys", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	struct tui_options o = { .bench_out = ctx->out };
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
	if ((rc = cmd_open_db(&cmd_tui, ctx, DB_READ, &db)))
		return rc;
	if (ctx->plain && !o.bench_keys)
		rc = tui_plain(db, &o, stdin, ctx->out);
	else
		rc = tui_run(db, &o) ? cmd_fail(&cmd_tui, QFQ_EXIT_FAIL) : QFQ_EXIT_OK;
	db_close(db);
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
		   "for screen readers and braille displays."),
	.exec = tui_exec,
};
