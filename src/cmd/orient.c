/*
 * orient: `qfq orient --to STRUCTURE --theme T [--from STRUCTURE] [--by
 * PERSON] [--channel C] [--urgent] [--note TEXT] [--date YYYY-MM-DD]
 * [--suite ID]` records a referral (an orientation) and prints its number.
 * --from defaults to the user's own structure (`qfq config set structure`);
 * --suite continues referral ID (A -> B, then B -> C): --from and --theme
 * then default to ID's destination and theme. Nothing that identifies the
 * person referred is stored: a note that looks like personal data is
 * refused (exit 3) and nothing is written.
 */
#include "cmd/cmd.h"
#include "core/config.h"
#include "db/referrals.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

struct orient_opts {
	const char *to, *theme, *from, *by, *note, *date, *suite;
	int channel;
	bool urgent;
};

static int parse_opts(int argc, char **argv, struct orient_opts *o)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "theme", required_argument, NULL, 'T' },
		{ "from", required_argument, NULL, 'f' },
		{ "by", required_argument, NULL, 'b' },
		{ "channel", required_argument, NULL, 'c' },
		{ "urgent", no_argument, NULL, 'u' },
		{ "note", required_argument, NULL, 'n' },
		{ "date", required_argument, NULL, 'd' },
		{ "suite", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	memset(o, 0, sizeof(*o));
	o->channel = REFERRAL_PHYSIQUE;
	while ((opt = cmd_getopt(&cmd_orient, argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 't': o->to = optarg; break;
		case 'T': o->theme = optarg; break;
		case 'f': o->from = optarg; break;
		case 'b': o->by = optarg; break;
		case 'u': o->urgent = true; break;
		case 'n': o->note = *optarg ? optarg : NULL; break;
		case 'd': o->date = optarg; break;
		case 's': o->suite = optarg; break;
		case 'c':
			o->channel = referral_channel_parse(optarg);
			if (o->channel < 0)
				return cmd_usage_error(&cmd_orient, _("--channel: \"%s\"? expected physique, "
								      "téléphone, courriel or visio"), optarg);
			break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_orient, _("unexpected argument \"%s\""), argv[optind]);
	if (!o->to)
		return cmd_usage_error(&cmd_orient, _("to whom? give --to STRUCTURE"));
	if (!o->theme && !o->suite)
		return cmd_usage_error(&cmd_orient, _("for what? give --theme T"));
	if (o->date && !referral_date_ok(o->date))
		return cmd_usage_error(&cmd_orient, _("--date expects a date YYYY-MM-DD, not \"%s\""), o->date);
	return 0;
}

/* A structure option into *id: 0 or an exit status (printed). */
static int structure_arg(sqlite3 *db, const char *opt, const char *arg, sqlite3_int64 *id)
{
	struct strbuf safe = STRBUF_INIT;
	int rc = cmd_find_structure(&cmd_orient, db, arg, id);
	if (rc == 1)
		return 0;
	if (rc < 0)
		return cmd_fail(&cmd_orient, QFQ_EXIT_FAIL);
	if (rc == 2)
		return QFQ_EXIT_USAGE;
	out_sanitize(&safe, arg, strlen(arg), 0);
	rc = cmd_usage_error(&cmd_orient, _("%s: no structure \"%s\""), opt, safe.buf);
	strbuf_release(&safe);
	return rc;
}

/* Fills r from the options; 0 or an exit status (printed). */
static int build(sqlite3 *db, const struct orient_opts *o, struct referral_new *r)
{
	struct referral parent = { 0 };
	struct strbuf safe = STRBUF_INIT;
	int rc;

	if (o->suite) {
		sqlite3_int64 id;
		if (cmd_id_read(o->suite, &id)) /* digits only, no overflow */
			return cmd_usage_error(&cmd_orient, _("--suite expects a referral number, not \"%s\""), o->suite);
		rc = referral_get(db, id, &parent);
		if (rc < 0)
			return cmd_fail(&cmd_orient, QFQ_EXIT_FAIL);
		if (!rc)
			return cmd_usage_error(&cmd_orient, _("--suite: no referral %lld"), id);
		r->parent_id = id;
		r->from_structure = parent.to_id;
		r->theme_id = parent.theme_id;
		referral_clear(&parent);
	}
	if ((rc = structure_arg(db, "--to", o->to, &r->to_structure)))
		return rc;
	if (o->from && (rc = structure_arg(db, "--from", o->from, &r->from_structure)))
		return rc;
	if (!r->from_structure && (r->from_structure = config_own_structure())) {
		char num[32];
		sqlite3_int64 found = 0;
		snprintf(num, sizeof(num), "%lld", (long long)r->from_structure);
		if ((rc = cmd_find_structure(&cmd_orient, db, num, &found)) < 0)
			return cmd_fail(&cmd_orient, QFQ_EXIT_FAIL);
		if (rc == 0)
			return cmd_usage_error(&cmd_orient, _("your structure (%s, qfq config get structure) no longer "
							      "exists: give --from or set it again"), num);
	}
	if (o->theme && (rc = cmd_find_theme(&cmd_orient, db, o->theme, &r->theme_id)))
		return rc;
	if (o->by) {
		rc = cmd_find_person(&cmd_orient, db, o->by, &r->from_person);
		if (rc < 0)
			return cmd_fail(&cmd_orient, QFQ_EXIT_FAIL);
		if (rc == 2)
			return QFQ_EXIT_USAGE;
		if (rc == 0) {
			out_sanitize(&safe, o->by, strlen(o->by), 0);
			rc = cmd_usage_error(&cmd_orient, _("--by: no person \"%s\""), safe.buf);
			strbuf_release(&safe);
			return rc;
		}
	}
	if (r->from_structure && r->from_structure == r->to_structure)
		return cmd_usage_error(&cmd_orient, _("a referral goes to another structure than its origin"));
	r->channel = o->channel;
	r->urgent = o->urgent;
	r->note = o->note;
	return 0;
}

static int orient_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct orient_opts o;
	struct referral_new r = { 0 };
	char today[11];
	sqlite3_int64 id = 0;
	sqlite3 *db;
	int rc;

	if ((rc = parse_opts(argc, argv, &o)))
		return rc;
	cmd_today(today);
	if ((rc = cmd_open_db(&cmd_orient, ctx, DB_WRITE, &db)))
		return rc;
	cmd_record_command(argc, argv);
	if (!(rc = build(db, &o, &r))) {
		r.date = o.date ? o.date : today;
		rc = referral_add(db, &r, &id);
		if (rc < 0)
			rc = cmd_fail(&cmd_orient, QFQ_EXIT_FAIL);
		else if (rc > 0)
			rc = cmd_fail_sanitized(&cmd_orient, QFQ_EXIT_DATA);
		else
			fprintf(ctx->out, "%lld\n", (long long)id);
	}
	db_close(db);
	return rc;
}

const struct cmd cmd_orient = {
	.name = "orient",
	.summary = N_("record a referral (orientation) to a structure"),
	.usage = N_("orient --to STRUCTURE --theme T [--from STRUCTURE] [--by PERSON] [--channel C] "
		    "[--urgent] [--note TEXT] [--date YYYY-MM-DD]\n"
		    "orient --suite ID --to STRUCTURE [--theme T] [...]"),
	.help = N_("Records that the public was referred to STRUCTURE for theme T and prints the\n"
		   "referral's number (see qfq orientation, qfq orientations, qfq slip).\n"
		   "Nothing that identifies the person referred is ever stored.\n\n"
		   "  --to S          the structure referred to (number or name)\n"
		   "  --theme T       what for (a theme, as in qfq search)\n"
		   "  --from S        the referring structure; default: your own\n"
		   "                  (qfq config set structure S)\n"
		   "  --by PERSON     who referred (number or name of a person of the directory)\n"
		   "  --channel C     physique (default), téléphone, courriel or visio\n"
		   "  --urgent        mark it urgent\n"
		   "  --note TEXT     a short note; refused when it looks like personal data\n"
		   "                  (e-mail, phone number, date of birth, social-security or tax\n"
		   "                  number, postal address, a civility and a name)\n"
		   "  --date D        the day it was made, YYYY-MM-DD (default: today)\n"
		   "  --suite ID      continues referral ID (A -> B, then B -> C): the origin and\n"
		   "                  theme default to ID's destination and theme\n\n"
		   "Exit status: 0 recorded, 2 bad usage or unknown structure, theme or person,\n"
		   "3 note refused (nothing recorded)."),
	.exec = orient_exec,
};
