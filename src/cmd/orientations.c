/*
 * orientations: `qfq orientations [--from S] [--to S] [--theme T] [--status
 * V] [--since D] [--until D] [--format table|tsv|csv|json]` lists the
 * recorded referrals, newest first, with their status.
 * Exit 0 found, 1 none, 2 bad usage.
 */
#include "cmd/cmd.h"
#include "core/themes.h"
#include "db/referrals.h"
#include "out/json.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static int structure_opt(sqlite3 *db, const char *opt, const char *arg, sqlite3_int64 *id)
{
	struct strbuf safe = STRBUF_INIT;
	int rc = cmd_find_structure(&cmd_orientations, db, arg, id);
	if (rc == 1)
		return 0;
	if (rc < 0)
		return cmd_fail(&cmd_orientations, QFQ_EXIT_FAIL);
	if (rc == 2)
		return QFQ_EXIT_USAGE;
	out_sanitize(&safe, arg, strlen(arg), 0);
	rc = cmd_usage_error(&cmd_orientations, _("%s: no structure \"%s\""), opt, safe.buf);
	strbuf_release(&safe);
	return rc;
}

static void write_json(FILE *fp, const struct referral_list *l)
{
	struct json_writer jw;
	size_t i;
	json_init(&jw, fp, true);
	json_array_begin(&jw);
	for (i = 0; i < l->n; i++) {
		const struct referral *r = &l->v[i];
		json_object_begin(&jw);
		json_key(&jw, "id");
		json_int(&jw, r->id);
		json_kv_str(&jw, "date", r->date);
		json_key(&jw, "de_id");
		r->from_id ? json_int(&jw, r->from_id) : json_null(&jw);
		json_kv_str(&jw, "de", r->from_nom);
		json_kv_str(&jw, "commune_origine", r->from_commune);
		json_kv_str(&jw, "par", r->by_nom);
		json_key(&jw, "vers_id");
		r->to_id ? json_int(&jw, r->to_id) : json_null(&jw);
		json_kv_str(&jw, "vers", r->to_nom);
		json_kv_str(&jw, "commune_destination", r->to_commune);
		json_kv_str(&jw, "theme", r->theme);
		json_kv_str(&jw, "canal", referral_channel_code(r->channel));
		json_kv_str(&jw, "statut", referral_status_code(r->status));
		json_kv_str(&jw, "date_statut", r->status_date);
		json_key(&jw, "urgent");
		json_bool(&jw, r->urgent);
		json_key(&jw, "suite_de");
		r->parent_id ? json_int(&jw, r->parent_id) : json_null(&jw);
		json_kv_str(&jw, "note", r->note);
		json_object_end(&jw);
	}
	json_array_end(&jw);
	json_finish(&jw);
}

static int write_table(FILE *fp, enum out_format f, const struct referral_list *l)
{
	static const char *const headers[] = { "id", "date", "de", "vers", "theme", "canal", "statut",
					       "date_statut", "urgent", "suite_de" };
	struct out_table *t = out_table_new(10, headers);
	size_t i;
	int rc;
	for (i = 0; i < l->n; i++) {
		const struct referral *r = &l->v[i];
		char id[24], parent[24];
		const char *cells[10];
		snprintf(id, sizeof(id), "%lld", (long long)r->id);
		snprintf(parent, sizeof(parent), "%lld", (long long)r->parent_id);
		cells[0] = id;
		cells[1] = r->date;
		cells[2] = r->from_nom;
		cells[3] = r->to_nom;
		cells[4] = r->theme;
		cells[5] = f == OUT_TABLE ? referral_channel_word(r->channel) : referral_channel_code(r->channel);
		cells[6] = f == OUT_TABLE ? referral_status_word(r->status) : referral_status_code(r->status);
		cells[7] = r->status_date;
		cells[8] = r->urgent ? (f == OUT_TABLE ? "urgent" : "1") : (f == OUT_TABLE ? "" : "0");
		cells[9] = r->parent_id ? parent : "";
		out_table_add(t, cells);
	}
	rc = out_table_write(t, f, fp, f == OUT_TABLE ? out_term_width(fp) : 0, 0);
	out_table_free(t);
	return rc;
}

static int orientations_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 't' },
		{ "theme", required_argument, NULL, 'T' },
		{ "status", required_argument, NULL, 's' },
		{ "statut", required_argument, NULL, 's' },
		{ "since", required_argument, NULL, 'S' },
		{ "until", required_argument, NULL, 'U' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct referral_filter flt = { .status = -1 };
	struct referral_list l = { 0 };
	struct strbuf themes = STRBUF_INIT;
	const char *from = NULL, *to = NULL, *theme = NULL;
	enum out_format fmt = OUT_TABLE;
	sqlite3 *db;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_orientations, argc, argv, "f:", opts, NULL)) != -1) {
		switch (opt) {
		case 'F': from = optarg; break;
		case 't': to = optarg; break;
		case 'T': theme = optarg; break;
		case 's':
			if ((flt.status = referral_status_parse(optarg)) < 0)
				return cmd_usage_error(&cmd_orientations, _("--status: \"%s\"? expected proposée, prise en "
									     "charge, réalisée, sans solution or refusée"), optarg);
			break;
		case 'S': flt.since = optarg; break;
		case 'U': flt.until = optarg; break;
		case 'f':
			if ((rc = cmd_parse_format(&cmd_orientations, optarg, &fmt)))
				return rc;
			break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_orientations, _("unexpected argument \"%s\""), argv[optind]);
	if ((flt.since && !referral_date_ok(flt.since)) || (flt.until && !referral_date_ok(flt.until)))
		return cmd_usage_error(&cmd_orientations, _("--since and --until expect a date YYYY-MM-DD"));
	if ((rc = cmd_open_db(&cmd_orientations, ctx, DB_READ, &db)))
		return rc;
	if ((from && (rc = structure_opt(db, "--from", from, &flt.from))) ||
	    (to && (rc = structure_opt(db, "--to", to, &flt.to))))
		goto done;
	if (theme) {
		rc = themes_ids_json(db, theme, &themes);
		if (rc <= 0) {
			rc = rc < 0 ? cmd_fail(&cmd_orientations, QFQ_EXIT_FAIL)
				    : cmd_usage_error(&cmd_orientations, _("no theme \"%s\""), theme);
			goto done;
		}
		flt.theme_ids = themes.buf;
	}
	if (referral_list(db, &flt, &l)) {
		rc = cmd_fail(&cmd_orientations, QFQ_EXIT_FAIL);
		goto done;
	}
	if (fmt == OUT_JSON)
		write_json(ctx->out, &l);
	else if (l.n && write_table(ctx->out, fmt, &l))
		rc = cmd_fail(&cmd_orientations, QFQ_EXIT_FAIL);
	if (!rc)
		rc = l.n ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
done:
	referral_list_clear(&l);
	strbuf_release(&themes);
	db_close(db);
	return rc;
}

const struct cmd cmd_orientations = {
	.name = "orientations",
	.summary = N_("list the recorded referrals with their status"),
	.usage = N_("orientations [--from S] [--to S] [--theme T] [--status V] [--since D] [--until D] "
		    "[--format table|tsv|csv|json]"),
	.help = N_("The referrals, newest first: number, date, origin, destination, theme,\n"
		   "channel, status and its date, urgency, the referral it continues.\n\n"
		   "  --from S        made by structure S (number or name)\n"
		   "  --to S          made to structure S\n"
		   "  --theme T       for theme T or one of its sub-themes\n"
		   "  --status V      proposée, prise en charge, réalisée, sans solution, refusée\n"
		   "  --since D       made on or after D (YYYY-MM-DD)\n"
		   "  --until D       made on or before D (YYYY-MM-DD)\n"
		   "  --format FMT    table (default), tsv, csv or json\n\n"
		   "Exit status: 0 listed, 1 none, 2 bad usage."),
	.exec = orientations_exec,
};
