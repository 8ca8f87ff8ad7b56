/*
 * sharesync: syncing with a shared folder (see sharesync.h).
 */
#include "db/sharesync.h"
#include "db/db.h"
#include "db/shareerase.h"
#include "db/sharefile.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The page cache of an apply, in KiB (share_apply_entries says why). */
enum { APPLY_CACHE_KIB = 65536 };

/* The other copies' names, as their entries give them. */
static int remember_copies(sqlite3 *db, const struct share_entry *v, size_t n)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = SQLITE_DONE;
	if (db_prepare(db, "INSERT OR REPLACE INTO share_copies(copy, name) VALUES (?1, ?2)", &st))
		return -1;
	for (i = 0; i < n && rc == SQLITE_DONE; i++) {
		if (!v[i].copy_name || !*v[i].copy_name || (i && !strcmp(v[i].copy, v[i - 1].copy)))
			continue;
		sqlite3_bind_text(st, 1, v[i].copy, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, v[i].copy_name, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, _("share"));
}

/*
 * The page cache of the connection, in kibibytes as PRAGMA cache_size takes
 * them (negative); 0 when it cannot be read.
 */
static int cache_kib(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = 0;
	if (db_prepare(db, "PRAGMA cache_size", &st))
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void set_cache(sqlite3 *db, int v)
{
	char sql[48];
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %d", v);
	sqlite3_exec(db, sql, NULL, NULL, NULL); /* a hint: the apply works without it */
}

int share_apply_entries(sqlite3 *db, struct share_entry *v, size_t n, struct share_sync_report *rep)
{
	int cache = cache_kib(db), rc = 0;
	/*
	 * An apply dirties pages all over the file (the structures edited, their
	 * stamps, the history): with the default 2 MB cache it reads each page
	 * three times and writes spilled pages to the log before the commit
	 * writes them again (10,000 edits on 10,000 structures, a 36 MB file:
	 * 29,000 reads, 25,000 writes; with 32 MB: 9,300 and 19,700; with
	 * 64 MB, the whole file held: 9,200 and 16,000).
	 */
	if (cache && cache > -APPLY_CACHE_KIB)
		set_cache(db, -APPLY_CACHE_KIB);
	if (db_begin(db))
		rc = -1;
	else if (remember_copies(db, v, n) || share_erased_filter(db, v, n, &rep->erased) ||
		 share_apply(db, v, n, &rep->apply) || db_commit(db)) {
		db_rollback(db);
		rc = -1;
	} else
		rep->apply.dropped += rep->erased;
	if (cache && cache > -APPLY_CACHE_KIB)
		set_cache(db, cache);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The share files of dir, sorted (malloc'd names). */
static int list_dir(const char *dir, char ***out, size_t *nout)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, alloc = 0;
	*out = NULL;
	*nout = 0;
	if (!d)
		return qfq_error(_("cannot read folder \"%s\": %s"), dir, strerror(errno));
	while ((e = readdir(d))) {
		char copy[33];
		long long last;
		if (!sharefile_parse_name(e->d_name, copy, &last))
			continue;
		XGROW(v, alloc, n + 1);
		v[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	*out = v;
	*nout = n;
	return 0;
}

static void free_names(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The entry of own[0..n) (sorted by seq) with sequence seq, or NULL. */
static const struct share_entry *find_seq(const struct share_entry *own, size_t n, sqlite3_int64 seq)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (own[mid].seq == seq)
			return &own[mid];
		if (own[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static bool same_entry(const struct share_entry *a, const struct share_entry *b)
{
	const char *sa = a->summary ? a->summary : "", *sb = b->summary ? b->summary : "";
	return a->n == b->n && !strcmp(sa, sb) && (!a->n || !memcmp(a->data, b->data, (size_t)a->n));
}

/*
 * Rewrites path (one of this copy's files) when the change sets kept here
 * differ from its own: scrubbed since it was written. 1 rewritten, 0 as is, -1.
 */
static int rewrite_one(const char *path, const char *copy, const char *name, const struct share_entry *own,
		       size_t nown)
{
	struct share_entry *v = NULL, *fresh;
	size_t n = 0, alloc = 0, i;
	bool differs = false;
	int rc;
	if (sharefile_read(path, &v, &n, &alloc)) {
		share_entries_free(v, n);
		return -1;
	}
	fresh = xcalloc(n ? n : 1, sizeof(*fresh));
	for (i = 0; i < n; i++) {
		const struct share_entry *k = find_seq(own, nown, v[i].seq);
		/* an entry this copy no longer keeps (a restored backup) stays as it was */
		fresh[i] = k ? *k : v[i];
		if (k && !same_entry(k, &v[i]))
			differs = true;
	}
	rc = differs ? sharefile_write(path, copy, name, fresh, n) : 0;
	free(fresh); /* its entries belong to own and v */
	share_entries_free(v, n);
	return rc < 0 ? -1 : differs;
}

/*
 * Whether this copy's files in dir must be compared with its change sets:
 * an erasure (meta share_erasures, counted by share_erased_add) since the
 * last pass over this folder (meta "share_rewritten DIR"). *key, *count:
 * what to record once the pass is done (malloc'd).
 */
static bool rewrite_due(sqlite3 *db, const char *dir, char **key, char **count)
{
	struct strbuf sb = STRBUF_INIT;
	char *real = realpath(dir, NULL), *done;
	bool due;
	strbuf_addf(&sb, "share_rewritten %s", real ? real : dir);
	free(real);
	*key = strbuf_detach(&sb, NULL);
	*count = db_meta_get(db, "share_erasures");
	done = db_meta_get(db, *key);
	due = *count && (!done || strcmp(done, *count));
	free(done);
	return due;
}

/* This copy's side of a sync: its files rewritten where needed, its new change sets written. */
static int sync_out(sqlite3 *db, const char *dir, char **files, size_t nfiles, struct share_sync_report *rep)
{
	struct share_entry *own = NULL;
	char copy[33], *name = NULL, *path, *key, *count;
	long long given = 0;
	size_t nown = 0, i, first;
	bool due = rewrite_due(db, dir, &key, &count);
	int rc = share_copy(db, copy, &name) || share_own_entries(db, 0, &own, &nown) ? -1 : 0;
	for (i = 0; i < nfiles && !rc; i++) {
		char c[33];
		long long last;
		struct strbuf p = STRBUF_INIT;
		int k;
		if (!sharefile_parse_name(files[i], c, &last) || strcmp(c, copy))
			continue;
		if (last > given)
			given = last;
		if (!due)
			continue;
		strbuf_addf(&p, "%s/%s", dir, files[i]);
		k = rewrite_one(p.buf, copy, name, own, nown);
		strbuf_release(&p);
		if (k < 0)
			rc = -1;
		else
			rep->rewritten += (size_t)k;
	}
	if (!rc && due)
		rc = db_meta_set(db, key, count);
	free(key);
	free(count);
	for (first = 0; first < nown && own[first].seq <= given; first++)
		;
	if (!rc && first < nown) {
		path = sharefile_name(dir, copy, (long long)own[first].seq, (long long)own[nown - 1].seq);
		rc = sharefile_write(path, copy, name, own + first, nown - first);
		if (!rc)
			rep->written = nown - first;
		free(path);
	}
	share_entries_free(own, nown);
	free(name);
	return rc;
}

int share_publish(sqlite3 *db, const char *dir, struct share_sync_report *rep)
{
	char **files;
	size_t nfiles;
	int rc;
	memset(rep, 0, sizeof(*rep));
	if (list_dir(dir, &files, &nfiles))
		return -1;
	rc = sync_out(db, dir, files, nfiles, rep);
	free_names(files, nfiles);
	return rc;
}

int share_sync(sqlite3 *db, const char *dir, struct share_sync_report *rep)
{
	struct share_entry *v = NULL;
	size_t n = 0, alloc = 0, nfiles = 0, i;
	char **files = NULL, copy[33];
	int rc = 0;
	memset(rep, 0, sizeof(*rep));
	if (share_copy(db, copy, NULL) || list_dir(dir, &files, &nfiles))
		return -1;
	for (i = 0; i < nfiles && !rc; i++) {
		char c[33];
		long long last;
		struct strbuf path = STRBUF_INIT;
		sharefile_parse_name(files[i], c, &last);
		if (!strcmp(c, copy) || last <= share_last_seq(db, c))
			continue;
		strbuf_addf(&path, "%s/%s", dir, files[i]);
		rc = sharefile_read(path.buf, &v, &n, &alloc);
		strbuf_release(&path);
		rep->files++;
	}
	if (!rc)
		rc = share_apply_entries(db, v, n, rep);
	if (!rc)
		rc = sync_out(db, dir, files, nfiles, rep);
	share_entries_free(v, n);
	free_names(files, nfiles);
	return rc;
}
