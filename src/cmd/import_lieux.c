/* import_lieux: placeholder, being written. */
#include "cmd/import.h"

int import_lieux_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	(void)ctx; (void)argc; (void)argv;
	fprintf(stderr, "qfq import lieux: not written yet\n");
	return QFQ_EXIT_FAIL;
}
