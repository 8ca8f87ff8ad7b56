/*
 * gaps: `qfq gaps --theme T [--radius KM] [--departement D | --epci E]
 * [--sans-rdv] [--format table|tsv|csv|json]`, the communes of a territory
 * without an offer within reach (db/coverage.h): no structure offering the
 * theme within the radius of the commune's centre, none declaring to serve
 * it. Listed by population, largest first, with the distance to the nearest
 * offer, and a summary: the share of the population covered.
 * Exit 0 gaps listed, 1 none (all covered), 2 bad usage.
 */
#include "cmd/cmd.h"
#include "core/communes.h"
#include "core/config.h"
#include "core/paths.h"
#include "core/search.h"
#include "core/themes.h"
#include "out/json.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_gap(const void *a, const void *b)
{
	const struct coverage_commune *x = *(const struct coverage_commune *const *)a;
	const struct coverage_commune *y = *(const struct coverage_commune *const *)b;
	if (x->population != y->population)
		return x->population < y->population ? 1 : -1;
	return strcmp(x->code_insee, y->code_insee);
}

/* "12.3", or "" when there is no offer at all (as qfq search writes distances). */
static void km_text(char *buf, size_t size, double km)
{
	if (km < 0)
		buf[0] = '\0';
	else
		snprintf(buf, size, "%.1f", km);
}

static int write_rows(FILE *fp, enum out_format f, struct coverage_commune **g, size_t n)
{
	static const char *const headers[] = { "code_insee", "nom", "population", "distance_km" };
	struct out_table *t;
	size_t i;
	int rc;
	if (f == OUT_JSON) {
		struct json_writer jw;
		json_init(&jw, fp, true);
		json_array_begin(&jw);
		for (i = 0; i < n; i++) {
			json_object_begin(&jw);
			json_kv_str(&jw, "code_insee", g[i]->code_insee);
			json_kv_str(&jw, "nom", g[i]->nom);
			json_key(&jw, "population");
			json_int(&jw, g[i]->population);
			json_key(&jw, "distance_km");
			g[i]->nearest_km >= 0 ? json_double(&jw, round(g[i]->nearest_km * 10) / 10, 1) : json_null(&jw);
			json_object_end(&jw);
		}
		json_array_end(&jw);
		return json_finish(&jw);
	}
	t = out_table_new(4, headers);
	for (i = 0; i < n; i++) {
		char pop[24], km[32];
		const char *cells[4];
		snprintf(pop, sizeof(pop), "%ld", g[i]->population);
		km_text(km, sizeof(km), g[i]->nearest_km);
		cells[0] = g[i]->code_insee;
		cells[1] = g[i]->nom;
		cells[2] = pop;
		cells[3] = km;
		out_table_add(t, cells);
	}
	rc = out_table_write(t, f, fp, f == OUT_TABLE ? out_term_width(fp) : 0, 0);
	out_table_free(t);
	return rc;
}

/* The summary line: communes without an offer and the population covered. */
static void summary(FILE *fp, const struct coverage *c, size_t gaps, double radius)
{
	char share[32], km[32];
	snprintf(share, sizeof(share), "%.1f", c->population ? 100.0 * (double)c->covered_population /
			 (double)c->population : 100.0);
	snprintf(km, sizeof(km), "%g", radius);
	fprintf(fp, _("%zu communes of %zu without an offer within %s km; population covered: %s %% (%ld of %ld)\n"),
		gaps, c->n, km, share, c->covered_population, c->population);
}

static int parse_opts(const struct cmd *cmd, int argc, char **argv, struct cmd_coverage_opts *o)
{
	static const struct option opts[] = {
		{ "theme", required_argument, NULL, 't' },
		{ "radius", required_argument, NULL, 'r' },
		{ "departement", required_argument, NULL, 'd' },
		{ "epci", required_argument, NULL, 'e' },
		{ "sans-rdv", no_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct config cfg = CONFIG_INIT;
	const char *r;
	char *end;
	int opt, rc;

	memset(o, 0, sizeof(*o));
	o->radius = -1;
	while ((opt = cmd_getopt(cmd, argc, argv, "t:r:d:e:f:", opts, NULL)) != -1) {
		switch (opt) {
		case 't': o->theme = optarg; break;
		case 'd': o->departement = optarg; break;
		case 'e': o->epci = optarg; break;
		case 's': o->sans_rdv = true; break;
		case 'r':
			o->radius = strtod(optarg, &end);
			if (*end || end == optarg || !(o->radius > 0 && o->radius <= 500))
				return cmd_usage_error(cmd, _("--radius expects kilometres from 1 to 500, not \"%s\""), optarg);
			break;
		case 'f':
			if (cmd == &cmd_map) /* the map is SVG only */
				return cmd_usage_error(cmd, _("the map is SVG only (no --format)"));
			if ((rc = cmd_parse_format(cmd, optarg, &o->format)))
				return rc;
			break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind < argc)
		return cmd_usage_error(cmd, _("unexpected argument \"%s\""), argv[optind]);
	if (!o->theme)
		return cmd_usage_error(cmd, _("which theme? give --theme T"));
	if (o->radius < 0) {
		o->radius = SEARCH_DEFAULT_RADIUS_KM;
		if (!config_load(paths_config_file(), &cfg) && (r = config_get(&cfg, "rayon")) && atof(r) > 0)
			o->radius = atof(r);
		config_clear(&cfg);
	}
	return 0;
}

/* The département of the configured commune, when no territory is given. */
static char *default_departement(sqlite3 *db)
{
	struct config cfg = CONFIG_INIT;
	struct commune c = { 0 };
	const char *code;
	char *dep = NULL;
	if (!config_load(paths_config_file(), &cfg) && (code = config_get(&cfg, "commune")) &&
	    communes_get(db, code, &c) == 1) {
		dep = c.departement;
		c.departement = NULL;
	}
	commune_clear(&c);
	config_clear(&cfg);
	return dep;
}

int cmd_coverage_run(const struct cmd *cmd, sqlite3 *db, int argc, char **argv, struct cmd_coverage *out)
{
	struct coverage_query q = { 0 };
	char *dep = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = parse_opts(cmd, argc, argv, &out->opts)))
		return rc;
	if (!out->opts.departement && !out->opts.epci && !(out->opts.departement = dep = default_departement(db)))
		return cmd_usage_error(cmd, _("which territory? give --departement D or --epci E "
					      "(or set your commune: qfq config set commune)"));
	rc = cmd_resolve_area(cmd, db, out->opts.departement, out->opts.epci, &out->area);
	out->opts.departement = NULL; /* may point into dep, freed below */
	free(dep);
	if (rc)
		return rc;
	rc = themes_ids_json(db, out->opts.theme, &out->themes);
	if (rc <= 0)
		return rc < 0 ? cmd_fail(cmd, QFQ_EXIT_FAIL) : cmd_usage_error(cmd, _("no theme \"%s\""), out->opts.theme);
	q.theme_ids = out->themes.buf;
	q.radius_km = out->opts.radius;
	q.departement = out->area.departement;
	q.epci = out->area.epci;
	q.sans_rdv = out->opts.sans_rdv;
	if (coverage_compute(db, &q, &out->cov))
		return cmd_fail(cmd, QFQ_EXIT_FAIL);
	return 0;
}

void cmd_coverage_clear(struct cmd_coverage *c)
{
	coverage_clear(&c->cov);
	cmd_area_clear(&c->area);
	strbuf_release(&c->themes);
}

static int gaps_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_coverage c;
	struct coverage_commune **g = NULL;
	size_t i, n = 0;
	sqlite3 *db;
	int rc;

	if ((rc = cmd_open_db(&cmd_gaps, ctx, DB_READ, &db)))
		return rc;
	if ((rc = cmd_coverage_run(&cmd_gaps, db, argc, argv, &c)))
		goto done;
	g = xmalloc((c.cov.n + 1) * sizeof(*g));
	for (i = 0; i < c.cov.n; i++)
		if (!coverage_is_covered(&c.cov.v[i]))
			g[n++] = &c.cov.v[i];
	qsort(g, n, sizeof(*g), cmp_gap);
	if ((n || c.opts.format == OUT_JSON) && write_rows(ctx->out, c.opts.format, g, n))
		rc = cmd_fail(&cmd_gaps, QFQ_EXIT_FAIL);
	summary(c.opts.format == OUT_TABLE ? ctx->out : stderr, &c.cov, n, c.opts.radius);
	if (!rc)
		rc = n ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
done:
	free(g);
	cmd_coverage_clear(&c);
	db_close(db);
	return rc;
}

const struct cmd cmd_gaps = {
	.name = "gaps",
	.summary = N_("the communes without an offer of a theme within reach"),
	.usage = N_("gaps --theme T [--radius KM] [--departement D | --epci E] [--sans-rdv] "
		    "[--format table|tsv|csv|json]"),
	.help = N_("The communes of the territory whose centre has no structure offering theme T\n"
		   "(or a sub-theme) within the radius, and that no such structure declares it\n"
		   "serves (the commune, its EPCI, its département or its region). Sorted by\n"
		   "population, largest first, with the distance to the nearest offer; then a\n"
		   "summary line with the share of the territory's population covered (on\n"
		   "standard error for tsv, csv and json). A structure stands at its own\n"
		   "coordinates, else at its commune's centre.\n\n"
		   "  --theme T        the theme\n"
		   "  --radius KM      within this distance (default: qfq config rayon, else 15)\n"
		   "  --departement D  the territory: a département (default: that of your commune)\n"
		   "  --epci E         the territory: an EPCI (name or SIREN)\n"
		   "  --sans-rdv       count only the places that take people without appointment\n"
		   "  --format FMT     table (default), tsv, csv or json (code_insee, nom, population,\n"
		   "                   distance_km: to the nearest offer, or null)\n\n"
		   "Exit status: 0 gaps listed, 1 none (every commune covered), 2 bad usage."),
	.exec = gaps_exec,
};
