/*
 * search_int: what the files of the search engine share (search.c runs,
 * search_sql.c builds the SQL, search_scan.c reads bit planes and scans the
 * R*Tree, search_rank.c keeps and ranks candidates, search_persons.c finds
 * persons). Private to src/core/search*.c; the API is core/search.h.
 */
#ifndef QFQ_CORE_SEARCH_INT_H
#define QFQ_CORE_SEARCH_INT_H

#include "core/search.h"
#include "core/geo.h"
#include "core/hours.h"
#include "core/names.h"
#include "core/text.h"
#include "db/db.h"
#include "db/hoursets.h"
#include "db/hoursexact.h"
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

/* Why a candidate matched its place (bits of enum search_why). */
enum {
	R_RADIUS = SEARCH_WHY_RADIUS,
	R_COMMUNE = SEARCH_WHY_COMMUNE,
	R_EPCI = SEARCH_WHY_EPCI,
	R_DEP = SEARCH_WHY_DEP,
	R_REGION = SEARCH_WHY_REGION,
	R_PERM = SEARCH_WHY_PERM,
	R_IN_EPCI = SEARCH_WHY_IN_EPCI,
	R_IN_DEP = SEARCH_WHY_IN_DEP,
};

/* ---------------------------------------------------------------- query */

static inline const char *col_str(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static inline char *col_dup(sqlite3_stmt *st, int i)
{
	const char *s = col_str(st, i);
	return s ? xstrdup(s) : NULL;
}

/* ------------------------------------------------------------ the themes */

/* A small set of theme ids. */
struct idset {
	long long *v;
	size_t n, alloc;
};

/* A theme group made ready to test: what matches directly, what by ancestry. */
struct group_sets {
	struct idset direct;    /* the resolved themes and all their descendants */
	struct idset ancestor;  /* their strict ancestors (a national service) */
};

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

static inline bool themed_has(const struct themed *t, long long id, size_t plane)
{
	if (!t->bits || id < 0 || (unsigned long long)id / 64 >= t->words)
		return false;
	return (t->bits[plane * t->words + (size_t)(id / 64)] >> (id % 64)) & 1;
}

static inline void themed_set(struct themed *t, long long id, size_t plane)
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

static inline void bitvec_set(struct bitvec *b, long long id)
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

static inline bool bitvec_has(const struct bitvec *b, long long id)
{
	return id >= 0 && (size_t)(id / 64) < b->n && (b->w[id / 64] >> (id % 64)) & 1;
}

/* What a run needs beside the query. */
/* What a --type matches (search_type.c): code NULL when not asked. */
struct search_type {
	char *code;              /* the typology code it resolved to (or as typed) */
	char *key;               /* what was typed, folded */
	char *patterns;          /* that typology's '|'-joined folded name patterns, or NULL */
};

struct plan {
	const struct search_query *q;
	/*
	 * The time filters (q->has_when and q->open not SEARCH_MARK): only
	 * then does it reach the collection and the ranking. A time that only
	 * marks is read from each shown place's hours (refine_hours()), so
	 * marking never changes which places come nor their order.
	 */
	bool timed;
	struct group_sets *gs;   /* one per group */
	struct strbuf fts;       /* FTS5 query, empty when no text */
	struct geo_box box;      /* around the commune's centre */
	bool place;              /* a commune, an EPCI or a département restricts */
	int minute;              /* minute of week of q->when */
	struct search_type type; /* what --type matches (search_type.c) */
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
	struct hours_exact *exact;   /* places the bitmaps cannot answer (db/hoursexact.h) */
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

/* Map coordinates of a source row: those the box scan gave, else looked up. */
#define GEO_OF(t) "coalesce(" t ".glat, (SELECT min_lat FROM structures_geo WHERE id = " t ".id)), " \
		  "coalesce(" t ".glon, (SELECT min_lon FROM structures_geo WHERE id = " t ".id)), "

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

/* ------------------------------------------------ members within the radius */

/*
 * A membership that has not ended. date('now') is wrapped in a subquery,
 * which SQLite computes once: bare, it is parsed and formatted per row and
 * made the whole persons search ten times slower.
 */
#define CURRENT_MEMBER "(m.fin IS NULL OR m.fin >= (SELECT date('now')))"

/* search_sql.c */
void add_text(struct strbuf *sql, struct binds *b, const char *s);
void add_idlist(struct strbuf *sql, struct binds *b, const struct idset *a,
		       const struct idset *c);
void add_inset(struct strbuf *sql, struct binds *b, const char *alias, size_t group,
		      bool ancestors);
void add_themed(struct strbuf *sql, struct binds *b, const char *fn, const char *col,
		       size_t group, bool ancestors);
int prepare_bound(sqlite3 *db, const struct strbuf *sql, const struct binds *b,
			 sqlite3_stmt **st);
size_t utf8_cut(const char *s, size_t len, size_t max);
size_t fts_query(const char *text, struct strbuf *out);
void sql_place_source(struct strbuf *sql, struct binds *b, struct plan *p);
bool q_geo(const struct plan *p);
void sql_structure_source(struct strbuf *sql, struct binds *b, struct plan *p);
int count_structures(sqlite3 *db, const struct plan *p, size_t *n);
void sql_structure_filters(struct strbuf *sql, struct binds *b, struct plan *p);
void sql_open_expr(struct strbuf *sql, struct binds *b, struct plan *p);
void sql_direct_expr(struct strbuf *sql, struct binds *b, struct plan *p);

/* search_scan.c */
int plan_sets(sqlite3 *db, struct plan *p);
int plan_open(sqlite3 *db, struct plan *p);
bool scans_disabled(void);
bool box_scan_usable(const struct plan *p);
int box_scan(sqlite3 *db, struct plan *p, struct cands *cs);
bool stream_scan_usable(const struct plan *p);
int stream_scan(sqlite3 *db, struct plan *p, struct cands *cs);

/* search_rank.c */
struct cand *cands_get(struct cands *c, long long id);
void cands_free(struct cands *c);
unsigned row_reason(const struct search_query *q, sqlite3_stmt *st, int why, double dist,
			   int pc, double *perm_dist, char **perm_nom);
void keep_perm(struct cand *c, double d, char *nom);
void take_row(struct plan *p, sqlite3_stmt *st, struct cands *cs);
bool publics_match(const char *publics, const char *want);
bool open_kept(const struct search_query *q, int open);
void stream_keep(struct plan *p, struct cands *cs, struct cand *c);
void stream_row(struct plan *p, sqlite3_stmt *st, struct cands *cs);
void settle(struct plan *p, struct cands *cs);
extern const struct search_query *rank_query;
int cmp_num(double a, double b);
int cmp_cand(const void *x, const void *y);
int cmp_result(const void *x, const void *y);

/* search_persons.c */
int run_persons(sqlite3 *db, struct plan *p, struct search_results *r);

/* search.c */
extern struct plan *run_plan;
bool idset_has(const struct idset *s, long long id);
void fill_reason(struct plan *p, const struct cand *c, const char *parents,
			bool themes_and_text, struct search_reason *r);
void list_add(struct strbuf *sb, const char *label);
char *detach_or_null(struct strbuf *sb);

/* search_desk.c */
void search_desk_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);

/* search_type.c */
/* Whether the '|'-joined list has item as one of its items (exactly). */
bool search_list_has(const char *list, const char *item);
int search_type_resolve(sqlite3 *db, const char *typed, struct search_type *out);
void search_type_clear(struct search_type *t);
void search_type_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv);

#endif
