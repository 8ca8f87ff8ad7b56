/*
 * import: the `qfq import KIND` family. import.c dispatches on KIND; each
 * kind lives in its own file (import_roster.c, import_lieux.c) and gets the
 * argv that starts at KIND (argv[0] = "roster"), with getopt reset.
 */
#ifndef QFQ_CMD_IMPORT_H
#define QFQ_CMD_IMPORT_H

#include "cmd/cmd.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * An import waits for another writer (another import) to finish, saying
 * so once on stderr ("another import is in progress; waiting..."), for as
 * long as the database's lock timeout (QFQ_LOCK_TIMEOUT, see db.h).
 */
void import_wait_for_writers(sqlite3 *db);

/*
 * The progress line of a long import on stderr, when it is a terminal and
 * not --quiet: rows, percent, rate, time left, redrawn at most 5 times a
 * second after the first half second; import_progress_end() erases it.
 */
struct import_progress {
	bool on;                  /* stderr is a terminal and not quiet */
	bool shown;               /* a line is on the screen */
	double start, last;       /* monotonic seconds */
};
void import_progress_init(struct import_progress *p, bool quiet);
void import_progress_cb(void *arg, unsigned long rows, size_t done, size_t total);
void import_progress_end(struct import_progress *p);

int import_roster_main(struct cmd_ctx *ctx, int argc, char **argv);
int import_lieux_main(struct cmd_ctx *ctx, int argc, char **argv);

#endif
