/*
 * stats: `qfq stats [--since D] [--until D] [--departement D | --epci E]
 * [--top N] [--format table|tsv|csv|json]`, the observatory of referrals
 * (db/stats.h): by theme, month, status, commune and EPCI of origin and
 * destination, the top flows between structures, the share realized and
 * the time to realization, the themes that ended "sans solution" and where.
 * Exit 0 with referrals, 1 none in the period, 2 bad usage.
 */
#include "cmd/cmd.h"
#include "db/referrals.h"
#include "db/stats.h"
#include "out/json.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* The section titles of the table format, in stats_table_id order. */
static const char *section_title(enum stats_table_id id)
{
	switch (id) {
	case STATS_THEME: return _("By theme");
	case STATS_MONTH: return _("By month");
	case STATS_FROM_COMMUNE: return _("By commune of origin");
	case STATS_TO_COMMUNE: return _("By commune of destination");
	case STATS_FROM_EPCI: return _("By EPCI of origin");
	case STATS_TO_EPCI: return _("By EPCI of destination");
	case STATS_FLOWS: return _("Top flows between structures");
	case STATS_SANS_SOLUTION: return _("Themes ended \"sans solution\", and where");
	default: return "";
	}
}

static void percent(char *buf, size_t size, long part, long whole)
{
	if (whole <= 0)
		buf[0] = '\0';
	else
		snprintf(buf, size, "%.1f", 100.0 * (double)part / (double)whole);
}

static void write_json(FILE *fp, const struct stats *s)
{
	struct json_writer jw;
	size_t i, j;
	json_init(&jw, fp, true);
	json_object_begin(&jw);
	json_key(&jw, "total");
	json_int(&jw, s->total);
	json_key(&jw, "statuts");
	json_object_begin(&jw);
	for (i = 0; i < REFERRAL_N_STATUS; i++) {
		json_key(&jw, referral_status_code((int)i));
		json_int(&jw, s->by_status[i]);
	}
	json_object_end(&jw);
	json_key(&jw, "part_realisees");
	s->total ? json_double(&jw, (double)s->by_status[REFERRAL_REALISEE] / (double)s->total, 4) : json_null(&jw);
	json_key(&jw, "delai_realisation_jours");
	json_object_begin(&jw);
	json_key(&jw, "mediane");
	s->days_median >= 0 ? json_double(&jw, s->days_median, 1) : json_null(&jw);
	json_key(&jw, "moyenne");
	s->days_mean >= 0 ? json_double(&jw, s->days_mean, 1) : json_null(&jw);
	json_object_end(&jw);
	for (i = 0; i < STATS_N_TABLES; i++) {
		json_key(&jw, stats_table_name((enum stats_table_id)i));
		json_array_begin(&jw);
		for (j = 0; j < s->t[i].n; j++) {
			const struct stats_row *r = &s->t[i].v[j];
			json_object_begin(&jw);
			json_kv_str(&jw, "cle", r->key);
			json_kv_str(&jw, "libelle", r->label);
			json_key(&jw, "nombre");
			json_int(&jw, r->count);
			if (i != STATS_SANS_SOLUTION) {
				json_key(&jw, "realisees");
				json_int(&jw, r->realized);
			} else {
				json_kv_str(&jw, "ou", r->where);
			}
			json_object_end(&jw);
		}
		json_array_end(&jw);
	}
	json_object_end(&jw);
	json_finish(&jw);
}

/* tsv/csv: one grid, a row per (table, key). */
static int write_grid(FILE *fp, enum out_format f, const struct stats *s)
{
	static const char *const headers[] = { "tableau", "cle", "libelle", "nombre", "realisees", "ou" };
	struct out_table *t = out_table_new(6, headers);
	char n[24], r[24];
	size_t i, j;
	int rc;
	for (i = 0; i < REFERRAL_N_STATUS; i++) {
		const char *cells[6] = { "statut", referral_status_code((int)i), referral_status_word((int)i), n, "", "" };
		snprintf(n, sizeof(n), "%ld", s->by_status[i]);
		out_table_add(t, cells);
	}
	for (i = 0; i < STATS_N_TABLES; i++)
		for (j = 0; j < s->t[i].n; j++) {
			const struct stats_row *row = &s->t[i].v[j];
			const char *cells[6] = { stats_table_name((enum stats_table_id)i), row->key, row->label, n,
						 i == STATS_SANS_SOLUTION ? "" : r, row->where };
			snprintf(n, sizeof(n), "%ld", row->count);
			snprintf(r, sizeof(r), "%ld", row->realized);
			out_table_add(t, cells);
		}
	rc = out_table_write(t, f, fp, 0, 0);
	out_table_free(t);
	return rc;
}

static int write_text(FILE *fp, const struct stats *s, const char *since, const char *until)
{
	struct strbuf sb = STRBUF_INIT, safe = STRBUF_INIT;
	char pc[32];
	size_t i, j;
	int rc = 0;

	strbuf_addf(&sb, _("%ld referrals"), s->total);
	if (since || until)
		strbuf_addf(&sb, " (%s – %s)", since ? since : "…", until ? until : "…");
	strbuf_addch(&sb, '\n');
	for (i = 0; i < REFERRAL_N_STATUS; i++)
		strbuf_addf(&sb, "%s%s %ld", i ? ", " : "", referral_status_word((int)i), s->by_status[i]);
	strbuf_addch(&sb, '\n');
	percent(pc, sizeof(pc), s->by_status[REFERRAL_REALISEE], s->total);
	strbuf_addf(&sb, _("realized: %s %%"), pc);
	if (s->days_median >= 0)
		strbuf_addf(&sb, _("; time to realization: median %.1f days, mean %.1f days"), s->days_median,
			    s->days_mean);
	strbuf_addstr(&sb, "\n");
	out_sanitize(&safe, sb.buf, sb.len, 1);
	fputs(safe.buf, fp);
	for (i = 0; i < STATS_N_TABLES && !rc; i++) {
		static const char *const h[] = { "", "nombre", "réalisées %" };
		static const char *const hs[] = { "", "nombre", "où" };
		struct out_table *t;
		if (!s->t[i].n)
			continue;
		fprintf(fp, "\n%s\n", section_title((enum stats_table_id)i));
		t = out_table_new(3, i == STATS_SANS_SOLUTION ? hs : h);
		for (j = 0; j < s->t[i].n; j++) {
			const struct stats_row *r = &s->t[i].v[j];
			char n[24];
			const char *cells[3];
			snprintf(n, sizeof(n), "%ld", r->count);
			percent(pc, sizeof(pc), r->realized, r->count);
			cells[0] = r->label ? r->label : r->key;
			cells[1] = n;
			cells[2] = i == STATS_SANS_SOLUTION ? r->where : pc;
			out_table_add(t, cells);
		}
		rc = out_table_write(t, OUT_TABLE, fp, out_term_width(fp), 0);
		out_table_free(t);
	}
	strbuf_release(&sb);
	strbuf_release(&safe);
	return rc;
}

static int stats_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "departement", required_argument, NULL, 'd' },
		{ "epci", required_argument, NULL, 'e' },
		{ "top", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct stats_query q = { 0 };
	struct stats s;
	struct cmd_area area = { 0 };
	const char *dep = NULL, *epci = NULL;
	enum out_format fmt = OUT_TABLE;
	long top = 10;
	sqlite3 *db;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_stats, argc, argv, "d:e:f:n:", opts, NULL)) != -1) {
		switch (opt) {
		case 'S': q.since = optarg; break;
		case 'U': q.until = optarg; break;
		case 'd': dep = optarg; break;
		case 'e': epci = optarg; break;
		case 'n':
			if ((rc = cmd_parse_count(&cmd_stats, "--top", optarg, &top)))
				return rc;
			break;
		case 'f':
			if ((rc = cmd_parse_format(&cmd_stats, optarg, &fmt)))
				return rc;
			break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_stats, _("unexpected argument \"%s\""), argv[optind]);
	if ((q.since && !referral_date_ok(q.since)) || (q.until && !referral_date_ok(q.until)))
		return cmd_usage_error(&cmd_stats, _("--since and --until expect a date YYYY-MM-DD"));
	if ((rc = cmd_open_db(&cmd_stats, ctx, DB_READ, &db)))
		return rc;
	if ((rc = cmd_resolve_area(&cmd_stats, db, dep, epci, &area)))
		goto done;
	q.departement = area.departement;
	q.epci = area.epci;
	q.top = (size_t)top;
	if (stats_compute(db, &q, &s)) {
		rc = cmd_fail(&cmd_stats, QFQ_EXIT_FAIL);
		goto done;
	}
	if (fmt == OUT_JSON)
		write_json(ctx->out, &s);
	else if (fmt == OUT_TABLE)
		rc = write_text(ctx->out, &s, q.since, q.until);
	else
		rc = write_grid(ctx->out, fmt, &s);
	if (rc)
		rc = cmd_fail(&cmd_stats, QFQ_EXIT_FAIL);
	else
		rc = s.total ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
	stats_clear(&s);
done:
	cmd_area_clear(&area);
	db_close(db);
	return rc;
}

const struct cmd cmd_stats = {
	.name = "stats",
	.summary = N_("the observatory of referrals: themes, months, statuses, flows, unmet needs"),
	.usage = N_("stats [--since D] [--until D] [--departement D | --epci E] [--top N] "
		    "[--format table|tsv|csv|json]"),
	.help = N_("Counts the recorded referrals (see qfq orient) by theme, month, status,\n"
		   "commune and EPCI of origin and destination; the top flows between\n"
		   "structures; the share realized and the time to realization (median and\n"
		   "mean days from proposée to réalisée); the themes that ended \"sans solution\"\n"
		   "and the communes they came from.\n\n"
		   "  --since D        made on or after D (YYYY-MM-DD)\n"
		   "  --until D        made on or before D (YYYY-MM-DD)\n"
		   "  --departement D  only referrals from or to this département\n"
		   "  --epci E         only referrals from or to this EPCI (name or SIREN)\n"
		   "  --top N          rows per ranked table (default 10)\n"
		   "  --format FMT     table (default), tsv, csv (one row per table and key) or json\n\n"
		   "Exit status: 0 counted, 1 no referral in the period, 2 bad usage."),
	.exec = stats_exec,
};
