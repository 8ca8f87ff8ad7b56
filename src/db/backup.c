/*
 * backup: online backup, checks and restore of the store (see backup.h).
 */
#include "db/backup.h"
#include "db/db.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

/* Copies every page of src into dst in one step (one read snapshot of src). */
static int copy(sqlite3 *dst, sqlite3 *src)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	int rc, tries = 0;
	if (!b)
		return db_error(dst, _("backup"));
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (++tries > 100)
			break;
		sqlite3_sleep(50);
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		return qfq_error(_("backup: %s"), sqlite3_errstr(rc));
	return 0;
}

int backup_write(sqlite3 *db, const char *path)
{
	sqlite3 *dst = NULL;
	long version;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return qfq_error(_("cannot create \"%s\": %s"), path, strerror(errno));
	close(fd);
	if (sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		qfq_error(_("cannot open \"%s\": %s"), path, dst ? sqlite3_errmsg(dst) : "out of memory");
		goto fail;
	}
	if (copy(dst, db))
		goto fail;
	/* a single file: the copy does not need its -wal to be read */
	if (db_exec(dst, "PRAGMA journal_mode = DELETE"))
		goto fail;
	sqlite3_close(dst);
	return backup_check(path, &version);
fail:
	sqlite3_close(dst);
	unlink(path);
	return -1;
}

static long pragma_long(sqlite3 *db, const char *sql, bool *ok)
{
	sqlite3_stmt *st;
	long v = 0;
	*ok = false;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		v = (long)sqlite3_column_int64(st, 0);
		*ok = true;
	}
	sqlite3_finalize(st);
	return v;
}

/* "file:PATH?immutable=1": read without creating a -wal or -shm beside it. */
static void immutable_uri(struct strbuf *uri, const char *path)
{
	const char *p;
	strbuf_addstr(uri, "file:");
	for (p = path; *p; p++) /* a URI path: only ? # % need escaping */
		if (*p == '?' || *p == '#' || *p == '%')
			strbuf_addf(uri, "%%%02X", (unsigned char)*p);
		else
			strbuf_addch(uri, *p);
	strbuf_addstr(uri, "?immutable=1");
}

int backup_check(const char *path, long *version)
{
	struct strbuf uri = STRBUF_INIT;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	unsigned char head[16];
	long app;
	bool ok;
	int rc = -1, fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return qfq_error(_("cannot read \"%s\": %s"), path, strerror(errno));
	rc = (int)read(fd, head, sizeof(head));
	close(fd);
	if (rc != (int)sizeof(head) || memcmp(head, "SQLite format 3", 16))
		return qfq_error(_("\"%s\" is not a qfq database (not an SQLite file)"), path);
	rc = -1;
	immutable_uri(&uri, path);
	if (sqlite3_open_v2(uri.buf, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
		qfq_error(_("cannot open \"%s\": %s"), path, db ? sqlite3_errmsg(db) : "out of memory");
		goto done;
	}
	app = pragma_long(db, "PRAGMA application_id", &ok);
	if (!ok || app != QFQ_APPLICATION_ID) {
		qfq_error(_("\"%s\" is not a qfq database (%s)"), path,
			  ok ? _("another application's SQLite file") : sqlite3_errmsg(db));
		goto done;
	}
	*version = pragma_long(db, "PRAGMA user_version", &ok);
	if (!ok || *version < 1 || *version > QFQ_SCHEMA_VERSION) {
		qfq_error(_("\"%s\" has schema version %ld, which this qfq does not know (1 to %d)"), path, *version,
			  QFQ_SCHEMA_VERSION);
		goto done;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "ok")) {
		qfq_error(_("\"%s\" is damaged: %s"), path,
			  st && sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : sqlite3_errmsg(db));
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	strbuf_release(&uri);
	return rc;
}

int backup_restore(sqlite3 *db, const char *path)
{
	struct strbuf uri = STRBUF_INIT;
	sqlite3 *src = NULL;
	int rc;
	immutable_uri(&uri, path);
	if (sqlite3_open_v2(uri.buf, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK)
		rc = qfq_error(_("cannot open \"%s\": %s"), path, src ? sqlite3_errmsg(src) : "out of memory");
	else
		rc = copy(db, src);
	sqlite3_close(src);
	strbuf_release(&uri);
	return rc;
}
