/*
 * roster: the roster importer's engine (see roster.h): reads the rows,
 * matches people and structures, writes them in one transaction and fills
 * the report. The text-only helpers live in roster_parse.c.
 *
 * Speed: look-ups that would cost one SQL probe per row are kept in memory
 * (person name keys and emails loaded once; each distinct structure cell
 * resolved once; each theme item resolved once); statements are prepared
 * once. Derived structure indexes are rebuilt once per changed structure,
 * at the end, and only for structures that did change, so re-importing a
 * file leaves the database byte-for-byte as it was (audit log aside).
 */
#include "csv/roster.h"
#include "csv/import.h"
#include "core/date.h"
#include "csv/fields.h"
#include "core/communes.h"
#include "core/names.h"
#include "core/persons.h"
#include "core/territories.h"
#include "core/text.h"
#include "core/themes.h"
#include "util/hmap.h"
#include "db/db.h"
#include "db/merge.h"
#include "db/structures.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_KEPT_MSGS 500   /* messages kept per list; the rest are counted */

enum presence { P_PRESENT, P_EXCUSE, P_ABSENT };
static const char *const presence_sql[] = { "present", "excuse", "absent" };

struct typology {
	char *code;
	char **patterns;        /* folded, padded with spaces: " pimms mediation " */
	size_t n;
};

/* A structure cell resolved once: the structure and what the cell said. */
struct cell {
	sqlite3_int64 sid;      /* 0: no structure in the cell */
	char *role;             /* role found in the cell, or NULL */
	bool excused;
};

enum stmt {
	S_PERSON_INS, S_PERSON_GET, S_PERSON_CONTACTS, S_STRUCT_INS,
	S_STRUCT_FILL, S_MEMB_GET, S_MEMB_INS, S_MEMB_ROLE, S_PT_GET, S_PT_INS, S_PT_REF,
	S_ATT_GET, S_ATT_INS, S_TERR_INS, S_TERR_DEDUCED, S_STRUCT_TERR, S_COUNT
};

static const char *const stmt_sql[S_COUNT] = {
	[S_PERSON_INS] = "INSERT INTO persons(nom, prenom, name_key, courriels, telephones, created_at, updated_at) "
			 "VALUES (?1, nullif(?2, ''), ?3, nullif(?4, ''), nullif(?5, ''), ?6, ?6)",
	[S_PERSON_GET] = "SELECT nom, prenom, name_key, courriels, telephones FROM persons WHERE id = ?1",
	[S_PERSON_CONTACTS] = "UPDATE persons SET courriels = nullif(?2, ''), telephones = nullif(?3, ''), "
			      "prenom = coalesce(prenom, nullif(?4, '')), "
			      "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
	[S_STRUCT_INS] = "INSERT INTO structures(nom, nom_norm, typologie, code_insee, source) "
			 "VALUES (?1, ?2, nullif(?3, ''), ?4, ?5)",
	[S_STRUCT_FILL] = "UPDATE structures SET typologie = coalesce(typologie, nullif(?2, '')), "
			  "code_insee = coalesce(code_insee, ?3), "
			  "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1 "
			  "AND ((typologie IS NULL AND nullif(?2, '') IS NOT NULL) "
			  "OR (code_insee IS NULL AND ?3 IS NOT NULL))",
	[S_MEMB_GET] = "SELECT role FROM memberships WHERE person_id = ?1 AND structure_id = ?2",
	[S_MEMB_INS] = "INSERT INTO memberships(person_id, structure_id, role) VALUES (?1, ?2, nullif(?3, ''))",
	[S_MEMB_ROLE] = "UPDATE memberships SET role = ?3 WHERE person_id = ?1 AND structure_id = ?2",
	[S_PT_GET] = "SELECT referent FROM person_themes WHERE person_id = ?1 AND theme_id = ?2",
	[S_PT_INS] = "INSERT INTO person_themes(person_id, theme_id, referent) VALUES (?1, ?2, ?3)",
	[S_PT_REF] = "UPDATE person_themes SET referent = 1 WHERE person_id = ?1 AND theme_id = ?2",
	[S_ATT_GET] = "SELECT presence FROM attendance WHERE event_id = ?1 AND person_id = ?2",
	[S_ATT_INS] = "INSERT INTO attendance(event_id, person_id, structure_id, presence) VALUES (?1, ?2, ?3, ?4)",
	[S_TERR_INS] = "INSERT INTO structure_territories(structure_id, kind, code) VALUES (?1, ?2, ?3) "
		"ON CONFLICT DO UPDATE SET origine = NULL WHERE origine IS NOT NULL",
	[S_TERR_DEDUCED] = "INSERT OR IGNORE INTO structure_territories(structure_id, kind, code, origine) "
		"VALUES (?1, ?2, ?3, ?4)",
	[S_STRUCT_TERR] = "SELECT EXISTS (SELECT 1 FROM structure_territories WHERE structure_id = s.id), "
		"s.nom, s.code_insee, c.departement FROM structures s "
		"LEFT JOIN communes c ON c.code_insee = s.code_insee WHERE s.id = ?1",
};

struct importer {
	sqlite3 *db;
	const struct roster_options *opt;
	struct roster_report *rep;
	struct csv_reader *csv;
	char *source;                /* the file's base name, for structures.source */
	enum roster_field *cols;     /* field of each column */
	char **colnames;             /* header as written */
	size_t ncols;
	struct hmap by_key;          /* person name key -> id */
	struct hmap by_mail;         /* lowercase email -> id */
	struct hmap cells;           /* structure cell -> struct cell */
	struct hmap skeys;           /* structure key -> id, once resolved */
	struct hmap commune_cache;   /* commune_exact() query -> malloc'd code or NULL */
	struct hmap theme_items;     /* folded theme item -> theme id (-1 unknown) */
	struct hmap seen_persons;    /* ids of existing persons matched */
	struct hmap seen_structures; /* id -> 1 new, 2 matched */
	struct hmap touched;         /* structure ids to reindex */
	struct typology *typos;
	size_t ntypos, atypos;
	sqlite3_int64 event_id;
	char event_dep[4];           /* the département of the meeting's place, or "" */
	size_t unknown_territories;  /* unknown zone items so far (suggestions for the first) */
	sqlite3_int64 max_sid;       /* highest structure id before the import */
	char now[32];                /* the import's timestamp, ISO 8601 UTC */
	sqlite3_int64 max_pid;       /* highest person id before the import */
	sqlite3_int64 *new_persons, *new_structures;
	size_t n_np, a_np, n_ns, a_ns;
	sqlite3_stmt *st[S_COUNT];
};

/* One row, taken apart before anything is written. */
struct row {
	unsigned long line;
	struct strbuf nom, prenom, key, structure, role, commune, cp;
	struct strbuf emails, phones;  /* '|'-joined, valid and normalized */
	const char *themes, *territoire;
	bool has_presence;
	bool excused;                  /* "excusé(e)" after the name */
	enum presence presence;
	size_t col_name, col_structure;
};

/* -------------------------------------------------------------- report */

__attribute__((format(printf, 4, 5)))
static void warn(struct importer *im, unsigned long line, size_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	import_msg_addv(&im->rep->warnings, IMPORT_WARNING, line, col, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 4, 5)))
static void conflict(struct importer *im, unsigned long line, size_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	import_msg_addv(&im->rep->conflicts, IMPORT_CONFLICT, line, col, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 4, 5)))
static void row_error(struct importer *im, unsigned long line, size_t col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	import_msg_addv(&im->rep->errors, IMPORT_ERROR, line, col, fmt, ap);
	va_end(ap);
}

void roster_report_clear(struct roster_report *rep)
{
	free(rep->event_title);
	free(rep->event_date);
	free(rep->columns);
	import_msgs_clear(&rep->warnings);
	import_msgs_clear(&rep->conflicts);
	import_msgs_clear(&rep->errors);
	memset(rep, 0, sizeof(*rep));
}

/* ------------------------------------------------------------- helpers */

static struct hmap_entry *id_put(struct hmap *m, sqlite3_int64 id, int *created)
{
	return hmap_put(m, (const char *)&id, sizeof(id), created);
}

static void push_id(sqlite3_int64 **v, size_t *n, size_t *alloc, sqlite3_int64 id)
{
	XGROW(*v, *alloc, *n + 1);
	(*v)[(*n)++] = id;
}

/* Whether '|'-joined list contains item (compared folded-case for emails). */
static bool list_has(const char *list, const char *item)
{
	size_t len = strlen(item);
	const char *p = list;
	while (p && *p) {
		size_t l = strcspn(p, "|");
		if (l == len && !strncasecmp(p, item, len))
			return true;
		p += l + (p[l] == '|');
	}
	return false;
}

/* ---------------------------------------------------------- typologies */

static int load_typologies(struct importer *im)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(im->db, "SELECT code, patterns FROM typologies WHERE patterns <> '' ORDER BY code", &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct typology *t;
		const char *p = (const char *)sqlite3_column_text(st, 1);
		size_t alloc = 0;
		XGROW(im->typos, im->atypos, im->ntypos + 1);
		t = &im->typos[im->ntypos];
		memset(t, 0, sizeof(*t));
		t->code = xstrdup((const char *)sqlite3_column_text(st, 0));
		while (p && *p) {
			size_t l = strcspn(p, "|");
			struct strbuf sb = STRBUF_INIT;
			strbuf_addch(&sb, ' ');
			text_norm(&sb, p, l);
			strbuf_addch(&sb, ' ');
			XGROW(t->patterns, alloc, t->n + 1);
			t->patterns[t->n++] = strbuf_detach(&sb, NULL);
			p += l + (p[l] == '|');
		}
		im->ntypos++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(im->db, "typologies");
}

/* Appends the '|'-joined typology codes a structure name implies. */
static void typology_of(const struct importer *im, const char *name, struct strbuf *out)
{
	struct strbuf n = STRBUF_INIT;
	size_t i, j;
	strbuf_addch(&n, ' ');
	text_norm(&n, name, strlen(name));
	strbuf_addch(&n, ' ');
	for (i = 0; i < im->ntypos; i++)
		for (j = 0; j < im->typos[i].n; j++)
			if (strstr(n.buf, im->typos[i].patterns[j])) {
				if (out->len)
					strbuf_addch(out, '|');
				strbuf_addstr(out, im->typos[i].code);
				break;
			}
	strbuf_release(&n);
}

/* ------------------------------------------------------------ communes */

/*
 * The one commune whose name (current or former) is exactly q, folded;
 * several: the one in Ardèche if it is alone there. NULL when none.
 */
static char *commune_exact_uncached(struct importer *im, const char *q, bool accents);

/* commune_exact() remembered per query: structure names repeat communes. */
static char *commune_exact(struct importer *im, const char *q, bool accents)
{
	struct strbuf k = STRBUF_INIT;
	struct hmap_entry *e;
	int created;
	strbuf_addf(&k, "%d%s", accents, q);
	e = hmap_put(&im->commune_cache, k.buf, k.len, &created);
	strbuf_release(&k);
	if (created)
		e->ptr = commune_exact_uncached(im, q, accents);
	return e->ptr ? xstrdup(e->ptr) : NULL;
}

static char *commune_exact_uncached(struct importer *im, const char *q, bool accents)
{
	struct commune_list l = { 0 };
	enum commune_match how;
	char *norm = text_norm_dup(q), *code = NULL;
	size_t i, hits = 0, hits07 = 0, pick = 0, pick07 = 0;

	if (!*norm || communes_find_as(im->db, q, false, &l, &how) || how == COMMUNE_NONE)
		goto done;
	for (i = 0; i < l.n; i++) {
		char *cn = text_norm_dup(l.v[i].nom);
		char *mn = l.v[i].matched ? text_norm_dup(l.v[i].matched) : NULL;
		/* one word taken from a name must match with its accents: "Rouge"
		 * in "Croix Rouge" is not Rougé, "Loire" is not Loiré */
		if (accents && strcasecmp(l.v[i].nom, q) && !(l.v[i].matched && !strcasecmp(l.v[i].matched, q)))
			;
		else if (!strcmp(cn, norm) || (mn && !strcmp(mn, norm))) {
			hits++;
			pick = i;
			if (l.v[i].departement && !strcmp(l.v[i].departement, "07")) {
				hits07++;
				pick07 = i;
			}
		}
		free(cn);
		free(mn);
	}
	if (hits == 1)
		code = xstrdup(l.v[pick].code_insee);
	else if (hits07 == 1)
		code = xstrdup(l.v[pick07].code_insee);
done:
	qfq_error_clear();
	commune_list_clear(&l);
	free(norm);
	return code;
}

static bool word_capitalized(const char *s, size_t len)
{
	unsigned char c = (unsigned char)s[0];
	size_t i, lower = 0;
	if (!len || !(isupper(c) || c >= 0xC3))
		return false;
	if (c >= 0xC3 && !(len >= 2 && (unsigned char)s[1] >= 0x80 && (unsigned char)s[1] <= 0x9E))
		return false;  /* UTF-8 capitals À..Þ are C3 80..C3 9E */
	for (i = 1; i < len; i++)
		if (islower((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			lower++;
	return lower > 0;  /* "ARCHE", "SA": acronyms, not communes */
}

/*
 * The commune a structure name carries: after "Mairie de", "Commune d'",
 * "Ville de", or as a tail of capitalized words ("EPN ARCHE Agglo
 * Saint-Jean-de-Muzols", "Association AIME Bourg Saint Andéol") that is
 * exactly one commune's name. Single lowercase or all-capital words never
 * count: most words of a name are not communes.
 */
static char *commune_in_name(struct importer *im, const char *name)
{
	static const char *const prefixes[] = { "mairie", "commune", "ville", "hotel de ville" };
	size_t wo[16], wl[16], n = 0, i = 0, k;
	char *code = NULL;
	struct strbuf first = STRBUF_INIT;

	while (name[i] && n < 16) {
		while (name[i] == ' ')
			i++;
		if (!name[i])
			break;
		wo[n] = i;
		i += strcspn(name + i, " ");
		wl[n] = i - wo[n];
		n++;
	}
	if (!n)
		goto done;
	text_norm(&first, name + wo[0], wl[0]);
	for (k = 0; k < sizeof(prefixes) / sizeof(*prefixes) && n >= 2; k++) {
		size_t j = 1, off;
		if (strcmp(first.buf, prefixes[k]) && !(k == 3 && !strncmp(first.buf, "hotel", 5)))
			continue;
		if (k == 3)
			j = 3;
		if (j >= n)
			break;
		off = wo[j];
		if (wl[j] == 2 && (!strncasecmp(name + off, "de", 2) || !strncasecmp(name + off, "du", 2)) && j + 1 < n)
			off = wo[j + 1];
		else if (wl[j] > 2 && (name[off] == 'd' || name[off] == 'D') && name[off + 1] == '\'')
			off += 2;
		else if (wl[j] > 4 && (name[off] == 'd' || name[off] == 'D') && !strncmp(name + off + 1, "\xe2\x80\x99", 3))
			off += 4;
		code = commune_exact(im, name + off, false);
		goto done;
	}
	for (k = n - 1 < 5 ? n - 1 : 5; k >= 1; k--) {
		size_t s = n - k, l = strlen(name + wo[s]);
		char last = name[wo[n - 1] + wl[n - 1] - 1];
		if (isdigit((unsigned char)last) || last == ')')
			break;
		size_t skip = 0;
		/* "EPN d'Alboussière": the elided article is not part of the name */
		if (wl[s] > 2 && (name[wo[s]] == 'd' || name[wo[s]] == 'l') && name[wo[s] + 1] == '\'')
			skip = 2;
		if (!word_capitalized(name + wo[s] + skip, wl[s] - skip))
			continue;
		if (k == 1 && wl[s] - skip < 4)
			continue;
		(void)l;
		if ((code = commune_exact(im, name + wo[s] + skip, k == 1)))
			break;
	}
done:
	strbuf_release(&first);
	return code;
}

/* ---------------------------------------------------------- structures */

static int structure_touch(struct importer *im, sqlite3_int64 sid)
{
	id_put(&im->touched, sid, NULL);
	return 0;
}

/* Finds or creates the structure of a cell's name; fills what it lacks. */
static int resolve_structure(struct importer *im, const char *name, unsigned long line,
			     sqlite3_int64 *sid)
{
	struct strbuf key = STRBUF_INIT, typo = STRBUF_INIT;
	char *code = NULL;
	int found, rc = -1, created;
	struct hmap_entry *e;
	sqlite3_stmt *st;

	names_structure_key(&key, name);
	if (!key.len) {
		*sid = 0;
		rc = 0;
		goto done;
	}
	/* "X", "X excusée", "X (directeur)": one structure, resolved once */
	if ((e = hmap_get(&im->skeys, key.buf, key.len))) {
		*sid = e->num;
		rc = 0;
		goto done;
	}
	if ((found = structure_find_by_key(im->db, key.buf, sid)) < 0)
		goto done;
	typology_of(im, name, &typo);
	code = commune_in_name(im, name);
	if (!found) {
		st = im->st[S_STRUCT_INS];
		import_bind_text(st, 1, name, (size_t)-1);
		import_bind_text(st, 2, key.buf, (size_t)-1);
		import_bind_text(st, 3, typo.buf, (size_t)-1);
		import_bind_text(st, 4, code, (size_t)-1);
		import_bind_text(st, 5, im->source, (size_t)-1);
		if (import_step_done(im->db, st, "structures"))
			goto done;
		*sid = sqlite3_last_insert_rowid(im->db);
		push_id(&im->new_structures, &im->n_ns, &im->a_ns, *sid);
		id_put(&im->seen_structures, *sid, NULL)->num = 1;
		im->rep->structures_new++;
		structure_touch(im, *sid);
		rc = 0;
		goto done;
	}
	e = id_put(&im->seen_structures, *sid, &created);
	if (created) {
		e->num = 2;
		im->rep->structures_matched++;
	}
	/* enrich: typology and commune only where empty */
	st = im->st[S_STRUCT_FILL];
	sqlite3_bind_int64(st, 1, *sid);
	import_bind_text(st, 2, typo.buf, (size_t)-1);
	import_bind_text(st, 3, code, (size_t)-1);
	if (import_step_done(im->db, st, "structures"))
		goto done;
	if (sqlite3_changes(im->db))
		structure_touch(im, *sid);
	(void)line;
	rc = 0;
done:
	if (!rc && *sid)
		hmap_put(&im->skeys, key.buf, key.len, NULL)->num = *sid;
	free(code);
	strbuf_release(&key);
	strbuf_release(&typo);
	return rc;
}

static int resolve_cell(struct importer *im, const char *cell, unsigned long line, struct cell **out)
{
	int created;
	struct hmap_entry *e = hmap_put(&im->cells, cell, strlen(cell), &created);
	struct strbuf name = STRBUF_INIT, role = STRBUF_INIT;
	struct cell *c;

	if (!created) {
		*out = e->ptr;
		return 0;
	}
	c = xcalloc(1, sizeof(*c));
	e->ptr = c;
	*out = c;
	roster_split_structure(cell, &name, &role, &c->excused);
	c->role = role.len ? strbuf_detach(&role, NULL) : NULL;
	if (name.len && resolve_structure(im, name.buf, line, &c->sid)) {
		strbuf_release(&name);
		strbuf_release(&role);
		return -1;
	}
	strbuf_release(&name);
	strbuf_release(&role);
	return 0;
}

/* --------------------------------------------------------------- event */

static bool valid_date(const char *d)
{
	int i;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? d[i] != '-' : !isdigit((unsigned char)d[i]))
			return false;
	return !d[10] && date_exists(atoi(d), atoi(d + 5), atoi(d + 8));
}

/* "data/rosters/2024-06-21-numerian.csv" -> 2024-06-21, "Numerian". */
static bool infer_event(const char *path, struct strbuf *title, struct strbuf *date)
{
	const char *base = strrchr(path, '/'), *dot;
	size_t i, len;
	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	len = dot ? (size_t)(dot - base) : strlen(base);
	if (len < 12 || base[10] != '-')
		return false;
	strbuf_add(date, base, 10);
	if (!valid_date(date->buf)) {
		strbuf_reset(date);
		return false;
	}
	for (i = 11; i < len; i++) {
		char c = base[i] == '-' || base[i] == '_' ? ' ' : base[i];
		strbuf_addch(title, i == 11 ? toupper((unsigned char)c) : c);
	}
	return true;
}

/*
 * The département of the meeting: of its place (code), else of the commune
 * its title names ("2024-07-10-privas.csv"), for the territories deduced
 * from the meeting. 0, or -1 on a database failure.
 */
static int event_departement(struct importer *im, const char *code, const char *title)
{
	char *found = NULL;
	sqlite3_stmt *st;
	int rc;
	if (!code && title && *title)
		code = found = commune_exact(im, title, false);
	if (!code)
		return 0;
	if (db_prepare(im->db, "SELECT departement FROM communes WHERE code_insee = ?1", &st)) {
		free(found);
		return -1;
	}
	import_bind_text(st, 1, code, (size_t)-1);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(im->event_dep, sizeof(im->event_dep), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	free(found);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(im->db, "communes");
}

static int setup_event(struct importer *im, const char *path)
{
	const struct roster_options *o = im->opt;
	struct strbuf title = STRBUF_INIT, date = STRBUF_INIT;
	char *code = NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (o->event_title || o->event_date) {
		if (!o->event_title || !o->event_date || !*o->event_title) {
			im->rep->data_error = true;
			qfq_error(_("--event and --date go together"));
			goto done;
		}
		if (!valid_date(o->event_date)) {
			im->rep->data_error = true;
			qfq_error(_("invalid date \"%s\" (expected YYYY-MM-DD)"), o->event_date);
			goto done;
		}
		strbuf_addstr(&title, o->event_title);
		strbuf_addstr(&date, o->event_date);
	} else if (!o->infer_event || !infer_event(path, &title, &date)) {
		rc = 0;
		goto done;
	} else {
		im->rep->event_inferred = true;
	}
	if (o->event_place && *o->event_place && !(code = commune_exact(im, o->event_place, false))) {
		struct commune_list l = { 0 };
		enum commune_match how;
		if (communes_find(im->db, o->event_place, &l, &how) == 0 && how == COMMUNE_FOUND && l.n == 1) {
			code = xstrdup(l.v[0].code_insee);
			if (l.v[0].forgiven)
				warn(im, 0, 0, _("--place: \"%s\" taken as %s (%s): %s"), o->event_place,
				     l.v[0].nom, l.v[0].code_insee, l.v[0].forgiven);
		}
		commune_list_clear(&l);
		if (!code) {
			im->rep->data_error = true;
			qfq_error(_("--place: no single commune matches \"%s\""), o->event_place);
			goto done;
		}
	}
	if (event_departement(im, code ? code : NULL, code ? NULL : title.buf))
		goto done;
	if (db_prepare(im->db, "INSERT INTO events(titre, date, code_insee, lieu) VALUES (?1, ?2, ?3, ?4) "
			       "ON CONFLICT(titre, date) DO NOTHING", &st))
		goto done;
	import_bind_text(st, 1, title.buf, (size_t)-1);
	import_bind_text(st, 2, date.buf, (size_t)-1);
	import_bind_text(st, 3, code, (size_t)-1);
	import_bind_text(st, 4, o->event_place && *o->event_place ? o->event_place : NULL, (size_t)-1);
	if (sqlite3_step(st) != SQLITE_DONE) {
		db_error(im->db, "events");
		goto done;
	}
	im->rep->event_new = sqlite3_changes(im->db) > 0;
	sqlite3_finalize(st);
	if (db_prepare(im->db, "SELECT id FROM events WHERE titre = ?1 AND date = ?2", &st))
		goto done;
	import_bind_text(st, 1, title.buf, (size_t)-1);
	import_bind_text(st, 2, date.buf, (size_t)-1);
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_error(im->db, "events");
		goto done;
	}
	im->event_id = sqlite3_column_int64(st, 0);
	im->rep->event_title = strbuf_detach(&title, NULL);
	im->rep->event_date = strbuf_detach(&date, NULL);
	rc = 0;
done:
	sqlite3_finalize(st);
	free(code);
	strbuf_release(&title);
	strbuf_release(&date);
	return rc;
}

/* -------------------------------------------------------------- header */

static int read_header(struct importer *im, const struct csv_row *h)
{
	struct strbuf cols = STRBUF_INIT;
	bool has_name = false, has_nom = false;
	size_t i, m;

	im->ncols = h->n;
	im->cols = xcalloc(h->n ? h->n : 1, sizeof(*im->cols));
	im->colnames = xcalloc(h->n ? h->n : 1, sizeof(*im->colnames));
	for (i = 0; i < h->n; i++) {
		im->colnames[i] = xstrdup(h->fields[i]);
		im->cols[i] = roster_field_guess(h->fields[i]);
	}
	for (m = 0; m < im->opt->nmap; m++) {
		const char *spec = im->opt->map[m], *eq = strrchr(spec, '=');
		char *col = eq ? xstrndup(spec, (size_t)(eq - spec)) : NULL;
		char *cn = col ? text_norm_dup(col) : NULL;
		bool hit = false;
		for (i = 0; cn && i < h->n; i++) {
			char *hn = text_norm_dup(h->fields[i]);
			if (!strcmp(hn, cn)) {
				im->cols[i] = roster_field_parse(eq + 1);
				hit = true;
			}
			free(hn);
		}
		if (!hit)
			warn(im, h->line, 0, _("--map \"%s\": no column \"%s\" in the header"), spec, col ? col : spec);
		free(col);
		free(cn);
	}
	for (i = 0; i < h->n; i++) {
		for (m = 0; m < i && im->cols[i] > RF_IGNORE; m++)
			if (im->cols[m] == im->cols[i]) {
				im->rep->data_error = true;
				strbuf_release(&cols);
				return qfq_error(_("line %lu: columns %zu (\"%s\") and %zu (\"%s\") are both %s in \"%s\": "
						   "keep one, or --map '%s=ignore'"), h->line, m + 1, h->fields[m], i + 1,
						 h->fields[i], roster_field_name(im->cols[i]), csv_name(im->csv),
						 h->fields[i]);
			}
		if (im->cols[i] == RF_NONE && h->lens[i])
			warn(im, h->line, i + 1, _("unknown column \"%s\" ignored (name it with --map '%s=FIELD')"),
			     h->fields[i], h->fields[i]);
		if (im->cols[i] == RF_NOM_PRENOM)
			has_name = true;
		if (im->cols[i] == RF_NOM)
			has_nom = true;
		if (im->cols[i] > RF_IGNORE)
			strbuf_addf(&cols, "%s%s=%s", cols.len ? ", " : "", h->fields[i],
				    roster_field_name(im->cols[i]));
	}
	im->rep->columns = strbuf_detach(&cols, NULL);
	if (!has_name && !has_nom) {
		im->rep->data_error = true;
		return qfq_error(_("line %lu: no name column in the header of \"%s\" (expected \"Nom prénom\", "
				   "or \"Nom\" and \"Prénom\"; or name one with --map 'Colonne=nom_prenom')"),
				 h->line, csv_name(im->csv));
	}
	return 0;
}

/* --------------------------------------------------------------- rows */

static void row_init(struct row *r)
{
	memset(r, 0, sizeof(*r));
	strbuf_init(&r->nom, 0);
	strbuf_init(&r->prenom, 0);
	strbuf_init(&r->key, 0);
	strbuf_init(&r->structure, 0);
	strbuf_init(&r->role, 0);
	strbuf_init(&r->commune, 0);
	strbuf_init(&r->cp, 0);
	strbuf_init(&r->emails, 0);
	strbuf_init(&r->phones, 0);
}

static void row_release(struct row *r)
{
	strbuf_release(&r->nom);
	strbuf_release(&r->prenom);
	strbuf_release(&r->key);
	strbuf_release(&r->structure);
	strbuf_release(&r->role);
	strbuf_release(&r->commune);
	strbuf_release(&r->cp);
	strbuf_release(&r->emails);
	strbuf_release(&r->phones);
}

static int parse_presence(const char *s, enum presence *p)
{
	struct strbuf n = STRBUF_INIT;
	int rc = 0;
	text_norm(&n, s, strlen(s));
	if (!strncmp(n.buf, "present", 7) || !strcmp(n.buf, "oui") || !strcmp(n.buf, "x") ||
	    !strcmp(n.buf, "p") || !strcmp(n.buf, "yes"))
		*p = P_PRESENT;
	else if (!strncmp(n.buf, "excuse", 6) || !strcmp(n.buf, "e") || !strcmp(n.buf, "excused"))
		*p = P_EXCUSE;
	else if (!strncmp(n.buf, "absent", 6) || !strcmp(n.buf, "non") || !strcmp(n.buf, "a") ||
		 !strcmp(n.buf, "no"))
		*p = P_ABSENT;
	else
		rc = -1;
	strbuf_release(&n);
	return rc;
}

static void add_emails(struct importer *im, struct row *r, const char *s, size_t col)
{
	while (*s) {
		size_t l = strcspn(s, ",; \t\n");
		if (l) {
			char *e = xstrndup(s, l), *p;
			for (p = e; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			if (!field_email_valid(e))
				warn(im, r->line, col, _("invalid email \"%s\" left out"), e);
			else if (!list_has(r->emails.buf, e))
				strbuf_addf(&r->emails, "%s%s", r->emails.len ? "|" : "", e);
			free(e);
		}
		s += l + (s[l] != 0);
	}
}

static void add_phones(struct importer *im, struct row *r, const char *s, size_t col)
{
	while (*s) {
		size_t l = strcspn(s, ",;/\n");
		char *p = xstrndup(s, l);
		struct strbuf out = STRBUF_INIT;
		char *t = p;
		while (*t == ' ')
			t++;
		if (*t) {
			int rc = field_phone_normalize(t, &out);
			if (rc < 0)
				warn(im, r->line, col, _("invalid phone number \"%s\" left out"), t);
			else {
				if (rc > 0)
					warn(im, r->line, col, _("phone number \"%s\" normalized to %s"), t, out.buf);
				if (!list_has(r->phones.buf, out.buf))
					strbuf_addf(&r->phones, "%s%s", r->phones.len ? "|" : "", out.buf);
			}
		}
		strbuf_release(&out);
		free(p);
		s += l + (s[l] != 0);
	}
}

static bool has_letter(const char *s)
{
	for (; *s; s++)
		if (isalpha((unsigned char)*s) || (unsigned char)*s >= 0xC0)
			return true;
	return false;
}

/*
 * Takes a record apart and checks it. 1 ready, 0 blank (skipped
 * silently), -1 bad (recorded in rep->errors).
 */
static int parse_row(struct importer *im, const struct csv_row *cr, struct row *r)
{
	size_t i, name_col = 0;
	bool any = false;
	r->line = cr->line;
	for (i = 0; i < cr->n && i < im->ncols; i++) {
		unsigned cp;
		if (csv_field_control(cr->fields[i], cr->lens[i], &cp) < cr->lens[i]) {
			row_error(im, r->line, i + 1, _("control character U+%04X in the field"), cp);
			return -1;
		}
	}
	for (i = 0; i < cr->n && i < im->ncols; i++) {
		const char *v = cr->fields[i];
		if (!cr->lens[i])
			continue;
		any = true;
		switch (im->cols[i]) {
		case RF_NOM_PRENOM:
			if (!r->nom.len) {
				struct strbuf cell = STRBUF_INIT;
				strbuf_addstr(&cell, v);
				/* "PABION Samuel excusé": the mark may follow the name too */
				if (roster_strip_excused(&cell))
					r->excused = true;
				person_name_split(cell.buf, &r->nom, &r->prenom);
				strbuf_release(&cell);
				name_col = i + 1;
			}
			break;
		case RF_NOM:
			strbuf_reset(&r->nom);
			strbuf_addstr(&r->nom, v);
			name_col = i + 1;
			break;
		case RF_PRENOM:
			strbuf_reset(&r->prenom);
			strbuf_addstr(&r->prenom, v);
			if (roster_strip_excused(&r->prenom))
				r->excused = true;
			break;
		case RF_STRUCTURE:
			strbuf_addstr(&r->structure, v);
			r->col_structure = i + 1;
			break;
		case RF_ROLE:
			strbuf_addstr(&r->role, v);
			break;
		case RF_COMMUNE:
			strbuf_addstr(&r->commune, v);
			break;
		case RF_CODE_POSTAL:
			strbuf_addstr(&r->cp, v);
			break;
		case RF_COURRIEL:
			add_emails(im, r, v, i + 1);
			break;
		case RF_TELEPHONE:
			add_phones(im, r, v, i + 1);
			break;
		case RF_PRESENCE:
			if (parse_presence(v, &r->presence)) {
				row_error(im, r->line, i + 1,
					  _("unknown presence \"%s\" (expected présent, excusé or absent)"), v);
				return -1;
			}
			r->has_presence = true;
			break;
		case RF_THEMES:
			r->themes = v;
			break;
		case RF_TERRITOIRE:
			r->territoire = v;
			break;
		default:
			break;
		}
	}
	if (!any)
		return 0;
	if (cr->n > im->ncols) {
		for (i = im->ncols; i < cr->n; i++)
			if (cr->lens[i]) {
				row_error(im, r->line, i + 1, _("more fields than the header has (%zu)"), im->ncols);
				return -1;
			}
	}
	r->col_name = name_col;
	if (!r->nom.len && r->prenom.len) {
		/* only a given-name column filled: take it as the whole name */
		strbuf_addstr(&r->nom, r->prenom.buf);
		strbuf_reset(&r->prenom);
	}
	if (!r->nom.len || !has_letter(r->nom.buf)) {
		for (i = 0; i < im->ncols && !name_col; i++)
			if (im->cols[i] == RF_NOM_PRENOM || im->cols[i] == RF_NOM)
				name_col = i + 1;
		row_error(im, r->line, name_col, _("no name: a person needs at least a family name"));
		return -1;
	}
	person_name_key(&r->key, r->nom.buf, r->prenom.buf);
	return 1;
}

/* ------------------------------------------------------------- persons */

static int find_or_create_person(struct importer *im, struct row *r, sqlite3_int64 *pid,
				 bool *found)
{
	struct hmap_entry *e = hmap_get(&im->by_key, r->key.buf, r->key.len), *s;
	const char *p = r->emails.buf;
	int created;
	sqlite3_stmt *st;

	if (!e)
		while (*p && !e) {
			size_t l = strcspn(p, "|");
			e = hmap_get(&im->by_mail, p, l);
			p += l + (p[l] == '|');
		}
	*found = e != NULL;
	if (e) {
		*pid = e->num;
		/* persons created by this import are not "matched" */
		if (*pid > im->max_pid)
			return 0;
		s = id_put(&im->seen_persons, *pid, &created);
		if (created) {
			s->num = 2;
			im->rep->persons_matched++;
		}
		return 0;
	}
	st = im->st[S_PERSON_INS];
	import_bind_text(st, 1, r->nom.buf, (size_t)-1);
	import_bind_text(st, 2, r->prenom.buf, (size_t)-1);
	import_bind_text(st, 3, r->key.buf, (size_t)-1);
	import_bind_text(st, 4, r->emails.buf, (size_t)-1);
	import_bind_text(st, 5, r->phones.buf, (size_t)-1);
	/* the time of the import, computed once rather than per row */
	sqlite3_bind_text(st, 6, im->now, -1, SQLITE_STATIC);
	if (import_step_done(im->db, st, "persons"))
		return -1;
	*pid = sqlite3_last_insert_rowid(im->db);
	hmap_put(&im->by_key, r->key.buf, r->key.len, NULL)->num = *pid;
	for (p = r->emails.buf; *p;) {
		size_t l = strcspn(p, "|");
		hmap_put(&im->by_mail, p, l, NULL)->num = *pid;
		p += l + (p[l] == '|');
	}
	push_id(&im->new_persons, &im->n_np, &im->a_np, *pid);
	im->rep->persons_new++;
	return 0;
}

/* Merges a '|'-list into another: what add brings that list lacks. */
static bool list_merge(struct strbuf *list, const char *add)
{
	bool changed = false;
	while (*add) {
		size_t l = strcspn(add, "|");
		char *item = xstrndup(add, l);
		if (!list_has(list->buf, item)) {
			strbuf_addf(list, "%s%s", list->len ? "|" : "", item);
			changed = true;
		}
		free(item);
		add += l + (add[l] == '|');
	}
	return changed;
}

/* Adds new emails and phones to a matched person; reports a different name. */
static int enrich_person(struct importer *im, struct row *r, sqlite3_int64 pid)
{
	sqlite3_stmt *st = im->st[S_PERSON_GET];
	struct strbuf mails = STRBUF_INIT, phones = STRBUF_INIT;
	bool changed, fill_prenom;
	int rc = 0;

	sqlite3_bind_int64(st, 1, pid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_error(im->db, "persons");
	}
	if (strcmp((const char *)sqlite3_column_text(st, 2), r->key.buf))
		conflict(im, r->line, r->col_name, _("\"%s %s\" has the email of \"%s %s\" (id %lld): "
						     "matched by email, name kept"),
			 r->nom.buf, r->prenom.buf, (const char *)sqlite3_column_text(st, 0),
			 sqlite3_column_text(st, 1) ? (const char *)sqlite3_column_text(st, 1) : "",
			 (long long)pid);
	fill_prenom = sqlite3_column_type(st, 1) == SQLITE_NULL && r->prenom.len &&
		      !strcmp((const char *)sqlite3_column_text(st, 2), r->key.buf);
	if (sqlite3_column_text(st, 3))
		strbuf_addstr(&mails, (const char *)sqlite3_column_text(st, 3));
	if (sqlite3_column_text(st, 4))
		strbuf_addstr(&phones, (const char *)sqlite3_column_text(st, 4));
	sqlite3_reset(st);
	changed = list_merge(&mails, r->emails.buf);
	changed = list_merge(&phones, r->phones.buf) || changed;
	if (changed || fill_prenom) {
		const char *p;
		st = im->st[S_PERSON_CONTACTS];
		sqlite3_bind_int64(st, 1, pid);
		import_bind_text(st, 2, mails.buf, (size_t)-1);
		import_bind_text(st, 3, phones.buf, (size_t)-1);
		import_bind_text(st, 4, fill_prenom ? r->prenom.buf : "", (size_t)-1);
		rc = import_step_done(im->db, st, "persons");
		for (p = r->emails.buf; *p;) {
			size_t l = strcspn(p, "|");
			hmap_put(&im->by_mail, p, l, NULL)->num = pid;
			p += l + (p[l] == '|');
		}
	}
	strbuf_release(&mails);
	strbuf_release(&phones);
	return rc;
}

static int add_membership(struct importer *im, struct row *r, sqlite3_int64 pid,
			  sqlite3_int64 sid, const char *role, bool fresh)
{
	sqlite3_stmt *st = im->st[S_MEMB_GET];
	int rc = SQLITE_DONE;
	/* a person created by this very row has no membership yet */
	if (fresh)
		goto insert;
	sqlite3_bind_int64(st, 1, pid);
	sqlite3_bind_int64(st, 2, sid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *old = (const char *)sqlite3_column_text(st, 0);
		char *on = old ? text_norm_dup(old) : NULL, *nn = role ? text_norm_dup(role) : NULL;
		bool fill = !old && role && *role, differ = old && nn && *nn && strcmp(on, nn);
		if (differ)
			conflict(im, r->line, r->col_structure,
				 _("role \"%s\" for %s %s differs from the recorded \"%s\": kept"),
				 role, r->nom.buf, r->prenom.buf, old);
		free(on);
		free(nn);
		sqlite3_reset(st);
		if (!fill)
			return 0;
		st = im->st[S_MEMB_ROLE];
		sqlite3_bind_int64(st, 1, pid);
		sqlite3_bind_int64(st, 2, sid);
		import_bind_text(st, 3, role, (size_t)-1);
		structure_touch(im, sid);
		return import_step_done(im->db, st, "memberships");
	}
	sqlite3_reset(st);
insert:
	if (rc != SQLITE_DONE)
		return db_error(im->db, "memberships");
	st = im->st[S_MEMB_INS];
	sqlite3_bind_int64(st, 1, pid);
	sqlite3_bind_int64(st, 2, sid);
	import_bind_text(st, 3, role ? role : "", (size_t)-1);
	im->rep->memberships_new++;
	structure_touch(im, sid);
	return import_step_done(im->db, st, "memberships");
}

/* -------------------------------------------------------------- themes */

/* "référent santé", "santé (référente)": strips the mark, returns it. */
static bool strip_referent(struct strbuf *item)
{
	static const char *const marks[] = { "referent", "referente", "referent e", "ref" };
	struct strbuf n = STRBUF_INIT;
	bool r = false;
	size_t i, l;
	text_norm(&n, item->buf, item->len);
	for (i = 0; i < sizeof(marks) / sizeof(*marks) && !r; i++) {
		l = strlen(marks[i]);
		if (!strncmp(n.buf, marks[i], l) && n.buf[l] == ' ') {
			/* drop the first word of the item as written */
			size_t w = strcspn(item->buf, " ");
			memmove(item->buf, item->buf + w, item->len - w + 1);
			item->len -= w;
			r = true;
		} else if (n.len > l && !strcmp(n.buf + n.len - l, marks[i]) && n.buf[n.len - l - 1] == ' ') {
			char *sp = strrchr(item->buf, ' ');
			if (sp) {
				*sp = 0;
				item->len = (size_t)(sp - item->buf);
			}
			if (item->len && item->buf[item->len - 1] == '(') {
				item->buf[--item->len] = 0;
			}
			r = true;
		}
	}
	strbuf_trim(item);
	strbuf_release(&n);
	return r;
}

static long long resolve_theme(struct importer *im, const char *item, unsigned long line, size_t col)
{
	char *norm = text_norm_dup(item);
	int created;
	struct hmap_entry *e = hmap_put(&im->theme_items, norm, strlen(norm), &created);
	struct theme_list l = { 0 };
	size_t i;

	free(norm);
	if (!created)
		return e->num;
	e->num = -1;
	if (themes_resolve(im->db, item, &l))
		return -2;
	if (l.n) {
		e->num = l.v[0].id;
	} else {
		struct strbuf sb = STRBUF_INIT;
		themes_suggest(im->db, item, &l, 3);
		for (i = 0; i < l.n; i++)
			strbuf_addf(&sb, "%s\"%s\"", i ? ", " : "", l.v[i].label);
		warn(im, line, col, _("unknown theme \"%s\" left out%s%s"), item,
		     l.n ? _("; nearest: ") : "", sb.buf);
		strbuf_release(&sb);
	}
	theme_list_clear(&l);
	return e->num;
}

static int add_themes(struct importer *im, struct row *r, sqlite3_int64 pid)
{
	const char *s = r->themes;
	size_t col = 0, i;
	for (i = 0; i < im->ncols; i++)
		if (im->cols[i] == RF_THEMES)
			col = i + 1;
	while (s && *s) {
		size_t l = strcspn(s, ",;|/+\n");
		struct strbuf item = STRBUF_INIT;
		bool ref;
		long long tid;
		strbuf_add(&item, s, l);
		strbuf_trim(&item);
		s += l + (s[l] != 0);
		ref = strip_referent(&item);
		if (!item.len) {
			strbuf_release(&item);
			continue;
		}
		tid = resolve_theme(im, item.buf, r->line, col);
		strbuf_release(&item);
		if (tid == -2)
			return -1;
		if (tid < 0)
			continue;
		{
			sqlite3_stmt *st = im->st[S_PT_GET];
			int rc;
			sqlite3_bind_int64(st, 1, pid);
			sqlite3_bind_int64(st, 2, tid);
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW) {
				bool up = ref && !sqlite3_column_int(st, 0);
				sqlite3_reset(st);
				if (!up)
					continue;
				st = im->st[S_PT_REF];
			} else {
				sqlite3_reset(st);
				if (rc != SQLITE_DONE)
					return db_error(im->db, "person themes");
				st = im->st[S_PT_INS];
				sqlite3_bind_int(st, 3, ref);
				im->rep->themes_added++;
			}
			sqlite3_bind_int64(st, 1, pid);
			sqlite3_bind_int64(st, 2, tid);
			if (import_step_done(im->db, st, "person themes"))
				return -1;
		}
	}
	return 0;
}

/* ---------------------------------------------------------- territories */

#define MAX_SUGGESTED 20  /* unknown territory items given suggestions */

/* One territory item: a département, an EPCI or a commune. */
static int territory_of(struct importer *im, const char *item, const char **kind, char **code)
{
	sqlite3_stmt *st;
	char *norm = text_norm_dup(item);
	int rc;
	*code = NULL;
	if (db_prepare(im->db, "SELECT 'departement', code FROM departements WHERE code = ?1 OR nom_norm = ?2 "
			       "UNION ALL SELECT 'epci', siren FROM epci WHERE nom_norm = ?2 OR siren = ?1", &st)) {
		free(norm);
		return -1;
	}
	import_bind_text(st, 1, item, (size_t)-1);
	import_bind_text(st, 2, norm, (size_t)-1);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*kind = !strcmp((const char *)sqlite3_column_text(st, 0), "epci") ? "epci" : "departement";
		*code = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	free(norm);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(im->db, "territories");
	if (!*code && (*code = commune_exact(im, item, false)))
		*kind = "commune";
	return 0;
}

static int add_territories(struct importer *im, struct row *r, sqlite3_int64 sid)
{
	const char *s = r->territoire;
	size_t col = 0, i;
	for (i = 0; i < im->ncols; i++)
		if (im->cols[i] == RF_TERRITOIRE)
			col = i + 1;
	if (!sid) {
		warn(im, r->line, col, _("territory given without a structure: left out"));
		return 0;
	}
	while (*s) {
		size_t l = strcspn(s, ",;|\n");
		struct strbuf item = STRBUF_INIT;
		const char *kind = NULL;
		char *code = NULL;
		strbuf_add(&item, s, l);
		strbuf_trim(&item);
		s += l + (s[l] != 0);
		if (!item.len || territory_of(im, item.buf, &kind, &code)) {
			bool failed = item.len > 0;
			strbuf_release(&item);
			if (failed)
				return -1;
			continue;
		}
		if (!code) {
			struct commune_list sug = { 0 };
			struct strbuf sb = STRBUF_INIT;
			/* a suggestion scans every commune: for the first few unknown items only,
			 * so that a column of 1,000 unknown zones costs no more than 1,000 probes */
			if (im->unknown_territories++ < MAX_SUGGESTED)
				communes_suggest(im->db, item.buf, &sug, 3);
			for (i = 0; i < sug.n; i++)
				strbuf_addf(&sb, "%s%s (%s)", i ? ", " : "", sug.v[i].nom, sug.v[i].departement);
			warn(im, r->line, col, _("unknown territory \"%s\" left out%s%s"), item.buf,
			     sug.n ? _("; nearest: ") : "", sb.buf);
			strbuf_release(&sb);
			commune_list_clear(&sug);
			qfq_error_clear();
		} else {
			sqlite3_stmt *st = im->st[S_TERR_INS];
			sqlite3_bind_int64(st, 1, sid);
			import_bind_text(st, 2, kind, (size_t)-1);
			import_bind_text(st, 3, code, (size_t)-1);
			if (import_step_done(im->db, st, "structure territories")) {
				free(code);
				strbuf_release(&item);
				return -1;
			}
			if (sqlite3_changes(im->db))
				structure_touch(im, sid);
		}
		free(code);
		strbuf_release(&item);
	}
	return 0;
}

/* The commune column of a row gives a structure without one its commune. */
static int commune_column(struct importer *im, struct row *r, sqlite3_int64 sid)
{
	char *code = NULL;
	sqlite3_stmt *st;
	int rc = 0;

	if (r->commune.len)
		code = commune_exact(im, r->commune.buf, false);
	if (!code && (r->commune.len || r->cp.len)) {
		struct commune_clue clue = { .nom = r->commune.buf, .code_postal = r->cp.buf };
		struct commune_guess g;
		struct commune c;
		if (communes_resolve(im->db, &clue, &g))
			return -1;
		if (g.how != COMMUNE_HOW_NONE && communes_get(im->db, g.code_insee, &c) == 1) {
			code = xstrdup(g.code_insee);
			if (g.how != COMMUNE_HOW_EXACT || g.former) {
				im->rep->communes_guessed++;
				warn(im, r->line, 0, _("commune \"%s%s%s\" taken as %s (%s): %s"), r->commune.buf,
				     r->commune.len && r->cp.len ? " " : "", r->cp.buf, c.nom, c.code_insee,
				     commune_how_reason(g.how, g.former));
			}
			commune_clear(&c);
		}
	}
	if (!code) {
		warn(im, r->line, 0, _("commune \"%s%s%s\" not found: left out"), r->commune.buf,
		     r->commune.len && r->cp.len ? " " : "", r->cp.buf);
		return 0;
	}
	if (sid) {
		st = im->st[S_STRUCT_FILL];
		sqlite3_bind_int64(st, 1, sid);
		import_bind_text(st, 2, "", (size_t)-1);
		import_bind_text(st, 3, code, (size_t)-1);
		if (!(rc = import_step_done(im->db, st, "structures")) && sqlite3_changes(im->db))
			structure_touch(im, sid);
	}
	free(code);
	return rc;
}

static int record_attendance(struct importer *im, struct row *r, sqlite3_int64 pid,
			     sqlite3_int64 sid, enum presence p)
{
	sqlite3_stmt *st = im->st[S_ATT_GET];
	int rc;
	sqlite3_bind_int64(st, 1, im->event_id);
	sqlite3_bind_int64(st, 2, pid);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *old = (const char *)sqlite3_column_text(st, 0);
		if (strcmp(old, presence_sql[p]))
			conflict(im, r->line, r->col_name, _("%s %s is recorded as %s at this meeting, the file says %s: kept"),
				 r->nom.buf, r->prenom.buf, old, presence_sql[p]);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(im->db, "attendance");
	st = im->st[S_ATT_INS];
	sqlite3_bind_int64(st, 1, im->event_id);
	sqlite3_bind_int64(st, 2, pid);
	if (sid)
		sqlite3_bind_int64(st, 3, sid);
	import_bind_text(st, 4, presence_sql[p], (size_t)-1);
	im->rep->attendance_new++;
	return import_step_done(im->db, st, "attendance");
}

/* Writes one checked row. 0 or -1 (system error). */
static int import_row(struct importer *im, struct row *r)
{
	struct cell *c = NULL;
	sqlite3_int64 pid, sid = 0;
	enum presence p = P_PRESENT;
	const char *role;
	bool matched;

	if (r->structure.len) {
		if (resolve_cell(im, r->structure.buf, r->line, &c))
			return -1;
		sid = c->sid;
	}
	role = r->role.len ? r->role.buf : c ? c->role : NULL;
	if (r->has_presence)
		p = r->presence;
	else if ((c && c->excused) || r->excused)
		p = P_EXCUSE;
	if (find_or_create_person(im, r, &pid, &matched))
		return -1;
	if (matched && enrich_person(im, r, pid))
		return -1;
	if ((r->commune.len || r->cp.len) && commune_column(im, r, sid))
		return -1;
	if (sid && add_membership(im, r, pid, sid, role, !matched))
		return -1;
	if (r->themes && add_themes(im, r, pid))
		return -1;
	if (r->territoire && add_territories(im, r, sid))
		return -1;
	if (im->event_id && record_attendance(im, r, pid, sid, p))
		return -1;
	return 0;
}

/* ------------------------------------------------------------ the run */

static int load_persons(struct importer *im)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(im->db, "SELECT ifnull(max(id), 0) FROM structures", &st))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		im->max_sid = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (db_prepare(im->db, "SELECT id, name_key, courriels FROM persons ORDER BY id DESC", &st))
		return -1;
	/* descending: the lowest id wins when keys repeat */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		if (id > im->max_pid)
			im->max_pid = id;
		const char *k = (const char *)sqlite3_column_text(st, 1);
		const char *m = (const char *)sqlite3_column_text(st, 2);
		hmap_put(&im->by_key, k, strlen(k), NULL)->num = id;
		while (m && *m) {
			size_t l = strcspn(m, "|");
			char *e = xstrndup(m, l), *p;
			for (p = e; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			hmap_put(&im->by_mail, e, l, NULL)->num = id;
			free(e);
			m += l + (m[l] == '|');
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(im->db, "persons");
}

/* Rebuilds the derived rows of the structures this import changed:
 * those it created all at once, the others one by one. */
static int reindex_touched(struct importer *im)
{
	struct structure_indexer *ix = NULL;
	size_t i;
	int rc = -1;
	if (im->n_ns && structure_index_new(im->db, im->max_sid))
		return -1;
	if (structure_indexer_open(im->db, &ix))
		return -1;
	for (i = 0; i < im->touched.cap; i++)
		if (im->touched.v[i].key) {
			sqlite3_int64 id;
			memcpy(&id, im->touched.v[i].key, sizeof(id));
			if (id > im->max_sid)
				continue;
			if (structure_indexer_run(ix, id))
				goto done;
		}
	rc = 0;
done:
	structure_indexer_close(ix);
	return rc;
}

/* ------------------------------------------------- deduced territories */

/* Inserts a deduced territory (origine: 'nom', 'reunion', 'lieu'). */
static int territory_deduced(struct importer *im, sqlite3_int64 sid, const char *kind,
			     const char *code, const char *origine)
{
	sqlite3_stmt *st = im->st[S_TERR_DEDUCED];
	sqlite3_bind_int64(st, 1, sid);
	import_bind_text(st, 2, kind, (size_t)-1);
	import_bind_text(st, 3, code, (size_t)-1);
	import_bind_text(st, 4, origine, (size_t)-1);
	if (import_step_done(im->db, st, "structure territories"))
		return -1;
	structure_touch(im, sid);
	return 0;
}

/* A structure of the file, as deduce_territories() reads it. */
struct seen_structure {
	sqlite3_int64 id;
	char *nom, *insee, *dep;   /* its name, commune and département (or NULL) */
	bool has;                  /* it has territories already */
};

/* The structures this import saw, read once. 0 or -1. */
static int read_seen(struct importer *im, struct seen_structure **out, size_t *n)
{
	sqlite3_stmt *st = im->st[S_STRUCT_TERR];
	size_t i, alloc = 0;
	*out = NULL, *n = 0;
	for (i = 0; i < im->seen_structures.cap; i++) {
		struct seen_structure *s;
		sqlite3_int64 sid;
		int rc;
		if (!im->seen_structures.v[i].key)
			continue;
		memcpy(&sid, im->seen_structures.v[i].key, sizeof(sid));
		sqlite3_bind_int64(st, 1, sid);
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			XGROW(*out, alloc, *n + 1);
			s = &(*out)[(*n)++];
			s->id = sid;
			s->has = sqlite3_column_int(st, 0);
			s->nom = xstrdup((const char *)sqlite3_column_text(st, 1));
			s->insee = sqlite3_column_text(st, 2) ? xstrdup((const char *)sqlite3_column_text(st, 2)) : NULL;
			s->dep = sqlite3_column_text(st, 3) ? xstrdup((const char *)sqlite3_column_text(st, 3)) : NULL;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_error(im->db, "structures");
	}
	return 0;
}

/* The département most of the file's structures are in (their commune), or NULL. */
static const char *majority_dep(const struct seen_structure *v, size_t n)
{
	const char *best = NULL;
	size_t i, j, top = 0;
	for (i = 0; i < n; i++) {
		size_t c = 0;
		for (j = 0; v[i].dep && j < n; j++)
			c += v[j].dep && !strcmp(v[i].dep, v[j].dep);
		if (c > top)
			top = c, best = v[i].dep;
	}
	return best;
}

/*
 * A territory for every structure of the file that has none: what its name
 * says (territories_from_name), else its own commune, else the département
 * of the meeting (or, with no meeting place, the département most of the
 * file's structures are in). Each is marked with its origin, shown by
 * `qfq show` and listed for the coordinator to confirm (issue 11).
 */
static int deduce_territories(struct importer *im)
{
	struct territory_names *names = NULL;
	struct seen_structure *v = NULL;
	const char *hint;
	size_t n = 0, i, j, nr;
	int rc = -1;

	if (!im->seen_structures.n)
		return 0;
	if (read_seen(im, &v, &n) || territory_names_load(im->db, &names))
		goto done;
	hint = *im->event_dep ? im->event_dep : majority_dep(v, n);
	for (i = 0; i < n; i++) {
		struct territory_ref refs[8];
		char *own;
		if (v[i].has)
			continue;
		if (territories_from_name(im->db, names, v[i].nom, hint, refs, 8, &nr))
			goto done;
		for (j = 0; j < nr; j++)
			if (territory_deduced(im, v[i].id, refs[j].kind, refs[j].code, "nom"))
				goto done;
		if (nr) {
			im->rep->territories_from_name++;
		} else if (v[i].insee) {
			/* the commune the roster read in its name is the name's */
			own = commune_in_name(im, v[i].nom);
			if (territory_deduced(im, v[i].id, "commune", v[i].insee,
					      own && !strcmp(own, v[i].insee) ? "nom" : "lieu")) {
				free(own);
				goto done;
			}
			if (own && !strcmp(own, v[i].insee))
				im->rep->territories_from_name++;
			else
				im->rep->territories_from_place++;
			free(own);
		} else if (hint) {
			if (territory_deduced(im, v[i].id, "departement", hint, "reunion"))
				goto done;
			im->rep->territories_from_meeting++;
		} else {
			im->rep->territories_missing++;
		}
	}
	rc = 0;
done:
	for (i = 0; i < n; i++) {
		free(v[i].nom);
		free(v[i].insee);
		free(v[i].dep);
	}
	free(v);
	territory_names_free(names);
	return rc;
}

static int finish(struct importer *im)
{
	if (deduce_territories(im))
		return -1;
	if (reindex_touched(im))
		return -1;
	if (merge_propose_structures(im->db, im->new_structures, im->n_ns, &im->rep->merges_proposed))
		return -1;
	if (merge_propose_persons(im->db, im->new_persons, im->n_np, &im->rep->merges_proposed))
		return -1;
	{
		struct strbuf d = STRBUF_INIT;
		int rc;
		strbuf_addf(&d, "{\"rows\":%zu,\"persons_new\":%zu,\"persons_matched\":%zu,"
			    "\"structures_new\":%zu,\"structures_matched\":%zu}",
			    im->rep->rows_imported, im->rep->persons_new, im->rep->persons_matched,
			    im->rep->structures_new, im->rep->structures_matched);
		rc = db_audit(im->db, "import", "persons", 0, d.buf);
		strbuf_release(&d);
		return rc;
	}
}

static int run(struct importer *im, const char *path)
{
	struct csv_row cr;
	struct row r;
	int rc;

	/* a big import touches more pages than the default 2 MiB cache holds:
	 * without this, most of the time goes to re-reading them */
	if (db_exec(im->db, "PRAGMA cache_size = -131072") || import_prepare(im->db, stmt_sql, S_COUNT, im->st))
		return -1;
	if (load_typologies(im) || load_persons(im) || setup_event(im, path))
		return -1;
	while ((rc = csv_next(im->csv, &cr)) == 1) {
		int ok;
		im->rep->rows++;
		import_progress(im->csv, im->opt->progress, im->opt->progress_arg, (unsigned long)im->rep->rows);
		row_init(&r);
		ok = parse_row(im, &cr, &r);
		if (ok == 1) {
			if (import_row(im, &r)) {
				row_release(&r);
				return -1;
			}
			im->rep->rows_imported++;
		} else if (ok == 0) {
			im->rep->rows--;  /* a blank line is not a row */
		} else {
			im->rep->rows_skipped++;
		}
		row_release(&r);
	}
	if (rc < 0) {
		im->rep->data_error = true;
		return -1;
	}
	if (im->rep->errors.total && !im->opt->skip_bad_rows) {
		im->rep->data_error = true;
		im->rep->rows_skipped = 0;
		if (im->rep->errors.total == 1)
			return qfq_error(_("line %lu, column %zu: %s in \"%s\""), im->rep->errors.v[0].line,
					 im->rep->errors.v[0].column, im->rep->errors.v[0].text, csv_name(im->csv));
		return qfq_error(_("%zu bad rows in \"%s\" (first: line %lu, column %zu: %s); nothing imported "
				   "(--skip-bad-rows imports the others)"), im->rep->errors.total,
				 csv_name(im->csv), im->rep->errors.v[0].line, im->rep->errors.v[0].column,
				 im->rep->errors.v[0].text);
	}
	return finish(im);
}

static void importer_release(struct importer *im)
{
	size_t i;
	import_finalize(im->st, S_COUNT);
	for (i = 0; i < im->cells.cap; i++)
		if (im->cells.v[i].key && im->cells.v[i].ptr) {
			struct cell *c = im->cells.v[i].ptr;
			free(c->role);
			free(c);
		}
	for (i = 0; i < im->ntypos; i++) {
		size_t j;
		for (j = 0; j < im->typos[i].n; j++)
			free(im->typos[i].patterns[j]);
		free(im->typos[i].patterns);
		free(im->typos[i].code);
	}
	free(im->typos);
	for (i = 0; i < im->ncols; i++)
		free(im->colnames[i]);
	free(im->colnames);
	free(im->cols);
	hmap_clear(&im->by_key);
	hmap_clear(&im->by_mail);
	hmap_clear(&im->cells);
	hmap_clear(&im->skeys);
	for (i = 0; i < im->commune_cache.cap; i++)
		if (im->commune_cache.v[i].key)
			free(im->commune_cache.v[i].ptr);
	hmap_clear(&im->commune_cache);
	hmap_clear(&im->theme_items);
	hmap_clear(&im->seen_persons);
	hmap_clear(&im->seen_structures);
	hmap_clear(&im->touched);
	free(im->new_persons);
	free(im->new_structures);
	free(im->source);
	if (im->csv)
		csv_close(im->csv);
}

int roster_import(sqlite3 *db, const char *path, const struct roster_options *opt,
		  struct roster_report *rep)
{
	struct importer im;
	struct csv_row h;
	const char *base = strrchr(path, '/');
	int rc = -1, hr;

	memset(&im, 0, sizeof(im));
	memset(rep, 0, sizeof(*rep));
	rep->warnings.keep = rep->conflicts.keep = rep->errors.keep = MAX_KEPT_MSGS;
	im.db = db;
	im.opt = opt;
	im.rep = rep;
	rep->file = path;
	rep->dry_run = opt->dry_run;
	im.source = xstrdup(base ? base + 1 : path);
	{
		time_t t = time(NULL);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(im.now, sizeof(im.now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	if (csv_open(&im.csv, path, &opt->csv)) {
		rep->data_error = true;
		goto out;
	}
	{
		/* about one row per 60 bytes: size the look-ups once */
		struct stat sb;
		if (strcmp(path, "-") && stat(path, &sb) == 0 && sb.st_size > 0) {
			size_t rows = (size_t)sb.st_size / 60 + 16;
			if (rows > 4000000)
				rows = 4000000;
			hmap_reserve(&im.by_key, rows);
			hmap_reserve(&im.by_mail, rows);
		}
	}
	rep->encoding = csv_encoding(im.csv);
	rep->delimiter = csv_delimiter(im.csv);
	if ((hr = csv_next(im.csv, &h)) <= 0) {
		rep->data_error = true;
		if (hr == 0)
			qfq_error(_("\"%s\" is empty: expected a header row and rows"), path);
		goto out;
	}
	if (read_header(&im, &h))
		goto out;
	if (db_begin(db))
		goto out;
	if (run(&im, path)) {
		db_rollback(db);
		goto out;
	}
	if (opt->dry_run) {
		db_rollback(db);
	} else if (db_commit(db)) {
		db_rollback(db);
		goto out;
	}
	rc = 0;
out:
	importer_release(&im);
	return rc;
}
