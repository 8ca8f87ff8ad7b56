/*
 * query: the criteria of a search (struct search_query, see search.h) and
 * the one reader of what a person types: the line of the full-screen
 * interface, the text of `qfq search` and the line mode all go through
 * search_parse_input(), and the settings around it (options, filters,
 * configured commune) through search_query_build(), so that the same
 * words and settings give the same query everywhere.
 */
#include "core/search.h"
#include "core/date.h"
#include "core/names.h"
#include "core/text.h"
#include "db/db.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *col_dup(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? xstrdup(s) : NULL;
}

void search_query_init(struct search_query *q)
{
	memset(q, 0, sizeof(*q));
	q->radius_km = SEARCH_DEFAULT_RADIUS_KM;
}

static void clear_groups(struct search_query *q)
{
	size_t i;
	for (i = 0; i < q->ngroups; i++) {
		free(q->groups[i].typed);
		theme_list_clear(&q->groups[i].themes);
	}
	free(q->groups);
	q->groups = NULL;
	q->ngroups = q->groups_alloc = 0;
}

static void clear_commune(struct search_query *q)
{
	free(q->commune_insee);
	free(q->commune_nom);
	free(q->commune_epci);
	free(q->commune_dep);
	q->commune_insee = q->commune_nom = q->commune_epci = q->commune_dep = NULL;
	q->has_commune = q->has_center = false;
}

void search_query_clear(struct search_query *q)
{
	free(q->text);
	free(q->name_text);
	clear_groups(q);
	clear_commune(q);
	free(q->epci);
	free(q->departement);
	free(q->publics);
	free(q->typologie);
	free(q->prise_en_charge);
	free(q->acces);
	search_query_init(q);
}

void search_query_set_text(struct search_query *q, const char *text)
{
	free(q->text);
	q->text = text && *text ? xstrdup(text) : NULL;
}

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

void search_query_set_commune(struct search_query *q, const struct commune *c)
{
	clear_commune(q);
	q->has_commune = true;
	q->commune_insee = xstrdup(c->code_insee);
	q->commune_nom = dup_or_null(c->nom);
	q->commune_epci = dup_or_null(c->epci);
	q->commune_dep = dup_or_null(c->departement);
	q->has_center = c->has_coords;
	q->lat = c->latitude;
	q->lon = c->longitude;
}

int search_query_add_theme(sqlite3 *db, struct search_query *q, const char *typed)
{
	struct theme_list l = { 0 };
	struct search_theme_group *g;
	if (themes_resolve(db, typed, &l))
		return -1;
	if (!l.n) {
		theme_list_clear(&l);
		return 0;
	}
	XGROW(q->groups, q->groups_alloc, q->ngroups + 1);
	g = &q->groups[q->ngroups++];
	memset(g, 0, sizeof(*g));
	g->typed = xstrdup(typed);
	g->themes = l;
	return 1;
}

int search_query_set_epci(sqlite3 *db, struct search_query *q, const char *typed)
{
	/* an exact SIREN or name first; else a name prefix naming one EPCI */
	static const char *const sql[] = {
		"SELECT siren FROM epci WHERE siren = ?1 OR nom_norm = ?2 LIMIT 2",
		"SELECT siren FROM epci WHERE ?2 <> '' AND nom_norm >= ?2 AND nom_norm < ?2 || '~' LIMIT 2",
	};
	char *key = text_norm_dup(typed), *found = NULL;
	sqlite3_stmt *st;
	size_t i;
	int n = 0, rc = SQLITE_DONE;

	for (i = 0; i < 2 && !n && rc == SQLITE_DONE; i++) {
		if (db_prepare(db, sql[i], &st)) {
			free(key);
			return -1;
		}
		sqlite3_bind_text(st, 1, typed, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (n++ == 0)
				found = col_dup(st, 0);
		sqlite3_finalize(st);
	}
	free(key);
	if (rc != SQLITE_DONE) {
		free(found);
		return db_error(db, "epci");
	}
	if (n != 1) {
		free(found);
		return n ? 2 : 0;
	}
	free(q->epci);
	q->epci = found;
	return 1;
}

/* ----------------------------------------------------------------- when */

static const char *const day_names[7][5] = {
	/* tm_wday order: Sunday first */
	{ "dimanche", "dim", "sunday", "sun", "su" },
	{ "lundi", "lun", "monday", "mon", "mo" },
	{ "mardi", "mar", "tuesday", "tue", "tu" },
	{ "mercredi", "mer", "wednesday", "wed", "we" },
	{ "jeudi", "jeu", "thursday", "thu", "th" },
	{ "vendredi", "ven", "friday", "fri", "fr" },
	{ "samedi", "sam", "saturday", "sat", "sa" },
};

/* Parses "14:00", "14h", "14h30", "9". Returns 0 and minutes of day, or -1. */
static int parse_clock(const char *s, int *minutes)
{
	int h = 0, m = 0, digits = 0;
	while (isdigit((unsigned char)*s) && digits < 3)
		h = h * 10 + (*s++ - '0'), digits++;
	if (!digits || digits > 2)
		return -1;
	if (*s == ':' || *s == 'h' || *s == 'H') {
		s++;
		if (isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1])) {
			m = (s[0] - '0') * 10 + (s[1] - '0');
			s += 2;
			if (*s == ':' && isdigit((unsigned char)s[1]) && isdigit((unsigned char)s[2]))
				s += 3; /* seconds, ignored */
		}
	}
	if (*s || h > 24 || m > 59 || (h == 24 && m))
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

static int parse_iso(const char *s, struct tm *out)
{
	int y, mo, d, n = 0, minutes;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	s += 10;
	if (*s != 'T' && *s != ' ')
		return -1;
	if (parse_clock(s + 1, &minutes))
		return -1;
	if (!date_exists(y, mo, d))
		return -2; /* well formed, but no such day: never rolled over by mktime */
	memset(out, 0, sizeof(*out));
	out->tm_year = y - 1900;
	out->tm_mon = mo - 1;
	out->tm_mday = d;
	out->tm_hour = minutes / 60;
	out->tm_min = minutes % 60;
	out->tm_isdst = -1;
	if (mktime(out) == (time_t)-1)
		return -1;
	return 0;
}

int search_parse_when(const char *s, const struct tm *now, struct tm *out)
{
	struct strbuf key = STRBUF_INIT;
	const char *clock;
	int wday = -1, ahead = 0, minutes, d, k;
	size_t len;

	while (*s == ' ')
		s++;
	if ((k = parse_iso(s, out)) == 0)
		return 0;
	if (k == -2)
		return qfq_error(_("no such date \"%.10s\""), s);
	text_fold(&key, s, strlen(s));
	strbuf_trim(&key);
	if (!strcmp(key.buf, "now") || !strcmp(key.buf, "maintenant")) {
		*out = *now;
		strbuf_release(&key);
		return 0;
	}
	len = strcspn(key.buf, " ");
	clock = key.buf + len;
	while (*clock == ' ')
		clock++;
	for (d = 0; d < 7 && wday < 0; d++)
		for (k = 0; k < 5; k++)
			if (strlen(day_names[d][k]) == len && !strncmp(key.buf, day_names[d][k], len))
				wday = d;
	if (wday < 0 && len == 6 && !strncmp(key.buf, "demain", 6))
		ahead = 1;
	else if (wday < 0 && ((len == 11 && !strncmp(key.buf, "aujourd'hui", 11)) ||
			      (len == 5 && !strncmp(key.buf, "today", 5))))
		ahead = 0;
	else if (wday < 0)
		clock = key.buf; /* only a time: today */
	if (wday >= 0)
		ahead = (wday - now->tm_wday + 7) % 7;
	if (parse_clock(clock, &minutes)) {
		strbuf_release(&key);
		return qfq_error(_("unreadable time \"%s\": expected \"mardi 14:00\", \"14h30\", "
				   "\"now\" or \"2024-07-10T14:00\""), s);
	}
	strbuf_release(&key);
	*out = *now;
	out->tm_mday += ahead;
	out->tm_hour = minutes / 60;
	out->tm_min = minutes % 60;
	out->tm_sec = 0;
	out->tm_isdst = -1;
	mktime(out);
	return 0;
}

/* --------------------------------------------------------- typed input */

/* Whether key is the folded name of some theme (label, alias...): 1, 0 or -1. */
static int theme_named(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	int rc;
	if (db_stmt(db, "SELECT 1 FROM theme_names WHERE name_norm = ?1 LIMIT 1", &st))
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	db_stmt_done(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_error(db, "themes");
}

/* The commune of code (5 digits), or named exactly words: 1 and *c, 0, -1. */
static int commune_by(sqlite3 *db, const char *words, struct commune *c)
{
	struct commune_list l = { 0 };
	enum commune_match how;
	int rc;
	if (communes_find(db, words, &l, &how))
		return -1;
	rc = how == COMMUNE_FOUND && l.n >= 1;
	if (rc) {
		*c = l.v[0];
		memset(&l.v[0], 0, sizeof(l.v[0]));
	}
	commune_list_clear(&l);
	return rc;
}

/*
 * Whether the directory concerns commune c: it has places in its
 * département, or places serving the département or the commune. 1, 0, -1.
 */
static int commune_ours(sqlite3 *db, const struct commune *c)
{
	sqlite3_stmt *st;
	int rc;
	if (db_stmt(db, "SELECT EXISTS (SELECT 1 FROM communes x JOIN structures s ON s.code_insee = x.code_insee "
			"WHERE x.departement = ?1) OR EXISTS (SELECT 1 FROM structure_territories WHERE kind = 'departement' "
			"AND code = ?1) OR EXISTS (SELECT 1 FROM structure_territories WHERE kind = 'commune' AND code = ?2)",
		    &st))
		return -1;
	sqlite3_bind_text(st, 1, c->departement ? c->departement : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, c->code_insee, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) != 0 : db_error(db, "communes");
	db_stmt_done(st);
	return rc;
}

/*
 * The one commune of the directory's départements whose name begins with
 * the words of key ("vals": Vals-les-Bains in an Ardèche directory), into
 * *c: 1, 0 (none or several), -1.
 */
static int own_commune_beginning(sqlite3 *db, const char *key, struct commune *c)
{
	sqlite3_stmt *st;
	char code[16] = "";
	int rc, n = 0;
	if (db_stmt(db, "SELECT code_insee FROM communes c WHERE nom_norm > ?1 || ' ' AND nom_norm < ?1 || '!' "
			"AND (EXISTS (SELECT 1 FROM communes x JOIN structures s ON s.code_insee = x.code_insee "
			"WHERE x.departement = c.departement) OR EXISTS (SELECT 1 FROM structure_territories "
			"WHERE kind = 'departement' AND code = c.departement)) LIMIT 2", &st))
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (n++ == 0)
			snprintf(code, sizeof(code), "%s", (const char *)sqlite3_column_text(st, 0));
	db_stmt_done(st);
	if (rc != SQLITE_DONE)
		return db_error(db, "communes");
	return n == 1 && strlen(code) == 5 ? commune_by(db, code, c) : 0;
}

static int names_structures(sqlite3 *db, const char *key);

/*
 * A commune named exactly key (current or former name), or by code: 1 and
 * *c, 0, -1. A name the directory does not concern (no place in or for its
 * département: "vals" is Vals, Ariège, in an Ardèche directory) is read
 * as a commune only when no structure name has the words and then as the
 * one commune of the directory's départements named after them
 * (Vals-les-Bains); else the words stay text.
 */
static int exact_commune(sqlite3 *db, const char *words, const char *key, struct commune *c)
{
	sqlite3_stmt *st;
	int rc, n = 0;
	bool digits = strspn(words, "0123456789") == strlen(words);

	if (digits)
		return strlen(words) == 5 ? commune_by(db, words, c) : 0;
	/* only exact names: a prefix ("pri") is still being typed, or is a word */
	if (db_stmt(db, "SELECT count(*) FROM (SELECT code_insee FROM communes WHERE nom_norm = ?1 "
			"UNION SELECT commune_actuelle FROM communes_anciennes WHERE nom_norm = ?1)", &st))
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	db_stmt_done(st);
	if (n != 1 || (rc = commune_by(db, words, c)) <= 0)
		return n == 1 ? rc : 0;
	if ((rc = commune_ours(db, c)) != 0)
		goto done;
	commune_clear(c);
	if ((rc = names_structures(db, key)) != 0)
		return rc < 0 ? -1 : 0;
	return own_commune_beginning(db, key, c);
done:
	if (rc < 0)
		commune_clear(c);
	return rc;
}

struct name_fts {
	struct strbuf *out;
	bool prefix;
	size_t n;
};

#define NAME_TOKEN_BYTES 64  /* a longer "word" is cut (whole characters) */
#define NAME_TOKENS 16       /* more words than that is not a name */

static int add_name_token(const char *tok, size_t len, void *arg)
{
	struct name_fts *nf = arg;
	size_t i;
	if (nf->n == NAME_TOKENS)
		return 1;
	if (len > NAME_TOKEN_BYTES) {
		len = NAME_TOKEN_BYTES;
		while (len > 0 && ((unsigned char)tok[len] & 0xC0) == 0x80)
			len--;
	}
	if (nf->n++)
		strbuf_addch(nf->out, ' ');
	/* a quoted string: FTS5 reads nothing inside as syntax ("" is a quote) */
	strbuf_addstr(nf->out, "nom : \"");
	for (i = 0; i < len; i++) {
		if (tok[i] == '"')
			strbuf_addch(nf->out, '"');
		strbuf_addch(nf->out, tok[i]);
	}
	strbuf_addstr(nf->out, nf->prefix ? "\"*" : "\"");
	return 0;
}

size_t search_name_fts(const char *typed, bool prefix, struct strbuf *out)
{
	struct strbuf norm = STRBUF_INIT;
	struct name_fts nf = { out, prefix, 0 };
	text_norm(&norm, typed, strlen(typed));
	text_each_token(norm.buf, add_name_token, &nf);
	strbuf_release(&norm);
	return nf.n;
}

/* Whether some structure's name has every word of key (whole words: "caf" is not "café"): 1, 0, -1. */
static int names_structures(sqlite3 *db, const char *key)
{
	struct strbuf m = STRBUF_INIT;
	sqlite3_stmt *st;
	int rc;

	if (!search_name_fts(key, false, &m)) {
		strbuf_release(&m);
		return 0;
	}
	if (db_stmt(db, "SELECT 1 FROM structures_fts WHERE structures_fts MATCH ?1 LIMIT 1", &st)) {
		strbuf_release(&m);
		return -1;
	}
	sqlite3_bind_text(st, 1, m.buf, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	db_stmt_done(st);
	strbuf_release(&m);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_error(db, "search");
}

#define MAX_RUN 5  /* words in a theme or commune name tried at once */

int search_parse_input(sqlite3 *db, const char *typed, struct search_query *q)
{
	struct strbuf rest = STRBUF_INIT, run = STRBUF_INIT, key = STRBUF_INIT;
	const char *w[64];
	size_t wl[64], nw = 0, i = 0, len;
	bool have_commune = false;
	const char *s = typed ? typed : "";
	int rc = -1;

	clear_groups(q);
	clear_commune(q);
	search_query_set_text(q, NULL);
	/* words as typed, split on white space (at most 64: the rest is text) */
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		len = strcspn(s, " \t");
		if (!len)
			break;
		if (nw == 64) {
			wl[nw - 1] = (size_t)(s + len - w[nw - 1]);
		} else {
			w[nw] = s;
			wl[nw++] = len;
		}
		s += len;
	}
	while (i < nw) {
		size_t k, used = 0;
		const char *support;
		for (k = i + MAX_RUN <= nw ? MAX_RUN : nw - i; k >= 1 && !used; k--) {
			struct commune c;
			int found, named;
			strbuf_reset(&run);
			strbuf_add(&run, w[i], (size_t)(w[i + k - 1] + wl[i + k - 1] - w[i]));
			strbuf_reset(&key);
			text_norm(&key, run.buf, run.len);
			if (!key.len)
				continue;
			named = theme_named(db, key.buf);
			if (named < 0)
				goto done;
			if (named || (k == 1 && key.len >= 5 && !names_is_stopword(key.buf, key.len))) {
				int added = search_query_add_theme(db, q, run.buf);
				if (added < 0)
					goto done;
				if (added) {
					if ((named = names_structures(db, key.buf)) < 0)
						goto done;
					q->groups[q->ngroups - 1].name_too = named > 0;
					used = k;
					break;
				}
			}
			/* "anglais", "sourde": a specific support (before the
			 * communes: "Signes" is in the Var) */
			if (k == 1 && !q->prise_en_charge && (support = search_support_label(run.buf))) {
				q->prise_en_charge = xstrdup(support);
				used = k;
				break;
			}
			if (have_commune)
				continue;
			found = exact_commune(db, run.buf, key.buf, &c);
			if (found < 0)
				goto done;
			if (found) {
				search_query_set_commune(q, &c);
				commune_clear(&c);
				have_commune = true;
				used = k;
				break;
			}
		}
		if (!used) {
			if (rest.len)
				strbuf_addch(&rest, ' ');
			strbuf_add(&rest, w[i], wl[i]);
			used = 1;
		}
		i += used;
	}
	search_query_set_text(q, rest.buf);
	rc = 0;
done:
	strbuf_release(&rest);
	strbuf_release(&run);
	strbuf_release(&key);
	return rc;
}

int search_query_build(sqlite3 *db, const char *typed, const struct search_settings *s,
		       struct search_query *q)
{
	size_t i;
	int rc;

	search_query_clear(q);
	if (search_parse_input(db, typed, q))
		return -1;
	if (!q->has_commune && s->commune)
		search_query_set_commune(q, s->commune);
	if (s->radius_km > 0)
		q->radius_km = s->radius_km;
	for (i = 0; i < s->nthemes; i++) {
		if ((rc = search_query_add_theme(db, q, s->themes[i])) < 0)
			return -1;
		if (!rc)
			return qfq_error(_("no theme matches \"%s\""), s->themes[i]);
	}
	q->epci = s->epci ? xstrdup(s->epci) : NULL;
	q->departement = s->departement ? xstrdup(s->departement) : NULL;
	q->has_when = s->when != NULL;
	if (s->when)
		q->when = *s->when;
	q->open = s->when ? s->open : SEARCH_MARK;
	q->sans_rdv = s->sans_rdv;
	q->publics = s->publics && *s->publics ? xstrdup(s->publics) : NULL;
	q->typologie = s->typologie && *s->typologie ? xstrdup(s->typologie) : NULL;
	q->gratuit = s->gratuit;
	q->rdv_en_ligne = s->rdv_en_ligne;
	/* a support as people say it ("anglais", "sourde") is matched by its
	 * label; one named in the text stays unless the settings name one */
	if (s->prise_en_charge && *s->prise_en_charge) {
		const char *label = search_support_label(s->prise_en_charge);
		free(q->prise_en_charge);
		q->prise_en_charge = xstrdup(label ? label : s->prise_en_charge);
	}
	q->acces = s->acces && *s->acces ? xstrdup(s->acces) : NULL;
	q->persons = s->persons;
	q->limit = s->limit;
	q->max_candidates = s->max_candidates;
	return 0;
}
