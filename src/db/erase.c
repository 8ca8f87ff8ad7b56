/*
 * erase: a person erased from every table, free text and the history, and
 * the -wal emptied afterwards (see erase.h).
 */
#include "db/erase.h"
#include "db/db.h"
#include "db/history.h"
#include "db/merge.h"
#include "db/share.h"
#include "db/shareerase.h"
#include "db/structures.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void erase_needle_add(struct erase_needles *nd, const char *s, size_t len)
{
	size_t i;
	if (len < 3) /* too short to be identifying, and would wipe unrelated text */
		return;
	for (i = 0; i < nd->n; i++)
		if (strlen(nd->v[i]) == len && !memcmp(nd->v[i], s, len))
			return;
	XGROW(nd->v, nd->alloc, nd->n + 1);
	nd->v[nd->n] = xmalloc(len + 1);
	memcpy(nd->v[nd->n], s, len);
	nd->v[nd->n++][len] = '\0';
}

static void needle_addstr(struct erase_needles *nd, const char *s)
{
	if (s)
		erase_needle_add(nd, s, strlen(s));
}

void erase_needles_clear(struct erase_needles *nd)
{
	size_t i;
	for (i = 0; i < nd->n; i++)
		free(nd->v[i]);
	free(nd->v);
	memset(nd, 0, sizeof(*nd));
}

/* A phone as stored (+33475...) and as people write it (04 75 ..., 0475..., 04.75...). */
static void phone_forms(struct erase_needles *nd, const char *p, size_t len)
{
	struct strbuf s = STRBUF_INIT;
	char nat[16];
	size_t i;
	erase_needle_add(nd, p, len);
	if (len != 12 || strncmp(p, "+33", 3))
		return;
	nat[0] = '0';
	memcpy(nat + 1, p + 3, 9);
	nat[10] = '\0';
	needle_addstr(nd, nat);
	for (i = 0; i < 10; i += 2)
		strbuf_addf(&s, "%s%.2s", i ? " " : "", nat + i);
	needle_addstr(nd, s.buf);
	strbuf_reset(&s);
	for (i = 0; i < 10; i += 2)
		strbuf_addf(&s, "%s%.2s", i ? "." : "", nat + i);
	needle_addstr(nd, s.buf);
	strbuf_release(&s);
}

/* Each item of a '|' list. */
static void list_forms(struct erase_needles *nd, const char *list, bool phones)
{
	while (list && *list) {
		size_t l = strcspn(list, "|");
		if (phones)
			phone_forms(nd, list, l);
		else
			erase_needle_add(nd, list, l);
		list += l + (list[l] == '|');
	}
}

/*
 * The person's identifying strings: full = the name in both orders, the
 * emails and phones (for free text); all = full plus the family and given
 * names alone (for the history's command lines and values).
 */
static int collect(sqlite3 *db, sqlite3_int64 id, struct erase_needles *full, struct erase_needles *all)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "SELECT nom, prenom, courriels, telephones FROM persons WHERE id = ?1", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *nom = (const char *)sqlite3_column_text(st, 0);
		const char *prenom = (const char *)sqlite3_column_text(st, 1);
		struct strbuf s = STRBUF_INIT;
		if (prenom) {
			strbuf_addf(&s, "%s %s", prenom, nom);
			needle_addstr(full, s.buf);
			strbuf_reset(&s);
			strbuf_addf(&s, "%s %s", nom, prenom);
			needle_addstr(full, s.buf);
		}
		strbuf_release(&s);
		list_forms(full, (const char *)sqlite3_column_text(st, 2), false);
		list_forms(full, (const char *)sqlite3_column_text(st, 3), true);
		for (size_t i = 0; i < full->n; i++)
			needle_addstr(all, full->v[i]);
		needle_addstr(all, nom);
		needle_addstr(all, prenom);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : db_error(db, "persons");
}

static long count(sqlite3 *db, const char *sql, sqlite3_int64 id)
{
	sqlite3_stmt *st;
	long n = 0;
	if (db_prepare(db, sql, &st))
		return 0;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/*
 * Removes every needle from the free-text columns of structures, events and
 * permanences (not from a structure's own phone or emails, which are the
 * place's contact even when a person answers them).
 */
static const char *const text_cols[][2] = {
	{ "structures", "presentation_resume" }, { "structures", "presentation_detail" },
	{ "structures", "tags" }, { "structures", "complement_adresse" },
	{ "permanences", "description" }, { "permanences", "lieu" }, { "events", "lieu" },
};

bool erase_text_col(const char *table, const char *col)
{
	size_t i;
	for (i = 0; i < sizeof(text_cols) / sizeof(*text_cols); i++)
		if (!strcmp(text_cols[i][0], table) && !strcmp(text_cols[i][1], col))
			return true;
	return false;
}

const char *erase_text_column(size_t i, const char **table)
{
	if (i >= sizeof(text_cols) / sizeof(*text_cols))
		return NULL;
	*table = text_cols[i][0];
	return text_cols[i][1];
}

static int scrub_text(sqlite3 *db, const struct erase_needles *nd, long *mentions)
{
	const char *const(*cols)[2] = text_cols;
	size_t i, k;
	for (k = 0; k < nd->n; k++)
		for (i = 0; i < sizeof(text_cols) / sizeof(*text_cols); i++) {
			char *sql = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = nullif(trim(replace(\"%w\", ?1, ''), ' |,'), '') "
						    "WHERE instr(\"%w\", ?1) RETURNING %s",
						    cols[i][0], cols[i][1], cols[i][1], cols[i][1],
						    strcmp(cols[i][0], "structures") ? "NULL" : "id");
			sqlite3_stmt *st;
			int rc = db_prepare(db, sql, &st);
			sqlite3_free(sql);
			if (rc)
				return -1;
			sqlite3_bind_text(st, 1, nd->v[k], -1, SQLITE_STATIC);
			while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
				(*mentions)++;
				if (sqlite3_column_type(st, 0) != SQLITE_NULL && structure_reindex(db, sqlite3_column_int64(st, 0))) {
					sqlite3_finalize(st);
					return -1;
				}
			}
			sqlite3_finalize(st);
			if (rc != SQLITE_DONE)
				return db_error(db, _("erase"));
		}
	return 0;
}

int person_forget(sqlite3 *db, sqlite3_int64 id, struct forget_report *rep)
{
	struct erase_needles full = { NULL, 0, 0 }, all = { NULL, 0, 0 };
	struct strbuf forms = STRBUF_INIT;
	int rc;
	memset(rep, 0, sizeof(*rep));
	history_set_private(db);
	rc = collect(db, id, &full, &all);
	if (rc <= 0)
		goto done;
	rep->memberships = count(db, "SELECT count(*) FROM memberships WHERE person_id = ?1", id);
	rep->attendance = count(db, "SELECT count(*) FROM attendance WHERE person_id = ?1", id);
	rep->competences = count(db, "SELECT count(*) FROM person_themes WHERE person_id = ?1", id);
	/*
	 * the erasure for the other copies, with the salted hashes of the
	 * mentions free text may hold (so that a copy that never knew the name
	 * finds it), and this copy's changesets cleaned (issue 15)
	 */
	share_erased_forms((const char *const *)full.v, (int)full.n, &forms);
	if (share_erase(db, id, forms.buf, (int)forms.len) || share_erased_add(db, id, forms.buf, (int)forms.len) ||
	    person_erase(db, id) < 0 || scrub_text(db, &full, &rep->mentions) ||
	    history_forget(db, id, (const char *const *)all.v, (int)all.n) ||
	    share_forget_text(db, (const char *const *)all.v, (int)all.n, (const char *const *)full.v, (int)full.n) ||
	    share_erased_text(db, (const char *const *)all.v, (int)all.n))
		rc = -1;
	/* old copies of the rows in the full-text index's segments are merged away */
	if (rc > 0 && rep->mentions && db_exec(db, "INSERT INTO structures_fts(structures_fts) VALUES ('optimize')"))
		rc = -1;
done:
	strbuf_release(&forms);
	erase_needles_clear(&full);
	erase_needles_clear(&all);
	return rc;
}

int person_forget_text(sqlite3 *db, const char *const *needles, int n, long *mentions)
{
	struct erase_needles nd = { (char **)needles, (size_t)n, (size_t)n };
	*mentions = 0;
	/* person 0: no person's rows, only the values and command lines holding the needles */
	if (!n || scrub_text(db, &nd, mentions) || history_forget(db, 0, needles, n) ||
	    share_forget_text(db, needles, n, needles, n) || share_erased_text(db, needles, n))
		return n ? -1 : 0;
	if (*mentions && db_exec(db, "INSERT INTO structures_fts(structures_fts) VALUES ('optimize')"))
		return -1;
	return 0;
}

/* The processes other than this one with path (or its -wal) open: "1234 (qfq), 5678 (sqlite3)". */
static void find_holders(const char *path, struct strbuf *out)
{
	char real[PATH_MAX], wal[PATH_MAX + 8];
	DIR *proc = opendir("/proc");
	struct dirent *p;
	if (!proc || !realpath(path, real)) {
		if (proc)
			closedir(proc);
		return;
	}
	snprintf(wal, sizeof(wal), "%s-wal", real);
	while ((p = readdir(proc))) {
		char dir[300], link[PATH_MAX], comm[64] = "?";
		struct dirent *f;
		DIR *fds;
		bool holds = false;
		long pid = strtol(p->d_name, NULL, 10);
		if (pid <= 0 || pid == (long)getpid())
			continue;
		snprintf(dir, sizeof(dir), "/proc/%ld/fd", pid);
		if (!(fds = opendir(dir)))
			continue;
		while (!holds && (f = readdir(fds))) {
			char fd[600];
			ssize_t n;
			snprintf(fd, sizeof(fd), "%s/%s", dir, f->d_name);
			n = readlink(fd, link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = '\0';
			holds = !strcmp(link, real) || !strcmp(link, wal);
		}
		closedir(fds);
		if (holds) {
			FILE *fp;
			snprintf(dir, sizeof(dir), "/proc/%ld/comm", pid);
			if ((fp = fopen(dir, "r"))) {
				if (fgets(comm, sizeof(comm), fp))
					comm[strcspn(comm, "\n")] = '\0';
				fclose(fp);
			}
			strbuf_addf(out, "%s%ld (%s)", out->len ? ", " : "", pid, comm);
		}
	}
	closedir(proc);
}

int erase_wal(sqlite3 *db, const char *path, struct strbuf *holders)
{
	int log = -1, done = -1, rc;
	rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
	if (rc == SQLITE_OK)
		return 0;
	if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
		return db_error(db, _("checkpoint"));
	find_holders(path, holders);
	return 1;
}
