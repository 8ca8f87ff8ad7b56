/*
 * edit: hand edits of structures and persons, validated as at import (see
 * edit.h). The validators are the importers' own (csv/lieux.h: phones,
 * emails, URLs, coordinates, dates, pivots, vocabularies; core/: communes,
 * hours, themes, names), called here, never copied.
 */
#include "db/edit.h"
#include "core/communes.h"
#include "core/geo.h"
#include "core/hours.h"
#include "core/names.h"
#include "core/persons.h"
#include "core/text.h"
#include "core/themes.h"
#include "csv/lieux.h"
#include "db/db.h"
#include "db/history.h"
#include "db/merge.h"
#include "db/structures.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum kind {
	K_TEXT,        /* one line of free text */
	K_LONGTEXT,    /* free text, newlines kept */
	K_NAME,        /* a structure's name: required, nom_norm follows */
	K_PNAME,       /* a person's nom or prenom: name_key follows */
	K_PIVOT,       /* SIRET, SIREN or RNA */
	K_COMMUNE,     /* resolved to code_insee */
	K_POSTCODE,
	K_COORDS,      /* "44.73, 4.59": latitude and longitude */
	K_PHONE,       /* normalized to +33 */
	K_EMAILS,
	K_URL,
	K_HOURS,       /* OpenStreetMap opening_hours that parse */
	K_YESNO,
	K_DATE,
	K_CLOSURE,     /* temporary closure: "2025-01-06..2025-02-28" */
	K_VOCAB,       /* a '|' list from a closed vocabulary (or free when none) */
	K_TYPOLOGY,    /* typology codes */
	K_THEMES,      /* structure_themes */
	K_TERRITORIES, /* structure_territories */
	K_PARENT,      /* parent_id */
	K_PERMANENCES, /* permanences */
	K_MEMBERSHIPS, /* a person's structures */
	K_ROLE,        /* a person's role in one of them */
	K_COMPETENCES, /* person_themes */
};

static const struct edit_field structure_fields[] = {
	{ "nom", "nom", K_NAME, -1, false, N_("name") },
	{ "commune", "code_insee", K_COMMUNE, -1, false, N_("commune (name, INSEE code or postcode)") },
	{ "adresse", "adresse", K_TEXT, -1, false, N_("street address") },
	{ "complement_adresse", "complement_adresse", K_TEXT, -1, false, N_("address complement") },
	{ "code_postal", "code_postal", K_POSTCODE, -1, false, N_("postcode") },
	{ "coordonnees", NULL, K_COORDS, -1, false, N_("latitude, longitude (empty: the commune's centre)") },
	{ "telephone", "telephone", K_PHONE, -1, false, N_("phone") },
	{ "courriels", "courriels", K_EMAILS, -1, true, N_("emails") },
	{ "site_web", "site_web", K_URL, -1, false, N_("web site") },
	{ "horaires", "horaires", K_HOURS, -1, false, N_("opening hours (OpenStreetMap syntax)") },
	{ "prise_rdv", "prise_rdv", K_URL, -1, false, N_("appointment link") },
	{ "sans_rdv", "sans_rdv", K_YESNO, -1, false, N_("welcomes people without appointment (oui/non)") },
	{ "fermeture", NULL, K_CLOSURE, -1, false, N_("temporary closure: FROM..TO (dates)") },
	{ "typologie", "typologie", K_TYPOLOGY, -1, true, N_("typology codes") },
	{ "services", NULL, K_THEMES, -1, true, N_("services and themes") },
	{ "territoires", NULL, K_TERRITORIES, -1, true, N_("served territories (commune:, epci:, departement:, region:)") },
	{ "permanences", NULL, K_PERMANENCES, -1, true, N_("permanences: PLACE@COMMUNE[@HOURS]; -= by number") },
	{ "accessibilite", "fiche_acces_libre", K_URL, -1, false, N_("accessibility sheet (acceslibre link)") },
	{ "frais", "frais", K_VOCAB, LF_FRAIS, true, N_("fees") },
	{ "modalites_acces", "modalites_acces", K_VOCAB, LF_MODALITES_ACCES, true, N_("access modes") },
	{ "modalites_accompagnement", "modalites_accompagnement", K_VOCAB, LF_MODALITES_ACCOMPAGNEMENT, true,
	  N_("kinds of support") },
	{ "publics", "publics", K_VOCAB, LF_PUBLICS, true, N_("publics specifically addressed") },
	{ "prise_en_charge", "prise_en_charge", K_VOCAB, LF_PRISE_EN_CHARGE, true, N_("specific support") },
	{ "itinerance", "itinerance", K_VOCAB, LF_ITINERANCE, false, N_("Itinérant or Fixe") },
	{ "dispositifs", "dispositifs", K_VOCAB, LF_DISPOSITIFS, true, N_("national programmes") },
	{ "formations_labels", "formations_labels", K_VOCAB, -1, true, N_("training labels") },
	{ "autres_formations_labels", "autres_formations_labels", K_VOCAB, -1, true, N_("other labels") },
	{ "presentation_resume", "presentation_resume", K_TEXT, -1, false, N_("short presentation") },
	{ "presentation_detail", "presentation_detail", K_LONGTEXT, -1, false, N_("detailed presentation") },
	{ "pivot", "siret", K_PIVOT, -1, false, N_("SIRET, SIREN or RNA number") },
	{ "parent", "parent_id", K_PARENT, -1, false, N_("parent structure (id)") },
	{ "date_maj", "date_maj", K_DATE, -1, false, N_("date of the last check (YYYY-MM-DD)") },
};

static const struct edit_field person_fields[] = {
	{ "nom", "nom", K_PNAME, -1, false, N_("family name") },
	{ "prenom", "prenom", K_PNAME, -1, false, N_("given names") },
	{ "courriels", "courriels", K_EMAILS, -1, true, N_("emails") },
	{ "telephones", "telephones", K_PHONE, -1, true, N_("phones") },
	{ "structures", NULL, K_MEMBERSHIPS, -1, true, N_("structures: ID[:ROLE]; -= ID") },
	{ "role", NULL, K_ROLE, -1, false, N_("role in a structure: ID:ROLE") },
	{ "competences", NULL, K_COMPETENCES, -1, true, N_("competences (themes; THEME! for the referent)") },
};

/* Other names people type for a field. */
static const struct {
	enum edit_entity e;
	const char *alias, *name;
} aliases[] = {
	{ EDIT_STRUCTURE, "themes", "services" },
	{ EDIT_STRUCTURE, "siret", "pivot" },
	{ EDIT_STRUCTURE, "fiche_acces_libre", "accessibilite" },
	{ EDIT_STRUCTURE, "structure_parente", "parent" },
	{ EDIT_STRUCTURE, "publics_specifiquement_adresses", "publics" },
	{ EDIT_STRUCTURE, "prise_en_charge_specifique", "prise_en_charge" },
	{ EDIT_STRUCTURE, "frais_a_charge", "frais" },
	{ EDIT_STRUCTURE, "dispositif_programmes_nationaux", "dispositifs" },
	{ EDIT_STRUCTURE, "courriel", "courriels" },
	{ EDIT_STRUCTURE, "territoire", "territoires" },
	{ EDIT_PERSON, "telephone", "telephones" },
	{ EDIT_PERSON, "courriel", "courriels" },
	{ EDIT_PERSON, "themes", "competences" },
	{ EDIT_PERSON, "structure", "structures" },
};

const struct edit_field *edit_fields(enum edit_entity e, size_t *n)
{
	if (e == EDIT_PERSON) {
		*n = sizeof(person_fields) / sizeof(*person_fields);
		return person_fields;
	}
	*n = sizeof(structure_fields) / sizeof(*structure_fields);
	return structure_fields;
}

const struct edit_field *edit_field_find(enum edit_entity e, const char *name)
{
	size_t n, i;
	const struct edit_field *v = edit_fields(e, &n);
	for (i = 0; i < sizeof(aliases) / sizeof(*aliases); i++)
		if (aliases[i].e == e && !strcmp(aliases[i].alias, name))
			name = aliases[i].name;
	for (i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

void edit_refusal_clear(struct edit_refusal *r)
{
	free(r->reason);
	r->reason = NULL;
	r->field = NULL;
}

struct edit {
	sqlite3 *db;
	enum edit_entity e;
	sqlite3_int64 id;
	bool created;
	sqlite3_int64 *reindex;  /* structures whose derived rows must be rebuilt */
	size_t n_reindex, alloc_reindex;
};

sqlite3_int64 edit_id(const struct edit *ed)
{
	return ed->id;
}

static void touch_structure(struct edit *ed, sqlite3_int64 sid)
{
	XGROW(ed->reindex, ed->alloc_reindex, ed->n_reindex + 1);
	ed->reindex[ed->n_reindex++] = sid;
}

/* Records a refusal; returns 1. */
static int refuse(struct edit_refusal *why, const struct edit_field *f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int refuse(struct edit_refusal *why, const struct edit_field *f, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(why->reason);
	why->reason = strbuf_detach(&sb, NULL);
	why->field = f ? f->name : NULL;
	return 1;
}

/* ======================================================== SQL helpers */

/* Runs sql with ?1 = the record id and ?2..: the texts (NULL binds NULL). */
static int run(struct edit *ed, const char *sql, int ntext, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int i, rc;
	if (db_prepare(ed->db, sql, &st))
		return -1;
	sqlite3_bind_int64(st, 1, ed->id);
	va_start(ap, ntext);
	for (i = 0; i < ntext; i++) {
		const char *t = va_arg(ap, const char *);
		if (t)
			sqlite3_bind_text(st, i + 2, t, -1, SQLITE_TRANSIENT);
	}
	va_end(ap);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : db_error(ed->db, _("edit"));
}

/* One text value (malloc'd, NULL when NULL or no row) of sql with ?1 = id, ?2 = arg. */
static char *get_text(sqlite3 *db, const char *sql, sqlite3_int64 id, const char *arg)
{
	sqlite3_stmt *st;
	char *r = NULL;
	if (db_prepare(db, sql, &st))
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (arg)
		sqlite3_bind_text(st, 2, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		r = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return r;
}

static const char *table_of(const struct edit *ed)
{
	return ed->e == EDIT_PERSON ? "persons" : "structures";
}

/* Sets column col of the record to value (NULL: NULL). */
static int set_column(struct edit *ed, const char *col, const char *value)
{
	char *sql = sqlite3_mprintf("UPDATE \"%w\" SET \"%w\" = ?2 WHERE id = ?1", table_of(ed), col);
	int rc = run(ed, sql, 1, value);
	sqlite3_free(sql);
	return rc;
}

static char *get_column(struct edit *ed, const char *col)
{
	char *sql = sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE id = ?1", col, table_of(ed));
	char *v = get_text(ed->db, sql, ed->id, NULL);
	sqlite3_free(sql);
	return v;
}

/* ========================================================== list values */

/* The items of a '|' list (and, with commas, of a ',' or ';' list), trimmed, empty ones dropped. */
static size_t split(const char *s, bool commas, char ***out)
{
	char **v = NULL;
	size_t n = 0, alloc = 0;
	const char *seps = commas ? "|,;" : "|";
	while (s && *s) {
		size_t l = strcspn(s, seps);
		struct strbuf sb = STRBUF_INIT;
		strbuf_add(&sb, s, l);
		strbuf_trim(&sb);
		if (sb.len) {
			XGROW(v, alloc, n + 1);
			v[n++] = strbuf_detach(&sb, NULL);
		} else {
			strbuf_release(&sb);
		}
		s += l + (s[l] != '\0');
	}
	*out = v;
	return n;
}

static void free_items(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool same_item(const char *a, const char *b)
{
	char *x = text_norm_dup(a), *y = text_norm_dup(b);
	bool same = !strcmp(x, y);
	free(x);
	free(y);
	return same;
}

/* ========================================================== validators */

/* Refuses control characters (a newline too unless multiline). */
static int check_text(const struct edit_field *f, const char *v, bool multiline, struct edit_refusal *why)
{
	const unsigned char *p;
	for (p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\t'))) || *p == 0x7f)
			return refuse(why, f, _("control characters are not allowed"));
	return 0;
}

/* One item of a list field, validated and written as stored into out: 0, 1 refused, -1. */
static int norm_item(struct edit *ed, const struct edit_field *f, const char *item, struct strbuf *out,
		     struct edit_refusal *why)
{
	const char *const *voc;
	strbuf_reset(out);
	switch (f->kind) {
	case K_EMAILS:
		if (!lieux_email_valid(item))
			return refuse(why, f, _("\"%s\" is not an email address"), item);
		strbuf_addstr(out, item);
		return 0;
	case K_PHONE:
		if (lieux_phone_normalize(item, out) < 0)
			return refuse(why, f, _("\"%s\" is not a phone number"), item);
		return 0;
	case K_TYPOLOGY: {
		char *code = get_text(ed->db, "SELECT code FROM typologies WHERE upper(code) = upper(?2) OR label = ?2",
				      0, item);
		if (!code)
			return refuse(why, f, _("\"%s\" is not a typology code (see data/typologies.csv)"), item);
		strbuf_addstr(out, code);
		free(code);
		return 0;
	}
	case K_VOCAB:
		voc = f->vocab >= 0 ? lieux_vocabulary((enum lieux_field)f->vocab) : NULL;
		if (check_text(f, item, false, why))
			return 1;
		if (!voc) {
			strbuf_addstr(out, item);
			return 0;
		}
		for (; *voc; voc++)
			if (same_item(*voc, item)) {
				strbuf_addstr(out, *voc);
				return 0;
			}
		{
			struct strbuf all = STRBUF_INIT;
			int r;
			for (voc = lieux_vocabulary((enum lieux_field)f->vocab); *voc; voc++)
				strbuf_addf(&all, "%s%s", all.len ? ", " : "", *voc);
			r = refuse(why, f, _("\"%s\" is not one of: %s"), item, all.buf);
			strbuf_release(&all);
			return r;
		}
	default:
		strbuf_addstr(out, item);
		return 0;
	}
}

/* A list column: = replaces, += adds, -= removes (an item not there is refused). */
static int edit_list_column(struct edit *ed, const struct edit_field *f, char op, const char *value,
			    struct edit_refusal *why)
{
	bool commas = f->kind == K_EMAILS || f->kind == K_PHONE;
	char *old = op == '=' ? NULL : get_column(ed, f->column);
	char **res = NULL, **in = NULL;
	size_t nres = split(old, false, &res), alloc = nres, nin = split(value, commas, &in), i, j;
	struct strbuf item = STRBUF_INIT, joined = STRBUF_INIT;
	int rc = 0;

	for (i = 0; i < nin && !rc; i++) {
		if ((rc = norm_item(ed, f, in[i], &item, why)))
			break;
		for (j = 0; j < nres; j++)
			if (res[j] && same_item(res[j], item.buf))
				break;
		if (op == '-' && j == nres) {
			rc = refuse(why, f, _("\"%s\" is not in the list"), in[i]);
		} else if (op == '-') {
			free(res[j]);
			res[j] = NULL;
		} else if (j == nres) {
			XGROW(res, alloc, nres + 1);
			res[nres++] = strbuf_detach(&item, NULL);
		}
	}
	for (j = 0; j < nres && !rc; j++)
		if (res[j])
			strbuf_addf(&joined, "%s%s", joined.len ? "|" : "", res[j]);
	if (!rc)
		rc = set_column(ed, f->column, joined.len ? joined.buf : NULL);
	free(old);
	free_items(res, nres);
	free_items(in, nin);
	strbuf_release(&item);
	strbuf_release(&joined);
	return rc;
}

/* ======================================================== single values */

/* Resolves a commune query to exactly one commune: 0 and *c, 1 refused, -1. */
static int one_commune(struct edit *ed, const struct edit_field *f, const char *q, struct commune *c,
		       struct edit_refusal *why)
{
	struct commune_list l = { NULL, 0, 0 };
	enum commune_match how;
	int rc;
	if (communes_find(ed->db, q, &l, &how))
		return -1;
	if (how == COMMUNE_NONE || l.n == 0) {
		rc = refuse(why, f, _("no commune \"%s\""), q);
	} else if (l.n > 1) {
		struct strbuf all = STRBUF_INIT;
		size_t i;
		for (i = 0; i < l.n && i < 5; i++)
			strbuf_addf(&all, "%s%s (%s)", i ? ", " : "", l.v[i].nom, l.v[i].code_insee);
		rc = refuse(why, f, _("\"%s\" is several communes: %s%s"), q, all.buf, l.n > 5 ? "…" : "");
		strbuf_release(&all);
	} else {
		*c = l.v[0];
		memset(&l.v[0], 0, sizeof(l.v[0]));
		rc = 0;
	}
	commune_list_clear(&l);
	return rc;
}

static int set_commune(struct edit *ed, const struct edit_field *f, const char *v, struct edit_refusal *why)
{
	struct commune c;
	char lat[32], lon[32];
	int rc;
	memset(&c, 0, sizeof(c));
	if (!*v)
		return refuse(why, f, _("a structure needs a commune"));
	if ((rc = one_commune(ed, f, v, &c, why)))
		return rc;
	snprintf(lat, sizeof(lat), "%.7f", c.latitude);
	snprintf(lon, sizeof(lon), "%.7f", c.longitude);
	/* a point that was the old commune's centre becomes the new one's; a postcode of another commune goes */
	rc = run(ed, "UPDATE structures SET code_insee = ?2, "
		     "latitude = CASE WHEN coord_exact THEN latitude ELSE ?3 END, "
		     "longitude = CASE WHEN coord_exact THEN longitude ELSE ?4 END, "
		     "code_postal = CASE WHEN EXISTS (SELECT 1 FROM commune_postcodes p WHERE p.code_insee = ?2 "
		     "AND p.code_postal = structures.code_postal) THEN code_postal ELSE "
		     "(SELECT CASE WHEN count(*) = 1 THEN min(code_postal) END FROM commune_postcodes p "
		     "WHERE p.code_insee = ?2) END WHERE id = ?1",
		 3, c.code_insee, c.has_coords ? lat : NULL, c.has_coords ? lon : NULL);
	commune_clear(&c);
	return rc;
}

static int set_postcode(struct edit *ed, const struct edit_field *f, const char *v, struct edit_refusal *why)
{
	char *ok;
	if (!*v)
		return set_column(ed, f->column, NULL);
	if (strlen(v) != 5 || strspn(v, "0123456789") != 5)
		return refuse(why, f, _("\"%s\" is not a postcode (five digits)"), v);
	ok = get_text(ed->db, "SELECT code_postal FROM commune_postcodes WHERE code_postal = ?2 AND "
			      "(code_insee = (SELECT code_insee FROM structures WHERE id = ?1) OR "
			      "(SELECT code_insee FROM structures WHERE id = ?1) IS NULL)", ed->id, v);
	if (!ok)
		return refuse(why, f, _("%s is not a postcode of the structure's commune"), v);
	free(ok);
	return set_column(ed, f->column, v);
}

static int set_coords(struct edit *ed, const struct edit_field *f, const char *v, struct edit_refusal *why)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	const char *sep = strchr(v, ';');
	double lat, lon, t;
	char slat[32], slon[32];
	int rc;
	if (!*v) /* back to the commune's centre */
		return run(ed, "UPDATE structures SET coord_exact = 0, "
			       "latitude = (SELECT latitude FROM communes c WHERE c.code_insee = structures.code_insee), "
			       "longitude = (SELECT longitude FROM communes c WHERE c.code_insee = structures.code_insee) "
			       "WHERE id = ?1", 0);
	if (!sep && strchr(v, ',') == strrchr(v, ','))
		sep = strchr(v, ',');
	if (!sep)
		sep = strchr(v, ' ');
	if (!sep)
		return refuse(why, f, _("give latitude and longitude: \"44.735, 4.599\""));
	strbuf_add(&a, v, (size_t)(sep - v));
	strbuf_addstr(&b, sep + 1);
	strbuf_trim(&a);
	strbuf_trim(&b);
	lat = lieux_coord_parse(a.buf);
	lon = lieux_coord_parse(b.buf);
	strbuf_release(&a);
	strbuf_release(&b);
	if (isnan(lat) || isnan(lon))
		return refuse(why, f, _("\"%s\" is not a latitude and a longitude in degrees"), v);
	if (!geo_in_france(lat, lon) && geo_in_france(lon, lat))
		t = lat, lat = lon, lon = t; /* swapped, as the importer accepts them */
	if (!geo_in_france(lat, lon))
		return refuse(why, f, _("%s is not in France"), v);
	snprintf(slat, sizeof(slat), "%.17g", lat);
	snprintf(slon, sizeof(slon), "%.17g", lon);
	rc = run(ed, "UPDATE structures SET coord_exact = 1, latitude = CAST(?2 AS REAL), "
		     "longitude = CAST(?3 AS REAL) WHERE id = ?1", 2, slat, slon);
	return rc;
}

static int set_hours(struct edit *ed, const struct edit_field *f, const char *v, struct edit_refusal *why)
{
	struct hours *h = NULL;
	if (!*v)
		return set_column(ed, f->column, NULL);
	if (hours_parse(v, &h)) {
		int r = refuse(why, f, _("\"%s\" is not understood: %s"), v, qfq_error_msg());
		qfq_error_clear();
		return r;
	}
	hours_free(h);
	return set_column(ed, f->column, v);
}

static int set_yesno(struct edit *ed, const struct edit_field *f, const char *v, struct edit_refusal *why)
{
	static const char *const yes[] = { "oui", "o", "yes", "y", "1", "vrai", NULL };
	static const char *const no[] = { "non", "n", "no", "0", "faux", NULL };
	int i;
	if (!*v)
		return set_column(ed, f->column, NULL);
	for (i = 0; yes[i]; i++)
		if (!strcasecmp(v, yes[i]))
			return run(ed, "UPDATE structures SET sans_rdv = 1 WHERE id = ?1", 0);
	for (i = 0; no[i]; i++)
		if (!strcasecmp(v, no[i]))
			return run(ed, "UPDATE structures SET sans_rdv = 0 WHERE id = ?1", 0);
	return refuse(why, f, _("\"%s\": answer oui or non"), v);
}

static bool is_date(const char *s)
{
	return strlen(s) == 10 && lieux_date_valid(s);
}

static int set_closure(struct edit *ed, const struct edit_field *f, const char *v, struct edit_refusal *why)
{
	struct strbuf from = STRBUF_INIT, to = STRBUF_INIT;
	const char *dots = strstr(v, "..");
	int rc;
	if (!*v)
		return run(ed, "UPDATE structures SET ferme_du = NULL, ferme_au = NULL WHERE id = ?1", 0);
	if (!dots)
		return refuse(why, f, _("write the closure as FROM..TO (\"2025-07-14..2025-08-31\"; TO may be empty)"));
	strbuf_add(&from, v, (size_t)(dots - v));
	strbuf_addstr(&to, dots + 2);
	strbuf_trim(&from);
	strbuf_trim(&to);
	if (!is_date(from.buf))
		rc = refuse(why, f, _("\"%s\" is not a date (YYYY-MM-DD)"), from.buf);
	else if (to.len && !is_date(to.buf))
		rc = refuse(why, f, _("\"%s\" is not a date (YYYY-MM-DD)"), to.buf);
	else if (to.len && strcmp(to.buf, from.buf) < 0)
		rc = refuse(why, f, _("the closure ends (%s) before it starts (%s)"), to.buf, from.buf);
	else
		rc = run(ed, "UPDATE structures SET ferme_du = ?2, ferme_au = nullif(?3, '') WHERE id = ?1", 2,
			 from.buf, to.buf);
	strbuf_release(&from);
	strbuf_release(&to);
	return rc;
}

/* A structure id that exists: 1, 0 not, -1. */
static int structure_exists(sqlite3 *db, const char *s, sqlite3_int64 *id)
{
	char *end, *nom;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < 1)
		return 0;
	nom = get_text(db, "SELECT nom FROM structures WHERE id = ?1", v, NULL);
	*id = v;
	free(nom);
	return nom != NULL;
}

static int set_parent(struct edit *ed, const struct edit_field *f, const char *v, struct edit_refusal *why)
{
	sqlite3_int64 pid;
	char num[24];
	if (!*v)
		return set_column(ed, f->column, NULL);
	if (structure_exists(ed->db, v, &pid) != 1)
		return refuse(why, f, _("no structure with id \"%s\""), v);
	if (pid == ed->id)
		return refuse(why, f, _("a structure is not its own parent"));
	snprintf(num, sizeof(num), "%lld", (long long)pid);
	return run(ed, "UPDATE structures SET parent_id = CAST(?2 AS INTEGER) WHERE id = ?1", 1, num);
}

/* ===================================================== rows of other tables */

/* A theme that the query names without doubt: 0 and *id, 1 refused, -1. */
static int one_theme(struct edit *ed, const struct edit_field *f, const char *q, long long *id,
		     struct edit_refusal *why)
{
	struct theme_list l = { NULL, 0, 0 };
	int rc;
	if (themes_resolve(ed->db, q, &l))
		return -1;
	if (l.n == 0) {
		rc = refuse(why, f, _("no theme \"%s\" (see `qfq themes`)"), q);
	} else if (l.n > 1) {
		struct strbuf all = STRBUF_INIT;
		size_t i;
		for (i = 0; i < l.n && i < 5; i++)
			strbuf_addf(&all, "%s%s", i ? ", " : "", l.v[i].label);
		rc = refuse(why, f, _("\"%s\" could be: %s"), q, all.buf);
		strbuf_release(&all);
	} else {
		*id = l.v[0].id;
		rc = 0;
	}
	theme_list_clear(&l);
	return rc;
}

/* Adds, removes or replaces the themes of the structure or the competences of the person. */
static int edit_theme_rows(struct edit *ed, const struct edit_field *f, char op, const char *value,
			   struct edit_refusal *why)
{
	bool person = ed->e == EDIT_PERSON;
	const char *del = person ? "DELETE FROM person_themes WHERE person_id = ?1 AND theme_id = CAST(?2 AS INTEGER)"
				 : "DELETE FROM structure_themes WHERE structure_id = ?1 AND theme_id = CAST(?2 AS INTEGER)";
	const char *ins = person ? "INSERT INTO person_themes(person_id, theme_id, referent) "
				   "VALUES (?1, CAST(?2 AS INTEGER), CAST(?3 AS INTEGER)) "
				   "ON CONFLICT DO UPDATE SET referent = excluded.referent"
				 : "INSERT OR IGNORE INTO structure_themes(structure_id, theme_id) VALUES (?1, CAST(?2 AS INTEGER))";
	char **in = NULL;
	size_t nin = split(value, false, &in), i;
	int rc = 0;

	if (op == '=')
		rc = run(ed, person ? "DELETE FROM person_themes WHERE person_id = ?1"
				    : "DELETE FROM structure_themes WHERE structure_id = ?1", 0);
	for (i = 0; i < nin && !rc; i++) {
		size_t l = strlen(in[i]);
		bool referent = person && l > 1 && in[i][l - 1] == '!';
		long long tid = 0;
		char num[24];
		if (referent)
			in[i][l - 1] = '\0';
		if ((rc = one_theme(ed, f, in[i], &tid, why)))
			break;
		snprintf(num, sizeof(num), "%lld", tid);
		if (op == '-') {
			if ((rc = run(ed, del, 1, num)))
				break;
			if (!sqlite3_changes(ed->db))
				rc = refuse(why, f, _("\"%s\" is not in the list"), in[i]);
		} else {
			rc = run(ed, ins, 2, num, referent ? "1" : "0");
		}
	}
	free_items(in, nin);
	return rc;
}

/* "departement:07", "epci:200071751", "region:84", "commune:Privas" or a commune: kind and code. */
static int territory(struct edit *ed, const struct edit_field *f, const char *item, struct strbuf *kind,
		     struct strbuf *code, struct edit_refusal *why)
{
	static const struct {
		const char *kind, *sql;
	} k[] = {
		{ "departement", "SELECT code FROM departements WHERE code = ?2 OR nom_norm = ?2" },
		{ "epci", "SELECT siren FROM epci WHERE siren = ?2 OR nom_norm = ?2" },
		{ "region", "SELECT code FROM regions WHERE code = ?2 OR nom = ?2" },
	};
	const char *colon = strchr(item, ':');
	size_t i, kl = colon ? (size_t)(colon - item) : 0;
	struct commune c;
	int rc;
	for (i = 0; colon && i < sizeof(k) / sizeof(*k); i++)
		if (strlen(k[i].kind) == kl && !strncmp(item, k[i].kind, kl)) {
			char *norm = text_norm_dup(colon + 1);
			char *found = get_text(ed->db, k[i].sql, 0, strspn(colon + 1, "0123456789AB") ==
									strlen(colon + 1) ? colon + 1 : norm);
			free(norm);
			if (!found)
				return refuse(why, f, _("no %s \"%s\""), k[i].kind, colon + 1);
			strbuf_addstr(kind, k[i].kind);
			strbuf_addstr(code, found);
			free(found);
			return 0;
		}
	if (colon && (kl != 7 || strncmp(item, "commune", 7)))
		return refuse(why, f, _("\"%.*s\" is not commune, epci, departement or region"), (int)kl, item);
	memset(&c, 0, sizeof(c));
	if ((rc = one_commune(ed, f, colon ? colon + 1 : item, &c, why)))
		return rc;
	strbuf_addstr(kind, "commune");
	strbuf_addstr(code, c.code_insee);
	commune_clear(&c);
	return 0;
}

static int edit_territories(struct edit *ed, const struct edit_field *f, char op, const char *value,
			    struct edit_refusal *why)
{
	struct strbuf kind = STRBUF_INIT, code = STRBUF_INIT;
	char **in = NULL;
	size_t nin = split(value, false, &in), i;
	int rc = op == '=' ? run(ed, "DELETE FROM structure_territories WHERE structure_id = ?1", 0) : 0;
	for (i = 0; i < nin && !rc; i++) {
		strbuf_reset(&kind);
		strbuf_reset(&code);
		if ((rc = territory(ed, f, in[i], &kind, &code, why)))
			break;
		if (op == '-') {
			rc = run(ed, "DELETE FROM structure_territories WHERE structure_id = ?1 AND kind = ?2 AND code = ?3",
				 2, kind.buf, code.buf);
			if (!rc && !sqlite3_changes(ed->db))
				rc = refuse(why, f, _("\"%s\" is not in the list"), in[i]);
		} else {
			rc = run(ed, "INSERT OR IGNORE INTO structure_territories(structure_id, kind, code) "
				     "VALUES (?1, ?2, ?3)", 2, kind.buf, code.buf);
		}
	}
	free_items(in, nin);
	strbuf_release(&kind);
	strbuf_release(&code);
	return rc;
}

/* permanences+=PLACE@COMMUNE[@HOURS]; permanences-=NUMBER; permanences= removes them all. */
static int edit_permanences(struct edit *ed, const struct edit_field *f, char op, const char *value,
			    struct edit_refusal *why)
{
	char **in = NULL;
	size_t nin = split(value, false, &in), i;
	int rc = op == '=' ? run(ed, "DELETE FROM permanences WHERE structure_id = ?1", 0) : 0;
	for (i = 0; i < nin && !rc; i++) {
		if (op == '-') {
			rc = run(ed, "DELETE FROM permanences WHERE structure_id = ?1 AND id = CAST(?2 AS INTEGER)", 1,
				 in[i]);
			if (!rc && !sqlite3_changes(ed->db))
				rc = refuse(why, f, _("the structure has no permanence number %s"), in[i]);
		} else {
			char *at = strchr(in[i], '@'), *hours;
			struct commune c;
			memset(&c, 0, sizeof(c));
			if (!at)
				return refuse(why, f, _("write a permanence as PLACE@COMMUNE[@HOURS]"));
			*at = '\0';
			hours = strchr(at + 1, '@');
			if (hours)
				*hours++ = '\0';
			if ((rc = check_text(f, in[i], false, why)) || (rc = one_commune(ed, f, at + 1, &c, why)))
				break;
			if (hours && *hours) {
				struct hours *h = NULL;
				if (hours_parse(hours, &h)) {
					rc = refuse(why, f, _("\"%s\" is not understood: %s"), hours, qfq_error_msg());
					commune_clear(&c);
					break;
				}
				hours_free(h);
			}
			rc = run(ed, "INSERT INTO permanences(structure_id, lieu, code_insee, latitude, longitude, "
				     "horaires, source) SELECT ?1, nullif(?2, ''), code_insee, latitude, longitude, "
				     "nullif(?4, ''), 'qfq' FROM communes WHERE code_insee = ?3",
				 3, in[i], c.code_insee, hours ? hours : "");
			commune_clear(&c);
		}
	}
	free_items(in, nin);
	return rc;
}

/* structures+=ID[:ROLE], structures-=ID, structures=ID|ID... */
static int edit_memberships(struct edit *ed, const struct edit_field *f, char op, const char *value,
			    struct edit_refusal *why)
{
	char **in = NULL;
	size_t nin = split(value, false, &in), i;
	int rc = 0;
	if (op == '=') {
		sqlite3_stmt *st;
		if (db_prepare(ed->db, "SELECT structure_id FROM memberships WHERE person_id = ?1", &st))
			rc = -1;
		else {
			sqlite3_bind_int64(st, 1, ed->id);
			while (sqlite3_step(st) == SQLITE_ROW)
				touch_structure(ed, sqlite3_column_int64(st, 0));
			sqlite3_finalize(st);
			rc = run(ed, "DELETE FROM memberships WHERE person_id = ?1", 0);
		}
	}
	for (i = 0; i < nin && !rc; i++) {
		char *colon = strchr(in[i], ':');
		sqlite3_int64 sid;
		char num[24];
		if (colon)
			*colon++ = '\0';
		if (structure_exists(ed->db, in[i], &sid) != 1) {
			rc = refuse(why, f, _("no structure with id \"%s\""), in[i]);
			break;
		}
		if (colon && (rc = check_text(f, colon, false, why)))
			break;
		snprintf(num, sizeof(num), "%lld", (long long)sid);
		touch_structure(ed, sid);
		if (op == '-') {
			rc = run(ed, "DELETE FROM memberships WHERE person_id = ?1 AND structure_id = CAST(?2 AS INTEGER)", 1,
				 num);
			if (!rc && !sqlite3_changes(ed->db))
				rc = refuse(why, f, _("not a member of structure %s"), num);
		} else {
			rc = run(ed, "INSERT INTO memberships(person_id, structure_id, role) "
				     "VALUES (?1, CAST(?2 AS INTEGER), nullif(?3, '')) "
				     "ON CONFLICT DO UPDATE SET role = coalesce(excluded.role, role), fin = NULL",
				 2, num, colon ? colon : "");
		}
	}
	free_items(in, nin);
	return rc;
}

static int set_role(struct edit *ed, const struct edit_field *f, const char *value, struct edit_refusal *why)
{
	char *copy = xstrdup(value), *colon = strchr(copy, ':');
	sqlite3_int64 sid;
	char num[24];
	int rc;
	if (colon)
		*colon++ = '\0';
	if (!colon || structure_exists(ed->db, copy, &sid) != 1) {
		free(copy);
		return refuse(why, f, _("write the role as STRUCTURE_ID:ROLE"));
	}
	if ((rc = check_text(f, colon, false, why))) {
		free(copy);
		return rc;
	}
	snprintf(num, sizeof(num), "%lld", (long long)sid);
	rc = run(ed, "UPDATE memberships SET role = nullif(?3, '') WHERE person_id = ?1 "
		     "AND structure_id = CAST(?2 AS INTEGER)", 2, num, colon);
	if (!rc && !sqlite3_changes(ed->db))
		rc = refuse(why, f, _("not a member of structure %s"), num);
	touch_structure(ed, sid);
	free(copy);
	return rc;
}

/* nom and prenom of a person; the order-free key follows. */
static int set_person_name(struct edit *ed, const struct edit_field *f, const char *v, struct edit_refusal *why)
{
	struct strbuf key = STRBUF_INIT;
	char *nom, *prenom;
	int rc;
	if (!*v && !strcmp(f->column, "nom"))
		return refuse(why, f, _("a person needs a family name"));
	if ((rc = check_text(f, v, false, why)) || (rc = set_column(ed, f->column, *v ? v : NULL)))
		return rc;
	nom = get_column(ed, "nom");
	prenom = get_column(ed, "prenom");
	person_name_key(&key, nom, prenom);
	rc = set_column(ed, "name_key", key.buf);
	free(nom);
	free(prenom);
	strbuf_release(&key);
	return rc;
}

static int set_structure_name(struct edit *ed, const struct edit_field *f, const char *v, struct edit_refusal *why)
{
	struct strbuf key = STRBUF_INIT;
	int rc;
	if (!*v)
		return refuse(why, f, _("a structure needs a name"));
	if ((rc = check_text(f, v, false, why)))
		return rc;
	names_structure_key(&key, v);
	rc = set_column(ed, "nom", v) || set_column(ed, "nom_norm", key.buf) ? -1 : 0;
	strbuf_release(&key);
	return rc;
}

/* ============================================================== driver */

int edit_set(struct edit *ed, const struct edit_field *f, char op, const char *v, struct edit_refusal *why)
{
	if (op != '=' && !f->list)
		return refuse(why, f, _("%c= only applies to lists"), op);
	switch (f->kind) {
	case K_NAME: return set_structure_name(ed, f, v, why);
	case K_PNAME: return set_person_name(ed, f, v, why);
	case K_TEXT:
	case K_LONGTEXT:
		if (check_text(f, v, f->kind == K_LONGTEXT, why))
			return 1;
		return set_column(ed, f->column, *v ? v : NULL);
	case K_PIVOT:
		if (*v && !lieux_pivot_valid(v))
			return refuse(why, f, _("\"%s\" is not a SIRET (14 digits), SIREN (9) or RNA (W + 9 digits)"), v);
		return set_column(ed, f->column, *v ? v : NULL);
	case K_COMMUNE: return set_commune(ed, f, v, why);
	case K_POSTCODE: return set_postcode(ed, f, v, why);
	case K_COORDS: return set_coords(ed, f, v, why);
	case K_URL:
		if (*v && !lieux_url_valid(v))
			return refuse(why, f, _("\"%s\" is not a web address (http:// or https://)"), v);
		return set_column(ed, f->column, *v ? v : NULL);
	case K_HOURS: return set_hours(ed, f, v, why);
	case K_YESNO: return set_yesno(ed, f, v, why);
	case K_DATE:
		if (*v && !is_date(v))
			return refuse(why, f, _("\"%s\" is not a date (YYYY-MM-DD)"), v);
		return set_column(ed, f->column, *v ? v : NULL);
	case K_CLOSURE: return set_closure(ed, f, v, why);
	case K_PHONE:
	case K_EMAILS:
	case K_VOCAB:
	case K_TYPOLOGY:
		if (!f->list) { /* one value: the list rules with one item */
			struct strbuf item = STRBUF_INIT;
			int rc = *v ? norm_item(ed, f, v, &item, why) : 0;
			if (!rc)
				rc = set_column(ed, f->column, item.len ? item.buf : NULL);
			strbuf_release(&item);
			return rc;
		}
		return edit_list_column(ed, f, op, v, why);
	case K_THEMES:
	case K_COMPETENCES: return edit_theme_rows(ed, f, op, v, why);
	case K_TERRITORIES: return edit_territories(ed, f, op, v, why);
	case K_PARENT: return set_parent(ed, f, v, why);
	case K_PERMANENCES: return edit_permanences(ed, f, op, v, why);
	case K_MEMBERSHIPS: return edit_memberships(ed, f, op, v, why);
	case K_ROLE: return set_role(ed, f, v, why);
	}
	return -1;
}

int edit_assign(struct edit *ed, const char *a, struct edit_refusal *why)
{
	const char *eq = strchr(a, '=');
	const struct edit_field *f;
	struct strbuf name = STRBUF_INIT;
	char op = '=';
	int rc;
	if (!eq || eq == a)
		return refuse(why, NULL, _("\"%s\" is not FIELD=VALUE"), a);
	if (eq[-1] == '+' || eq[-1] == '-')
		op = eq[-1];
	strbuf_add(&name, a, (size_t)(eq - a) - (op != '='));
	f = edit_field_find(ed->e, name.buf);
	if (!f)
		rc = refuse(why, NULL, _("no field \"%s\" (see `qfq help edit`)"), name.buf);
	else
		rc = edit_set(ed, f, op, eq + 1, why);
	strbuf_release(&name);
	return rc;
}

static struct edit *edit_new(sqlite3 *db, enum edit_entity e, sqlite3_int64 id)
{
	struct edit *ed = xcalloc(1, sizeof(*ed));
	ed->db = db;
	ed->e = e;
	ed->id = id;
	if (e == EDIT_STRUCTURE)
		touch_structure(ed, id);
	return ed;
}

int edit_open(sqlite3 *db, enum edit_entity e, sqlite3_int64 id, struct edit **out)
{
	char *nom = get_text(db, e == EDIT_PERSON ? "SELECT nom FROM persons WHERE id = ?1"
						  : "SELECT nom FROM structures WHERE id = ?1", id, NULL);
	*out = NULL;
	if (!nom)
		return 0 * sqlite3_errcode(db) + 1;
	free(nom);
	*out = edit_new(db, e, id);
	if (e == EDIT_PERSON) { /* a person's roles are indexed with their structures */
		sqlite3_stmt *st;
		if (db_prepare(db, "SELECT structure_id FROM memberships WHERE person_id = ?1", &st) == 0) {
			sqlite3_bind_int64(st, 1, id);
			while (sqlite3_step(st) == SQLITE_ROW)
				touch_structure(*out, sqlite3_column_int64(st, 0));
			sqlite3_finalize(st);
		}
	}
	return 0;
}

int edit_create(sqlite3 *db, enum edit_entity e, const char *nom, struct edit **out, struct edit_refusal *why)
{
	struct edit *ed;
	size_t n;
	const struct edit_field *f = &edit_fields(e, &n)[0];
	int rc;
	*out = NULL;
	if (!nom || !*nom)
		return refuse(why, f, e == EDIT_PERSON ? _("a person needs a family name") : _("a structure needs a name"));
	if (db_exec(db, e == EDIT_PERSON ? "INSERT INTO persons(nom, name_key) VALUES ('', '')"
					 : "INSERT INTO structures(nom, nom_norm, source) VALUES ('', '', 'qfq')"))
		return -1;
	ed = edit_new(db, e, sqlite3_last_insert_rowid(db));
	ed->created = true;
	rc = edit_set(ed, f, '=', nom, why);
	if (rc) {
		edit_abort(ed);
		return rc;
	}
	*out = ed;
	return 0;
}

static int cmp_id(const void *a, const void *b)
{
	sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
	return x < y ? -1 : x > y;
}

int edit_close(struct edit *ed)
{
	size_t i, added;
	int rc = 0;
	if (ed->e == EDIT_STRUCTURE)
		rc = run(ed, "UPDATE structures SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
			     "date_maj = strftime('%Y-%m-%d','now') WHERE id = ?1", 0);
	else
		rc = run(ed, "UPDATE persons SET updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1", 0);
	if (ed->n_reindex)
		qsort(ed->reindex, ed->n_reindex, sizeof(*ed->reindex), cmp_id);
	for (i = 0; i < ed->n_reindex && !rc; i++)
		if (!i || ed->reindex[i] != ed->reindex[i - 1])
			rc = structure_reindex(ed->db, ed->reindex[i]);
	if (!rc && ed->created)
		rc = ed->e == EDIT_PERSON ? merge_propose_persons(ed->db, &ed->id, 1, &added)
					  : merge_propose_structures(ed->db, &ed->id, 1, &added);
	edit_abort(ed);
	return rc;
}

void edit_abort(struct edit *ed)
{
	if (!ed)
		return;
	free(ed->reindex);
	free(ed);
}

int edit_remove(sqlite3 *db, enum edit_entity e, sqlite3_int64 id)
{
	struct edit *ed;
	size_t i;
	int rc = edit_open(db, e, id, &ed);
	if (rc)
		return rc == 1 ? 0 : -1;
	rc = 0;
	if (e == EDIT_STRUCTURE)
		rc = structure_unindex(db, id) ||
		     run(ed, "DELETE FROM merge_proposals WHERE kind = 'structure' AND (a_id = ?1 OR b_id = ?1)", 0) ||
		     run(ed, "DELETE FROM structures WHERE id = ?1", 0) ? -1 : 0;
	else
		rc = run(ed, "DELETE FROM merge_proposals WHERE kind = 'person' AND (a_id = ?1 OR b_id = ?1)", 0) ||
		     run(ed, "DELETE FROM persons WHERE id = ?1", 0) ? -1 : 0;
	for (i = 0; i < ed->n_reindex && !rc && e == EDIT_PERSON; i++)
		rc = structure_reindex(db, ed->reindex[i]);
	edit_abort(ed);
	return rc ? -1 : 1;
}

/* ============================================================ for forms */

/* Appends the rows of sql (?1 = id, one text column) joined with '|'. */
static int join_rows(sqlite3 *db, const char *sql, sqlite3_int64 id, struct strbuf *sb)
{
	sqlite3_stmt *st;
	int rc;
	bool first = true;
	if (db_prepare(db, sql, &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!first)
			strbuf_addch(sb, '|');
		first = false;
		if (sqlite3_column_text(st, 0))
			strbuf_addstr(sb, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, _("edit"));
}

int edit_get(sqlite3 *db, enum edit_entity e, sqlite3_int64 id, const struct edit_field *f, struct strbuf *sb)
{
	const char *sql = NULL;
	char *v, *q;
	if (f->column && f->kind != K_YESNO) {
		q = sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE id = ?1", f->column,
				    e == EDIT_PERSON ? "persons" : "structures");
		v = get_text(db, q, id, NULL);
		sqlite3_free(q);
		if (v)
			strbuf_addstr(sb, v);
		free(v);
		return 0;
	}
	switch (f->kind) {
	case K_YESNO:
		sql = "SELECT CASE sans_rdv WHEN 1 THEN 'oui' WHEN 0 THEN 'non' END FROM structures WHERE id = ?1";
		break;
	case K_COORDS:
		sql = "SELECT latitude || ', ' || longitude FROM structures WHERE id = ?1 AND coord_exact";
		break;
	case K_CLOSURE:
		sql = "SELECT ferme_du || '..' || ifnull(ferme_au, '') FROM structures WHERE id = ?1";
		break;
	case K_THEMES:
		sql = "SELECT t.label FROM structure_themes s JOIN themes t ON t.id = s.theme_id "
		      "WHERE s.structure_id = ?1 ORDER BY t.position, t.label";
		break;
	case K_COMPETENCES:
		sql = "SELECT t.label || CASE WHEN p.referent THEN '!' ELSE '' END FROM person_themes p "
		      "JOIN themes t ON t.id = p.theme_id WHERE p.person_id = ?1 ORDER BY t.position, t.label";
		break;
	case K_TERRITORIES:
		sql = "SELECT kind || ':' || code FROM structure_territories WHERE structure_id = ?1 ORDER BY kind, code";
		break;
	case K_PERMANENCES:
		sql = "SELECT ifnull(p.lieu, '') || '@' || ifnull(c.nom, '') || ifnull('@' || p.horaires, '') "
		      "FROM permanences p LEFT JOIN communes c ON c.code_insee = p.code_insee "
		      "WHERE p.structure_id = ?1 ORDER BY p.id";
		break;
	case K_MEMBERSHIPS:
		sql = "SELECT structure_id || ifnull(':' || role, '') FROM memberships WHERE person_id = ?1 "
		      "ORDER BY structure_id";
		break;
	default:
		return 0;
	}
	return join_rows(db, sql, id, sb);
}

int edit_commit_one(sqlite3 *db, enum edit_entity e, sqlite3_int64 *id, const struct edit_field *f,
		    const char *value, struct edit_refusal *why)
{
	struct strbuf summary = STRBUF_INIT;
	struct edit *ed = NULL;
	int rc;
	if (db_begin(db))
		return -1;
	rc = *id ? edit_open(db, e, *id, &ed) : edit_create(db, e, value, &ed, why);
	if (rc == 1 && *id)
		rc = refuse(why, NULL, _("this record no longer exists"));
	if (!rc && *id)
		rc = edit_set(ed, f, '=', value, why);
	if (!rc) {
		char *nom = get_text(db, e == EDIT_PERSON ? "SELECT trim(ifnull(prenom, '') || ' ' || nom) FROM persons WHERE id = ?1"
							  : "SELECT nom FROM structures WHERE id = ?1", edit_id(ed), NULL);
		if (*id)
			strbuf_addf(&summary, _("« %s » modifiée : %s"), nom ? nom : "?", f->name);
		else
			strbuf_addf(&summary, e == EDIT_PERSON ? _("personne « %s » ajoutée") : _("structure « %s » ajoutée"),
				    nom ? nom : "?");
		free(nom);
		history_set_summary(db, summary.buf);
		*id = edit_id(ed);
		rc = edit_close(ed) || db_commit(db) ? -1 : 0;
		ed = NULL;
	}
	edit_abort(ed);
	if (rc)
		db_rollback(db);
	strbuf_release(&summary);
	return rc;
}

int edit_commit_remove(sqlite3 *db, enum edit_entity e, sqlite3_int64 id)
{
	struct strbuf summary = STRBUF_INIT;
	char *nom;
	int rc;
	if (db_begin(db))
		return -1;
	nom = get_text(db, e == EDIT_PERSON ? "SELECT trim(ifnull(prenom, '') || ' ' || nom) FROM persons WHERE id = ?1"
					    : "SELECT nom FROM structures WHERE id = ?1", id, NULL);
	strbuf_addf(&summary, e == EDIT_PERSON ? _("personne « %s » supprimée") : _("structure « %s » supprimée"),
		    nom ? nom : "?");
	history_set_summary(db, summary.buf);
	rc = edit_remove(db, e, id);
	if (rc == 1 && db_commit(db))
		rc = -1;
	if (rc != 1)
		db_rollback(db);
	free(nom);
	strbuf_release(&summary);
	return rc;
}
