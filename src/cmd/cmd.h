/*
 * cmd: the subcommand interface. Each subcommand lives in its own file in
 * src/cmd/ and exports one `const struct cmd cmd_NAME` descriptor.
 *
 * Adding a command:
 *   1. write src/cmd/NAME.c defining `const struct cmd cmd_NAME = { ... }`
 *      with designated initializers (name, summary, usage, help, exec);
 *   2. declare it below and add it to the table in cmd.c, which must stay
 *      in alphabetical order (it is searched with bsearch);
 *   3. add the file to cmd_src in src/meson.build;
 *   4. document it in man/qfq.1 (a test checks every option of
 *      `qfq help NAME` appears there) and add tests in tests/cli/.
 * exec() parses its own options (getopt_long), prints its results and its
 * errors, and returns the exit status; library code below it never prints.
 */
#ifndef QFQ_CMD_CMD_H
#define QFQ_CMD_CMD_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

#include "db/db.h"
#include "out/out.h"

struct strbuf;

/* Exit statuses shared by every command (documented in qfq(1)). */
enum {
	QFQ_EXIT_OK = 0,      /* done, with results */
	QFQ_EXIT_NONE = 1,    /* nothing found */
	QFQ_EXIT_USAGE = 2,   /* bad usage, unknown or ambiguous argument */
	QFQ_EXIT_DATA = 3,    /* bad input data (import refused) */
	QFQ_EXIT_FAIL = 4,    /* database or system error */
};

/* What every command receives from main. */
struct cmd_ctx {
	const char *db_path;  /* --db, else $QFQ_DB, else the XDG default */
	bool plain;           /* --plain / QFQ_PLAIN: no full-screen drawing */
	FILE *out;            /* standard output */
};

struct cmd {
	const char *name;     /* as typed after qfq */
	const char *summary;  /* one line for `qfq --help` (N_()) */
	const char *usage;    /* synopsis lines without "qfq " (N_()) */
	const char *help;     /* options and details, one per line (N_()) */
	/* Runs the command; argv[0] is the command name. Returns the exit status. */
	int (*exec)(struct cmd_ctx *ctx, int argc, char **argv);
};

extern const struct cmd cmd_add;
extern const struct cmd cmd_backup;
extern const struct cmd cmd_check;
extern const struct cmd cmd_commune;
extern const struct cmd cmd_complete;
extern const struct cmd cmd_config;
extern const struct cmd cmd_edit;
extern const struct cmd cmd_export;
extern const struct cmd cmd_forget;
extern const struct cmd cmd_help;
extern const struct cmd cmd_import;
extern const struct cmd cmd_init;
extern const struct cmd cmd_log;
extern const struct cmd cmd_merge;
extern const struct cmd cmd_persons;
extern const struct cmd cmd_reindex;
extern const struct cmd cmd_restore;
extern const struct cmd cmd_rm;
extern const struct cmd cmd_search;
extern const struct cmd cmd_share;
extern const struct cmd cmd_show;
extern const struct cmd cmd_tui;
extern const struct cmd cmd_undo;

/* The table, alphabetical, and its length. */
extern const struct cmd *const cmd_table[];
extern const size_t cmd_count;

const struct cmd *cmd_find(const char *name);
/* Prints "qfq NAME: <message>" and a pointer to the help; returns QFQ_EXIT_USAGE. */
int cmd_usage_error(const struct cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the recorded library error as "qfq NAME: <error>"; returns status. */
int cmd_fail(const struct cmd *c, int status);
/* Prints the usage and help of a command to fp. */
void cmd_print_help(const struct cmd *c, FILE *fp);
/* Opens the database for a command, printing the error; 0 or an exit status. */
int cmd_open_db(const struct cmd *c, struct cmd_ctx *ctx, enum db_mode mode, sqlite3 **db);
/* Parses --format's argument; 0 or an exit status (after printing). */
int cmd_parse_format(const struct cmd *c, const char *arg, enum out_format *f);
/* Parses a positive integer option (e.g. --limit). 0 or an exit status. */
int cmd_parse_count(const struct cmd *c, const char *opt, const char *arg, long *out);
/* Joins argv[from..argc) with spaces into a malloc'd string ("" when none). */
char *cmd_join_args(int argc, char **argv, int from);
/* s made safe for a terminal (out_sanitize) in sb, which is reset first; returns sb->buf. */
const char *cmd_safe(struct strbuf *sb, const char *s);
/* Records the command line for the audit log. */
void cmd_record_command(int argc, char **argv);

#endif
