/*
 * themes: `qfq themes [TEXT] [--commune C --radius KM ...] [--format F]`,
 * the theme tree with, for each theme, how many places the same search
 * with that theme would return (core/search.h: search_theme_counts(), the
 * engine's own definition of a theme match; the TUI's Thèmes view shows
 * the same numbers). The criteria are those of `qfq search`.
 * Exit 0, or 2 on a usage error.
 */
#include "cmd/cmd.h"
#include "cmd/search_opts.h"
#include "core/search.h"
#include "db/browse.h"
#include "out/json.h"
#include "out/out.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The count of theme id among c[0..n) (0 when absent). */
static size_t count_of(const struct search_theme_count *c, size_t n, long long id)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (c[i].theme == id)
			return c[i].n;
	return 0;
}

static int write_json(FILE *fp, const struct browse_list *l, const struct search_theme_count *c, size_t n)
{
	struct json_writer jw;
	size_t i;
	json_init(&jw, fp, true);
	json_array_begin(&jw);
	for (i = 0; i < l->n; i++) {
		json_object_begin(&jw);
		json_kv_str(&jw, "slug", l->v[i].code);
		json_kv_str(&jw, "libelle", l->v[i].label);
		json_kv_str(&jw, "parent", l->v[i].detail);
		json_key(&jw, "nombre");
		json_int(&jw, (long long)count_of(c, n, l->v[i].id));
		json_object_end(&jw);
	}
	json_array_end(&jw);
	return json_finish(&jw);
}

static int write_flat(FILE *fp, enum out_format f, const struct browse_list *l,
		      const struct search_theme_count *c, size_t n)
{
	static const char *const keys[] = { "slug", "libelle", "parent", "nombre" };
	const char *human[] = { _("Thème"), _("Nombre") };
	struct out_table *t = out_table_new(f == OUT_TABLE ? 2 : 4, f == OUT_TABLE ? human : keys);
	struct strbuf label = STRBUF_INIT;
	char num[32];
	size_t i;
	int rc;
	for (i = 0; i < l->n; i++) {
		const struct browse_row *r = &l->v[i];
		snprintf(num, sizeof(num), "%zu", count_of(c, n, r->id));
		if (f == OUT_TABLE) {
			const char *cells[2] = { label.buf, num };
			/* the tree by indentation */
			strbuf_reset(&label);
			for (int d = 0; d < r->depth; d++)
				strbuf_addstr(&label, "  ");
			strbuf_addstr(&label, r->label);
			cells[0] = label.buf;
			out_table_add(t, cells);
		} else {
			const char *cells[4] = { r->code, r->label, r->detail, num };
			out_table_add(t, cells);
		}
	}
	rc = out_table_write(t, f, fp, f == OUT_TABLE ? out_term_width(fp) : 0, 0);
	out_table_free(t);
	strbuf_release(&label);
	return rc;
}

static int themes_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct search_opts o = { .cmd = &cmd_themes, .format = OUT_TABLE };
	struct browse_list l = BROWSE_LIST_INIT;
	struct search_theme_count *c = NULL;
	struct search_query q;
	size_t n = 0;
	sqlite3 *db = NULL;
	int rc;

	search_query_init(&q);
	if ((rc = search_opts_parse(argc, argv, &o)))
		goto done;
	if (o.persons || o.limit) {
		rc = cmd_usage_error(&cmd_themes, _("--persons and --limit are search options, not themes ones"));
		goto done;
	}
	if ((rc = cmd_open_db(&cmd_themes, ctx, DB_READ, &db)))
		goto done;
	db_exec(db, "BEGIN");
	if ((rc = search_opts_query(db, &o, argc, argv, &q)))
		goto done;
	if (browse_themes(db, &l) || search_theme_counts(db, &q, &c, &n)) {
		rc = cmd_fail(&cmd_themes, QFQ_EXIT_FAIL);
		goto done;
	}
	rc = o.format == OUT_JSON ? write_json(ctx->out, &l, c, n) : write_flat(ctx->out, o.format, &l, c, n);
	rc = rc ? cmd_fail(&cmd_themes, QFQ_EXIT_FAIL) : QFQ_EXIT_OK;
done:
	free(c);
	browse_list_clear(&l);
	search_query_clear(&q);
	free(o.themes);
	if (db)
		db_close(db);
	return rc;
}

const struct cmd cmd_themes = {
	.name = "themes",
	.summary = N_("the theme tree, with how many places a search with each theme returns"),
	.usage = N_("themes [TEXT] [--theme T]... [--commune C] [--radius KM] [--no-commune] [--epci E] "
		    "[--departement D] [--open-now | --open-at WHEN [--unknown-hours]] [--sans-rdv] "
		    "[--public P] [--type TYPO] [--gratuit] [--prise-en-charge P] [--acces M] [--rdv-en-ligne] "
		    "[--format table|tsv|csv|json]"),
	.help = N_("Every theme in tree order with the number of places `qfq search` would return\n"
		   "with the same criteria and that theme (a theme matches the places that offer\n"
		   "it, one of its sub-themes, or only its parent service). The criteria are those\n"
		   "of `qfq search` (the configured commune is the default centre: --no-commune\n"
		   "counts the whole directory). tsv, csv and json give slug, libelle, parent\n"
		   "(the parent's slug) and nombre. --persons and --limit are search options,\n"
		   "refused here.\n\n"
		   "Exit status: 0, or 2 on a usage error (unknown commune, theme, bad time)."),
	.exec = themes_exec,
};
