/*
 * export: `qfq export lieux [--departement CODE | --commune C] [--format
 * csv|json] [--output FILE] [--include-invalid]`, structures in the current
 * form of the national standard for digital-mediation places (see
 * src/csv/lieux.h), in a file its validator accepts as it is, so that a
 * département can give its corrections back. Each place left out, or
 * written without a value the standard refuses, is named on standard error
 * with the reason.
 */
#include "cmd/cmd.h"
#include "cmd/entity.h"
#include "core/communes.h"
#include "csv/lieux.h"
#include "out/out.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Resolves --commune to one INSEE code (malloc'd), or prints and returns NULL. */
static char *resolve_commune(sqlite3 *db, const char *query, int *rc)
{
	struct commune_list l = { 0 };
	enum commune_match how;
	char *code = NULL;
	size_t i;

	if (communes_find(db, query, &l, &how)) {
		*rc = cmd_fail(&cmd_export, QFQ_EXIT_FAIL);
	} else if (how == COMMUNE_NONE) {
		fprintf(stderr, _("qfq export: no commune matches \"%s\"\n"), query);
		*rc = QFQ_EXIT_USAGE;
	} else if (l.n > 1) {
		fprintf(stderr, _("qfq export: \"%s\" is several communes:"), query);
		for (i = 0; i < l.n && i < 10; i++)
			fprintf(stderr, "%s %s (%s)", i ? "," : "", l.v[i].nom, l.v[i].departement);
		fprintf(stderr, "\n");
		*rc = QFQ_EXIT_USAGE;
	} else {
		cmd_say_forgiven(&cmd_export, query, &l.v[0]);
		code = xstrdup(l.v[0].code_insee);
	}
	commune_list_clear(&l);
	return code;
}

static bool dep_code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 2)
		return (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1])) ||
		       (s[0] == '2' && strchr("AaBb", s[1]));
	return n == 3 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]);
}

/* Appends s to sb made safe for a terminal, cut to about 40 columns. */
static void add_shown(struct strbuf *sb, const char *s)
{
	size_t len = strlen(s), width, cut = utf8_prefix_for_width(s, len, 40, &width);
	out_sanitize(sb, s, cut, 0);
	if (cut < len)
		strbuf_addstr(sb, "…");
}

/* One reason, in words ("telephone \"+41 22...\" is not in the standard's form"). */
static void add_reason(struct strbuf *sb, const struct lieux_export_problem *p)
{
	const char *field = lieux_field_name(p->field);
	struct strbuf v = STRBUF_INIT;

	add_shown(&v, p->value);
	switch (p->why) {
	case LIEUX_EMPTY:
		strbuf_addf(sb, _("no %s"), field);
		break;
	case LIEUX_FORM:
		strbuf_addf(sb, _("%s \"%s\" is not in the standard's form"), field, v.buf);
		break;
	case LIEUX_TOO_LONG:
		strbuf_addf(sb, _("%s is longer than %d characters"), field, LIEUX_RESUME_MAX);
		break;
	case LIEUX_NOT_IN_LIST:
		strbuf_addf(sb, _("%s \"%s\" is not in the standard's list"), field, v.buf);
		break;
	case LIEUX_DUPLICATE_ID:
		if (p->to)
			strbuf_addf(sb, _("id \"%s\" is another place's, written as \"%s\""), v.buf, p->to);
		else
			strbuf_addf(sb, _("id \"%s\" is another place's"), v.buf);
		break;
	}
	strbuf_release(&v);
}

/* Names a place the export could not write valid as it is, and why. */
static void print_note(void *ctx, const struct lieux_export_note *n)
{
	struct strbuf sb = STRBUF_INIT, nom = STRBUF_INIT, empty = STRBUF_INIT;
	size_t i, start;

	add_shown(&nom, n->nom);
	switch (n->outcome) {
	case LIEUX_LEFT_OUT:
		strbuf_addf(&sb, _("qfq export: #%lld \"%s\" left out: "), n->structure_id, nom.buf);
		break;
	case LIEUX_VALUES_DROPPED:
		strbuf_addf(&sb, _("qfq export: #%lld \"%s\" written without what the standard refuses: "),
			    n->structure_id, nom.buf);
		break;
	case LIEUX_WRITTEN_INVALID:
		strbuf_addf(&sb, _("qfq export: #%lld \"%s\" written as it is, not valid: "),
			    n->structure_id, nom.buf);
		break;
	}
	start = sb.len;
	for (i = 0; i < n->n; i++) { /* the empty required fields first, in one phrase */
		if (n->v[i].why != LIEUX_EMPTY)
			continue;
		if (!empty.len)
			strbuf_addstr(&empty, lieux_field_name(n->v[i].field));
		else
			strbuf_addf(&empty, ", %s", lieux_field_name(n->v[i].field));
	}
	if (empty.len)
		strbuf_addf(&sb, _("no %s"), empty.buf);
	for (i = 0; i < n->n; i++) {
		if (n->v[i].why == LIEUX_EMPTY)
			continue;
		if (sb.len > start)
			strbuf_addstr(&sb, "; ");
		add_reason(&sb, &n->v[i]);
	}
	fprintf(stderr, "%s\n", sb.buf);
	strbuf_release(&sb);
	strbuf_release(&nom);
	strbuf_release(&empty);
}

static int export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "departement", required_argument, NULL, 'd' },
		{ "commune", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "include-invalid", no_argument, NULL, 'a' },
		{ "all", no_argument, NULL, 'a' },  /* the former name */
		{ NULL, 0, NULL, 0 },
	};
	struct lieux_export_filter filter = { .note = print_note };
	enum lieux_export_format format = LIEUX_CSV;
	const char *commune = NULL, *output = NULL;
	char dep[4] = "", *code = NULL, *tmp = NULL;
	long written = 0, skipped = 0;
	FILE *fp = ctx->out;
	sqlite3 *db = NULL;
	int opt, rc = QFQ_EXIT_OK;

	if (argc >= 2 && !strcmp(argv[1], "person")) /* right of access (cmd/export_person.c) */
		return cmd_export_person(ctx, argc - 1, argv + 1);
	while ((opt = cmd_getopt(&cmd_export, argc, argv, "d:c:f:o:", opts, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (!dep_code_ok(optarg))
				return cmd_usage_error(&cmd_export, _("--departement: \"%s\" is not a "
								      "département code (07, 2A, 974)"), optarg);
			snprintf(dep, sizeof(dep), "%s", optarg);
			dep[1] = (char)toupper((unsigned char)dep[1]);
			filter.departement = dep;
			break;
		case 'c': commune = optarg; break;
		case 'o': output = optarg; break;
		case 'a': filter.include_invalid = true; break;
		case 'f':
			if (!strcmp(optarg, "csv"))
				format = LIEUX_CSV;
			else if (!strcmp(optarg, "json"))
				format = LIEUX_JSON;
			else
				return cmd_usage_error(&cmd_export, _("--format: \"%s\"? expected csv or json"), optarg);
			break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind >= argc)
		return cmd_usage_error(&cmd_export, _("export what? (lieux)"));
	if (strcmp(argv[optind], "lieux"))
		return cmd_usage_error(&cmd_export, _("unknown kind \"%s\" (expected lieux)"), argv[optind]);
	if (optind + 1 < argc)
		return cmd_usage_error(&cmd_export, _("unexpected argument \"%s\""), argv[optind + 1]);
	if (commune && filter.departement)
		return cmd_usage_error(&cmd_export, _("--departement or --commune, not both"));
	if ((rc = cmd_open_db(&cmd_export, ctx, DB_READ, &db)))
		return rc;
	if (filter.departement && (rc = cmd_check_departement(&cmd_export, db, filter.departement)))
		goto done;
	if (commune && !(filter.code_insee = code = resolve_commune(db, commune, &rc)))
		goto done;
	if (output) {
		/* written beside the target and renamed: never half a file */
		size_t len = strlen(output) + 16;
		tmp = xmalloc(len);
		snprintf(tmp, len, "%s.tmp%ld", output, (long)getpid());
		/* 0600 like every file qfq makes: an export may hold personal data */
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || !(fp = fdopen(fd, "w"))) {
			if (fd >= 0)
				close(fd);
			fprintf(stderr, _("qfq export: cannot write \"%s\": %s\n"), output, strerror(errno));
			rc = QFQ_EXIT_FAIL;
			goto done;
		}
	}
	if (lieux_export(db, &filter, format, fp, &written, &skipped)) {
		rc = cmd_fail(&cmd_export, QFQ_EXIT_FAIL);
	} else if (output && (fclose(fp) || rename(tmp, output))) {
		fp = NULL;
		fprintf(stderr, _("qfq export: cannot write \"%s\": %s\n"), output, strerror(errno));
		rc = QFQ_EXIT_FAIL;
	} else {
		fp = NULL;
		rc = QFQ_EXIT_OK;
	}
	if (skipped)
		fprintf(stderr, ngettext("qfq export: %ld structure left out (above, with the reason); "
					 "--include-invalid writes it too, to correct it\n",
					 "qfq export: %ld structures left out (above, with the reasons); "
					 "--include-invalid writes them too, to correct them\n", skipped),
			skipped);
	if (!rc && !written)
		rc = QFQ_EXIT_NONE;
done:
	if (output && fp) {
		fclose(fp);
	}
	if (tmp && rc && rc != QFQ_EXIT_NONE)
		unlink(tmp);
	free(tmp);
	free(code);
	db_close(db);
	return rc;
}

const struct cmd cmd_export = {
	.name = "export",
	.summary = N_("export places in the national standard (schéma des lieux de médiation numérique)"),
	.usage = N_("export lieux [--departement CODE | --commune C] [--format csv|json] [--output FILE] "
		    "[--include-invalid]\n"
		    "export person ID"),
	.help = N_("Writes the structures in the form of the schéma des lieux de médiation\n"
		   "numérique v1.0.2, valid as it is: the schema's 32 columns in its order, lists\n"
		   "joined with |, UTF-8, RFC 4180 quoting. A place that lacks a required value\n"
		   "(pivot, adresse, code_postal, date_maj, services...) is left out, and a value\n"
		   "the standard refuses (a foreign phone, a summary over 280 characters) is left\n"
		   "empty; each is named on standard error with the reason. Importing the export\n"
		   "gives the same data back.\n\n"
		   "  --departement CODE  only the structures of this département (07, 2A, 974)\n"
		   "  --commune C         only those of this commune (name, INSEE code or postcode)\n"
		   "  --format FMT        csv (default) or json (the same field names)\n"
		   "  --output FILE       write to FILE (replaced whole) instead of standard output\n"
		   "  --include-invalid   write every place and value as it is, to correct them\n\n"
		   "export person ID writes everything the directory holds about person ID as\n"
		   "JSON (right of access): the record, structures and roles, competences,\n"
		   "meetings, merge proposals, referral counts, and their history.\n\n"
		   "Exit status: 0 written, 1 nothing to export, 2 bad usage, 4 failure."),
	.exec = export_exec,
};
