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
#include "core/search.h"
#include "core/date.h"
#include "core/l10n.h"
#include "core/geo.h"
#include "core/hours.h"
#include "core/names.h"
#include "core/text.h"
#include "db/db.h"
#include "db/hoursets.h"
#include "db/membersgeo.h"
#include "db/themesets.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/psort.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FTS_TOKENS 16     /* more words than that is not a search */
#define MAX_TOKEN_BYTES 64    /* a longer "word" is cut */
#define MAX_GROUPS 30         /* persons: theme groups tested in a bit mask */

/* Why a candidate matched its place (bits). */
enum {
	R_RADIUS = 1 << 0,   /* within the radius of the commune */
	R_COMMUNE = 1 << 1,  /* declares it serves the commune */
	R_EPCI = 1 << 2,     /* declares it serves the EPCI */
	R_DEP = 1 << 3,      /* declares it serves the département */
	R_REGION = 1 << 4,   /* declares it serves the région */
	R_PERM = 1 << 5,     /* holds a permanence in or near it */
	R_IN_EPCI = 1 << 6,  /* is in the EPCI asked */
	R_IN_DEP = 1 << 7,   /* is in the département asked */
};

/* ---------------------------------------------------------------- query */

static const char *col_str(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const char *s = col_str(st, i);
	return s ? xstrdup(s) : NULL;
}


void search_query_init(struct search_query *q)
{
	memset(q, 0, sizeof(*q));
	q->radius_km = SEARCH_DEFAULT_RADIUS_KM;
}

static void clear_groups(struct search_query *q)
{
	size_t i;
	for (i = 0; i < q->ngroups; i++) {
		free(q->groups[i].typed);
		theme_list_clear(&q->groups[i].themes);
	}
	free(q->groups);
	q->groups = NULL;
	q->ngroups = q->groups_alloc = 0;
}

static void clear_commune(struct search_query *q)
{
	free(q->commune_insee);
	free(q->commune_nom);
	free(q->commune_epci);
	free(q->commune_dep);
	q->commune_insee = q->commune_nom = q->commune_epci = q->commune_dep = NULL;
	q->has_commune = q->has_center = false;
}

void search_query_clear(struct search_query *q)
{
	free(q->text);
	clear_groups(q);
	clear_commune(q);
	free(q->epci);
	free(q->departement);
	free(q->publics);
	free(q->typologie);
	search_query_init(q);
}

void search_query_set_text(struct search_query *q, const char *text)
{
	free(q->text);
	q->text = text && *text ? xstrdup(text) : NULL;
}

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

void search_query_set_commune(struct search_query *q, const struct commune *c)
{
	clear_commune(q);
	q->has_commune = true;
	q->commune_insee = xstrdup(c->code_insee);
	q->commune_nom = dup_or_null(c->nom);
	q->commune_epci = dup_or_null(c->epci);
	q->commune_dep = dup_or_null(c->departement);
	q->has_center = c->has_coords;
	q->lat = c->latitude;
	q->lon = c->longitude;
}

int search_query_add_theme(sqlite3 *db, struct search_query *q, const char *typed)
{
	struct theme_list l = { 0 };
	struct search_theme_group *g;
	if (themes_resolve(db, typed, &l))
		return -1;
	if (!l.n) {
		theme_list_clear(&l);
		return 0;
	}
	XGROW(q->groups, q->groups_alloc, q->ngroups + 1);
	g = &q->groups[q->ngroups++];
	g->typed = xstrdup(typed);
	g->themes = l;
	return 1;
}

int search_query_set_epci(sqlite3 *db, struct search_query *q, const char *typed)
{
	/* an exact SIREN or name first; else a name prefix naming one EPCI */
	static const char *const sql[] = {
		"SELECT siren FROM epci WHERE siren = ?1 OR nom_norm = ?2 LIMIT 2",
		"SELECT siren FROM epci WHERE ?2 <> '' AND nom_norm >= ?2 AND nom_norm < ?2 || '~' LIMIT 2",
	};
	char *key = text_norm_dup(typed), *found = NULL;
	sqlite3_stmt *st;
	size_t i;
	int n = 0, rc = SQLITE_DONE;

	for (i = 0; i < 2 && !n && rc == SQLITE_DONE; i++) {
		if (db_prepare(db, sql[i], &st)) {
			free(key);
			return -1;
		}
		sqlite3_bind_text(st, 1, typed, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (n++ == 0)
				found = col_dup(st, 0);
		sqlite3_finalize(st);
	}
	free(key);
	if (rc != SQLITE_DONE) {
		free(found);
		return db_error(db, "epci");
	}
	if (n != 1) {
		free(found);
		return n ? 2 : 0;
	}
	free(q->epci);
	q->epci = found;
	return 1;
}

/* ----------------------------------------------------------------- when */

static const char *const day_names[7][5] = {
	/* tm_wday order: Sunday first */
	{ "dimanche", "dim", "sunday", "sun", "su" },
	{ "lundi", "lun", "monday", "mon", "mo" },
	{ "mardi", "mar", "tuesday", "tue", "tu" },
	{ "mercredi", "mer", "wednesday", "wed", "we" },
	{ "jeudi", "jeu", "thursday", "thu", "th" },
	{ "vendredi", "ven", "friday", "fri", "fr" },
	{ "samedi", "sam", "saturday", "sat", "sa" },
};

/* Parses "14:00", "14h", "14h30", "9". Returns 0 and minutes of day, or -1. */
static int parse_clock(const char *s, int *minutes)
{
	int h = 0, m = 0, digits = 0;
	while (isdigit((unsigned char)*s) && digits < 3)
		h = h * 10 + (*s++ - '0'), digits++;
	if (!digits || digits > 2)
		return -1;
	if (*s == ':' || *s == 'h' || *s == 'H') {
		s++;
		if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1])) {
			m = (s[0] - '0') * 10 + (s[1] - '0');
			s += 2;
			if (*s == ':' && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]))
				s += 3; /* seconds, ignored */
		}
	}
	if (*s || h > 24 || m > 59 || (h == 24 && m))
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

static int parse_iso(const char *s, struct tm *out)
{
	int y, mo, d, n = 0, minutes;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	s += 10;
	if (*s != 'T' && *s != ' ')
		return -1;
	if (parse_clock(s + 1, &minutes))
		return -1;
	if (!date_exists(y, mo, d))
		return -2; /* well formed, but no such day: never rolled over by mktime */
	memset(out, 0, sizeof(*out));
	out->tm_year = y - 1900;
	out->tm_mon = mo - 1;
	out->tm_mday = d;
	out->tm_hour = minutes / 60;
	out->tm_min = minutes % 60;
	out->tm_isdst = -1;
	if (mktime(out) == (time_t)-1)
		return -1;
	return 0;
}

int search_parse_when(const char *s, const struct tm *now, struct tm *out)
{
	struct strbuf key = STRBUF_INIT;
	const char *clock;
	int wday = -1, ahead = 0, minutes, d, k;
	size_t len;

	while (*s == ' ')
		s++;
	if ((k = parse_iso(s, out)) == 0)
		return 0;
	if (k == -2)
		return qfq_error(_("no such date \"%.10s\""), s);
	text_fold(&key, s, strlen(s));
	strbuf_trim(&key);
	if (!strcmp(key.buf, "now") || !strcmp(key.buf, "maintenant")) {
		*out = *now;
		strbuf_release(&key);
		return 0;
	}
	len = strcspn(key.buf, " ");
	clock = key.buf + len;
	while (*clock == ' ')
		clock++;
	for (d = 0; d < 7 && wday < 0; d++)
		for (k = 0; k < 5; k++)
			if (strlen(day_names[d][k]) == len && !strncmp(key.buf, day_names[d][k], len))
				wday = d;
	if (wday < 0 && len == 6 && !strncmp(key.buf, "demain", 6))
		ahead = 1;
	else if (wday < 0 && ((len == 11 && !strncmp(key.buf, "aujourd'hui", 11)) ||
			      (len == 5 && !strncmp(key.buf, "today", 5))))
		ahead = 0;
	else if (wday < 0)
		clock = key.buf; /* only a time: today */
	if (wday >= 0)
		ahead = (wday - now->tm_wday + 7) % 7;
	if (parse_clock(clock, &minutes)) {
		strbuf_release(&key);
		return qfq_error(_("unreadable time \"%s\": expected \"mardi 14:00\", \"14h30\", "
				   "\"now\" or \"2024-07-10T14:00\""), s);
	}
	strbuf_release(&key);
	*out = *now;
	out->tm_mday += ahead;
	out->tm_hour = minutes / 60;
	out->tm_min = minutes % 60;
	out->tm_sec = 0;
	out->tm_isdst = -1;
	mktime(out);
	return 0;
}

/* ------------------------------------------------------------ the themes */

/* A small set of theme ids. */
struct idset {
	long long *v;
	size_t n, alloc;
};

static bool idset_has(const struct idset *s, long long id)
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

/* A theme group made ready to test: what matches directly, what by ancestry. */
struct group_sets {
	struct idset direct;    /* the resolved themes and all their descendants */
	struct idset ancestor;  /* their strict ancestors (a national service) */
};

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

/* ------------------------------------------------------ building the SQL */

/* Values to bind, in the order their '?' were appended to the SQL. */
struct binds {
	struct bind {
		enum { B_INT, B_REAL, B_TEXT } type;
		long long i;
		double d;
		const char *s;  /* borrowed: lives as long as the query */
	} *v;
	size_t n, alloc;
};

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

static void add_text(struct strbuf *sql, struct binds *b, const char *s)
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

static void add_idlist(struct strbuf *sql, struct binds *b, const struct idset *a,
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
static void add_inset(struct strbuf *sql, struct binds *b, const char *alias, size_t group,
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
static void add_themed(struct strbuf *sql, struct binds *b, const char *fn, const char *col,
		       size_t group, bool ancestors)
{
	strbuf_addf(sql, "%s(%s, ", fn, col);
	add_int(sql, b, (long long)(group * 2 + ancestors));
	strbuf_addch(sql, ')');
}

static int prepare_bound(sqlite3 *db, const struct strbuf *sql, const struct binds *b,
			 sqlite3_stmt **st)
{
	size_t i;
	if (db_prepare(db, sql->buf, st))
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
static size_t utf8_cut(const char *s, size_t len, size_t max)
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
static size_t fts_query(const char *text, struct strbuf *out)
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
 * Ids (structures or persons) offering a theme of each group, as bit
 * planes indexed by id: plane 2g, directly (the theme or a descendant);
 * plane 2g + 1, directly or through an ancestor. Ids are dense row ids, so
 * a plane of the national directory is about 12 KB.
 */
struct themed {
	uint64_t *bits;
	size_t words;            /* per plane */
};

#define SETS_MIN_CANDIDATES 600  /* below, probing per candidate reads fewer pages */
#define SETS_MAX_ID THEMESET_MAX_ID   /* sparser ids than that: probe */

static bool themed_has(const struct themed *t, long long id, size_t plane)
{
	if (!t->bits || id < 0 || (unsigned long long)id / 64 >= t->words)
		return false;
	return (t->bits[plane * t->words + (size_t)(id / 64)] >> (id % 64)) & 1;
}

static void themed_set(struct themed *t, long long id, size_t plane)
{
	if (id < 0 || (unsigned long long)id / 64 >= t->words)
		return;
	t->bits[plane * t->words + (size_t)(id / 64)] |= 1ull << (id % 64);
}

/* A growable set of ids. */
struct bitvec {
	uint64_t *w;
	size_t n;               /* words */
};

static void bitvec_set(struct bitvec *b, long long id)
{
	size_t k;
	if (id < 0)
		return;
	k = (size_t)(id / 64);
	if (k >= b->n) {
		size_t n = k + 1 > 2 * b->n ? k + 1 : 2 * b->n;
		b->w = xrealloc(b->w, n * sizeof(*b->w));
		memset(b->w + b->n, 0, (n - b->n) * sizeof(*b->w));
		b->n = n;
	}
	b->w[k] |= 1ull << (id % 64);
}

static bool bitvec_has(const struct bitvec *b, long long id)
{
	return id >= 0 && (size_t)(id / 64) < b->n && (b->w[id / 64] >> (id % 64)) & 1;
}

/* What a run needs beside the query. */
struct plan {
	const struct search_query *q;
	struct group_sets *gs;   /* one per group */
	struct strbuf fts;       /* FTS5 query, empty when no text */
	struct geo_box box;      /* around the commune's centre */
	bool place;              /* a commune, an EPCI or a département restricts */
	int minute;              /* minute of week of q->when */
	char *typo;              /* resolved typology code */
	char *publics;           /* folded publics filter */
	/*
	 * Whether stage 1 reads the structures rows. Only filters on their
	 * columns and name ordering need them: with a place or a text, ranking
	 * comes from the compact indexes alone, and reading thousands of
	 * scattered rows would cost more than everything else.
	 */
	bool row;
	bool capped;             /* stopped at q->max_candidates */
	/*
	 * The structures (box_scan(), from the R*Tree) or the members
	 * (members_scan(), from structure_members) within the radius were
	 * collected in C: the place source leaves out its box part.
	 */
	bool no_box;
	/*
	 * members_scan(): structures whose row the cell scan read and settled
	 * (every matching member already collected, or none matches), so that
	 * a territory they serve does not read their row again; the reasons
	 * this leaves out are added to the shown persons (fill_person()).
	 */
	struct bitvec settled;
	struct deferred {
		long long sid;
		unsigned why;
	} *deferred;
	size_t ndeferred, deferred_alloc;
	/*
	 * Whether theme membership is read once from the theme side into bit
	 * planes (themed_load) instead of probed per candidate: a probe is a
	 * random page of structure_themes, so beyond a few hundred candidates
	 * reading the theme's index range in order costs less.
	 */
	bool sets;
	/*
	 * The whole directory by name (no criteria, or only a lone letter
	 * typed), or every structure of some themes: ranking is then (direct
	 * theme first) nom_norm, id, which the structures_nom index gives in
	 * order, so only the shown rows are read. Themes need the planes.
	 */
	bool listing;
	/*
	 * Open at q->when from the half-hour bitmaps (db/hoursets.h), when the
	 * database has them: plane 0 has parsed hours, 1 open the whole
	 * half-hour, 2 open part of it. bits NULL: each candidate's spans.
	 */
	struct themed open_sets;
	/*
	 * A text source alone (no place, not a listing) with a limit: each
	 * match is ranked as it comes and only the best q->limit are kept
	 * (stream_row); matched counts them all. A national directory gives
	 * tens of thousands of matches for a short word: an id index and a
	 * sort of all of them cost more than the full-text match itself.
	 */
	bool stream;
	size_t matched;
	size_t scanned;          /* full-text matches read by a capped stream (qfq_tick) */
	struct themed st_sets;   /* structures, when sets */
	struct themed pt_sets;   /* persons (competences), when sets and persons */
};

/*
 * qfq_mark(id, plane): sets id's bit in plane, and in plane + 1 when plane
 * is a "directly" plane (even); returns 0 (rows are only counted).
 */
static void mark_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct themed *t = sqlite3_user_data(ctx);
	long long id = sqlite3_value_int64(argv[0]);
	long long plane = sqlite3_value_int64(argv[1]);
	(void)argc;
	if (plane >= 0) {
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
		if (!mk->st && (sqlite3_create_function(db, "qfq_mark", 2, SQLITE_UTF8, mk->t, mark_fn, NULL,
							NULL) != SQLITE_OK || db_prepare(db, mk->sql, &mk->st)))
			return db_error(db, "search");
		return mark_theme(db, mk->st, theme, plane);
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
	if (db_prepare(db, max_sql, &st))
		return -2;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		max = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
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
	if (mk.st) {
		sqlite3_finalize(mk.st);
		sqlite3_create_function(db, "qfq_mark", 2, SQLITE_UTF8, NULL, NULL, NULL, NULL);
	}
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
	if (db_prepare(db, "SELECT count(*) FROM structures_geo WHERE min_lat >= ?1 AND max_lat <= ?2 "
			   "AND min_lon >= ?3 AND max_lon <= ?4", &st))
		return -1;
	sqlite3_bind_double(st, 1, p->box.min_lat);
	sqlite3_bind_double(st, 2, p->box.max_lat);
	sqlite3_bind_double(st, 3, p->box.min_lon);
	sqlite3_bind_double(st, 4, p->box.max_lon);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
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
static int plan_sets(sqlite3 *db, struct plan *p)
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
 * The place source: (id, why, plat, plon, pcode, pnom), one row per reason
 * a structure is concerned by the place; plat..pnom describe a permanence.
 */
static void sql_place_source(struct strbuf *sql, struct binds *b, struct plan *p)
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
		 "FROM permanences p LEFT JOIN communes pc ON pc.code_insee = p.code_insee WHERE "
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
			    "JOIN communes c ON c.code_insee = p.code_insee WHERE c.%s = ", col);
		add_text(sql, b, code);
	}
}

/*
 * Whether stage 1 needs the map coordinates: only to measure distances
 * from a commune's centre (joining the R*Tree to an FTS5 scan doubles its
 * cost for nothing otherwise).
 */
/* Map coordinates of a source row: those the box scan gave, else looked up. */
#define GEO_OF(t) "coalesce(" t ".glat, (SELECT min_lat FROM structures_geo WHERE id = " t ".id)), " \
		  "coalesce(" t ".glon, (SELECT min_lon FROM structures_geo WHERE id = " t ".id)), "

static bool q_geo(const struct plan *p)
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
static void sql_structure_source(struct strbuf *sql, struct binds *b, struct plan *p)
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
static int count_structures(sqlite3 *db, const struct plan *p, size_t *n)
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
	if (db_prepare(db, "SELECT count(*) FROM structures", &st))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(db, "search");
}

/*
 * Filters on a candidate (appended after WHERE 1). In the correlated theme
 * probes, "+theme_id" keeps SQLite from seeking the (theme_id, structure_id)
 * index once per theme of the list: one seek on the structure's own few
 * themes is several times cheaper.
 */
static void sql_structure_filters(struct strbuf *sql, struct binds *b, struct plan *p)
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
	if (p->typo) {
		strbuf_addstr(sql, " AND instr('|' || upper(s.typologie) || '|', '|' || upper(");
		add_text(sql, b, p->typo);
		strbuf_addstr(sql, ") || '|') > 0");
	}
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
static void sql_open_expr(struct strbuf *sql, struct binds *b, struct plan *p)
{
	if (!p->q->has_when) {
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

/*
 * Loads p->open_sets for q->when when the database has its bitmaps (see
 * struct plan); leaves them NULL otherwise. 0 or -1.
 */
static int plan_open(sqlite3 *db, struct plan *p)
{
	static const struct {
		int slot_of_when;  /* 0: the "has hours" slot */
		enum hourset_kind kind;
	} maps[3] = { { 0, HOURSET_WHOLE }, { 1, HOURSET_WHOLE }, { 1, HOURSET_PART } };
	struct themed *t = &p->open_sets;
	long long max;
	size_t i;

	if (!p->q->has_when)
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

/* 1 when s offers a theme of every group directly (not only an ancestor). */
static void sql_direct_expr(struct strbuf *sql, struct binds *b, struct plan *p)
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

/* ----------------------------------------------------------- candidates */

/* A structure collected in stage 1. */
struct cand {
	long long id;
	unsigned reasons;       /* R_* */
	bool has_geo;
	double glat, glon;      /* from structures_geo */
	double dist;            /* effective distance, < 0 unknown */
	double perm_dist;       /* nearest permanence kept, < 0 none */
	char *perm_nom;         /* its commune */
	int sans_rdv;           /* 1, 0, -1 */
	double score;           /* qfq_rank (lower is better), 0 without text */
	int open;               /* enum search_open */
	bool direct;
	char *nom_norm;
	bool seen;              /* filled from its first row */
};

/* Candidates with an id index (open addressing). */
struct cands {
	struct cand *v;
	size_t n, alloc;
	size_t *slot;           /* index+1, 0 empty */
	size_t nslot;           /* power of two */
};

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

static struct cand *cands_get(struct cands *c, long long id)
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

static void cands_free(struct cands *c)
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
static unsigned row_reason(const struct search_query *q, sqlite3_stmt *st, int why, double dist,
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
static void keep_perm(struct cand *c, double d, char *nom)
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
static void take_row(struct plan *p, sqlite3_stmt *st, struct cands *cs)
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
static bool publics_match(const char *publics, const char *want)
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

static int cmp_cand(const void *x, const void *y);

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
 * One row of a streamed source (see plan.stream): counted, and kept only
 * while it is among the q->limit best so far. No id index: a text source
 * gives each structure once.
 */
static void stream_row(struct plan *p, sqlite3_stmt *st, struct cands *cs)
{
	const struct search_query *q = p->q;
	struct cand c;
	memset(&c, 0, sizeof(c));
	c.id = sqlite3_column_int64(st, 0);
	c.dist = c.perm_dist = -1;
	cand_fill(q, st, &c);
	if (q->open_only && c.open == SEARCH_CLOSED) {
		free(c.nom_norm);
		return;
	}
	p->matched++;
	if (cs->n < q->limit) {
		XGROW(cs->v, cs->alloc, cs->n + 1);
		cs->v[cs->n] = c;
		heap_up(cs->v, cs->n++);
	} else if (cmp_cand(&c, &cs->v[0]) < 0) {
		free(cs->v[0].nom_norm);
		cs->v[0] = c;
		heap_down(cs->v, cs->n, 0);
	} else {
		free(c.nom_norm);
	}
}

/* ------------------------------------------- structures within the radius */

/*
 * QFQ_SEARCH_NO_SCAN=1 makes the engine answer with SQL alone, without
 * the scans in C (box_scan() of the R*Tree, members_scan() of
 * structure_members): the tests compare the two ways on the same data.
 */
static bool scans_disabled(void)
{
	const char *v = getenv("QFQ_SEARCH_NO_SCAN");
	return v && *v && strcmp(v, "0");
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
static int box_cb(sqlite3_rtree_query_info *info)
{
	struct box_scan *bs = info->pContext;
	const sqlite3_rtree_dbl *c = info->aCoord;
	const struct plan *p;
	struct cand *cd;
	long long id;
	size_t g;
	bool direct = true;
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
	for (g = 0; g < p->q->ngroups; g++) {
		if (!themed_has(&p->st_sets, id, g * 2 + 1))
			return SQLITE_OK;
		/* sql_direct_expr(): only groups with ancestors can be indirect */
		if (p->gs[g].ancestor.n && !themed_has(&p->st_sets, id, g * 2))
			direct = false;
	}
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
		cd->open = SEARCH_OPEN_UNKNOWN;
		if (p->open_sets.bits) {
			if (!themed_has(&p->open_sets, id, 0))
				cd->open = SEARCH_OPEN_UNKNOWN;
			else if (themed_has(&p->open_sets, id, 1))
				cd->open = SEARCH_OPEN;
			else if (!themed_has(&p->open_sets, id, 2))
				cd->open = SEARCH_CLOSED;
			else { /* decided after the scan, from its spans */
				XGROW(bs->part, bs->part_alloc, bs->npart + 1);
				bs->part[bs->npart++] = id;
			}
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
static bool box_scan_usable(const struct plan *p)
{
	const struct search_query *q = p->q;
	return !scans_disabled() && q->has_commune && q->has_center && !p->row && !p->fts.len && !p->listing && !p->stream &&
	       (!q->ngroups || p->st_sets.bits) && (!q->has_when || p->open_sets.bits);
}

/* Collects the structures within the radius from structures_geo. 0 or -1. */
static int box_scan(sqlite3 *db, struct plan *p, struct cands *cs)
{
	struct box_scan bs = { .p = p, .cs = cs };
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc = -1, step;

	if (sqlite3_rtree_query_callback(db, "qfq_box", box_cb, &bs, NULL) != SQLITE_OK ||
	    db_prepare(db, "SELECT id FROM structures_geo WHERE id MATCH qfq_box()", &st))
		goto done;
	step = sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		db_error(db, "search");
		goto done;
	}
	if (bs.npart && db_prepare(db, "SELECT max(h.start_min <= ?2 AND h.end_min > ?2) FROM structure_hours h "
				   "WHERE h.structure_id = ?1", &st))
		goto done;
	for (i = 0; i < bs.npart; i++) {
		struct cand *cd = cands_get(cs, bs.part[i]);
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, bs.part[i]);
		sqlite3_bind_int(st, 2, p->minute);
		if ((step = sqlite3_step(st)) != SQLITE_ROW) {
			db_error(db, "search");
			goto done;
		}
		cd->open = sqlite3_column_type(st, 0) == SQLITE_NULL ? SEARCH_OPEN_UNKNOWN :
			   sqlite3_column_int(st, 0) ? SEARCH_OPEN : SEARCH_CLOSED;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	/* the callback points at this frame */
	sqlite3_rtree_query_callback(db, "qfq_box", box_cb, NULL, NULL);
	free(bs.part);
	return rc;
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

/* Stage 2 for structures: distance and reasons settled, the unmatched dropped. */
static void settle(struct plan *p, struct cands *cs)
{
	size_t i, k = 0;
	for (i = 0; i < cs->n; i++) {
		struct cand c = cs->v[i];
		if (p->place && !c.reasons) {
			free(c.perm_nom);
			free(c.nom_norm);
			continue;
		}
		if (c.perm_dist >= 0 && (c.dist < 0 || c.perm_dist < c.dist))
			c.dist = c.perm_dist;
		if (p->q->open_only && c.open == SEARCH_CLOSED) {
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
static const struct search_query *rank_query;

static int cmp_num(double a, double b)
{
	return a < b ? -1 : a > b;
}

/* Compares what ranking uses; shared by candidates and finished results. */
static int rank_cmp(int open_a, int open_b, int rdv_a, int rdv_b, bool dir_a, bool dir_b,
		    double dist_a, double dist_b, double score_a, double score_b)
{
	const struct search_query *q = rank_query;
	int c;
	if (q->has_when && (c = open_bucket(open_a) - open_bucket(open_b)))
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

static int cmp_cand(const void *x, const void *y)
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

/* ------------------------------------------------------------- details */

static void motif_sep(struct strbuf *sb)
{
	if (sb->len)
		strbuf_addstr(sb, " ; ");
}

/*
 * Why a candidate matched, in French: its place reasons, then (when the
 * caller wants them: not for persons, who say it their own way) the theme
 * and the text. parents names the parent services of an ancestor match.
 */
static void build_motif(struct plan *p, const struct cand *c, const char *parents,
			bool themes_and_text, struct strbuf *sb)
{
	const struct search_query *q = p->q;
	if (c->reasons & R_RADIUS) {
		motif_sep(sb);
		struct strbuf km = STRBUF_INIT, de = STRBUF_INIT;
		l10n_add_km(&km, c->dist);
		l10n_add_de(&de, q->commune_nom);
		if (q->commune_nom)
			strbuf_addf(sb, _("à %s %s"), km.buf, de.buf); /* "à 2,2 km d'Annonay" */
		else
			strbuf_addf(sb, _("à %s"), km.buf);
		strbuf_release(&km);
		strbuf_release(&de);
	}
	if (c->reasons & R_COMMUNE) {
		motif_sep(sb);
		if (q->has_commune)
			strbuf_addf(sb, _("dessert %s"), q->commune_nom ? q->commune_nom : q->commune_insee);
		else
			strbuf_addstr(sb, _("dessert une commune du territoire"));
	}
	if (c->reasons & R_EPCI) {
		motif_sep(sb);
		strbuf_addstr(sb, _("dessert l'EPCI"));
	}
	if (c->reasons & R_DEP) {
		motif_sep(sb);
		strbuf_addstr(sb, _("dessert le département"));
	}
	if (c->reasons & R_REGION) {
		motif_sep(sb);
		strbuf_addstr(sb, _("dessert la région"));
	}
	if (c->reasons & R_PERM) {
		motif_sep(sb);
		strbuf_addf(sb, _("permanence à %s"), c->perm_nom ? c->perm_nom : "?");
		if (c->perm_dist > 0) {
			strbuf_addstr(sb, " (");
			l10n_add_km(sb, c->perm_dist);
			strbuf_addch(sb, ')');
		}
	}
	if (c->reasons & R_IN_EPCI) {
		motif_sep(sb);
		strbuf_addstr(sb, _("dans l'EPCI"));
	}
	if (c->reasons & R_IN_DEP) {
		motif_sep(sb);
		strbuf_addstr(sb, _("dans le département"));
	}
	if (!themes_and_text)
		return;
	if (q->ngroups) {
		motif_sep(sb);
		if (c->direct)
			strbuf_addstr(sb, _("thème proposé"));
		else
			strbuf_addf(sb, _("service parent proposé (%s)"), parents);
	}
	if (p->fts.len) {
		motif_sep(sb);
		strbuf_addstr(sb, _("texte trouvé"));
	}
}

/* Appends label to a '|'-joined list. */
static void list_add(struct strbuf *sb, const char *label)
{
	if (sb->len)
		strbuf_addch(sb, '|');
	strbuf_addstr(sb, label ? label : "");
}

static char *detach_or_null(struct strbuf *sb)
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
	if (!q->has_when || !r->horaires || hours_parse(r->horaires, &h)) {
		if (q->has_when && r->horaires)
			r->ouvert = SEARCH_OPEN_UNKNOWN;
		qfq_error_clear();
		return;
	}
	r->ouvert = (enum search_open)hours_state_at(h, &q->when);
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
	struct strbuf motif = STRBUF_INIT;
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
	build_motif(p, c, parents.buf, true, &motif);
	r->motif = detach_or_null(&motif);
	strbuf_release(&parents);
	return rc;
}

static int cmp_result(const void *x, const void *y)
{
	const struct search_structure *a = x, *b = y;
	int c = rank_cmp(a->ouvert, b->ouvert, a->sans_rdv, b->sans_rdv, a->direct, b->direct,
			 a->distance_km, b->distance_km, a->rank, b->rank);
	return c ? c : text_collate(a->nom ? a->nom : "", a->nom ? strlen(a->nom) : 0,
				    b->nom ? b->nom : "", b->nom ? strlen(b->nom) : 0);
}

static int details(sqlite3 *db, struct plan *p, struct cands *cs, size_t keep,
		   struct search_results *r)
{
	struct detail_stmts ds = { 0 };
	size_t i;
	int rc = -1;

	if (db_prepare(db, "SELECT s.nom, s.typologie, c.nom, s.code_insee, s.adresse, "
			   "coalesce(s.latitude, c.latitude), coalesce(s.longitude, c.longitude), "
			   "s.telephone, s.courriels, s.site_web, s.horaires, s.sans_rdv "
			   "FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee "
			   "WHERE s.id = ?1", &ds.row) ||
	    db_prepare(db, "SELECT t.id, t.label FROM structure_themes st JOIN themes t "
			   "ON t.id = st.theme_id WHERE st.structure_id = ?1 ORDER BY t.position, t.id",
		       &ds.themes))
		goto done;
	r->v = xcalloc(keep ? keep : 1, sizeof(*r->v));
	r->alloc = keep ? keep : 1;
	for (i = 0; i < keep; i++) {
		if (fill_structure(db, p, &ds, &cs->v[i], &r->v[r->n]))
			goto done;
		r->n++;
	}
	/* the exact hours may have moved a place between open and closed */
	if (p->q->has_when)
		qsort(r->v, r->n, sizeof(*r->v), cmp_result);
	rc = 0;
done:
	sqlite3_finalize(ds.row);
	sqlite3_finalize(ds.themes);
	return rc;
}

/* --------------------------------------------------------------- persons */

struct pcand {
	long long id;
	double dist;            /* nearest structure of theirs that matched */
	bool direct;            /* a declared competence matched */
	unsigned reasons;
	char *perm_nom;
	double perm_dist;
	char *name;             /* for ordering */
};

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

/* ------------------------------------------------ members within the radius */

/*
 * A membership that has not ended. date('now') is wrapped in a subquery,
 * which SQLite computes once: bare, it is parsed and formatted per row and
 * made the whole persons search ten times slower.
 */
#define CURRENT_MEMBER "(m.fin IS NULL OR m.fin >= (SELECT date('now')))"

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
	sqlite3_finalize(src);
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
	sqlite3_finalize(st);
	strbuf_release(&sql);
	strbuf_release(&patterns);
	cands_free(&cs);
	free(b.v);
	return rc;
}

static int fill_person(sqlite3 *db, struct plan *p, sqlite3_stmt *row, sqlite3_stmt *mem,
		       sqlite3_stmt *th, const struct pcand *pc, struct search_person *r)
{
	struct strbuf matched = STRBUF_INIT, motif = STRBUF_INIT;
	struct cand c = { 0 };
	size_t alloc = 0, g, i, k;
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
				if (!strstr(matched.buf, col_str(th, 1)))
					list_add(&matched, col_str(th, 1));
				break;
			}
	}
	if (rc != SQLITE_DONE)
		return db_error(db, "search persons");
	r->themes = detach_or_null(&matched);

	c.reasons = pc->reasons;
	for (i = 0; i < p->ndeferred; i++)
		for (k = 0; k < r->nstructures; k++)
			if (r->structures[k].id == p->deferred[i].sid)
				c.reasons |= p->deferred[i].why;
	c.dist = pc->dist;
	c.perm_dist = pc->perm_dist;
	c.perm_nom = pc->perm_nom;
	c.direct = true;
	build_motif(p, &c, "", false, &motif);
	if (p->q->ngroups) {
		motif_sep(&motif);
		strbuf_addstr(&motif, pc->direct ? _("compétence déclarée") : _("thème de sa structure"));
	}
	r->motif = detach_or_null(&motif);
	return 0;
}

static int run_persons(sqlite3 *db, struct plan *p, struct search_results *r)
{
	struct pcand *pc = NULL;
	sqlite3_stmt *row = NULL, *mem = NULL, *th = NULL;
	size_t n = 0, keep, i;
	int rc = -1;

	if (collect_persons(db, p, &pc, &n))
		goto done;
	keep = p->q->limit && p->q->limit < n ? p->q->limit : n;
	psort(pc, n, sizeof(*pc), keep, cmp_pcand);
	r->total = n;
	if (db_prepare(db, "SELECT nom, prenom, courriels, telephones FROM persons WHERE id = ?1", &row) ||
	    db_prepare(db, "SELECT s.id, s.nom, m.role FROM memberships m JOIN structures s "
			   "ON s.id = m.structure_id WHERE m.person_id = ?1 AND "
			   "(m.fin IS NULL OR m.fin >= date('now')) ORDER BY s.nom", &mem) ||
	    db_prepare(db, "SELECT t.id, t.label, 0 FROM person_themes pt JOIN themes t ON t.id = pt.theme_id "
			   "WHERE pt.person_id = ?1 UNION ALL SELECT t.id, t.label, 1 FROM memberships m "
			   "JOIN structure_themes st ON st.structure_id = m.structure_id "
			   "JOIN themes t ON t.id = st.theme_id WHERE m.person_id = ?1 ORDER BY 3", &th))
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
	return rc == SQLITE_OK ? 0 : -1;
}

/* Whether key is one of the '|'-joined folded patterns. */
static bool in_patterns(const char *patterns, const char *key)
{
	size_t len = strlen(key);
	while (patterns && *patterns) {
		size_t n = strcspn(patterns, "|");
		if (n == len && !strncmp(patterns, key, len))
			return true;
		patterns += n + (patterns[n] == '|');
	}
	return false;
}

/*
 * A typology code from what was typed: a code (any case), the start of a
 * label, or one of the words that imply it ("france services"). An unknown
 * value is kept as typed and simply matches nothing.
 */
static int resolve_typology(sqlite3 *db, const char *typed, char **out)
{
	sqlite3_stmt *st;
	char *key = text_norm_dup(typed), *by_label = NULL, *by_pattern = NULL;
	int rc;
	*out = NULL;
	if (db_prepare(db, "SELECT code, label, patterns FROM typologies", &st)) {
		free(key);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !*out) {
		const char *code = col_str(st, 0);
		char *lab;
		if (!strcasecmp(code, typed)) {
			*out = xstrdup(code);
			break;
		}
		lab = text_norm_dup(col_str(st, 1));
		if (*key && !by_label && !strncmp(lab, key, strlen(key)))
			by_label = xstrdup(code);
		if (*key && !by_pattern && in_patterns(col_str(st, 2), key))
			by_pattern = xstrdup(code);
		free(lab);
	}
	sqlite3_finalize(st);
	free(key);
	if (!*out)
		*out = by_label ? by_label : by_pattern ? by_pattern : xstrdup(typed);
	if (*out != by_label)
		free(by_label);
	if (*out != by_pattern)
		free(by_pattern);
	return 0;
}

int search_run(sqlite3 *db, const struct search_query *q, struct search_results *r)
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
	p.place = q->has_commune || q->epci || q->departement;
	if (q->has_center)
		geo_box_around(q->lat, q->lon, q->radius_km, &p.box);
	if (q->has_when)
		p.minute = ((q->when.tm_wday + 6) % 7) * 1440 + q->when.tm_hour * 60 + q->when.tm_min;
	if (q->typologie && resolve_typology(db, q->typologie, &p.typo))
		goto done;
	if (q->publics && *q->publics)
		p.publics = text_norm_dup(q->publics);
	p.row = q->sans_rdv || p.typo || p.publics || (q->has_commune && (q->epci || q->departement)) ||
		(q->epci && q->departement) || (!p.place && !p.fts.len);

	if (register_fns(db, &p, true)) {
		db_error(db, "search");
		goto done;
	}
	if (plan_sets(db, &p) || plan_open(db, &p))
		goto done;
	if (q->persons) {
		rc = run_persons(db, &p, r);
		goto done;
	}
	/* the ranking of a listing is its ORDER BY (cmp_cand: equal up to the name);
	 * it reads q->limit rows whatever q->max_candidates */
	p.listing = !p.place && !p.fts.len && (!q->ngroups || p.sets) && !q->has_when && !q->sans_rdv &&
		    !p.typo && !p.publics && q->limit;
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
	free(p.settled.w);
	free(p.deferred);
	free(p.st_sets.bits);
	free(p.pt_sets.bits);
	for (i = 0; p.gs && i < q->ngroups; i++)
		group_sets_free(&p.gs[i]);
	free(p.gs);
	free(p.typo);
	free(p.publics);
	strbuf_release(&p.fts);
	themes_tree_clear(&tree);
	cands_free(&cs);
	return rc;
}

void search_results_clear(struct search_results *r)
{
	size_t i, j;
	for (i = 0; i < r->n; i++) {
		struct search_structure *s = &r->v[i];
		free(s->nom); free(s->typologie); free(s->commune); free(s->code_insee);
		free(s->adresse); free(s->services); free(s->themes); free(s->telephone);
		free(s->courriels); free(s->site_web); free(s->horaires);
		free(s->prochaine_ouverture); free(s->motif);
	}
	for (i = 0; i < r->np; i++) {
		struct search_person *p = &r->p[i];
		for (j = 0; j < p->nstructures; j++) {
			free(p->structures[j].nom);
			free(p->structures[j].role);
		}
		free(p->structures);
		free(p->nom); free(p->prenom); free(p->themes); free(p->telephone);
		free(p->courriels); free(p->motif);
	}
	free(r->v);
	free(r->p);
	memset(r, 0, sizeof(*r));
}

/* --------------------------------------------------------- typed input */

/* The folded theme names, for recognizing themes in a typed line. */
struct names_cache {
	char **name;
	size_t n, alloc;
};

static int names_load(sqlite3 *db, struct names_cache *nc)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT DISTINCT name_norm FROM theme_names", &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(nc->name, nc->alloc, nc->n + 1);
		nc->name[nc->n++] = col_dup(st, 0);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "themes");
}

static bool names_has(const struct names_cache *nc, const char *key)
{
	size_t i;
	for (i = 0; i < nc->n; i++)
		if (!strcmp(nc->name[i], key))
			return true;
	return false;
}

static void names_free(struct names_cache *nc)
{
	size_t i;
	for (i = 0; i < nc->n; i++)
		free(nc->name[i]);
	free(nc->name);
}

/* A commune named exactly key (current or former name), or by code: 1 and *c, 0, -1. */
static int exact_commune(sqlite3 *db, const char *words, const char *key, struct commune *c)
{
	struct commune_list l = { 0 };
	enum commune_match how;
	sqlite3_stmt *st;
	int rc, n = 0;
	bool digits = strspn(words, "0123456789") == strlen(words);

	if (!digits) {
		/* only exact names: a prefix ("pri") is still being typed, or is a word */
		if (db_prepare(db, "SELECT count(*) FROM (SELECT code_insee FROM communes WHERE nom_norm = ?1 "
				   "UNION SELECT commune_actuelle FROM communes_anciennes WHERE nom_norm = ?1)", &st))
			return -1;
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
		if (n != 1)
			return 0;
	} else if (strlen(words) != 5) {
		return 0;
	}
	if (communes_find(db, words, &l, &how))
		return -1;
	rc = how == COMMUNE_FOUND && l.n >= 1;
	if (rc) {
		*c = l.v[0];
		memset(&l.v[0], 0, sizeof(l.v[0]));
	}
	commune_list_clear(&l);
	return rc;
}

#define MAX_RUN 5  /* words in a theme or commune name tried at once */

int search_parse_input(sqlite3 *db, const char *typed, struct search_query *q)
{
	struct names_cache nc = { 0 };
	struct strbuf rest = STRBUF_INIT, run = STRBUF_INIT, key = STRBUF_INIT;
	const char *w[64];
	size_t wl[64], nw = 0, i = 0, len;
	bool have_commune = false;
	const char *s = typed ? typed : "";
	int rc = -1;

	clear_groups(q);
	clear_commune(q);
	search_query_set_text(q, NULL);
	/* words as typed, split on white space (at most 64: the rest is text) */
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		len = strcspn(s, " \t");
		if (!len)
			break;
		if (nw == 64) {
			wl[nw - 1] = (size_t)(s + len - w[nw - 1]);
		} else {
			w[nw] = s;
			wl[nw++] = len;
		}
		s += len;
	}
	if (names_load(db, &nc))
		goto done;
	while (i < nw) {
		size_t k, used = 0;
		for (k = i + MAX_RUN <= nw ? MAX_RUN : nw - i; k >= 1 && !used; k--) {
			struct commune c;
			int found;
			strbuf_reset(&run);
			strbuf_add(&run, w[i], (size_t)(w[i + k - 1] + wl[i + k - 1] - w[i]));
			strbuf_reset(&key);
			text_norm(&key, run.buf, run.len);
			if (!key.len)
				continue;
			if (names_has(&nc, key.buf) ||
			    (k == 1 && key.len >= 5 && !names_is_stopword(key.buf, key.len))) {
				int added = search_query_add_theme(db, q, run.buf);
				if (added < 0)
					goto done;
				if (added) {
					used = k;
					break;
				}
			}
			if (have_commune)
				continue;
			found = exact_commune(db, run.buf, key.buf, &c);
			if (found < 0)
				goto done;
			if (found) {
				search_query_set_commune(q, &c);
				commune_clear(&c);
				have_commune = true;
				used = k;
				break;
			}
		}
		if (!used) {
			if (rest.len)
				strbuf_addch(&rest, ' ');
			strbuf_add(&rest, w[i], wl[i]);
			used = 1;
		}
		i += used;
	}
	search_query_set_text(q, rest.buf);
	rc = 0;
done:
	names_free(&nc);
	strbuf_release(&rest);
	strbuf_release(&run);
	strbuf_release(&key);
	return rc;
}
