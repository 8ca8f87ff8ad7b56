/*
 * check: `qfq check` — the integrity of the database file and a freshness
 * and data-quality report (db/quality.h) as a table or CSV; `--sheets DIR`
 * writes one verification sheet per structure (its card as the directory
 * holds it and what looks wrong) to send to the partner for correction.
 * It also empties a -wal that an erasure could not (see `qfq forget`).
 */
#include "cmd/cmd.h"
#include "core/card.h"
#include "core/text.h"
#include "db/quality.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The findings about structures, kept for the sheets. */
struct findings {
	struct out_table *t;
	sqlite3_int64 *ids;
	char **details;
	size_t n, alloc, alloc2;
	long counts[9];
	bool human;            /* a table for people: French words */
};

static const char *const kinds[] = { "stale", "hours", "contact", "themes", "members", "territory", "coords",
				     "person", "merge" };

static int add_finding(const struct quality_issue *q, void *arg)
{
	struct findings *f = arg;
	char id[24];
	const char *cells[6];
	size_t k;
	for (k = 0; k < sizeof(kinds) / sizeof(*kinds); k++)
		if (!strcmp(kinds[k], q->kind))
			f->counts[k]++;
	snprintf(id, sizeof(id), "%lld", (long long)q->id);
	cells[0] = q->kind;
	cells[1] = q->person ? (f->human ? _("personne") : "person") : "structure";
	cells[2] = id;
	cells[3] = q->nom;
	cells[4] = q->commune;
	cells[5] = q->detail;
	out_table_add(f->t, cells);
	if (!q->person && strcmp(q->kind, "merge")) {
		XGROW(f->ids, f->alloc, f->n + 1);
		XGROW(f->details, f->alloc2, f->n + 1);
		f->ids[f->n] = q->id;
		f->details[f->n++] = xstrdup(q->detail);
	}
	return 0;
}

/* "0012-caplab-privas.txt" */
static void sheet_name(struct strbuf *sb, sqlite3_int64 id, const char *nom)
{
	char *norm = text_norm_dup(nom ? nom : "");
	size_t i, start = sb->len;
	strbuf_addf(sb, "%04lld-", (long long)id);
	for (i = 0; norm[i] && sb->len - start < 60; i++)
		strbuf_addch(sb, norm[i] == ' ' ? '-' : norm[i]);
	strbuf_addstr(sb, ".txt");
	free(norm);
}

static int write_sheets(sqlite3 *db, const char *dir, const struct findings *f, long *written)
{
	sqlite3_stmt *st;
	struct strbuf path = STRBUF_INIT, text = STRBUF_INIT;
	size_t j = 0;
	int rc = 0;
	if (mkdir(dir, 0700) && errno != EEXIST)
		return qfq_error(_("cannot create folder \"%s\": %s"), dir, strerror(errno));
	if (db_prepare(db, "SELECT id, nom FROM structures ORDER BY id", &st))
		return -1;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		struct card card;
		int fd;
		memset(&card, 0, sizeof(card));
		strbuf_reset(&path);
		strbuf_reset(&text);
		strbuf_addf(&path, "%s/", dir);
		sheet_name(&path, id, (const char *)sqlite3_column_text(st, 1));
		if (card_load(db, id, NULL, &card) < 0) {
			rc = -1;
			break;
		}
		strbuf_addstr(&text, _("Fiche de vérification — merci de corriger ce qui est inexact ou manque,\n"
				       "et de la renvoyer à la coordination.\n\n"));
		card_format_text(&card, &text);
		card_clear(&card);
		while (j < f->n && f->ids[j] < id)
			j++;
		if (j < f->n && f->ids[j] == id) {
			strbuf_addstr(&text, _("\n\nÀ vérifier :\n"));
			for (; j < f->n && f->ids[j] == id; j++)
				strbuf_addf(&text, "  - %s\n", f->details[j]);
		}
		strbuf_addch(&text, '\n');
		fd = open(path.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0 || write(fd, text.buf, text.len) != (ssize_t)text.len)
			rc = qfq_error(_("cannot write \"%s\": %s"), path.buf, strerror(errno));
		if (fd >= 0 && close(fd) && !rc)
			rc = qfq_error(_("cannot write \"%s\": %s"), path.buf, strerror(errno));
		(*written)++;
	}
	sqlite3_finalize(st);
	strbuf_release(&path);
	strbuf_release(&text);
	return rc;
}

/* Sorts the findings by structure id (stable: a structure's findings keep their order). */
static void sort_findings(struct findings *f)
{
	size_t i, j;
	for (i = 1; i < f->n; i++) /* insertion sort: the checks are already in id order each */
		for (j = i; j > 0 && f->ids[j - 1] > f->ids[j]; j--) {
			sqlite3_int64 t = f->ids[j];
			char *d = f->details[j];
			f->ids[j] = f->ids[j - 1];
			f->details[j] = f->details[j - 1];
			f->ids[j - 1] = t;
			f->details[j - 1] = d;
		}
}

static int check_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "months", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ "sheets", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *human[] = { _("Problème"), _("Genre"), _("N°"), _("Nom"), _("Commune"), _("Détail") };
	static const char *const keys[] = { "kind", "entity", "id", "nom", "commune", "detail" };
	struct findings f;
	enum out_format fmt = OUT_TABLE;
	const char *sheets = NULL;
	char *damage = NULL;
	long months = 12, written = 0;
	size_t i;
	sqlite3 *db;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_check, argc, argv, "m:f:s:", opts, NULL)) != -1) {
		switch (opt) {
		case 'm': if ((rc = cmd_parse_count(&cmd_check, "--months", optarg, &months))) return rc; break;
		case 'f': if ((rc = cmd_parse_format(&cmd_check, optarg, &fmt))) return rc; break;
		case 's': sheets = optarg; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_check, _("unexpected argument \"%s\""), argv[optind]);
	if (fmt == OUT_JSON)
		return cmd_usage_error(&cmd_check, _("--format: table, tsv or csv"));
	if ((rc = cmd_open_db(&cmd_check, ctx, DB_WRITE, &db)))
		return rc;
	memset(&f, 0, sizeof(f));
	/* what an erasure may have left in the -wal goes now */
	sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	rc = quality_integrity(db, &damage);
	if (rc) {
		if (rc > 0)
			fprintf(stderr, _("qfq check: the database file is damaged: %s; restore a backup (`qfq restore`)\n"),
				damage);
		rc = rc > 0 ? QFQ_EXIT_FAIL : cmd_fail(&cmd_check, QFQ_EXIT_FAIL);
		goto done;
	}
	f.t = out_table_new(6, fmt == OUT_TABLE ? human : keys);
	f.human = fmt == OUT_TABLE;
	if (quality_scan(db, (int)months, 0, add_finding, &f)) {
		rc = cmd_fail(&cmd_check, QFQ_EXIT_FAIL);
		goto done;
	}
	if (sheets) {
		sort_findings(&f);
		if (write_sheets(db, sheets, &f, &written)) {
			rc = cmd_fail(&cmd_check, QFQ_EXIT_FAIL);
			goto done;
		}
		fprintf(ctx->out, _("%ld verification sheet(s) written in \"%s\"\n"), written, sheets);
	} else if (out_table_rows(f.t) && out_table_write(f.t, fmt, ctx->out, out_term_width(ctx->out), 0)) {
		rc = cmd_fail(&cmd_check, QFQ_EXIT_FAIL);
		goto done;
	}
	fprintf(stderr, _("integrity: ok; not updated for %ld months: %ld; hours: %ld; no contact: %ld; "
			  "no services: %ld; no members: %ld; no territory: %ld; far coordinates: %ld; "
			  "persons in no structure: %ld; open merge proposals: %ld\n"),
		months, f.counts[0], f.counts[1], f.counts[2], f.counts[3], f.counts[4], f.counts[5], f.counts[6],
		f.counts[7], f.counts[8]);
	rc = QFQ_EXIT_OK;
done:
	out_table_free(f.t);
	for (i = 0; i < f.n; i++)
		free(f.details[i]);
	free(f.details);
	free(f.ids);
	free(damage);
	db_close(db);
	return rc;
}

const struct cmd cmd_check = {
	.name = "check",
	.summary = N_("check the database and report stale or incomplete entries"),
	.usage = N_("check [--months N] [--format table|tsv|csv]\n"
		    "check --sheets DIR [--months N]"),
	.help = N_("Runs SQLite's integrity check, then lists what a coordinator should ask\n"
		   "partners to correct, one finding per line (kind, structure or person, id,\n"
		   "name, commune, detail):\n"
		   "  stale      not updated for N months (date_maj, else the last change)\n"
		   "  hours      no opening hours, or hours not understood\n"
		   "  contact    no phone, email or web site\n"
		   "  themes     no services\n"
		   "  members    no current member\n"
		   "  territory  no served territory\n"
		   "  coords     its own point far (over 25 km) from its commune's centre\n"
		   "  person     a person in no structure\n"
		   "  merge      an open merge proposal (`qfq merge --list`)\n"
		   "A count of each is printed on standard error.\n\n"
		   "  --months N      stale after N months (12)\n"
		   "  --format FMT    table, tsv or csv\n"
		   "  --sheets DIR    write one verification sheet per structure in DIR instead:\n"
		   "                  its card as the directory holds it and what to check\n\n"
		   "Exit status: 0 checked, 2 bad usage, 4 the database file is damaged."),
	.exec = check_exec,
};
