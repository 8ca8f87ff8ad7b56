/*
 * import_lieux: `qfq import lieux FILE [--dry-run] [--skip-bad-rows]
 * [--format table|json] [--quiet]`, places in the national standard (see
 * src/csv/lieux.h). Prints the report on standard output and every problem
 * as "FILE:LINE:COLUMN: warning|error: message" on standard error.
 * Exit: 0 imported (or would be, with --dry-run), 3 bad rows refused the
 * import (database unchanged), 4 the file or the database failed.
 */
#include "cmd/import.h"
#include "core/communes.h"
#include "csv/lieux.h"
#include "out/json.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <string.h>
#include <unistd.h>

/* Prints the problems, errors always, warnings unless quiet. */
static void print_issues(const char *path, const struct lieux_report *rep, bool quiet)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	for (i = 0; i < rep->issues.n; i++) {
		const struct import_msg *is = &rep->issues.v[i];
		if (quiet && is->severity == IMPORT_WARNING)
			continue;
		strbuf_reset(&sb);
		out_sanitize(&sb, path, strlen(path), 0);
		strbuf_addf(&sb, ":%lu:%zu: %s: ", is->line, is->column,
			    is->severity == IMPORT_ERROR ? _("error") : _("warning"));
		out_sanitize(&sb, is->text, strlen(is->text), 0);
		fprintf(stderr, "%s\n", sb.buf);
	}
	strbuf_release(&sb);
}

struct count {
	const char *key;    /* JSON key */
	const char *label;  /* N_() */
	long value;
};

static size_t report_counts(const struct lieux_report *rep, struct count *c)
{
	size_t n = 0;
#define C(k, l, v) (c[n].key = (k), c[n].label = (l), c[n].value = (v), n++)
	C("rows", N_("rows read"), rep->rows);
	C("inserted", N_("new places"), rep->inserted);
	C("updated", N_("places updated"), rep->updated);
	C("unchanged", N_("places unchanged"), rep->unchanged);
	C("bad_rows", N_("bad rows"), rep->bad_rows);
	C("merges_proposed", N_("merges proposed"), rep->merges_proposed);
	C("services_mapped", N_("services mapped to themes"), rep->services_mapped);
	C("values_unknown", N_("unknown values kept as tags"), rep->values_unknown);
	C("hours_parsed", N_("opening hours understood"), rep->hours_parsed);
	C("hours_unparseable", N_("opening hours kept as text"), rep->hours_unparseable);
	C("coords_approx", N_("places at their commune centre"), rep->coords_approx);
	C("communes_filled", N_("communes found from postcode and name"), rep->communes_filled);
	C("communes_cedex", N_("communes once CEDEX removed"), rep->communes_how[COMMUNE_HOW_CEDEX]);
	C("communes_spelling", N_("communes written without articles, hyphens or apostrophes"),
	  rep->communes_how[COMMUNE_HOW_SPELLING]);
	C("communes_affix", N_("communes written without or with a suffix"), rep->communes_how[COMMUNE_HOW_AFFIX]);
	C("communes_near", N_("communes of a near spelling"), rep->communes_how[COMMUNE_HOW_NEAR]);
	C("communes_former", N_("former communes, now merged"), rep->communes_former);
	C("communes_only", N_("communes taken as their postcode's only one"), rep->communes_how[COMMUNE_HOW_ONLY]);
	C("communes_nearest", N_("communes taken as the nearest to the coordinates"),
	  rep->communes_how[COMMUNE_HOW_NEAREST]);
	C("phones_normalized", N_("phone numbers normalized"), rep->phones_normalized);
	C("warnings", N_("warnings"), rep->warnings);
	C("errors", N_("errors"), rep->errors);
#undef C
	return n;
}

static void print_json(FILE *fp, const char *path, const struct lieux_report *rep, bool dry_run)
{
	struct count c[32];
	struct json_writer jw;
	size_t n = report_counts(rep, c), i;

	json_init(&jw, fp, true);
	json_object_begin(&jw);
	json_kv_str(&jw, "file", path);
	json_kv_str(&jw, "version", rep->version == LIEUX_V1 ? "1.x" : "0.x");
	json_kv_str(&jw, "encoding", rep->encoding);
	for (i = 0; i < n; i++) {
		json_key(&jw, c[i].key);
		json_int(&jw, c[i].value);
	}
	json_key(&jw, "dry_run");
	json_bool(&jw, dry_run);
	json_key(&jw, "committed");
	json_bool(&jw, rep->committed);
	json_key(&jw, "issues");
	json_array_begin(&jw);
	for (i = 0; i < rep->issues.n; i++) {
		const struct import_msg *is = &rep->issues.v[i];
		json_object_begin(&jw);
		json_key(&jw, "line");
		json_int(&jw, (long long)is->line);
		json_key(&jw, "column");
		json_int(&jw, is->column);
		json_kv_str(&jw, "severity", is->severity == IMPORT_ERROR ? "error" : "warning");
		json_kv_str(&jw, "message", is->text);
		json_object_end(&jw);
	}
	json_array_end(&jw);
	json_object_end(&jw);
	json_finish(&jw);
}

static void print_table(FILE *fp, const char *path, const struct lieux_report *rep, bool dry_run)
{
	const char *headers[] = { _("Places"), _("Count") };
	struct count c[32];
	struct out_table *t = out_table_new(2, headers);
	struct strbuf sb = STRBUF_INIT;
	size_t n = report_counts(rep, c), i;
	char num[32];

	out_sanitize(&sb, path, strlen(path), 0);
	fprintf(fp, _("%s: schéma des lieux %s, %s%s\n"), sb.buf,
		rep->version == LIEUX_V1 ? "1.x" : "0.x", rep->encoding ? rep->encoding : "",
		dry_run ? _(" (dry run: nothing written)") : "");
	for (i = 0; i < n; i++) {
		const char *cells[2] = { _(c[i].label), num };
		snprintf(num, sizeof(num), "%ld", c[i].value);
		out_table_add(t, cells);
	}
	out_table_write(t, OUT_TABLE, fp, out_term_width(fp), 0);
	out_table_free(t);
	strbuf_release(&sb);
}

int import_lieux_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "skip-bad-rows", no_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "encoding", required_argument, NULL, 'E' },
		{ NULL, 0, NULL, 0 },
	};
	struct lieux_options lo = { 0 };
	struct lieux_report rep = { 0 };
	struct import_progress prog;
	enum out_format f = OUT_TABLE;
	bool quiet = false;
	const char *path;
	sqlite3 *db;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_import, argc, argv, "f:q", opts, NULL)) != -1) {
		switch (opt) {
		case 'n': lo.dry_run = true; break;
		case 's': lo.skip_bad_rows = true; break;
		case 'q': quiet = true; break;
		case 'E': lo.encoding = optarg; break;
		case 'f':
			if ((rc = cmd_parse_format(&cmd_import, optarg, &f)))
				return rc;
			if (f != OUT_TABLE && f != OUT_JSON)
				return cmd_usage_error(&cmd_import, _("import lieux: --format is table or json"));
			break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind >= argc)
		return cmd_usage_error(&cmd_import, _("import lieux: which file?"));
	if (optind + 1 < argc)
		return cmd_usage_error(&cmd_import, _("import lieux: one file at a time"));
	path = argv[optind];
	if ((rc = cmd_open_db(&cmd_import, ctx, DB_WRITE, &db)))
		return rc;
	import_wait_for_writers(db);
	import_progress_init(&prog, quiet);
	lo.progress = import_progress_cb;
	lo.progress_arg = &prog;
	rc = lieux_import(db, path, &lo, &rep);
	import_progress_end(&prog);
	if (rc < 0) {
		/* a file that cannot be read, or the database, vs bad content */
		rc = cmd_fail(&cmd_import, strcmp(path, "-") && access(path, R_OK) ? QFQ_EXIT_FAIL : QFQ_EXIT_DATA);
		goto done;
	}
	print_issues(path, &rep, quiet);
	if (!quiet || rc) {
		if (f == OUT_JSON)
			print_json(ctx->out, path, &rep, lo.dry_run);
		else
			print_table(ctx->out, path, &rep, lo.dry_run);
	}
	if (rc == 1) {
		fprintf(stderr, _("qfq import: %ld bad rows: nothing imported (fix them, or "
				  "--skip-bad-rows to import the others)\n"), rep.bad_rows);
		rc = QFQ_EXIT_DATA;
	} else {
		rc = QFQ_EXIT_OK;
	}
done:
	lieux_report_clear(&rep);
	db_close(db);
	return rc;
}
