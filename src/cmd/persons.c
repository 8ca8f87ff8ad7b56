/*
 * persons: `qfq persons [--theme T] [--structure S] [--format F] [--limit N]`
 * lists people with their structures and roles, competences and the
 * meetings they attended; `qfq persons --erase ID` erases one person
 * completely (the right to erasure).
 * Exit 0 found, 1 nothing, 2 bad usage.
 */
#include "cmd/cmd.h"
#include "cmd/search_opts.h"
#include "core/config.h"
#include "core/paths.h"
#include "core/search.h"
#include "cmd/entity.h"
#include "core/names.h"
#include "core/text.h"
#include "core/themes.h"
#include "db/merge.h"
#include "db/structures.h"
#include "out/json.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

struct person {
	long long id;
	char *nom, *prenom, *courriels, *telephones;
	char *sortkey;
};

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? xstrdup((const char *)s) : NULL;
}

static int cmp_person(const void *a, const void *b)
{
	const struct person *x = a, *y = b;
	int c = strcmp(x->sortkey, y->sortkey);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/*
 * The people the search engine finds (core/search.h, the one definition of
 * a competence: declared, or a theme of a structure where they act) for
 * the theme and place in so, as a JSON array of ids. 0 or an exit status.
 */
static int found_ids(sqlite3 *db, struct search_opts *so, int argc, char **argv, struct strbuf *json)
{
	struct search_query q;
	struct search_results r = SEARCH_RESULTS_INIT;
	size_t i;
	int rc;
	search_query_init(&q);
	if ((rc = search_opts_query(db, so, argc, argv, &q)) == 0) {
		q.limit = 0;
		if (search_run(db, &q, &r)) {
			rc = cmd_fail(&cmd_persons, QFQ_EXIT_FAIL);
		} else {
			strbuf_addch(json, '[');
			for (i = 0; i < r.np; i++)
				strbuf_addf(json, "%s%lld", i ? "," : "", r.p[i].id);
			strbuf_addch(json, ']');
		}
	}
	search_results_clear(&r);
	search_query_clear(&q);
	return rc;
}

/* JSON array of the structures q names: an id, a name or alias, else a part of a name. */
static int structure_ids(sqlite3 *db, const char *q, struct strbuf *json)
{
	struct strbuf key = STRBUF_INIT;
	sqlite3_int64 id;
	sqlite3_stmt *st;
	sqlite3_int64 n;
	int rc = 0;

	strbuf_addch(json, '[');
	if (cmd_id_read(q, &n) == 0) {
		strbuf_addint(json, n);
		rc = 1;
		goto done;
	}
	names_structure_key(&key, q);
	if ((rc = structure_find_by_key(db, key.buf, &id)) < 0)
		goto done;
	if (rc) {
		strbuf_addint(json, id);
		goto done;
	}
	if (db_prepare(db, "SELECT id FROM structures WHERE instr(nom_norm, ?1) > 0 UNION "
			   "SELECT structure_id FROM structure_aliases WHERE instr(alias_norm, ?1) > 0", &st)) {
		rc = -1;
		goto done;
	}
	sqlite3_bind_text(st, 1, key.buf, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		strbuf_addf(json, "%s%lld", json->len > 1 ? "," : "", (long long)sqlite3_column_int64(st, 0));
		rc = 1;
	}
	sqlite3_finalize(st);
done:
	strbuf_addch(json, ']');
	strbuf_release(&key);
	return rc;
}

static int load(sqlite3 *db, const char *found, const char *structures, struct person **out, size_t *n)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, "SELECT id, nom, prenom, courriels, telephones FROM persons p WHERE "
			   "(?1 IS NULL OR id IN (SELECT value FROM json_each(?1))) AND "
			   "(?2 IS NULL OR id IN (SELECT person_id FROM memberships WHERE structure_id IN "
			   "(SELECT value FROM json_each(?2))))", &st))
		return -1;
	if (found)
		sqlite3_bind_text(st, 1, found, -1, SQLITE_STATIC);
	if (structures)
		sqlite3_bind_text(st, 2, structures, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct person *p;
		struct strbuf k = STRBUF_INIT;
		XGROW(*out, alloc, *n + 1);
		p = &(*out)[(*n)++];
		p->id = sqlite3_column_int64(st, 0);
		p->nom = col_dup(st, 1);
		p->prenom = col_dup(st, 2);
		p->courriels = col_dup(st, 3);
		p->telephones = col_dup(st, 4);
		text_norm(&k, p->nom, strlen(p->nom));
		strbuf_addch(&k, '\x01');
		if (p->prenom)
			text_norm(&k, p->prenom, strlen(p->prenom));
		p->sortkey = strbuf_detach(&k, NULL);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "persons");
	if (*n) /* no qsort of NULL: undefined even for 0 elements (UBSan) */
		qsort(*out, *n, sizeof(**out), cmp_person);
	return 0;
}

/* Related rows of one person, the statements prepared once. */
struct related {
	sqlite3_stmt *structures, *meetings, *themes;
};

static const char *presence_label(const char *p)
{
	return !strcmp(p, "present") ? _("présent") : !strcmp(p, "excuse") ? _("excusé") : _("absent");
}

static void json_list(struct json_writer *jw, const char *key, const char *list)
{
	json_key(jw, key);
	json_array_begin(jw);
	while (list && *list) {
		size_t l = strcspn(list, "|");
		json_strn(jw, list, l);
		list += l + (list[l] == '|');
	}
	json_array_end(jw);
}

static void write_json_person(struct json_writer *jw, const struct person *p, struct related *r)
{
	json_object_begin(jw);
	json_key(jw, "id");
	json_int(jw, p->id);
	json_kv_str(jw, "nom", p->nom);
	json_kv_str(jw, "prenom", p->prenom);
	json_key(jw, "structures");
	json_array_begin(jw);
	sqlite3_bind_int64(r->structures, 1, p->id);
	while (sqlite3_step(r->structures) == SQLITE_ROW) {
		json_object_begin(jw);
		json_key(jw, "id");
		json_int(jw, sqlite3_column_int64(r->structures, 2));
		json_kv_str(jw, "nom", (const char *)sqlite3_column_text(r->structures, 0));
		json_kv_str(jw, "role", (const char *)sqlite3_column_text(r->structures, 1));
		json_object_end(jw);
	}
	sqlite3_reset(r->structures);
	json_array_end(jw);
	json_list(jw, "courriels", p->courriels);
	json_list(jw, "telephones", p->telephones);
	json_key(jw, "reunions");
	json_array_begin(jw);
	sqlite3_bind_int64(r->meetings, 1, p->id);
	while (sqlite3_step(r->meetings) == SQLITE_ROW) {
		json_object_begin(jw);
		json_kv_str(jw, "titre", (const char *)sqlite3_column_text(r->meetings, 0));
		json_kv_str(jw, "date", (const char *)sqlite3_column_text(r->meetings, 1));
		json_kv_str(jw, "presence", (const char *)sqlite3_column_text(r->meetings, 2));
		json_object_end(jw);
	}
	sqlite3_reset(r->meetings);
	json_array_end(jw);
	json_key(jw, "themes");
	json_array_begin(jw);
	sqlite3_bind_int64(r->themes, 1, p->id);
	while (sqlite3_step(r->themes) == SQLITE_ROW) {
		json_object_begin(jw);
		json_kv_str(jw, "slug", (const char *)sqlite3_column_text(r->themes, 0));
		json_kv_str(jw, "label", (const char *)sqlite3_column_text(r->themes, 1));
		json_key(jw, "referent");
		json_bool(jw, sqlite3_column_int(r->themes, 2));
		/* where the competence comes from: null declared, else the structure */
		json_kv_str(jw, "via", (const char *)sqlite3_column_text(r->themes, 3));
		json_object_end(jw);
	}
	sqlite3_reset(r->themes);
	json_array_end(jw);
	json_object_end(jw);
}

/* Table cells of one person: structures with roles, meetings, themes. */
static void person_cells(const struct person *p, struct related *r, bool human, struct strbuf *structs,
			 struct strbuf *meets, struct strbuf *themes)
{
	sqlite3_bind_int64(r->structures, 1, p->id);
	while (sqlite3_step(r->structures) == SQLITE_ROW) {
		const char *role = (const char *)sqlite3_column_text(r->structures, 1);
		strbuf_addf(structs, "%s%s", structs->len ? "; " : "", sqlite3_column_text(r->structures, 0));
		if (role)
			strbuf_addf(structs, " (%s)", role);
	}
	sqlite3_reset(r->structures);
	sqlite3_bind_int64(r->meetings, 1, p->id);
	while (sqlite3_step(r->meetings) == SQLITE_ROW) {
		const char *pr = (const char *)sqlite3_column_text(r->meetings, 2);
		strbuf_addf(meets, "%s%s %s", meets->len ? "; " : "", sqlite3_column_text(r->meetings, 1),
			    human ? presence_label(pr) : pr);
	}
	sqlite3_reset(r->meetings);
	sqlite3_bind_int64(r->themes, 1, p->id);
	while (sqlite3_step(r->themes) == SQLITE_ROW) {
		const char *via = (const char *)sqlite3_column_text(r->themes, 3);
		strbuf_addf(themes, "%s%s", themes->len ? "; " : "", sqlite3_column_text(r->themes, 1));
		if (via)
			strbuf_addf(themes, " (%s %s)", human ? _("via") : "via", via);
		else if (sqlite3_column_int(r->themes, 2))
			strbuf_addstr(themes, human ? _(" (référent)") : " (referent)");
		else if (human)
			strbuf_addf(themes, " (%s)", _("déclarée"));
	}
	sqlite3_reset(r->themes);
}

static int write_list(FILE *fp, enum out_format f, sqlite3 *db, const struct person *v, size_t n)
{
	struct related r = { NULL, NULL, NULL };
	size_t i;
	int rc = -1;

	if (db_prepare(db, "SELECT s.nom, m.role, s.id FROM memberships m JOIN structures s ON s.id = m.structure_id "
			   "WHERE m.person_id = ?1 ORDER BY s.nom_norm", &r.structures) ||
	    db_prepare(db, "SELECT e.titre, e.date, a.presence FROM attendance a JOIN events e ON e.id = a.event_id "
			   "WHERE a.person_id = ?1 ORDER BY e.date, e.titre", &r.meetings) ||
	    db_prepare(db, "SELECT slug, label, referent, via FROM (SELECT t.slug, t.label, pt.referent, "
			   "NULL AS via, t.position FROM person_themes pt JOIN themes t ON t.id = pt.theme_id "
			   "WHERE pt.person_id = ?1 UNION SELECT t.slug, t.label, 0, s.nom, t.position "
			   "FROM memberships m JOIN structures s ON s.id = m.structure_id JOIN structure_themes st "
			   "ON st.structure_id = s.id JOIN themes t ON t.id = st.theme_id WHERE m.person_id = ?1 "
			   "AND (m.fin IS NULL OR m.fin >= date('now'))) "
			   "ORDER BY via IS NOT NULL, via, position, label", &r.themes))
		goto done;
	if (f == OUT_JSON) {
		struct json_writer jw;
		json_init(&jw, fp, true);
		json_array_begin(&jw);
		for (i = 0; i < n; i++)
			write_json_person(&jw, &v[i], &r);
		json_array_end(&jw);
		rc = json_finish(&jw) ? qfq_error(_("cannot write the output")) : 0;
	} else {
		static const char *const keys[] = { "id", "nom", "prenom", "structures", "reunions",
						    "themes", "courriels", "telephones" };
		const char *human[] = { _("ID"), _("Nom"), _("Prénom"), _("Structures (rôle)"), _("Réunions"),
					_("Compétences"), _("Courriels"), _("Téléphones") };
		struct out_table *t = out_table_new(8, f == OUT_TABLE ? human : keys);
		struct strbuf s = STRBUF_INIT, m = STRBUF_INIT, th = STRBUF_INIT, m1 = STRBUF_INIT, t1 = STRBUF_INIT;
		char id[32];
		for (i = 0; i < n; i++) {
			const char *cells[8];
			const char *sep = f == OUT_TABLE ? ", " : "|";
			const char *p;
			strbuf_reset(&s);
			strbuf_reset(&m);
			strbuf_reset(&th);
			strbuf_reset(&m1);
			strbuf_reset(&t1);
			person_cells(&v[i], &r, f == OUT_TABLE, &s, &m, &th);
			for (p = v[i].courriels; p && *p; p++)
				*p == '|' ? strbuf_addstr(&m1, sep) : strbuf_addch(&m1, *p);
			for (p = v[i].telephones; p && *p; p++)
				*p == '|' ? strbuf_addstr(&t1, sep) : strbuf_addch(&t1, *p);
			snprintf(id, sizeof(id), "%lld", v[i].id);
			cells[0] = id;
			cells[1] = v[i].nom;
			cells[2] = v[i].prenom;
			cells[3] = s.buf;
			cells[4] = m.buf;
			cells[5] = th.buf;
			cells[6] = m1.buf;
			cells[7] = t1.buf;
			out_table_add(t, cells);
		}
		rc = out_table_write(t, f, fp, out_term_width(fp), 0);
		out_table_free(t);
		strbuf_release(&s);
		strbuf_release(&m);
		strbuf_release(&th);
		strbuf_release(&m1);
		strbuf_release(&t1);
	}
done:
	sqlite3_finalize(r.structures);
	sqlite3_finalize(r.meetings);
	sqlite3_finalize(r.themes);
	return rc;
}

/* --erase ID: the same as `qfq forget person ID` (cmd/forget.c). */
static int erase(struct cmd_ctx *ctx, const char *arg, bool yes)
{
	sqlite3_int64 id;
	int rc;

	if ((rc = cmd_parse_id(&cmd_persons, "--erase", arg[0] == 'p' ? arg + 1 : arg, &id)))
		return rc;
	return cmd_forget_person(&cmd_persons, ctx, id, yes);
}

static int persons_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "theme", required_argument, NULL, 't' },
		{ "structure", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'n' },
		{ "erase", required_argument, NULL, 'E' },
		{ "commune", required_argument, NULL, 'c' },
		{ "radius", required_argument, NULL, 'r' },
		{ "no-commune", no_argument, NULL, 'N' },
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	struct search_opts so = { .cmd = &cmd_persons, .persons = true };
	char *radius_end;
	const char *theme = NULL, *structure = NULL, *erase_id = NULL;
	bool yes = false;
	struct strbuf found = STRBUF_INIT, sj = STRBUF_INIT;
	struct config cfg = CONFIG_INIT;
	bool engine;
	struct person *v = NULL;
	enum out_format f = OUT_TABLE;
	long limit = 0;
	size_t n = 0, shown, i;
	sqlite3 *db;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_persons, argc, argv, "t:s:f:n:c:r:", opts, NULL)) != -1) {
		switch (opt) {
		case 't': theme = optarg; break;
		case 'c': so.commune = optarg; break;
		case 'N': so.no_commune = true; break;
		case 'r':
			so.radius = strtod(optarg, &radius_end);
			if (radius_end == optarg || *radius_end || !(so.radius > 0 && so.radius <= 1000))
				return cmd_usage_error(&cmd_persons, _("--radius expects kilometres between 0 and 1000, "
								       "not \"%s\""), optarg);
			so.radius_set = true;
			break;
		case 's': structure = optarg; break;
		case 'f': if ((rc = cmd_parse_format(&cmd_persons, optarg, &f))) return rc; break;
		case 'n': if ((rc = cmd_parse_count(&cmd_persons, "--limit", optarg, &limit))) return rc; break;
		case 'E': erase_id = optarg; break;
		case 'y': yes = true; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_persons, _("unexpected argument \"%s\""), argv[optind]);
	if (erase_id)
		return erase(ctx, erase_id, yes);
	if (so.no_commune && so.commune)
		return cmd_usage_error(&cmd_persons, _("--no-commune and --commune exclude each other"));
	if ((theme && (rc = cmd_check_text(&cmd_persons, "--theme", theme))) ||
	    (structure && (rc = cmd_check_text(&cmd_persons, "--structure", structure))))
		return rc;
	if ((rc = cmd_open_db(&cmd_persons, ctx, DB_READ, &db)))
		return rc;
	/*
	 * By competence or place: the search engine's persons (the same as
	 * `qfq search --persons` and the Personnes view), around the
	 * configured commune unless --no-commune; the whole list otherwise.
	 */
	config_load(paths_config_file(), &cfg);
	engine = theme || so.commune ||
		 (!so.no_commune && !structure && config_get(&cfg, "commune") && *config_get(&cfg, "commune"));
	config_clear(&cfg);
	if (engine) {
		so.themes = theme ? (char **)&theme : NULL;
		so.nthemes = theme != NULL;
		so.format = f;
		if ((rc = found_ids(db, &so, argc, argv, &found)))
			goto done;
	}
	if (structure && (rc = structure_ids(db, structure, &sj)) <= 0) {
		if (rc < 0) {
			rc = cmd_fail(&cmd_persons, QFQ_EXIT_FAIL);
		} else {
			fprintf(stderr, _("qfq persons: no structure matches \"%s\"\n"), structure);
			rc = QFQ_EXIT_USAGE;
		}
		goto done;
	}
	if (load(db, engine ? found.buf : NULL, structure ? sj.buf : NULL, &v, &n)) {
		rc = cmd_fail(&cmd_persons, QFQ_EXIT_FAIL);
		goto done;
	}
	shown = limit && (size_t)limit < n ? (size_t)limit : n;
	if (!n && f != OUT_JSON) {
		fprintf(stderr, _("qfq persons: nobody matches\n"));
		rc = QFQ_EXIT_NONE;
		goto done;
	}
	rc = write_list(ctx->out, f, db, v, shown) ? cmd_fail(&cmd_persons, QFQ_EXIT_FAIL)
					       : n ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
done:
	for (i = 0; v && i < n; i++) {
		free(v[i].nom);
		free(v[i].prenom);
		free(v[i].courriels);
		free(v[i].telephones);
		free(v[i].sortkey);
	}
	free(v);
	strbuf_release(&found);
	strbuf_release(&sj);
	db_close(db);
	return rc;
}

const struct cmd cmd_persons = {
	.name = "persons",
	.summary = N_("list people: structures and roles, competences, meetings attended"),
	.usage = N_("persons [--theme T] [--commune C [--radius KM] | --no-commune] [--structure S]\n"
		    "        [--format table|tsv|csv|json] [--limit N]\n"
		    "persons --erase ID [--yes]"),
	.help = N_("  --theme T       people with competence T (a theme or any of its names; a theme\n"
		   "                  includes its sub-themes): declared for them, or a theme of a\n"
		   "                  structure where they act (shown \"via\" it), the same people as\n"
		   "                  `qfq search --persons --theme T` and the Personnes view\n"
		   "  --commune C     people acting near C (radius --radius KM, default 15); the\n"
		   "                  configured commune (qfq config set commune) is the default\n"
		   "                  centre, said on stderr\n"
		   "  --no-commune    no centre: everyone (with --theme: everyone with it)\n"
		   "  --structure S   members of S (an id, a name or alias, or a part of a name)\n"
		   "  --format FMT    table, tsv, csv or json (keys id, nom, prenom, structures with\n"
		   "                  nom and role, courriels, telephones, reunions with titre, date\n"
		   "                  and presence, themes)\n"
		   "  --limit N       at most N people\n"
		   "  --erase ID      erase person ID completely, as `qfq forget person ID` does: the\n"
		   "                  person, memberships, attendance, competences, mentions, and\n"
		   "                  their values in the history and the audit log\n"
		   "  --yes           with --erase: do not ask for confirmation\n\n"
		   "Exit status: 0 found, 1 nobody matches, 2 bad usage."),
	.exec = persons_exec,
};
