/* help: `qfq help [COMMAND]`, the list of commands or one command's help. */
#include "cmd/cmd.h"
#include "util/i18n.h"

#include <stdlib.h>
#include <string.h>

static int help_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	const struct cmd *c;
	size_t i;
	int opt;

	if ((opt = cmd_getopt(&cmd_help, argc, argv, "", opts, NULL)) != -1)
		return cmd_opt_exit(opt);
	argc -= optind - 1;
	argv += optind - 1;
	if (argc < 2) {
		fprintf(ctx->out, _("commands (`qfq help COMMAND` for one):\n"));
		for (i = 0; i < cmd_count; i++)
			fprintf(ctx->out, "  %-10s %s\n", cmd_table[i]->name, _(cmd_table[i]->summary));
		return QFQ_EXIT_OK;
	}
	c = cmd_find(argv[1]);
	if (!c) {
		char *safe = cmd_safe_dup(argv[1]);
		int rc = cmd_nearest(argv[1])
			? cmd_usage_error(&cmd_help, _("unknown command \"%s\"; did you mean \"%s\"?"), safe,
					  cmd_nearest(argv[1])->name)
			: cmd_usage_error(&cmd_help, _("unknown command \"%s\""), safe);
		free(safe);
		return rc;
	}
	/* the command's own option loop prints its help, short options included:
	 * `qfq help CMD` and `qfq CMD --help` are one text */
	optind = 0;
	return c->exec(ctx, 2, (char *[]){ (char *)c->name, "--help", NULL });
}

const struct cmd cmd_help = {
	.name = "help",
	.summary = N_("show the list of commands or the help of one"),
	.usage = N_("help [COMMAND]"),
	.help = "",
	.exec = help_exec,
};
