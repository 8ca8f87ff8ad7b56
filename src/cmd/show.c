/* show: placeholder, being written (registered so the table is complete). */
#include "cmd/cmd.h"
#include "util/i18n.h"

static int show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	fprintf(stderr, "qfq show: not written yet\n");
	return QFQ_EXIT_FAIL;
}

const struct cmd cmd_show = {
	.name = "show",
	.summary = N_("(not written yet)"),
	.usage = N_("show"),
	.help = "",
	.exec = show_exec,
};
