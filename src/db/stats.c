/*
 * stats: the observatory's aggregates, one pass over the referrals (see
 * stats.h).
 */
#include "db/stats.h"
#include "csv/hmap.h"
#include "db/db.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *stats_table_name(enum stats_table_id id)
{
	static const char *const names[STATS_N_TABLES] = {
		"theme", "mois", "commune_origine", "commune_destination", "epci_origine", "epci_destination",
		"flux", "sans_solution",
	};
	return id < STATS_N_TABLES ? names[id] : "?";
}

/* What is counted for one key. */
struct agg {
	long count, realized;
	struct hmap where;   /* sans solution: commune of origin -> count */
};

static struct agg *bump(struct hmap *m, const void *key, size_t len, int realized)
{
	int created;
	struct hmap_entry *e = hmap_put(m, key, len, &created);
	struct agg *a = e->ptr;
	if (created)
		e->ptr = a = xcalloc(1, sizeof(*a));
	a->count++;
	a->realized += realized;
	return a;
}

static void map_free(struct hmap *m)
{
	size_t i;
	for (i = 0; i < m->cap; i++)
		if (m->v[i].key) {
			struct agg *a = m->v[i].ptr;
			if (a)
				hmap_clear(&a->where);
			free(a);
		}
	hmap_clear(m);
}

/* Days since 1970-01-01 of "YYYY-MM-DD" (civil calendar), or INT32_MIN. */
static long day_number(const char *s)
{
	long y, m, d, era, yoe, doy, doe;
	if (!s || strlen(s) < 10)
		return INT32_MIN;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The codes of the territory's communes (num = 1), when one is given. */
static int load_territory(sqlite3 *db, const struct stats_query *q, struct hmap *set)
{
	sqlite3_stmt *st;
	int rc, created;
	if (db_prepare(db, "SELECT code_insee FROM communes WHERE (?1 IS NOT NULL AND departement = ?1) "
		       "OR (?2 IS NOT NULL AND epci = ?2)", &st))
		return -1;
	sqlite3_bind_text(st, 1, q->departement, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->epci, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		hmap_put(set, (const char *)sqlite3_column_text(st, 0), (size_t)sqlite3_column_bytes(st, 0), &created)->num = 1;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "communes");
}

/* The in-memory aggregates of the pass. */
struct pass {
	struct hmap m[STATS_N_TABLES];
	long *days;        /* time to realization, in days, one per realized referral */
	size_t ndays, days_alloc;
};

static int status_index(const unsigned char *s, int n)
{
	static const char *const codes[REFERRAL_N_STATUS] = {
		"proposee", "prise_en_charge", "realisee", "sans_solution", "refusee",
	};
	int i;
	for (i = 0; i < REFERRAL_N_STATUS; i++)
		if ((int)strlen(codes[i]) == n && !memcmp(s, codes[i], (size_t)n))
			return i;
	return -1;
}

static int scan(sqlite3 *db, const struct stats_query *q, struct stats *out, struct pass *p)
{
	struct hmap terr = HMAP_INIT;
	sqlite3_stmt *st;
	int rc;
	if ((q->departement || q->epci) && load_territory(db, q, &terr))
		return -1;
	if (db_prepare(db, "SELECT date, status, status_date, theme_id, from_structure_id, to_structure_id, "
		       "from_commune, to_commune FROM referrals WHERE (?1 IS NULL OR date >= ?1) "
		       "AND (?2 IS NULL OR date <= ?2)", &st)) {
		hmap_clear(&terr);
		return -1;
	}
	sqlite3_bind_text(st, 1, q->since, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, q->until, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *date = (const char *)sqlite3_column_text(st, 0);
		const unsigned char *status = sqlite3_column_text(st, 1);
		int s = status_index(status, sqlite3_column_bytes(st, 1)), realized = s == REFERRAL_REALISEE;
		int64_t theme = sqlite3_column_int64(st, 3), flow[2];
		const char *from = (const char *)sqlite3_column_text(st, 6), *to = (const char *)sqlite3_column_text(st, 7);
		size_t nfrom = (size_t)sqlite3_column_bytes(st, 6), nto = (size_t)sqlite3_column_bytes(st, 7);
		struct agg *a;

		if (terr.n && !(from && hmap_get(&terr, from, nfrom)) && !(to && hmap_get(&terr, to, nto)))
			continue;
		out->total++;
		if (s >= 0)
			out->by_status[s]++;
		bump(&p->m[STATS_THEME], &theme, sizeof(theme), realized);
		if (date && strlen(date) >= 7)
			bump(&p->m[STATS_MONTH], date, 7, realized);
		if (from)
			bump(&p->m[STATS_FROM_COMMUNE], from, nfrom, realized);
		if (to)
			bump(&p->m[STATS_TO_COMMUNE], to, nto, realized);
		flow[0] = sqlite3_column_int64(st, 4);
		flow[1] = sqlite3_column_int64(st, 5);
		bump(&p->m[STATS_FLOWS], flow, sizeof(flow), realized);
		if (s == REFERRAL_SANS_SOLUTION) {
			int created;
			a = bump(&p->m[STATS_SANS_SOLUTION], &theme, sizeof(theme), 0);
			if (from)
				hmap_put(&a->where, from, nfrom, &created)->num++;
		}
		if (realized) {
			long d = day_number((const char *)sqlite3_column_text(st, 2)) - day_number(date);
			XGROW(p->days, p->days_alloc, p->ndays + 1);
			p->days[p->ndays++] = d < 0 ? 0 : d;
		}
	}
	sqlite3_finalize(st);
	hmap_clear(&terr);
	return rc == SQLITE_DONE ? 0 : db_error(db, "referrals");
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

/* A ranked entry before its name is known. */
struct ranked {
	const struct hmap_entry *e;
};

static int cmp_ranked(const void *a, const void *b)
{
	const struct hmap_entry *x = ((const struct ranked *)a)->e, *y = ((const struct ranked *)b)->e;
	const struct agg *p = x->ptr, *q = y->ptr;
	size_t n;
	int c;
	if (p->count != q->count)
		return p->count < q->count ? 1 : -1;
	n = x->klen < y->klen ? x->klen : y->klen;
	c = memcmp(x->key, y->key, n);
	return c ? c : (x->klen > y->klen) - (x->klen < y->klen);
}

static int cmp_key(const void *a, const void *b)
{
	const struct hmap_entry *x = ((const struct ranked *)a)->e, *y = ((const struct ranked *)b)->e;
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);
	return c ? c : (x->klen > y->klen) - (x->klen < y->klen);
}

/* One text value for key, through a prepared statement (NULL when none). */
static char *lookup(sqlite3_stmt *st, const void *key, size_t len, int as_int)
{
	char *v = NULL;
	if (!st)
		return NULL;
	if (as_int) {
		int64_t id;
		memcpy(&id, key, sizeof(id));
		sqlite3_bind_int64(st, 1, id);
	} else {
		sqlite3_bind_text(st, 1, key, (int)len, SQLITE_STATIC);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = db_column_dup(st, 0);
	sqlite3_reset(st);
	return v;
}

/* "Privas (12), Aubenas (5)": the top communes of a sans-solution theme. */
static char *where_text(const struct hmap *w, sqlite3_stmt *commune, size_t top)
{
	struct strbuf sb = STRBUF_INIT;
	struct hmap_entry **v = xmalloc((w->n + 1) * sizeof(*v));
	size_t i, n = 0, k;
	for (i = 0; i < w->cap; i++)
		if (w->v[i].key)
			v[n++] = &w->v[i];
	for (k = 0; k < n && k < top; k++) {
		size_t best = k;
		char *nom;
		for (i = k + 1; i < n; i++)
			if (v[i]->num > v[best]->num || (v[i]->num == v[best]->num && strcmp(v[i]->key, v[best]->key) < 0))
				best = i;
		if (best != k) {
			struct hmap_entry *t = v[k];
			v[k] = v[best];
			v[best] = t;
		}
		nom = lookup(commune, v[k]->key, v[k]->klen, 0);
		strbuf_addf(&sb, "%s%s (%lld)", k ? ", " : "", nom ? nom : v[k]->key, v[k]->num);
		free(nom);
	}
	free(v);
	return strbuf_detach(&sb, NULL);
}

/* The statements that name keys (themes, communes, EPCI, structures). */
struct namers {
	sqlite3_stmt *theme, *commune, *epci, *structure;
};

static void fill_table(struct stats_table *t, const struct hmap *m, enum stats_table_id id, size_t top,
		       struct namers *nm)
{
	struct ranked *r = xmalloc((m->n + 1) * sizeof(*r));
	size_t i, n = 0;
	for (i = 0; i < m->cap; i++)
		if (m->v[i].key)
			r[n++].e = &m->v[i];
	qsort(r, n, sizeof(*r), id == STATS_MONTH ? cmp_key : cmp_ranked);
	t->total_keys = n;
	if (id != STATS_MONTH && n > top)
		n = top;
	t->v = xcalloc(n + 1, sizeof(*t->v));
	t->n = n;
	for (i = 0; i < n; i++) {
		const struct hmap_entry *e = r[i].e;
		const struct agg *a = e->ptr;
		struct stats_row *row = &t->v[i];
		row->count = a->count;
		row->realized = a->realized;
		if (id == STATS_THEME || id == STATS_SANS_SOLUTION) {
			int64_t v;
			memcpy(&v, e->key, sizeof(v));
			row->key = xmalloc(24);
			snprintf(row->key, 24, "%lld", (long long)v);
			row->label = lookup(nm->theme, e->key, e->klen, 1);
			if (id == STATS_SANS_SOLUTION)
				row->where = where_text(&a->where, nm->commune, 3);
		} else if (id == STATS_FLOWS) {
			int64_t f[2];
			char *a_nom, *b_nom;
			memcpy(f, e->key, sizeof(f));
			row->key = xmalloc(48);
			snprintf(row->key, 48, "%lld>%lld", (long long)f[0], (long long)f[1]);
			a_nom = lookup(nm->structure, &f[0], sizeof(f[0]), 1);
			b_nom = lookup(nm->structure, &f[1], sizeof(f[1]), 1);
			{
				struct strbuf sb = STRBUF_INIT;
				strbuf_addf(&sb, "%s → %s", a_nom ? a_nom : "?", b_nom ? b_nom : "?");
				row->label = strbuf_detach(&sb, NULL);
			}
			free(a_nom);
			free(b_nom);
		} else {
			row->key = xstrndup(e->key, e->klen);
			if (id == STATS_FROM_COMMUNE || id == STATS_TO_COMMUNE)
				row->label = lookup(nm->commune, e->key, e->klen, 0);
			else if (id == STATS_FROM_EPCI || id == STATS_TO_EPCI)
				row->label = lookup(nm->epci, e->key, e->klen, 0);
		}
	}
	free(r);
}

/* Folds a commune map into an EPCI map (communes without an EPCI are left out). */
static void by_epci(const struct hmap *communes, struct hmap *epci, sqlite3_stmt *of)
{
	size_t i;
	for (i = 0; i < communes->cap; i++) {
		const struct hmap_entry *e = &communes->v[i];
		const struct agg *a = e->ptr;
		char *siren;
		if (!e->key)
			continue;
		siren = lookup(of, e->key, e->klen, 0);
		if (siren) {
			int created;
			struct hmap_entry *x = hmap_put(epci, siren, strlen(siren), &created);
			struct agg *b = x->ptr;
			if (created)
				x->ptr = b = xcalloc(1, sizeof(*b));
			b->count += a->count;
			b->realized += a->realized;
		}
		free(siren);
	}
}

int stats_compute(sqlite3 *db, const struct stats_query *q, struct stats *out)
{
	struct pass p;
	struct namers nm = { 0 };
	sqlite3_stmt *epci_of = NULL;
	size_t top = q->top ? q->top : 10, i;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	out->days_mean = out->days_median = -1;
	if (scan(db, q, out, &p) ||
	    db_prepare(db, "SELECT label FROM themes WHERE id = ?1", &nm.theme) ||
	    db_prepare(db, "SELECT nom FROM communes WHERE code_insee = ?1", &nm.commune) ||
	    db_prepare(db, "SELECT nom FROM epci WHERE siren = ?1", &nm.epci) ||
	    db_prepare(db, "SELECT nom FROM structures WHERE id = ?1", &nm.structure) ||
	    db_prepare(db, "SELECT epci FROM communes WHERE code_insee = ?1", &epci_of))
		goto done;
	by_epci(&p.m[STATS_FROM_COMMUNE], &p.m[STATS_FROM_EPCI], epci_of);
	by_epci(&p.m[STATS_TO_COMMUNE], &p.m[STATS_TO_EPCI], epci_of);
	for (i = 0; i < STATS_N_TABLES; i++)
		fill_table(&out->t[i], &p.m[i], (enum stats_table_id)i, top, &nm);
	if (p.ndays) {
		double sum = 0;
		qsort(p.days, p.ndays, sizeof(*p.days), cmp_long);
		for (i = 0; i < p.ndays; i++)
			sum += (double)p.days[i];
		out->days_mean = sum / (double)p.ndays;
		out->days_median = p.ndays % 2 ? (double)p.days[p.ndays / 2]
					       : ((double)p.days[p.ndays / 2 - 1] + (double)p.days[p.ndays / 2]) / 2;
	}
	rc = 0;
done:
	sqlite3_finalize(nm.theme);
	sqlite3_finalize(nm.commune);
	sqlite3_finalize(nm.epci);
	sqlite3_finalize(nm.structure);
	sqlite3_finalize(epci_of);
	for (i = 0; i < STATS_N_TABLES; i++)
		map_free(&p.m[i]);
	free(p.days);
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
