/*
 * orientation: `qfq orientation ID` shows one referral, its history and
 * the chain it belongs to (A -> B -> C); `qfq orientation ID statut VALUE
 * [--note TEXT] [--by PERSON] [--date YYYY-MM-DD]` records a status change
 * (proposée -> prise en charge -> réalisée | sans solution | refusée),
 * dated, with who made it (--by, and the user's own structure).
 */
#include "cmd/cmd.h"
#include "core/config.h"
#include "db/referrals.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void line(struct strbuf *sb, const char *label, const char *value)
{
	if (value && *value)
		strbuf_addf(sb, "%s : %s\n", label, value);
}

static void place(struct strbuf *sb, const char *nom, const char *commune)
{
	strbuf_addstr(sb, nom ? nom : "?");
	if (commune)
		strbuf_addf(sb, " (%s)", commune);
}

/* The referral as text lines (raw: the caller sanitizes). */
static void format_referral(struct strbuf *sb, const struct referral *r, const struct referral_events *ev,
			    const struct referral_list *chain)
{
	struct strbuf tmp = STRBUF_INIT;
	size_t i;

	strbuf_addf(sb, _("Orientation %lld, %s le %s\n"), (long long)r->id, referral_status_word(REFERRAL_PROPOSEE),
		    r->date);
	place(&tmp, r->from_nom, r->from_commune);
	if (r->by_nom)
		strbuf_addf(&tmp, _(", par %s"), r->by_nom);
	line(sb, _("De"), r->from_id ? tmp.buf : NULL);
	strbuf_reset(&tmp);
	place(&tmp, r->to_nom, r->to_commune);
	line(sb, _("Vers"), tmp.buf);
	line(sb, _("Thème"), r->theme);
	line(sb, _("Canal"), referral_channel_word(r->channel));
	if (r->urgent)
		line(sb, _("Urgence"), _("urgent"));
	strbuf_reset(&tmp);
	strbuf_addf(&tmp, "%s (%s)", referral_status_word(r->status), r->status_date);
	line(sb, _("Statut"), tmp.buf);
	line(sb, _("Note"), r->note);
	if (ev->n) {
		strbuf_addf(sb, "%s :\n", _("Historique"));
		for (i = 0; i < ev->n; i++) {
			strbuf_addf(sb, "  %s  %s", ev->v[i].at, referral_status_word(ev->v[i].status));
			if (ev->v[i].by)
				strbuf_addf(sb, " — %s", ev->v[i].by);
			if (ev->v[i].note)
				strbuf_addf(sb, " — %s", ev->v[i].note);
			strbuf_addch(sb, '\n');
		}
	}
	if (chain->n > 1) {
		strbuf_addf(sb, "%s :\n", _("Parcours"));
		for (i = 0; i < chain->n; i++) {
			const struct referral *c = &chain->v[i];
			strbuf_addf(sb, "  %s%lld  %s  ", c->id == r->id ? "*" : " ", (long long)c->id, c->date);
			place(sb, c->from_nom, NULL);
			strbuf_addstr(sb, " → ");
			place(sb, c->to_nom, NULL);
			strbuf_addf(sb, "  %s\n", referral_status_word(c->status));
		}
	}
	strbuf_release(&tmp);
}

static int show(struct cmd_ctx *ctx, sqlite3 *db, sqlite3_int64 id)
{
	struct referral r = { 0 };
	struct referral_events ev = { 0 };
	struct referral_list chain = { 0 };
	struct strbuf text = STRBUF_INIT, safe = STRBUF_INIT;
	int rc = referral_get(db, id, &r);

	if (rc == 0) {
		fprintf(stderr, _("qfq orientation: no referral %lld\n"), (long long)id);
		return QFQ_EXIT_NONE;
	}
	if (rc < 0 || referral_history(db, id, &ev) || referral_chain(db, id, &chain)) {
		rc = cmd_fail(&cmd_orientation, QFQ_EXIT_FAIL);
	} else {
		format_referral(&text, &r, &ev, &chain);
		out_sanitize(&safe, text.buf, text.len, 1);
		fputs(safe.buf, ctx->out);
		rc = QFQ_EXIT_OK;
	}
	referral_clear(&r);
	referral_events_clear(&ev);
	referral_list_clear(&chain);
	strbuf_release(&text);
	strbuf_release(&safe);
	return rc;
}

static int set_status(struct cmd_ctx *ctx, sqlite3 *db, sqlite3_int64 id, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "by", required_argument, NULL, 'b' },
		{ "date", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *note = NULL, *by = NULL, *date = NULL;
	sqlite3_int64 person = 0;
	char today[11];
	int opt, status, rc;

	while ((opt = cmd_getopt(&cmd_orientation, argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'n': note = *optarg ? optarg : NULL; break;
		case 'b': by = optarg; break;
		case 'd': date = optarg; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error(&cmd_orientation, _("statut expects one value: prise en charge, réalisée, "
							    "sans solution or refusée"));
	status = referral_status_parse(argv[optind]);
	if (status < 0)
		return cmd_usage_error(&cmd_orientation, _("statut: \"%s\"? expected prise en charge, réalisée, "
							    "sans solution or refusée"), argv[optind]);
	if (date && !referral_date_ok(date))
		return cmd_usage_error(&cmd_orientation, _("--date expects a date YYYY-MM-DD, not \"%s\""), date);
	cmd_today(today);
	if (by) {
		rc = cmd_find_person(&cmd_orientation, db, by, &person);
		if (rc < 0)
			return cmd_fail(&cmd_orientation, QFQ_EXIT_FAIL);
		if (rc != 1)
			return rc == 2 ? QFQ_EXIT_USAGE : cmd_usage_error(&cmd_orientation, _("--by: no such person"));
	}
	rc = referral_set_status(db, id, status, date ? date : today, person, config_own_structure(), note);
	if (rc < 0)
		return cmd_fail(&cmd_orientation, QFQ_EXIT_FAIL);
	if (rc > 0)
		return cmd_fail_sanitized(&cmd_orientation, QFQ_EXIT_DATA);
	(void)ctx;
	return QFQ_EXIT_OK;
}

static int orientation_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option none[] = {
		{ NULL, 0, NULL, 0 },
	};
	sqlite3 *db;
	long long id;
	int opt, rc;

	/* --help, -h and unknown options as every command; "+": stop at the id */
	if ((opt = cmd_getopt(&cmd_orientation, argc, argv, "+", none, NULL)) != -1)
		return cmd_opt_exit(opt);
	optind = 0; /* set_status() parses its own options afresh */
	if (argc < 2 || argv[1][0] == '-')
		return cmd_usage_error(&cmd_orientation, _("which referral? give its number (see qfq orientations)"));
	if (cmd_id_read(argv[1], &id)) /* digits only, no overflow */
		return cmd_usage_error(&cmd_orientation, _("\"%s\" is not a referral number"), argv[1]);
	if (argc > 2 && strcmp(argv[2], "statut") && strcmp(argv[2], "status"))
		return cmd_usage_error(&cmd_orientation, _("expected ID or ID statut VALUE"));
	if ((rc = cmd_open_db(&cmd_orientation, ctx, argc > 2 ? DB_WRITE : DB_READ, &db)))
		return rc;
	if (argc > 2) {
		cmd_record_command(argc, argv);
		rc = set_status(ctx, db, id, argc - 2, argv + 2);
	} else {
		rc = show(ctx, db, id);
	}
	db_close(db);
	return rc;
}

const struct cmd cmd_orientation = {
	.name = "orientation",
	.summary = N_("show a referral, or record a change of its status"),
	.usage = N_("orientation ID\n"
		    "orientation ID statut VALUE [--note TEXT] [--by PERSON] [--date YYYY-MM-DD]"),
	.help = N_("ID alone: the referral, its history (each status, dated, with who changed it)\n"
		   "and the chain it belongs to (A -> B -> C, see qfq orient --suite).\n\n"
		   "statut VALUE records a change: proposée -> prise en charge -> réalisée,\n"
		   "sans solution or refusée (a proposed referral may also end directly; the last\n"
		   "three are final). It is dated today, or --date, and made by your own structure\n"
		   "(qfq config set structure) and --by PERSON when given.\n\n"
		   "  --note TEXT     a short note; refused when it looks like personal data\n"
		   "  --by PERSON     who changed it (number or name of a person)\n"
		   "  --date D        the day of the change, YYYY-MM-DD (default: today)\n\n"
		   "Exit status: 0 done, 1 no such referral, 2 bad usage, 3 refused (a change the\n"
		   "statuses do not allow, a date before the referral, a note with personal data)."),
	.exec = orientation_exec,
};
