/* tui: placeholder, being written (registered so the table is complete). */
#include "cmd/cmd.h"
#include "util/i18n.h"

static int tui_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	fprintf(stderr, "qfq tui: not written yet\n");
	return QFQ_EXIT_FAIL;
}

const struct cmd cmd_tui = {
	.name = "tui",
	.summary = N_("(not written yet)"),
	.usage = N_("tui"),
	.help = "",
	.exec = tui_exec,
};
