/*
 * referrals: recording orientations and their follow-up (see referrals.h).
 */
#include "db/referrals.h"
#include "core/date.h"
#include "core/privacy.h"
#include "core/text.h"
#include "db/db.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const status_codes[REFERRAL_N_STATUS] = {
	"proposee", "prise_en_charge", "realisee", "sans_solution", "refusee",
};
static const char *const status_words[REFERRAL_N_STATUS] = {
	"proposée", "prise en charge", "réalisée", "sans solution", "refusée",
};
static const char *const channel_codes[REFERRAL_N_CHANNEL] = {
	"physique", "telephone", "courriel", "visio",
};
static const char *const channel_words[REFERRAL_N_CHANNEL] = {
	"physique", "téléphone", "courriel", "visio",
};

const char *referral_status_code(int s) { return s >= 0 && s < REFERRAL_N_STATUS ? status_codes[s] : "?"; }
const char *referral_status_word(int s) { return s >= 0 && s < REFERRAL_N_STATUS ? status_words[s] : "?"; }
const char *referral_channel_code(int c) { return c >= 0 && c < REFERRAL_N_CHANNEL ? channel_codes[c] : "?"; }
const char *referral_channel_word(int c) { return c >= 0 && c < REFERRAL_N_CHANNEL ? channel_words[c] : "?"; }

/* The index of s among codes by folded key ("Réalisée" = "realisee"), or -1. */
static int parse_word(const char *s, const char *const *codes, int n)
{
	char *key = text_norm_dup(s);
	int i, found = -1;
	for (i = 0; i < n && found < 0; i++) {
		char *c = text_norm_dup(codes[i]);
		if (!strcmp(key, c))
			found = i;
		free(c);
	}
	free(key);
	return found;
}

int referral_status_parse(const char *s) { return parse_word(s, status_codes, REFERRAL_N_STATUS); }
int referral_channel_parse(const char *s) { return parse_word(s, channel_codes, REFERRAL_N_CHANNEL); }

static int status_from_code(const char *code)
{
	int i;
	for (i = 0; code && i < REFERRAL_N_STATUS; i++)
		if (!strcmp(code, status_codes[i]))
			return i;
	return -1;
}

static int channel_from_code(const char *code)
{
	int i;
	for (i = 0; code && i < REFERRAL_N_CHANNEL; i++)
		if (!strcmp(code, channel_codes[i]))
			return i;
	return -1;
}

bool referral_status_allowed(int from, int to)
{
	switch (from) {
	case REFERRAL_PROPOSEE:
		return to != REFERRAL_PROPOSEE && to >= 0 && to < REFERRAL_N_STATUS;
	case REFERRAL_PRISE_EN_CHARGE:
		return to == REFERRAL_REALISEE || to == REFERRAL_SANS_SOLUTION || to == REFERRAL_REFUSEE;
	default:
		return false; /* réalisée, sans solution, refusée are final */
	}
}

bool referral_date_ok(const char *s)
{
	int y, m, d;
	return date_parse_ymd(s, &y, &m, &d) && y >= 1900;
}

/* Refuses a note that looks like personal data: 1 (qfq_error), else 0. */
static int check_note(const char *note)
{
	time_t now = time(NULL);
	struct tm tm;
	size_t at = 0, len = 0;
	enum privacy_kind k;
	if (!note)
		return 0;
	localtime_r(&now, &tm);
	k = privacy_check(note, tm.tm_year + 1900, &at, &len);
	if (k == PRIVACY_OK)
		return 0;
	qfq_error(_("the note is refused, %s (\"%.*s\"): a referral never holds who was referred"),
		  privacy_reason(k), (int)len, note + at);
	return 1;
}

static void bind_id(sqlite3_stmt *st, int i, sqlite3_int64 id)
{
	if (id)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

static int add_event(sqlite3 *db, sqlite3_int64 id, const char *at, int status, sqlite3_int64 by_person,
		     sqlite3_int64 by_structure, const char *note)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "INSERT INTO referral_history(referral_id, at, status, by_person_id, by_structure_id, note) "
			   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, status_codes[status], -1, SQLITE_STATIC);
	bind_id(st, 4, by_person);
	bind_id(st, 5, by_structure);
	sqlite3_bind_text(st, 6, note, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "referral_history");
}

int referral_add(sqlite3 *db, const struct referral_new *r, sqlite3_int64 *id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (check_note(r->note))
		return 1;
	if (db_begin(db))
		return -1;
	if (db_prepare(db, "INSERT INTO referrals(date, from_structure_id, from_person_id, to_structure_id, "
			   "to_person_id, theme_id, channel, status, status_date, from_commune, to_commune, "
			   "parent_id, urgent, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'proposee', ?1, "
			   "(SELECT code_insee FROM structures WHERE id = ?2), "
			   "(SELECT code_insee FROM structures WHERE id = ?4), ?8, ?9, ?10)", &st))
		goto fail;
	sqlite3_bind_text(st, 1, r->date, -1, SQLITE_STATIC);
	bind_id(st, 2, r->from_structure);
	bind_id(st, 3, r->from_person);
	bind_id(st, 4, r->to_structure);
	bind_id(st, 5, r->to_person);
	bind_id(st, 6, r->theme_id);
	sqlite3_bind_text(st, 7, referral_channel_code(r->channel), -1, SQLITE_STATIC);
	bind_id(st, 8, r->parent_id);
	sqlite3_bind_int(st, 9, r->urgent);
	sqlite3_bind_text(st, 10, r->note, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_error(db, "referrals");
		goto fail;
	}
	*id = sqlite3_last_insert_rowid(db);
	if (add_event(db, *id, r->date, REFERRAL_PROPOSEE, r->from_person, r->from_structure, NULL) ||
	    db_audit(db, "insert", "referrals", *id, NULL) || db_commit(db))
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int referral_set_status(sqlite3 *db, sqlite3_int64 id, int status, const char *date,
			sqlite3_int64 by_person, sqlite3_int64 by_structure, const char *note)
{
	sqlite3_stmt *st = NULL;
	int rc, cur;
	char *since = NULL;

	if (check_note(note))
		return 1;
	if (db_begin(db))
		return -1;
	if (db_prepare(db, "SELECT status, date FROM referrals WHERE id = ?1", &st))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		db_rollback(db);
		if (rc != SQLITE_DONE)
			return db_error(db, "referrals");
		qfq_error(_("no referral %lld"), (long long)id);
		return 1;
	}
	cur = status_from_code((const char *)sqlite3_column_text(st, 0));
	since = db_column_dup(st, 1);
	sqlite3_finalize(st);
	if (!referral_status_allowed(cur, status)) {
		qfq_error(_("referral %lld is \"%s\": it cannot become \"%s\""), (long long)id,
			  referral_status_word(cur), referral_status_word(status));
		goto refused;
	}
	if (since && strcmp(date, since) < 0) {
		qfq_error(_("%s is before the referral (%s)"), date, since);
		goto refused;
	}
	if (db_prepare(db, "UPDATE referrals SET status = ?2, status_date = ?3 WHERE id = ?1", &st))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, status_codes[status], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, date, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		db_error(db, "referrals");
		goto fail;
	}
	if (add_event(db, id, date, status, by_person, by_structure, note) ||
	    db_audit(db, "update", "referrals", id, status_codes[status]) || db_commit(db))
		goto fail;
	free(since);
	return 0;
refused:
	free(since);
	db_rollback(db);
	return 1;
fail:
	free(since);
	db_rollback(db);
	return -1;
}

/* ---- reading ------------------------------------------------------------ */

#define REFERRAL_COLUMNS \
	"SELECT r.id, r.parent_id, r.date, r.status_date, r.from_structure_id, r.to_structure_id, " \
	"sf.nom, st.nom, cf.nom, ct.nom, trim(coalesce(p.prenom || ' ', '') || p.nom), t.label, " \
	"r.status, r.channel, r.urgent, r.note, r.theme_id, r.from_person_id FROM referrals r " \
	"LEFT JOIN structures sf ON sf.id = r.from_structure_id " \
	"LEFT JOIN structures st ON st.id = r.to_structure_id " \
	"LEFT JOIN communes cf ON cf.code_insee = r.from_commune " \
	"LEFT JOIN communes ct ON ct.code_insee = r.to_commune " \
	"LEFT JOIN persons p ON p.id = r.from_person_id " \
	"LEFT JOIN themes t ON t.id = r.theme_id "

static void read_row(sqlite3_stmt *st, struct referral *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->parent_id = sqlite3_column_int64(st, 1);
	r->date = db_column_dup(st, 2);
	r->status_date = db_column_dup(st, 3);
	r->from_id = sqlite3_column_int64(st, 4);
	r->to_id = sqlite3_column_int64(st, 5);
	r->from_nom = db_column_dup(st, 6);
	r->to_nom = db_column_dup(st, 7);
	r->from_commune = db_column_dup(st, 8);
	r->to_commune = db_column_dup(st, 9);
	r->by_nom = db_column_dup(st, 10);
	r->theme = db_column_dup(st, 11);
	r->status = status_from_code((const char *)sqlite3_column_text(st, 12));
	r->channel = channel_from_code((const char *)sqlite3_column_text(st, 13));
	r->urgent = sqlite3_column_int(st, 14) != 0;
	r->note = db_column_dup(st, 15);
	r->theme_id = sqlite3_column_int64(st, 16);
	r->from_person_id = sqlite3_column_int64(st, 17);
}

static void list_push(struct referral_list *l, sqlite3_stmt *st)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 16;
		l->v = xrealloc(l->v, l->alloc * sizeof(*l->v));
	}
	read_row(st, &l->v[l->n++]);
}

static int read_all(sqlite3 *db, sqlite3_stmt *st, struct referral_list *out)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		list_push(out, st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "referrals");
}

int referral_list(sqlite3 *db, const struct referral_filter *f, struct referral_list *out)
{
	sqlite3_stmt *st;
	if (db_prepare(db, REFERRAL_COLUMNS
		       "WHERE (?1 IS NULL OR r.from_structure_id = ?1) AND (?2 IS NULL OR r.to_structure_id = ?2) "
		       "AND (?3 IS NULL OR r.theme_id IN (SELECT value FROM json_each(?3))) "
		       "AND (?4 IS NULL OR r.status = ?4) AND (?5 IS NULL OR r.date >= ?5) "
		       "AND (?6 IS NULL OR r.date <= ?6) ORDER BY r.date DESC, r.id DESC", &st))
		return -1;
	bind_id(st, 1, f->from);
	bind_id(st, 2, f->to);
	sqlite3_bind_text(st, 3, f->theme_ids, -1, SQLITE_STATIC);
	if (f->status >= 0)
		sqlite3_bind_text(st, 4, referral_status_code(f->status), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, f->since, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, f->until, -1, SQLITE_STATIC);
	return read_all(db, st, out);
}

int referral_get(sqlite3 *db, sqlite3_int64 id, struct referral *out)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, REFERRAL_COLUMNS "WHERE r.id = ?1", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_row(st, out);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_error(db, "referrals");
}

/*
 * The chain: up the parents to the first referral, then down every
 * continuation, in the order they were made (depth first by id).
 */
int referral_chain(sqlite3 *db, sqlite3_int64 id, struct referral_list *out)
{
	sqlite3_stmt *st;
	if (db_prepare(db, "WITH RECURSIVE up(id, parent) AS (SELECT id, parent_id FROM referrals WHERE id = ?1 "
		       "UNION SELECT r.id, r.parent_id FROM referrals r JOIN up ON r.id = up.parent), "
		       "root(id) AS (SELECT id FROM up WHERE parent IS NULL OR parent NOT IN (SELECT id FROM referrals)), "
		       "down(id, depth, path) AS (SELECT id, 0, printf('%012d', id) FROM root "
		       "UNION ALL SELECT r.id, down.depth + 1, down.path || printf('/%012d', r.id) "
		       "FROM referrals r JOIN down ON r.parent_id = down.id WHERE down.depth < 100) "
		       REFERRAL_COLUMNS "JOIN down ON down.id = r.id ORDER BY down.path", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return read_all(db, st, out);
}

int referral_history(sqlite3 *db, sqlite3_int64 id, struct referral_events *out)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT h.at, h.status, nullif(trim(coalesce(coalesce(p.prenom || ' ', '') || p.nom, '') "
		       "|| coalesce(CASE WHEN p.id IS NULL THEN s.nom ELSE ' (' || s.nom || ')' END, '')), ''), h.note "
		       "FROM referral_history h LEFT JOIN persons p ON p.id = h.by_person_id "
		       "LEFT JOIN structures s ON s.id = h.by_structure_id WHERE h.referral_id = ?1 ORDER BY h.id", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct referral_event *e;
		if (out->n == out->alloc) {
			out->alloc = out->alloc ? 2 * out->alloc : 8;
			out->v = xrealloc(out->v, out->alloc * sizeof(*out->v));
		}
		e = &out->v[out->n++];
		e->at = db_column_dup(st, 0);
		e->status = status_from_code((const char *)sqlite3_column_text(st, 1));
		e->by = db_column_dup(st, 2);
		e->note = db_column_dup(st, 3);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "referral_history");
}

void referral_clear(struct referral *r)
{
	free(r->date);
	free(r->status_date);
	free(r->from_nom);
	free(r->to_nom);
	free(r->from_commune);
	free(r->to_commune);
	free(r->by_nom);
	free(r->theme);
	free(r->note);
	memset(r, 0, sizeof(*r));
}

void referral_list_clear(struct referral_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		referral_clear(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void referral_events_clear(struct referral_events *e)
{
	size_t i;
	for (i = 0; i < e->n; i++) {
		free(e->v[i].at);
		free(e->v[i].by);
		free(e->v[i].note);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

/* The first item of a '|'-joined field (malloc'd), or NULL. */
static char *first_item(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	size_t n;
	if (!s || !*s)
		return NULL;
	n = strcspn(s, "|");
	return n ? xstrndup(s, n) : NULL;
}

int referral_contact(sqlite3 *db, sqlite3_int64 person, sqlite3_int64 structure, struct referral_contact *out)
{
	sqlite3_stmt *st;
	int rc;
	memset(out, 0, sizeof(*out));
	if (db_prepare(db, "SELECT (SELECT trim(coalesce(prenom || ' ', '') || nom) FROM persons WHERE id = ?1), "
		       "(SELECT telephones FROM persons WHERE id = ?1), (SELECT courriels FROM persons WHERE id = ?1), "
		       "(SELECT nom FROM structures WHERE id = ?2), (SELECT telephone FROM structures WHERE id = ?2), "
		       "(SELECT courriels FROM structures WHERE id = ?2)", &st))
		return -1;
	sqlite3_bind_int64(st, 1, person);
	sqlite3_bind_int64(st, 2, structure);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->person = db_column_dup(st, 0);
		out->phone = first_item(st, 1);
		out->email = first_item(st, 2);
		out->structure = db_column_dup(st, 3);
		if (!out->phone)
			out->phone = first_item(st, 4);
		if (!out->email)
			out->email = first_item(st, 5);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(db, "referrals");
}

void referral_contact_clear(struct referral_contact *c)
{
	free(c->person);
	free(c->structure);
	free(c->phone);
	free(c->email);
	memset(c, 0, sizeof(*c));
}
