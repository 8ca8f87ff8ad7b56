/*
 * main: global options, dispatch to a subcommand, exit status.
 *
 *   qfq [--db FILE] [--plain] COMMAND [ARGS...]
 *   qfq --help | --version
 */
#include "build_config.h"
#include "cmd/cmd.h"
#include "core/paths.h"
#include "util/i18n.h"

#include <getopt.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_main_help(FILE *fp)
{
	size_t i;
	fprintf(fp, _("qfq — qui fait quoi: who does what, where, in digital inclusion\n\n"));
	fprintf(fp, _("usage: qfq [--db FILE] [--plain] COMMAND [ARGS...]\n"
		      "       qfq --help | --version\n\n"));
	fprintf(fp, _("commands:\n"));
	for (i = 0; i < cmd_count; i++)
		fprintf(fp, "  %-10s %s\n", cmd_table[i]->name, _(cmd_table[i]->summary));
	fprintf(fp, _("\nglobal options:\n"
		      "  --db FILE   the database (default: $QFQ_DB, else $XDG_DATA_HOME/qfq/qfq.db)\n"
		      "  --plain     line-by-line dialogue, no full-screen drawing (also QFQ_PLAIN=1)\n"
		      "  --help      this help; `qfq help COMMAND` for a command\n"
		      "  --version   the version\n"));
	fprintf(fp, _("  --raw-cells tsv and csv cells as they are, without the ' that keeps a\n"
		      "              spreadsheet from reading a cell starting with =, +, -, @ as a formula\n"));
}

/*
 * One language at a time. French messages come from po/fr.po; every other
 * language reads English. The sources hold messages in both languages
 * (English for the shell, French for the desk wording of the interface),
 * and po/en.po gives the French ones in English: so English is asked for
 * after whatever the user asked for, and the C.UTF-8 locale (where gettext
 * would otherwise print the sources' French) is read as English too.
 */
static void messages_language(void)
{
	const char *lang = getenv("LANGUAGE");
	const char *loc = setlocale(LC_MESSAGES, NULL);
	char buf[256];

	if (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX"))
		loc = setlocale(LC_MESSAGES, "C.UTF-8"); /* gettext ignores LANGUAGE under "C" */
	if (!loc)
		return;
	if (lang && *lang) {
		snprintf(buf, sizeof(buf), "%s:en", lang);
		setenv("LANGUAGE", buf, 1);
	} else if (strncmp(loc, "fr", 2)) {
		setenv("LANGUAGE", "en", 1);
	}
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "plain", no_argument, NULL, 'p' },
		{ "raw-cells", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct cmd_ctx ctx = { .out = stdout };
	const struct cmd *c;
	const char *plain = getenv("QFQ_PLAIN");
	int opt;

	/* what the messages echo (arguments, data) reaches a terminal sanitized */
	out_guard_stderr();
	setlocale(LC_ALL, "");
	/* Numbers are data: strtod() must read "44.72" from the CSV files and
	 * printf() write it back with a '.', whatever the user's language. */
	setlocale(LC_NUMERIC, "C");
	messages_language();
	bindtextdomain(GETTEXT_PACKAGE, paths_locale_dir());
	textdomain(GETTEXT_PACKAGE);
	ctx.plain = plain && *plain && strcmp(plain, "0");

	opterr = 0; /* one message per error: ours */
	while ((opt = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': ctx.db_path = optarg; break;
		case 'p': ctx.plain = true; break;
		case 'r': out_set_raw_cells(true); break;
		case 'h': print_main_help(stdout); return QFQ_EXIT_OK;
		case 'V': printf("qfq %s\n", QFQ_VERSION); return QFQ_EXIT_OK;
		default:
			if (opt == ':')
				fprintf(stderr, _("qfq: option %s needs an argument; see `qfq --help`\n"),
					argv[optind - 1]);
			else {
				/* what was typed is echoed sanitized */
				char *safe = cmd_safe_dup(optopt ? (char[]){ '-', (char)optopt, 0 } : argv[optind - 1]);
				fprintf(stderr, _("qfq: unknown option \"%s\"; see `qfq --help`\n"), safe);
				free(safe);
			}
			return QFQ_EXIT_USAGE;
		}
	}
	if (!ctx.db_path)
		ctx.db_path = db_default_path();
	if (optind >= argc) {
		c = cmd_find("tui");
		if (c && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
			optind = 0; /* the command parses its (empty) options afresh */
			return c->exec(&ctx, 1, (char *[]){ "tui", NULL });
		}
		print_main_help(stdout);
		return QFQ_EXIT_OK;
	}
	c = cmd_find(argv[optind]);
	if (!c) {
		const struct cmd *near = cmd_nearest(argv[optind]);
		char *safe = cmd_safe_dup(argv[optind]);
		if (near)
			fprintf(stderr, _("qfq: unknown command \"%s\"; did you mean \"%s\"? see `qfq --help`\n"),
				safe, near->name);
		else
			fprintf(stderr, _("qfq: unknown command \"%s\"; see `qfq --help`\n"), safe);
		free(safe);
		return QFQ_EXIT_USAGE;
	}
	{
		int sub = optind;
		cmd_record_command(argc - sub, argv + sub);
		optind = 0; /* glibc: 0 makes the command's getopt_long start afresh */
		return c->exec(&ctx, argc - sub, argv + sub);
	}
}
