/*
 * search: `qfq search [TEXT] [--theme T]... [--commune C] ...`, who handles
 * a theme near a commune, from the shell. Parses and checks the options,
 * runs the shared engine (core/search.h) and prints the results.
 * Exit 0 with results, 1 with none, 2 on a usage error (unknown theme,
 * unknown or ambiguous commune, bad time, invalid UTF-8...).
 */
#include "cmd/cmd.h"
#include "core/communes.h"
#include "core/hours.h"
#include "core/l10n.h"
#include "core/search.h"
#include "core/themes.h"
#include "out/json.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct opts {
	char **themes;
	size_t nthemes, themes_alloc;
	const char *commune, *epci, *departement, *when, *publics, *typo;
	double radius;
	bool radius_set, open_now, sans_rdv, persons;
	enum out_format format;
	long limit;
};

/* ---------------------------------------------------------------- input */

static int check_arg(const char *what, const char *s)
{
	return cmd_check_text(&cmd_search, what, s);
}

static int parse_radius(const char *arg, double *km)
{
	char *end;
	double v = strtod(arg, &end);
	if (end == arg || *end || !isfinite(v) || v <= 0 || v > 1000)
		return cmd_usage_error(&cmd_search, _("--radius expects kilometres between 0 and 1000, "
						      "not \"%s\""), arg);
	*km = v;
	return 0;
}

static int parse_options(int argc, char **argv, struct opts *o)
{
	static const struct option opts[] = {
		{ "commune", required_argument, NULL, 'c' },
		{ "departement", required_argument, NULL, 'd' },
		{ "epci", required_argument, NULL, 'e' },
		{ "format", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'n' },
		{ "open-at", required_argument, NULL, 'a' },
		{ "open-now", no_argument, NULL, 'o' },
		{ "persons", no_argument, NULL, 'p' },
		{ "public", required_argument, NULL, 'P' },
		{ "radius", required_argument, NULL, 'r' },
		{ "sans-rdv", no_argument, NULL, 's' },
		{ "theme", required_argument, NULL, 't' },
		{ "type", required_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, rc, i, idx = -1;

	while ((opt = cmd_getopt(&cmd_search, argc, argv, "c:d:e:f:n:r:t:", opts, &idx)) != -1) {
		if (optarg && (rc = check_arg(idx >= 0 ? opts[idx].name : _("argument"), optarg)))
			return rc;
		idx = -1;
		switch (opt) {
		case 'c': o->commune = optarg; break;
		case 'd': o->departement = optarg; break;
		case 'e': o->epci = optarg; break;
		case 'f': if ((rc = cmd_parse_format(&cmd_search, optarg, &o->format))) return rc; break;
		case 'n': if ((rc = cmd_parse_count(&cmd_search, "--limit", optarg, &o->limit))) return rc; break;
		case 'a': o->when = optarg; break;
		case 'o': o->open_now = true; break;
		case 'p': o->persons = true; break;
		case 'P': o->publics = optarg; break;
		case 'r': if ((rc = parse_radius(optarg, &o->radius))) return rc; o->radius_set = true; break;
		case 's': o->sans_rdv = true; break;
		case 't':
			XGROW(o->themes, o->themes_alloc, o->nthemes + 1);
			o->themes[o->nthemes++] = optarg;
			break;
		case 'y': o->typo = optarg; break;
		default: return cmd_opt_exit(opt);
		}
	}
	for (i = optind; i < argc; i++)
		if ((rc = check_arg(_("search text"), argv[i])))
			return rc;
	if (o->open_now && o->when)
		return cmd_usage_error(&cmd_search, _("--open-now and --open-at exclude each other"));
	if (o->radius_set && !o->commune)
		return cmd_usage_error(&cmd_search, _("--radius needs --commune"));
	return 0;
}

/* "thème : smartphone → Prendre en main… (Maîtrise des outils…)" on stderr. */
static void say_theme(const struct search_theme_group *g)
{
	size_t i;
	fprintf(stderr, _("thème : %s →"), g->typed);
	for (i = 0; i < g->themes.n; i++) {
		const struct theme *t = &g->themes.v[i];
		fprintf(stderr, "%s %s", i ? _(" ou") : "", t->label);
		if (t->parent_label)
			fprintf(stderr, " (%s)", t->parent_label);
	}
	fputc('\n', stderr);
}

static int unknown_theme(sqlite3 *db, const char *typed)
{
	struct theme_list sug = { 0 };
	size_t i;
	fprintf(stderr, _("qfq search: no theme matches \"%s\"\n"), typed);
	if (themes_suggest(db, typed, &sug, 5) == 0 && sug.n) {
		fprintf(stderr, _("did you mean:"));
		for (i = 0; i < sug.n; i++)
			fprintf(stderr, "%s %s", i ? "," : "", sug.v[i].label);
		fputc('\n', stderr);
	}
	theme_list_clear(&sug);
	fprintf(stderr, _("see `qfq help search`\n"));
	return QFQ_EXIT_USAGE;
}

static int resolve_commune(sqlite3 *db, const char *typed, struct search_query *q, bool say)
{
	struct commune_list l = { 0 };
	enum commune_match how;
	size_t i;
	int rc = 0;

	if (communes_find(db, typed, &l, &how)) {
		commune_list_clear(&l);
		return cmd_fail(&cmd_search, QFQ_EXIT_FAIL);
	}
	if (how == COMMUNE_NONE) {
		fprintf(stderr, _("qfq search: no commune matches \"%s\"\n"), typed);
		cmd_suggest_communes(db, typed);
		rc = QFQ_EXIT_USAGE;
	} else if (how == COMMUNE_AMBIGUOUS) {
		fprintf(stderr, _("qfq search: commune \"%s\" is ambiguous (%zu communes): add the "
				  "département, e.g. \"%s (%s)\"\n"), typed, l.n, l.v[0].nom, l.v[0].departement);
		for (i = 0; i < l.n && i < 20; i++)
			fprintf(stderr, "  %s (%s) %s\n", l.v[i].nom, l.v[i].departement, l.v[i].code_insee);
		rc = QFQ_EXIT_USAGE;
	} else {
		/* a postcode may name several communes: the first (most populated) */
		search_query_set_commune(q, &l.v[0]);
		if (say)
			fprintf(stderr, _("commune : %s → %s (%s), %s\n"), typed, l.v[0].nom,
				l.v[0].departement, l.v[0].code_insee);
	}
	commune_list_clear(&l);
	return rc;
}

static int check_departement(sqlite3 *db, const char *code)
{
	return cmd_check_departement(&cmd_search, db, code);
}

/* Builds the query from the options; 0 or an exit status (printed). */
static int build_query(sqlite3 *db, struct opts *o, int argc, char **argv, struct search_query *q)
{
	bool say = o->format == OUT_TABLE;
	char *text = cmd_join_args(argc, argv, optind);
	size_t i;
	int rc;

	search_query_set_text(q, text);
	free(text);
	for (i = 0; i < o->nthemes; i++) {
		rc = search_query_add_theme(db, q, o->themes[i]);
		if (rc < 0)
			return cmd_fail(&cmd_search, QFQ_EXIT_FAIL);
		if (!rc)
			return unknown_theme(db, o->themes[i]);
		if (say)
			say_theme(&q->groups[q->ngroups - 1]);
	}
	if (o->commune && (rc = resolve_commune(db, o->commune, q, say)))
		return rc;
	if (o->radius_set)
		q->radius_km = o->radius;
	if (o->epci) {
		rc = search_query_set_epci(db, q, o->epci);
		if (rc < 0)
			return cmd_fail(&cmd_search, QFQ_EXIT_FAIL);
		if (rc == 0)
			return cmd_usage_error(&cmd_search, _("no EPCI matches \"%s\" (give its name or SIREN)"), o->epci);
		if (rc == 2)
			return cmd_usage_error(&cmd_search, _("several EPCI match \"%s\": give more of the name "
							      "or the SIREN"), o->epci);
	}
	if (o->departement) {
		if ((rc = check_departement(db, o->departement)))
			return rc;
		q->departement = xstrdup(o->departement);
	}
	if (o->open_now || o->when) {
		time_t now = time(NULL);
		struct tm tm_now;
		localtime_r(&now, &tm_now);
		if (o->open_now) {
			q->when = tm_now;
		} else if (search_parse_when(o->when, &tm_now, &q->when)) {
			return cmd_usage_error(&cmd_search, "%s", qfq_error_msg());
		}
		q->has_when = true;
		if (say) {
			char buf[64];
			strftime(buf, sizeof(buf), "%d/%m/%Y %H:%M", &q->when);
			fprintf(stderr, _("heure : %s %s\n"), hours_day_fr(q->when.tm_wday), buf);
		}
	}
	q->sans_rdv = o->sans_rdv;
	q->publics = o->publics ? xstrdup(o->publics) : NULL;
	q->typologie = o->typo ? xstrdup(o->typo) : NULL;
	q->persons = o->persons;
	return 0;
}

/* --------------------------------------------------------------- output */

static const char *open_word(enum search_open o)
{
	return o == SEARCH_OPEN ? "true" : o == SEARCH_CLOSED ? "false" : "";
}

static void fmt_km(char *buf, size_t size, double km)
{
	if (km < 0)
		buf[0] = '\0';
	else
		snprintf(buf, size, "%.1f", km);
}

/* A '|'-joined list as a JSON array (null when empty). */
static void json_list(struct json_writer *jw, const char *key, const char *list)
{
	json_key(jw, key);
	if (!list || !*list) {
		json_null(jw);
		return;
	}
	json_array_begin(jw);
	while (*list) {
		size_t len = strcspn(list, "|");
		json_strn(jw, list, len);
		list += len + (list[len] == '|');
	}
	json_array_end(jw);
}

static void json_tri(struct json_writer *jw, const char *key, int v)
{
	json_key(jw, key);
	if (v < 0)
		json_null(jw);
	else
		json_bool(jw, v != 0);
}

static void json_km(struct json_writer *jw, const char *key, double km)
{
	json_key(jw, key);
	if (km < 0)
		json_null(jw);
	else
		json_double(jw, round(km * 10) / 10, 1);
}

static int write_structures_json(FILE *fp, const struct search_results *r, bool has_when)
{
	struct json_writer jw;
	size_t i;
	json_init(&jw, fp, true);
	json_array_begin(&jw);
	for (i = 0; i < r->n; i++) {
		const struct search_structure *s = &r->v[i];
		json_object_begin(&jw);
		json_key(&jw, "id");
		json_int(&jw, s->id);
		json_kv_str(&jw, "nom", s->nom);
		json_kv_str(&jw, "typologie", s->typologie);
		json_kv_str(&jw, "commune", s->commune);
		json_kv_str(&jw, "code_insee", s->code_insee);
		json_kv_str(&jw, "adresse", s->adresse);
		json_key(&jw, "latitude");
		s->has_coords ? json_double(&jw, s->latitude, 6) : json_null(&jw);
		json_key(&jw, "longitude");
		s->has_coords ? json_double(&jw, s->longitude, 6) : json_null(&jw);
		json_km(&jw, "distance_km", s->distance_km);
		json_list(&jw, "services", s->services);
		json_list(&jw, "themes", s->themes);
		json_kv_str(&jw, "telephone", s->telephone);
		json_list(&jw, "courriels", s->courriels);
		json_kv_str(&jw, "site_web", s->site_web);
		json_kv_str(&jw, "horaires", s->horaires);
		json_tri(&jw, "ouvert", has_when ? (int)s->ouvert : -1);
		json_kv_str(&jw, "prochaine_ouverture", s->prochaine_ouverture);
		json_tri(&jw, "sans_rdv", s->sans_rdv);
		json_kv_str(&jw, "motif", s->motif);
		json_object_end(&jw);
	}
	json_array_end(&jw);
	return json_finish(&jw);
}

static const char *const structure_keys[] = {
	"id", "nom", "typologie", "commune", "code_insee", "adresse", "latitude", "longitude",
	"distance_km", "services", "themes", "telephone", "courriels", "site_web", "horaires",
	"ouvert", "prochaine_ouverture", "sans_rdv", "motif",
};
#define NKEYS (sizeof(structure_keys) / sizeof(*structure_keys))

static int write_structures_flat(FILE *fp, enum out_format f, const struct search_results *r)
{
	struct out_table *t = out_table_new(NKEYS, structure_keys);
	char id[32], lat[32], lon[32], km[32];
	size_t i;
	int rc;
	for (i = 0; i < r->n; i++) {
		const struct search_structure *s = &r->v[i];
		const char *cells[NKEYS] = {
			id, s->nom, s->typologie, s->commune, s->code_insee, s->adresse, lat, lon, km,
			s->services, s->themes, s->telephone, s->courriels, s->site_web, s->horaires,
			open_word(s->ouvert), s->prochaine_ouverture,
			s->sans_rdv < 0 ? "" : s->sans_rdv ? "true" : "false", s->motif,
		};
		snprintf(id, sizeof(id), "%lld", s->id);
		snprintf(lat, sizeof(lat), s->has_coords ? "%.6f" : "", s->latitude);
		snprintf(lon, sizeof(lon), s->has_coords ? "%.6f" : "", s->longitude);
		fmt_km(km, sizeof(km), s->distance_km);
		out_table_add(t, cells);
	}
	rc = out_table_write(t, f, fp, 0, 0);
	out_table_free(t);
	return rc;
}

/* "ouvert", "fermé → mar. 14:00", "inconnu". */
static void open_cell(struct strbuf *sb, const struct search_structure *s)
{
	strbuf_reset(sb);
	if (s->ouvert == SEARCH_OPEN) {
		strbuf_addstr(sb, _("ouvert"));
		return;
	}
	if (s->ouvert == SEARCH_OPEN_UNKNOWN) {
		strbuf_addstr(sb, _("inconnu"));
		return;
	}
	strbuf_addstr(sb, _("fermé"));
	if (s->prochaine_ouverture) {
		struct tm tm = { 0 };
		char buf[64];
		if (sscanf(s->prochaine_ouverture, "%d-%d-%dT%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			   &tm.tm_hour, &tm.tm_min) == 5) {
			tm.tm_year -= 1900;
			tm.tm_mon -= 1;
			tm.tm_isdst = -1;
			mktime(&tm);
			strftime(buf, sizeof(buf), "%d/%m %H:%M", &tm);
			strbuf_addf(sb, " → %s %s", hours_day_fr(tm.tm_wday), buf);
		}
	}
}

static int write_structures_table(FILE *fp, const struct search_query *q, const struct search_results *r)
{
	const char *headers[] = { _("Nom"), _("Commune"), _("Km"), _("Ouvert"), _("Rdv"),
				  _("Téléphone"), _("Motif") };
	size_t ncols = 0, i;
	struct out_table *t;
	struct strbuf open = STRBUF_INIT, km = STRBUF_INIT;
	bool rdv = q->sans_rdv;
	const char *shown[7];
	int rc;

	/* the opening and appointment columns only when they can say something */
	for (i = 0; i < r->n; i++)
		rdv |= r->v[i].sans_rdv >= 0;
	for (i = 0; i < 7; i++)
		if ((i != 3 || q->has_when) && (i != 4 || rdv))
			shown[ncols++] = headers[i];
	t = out_table_new(ncols, shown);
	for (i = 0; i < r->n; i++) {
		const struct search_structure *s = &r->v[i];
		const char *rdv_word = s->sans_rdv == 1 ? _("sans rdv") : s->sans_rdv == 0 ? _("sur rdv") : "";
		const char *cells[7];
		size_t k = 0;
		strbuf_reset(&km);
		if (s->distance_km >= 0) {
			l10n_add_number(&km, s->distance_km, 1);
		}
		cells[k++] = s->nom;
		cells[k++] = s->commune;
		cells[k++] = km.buf;
		if (q->has_when) {
			open_cell(&open, s);
			cells[k++] = open.buf;
		}
		if (rdv)
			cells[k++] = rdv_word;
		cells[k++] = s->telephone;
		cells[k++] = s->motif;
		out_table_add(t, cells);
	}
	rc = out_table_write(t, OUT_TABLE, fp, out_term_width(fp), 0);
	out_table_free(t);
	strbuf_release(&open);
	strbuf_release(&km);
	return rc;
}

/* "Nom (rôle); Nom" */
static void person_structures(struct strbuf *sb, const struct search_person *p)
{
	size_t j;
	strbuf_reset(sb);
	for (j = 0; j < p->nstructures; j++) {
		if (j)
			strbuf_addstr(sb, "; ");
		strbuf_addstr(sb, p->structures[j].nom ? p->structures[j].nom : "");
		if (p->structures[j].role && *p->structures[j].role)
			strbuf_addf(sb, " (%s)", p->structures[j].role);
	}
}

static int write_persons(FILE *fp, enum out_format f, const struct search_results *r)
{
	static const char *const keys[] = { "id", "nom", "prenom", "structures", "themes",
					    "telephone", "courriels", "distance_km" };
	const char *human[] = { "#", _("Nom"), _("Prénom"), _("Structures"), _("Thèmes"),
				_("Téléphone"), _("Courriels"), _("Km") };
	struct strbuf st = STRBUF_INIT;
	struct out_table *t;
	char id[32], km[32];
	size_t i, j;
	int rc;

	if (f == OUT_JSON) {
		struct json_writer jw;
		json_init(&jw, fp, true);
		json_array_begin(&jw);
		for (i = 0; i < r->np; i++) {
			const struct search_person *p = &r->p[i];
			json_object_begin(&jw);
			json_key(&jw, "id");
			json_int(&jw, p->id);
			json_kv_str(&jw, "nom", p->nom);
			json_kv_str(&jw, "prenom", p->prenom);
			json_key(&jw, "structures");
			json_array_begin(&jw);
			for (j = 0; j < p->nstructures; j++) {
				json_object_begin(&jw);
				json_kv_str(&jw, "nom", p->structures[j].nom);
				json_kv_str(&jw, "role", p->structures[j].role);
				json_object_end(&jw);
			}
			json_array_end(&jw);
			json_list(&jw, "themes", p->themes);
			json_kv_str(&jw, "telephone", p->telephone);
			json_list(&jw, "courriels", p->courriels);
			json_km(&jw, "distance_km", p->distance_km);
			json_object_end(&jw);
		}
		json_array_end(&jw);
		return json_finish(&jw);
	}
	t = out_table_new(8, f == OUT_TABLE ? human : keys);
	for (i = 0; i < r->np; i++) {
		const struct search_person *p = &r->p[i];
		const char *cells[8] = { id, p->nom, p->prenom, NULL, p->themes, p->telephone,
					 p->courriels, km };
		snprintf(id, sizeof(id), "%lld", p->id);
		fmt_km(km, sizeof(km), p->distance_km);
		if (f == OUT_TABLE && p->distance_km >= 0)
			*strchr(km, '.') = ',';
		person_structures(&st, p);
		cells[3] = st.buf;
		out_table_add(t, cells);
	}
	rc = out_table_write(t, f, fp, f == OUT_TABLE ? out_term_width(fp) : 0, 0);
	out_table_free(t);
	strbuf_release(&st);
	return rc;
}

static int write_results(FILE *fp, enum out_format f, const struct search_query *q,
			 const struct search_results *r)
{
	if (q->persons)
		return write_persons(fp, f, r);
	if (f == OUT_JSON)
		return write_structures_json(fp, r, q->has_when);
	if (f == OUT_TABLE)
		return write_structures_table(fp, q, r);
	return write_structures_flat(fp, f, r);
}

/* ---------------------------------------------------------------- main */

static int search_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct opts o = { .format = OUT_TABLE };
	struct search_query q;
	struct search_results r = SEARCH_RESULTS_INIT;
	size_t shown, height;
	sqlite3 *db = NULL;
	int rc;

	search_query_init(&q);
	if ((rc = parse_options(argc, argv, &o)))
		goto done;
	if ((rc = cmd_open_db(&cmd_search, ctx, DB_READ, &db)))
		goto done;
	/* one read transaction: a consistent snapshot, and the file is locked
	 * and checked once instead of once per statement */
	db_exec(db, "BEGIN");
	/*
	 * A small page cache: a search reads each page about once, and on a
	 * virtual machine every fresh heap page the default 2 MB cache grows
	 * into costs a page fault dearer than re-reading a 4 KB page (national
	 * directory: Privas 20 -> 13 ms, Lyon 30 -> 22 ms).
	 */
	db_exec(db, "PRAGMA cache_size = -250");
	if ((rc = build_query(db, &o, argc, argv, &q)))
		goto done;
	/* a table on a terminal shows what fits; the rest is counted */
	height = o.format == OUT_TABLE && !o.limit ? out_term_height(ctx->out) : 0;
	if (height) {
		/* header, rule, "… N more" and the prompt, and what was said on stderr */
		size_t used = 4 + q.ngroups + q.has_commune + q.has_when;
		height = height > used + 3 ? height - used : 3;
	}
	q.limit = o.limit ? (size_t)o.limit : height;
	l10n_data_wording(o.format != OUT_TABLE); /* the motif of data is the same in every language */
	rc = search_run(db, &q, &r);
	l10n_data_wording(false);
	if (rc) {
		rc = cmd_fail(&cmd_search, QFQ_EXIT_FAIL);
		goto done;
	}
	shown = q.persons ? r.np : r.n;
	if (!shown) {
		if (o.format == OUT_TABLE)
			fprintf(stderr, _("qfq search: nothing found\n"));
		else
			write_results(ctx->out, o.format, &q, &r);
		rc = QFQ_EXIT_NONE;
		goto done;
	}
	if (write_results(ctx->out, o.format, &q, &r)) {
		rc = cmd_fail(&cmd_search, QFQ_EXIT_FAIL);
		goto done;
	}
	if (o.format == OUT_TABLE && r.total > shown) {
		fprintf(ctx->out, ngettext("… %zu more result", "… %zu more results", r.total - shown),
			r.total - shown);
		fputc('\n', ctx->out);
	}
	rc = QFQ_EXIT_OK;
done:
	search_results_clear(&r);
	search_query_clear(&q);
	free(o.themes);
	if (db)
		db_close(db);
	return rc;
}

const struct cmd cmd_search = {
	.name = "search",
	.summary = N_("who handles a theme near a commune: distance, territories, opening hours"),
	.usage = N_("search [TEXT] [--theme T]... [--commune C] [--radius KM] [--epci E] "
		    "[--departement D] [--open-now | --open-at WHEN] [--sans-rdv] [--public P] "
		    "[--type TYPO] [--persons] [--format table|tsv|csv|json] [--limit N]"),
	.help = N_("TEXT is searched in names, aliases, descriptions, roles and theme labels (accents\n"
		   "and case ignored, each word as a prefix). With no criteria, the whole directory.\n\n"
		   "  --theme T, -t T     a theme label, slug or alias, folded, by prefix (\"impots\",\n"
		   "                      \"smartphone\"); a parent theme includes its sub-themes;\n"
		   "                      several --theme must all match\n"
		   "  --commune C, -c C   a name, former name, INSEE code or postcode; \"Saint-Julien (07)\"\n"
		   "                      picks one. Matches places within the radius, places that declare\n"
		   "                      they serve the commune, its EPCI or département, and permanences\n"
		   "                      held in or near it\n"
		   "  --radius KM, -r KM  the radius around the commune's centre (default 15)\n"
		   "  --epci E            restrict to an EPCI (name or SIREN)\n"
		   "  --departement D, -d D  restrict to a département (code, e.g. 07)\n"
		   "  --open-now          mark what is open now and show it first\n"
		   "  --open-at WHEN      the same at \"mardi 14:00\", \"14h30\" or \"2024-07-10T14:00\";\n"
		   "                      places with unknown hours come after, marked unknown\n"
		   "  --sans-rdv          leave out places that only see people by appointment;\n"
		   "                      walk-in places first\n"
		   "  --public P          places whose declared publics mention P (\"seniors\")\n"
		   "  --type TYPO         a typology code or label (MAIRIE, \"France Services\")\n"
		   "  --persons           search persons by competence instead of places\n"
		   "  --format FMT        table (default), tsv, csv or json\n"
		   "  --limit N, -n N     at most N results (a table otherwise shows what fits the\n"
		   "                      terminal, the other formats everything)\n\n"
		   "Ranking: open at the asked time (and walk-in when asked) first, then distance,\n"
		   "then how well the themes and the text match.\n"
		   "Exit status: 0 results, 1 none, 2 usage error (unknown theme or commune,\n"
		   "ambiguous commune, bad time, invalid UTF-8)."),
	.exec = search_exec,
};
