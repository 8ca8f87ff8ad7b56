/* browse: theme tree, territories and meetings with counts (see browse.h). */
#include "db/browse.h"
#include "core/text.h"
#include "db/db.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void browse_list_clear(struct browse_list *l)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].code);
		free(l->v[i].label);
		free(l->v[i].detail);
		free(l->v[i].norm);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? xstrdup((const char *)s) : NULL;
}

static struct browse_row *add_row(struct browse_list *l)
{
	struct browse_row *r;
	XGROW(l->v, l->alloc, l->n + 1);
	r = &l->v[l->n++];
	memset(r, 0, sizeof(*r));
	return r;
}

/*
 * Runs sql (parameters ?1, ?2 bound to a, b when not NULL) whose columns are
 * id, code, label, detail, depth, count, and appends one row per result.
 */
static int fill(sqlite3 *db, const char *sql, const char *a, const char *b, sqlite3_int64 id,
		struct browse_list *out)
{
	sqlite3_stmt *st;
	struct browse_row *r;
	int rc;

	if (db_prepare(db, sql, &st))
		return -1;
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_STATIC);
	if (id)
		sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r = add_row(out);
		r->id = sqlite3_column_int64(st, 0);
		r->code = col_dup(st, 1);
		r->label = col_dup(st, 2);
		if (!r->label)
			r->label = xstrdup("?");
		r->detail = col_dup(st, 3);
		r->depth = sqlite3_column_int(st, 4);
		r->count = sqlite3_column_int(st, 5);
		r->norm = text_norm_dup(r->label);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "browse");
}

/*
 * The tree in depth-first order: a recursive CTE carries the path of
 * positions so that ORDER BY path gives parents before their children.
 * A structure counts for a theme when it offers it or any descendant.
 */
int browse_themes(sqlite3 *db, struct browse_list *out)
{
	static const char sql[] =
		"WITH RECURSIVE tree(id, depth, path) AS ("
		"  SELECT id, 0, printf('%06d.%06d', position, id) FROM themes WHERE parent_id IS NULL"
		"  UNION ALL SELECT t.id, tree.depth + 1, tree.path || '/' || printf('%06d.%06d', t.position, t.id)"
		"  FROM themes t JOIN tree ON t.parent_id = tree.id)"
		" SELECT t.id, t.slug, t.label, p.slug, tree.depth, 0"
		" FROM tree JOIN themes t ON t.id = tree.id LEFT JOIN themes p ON p.id = t.parent_id"
		" ORDER BY tree.path";
	return fill(db, sql, NULL, NULL, 0, out);
}

int browse_departements(sqlite3 *db, struct browse_list *out)
{
	static const char sql[] =
		"SELECT 0, d.code, d.nom, d.code, 0, count(*) FROM structures s"
		" JOIN communes c ON c.code_insee = s.code_insee"
		" JOIN departements d ON d.code = c.departement"
		" GROUP BY d.code ORDER BY d.code";
	return fill(db, sql, NULL, NULL, 0, out);
}

int browse_epcis(sqlite3 *db, const char *dep, struct browse_list *out)
{
	static const char sql[] =
		"SELECT 0, e.siren, ifnull(e.nom, '(sans EPCI)'), e.type, 1, count(*) FROM structures s"
		" JOIN communes c ON c.code_insee = s.code_insee LEFT JOIN epci e ON e.siren = c.epci"
		" WHERE c.departement = ?1 GROUP BY e.siren ORDER BY e.siren IS NULL, e.nom_norm";
	return fill(db, sql, dep, NULL, 0, out);
}

int browse_communes(sqlite3 *db, const char *dep, const char *epci, struct browse_list *out)
{
	static const char sql[] =
		"SELECT 0, c.code_insee, c.nom, c.code_insee, 2, count(*) FROM structures s"
		" JOIN communes c ON c.code_insee = s.code_insee"
		" WHERE c.departement = ?1 AND c.epci IS ?2 GROUP BY c.code_insee ORDER BY c.nom_norm";
	return fill(db, sql, dep, epci, 0, out);
}

int browse_events(sqlite3 *db, struct browse_list *out)
{
	static const char sql[] =
		"SELECT e.id, e.date, e.titre, e.date || ifnull(' · ' || ifnull(e.lieu, c.nom), ''), 0,"
		" (SELECT count(*) FROM attendance a WHERE a.event_id = e.id AND a.presence = 'present')"
		" FROM events e LEFT JOIN communes c ON c.code_insee = e.code_insee"
		" ORDER BY e.date DESC, e.titre COLLATE fr, e.id";
	return fill(db, sql, NULL, NULL, 0, out);
}

int browse_attendance(sqlite3 *db, sqlite3_int64 event, struct browse_list *out)
{
	static const char sql[] =
		"SELECT p.id, a.presence, trim(ifnull(p.prenom, '') || ' ' || p.nom), s.nom, 0, 0"
		" FROM attendance a JOIN persons p ON p.id = a.person_id"
		" LEFT JOIN structures s ON s.id = a.structure_id"
		" WHERE a.event_id = ?1 ORDER BY a.presence = 'present' DESC, p.nom COLLATE fr,"
		" p.prenom COLLATE fr, p.id";
	return fill(db, sql, NULL, NULL, event, out);
}
