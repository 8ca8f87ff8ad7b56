/*
 * search: `qfq search [TEXT] [--theme T]... [--commune C] ...`, who handles
 * a theme near a commune, from the shell. Parses and checks the options,
 * runs the shared engine (core/search.h) and prints the results.
 * Exit 0 with results, 1 with none, 2 on a usage error (unknown theme,
 * unknown or ambiguous commune, bad time, invalid UTF-8...).
 */
#include "cmd/cmd.h"
#include "cmd/search_opts.h"
#include "core/date.h"
#include "core/communes.h"
#include "core/config.h"
#include "core/hours.h"
#include "core/l10n.h"
#include "core/paths.h"
#include "core/search.h"
#include "core/themes.h"
#include "out/json.h"
#include "out/motif.h"
#include "out/out.h"
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



/* ---------------------------------------------------------------- input */

static int check_arg(const struct cmd *c, const char *what, const char *s)
{
	return cmd_check_text(c, what, s);
}

static int parse_radius(const struct cmd *c, const char *arg, double *km)
{
	char *end;
	double v = strtod(arg, &end);
	if (end == arg || *end || !isfinite(v) || v <= 0 || v > 1000)
		return cmd_usage_error(c, _("--radius expects kilometres between 0 and 1000, "
						      "not \"%s\""), arg);
	*km = v;
	return 0;
}

int search_opts_parse(int argc, char **argv, struct search_opts *o)
{
	const struct cmd *c = o->cmd;
	static const struct option opts[] = {
		{ "acces", required_argument, NULL, 'A' },
		{ "commune", required_argument, NULL, 'c' },
		{ "departement", required_argument, NULL, 'd' },
		{ "epci", required_argument, NULL, 'e' },
		{ "format", required_argument, NULL, 'f' },
		{ "gratuit", no_argument, NULL, 'G' },
		{ "limit", required_argument, NULL, 'n' },
		{ "no-commune", no_argument, NULL, 'N' },
		{ "open-at", required_argument, NULL, 'a' },
		{ "open-now", no_argument, NULL, 'o' },
		{ "persons", no_argument, NULL, 'p' },
		{ "prise-en-charge", required_argument, NULL, 'S' },
		{ "public", required_argument, NULL, 'P' },
		{ "radius", required_argument, NULL, 'r' },
		{ "rdv-en-ligne", no_argument, NULL, 'R' },
		{ "sans-rdv", no_argument, NULL, 's' },
		{ "theme", required_argument, NULL, 't' },
		{ "type", required_argument, NULL, 'y' },
		{ "unknown-hours", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, rc, i, idx = -1;

	while ((opt = cmd_getopt(c, argc, argv, "c:d:e:f:n:r:t:", opts, &idx)) != -1) {
		if (optarg && (rc = check_arg(c, idx >= 0 ? opts[idx].name : _("argument"), optarg)))
			return rc;
		idx = -1;
		switch (opt) {
		case 'c': o->commune = optarg; break;
		case 'd': o->departement = optarg; break;
		case 'e': o->epci = optarg; break;
		case 'f': if ((rc = cmd_parse_format(c, optarg, &o->format))) return rc; break;
		case 'n': if ((rc = cmd_parse_count(c, "--limit", optarg, &o->limit))) return rc; break;
		case 'a': o->when = optarg; break;
		case 'o': o->open_now = true; break;
		case 'p': o->persons = true; break;
		case 'P': o->publics = optarg; break;
		case 'r': if ((rc = parse_radius(c, optarg, &o->radius))) return rc; o->radius_set = true; break;
		case 's': o->sans_rdv = true; break;
		case 't':
			XGROW(o->themes, o->themes_alloc, o->nthemes + 1);
			o->themes[o->nthemes++] = optarg;
			break;
		case 'y': o->typo = optarg; break;
		case 'u': o->unknown_hours = true; break;
		case 'N': o->no_commune = true; break;
		case 'A': o->acces = optarg; break;
		case 'G': o->gratuit = true; break;
		case 'S': o->prise_en_charge = optarg; break;
		case 'R': o->rdv_en_ligne = true; break;
		default: return cmd_opt_exit(opt);
		}
	}
	for (i = optind; i < argc; i++)
		if ((rc = check_arg(c, _("search text"), argv[i])))
			return rc;
	if (o->open_now && o->when)
		return cmd_usage_error(c, _("--open-now and --open-at exclude each other"));
	if (o->unknown_hours && !o->open_now && !o->when)
		return cmd_usage_error(c, _("--unknown-hours needs --open-now or --open-at"));
	if (o->no_commune && o->commune)
		return cmd_usage_error(c, _("--no-commune and --commune exclude each other"));
	return 0;
}

static int unknown_theme(const struct cmd *c, sqlite3 *db, const char *typed)
{
	struct theme_list sug = { 0 };
	size_t i;
	fprintf(stderr, _("qfq %s: no theme matches \"%s\"\n"), c->name, typed);
	if (themes_suggest(db, typed, &sug, 5) == 0 && sug.n) {
		fprintf(stderr, _("did you mean:"));
		for (i = 0; i < sug.n; i++)
			fprintf(stderr, "%s %s", i ? "," : "", sug.v[i].label);
		fputc('\n', stderr);
	}
	theme_list_clear(&sug);
	fprintf(stderr, _("see `qfq help %s`\n"), c->name);
	return QFQ_EXIT_USAGE;
}

static int resolve_commune(const struct cmd *cm, sqlite3 *db, const char *typed, struct commune *c)
{
	struct commune_list l = { 0 };
	enum commune_match how;
	size_t i;
	int rc = 0;

	if (communes_find(db, typed, &l, &how)) {
		commune_list_clear(&l);
		return cmd_fail(cm, QFQ_EXIT_FAIL);
	}
	if (how == COMMUNE_NONE) {
		fprintf(stderr, _("qfq %s: no commune matches \"%s\"\n"), cm->name, typed);
		cmd_suggest_communes(db, typed);
		rc = QFQ_EXIT_USAGE;
	} else if (how == COMMUNE_AMBIGUOUS) {
		fprintf(stderr, _("qfq %s: commune \"%s\" is ambiguous (%zu communes): add the "
				  "département, e.g. \"%s (%s)\"\n"), cm->name, typed, l.n, l.v[0].nom, l.v[0].departement);
		for (i = 0; i < l.n && i < 20; i++)
			fprintf(stderr, "  %s (%s) %s\n", l.v[i].nom, l.v[i].departement, l.v[i].code_insee);
		rc = QFQ_EXIT_USAGE;
	} else {
		/* a postcode may name several communes: the first (most populated) */
		cmd_say_forgiven(cm, typed, &l.v[0]);
		*c = l.v[0];
		memset(&l.v[0], 0, sizeof(l.v[0]));
	}
	commune_list_clear(&l);
	return rc;
}

static int check_departement(const struct cmd *c, sqlite3 *db, const char *code)
{
	return cmd_check_departement(c, db, code);
}

/*
 * The configured commune (`qfq config set commune`): the default centre.
 * 0 (none, or set into *c and *has) or an exit status.
 */
static int configured_commune(const struct cmd *cm, sqlite3 *db, struct commune *c, bool *has)
{
	struct config cfg = CONFIG_INIT;
	const char *v;
	int rc = 0;
	config_load(paths_config_file(), &cfg);
	if ((v = config_get(&cfg, "commune")) && *v) {
		if ((rc = resolve_commune(cm, db, v, c)) == 0)
			*has = true;
	}
	config_clear(&cfg);
	return rc;
}

/*
 * Builds the query from the options with the one reader of typed text
 * (search_query_build(): the full-screen interface reads its line so);
 * 0 or an exit status (printed).
 */
int search_opts_query(sqlite3 *db, struct search_opts *o, int argc, char **argv, struct search_query *q)
{
	const struct cmd *c = o->cmd;
	struct search_settings set = { 0 };
	struct commune centre = { 0 };
	struct search_query scratch;
	bool has_centre = false;
	char *text = cmd_join_args(argc, argv, optind);
	time_t now = time(NULL);
	struct tm tm_now, when;
	size_t i;
	int rc = 0;

	search_query_init(&scratch);
	for (i = 0; i < o->nthemes; i++) {
		struct theme_list l = { 0 };
		int found = themes_resolve(db, o->themes[i], &l) < 0 ? -1 : l.n > 0;
		theme_list_clear(&l);
		if (found < 0) {
			rc = cmd_fail(c, QFQ_EXIT_FAIL);
			goto done;
		}
		if (!found) {
			rc = unknown_theme(c, db, o->themes[i]);
			goto done;
		}
	}
	if (o->commune) {
		if ((rc = resolve_commune(c, db, o->commune, &centre)))
			goto done;
		has_centre = true;
	} else if (!o->no_commune && (rc = configured_commune(c, db, &centre, &has_centre))) {
		goto done;
	}
	if (o->epci) {
		rc = search_query_set_epci(db, &scratch, o->epci);
		if (rc < 0) {
			rc = cmd_fail(c, QFQ_EXIT_FAIL);
			goto done;
		}
		if (rc == 0 || rc == 2) {
			rc = cmd_usage_error(c, rc ? _("several EPCI match \"%s\": give more of the name "
								 "or the SIREN")
							     : _("no EPCI matches \"%s\" (give its name or SIREN)"), o->epci);
			goto done;
		}
		rc = 0;
	}
	if (o->departement && (rc = check_departement(c, db, o->departement)))
		goto done;
	localtime_r(&now, &tm_now);
	if (o->when && search_parse_when(o->when, &tm_now, &when)) {
		rc = cmd_usage_error(c, "%s", qfq_error_msg());
		goto done;
	}
	set.themes = (const char *const *)o->themes;
	set.nthemes = o->nthemes;
	set.commune = has_centre ? &centre : NULL;
	set.radius_km = o->radius_set ? o->radius : 0;
	set.epci = scratch.epci;
	set.departement = o->departement;
	set.when = o->when ? &when : o->open_now ? &tm_now : NULL;
	set.open = o->unknown_hours ? SEARCH_OPEN_OR_UNKNOWN : SEARCH_OPEN_ONLY;
	set.sans_rdv = o->sans_rdv;
	set.publics = o->publics;
	set.typologie = o->typo;
	set.gratuit = o->gratuit;
	set.rdv_en_ligne = o->rdv_en_ligne;
	set.prise_en_charge = o->prise_en_charge;
	set.acces = o->acces;
	set.persons = o->persons;
	if (search_query_build(db, text, &set, q)) {
		rc = cmd_fail(c, QFQ_EXIT_FAIL);
		goto done;
	}
	/* the configured centre is said when it is the one used (the text may name another) */
	if (has_centre && !o->commune && q->has_commune && q->commune_insee &&
	    !strcmp(q->commune_insee, centre.code_insee))
		fprintf(stderr, _("commune configurée : %s (--no-commune pour chercher partout)\n"), centre.nom);
	if (o->radius_set && !q->has_commune) {
		rc = cmd_usage_error(c, _("--radius needs a commune (--commune or in the text)"));
		goto done;
	}
	if (o->format == OUT_TABLE) {
		struct strbuf sb = STRBUF_INIT;
		out_reading(q, &sb);
		if (sb.len && (q->epci || q->departement || q->has_when || q->sans_rdv || q->typologie ||
			       q->publics || search_desk_asked(q)))
			strbuf_addstr(&sb, " · ");
		out_filters(q, o->open_now, &sb);
		if (sb.len) {
			/* what was typed, said back: sanitized like everything shown */
			struct strbuf safe = STRBUF_INIT;
			out_sanitize(&safe, sb.buf, sb.len, 0);
			fprintf(stderr, _("compris : %s\n"), safe.buf);
			strbuf_release(&safe);
		}
		strbuf_release(&sb);
	}
done:
	free(text);
	if (has_centre)
		commune_clear(&centre);
	search_query_clear(&scratch);
	return rc;
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

/* The worded reason of a result, into sb (reset). */
static const char *motif(struct strbuf *sb, const struct search_query *q, const struct search_reason *why,
			 double km)
{
	strbuf_reset(sb);
	out_motif(q, why, km, sb);
	return sb->buf;
}

static int write_structures_json(FILE *fp, const struct search_query *q, const struct search_results *r)
{
	struct strbuf m = STRBUF_INIT;
	struct json_writer jw;
	bool has_when = q->has_when;
	int rc;
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
		json_kv_str(&jw, "motif", motif(&m, q, &s->reason, s->distance_km));
		json_object_end(&jw);
	}
	json_array_end(&jw);
	rc = json_finish(&jw);
	strbuf_release(&m);
	return rc;
}

static const char *const structure_keys[] = {
	"id", "nom", "typologie", "commune", "code_insee", "adresse", "latitude", "longitude",
	"distance_km", "services", "themes", "telephone", "courriels", "site_web", "horaires",
	"ouvert", "prochaine_ouverture", "sans_rdv", "motif",
};
#define NKEYS (sizeof(structure_keys) / sizeof(*structure_keys))

static int write_structures_flat(FILE *fp, enum out_format f, const struct search_query *q,
				 const struct search_results *r)
{
	struct out_table *t = out_table_new(NKEYS, structure_keys);
	struct strbuf m = STRBUF_INIT;
	char id[32], lat[32], lon[32], km[32];
	size_t i;
	int rc;
	for (i = 0; i < r->n; i++) {
		const struct search_structure *s = &r->v[i];
		const char *cells[NKEYS] = {
			id, s->nom, s->typologie, s->commune, s->code_insee, s->adresse, lat, lon, km,
			s->services, s->themes, s->telephone, s->courriels, s->site_web, s->horaires,
			open_word(s->ouvert), s->prochaine_ouverture,
			s->sans_rdv < 0 ? "" : s->sans_rdv ? "true" : "false",
			motif(&m, q, &s->reason, s->distance_km),
		};
		snprintf(id, sizeof(id), "%lld", s->id);
		snprintf(lat, sizeof(lat), s->has_coords ? "%.6f" : "", s->latitude);
		snprintf(lon, sizeof(lon), s->has_coords ? "%.6f" : "", s->longitude);
		fmt_km(km, sizeof(km), s->distance_km);
		out_table_add(t, cells);
	}
	rc = out_table_write(t, f, fp, 0, 0);
	out_table_free(t);
	strbuf_release(&m);
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
		strbuf_addstr(sb, _("horaires inconnus"));
		return;
	}
	strbuf_addstr(sb, _("fermé"));
	struct tm tm;
	if (date_parse_minute(s->prochaine_ouverture, &tm)) {
		char buf[64];
		strftime(buf, sizeof(buf), "%d/%m %H:%M", &tm);
		strbuf_addf(sb, " → %s %s", l10n_day(tm.tm_wday), buf);
	}
}

static int write_structures_table(FILE *fp, const struct search_query *q, const struct search_results *r,
				  bool now)
{
	struct strbuf open = STRBUF_INIT, km = STRBUF_INIT, moment = STRBUF_INIT, m = STRBUF_INIT;
	const char *headers[] = { _("Nom"), _("Commune"), _("Km"), NULL, _("Rdv"),
				  _("Téléphone"), _("Motif") };
	size_t ncols = 0, i;
	struct out_table *t;
	bool rdv = q->sans_rdv;
	const char *shown[7];
	int rc;

	/* the state column is headed by the moment it describes */
	out_moment(&q->when, now, &moment);
	headers[3] = moment.buf;
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
		cells[k++] = motif(&m, q, &s->reason, s->distance_km);
		out_table_add(t, cells);
	}
	rc = out_table_write(t, OUT_TABLE, fp, out_term_width(fp), 0);
	out_table_free(t);
	strbuf_release(&open);
	strbuf_release(&km);
	strbuf_release(&moment);
	strbuf_release(&m);
	return rc;
}

/* "competences": [{"libelle": ..., "via": null (declared) or the structure}] */
static void json_competences(struct json_writer *jw, const struct search_person *p)
{
	const char *t = p->themes, *v = p->themes_via;
	json_key(jw, "competences");
	json_array_begin(jw);
	while (t && *t) {
		size_t n = strcspn(t, "|"), k = v ? strcspn(v, "|") : 0;
		json_object_begin(jw);
		json_key(jw, "libelle");
		json_strn(jw, t, n);
		json_key(jw, "via");
		k ? json_strn(jw, v, k) : json_null(jw);
		json_object_end(jw);
		t += n + (t[n] == '|');
		if (v)
			v += k + (v[k] == '|');
	}
	json_array_end(jw);
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

static int write_persons(FILE *fp, enum out_format f, const struct search_query *q,
			 const struct search_results *r)
{
	static const char *const keys[] = { "id", "nom", "prenom", "structures", "themes",
					    "telephone", "courriels", "distance_km", "motif" };
	const char *human[] = { "#", _("Nom"), _("Prénom"), _("Structures"), _("Thèmes"),
				_("Téléphone"), _("Courriels"), _("Km"), _("Motif") };
	struct strbuf st = STRBUF_INIT, m = STRBUF_INIT, comp = STRBUF_INIT;
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
			json_competences(&jw, p);
			json_kv_str(&jw, "telephone", p->telephone);
			json_list(&jw, "courriels", p->courriels);
			json_km(&jw, "distance_km", p->distance_km);
			json_kv_str(&jw, "motif", motif(&m, q, &p->reason, p->distance_km));
			json_object_end(&jw);
		}
		json_array_end(&jw);
		rc = json_finish(&jw);
		strbuf_release(&m);
		return rc;
	}
	t = out_table_new(9, f == OUT_TABLE ? human : keys);
	for (i = 0; i < r->np; i++) {
		const struct search_person *p = &r->p[i];
		const char *cells[9] = { id, p->nom, p->prenom, NULL, NULL, p->telephone,
					 p->courriels, km, motif(&m, q, &p->reason, p->distance_km) };
		snprintf(id, sizeof(id), "%lld", p->id);
		fmt_km(km, sizeof(km), p->distance_km);
		if (f == OUT_TABLE && p->distance_km >= 0)
			*strchr(km, '.') = ',';
		person_structures(&st, p);
		cells[3] = st.buf;
		/* a table says where each competence comes from; tsv and csv keep the list */
		strbuf_reset(&comp);
		if (f == OUT_TABLE)
			out_competences(p->themes, p->themes_via, &comp);
		cells[4] = f == OUT_TABLE ? comp.buf : p->themes;
		out_table_add(t, cells);
	}
	rc = out_table_write(t, f, fp, f == OUT_TABLE ? out_term_width(fp) : 0, 0);
	out_table_free(t);
	strbuf_release(&st);
	strbuf_release(&m);
	strbuf_release(&comp);
	return rc;
}

static int write_results(FILE *fp, enum out_format f, const struct search_query *q,
			 const struct search_results *r, bool now)
{
	if (q->persons)
		return write_persons(fp, f, q, r);
	if (f == OUT_JSON)
		return write_structures_json(fp, q, r);
	if (f == OUT_TABLE)
		return write_structures_table(fp, q, r, now);
	return write_structures_flat(fp, f, q, r);
}

/* ---------------------------------------------------------------- main */

static int search_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct search_opts o = { .cmd = &cmd_search, .format = OUT_TABLE };
	struct search_query q;
	struct search_results r = SEARCH_RESULTS_INIT;
	size_t shown, height;
	sqlite3 *db = NULL;
	int rc;

	search_query_init(&q);
	if ((rc = search_opts_parse(argc, argv, &o)))
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
	if ((rc = search_opts_query(db, &o, argc, argv, &q)))
		goto done;
	/* a table on a terminal shows what fits; the rest is counted */
	height = o.format == OUT_TABLE && !o.limit ? out_term_height(ctx->out) : 0;
	if (height) {
		/* header, rule, "… N more" and the prompt, and what was said on stderr */
		size_t used = 4 + q.ngroups + q.has_commune + q.has_when;
		height = height > used + 3 ? height - used : 3;
	}
	q.limit = o.limit ? (size_t)o.limit : height;
	/* the motif of data is the same in every language: it is worded when written */
	l10n_data_wording(o.format != OUT_TABLE);
	rc = search_run(db, &q, &r);
	if (rc) {
		l10n_data_wording(false);
		rc = cmd_fail(&cmd_search, QFQ_EXIT_FAIL);
		goto done;
	}
	shown = q.persons ? r.np : r.n;
	if (!shown && o.format == OUT_TABLE && search_open_filters(&q) && !q.persons) {
		/* nothing open: the next openings, said as such (exit 1 all the same) */
		if (search_next_openings(db, &q, q.limit ? q.limit : 10, &r)) {
			l10n_data_wording(false);
			rc = cmd_fail(&cmd_search, QFQ_EXIT_FAIL);
			goto done;
		}
		if (r.n) {
			fprintf(stderr, _("qfq search: nothing open at that time; the next openings:\n"));
			write_structures_table(ctx->out, &q, &r, o.open_now);
			l10n_data_wording(false);
			rc = QFQ_EXIT_NONE;
			goto done;
		}
	}
	if (!shown) {
		if (o.format == OUT_TABLE)
			fprintf(stderr, _("qfq search: nothing found\n"));
		else
			write_results(ctx->out, o.format, &q, &r, o.open_now);
		l10n_data_wording(false);
		rc = QFQ_EXIT_NONE;
		goto done;
	}
	rc = write_results(ctx->out, o.format, &q, &r, o.open_now);
	l10n_data_wording(false);
	if (rc) {
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
	.usage = N_("search [TEXT] [--theme T]... [--commune C | --no-commune] [--radius KM] [--epci E] "
		    "[--departement D] [--open-now | --open-at WHEN [--unknown-hours]] [--sans-rdv] [--public P] "
		    "[--type TYPO] [--gratuit] [--prise-en-charge P] [--acces M] [--rdv-en-ligne] [--persons] "
		    "[--format table|tsv|csv|json] [--limit N]"),
	.help = N_("TEXT is read as the full-screen interface reads its search line: words that name\n"
		   "a theme (\"caf\") become a theme, a commune's name (\"privas\") the place, the rest\n"
		   "is searched in names, aliases, descriptions, roles and theme labels (accents and\n"
		   "case ignored, each word as a prefix); a theme word that is also in structure\n"
		   "names gives those structures first (CAF ARDECHE), then the places offering the\n"
		   "theme. How the text was read is said on stderr (\"compris : ...\"). With no\n"
		   "criteria, the whole directory.\n\n"
		   "  --theme T, -t T     a theme label, slug or alias, folded, by prefix (\"impots\",\n"
		   "                      \"smartphone\"); a parent theme includes its sub-themes;\n"
		   "                      several --theme must all match\n"
		   "  --commune C, -c C   a name, former name, INSEE code or postcode; \"Saint-Julien (07)\"\n"
		   "                      picks one. Matches places within the radius, places that declare\n"
		   "                      they serve the commune, its EPCI or département, and permanences\n"
		   "                      held in or near it\n"
		   "  --radius KM, -r KM  the radius around the commune's centre (default 15)\n"
		   "  --no-commune        no centre: not even the configured commune (qfq config set\n"
		   "                      commune), which is otherwise the default centre\n"
		   "  --epci E            restrict to an EPCI (name or SIREN)\n"
		   "  --departement D, -d D  restrict to a département (code, e.g. 07)\n"
		   "  --open-now          only the places whose opening hours say open now\n"
		   "  --open-at WHEN      the same at \"mardi 14:00\", \"14h30\" or \"2024-07-10T14:00\"\n"
		   "  --unknown-hours     with --open-now/--open-at: then the places whose hours are\n"
		   "                      unknown, after the open ones, marked \"horaires inconnus\"\n"
		   "  --sans-rdv          leave out places that only see people by appointment;\n"
		   "                      walk-in places first\n"
		   "  --public P          places whose declared publics mention P (\"seniors\")\n"
		   "  --gratuit           free of charge (frais_a_charge: Gratuit, Gratuit sous condition)\n"
		   "  --prise-en-charge P a specific support (\"surdité\", \"handicap moteur\",\n"
		   "                      \"langues étrangères\")\n"
		   "  --acces M           how to get in (\"se présenter\", \"téléphoner\", \"mail\")\n"
		   "  --rdv-en-ligne      an online booking link\n"
		   "  --type TYPO         a typology code or label (MUNI, \"France Services\"), a national\n"
		   "                      label or programme (\"Conseillers numériques\", \"Aidants\n"
		   "                      Connect\"), or, without typology, what the name begins with\n"
		   "                      (\"France Services ...\", \"Mairie de ...\")\n"
		   "  --persons           search persons by competence instead of places\n"
		   "  --format FMT        table (default), tsv, csv or json\n"
		   "  --limit N, -n N     at most N results (a table otherwise shows what fits the\n"
		   "                      terminal, the other formats everything)\n\n"
		   "Ranking: names matched first, open (then unknown hours) and walk-in when asked,\n"
		   "the theme itself before its parent service, then distance, then how well the\n"
		   "text matches. Each result says why (Motif, json \"motif\").\n"
		   "Exit status: 0 results, 1 none, 2 usage error (unknown theme or commune,\n"
		   "ambiguous commune, bad time, invalid UTF-8)."),
	.exec = search_exec,
};
