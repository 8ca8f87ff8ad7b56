/*
 * cmd: the command table and the helpers every command shares (see cmd.h).
 */
#include "cmd/cmd.h"
#include "core/communes.h"
#include "core/config.h"
#include "core/names.h"
#include "core/paths.h"
#include "core/persons.h"
#include "core/search.h"
#include "core/themes.h"
#include "out/out.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Alphabetical: cmd_find() uses bsearch. */
const struct cmd *const cmd_table[] = {
	&cmd_add,
	&cmd_backup,
	&cmd_catalogue,
	&cmd_check,
	&cmd_commune,
	&cmd_complete,
	&cmd_config,
	&cmd_edit,
	&cmd_export,
	&cmd_forget,
	&cmd_gaps,
	&cmd_help,
	&cmd_import,
	&cmd_init,
	&cmd_log,
	&cmd_map,
	&cmd_merge,
	&cmd_orient,
	&cmd_orientation,
	&cmd_orientations,
	&cmd_persons,
	&cmd_reindex,
	&cmd_restore,
	&cmd_rm,
	&cmd_search,
	&cmd_share,
	&cmd_show,
	&cmd_slip,
	&cmd_stats,
	&cmd_territories,
	&cmd_themes,
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

int cmd_fail_sanitized(const struct cmd *c, int status)
{
	struct strbuf safe = STRBUF_INIT;
	const char *msg = qfq_error_msg();
	out_sanitize(&safe, msg, strlen(msg), 0);
	fprintf(stderr, "qfq %s: %s\n", c->name, safe.buf);
	strbuf_release(&safe);
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
	int rc = db_open(ctx->db_path, mode, db);
	char *warnings = qfq_warning_take();
	if (warnings) {
		char *line, *save = NULL;
		for (line = strtok_r(warnings, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			fprintf(stderr, "qfq %s: ", c->name);
			fprintf(stderr, _("warning: %s"), line);
			fputc('\n', stderr);
		}
		free(warnings);
	}
	return rc ? cmd_fail(c, QFQ_EXIT_FAIL) : 0;
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

void cmd_say_forgiven(const struct cmd *c, const char *typed, const struct commune *co)
{
	struct strbuf sb = STRBUF_INIT;
	if (!co->forgiven)
		return;
	out_sanitize(&sb, typed, strlen(typed), 0);
	fprintf(stderr, _("qfq %s: warning: commune \"%s\" taken as %s (%s, %s): %s\n"), c->name, sb.buf,
		co->nom, co->departement, co->code_insee, co->forgiven);
	strbuf_release(&sb);
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

/* 1 when structure id exists, 0 when not, -1 on error. */
static int structure_exists(sqlite3 *db, sqlite3_int64 id)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT 1 FROM structures WHERE id = ?1", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_error(db, "structures");
}

/* Lists the rows (id, nom, commune) of st on stderr, sanitized. */
static void list_candidates(sqlite3_stmt *st)
{
	struct strbuf safe = STRBUF_INIT;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *nom = (const char *)sqlite3_column_text(st, 1);
		const char *commune = (const char *)sqlite3_column_text(st, 2);
		strbuf_reset(&safe);
		strbuf_addf(&safe, "  %lld  ", (long long)sqlite3_column_int64(st, 0));
		out_sanitize(&safe, nom, strlen(nom), 0);
		if (commune) {
			strbuf_addstr(&safe, " (");
			out_sanitize(&safe, commune, strlen(commune), 0);
			strbuf_addch(&safe, ')');
		}
		fprintf(stderr, "%s\n", safe.buf);
	}
	strbuf_release(&safe);
}

/*
 * No structure bears the name exactly: the structures whose name has its
 * words (as prefixes), listed as candidates. The count (0: none), or -1.
 */
static int approximate(const struct cmd *c, sqlite3 *db, const char *arg)
{
	struct strbuf m = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	int n = 0;

	if (!search_name_fts(arg, true, &m)) {
		strbuf_release(&m);
		return 0;
	}
	if (db_prepare(db, "SELECT s.id, s.nom, c.nom FROM structures_fts f JOIN structures s ON s.id = f.rowid "
			   "LEFT JOIN communes c ON c.code_insee = s.code_insee WHERE structures_fts MATCH ?1 "
			   "ORDER BY s.nom_norm, s.id LIMIT 20", &st)) {
		strbuf_release(&m);
		return -1;
	}
	sqlite3_bind_text(st, 1, m.buf, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW)
		n++;
	if (n) {
		fprintf(stderr, _("qfq %s: no structure is named exactly so; give the number of one of these:\n"),
			c->name);
		sqlite3_reset(st);
		list_candidates(st);
	}
	sqlite3_finalize(st);
	strbuf_release(&m);
	return n;
}

/*
 * The structure ID designates: a number, or a name (its matching key, or a
 * remembered alias). 1 and *id, 0 none, 2 several or only approximate
 * (listed on stderr), -1 error.
 */
int cmd_find_structure(const struct cmd *c, sqlite3 *db, const char *arg, sqlite3_int64 *id)
{
	struct strbuf key = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	char *end;
	long long v = strtoll(arg, &end, 10);
	int rc, n = 0;

	if (*arg && !*end && v > 0) {
		*id = v;
		return structure_exists(db, v);
	}
	names_structure_key(&key, arg);
	if (db_prepare(db, "SELECT s.id, s.nom, c.nom FROM structures s LEFT JOIN communes c "
			   "ON c.code_insee = s.code_insee WHERE s.id IN (SELECT id FROM structures "
			   "WHERE nom_norm = ?1 UNION SELECT structure_id FROM structure_aliases "
			   "WHERE alias_norm = ?1) ORDER BY s.id LIMIT 20", &st)) {
		strbuf_release(&key);
		return -1;
	}
	sqlite3_bind_text(st, 1, key.buf, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (n++ == 0)
			*id = sqlite3_column_int64(st, 0);
	if (rc == SQLITE_DONE && n > 1) {
		fprintf(stderr, _("qfq %s: several structures have this name; give the number:\n"), c->name);
		sqlite3_reset(st);
		list_candidates(st);
	}
	sqlite3_finalize(st);
	strbuf_release(&key);
	if (rc != SQLITE_DONE)
		return db_error(db, "structures");
	if (n == 0 && (n = approximate(c, db, arg)) > 0)
		return 2;
	return n < 0 ? -1 : n > 1 ? 2 : n;
}

int cmd_find_person(const struct cmd *c, sqlite3 *db, const char *arg, sqlite3_int64 *id)
{
	struct strbuf key = STRBUF_INIT, safe = STRBUF_INIT;
	sqlite3_stmt *st;
	char *end;
	long long v = strtoll(arg, &end, 10);
	int rc, n = 0;

	person_name_key(&key, arg, NULL);
	if (db_prepare(db, "SELECT id, trim(coalesce(prenom || ' ', '') || nom) FROM persons "
			   "WHERE id = ?1 OR name_key = ?2 ORDER BY id LIMIT 10", &st)) {
		strbuf_release(&key);
		return -1;
	}
	sqlite3_bind_int64(st, 1, *arg && !*end && v > 0 ? v : 0);
	sqlite3_bind_text(st, 2, key.buf, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (n++ == 0)
			*id = sqlite3_column_int64(st, 0);
	if (rc == SQLITE_DONE && n > 1) {
		fprintf(stderr, _("qfq %s: several persons have this name; give the number:\n"), c->name);
		sqlite3_reset(st);
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *nom = (const char *)sqlite3_column_text(st, 1);
			strbuf_reset(&safe);
			strbuf_addf(&safe, "  %lld  ", (long long)sqlite3_column_int64(st, 0));
			out_sanitize(&safe, nom, strlen(nom), 0);
			fprintf(stderr, "%s\n", safe.buf);
		}
	}
	sqlite3_finalize(st);
	strbuf_release(&key);
	strbuf_release(&safe);
	if (rc != SQLITE_DONE)
		return db_error(db, "persons");
	return n > 1 ? 2 : n;
}

int cmd_find_theme(const struct cmd *c, sqlite3 *db, const char *arg, sqlite3_int64 *id)
{
	struct theme_list l = { 0 };
	struct strbuf safe = STRBUF_INIT;
	size_t i;
	int rc = QFQ_EXIT_OK;

	if (themes_resolve(db, arg, &l))
		return cmd_fail(c, QFQ_EXIT_FAIL);
	out_sanitize(&safe, arg, strlen(arg), 0);
	if (l.n == 0) {
		theme_list_clear(&l);
		themes_suggest(db, arg, &l, 3);
		fprintf(stderr, _("qfq %s: no theme \"%s\""), c->name, safe.buf);
		for (i = 0; i < l.n; i++) {
			strbuf_reset(&safe);
			out_sanitize(&safe, l.v[i].label, strlen(l.v[i].label), 0);
			fprintf(stderr, "%s %s", i ? "," : _("; did you mean"), safe.buf);
		}
		fprintf(stderr, "\n");
		rc = QFQ_EXIT_USAGE;
	} else if (l.n > 1) {
		fprintf(stderr, _("qfq %s: \"%s\" names several themes; give one:\n"), c->name, safe.buf);
		for (i = 0; i < l.n; i++) {
			strbuf_reset(&safe);
			out_sanitize(&safe, l.v[i].label, strlen(l.v[i].label), 0);
			fprintf(stderr, "  %s (%s)\n", safe.buf, l.v[i].slug);
		}
		rc = QFQ_EXIT_USAGE;
	} else {
		*id = l.v[0].id;
	}
	theme_list_clear(&l);
	strbuf_release(&safe);
	return rc;
}

int cmd_resolve_area(const struct cmd *c, sqlite3 *db, const char *departement, const char *epci,
		     struct cmd_area *area)
{
	struct search_query q;
	sqlite3_stmt *st;
	int rc;

	memset(area, 0, sizeof(*area));
	if (departement && epci)
		return cmd_usage_error(c, _("give --departement or --epci, not both"));
	if (departement) {
		if (db_prepare(db, "SELECT code, nom FROM departements WHERE code = ?1", &st))
			return cmd_fail(c, QFQ_EXIT_FAIL);
		sqlite3_bind_text(st, 1, departement, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW) {
			area->departement = db_column_dup(st, 0);
			area->nom = db_column_dup(st, 1);
		}
		sqlite3_finalize(st);
		if (!area->departement)
			return cmd_usage_error(c, _("no département has the code \"%s\""), departement);
	}
	if (epci) {
		search_query_init(&q);
		rc = search_query_set_epci(db, &q, epci);
		if (rc == 1) {
			area->epci = q.epci;
			q.epci = NULL;
		}
		search_query_clear(&q);
		if (rc < 0)
			return cmd_fail(c, QFQ_EXIT_FAIL);
		if (rc == 0)
			return cmd_usage_error(c, _("no EPCI matches \"%s\" (give its name or SIREN)"), epci);
		if (rc == 2)
			return cmd_usage_error(c, _("\"%s\" matches several EPCI: give more of the name "
						    "or the SIREN"), epci);
		if (!db_prepare(db, "SELECT nom FROM epci WHERE siren = ?1", &st)) {
			sqlite3_bind_text(st, 1, area->epci, -1, SQLITE_STATIC);
			if (sqlite3_step(st) == SQLITE_ROW)
				area->nom = db_column_dup(st, 0);
			sqlite3_finalize(st);
		}
	}
	return 0;
}

void cmd_area_clear(struct cmd_area *area)
{
	free(area->departement);
	free(area->epci);
	free(area->nom);
	memset(area, 0, sizeof(*area));
}

void cmd_now(struct tm *out)
{
	const char *env = getenv("QFQ_NOW");
	time_t now = time(NULL);
	localtime_r(&now, out);
	if (env && *env)
		search_parse_when(env, out, out);
}

void cmd_today(char out[11])
{
	struct tm tm;
	cmd_now(&tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}
