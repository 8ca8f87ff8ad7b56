/*
 * complete: `qfq complete WHAT [PREFIX]`, a helper for shell completion
 * (completion/qfq.bash): prints, one per line, the commands, or the theme
 * names, or the commune names that start with PREFIX (case and accents
 * ignored). Quiet about errors: a completion must never spill messages
 * into the command line being typed.
 */
#include "cmd/cmd.h"
#include "core/text.h"
#include "util/i18n.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int print_rows(sqlite3 *db, const char *sql, const char *key, FILE *out)
{
	sqlite3_stmt *st;
	int n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		/* names are single lines; never pass a control character on */
		if (s && !strpbrk(s, "\n\r\t\x1b")) {
			fprintf(out, "%s\n", s);
			n++;
		}
	}
	sqlite3_finalize(st);
	return n;
}

static int complete_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ NULL, 0, NULL, 0 },
	};
	const char *what, *prefix;
	char *key;
	sqlite3 *db;
	size_t i;
	int opt, n = 0;

	if ((opt = cmd_getopt(&cmd_complete, argc, argv, "", opts, NULL)) != -1)
		return cmd_opt_exit(opt);
	if (optind >= argc)
		return cmd_usage_error(&cmd_complete, _("expected: commands|themes|communes [PREFIX]"));
	what = argv[optind];
	prefix = optind + 1 < argc ? argv[optind + 1] : "";
	if (!strcmp(what, "commands")) {
		for (i = 0; i < cmd_count; i++)
			if (!strncmp(cmd_table[i]->name, prefix, strlen(prefix)) &&
			    cmd_table[i] != &cmd_complete)
				fprintf(ctx->out, "%s\n", cmd_table[i]->name), n++;
		return n ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
	}
	if (strcmp(what, "themes") && strcmp(what, "communes"))
		return cmd_usage_error(&cmd_complete, _("expected: commands|themes|communes [PREFIX]"));
	if (db_open(ctx->db_path, DB_READ, &db))
		return QFQ_EXIT_FAIL;
	key = text_norm_dup(prefix);
	if (!strcmp(what, "themes"))
		n = print_rows(db, "SELECT name FROM (SELECT DISTINCT n.name, min(t.position) p FROM theme_names n "
			       "JOIN themes t ON t.id = n.theme_id WHERE n.kind IN ('label', 'alias', 'slug') "
			       "AND n.name_norm >= ?1 AND n.name_norm < ?1 || '~' GROUP BY n.name) "
			       "ORDER BY length(name) > 30, p, name LIMIT 200", key, ctx->out);
	else
		n = print_rows(db, "SELECT nom FROM communes WHERE nom_norm >= ?1 AND nom_norm < ?1 || '~' "
			       "GROUP BY nom ORDER BY max(population) DESC LIMIT 100", key, ctx->out);
	free(key);
	db_close(db);
	return n ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
}

const struct cmd cmd_complete = {
	.name = "complete",
	.summary = N_("(for shell completion) list commands, theme or commune names"),
	.usage = N_("complete commands|themes|communes [PREFIX]"),
	.help = N_("Prints one name per line starting with PREFIX (case and accents ignored).\n"
		   "Used by the bash completion script."),
	.exec = complete_exec,
};
