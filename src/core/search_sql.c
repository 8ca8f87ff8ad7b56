/*
 * search_sql: the SQL of a search run: bound values, the FTS5 query of free
 * text, the candidate statement (place, text, theme and listing sources),
 * the structures' own filters and the open-at and direct-theme expressions.
 */
#include "core/search_int.h"

static void add_int(struct strbuf *sql, struct binds *b, long long v)
{
	XGROW(b->v, b->alloc, b->n + 1);
	b->v[b->n].type = B_INT;
	b->v[b->n++].i = v;
	strbuf_addch(sql, '?');
}

static void add_real(struct strbuf *sql, struct binds *b, double v)
{
	XGROW(b->v, b->alloc, b->n + 1);
	b->v[b->n].type = B_REAL;
	b->v[b->n++].d = v;
	strbuf_addch(sql, '?');
}

void add_text(struct strbuf *sql, struct binds *b, const char *s)
{
	XGROW(b->v, b->alloc, b->n + 1);
	b->v[b->n].type = B_TEXT;
	b->v[b->n++].s = s ? s : "";
	strbuf_addch(sql, '?');
}

/* "LAT BETWEEN ? AND ? AND LON BETWEEN ? AND ?" for a box (the R*Tree takes it too). */
static void add_box(struct strbuf *sql, struct binds *b, const struct geo_box *box,
		    const char *lat, const char *lon)
{
	strbuf_addf(sql, "%s BETWEEN ", lat);
	add_real(sql, b, box->min_lat);
	strbuf_addstr(sql, " AND ");
	add_real(sql, b, box->max_lat);
	strbuf_addf(sql, " AND %s BETWEEN ", lon);
	add_real(sql, b, box->min_lon);
	strbuf_addstr(sql, " AND ");
	add_real(sql, b, box->max_lon);
}

void add_idlist(struct strbuf *sql, struct binds *b, const struct idset *a,
		       const struct idset *c)
{
	size_t i;
	strbuf_addch(sql, '(');
	for (i = 0; i < a->n; i++) {
		if (i)
			strbuf_addch(sql, ',');
		add_int(sql, b, a->v[i]);
	}
	for (i = 0; c && i < c->n; i++) {
		strbuf_addch(sql, ',');
		add_int(sql, b, c->v[i]);
	}
	strbuf_addch(sql, ')');
}

/*
 * "Does this theme belong to group g?" inside correlated probes: a C
 * function over the group's small id sets. An IN (...) list there would be
 * rebuilt into a temporary index at every probe, which made the theme test
 * the costliest part of a search.
 */
void add_inset(struct strbuf *sql, struct binds *b, const char *alias, size_t group,
		      bool ancestors)
{
	strbuf_addf(sql, "qfq_theme_in(%s.theme_id, ", alias);
	add_int(sql, b, (long long)(group * 2 + ancestors));
	strbuf_addch(sql, ')');
}

/*
 * "Does id offer a theme of group g?" from the bit planes (see struct
 * themed): fn is qfq_st_themed (structures) or qfq_pt_themed (persons).
 */
void add_themed(struct strbuf *sql, struct binds *b, const char *fn, const char *col,
		       size_t group, bool ancestors)
{
	strbuf_addf(sql, "%s(%s, ", fn, col);
	add_int(sql, b, (long long)(group * 2 + ancestors));
	strbuf_addch(sql, ')');
}

/* Prepares sql (kept by its text, db_stmt_sql(): give it back with
 * db_stmt_done()) and binds b's values. 0 or -1. */
int prepare_bound(sqlite3 *db, const struct strbuf *sql, const struct binds *b,
			 sqlite3_stmt **st)
{
	size_t i;
	if (db_stmt_sql(db, sql->buf, st))
		return -1;
	for (i = 0; i < b->n; i++) {
		int k = (int)i + 1;
		switch (b->v[i].type) {
		case B_INT: sqlite3_bind_int64(*st, k, b->v[i].i); break;
		case B_REAL: sqlite3_bind_double(*st, k, b->v[i].d); break;
		case B_TEXT: sqlite3_bind_text(*st, k, b->v[i].s, -1, SQLITE_STATIC); break;
		}
	}
	return 0;
}

/* Bytes of the longest prefix of s[0..len) within max that ends on a character. */
size_t utf8_cut(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

struct fts_build {
	struct strbuf *out;
	size_t tokens;
	bool skip_stop;
};

static int add_fts_token(const char *tok, size_t len, void *arg)
{
	struct fts_build *fb = arg;
	size_t i;
	/* a lone letter is a word being typed: as a prefix it would merge the
	 * lists of thousands of words, as a word it would match nothing */
	if (len == 1 || (fb->skip_stop && names_is_stopword(tok, len)))
		return 0;
	if (fb->tokens == MAX_FTS_TOKENS)
		return 1;
	len = utf8_cut(tok, len, MAX_TOKEN_BYTES);
	if (fb->tokens++)
		strbuf_addch(fb->out, ' ');
	/* a quoted string: FTS5 reads nothing inside as syntax ("" is a quote) */
	strbuf_addch(fb->out, '"');
	for (i = 0; i < len; i++) {
		if (tok[i] == '"')
			strbuf_addch(fb->out, '"');
		strbuf_addch(fb->out, tok[i]);
	}
	strbuf_addstr(fb->out, "\"*");
	return 0;
}

static int count_kept(const char *tok, size_t len, void *arg)
{
	size_t *n = arg;
	n[0]++;
	if (len > 1 && !names_is_stopword(tok, len))
		n[1]++;
	return 0;
}

/*
 * The FTS5 query for free text: every word as a quoted prefix, all
 * required; small linking words dropped unless they are all there is,
 * lone letters dropped. Returns the number of words of the text (0: only
 * punctuation); out stays empty when none is searchable.
 */
size_t fts_query(const char *text, struct strbuf *out)
{
	struct strbuf norm = STRBUF_INIT;
	struct fts_build fb = { out, 0, false };
	size_t n[2] = { 0, 0 };
	text_norm(&norm, text, strlen(text));
	text_each_token(norm.buf, count_kept, n);
	fb.skip_stop = n[1] > 0;
	text_each_token(norm.buf, add_fts_token, &fb);
	strbuf_release(&norm);
	return n[0];
}

/*
 * The place source: (id, why, plat, plon, pcode, pnom), one row per reason
 * a structure is concerned by the place; plat..pnom describe a permanence.
 */
void sql_place_source(struct strbuf *sql, struct binds *b, struct plan *p)
{
	const struct search_query *q = p->q;
	if (q->has_commune) {
		if (q->has_center && !p->no_box) {
			strbuf_addstr(sql, "SELECT id, 1, NULL, NULL, NULL, NULL, 0, min_lat, min_lon FROM structures_geo WHERE ");
			add_box(sql, b, &p->box, "min_lat", "min_lon");
			/* the box's corners are beyond the radius: no theme probe for them */
			strbuf_addstr(sql, " AND qfq_near(min_lat, min_lon) UNION ALL ");
		}
		/*
		 * One covering index range per kind of territory: an OR of the
		 * four would look up each match again in the table (WITHOUT
		 * ROWID: a random page each). A structure listed twice is merged.
		 */
		strbuf_addstr(sql, "SELECT structure_id, 2, NULL, NULL, NULL, NULL, 0, NULL, NULL "
			      "FROM structure_territories WHERE kind = 'commune' AND code = ");
		add_text(sql, b, q->commune_insee);
		strbuf_addstr(sql, " UNION ALL SELECT structure_id, 3, NULL, NULL, NULL, NULL, 0, NULL, NULL "
			      "FROM structure_territories WHERE kind = 'epci' AND code = ");
		add_text(sql, b, q->commune_epci);
		strbuf_addstr(sql, " UNION ALL SELECT structure_id, 4, NULL, NULL, NULL, NULL, 0, NULL, NULL "
			      "FROM structure_territories WHERE kind = 'departement' AND code = ");
		add_text(sql, b, q->commune_dep);
		strbuf_addstr(sql, " UNION ALL SELECT structure_id, 5, NULL, NULL, NULL, NULL, 0, NULL, NULL "
			      "FROM structure_territories WHERE kind = 'region' AND code = "
			      "(SELECT region FROM communes WHERE code_insee = ");
		add_text(sql, b, q->commune_insee);
		strbuf_addch(sql, ')');
		/*
		 * Permanences held in the commune, or in the box by their own
		 * coordinates (index permanences_place), or by their commune's
		 * centre when they have none: three disjoint parts.
		 */
#define PERM_ROW "SELECT p.structure_id, 6, coalesce(p.latitude, pc.latitude), " \
		 "coalesce(p.longitude, pc.longitude), p.code_insee, pc.nom, 0, NULL, NULL " \
		 "FROM permanences p LEFT JOIN communes pc ON pc.code_insee = p.code_insee WHERE qfq_held(p.horaires) AND "
		strbuf_addstr(sql, " UNION ALL " PERM_ROW "p.code_insee = ");
		add_text(sql, b, q->commune_insee);
		if (q->has_center) {
			strbuf_addstr(sql, " UNION ALL " PERM_ROW);
			add_box(sql, b, &p->box, "p.latitude", "p.longitude");
			strbuf_addstr(sql, " AND p.code_insee IS NOT ");
			add_text(sql, b, q->commune_insee);
			strbuf_addstr(sql, " UNION ALL " PERM_ROW "p.latitude IS NULL AND p.code_insee IS NOT ");
			add_text(sql, b, q->commune_insee);
			strbuf_addstr(sql, " AND EXISTS (SELECT 1 FROM communes c WHERE c.code_insee = p.code_insee AND ");
			add_box(sql, b, &p->box, "c.latitude", "c.longitude");
			strbuf_addch(sql, ')');
		}
#undef PERM_ROW
		return;
	}
	/* an EPCI or a département as a whole */
	{
		const char *col = q->epci ? "epci" : "departement";
		const char *code = q->epci ? q->epci : q->departement;
		int in = q->epci ? 7 : 8, serves = q->epci ? 3 : 4;
		strbuf_addf(sql, "SELECT s.id, %d, NULL, NULL, NULL, NULL, 0, NULL, NULL FROM communes c JOIN structures s "
			    "ON s.code_insee = c.code_insee WHERE c.%s = ", in, col);
		add_text(sql, b, code);
		strbuf_addf(sql, " UNION ALL SELECT structure_id, %d, NULL, NULL, NULL, NULL, 0, NULL, NULL FROM "
			    "structure_territories WHERE kind = '%s' AND code = ", serves, col);
		add_text(sql, b, code);
		strbuf_addf(sql, " UNION ALL SELECT t.structure_id, 2, NULL, NULL, NULL, NULL, 0, NULL, NULL FROM communes c "
			    "JOIN structure_territories t ON t.kind = 'commune' AND t.code = c.code_insee "
			    "WHERE c.%s = ", col);
		add_text(sql, b, code);
		strbuf_addf(sql, " UNION ALL SELECT p.structure_id, 6, coalesce(p.latitude, c.latitude), "
			    "coalesce(p.longitude, c.longitude), p.code_insee, c.nom, 0, NULL, NULL FROM permanences p "
			    "JOIN communes c ON c.code_insee = p.code_insee WHERE qfq_held(p.horaires) AND c.%s = ", col);
		add_text(sql, b, code);
	}
}

/*
 * Whether stage 1 needs the map coordinates: only to measure distances
 * from a commune's centre (joining the R*Tree to an FTS5 scan doubles its
 * cost for nothing otherwise).
 */
bool q_geo(const struct plan *p)
{
	return p->q->has_center;
}

/*
 * A listing's source (see plan.listing): the first `limit` structures in
 * name order offering every group directly, then as many offering some
 * only through an ancestor; C ranks the two parts together.
 */
static void sql_listing(struct strbuf *sql, struct binds *b, struct plan *p)
{
	size_t part, g;
	for (part = 0; part < (p->q->ngroups ? 2 : 1); part++) {
		strbuf_addstr(sql, part ? " UNION ALL " : "");
		strbuf_addstr(sql, "SELECT * FROM (SELECT id, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL "
			      "FROM structures WHERE 1");
		for (g = 0; g < p->q->ngroups; g++) {
			strbuf_addstr(sql, " AND ");
			add_themed(sql, b, "qfq_st_themed", "id", g, true);
		}
		if (p->q->ngroups) {
			strbuf_addstr(sql, part ? " AND NOT (1" : " AND (1");
			for (g = 0; g < p->q->ngroups; g++) {
				strbuf_addstr(sql, " AND ");
				add_themed(sql, b, "qfq_st_themed", "id", g, false);
			}
			strbuf_addch(sql, ')');
		}
		strbuf_addstr(sql, " ORDER BY nom_norm, id LIMIT ");
		add_int(sql, b, (long long)p->q->limit);
		strbuf_addch(sql, ')');
	}
}

/*
 * The source of candidate structures: (id, why, plat, plon, pcode, pnom,
 * score). Only a text source ranks by text (qfq_rank, db/ftsrank.h): with
 * a place, distance decides and the text is a plain filter (no relevance
 * to compute for every match).
 */
void sql_structure_source(struct strbuf *sql, struct binds *b, struct plan *p)
{
	if (p->place)
		sql_place_source(sql, b, p);
	else if (p->listing)
		sql_listing(sql, b, p);
	else if (p->fts.len) {
		/*
		 * Capped (q->max_candidates): the first matches in index order,
		 * counted by qfq_tick as the full-text scan gives them, so that
		 * filters dropping most of them do not make the scan unbounded.
		 */
		bool cap = p->stream && p->q->max_candidates;
		strbuf_addstr(sql, cap ? "SELECT * FROM (" : "");
		strbuf_addstr(sql, "SELECT rowid, 0, NULL, NULL, NULL, NULL, qfq_rank(structures_fts), NULL, NULL "
			      "FROM structures_fts WHERE structures_fts MATCH ");
		add_text(sql, b, p->fts.buf);
		if (cap) {
			strbuf_addstr(sql, " AND qfq_tick() LIMIT ");
			add_int(sql, b, (long long)p->q->max_candidates);
			strbuf_addch(sql, ')');
		}
	} else if (p->q->ngroups) {
		/* no DISTINCT: it would read every match before the first row;
		 * a structure listed twice is merged in C */
		strbuf_addstr(sql, "SELECT structure_id, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL "
			      "FROM structure_themes WHERE theme_id IN ");
		add_idlist(sql, b, &p->gs[0].direct, &p->gs[0].ancestor);
	} else
		strbuf_addstr(sql, "SELECT id, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL FROM structures");
}

/* How many structures offer every group (the planes), or the directory holds. */
int count_structures(sqlite3 *db, const struct plan *p, size_t *n)
{
	sqlite3_stmt *st;
	int rc;
	if (p->q->ngroups) {
		const struct themed *t = &p->st_sets;
		size_t w, g;
		*n = 0;
		for (w = 0; w < t->words; w++) {
			uint64_t all = ~0ull;
			for (g = 0; g < p->q->ngroups; g++)
				all &= t->bits[(g * 2 + 1) * t->words + w];
			*n += (size_t)__builtin_popcountll(all);
		}
		return 0;
	}
	if (db_stmt(db, "SELECT count(*) FROM structures", &st))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(st, 0);
	db_stmt_done(st);
	return rc == SQLITE_ROW ? 0 : db_error(db, "search");
}

/*
 * Filters on a candidate (appended after WHERE 1). In the correlated theme
 * probes, "+theme_id" keeps SQLite from seeking the (theme_id, structure_id)
 * index once per theme of the list: one seek on the structure's own few
 * themes is several times cheaper.
 */
void sql_structure_filters(struct strbuf *sql, struct binds *b, struct plan *p)
{
	const struct search_query *q = p->q;
	size_t i;
	for (i = 0; i < q->ngroups; i++) {
		if (p->sets) {
			strbuf_addstr(sql, " AND ");
			add_themed(sql, b, "qfq_st_themed", "src.id", i, true);
			continue;
		}
		strbuf_addstr(sql, " AND EXISTS (SELECT 1 FROM structure_themes st WHERE "
			      "st.structure_id = src.id AND ");
		add_inset(sql, b, "st", i, true);
		strbuf_addch(sql, ')');
	}
	if (p->place && p->fts.len) {
		strbuf_addstr(sql, " AND src.id IN (SELECT rowid FROM structures_fts WHERE structures_fts MATCH ");
		add_text(sql, b, p->fts.buf);
		strbuf_addch(sql, ')');
	}
	if (q->sans_rdv)
		strbuf_addstr(sql, " AND s.sans_rdv IS NOT 0");
	if (p->type.code)
		strbuf_addstr(sql, " AND qfq_type(s.typologie, s.dispositifs, s.formations_labels, s.nom)");
	if (search_desk_asked(q))
		strbuf_addstr(sql, " AND qfq_desk(s.frais, s.prise_en_charge, s.modalites_acces, s.prise_rdv)");
	/* an EPCI or département together with a commune: restrict the commune search */
	if (q->has_commune && q->epci) {
		strbuf_addstr(sql, " AND s.code_insee IN (SELECT code_insee FROM communes WHERE epci = ");
		add_text(sql, b, q->epci);
		strbuf_addch(sql, ')');
	}
	if ((q->has_commune || q->epci) && q->departement) {
		strbuf_addstr(sql, " AND s.code_insee IN (SELECT code_insee FROM communes WHERE departement = ");
		add_text(sql, b, q->departement);
		strbuf_addch(sql, ')');
	}
}

/* The "open at" expression: 1, 0, or NULL when the hours are not parsed. */
void sql_open_expr(struct strbuf *sql, struct binds *b, struct plan *p)
{
	if (!p->timed) {
		strbuf_addstr(sql, "NULL");
		return;
	}
	/* NULL without spans: hours unknown, unparsed, or never open (refined later) */
	if (p->open_sets.bits)
		/* the spans are read only for a half-hour the place is open part of */
		strbuf_addstr(sql, "CASE qfq_open_at(src.id) WHEN 1 THEN 1 WHEN 0 THEN 0 WHEN 3 THEN NULL ELSE ");
	strbuf_addstr(sql, "(SELECT max(h.start_min <= ");
	add_int(sql, b, p->minute);
	strbuf_addstr(sql, " AND h.end_min > ");
	add_int(sql, b, p->minute);
	strbuf_addstr(sql, ") FROM structure_hours h WHERE h.structure_id = src.id)");
	if (p->open_sets.bits)
		strbuf_addstr(sql, " END");
}

/* 1 when s offers a theme of every group directly (not only an ancestor). */
void sql_direct_expr(struct strbuf *sql, struct binds *b, struct plan *p)
{
	size_t i, n = 0;
	for (i = 0; i < p->q->ngroups; i++) {
		if (!p->gs[i].ancestor.n)
			continue;
		strbuf_addstr(sql, n++ ? " AND " : "(");
		if (p->sets) {
			add_themed(sql, b, "qfq_st_themed", "src.id", i, false);
			continue;
		}
		strbuf_addstr(sql, "EXISTS (SELECT 1 FROM structure_themes st WHERE st.structure_id = src.id "
			      "AND ");
		add_inset(sql, b, "st", i, false);
		strbuf_addch(sql, ')');
	}
	strbuf_addstr(sql, n ? ")" : "1");
}
