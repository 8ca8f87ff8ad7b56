/*
 * slip: `qfq slip ID | --to STRUCTURE --theme T [--format txt|html]
 * [--print]` writes the fiche d'orientation for a recorded referral, or for
 * a place and a theme without recording anything (out/slip.h): plain text
 * to read out or send (lines under 160 characters), or a self-contained
 * HTML page for one A4 sheet. --print hands it to `lp` (CUPS) instead.
 */
#include "cmd/cmd.h"
#include "core/config.h"
#include "core/themes.h"
#include "out/slip.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whether lp is an executable in $PATH. */
static bool have_lp(void)
{
	const char *path = getenv("PATH");
	struct strbuf f = STRBUF_INIT;
	bool found = false;
	while (path && *path && !found) {
		size_t n = strcspn(path, ":");
		strbuf_reset(&f);
		strbuf_add(&f, path, n);
		strbuf_addstr(&f, "/lp");
		found = n && access(f.buf, X_OK) == 0;
		path += n + (path[n] == ':');
	}
	strbuf_release(&f);
	return found;
}

static int print_lp(const struct strbuf *doc)
{
	FILE *p;
	if (!have_lp()) {
		fprintf(stderr, _("qfq slip: cannot print: lp (CUPS) is not installed; write the slip to a file "
				  "instead\n"));
		return QFQ_EXIT_FAIL;
	}
	fflush(stdout);
	p = popen("lp -s -t fiche-orientation", "w");
	if (!p) {
		fprintf(stderr, _("qfq slip: cannot run lp\n"));
		return QFQ_EXIT_FAIL;
	}
	fwrite(doc->buf, 1, doc->len, p);
	if (pclose(p) != 0) {
		fprintf(stderr, _("qfq slip: lp refused the job\n"));
		return QFQ_EXIT_FAIL;
	}
	return QFQ_EXIT_OK;
}

/* What the slip needs from the options: a referral, or a place and theme. */
struct slip_src {
	sqlite3_int64 place, referral;
	char *theme;
};

static int from_referral(const char *arg, struct slip_src *src)
{
	sqlite3_int64 id;
	if (cmd_id_read(arg, &id)) /* digits only, no overflow */
		return cmd_usage_error(&cmd_slip, _("\"%s\" is not a referral number"), arg);
	src->referral = id;
	return 0;
}

static int from_options(sqlite3 *db, const char *to, const char *theme, struct slip_src *src)
{
	struct theme t = { 0 };
	sqlite3_int64 tid = 0;
	int rc = cmd_find_structure(&cmd_slip, db, to, &src->place);
	if (rc < 0)
		return cmd_fail(&cmd_slip, QFQ_EXIT_FAIL);
	if (rc == 0)
		return cmd_usage_error(&cmd_slip, _("--to: no such structure"));
	if (rc == 2)
		return QFQ_EXIT_USAGE;
	if (theme) {
		if ((rc = cmd_find_theme(&cmd_slip, db, theme, &tid)))
			return rc;
		if (themes_get(db, tid, &t) == 1) {
			src->theme = t.label;
			t.label = NULL;
		}
		theme_clear(&t);
	}
	return 0;
}

static int write_slip(struct cmd_ctx *ctx, sqlite3 *db, const struct slip_src *src, bool html, bool print)
{
	struct slip slip;
	struct strbuf doc = STRBUF_INIT, safe = STRBUF_INIT;
	struct tm now;
	int rc;

	cmd_now(&now);
	rc = slip_load(db, src->referral, src->place, src->theme, config_own_structure(), &now, &slip);
	if (rc < 0)
		return cmd_fail(&cmd_slip, QFQ_EXIT_FAIL);
	if (rc == 0) {
		fprintf(stderr, _("qfq slip: no referral %lld (or its structure was deleted)\n"), (long long)src->referral);
		return QFQ_EXIT_NONE;
	}
	if (html)
		slip_html(&slip, &doc);
	else
		slip_text(&slip, &doc);
	if (print) {
		rc = print_lp(&doc);
	} else if (html) {
		fputs(doc.buf, ctx->out);
		rc = QFQ_EXIT_OK;
	} else {
		out_sanitize(&safe, doc.buf, doc.len, 1);
		fputs(safe.buf, ctx->out);
		rc = QFQ_EXIT_OK;
	}
	slip_clear(&slip);
	strbuf_release(&doc);
	strbuf_release(&safe);
	return rc;
}

static int slip_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "theme", required_argument, NULL, 'T' },
		{ "format", required_argument, NULL, 'f' },
		{ "print", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	struct slip_src src = { 0 };
	const char *to = NULL, *theme = NULL;
	bool html = false, print = false;
	sqlite3 *db;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_slip, argc, argv, "f:", opts, NULL)) != -1) {
		switch (opt) {
		case 't': to = optarg; break;
		case 'T': theme = optarg; break;
		case 'p': print = true; break;
		case 'f':
			if (!strcmp(optarg, "html"))
				html = true;
			else if (strcmp(optarg, "txt") && strcmp(optarg, "text"))
				return cmd_usage_error(&cmd_slip, _("--format: \"%s\"? expected txt or html"), optarg);
			break;
		default: return cmd_opt_exit(opt);
		}
	}
	if ((optind < argc) == (to != NULL))
		return cmd_usage_error(&cmd_slip, _("give a referral number or --to STRUCTURE, not both"));
	if (optind + 1 < argc)
		return cmd_usage_error(&cmd_slip, _("unexpected argument \"%s\""), argv[optind + 1]);
	if ((rc = cmd_open_db(&cmd_slip, ctx, DB_READ, &db)))
		return rc;
	rc = to ? from_options(db, to, theme, &src) : from_referral(argv[optind], &src);
	if (!rc)
		rc = write_slip(ctx, db, &src, html, print);
	free(src.theme);
	db_close(db);
	return rc;
}

const struct cmd cmd_slip = {
	.name = "slip",
	.summary = N_("the slip (fiche d'orientation) to hand to the person referred"),
	.usage = N_("slip ID [--format txt|html] [--print]\n"
		    "slip --to STRUCTURE [--theme T] [--format txt|html] [--print]"),
	.help = N_("The place's name and address, how to get in (walk in, phone, online booking),\n"
		   "its hours for the coming seven days in French with today's marked, phone,\n"
		   "e-mail, and who referred (name and contact). ID is a recorded referral (see\n"
		   "qfq orient); --to writes one for a place without recording anything, the\n"
		   "referrer being your own structure (qfq config set structure).\n\n"
		   "  --to S          the place (number or name)\n"
		   "  --theme T       what for\n"
		   "  --format FMT    txt (default: to read out or send by SMS or mail, every line\n"
		   "                  under 160 characters) or html (one self-contained page that\n"
		   "                  prints on one A4 sheet)\n"
		   "  --print         hand it to lp (CUPS) instead of writing it\n\n"
		   "Exit status: 0 written, 1 no such referral, 2 bad usage, 4 printing failed."),
	.exec = slip_exec,
};
