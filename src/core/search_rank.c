/*
 * search_rank: the candidates of a search run: merged per structure with
 * their reasons, kept or dropped (radius, open at the asked time, publics),
 * and ranked (open first when the time filters, direct theme, distance,
 * text rank, name, id).
 */
#include "core/search_int.h"

static size_t hash_id(long long id, size_t mask)
{
	uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ull;
	return (size_t)(x >> 17) & mask;
}

static void cands_rehash(struct cands *c)
{
	size_t i, n = c->nslot ? c->nslot * 2 : 256;
	free(c->slot);
	c->slot = xcalloc(n, sizeof(*c->slot));
	c->nslot = n;
	for (i = 0; i < c->n; i++) {
		size_t h = hash_id(c->v[i].id, n - 1);
		while (c->slot[h])
			h = (h + 1) & (n - 1);
		c->slot[h] = i + 1;
	}
}

struct cand *cands_get(struct cands *c, long long id)
{
	size_t h;
	if ((c->n + 1) * 2 > c->nslot)
		cands_rehash(c);
	h = hash_id(id, c->nslot - 1);
	while (c->slot[h]) {
		struct cand *x = &c->v[c->slot[h] - 1];
		if (x->id == id)
			return x;
		h = (h + 1) & (c->nslot - 1);
	}
	XGROW(c->v, c->alloc, c->n + 1);
	memset(&c->v[c->n], 0, sizeof(c->v[c->n]));
	c->v[c->n].id = id;
	c->v[c->n].dist = -1;
	c->v[c->n].perm_dist = -1;
	c->slot[h] = ++c->n;
	return &c->v[c->n - 1];
}

void cands_free(struct cands *c)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].perm_nom);
		free(c->v[i].nom_norm);
	}
	free(c->v);
	free(c->slot);
	memset(c, 0, sizeof(*c));
}

/*
 * Reads why one row (a structure, and for a permanence its place in
 * columns pc..pc+3: lat, lon, code, commune name) concerns the place.
 * dist is the structure's distance (< 0 unknown). Returns R_* bits (0: the
 * row does not count) and, for a permanence kept, its distance and commune.
 */
unsigned row_reason(const struct search_query *q, sqlite3_stmt *st, int why, double dist,
			   int pc, double *perm_dist, char **perm_nom)
{
	const char *pcode;
	bool same;
	double d = -1;
	switch (why) {
	case 1: return dist >= 0 && dist <= q->radius_km ? R_RADIUS : 0;
	case 2: return R_COMMUNE;
	case 3: return R_EPCI;
	case 4: return R_DEP;
	case 5: return R_REGION;
	case 7: return R_IN_EPCI;
	case 8: return R_IN_DEP;
	case 6: break;
	default: return 0;
	}
	pcode = col_str(st, pc + 2);
	same = pcode && q->commune_insee && !strcmp(pcode, q->commune_insee);
	if (q->has_center && sqlite3_column_type(st, pc) != SQLITE_NULL)
		d = geo_distance_km(q->lat, q->lon, sqlite3_column_double(st, pc),
				    sqlite3_column_double(st, pc + 1));
	if (q->has_commune && !same && (d < 0 || d > q->radius_km))
		return 0;
	*perm_dist = same && d < 0 ? 0 : d;
	*perm_nom = col_dup(st, pc + 3);
	return R_PERM;
}

/* Keeps the nearest permanence of a candidate (takes nom). */
void keep_perm(struct cand *c, double d, char *nom)
{
	if (!c->perm_nom || (d >= 0 && (c->perm_dist < 0 || d < c->perm_dist))) {
		free(c->perm_nom);
		c->perm_nom = nom;
		c->perm_dist = d;
	} else {
		free(nom);
	}
}

/* Fills a candidate from its first row of the candidate statement. */
static void cand_fill(const struct search_query *q, sqlite3_stmt *st, struct cand *c)
{
	c->seen = true;
	c->has_geo = sqlite3_column_type(st, 6) != SQLITE_NULL;
	c->glat = sqlite3_column_double(st, 6);
	c->glon = sqlite3_column_double(st, 7);
	c->sans_rdv = sqlite3_column_type(st, 8) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 8);
	c->score = sqlite3_column_double(st, 9);
	c->open = sqlite3_column_type(st, 10) == SQLITE_NULL ? SEARCH_OPEN_UNKNOWN :
		  sqlite3_column_int(st, 10) ? SEARCH_OPEN : SEARCH_CLOSED;
	c->direct = sqlite3_column_int(st, 11) != 0;
	c->nom_norm = col_dup(st, 12);
	if (q->has_center && c->has_geo)
		c->dist = geo_distance_km(q->lat, q->lon, c->glat, c->glon);
}

/* Merges one row of the candidate statement into the candidates. */
void take_row(struct plan *p, sqlite3_stmt *st, struct cands *cs)
{
	const struct search_query *q = p->q;
	struct cand *c = cands_get(cs, sqlite3_column_int64(st, 0));
	double pd = -1;
	char *pnom = NULL;
	unsigned why;

	if (!c->seen)
		cand_fill(q, st, c);
	why = row_reason(q, st, sqlite3_column_int(st, 1), c->dist, 2, &pd, &pnom);
	c->reasons |= why;
	if (why == R_PERM)
		keep_perm(c, pd, pnom);
}

/* Whether the folded publics of a structure contain the filter. */
bool publics_match(const char *publics, const char *want)
{
	struct strbuf f = STRBUF_INIT;
	bool ok;
	if (!publics)
		return false;
	text_norm(&f, publics, strlen(publics));
	ok = strstr(f.buf, want) != NULL;
	strbuf_release(&f);
	return ok;
}

/* The best-ranked candidates of a stream as a heap, the worst of them on top. */
static void heap_down(struct cand *v, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, w = i;
		struct cand t;
		if (l < n && cmp_cand(&v[l], &v[w]) > 0)
			w = l;
		if (r < n && cmp_cand(&v[r], &v[w]) > 0)
			w = r;
		if (w == i)
			return;
		t = v[i];
		v[i] = v[w];
		v[w] = t;
		i = w;
	}
}

static void heap_up(struct cand *v, size_t i)
{
	while (i > 0 && cmp_cand(&v[i], &v[(i - 1) / 2]) > 0) {
		struct cand t = v[i];
		v[i] = v[(i - 1) / 2];
		v[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

/*
 * Whether a place in this state at q->when stays: with a time that
 * filters, known open only (and unknown when asked); see refine_hours()
 * for the exact state of the shown ones.
 */
bool open_kept(const struct search_query *q, int open)
{
	if (!search_open_filters(q))
		return true;
	return open == SEARCH_OPEN || (q->open == SEARCH_OPEN_OR_UNKNOWN && open == SEARCH_OPEN_UNKNOWN);
}

/* The exact state where the weekly bitmaps cannot answer (months, dates,
 * nth weekdays..., and every place on a public holiday): db/hoursexact.h. */
static void exact_open(const struct plan *p, struct cand *c)
{
	int s = hours_exact_state(p->exact, c->id);
	if (s != -2)
		c->open = s == HOURS_OPEN ? SEARCH_OPEN : s == HOURS_CLOSED ? SEARCH_CLOSED : SEARCH_OPEN_UNKNOWN;
}

/*
 * One match of a streamed source (see plan.stream): counted, and kept only
 * while it is among the q->limit best so far (takes c's strings). No id
 * index: a text source gives each structure once.
 */
void stream_keep(struct plan *p, struct cands *cs, struct cand *c)
{
	const struct search_query *q = p->q;
	exact_open(p, c);
	if (!open_kept(q, c->open)) {
		free(c->nom_norm);
		return;
	}
	p->matched++;
	if (cs->n < q->limit) {
		XGROW(cs->v, cs->alloc, cs->n + 1);
		cs->v[cs->n] = *c;
		heap_up(cs->v, cs->n++);
	} else if (cmp_cand(c, &cs->v[0]) < 0) {
		free(cs->v[0].nom_norm);
		cs->v[0] = *c;
		heap_down(cs->v, cs->n, 0);
	} else {
		free(c->nom_norm);
	}
}

/* One row of a streamed source's statement (see stream_keep()). */
void stream_row(struct plan *p, sqlite3_stmt *st, struct cands *cs)
{
	struct cand c;
	memset(&c, 0, sizeof(c));
	c.id = sqlite3_column_int64(st, 0);
	c.dist = c.perm_dist = -1;
	cand_fill(p->q, st, &c);
	stream_keep(p, cs, &c);
}

/* Stage 2 for structures: distance and reasons settled, the unmatched dropped. */
void settle(struct plan *p, struct cands *cs)
{
	size_t i, k = 0;
	for (i = 0; i < cs->n; i++) {
		struct cand c = cs->v[i];
		exact_open(p, &c);
		if (p->place && !c.reasons) {
			free(c.perm_nom);
			free(c.nom_norm);
			continue;
		}
		if (c.perm_dist >= 0 && (c.dist < 0 || c.perm_dist < c.dist))
			c.dist = c.perm_dist;
		if (!open_kept(p->q, c.open)) {
			free(c.perm_nom);
			free(c.nom_norm);
			continue;
		}
		cs->v[k++] = c;
	}
	cs->n = k;
	free(cs->slot);
	cs->slot = NULL;
	cs->nslot = 0;
}

static int open_bucket(int open)
{
	return open == SEARCH_OPEN ? 0 : open == SEARCH_CLOSED ? 1 : 2;
}

/* The ranking (see search.h); the query is passed through a file-local. */
const struct search_query *rank_query;

int cmp_num(double a, double b)
{
	return a < b ? -1 : a > b;
}

/* Compares what ranking uses; shared by candidates and finished results. */
static int rank_cmp(int open_a, int open_b, int rdv_a, int rdv_b, bool dir_a, bool dir_b,
		    double dist_a, double dist_b, double score_a, double score_b)
{
	const struct search_query *q = rank_query;
	int c;
	if (search_open_filters(q) && (c = open_bucket(open_a) - open_bucket(open_b)))
		return c;
	if (q->sans_rdv && (c = (rdv_a != 1) - (rdv_b != 1)))
		return c;
	if (q->ngroups && (c = (int)!dir_a - (int)!dir_b))
		return c;
	if ((dist_a < 0) != (dist_b < 0))
		return dist_a < 0 ? 1 : -1;
	if ((c = cmp_num(dist_a, dist_b)))
		return c;
	return cmp_num(score_a, score_b);
}

int cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	int c = rank_cmp(a->open, b->open, a->sans_rdv, b->sans_rdv, a->direct, b->direct,
			 a->dist, b->dist, a->score, b->score);
	if (c)
		return c;
	if ((c = strcmp(a->nom_norm ? a->nom_norm : "", b->nom_norm ? b->nom_norm : "")))
		return c;
	return cmp_num((double)a->id, (double)b->id);
}

int cmp_result(const void *x, const void *y)
{
	const struct search_structure *a = x, *b = y;
	int c = rank_cmp(a->ouvert, b->ouvert, a->sans_rdv, b->sans_rdv, a->direct, b->direct,
			 a->distance_km, b->distance_km, a->rank, b->rank);
	return c ? c : text_collate(a->nom ? a->nom : "", a->nom ? strlen(a->nom) : 0,
				    b->nom ? b->nom : "", b->nom ? strlen(b->nom) : 0);
}
