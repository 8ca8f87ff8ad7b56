/*
 * shareconflicts: the conflicts list, read and swapped (see shareconflicts.h).
 */
#include "db/shareconflicts.h"
#include "db/db.h"
#include "db/history.h"
#include "db/share.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The record a conflict's row belongs to, named; the copies by name. */
static const char conflicts_sql[] =
	"WITH me(copy, name) AS (SELECT (SELECT value FROM meta WHERE key = 'copy_id'), "
	"(SELECT value FROM meta WHERE key = 'copy_name')) "
	"SELECT c.id, strftime('%Y-%m-%d %H:%M', c.at), c.tbl, c.key, "
	"CASE c.tbl "
	"WHEN 'persons' THEN (SELECT trim(ifnull(prenom, '') || ' ' || nom) FROM persons WHERE id = CAST(c.key AS INTEGER)) "
	"WHEN 'memberships' THEN (SELECT trim(ifnull(p.prenom, '') || ' ' || p.nom) || ' · ' || s.nom FROM memberships m "
	"  JOIN persons p ON p.id = m.person_id JOIN structures s ON s.id = m.structure_id "
	"  WHERE m.id = CAST(c.key AS INTEGER)) "
	"WHEN 'permanences' THEN (SELECT s.nom || ' · ' || ifnull(pe.lieu, '') FROM permanences pe "
	"  JOIN structures s ON s.id = pe.structure_id WHERE pe.id = CAST(c.key AS INTEGER)) "
	"WHEN 'events' THEN (SELECT titre || ' · ' || date FROM events WHERE id = CAST(c.key AS INTEGER)) "
	"WHEN 'referrals' THEN (SELECT 'n° ' || id || ' · ' || date FROM referrals WHERE id = CAST(c.key AS INTEGER)) "
	"ELSE (SELECT nom FROM structures WHERE id = CAST(c.key AS INTEGER) "
	"  AND (c.tbl = 'structures' OR c.tbl LIKE 'structure%')) END, "
	"c.col, CAST(c.kept AS TEXT), CAST(c.lost AS TEXT), "
	"coalesce(nullif(CASE WHEN c.kept_copy = me.copy THEN me.name END, ''), "
	"  (SELECT name FROM share_copies WHERE copy = c.kept_copy), substr(c.kept_copy, 1, 8)), "
	"coalesce(nullif(CASE WHEN c.lost_copy = me.copy THEN me.name END, ''), "
	"  (SELECT name FROM share_copies WHERE copy = c.lost_copy), substr(c.lost_copy, 1, 8)), "
	"c.kept_copy = me.copy, c.lost_copy = me.copy, "
	"(SELECT strftime('%Y-%m-%d %H:%M', st.stamp / 1000, 'unixepoch') FROM share_stamps st "
	"  WHERE st.tbl = c.tbl AND st.key = c.key AND st.col = c.col AND st.copy = c.kept_copy), "
	"c.state = 'swapped' "
	"FROM share_conflicts c, me ORDER BY c.id";

static char *col_dup(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? xstrdup(s) : NULL;
}

int share_conflicts_load(sqlite3 *db, struct share_conflict **out, size_t *nout)
{
	struct share_conflict *v = NULL;
	size_t n = 0, alloc = 0;
	sqlite3_stmt *st;
	int step;
	*out = NULL;
	*nout = 0;
	if (db_prepare(db, conflicts_sql, &st))
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct share_conflict *c;
		XGROW(v, alloc, n + 1);
		c = &v[n++];
		c->id = sqlite3_column_int64(st, 0);
		c->at = col_dup(st, 1);
		c->table = col_dup(st, 2);
		c->key = col_dup(st, 3);
		c->record = col_dup(st, 4);
		c->col = col_dup(st, 5);
		c->kept = col_dup(st, 6);
		c->lost = col_dup(st, 7);
		c->kept_copy = col_dup(st, 8);
		c->lost_copy = col_dup(st, 9);
		c->kept_here = sqlite3_column_int(st, 10);
		c->lost_here = sqlite3_column_int(st, 11);
		c->kept_date = col_dup(st, 12);
		c->swapped = sqlite3_column_int(st, 13);
	}
	sqlite3_finalize(st);
	*out = v;
	*nout = n;
	if (step != SQLITE_DONE) {
		share_conflicts_free(v, n);
		*out = NULL;
		*nout = 0;
		return db_error(db, _("share"));
	}
	return 0;
}

void share_conflicts_free(struct share_conflict *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(v[i].at);
		free(v[i].table);
		free(v[i].key);
		free(v[i].record);
		free(v[i].col);
		free(v[i].kept);
		free(v[i].lost);
		free(v[i].kept_copy);
		free(v[i].lost_copy);
		free(v[i].kept_date);
	}
	free(v);
}

const char *share_conflict_rule(const struct share_conflict *c)
{
	if (c->swapped)
		return _("valeur remise à la main (échange)");
	if (!c->col)
		return _("une suppression ou un effacement l'emporte sur une modification");
	return _("la modification la plus récente l'emporte (à égalité : la copie au plus grand identifiant)");
}

int share_conflict_swap(sqlite3 *db, sqlite3_int64 id)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;
	if (db_begin(db))
		return -1;
	strbuf_addf(&sb, _("conflit %lld : valeur écartée remise"), (long long)id);
	history_set_summary(db, sb.buf);
	strbuf_release(&sb);
	rc = share_swap(db, id);
	if (rc || db_commit(db)) {
		db_rollback(db);
		return rc > 0 ? 1 : -1;
	}
	return 0;
}
