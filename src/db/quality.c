/*
 * quality: freshness and data-quality findings (see quality.h). Each check
 * is one query; coordinates far from their commune are measured in C with
 * the same distance as the search.
 */
#include "db/quality.h"
#include "core/geo.h"
#include "db/db.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Beyond this, own coordinates are probably wrong (a commune is rarely 20 km wide). */
#define FAR_KM 25.0

/* Every query: ?1 months, ?2 only_id (0: all); columns id, nom, commune, detail argument. */
static const struct check {
	const char *kind;
	bool person;
	const char *sql;
	const char *detail; /* the message (N_()), or NULL: written from column 3 */
} checks[] = {
	{ "stale", false,
	  "SELECT s.id, s.nom, c.nom, coalesce(s.date_maj, substr(s.updated_at, 1, 10)) FROM structures s "
	  "LEFT JOIN communes c ON c.code_insee = s.code_insee "
	  "WHERE coalesce(s.date_maj, substr(s.updated_at, 1, 10)) < date('now', '-' || ?1 || ' months') "
	  "AND (?2 = 0 OR s.id = ?2) ORDER BY s.id", NULL },
	{ "hours", false,
	  "SELECT s.id, s.nom, c.nom, s.horaires FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee "
	  "WHERE (s.horaires IS NULL OR s.horaires_ok = 0) AND (?2 = 0 OR s.id = ?2) AND ?1 IS NOT NULL ORDER BY s.id",
	  N_("no opening hours") },
	{ "contact", false,
	  "SELECT s.id, s.nom, c.nom, '' FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee "
	  "WHERE s.telephone IS NULL AND s.courriels IS NULL AND s.site_web IS NULL AND (?2 = 0 OR s.id = ?2) "
	  "AND ?1 IS NOT NULL ORDER BY s.id", N_("no phone, email or web site") },
	{ "themes", false,
	  "SELECT s.id, s.nom, c.nom, '' FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee "
	  "WHERE NOT EXISTS (SELECT 1 FROM structure_themes t WHERE t.structure_id = s.id) AND (?2 = 0 OR s.id = ?2) "
	  "AND ?1 IS NOT NULL ORDER BY s.id", N_("no services") },
	{ "members", false,
	  "SELECT s.id, s.nom, c.nom, '' FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee "
	  "WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.structure_id = s.id AND m.fin IS NULL) "
	  "AND (?2 = 0 OR s.id = ?2) AND ?1 IS NOT NULL ORDER BY s.id", N_("no members") },
	{ "territory", false,
	  "SELECT s.id, s.nom, c.nom, '' FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee "
	  "WHERE NOT EXISTS (SELECT 1 FROM structure_territories t WHERE t.structure_id = s.id) "
	  "AND (?2 = 0 OR s.id = ?2) AND ?1 IS NOT NULL ORDER BY s.id", N_("no served territory") },
	{ "person", true,
	  "SELECT p.id, trim(ifnull(p.prenom, '') || ' ' || p.nom), NULL, '' FROM persons p "
	  "WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.fin IS NULL) "
	  "AND ?2 = 0 AND ?1 IS NOT NULL ORDER BY p.id", N_("in no structure") },
	{ "merge", false,
	  "SELECT m.a_id, CASE m.kind WHEN 'structure' THEN (SELECT nom FROM structures WHERE id = m.a_id) "
	  "ELSE (SELECT trim(ifnull(prenom, '') || ' ' || nom) FROM persons WHERE id = m.a_id) END, NULL, "
	  "m.b_id || ' ' || CASE m.kind WHEN 'structure' THEN (SELECT nom FROM structures WHERE id = m.b_id) "
	  "ELSE (SELECT trim(ifnull(prenom, '') || ' ' || nom) FROM persons WHERE id = m.b_id) END "
	  "FROM merge_proposals m WHERE m.state = 'open' AND (?2 = 0 OR ?2 IN (m.a_id, m.b_id)) AND ?1 IS NOT NULL "
	  "ORDER BY m.kind DESC, m.a_id, m.b_id", NULL },
};

static int far_coords(sqlite3 *db, sqlite3_int64 only_id, quality_fn fn, void *arg)
{
	sqlite3_stmt *st;
	struct strbuf detail = STRBUF_INIT;
	int rc = 0, step;
	if (db_prepare(db, "SELECT s.id, s.nom, c.nom, s.latitude, s.longitude, c.latitude, c.longitude "
			   "FROM structures s JOIN communes c ON c.code_insee = s.code_insee "
			   "WHERE s.coord_exact AND s.latitude IS NOT NULL AND c.latitude IS NOT NULL "
			   "AND (?1 = 0 OR s.id = ?1) ORDER BY s.id", &st))
		return -1;
	sqlite3_bind_int64(st, 1, only_id);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		double km = geo_distance_km(sqlite3_column_double(st, 3), sqlite3_column_double(st, 4),
					    sqlite3_column_double(st, 5), sqlite3_column_double(st, 6));
		struct quality_issue q = { "coords", false, sqlite3_column_int64(st, 0),
					   (const char *)sqlite3_column_text(st, 1),
					   (const char *)sqlite3_column_text(st, 2), NULL };
		if (km <= FAR_KM)
			continue;
		strbuf_reset(&detail);
		strbuf_addf(&detail, _("its point is %.0f km from the centre of its commune"), km);
		q.detail = detail.buf;
		rc = fn(&q, arg);
	}
	sqlite3_finalize(st);
	strbuf_release(&detail);
	return rc;
}

int quality_scan(sqlite3 *db, int months, sqlite3_int64 only_id, quality_fn fn, void *arg)
{
	struct strbuf detail = STRBUF_INIT;
	size_t i;
	int rc = 0;
	for (i = 0; i < sizeof(checks) / sizeof(*checks) && !rc; i++) {
		sqlite3_stmt *st;
		if (!strcmp(checks[i].kind, "person") && (rc = far_coords(db, only_id, fn, arg)))
			break;
		if (db_prepare(db, checks[i].sql, &st)) {
			rc = -1;
			break;
		}
		sqlite3_bind_int(st, 1, months);
		sqlite3_bind_int64(st, 2, only_id);
		while (!rc && sqlite3_step(st) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(st, 3);
			struct quality_issue q = { checks[i].kind, checks[i].person, sqlite3_column_int64(st, 0),
						   (const char *)sqlite3_column_text(st, 1),
						   (const char *)sqlite3_column_text(st, 2), NULL };
			strbuf_reset(&detail);
			if (!strcmp(checks[i].kind, "hours") && d)
				strbuf_addf(&detail, _("opening hours not understood: \"%s\""), d);
			else if (!strcmp(checks[i].kind, "stale"))
				strbuf_addf(&detail, _("not updated since %s"), d ? d : "?");
			else if (!strcmp(checks[i].kind, "merge"))
				strbuf_addf(&detail, _("open merge proposal with %s"), d ? d : "?");
			else
				strbuf_addstr(&detail, _(checks[i].detail));
			q.detail = detail.buf;
			rc = fn(&q, arg);
		}
		sqlite3_finalize(st);
	}
	strbuf_release(&detail);
	return rc;
}

int quality_integrity(sqlite3 *db, char **what)
{
	sqlite3_stmt *st;
	int rc;
	*what = NULL;
	if (db_prepare(db, "PRAGMA integrity_check(1)", &st))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(st, 0);
		rc = r && !strcmp(r, "ok") ? 0 : 1;
		if (rc)
			*what = xstrdup(r ? r : "?");
	} else {
		rc = db_error(db, "integrity_check");
	}
	sqlite3_finalize(st);
	return rc;
}
