/*
 * search_persons: persons by competence near a place: the members of the
 * structures of the place (scanned from structure_members, or by SQL),
 * their declared competences and their structures' themes, ranked and
 * filled in.
 */
#include "core/search_int.h"

static int cmp_pcand(const void *x, const void *y)
{
	const struct pcand *a = x, *b = y;
	int c;
	if (rank_query->ngroups && (c = (int)!a->direct - (int)!b->direct))
		return c;
	if ((a->dist < 0) != (b->dist < 0))
		return a->dist < 0 ? 1 : -1;
	if ((c = cmp_num(a->dist, b->dist)))
		return c;
	if ((c = strcmp(a->name ? a->name : "", b->name ? b->name : "")))
		return c;
	return cmp_num((double)a->id, (double)b->id);
}

/* LIKE patterns for person names: each word must start a word of name_key. */
static void sql_person_name(struct strbuf *sql, struct binds *b, struct plan *p,
			    struct strbuf *patterns, size_t *offsets, size_t *n)
{
	struct strbuf norm = STRBUF_INIT;
	const char *t;
	size_t i;
	*n = 0;
	text_norm(&norm, p->q->text, strlen(p->q->text));
	for (t = norm.buf; *t && *n < MAX_FTS_TOKENS;) {
		size_t len = strcspn(t, " ");
		offsets[(*n)++] = patterns->len;
		strbuf_addstr(patterns, "% ");
		for (i = 0; i < utf8_cut(t, len, MAX_TOKEN_BYTES); i++) {
			if (t[i] == '%' || t[i] == '_' || t[i] == '\\')
				strbuf_addch(patterns, '\\');
			strbuf_addch(patterns, t[i]);
		}
		strbuf_addch(patterns, '%');
		strbuf_addch(patterns, '\0');
		t += len;
		while (*t == ' ')
			t++;
	}
	strbuf_release(&norm);
	strbuf_addch(sql, '(');
	for (i = 0; i < *n; i++) {
		strbuf_addstr(sql, i ? " AND " : "(");
		strbuf_addstr(sql, "(' ' || p.name_key) LIKE ");
		add_text(sql, b, NULL); /* filled once patterns stop moving */
		strbuf_addstr(sql, " ESCAPE '\\'");
	}
	strbuf_addstr(sql, *n ? ")" : "0");
	if (p->fts.len)
	{
		strbuf_addstr(sql, " OR pm.sid IN (SELECT rowid FROM structures_fts WHERE structures_fts MATCH ");
		add_text(sql, b, p->fts.buf);
		strbuf_addch(sql, ')');
	}
	strbuf_addch(sql, ')');
}

/* Merges one (person, structure) row: reasons, nearest distance, competence. */
/* Adds what one (person, structure) pair says to the person's candidate. */
static struct cand *person_hit(struct cands *cs, long long pid, unsigned why, double dist, bool direct)
{
	struct cand *c = cands_get(cs, pid);
	c->seen = true;
	c->reasons |= why;
	if (dist >= 0 && (c->dist < 0 || dist < c->dist))
		c->dist = dist;
	c->direct |= direct;
	return c;
}

static void take_person_row(struct plan *p, sqlite3_stmt *st, struct cands *cs)
{
	const struct search_query *q = p->q;
	long long stm = sqlite3_column_int64(st, 14);
	struct cand *c;
	double dist = -1, pd = -1;
	char *pnom = NULL;
	unsigned why;
	size_t g;

	/* every group: offered by this structure, or a declared competence */
	for (g = 0; g < q->ngroups && g < MAX_GROUPS; g++)
		if (!((stm >> g) & 1) && sqlite3_column_int(st, 15 + (int)g) <= 0)
			return;
	if (q->has_center && sqlite3_column_type(st, 7) != SQLITE_NULL)
		dist = geo_distance_km(q->lat, q->lon, sqlite3_column_double(st, 7),
				       sqlite3_column_double(st, 8));
	why = row_reason(q, st, sqlite3_column_int(st, 2), dist, 3, &pd, &pnom);
	if (p->place && !why)
		return;
	if (why == R_PERM && pd >= 0 && (dist < 0 || pd < dist))
		dist = pd;
	c = person_hit(cs, sqlite3_column_int64(st, 0), why, dist,
		       q->ngroups && sqlite3_column_int(st, 15) > 0);
	if (!c->nom_norm)
		c->nom_norm = text_norm_dup((const char *)sqlite3_column_text(st, 13));
	if (why == R_PERM)
		keep_perm(c, pd, pnom);
}

/*
 * One (person, structure) pair the members path found. The pairs are
 * appended as they come and folded per person at the end (phits_fold):
 * thousands of them, and a hash table keyed by person cost more than
 * the scan itself (random memory, a page fault per new page of entries).
 */
struct phit {
	long long pid;
	double dist;             /* < 0 unknown */
	double perm_dist;        /* the permanence's, when why is R_PERM */
	char *perm_nom;          /* its commune (owned), or NULL */
	unsigned why;            /* R_* */
	bool direct;             /* a declared competence of the first group */
};

struct phits {
	struct phit *v;
	size_t n, alloc;
};

static void phit_add(struct phits *h, long long pid, unsigned why, double dist, bool direct,
		     double perm_dist, char *perm_nom)
{
	struct phit *x;
	XGROW(h->v, h->alloc, h->n + 1);
	x = &h->v[h->n];
	x->pid = pid;
	h->n++;
	x->dist = dist;
	x->perm_dist = perm_dist;
	x->perm_nom = perm_nom;
	x->why = why;
	x->direct = direct;
}

/*
 * The pairs' positions ordered by person, arrival order kept among equal
 * persons: a stable radix sort on the id (three passes of 11 bits; ids
 * are below MEMBERSGEO_MAX_ID), cheaper than comparing thousands of pairs.
 */
static size_t *phits_order(const struct phits *h)
{
	size_t *ord = xmalloc((h->n ? h->n : 1) * sizeof(*ord));
	size_t *tmp = xmalloc((h->n ? h->n : 1) * sizeof(*tmp));
	size_t i, pass;
	for (i = 0; i < h->n; i++)
		ord[i] = i;
	for (pass = 0; pass < 3; pass++) {
		size_t count[2048 + 1] = { 0 }, *t;
		unsigned shift = (unsigned)(11 * pass);
		for (i = 0; i < h->n; i++)
			count[((unsigned long long)h->v[ord[i]].pid >> shift & 2047) + 1]++;
		for (i = 0; i < 2048; i++)
			count[i + 1] += count[i];
		for (i = 0; i < h->n; i++)
			tmp[count[(unsigned long long)h->v[ord[i]].pid >> shift & 2047]++] = ord[i];
		t = ord;
		ord = tmp;
		tmp = t;
	}
	free(tmp);
	return ord;
}

/* One candidate per person, as take_person_row() merges rows; frees h. */
static void phits_fold(struct phits *h, struct pcand **out, size_t *nout)
{
	size_t *ord = phits_order(h);
	size_t i, alloc = 0;
	for (i = 0; i < h->n; i++) {
		const struct phit *x = &h->v[ord[i]];
		struct pcand *c;
		if (!i || x->pid != h->v[ord[i - 1]].pid) {
			XGROW(*out, alloc, *nout + 1);
			c = &(*out)[(*nout)++];
			memset(c, 0, sizeof(*c));
			c->id = x->pid;
			c->dist = -1;
			c->perm_dist = -1;
		}
		c = &(*out)[*nout - 1];
		c->reasons |= x->why;
		if (x->dist >= 0 && (c->dist < 0 || x->dist < c->dist))
			c->dist = x->dist;
		c->direct |= x->direct;
		if (x->why != R_PERM)
			continue;
		/* as keep_perm(): the nearest permanence's commune */
		if (!c->perm_nom || (x->perm_dist >= 0 && (c->perm_dist < 0 || x->perm_dist < c->perm_dist))) {
			free(c->perm_nom);
			c->perm_nom = x->perm_nom;
			c->perm_dist = x->perm_dist;
		} else {
			free(x->perm_nom);
		}
	}
	free(ord);
	free(h->v);
	memset(h, 0, sizeof(*h));
}

/*
 * Whether person pid, member of structure sid, matches every theme group
 * (the structure offers it, or the person declares it): -1 no, else 1 when
 * the person declares the first group's theme (or an ancestor of it), 0 not.
 */
static int member_match(const struct plan *p, long long sid, long long pid)
{
	size_t g;
	int first = 0;
	for (g = 0; g < p->q->ngroups && g < MAX_GROUPS; g++) {
		bool comp = themed_has(&p->pt_sets, pid, g * 2) || themed_has(&p->pt_sets, pid, g * 2 + 1);
		if (!comp && !themed_has(&p->st_sets, sid, g * 2 + 1))
			return -1;
		if (!g)
			first = comp;
	}
	return first;
}

/* Whether (sid, pid) is a current membership: 1, 0 or -1 (cur: members_scan()'s statement). */
static int member_current(sqlite3 *db, sqlite3_stmt *cur, long long sid, long long pid)
{
	int step;
	sqlite3_reset(cur);
	sqlite3_bind_int64(cur, 1, sid);
	sqlite3_bind_int64(cur, 2, pid);
	step = sqlite3_step(cur);
	if (step == SQLITE_ROW || step == SQLITE_DONE)
		return step == SQLITE_ROW;
	return db_error(db, "search persons");
}

/*
 * The members of the structures that serve the commune, its EPCI,
 * département or région, or hold a permanence near it (the place source
 * without its box), each structure's members and point in one read of
 * structure_members. cur checks an end date. 0 or -1.
 */
static int members_of_sources(sqlite3 *db, struct plan *p, struct phits *hits, sqlite3_stmt *cur)
{
	const struct search_query *q = p->q;
	struct strbuf sql = STRBUF_INIT;
	struct binds b = { 0 };
	sqlite3_stmt *src = NULL, *get = NULL;
	int rc = -1, step;

	strbuf_addstr(&sql, "WITH src(id, why, plat, plon, pcode, pnom, score, glat, glon) AS (");
	sql_place_source(&sql, &b, p);
	strbuf_addstr(&sql, ") SELECT id, why, plat, plon, pcode, pnom FROM src");
	if (prepare_bound(db, &sql, &b, &src) ||
	    db_prepare(db, "SELECT lat, lon, ids FROM structure_members WHERE structure_id = ?1", &get))
		goto done;
	while ((step = sqlite3_step(src)) == SQLITE_ROW && !p->capped) {
		long long sid = sqlite3_column_int64(src, 0);
		int kind = sqlite3_column_int(src, 1);
		const unsigned char *ids;
		size_t n, i;
		double dist = -1, pd = -1;
		char *pnom = NULL;
		unsigned why;

		/* a territory it serves adds nothing but a reason to what the scan found */
		if (kind >= 2 && kind <= 5 && bitvec_has(&p->settled, sid)) {
			XGROW(p->deferred, p->deferred_alloc, p->ndeferred + 1);
			p->deferred[p->ndeferred].sid = sid;
			p->deferred[p->ndeferred++].why = row_reason(q, src, kind, -1, 2, &pd, &pnom);
			continue;
		}
		sqlite3_reset(get);
		sqlite3_bind_int64(get, 1, sid);
		if ((step = sqlite3_step(get)) != SQLITE_ROW) {
			if (step != SQLITE_DONE)
				break;
			continue; /* no members */
		}
		if (sqlite3_column_type(get, 0) != SQLITE_NULL)
			dist = geo_distance_km(q->lat, q->lon, sqlite3_column_double(get, 0),
					       sqlite3_column_double(get, 1));
		why = row_reason(q, src, sqlite3_column_int(src, 1), dist, 2, &pd, &pnom);
		if (why == R_PERM && pd >= 0 && (dist < 0 || pd < dist))
			dist = pd;
		ids = sqlite3_column_blob(get, 2);
		n = (size_t)sqlite3_column_bytes(get, 2) / 8;
		for (i = 0; why && i < n; i++) {
			long long id = membersgeo_ids_at(ids, i), pid = membersgeo_person(id);
			int m = member_match(p, sid, pid), now = 1;
			if (m >= 0 && membersgeo_ends(id) && (now = member_current(db, cur, sid, pid)) < 0) {
				free(pnom);
				goto done;
			}
			if (m < 0 || !now)
				continue;
			phit_add(hits, pid, why, dist, q->ngroups && m > 0, pd,
				 why == R_PERM && pnom ? xstrdup(pnom) : NULL);
		}
		free(pnom);
		if (q->max_candidates && hits->n >= q->max_candidates)
			p->capped = true;
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		db_error(db, "search persons");
		goto done;
	}
	rc = 0;
done:
	db_stmt_done(src);
	sqlite3_finalize(get);
	strbuf_release(&sql);
	free(b.v);
	return rc;
}

/*
 * Whether the members within the radius can come from structure_members: a
 * commune with a centre, no name to match (names are in persons), themes
 * in bit planes, and no structure waiting for its entries.
 */
static int members_scan_usable(sqlite3 *db, const struct plan *p)
{
	const struct search_query *q = p->q;
	if (scans_disabled() || !q->has_commune || !q->has_center || (q->text && *q->text) ||
	    (q->ngroups && (!p->st_sets.bits || !p->pt_sets.bits)))
		return 0;
	return membersgeo_fresh(db);
}

/*
 * The members of one structure_members row within the radius (a row of
 * members_scan()): the same test as the structures' box and qfq_near() on
 * the structure's point, then each member against the themes. 0 or -1.
 */
static int members_row(sqlite3 *db, struct plan *p, sqlite3_stmt *row, sqlite3_stmt *cur,
		       struct phits *hits)
{
	long long sid = sqlite3_column_int64(row, 0);
	double lat = sqlite3_column_double(row, 1), lon = sqlite3_column_double(row, 2), d = -1;
	const unsigned char *ids = sqlite3_column_blob(row, 3);
	size_t n = (size_t)sqlite3_column_bytes(row, 3) / 8, i;

	if (lat < p->box.min_lat || lat > p->box.max_lat || lon < p->box.min_lon || lon > p->box.max_lon)
		return 0;
	for (i = 0; i < n; i++) {
		long long e = membersgeo_ids_at(ids, i), pid = membersgeo_person(e);
		int m = member_match(p, sid, pid), now = 1;
		if (m < 0)
			continue;
		if (d < 0) { /* the themes first: a few bit tests spare most of the distances */
			d = geo_distance_km(p->q->lat, p->q->lon, lat, lon);
			if (d < 0 || d > p->q->radius_km)
				return 0; /* not settled: a territory it serves brings its members */
		}
		if (membersgeo_ends(e) && (now = member_current(db, cur, sid, pid)) < 0)
			return -1;
		if (now)
			phit_add(hits, pid, R_RADIUS, d, p->q->ngroups && m > 0, -1, NULL);
	}
	bitvec_set(&p->settled, sid);
	/* a cap on pairs, which is reached no later than the same cap on persons */
	if (p->q->max_candidates && hits->n >= p->q->max_candidates)
		p->capped = true;
	return 0;
}

/*
 * Collects the members of the place: those within the radius from the
 * grid cells of structure_members that the box covers (one index range per
 * row of cells), the others (territories, permanences) from their
 * structure's row. 0 or -1.
 */
static int members_scan(sqlite3 *db, struct plan *p, struct phits *hits)
{
	sqlite3_stmt *row = NULL, *cur = NULL;
	long long r, c0 = membersgeo_col(p->box.min_lon), c1 = membersgeo_col(p->box.max_lon);
	int rc = -1, step;

	if (db_prepare(db, "SELECT structure_id, lat, lon, ids FROM structure_members "
		       "WHERE cell BETWEEN ?1 AND ?2", &row) ||
	    db_prepare(db, "SELECT 1 FROM memberships m WHERE m.structure_id = ?1 AND "
		       "m.person_id = ?2 AND " CURRENT_MEMBER, &cur))
		goto done;
	for (r = membersgeo_row(p->box.min_lat); r <= membersgeo_row(p->box.max_lat) && !p->capped; r++) {
		sqlite3_reset(row);
		sqlite3_bind_int64(row, 1, r * MEMBERSGEO_CELL_ROW + c0);
		sqlite3_bind_int64(row, 2, r * MEMBERSGEO_CELL_ROW + c1);
		while ((step = sqlite3_step(row)) == SQLITE_ROW && !p->capped)
			if (members_row(db, p, row, cur, hits))
				goto done;
		if (step != SQLITE_DONE && step != SQLITE_ROW) {
			db_error(db, "search persons");
			goto done;
		}
	}
	rc = p->capped ? 0 : members_of_sources(db, p, hits, cur);
done:
	sqlite3_finalize(row);
	sqlite3_finalize(cur);
	return rc;
}

/* stm: bit g set when structure `col` offers a theme of group g (or an ancestor). */
static void sql_stm(struct strbuf *sql, struct binds *b, struct plan *p, const char *col)
{
	size_t g;
	if (!p->q->ngroups) {
		strbuf_addch(sql, '0');
		return;
	}
	strbuf_addch(sql, '(');
	for (g = 0; g < p->q->ngroups && g < MAX_GROUPS; g++) {
		if (g)
			strbuf_addstr(sql, " + ");
		if (p->sets) {
			strbuf_addf(sql, "%lu * ", 1ul << g);
			add_themed(sql, b, "qfq_st_themed", col, g, true);
			continue;
		}
		strbuf_addf(sql, "%lu * EXISTS (SELECT 1 FROM structure_themes st WHERE st.structure_id = %s AND ",
			    1ul << g, col);
		add_inset(sql, b, "st", g, true);
		strbuf_addch(sql, ')');
	}
	strbuf_addch(sql, ')');
}


/*
 * The persons statement: one row per (person, structure) the place, the
 * themes and the text concern; columns as take_person_row() reads them.
 * patterns holds the LIKE patterns bound by pointer (kept until the run ends).
 */
static void sql_persons(struct strbuf *sql, struct binds *b, struct plan *p, struct strbuf *patterns)
{
	const struct search_query *q = p->q;
	size_t offsets[MAX_FTS_TOKENS], npat = 0, first_pat, i;

	/*
	 * pm: (person, structure, why, permanence place, structure coordinates,
	 * stm: bit g set when the structure offers a theme of group g), current
	 * memberships only. With a place, stm is computed once per structure
	 * (srcm) rather than once per member.
	 */
	if (p->place) {
		strbuf_addstr(sql, "WITH src(id, why, plat, plon, pcode, pnom, score, glat, glon) AS (");
		sql_place_source(sql, b, p);
		strbuf_addstr(sql, "), srcm(id, why, plat, plon, pcode, pnom, glat, glon, stm) AS MATERIALIZED "
			      "(SELECT id, why, plat, plon, pcode, pnom, ");
		strbuf_addstr(sql, q_geo(p) ? GEO_OF("src") : "NULL, NULL, ");
		sql_stm(sql, b, p, "src.id");
		strbuf_addstr(sql, " FROM src), pm(pid, sid, why, plat, plon, pcode, pnom, glat, glon, stm) AS "
			      "(SELECT m.person_id, m.structure_id, srcm.why, srcm.plat, srcm.plon, srcm.pcode, "
			      "srcm.pnom, srcm.glat, srcm.glon, srcm.stm FROM srcm "
			      "JOIN memberships m ON m.structure_id = srcm.id WHERE (" CURRENT_MEMBER
			      /* naming srcm keeps SQLite from building a Bloom filter over
			       * every membership before the join (a full scan) */
			      " OR srcm.why < 0)) ");
	} else if (q->ngroups) {
		strbuf_addstr(sql, "WITH pm0(pid, sid) AS (SELECT m.person_id, m.structure_id "
			      "FROM structure_themes st JOIN memberships m "
			      "ON m.structure_id = st.structure_id WHERE " CURRENT_MEMBER " AND st.theme_id IN ");
		add_idlist(sql, b, &p->gs[0].direct, &p->gs[0].ancestor);
		strbuf_addstr(sql, " UNION SELECT pt.person_id, m.structure_id "
			      "FROM person_themes pt LEFT JOIN memberships m ON m.person_id = pt.person_id "
			      "AND " CURRENT_MEMBER " WHERE pt.theme_id IN ");
		add_idlist(sql, b, &p->gs[0].direct, &p->gs[0].ancestor);
		strbuf_addstr(sql, "), pm(pid, sid, why, plat, plon, pcode, pnom, glat, glon, stm) AS "
			      "(SELECT pid, sid, 0, NULL, NULL, NULL, NULL, NULL, NULL, ");
		sql_stm(sql, b, p, "pm0.sid");
		strbuf_addstr(sql, " FROM pm0) ");
	} else {
		strbuf_addstr(sql, "WITH pm(pid, sid, why, plat, plon, pcode, pnom, glat, glon, stm) AS "
			      "(SELECT p.id, m.structure_id, 0, NULL, NULL, NULL, NULL, NULL, NULL, 0 "
			      /* in rowid order (not the covering name_key index): the
			       * names read below for the French order are then on the
			       * page just read, not 300,000 random reads */
			      "FROM persons p NOT INDEXED LEFT JOIN memberships m ON m.person_id = p.id AND "
			      CURRENT_MEMBER ") ");
	}
	/* columns 0..8 as take_person_row() reads them; 13 name key, 14 stm, 15+g competences */
	strbuf_addstr(sql, "SELECT pm.pid, pm.sid, pm.why, pm.plat, pm.plon, pm.pcode, pm.pnom, "
		      "pm.glat, pm.glon, NULL, NULL, NULL, NULL, ");
	/* 13: the name in French order (text_norm of "nom prénom", folded below) */
	strbuf_addstr(sql, "p.nom || ' ' || ifnull(p.prenom, ''), pm.stm");
	for (i = 0; i < q->ngroups && i < MAX_GROUPS; i++) {
		/* 2: a declared competence in the group, 1: in an ancestor only */
		if (p->sets) {
			strbuf_addstr(sql, ", (");
			add_themed(sql, b, "qfq_pt_themed", "pm.pid", i, false);
			strbuf_addstr(sql, " + ");
			add_themed(sql, b, "qfq_pt_themed", "pm.pid", i, true);
			strbuf_addch(sql, ')');
			continue;
		}
		strbuf_addstr(sql, ", (SELECT max(");
		add_inset(sql, b, "pt", i, false);
		strbuf_addstr(sql, " + ");
		add_inset(sql, b, "pt", i, true);
		strbuf_addstr(sql, ") FROM person_themes pt WHERE pt.person_id = pm.pid)");
	}
	strbuf_addstr(sql, " FROM pm JOIN persons p ON p.id = pm.pid WHERE 1");
	if (q->text) {
		strbuf_addstr(sql, " AND ");
		first_pat = b->n;
		sql_person_name(sql, b, p, patterns, offsets, &npat);
		for (i = 0; i < npat; i++)
			b->v[first_pat + i].s = patterns->buf + offsets[i];
	}
}

static int collect_persons(sqlite3 *db, struct plan *p, struct pcand **out, size_t *nout)
{
	const struct search_query *q = p->q;
	struct strbuf sql = STRBUF_INIT, patterns = STRBUF_INIT;
	struct binds b = { 0 };
	struct cands cs = { 0 };
	size_t i, alloc = 0;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = members_scan_usable(db, p);
	p->no_box = rc > 0;
	if (rc < 0)
		goto done;
	if (p->no_box) {
		struct phits hits = { 0 };
		rc = members_scan(db, p, &hits);
		phits_fold(&hits, out, nout);
		goto done;
	}
	sql_persons(&sql, &b, p, &patterns);
	if (prepare_bound(db, &sql, &b, &st)) {
		rc = -1;
		goto done;
	}
	/* rows are (person, structure): merge per person */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		take_person_row(p, st, &cs);
		if (q->max_candidates && cs.n >= q->max_candidates) {
			p->capped = true;
			rc = SQLITE_DONE;
			break;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : db_error(db, "search persons");
	if (rc)
		goto done;
	for (i = 0; i < cs.n; i++) {
		struct cand *c = &cs.v[i];
		XGROW(*out, alloc, *nout + 1);
		(*out)[*nout].id = c->id;
		(*out)[*nout].dist = c->dist;
		(*out)[*nout].direct = c->direct;
		(*out)[*nout].reasons = c->reasons;
		(*out)[*nout].perm_nom = c->perm_nom;
		(*out)[*nout].perm_dist = c->perm_dist;
		(*out)[*nout].name = c->nom_norm;
		c->perm_nom = c->nom_norm = NULL;
		(*nout)++;
	}
done:
	db_stmt_done(st);
	strbuf_release(&sql);
	strbuf_release(&patterns);
	cands_free(&cs);
	free(b.v);
	return rc;
}

static int fill_person(sqlite3 *db, struct plan *p, sqlite3_stmt *row, sqlite3_stmt *mem,
		       sqlite3_stmt *th, const struct pcand *pc, struct search_person *r)
{
	struct strbuf matched = STRBUF_INIT, via = STRBUF_INIT;
	struct cand c = { 0 };
	size_t alloc = 0, g, i, k, nvia = 0;
	int rc;

	memset(r, 0, sizeof(*r));
	r->id = pc->id;
	r->distance_km = pc->dist;
	sqlite3_reset(row);
	sqlite3_bind_int64(row, 1, pc->id);
	if ((rc = sqlite3_step(row)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? 0 : db_error(db, "search persons");
	r->nom = col_dup(row, 0);
	r->prenom = col_dup(row, 1);
	r->courriels = col_dup(row, 2);
	r->telephone = col_dup(row, 3);

	sqlite3_reset(mem);
	sqlite3_bind_int64(mem, 1, pc->id);
	while ((rc = sqlite3_step(mem)) == SQLITE_ROW) {
		XGROW(r->structures, alloc, r->nstructures + 1);
		r->structures[r->nstructures].id = sqlite3_column_int64(mem, 0);
		r->structures[r->nstructures].nom = col_dup(mem, 1);
		r->structures[r->nstructures].role = col_dup(mem, 2);
		r->nstructures++;
	}
	if (rc != SQLITE_DONE)
		return db_error(db, "search persons");

	/* matched competences first, else the matched themes of their structures */
	sqlite3_reset(th);
	sqlite3_bind_int64(th, 1, pc->id);
	while ((rc = sqlite3_step(th)) == SQLITE_ROW) {
		long long tid = sqlite3_column_int64(th, 0);
		for (g = 0; g < p->q->ngroups; g++)
			if (idset_has(&p->gs[g].direct, tid) || idset_has(&p->gs[g].ancestor, tid)) {
				if (!search_list_has(matched.buf, col_str(th, 1))) {
					list_add(&matched, col_str(th, 1));
					if (nvia++)
						strbuf_addch(&via, '|');
					strbuf_addstr(&via, col_str(th, 2) ? col_str(th, 2) : "");
				}
				break;
			}
	}
	if (rc != SQLITE_DONE) {
		strbuf_release(&via);
		return db_error(db, "search persons");
	}
	r->themes = detach_or_null(&matched);
	r->themes_via = r->themes ? strbuf_detach(&via, NULL) : NULL;
	strbuf_release(&via);

	c.reasons = pc->reasons;
	for (i = 0; i < p->ndeferred; i++)
		for (k = 0; k < r->nstructures; k++)
			if (r->structures[k].id == p->deferred[i].sid)
				c.reasons |= p->deferred[i].why;
	c.dist = pc->dist;
	c.perm_dist = pc->perm_dist;
	c.perm_nom = pc->perm_nom;
	c.direct = true;
	fill_reason(p, &c, "", false, &r->reason);
	if (p->q->ngroups)
		r->reason.why |= pc->direct ? SEARCH_WHY_DECLARED : SEARCH_WHY_VIA;
	return 0;
}

/*
 * The scan path (phits_fold) knows persons by id only: their folded names,
 * read here, break distance ties in French order as the SQL path's do
 * (the two paths give the same order: tests/cli/0308).
 */
static int name_missing(sqlite3 *db, struct pcand *pc, size_t n)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	for (i = 0; i < n; i++) {
		if (pc[i].name)
			continue;
		if (!st && db_prepare(db, "SELECT nom || ' ' || ifnull(prenom, '') FROM persons WHERE id = ?1", &st))
			return -1;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, pc[i].id);
		if (sqlite3_step(st) == SQLITE_ROW)
			pc[i].name = text_norm_dup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return 0;
}

int run_persons(sqlite3 *db, struct plan *p, struct search_results *r)
{
	struct pcand *pc = NULL;
	sqlite3_stmt *row = NULL, *mem = NULL, *th = NULL;
	size_t n = 0, keep, i;
	int rc = -1;

	if (collect_persons(db, p, &pc, &n) || name_missing(db, pc, n))
		goto done;
	keep = p->q->limit && p->q->limit < n ? p->q->limit : n;
	psort(pc, n, sizeof(*pc), keep, cmp_pcand);
	r->total = n;
	if (db_prepare(db, "SELECT nom, prenom, courriels, telephones FROM persons WHERE id = ?1", &row) ||
	    db_prepare(db, "SELECT s.id, s.nom, m.role FROM memberships m JOIN structures s "
			   "ON s.id = m.structure_id WHERE m.person_id = ?1 AND "
			   "(m.fin IS NULL OR m.fin >= date('now')) ORDER BY s.nom", &mem) ||
	    db_prepare(db, "SELECT id, label, via FROM (SELECT t.id, t.label, NULL AS via FROM person_themes pt "
			   "JOIN themes t ON t.id = pt.theme_id WHERE pt.person_id = ?1 UNION ALL "
			   "SELECT t.id, t.label, s.nom FROM memberships m JOIN structures s ON s.id = m.structure_id "
			   "JOIN structure_themes st ON st.structure_id = m.structure_id "
			   "JOIN themes t ON t.id = st.theme_id WHERE m.person_id = ?1 AND "
			   "(m.fin IS NULL OR m.fin >= date('now'))) ORDER BY via IS NOT NULL, via", &th))
		goto done;
	r->p = xcalloc(keep ? keep : 1, sizeof(*r->p));
	r->palloc = keep ? keep : 1;
	for (i = 0; i < keep; i++) {
		if (fill_person(db, p, row, mem, th, &pc[i], &r->p[r->np]))
			goto done;
		r->np++;
	}
	rc = 0;
done:
	for (i = 0; i < n; i++) {
		free(pc[i].perm_nom);
		free(pc[i].name);
	}
	free(pc);
	sqlite3_finalize(row);
	sqlite3_finalize(mem);
	sqlite3_finalize(th);
	return rc;
}
