/*
 * refthemes: loading the theme crosswalk data/themes.csv (see refdata.h).
 *
 * Columns: slug, parent, label, standard, datainclusion, legacy, aliases
 * (the last two '|'-separated). Parents precede their children. Every name
 * a theme is known by goes to theme_names under its folded key, so that a
 * single index answers "caf", "Prendre en main un smartphone ou une
 * tablette" and "famille--soutien-a-la-parentalite-et-a-leducation" alike.
 */
#include "core/text.h"
#include "util/csvread.h"
#include "db/db.h"
#include "db/refdata.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

enum { C_SLUG, C_PARENT, C_LABEL, C_STANDARD, C_DI, C_LEGACY, C_ALIASES, C_N };

struct theme_loader {
	sqlite3 *db;
	sqlite3_stmt *upsert, *parent, *name;
	struct refdata_report *rep;
	const char *file;
	unsigned long line;
};

static int add_name(struct theme_loader *tl, sqlite3_int64 id, const char *kind, const char *name,
		    size_t len)
{
	struct strbuf key = STRBUF_INIT;
	int rc;
	text_norm(&key, name, len);
	if (!key.len) {
		strbuf_release(&key);
		return 0;
	}
	sqlite3_bind_text(tl->name, 1, key.buf, (int)key.len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(tl->name, 2, id);
	sqlite3_bind_text(tl->name, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(tl->name, 4, name, (int)len, SQLITE_TRANSIENT);
	rc = sqlite3_step(tl->name);
	sqlite3_reset(tl->name);
	strbuf_release(&key);
	if (rc != SQLITE_DONE)
		return qfq_error(_("\"%s\", line %lu: %s"), tl->file, tl->line, sqlite3_errmsg(tl->db));
	return 0;
}

static int add_list(struct theme_loader *tl, sqlite3_int64 id, const char *kind, const char *list)
{
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		if (len && add_name(tl, id, kind, p, len))
			return -1;
		p = e ? e + 1 : p + len;
		if (!e)
			break;
	}
	return 0;
}

static int theme_row(struct theme_loader *tl, char **f, long position)
{
	struct strbuf norm = STRBUF_INIT;
	sqlite3_int64 parent = 0, id;
	int rc;

	if (!*f[C_SLUG] || !*f[C_LABEL])
		return qfq_error(_("\"%s\", line %lu: a theme needs a slug and a label"), tl->file, tl->line);
	if (*f[C_PARENT]) {
		sqlite3_bind_text(tl->parent, 1, f[C_PARENT], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(tl->parent) == SQLITE_ROW)
			parent = sqlite3_column_int64(tl->parent, 0);
		sqlite3_reset(tl->parent);
		if (!parent)
			return qfq_error(_("\"%s\", line %lu: unknown parent theme \"%s\" (parents come first)"),
					 tl->file, tl->line, f[C_PARENT]);
	}
	text_norm(&norm, f[C_LABEL], strlen(f[C_LABEL]));
	sqlite3_bind_text(tl->upsert, 1, f[C_SLUG], -1, SQLITE_TRANSIENT);
	if (parent)
		sqlite3_bind_int64(tl->upsert, 2, parent);
	else
		sqlite3_bind_null(tl->upsert, 2);
	sqlite3_bind_text(tl->upsert, 3, f[C_LABEL], -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(tl->upsert, 4, norm.buf, (int)norm.len, SQLITE_TRANSIENT);
	sqlite3_bind_text(tl->upsert, 5, *f[C_STANDARD] ? f[C_STANDARD] : NULL, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(tl->upsert, 6, *f[C_DI] ? f[C_DI] : NULL, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(tl->upsert, 7, position);
	rc = sqlite3_step(tl->upsert);
	sqlite3_reset(tl->upsert);
	strbuf_release(&norm);
	if (rc != SQLITE_DONE)
		return qfq_error(_("\"%s\", line %lu: %s"), tl->file, tl->line, sqlite3_errmsg(tl->db));
	tl->rep->c[REF_THEMES].changed += sqlite3_changes(tl->db);
	sqlite3_bind_text(tl->parent, 1, f[C_SLUG], -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(tl->parent);
	id = sqlite3_column_int64(tl->parent, 0);
	sqlite3_reset(tl->parent);
	if (rc != SQLITE_ROW)
		return qfq_error(_("\"%s\", line %lu: theme not stored"), tl->file, tl->line);
	return add_name(tl, id, "label", f[C_LABEL], strlen(f[C_LABEL])) ||
	       add_name(tl, id, "slug", f[C_SLUG], strlen(f[C_SLUG])) ||
	       add_list(tl, id, "standard", f[C_STANDARD]) ||
	       add_list(tl, id, "datainclusion", f[C_DI]) ||
	       add_list(tl, id, "legacy", f[C_LEGACY]) ||
	       add_list(tl, id, "alias", f[C_ALIASES]);
}

/* Finds each wanted column in the header. */
static int map_header(const struct csv_row *row, int idx[C_N], const char *file)
{
	static const char *const cols[C_N] = { "slug", "parent", "label", "standard",
					       "datainclusion", "legacy", "aliases" };
	size_t i;
	int k;
	for (k = 0; k < C_N; k++) {
		idx[k] = -1;
		for (i = 0; i < row->n; i++)
			if (!strcmp(row->fields[i], cols[k]))
				idx[k] = (int)i;
		if (idx[k] < 0)
			return qfq_error(_("\"%s\": missing column \"%s\""), file, cols[k]);
	}
	return 0;
}

static int read_themes(struct theme_loader *tl, struct csv_reader *csv)
{
	static char empty[] = "";
	struct csv_row row;
	int idx[C_N], rc, k;
	long position = 0;
	char *f[C_N];

	if (csv_next(csv, &row) != 1 || map_header(&row, idx, tl->file))
		return qfq_error(_("\"%s\": no valid header row"), tl->file);
	while ((rc = csv_next(csv, &row)) == 1) {
		tl->line = row.line;
		tl->rep->c[REF_THEMES].rows++;
		for (k = 0; k < C_N; k++)
			f[k] = (size_t)idx[k] < row.n ? row.fields[idx[k]] : empty;
		if (theme_row(tl, f, ++position))
			return -1;
	}
	return rc;
}

static long count_rows(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long n = 0;
	if (db_prepare(db, sql, &st))
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

int refdata_load_themes(sqlite3 *db, const char *dir, struct refdata_report *rep)
{
	struct theme_loader tl = { .db = db, .rep = rep, .file = "themes.csv" };
	struct csv_options opt = { .delim = ',', .encoding = "UTF-8" };
	struct csv_reader *csv = NULL;
	struct strbuf path = STRBUF_INIT;
	int rc = -1;

	strbuf_addf(&path, "%s/themes.csv", dir);
	if (csv_open(&csv, path.buf, &opt) ||
	    db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS seen_names(name_norm, theme_id, kind, name, "
			"PRIMARY KEY (name_norm, theme_id, kind)) WITHOUT ROWID; DELETE FROM seen_names") ||
	    db_prepare(db, "INSERT INTO themes(slug, parent_id, label, label_norm, standard, datainclusion, "
			   "position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(slug) DO UPDATE SET "
			   "parent_id = excluded.parent_id, label = excluded.label, label_norm = excluded.label_norm, "
			   "standard = excluded.standard, datainclusion = excluded.datainclusion, "
			   "position = excluded.position WHERE parent_id IS NOT excluded.parent_id "
			   "OR label IS NOT excluded.label OR label_norm IS NOT excluded.label_norm "
			   "OR standard IS NOT excluded.standard OR datainclusion IS NOT excluded.datainclusion "
			   "OR position IS NOT excluded.position", &tl.upsert) ||
	    db_prepare(db, "SELECT id FROM themes WHERE slug = ?1", &tl.parent) ||
	    db_prepare(db, "INSERT OR IGNORE INTO seen_names VALUES (?1, ?2, ?3, ?4)", &tl.name))
		goto done;
	if (read_themes(&tl, csv))
		goto done;
	if (db_exec(db, "INSERT INTO theme_names SELECT * FROM seen_names WHERE true "
			"ON CONFLICT DO UPDATE SET name = excluded.name WHERE name IS NOT excluded.name"))
		goto done;
	rep->c[REF_THEME_NAMES].changed += sqlite3_changes(db);
	if (db_exec(db, "DELETE FROM theme_names WHERE (name_norm, theme_id, kind) NOT IN "
			"(SELECT name_norm, theme_id, kind FROM seen_names)"))
		goto done;
	rep->c[REF_THEME_NAMES].changed += sqlite3_changes(db);
	rep->c[REF_THEME_NAMES].rows = count_rows(db, "SELECT count(*) FROM seen_names");
	rc = 0;
done:
	if (rc)
		qfq_error_prefix("themes.csv");
	sqlite3_finalize(tl.upsert);
	sqlite3_finalize(tl.parent);
	sqlite3_finalize(tl.name);
	csv_close(csv);
	strbuf_release(&path);
	return rc;
}
