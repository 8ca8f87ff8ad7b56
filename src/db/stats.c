/*
 * stats: the observatory's aggregates, one pass over the referrals (see
 * stats.h).
 *
 * A million rows are read once; what each row adds to goes to dense arrays
 * rather than hash tables of strings: an INSEE code ("07186", "2A004") is
 * a number in base 12 (digits, A, B) below COMMUNE_SLOTS, a month is a
 * number of months since 2000, a time to realization a histogram bucket.
 * The flows between structures (up to one pair per referral) are collected
 * as one 64-bit word each (origin, destination, realized), radix-sorted and
 * counted by runs: sequential passes instead of a hash table's random
 * accesses over a million keys.
 */
#include "db/stats.h"
#include "db/db.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMMUNE_SLOTS 248832   /* 12^5 */
#define MONTHS 1200            /* 2000-01 .. 2099-12 */
#define MAX_DAYS 3660          /* longer delays count as this many days */

const char *stats_table_name(enum stats_table_id id)
{
	static const char *const names[STATS_N_TABLES] = {
		"theme", "mois", "commune_origine", "commune_destination", "epci_origine", "epci_destination",
		"flux", "sans_solution",
	};
	return id < STATS_N_TABLES ? names[id] : "?";
}

/* ---- keys as numbers ---------------------------------------------------- */

static int commune_slot(const unsigned char *s, int n)
{
	int v = 0, i, d;
	if (!s || n != 5)
		return -1;
	for (i = 0; i < 5; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			d = s[i] - '0';
		else if (s[i] == 'A' || s[i] == 'B')
			d = 10 + (s[i] - 'A');
		else
			return -1;
		v = v * 12 + d;
	}
	return v;
}

static void commune_code(int slot, char out[6])
{
	int i;
	for (i = 4; i >= 0; i--) {
		int d = slot % 12;
		out[i] = (char)(d < 10 ? '0' + d : 'A' + d - 10);
		slot /= 12;
	}
	out[5] = '\0';
}

static int two(const unsigned char *s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

/* "YYYY-MM..." as months since 2000-01, or -1. */
static int month_slot(const unsigned char *s, int n)
{
	int m;
	if (!s || n < 7)
		return -1;
	m = (two(s) * 100 + two(s + 2) - 2000) * 12 + two(s + 5) - 1;
	return m >= 0 && m < MONTHS ? m : -1;
}

/* Days since 1970-01-01 of "YYYY-MM-DD" (civil calendar). */
static long day_number(const unsigned char *s)
{
	long y = two(s) * 100 + two(s + 2), m = two(s + 5), d = two(s + 8), era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* ---- integer-keyed counts ----------------------------------------------- */

/* A count and how many of them were realized. */
struct tally {
	int32_t count, realized;
};

struct icell {
	int64_t key;          /* -1: free */
	struct tally t;
};

struct itab {
	struct icell *v;
	size_t cap, n;        /* cap: 0 or a power of two */
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Makes room for at least n keys at half load. */
static void itab_reserve(struct itab *t, size_t n)
{
	size_t cap = t->cap ? 2 * t->cap : 1024, i, j;
	while (cap < 2 * n)
		cap *= 2;
	struct icell *v = xmalloc(cap * sizeof(*v));
	for (i = 0; i < cap; i++)
		v[i].key = -1;
	for (i = 0; i < t->cap; i++)
		if (t->v[i].key >= 0) {
			for (j = mix((uint64_t)t->v[i].key) & (cap - 1); v[j].key >= 0; j = (j + 1) & (cap - 1))
				;
			v[j] = t->v[i];
		}
	free(t->v);
	t->v = v;
	t->cap = cap;
}

static void itab_add(struct itab *t, int64_t key, int32_t count, int32_t realized)
{
	size_t i;
	if (2 * (t->n + 1) > t->cap)
		itab_reserve(t, t->n + 1);
	for (i = mix((uint64_t)key) & (t->cap - 1); t->v[i].key >= 0 && t->v[i].key != key; i = (i + 1) & (t->cap - 1))
		;
	if (t->v[i].key < 0) {
		t->v[i].key = key;
		memset(&t->v[i].t, 0, sizeof(t->v[i].t));
		t->n++;
	}
	t->v[i].t.count += count;
	t->v[i].t.realized += realized;
}

static void itab_bump(struct itab *t, int64_t key, int realized)
{
	itab_add(t, key, 1, realized);
}

/* ---- the pass ----------------------------------------------------------- */

struct pass {
	struct tally *from, *to;      /* by commune slot */
	struct tally months[MONTHS];
	long days[MAX_DAYS + 1];      /* histogram of times to realization */
	struct itab themes;
	uint64_t *flows;              /* from << 33 | to << 1 | realized */
	size_t nflows, flows_alloc;
	struct itab sans;             /* sans solution: theme << 20 | commune slot -> count */
	bool *in_territory;           /* by commune slot; NULL: everywhere */
	int *epci_of;                 /* by commune slot: index in sirens, or -1 */
	char **sirens;
	size_t n_sirens;
};

/* Every commune's EPCI (and whether it is in the territory), in one read. */
static int load_communes(sqlite3 *db, const struct stats_query *q, struct pass *p)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;
	p->epci_of = xmalloc(COMMUNE_SLOTS * sizeof(*p->epci_of));
	for (i = 0; i < COMMUNE_SLOTS; i++)
		p->epci_of[i] = -1;
	if (q->departement || q->epci)
		p->in_territory = xcalloc(COMMUNE_SLOTS, sizeof(*p->in_territory));
	if (db_prepare(db, "SELECT code_insee, epci, (?1 IS NOT NULL AND departement = ?1) OR "
		       "(?2 IS NOT NULL AND epci = ?2) FROM communes ORDER BY epci", &st))
		return -1;
	sqlite3_bind_text(st, 1, q->departement, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->epci, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int slot = commune_slot(sqlite3_column_text(st, 0), sqlite3_column_bytes(st, 0));
		const char *epci = (const char *)sqlite3_column_text(st, 1);
		if (slot < 0)
			continue;
		if (p->in_territory)
			p->in_territory[slot] = sqlite3_column_int(st, 2) != 0;
		if (!epci)
			continue;
		if (!p->n_sirens || strcmp(p->sirens[p->n_sirens - 1], epci)) {
			p->sirens = xrealloc(p->sirens, (p->n_sirens + 1) * sizeof(*p->sirens));
			p->sirens[p->n_sirens++] = xstrdup(epci);
		}
		p->epci_of[slot] = (int)p->n_sirens - 1;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "communes");
}

static int status_index(const unsigned char *s, int n)
{
	switch (n) {
	case 8: return s[0] == 'p' ? REFERRAL_PROPOSEE : REFERRAL_REALISEE;   /* proposee, realisee */
	case 15: return REFERRAL_PRISE_EN_CHARGE;
	case 13: return REFERRAL_SANS_SOLUTION;
	case 7: return REFERRAL_REFUSEE;
	default: return -1;
	}
}

/* How many referrals there may be (the largest id), to size the flows once. */
static size_t rows_hint(sqlite3 *db)
{
	sqlite3_stmt *st;
	sqlite3_int64 n = 0;
	if (sqlite3_prepare_v2(db, "SELECT max(id) FROM referrals", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n > 0 && n < 16000000 ? (size_t)n : 0;
}

static int scan(sqlite3 *db, const struct stats_query *q, struct stats *out, struct pass *p)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT date, status, status_date, theme_id, from_structure_id, to_structure_id, "
		       "from_commune, to_commune FROM referrals WHERE (?1 IS NULL OR date >= ?1) "
		       "AND (?2 IS NULL OR date <= ?2)", &st))
		return -1;
	sqlite3_bind_text(st, 1, q->since, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->until, -1, SQLITE_STATIC);
	p->flows_alloc = rows_hint(db) + 1;
	p->flows = xmalloc(p->flows_alloc * sizeof(*p->flows));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *date = sqlite3_column_text(st, 0);
		int ndate = sqlite3_column_bytes(st, 0);
		int s = status_index(sqlite3_column_text(st, 1), sqlite3_column_bytes(st, 1));
		int realized = s == REFERRAL_REALISEE;
		int from = commune_slot(sqlite3_column_text(st, 6), sqlite3_column_bytes(st, 6));
		int to = commune_slot(sqlite3_column_text(st, 7), sqlite3_column_bytes(st, 7));
		int64_t theme = sqlite3_column_int64(st, 3);
		int month;

		if (p->in_territory && !(from >= 0 && p->in_territory[from]) && !(to >= 0 && p->in_territory[to]))
			continue;
		out->total++;
		if (s >= 0)
			out->by_status[s]++;
		itab_bump(&p->themes, theme, realized);
		if ((month = month_slot(date, ndate)) >= 0) {
			p->months[month].count++;
			p->months[month].realized += realized;
		}
		if (from >= 0) {
			p->from[from].count++;
			p->from[from].realized += realized;
		}
		if (to >= 0) {
			p->to[to].count++;
			p->to[to].realized += realized;
		}
		XGROW(p->flows, p->flows_alloc, p->nflows + 1);
		p->flows[p->nflows++] = (uint64_t)(sqlite3_column_int64(st, 4) & 0x7fffffff) << 33 |
					(uint64_t)(sqlite3_column_int64(st, 5) & 0xffffffff) << 1 | (uint64_t)realized;
		if (s == REFERRAL_SANS_SOLUTION)
			itab_bump(&p->sans, theme << 20 | (from < 0 ? 0xfffff : from), 0);
		if (realized && ndate >= 10 && sqlite3_column_bytes(st, 2) >= 10) {
			long d = day_number(sqlite3_column_text(st, 2)) - day_number(date);
			p->days[d < 0 ? 0 : d > MAX_DAYS ? MAX_DAYS : d]++;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "referrals");
}

/* ---- ranking ------------------------------------------------------------ */

/* A candidate row: its key as a number (commune slot, month, id, pair). */
struct view {
	int64_t key;
	struct tally t;
};

static bool before(const struct view *x, const struct view *y)
{
	if (x->t.count != y->t.count)
		return x->t.count > y->t.count;
	return x->key < y->key;
}

/* Keeps the best `top` views in v[0..*n), sorted. */
static void keep(struct view *v, size_t *n, size_t top, int64_t key, const struct tally *t)
{
	struct view e = { key, *t };
	size_t i;
	if (!t->count || (*n == top && !before(&e, &v[top - 1])))
		return;
	i = *n < top ? (*n)++ : top - 1;
	while (i > 0 && before(&e, &v[i - 1])) {
		v[i] = v[i - 1];
		i--;
	}
	v[i] = e;
}

/* The statements that name keys (themes, communes, EPCI, structures). */
struct namers {
	sqlite3_stmt *theme, *commune, *epci, *structure;
};

static char *name_int(sqlite3_stmt *st, int64_t id)
{
	char *v = NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = db_column_dup(st, 0);
	sqlite3_reset(st);
	return v;
}

static char *name_text(sqlite3_stmt *st, const char *key)
{
	char *v = NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = db_column_dup(st, 0);
	sqlite3_reset(st);
	return v;
}

static char *int_key(int64_t v)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addint(&sb, v);
	return strbuf_detach(&sb, NULL);
}

/* "Privas (12), Aubenas (5)": where a theme ended sans solution most. */
static char *where_text(const struct itab *sans, int64_t theme, sqlite3_stmt *commune)
{
	struct strbuf sb = STRBUF_INIT;
	struct view v[3];
	size_t n = 0, i;
	for (i = 0; i < sans->cap; i++)
		if (sans->v[i].key >= 0 && sans->v[i].key >> 20 == theme && (sans->v[i].key & 0xfffff) != 0xfffff)
			keep(v, &n, 3, sans->v[i].key & 0xfffff, &sans->v[i].t);
	for (i = 0; i < n; i++) {
		char code[6], *nom;
		commune_code((int)v[i].key, code);
		nom = name_text(commune, code);
		strbuf_addf(&sb, "%s%s (%ld)", i ? ", " : "", nom ? nom : code, (long)v[i].t.count);
		free(nom);
	}
	return strbuf_detach(&sb, NULL);
}

static void set_rows(struct stats_table *t, const struct view *v, size_t n, size_t total)
{
	size_t i;
	t->v = xcalloc(n + 1, sizeof(*t->v));
	t->n = n;
	t->total_keys = total;
	for (i = 0; i < n; i++) {
		t->v[i].count = v[i].t.count;
		t->v[i].realized = v[i].t.realized;
	}
}

static void commune_table(struct stats_table *t, const struct tally *by, size_t top, struct namers *nm)
{
	struct view *v = xmalloc((top + 1) * sizeof(*v));
	size_t n = 0, total = 0, i;
	for (i = 0; i < COMMUNE_SLOTS; i++) {
		total += by[i].count > 0;
		keep(v, &n, top, (int64_t)i, &by[i]);
	}
	set_rows(t, v, n, total);
	for (i = 0; i < n; i++) {
		char code[6];
		commune_code((int)v[i].key, code);
		t->v[i].key = xstrdup(code);
		t->v[i].label = name_text(nm->commune, code);
	}
	free(v);
}

static void epci_table(struct stats_table *t, const struct tally *by, const struct pass *p, size_t top,
		       struct namers *nm)
{
	struct tally *e = xcalloc(p->n_sirens + 1, sizeof(*e));
	struct view *v = xmalloc((top + 1) * sizeof(*v));
	size_t n = 0, total = 0, i;
	for (i = 0; i < COMMUNE_SLOTS; i++)
		if (by[i].count && p->epci_of[i] >= 0) {
			e[p->epci_of[i]].count += by[i].count;
			e[p->epci_of[i]].realized += by[i].realized;
		}
	for (i = 0; i < p->n_sirens; i++) {
		total += e[i].count > 0;
		keep(v, &n, top, (int64_t)i, &e[i]);
	}
	set_rows(t, v, n, total);
	for (i = 0; i < n; i++) {
		t->v[i].key = xstrdup(p->sirens[v[i].key]);
		t->v[i].label = name_text(nm->epci, t->v[i].key);
	}
	free(v);
	free(e);
}

static void itab_table(struct stats_table *t, const struct itab *it, enum stats_table_id id, const struct pass *p,
		       size_t top, struct namers *nm)
{
	struct view *v = xmalloc((top + 1) * sizeof(*v));
	struct itab by_theme = { 0 };
	const struct itab *src = it;
	size_t n = 0, i;
	if (id == STATS_SANS_SOLUTION) { /* (theme, commune) -> theme */
		for (i = 0; i < it->cap; i++)
			if (it->v[i].key >= 0)
				itab_add(&by_theme, it->v[i].key >> 20, it->v[i].t.count, 0);
		src = &by_theme;
	}
	for (i = 0; i < src->cap; i++)
		if (src->v[i].key >= 0)
			keep(v, &n, top, src->v[i].key, &src->v[i].t);
	set_rows(t, v, n, src->n);
	for (i = 0; i < n; i++) {
		struct stats_row *row = &t->v[i];
		if (id == STATS_FLOWS) {
			int64_t a = v[i].key >> 32, b = v[i].key & 0xffffffff;
			char *an = name_int(nm->structure, a), *bn = name_int(nm->structure, b);
			struct strbuf sb = STRBUF_INIT;
			strbuf_addf(&sb, "%lld>%lld", (long long)a, (long long)b);
			row->key = strbuf_detach(&sb, NULL);
			strbuf_addf(&sb, "%s → %s", an ? an : "?", bn ? bn : "?");
			row->label = strbuf_detach(&sb, NULL);
			free(an);
			free(bn);
		} else {
			row->key = int_key(v[i].key);
			row->label = name_int(nm->theme, v[i].key);
			if (id == STATS_SANS_SOLUTION)
				row->where = where_text(&p->sans, v[i].key, nm->commune);
		}
	}
	free(by_theme.v);
	free(v);
}

/* Sorts v[0..n) (LSD radix, a byte at a time; tmp has room for n). */
static void radix_sort(uint64_t *v, uint64_t *tmp, size_t n)
{
	size_t count[256], i;
	int shift;
	for (shift = 0; shift < 64; shift += 8) {
		uint64_t *src = shift / 8 % 2 ? tmp : v, *dst = shift / 8 % 2 ? v : tmp;
		size_t sum = 0;
		memset(count, 0, sizeof(count));
		for (i = 0; i < n; i++)
			count[src[i] >> shift & 0xff]++;
		for (i = 0; i < 256; i++) {
			size_t c = count[i];
			count[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[count[src[i] >> shift & 0xff]++] = src[i];
	}
}

/* The top flows: the sorted words counted by runs of the same pair. */
static void flows_table(struct stats_table *t, struct pass *p, size_t top, struct namers *nm)
{
	struct itab keep_top = { 0 };
	uint64_t *tmp = xmalloc((p->nflows + 1) * sizeof(*tmp));
	size_t i = 0, j, distinct = 0;
	struct view *v = xmalloc((top + 1) * sizeof(*v));
	size_t n = 0;
	radix_sort(p->flows, tmp, p->nflows);
	free(tmp);
	while (i < p->nflows) {
		struct tally tl = { 0, 0 };
		for (j = i; j < p->nflows && p->flows[j] >> 1 == p->flows[i] >> 1; j++) {
			tl.count++;
			tl.realized += (int32_t)(p->flows[j] & 1);
		}
		keep(v, &n, top, (int64_t)((p->flows[i] >> 33) << 32 | (p->flows[i] >> 1 & 0xffffffff)), &tl);
		distinct++;
		i = j;
	}
	for (i = 0; i < n; i++) /* the kept ones, through the table writer that names them */
		itab_add(&keep_top, v[i].key, v[i].t.count, v[i].t.realized);
	itab_table(t, &keep_top, STATS_FLOWS, p, top, nm);
	t->total_keys = distinct;
	free(keep_top.v);
	free(v);
}

static void month_table(struct stats_table *t, const struct pass *p)
{
	size_t i, n = 0, first = MONTHS, last = 0;
	for (i = 0; i < MONTHS; i++)
		if (p->months[i].count) {
			first = i < first ? i : first;
			last = i;
		}
	if (first == MONTHS)
		return;
	t->v = xcalloc(last - first + 2, sizeof(*t->v));
	for (i = first; i <= last; i++) { /* every month of the span, empty ones too */
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%04zu-%02zu", 2000 + i / 12, i % 12 + 1);
		t->v[n].key = strbuf_detach(&sb, NULL);
		t->v[n].count = p->months[i].count;
		t->v[n].realized = p->months[i].realized;
		n++;
	}
	t->n = t->total_keys = n;
}

static void delays(struct stats *out, const struct pass *p)
{
	long n = 0, seen = 0, i;
	double sum = 0;
	for (i = 0; i <= MAX_DAYS; i++) {
		n += p->days[i];
		sum += (double)i * (double)p->days[i];
	}
	if (!n)
		return;
	out->days_mean = sum / (double)n;
	for (i = 0; i <= MAX_DAYS; i++) {
		long lo = (n - 1) / 2, hi = n / 2; /* the middle ranks, 0-based */
		if (seen <= lo && lo < seen + p->days[i]) {
			long j = i;
			if (hi >= seen + p->days[i]) /* the upper middle is in a later bucket */
				for (j = i + 1; j <= MAX_DAYS && !p->days[j]; j++)
					;
			out->days_median = ((double)i + (double)j) / 2;
			break;
		}
		seen += p->days[i];
	}
}

int stats_compute(sqlite3 *db, const struct stats_query *q, struct stats *out)
{
	struct pass *p = xcalloc(1, sizeof(*p));
	struct namers nm = { 0 };
	size_t top = q->top ? q->top : 10, i;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->days_mean = out->days_median = -1;
	p->from = xcalloc(COMMUNE_SLOTS, sizeof(*p->from));
	p->to = xcalloc(COMMUNE_SLOTS, sizeof(*p->to));
	if (load_communes(db, q, p) || scan(db, q, out, p) ||
	    db_prepare(db, "SELECT label FROM themes WHERE id = ?1", &nm.theme) ||
	    db_prepare(db, "SELECT nom FROM communes WHERE code_insee = ?1", &nm.commune) ||
	    db_prepare(db, "SELECT nom FROM epci WHERE siren = ?1", &nm.epci) ||
	    db_prepare(db, "SELECT nom FROM structures WHERE id = ?1", &nm.structure))
		goto done;
	itab_table(&out->t[STATS_THEME], &p->themes, STATS_THEME, p, top, &nm);
	month_table(&out->t[STATS_MONTH], p);
	commune_table(&out->t[STATS_FROM_COMMUNE], p->from, top, &nm);
	commune_table(&out->t[STATS_TO_COMMUNE], p->to, top, &nm);
	epci_table(&out->t[STATS_FROM_EPCI], p->from, p, top, &nm);
	epci_table(&out->t[STATS_TO_EPCI], p->to, p, top, &nm);
	flows_table(&out->t[STATS_FLOWS], p, top, &nm);
	itab_table(&out->t[STATS_SANS_SOLUTION], &p->sans, STATS_SANS_SOLUTION, p, top, &nm);
	delays(out, p);
	rc = 0;
done:
	sqlite3_finalize(nm.theme);
	sqlite3_finalize(nm.commune);
	sqlite3_finalize(nm.epci);
	sqlite3_finalize(nm.structure);
	for (i = 0; i < p->n_sirens; i++)
		free(p->sirens[i]);
	free(p->sirens);
	free(p->epci_of);
	free(p->in_territory);
	free(p->from);
	free(p->to);
	free(p->themes.v);
	free(p->flows);
	free(p->sans.v);
	free(p);
	return rc;
}

void stats_clear(struct stats *s)
{
	size_t i, j;
	for (i = 0; i < STATS_N_TABLES; i++) {
		for (j = 0; j < s->t[i].n; j++) {
			free(s->t[i].v[j].key);
			free(s->t[i].v[j].label);
			free(s->t[i].v[j].where);
		}
		free(s->t[i].v);
	}
	memset(s, 0, sizeof(*s));
}
