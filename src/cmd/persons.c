/* persons: placeholder, being written (registered so the table is complete). */
#include "cmd/cmd.h"
#include "util/i18n.h"

static int persons_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	fprintf(stderr, "qfq persons: not written yet\n");
	return QFQ_EXIT_FAIL;
}

const struct cmd cmd_persons = {
	.name = "persons",
	.summary = N_("(not written yet)"),
	.usage = N_("persons"),
	.help = "",
	.exec = persons_exec,
};
