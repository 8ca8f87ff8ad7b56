/*
 * cmd: the command table and the helpers every command shares (see cmd.h).
 */
#include "cmd/cmd.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Alphabetical: cmd_find() uses bsearch. */
const struct cmd *const cmd_table[] = {
	&cmd_add,
	&cmd_backup,
	&cmd_check,
	&cmd_commune,
	&cmd_complete,
	&cmd_config,
	&cmd_edit,
	&cmd_export,
	&cmd_forget,
	&cmd_help,
	&cmd_import,
	&cmd_init,
	&cmd_log,
	&cmd_merge,
	&cmd_persons,
	&cmd_reindex,
	&cmd_restore,
	&cmd_rm,
	&cmd_search,
	&cmd_share,
	&cmd_show,
	&cmd_tui,
	&cmd_undo,
};
const size_t cmd_count = sizeof(cmd_table) / sizeof(cmd_table[0]);

static int cmp_name(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct cmd *const *)elem)->name);
}

const struct cmd *cmd_find(const char *name)
{
	const struct cmd *const *c = bsearch(name, cmd_table, cmd_count, sizeof(cmd_table[0]), cmp_name);
	return c ? *c : NULL;
}

int cmd_usage_error(const struct cmd *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "qfq %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fprintf(stderr, _("see `qfq help %s`\n"), c->name);
	return QFQ_EXIT_USAGE;
}

int cmd_fail(const struct cmd *c, int status)
{
	fprintf(stderr, "qfq %s: %s\n", c->name, qfq_error_msg());
	return status;
}

void cmd_print_help(const struct cmd *c, FILE *fp)
{
	const char *u = _(c->usage);
	fprintf(fp, "%s\n\n", _(c->summary));
	fprintf(fp, _("usage: "));
	while (*u) {
		const char *e = strchr(u, '\n');
		size_t len = e ? (size_t)(e - u) : strlen(u);
		fprintf(fp, "qfq %.*s\n", (int)len, u);
		u += len + (e != NULL);
		if (*u)
			fprintf(fp, "%s", _("   or: "));
	}
	if (c->help && *c->help)
		fprintf(fp, "\n%s\n", _(c->help));
}

int cmd_open_db(const struct cmd *c, struct cmd_ctx *ctx, enum db_mode mode, sqlite3 **db)
{
	if (db_open(ctx->db_path, mode, db))
		return cmd_fail(c, QFQ_EXIT_FAIL);
	return 0;
}

int cmd_parse_format(const struct cmd *c, const char *arg, enum out_format *f)
{
	if (out_format_parse(arg, f))
		return cmd_usage_error(c, "%s", qfq_error_msg());
	return 0;
}

int cmd_parse_count(const struct cmd *c, const char *opt, const char *arg, long *out)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 1)
		return cmd_usage_error(c, _("%s expects a positive number, not \"%s\""), opt, arg);
	*out = v;
	return 0;
}

char *cmd_join_args(int argc, char **argv, int from)
{
	struct strbuf sb = STRBUF_INIT;
	int i;
	for (i = from; i < argc; i++) {
		if (i > from)
			strbuf_addch(&sb, ' ');
		strbuf_addstr(&sb, argv[i]);
	}
	return strbuf_detach(&sb, NULL);
}

const char *cmd_safe(struct strbuf *sb, const char *s)
{
	strbuf_reset(sb);
	out_sanitize(sb, s ? s : "", s ? strlen(s) : 0, 0);
	return sb->buf;
}

void cmd_record_command(int argc, char **argv)
{
	char *line = cmd_join_args(argc, argv, 0);
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "qfq %s", line);
	db_set_command(sb.buf);
	strbuf_release(&sb);
	free(line);
}
