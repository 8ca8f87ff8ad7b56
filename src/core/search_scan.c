/*
 * search_scan: the bit planes of a search run (who offers each theme, who
 * is open at the asked half-hour, from db/themesets.h and db/hoursets.h)
 * and the scan in C of the structures within the radius (box_scan()).
 */
#include "core/search_int.h"
#include "db/ftsrank.h"

/*
 * qfq_mark(id, plane): sets id's bit in plane, and in plane + 1 when plane
 * is a "directly" plane (even); returns 0 (rows are only counted).
 */
static struct themed *mark_current; /* the planes mark_fn() fills (registered once per connection) */

static void mark_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct themed *t = mark_current;
	long long id = sqlite3_value_int64(argv[0]);
	long long plane = sqlite3_value_int64(argv[1]);
	(void)argc;
	if (t && plane >= 0) {
		themed_set(t, id, (size_t)plane);
		if (!(plane & 1))
			themed_set(t, id, (size_t)plane + 1);
	}
	sqlite3_result_int(ctx, 0);
}

/* Marks the ids offering theme `theme` in plane (see mark_fn). */
static int mark_theme(sqlite3 *db, sqlite3_stmt *st, long long theme, size_t plane)
{
	int rc;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, theme);
	sqlite3_bind_int64(st, 2, (long long)plane);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	return rc == SQLITE_DONE ? 0 : db_error(db, "search");
}

/* ORs a stored bitmap (db/themesets.h: byte i bit j = id 8i + j) into a plane. */
static void plane_or(struct themed *t, size_t plane, const unsigned char *bits, size_t len)
{
	uint64_t *w = t->bits + plane * t->words;
	size_t i, n = len / 8 < t->words ? len / 8 : t->words;
	/* whole words first: byte order is spelled out, so any host reads it right */
	for (i = 0; i < n; i++) {
		const unsigned char *b = bits + 8 * i;
		w[i] |= (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 | (uint64_t)b[3] << 24 |
			(uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 | (uint64_t)b[6] << 48 | (uint64_t)b[7] << 56;
	}
	for (i = 8 * n; i < len && i / 8 < t->words; i++)
		w[i / 8] |= (uint64_t)bits[i] << (8 * (i % 8));
}

/* The statement marking a theme's rows (themed_load), prepared when first needed. */
struct marker {
	const char *sql;
	sqlite3_stmt *st;
	struct themed *t;
};

/* Adds theme's ids to plane (and to plane + 1 when plane is "directly"). */
static int load_theme(sqlite3 *db, struct themeset_reader *tr, enum themeset_kind kind,
		      struct marker *mk, long long theme, size_t plane)
{
	const unsigned char *bits;
	size_t len;
	int rc = themeset_read(tr, kind, theme, &bits, &len);
	if (rc < 0)
		return -1;
	if (!rc) { /* no stored bitmap (changed by another client): the rows */
		static const char once = 0;
		/* registered once: registering again expires every prepared statement */
		if (db_first_time(db, &once) &&
		    sqlite3_create_function(db, "qfq_mark", 2, SQLITE_UTF8, NULL, mark_fn, NULL, NULL) != SQLITE_OK)
			return db_error(db, "search");
		if (!mk->st && db_stmt(db, mk->sql, &mk->st))
			return -1;
		mark_current = mk->t;
		rc = mark_theme(db, mk->st, theme, plane);
		mark_current = NULL;
		return rc;
	}
	plane_or(mk->t, plane, bits, len);
	if (!(plane & 1))
		plane_or(mk->t, plane + 1, bits, len);
	return 0;
}

/* The largest id of table (max_sql), or -1: the size of its bit planes. */
static long long max_id(sqlite3 *db, const char *max_sql)
{
	sqlite3_stmt *st;
	long long max = -1;
	if (db_stmt(db, max_sql, &st))
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		max = sqlite3_column_int64(st, 0);
	db_stmt_done(st);
	return max;
}

/*
 * Fills t from the theme side: the stored bitmap of each theme of every
 * group, else its rows of table (structure_themes or person_themes) read
 * by the (theme_id, id) index and marked by a function inside one counting
 * statement (stepping out to C for each of tens of thousands of rows cost
 * more than reading them).
 */
static int themed_load(sqlite3 *db, struct plan *p, enum themeset_kind kind, const char *max_sql,
		       const char *rows_sql, struct themed *t)
{
	struct themeset_reader *tr = NULL;
	struct marker mk = { rows_sql, NULL, t };
	long long max = max_id(db, max_sql);
	size_t g, i;
	int rc = -1;

	if (max < -1)
		return -1;
	if (max > SETS_MAX_ID)
		return 1;
	t->words = max > 0 ? (size_t)(max / 64) + 1 : 1;
	t->bits = xcalloc(t->words * 2 * p->q->ngroups, sizeof(*t->bits));
	if (themeset_reader_open(db, &tr))
		goto done;
	/* one theme at a time: the plane is known without reading theme_id */
	for (g = 0; g < p->q->ngroups; g++) {
		for (i = 0; i < p->gs[g].direct.n; i++)
			if (load_theme(db, tr, kind, &mk, p->gs[g].direct.v[i], g * 2))
				goto done;
		for (i = 0; i < p->gs[g].ancestor.n; i++)
			if (load_theme(db, tr, kind, &mk, p->gs[g].ancestor.v[i], g * 2 + 1))
				goto done;
	}
	rc = 0;
done:
	themeset_reader_close(tr);
	db_stmt_done(mk.st);
	return rc;
}

/* Whether every theme of the query has a stored bitmap of kind (cheap sets). */
static int sets_stored(sqlite3 *db, const struct plan *p, enum themeset_kind kind)
{
	struct themeset_reader *tr;
	size_t g, i;
	int rc = 1;
	if (themeset_reader_open(db, &tr))
		return -1;
	for (g = 0; g < p->q->ngroups && rc == 1; g++) {
		for (i = 0; i < p->gs[g].direct.n && rc == 1; i++)
			rc = themeset_has(tr, kind, p->gs[g].direct.v[i]);
		for (i = 0; i < p->gs[g].ancestor.n && rc == 1; i++)
			rc = themeset_has(tr, kind, p->gs[g].ancestor.v[i]);
	}
	themeset_reader_close(tr);
	return rc;
}

/* Structures (or persons) in the box of the commune: how many candidates a place gives. */
static long long box_count(sqlite3 *db, const struct plan *p)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (db_stmt(db, "SELECT count(*) FROM structures_geo WHERE min_lat >= ?1 AND max_lat <= ?2 "
			"AND min_lon >= ?3 AND max_lon <= ?4", &st))
		return -1;
	sqlite3_bind_double(st, 1, p->box.min_lat);
	sqlite3_bind_double(st, 2, p->box.max_lat);
	sqlite3_bind_double(st, 3, p->box.min_lon);
	sqlite3_bind_double(st, 4, p->box.max_lon);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	db_stmt_done(st);
	return n;
}

/*
 * Decides p->sets and, when set, loads the planes. Without a place, the
 * candidates are every structure of the first theme, or every match of
 * the text, which for a short prefix typed in the TUI ("caf pr") is tens
 * of thousands: sets (a long word loses about 3 ms, "pr" gains 55). With
 * an EPCI or a département, thousands of candidates: sets. With a
 * commune, the box count decides.
 */
int plan_sets(sqlite3 *db, struct plan *p)
{
	const struct search_query *q = p->q;
	long long n = 0;
	int rc;
	if (!q->ngroups || q->ngroups > MAX_GROUPS)
		return 0;
	/* stored bitmaps cost a few pages whatever the place: always use them */
	rc = sets_stored(db, p, THEMESET_STRUCTURES);
	if (rc == 1 && q->persons)
		rc = sets_stored(db, p, THEMESET_PERSONS);
	if (rc < 0)
		return -1;
	if (!rc && q->has_commune && q->has_center)
		n = box_count(db, p);
	if (n < 0)
		return -1;
	p->sets = rc || !p->place || !q->has_commune || n >= SETS_MIN_CANDIDATES;
	if (!p->sets)
		return 0;
	rc = themed_load(db, p, THEMESET_STRUCTURES, "SELECT max(id) FROM structures",
			 "SELECT count(*) FROM structure_themes WHERE theme_id = ?1 AND qfq_mark(structure_id, ?2)",
			 &p->st_sets);
	if (!rc && q->persons)
		rc = themed_load(db, p, THEMESET_PERSONS, "SELECT max(id) FROM persons",
				 "SELECT count(*) FROM person_themes WHERE theme_id = ?1 AND qfq_mark(person_id, ?2)",
				 &p->pt_sets);
	if (rc > 0) /* ids too sparse for planes */
		p->sets = false;
	return rc < 0 ? -1 : 0;
}

/*
 * Loads p->open_sets for q->when when the database has its bitmaps (see
 * struct plan); leaves them NULL otherwise. 0 or -1.
 */
int plan_open(sqlite3 *db, struct plan *p)
{
	static const struct {
		int slot_of_when;  /* 0: the "has hours" slot */
		enum hourset_kind kind;
	} maps[3] = { { 0, HOURSET_WHOLE }, { 1, HOURSET_WHOLE }, { 1, HOURSET_PART } };
	struct themed *t = &p->open_sets;
	long long max;
	size_t i;

	if (!p->timed)
		return 0;
	/* the structure planes' size, when the themes loaded them */
	max = p->st_sets.bits ? (long long)p->st_sets.words * 64 - 1 : max_id(db, "SELECT max(id) FROM structures");
	if (max < -1)
		return -1;
	if (max > SETS_MAX_ID)
		return 0;
	t->words = max > 0 ? (size_t)(max / 64) + 1 : 1;
	t->bits = xcalloc(t->words * 3, sizeof(*t->bits));
	for (i = 0; i < 3; i++) {
		unsigned char *bits;
		size_t len;
		int slot = maps[i].slot_of_when ? p->minute / HOURSET_SLOT_MIN : HOURSET_HAS_HOURS;
		int rc = hourset_read(db, slot, maps[i].kind, &bits, &len);
		if (rc <= 0) { /* missing (changed by another client): the spans */
			free(t->bits);
			t->bits = NULL;
			return rc;
		}
		plane_or(t, i, bits, len);
		free(bits);
	}
	return 0;
}

/* ------------------------------------------- structures within the radius */

/*
 * QFQ_SEARCH_NO_SCAN=1 makes the engine answer with SQL alone, without
 * the scans in C (box_scan() of the R*Tree, members_scan() of
 * structure_members): the tests compare the two ways on the same data.
 */
bool scans_disabled(void)
{
	const char *v = getenv("QFQ_SEARCH_NO_SCAN");
	return v && *v && strcmp(v, "0");
}

/*
 * Whether structure id offers every group of the query, from the planes
 * (sql_structure_filters()); *direct says whether it offers each directly
 * (sql_direct_expr(): only groups with ancestors can be indirect).
 */
static bool planes_themed(const struct plan *p, long long id, bool *direct)
{
	size_t g;
	*direct = true;
	for (g = 0; g < p->q->ngroups; g++) {
		if (!themed_has(&p->st_sets, id, g * 2 + 1))
			return false;
		if (p->gs[g].ancestor.n && !themed_has(&p->st_sets, id, g * 2))
			*direct = false;
	}
	return true;
}

/* Structure id's state at the asked half-hour from the planes (as
 * qfq_open_at reads them): an enum search_open, or PLANES_PART when it is
 * open part of the half-hour and its spans decide (open_by_spans()). */
#define PLANES_PART 2

static int planes_open(const struct plan *p, long long id)
{
	if (!themed_has(&p->open_sets, id, 0))
		return SEARCH_OPEN_UNKNOWN;
	if (themed_has(&p->open_sets, id, 1))
		return SEARCH_OPEN;
	return themed_has(&p->open_sets, id, 2) ? PLANES_PART : SEARCH_CLOSED;
}

/* Structure id's state at the asked minute from its spans (as
 * sql_open_expr() reads them) into *open; *st is kept for the next. 0 or -1. */
static int open_by_spans(sqlite3 *db, const struct plan *p, sqlite3_stmt **st, long long id, int *open)
{
	if (!*st && db_stmt(db, "SELECT max(h.start_min <= ?2 AND h.end_min > ?2) FROM structure_hours h "
			    "WHERE h.structure_id = ?1", st))
		return -1;
	sqlite3_reset(*st);
	sqlite3_bind_int64(*st, 1, id);
	sqlite3_bind_int(*st, 2, p->minute);
	if (sqlite3_step(*st) != SQLITE_ROW)
		return db_error(db, "search");
	*open = sqlite3_column_type(*st, 0) == SQLITE_NULL ? SEARCH_OPEN_UNKNOWN :
		sqlite3_column_int(*st, 0) ? SEARCH_OPEN : SEARCH_CLOSED;
	return 0;
}

/* What a scan of structures_geo collects (see box_scan()). */
struct box_scan {
	struct plan *p;
	struct cands *cs;
	long long *part;         /* open part of the asked half-hour: spans to read */
	size_t npart, part_alloc;
};

/*
 * The R*Tree query callback of box_scan(): the same test as the SQL box
 * source (the box, then qfq_near on the stored point) and the same theme
 * filter (every group, directly or through an ancestor), in C; each match
 * becomes a candidate here and no row reaches SQL.
 */
static struct box_scan *box_current; /* the scan box_cb() serves (registered once per connection) */

static int box_cb(sqlite3_rtree_query_info *info)
{
	struct box_scan *bs = box_current;
	const sqlite3_rtree_dbl *c = info->aCoord;
	const struct plan *p;
	struct cand *cd;
	long long id;
	bool direct;
	double d;

	info->eWithin = NOT_WITHIN;
	if (!bs || info->nCoord < 4 || bs->p->capped)
		return SQLITE_OK;
	p = bs->p;
	if (c[1] < p->box.min_lat || c[0] > p->box.max_lat || c[3] < p->box.min_lon || c[2] > p->box.max_lon)
		return SQLITE_OK;
	if (info->iLevel > 0) {
		info->eWithin = PARTLY_WITHIN;
		return SQLITE_OK;
	}
	if (c[0] < p->box.min_lat || c[0] > p->box.max_lat || c[2] < p->box.min_lon || c[2] > p->box.max_lon)
		return SQLITE_OK;
	/* the themes before the distance: bit tests spare most of the trigonometry */
	id = info->iRowid;
	if (!planes_themed(p, id, &direct))
		return SQLITE_OK;
	d = geo_distance_km(p->q->lat, p->q->lon, c[0], c[2]);
	if (d < 0 || d > p->q->radius_km)
		return SQLITE_OK;
	cd = cands_get(bs->cs, id);
	if (!cd->seen) {
		cd->seen = true;
		cd->has_geo = true;
		cd->glat = c[0];
		cd->glon = c[2];
		cd->sans_rdv = -1;
		cd->direct = direct;
		cd->dist = d;
		cd->open = p->open_sets.bits ? planes_open(p, id) : SEARCH_OPEN_UNKNOWN;
		if (cd->open == PLANES_PART) { /* decided after the scan, from its spans */
			XGROW(bs->part, bs->part_alloc, bs->npart + 1);
			bs->part[bs->npart++] = id;
		}
	}
	cd->reasons |= R_RADIUS;
	if (p->q->max_candidates && bs->cs->n >= p->q->max_candidates)
		bs->p->capped = true;
	return SQLITE_OK;
}

/*
 * Whether the structures within the radius can be collected by box_scan():
 * a commune with a centre and nothing that needs more than the bit planes
 * (no text, no filter on the structures' own columns, themes and opening
 * hours from stored bitmaps).
 */
bool box_scan_usable(const struct plan *p)
{
	const struct search_query *q = p->q;
	return !scans_disabled() && q->has_commune && q->has_center && !p->row && !p->fts.len && !p->listing && !p->stream &&
	       (!q->ngroups || p->st_sets.bits) && (!p->timed || p->open_sets.bits);
}

/* Collects the structures within the radius from structures_geo. 0 or -1. */
int box_scan(sqlite3 *db, struct plan *p, struct cands *cs)
{
	static const char once = 0;
	struct box_scan bs = { .p = p, .cs = cs };
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = -1, step;

	/* registered once: registering again expires every prepared statement */
	if (db_first_time(db, &once) && sqlite3_rtree_query_callback(db, "qfq_box", box_cb, NULL, NULL) != SQLITE_OK) {
		db_error(db, "search");
		goto done;
	}
	box_current = &bs;
	if (db_stmt(db, "SELECT id FROM structures_geo WHERE id MATCH qfq_box()", &st))
		goto done;
	step = sqlite3_step(st);
	db_stmt_done(st);
	st = NULL;
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		db_error(db, "search");
		goto done;
	}
	for (i = 0; i < bs.npart; i++)
		if (open_by_spans(db, p, &st, bs.part[i], &cands_get(cs, bs.part[i])->open))
			goto done;
	rc = 0;
done:
	db_stmt_done(st);
	box_current = NULL; /* it points at this frame */
	free(bs.part);
	return rc;
}

/* ------------------------------------------------- text matches, ranked in C */

/* What stream_scan() collects: matches whose open state needs their spans. */
struct stream_scan {
	struct plan *p;
	struct cands *cs;
	struct cand cur;         /* the match stream_want() took, scored by stream_take() */
	bool cur_part;           /* ... open part of the half-hour: its spans decide */
	struct cand *part;
	size_t npart, part_alloc;
};

/*
 * qfq_rank_each's sink (db/ftsrank.h), first half: one full-text match,
 * counted, then the same tests as the candidate statement's (every group
 * from the planes, direct theme, open from the half-hour planes). A match
 * refused here is not scored.
 */
static int stream_want(void *arg, sqlite3_int64 id)
{
	struct stream_scan *ss = arg;
	struct plan *p = ss->p;
	struct cand *c = &ss->cur;

	p->scanned++;
	memset(c, 0, sizeof(*c));
	c->id = id;
	c->dist = c->perm_dist = -1;
	c->sans_rdv = -1;
	if (!planes_themed(p, id, &c->direct))
		return 0;
	c->open = p->timed ? planes_open(p, id) : SEARCH_OPEN_UNKNOWN;
	ss->cur_part = c->open == PLANES_PART;
	return 1;
}

/* The second half: the match scored, kept in the heap (stream_keep()) or,
 * open part of the half-hour, decided after the scan. */
static void stream_take(void *arg, sqlite3_int64 id, double score)
{
	struct stream_scan *ss = arg;
	struct cand c = ss->cur;
	(void)id;
	c.score = score;
	if (ss->cur_part) {
		XGROW(ss->part, ss->part_alloc, ss->npart + 1);
		ss->part[ss->npart++] = c;
		return;
	}
	stream_keep(ss->p, ss->cs, &c);
}

/*
 * Whether a streamed text source (plan.stream) can be ranked by
 * stream_scan(): nothing needs the structures' rows, and the themes and
 * opening hours come from the planes.
 */
bool stream_scan_usable(const struct plan *p)
{
	const struct search_query *q = p->q;
	return !scans_disabled() && p->stream && !p->row && !p->place && p->fts.len &&
	       (!q->ngroups || p->st_sets.bits) && (!p->timed || p->open_sets.bits);
}

/*
 * Collects a streamed text source: every full-text match (or the first
 * q->max_candidates) is scored and tested inside one counting statement
 * (qfq_rank_each), so that SQLite never steps out with a row per match:
 * for a short prefix typed in the interface, tens of thousands of them.
 * The same candidates, scores and order as the candidate statement. 0 or -1.
 */
int stream_scan(sqlite3 *db, struct plan *p, struct cands *cs)
{
	struct stream_scan ss = { .p = p, .cs = cs };
	struct ftsrank_sink sink = { stream_want, stream_take, &ss };
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = -1, step;

	if (db_stmt(db, "SELECT count(*) FROM (SELECT rowid FROM structures_fts WHERE structures_fts MATCH ?1 "
			"AND qfq_rank_each(structures_fts, ?2) LIMIT ?3)", &st))
		goto done;
	sqlite3_bind_text(st, 1, p->fts.buf, -1, SQLITE_STATIC);
	sqlite3_bind_pointer(st, 2, &sink, FTSRANK_SINK, NULL);
	sqlite3_bind_int64(st, 3, p->q->max_candidates ? (long long)p->q->max_candidates : -1);
	step = sqlite3_step(st);
	db_stmt_done(st);
	st = NULL;
	if (step != SQLITE_ROW) {
		db_error(db, "search");
		goto done;
	}
	if (p->q->max_candidates && p->scanned >= p->q->max_candidates)
		p->capped = true;
	for (i = 0; i < ss.npart; i++) {
		if (open_by_spans(db, p, &st, ss.part[i].id, &ss.part[i].open))
			goto done;
		stream_keep(p, cs, &ss.part[i]);
	}
	rc = 0;
done:
	db_stmt_done(st);
	free(ss.part);
	return rc;
}
