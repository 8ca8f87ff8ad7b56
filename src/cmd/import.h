/*
 * import: the `qfq import KIND` family. import.c dispatches on KIND; each
 * kind lives in its own file (import_roster.c, import_lieux.c) and gets the
 * argv that starts at KIND (argv[0] = "roster"), with getopt reset.
 */
#ifndef QFQ_CMD_IMPORT_H
#define QFQ_CMD_IMPORT_H

#include "cmd/cmd.h"

/*
 * Instead of failing after the database's 5 s busy timeout, an import
 * waits for another writer (another import) to finish, saying so once on
 * stderr: "another import is in progress; waiting...".
 */
void import_wait_for_writers(sqlite3 *db);

int import_roster_main(struct cmd_ctx *ctx, int argc, char **argv);
int import_lieux_main(struct cmd_ctx *ctx, int argc, char **argv);

#endif
