/*
 * review: open proposals, record descriptions, bulk rules and single
 * decisions for the merge desk (see review.h).
 */
#include "db/review.h"
#include "core/card.h"
#include "db/db.h"
#include "db/history.h"
#include "db/merge.h"
#include "db/records.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

int review_load(sqlite3 *db, struct review_item **out, size_t *n)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (db_prepare(db, "SELECT kind, a_id, b_id, reason FROM merge_proposals WHERE state = 'open' "
			   "ORDER BY kind DESC, a_id, b_id", &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct review_item *it;
		XGROW(*out, alloc, *n + 1);
		it = &(*out)[(*n)++];
		it->person = !strcmp((const char *)sqlite3_column_text(st, 0), "person");
		it->a = sqlite3_column_int64(st, 1);
		it->b = sqlite3_column_int64(st, 2);
		it->reason = sqlite3_column_text(st, 3) ? xstrdup((const char *)sqlite3_column_text(st, 3)) : NULL;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "merge_proposals");
}

void review_free(struct review_item *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i].reason);
	free(v);
}

static int describe_person(sqlite3 *db, sqlite3_int64 id, struct strbuf *sb)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT nom, prenom, courriels, telephones, "
			   "(SELECT group_concat(s.nom || ifnull(' — ' || m.role, ''), ', ') FROM memberships m "
			   "JOIN structures s ON s.id = m.structure_id WHERE m.person_id = p.id) "
			   "FROM persons p WHERE id = ?1", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		static const char *const labels[] = { N_("Nom"), N_("Prénom"), N_("Courriels"), N_("Téléphones"),
						      N_("Structures") };
		int i;
		for (i = 0; i < 5; i++)
			strbuf_addf(sb, "%s : %s\n", _(labels[i]),
				    sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : db_error(db, "persons");
}

int review_describe(sqlite3 *db, bool person, sqlite3_int64 id, struct strbuf *sb)
{
	struct card c;
	int rc;
	if (person)
		return describe_person(db, id, sb);
	memset(&c, 0, sizeof(c));
	rc = card_load(db, id, NULL, &c);
	if (rc == 1)
		card_format_text(&c, sb);
	card_clear(&c);
	return rc;
}

static const struct {
	const char *name, *label, *where;
} rules[RULE_COUNT] = {
	[RULE_SAME_NAME_COMMUNE] = { "same-name-commune", N_("même nom, même commune"),
				     "replace(a.nom_norm, ' ', '') = replace(b.nom_norm, ' ', '') "
				     "AND a.code_insee = b.code_insee" },
	[RULE_SAME_NAME] = { "same-name", N_("même nom"), "replace(a.nom_norm, ' ', '') = replace(b.nom_norm, ' ', '')" },
	[RULE_NEAR_NAME_COMMUNE] = { "near-name-commune", N_("nom proche, même commune"),
				     "a.code_insee = b.code_insee" },
};

const char *review_rule_name(enum review_rule r)
{
	return rules[r].name;
}

const char *review_rule_label(enum review_rule r)
{
	return _(rules[r].label);
}

int review_rule_parse(const char *s, enum review_rule *r)
{
	int i;
	for (i = 0; i < RULE_COUNT; i++)
		if (!strcmp(s, rules[i].name)) {
			*r = (enum review_rule)i;
			return 0;
		}
	return -1;
}

static int rule_prepare(sqlite3 *db, enum review_rule r, const char *what, sqlite3_stmt **st)
{
	char *sql = sqlite3_mprintf("SELECT %s FROM merge_proposals m JOIN structures a ON a.id = m.a_id "
				    "JOIN structures b ON b.id = m.b_id WHERE m.kind = 'structure' "
				    "AND m.state = 'open' AND %s", what, rules[r].where);
	int rc = db_prepare(db, sql, st);
	sqlite3_free(sql);
	return rc;
}

int review_rule_count(sqlite3 *db, enum review_rule r, long *n)
{
	sqlite3_stmt *st;
	int rc;
	if (rule_prepare(db, r, "count(*)", &st))
		return -1;
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(db, "merge_proposals");
}

int review_rule_apply(sqlite3 *db, enum review_rule r, long *merged)
{
	sqlite3_stmt *st;
	sqlite3_int64 *pairs = NULL;
	size_t n = 0, alloc = 0, i;
	int rc = 0;
	*merged = 0;
	if (rule_prepare(db, r, "m.a_id, m.b_id", &st))
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		XGROW(pairs, alloc, n + 2);
		pairs[n++] = sqlite3_column_int64(st, 0);
		pairs[n++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	for (i = 0; i < n && !rc; i += 2) {
		struct strbuf s = STRBUF_INIT;
		/* an earlier merge of the batch may have taken one of them already */
		bool both = record_name(db, RECORD_STRUCTURE, pairs[i], &s) == 1 &&
			    record_name(db, RECORD_STRUCTURE, pairs[i + 1], &s) == 1;
		strbuf_release(&s);
		if (!both)
			continue;
		rc = merge_structures(db, pairs[i], pairs[i + 1]);
		if (!rc)
			(*merged)++;
	}
	free(pairs);
	return rc;
}

int review_rule_accept(sqlite3 *db, enum review_rule r, long *merged)
{
	struct strbuf summary = STRBUF_INIT;
	int rc;
	if (db_begin(db))
		return -1;
	rc = review_rule_apply(db, r, merged);
	if (!rc) {
		strbuf_addf(&summary, _("règle « %s » : %ld fusion(s)"), review_rule_label(r), *merged);
		history_set_summary(db, summary.buf);
		rc = db_commit(db);
	}
	if (rc)
		db_rollback(db);
	strbuf_release(&summary);
	return rc;
}

static int decide(sqlite3 *db, bool person, sqlite3_int64 a, sqlite3_int64 b, bool reject)
{
	enum record_kind kind = person ? RECORD_PERSON : RECORD_STRUCTURE;
	struct strbuf na = STRBUF_INIT, nb = STRBUF_INIT, summary = STRBUF_INIT;
	int rc = -1;
	if (db_begin(db))
		return -1;
	if (record_name(db, kind, a, &na) != 1 || record_name(db, kind, b, &nb) != 1) {
		qfq_error(_("one of the two records is gone"));
		goto done;
	}
	if (reject)
		strbuf_addf(&summary, _("« %s » et « %s » : pas des doublons"), na.buf, nb.buf);
	else
		strbuf_addf(&summary, _("« %s » fusionnée dans « %s »"), nb.buf, na.buf);
	history_set_summary(db, summary.buf);
	if (reject)
		rc = merge_reject(db, person ? MERGE_PERSON : MERGE_STRUCTURE, a, b);
	else
		rc = person ? merge_persons(db, a, b) : merge_structures(db, a, b);
	if (!rc)
		rc = db_commit(db);
done:
	if (rc)
		db_rollback(db);
	strbuf_release(&na);
	strbuf_release(&nb);
	strbuf_release(&summary);
	return rc;
}

int review_merge(sqlite3 *db, bool person, sqlite3_int64 keep, sqlite3_int64 other)
{
	return decide(db, person, keep, other, false);
}

int review_reject(sqlite3 *db, bool person, sqlite3_int64 a, sqlite3_int64 b)
{
	return decide(db, person, a, b, true);
}
