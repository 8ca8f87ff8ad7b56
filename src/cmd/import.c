/*
 * import: `qfq import roster FILE ...` and `qfq import lieux FILE ...`:
 * dispatch to the kind's own file (see import.h).
 */
#include "cmd/import.h"
#include "db/db.h"
#include "util/i18n.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WAIT_MS 50  /* between two tries for the write lock */

/* SQLite's busy handler: says once that it waits, then waits (see import.h). */
static int wait_for_writer(void *arg, int tries)
{
	(void)arg;
	if (tries == 0)
		fprintf(stderr, _("qfq import: another import is in progress; waiting for it to finish...\n"));
	if ((long)tries * WAIT_MS >= db_lock_timeout_ms())
		return 0;  /* then db.c says who holds the database */
	sqlite3_sleep(WAIT_MS);
	return 1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void import_progress_init(struct import_progress *p, bool quiet)
{
	p->on = !quiet && isatty(STDERR_FILENO);
	p->shown = false;
	p->start = p->last = now_s();
}

/* The progress line is the one place qfq writes terminal controls (CR and
 * erase-line): straight to the descriptor, past the sanitizing stderr
 * stream (out_guard_stderr), with nothing in it but numbers and our words. */
static void put_raw(const char *s, size_t len)
{
	fflush(stderr);
	while (len) {
		ssize_t w = write(STDERR_FILENO, s, len);
		if (w <= 0)
			return;
		s += w;
		len -= (size_t)w;
	}
}

void import_progress_cb(void *arg, unsigned long rows, size_t done, size_t total)
{
	struct import_progress *p = arg;
	double t = now_s(), el = t - p->start, rate, left;
	char line[160];
	int n;
	if (!p->on || el < 0.5 || t - p->last < 0.2)
		return;
	p->last = t;
	rate = (double)rows / el;
	left = done && total > done ? el * (double)(total - done) / (double)done : 0;
	memcpy(line, "\r\033[K", 4);
	n = snprintf(line + 4, sizeof(line) - 4, _("%lu rows, %d %%, %.0f rows/s, %.0f s left"), rows,
		     total ? (int)(100.0 * (double)done / (double)total) : 0, rate, left);
	if (n > 0)
		put_raw(line, 4 + ((size_t)n < sizeof(line) - 4 ? (size_t)n : sizeof(line) - 5));
	p->shown = true;
}

void import_progress_end(struct import_progress *p)
{
	if (p->shown)
		put_raw("\r\033[K", 4);
	p->shown = false;
}

void import_wait_for_writers(sqlite3 *db)
{
	sqlite3_busy_handler(db, wait_for_writer, NULL);
}

static int import_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cmd_print_help(&cmd_import, argc < 2 ? stderr : ctx->out);
		return argc < 2 ? QFQ_EXIT_USAGE : QFQ_EXIT_OK;
	}
	optind = 0;
	if (!strcmp(argv[1], "roster"))
		return import_roster_main(ctx, argc - 1, argv + 1);
	if (!strcmp(argv[1], "lieux"))
		return import_lieux_main(ctx, argc - 1, argv + 1);
	return cmd_usage_error(&cmd_import, _("unknown kind \"%s\" (expected roster or lieux)"), argv[1]);
}

const struct cmd cmd_import = {
	.name = "import",
	.summary = N_("import attendee lists and rosters, or places in the national standard"),
	.usage = N_("import roster FILE [OPTIONS]\nimport lieux FILE [OPTIONS]"),
	.help = N_("roster FILE: people, structures and roles, competences, attendance.\n"
		   "  --event TITLE --date YYYY-MM-DD [--place COMMUNE]  record attendance at that\n"
		   "                  meeting (else inferred from a YYYY-MM-DD-slug.csv file name)\n"
		   "  --map 'Colonne=champ'  map a column by hand (nom_prenom, nom, prenom, structure,\n"
		   "                  role, commune, code_postal, courriel, telephone, presence,\n"
		   "                  themes, territoire, ignore); repeatable\n"
		   "  --skip-bad-rows import the good rows, list the bad ones (else nothing is imported)\n"
		   "  --dry-run       run everything, report, write nothing\n"
		   "  --encoding ENC  UTF-8, WINDOWS-1252 or LATIN1 (default: detected)\n"
		   "  --delimiter D   , ; or tab (default: detected)\n"
		   "  --format FMT    table (a text report) or json\n"
		   "  --quiet         no report unless something goes wrong\n"
		   "lieux FILE: places in the national standard (schéma des lieux de médiation\n"
		   "numérique, 1.x or 0.x, told by the header); known by source and id, so a\n"
		   "second import changes nothing; near duplicates are proposed for merging.\n"
		   "  --skip-bad-rows, --dry-run, --encoding, --format table|json, --quiet: as above;\n"
		   "  problems are printed as FILE:LINE:COLUMN: warning|error: message\n"
		   "Exit status: 0 imported, 2 bad usage, 3 input refused (database unchanged),\n"
		   "4 database error."),
	.exec = import_exec,
};
