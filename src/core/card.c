/*
 * card: gathering everything known about a structure (see card.h).
 *
 * A handful of small queries, each by primary key or index (the row with
 * its commune, themes, members and their themes, territories, permanences),
 * so a card loads in well under a millisecond and the TUI can load one per
 * cursor move.
 */
#include "core/card.h"
#include "core/date.h"
#include "core/l10n.h"
#include "db/db.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *col_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t && *t ? xstrdup((const char *)t) : NULL;
}

static void strings_add(struct card_strings *l, const char *s, size_t len)
{
	XGROW(l->v, l->alloc, l->n + 1);
	l->v[l->n++] = xstrndup(s, len);
}

/* Splits a '|'-joined store field into l. */
static void strings_split(struct card_strings *l, const unsigned char *joined)
{
	const char *p = (const char *)joined;
	while (p && *p) {
		size_t len = strcspn(p, "|");
		if (len)
			strings_add(l, p, len);
		p += len + (p[len] == '|');
	}
}

static void strings_clear(struct card_strings *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void themes_clear(struct card_themes *t)
{
	size_t i;
	for (i = 0; i < t->n; i++) {
		free(t->v[i].slug);
		free(t->v[i].label);
		free(t->v[i].parent_label);
		free(t->v[i].standard);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

static bool themes_has(const struct card_themes *t, sqlite3_int64 id)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		if (t->v[i].id == id)
			return true;
	return false;
}

/* Themes columns: t.id, t.slug, t.label, parent label, standard of the top. */
#define THEME_COLS "t.id, t.slug, t.label, pt.label, coalesce(pt.standard, t.standard)"
#define THEME_JOIN "JOIN themes t ON t.id = x.theme_id LEFT JOIN themes pt ON pt.id = t.parent_id"
#define THEME_ORDER "ORDER BY coalesce(pt.position, t.position), t.parent_id IS NOT NULL, t.position"

static void theme_read(sqlite3_stmt *st, int c, struct card_themes *out)
{
	struct card_theme *t;
	XGROW(out->v, out->alloc, out->n + 1);
	t = &out->v[out->n++];
	t->id = sqlite3_column_int64(st, c);
	t->slug = col_dup(st, c + 1);
	t->label = col_dup(st, c + 2);
	t->parent_label = col_dup(st, c + 3);
	t->standard = col_dup(st, c + 4);
}

/* Runs sql (one id parameter) and appends its themes. */
static int load_themes(sqlite3 *db, const char *sql, sqlite3_int64 id, struct card_themes *out,
		       bool *referent)
{
	sqlite3_stmt *st;
	int rc;
	if (db_stmt(db, sql, &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		theme_read(st, 0, out);
		if (referent && sqlite3_column_int(st, 5))
			*referent = true;
	}
	db_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "themes");
}

static const char row_sql[] =
	"SELECT s.nom, s.typologie, s.siret, s.parent_id, p.nom, s.adresse, s.complement_adresse, "
	"s.code_postal, s.code_insee, c.nom, c.departement, d.nom, e.nom, "
	"coalesce(s.latitude, c.latitude), coalesce(s.longitude, c.longitude), "
	"s.latitude IS NOT NULL AND s.coord_exact, s.telephone, s.courriels, s.site_web, "
	"s.prise_rdv, s.horaires, s.horaires_ok, s.sans_rdv, s.presentation_resume, "
	"s.presentation_detail, s.publics, s.prise_en_charge, s.modalites_acces, "
	"s.modalites_accompagnement, s.frais, s.dispositifs, s.itinerance, s.formations_labels, "
	"s.autres_formations_labels, s.tags, s.source, s.source_id, s.date_maj, s.created_at, "
	"s.updated_at, s.ferme_du, s.ferme_au "
	"FROM structures s LEFT JOIN structures p ON p.id = s.parent_id "
	"LEFT JOIN communes c ON c.code_insee = s.code_insee "
	"LEFT JOIN departements d ON d.code = c.departement LEFT JOIN epci e ON e.siren = c.epci "
	"WHERE s.id = ?1";

static void read_main(sqlite3_stmt *st, struct card *c)
{
	c->nom = col_dup(st, 0);
	strings_split(&c->typologie, sqlite3_column_text(st, 1));
	c->siret = col_dup(st, 2);
	c->parent_id = sqlite3_column_int64(st, 3);
	c->parent_nom = col_dup(st, 4);
	c->adresse = col_dup(st, 5);
	c->complement_adresse = col_dup(st, 6);
	c->code_postal = col_dup(st, 7);
	c->code_insee = col_dup(st, 8);
	c->commune = col_dup(st, 9);
	c->departement = col_dup(st, 10);
	c->departement_nom = col_dup(st, 11);
	c->epci_nom = col_dup(st, 12);
	c->has_coords = sqlite3_column_type(st, 13) != SQLITE_NULL &&
			sqlite3_column_type(st, 14) != SQLITE_NULL;
	c->latitude = sqlite3_column_double(st, 13);
	c->longitude = sqlite3_column_double(st, 14);
	c->coord_exact = sqlite3_column_int(st, 15) != 0;
	c->telephone = col_dup(st, 16);
	strings_split(&c->courriels, sqlite3_column_text(st, 17));
	c->site_web = col_dup(st, 18);
	c->prise_rdv = col_dup(st, 19);
	c->horaires = col_dup(st, 20);
	c->horaires_ok = sqlite3_column_type(st, 21) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 21);
	c->sans_rdv = sqlite3_column_type(st, 22) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 22);
	c->presentation_resume = col_dup(st, 23);
	c->presentation_detail = col_dup(st, 24);
	strings_split(&c->publics, sqlite3_column_text(st, 25));
	strings_split(&c->prise_en_charge, sqlite3_column_text(st, 26));
	strings_split(&c->modalites_acces, sqlite3_column_text(st, 27));
	strings_split(&c->modalites_accompagnement, sqlite3_column_text(st, 28));
	strings_split(&c->frais, sqlite3_column_text(st, 29));
	strings_split(&c->dispositifs, sqlite3_column_text(st, 30));
	strings_split(&c->itinerance, sqlite3_column_text(st, 31));
	strings_split(&c->formations_labels, sqlite3_column_text(st, 32));
	strings_split(&c->autres_formations_labels, sqlite3_column_text(st, 33));
	strings_split(&c->tags, sqlite3_column_text(st, 34));
	c->source = col_dup(st, 35);
	c->source_id = col_dup(st, 36);
	c->date_maj = col_dup(st, 37);
	c->created_at = col_dup(st, 38);
	c->updated_at = col_dup(st, 39);
	c->ferme_du = col_dup(st, 40);
	c->ferme_au = col_dup(st, 41);
}

static int load_simple_lists(sqlite3 *db, struct card *c)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if (db_stmt(db, "SELECT alias FROM structure_aliases WHERE structure_id = ?1 "
			   "AND alias <> ?2 ORDER BY alias COLLATE fr", &st))
		return -1;
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_text(st, 2, c->nom ? c->nom : "", -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		strings_add(&c->aliases, (const char *)sqlite3_column_text(st, 0),
			    (size_t)sqlite3_column_bytes(st, 0));
	db_stmt_done(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "structure_aliases");

	if (db_stmt(db, "SELECT label FROM typologies WHERE code = ?1", &st))
		return -1;
	for (i = 0; i < c->typologie.n; i++) {
		sqlite3_bind_text(st, 1, c->typologie.v[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			strings_add(&c->typologie_labels, (const char *)sqlite3_column_text(st, 0),
				    (size_t)sqlite3_column_bytes(st, 0));
		else
			strings_add(&c->typologie_labels, c->typologie.v[i], strlen(c->typologie.v[i]));
		sqlite3_reset(st);
	}
	db_stmt_done(st);

	if (db_stmt(db, "SELECT kind, code, CASE kind "
			   "WHEN 'commune' THEN (SELECT nom FROM communes WHERE code_insee = code) "
			   "WHEN 'epci' THEN (SELECT nom FROM epci WHERE siren = code) "
			   "WHEN 'departement' THEN (SELECT nom FROM departements d WHERE d.code = t.code) "
			   "WHEN 'region' THEN (SELECT nom FROM regions r WHERE r.code = t.code) END, origine "
			   "FROM structure_territories t WHERE structure_id = ?1 "
			   "ORDER BY CASE kind WHEN 'region' THEN 0 WHEN 'departement' THEN 1 "
			   "WHEN 'epci' THEN 2 ELSE 3 END, 3, code", &st))
		return -1;
	sqlite3_bind_int64(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct card_territory *t;
		c->territories = xrealloc(c->territories, (c->n_territories + 1) * sizeof(*t));
		t = &c->territories[c->n_territories++];
		t->kind = col_dup(st, 0);
		t->code = col_dup(st, 1);
		t->nom = col_dup(st, 2);
		t->origine = col_dup(st, 3);
	}
	db_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "structure_territories");
}

const char *card_territory_origin(const struct card_territory *t)
{
	if (!t->origine)
		return NULL;
	if (!strcmp(t->origine, "nom"))
		return _("déduit du nom");
	if (!strcmp(t->origine, "reunion"))
		return _("déduit de la réunion");
	return _("déduit de son adresse");
}

void card_territories_line(struct strbuf *sb, const struct card *c)
{
	size_t i;
	for (i = 0; i < c->n_territories; i++) {
		const char *o = card_territory_origin(&c->territories[i]);
		strbuf_addf(sb, "%s%s", i ? ", " : "",
			    c->territories[i].nom ? c->territories[i].nom : c->territories[i].code);
		if (o)
			strbuf_addf(sb, " (%s)", o);
	}
}

static int load_members(sqlite3 *db, struct card *c)
{
	sqlite3_stmt *st;
	size_t i, k;
	int rc;

	if (db_stmt(db, "SELECT p.id, p.nom, p.prenom, m.role, m.debut, m.fin, p.courriels, "
			   "p.telephones FROM memberships m JOIN persons p ON p.id = m.person_id "
			   "WHERE m.structure_id = ?1 ORDER BY m.fin IS NOT NULL, p.nom COLLATE fr, "
			   "p.prenom COLLATE fr, p.id", &st))
		return -1;
	sqlite3_bind_int64(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct card_member *m;
		struct strbuf sb = STRBUF_INIT;
		c->members = xrealloc(c->members, (c->n_members + 1) * sizeof(*m));
		m = &c->members[c->n_members++];
		memset(m, 0, sizeof(*m));
		m->person_id = sqlite3_column_int64(st, 0);
		m->nom = col_dup(st, 1);
		m->prenom = col_dup(st, 2);
		if (m->prenom)
			strbuf_addf(&sb, "%s ", m->prenom);
		strbuf_addstr(&sb, m->nom ? m->nom : "");
		m->display = strbuf_detach(&sb, NULL);
		m->role = col_dup(st, 3);
		m->debut = col_dup(st, 4);
		m->fin = col_dup(st, 5);
		strings_split(&m->courriels, sqlite3_column_text(st, 6));
		strings_split(&m->telephones, sqlite3_column_text(st, 7));
	}
	db_stmt_done(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "memberships");
	for (i = 0; i < c->n_members; i++) {
		struct card_member *m = &c->members[i];
		if (load_themes(db, "SELECT " THEME_COLS ", x.referent FROM person_themes x " THEME_JOIN
				" WHERE x.person_id = ?1 " THEME_ORDER, m->person_id, &m->themes, &m->referent))
			return -1;
		for (k = 0; k < m->themes.n; k++) {
			const struct card_theme *t = &m->themes.v[k];
			struct card_theme *u;
			if (themes_has(&c->member_themes, t->id))
				continue;
			XGROW(c->member_themes.v, c->member_themes.alloc, c->member_themes.n + 1);
			u = &c->member_themes.v[c->member_themes.n++];
			u->id = t->id;
			u->slug = t->slug ? xstrdup(t->slug) : NULL;
			u->label = t->label ? xstrdup(t->label) : NULL;
			u->parent_label = t->parent_label ? xstrdup(t->parent_label) : NULL;
			u->standard = t->standard ? xstrdup(t->standard) : NULL;
		}
	}
	return 0;
}

/* The week in French of an opening_hours value, or NULL. */
static char *week_fr(const char *horaires)
{
	struct hours *h = NULL;
	struct strbuf sb = STRBUF_INIT;
	if (!horaires || hours_parse(horaires, &h))
		return NULL;
	hours_week_fr(h, &sb);
	hours_free(h);
	strbuf_trim(&sb);
	return sb.len ? strbuf_detach(&sb, NULL) : (strbuf_release(&sb), NULL);
}

/* Permanences it holds (hosted = false) or that others hold in it. */
static int load_permanences(sqlite3 *db, struct card *c, bool hosted)
{
	static const char sql_held[] =
		"SELECT pe.id, pe.host_id, coalesce(h.nom, pe.lieu), coalesce(pe.adresse, h.adresse), "
		"coalesce(pe.code_insee, h.code_insee), c.nom, pe.horaires, pe.sur_rdv, pe.description "
		"FROM permanences pe LEFT JOIN structures h ON h.id = pe.host_id "
		"LEFT JOIN communes c ON c.code_insee = coalesce(pe.code_insee, h.code_insee) "
		"WHERE pe.structure_id = ?1 ORDER BY c.nom COLLATE fr, pe.id";
	static const char sql_hosted[] =
		"SELECT pe.id, pe.structure_id, s.nom, pe.adresse, pe.code_insee, c.nom, pe.horaires, "
		"pe.sur_rdv, pe.description FROM permanences pe JOIN structures s ON s.id = pe.structure_id "
		"LEFT JOIN communes c ON c.code_insee = pe.code_insee "
		"WHERE pe.host_id = ?1 ORDER BY s.nom COLLATE fr, pe.id";
	struct card_permanence **v = hosted ? &c->hosted : &c->permanences;
	size_t *n = hosted ? &c->n_hosted : &c->n_permanences;
	sqlite3_stmt *st;
	size_t i;
	int rc;

	if (db_stmt(db, hosted ? sql_hosted : sql_held, &st))
		return -1;
	sqlite3_bind_int64(st, 1, c->id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct card_permanence *p;
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		p = &(*v)[(*n)++];
		memset(p, 0, sizeof(*p));
		p->id = sqlite3_column_int64(st, 0);
		p->host_id = sqlite3_column_int64(st, 1);
		p->lieu = col_dup(st, 2);
		p->adresse = col_dup(st, 3);
		p->code_insee = col_dup(st, 4);
		p->commune = col_dup(st, 5);
		p->horaires = col_dup(st, 6);
		p->horaires_fr = week_fr(p->horaires);
		p->sur_rdv = sqlite3_column_type(st, 7) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 7);
		p->description = col_dup(st, 8);
	}
	db_stmt_done(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "permanences");
	for (i = 0; i < *n; i++)
		if (load_themes(db, "SELECT " THEME_COLS " FROM permanence_themes x " THEME_JOIN
				" WHERE x.permanence_id = ?1 " THEME_ORDER, (*v)[i].id, &(*v)[i].themes, NULL))
			return -1;
	return 0;
}


void card_next_open_fr(struct strbuf *sb, const struct tm *now, const struct tm *next)
{
	int days = date_days_between(now, next);
	if (days <= 0)
		strbuf_addf(sb, _("ouvre aujourd'hui à %02d:%02d"), next->tm_hour, next->tm_min);
	else if (days == 1)
		strbuf_addf(sb, _("ouvre demain à %02d:%02d"), next->tm_hour, next->tm_min);
	else if (days < 7)
		strbuf_addf(sb, _("ouvre %s à %02d:%02d"), l10n_day(next->tm_wday), next->tm_hour, next->tm_min);
	else if (days < 28 && next->tm_mon == now->tm_mon)
		strbuf_addf(sb, _("ouvre %s %d à %02d:%02d"), l10n_day(next->tm_wday), next->tm_mday,
			    next->tm_hour, next->tm_min);
	else /* another month: "ouvre lundi 1 septembre à 09:00" */
		strbuf_addf(sb, _("ouvre %s %d %s à %02d:%02d"), l10n_day(next->tm_wday), next->tm_mday,
			    l10n_month(next->tm_mon), next->tm_hour, next->tm_min);
}

/* "2026-12-01" as "1er décembre 2026" (false: not a date). */
static bool date_fr(struct strbuf *sb, const char *ymd)
{
	int y, m, d;
	if (!date_parse_ymd(ymd, &y, &m, &d))
		return false;
	if (d == 1)
		strbuf_addf(sb, _("1er %s %d"), l10n_month(m - 1), y);
	else
		strbuf_addf(sb, "%d %s %d", d, l10n_month(m - 1), y);
	return true;
}

/* The temporary closure, unless it is over: c->fermeture, and whether it
 * covers `now`. */
static bool load_closure(struct card *c, const struct tm *now)
{
	struct strbuf sb = STRBUF_INIT, from = STRBUF_INIT, to = STRBUF_INIT;
	char today[48];
	bool covers = hours_closure_covers(c->ferme_du, c->ferme_au, now);

	snprintf(today, sizeof(today), "%04d-%02d-%02d", now->tm_year + 1900, now->tm_mon + 1, now->tm_mday);
	if (!date_fr(&from, c->ferme_du) || (c->ferme_au && *c->ferme_au && strcmp(c->ferme_au, today) < 0))
		goto done;
	if (!c->ferme_au || !*c->ferme_au || !date_fr(&to, c->ferme_au))
		strbuf_addf(&sb, covers ? _("depuis le %s, jusqu'à nouvel ordre") : _("à partir du %s, jusqu'à nouvel ordre"),
			    from.buf);
	else
		strbuf_addf(&sb, _("du %s au %s"), from.buf, to.buf);
	c->fermeture = strbuf_detach(&sb, NULL);
done:
	strbuf_release(&sb);
	strbuf_release(&from);
	strbuf_release(&to);
	return covers;
}

/* "fermé temporairement jusqu'au 3 janvier 2027, ouvre lundi 4 janvier à 09:00" */
static void closed_now(struct card *c, const struct tm *now, const struct hours *h)
{
	struct strbuf sb = STRBUF_INIT;

	c->state = HOURS_CLOSED;
	strbuf_addstr(&sb, _("fermé temporairement"));
	if (c->ferme_au && *c->ferme_au) {
		strbuf_addf(&sb, " %s ", _("jusqu'au"));
		date_fr(&sb, c->ferme_au);
	} else {
		strbuf_addf(&sb, ", %s", _("jusqu'à nouvel ordre"));
	}
	c->has_next = h && hours_next_open(h, now, &c->next_open) == 0;
	if (c->has_next) {
		strbuf_addstr(&sb, ", ");
		card_next_open_fr(&sb, now, &c->next_open);
	}
	c->ouverture = strbuf_detach(&sb, NULL);
}

static void load_hours(struct card *c, const struct tm *now)
{
	struct hours *h = NULL;
	struct strbuf sb = STRBUF_INIT;
	const char *note = NULL;
	bool closed = load_closure(c, now);

	c->state = HOURS_UNKNOWN;
	if (!c->horaires || hours_parse(c->horaires, &h)) {
		if (c->horaires)
			c->horaires_error = xstrdup(qfq_error_msg());
		if (closed) /* known closed, whatever the hours */
			closed_now(c, now, NULL);
		return;
	}
	if (c->has_coords) /* sunrise and sunset where the place is */
		hours_set_place(h, c->latitude, c->longitude);
	hours_week_fr(h, &sb);
	strbuf_trim(&sb);
	if (sb.len)
		c->horaires_fr = strbuf_detach(&sb, NULL);
	if (c->ferme_du)
		hours_set_closure(h, c->ferme_du, c->ferme_au);
	if (closed) {
		closed_now(c, now, h);
		strbuf_release(&sb);
		hours_free(h);
		return;
	}
	c->state = hours_state_note_at(h, now, &note);
	strbuf_reset(&sb);
	if (c->state == HOURS_OPEN) {
		strbuf_addstr(&sb, _("ouvert en ce moment"));
	} else if (c->state == HOURS_OPEN_END) {
		strbuf_addstr(&sb, _("ouvert en ce moment, heure de fermeture non précisée"));
	} else if (c->state == HOURS_CLOSED) {
		c->has_next = hours_next_open(h, now, &c->next_open) == 0;
		strbuf_addstr(&sb, _("fermé"));
		strbuf_addstr(&sb, ", ");
		if (c->has_next)
			card_next_open_fr(&sb, now, &c->next_open);
		else
			strbuf_addstr(&sb, _("pas d'ouverture prévue dans l'année"));
	}
	if (note) /* "sur rendez-vous": what decides the state, shown with it */
		strbuf_addf(&sb, "%s« %s »", sb.len ? " " : "", note);
	if (sb.len)
		c->ouverture = strbuf_detach(&sb, NULL);
	strbuf_release(&sb);
	hours_free(h);
}

static int freshness(const char *date, const struct tm *now)
{
	int y, m, d, months;
	if (!date || sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return -1;
	months = (now->tm_year + 1900 - y) * 12 + (now->tm_mon + 1 - m) - (now->tm_mday < d);
	return months < 0 ? 0 : months;
}

int card_load(sqlite3 *db, sqlite3_int64 id, const struct tm *now, struct card *out)
{
	sqlite3_stmt *st;
	struct tm local;
	time_t t;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!now) {
		t = time(NULL);
		localtime_r(&t, &local);
		now = &local;
	}
	out->id = id;
	out->horaires_ok = -1;
	out->sans_rdv = -1;
	out->freshness_months = -1;
	out->state = HOURS_UNKNOWN;
	if (db_stmt(db, row_sql, &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_main(st, out);
	db_stmt_done(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return db_error(db, "structures");
	if (load_simple_lists(db, out) ||
	    load_themes(db, "SELECT " THEME_COLS " FROM structure_themes x " THEME_JOIN
			" WHERE x.structure_id = ?1 " THEME_ORDER, id, &out->services, NULL) ||
	    load_members(db, out) || load_permanences(db, out, false) ||
	    load_permanences(db, out, true)) {
		card_clear(out);
		return -1;
	}
	load_hours(out, now);
	out->freshness_months = freshness(out->date_maj, now);
	return 1;
}

static void permanences_free(struct card_permanence *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(v[i].lieu);
		free(v[i].adresse);
		free(v[i].code_insee);
		free(v[i].commune);
		free(v[i].horaires);
		free(v[i].horaires_fr);
		free(v[i].description);
		themes_clear(&v[i].themes);
	}
	free(v);
}

void card_clear(struct card *c)
{
	char **strs[] = { &c->nom, &c->siret, &c->parent_nom, &c->adresse, &c->complement_adresse,
		&c->code_postal, &c->code_insee, &c->commune, &c->departement, &c->departement_nom,
		&c->epci_nom, &c->telephone, &c->site_web, &c->prise_rdv, &c->horaires,
		&c->horaires_error, &c->horaires_fr, &c->ouverture, &c->ferme_du, &c->ferme_au,
		&c->fermeture, &c->presentation_resume,
		&c->presentation_detail, &c->source, &c->source_id, &c->date_maj, &c->created_at,
		&c->updated_at };
	struct card_strings *lists[] = { &c->aliases, &c->typologie, &c->typologie_labels,
		&c->courriels, &c->publics, &c->prise_en_charge, &c->modalites_acces,
		&c->modalites_accompagnement, &c->frais, &c->dispositifs, &c->itinerance,
		&c->formations_labels, &c->autres_formations_labels, &c->tags };
	size_t i;

	for (i = 0; i < sizeof(strs) / sizeof(*strs); i++)
		free(*strs[i]);
	for (i = 0; i < sizeof(lists) / sizeof(*lists); i++)
		strings_clear(lists[i]);
	themes_clear(&c->services);
	themes_clear(&c->member_themes);
	for (i = 0; i < c->n_members; i++) {
		struct card_member *m = &c->members[i];
		free(m->nom);
		free(m->prenom);
		free(m->display);
		free(m->role);
		free(m->debut);
		free(m->fin);
		strings_clear(&m->courriels);
		strings_clear(&m->telephones);
		themes_clear(&m->themes);
	}
	free(c->members);
	for (i = 0; i < c->n_territories; i++) {
		free(c->territories[i].kind);
		free(c->territories[i].code);
		free(c->territories[i].nom);
		free(c->territories[i].origine);
	}
	free(c->territories);
	permanences_free(c->permanences, c->n_permanences);
	permanences_free(c->hosted, c->n_hosted);
	memset(c, 0, sizeof(*c));
}

/* ------------------------------------------------------------------ */
/* Text layout                                                         */
/* ------------------------------------------------------------------ */

static void line_str(struct strbuf *sb, const char *label, const char *value)
{
	if (value && *value)
		strbuf_addf(sb, "%s : %s\n", label, value);
}

static void line_list(struct strbuf *sb, const char *label, const struct card_strings *l)
{
	size_t i;
	if (!l->n)
		return;
	strbuf_addf(sb, "%s : ", label);
	for (i = 0; i < l->n; i++)
		strbuf_addf(sb, "%s%s", i ? ", " : "", l->v[i]);
	strbuf_addch(sb, '\n');
}

static void line_themes(struct strbuf *sb, const char *label, const struct card_themes *t)
{
	size_t i;
	if (!t->n)
		return;
	strbuf_addf(sb, "%s : ", label);
	for (i = 0; i < t->n; i++) {
		if (t->v[i].parent_label)
			strbuf_addf(sb, "%s%s › %s", i ? ", " : "", t->v[i].parent_label, t->v[i].label);
		else
			strbuf_addf(sb, "%s%s", i ? ", " : "", t->v[i].label);
	}
	strbuf_addch(sb, '\n');
}

/*
 * One line per top-level theme, its sub-themes after it:
 * "  Aide aux démarches administratives : Démarches de santé, Impôts".
 * Themes come sorted by crosswalk order, sub-themes after their parent.
 */
static void block_themes(struct strbuf *sb, const char *label, const struct card_themes *t)
{
	const char *top = NULL;
	size_t i, n = 0;
	if (!t->n)
		return;
	strbuf_addf(sb, "%s :\n", label);
	for (i = 0; i < t->n; i++) {
		const char *key = t->v[i].parent_label ? t->v[i].parent_label : t->v[i].label;
		if (!top || strcmp(top, key)) {
			if (top)
				strbuf_addch(sb, '\n');
			strbuf_addf(sb, "  %s", key);
			top = key;
			n = 0;
		}
		if (t->v[i].parent_label)
			strbuf_addf(sb, "%s%s", n++ ? ", " : " : ", t->v[i].label);
	}
	strbuf_addch(sb, '\n');
}

/* Indents every line of text by two spaces. */
static void add_indented(struct strbuf *sb, const char *text)
{
	while (text && *text) {
		size_t len = strcspn(text, "\n");
		strbuf_addstr(sb, "  ");
		strbuf_add(sb, text, len);
		strbuf_addch(sb, '\n');
		text += len + (text[len] == '\n');
	}
}

static void format_permanences(struct strbuf *sb, const char *title,
			       const struct card_permanence *v, size_t n)
{
	size_t i;
	if (!n)
		return;
	strbuf_addf(sb, "%s :\n", title);
	for (i = 0; i < n; i++) {
		const struct card_permanence *p = &v[i];
		strbuf_addf(sb, "  %s", p->lieu ? p->lieu : "?");
		if (p->commune)
			strbuf_addf(sb, ", %s", p->commune);
		if (p->sur_rdv == 1)
			strbuf_addf(sb, " (%s)", _("sur rendez-vous"));
		strbuf_addch(sb, '\n');
		if (p->horaires_fr) {
			struct strbuf in = STRBUF_INIT;
			add_indented(&in, p->horaires_fr);
			add_indented(sb, in.buf);
			strbuf_release(&in);
		} else if (p->horaires) {
			strbuf_addf(sb, "    %s\n", p->horaires);
		}
		if (p->description)
			strbuf_addf(sb, "    %s\n", p->description);
	}
}

static void format_members(struct strbuf *sb, const struct card *c)
{
	size_t i, k;
	if (!c->n_members)
		return;
	strbuf_addf(sb, "%s :\n", _("Membres"));
	for (i = 0; i < c->n_members; i++) {
		const struct card_member *m = &c->members[i];
		strbuf_addf(sb, "  %s", m->display);
		if (m->role)
			strbuf_addf(sb, " — %s", m->role);
		if (m->fin)
			strbuf_addf(sb, _(" (jusqu'au %s)"), m->fin);
		for (k = 0; k < m->courriels.n; k++)
			strbuf_addf(sb, " — %s", m->courriels.v[k]);
		for (k = 0; k < m->telephones.n; k++)
			strbuf_addf(sb, " — %s", m->telephones.v[k]);
		strbuf_addch(sb, '\n');
	}
	line_themes(sb, _("Thèmes des membres"), &c->member_themes);
}

void card_format_text(const struct card *c, struct strbuf *sb)
{
	strbuf_addf(sb, "%s (#%lld)\n", c->nom ? c->nom : "", (long long)c->id);
	line_list(sb, _("Aussi appelé"), &c->aliases);
	line_list(sb, _("Typologie"), &c->typologie_labels);
	if (c->parent_nom)
		strbuf_addf(sb, "%s : %s (#%lld)\n", _("Structure parente"), c->parent_nom,
			    (long long)c->parent_id);
	line_str(sb, _("SIRET / RNA"), c->siret);
	if (c->adresse || c->commune) {
		strbuf_addf(sb, "%s : ", _("Adresse"));
		if (c->adresse)
			strbuf_addf(sb, "%s, ", c->adresse);
		if (c->complement_adresse)
			strbuf_addf(sb, "%s, ", c->complement_adresse);
		if (c->code_postal)
			strbuf_addf(sb, "%s ", c->code_postal);
		strbuf_addstr(sb, c->commune ? c->commune : "");
		if (c->departement)
			strbuf_addf(sb, " (%s)", c->departement);
		strbuf_addch(sb, '\n');
	}
	if (c->has_coords)
		strbuf_addf(sb, "%s : %.5f, %.5f%s\n", _("Coordonnées"), c->latitude, c->longitude,
			    c->coord_exact ? "" : _(" (centre de la commune, approximatif)"));
	line_str(sb, _("Téléphone"), c->telephone);
	line_list(sb, _("Courriels"), &c->courriels);
	line_str(sb, _("Site web"), c->site_web);
	line_str(sb, _("Prise de rendez-vous"), c->prise_rdv);

	strbuf_addch(sb, '\n');
	if (c->horaires_fr) {
		strbuf_addf(sb, "%s :\n", _("Horaires"));
		add_indented(sb, c->horaires_fr);
	} else if (c->horaires) {
		strbuf_addf(sb, "%s : %s (%s)\n", _("Horaires"), c->horaires, _("non compris"));
	} else {
		strbuf_addf(sb, "%s : %s\n", _("Horaires"), _("inconnus"));
	}
	line_str(sb, _("En ce moment"), c->ouverture);
	line_str(sb, _("Fermeture temporaire"), c->fermeture);
	if (c->sans_rdv >= 0)
		line_str(sb, _("Sans rendez-vous"), c->sans_rdv ? _("oui") : _("non"));

	strbuf_addch(sb, '\n');
	block_themes(sb, _("Services"), &c->services);
	line_list(sb, _("Publics"), &c->publics);
	line_list(sb, _("Prise en charge"), &c->prise_en_charge);
	line_list(sb, _("Modalités d'accès"), &c->modalites_acces);
	line_list(sb, _("Accompagnement"), &c->modalites_accompagnement);
	line_list(sb, _("Frais"), &c->frais);
	line_list(sb, _("Dispositifs"), &c->dispositifs);
	line_list(sb, _("Itinérance"), &c->itinerance);
	line_list(sb, _("Formations et labels"), &c->formations_labels);
	line_list(sb, _("Autres formations et labels"), &c->autres_formations_labels);
	line_list(sb, _("Étiquettes"), &c->tags);
	if (c->presentation_resume || c->presentation_detail) {
		strbuf_addf(sb, "%s :\n", _("Présentation"));
		add_indented(sb, c->presentation_resume);
		add_indented(sb, c->presentation_detail);
	}

	if (c->n_members || c->n_territories || c->n_permanences || c->n_hosted)
		strbuf_addch(sb, '\n');
	format_members(sb, c);
	if (c->n_territories) {
		strbuf_addf(sb, "%s : ", _("Territoires desservis"));
		card_territories_line(sb, c);
		strbuf_addch(sb, '\n');
	}
	format_permanences(sb, _("Permanences"), c->permanences, c->n_permanences);
	format_permanences(sb, _("Permanences accueillies"), c->hosted, c->n_hosted);

	strbuf_addch(sb, '\n');
	if (c->source) {
		strbuf_addf(sb, "%s : %s", _("Source"), c->source);
		if (c->source_id)
			strbuf_addf(sb, " (id %s)", c->source_id);
		strbuf_addch(sb, '\n');
	}
	if (c->date_maj) {
		strbuf_addf(sb, "%s : %s", _("Mise à jour"), c->date_maj);
		if (c->freshness_months >= 0)
			strbuf_addf(sb, _(" (il y a %d mois)"), c->freshness_months);
		strbuf_addch(sb, '\n');
	}
}
