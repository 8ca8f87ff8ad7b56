/*
 * db: opening the qfq store, asking SQLite what the file is before writing to it,
 * applying the embedded schema and forward migrations (see db.h).
 */
#include "db/db.h"
#include "db/collate.h"
#include "db/ftsrank.h"
#include "db/history.h"
#include "db/hoursets.h"
#include "db/membersgeo.h"
#include "db/structures.h"
#include "db/themesets.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const char *const qfq_schema_sql;

/* Seconds a command waits for another one's write by default: the import
 * of a national file of places takes about a minute. */
#define DEFAULT_LOCK_TIMEOUT 300

/*
 * Forward migrations: migrations[i] takes a database from version i+1 to
 * i+2. Append only; never edit one that has shipped. schema.sql always
 * describes the latest version for new databases.
 */
static const char *const migrations[] = {
	/* 1 -> 2: fiche_acces_libre of the lieux standard */
	"ALTER TABLE structures ADD COLUMN fiche_acces_libre TEXT",
	/* 2 -> 3: members of a structure from the index alone (search --persons) */
	"DROP INDEX memberships_structure; "
	"CREATE INDEX memberships_structure_person ON memberships(structure_id, person_id, fin)",
	/* 3 -> 4: per-theme bitmaps for the search engine (built by db_commit) */
	"CREATE TABLE theme_bitmaps ( "
	"theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE, "
	"kind     INTEGER NOT NULL CHECK (kind IN (0, 1)), "
	"bits     BLOB NOT NULL, "
	"PRIMARY KEY (theme_id, kind) "
	"); "
	"CREATE TRIGGER structure_themes_bitmap_ins AFTER INSERT ON structure_themes BEGIN "
	"DELETE FROM theme_bitmaps WHERE theme_id = NEW.theme_id AND kind = 0; "
	"END; "
	"CREATE TRIGGER structure_themes_bitmap_del AFTER DELETE ON structure_themes BEGIN "
	"DELETE FROM theme_bitmaps WHERE theme_id = OLD.theme_id AND kind = 0; "
	"END; "
	"CREATE TRIGGER structure_themes_bitmap_upd AFTER UPDATE ON structure_themes BEGIN "
	"DELETE FROM theme_bitmaps WHERE kind = 0 AND theme_id IN (OLD.theme_id, NEW.theme_id); "
	"END; "
	"CREATE TRIGGER person_themes_bitmap_ins AFTER INSERT ON person_themes BEGIN "
	"DELETE FROM theme_bitmaps WHERE theme_id = NEW.theme_id AND kind = 1; "
	"END; "
	"CREATE TRIGGER person_themes_bitmap_del AFTER DELETE ON person_themes BEGIN "
	"DELETE FROM theme_bitmaps WHERE theme_id = OLD.theme_id AND kind = 1; "
	"END; "
	"CREATE TRIGGER person_themes_bitmap_upd AFTER UPDATE ON person_themes BEGIN "
	"DELETE FROM theme_bitmaps WHERE kind = 1 AND theme_id IN (OLD.theme_id, NEW.theme_id); "
	"END; ",
	/* 4 -> 5: half-hour bitmaps of who is open (built by db_commit) */
	"CREATE TABLE hour_bitmaps ( "
	"slot INTEGER NOT NULL, "
	"kind INTEGER NOT NULL CHECK (kind IN (0, 1)), "
	"bits BLOB NOT NULL, "
	"PRIMARY KEY (slot, kind) "
	"); ",
	/* 5 -> 6: the members of each structure, indexed by place (built by db_commit) */
	"CREATE TABLE structure_members ( "
	"structure_id INTEGER PRIMARY KEY, "
	"cell         INTEGER NOT NULL, "
	"lat          REAL, "
	"lon          REAL, "
	"ids          BLOB NOT NULL "
	"); "
	"CREATE INDEX structure_members_cell ON structure_members(cell, lat, lon, ids); "
	"CREATE TABLE members_geo_dirty (structure_id INTEGER PRIMARY KEY); "
	"CREATE TRIGGER memberships_geo_ins AFTER INSERT ON memberships BEGIN "
	"INSERT OR IGNORE INTO members_geo_dirty(structure_id) VALUES (NEW.structure_id); "
	"END; "
	"CREATE TRIGGER memberships_geo_del AFTER DELETE ON memberships BEGIN "
	"INSERT OR IGNORE INTO members_geo_dirty(structure_id) VALUES (OLD.structure_id); "
	"END; "
	"CREATE TRIGGER memberships_geo_upd AFTER UPDATE ON memberships BEGIN "
	"INSERT OR IGNORE INTO members_geo_dirty(structure_id) VALUES (OLD.structure_id), (NEW.structure_id); "
	"END; "
	"INSERT INTO members_geo_dirty(structure_id) SELECT DISTINCT structure_id FROM memberships; "
	"CREATE INDEX permanences_place ON permanences(latitude, longitude); ",
	/* 6 -> 7 (issue 13): referrals with the field's statuses and channels, a
	 * note, the chain, both communes; history with who and a note. The old
	 * tables were never written by qfq; their rows are carried over. */
	"CREATE TABLE referrals_v7 ( "
	"id INTEGER PRIMARY KEY, date TEXT NOT NULL, "
	"from_structure_id INTEGER REFERENCES structures(id) ON DELETE SET NULL, "
	"from_person_id INTEGER REFERENCES persons(id) ON DELETE SET NULL, "
	"to_structure_id INTEGER REFERENCES structures(id) ON DELETE SET NULL, "
	"to_person_id INTEGER REFERENCES persons(id) ON DELETE SET NULL, "
	"theme_id INTEGER REFERENCES themes(id) ON DELETE SET NULL, "
	"channel TEXT NOT NULL DEFAULT 'physique' CHECK (channel IN ('physique','telephone','courriel','visio')), "
	"status TEXT NOT NULL DEFAULT 'proposee' "
	"CHECK (status IN ('proposee','prise_en_charge','realisee','sans_solution','refusee')), "
	"status_date TEXT NOT NULL, from_commune TEXT, to_commune TEXT, "
	"parent_id INTEGER REFERENCES referrals(id) ON DELETE SET NULL, "
	"urgent INTEGER NOT NULL DEFAULT 0, note TEXT); "
	"INSERT INTO referrals_v7(id, date, from_structure_id, from_person_id, to_structure_id, to_person_id, "
	"theme_id, channel, status, status_date, from_commune, to_commune, urgent) "
	"SELECT r.id, r.date, r.from_structure_id, r.from_person_id, r.to_structure_id, r.to_person_id, r.theme_id, "
	"CASE r.channel WHEN 'courrier' THEN 'courriel' WHEN 'autre' THEN 'physique' ELSE r.channel END, "
	"CASE r.status WHEN 'orientee' THEN 'proposee' WHEN 'resolue' THEN 'realisee' "
	"WHEN 'sans_suite' THEN 'sans_solution' WHEN 'reorientee' THEN 'prise_en_charge' ELSE r.status END, "
	"r.date, r.commune_code, (SELECT code_insee FROM structures WHERE id = r.to_structure_id), r.urgent "
	"FROM referrals r; "
	"CREATE TABLE referral_history_v7 ( "
	"id INTEGER PRIMARY KEY, "
	"referral_id INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE, "
	"at TEXT NOT NULL, status TEXT NOT NULL, "
	"by_person_id INTEGER REFERENCES persons(id) ON DELETE SET NULL, "
	"by_structure_id INTEGER REFERENCES structures(id) ON DELETE SET NULL, note TEXT); "
	"INSERT INTO referral_history_v7(referral_id, at, status) SELECT referral_id, substr(at, 1, 10), "
	"CASE status WHEN 'orientee' THEN 'proposee' WHEN 'resolue' THEN 'realisee' "
	"WHEN 'sans_suite' THEN 'sans_solution' WHEN 'reorientee' THEN 'prise_en_charge' ELSE status END "
	"FROM referral_history ORDER BY referral_id, at; "
	"DROP TABLE referral_history; DROP TABLE referrals; "
	"ALTER TABLE referrals_v7 RENAME TO referrals; "
	"ALTER TABLE referral_history_v7 RENAME TO referral_history; "
	"CREATE INDEX referrals_to ON referrals(to_structure_id); "
	"CREATE INDEX referrals_from ON referrals(from_structure_id); "
	"CREATE INDEX referrals_date ON referrals(date); "
	"CREATE INDEX referrals_parent ON referrals(parent_id) WHERE parent_id IS NOT NULL; "
	"CREATE INDEX referral_history_referral ON referral_history(referral_id); ",
	/* 7 -> 8: history of change sets (issue 12, db/history.h) */
	"CREATE TABLE change_sets ( "
	"id        INTEGER PRIMARY KEY, "
	"at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')), "
	"command   TEXT NOT NULL, "
	"summary   TEXT, "
	"undoes    INTEGER, "
	"undone_by INTEGER, "
	"undoable  INTEGER NOT NULL DEFAULT 1 "
	"); "
	"CREATE TABLE change_rows ( "
	"id           INTEGER PRIMARY KEY, "
	"change_id    INTEGER NOT NULL REFERENCES change_sets(id) ON DELETE CASCADE, "
	"seq          INTEGER NOT NULL, "
	"tbl          TEXT NOT NULL, "
	"op           TEXT NOT NULL CHECK (op IN ('insert','update','delete')), "
	"key          TEXT NOT NULL, "
	"structure_id INTEGER, "
	"person_id    INTEGER, "
	"old          BLOB, "
	"new          BLOB, "
	"UNIQUE (change_id, seq) "
	"); "
	"CREATE INDEX change_rows_row ON change_rows(tbl, key, change_id); "
	"CREATE INDEX change_rows_structure ON change_rows(structure_id) WHERE structure_id IS NOT NULL; "
	"CREATE INDEX change_rows_person ON change_rows(person_id) WHERE person_id IS NOT NULL; "
	"ALTER TABLE structures ADD COLUMN ferme_du TEXT; "
	"ALTER TABLE structures ADD COLUMN ferme_au TEXT",
	/* 8 -> 9 (issue 16): opening hours read as the specification reads them
	 * (months, dates, nth weekdays...): every structure's hours reindexed at
	 * the upgrade's commit (structure_hours_refresh) */
	"CREATE TABLE hours_dirty (structure_id INTEGER PRIMARY KEY); "
	"INSERT INTO hours_dirty(structure_id) SELECT id FROM structures WHERE horaires IS NOT NULL; ",
	/* 9 -> 10 (issue 11): where a territory comes from; NULL: stated (a file, or confirmed) */
	"ALTER TABLE structure_territories ADD COLUMN origine TEXT "
	"CHECK (origine IN ('nom', 'reunion', 'lieu')); "
	"CREATE INDEX structure_territories_deduced ON structure_territories(origine, structure_id) "
	"WHERE origine IS NOT NULL; ",
	/* 10 -> 11: copies sharing changesets (issue 15, db/share.h) */
	"CREATE TABLE share_ids ( "
	"tbl TEXT NOT NULL, "
	"id  INTEGER NOT NULL, "
	"gid BLOB NOT NULL UNIQUE, "
	"PRIMARY KEY (tbl, id) "
	") WITHOUT ROWID; "
	"CREATE TABLE share_pending ( "
	"tbl TEXT NOT NULL, "
	"id  INTEGER NOT NULL, "
	"gid BLOB NOT NULL UNIQUE, "
	"PRIMARY KEY (tbl, id) "
	") WITHOUT ROWID; "
	"CREATE TRIGGER structures_gid AFTER INSERT ON structures BEGIN "
	"INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('structures', NEW.id, "
	"coalesce((SELECT gid FROM share_pending WHERE tbl = 'structures' AND id = NEW.id), randomblob(16))); "
	"END; "
	"CREATE TRIGGER persons_gid AFTER INSERT ON persons BEGIN "
	"INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('persons', NEW.id, "
	"coalesce((SELECT gid FROM share_pending WHERE tbl = 'persons' AND id = NEW.id), randomblob(16))); "
	"END; "
	"CREATE TRIGGER memberships_gid AFTER INSERT ON memberships BEGIN "
	"INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('memberships', NEW.id, "
	"coalesce((SELECT gid FROM share_pending WHERE tbl = 'memberships' AND id = NEW.id), randomblob(16))); "
	"END; "
	"CREATE TRIGGER permanences_gid AFTER INSERT ON permanences BEGIN "
	"INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('permanences', NEW.id, "
	"coalesce((SELECT gid FROM share_pending WHERE tbl = 'permanences' AND id = NEW.id), randomblob(16))); "
	"END; "
	"CREATE TRIGGER events_gid AFTER INSERT ON events BEGIN "
	"INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('events', NEW.id, "
	"coalesce((SELECT gid FROM share_pending WHERE tbl = 'events' AND id = NEW.id), randomblob(16))); "
	"END; "
	"CREATE TRIGGER referrals_gid AFTER INSERT ON referrals BEGIN "
	"INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('referrals', NEW.id, "
	"coalesce((SELECT gid FROM share_pending WHERE tbl = 'referrals' AND id = NEW.id), randomblob(16))); "
	"END; "
	"INSERT INTO share_ids(tbl, id, gid) SELECT 'structures', id, randomblob(16) FROM structures; "
	"INSERT INTO share_ids(tbl, id, gid) SELECT 'persons', id, randomblob(16) FROM persons; "
	"INSERT INTO share_ids(tbl, id, gid) SELECT 'memberships', id, randomblob(16) FROM memberships; "
	"INSERT INTO share_ids(tbl, id, gid) SELECT 'permanences', id, randomblob(16) FROM permanences; "
	"INSERT INTO share_ids(tbl, id, gid) SELECT 'events', id, randomblob(16) FROM events; "
	"INSERT INTO share_ids(tbl, id, gid) SELECT 'referrals', id, randomblob(16) FROM referrals; "
	"CREATE TABLE share_changes ( "
	"copy      TEXT NOT NULL, "
	"seq       INTEGER NOT NULL, "
	"stamp     INTEGER NOT NULL, "
	"change_id INTEGER, "
	"kind      TEXT NOT NULL DEFAULT 'change' CHECK (kind IN ('change','erase')), "
	"summary   TEXT, "
	"data      BLOB, "
	"PRIMARY KEY (copy, seq) "
	") WITHOUT ROWID; "
	"CREATE INDEX share_changes_change ON share_changes(change_id) WHERE change_id IS NOT NULL; "
	"CREATE INDEX share_changes_stamp ON share_changes(stamp); "
	"CREATE TABLE share_conflicts ( "
	"id        INTEGER PRIMARY KEY, "
	"at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')), "
	"tbl       TEXT NOT NULL, "
	"key       TEXT NOT NULL, "
	"col       TEXT, "
	"kept, "
	"lost, "
	"kept_copy TEXT, "
	"lost_copy TEXT, "
	"state     TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','swapped')) "
	"); "
	"CREATE TABLE share_stamps ( "
	"tbl   TEXT NOT NULL, "
	"key   TEXT NOT NULL, "
	"col   TEXT NOT NULL, "
	"stamp INTEGER NOT NULL, "
	"copy  TEXT NOT NULL, "
	"PRIMARY KEY (tbl, key, col) "
	") WITHOUT ROWID; "
	"INSERT OR IGNORE INTO meta(key, value) VALUES ('copy_id', lower(hex(randomblob(16)))); ",
	/* 11 -> 12: the temporary closures a search at a time must know of, found
	 * without reading every structure */
	"CREATE INDEX structures_closure ON structures(ferme_du) WHERE ferme_du IS NOT NULL; ",
	/* 12 -> 13 (issue 15, user side): the persons erased on any copy, by
	 * global id (their rows from other copies are dropped), and the names
	 * of the other copies (db/shareerase.h, db/sharesync.h) */
	"CREATE TABLE share_erased (gid BLOB PRIMARY KEY) WITHOUT ROWID; "
	"CREATE TABLE share_copies (copy TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID; ",
	/* 13 -> 14 (issue 10): the permanences a place hosts, read by every card
	 * (a scan of all permanences per keystroke in the interface) */
	"CREATE INDEX IF NOT EXISTS permanences_host ON permanences(host_id) WHERE host_id IS NOT NULL",
	/* 14 -> 15: referral history rows get global ids too (issue 15: two copies number their rows alike) */
	"CREATE TRIGGER referral_history_gid AFTER INSERT ON referral_history BEGIN "
	"INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('referral_history', NEW.id, "
	"coalesce((SELECT gid FROM share_pending WHERE tbl = 'referral_history' AND id = NEW.id), randomblob(16))); "
	"END; "
	"INSERT INTO share_ids(tbl, id, gid) SELECT 'referral_history', id, randomblob(16) FROM referral_history; ",
	/* 15 -> 16 (issue 11, import speed): a structure's gid is drawn when its change set is
	 * captured, not by a trigger: the trigger made each insert of a structure
	 * keep a statement journal (a page written per index per row of an import) */
	"DROP TRIGGER IF EXISTS structures_gid; "
	/* ...and a bulk import is recorded as the range of structures it inserted
	 * (with their themes, territories, aliases), not a history row each */
	"ALTER TABLE change_sets ADD COLUMN bulk_after INTEGER; "
	"ALTER TABLE change_sets ADD COLUMN bulk_last INTEGER; ",
	/* 16 -> 17 (issue 15): an erasure keeps the salted hashes of the person's mentions
	 * (db/shareerase.h); the persons erased before share_erased existed join it: a
	 * person's gid stays in share_ids, and an erasure, unlike a delete or a merge,
	 * leaves no change row about them (the history forgets them) */
	"ALTER TABLE share_erased ADD COLUMN forms BLOB; "
	"INSERT OR IGNORE INTO share_erased(gid) SELECT i.gid FROM share_ids i WHERE i.tbl = 'persons' "
	"AND NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = i.id) "
	"AND NOT EXISTS (SELECT 1 FROM change_rows c WHERE c.person_id = i.id); "
	"INSERT INTO meta(key, value) SELECT 'share_erasures', '1' WHERE EXISTS (SELECT 1 FROM share_erased) "
	"ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1; ",
	/* 17 -> 18 (issue 15, apply speed): change_rows' check of op without IN: SQLite
	 * 3.40 checks an IN list of three values through a temporary b-tree built again
	 * for every row written (a third of the cost of a history row). A check cannot
	 * be altered: the table is rebuilt, its ids kept. */
	"CREATE TABLE change_rows_v18 ( "
	"id           INTEGER PRIMARY KEY, "
	"change_id    INTEGER NOT NULL REFERENCES change_sets(id) ON DELETE CASCADE, "
	"seq          INTEGER NOT NULL, "
	"tbl          TEXT NOT NULL, "
	"op           TEXT NOT NULL CHECK (op = 'insert' OR op = 'update' OR op = 'delete'), "
	"key          TEXT NOT NULL, "
	"structure_id INTEGER, "
	"person_id    INTEGER, "
	"old          BLOB, "
	"new          BLOB, "
	"UNIQUE (change_id, seq) "
	"); "
	"INSERT INTO change_rows_v18(id, change_id, seq, tbl, op, key, structure_id, person_id, old, new) "
	"SELECT id, change_id, seq, tbl, op, key, structure_id, person_id, old, new FROM change_rows ORDER BY id; "
	"DROP TABLE change_rows; "
	"ALTER TABLE change_rows_v18 RENAME TO change_rows; "
	"CREATE INDEX change_rows_row ON change_rows(tbl, key, change_id); "
	"CREATE INDEX change_rows_structure ON change_rows(structure_id) WHERE structure_id IS NOT NULL; "
	"CREATE INDEX change_rows_person ON change_rows(person_id) WHERE person_id IS NOT NULL; ",
};

static char *current_command;

void db_set_command(const char *command)
{
	free(current_command);
	current_command = command ? xstrdup(command) : NULL;
}

/* How long a command waits for another one's write: QFQ_LOCK_TIMEOUT
 * seconds, else DEFAULT_LOCK_TIMEOUT (an import of a national file). */
static int lock_timeout_ms(void)
{
	const char *v = getenv("QFQ_LOCK_TIMEOUT");
	char *end;
	double s;
	if (v && *v) {
		errno = 0;
		s = strtod(v, &end);
		if (!errno && !*end && s >= 0 && s <= 86400)
			return (int)(s * 1000);
	}
	return DEFAULT_LOCK_TIMEOUT * 1000;
}

int db_lock_timeout_ms(void)
{
	return lock_timeout_ms();
}

/*
 * The process that holds a lock on the SQLite files of path: the WAL
 * write lock (byte 120 of the -shm file) or the checkpointer's (121), else
 * any lock in the lock range of the database file itself (a checkpoint on
 * close, a rollback-journal writer). 0 when none is seen.
 */
static pid_t lock_holder(const char *path)
{
	static const struct {
		const char *suffix;
		off_t start, len;
	} where[] = {
		{ "-shm", 120, 2 },
		{ "", 0x40000000, 512 },
	};
	struct strbuf p = STRBUF_INIT;
	pid_t pid = 0;
	size_t i;
	for (i = 0; i < sizeof(where) / sizeof(*where) && !pid; i++) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				    .l_start = where[i].start, .l_len = where[i].len };
		int fd;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s%s", path, where[i].suffix);
		fd = open(p.buf, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue;
		if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK && fl.l_pid > 0)
			pid = fl.l_pid;
		/*
		 * Not closed: closing any descriptor of these files drops every
		 * POSIX lock this process holds on them, the shared lock of our
		 * own connection on the -shm included; another process then
		 * believes it is alone, truncates the -shm, and this process,
		 * which still maps it, dies of SIGBUS (seen in 0009's read loop).
		 * This runs once, on an error path before exit: at most three
		 * descriptors stay open.
		 */
	}
	strbuf_release(&p);
	return pid;
}

/* Appends the command line of process pid ("qfq import lieux x.csv"). */
static void add_command_line(struct strbuf *sb, pid_t pid)
{
	char name[64], buf[512];
	ssize_t n, i;
	int fd;
	snprintf(name, sizeof(name), "/proc/%ld/cmdline", (long)pid);
	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	if (n <= 0)
		return;
	for (i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	strbuf_addstr(sb, " (");
	strbuf_add(sb, buf, (size_t)n);
	strbuf_addch(sb, ')');
}

/* The error for SQLITE_BUSY: who holds the database, and for how long
 * this command waited. */
static int busy_error(sqlite3 *db)
{
	const char *path = sqlite3_db_filename(db, "main");
	struct strbuf who = STRBUF_INIT;
	pid_t pid = path && *path ? lock_holder(path) : 0;
	if (pid) {
		strbuf_addf(&who, _("process %ld"), (long)pid);
		add_command_line(&who, pid);
	} else {
		strbuf_addstr(&who, _("another program"));
	}
	qfq_error(_("the database \"%s\" is busy: %s has been writing to it for more than %g s; "
		    "try again when it has finished (QFQ_LOCK_TIMEOUT sets the wait in seconds)"),
		  path ? path : "", who.buf, lock_timeout_ms() / 1000.0);
	strbuf_release(&who);
	return -1;
}

int db_error(sqlite3 *db, const char *what)
{
	if ((sqlite3_errcode(db) & 0xff) == SQLITE_BUSY)
		return busy_error(db);
	return qfq_error("%s: %s", what, sqlite3_errmsg(db));
}

int db_exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		if ((sqlite3_errcode(db) & 0xff) == SQLITE_BUSY)
			busy_error(db);
		else
			qfq_error(_("database: %s"), err ? err : sqlite3_errmsg(db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

int db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return db_error(db, _("database"));
	return 0;
}

/*
 * The statements kept by db_stmt() and db_stmt_sql(), for every
 * connection of the process (one or two): looked up by the address of
 * their SQL text, which is constant, or (copy set) by the text itself. A
 * slot in use is not handed out again (a caller nesting the same
 * statement gets a fresh one, finalized by db_stmt_done()).
 */
#define STMT_SLOTS 96

static struct stmt_slot {
	sqlite3 *db;
	const char *sql;
	char *copy;
	sqlite3_stmt *st;
	bool busy;
} stmt_slots[STMT_SLOTS];
static size_t stmt_evict;

static void slot_clear(struct stmt_slot *s)
{
	sqlite3_finalize(s->st);
	free(s->copy);
	memset(s, 0, sizeof(*s));
}

static int stmt_get(sqlite3 *db, const char *sql, bool by_text, sqlite3_stmt **st)
{
	struct stmt_slot *free_slot = NULL;
	size_t i;
	for (i = 0; i < STMT_SLOTS; i++) {
		struct stmt_slot *s = &stmt_slots[i];
		if (s->db == db && !s->busy && (by_text ? s->copy && !strcmp(s->copy, sql) : !s->copy && s->sql == sql)) {
			s->busy = true;
			*st = s->st;
			return 0;
		}
		if (!s->db && !free_slot)
			free_slot = s;
	}
	if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return db_error(db, _("database"));
	if (!free_slot) {
		/* full: the next slot not in use makes room */
		for (i = 0; i < STMT_SLOTS && !free_slot; i++, stmt_evict = (stmt_evict + 1) % STMT_SLOTS)
			if (!stmt_slots[stmt_evict].busy)
				free_slot = &stmt_slots[stmt_evict];
		if (!free_slot)
			return 0; /* every one in use: this one is finalized when done */
		slot_clear(free_slot);
	}
	free_slot->db = db;
	free_slot->sql = sql;
	free_slot->copy = by_text ? xstrdup(sql) : NULL;
	free_slot->st = *st;
	free_slot->busy = true;
	return 0;
}

int db_stmt(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	return stmt_get(db, sql, false, st);
}

int db_stmt_sql(sqlite3 *db, const char *sql, sqlite3_stmt **st)
{
	return stmt_get(db, sql, true, st);
}

void db_stmt_done(sqlite3_stmt *st)
{
	size_t i;
	if (!st)
		return;
	for (i = 0; i < STMT_SLOTS; i++) {
		if (stmt_slots[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			stmt_slots[i].busy = false;
			return;
		}
	}
	sqlite3_finalize(st);
}

/* What db_first_time() has seen: (connection, key) pairs. */
#define ONCE_SLOTS 32

static struct once_slot {
	sqlite3 *db;
	const void *key;
} once_slots[ONCE_SLOTS];

bool db_first_time(sqlite3 *db, const void *key)
{
	struct once_slot *free_slot = NULL;
	size_t i;
	for (i = 0; i < ONCE_SLOTS; i++) {
		if (once_slots[i].db == db && once_slots[i].key == key)
			return false;
		if (!once_slots[i].db && !free_slot)
			free_slot = &once_slots[i];
	}
	if (free_slot) {
		free_slot->db = db;
		free_slot->key = key;
	}
	return true; /* full: every time is the first (correct, only slower) */
}

/* Forgets what db_first_time() saw of a connection (opened at an address
 * a closed one had, or being closed). */
static void once_drop(sqlite3 *db)
{
	size_t i;
	for (i = 0; i < ONCE_SLOTS; i++)
		if (once_slots[i].db == db)
			memset(&once_slots[i], 0, sizeof(once_slots[i]));
}

/* Finalizes the statements db_stmt() keeps for db (before closing it). */
static void stmts_drop(sqlite3 *db)
{
	size_t i;
	for (i = 0; i < STMT_SLOTS; i++)
		if (stmt_slots[i].db == db)
			slot_clear(&stmt_slots[i]);
}

const char *db_command(void)
{
	return current_command ? current_command : "qfq";
}

char *db_column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? xstrdup((const char *)s) : NULL;
}

/* Every write transaction is recorded as one change set (db/history.h). */
int db_begin(sqlite3 *db)
{
	if (db_exec(db, "BEGIN IMMEDIATE"))
		return -1;
	if (history_begin(db)) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

/*
 * Every write transaction ends here: the theme and hour bitmaps and the
 * placed memberships that its changes invalidated (db/themesets.h,
 * db/hoursets.h, db/membersgeo.h) are rebuilt first, so that a committed
 * qfq database always has them all up to date.
 */
int db_commit(sqlite3 *db)
{
	int rc;
	if (themesets_refresh(db) || structure_hours_refresh(db) || hoursets_refresh(db) || membersgeo_refresh(db) ||
	    history_record(db))
		return -1;
	rc = db_exec(db, "COMMIT");
	if (!rc)
		history_end(db);
	return rc;
}

void db_rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	history_end(db);
}

const char *db_default_path(void)
{
	static struct strbuf path = STRBUF_INIT;
	const char *env = getenv("QFQ_DB");
	strbuf_reset(&path);
	if (env && *env) {
		strbuf_addstr(&path, env);
	} else if ((env = getenv("XDG_DATA_HOME")) && *env == '/') {
		strbuf_addf(&path, "%s/qfq/qfq.db", env);
	} else {
		const char *home = getenv("HOME");
		strbuf_addf(&path, "%s/.local/share/qfq/qfq.db", home && *home ? home : ".");
	}
	return path.buf;
}

static int mkdir_parents(const char *path)
{
	char *dir = xstrdup(path);
	char *p;
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			qfq_error(_("cannot create folder \"%s\": %s"), dir, strerror(errno));
			free(dir);
			return -1;
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

static int create_file(const char *path)
{
	int fd;
	if (mkdir_parents(path))
		return -1;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return qfq_error(_("cannot create \"%s\": %s"), path, strerror(errno));
	close(fd);
	return 0;
}

static int pragma_int(sqlite3 *db, const char *sql, long *out)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Brings a database at version `from` (0 = empty) to QFQ_SCHEMA_VERSION. */
static int migrate(sqlite3 *db, long from)
{
	struct strbuf sql = STRBUF_INIT;
	long v;
	if (db_begin(db))
		return -1;
	if (from == 0 && db_exec(db, qfq_schema_sql))
		goto fail;
	for (v = from ? from : QFQ_SCHEMA_VERSION; v < QFQ_SCHEMA_VERSION; v++)
		if (migrations[v - 1] && db_exec(db, migrations[v - 1]))
			goto fail;
	strbuf_addf(&sql, "PRAGMA user_version = %d", QFQ_SCHEMA_VERSION);
	if (from) {
		/* an upgrade that rewrites rows (hours read again) is its own change
		 * set in the history: say so instead of the command that opened it */
		struct strbuf what = STRBUF_INIT;
		strbuf_addf(&what, _("schema upgraded from version %ld to %d"), from, QFQ_SCHEMA_VERSION);
		history_set_summary(db, what.buf);
		strbuf_release(&what);
	}
	if (db_exec(db, sql.buf) || db_commit(db))
		goto fail;
	strbuf_release(&sql);
	return 0;
fail:
	qfq_error_prefix(_("cannot upgrade the database schema from version %ld"), from);
	db_rollback(db);
	strbuf_release(&sql);
	return -1;
}

/* What SQLite's error on the first reads of path says the file is. */
static int open_error(sqlite3 *db, const char *path)
{
	switch (sqlite3_errcode(db) & 0xff) {
	case SQLITE_NOTADB:
		return qfq_error(_("\"%s\" is not a qfq database (not an SQLite file)"), path);
	case SQLITE_CORRUPT:
		return qfq_error(_("\"%s\" is damaged (SQLite: %s): keep a copy of it and of its "
				   "-wal file, then restore it from a backup"), path, sqlite3_errmsg(db));
	case SQLITE_BUSY:
		return busy_error(db);
	default:
		return qfq_error(_("\"%s\" is not a usable qfq database: %s"), path, sqlite3_errmsg(db));
	}
}

/*
 * Checks what SQLite itself says of the file, then upgrades it if needed.
 * Returns 0, -1 with qfq_error(), 1 when a read-only open found an older
 * schema (db_open() then reopens the file for writing and migrates it), or
 * 2 when SQLite could not open it read-only for lack of a writable folder.
 */
static int prepare_store(sqlite3 *db, const char *path, enum db_mode mode)
{
	long app = 0, version = 0, tables = 0;
	if (pragma_int(db, "PRAGMA application_id", &app) ||
	    pragma_int(db, "PRAGMA user_version", &version) ||
	    pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables)) {
		int code = sqlite3_errcode(db) & 0xff;
		if (mode == DB_READ && (code == SQLITE_CANTOPEN || code == SQLITE_READONLY))
			return 2;
		return open_error(db, path);
	}
	if ((tables || app) && app != QFQ_APPLICATION_ID)
		return qfq_error(_("\"%s\" is not a qfq database (another application's SQLite file)"), path);
	if (version > QFQ_SCHEMA_VERSION)
		return qfq_error(_("\"%s\" was written by a newer qfq (schema %ld, this one knows %d): upgrade qfq"),
				 path, version, QFQ_SCHEMA_VERSION);
	if (mode == DB_READ) {
		if (!tables)
			return qfq_error(_("the database \"%s\" is empty: run `qfq init` first"), path);
		if (version < QFQ_SCHEMA_VERSION)
			return 1; /* the caller reopens it for writing to migrate */
		return 0;
	}
	if (db_exec(db, "PRAGMA journal_mode = WAL") || db_exec(db, "PRAGMA synchronous = NORMAL"))
		return -1;
	if (version < QFQ_SCHEMA_VERSION && migrate(db, version))
		return -1;
	return 0;
}

static bool file_exists(const char *path, const char *suffix, off_t *size)
{
	struct strbuf p = STRBUF_INIT;
	struct stat sb;
	bool r;
	strbuf_addf(&p, "%s%s", path, suffix);
	r = stat(p.buf, &sb) == 0;
	if (size)
		*size = r ? sb.st_size : 0;
	strbuf_release(&p);
	return r;
}

/*
 * A refused file is left as it was found: the empty -wal and -shm files
 * that SQLite made beside it to read it go (they did not exist before and
 * hold nothing).
 */
static void remove_sidecars(const char *path)
{
	struct strbuf p = STRBUF_INIT;
	off_t size;
	if (!file_exists(path, "-wal", &size) || size != 0)
		return;
	strbuf_addf(&p, "%s-wal", path);
	unlink(p.buf);
	strbuf_reset(&p);
	strbuf_addf(&p, "%s-shm", path);
	unlink(p.buf);
	strbuf_release(&p);
}

/*
 * The database, its -wal and its -shm are personal data: a file that qfq
 * opens for writing and finds readable by others (made by `touch`, copied
 * with mode 0644) is tightened to 0600, with a warning.
 */
static void tighten(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	struct strbuf p = STRBUF_INIT;
	struct stat sb;
	size_t i;
	for (i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++) {
		strbuf_reset(&p);
		strbuf_addf(&p, "%s%s", path, suffixes[i]);
		if (stat(p.buf, &sb) || !(sb.st_mode & 077))
			continue;
		if (chmod(p.buf, 0600))
			qfq_warning(_("\"%s\" can be read by other users (mode %04o) and could not "
				      "be made private: %s"), p.buf, (unsigned)(sb.st_mode & 07777), strerror(errno));
		else
			qfq_warning(_("\"%s\" could be read by other users (mode %04o): now 0600"),
				    p.buf, (unsigned)(sb.st_mode & 07777));
	}
	strbuf_release(&p);
}

/* path as an SQLite URI with the given query ("immutable=1"). */
static void add_uri(struct strbuf *uri, const char *path, const char *query)
{
	const unsigned char *p;
	strbuf_addstr(uri, "file:");
	for (p = (const unsigned char *)path; *p; p++) {
		if (*p == '?' || *p == '#' || *p == '%' || *p <= ' ' || *p >= 0x7F)
			strbuf_addf(uri, "%%%02X", *p);
		else
			strbuf_addch(uri, *p);
	}
	strbuf_addf(uri, "?%s", query);
}

/*
 * Opens one connection. A read-only database in a folder where SQLite may
 * not create the -shm file is opened immutable, which needs no file beside
 * it: only when no -wal file holds changes, since immutable reads ignore it.
 */
static int open_connection(const char *path, enum db_mode mode, bool immutable, sqlite3 **out)
{
	struct strbuf uri = STRBUF_INIT;
	/* one thread per connection: no mutex around every sqlite3_column_*() call */
	int flags = (mode == DB_READ ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
		    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
	static bool configured;
	int rc;

	/*
	 * Before SQLite's first use in the process (it then refuses, harmlessly):
	 * no memory statistics, which qfq never reads and which cost a global
	 * mutex around every allocation (an import of 5,000 places makes
	 * 2 million of them).
	 */
	if (!configured) {
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		configured = true;
	}
	if (immutable) {
		add_uri(&uri, path, "immutable=1");
		rc = sqlite3_open_v2(uri.buf, out, flags | SQLITE_OPEN_URI, NULL);
	} else {
		rc = sqlite3_open_v2(path, out, flags, NULL);
	}
	strbuf_release(&uri);
	if (rc != SQLITE_OK) {
		qfq_error(_("cannot open \"%s\": %s"), path, *out ? sqlite3_errmsg(*out) : "out of memory");
		sqlite3_close(*out);
		*out = NULL;
		return -1;
	}
	sqlite3_busy_timeout(*out, lock_timeout_ms());
	sqlite3_extended_result_codes(*out, 1);
	return 0;
}

int db_open(const char *path, enum db_mode mode, sqlite3 **out)
{
	struct stat sb;
	sqlite3 *db = NULL;
	bool had_wal, immutable = false;
	off_t wal_size;
	int r;

	*out = NULL;
	if (stat(path, &sb)) {
		if (errno != ENOENT)
			return qfq_error(_("cannot open \"%s\": %s"), path, strerror(errno));
		if (mode != DB_CREATE)
			return qfq_error(_("no database at \"%s\": run `qfq init` first"), path);
		if (create_file(path))
			return -1;
	} else if (!S_ISREG(sb.st_mode)) {
		return qfq_error(_("\"%s\" is not a regular file"), path);
	}
	had_wal = file_exists(path, "-wal", &wal_size);
	for (;;) {
		if (open_connection(path, mode, immutable, &db))
			return -1;
		r = prepare_store(db, path, mode);
		if (r != 2 || immutable || wal_size > 0)
			break;
		/* a read-only folder: no -shm can be made, and no -wal holds data */
		sqlite3_close(db);
		immutable = true;
	}
	if (r == 2)
		open_error(db, path);
	if (r == 1) {
		/* an older schema: migrations apply on any open, reads included */
		sqlite3_close(db);
		return db_open(path, DB_WRITE, out);
	}
	if (r || db_exec(db, "PRAGMA foreign_keys = ON") || ftsrank_register(db) || collate_register(db)) {
		sqlite3_close(db);
		if (!had_wal)
			remove_sidecars(path);
		return -1;
	}
	if (mode != DB_READ)
		tighten(path); /* a qfq database: not before, a refused file keeps its mode */
	once_drop(db);
	*out = db;
	return 0;
}

/*
 * A second connection in the same process must not go through db_open()'s
 * own look at the file (open, read, close): closing any descriptor of the file drops every POSIX
 * lock the process holds on it, those of the connection already open
 * included, and another process could then reset the -wal under it.
 * SQLite shares its descriptors between connections of one process.
 */
int db_open_sibling(sqlite3 *db, sqlite3 **out)
{
	const char *path = sqlite3_db_filename(db, "main");
	sqlite3 *w = NULL;
	*out = NULL;
	if (!path || !*path)
		return qfq_error(_("no database file"));
	if (sqlite3_open_v2(path, &w, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL) !=
	    SQLITE_OK) {
		qfq_error(_("cannot open \"%s\": %s"), path, w ? sqlite3_errmsg(w) : "out of memory");
		sqlite3_close(w);
		return -1;
	}
	sqlite3_busy_timeout(w, 5000);
	sqlite3_extended_result_codes(w, 1);
	if (db_exec(w, "PRAGMA foreign_keys = ON") || ftsrank_register(w)) {
		sqlite3_close(w);
		return -1;
	}
	once_drop(w);
	*out = w;
	return 0;
}

void db_close(sqlite3 *db)
{
	if (!db)
		return;
	db_rollback(db);
	history_end(db);
	stmts_drop(db);
	once_drop(db);
	sqlite3_close_v2(db);
}

int db_audit(sqlite3 *db, const char *action, const char *entity, sqlite3_int64 id,
	     const char *detail)
{
	static const char sql[] = "INSERT INTO audit_log(command, action, entity, entity_id, detail) "
				  "VALUES (?1, ?2, ?3, ?4, ?5)";
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, sql, &st))
		return -1;
	sqlite3_bind_text(st, 1, current_command ? current_command : "qfq", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, entity, -1, SQLITE_STATIC);
	if (id)
		sqlite3_bind_int64(st, 4, id);
	sqlite3_bind_text(st, 5, detail, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, _("audit log"));
}

int db_meta_set(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, "INSERT INTO meta(key, value) VALUES (?1, ?2) "
			   "ON CONFLICT(key) DO UPDATE SET value = excluded.value", &st))
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "meta");
}

char *db_meta_get(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	char *res = NULL;
	if (db_prepare(db, "SELECT value FROM meta WHERE key = ?1", &st))
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		res = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return res;
}
