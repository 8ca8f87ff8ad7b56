/*
 * merge: near-duplicate proposals, merging, rejecting, erasing a person
 * (see merge.h).
 */
#include "db/merge.h"
#include "core/text.h"
#include "db/db.h"
#include "db/structures.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ============================================================ matching */

#define MAX_TOKS 24

struct toks {
	char *buf;                /* a copy of the key, spaces turned to NULs */
	const char *v[MAX_TOKS];
	size_t n;
	char ini[MAX_TOKS + 1];   /* the initials of the tokens, for a quick acronym test */
};

static void toks_split(struct toks *t, const char *key)
{
	char *p;
	t->buf = xstrdup(key);
	t->n = 0;
	for (p = t->buf; *p && t->n < MAX_TOKS;) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		t->ini[t->n] = *p;
		t->v[t->n++] = p;
		p += strcspn(p, " ");
	}
	t->ini[t->n] = 0;
}

/* Whether some token of y (2+ letters) is spelled by initials of x's words. */
static bool may_contract(const struct toks *x, const struct toks *y)
{
	size_t j;
	for (j = 0; j < y->n; j++)
		if (y->v[j][1] && strstr(x->ini, y->v[j]))
			return true;
	return false;
}

/*
 * Replaces in x each run of two or more tokens whose initials spell a
 * token of y by that token: "msa ardeche drome loire" against "msa adl"
 * becomes "msa adl". Returns how many runs were replaced.
 */
static size_t contract(const struct toks *x, const struct toks *y, const char **out, size_t *nout)
{
	size_t i = 0, done = 0, j, L;
	*nout = 0;
	while (i < x->n) {
		bool hit = false;
		for (L = x->n - i; L >= 2 && !hit; L--) {
			char ini[MAX_TOKS + 1];
			for (j = 0; j < L; j++)
				ini[j] = x->v[i + j][0];
			ini[L] = 0;
			for (j = 0; j < y->n; j++)
				if (!strcmp(y->v[j], ini)) {
					out[(*nout)++] = y->v[j];
					i += L;
					done++;
					hit = true;
					break;
				}
		}
		if (!hit)
			out[(*nout)++] = x->v[i++];
	}
	return done;
}

/* Every token of a (as a multiset) is in b. */
static bool subset(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	bool used[MAX_TOKS] = { false };
	size_t i, j;
	if (!na || na > nb)
		return false;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (!used[j] && !strcmp(a[i], b[j])) {
				used[j] = true;
				break;
			}
		if (j == nb)
			return false;
	}
	return true;
}

/* Two words a typo apart: 1 edit from 4 letters, 2 from 7. */
static bool words_close(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), l = la < lb ? la : lb, max;
	if (l < 4)
		return false;
	max = l >= 7 ? 2 : 1;
	return text_distance(a, b, max) <= max;
}

static bool same_without_spaces(const char *a, const char *b)
{
	while (*a || *b) {
		while (*a == ' ')
			a++;
		while (*b == ' ')
			b++;
		if (*a != *b)
			return false;
		if (*a) {
			a++;
			b++;
		}
	}
	return true;
}

/* merge_structure_keys_near() on keys already split. */
static bool toks_near(const struct toks *ta, const struct toks *tb, const char *a, const char *b,
		      const char **reason)
{
	const char *ca[MAX_TOKS], *cb[MAX_TOKS];
	size_t nca = ta->n, ncb = tb->n, ka = 0, kb = 0, i, diff = 0, at = 0;
	bool r = false;

	if (may_contract(ta, tb))
		ka = contract(ta, tb, ca, &nca);
	else
		memcpy(ca, ta->v, ta->n * sizeof(*ca));
	if (may_contract(tb, ta))
		kb = contract(tb, ta, cb, &ncb);
	else
		memcpy(cb, tb->v, tb->n * sizeof(*cb));
	if (subset(ca, nca, cb, ncb) || subset(cb, ncb, ca, nca)) {
		*reason = ka || kb ? N_("an acronym of the other's words") : N_("one name within the other");
		r = true;
	} else if (ta->n == tb->n) {
		for (i = 0; i < ta->n && diff < 2; i++)
			if (strcmp(ta->v[i], tb->v[i])) {
				diff++;
				at = i;
			}
		if (diff == 1 && words_close(ta->v[at], tb->v[at])) {
			*reason = N_("a word spelled differently");
			r = true;
		}
	}
	if (!r && same_without_spaces(a, b)) {
		*reason = N_("the same letters spaced differently");
		r = true;
	}
	return r;
}

bool merge_structure_keys_near(const char *a, const char *b, const char **reason)
{
	struct toks ta, tb;
	bool r;
	if (!strcmp(a, b) || !*a || !*b)
		return false;
	toks_split(&ta, a);
	toks_split(&tb, b);
	r = toks_near(&ta, &tb, a, b, reason);
	free(ta.buf);
	free(tb.buf);
	return r;
}

/* Given names within each other as words ("jean" / "jean marc"). */
static bool given_within(const char *a, const char *b)
{
	struct toks ta, tb;
	bool r;
	toks_split(&ta, a);
	toks_split(&tb, b);
	r = (!ta.n || !tb.n) ? ta.n != tb.n : (subset(ta.v, ta.n, tb.v, tb.n) || subset(tb.v, tb.n, ta.v, ta.n));
	free(ta.buf);
	free(tb.buf);
	return r;
}

bool merge_person_names_near(const char *nom_a, const char *prenom_a, const char *nom_b,
			     const char *prenom_b, const char **reason)
{
	char *na = text_norm_dup(nom_a), *nb = text_norm_dup(nom_b);
	char *pa = text_norm_dup(prenom_a ? prenom_a : ""), *pb = text_norm_dup(prenom_b ? prenom_b : "");
	bool r = false;

	if (!strcmp(na, nb)) {
		if (strcmp(pa, pb) && (given_within(pa, pb) || words_close(pa, pb))) {
			*reason = N_("same family name, close given names");
			r = true;
		}
	} else if (!strcmp(pa, pb) && *pa && words_close(na, nb)) {
		*reason = N_("same given name, family name spelled differently");
		r = true;
	}
	free(na);
	free(nb);
	free(pa);
	free(pb);
	return r;
}

/* ========================================================== proposals */

static int propose(sqlite3 *db, sqlite3_stmt *ins, const char *kind, sqlite3_int64 a,
		   sqlite3_int64 b, const char *reason, size_t *added)
{
	int rc;
	sqlite3_bind_text(ins, 1, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 2, a < b ? a : b);
	sqlite3_bind_int64(ins, 3, a < b ? b : a);
	sqlite3_bind_text(ins, 4, reason, -1, SQLITE_STATIC);
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	if (rc != SQLITE_DONE)
		return db_error(db, "merge proposals");
	*added += (size_t)sqlite3_changes(db);
	return 0;
}

static const char insert_sql[] = "INSERT INTO merge_proposals(kind, a_id, b_id, reason) "
				 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";

struct srec {
	sqlite3_int64 id;
	char *key;
	struct toks t;       /* structures: the key split */
	char *fam, *given;   /* persons: folded family and given names */
	bool isnew;
};

static int cmp_id(const void *a, const void *b)
{
	sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
	return (x > y) - (x < y);
}

static bool is_new(const sqlite3_int64 *ids, size_t n, sqlite3_int64 id)
{
	return bsearch(&id, ids, n, sizeof(*ids), cmp_id) != NULL;
}

int merge_propose_structures(sqlite3 *db, const sqlite3_int64 *ids, size_t n, size_t *added)
{
	sqlite3_stmt *st = NULL, *ins = NULL;
	struct srec *v = NULL;
	sqlite3_int64 *sorted = NULL;
	size_t nv = 0, av = 0, i, j;
	int rc = -1, s;

	if (!n)
		return 0;
	sorted = xmalloc(n * sizeof(*sorted));
	memcpy(sorted, ids, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_id);
	if (db_prepare(db, "SELECT id, nom_norm FROM structures", &st) || db_prepare(db, insert_sql, &ins))
		goto done;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(v, av, nv + 1);
		v[nv].id = sqlite3_column_int64(st, 0);
		v[nv].key = xstrdup((const char *)sqlite3_column_text(st, 1));
		toks_split(&v[nv].t, v[nv].key);
		v[nv].isnew = is_new(sorted, n, v[nv].id);
		nv++;
	}
	if (s != SQLITE_DONE) {
		db_error(db, "structures");
		goto done;
	}
	for (i = 0; i < nv; i++) {
		if (!v[i].isnew)
			continue;
		for (j = 0; j < nv; j++) {
			const char *why;
			if (i == j || (v[j].isnew && j < i))
				continue;
			if (strcmp(v[i].key, v[j].key) && *v[i].key && *v[j].key &&
			    toks_near(&v[i].t, &v[j].t, v[i].key, v[j].key, &why) &&
			    propose(db, ins, "structure", v[i].id, v[j].id, why, added))
				goto done;
		}
	}
	rc = 0;
done:
	for (i = 0; i < nv; i++) {
		free(v[i].key);
		free(v[i].t.buf);
	}
	free(v);
	free(sorted);
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	return rc;
}

static int cmp_fam(const void *a, const void *b)
{
	const struct srec *x = a, *y = b;
	int c = strcmp(x->fam, y->fam);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static int cmp_given(const void *a, const void *b)
{
	const struct srec *x = a, *y = b;
	int c = strcmp(x->given, y->given);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* Compares, within runs of equal field (sorted), pairs with a new member. */
static int scan_runs(sqlite3 *db, sqlite3_stmt *ins, struct srec *v, size_t nv, bool by_family,
		     size_t *added)
{
	size_t i = 0, j, k;
	while (i < nv) {
		const char *f = by_family ? v[i].fam : v[i].given;
		size_t end = i + 1;
		while (end < nv && !strcmp(by_family ? v[end].fam : v[end].given, f))
			end++;
		/* a very common given name is no evidence: skip the big runs */
		if (by_family || (end - i <= 64 && *f)) {
			for (j = i; j < end; j++)
				for (k = j + 1; k < end; k++) {
					const char *why;
					if (!v[j].isnew && !v[k].isnew)
						continue;
					if (merge_person_names_near(v[j].fam, v[j].given, v[k].fam, v[k].given, &why) &&
					    propose(db, ins, "person", v[j].id, v[k].id, why, added))
						return -1;
				}
		}
		i = end;
	}
	return 0;
}

int merge_propose_persons(sqlite3 *db, const sqlite3_int64 *ids, size_t n, size_t *added)
{
	sqlite3_stmt *st = NULL, *ins = NULL;
	struct srec *v = NULL;
	sqlite3_int64 *sorted = NULL;
	size_t nv = 0, av = 0, i;
	int rc = -1, s;

	if (!n)
		return 0;
	sorted = xmalloc(n * sizeof(*sorted));
	memcpy(sorted, ids, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_id);
	if (db_prepare(db, "SELECT id, nom, prenom FROM persons", &st) || db_prepare(db, insert_sql, &ins))
		goto done;
	while ((s = sqlite3_step(st)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 2);
		XGROW(v, av, nv + 1);
		v[nv].id = sqlite3_column_int64(st, 0);
		v[nv].key = NULL;
		v[nv].fam = text_norm_dup((const char *)sqlite3_column_text(st, 1));
		v[nv].given = text_norm_dup(p ? p : "");
		v[nv].isnew = is_new(sorted, n, v[nv].id);
		nv++;
	}
	if (s != SQLITE_DONE) {
		db_error(db, "persons");
		goto done;
	}
	qsort(v, nv, sizeof(*v), cmp_fam);
	if (scan_runs(db, ins, v, nv, true, added))
		goto done;
	qsort(v, nv, sizeof(*v), cmp_given);
	if (scan_runs(db, ins, v, nv, false, added))
		goto done;
	rc = 0;
done:
	for (i = 0; i < nv; i++) {
		free(v[i].fam);
		free(v[i].given);
	}
	free(v);
	free(sorted);
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	return rc;
}

/* ============================================================= merging */

/* Runs sql with ?1 = keep and ?2 = other. */
static int exec2(sqlite3 *db, const char *sql, sqlite3_int64 keep, sqlite3_int64 other)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, sql, &st))
		return -1;
	sqlite3_bind_int64(st, 1, keep);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, other);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "merge");
}

static int exec_all(sqlite3 *db, const char *const *sql, size_t n, sqlite3_int64 keep, sqlite3_int64 other)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (exec2(db, sql[i], keep, other))
			return -1;
	return 0;
}

/* A malloc'd text column of one row (NULL when none); *found says whether the row is there. */
static char *get_text(sqlite3 *db, const char *sql, sqlite3_int64 id, bool *found)
{
	sqlite3_stmt *st;
	char *r = NULL;
	*found = false;
	if (db_prepare(db, sql, &st))
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*found = true;
		if (sqlite3_column_text(st, 0))
			r = xstrdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return r;
}

/* Proposals about other now concern keep; the pair itself becomes merged. */
static int rekey_proposals(sqlite3 *db, const char *kind, sqlite3_int64 keep, sqlite3_int64 other)
{
	static const char *const sql[] = {
		"INSERT INTO merge_proposals(kind, a_id, b_id, reason, state) "
		"SELECT kind, min(?1, x), max(?1, x), reason, state FROM (SELECT kind, reason, state, "
		"CASE WHEN a_id = ?2 THEN b_id ELSE a_id END AS x FROM merge_proposals "
		"WHERE kind = ?3 AND (a_id = ?2 OR b_id = ?2)) WHERE x <> ?1 ORDER BY x "
		"ON CONFLICT DO NOTHING",
		"DELETE FROM merge_proposals WHERE kind = ?3 AND (a_id = ?2 OR b_id = ?2)",
		"INSERT INTO merge_proposals(kind, a_id, b_id, reason, state) "
		"VALUES (?3, min(?1, ?2), max(?1, ?2), 'merged by hand', 'merged') "
		"ON CONFLICT DO UPDATE SET state = 'merged'",
	};
	size_t i;
	for (i = 0; i < sizeof(sql) / sizeof(*sql); i++) {
		sqlite3_stmt *st;
		int rc;
		if (db_prepare(db, sql[i], &st))
			return -1;
		sqlite3_bind_int64(st, 1, keep);
		sqlite3_bind_int64(st, 2, other);
		sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_error(db, "merge proposals");
	}
	return 0;
}

int merge_structures(sqlite3 *db, sqlite3_int64 keep, sqlite3_int64 other)
{
	static const char *const move[] = {
		/* memberships: keep's row wins, its empty role filled from other's */
		"UPDATE memberships AS k SET role = (SELECT o.role FROM memberships o WHERE o.structure_id = ?2 "
		"AND o.person_id = k.person_id) WHERE k.structure_id = ?1 AND k.role IS NULL",
		"UPDATE OR IGNORE memberships SET structure_id = ?1 WHERE structure_id = ?2",
		"DELETE FROM memberships WHERE structure_id = ?2",
		"UPDATE attendance SET structure_id = ?1 WHERE structure_id = ?2",
		"INSERT OR IGNORE INTO structure_themes(structure_id, theme_id) "
		"SELECT ?1, theme_id FROM structure_themes WHERE structure_id = ?2",
		"DELETE FROM structure_themes WHERE structure_id = ?2",
		"INSERT OR IGNORE INTO structure_territories(structure_id, kind, code) "
		"SELECT ?1, kind, code FROM structure_territories WHERE structure_id = ?2",
		"DELETE FROM structure_territories WHERE structure_id = ?2",
		"UPDATE structure_aliases SET structure_id = ?1 WHERE structure_id = ?2",
		"UPDATE referrals SET from_structure_id = ?1 WHERE from_structure_id = ?2",
		"UPDATE referrals SET to_structure_id = ?1 WHERE to_structure_id = ?2",
		"UPDATE permanences SET structure_id = ?1 WHERE structure_id = ?2",
		"UPDATE permanences SET host_id = ?1 WHERE host_id = ?2",
		"UPDATE structures SET parent_id = ?1 WHERE parent_id = ?2 AND id <> ?1",
		/* keep's empty fields take other's values */
		"UPDATE structures SET (typologie, siret, adresse, complement_adresse, code_postal, code_insee, "
		"latitude, longitude, telephone, courriels, site_web, horaires, prise_rdv, sans_rdv, frais, "
		"itinerance, presentation_resume, presentation_detail, publics, prise_en_charge, "
		"modalites_acces, modalites_accompagnement, dispositifs, formations_labels, "
		"autres_formations_labels, tags) = (SELECT coalesce(k.typologie, o.typologie), "
		"coalesce(k.siret, o.siret), coalesce(k.adresse, o.adresse), "
		"coalesce(k.complement_adresse, o.complement_adresse), coalesce(k.code_postal, o.code_postal), "
		"coalesce(k.code_insee, o.code_insee), coalesce(k.latitude, o.latitude), "
		"coalesce(k.longitude, o.longitude), coalesce(k.telephone, o.telephone), "
		"coalesce(k.courriels, o.courriels), coalesce(k.site_web, o.site_web), "
		"coalesce(k.horaires, o.horaires), coalesce(k.prise_rdv, o.prise_rdv), "
		"coalesce(k.sans_rdv, o.sans_rdv), coalesce(k.frais, o.frais), "
		"coalesce(k.itinerance, o.itinerance), coalesce(k.presentation_resume, o.presentation_resume), "
		"coalesce(k.presentation_detail, o.presentation_detail), coalesce(k.publics, o.publics), "
		"coalesce(k.prise_en_charge, o.prise_en_charge), coalesce(k.modalites_acces, o.modalites_acces), "
		"coalesce(k.modalites_accompagnement, o.modalites_accompagnement), "
		"coalesce(k.dispositifs, o.dispositifs), coalesce(k.formations_labels, o.formations_labels), "
		"coalesce(k.autres_formations_labels, o.autres_formations_labels), coalesce(k.tags, o.tags) "
		"FROM structures k, structures o WHERE k.id = ?1 AND o.id = ?2), "
		"updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
	};
	struct strbuf detail = STRBUF_INIT;
	char *other_nom;
	bool found_k, found_o;
	int rc = -1;

	free(get_text(db, "SELECT nom FROM structures WHERE id = ?1", keep, &found_k));
	other_nom = get_text(db, "SELECT nom FROM structures WHERE id = ?1", other, &found_o);
	if (!found_k || !found_o) {
		qfq_error(_("no structure with id %lld"), (long long)(found_k ? other : keep));
		goto done;
	}
	if (keep == other) {
		qfq_error(_("cannot merge structure %lld with itself"), (long long)keep);
		goto done;
	}
	if (structure_unindex(db, other) || exec_all(db, move, sizeof(move) / sizeof(*move), keep, other) ||
	    structure_add_alias(db, keep, other_nom) || rekey_proposals(db, "structure", keep, other) ||
	    exec2(db, "DELETE FROM structures WHERE id = ?1", other, 0) || structure_reindex(db, keep))
		goto done;
	strbuf_addf(&detail, "{\"merged\":%lld}", (long long)other);
	rc = db_audit(db, "merge", "structures", keep, detail.buf);
done:
	strbuf_release(&detail);
	free(other_nom);
	return rc;
}

/* Joins two '|'-lists without repeating an item (case-insensitive). */
static void union_lists(struct strbuf *out, const char *a, const char *b)
{
	const char *lists[2] = { a, b };
	int k;
	for (k = 0; k < 2; k++) {
		const char *p = lists[k];
		while (p && *p) {
			size_t l = strcspn(p, "|"), i;
			bool dup = false;
			const char *q = out->buf;
			while (*q && !dup) {
				i = strcspn(q, "|");
				dup = i == l && !strncasecmp(q, p, l);
				q += i + (q[i] == '|');
			}
			if (!dup && l) {
				if (out->len)
					strbuf_addch(out, '|');
				strbuf_add(out, p, l);
			}
			p += l + (p[l] == '|');
		}
	}
}

static int merge_contacts(sqlite3 *db, sqlite3_int64 keep, sqlite3_int64 other)
{
	sqlite3_stmt *st;
	char *v[2][3] = { { NULL } };
	struct strbuf m = STRBUF_INIT, t = STRBUF_INIT;
	int rc = -1, k, c;
	if (db_prepare(db, "SELECT courriels, telephones, prenom FROM persons WHERE id = ?1", &st))
		return -1;
	for (k = 0; k < 2; k++) {
		sqlite3_bind_int64(st, 1, k ? other : keep);
		if (sqlite3_step(st) == SQLITE_ROW)
			for (c = 0; c < 3; c++)
				if (sqlite3_column_text(st, c))
					v[k][c] = xstrdup((const char *)sqlite3_column_text(st, c));
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	union_lists(&m, v[0][0], v[1][0]);
	union_lists(&t, v[0][1], v[1][1]);
	if (db_prepare(db, "UPDATE persons SET courriels = nullif(?2, ''), telephones = nullif(?3, ''), "
			   "prenom = coalesce(prenom, ?4), updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
			   "WHERE id = ?1", &st))
		goto done;
	sqlite3_bind_int64(st, 1, keep);
	sqlite3_bind_text(st, 2, m.buf, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, t.buf, -1, SQLITE_STATIC);
	if (v[1][2])
		sqlite3_bind_text(st, 4, v[1][2], -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_error(db, "persons");
	sqlite3_finalize(st);
done:
	for (k = 0; k < 2; k++)
		for (c = 0; c < 3; c++)
			free(v[k][c]);
	strbuf_release(&m);
	strbuf_release(&t);
	return rc;
}

/* Reindexes the structures person id belongs to (their roles are indexed). */
static int member_structures(sqlite3 *db, sqlite3_int64 id, sqlite3_int64 **ids, size_t *n)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;
	*n = 0;
	*ids = NULL;
	if (db_prepare(db, "SELECT structure_id FROM memberships WHERE person_id = ?1", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		XGROW(*ids, alloc, *n + 1);
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "memberships");
}

static int reindex_list(sqlite3 *db, const sqlite3_int64 *ids, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (structure_reindex(db, ids[i]))
			return -1;
	return 0;
}

int merge_persons(sqlite3 *db, sqlite3_int64 keep, sqlite3_int64 other)
{
	static const char *const move[] = {
		"UPDATE memberships AS k SET role = (SELECT o.role FROM memberships o WHERE o.person_id = ?2 "
		"AND o.structure_id = k.structure_id) WHERE k.person_id = ?1 AND k.role IS NULL",
		"UPDATE OR IGNORE memberships SET person_id = ?1 WHERE person_id = ?2",
		"DELETE FROM memberships WHERE person_id = ?2",
		"UPDATE OR IGNORE attendance SET person_id = ?1 WHERE person_id = ?2",
		"DELETE FROM attendance WHERE person_id = ?2",
		"INSERT INTO person_themes(person_id, theme_id, referent) SELECT ?1, theme_id, referent "
		"FROM person_themes WHERE person_id = ?2 AND true "
		"ON CONFLICT DO UPDATE SET referent = max(referent, excluded.referent)",
		"DELETE FROM person_themes WHERE person_id = ?2",
		"UPDATE referrals SET from_person_id = ?1 WHERE from_person_id = ?2",
		"UPDATE referrals SET to_person_id = ?1 WHERE to_person_id = ?2",
	};
	struct strbuf detail = STRBUF_INIT;
	sqlite3_int64 *ids = NULL;
	size_t n = 0;
	bool found_k, found_o;
	int rc = -1;

	free(get_text(db, "SELECT nom FROM persons WHERE id = ?1", keep, &found_k));
	free(get_text(db, "SELECT nom FROM persons WHERE id = ?1", other, &found_o));
	if (!found_k || !found_o) {
		qfq_error(_("no person with id %lld"), (long long)(found_k ? other : keep));
		goto done;
	}
	if (keep == other) {
		qfq_error(_("cannot merge person %lld with themself"), (long long)keep);
		goto done;
	}
	if (merge_contacts(db, keep, other) || exec_all(db, move, sizeof(move) / sizeof(*move), keep, other) ||
	    rekey_proposals(db, "person", keep, other) ||
	    exec2(db, "DELETE FROM persons WHERE id = ?1", other, 0) ||
	    member_structures(db, keep, &ids, &n) || reindex_list(db, ids, n))
		goto done;
	strbuf_addf(&detail, "{\"merged\":%lld}", (long long)other);
	rc = db_audit(db, "merge", "persons", keep, detail.buf);
done:
	free(ids);
	strbuf_release(&detail);
	return rc;
}

int merge_reject(sqlite3 *db, enum merge_kind kind, sqlite3_int64 a, sqlite3_int64 b)
{
	const char *k = kind == MERGE_PERSON ? "person" : "structure";
	const char *get = kind == MERGE_PERSON ? "SELECT nom FROM persons WHERE id = ?1"
					       : "SELECT nom FROM structures WHERE id = ?1";
	sqlite3_stmt *st;
	bool fa, fb;
	int rc;

	free(get_text(db, get, a, &fa));
	free(get_text(db, get, b, &fb));
	if (!fa || !fb)
		return qfq_error(kind == MERGE_PERSON ? _("no person with id %lld") : _("no structure with id %lld"),
				 (long long)(fa ? b : a));
	if (a == b)
		return qfq_error(_("a record is no duplicate of itself"));
	if (db_prepare(db, "INSERT INTO merge_proposals(kind, a_id, b_id, reason, state) "
			   "VALUES (?1, min(?2, ?3), max(?2, ?3), 'rejected by hand', 'rejected') "
			   "ON CONFLICT DO UPDATE SET state = 'rejected'", &st))
		return -1;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, a);
	sqlite3_bind_int64(st, 3, b);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "merge proposals");
	return db_audit(db, "reject", kind == MERGE_PERSON ? "persons" : "structures", a < b ? a : b,
			NULL);
}

int person_erase(sqlite3 *db, sqlite3_int64 id)
{
	static const char *const sql[] = {
		"DELETE FROM merge_proposals WHERE kind = 'person' AND (a_id = ?1 OR b_id = ?1)",
		"DELETE FROM audit_log WHERE entity = 'persons' AND entity_id = ?1",
		"DELETE FROM persons WHERE id = ?1",
	};
	sqlite3_int64 *ids = NULL;
	size_t n = 0;
	bool found;
	int rc = -1;

	free(get_text(db, "SELECT nom FROM persons WHERE id = ?1", id, &found));
	if (!found)
		return 0;
	if (member_structures(db, id, &ids, &n) || exec_all(db, sql, 3, id, 0) ||
	    reindex_list(db, ids, n) || db_audit(db, "erase", "persons", 0, NULL))
		goto done;
	rc = 1;
done:
	free(ids);
	return rc;
}
