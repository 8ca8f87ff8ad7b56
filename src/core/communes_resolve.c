/*
 * communes_resolve: placing a commune written the way people write it (see
 * communes.h): "Annecy Cedex 03", "Pont de Claix", "Loriol",
 * "Saint-Donat-sur-lHerbasse", "Sciez-sur-Léman", "Les Molettes",
 * "Entremont" (a commune merged in 2019).
 *
 * The candidates are the communes (and former communes) of the postcode's
 * département, or of the given one, or of France when neither is known:
 * one query, then every candidate is ranked in C by how its folded name
 * meets the written one (the tiers of enum commune_how, best first), the
 * communes of the postcode before the others. When several candidates are
 * equally good, the row's coordinates choose the nearest; without
 * coordinates the name is ambiguous and nothing is chosen. When no name
 * meets, the coordinates alone place the row in the nearest commune of
 * its postcode (or département) within a sane distance.
 */
#include "core/communes.h"
#include "core/geo.h"
#include "core/text.h"
#include "db/db.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The farthest a commune centre may be from the row's point to be taken for it. */
#define NEAREST_KM_POSTCODE 15.0
#define NEAREST_KM_DEPARTEMENT 8.0
/* The farthest a commune guessed from a suffix or a near spelling may be. */
#define GUESS_KM 25.0

struct cand {
	char code[8];
	char *norm;      /* folded name (current or former) */
	char *key;       /* norm without a leading article nor spaces */
	double lat, lon;
	bool has_coords, in_cp, former;
	long population;
};

struct pool {
	struct cand *v;
	size_t n, alloc;
	size_t n_cp;     /* distinct current communes of the postcode */
	char only_cp[8]; /* the postcode's commune when n_cp == 1 */
};

/* ------------------------------------------------------------ names */

static bool is_article(const char *w, size_t len)
{
	static const char *const a[] = { "le", "la", "les", "l" };
	size_t i;
	for (i = 0; i < sizeof(a) / sizeof(*a); i++)
		if (strlen(a[i]) == len && !memcmp(a[i], w, len))
			return true;
	return false;
}

/* Words that join a commune's name to its suffix: "Loriol-sur-Drôme". */
static bool is_link(const char *w, size_t len)
{
	static const char *const a[] = { "sur", "sous", "en", "les", "lez", "le", "la", "l", "de",
		"du", "des", "d", "aux", "au", "pres", "et", "val" };
	size_t i;
	for (i = 0; i < sizeof(a) / sizeof(*a); i++)
		if (strlen(a[i]) == len && !memcmp(a[i], w, len))
			return true;
	return false;
}

/* Removes "cedex" and the words after it ("Annecy Cedex 03"): whether it did. */
static bool strip_cedex(struct strbuf *norm)
{
	char *c = norm->buf;
	while ((c = strstr(c, "cedex"))) {
		if ((c == norm->buf || c[-1] == ' ') && (c[5] == ' ' || !c[5])) {
			size_t at = (size_t)(c - norm->buf);
			const char *rest = c + 5;
			while (*rest == ' ' || isdigit((unsigned char)*rest))
				rest++;
			if (!*rest) {
				strbuf_setlen(norm, at && norm->buf[at - 1] == ' ' ? at - 1 : at);
				return true;
			}
		}
		c += 5;
	}
	return false;
}

/* norm without a leading article, spaces removed: "le pont de claix" -> "pontdeclaix". */
static char *compact_key(const char *norm)
{
	struct strbuf sb = STRBUF_INIT;
	size_t w = strcspn(norm, " ");
	if (norm[w] == ' ' && is_article(norm, w))
		norm += w + 1;
	for (; *norm; norm++)
		if (*norm != ' ')
			strbuf_addch(&sb, *norm);
	return strbuf_detach(&sb, NULL);
}

/* norm without its leading article. */
static const char *skip_article(const char *norm)
{
	size_t w = strcspn(norm, " ");
	return norm[w] == ' ' && is_article(norm, w) ? norm + w + 1 : norm;
}

/*
 * Whether the shorter of a and b (article-less keys) is the other cut at a
 * word followed by a linking word: "loriol" / "loriol sur drome", "sciez sur
 * leman" / "sciez". The shorter must say more than "saint".
 */
static bool affix_match(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), w;
	const char *s = la < lb ? a : b, *l = la < lb ? b : a;
	size_t ls = la < lb ? la : lb;
	if (ls < 3 || !strcmp(s, "saint") || !strcmp(s, "sainte") || strncmp(s, l, ls) || l[ls] != ' ')
		return false;
	l += ls + 1;
	w = strcspn(l, " ");
	return is_link(l, w) && l[w] == ' ';
}

/* ------------------------------------------------------------ candidates */

/* The département of a postcode: "07200" -> "07", "97410" -> "974", "20000" -> "2A" and "2B". */
static void dep_of_postcode(const char *cp, char dep[4], char dep2[4])
{
	dep[0] = dep2[0] = '\0';
	if (!cp || strlen(cp) != 5 || strspn(cp, "0123456789") != 5)
		return;
	if (!strncmp(cp, "97", 2) || !strncmp(cp, "98", 2)) {
		memcpy(dep, cp, 3);
		dep[3] = '\0';
	} else if (!strncmp(cp, "20", 2)) {
		memcpy(dep, "2A", 3);
		memcpy(dep2, "2B", 3);
	} else {
		memcpy(dep, cp, 2);
		dep[2] = '\0';
	}
}

static const char pool_sql[] =
	"SELECT c.code_insee, c.nom_norm, c.latitude, c.longitude, c.population, 0, "
	"c.code_insee IN (SELECT code_insee FROM commune_postcodes WHERE code_postal = ?1) "
	"FROM communes c WHERE ?2 = '' OR c.departement IN (?2, ?3) "
	"OR c.code_insee IN (SELECT code_insee FROM commune_postcodes WHERE code_postal = ?1) "
	"UNION ALL "
	"SELECT c.code_insee, a.nom_norm, c.latitude, c.longitude, c.population, 1, "
	"c.code_insee IN (SELECT code_insee FROM commune_postcodes WHERE code_postal = ?1) "
	"FROM communes_anciennes a JOIN communes c ON c.code_insee = a.commune_actuelle "
	"WHERE ?2 = '' OR c.departement IN (?2, ?3)";

static int pool_load(sqlite3 *db, const char *cp, const char *dep, const char *dep2,
		     struct pool *p)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, pool_sql, &st))
		return -1;
	sqlite3_bind_text(st, 1, cp, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, dep, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, dep2, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cand *c;
		const char *code = (const char *)sqlite3_column_text(st, 0);
		const char *norm = (const char *)sqlite3_column_text(st, 1);
		if (!code || !norm || strlen(code) >= sizeof(c->code))
			continue;
		XGROW(p->v, p->alloc, p->n + 1);
		c = &p->v[p->n++];
		memset(c, 0, sizeof(*c));
		memcpy(c->code, code, strlen(code) + 1);
		c->norm = xstrdup(norm);
		c->key = compact_key(norm);
		c->has_coords = sqlite3_column_type(st, 2) != SQLITE_NULL;
		c->lat = sqlite3_column_double(st, 2);
		c->lon = sqlite3_column_double(st, 3);
		c->population = (long)sqlite3_column_int64(st, 4);
		c->former = sqlite3_column_int(st, 5);
		c->in_cp = sqlite3_column_int(st, 6);
		if (c->in_cp && !c->former) {
			if (!p->n_cp)
				memcpy(p->only_cp, c->code, sizeof(p->only_cp));
			p->n_cp++;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "communes");
}

static void pool_clear(struct pool *p)
{
	size_t i;
	for (i = 0; i < p->n; i++) {
		free(p->v[i].norm);
		free(p->v[i].key);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* ------------------------------------------------------------ ranking */

/* How candidate c meets the written name (q: folded, qkey: compact); NONE if not. */
static enum commune_how meet(const struct cand *c, const char *q, const char *qkey,
			     size_t *dist)
{
	size_t len = strlen(qkey), max;
	*dist = 0;
	if (!strcmp(c->norm, q))
		return COMMUNE_HOW_EXACT;
	if (!strcmp(c->key, qkey))
		return COMMUNE_HOW_SPELLING;
	if (affix_match(skip_article(q), skip_article(c->norm)))
		return COMMUNE_HOW_AFFIX;
	max = len < 5 ? 0 : len < 10 ? 1 : 2;
	if (max && text_distance(qkey, c->key, max) <= max) {
		/* rank by the distance of the whole names: "Les Molettes" is
		 * nearer Les Mollettes than Mouettes */
		*dist = text_distance(q, c->norm, 9);
		return COMMUNE_HOW_NEAR;
	}
	return COMMUNE_HOW_NONE;
}

/* A candidate's rank: lower is better; how first, then current names, the postcode, the distance. */
#define RANK_HOW 10000
static long rank_of(enum commune_how how, const struct cand *c, size_t dist)
{
	return (long)how * RANK_HOW + (c->former ? 1000 : 0) + (c->in_cp ? 0 : 100) + (long)dist;
}

/*
 * Among the candidates of the best rank, the one to take: the only one, or
 * the nearest to the coordinates. Returns its index, or -1 (ambiguous).
 */
static long choose(const struct pool *p, const long *rank, long best,
		   const struct commune_clue *clue, struct commune_guess *out)
{
	long pick = -1;
	double best_km = INFINITY;
	size_t i, j, n = 0;
	for (i = 0; i < p->n; i++) {
		if (rank[i] != best)
			continue;
		for (j = 0; j < i && (rank[j] != best || strcmp(p->v[j].code, p->v[i].code)); j++)
			;
		if (j < i)
			continue; /* the same commune by another of its names */
		n++;
		if (clue->has_coords && p->v[i].has_coords) {
			double km = geo_distance_km(clue->lat, clue->lon, p->v[i].lat, p->v[i].lon);
			if (km < best_km)
				best_km = km, pick = (long)i;
		} else if (pick < 0) {
			pick = (long)i;
		}
	}
	out->candidates = n;
	if (n > 1 && !isfinite(best_km))
		return -1;
	out->by_coords = n > 1;
	return pick;
}

/* The commune of the pool whose centre is nearest the point, within max_km. */
static long nearest(const struct pool *p, const struct commune_clue *clue, bool cp_only,
		    double max_km, double *km_out)
{
	long pick = -1;
	double best = max_km;
	size_t i;
	for (i = 0; i < p->n; i++) {
		double km;
		if (p->v[i].former || !p->v[i].has_coords || (cp_only && !p->v[i].in_cp))
			continue;
		km = geo_distance_km(clue->lat, clue->lon, p->v[i].lat, p->v[i].lon);
		if (km <= best)
			best = km, pick = (long)i;
	}
	*km_out = best;
	return pick;
}

static void take(const struct pool *p, long i, enum commune_how how,
		 const struct commune_clue *clue, struct commune_guess *out)
{
	memcpy(out->code_insee, p->v[i].code, sizeof(out->code_insee));
	out->how = how;
	out->former = p->v[i].former;
	out->in_postcode = p->v[i].in_cp;
	if (clue->has_coords && p->v[i].has_coords)
		out->km = geo_distance_km(clue->lat, clue->lon, p->v[i].lat, p->v[i].lon);
}

static void resolve_in(const struct pool *p, const char *q, const char *qkey,
		       const struct commune_clue *clue, bool has_cp, struct commune_guess *out)
{
	long *rank = xmalloc((p->n + 1) * sizeof(*rank)), best = -1, pick;
	size_t i, dist;
	double km;

	for (i = 0; *q && i < p->n; i++) {
		enum commune_how how = meet(&p->v[i], q, qkey, &dist);
		/* a guess from the letters alone must agree with the point */
		if (how >= COMMUNE_HOW_AFFIX && clue->has_coords && p->v[i].has_coords &&
		    geo_distance_km(clue->lat, clue->lon, p->v[i].lat, p->v[i].lon) > GUESS_KM)
			how = COMMUNE_HOW_NONE;
		rank[i] = how == COMMUNE_HOW_NONE ? -1 : rank_of(how, &p->v[i], dist);
		if (rank[i] >= 0 && (best < 0 || rank[i] < best))
			best = rank[i];
	}
	if (best >= 0 && (pick = choose(p, rank, best, clue, out)) >= 0) {
		take(p, pick, (enum commune_how)(best / RANK_HOW), clue, out);
		goto done;
	}
	if (best >= 0 && !clue->has_coords)
		goto done; /* ambiguous: out->candidates says how many */
	if (has_cp && p->n_cp == 1 && !clue->has_coords) {
		for (i = 0; i < p->n && strcmp(p->v[i].code, p->only_cp); i++)
			;
		take(p, (long)i, COMMUNE_HOW_ONLY, clue, out);
		goto done;
	}
	if (clue->has_coords) {
		pick = -1;
		if (has_cp && p->n_cp)
			pick = nearest(p, clue, true, NEAREST_KM_POSTCODE, &km);
		if (pick < 0)
			pick = nearest(p, clue, false, NEAREST_KM_DEPARTEMENT, &km);
		if (pick >= 0)
			take(p, pick, COMMUNE_HOW_NEAREST, clue, out);
	}
done:
	free(rank);
}

int communes_resolve(sqlite3 *db, const struct commune_clue *clue, struct commune_guess *out)
{
	struct strbuf norm = STRBUF_INIT;
	struct pool p = { 0 };
	const char *cp = clue->code_postal ? clue->code_postal : "";
	char dep[4], dep2[4], *qkey = NULL;
	bool cedex;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->how = COMMUNE_HOW_NONE;
	if (clue->nom)
		text_norm(&norm, clue->nom, strlen(clue->nom));
	cedex = strip_cedex(&norm);
	dep_of_postcode(cp, dep, dep2);
	if (clue->departement && *clue->departement) {
		snprintf(dep, sizeof(dep), "%s", clue->departement);
		dep2[0] = '\0';
	}
	if (!*dep && !norm.len)
		goto ok; /* nothing to go by */
	if (pool_load(db, cp, dep, dep2, &p))
		goto fail;
	qkey = compact_key(norm.buf);
	resolve_in(&p, norm.buf, qkey, clue, *cp != '\0', out);
	if (cedex && out->how == COMMUNE_HOW_EXACT)
		out->how = COMMUNE_HOW_CEDEX;
	out->cedex = cedex;
ok:
	rc = 0;
fail:
	free(qkey);
	pool_clear(&p);
	strbuf_release(&norm);
	return rc;
}

const char *commune_how_reason(enum commune_how how, bool former)
{
	switch (how) {
	case COMMUNE_HOW_EXACT:
		return former ? _("a former commune's name") : _("the same name");
	case COMMUNE_HOW_CEDEX:
		return former ? _("a former commune's name once CEDEX removed") : _("the name once CEDEX removed");
	case COMMUNE_HOW_SPELLING:
		return _("the same name but for articles, hyphens or apostrophes");
	case COMMUNE_HOW_AFFIX:
		return _("the name without or with a suffix");
	case COMMUNE_HOW_NEAR:
		return _("a near spelling");
	case COMMUNE_HOW_ONLY:
		return _("the only commune of the postcode");
	case COMMUNE_HOW_NEAREST:
		return _("the commune nearest the coordinates");
	default:
		return _("nothing");
	}
}
