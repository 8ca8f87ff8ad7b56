/*
 * import_roster: `qfq import roster FILE [OPTIONS]`: parses the options,
 * runs the roster importer (src/csv/roster.c) and prints its report, as
 * text or JSON. Exit 0 imported, 3 refused for bad input (database
 * unchanged), 4 database or system error, 2 bad usage.
 */
#include "cmd/import.h"
#include "csv/roster.h"
#include "out/json.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Prints data safely: control characters never reach the terminal. */
static void put(FILE *fp, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	out_sanitize(&sb, s ? s : "", s ? strlen(s) : 0, 0);
	fputs(sb.buf, fp);
	strbuf_release(&sb);
}

static void print_msgs(FILE *fp, const char *title, const struct import_msgs *l)
{
	size_t i;
	if (!l->total)
		return;
	fprintf(fp, "%s (%zu):\n", title, l->total);
	for (i = 0; i < l->n; i++) {
		fputs("  ", fp);
		if (l->v[i].line && l->v[i].column)
			fprintf(fp, _("line %lu, column %zu: "), l->v[i].line, l->v[i].column);
		else if (l->v[i].line)
			fprintf(fp, _("line %lu: "), l->v[i].line);
		put(fp, l->v[i].text);
		fputc('\n', fp);
	}
	if (l->total > l->n)
		fprintf(fp, _("  … and %zu more\n"), l->total - l->n);
}

static const char *delim_name(char d)
{
	return d == '\t' ? "tab" : d == ';' ? ";" : ",";
}

static void print_text(FILE *fp, const struct roster_report *r)
{
	fputs(_("import roster: "), fp);
	put(fp, r->file);
	fprintf(fp, " (%s, %s \"%s\")\n", r->encoding ? r->encoding : "?", _("delimiter"), delim_name(r->delimiter));
	if (r->columns && *r->columns) {
		fputs(_("columns: "), fp);
		put(fp, r->columns);
		fputc('\n', fp);
	}
	if (r->event_title) {
		fputs(_("meeting: \""), fp);
		put(fp, r->event_title);
		fprintf(fp, _("\" on %s%s%s\n"), r->event_date, r->event_new ? _(", new") : "",
			r->event_inferred ? _(" (inferred from the file name; --event and --date to name it)") : "");
	}
	fprintf(fp, _("rows read: %zu (imported %zu, skipped %zu)\n"), r->rows, r->rows_imported, r->rows_skipped);
	fprintf(fp, _("persons: %zu new, %zu matched\n"), r->persons_new, r->persons_matched);
	fprintf(fp, _("structures: %zu new, %zu matched\n"), r->structures_new, r->structures_matched);
	fprintf(fp, _("memberships: %zu new; competences: %zu new; attendance: %zu new\n"),
		r->memberships_new, r->themes_added, r->attendance_new);
	fprintf(fp, _("merges proposed: %zu%s\n"), r->merges_proposed,
		r->merges_proposed ? _(" (see `qfq merge --list`)") : "");
	print_msgs(fp, _("warnings"), &r->warnings);
	print_msgs(fp, _("conflicts (kept as recorded)"), &r->conflicts);
	print_msgs(fp, _("bad rows left out"), &r->errors);
	if (r->dry_run)
		fputs(_("dry run: nothing was written\n"), fp);
}

static void json_msgs(struct json_writer *jw, const char *key, const struct import_msgs *l)
{
	size_t i;
	json_key(jw, key);
	json_array_begin(jw);
	for (i = 0; i < l->n; i++) {
		json_object_begin(jw);
		json_key(jw, "line");
		json_int(jw, (long long)l->v[i].line);
		json_key(jw, "column");
		json_int(jw, (long long)l->v[i].column);
		json_kv_str(jw, "message", l->v[i].text);
		json_object_end(jw);
	}
	json_array_end(jw);
	json_key(jw, "total");
	json_int(jw, (long long)l->total);
}

static void print_json(FILE *fp, const struct roster_report *r, bool ok)
{
	struct json_writer jw;
	char d[2] = { r->delimiter, 0 };
	json_init(&jw, fp, true);
	json_object_begin(&jw);
	json_kv_str(&jw, "file", r->file);
	json_key(&jw, "ok");
	json_bool(&jw, ok);
	json_kv_str(&jw, "encoding", r->encoding);
	json_kv_str(&jw, "delimiter", r->delimiter ? d : NULL);
	json_key(&jw, "dry_run");
	json_bool(&jw, r->dry_run);
	json_key(&jw, "event");
	if (r->event_title) {
		json_object_begin(&jw);
		json_kv_str(&jw, "titre", r->event_title);
		json_kv_str(&jw, "date", r->event_date);
		json_key(&jw, "inferred");
		json_bool(&jw, r->event_inferred);
		json_key(&jw, "new");
		json_bool(&jw, r->event_new);
		json_object_end(&jw);
	} else {
		json_null(&jw);
	}
#define N(k, v) do { json_key(&jw, k); json_int(&jw, (long long)(v)); } while (0)
	N("rows", r->rows);
	N("rows_imported", r->rows_imported);
	N("rows_skipped", r->rows_skipped);
	N("persons_new", r->persons_new);
	N("persons_matched", r->persons_matched);
	N("structures_new", r->structures_new);
	N("structures_matched", r->structures_matched);
	N("memberships_new", r->memberships_new);
	N("themes_new", r->themes_added);
	N("attendance_new", r->attendance_new);
	N("merges_proposed", r->merges_proposed);
#undef N
	json_msgs(&jw, "warnings", &r->warnings);
	json_key(&jw, "conflicts_detail");
	json_object_begin(&jw);
	json_msgs(&jw, "items", &r->conflicts);
	json_object_end(&jw);
	json_key(&jw, "errors_detail");
	json_object_begin(&jw);
	json_msgs(&jw, "items", &r->errors);
	json_object_end(&jw);
	if (!ok)
		json_kv_str(&jw, "error", qfq_error_msg());
	json_object_end(&jw);
	json_finish(&jw);
}

static int parse_delim(const char *s, char *d)
{
	if (!strcmp(s, ",") || !strcmp(s, ";"))
		*d = s[0];
	else if (!strcmp(s, "tab") || !strcmp(s, "\t") || !strcmp(s, "\\t"))
		*d = '\t';
	else
		return -1;
	return 0;
}

int import_roster_main(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "date", required_argument, NULL, 'd' },
		{ "place", required_argument, NULL, 'p' },
		{ "map", required_argument, NULL, 'm' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "skip-bad-rows", no_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "encoding", required_argument, NULL, 'E' },
		{ "delimiter", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	struct roster_options o = { 0 };
	struct roster_report rep;
	const char **map = NULL;
	size_t amap = 0;
	enum out_format f = OUT_TABLE;
	bool quiet = false;
	struct import_progress prog;
	sqlite3 *db;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_import, argc, argv, "e:d:p:m:nsf:qE:D:", opts, NULL)) != -1) {
		switch (opt) {
		case 'e': o.event_title = optarg; break;
		case 'd':
			if ((rc = cmd_check_date(&cmd_import, "--date", optarg))) {
				free(map);
				return rc;
			}
			o.event_date = optarg;
			break;
		case 'p': o.event_place = optarg; break;
		case 'm':
			if (!strchr(optarg, '=') || roster_field_parse(strchr(optarg, '=') + 1) == RF_NONE) {
				free(map);
				return cmd_usage_error(&cmd_import, _("--map expects 'Colonne=champ' with champ one of "
								      "nom_prenom, nom, prenom, structure, role, commune, "
								      "code_postal, courriel, telephone, presence, themes, "
								      "territoire, ignore (not \"%s\")"), optarg);
			}
			XGROW(map, amap, o.nmap + 1);
			map[o.nmap++] = optarg;
			break;
		case 'n': o.dry_run = true; break;
		case 's': o.skip_bad_rows = true; break;
		case 'f':
			if ((rc = cmd_parse_format(&cmd_import, optarg, &f))) {
				free(map);
				return rc;
			}
			break;
		case 'q': quiet = true; break;
		case 'E': o.csv.encoding = optarg; break;
		case 'D':
			if (parse_delim(optarg, &o.csv.delim)) {
				free(map);
				return cmd_usage_error(&cmd_import, _("--delimiter expects , ; or tab, not \"%s\""), optarg);
			}
			break;
		default:
			free(map);
			return cmd_opt_exit(opt);
		}
	}
	o.map = map;
	if (optind + 1 != argc) {
		free(map);
		return cmd_usage_error(&cmd_import, optind >= argc ? _("which file? give the roster's CSV file")
								   : _("one file at a time"));
	}
	if ((o.event_title != NULL) != (o.event_date != NULL)) {
		free(map);
		return cmd_usage_error(&cmd_import, _("--event and --date go together"));
	}
	if (o.event_place && !o.event_title) {
		free(map);
		return cmd_usage_error(&cmd_import, _("--place needs --event and --date"));
	}
	o.infer_event = !o.event_title;
	if ((rc = cmd_open_db(&cmd_import, ctx, DB_WRITE, &db))) {
		free(map);
		return rc;
	}
	import_wait_for_writers(db);
	import_progress_init(&prog, quiet);
	o.progress = import_progress_cb;
	o.progress_arg = &prog;
	rc = roster_import(db, argv[optind], &o, &rep);
	import_progress_end(&prog);
	if (rc) {
		rc = rep.data_error ? QFQ_EXIT_DATA : QFQ_EXIT_FAIL;
		if (f == OUT_JSON)
			print_json(ctx->out, &rep, false);
		fprintf(stderr, "qfq import: ");
		put(stderr, qfq_error_msg());
		fputc('\n', stderr);
		if (rep.errors.total > 1)
			print_msgs(stderr, _("bad rows"), &rep.errors);
		if (rep.data_error)
			fputs(_("nothing was imported: the database is unchanged\n"), stderr);
	} else {
		rc = QFQ_EXIT_OK;
		if (f == OUT_JSON)
			print_json(ctx->out, &rep, true);
		else if (!quiet)
			print_text(ctx->out, &rep);
	}
	roster_report_clear(&rep);
	db_close(db);
	free(map);
	return rc;
}
