/*
 * import: `qfq import roster FILE ...` and `qfq import lieux FILE ...`:
 * dispatch to the kind's own file (see import.h).
 */
#include "cmd/import.h"
#include "util/i18n.h"

#include <getopt.h>
#include <string.h>

static int import_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cmd_print_help(&cmd_import, argc < 2 ? stderr : ctx->out);
		return argc < 2 ? QFQ_EXIT_USAGE : QFQ_EXIT_OK;
	}
	optind = 0;
	if (!strcmp(argv[1], "roster"))
		return import_roster_main(ctx, argc - 1, argv + 1);
	if (!strcmp(argv[1], "lieux"))
		return import_lieux_main(ctx, argc - 1, argv + 1);
	return cmd_usage_error(&cmd_import, _("unknown kind \"%s\" (expected roster or lieux)"), argv[1]);
}

const struct cmd cmd_import = {
	.name = "import",
	.summary = N_("import attendee lists and rosters, or places in the national standard"),
	.usage = N_("import roster FILE [OPTIONS]\nimport lieux FILE [OPTIONS]"),
	.help = "",
	.exec = import_exec,
};
