/*
 * test_share: the changeset writer against SQLite's own changesets (byte
 * for byte), and a referral travelling between two copies without its
 * person: created, its status changed, the person who referred erased.
 */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "db/changeset.h"
#include "db/db.h"
#include "db/erase.h"
#include "db/share.h"
#include "tap.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A session changeset of inserts, updates and deletes of every value type, rewritten row by row. */
static void codec_round_trip(void)
{
	sqlite3 *db;
	sqlite3_session *ses;
	sqlite3_changeset_iter *it;
	struct strbuf out = STRBUF_INIT;
	struct cslast last = { "" };
	struct csrow r;
	void *blob;
	int n, rows = 0;

	sqlite3_open(":memory:", &db);
	sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b REAL, c BLOB, d INTEGER);"
			 "CREATE TABLE u(x TEXT, y INTEGER, z, PRIMARY KEY (y, x)) WITHOUT ROWID;"
			 "INSERT INTO t VALUES (1, 'un', 1.5, x'00ff', NULL), (2, 'deux', -2.25, NULL, 7);"
			 "INSERT INTO u VALUES ('k', 1, 'v')", NULL, NULL, NULL);
	sqlite3session_create(db, "main", &ses);
	sqlite3session_attach(ses, NULL);
	sqlite3_exec(db, "INSERT INTO t VALUES (3, 'trois é', 3e300, x'0102030405', -9223372036854775807);"
			 "UPDATE t SET a = 'UN', d = 42 WHERE id = 1; DELETE FROM t WHERE id = 2;"
			 "INSERT INTO u VALUES ('long', 2, zeroblob(300)); UPDATE u SET z = 5 WHERE x = 'k'",
		     NULL, NULL, NULL);
	ok(sqlite3session_changeset(ses, &n, &blob) == SQLITE_OK && n > 0, "SQLite gives a changeset");
	sqlite3changeset_start(&it, n, blob);
	while (sqlite3changeset_next(it) == SQLITE_ROW && !csrow_read(it, &r)) {
		csrow_write(&out, &r, &last);
		rows++;
	}
	sqlite3changeset_finalize(it);
	is_int(rows, 5, "every row read");
	is_int((long long)out.len, n, "the rewritten changeset has the same length");
	ok(out.len == (size_t)n && !memcmp(out.buf, blob, (size_t)n), "and the same bytes as SQLite's");
	sqlite3_free(blob);
	sqlite3session_delete(ses);
	sqlite3_close(db);
	strbuf_release(&out);
}

static sqlite3_int64 one_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	sqlite3_int64 v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -2 : sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Everything a has made that b has not applied yet. */
static int carry(sqlite3 *a, sqlite3 *b, struct share_report *rep)
{
	struct share_entry *v;
	size_t n;
	int rc;
	if (share_own_entries(a, 0, &v, &n))
		return -1;
	rc = db_begin(b) || share_apply(b, v, n, rep) || db_commit(b) ? -1 : 0;
	share_entries_free(v, n);
	return rc;
}

static void referral_travels(void)
{
	char pa[] = "/tmp/qfq-share-a-XXXXXX", pb[] = "/tmp/qfq-share-b-XXXXXX";
	struct share_report rep;
	struct forget_report fr;
	sqlite3 *a, *b;
	sqlite3_int64 pid;
	close(mkstemp(pa));
	close(mkstemp(pb));
	unlink(pa);
	unlink(pb);
	if (!ok(!db_open(pa, DB_CREATE, &a) && !db_open(pb, DB_CREATE, &b), "two copies created")) {
		printf("# %s\n", qfq_error_msg());
		return;
	}
	ok(!db_begin(a) &&
		   !db_exec(a, "INSERT INTO structures(nom, nom_norm) VALUES ('Mairie', 'mairie'), ('CCAS', 'ccas');"
			       "INSERT INTO persons(nom, prenom, name_key) VALUES ('Durand', 'Aline', 'aline durand');"
			       "INSERT INTO referrals(date, status_date, from_structure_id, from_person_id, to_structure_id, channel) "
			       "VALUES ('2025-03-01', '2025-03-01', 1, 1, 2, 'telephone')") &&
		   !db_commit(a),
	   "a records a referral");
	ok(!carry(a, b, &rep), "b applies a's change sets");
	is_int(one_int(b, "SELECT count(*) FROM referrals r JOIN structures f ON f.id = r.from_structure_id "
			  "JOIN structures t ON t.id = r.to_structure_id WHERE f.nom = 'Mairie' AND t.nom = 'CCAS' "
			  "AND r.channel = 'telephone'"),
	       1, "the referral is on b, between the same structures");
	ok(!db_begin(a) && !db_exec(a, "UPDATE referrals SET status = 'realisee'") && !db_commit(a),
	   "a changes its status");
	ok(!carry(a, b, &rep), "b applies it");
	is_int(one_int(b, "SELECT count(*) FROM referrals WHERE status = 'realisee'"), 1, "the status travelled");
	pid = one_int(a, "SELECT id FROM persons WHERE nom = 'Durand'");
	ok(!db_begin(a) && person_forget(a, pid, &fr) == 1 && !db_commit(a), "a erases the person who referred");
	ok(!carry(a, b, &rep), "b applies the erasure");
	is_int(one_int(b, "SELECT count(*) FROM persons"), 0, "the person is gone from b");
	is_int(one_int(b, "SELECT from_person_id FROM referrals"), -2, "the referral stays, without its person");
	is_int(one_int(b, "SELECT count(*) FROM share_changes WHERE instr(data, 'Durand')"), 0,
	       "b keeps no changeset with the name");
	is_int(one_int(a, "SELECT count(*) FROM share_changes WHERE instr(data, 'Durand')"), 0,
	       "nor does a");
	ok(!carry(a, b, &rep) && rep.applied == 0 && rep.already > 0, "applying again applies nothing");
	db_close(a);
	db_close(b);
	unlink(pa);
	unlink(pb);
}

int main(void)
{
	codec_round_trip();
	referral_travels();
	return tap_done();
}
