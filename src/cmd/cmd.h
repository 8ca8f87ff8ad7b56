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

#include <getopt.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "db/coverage.h"
#include "db/db.h"
#include "out/out.h"
#include "util/strbuf.h"

struct strbuf;

/*
 * Exit statuses shared by every command: the one table (qfq(1), EXIT STATUS).
 * A usage error is always 2, whatever the command: unknown or malformed
 * option, missing or empty argument, impossible date, id out of range,
 * unknown or ambiguous name given as an argument.
 */
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
extern const struct cmd cmd_catalogue;
extern const struct cmd cmd_check;
extern const struct cmd cmd_commune;
extern const struct cmd cmd_complete;
extern const struct cmd cmd_config;
extern const struct cmd cmd_edit;
extern const struct cmd cmd_export;
extern const struct cmd cmd_forget;
extern const struct cmd cmd_gaps;
extern const struct cmd cmd_help;
extern const struct cmd cmd_import;
extern const struct cmd cmd_init;
extern const struct cmd cmd_log;
extern const struct cmd cmd_map;
extern const struct cmd cmd_merge;
extern const struct cmd cmd_orient;
extern const struct cmd cmd_orientation;
extern const struct cmd cmd_orientations;
extern const struct cmd cmd_persons;
extern const struct cmd cmd_reindex;
extern const struct cmd cmd_restore;
extern const struct cmd cmd_rm;
extern const struct cmd cmd_search;
extern const struct cmd cmd_share;
extern const struct cmd cmd_show;
extern const struct cmd cmd_slip;
extern const struct cmd cmd_stats;
extern const struct cmd cmd_themes;
extern const struct cmd cmd_territories;
extern const struct cmd cmd_tui;
extern const struct cmd cmd_undo;

/* The table, alphabetical, and its length. */
extern const struct cmd *const cmd_table[];
extern const size_t cmd_count;

const struct cmd *cmd_find(const char *name);
/*
 * The option loop of every command: getopt_long() with `--help` and `-h`
 * added, and getopt's own messages silenced. Returns the option's val, -1
 * at the end of the options, or CMD_OPT_ERROR after printing one error on
 * stderr (an unknown option with the nearest known one, an ambiguous
 * abbreviation with its candidates, a missing or empty argument; an empty
 * argument is allowed only where it means something: tui --bench-keys ''). `--help`
 * prints the command's help on stdout and exits 0 there, as git's
 * parse_options() does. The loop's `default:` returns cmd_opt_exit(opt).
 */
enum { CMD_OPT_ERROR = -3 };
int cmd_getopt(const struct cmd *c, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, int *idx);
/* The exit status for a value cmd_getopt() returned that the command does not handle: 2. */
int cmd_opt_exit(int opt);
/* Prints "qfq NAME: <message>" and a pointer to the help; returns QFQ_EXIT_USAGE. */
int cmd_usage_error(const struct cmd *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the recorded library error as "qfq NAME: <error>"; returns status. */
int cmd_fail(const struct cmd *c, int status);
/* The same, the message sanitized (it quotes what the user typed). */
int cmd_fail_sanitized(const struct cmd *c, int status);
/* Prints the usage and help of a command to fp. */
void cmd_print_help(const struct cmd *c, FILE *fp);
/* Opens the database for a command, printing the error; 0 or an exit status. */
int cmd_open_db(const struct cmd *c, struct cmd_ctx *ctx, enum db_mode mode, sqlite3 **db);
/* Parses --format's argument; 0 or an exit status (after printing). */
int cmd_parse_format(const struct cmd *c, const char *arg, enum out_format *f);
/* Parses a positive integer option (e.g. --limit). 0 or an exit status. */
int cmd_parse_count(const struct cmd *c, const char *opt, const char *arg, long *out);
/* Reads a database id: digits only, 1..INT64_MAX. 0, -1 not an id, -2 too large. */
int cmd_id_read(const char *s, sqlite3_int64 *id);
/* Parses a database id (cmd_id_read); 0 or an exit status (after printing). */
int cmd_parse_id(const struct cmd *c, const char *what, const char *arg, sqlite3_int64 *out);
/* Checks a YYYY-MM-DD date argument that must exist. 0 or an exit status. */
int cmd_check_date(const struct cmd *c, const char *what, const char *arg);
/* Refuses an empty (or blank) argument: 0 or an exit status (after printing). */
int cmd_nonempty(const struct cmd *c, const char *what, const char *arg);
/*
 * Checks a text argument (a name, a theme, a query): not empty, valid UTF-8,
 * no control character, at most CMD_MAX_ARG_BYTES. 0 or an exit status (the
 * argument itself is never echoed when it is refused for its bytes).
 */
#define CMD_MAX_ARG_BYTES 1000
int cmd_check_text(const struct cmd *c, const char *what, const char *arg);
/* Refuses a département code the database does not know (exit 2). 0 or an exit status. */
int cmd_check_departement(const struct cmd *c, sqlite3 *db, const char *code);
/* Prints "did you mean: A (07), B (26)" on stderr for a commune not found. */
void cmd_suggest_communes(sqlite3 *db, const char *query);
/* A malloc'd copy of an argument fit to echo: sanitized (no control character
 * or escape reaches the terminal), at most 64 bytes of it. */
char *cmd_safe_dup(const char *s);
/* The command nearest to a mistyped name, or NULL when none is close. */
const struct cmd *cmd_nearest(const char *name);
/* Joins argv[from..argc) with spaces into a malloc'd string ("" when none). */
char *cmd_join_args(int argc, char **argv, int from);
/* s made safe for a terminal (out_sanitize) in sb, which is reset first; returns sb->buf. */
const char *cmd_safe(struct strbuf *sb, const char *s);
/*
 * Says on stderr which commune a --commune that matched nothing as typed
 * was taken for, and why (co->forgiven); nothing when it matched as typed.
 */
struct commune;
void cmd_say_forgiven(const struct cmd *c, const char *typed, const struct commune *co);
/*
 * The structure arg designates: a number (which must exist), or a name (its
 * matching key, or a remembered alias). 1 and *id, 0 none, 2 several (listed
 * on stderr as "qfq NAME: ..."), -1 error (qfq_error).
 */
int cmd_find_structure(const struct cmd *c, sqlite3 *db, const char *arg, sqlite3_int64 *id);
/* The same for a person: a number, or a name in any order. */
int cmd_find_person(const struct cmd *c, sqlite3 *db, const char *arg, sqlite3_int64 *id);
/*
 * The one theme arg names: 0 and *id, or an exit status after printing
 * (no such theme, with suggestions; several themes, listed).
 */
int cmd_find_theme(const struct cmd *c, sqlite3 *db, const char *arg, sqlite3_int64 *id);

/* A territory given by --departement or --epci (at most one; none: NULLs). */
struct cmd_area {
	char *departement;   /* code, or NULL */
	char *epci;          /* SIREN, or NULL */
	char *nom;           /* its name, or NULL */
};
/* Resolves the options into area; 0 or an exit status (printed). */
int cmd_resolve_area(const struct cmd *c, sqlite3 *db, const char *departement, const char *epci,
		     struct cmd_area *area);
void cmd_area_clear(struct cmd_area *area);
/* The local time now, or $QFQ_NOW when set (tests: "2026-03-02T10:00"). */
void cmd_now(struct tm *out);
/* Today's local date (cmd_now()), YYYY-MM-DD. */
void cmd_today(char out[11]);
/* The options and result of a coverage command (gaps, map; see gaps.c). */
struct cmd_coverage_opts {
	const char *theme, *departement, *epci;
	double radius;
	bool sans_rdv;
	enum out_format format;
};
struct cmd_coverage {
	struct cmd_coverage_opts opts;
	struct cmd_area area;
	struct strbuf themes;     /* it and its sub-themes, a JSON array */
	struct coverage cov;
};
/*
 * Parses --theme --radius --departement --epci --sans-rdv [--format] and
 * computes the coverage; 0 or an exit status (printed). Clear out after.
 */
int cmd_coverage_run(const struct cmd *c, sqlite3 *db, int argc, char **argv, struct cmd_coverage *out);
void cmd_coverage_clear(struct cmd_coverage *c);
/* Records the command line for the audit log. */
void cmd_record_command(int argc, char **argv);

#endif
