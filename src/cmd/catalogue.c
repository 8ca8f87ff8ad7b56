/*
 * catalogue: `qfq catalogue [--departement D | --epci E | --commune C
 * --radius KM] [--theme T] [--format txt|html|csv] [--map]`, who does what
 * on a territory, to hand to town halls and partners: grouped by theme
 * then commune (db/catalogue.h), each entry with its address, hours in
 * French, contact and the people to ask (core/card.h). The HTML is one
 * printable page with a table of contents, and with --map (and --theme)
 * the coverage map of qfq map.
 */
#include "cmd/cmd.h"
#include "core/card.h"
#include "core/communes.h"
#include "core/themes.h"
#include "db/catalogue.h"
#include "out/html.h"
#include "out/map_svg.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum cat_format { CAT_TXT, CAT_HTML, CAT_CSV };

/* The cards of the entries, loaded once per structure. */
struct cards {
	sqlite3_int64 *ids;
	struct card *v;
	size_t n;
};

static const struct card *card_of(sqlite3 *db, struct cards *c, sqlite3_int64 id, const struct tm *now)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		if (c->ids[i] == id)
			return &c->v[i];
	c->ids = xrealloc(c->ids, (c->n + 1) * sizeof(*c->ids));
	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	memset(&c->v[c->n], 0, sizeof(c->v[c->n]));
	c->ids[c->n] = id;
	if (card_load(db, id, now, &c->v[c->n]) != 1)
		return NULL;
	return &c->v[c->n++];
}

static void cards_clear(struct cards *c)
{
	size_t i;
	for (i = 0; i < c->n; i++)
		card_clear(&c->v[i]);
	free(c->v);
	free(c->ids);
}

/* The fields of one entry, as text (one value each; hours on one line). */
struct fields {
	struct strbuf adresse, horaires, contact, personnes;
};

static void fields_fill(struct fields *f, const struct card *c)
{
	size_t i, j;
	const char *p;
	strbuf_reset(&f->adresse);
	strbuf_reset(&f->horaires);
	strbuf_reset(&f->contact);
	strbuf_reset(&f->personnes);
	if (c->adresse)
		strbuf_addstr(&f->adresse, c->adresse);
	if (c->commune)
		strbuf_addf(&f->adresse, "%s%s%s%s", f->adresse.len ? ", " : "", c->code_postal ? c->code_postal : "",
			    c->code_postal ? " " : "", c->commune);
	for (p = c->horaires_fr; p && *p;) { /* the week's lines, joined */
		size_t len = strcspn(p, "\n");
		if (len)
			strbuf_addf(&f->horaires, "%s%.*s", f->horaires.len ? " ; " : "", (int)len, p);
		p += len + (p[len] == '\n');
	}
	if (!c->horaires_fr && c->horaires)
		strbuf_addstr(&f->horaires, c->horaires);
	if (c->sans_rdv == 1)
		strbuf_addf(&f->horaires, "%s%s", f->horaires.len ? " ; " : "", _("sans rendez-vous"));
	if (c->telephone)
		strbuf_addstr(&f->contact, c->telephone);
	for (i = 0; i < c->courriels.n; i++)
		strbuf_addf(&f->contact, "%s%s", f->contact.len ? " · " : "", c->courriels.v[i]);
	if (c->site_web)
		strbuf_addf(&f->contact, "%s%s", f->contact.len ? " · " : "", c->site_web);
	for (i = 0; i < c->n_members; i++) {
		const struct card_member *m = &c->members[i];
		if (m->fin)
			continue; /* left the structure */
		strbuf_addf(&f->personnes, "%s%s", f->personnes.len ? " ; " : "", m->display ? m->display : m->nom);
		if (m->role || m->telephones.n || m->courriels.n) {
			strbuf_addstr(&f->personnes, " (");
			j = f->personnes.len;
			if (m->role)
				strbuf_addstr(&f->personnes, m->role);
			if (m->telephones.n)
				strbuf_addf(&f->personnes, "%s%s", f->personnes.len > j ? ", " : "", m->telephones.v[0]);
			if (m->courriels.n)
				strbuf_addf(&f->personnes, "%s%s", f->personnes.len > j ? ", " : "", m->courriels.v[0]);
			strbuf_addch(&f->personnes, ')');
		}
	}
}

static void fields_release(struct fields *f)
{
	strbuf_release(&f->adresse);
	strbuf_release(&f->horaires);
	strbuf_release(&f->contact);
	strbuf_release(&f->personnes);
}

static void txt_line(struct strbuf *sb, const char *label, const struct strbuf *v)
{
	if (v->len)
		strbuf_addf(sb, "  %s : %s\n", label, v->buf);
}

static void write_txt(struct strbuf *sb, sqlite3 *db, const struct catalogue *cat, const char *title,
		      struct cards *cards, const struct tm *now)
{
	struct fields f = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	size_t i;
	strbuf_addf(sb, "%s\n", title);
	for (i = 0; i < cat->n; i++) {
		const struct catalogue_entry *e = &cat->v[i];
		const struct card *c = card_of(db, cards, e->structure_id, now);
		if (!i || e->theme_id != cat->v[i - 1].theme_id)
			strbuf_addf(sb, "\n== %s ==\n", e->theme ? e->theme : "?");
		if (!i || e->theme_id != cat->v[i - 1].theme_id ||
		    strcmp(e->commune ? e->commune : "", cat->v[i - 1].commune ? cat->v[i - 1].commune : ""))
			strbuf_addf(sb, "\n-- %s --\n", e->commune ? e->commune : _("commune inconnue"));
		strbuf_addf(sb, "%s\n", e->nom);
		if (!c)
			continue;
		fields_fill(&f, c);
		txt_line(sb, _("Adresse"), &f.adresse);
		txt_line(sb, _("Horaires"), &f.horaires);
		txt_line(sb, _("Contact"), &f.contact);
		txt_line(sb, _("Personnes à contacter"), &f.personnes);
	}
	fields_release(&f);
}

static const char catalogue_css[] =
	"@page { size: A4; margin: 15mm; }\n"
	"body { font-family: sans-serif; font-size: 11pt; line-height: 1.3; max-width: 190mm; margin: 1em auto; }\n"
	"h1 { font-size: 18pt; } h2 { font-size: 14pt; border-bottom: 1px solid #000; margin-top: 1.5em; }\n"
	"h3 { font-size: 12pt; margin: 0.8em 0 0.3em; }\n"
	".lieu { margin: 0 0 0.6em 0.5em; break-inside: avoid; } .lieu b { display: block; }\n"
	".lieu span { display: block; margin-left: 1em; }\n"
	"nav ol { columns: 2; } svg { max-width: 100%; height: auto; }\n"
	"@media print { h2 { break-before: page; } nav { break-after: page; } body { margin: 0; max-width: none; } }\n";

static void html_field(struct strbuf *sb, const char *label, const struct strbuf *v)
{
	if (!v->len)
		return;
	strbuf_addstr(sb, "<span>");
	html_escape(sb, label);
	strbuf_addstr(sb, " : ");
	html_escape(sb, v->buf);
	strbuf_addstr(sb, "</span>\n");
}

static void write_html(struct strbuf *sb, sqlite3 *db, const struct catalogue *cat, const char *title,
		       const char *map, struct cards *cards, const struct tm *now)
{
	struct fields f = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	size_t i, j, count;
	strbuf_addstr(sb, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
	html_escape(sb, title);
	strbuf_addf(sb, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", catalogue_css);
	html_escape(sb, title);
	strbuf_addstr(sb, "</h1>\n<nav><h2 style=\"break-before: auto\">");
	html_escape(sb, _("Sommaire"));
	strbuf_addstr(sb, "</h2>\n<ol>\n");
	for (i = 0; i < cat->n; i = j) {
		for (j = i, count = 0; j < cat->n && cat->v[j].theme_id == cat->v[i].theme_id; j++)
			count++;
		strbuf_addf(sb, "<li><a href=\"#theme-%lld\">", cat->v[i].theme_id);
		html_escape(sb, cat->v[i].theme ? cat->v[i].theme : "?");
		strbuf_addf(sb, "</a> (%zu)</li>\n", count);
	}
	strbuf_addstr(sb, "</ol>\n</nav>\n");
	if (map)
		strbuf_addf(sb, "<figure class=\"carte\">\n%s</figure>\n",
			    strstr(map, "<svg") ? strstr(map, "<svg") : map); /* without the XML declaration */
	for (i = 0; i < cat->n; i++) {
		const struct catalogue_entry *e = &cat->v[i];
		const struct card *c = card_of(db, cards, e->structure_id, now);
		if (!i || e->theme_id != cat->v[i - 1].theme_id) {
			strbuf_addf(sb, "<h2 id=\"theme-%lld\">", e->theme_id);
			html_escape(sb, e->theme ? e->theme : "?");
			strbuf_addstr(sb, "</h2>\n");
		}
		if (!i || e->theme_id != cat->v[i - 1].theme_id ||
		    strcmp(e->commune ? e->commune : "", cat->v[i - 1].commune ? cat->v[i - 1].commune : "")) {
			strbuf_addstr(sb, "<h3>");
			html_escape(sb, e->commune ? e->commune : _("commune inconnue"));
			strbuf_addstr(sb, "</h3>\n");
		}
		strbuf_addstr(sb, "<div class=\"lieu\"><b>");
		html_escape(sb, e->nom);
		strbuf_addstr(sb, "</b>\n");
		if (c) {
			fields_fill(&f, c);
			html_field(sb, _("Adresse"), &f.adresse);
			html_field(sb, _("Horaires"), &f.horaires);
			html_field(sb, _("Contact"), &f.contact);
			html_field(sb, _("Personnes à contacter"), &f.personnes);
		}
		strbuf_addstr(sb, "</div>\n");
	}
	strbuf_addstr(sb, "</body>\n</html>\n");
	fields_release(&f);
}

static int write_csv(FILE *fp, sqlite3 *db, const struct catalogue *cat, struct cards *cards, const struct tm *now)
{
	static const char *const headers[] = { "theme", "commune", "id", "nom", "adresse", "horaires", "contact",
					       "personnes" };
	struct fields f = { STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT };
	struct out_table *t = out_table_new(8, headers);
	size_t i;
	int rc;
	for (i = 0; i < cat->n; i++) {
		const struct catalogue_entry *e = &cat->v[i];
		const struct card *c = card_of(db, cards, e->structure_id, now);
		char id[24];
		const char *cells[8];
		snprintf(id, sizeof(id), "%lld", (long long)e->structure_id);
		if (c)
			fields_fill(&f, c);
		cells[0] = e->theme;
		cells[1] = e->commune;
		cells[2] = id;
		cells[3] = e->nom;
		cells[4] = c ? f.adresse.buf : "";
		cells[5] = c ? f.horaires.buf : "";
		cells[6] = c ? f.contact.buf : "";
		cells[7] = c ? f.personnes.buf : "";
		out_table_add(t, cells);
	}
	rc = out_table_write(t, OUT_CSV, fp, 0, 0);
	out_table_free(t);
	fields_release(&f);
	return rc;
}

struct cat_opts {
	const char *departement, *epci, *commune, *theme;
	double radius;
	enum cat_format format;
	bool map;
};

static int parse(int argc, char **argv, struct cat_opts *o)
{
	static const struct option opts[] = {
		{ "departement", required_argument, NULL, 'd' },
		{ "epci", required_argument, NULL, 'e' },
		{ "commune", required_argument, NULL, 'c' },
		{ "radius", required_argument, NULL, 'r' },
		{ "theme", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'f' },
		{ "map", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int opt;
	memset(o, 0, sizeof(*o));
	o->radius = 15;
	while ((opt = cmd_getopt(&cmd_catalogue, argc, argv, "d:e:c:r:t:f:", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': o->departement = optarg; break;
		case 'e': o->epci = optarg; break;
		case 'c': o->commune = optarg; break;
		case 't': o->theme = optarg; break;
		case 'm': o->map = true; break;
		case 'r':
			o->radius = strtod(optarg, &end);
			if (*end || end == optarg || !(o->radius > 0 && o->radius <= 500))
				return cmd_usage_error(&cmd_catalogue, _("--radius expects kilometres from 1 to 500, not \"%s\""),
						       optarg);
			break;
		case 'f':
			if (!strcmp(optarg, "html"))
				o->format = CAT_HTML;
			else if (!strcmp(optarg, "csv"))
				o->format = CAT_CSV;
			else if (strcmp(optarg, "txt") && strcmp(optarg, "text"))
				return cmd_usage_error(&cmd_catalogue, _("--format: \"%s\"? expected txt, html or csv"), optarg);
			break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_catalogue, _("unexpected argument \"%s\""), argv[optind]);
	if (!!o->departement + !!o->epci + !!o->commune != 1)
		return cmd_usage_error(&cmd_catalogue, _("give one territory: --departement D, --epci E or --commune C"));
	if (o->map && (!o->theme || o->commune || o->format != CAT_HTML))
		return cmd_usage_error(&cmd_catalogue, _("--map needs --theme, --departement or --epci, and --format html"));
	return 0;
}

/* The coverage map of the territory for the theme (qfq map), as SVG text. */
static int map_text(sqlite3 *db, const struct cat_opts *o, struct strbuf *svg)
{
	char radius[32];
	char *argv[] = { "catalogue", "--theme", (char *)o->theme, o->departement ? "--departement" : "--epci",
			 (char *)(o->departement ? o->departement : o->epci), "--radius", radius, NULL };
	struct cmd_coverage c;
	int rc, saved = optind;
	snprintf(radius, sizeof(radius), "%g", o->radius);
	optind = 1;
	rc = cmd_coverage_run(&cmd_catalogue, db, 7, argv, &c);
	optind = saved;
	if (!rc)
		map_svg(svg, &c.cov, c.area.nom ? c.area.nom : "", o->radius);
	cmd_coverage_clear(&c);
	return rc;
}

static int catalogue_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cat_opts o;
	struct catalogue_query q = { 0 };
	struct catalogue cat = { 0 };
	struct cmd_area area = { 0 };
	struct commune_list cl = { 0 };
	struct theme_list tl = { 0 };
	struct cards cards = { 0 };
	struct strbuf themes = STRBUF_INIT, title = STRBUF_INIT, doc = STRBUF_INIT, safe = STRBUF_INIT, svg = STRBUF_INIT;
	enum commune_match how;
	struct tm now;
	sqlite3 *db;
	int rc;

	if ((rc = parse(argc, argv, &o)))
		return rc;
	if ((rc = cmd_open_db(&cmd_catalogue, ctx, DB_READ, &db)))
		return rc;
	cmd_now(&now);
	if ((rc = cmd_resolve_area(&cmd_catalogue, db, o.departement, o.epci, &area)))
		goto done;
	if (o.commune) {
		if (communes_find(db, o.commune, &cl, &how)) {
			rc = cmd_fail(&cmd_catalogue, QFQ_EXIT_FAIL);
			goto done;
		}
		if (cl.n != 1 || !cl.v[0].has_coords) {
			rc = cmd_usage_error(&cmd_catalogue, _("--commune: \"%s\" names %zu communes; give one (an INSEE code)"),
					     o.commune, cl.n);
			goto done;
		}
		q.around = true;
		q.lat = cl.v[0].latitude;
		q.lon = cl.v[0].longitude;
		q.radius_km = o.radius;
		strbuf_addf(&title, _("Qui fait quoi à %g km de %s"), o.radius, cl.v[0].nom);
	} else {
		strbuf_addf(&title, _("Qui fait quoi : %s"), area.nom ? area.nom : o.departement ? o.departement : o.epci);
	}
	if (o.theme) {
		if ((rc = themes_ids_json(db, o.theme, &themes)) <= 0 || themes_resolve(db, o.theme, &tl) || !tl.n) {
			rc = rc < 0 ? cmd_fail(&cmd_catalogue, QFQ_EXIT_FAIL)
				    : cmd_usage_error(&cmd_catalogue, _("no theme \"%s\""), o.theme);
			goto done;
		}
		rc = 0;
		q.theme_ids = themes.buf;
		q.theme_id = tl.v[0].id;
		strbuf_addf(&title, " · %s", tl.v[0].label);
	}
	q.departement = area.departement;
	q.epci = area.epci;
	if (catalogue_list(db, &q, &cat) || (o.map && (rc = map_text(db, &o, &svg)))) {
		rc = rc ? rc : cmd_fail(&cmd_catalogue, QFQ_EXIT_FAIL);
		goto done;
	}
	if (o.format == CAT_CSV) {
		rc = write_csv(ctx->out, db, &cat, &cards, &now) ? cmd_fail(&cmd_catalogue, QFQ_EXIT_FAIL) : 0;
	} else if (o.format == CAT_HTML) {
		write_html(&doc, db, &cat, title.buf, o.map ? svg.buf : NULL, &cards, &now);
		fputs(doc.buf, ctx->out);
	} else {
		write_txt(&doc, db, &cat, title.buf, &cards, &now);
		out_sanitize(&safe, doc.buf, doc.len, 1);
		fputs(safe.buf, ctx->out);
	}
	if (!rc)
		rc = cat.n ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
done:
	cards_clear(&cards);
	catalogue_clear(&cat);
	cmd_area_clear(&area);
	commune_list_clear(&cl);
	theme_list_clear(&tl);
	strbuf_release(&themes);
	strbuf_release(&title);
	strbuf_release(&doc);
	strbuf_release(&safe);
	strbuf_release(&svg);
	db_close(db);
	return rc;
}

const struct cmd cmd_catalogue = {
	.name = "catalogue",
	.summary = N_("who does what on a territory, by theme and commune, to print"),
	.usage = N_("catalogue --departement D | --epci E | --commune C [--radius KM] [--theme T] "
		    "[--format txt|html|csv] [--map]"),
	.help = N_("The structures of the territory grouped by theme (the top-level themes of what\n"
		   "they offer, or the one --theme asks for) then by commune, each with its\n"
		   "address, hours in French, contact and the people to ask.\n\n"
		   "  --departement D  a département\n"
		   "  --epci E         an EPCI (name or SIREN)\n"
		   "  --commune C      around a commune, within --radius KM (default 15)\n"
		   "  --theme T        only this theme (and its sub-themes)\n"
		   "  --format FMT     txt (default), html (one printable page with a table of\n"
		   "                   contents, a theme per printed page) or csv\n"
		   "  --map            in the HTML, the coverage map of --theme (as qfq map)\n\n"
		   "Exit status: 0 written, 1 nobody on the territory, 2 bad usage."),
	.exec = catalogue_exec,
};
