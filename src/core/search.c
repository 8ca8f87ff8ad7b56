/*
 * search: the search engine (see search.h).
 *
 * A run has three stages, so that the work is proportional to what is
 * shown rather than to the size of the directory:
 *   1. one SQL statement, built for the query, collects the candidates
 *      with only what ranking needs (id, why it matched, coordinates,
 *      open at the asked time, the text rank qfq_rank (db/ftsrank.h),
 *      direct theme);
 *      it starts from the most selective source: the place (R*Tree box,
 *      declared territories, permanences), else the text (FTS5), else the
 *      first theme, else every structure. Themes and opening hours come
 *      from stored bitmaps (db/themesets.h, db/hoursets.h) as bit planes;
 *      the structures or members within the radius are collected by scans
 *      in C (box_scan(), members_scan()) when nothing else needs SQL;
 *   2. in C: exact distances, the radius, reasons merged per structure,
 *      ranking, the limit;
 *   3. details (address, contacts, services, matched themes, the exact
 *      opening state and next opening from the parsed hours) are read for
 *      the kept results only.
 * Every value is bound; theme ids come from the theme tree loaded at each
 * run (a few hundred rows). Free text never reaches FTS5 as syntax: it is
 * normalized to words and each word is quoted as a prefix string.
 */
#include "core/search_int.h"

bool idset_has(const struct idset *s, long long id)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (s->v[i] == id)
			return true;
	return false;
}

static void idset_add(struct idset *s, long long id)
{
	if (idset_has(s, id))
		return;
	XGROW(s->v, s->alloc, s->n + 1);
	s->v[s->n++] = id;
}

static void group_sets_build(const struct theme_tree *t, const struct search_theme_group *g,
			     struct group_sets *gs)
{
	size_t i, j, before;
	memset(gs, 0, sizeof(*gs));
	for (i = 0; i < g->themes.n; i++) {
		long long p = themes_tree_parent(t, g->themes.v[i].id);
		idset_add(&gs->direct, g->themes.v[i].id);
		while (p) {
			idset_add(&gs->ancestor, p);
			p = themes_tree_parent(t, p);
		}
	}
	/* descendants: add children of members until nothing changes */
	do {
		before = gs->direct.n;
		for (j = 0; j < t->n; j++)
			if (t->parent[j] && idset_has(&gs->direct, t->parent[j]))
				idset_add(&gs->direct, t->id[j]);
	} while (gs->direct.n != before);
	/* a theme both resolved and ancestor of another resolved one is direct */
	for (i = 0; i < gs->ancestor.n;) {
		if (idset_has(&gs->direct, gs->ancestor.v[i]))
			gs->ancestor.v[i] = gs->ancestor.v[--gs->ancestor.n];
		else
			i++;
	}
}

static void group_sets_free(struct group_sets *gs)
{
	free(gs->direct.v);
	free(gs->ancestor.v);
}

static int collect_structures(sqlite3 *db, struct plan *p, struct cands *cs)
{
	struct strbuf sql = STRBUF_INIT;
	struct binds b = { 0 };
	sqlite3_stmt *st = NULL;
	int rc;

	p->no_box = box_scan_usable(p);
	if (p->no_box && box_scan(db, p, cs))
		return -1;
	strbuf_addstr(&sql, "WITH src(id, why, plat, plon, pcode, pnom, score, glat, glon) AS (");
	sql_structure_source(&sql, &b, p);
	strbuf_addstr(&sql, ") SELECT src.id, src.why, src.plat, src.plon, src.pcode, src.pnom, ");
	strbuf_addstr(&sql, q_geo(p) ? GEO_OF("src") : "NULL, NULL, ");
	strbuf_addstr(&sql, p->row ? "s.sans_rdv, " : "NULL, ");
	strbuf_addstr(&sql, "src.score, ");
	sql_open_expr(&sql, &b, p);
	strbuf_addstr(&sql, ", ");
	sql_direct_expr(&sql, &b, p);
	strbuf_addstr(&sql, p->row ? ", s.nom_norm, s.publics FROM src JOIN structures s ON s.id = src.id " :
		      ", NULL, NULL FROM src ");
	strbuf_addstr(&sql, "WHERE 1");
	sql_structure_filters(&sql, &b, p);

	if (prepare_bound(db, &sql, &b, &st)) {
		rc = -1;
		goto done;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (p->publics && !publics_match(col_str(st, 13), p->publics))
			continue;
		if (p->stream)
			stream_row(p, st, cs);
		else
			take_row(p, st, cs);
		if (p->q->max_candidates && !p->stream && cs->n >= p->q->max_candidates) {
			p->capped = true;
			rc = SQLITE_DONE;
			break;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_error(db, "search");
	if (p->stream && p->q->max_candidates && p->scanned >= p->q->max_candidates)
		p->capped = true;
done:
	sqlite3_finalize(st);
	strbuf_release(&sql);
	free(b.v);
	return rc;
}

/* ------------------------------------------------------------- details */

/*
 * Why a candidate matched: its place reasons, then (when the caller wants
 * them: not for persons, who say it their own way) the theme and the
 * text. parents names the parent services of an ancestor match. The words
 * are the presentation's (out/motif.h).
 */
void fill_reason(struct plan *p, const struct cand *c, const char *parents,
			bool themes_and_text, struct search_reason *r)
{
	r->why = c->reasons;
	if (c->reasons & R_PERM) {
		r->perm_commune = c->perm_nom ? xstrdup(c->perm_nom) : NULL;
		r->perm_km = c->perm_dist;
	}
	if (!themes_and_text)
		return;
	if (p->q->ngroups && c->direct) {
		r->why |= SEARCH_WHY_THEME;
	} else if (p->q->ngroups) {
		r->why |= SEARCH_WHY_PARENT;
		r->parents = xstrdup(parents ? parents : "");
	}
	if (p->q->text && *p->q->text && p->fts.len)
		r->why |= SEARCH_WHY_TEXT;
	if (p->q->name_text && *p->q->name_text)
		r->why |= SEARCH_WHY_NAME;
	if (p->type.code)
		r->why |= SEARCH_WHY_TYPE;
	if (search_desk_asked(p->q))
		r->why |= SEARCH_WHY_DESK;
}

/* Appends label to a '|'-joined list. */
void list_add(struct strbuf *sb, const char *label)
{
	if (sb->len)
		strbuf_addch(sb, '|');
	strbuf_addstr(sb, label ? label : "");
}

char *detach_or_null(struct strbuf *sb)
{
	if (!sb->len) {
		strbuf_release(sb);
		return NULL;
	}
	return strbuf_detach(sb, NULL);
}

/* Exact state and next opening from the parsed hours (public holidays, comments). */
static void refine_hours(const struct search_query *q, struct search_structure *r)
{
	struct hours *h = NULL;
	struct tm next;
	bool closed = q->has_when && r->ferme_du && hours_closure_covers(r->ferme_du, r->ferme_au, &q->when);
	if (!q->has_when || !r->horaires || hours_parse(r->horaires, &h)) {
		if (closed) /* a temporary closure is known, hours or not */
			r->ouvert = SEARCH_CLOSED;
		else if (q->has_when && r->horaires)
			r->ouvert = SEARCH_OPEN_UNKNOWN;
		qfq_error_clear();
		return;
	}
	if (r->has_coords)
		hours_set_place(h, r->latitude, r->longitude);
	if (r->ferme_du)
		hours_set_closure(h, r->ferme_du, r->ferme_au);
	switch (hours_state_at(h, &q->when)) {
	case HOURS_OPEN: r->ouvert = SEARCH_OPEN; break;
	case HOURS_CLOSED: r->ouvert = SEARCH_CLOSED; break;
	default: r->ouvert = SEARCH_OPEN_UNKNOWN; break; /* unknown, or open with an unknown end */
	}
	if (hours_next_open(h, &q->when, &next) == 0) {
		char buf[32];
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M", &next);
		r->prochaine_ouverture = xstrdup(buf);
	}
	hours_free(h);
}

struct detail_stmts {
	sqlite3_stmt *row, *themes;
};

static int fill_structure(sqlite3 *db, struct plan *p, struct detail_stmts *ds,
			  const struct cand *c, struct search_structure *r)
{
	struct strbuf services = STRBUF_INIT, matched = STRBUF_INIT, parents = STRBUF_INIT;
	size_t g;
	int rc;

	memset(r, 0, sizeof(*r));
	r->id = c->id;
	r->distance_km = c->dist;
	r->sans_rdv = c->sans_rdv;
	r->ouvert = (enum search_open)c->open;
	r->direct = c->direct;
	r->rank = c->score;

	sqlite3_reset(ds->row);
	sqlite3_bind_int64(ds->row, 1, c->id);
	if ((rc = sqlite3_step(ds->row)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : db_error(db, "search");
	r->nom = col_dup(ds->row, 0);
	r->typologie = col_dup(ds->row, 1);
	r->commune = col_dup(ds->row, 2);
	r->code_insee = col_dup(ds->row, 3);
	r->adresse = col_dup(ds->row, 4);
	r->has_coords = sqlite3_column_type(ds->row, 5) != SQLITE_NULL;
	r->latitude = sqlite3_column_double(ds->row, 5);
	r->longitude = sqlite3_column_double(ds->row, 6);
	r->telephone = col_dup(ds->row, 7);
	r->courriels = col_dup(ds->row, 8);
	r->site_web = col_dup(ds->row, 9);
	r->horaires = col_dup(ds->row, 10);
	r->sans_rdv = sqlite3_column_type(ds->row, 11) == SQLITE_NULL ? -1 : sqlite3_column_int(ds->row, 11);
	r->ferme_du = col_dup(ds->row, 12);
	r->ferme_au = col_dup(ds->row, 13);

	sqlite3_reset(ds->themes);
	sqlite3_bind_int64(ds->themes, 1, c->id);
	while ((rc = sqlite3_step(ds->themes)) == SQLITE_ROW) {
		long long tid = sqlite3_column_int64(ds->themes, 0);
		const char *label = col_str(ds->themes, 1);
		list_add(&services, label);
		for (g = 0; g < p->q->ngroups; g++) {
			if (idset_has(&p->gs[g].direct, tid)) {
				list_add(&matched, label);
				break;
			}
			if (idset_has(&p->gs[g].ancestor, tid)) {
				list_add(&matched, label);
				if (parents.len)
					strbuf_addstr(&parents, ", ");
				strbuf_addstr(&parents, label);
				break;
			}
		}
	}
	if (rc != SQLITE_DONE)
		rc = db_error(db, "search");
	else
		rc = 0;
	r->services = detach_or_null(&services);
	r->themes = detach_or_null(&matched);
	refine_hours(p->q, r);
	fill_reason(p, c, parents.buf, true, &r->reason);
	strbuf_release(&parents);
	return rc;
}

static int details(sqlite3 *db, struct plan *p, struct cands *cs, size_t keep,
		   struct search_results *r)
{
	struct detail_stmts ds = { 0 };
	size_t i;
	int rc = -1;

	if (db_prepare(db, "SELECT s.nom, s.typologie, c.nom, s.code_insee, s.adresse, "
			   "coalesce(s.latitude, c.latitude), coalesce(s.longitude, c.longitude), "
			   "s.telephone, s.courriels, s.site_web, s.horaires, s.sans_rdv, s.ferme_du, s.ferme_au "
			   "FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee "
			   "WHERE s.id = ?1", &ds.row) ||
	    db_prepare(db, "SELECT t.id, t.label FROM structure_themes st JOIN themes t "
			   "ON t.id = st.theme_id WHERE st.structure_id = ?1 ORDER BY t.position, t.id",
		       &ds.themes))
		goto done;
	r->v = xcalloc(keep ? keep : 1, sizeof(*r->v));
	r->alloc = keep ? keep : 1;
	for (i = 0; i < keep; i++) {
		if (p->q->ids_only && !p->timed) {
			r->v[r->n++].id = cs->v[i].id;
			continue;
		}
		if (fill_structure(db, p, &ds, &cs->v[i], &r->v[r->n]))
			goto done;
		/* the exact hours may say closed where the index could not tell */
		if (!open_kept(p->q, r->v[r->n].ouvert)) {
			search_structure_free(&r->v[r->n]);
			r->total -= r->total > 0;
			continue;
		}
		r->n++;
	}
	/* the exact hours may have moved a place between open and closed */
	if (p->timed)
		qsort(r->v, r->n, sizeof(*r->v), cmp_result);
	rc = 0;
done:
	sqlite3_finalize(ds.row);
	sqlite3_finalize(ds.themes);
	return rc;
}

/* ------------------------------------------------------------------- run */

/* qfq_theme_in(theme_id, code): code = group * 2 + (ancestors included). */
static void theme_in_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct plan *p = sqlite3_user_data(ctx);
	long long id = sqlite3_value_int64(argv[0]);
	long long code = sqlite3_value_int64(argv[1]);
	size_t g = (size_t)(code / 2);
	(void)argc;
	if (code < 0 || g >= p->q->ngroups) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	sqlite3_result_int(ctx, idset_has(&p->gs[g].direct, id) ||
			   ((code & 1) && idset_has(&p->gs[g].ancestor, id)));
}

/* qfq_st_themed(id, code) / qfq_pt_themed(id, code): code as qfq_theme_in's. */
static void themed_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct themed *t = sqlite3_user_data(ctx);
	long long code = sqlite3_value_int64(argv[1]);
	(void)argc;
	sqlite3_result_int(ctx, code >= 0 && themed_has(t, sqlite3_value_int64(argv[0]), (size_t)code));
}

/* qfq_open_at(id): 1 open the whole half-hour, 2 part of it, 0 closed, 3 hours unknown. */
static void open_at_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct themed *t = sqlite3_user_data(ctx);
	long long id = sqlite3_value_int64(argv[0]);
	(void)argc;
	sqlite3_result_int(ctx, !themed_has(t, id, 0) ? 3 : themed_has(t, id, 1) ? 1 : themed_has(t, id, 2) ? 2 : 0);
}

/* qfq_near(lat, lon): within the radius of the commune's centre (as row_reason measures). */
static void near_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct plan *p = sqlite3_user_data(ctx);
	double d = geo_distance_km(p->q->lat, p->q->lon, sqlite3_value_double(argv[0]),
				   sqlite3_value_double(argv[1]));
	(void)argc;
	sqlite3_result_int(ctx, d >= 0 && d <= p->q->radius_km);
}

/* qfq_tick(): counts a row read (see sql_structure_source); always true. */
static void tick_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct plan *p = sqlite3_user_data(ctx);
	(void)argc;
	(void)argv;
	p->scanned++;
	sqlite3_result_int(ctx, 1);
}

/* The run's SQL functions; fn NULL removes them (they point at the run's frame). */
static int register_fns(sqlite3 *db, struct plan *p, bool on)
{
	int rc = 0;
	rc |= sqlite3_create_function(db, "qfq_theme_in", 2, SQLITE_UTF8, on ? p : NULL,
				      on ? theme_in_fn : NULL, NULL, NULL);
	rc |= sqlite3_create_function(db, "qfq_st_themed", 2, SQLITE_UTF8, on ? &p->st_sets : NULL,
				      on ? themed_fn : NULL, NULL, NULL);
	rc |= sqlite3_create_function(db, "qfq_pt_themed", 2, SQLITE_UTF8, on ? &p->pt_sets : NULL,
				      on ? themed_fn : NULL, NULL, NULL);
	rc |= sqlite3_create_function(db, "qfq_near", 2, SQLITE_UTF8, on ? p : NULL,
				      on ? near_fn : NULL, NULL, NULL);
	rc |= sqlite3_create_function(db, "qfq_open_at", 1, SQLITE_UTF8, on ? &p->open_sets : NULL,
				      on ? open_at_fn : NULL, NULL, NULL);
	rc |= sqlite3_create_function(db, "qfq_tick", 0, SQLITE_UTF8, on ? p : NULL,
				      on ? tick_fn : NULL, NULL, NULL);
	rc |= hours_exact_register_held(db, on && p->q->has_when ? &p->q->when : NULL);
	rc |= sqlite3_create_function(db, "qfq_desk", 4, SQLITE_UTF8, on ? (void *)p->q : NULL,
				      on ? search_desk_fn : NULL, NULL, NULL);
	rc |= sqlite3_create_function(db, "qfq_type", 4, SQLITE_UTF8, on ? &p->type : NULL,
				      on ? search_type_fn : NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : -1;
}

static int run_once(sqlite3 *db, const struct search_query *q, struct search_results *r)
{
	struct plan p;
	struct theme_tree tree = { 0 };
	struct cands cs = { 0 };
	size_t i, keep;
	int rc = -1;

	search_results_clear(r);
	memset(&p, 0, sizeof(p));
	strbuf_init(&p.fts, 0);
	p.q = q;
	rank_query = q;
	if (q->ngroups && themes_tree_load(db, &tree))
		goto done;
	p.gs = xcalloc(q->ngroups ? q->ngroups : 1, sizeof(*p.gs));
	for (i = 0; i < q->ngroups; i++)
		group_sets_build(&tree, &q->groups[i], &p.gs[i]);
	if (q->text && *q->text) {
		if (!fts_query(q->text, &p.fts) && !q->persons) { /* only punctuation: nothing can match */
			rc = 0;
			goto done;
		}
	}
	if (q->name_text && *q->name_text && !q->persons) {
		if (p.fts.len)
			strbuf_addch(&p.fts, ' ');
		search_name_fts(q->name_text, false, &p.fts);
	}
	p.place = q->has_commune || q->epci || q->departement;
	if (q->has_center)
		geo_box_around(q->lat, q->lon, q->radius_km, &p.box);
	p.timed = search_open_filters(q);
	if (p.timed)
		p.minute = ((q->when.tm_wday + 6) % 7) * 1440 + q->when.tm_hour * 60 + q->when.tm_min;
	if (q->typologie && search_type_resolve(db, q->typologie, &p.type))
		goto done;
	if (q->publics && *q->publics)
		p.publics = text_norm_dup(q->publics);
	p.row = q->sans_rdv || p.type.code || search_desk_asked(q) || p.publics || (q->has_commune && (q->epci || q->departement)) ||
		(q->epci && q->departement) || (!p.place && !p.fts.len);

	if (register_fns(db, &p, true)) {
		db_error(db, "search");
		goto done;
	}
	if (plan_sets(db, &p) || plan_open(db, &p) || (q->has_when && hours_exact_open(db, &q->when, &p.exact)))
		goto done;
	if (q->persons) {
		rc = run_persons(db, &p, r);
		goto done;
	}
	/* the ranking of a listing is its ORDER BY (cmp_cand: equal up to the name);
	 * it reads q->limit rows whatever q->max_candidates */
	p.listing = !p.place && !p.fts.len && (!q->ngroups || p.sets) && !p.timed && !q->sans_rdv &&
		    !p.type.code && !p.publics && !search_desk_asked(q) && q->limit;
	p.stream = !p.place && !p.listing && p.fts.len && q->limit;
	if (collect_structures(db, &p, &cs))
		goto done;
	settle(&p, &cs);
	keep = q->limit && q->limit < cs.n ? q->limit : cs.n;
	psort(cs.v, cs.n, sizeof(*cs.v), keep, cmp_cand);
	r->total = p.stream ? p.matched : cs.n;
	if (p.listing && count_structures(db, &p, &r->total))
		goto done;
	rc = details(db, &p, &cs, keep, r);
done:
	r->capped = p.capped;
	/* the functions point at this stack frame: remove them */
	register_fns(db, &p, false);
	free(p.open_sets.bits);
	hours_exact_close(p.exact);
	free(p.settled.w);
	free(p.deferred);
	free(p.st_sets.bits);
	free(p.pt_sets.bits);
	for (i = 0; p.gs && i < q->ngroups; i++)
		group_sets_free(&p.gs[i]);
	free(p.gs);
	search_type_clear(&p.type);
	free(p.publics);
	strbuf_release(&p.fts);
	themes_tree_clear(&tree);
	cands_free(&cs);
	return rc;
}

static void search_reason_free(struct search_reason *r)
{
	free(r->perm_commune);
	free(r->parents);
	memset(r, 0, sizeof(*r));
}

void search_structure_free(struct search_structure *s)
{
	free(s->nom); free(s->typologie); free(s->commune); free(s->code_insee);
	free(s->adresse); free(s->services); free(s->themes); free(s->telephone);
	free(s->courriels); free(s->site_web); free(s->horaires);
	free(s->ferme_du); free(s->ferme_au);
	free(s->prochaine_ouverture);
	search_reason_free(&s->reason);
	memset(s, 0, sizeof(*s));
}

/* Whether r holds the structure id among its first n. */
static bool results_have(const struct search_results *r, size_t n, long long id)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (r->v[i].id == id)
			return true;
	return false;
}

/*
 * A query whose typed words are both a theme and in structure names
 * (struct search_theme_group.name_too): first the structures named so,
 * with every other criterion, then those that offer the theme. 0 or -1.
 */
static int run_names_then_themes(sqlite3 *db, const struct search_query *q, struct search_results *r)
{
	struct search_query named = *q;
	struct search_theme_group *kept = xcalloc(q->ngroups, sizeof(*kept));
	struct search_results themed = SEARCH_RESULTS_INIT;
	struct strbuf words = STRBUF_INIT;
	size_t i, n1, dup = 0;
	int rc = -1;

	named.ngroups = 0;
	for (i = 0; i < q->ngroups; i++) {
		if (q->groups[i].name_too) {
			if (words.len)
				strbuf_addch(&words, ' ');
			strbuf_addstr(&words, q->groups[i].typed);
		} else {
			kept[named.ngroups++] = q->groups[i];
		}
	}
	named.groups = kept;
	named.name_text = words.buf;
	if (run_once(db, &named, r))
		goto done;
	n1 = r->n;
	named = *q;
	named.limit = q->limit ? q->limit + n1 : 0;
	if (run_once(db, &named, &themed))
		goto done;
	for (i = 0; i < themed.n; i++) {
		if (results_have(r, n1, themed.v[i].id) || (q->limit && r->n >= q->limit)) {
			dup += results_have(r, n1, themed.v[i].id);
			search_structure_free(&themed.v[i]);
			continue;
		}
		XGROW(r->v, r->alloc, r->n + 1);
		r->v[r->n++] = themed.v[i];
	}
	r->total += themed.total - dup;
	r->capped |= themed.capped;
	themed.n = 0;
	rc = 0;
done:
	search_results_clear(&themed);
	strbuf_release(&words);
	free(kept);
	return rc;
}

int search_run(sqlite3 *db, const struct search_query *q, struct search_results *r)
{
	size_t i;
	if (!q->persons && !q->name_text)
		for (i = 0; i < q->ngroups; i++)
			if (q->groups[i].name_too)
				return run_names_then_themes(db, q, r);
	return run_once(db, q, r);
}

void search_results_clear(struct search_results *r)
{
	size_t i, j;
	for (i = 0; i < r->n; i++)
		search_structure_free(&r->v[i]);
	for (i = 0; i < r->np; i++) {
		struct search_person *p = &r->p[i];
		for (j = 0; j < p->nstructures; j++) {
			free(p->structures[j].nom);
			free(p->structures[j].role);
		}
		free(p->structures);
		free(p->nom); free(p->prenom); free(p->themes); free(p->themes_via); free(p->telephone);
		free(p->courriels);
		search_reason_free(&p->reason);
	}
	free(r->v);
	free(r->p);
	memset(r, 0, sizeof(*r));
}
