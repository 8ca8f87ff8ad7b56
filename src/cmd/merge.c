/* merge: placeholder, being written (registered so the table is complete). */
#include "cmd/cmd.h"
#include "util/i18n.h"

static int merge_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	fprintf(stderr, "qfq merge: not written yet\n");
	return QFQ_EXIT_FAIL;
}

const struct cmd cmd_merge = {
	.name = "merge",
	.summary = N_("(not written yet)"),
	.usage = N_("merge"),
	.help = "",
	.exec = merge_exec,
};
