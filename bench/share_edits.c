/*
 * share_edits: the field work of one mediator's copy for bench/share-sim.sh
 * and bench/share-apply.sh (issue 15): EDITS edits on random structures and
 * persons of the copy, and REFERRALS referrals, each recorded then given a
 * later status.
 *
 *   share_edits [--each|--one] DB EDITS REFERRALS SEED [SQLFILE]
 *
 * Each edit and each referral step is its own change set of the history,
 * with its summary, captured for sharing (db/share.h) exactly as a `qfq
 * edit` records it, but all in ONE write transaction (the change sets are
 * cut with history_record / history_begin, as share_apply cuts them), so
 * that a copy's thousand edits take a second, not a thousand commits.
 * --each: a commit per change set, as separate `qfq edit` runs would (slow).
 * --one: the EDITS edits are ONE change set, each on a different structure
 * (structure i modulo their number): one big changeset for the apply bench.
 *
 * With SQLFILE, the edits' UPDATE statements are also written there, in one
 * transaction: the bare sqlite3 CLI's baseline for the apply benchmark.
 */
#include "db/db.h"
#include "db/history.h"
#include "db/structures.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum mode { BULK, EACH, ONE };
static enum mode mode;

static unsigned long long rng;
static FILE *sqlout; /* SQLFILE, or NULL */

static unsigned long next(unsigned long n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned long)((rng >> 33) % n);
}

static int exec_bind(sqlite3 *db, const char *sql, sqlite3_int64 a, sqlite3_int64 b, const char *text)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, sql, &st))
		return -1;
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	sqlite3_bind_text(st, 3, text, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "share_edits");
}

static sqlite3_int64 max_id(sqlite3 *db, const char *table)
{
	char sql[80];
	sqlite3_stmt *st;
	sqlite3_int64 v = 0;
	snprintf(sql, sizeof(sql), "SELECT max(id) FROM %s", table);
	if (!db_prepare(db, sql, &st) && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Opens a change set (a transaction of its own with --each). */
static int step_begin(sqlite3 *db)
{
	return mode == EACH ? db_begin(db) : 0;
}

/* Closes the change set begun by step_begin, with its summary. */
static int step_end(sqlite3 *db, const char *summary)
{
	history_set_summary(db, summary);
	if (mode == EACH)
		return db_commit(db);
	return history_record(db) || history_begin(db) ? -1 : 0;
}

/* One edit: a structure's phone, web site or summary, or a person's phone (--one: structures only). */
static int edit(sqlite3 *db, sqlite3_int64 ns, sqlite3_int64 np, long seed, long i)
{
	static const char *const cols[] = { "telephone", "site_web", "presentation_resume" };
	char sql[160], value[64];
	unsigned long k = next(mode == ONE ? 3 : 4);
	sqlite3_int64 id;
	if (k == 3) {
		id = 1 + (sqlite3_int64)next((unsigned long)np);
		snprintf(value, sizeof(value), "+336%08lu", next(100000000));
		if (sqlout)
			fprintf(sqlout, "UPDATE persons SET telephones = '%s' WHERE id = %lld;\n", value, (long long)id);
		return exec_bind(db, "UPDATE persons SET telephones = ?3 WHERE id = ?1", id, 0, value);
	}
	id = 1 + (mode == ONE ? (sqlite3_int64)(i % ns) : (sqlite3_int64)next((unsigned long)ns));
	snprintf(value, sizeof(value), k == 1 ? "https://copie%ld.example/%ld" : "valeur %ld-%ld", seed, i);
	snprintf(sql, sizeof(sql), "UPDATE structures SET %s = ?3, updated_at = ?2 WHERE id = ?1", cols[k]);
	if (sqlout)
		fprintf(sqlout, "UPDATE structures SET %s = '%s' WHERE id = %lld;\n", cols[k], value, (long long)id);
	if (exec_bind(db, sql, id, 0, value))
		return -1;
	return structure_reindex(db, id);
}

/* One referral as `qfq referral add` records it (and its first history row), then a later status. */
static int referral(sqlite3 *db, sqlite3_int64 ns)
{
	static const char *const status[] = { "prise_en_charge", "realisee", "sans_solution", "refusee" };
	sqlite3_int64 id, from = 1 + (sqlite3_int64)next((unsigned long)ns), to = 1 + (sqlite3_int64)next((unsigned long)ns);
	const char *st = status[next(4)];
	if (step_begin(db) ||
	    exec_bind(db, "INSERT INTO referrals(date, from_structure_id, to_structure_id, channel, status_date) "
			  "VALUES ('2025-03-01', ?1, ?2, 'physique', '2025-03-01')", from, to, NULL))
		return -1;
	id = sqlite3_last_insert_rowid(db); /* before the change set is recorded (it writes rows) */
	if (exec_bind(db, "INSERT INTO referral_history(referral_id, at, status, by_structure_id) "
			  "VALUES (?1, '2025-03-01', 'proposee', ?2)", id, from, NULL) ||
	    step_end(db, "orientation") || step_begin(db) ||
	    exec_bind(db, "UPDATE referrals SET status = ?3, status_date = '2025-03-08' WHERE id = ?1", id, 0, st) ||
	    exec_bind(db, "INSERT INTO referral_history(referral_id, at, status, by_structure_id) "
			  "VALUES (?1, '2025-03-08', ?3, ?2)", id, to, st) ||
	    step_end(db, "suivi de l'orientation"))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_int64 ns, np;
	long edits, refs, seed, i;
	if (argc > 1 && (!strcmp(argv[1], "--each") || !strcmp(argv[1], "--one"))) {
		mode = argv[1][2] == 'e' ? EACH : ONE;
		argv++;
		argc--;
	}
	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: share_edits [--each|--one] DB EDITS REFERRALS SEED [SQLFILE]\n");
		return 2;
	}
	if (argc == 6 && (!(sqlout = fopen(argv[5], "w")) || fputs("BEGIN;\n", sqlout) < 0)) {
		perror(argv[5]);
		return 1;
	}
	edits = atol(argv[2]);
	refs = atol(argv[3]);
	seed = atol(argv[4]);
	rng = (unsigned long long)seed * 2654435761ULL + 1;
	db_set_command("bench share_edits");
	if (db_open(argv[1], DB_WRITE, &db)) {
		fprintf(stderr, "share_edits: %s\n", qfq_error_msg());
		return 1;
	}
	ns = max_id(db, "structures");
	np = max_id(db, "persons");
	if (mode != EACH && db_begin(db))
		goto fail;
	for (i = 0; i < edits; i++)
		if (step_begin(db) || edit(db, ns, np, seed, i) || (mode != ONE && step_end(db, "modification")))
			goto fail;
	if (mode == ONE && edits && step_end(db, "modifications"))
		goto fail;
	for (i = 0; i < refs; i++)
		if (referral(db, ns))
			goto fail;
	if (mode != EACH && db_commit(db))
		goto fail;
	db_close(db);
	if (sqlout && (fputs("COMMIT;\n", sqlout) < 0 || fclose(sqlout)))
		return 1;
	return 0;
fail:
	fprintf(stderr, "share_edits: %s\n", qfq_error_msg());
	db_rollback(db);
	db_close(db);
	return 1;
}
