/*
 * cmd: the command table and the helpers every command shares (see cmd.h).
 */
#include "cmd/cmd.h"
#include "core/communes.h"
#include "core/config.h"
#include "core/date.h"
#include "core/names.h"
#include "core/paths.h"
#include "core/persons.h"
#include "core/search.h"
#include "core/text.h"
#include "core/themes.h"
#include "out/out.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
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

/* The nearest of names[0..n) to s: a unique prefix, else an edit distance of
 * at most a third of the length (at least 1, at most 3); -1 when none. */
static long nearest_name(const char *s, const char *const *names, size_t n)
{
	size_t i, d, best_d, max = strlen(s) / 3, nprefix = 0;
	long best = -1, prefix = -1;
	if (max < 1)
		max = 1;
	if (max > 3)
		max = 3;
	best_d = max + 1;
	for (i = 0; i < n; i++) {
		if (*s && !strncmp(names[i], s, strlen(s)))
			prefix = (long)i, nprefix++;
		d = text_distance(s, names[i], max);
		if (d < best_d)
			best_d = d, best = (long)i;
	}
	return nprefix == 1 ? prefix : best;
}

char *cmd_safe_dup(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	out_sanitize(&sb, s, strnlen(s, 64), 0);
	return strbuf_detach(&sb, NULL);
}

const struct cmd *cmd_nearest(const char *name)
{
	const char *names[64];
	size_t i, n = cmd_count < 64 ? cmd_count : 64;
	long k;
	for (i = 0; i < n; i++)
		names[i] = cmd_table[i]->name;
	k = nearest_name(name, names, n);
	return k < 0 || cmd_table[k] == &cmd_complete ? NULL : cmd_table[k];
}

/* ------------------------------------------------------------ options */

#define MAX_LONGOPTS 48
static struct option longopts_buf[MAX_LONGOPTS + 2];
static const struct option *longopts_src;
static char shortopts_buf[96];

/* The command's options with --help appended (built once per table). */
static const struct option *with_help(const struct option *longopts)
{
	size_t n = 0;
	if (longopts == longopts_src)
		return longopts_buf;
	while (longopts && longopts[n].name && n < MAX_LONGOPTS) {
		longopts_buf[n] = longopts[n];
		n++;
	}
	longopts_buf[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts_buf[n] = (struct option){ NULL, 0, NULL, 0 };
	longopts_src = longopts;
	return longopts_buf;
}

/* Whether the long option abbreviated as name[0..len) returns val. */
static bool long_val_is(const struct option *lo, const char *name, size_t len, int val)
{
	for (; lo->name; lo++)
		if (!strncmp(lo->name, name, len) && lo->val == val)
			return true;
	return false;
}

/* "unknown option", "ambiguous option" or "needs an argument", said once. */
static int option_error(const struct cmd *c, int opt, int argc, char **argv, const struct option *lo)
{
	const char *tok = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	const char *names[MAX_LONGOPTS + 2];
	struct strbuf cand = STRBUF_INIT, safe = STRBUF_INIT;
	const char *name;
	size_t n = 0, i, len, ncand = 0, last = 0;
	long k;
	int rc;

	for (n = 0; lo[n].name; n++)
		names[n] = lo[n].name;
	len = strncmp(tok, "--", 2) ? 0 : strcspn(tok + 2, "=");
	/* a short option (-x), unless the token is the long option that failed */
	if (!len || (optopt && !long_val_is(lo, tok + 2, len, optopt))) {
		if (opt == ':')
			return cmd_usage_error(c, _("option -%c needs an argument"), optopt);
		return cmd_usage_error(c, _("unknown option \"-%c\""), optopt ? optopt : '?');
	}
	/* the typed name is echoed: never a control character or an escape */
	out_sanitize(&safe, tok + 2, len < 64 ? len : 64, 0);
	name = safe.buf;
	for (i = 0; i < n; i++)
		if (!strncmp(names[i], tok + 2, len)) {
			strbuf_addf(&cand, "%s--%s", cand.len ? ", " : "", names[i]);
			ncand++;
			last = i;
		}
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && !strncmp(names[i], tok + 2, len))
			ncand = 1, last = i; /* an exact name wins over the names it begins */
	if (opt == ':') {
		rc = cmd_usage_error(c, _("option --%s needs an argument"), ncand == 1 ? names[last] : name);
	} else if (ncand == 1) {
		/* the one option it abbreviates exists: it was given "=value" without taking one */
		rc = cmd_usage_error(c, _("option --%s takes no argument"), names[last]);
	} else if (ncand) {
		rc = cmd_usage_error(c, _("option --%s is ambiguous: %s"), name, cand.buf);
	} else if ((k = nearest_name(name, names, n)) >= 0) {
		rc = cmd_usage_error(c, _("unknown option \"--%s\"; did you mean \"--%s\"?"), name, names[k]);
	} else {
		rc = cmd_usage_error(c, _("unknown option \"--%s\""), name);
	}
	strbuf_release(&cand);
	strbuf_release(&safe);
	return rc;
}

/* Options whose empty argument means something: `tui --bench-keys ''` replays no key
 * (the start-up alone), `orientation ID statut V --note ''` records no note. Every
 * other empty argument is a usage error. */
static bool empty_allowed(const char *name)
{
	return !strcmp(name, "bench-keys") || !strcmp(name, "note");
}

/*
 * The short options of the table, said after the help ("-f --format"), so
 * that none goes undocumented. With QFQ_CHECK_HELP set (the tests), every
 * long option of the table must be named in the help: 70 otherwise.
 */
static void print_short_options(const char *shortopts, const struct option *lo, FILE *fp)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;
	size_t i;
	for (s = shortopts; *s; s++) {
		if (*s == ':' || *s == '+' || *s == 'h')
			continue;
		for (i = 0; lo && lo[i].name; i++)
			if (lo[i].val == *s) {
				strbuf_addf(&sb, "%s-%c --%s", sb.len ? ", " : "", *s, lo[i].name);
				break;
			}
	}
	fprintf(fp, "\n%s-h --help", _("short options: "));
	if (sb.len)
		fprintf(fp, ", %s", sb.buf);
	fputc('\n', fp);
	strbuf_release(&sb);
}

static bool in_help(const struct cmd *c, const char *opt)
{
	char name[80];
	snprintf(name, sizeof(name), "--%s", opt);
	return strstr(c->help ? _(c->help) : "", name) || strstr(_(c->usage), name);
}

/* Long options the help does not name, said on stderr; an alias (a second
 * name of an option the help names: same val) may stay unsaid. */
static int help_names_options(const struct cmd *c, const struct option *lo)
{
	size_t i, j;
	int missing = 0;
	for (i = 0; lo && lo[i].name; i++) {
		bool alias = false;
		if (in_help(c, lo[i].name))
			continue;
		for (j = 0; lo[j].name; j++)
			alias |= j != i && lo[j].val == lo[i].val && in_help(c, lo[j].name);
		if (!alias) {
			fprintf(stderr, "qfq %s: --%s is not in the help\n", c->name, lo[i].name);
			missing++;
		}
	}
	return missing;
}

static void help_and_exit(const struct cmd *c, const char *shortopts, const struct option *lo)
{
	const char *check = getenv("QFQ_CHECK_HELP");
	/* like git's parse_options(): the help ends the command here, so
	 * that no caller mistakes it for options to act on */
	cmd_print_help(c, stdout);
	print_short_options(shortopts, lo, stdout);
	if (check && *check && help_names_options(c, lo))
		exit(70);
	exit(fflush(stdout) ? QFQ_EXIT_FAIL : QFQ_EXIT_OK);
}

int cmd_getopt(const struct cmd *c, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, int *idx)
{
	const struct option *lo = with_help(longopts);
	int opt, i = -1;
	bool plus = shortopts[0] == '+';

	snprintf(shortopts_buf, sizeof(shortopts_buf), "%s:h%s", plus ? "+" : "", shortopts + plus);
	opterr = 0;
	opt = getopt_long(argc, argv, shortopts_buf, lo, &i);
	if (idx)
		*idx = i;
	if (opt == 'h')
		help_and_exit(c, shortopts, longopts);
	if (opt == '?' || opt == ':') {
		optarg = NULL;
		option_error(c, opt, argc, argv, lo);
		return CMD_OPT_ERROR;
	}
	if (opt != -1 && optarg && !(i >= 0 && empty_allowed(lo[i].name))) {
		char what[64];
		if (i >= 0)
			snprintf(what, sizeof(what), "--%s", lo[i].name);
		else
			snprintf(what, sizeof(what), "-%c", opt);
		if (cmd_nonempty(c, what, optarg)) {
			optarg = NULL;
			return CMD_OPT_ERROR;
		}
	}
	return opt;
}

int cmd_opt_exit(int opt)
{
	(void)opt;
	return QFQ_EXIT_USAGE;
}

int cmd_nonempty(const struct cmd *c, const char *what, const char *arg)
{
	const char *p = arg;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		return 0;
	if (!what)
		return cmd_usage_error(c, _("empty argument"));
	return cmd_usage_error(c, _("%s: empty argument"), what);
}

int cmd_check_date(const struct cmd *c, const char *what, const char *arg)
{
	int y, m, d, n = 0;
	if (sscanf(arg, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || arg[10] ||
	    !isdigit((unsigned char)arg[0]) || !isdigit((unsigned char)arg[5]) || !isdigit((unsigned char)arg[8]))
		return cmd_usage_error(c, _("%s expects a date YYYY-MM-DD, not \"%s\""), what, arg);
	if (!date_exists(y, m, d))
		return cmd_usage_error(c, _("no such date \"%.10s\""), arg);
	return 0;
}

int cmd_check_text(const struct cmd *c, const char *what, const char *arg)
{
	size_t bad, len = strlen(arg), i;
	int rc;
	if ((rc = cmd_nonempty(c, what, arg)))
		return rc;
	if (!what)
		what = _("argument");
	if (!utf8_valid(arg, len, &bad))
		return cmd_usage_error(c, _("%s: invalid UTF-8 at byte %zu"), what, bad + 1);
	for (i = 0; i < len; i++)
		if ((unsigned char)arg[i] < 0x20 || arg[i] == 0x7f)
			return cmd_usage_error(c, _("%s: control character at byte %zu"), what, i + 1);
	if (len > CMD_MAX_ARG_BYTES)
		return cmd_usage_error(c, _("%s: too long (%zu bytes, at most %d)"), what, len,
				       CMD_MAX_ARG_BYTES);
	return 0;
}

int cmd_check_departement(const struct cmd *c, sqlite3 *db, const char *code)
{
	sqlite3_stmt *st;
	int found;
	if (db_prepare(db, "SELECT 1 FROM departements WHERE code = ?1", &st))
		return cmd_fail(c, QFQ_EXIT_FAIL);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!found)
		return cmd_usage_error(c, _("no département has the code \"%s\""), code);
	return 0;
}

void cmd_suggest_communes(sqlite3 *db, const char *query)
{
	struct commune_list sug = { 0 };
	size_t i;
	if (communes_suggest(db, query, &sug, 5) == 0 && sug.n) {
		fprintf(stderr, _("did you mean:"));
		for (i = 0; i < sug.n; i++)
			fprintf(stderr, "%s %s (%s)", i ? "," : "", sug.v[i].nom, sug.v[i].departement);
		fprintf(stderr, "\n");
	}
	commune_list_clear(&sug);
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

int cmd_id_read(const char *s, sqlite3_int64 *id)
{
	char *end;
	long long v;
	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || v < 1)
		return -1;
	if (errno == ERANGE)
		return -2;
	*id = v;
	return 0;
}

int cmd_parse_id(const struct cmd *c, const char *what, const char *arg, sqlite3_int64 *out)
{
	switch (cmd_id_read(arg, out)) {
	case 0: return 0;
	case -2: return cmd_usage_error(c, _("%s: \"%s\" is too large for an id"), what, arg);
	default: return cmd_usage_error(c, _("%s expects an id (a positive number), not \"%s\""), what, arg);
	}
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
	int rc, n = 0;

	if (cmd_id_read(arg, id) == 0)
		return structure_exists(db, *id);
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
	sqlite3_int64 v = 0;
	int rc, n = 0;

	if (cmd_id_read(arg, &v))
		v = 0;
	person_name_key(&key, arg, NULL);
	if (db_prepare(db, "SELECT id, trim(coalesce(prenom || ' ', '') || nom) FROM persons "
			   "WHERE id = ?1 OR name_key = ?2 ORDER BY id LIMIT 10", &st)) {
		strbuf_release(&key);
		return -1;
	}
	sqlite3_bind_int64(st, 1, v);
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
