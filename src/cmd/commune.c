/*
 * commune: `qfq commune QUERY`, find a commune by name (current or former,
 * case- and accent-insensitive), INSEE code or postcode.
 * Exit 0 found, 1 nothing, 2 ambiguous name (the candidates are listed).
 */
#include "cmd/cmd.h"
#include "core/communes.h"
#include "core/l10n.h"
#include "out/json.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void write_json(FILE *fp, const struct commune_list *l, size_t n)
{
	struct json_writer jw;
	size_t i;
	json_init(&jw, fp, true);
	json_array_begin(&jw);
	for (i = 0; i < n; i++) {
		const struct commune *c = &l->v[i];
		const char *p = c->codes_postaux ? c->codes_postaux : "";
		json_object_begin(&jw);
		json_kv_str(&jw, "code_insee", c->code_insee);
		json_kv_str(&jw, "nom", c->nom);
		json_kv_str(&jw, "departement", c->departement);
		json_kv_str(&jw, "departement_nom", c->departement_nom);
		json_key(&jw, "codes_postaux");
		json_array_begin(&jw);
		while (*p) {
			size_t len = strcspn(p, "|");
			json_strn(&jw, p, len);
			p += len + (p[len] == '|');
		}
		json_array_end(&jw);
		json_kv_str(&jw, "epci", c->epci);
		json_kv_str(&jw, "epci_nom", c->epci_nom);
		json_key(&jw, "latitude");
		c->has_coords ? json_double(&jw, c->latitude, 5) : json_null(&jw);
		json_key(&jw, "longitude");
		c->has_coords ? json_double(&jw, c->longitude, 5) : json_null(&jw);
		json_key(&jw, "population");
		json_int(&jw, c->population);
		if (c->matched)
			json_kv_str(&jw, "ancien_nom", c->matched);
		json_object_end(&jw);
	}
	json_array_end(&jw);
	json_finish(&jw);
}

/* "44,72136" for people in French, "44.72136" in data (tsv, csv) and in English. */
static void coord(char *buf, size_t size, enum out_format f, bool has, double v)
{
	struct strbuf sb = STRBUF_INIT;
	if (has && f == OUT_TABLE)
		l10n_add_number(&sb, v, 5);
	else if (has)
		strbuf_addf(&sb, "%.5f", v);
	snprintf(buf, size, "%s", sb.buf);
	strbuf_release(&sb);
}

static void write_table(FILE *fp, enum out_format f, const struct commune_list *l, size_t n)
{
	static const char *const keys[] = { "code_insee", "nom", "departement", "codes_postaux",
					    "epci", "latitude", "longitude", "population" };
	const char *human[] = { _("INSEE"), _("Commune"), _("Dép."), _("Codes postaux"),
				_("EPCI"), _("Latitude"), _("Longitude"), _("Population") };
	struct out_table *t = out_table_new(8, f == OUT_TABLE ? human : keys);
	struct strbuf nom = STRBUF_INIT;
	char lat[32], lon[32], pop[32];
	size_t i;

	for (i = 0; i < n; i++) {
		const struct commune *c = &l->v[i];
		const char *cells[8] = { c->code_insee, nom.buf, c->departement, c->codes_postaux,
					 f == OUT_TABLE ? c->epci_nom : c->epci, lat, lon, pop };
		strbuf_reset(&nom);
		strbuf_addstr(&nom, c->nom);
		if (c->matched && f == OUT_TABLE)
			strbuf_addf(&nom, _(" (ex-%s)"), c->matched);
		coord(lat, sizeof(lat), f, c->has_coords, c->latitude);
		coord(lon, sizeof(lon), f, c->has_coords, c->longitude);
		snprintf(pop, sizeof(pop), "%ld", c->population);
		cells[1] = nom.buf;
		out_table_add(t, cells);
	}
	out_table_write(t, f, fp, out_term_width(fp), 0);
	out_table_free(t);
	strbuf_release(&nom);
}

static void write_list(FILE *fp, enum out_format f, const struct commune_list *l, size_t n)
{
	if (f == OUT_JSON)
		write_json(fp, l, n);
	else
		write_table(fp, f, l, n);
}

static int not_found(sqlite3 *db, const char *query)
{
	fprintf(stderr, _("qfq commune: no commune matches \"%s\"\n"), query);
	cmd_suggest_communes(db, query);
	return QFQ_EXIT_NONE;
}

static int commune_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct commune_list l = { 0 };
	enum commune_match how;
	enum out_format f = OUT_TABLE;
	long limit = 0;
	char *query;
	sqlite3 *db;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_commune, argc, argv, "f:n:", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': if ((rc = cmd_parse_format(&cmd_commune, optarg, &f))) return rc; break;
		case 'n': if ((rc = cmd_parse_count(&cmd_commune, "--limit", optarg, &limit))) return rc; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind >= argc)
		return cmd_usage_error(&cmd_commune, _("which commune? give a name, an INSEE code or a postcode"));
	query = cmd_join_args(argc, argv, optind);
	if ((rc = cmd_check_text(&cmd_commune, NULL, query)) ||
	    (rc = cmd_open_db(&cmd_commune, ctx, DB_READ, &db))) {
		free(query);
		return rc;
	}
	if (communes_find(db, query, &l, &how)) {
		rc = cmd_fail(&cmd_commune, QFQ_EXIT_FAIL);
	} else if (how == COMMUNE_NONE) {
		rc = not_found(db, query);
	} else {
		if (how == COMMUNE_AMBIGUOUS)
			fprintf(stderr, _("qfq commune: \"%s\" is ambiguous (%zu communes): add the "
					  "département, e.g. \"%s (%s)\"\n"), query, l.n, l.v[0].nom, l.v[0].departement);
		if (how == COMMUNE_FOUND)
			cmd_say_forgiven(&cmd_commune, query, &l.v[0]);
		write_list(ctx->out, f, &l, limit && (size_t)limit < l.n ? (size_t)limit : l.n);
		rc = how == COMMUNE_AMBIGUOUS ? QFQ_EXIT_USAGE : QFQ_EXIT_OK;
	}
	commune_list_clear(&l);
	free(query);
	db_close(db);
	return rc;
}

const struct cmd cmd_commune = {
	.name = "commune",
	.summary = N_("find a commune by name, former name, INSEE code or postcode"),
	.usage = N_("commune [--format table|tsv|csv|json] [--limit N] QUERY"),
	.help = N_("QUERY is a name (case and accents ignored, \"st\" for Saint, former names too),\n"
		   "an INSEE code (07186) or a postcode (07000: all its communes). \"Saint-Julien (07)\"\n"
		   "or \"Saint-Julien 07\" picks the one in a département.\n\n"
		   "  --format FMT    table, tsv, csv or json\n"
		   "  --limit N       at most N communes\n\n"
		   "Exit status: 0 found, 1 nothing found (with suggestions), 2 ambiguous name\n"
		   "(the candidates are listed, most populated first)."),
	.exec = commune_exec,
};
