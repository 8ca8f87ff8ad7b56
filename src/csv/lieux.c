/*
 * lieux: importing the national standard for digital-mediation places
 * (see lieux.h). Export is in lieux_export.c; the vocabularies and the
 * field table shared by both are at the top of this file.
 *
 * One import = one struct importer: the prepared statements (reused for
 * every row, so 20,000 rows cost 20,000 index probes, never a scan), the
 * vocabularies and the theme names loaded once, and the report. Each row
 * goes through three stages: read (the file's columns onto 1.x fields),
 * check (validate and normalize into a struct place, collecting issues;
 * no writes), store (insert or update, themes, merge proposals; a known
 * place is reindexed through one structure_indexer, the new ones all
 * together at the end with structure_index_new()). A
 * row with an error never reaches store, so --skip-bad-rows leaves no
 * half-written row behind.
 */
#include "csv/lieux.h"
#include "core/date.h"
#include "csv/fields.h"
#include "core/communes.h"
#include "core/geo.h"
#include "core/hours.h"
#include "core/names.h"
#include "core/paths.h"
#include "core/text.h"
#include "util/hmap.h"
#include "util/csvread.h"
#include "db/db.h"
#include "db/history.h"
#include "db/structures.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* Fields and vocabularies                                             */
/* ------------------------------------------------------------------ */

static const char *const field_names[LF_N] = {
	"id", "nom", "pivot", "structure_parente", "typologie", "commune",
	"code_postal", "code_insee", "adresse", "complement_adresse", "latitude",
	"longitude", "telephone", "courriels", "site_web", "horaires", "prise_rdv",
	"presentation_resume", "presentation_detail", "services",
	"publics_specifiquement_adresses", "prise_en_charge_specifique", "frais_a_charge",
	"modalites_acces", "modalites_accompagnement", "fiche_acces_libre", "itinerance",
	"dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels",
	"source", "date_maj",
};

const char *lieux_field_name(enum lieux_field f)
{
	return f < LF_N ? field_names[f] : "";
}

/* 0.x column names and what they became. */
static const struct {
	const char *name;
	enum lieux_field field;
} old_names[] = {
	{ "courriel", LF_COURRIELS },
	{ "publics_accueillis", LF_PUBLICS },
	{ "conditions_acces", LF_FRAIS },
	{ "labels_nationaux", LF_DISPOSITIFS },
	{ "labels_autres", LF_AUTRES_FORMATIONS_LABELS },
	{ "accessibilite", LF_FICHE_ACCES_LIBRE },
};

/* Columns of 0.x files that carry nothing 1.x keeps (silently ignored). */
static const char *const ignored_names[] = { "cle_ban", "type_acces" };

/* The closed vocabularies of 1.x; NULL-terminated lists. */
static const char *const v_publics[] = { "Jeunes", "Étudiants", "Familles et/ou enfants",
	"Seniors", "Femmes", NULL };
static const char *const v_prise_en_charge[] = { "Surdité", "Handicaps moteurs",
	"Handicaps mentaux", "Illettrisme", "Langues étrangères (anglais)",
	"Langues étrangères (autres)", "Déficience visuelle", NULL };
static const char *const v_frais[] = { "Gratuit", "Gratuit sous condition", "Payant", NULL };
static const char *const v_modalites_acces[] = { "Se présenter", "Téléphoner",
	"Contacter par mail", "Envoyer un mail avec une fiche de prescription",
	"Prendre un RDV en ligne", "Ce lieu n'accueille pas de public", NULL };
static const char *const v_accompagnement[] = { "En autonomie", "Accompagnement individuel",
	"Dans un atelier collectif", "À distance", NULL };
static const char *const v_dispositifs[] = { "Aidants Connect",
	"Bibliothèques numérique de référence", "Certification PIX", "Conseillers numériques",
	"Emmaüs Connect", "France Services", "Grande école du numérique", "La Croix Rouge",
	"Point d'accès numérique CAF", "Promeneurs du net", "Relais numérique (Emmaüs Connect)",
	NULL };
static const char *const v_itinerance[] = { "Itinérant", "Fixe", NULL };

const char *const *lieux_vocabulary(enum lieux_field f)
{
	switch (f) {
	case LF_PUBLICS: return v_publics;
	case LF_PRISE_EN_CHARGE: return v_prise_en_charge;
	case LF_FRAIS: return v_frais;
	case LF_MODALITES_ACCES: return v_modalites_acces;
	case LF_MODALITES_ACCOMPAGNEMENT: return v_accompagnement;
	case LF_DISPOSITIFS: return v_dispositifs;
	case LF_ITINERANCE: return v_itinerance;
	default: return NULL;
	}
}

/* ------------------------------------------------------------------ */
/* The importer                                                        */
/* ------------------------------------------------------------------ */

/* A folded name and what it means (services → theme, legacy values). */
struct name_entry {
	char *norm;
	long long theme_id;           /* services */
	enum lieux_field field;       /* legacy: where the new value goes */
	char *value;                  /* legacy: the 1.x value, or NULL */
	char *tag;                    /* legacy: the tag, or NULL */
};

struct name_table {
	struct name_entry *v;
	size_t n, alloc;
};

/* A structure that a new place may duplicate, with its name tokens. */
struct candidate {
	sqlite3_int64 id;
	char *nom;
	struct name_tokens *tok;
};

enum {
	ST_FIND, ST_INSERT, ST_UPDATE, ST_THEMES_GET, ST_THEMES_DEL, ST_THEMES_ADD,
	ST_COMMUNE, ST_POSTCODE_HAS, ST_BY_POSTCODE, ST_ANCIENNE,
	ST_SAME_COMMUNE, ST_PROPOSE, ST_SET_PARENT, ST_N
};

static const char *const stmt_sql[ST_N] = {
	[ST_FIND] = "SELECT id FROM structures WHERE source IS ?1 AND source_id = ?2",
	[ST_INSERT] = "INSERT INTO structures(nom, nom_norm, typologie, siret, adresse, "
		"complement_adresse, code_postal, code_insee, latitude, longitude, coord_exact, "
		"telephone, courriels, site_web, horaires, prise_rdv, sans_rdv, frais, itinerance, "
		"presentation_resume, presentation_detail, publics, prise_en_charge, modalites_acces, "
		"modalites_accompagnement, dispositifs, formations_labels, autres_formations_labels, "
		"tags, source, source_id, date_maj, fiche_acces_libre, horaires_ok) VALUES (?1, ?2, ?3, "
		"?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
		"?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?35)",
	[ST_UPDATE] = "UPDATE structures SET nom = ?1, nom_norm = ?2, typologie = ?3, siret = ?4, "
		"adresse = ?5, complement_adresse = ?6, code_postal = ?7, code_insee = ?8, "
		"latitude = ?9, longitude = ?10, coord_exact = ?11, telephone = ?12, courriels = ?13, "
		"site_web = ?14, horaires = ?15, prise_rdv = ?16, sans_rdv = ?17, frais = ?18, "
		"itinerance = ?19, presentation_resume = ?20, presentation_detail = ?21, publics = ?22, "
		"prise_en_charge = ?23, modalites_acces = ?24, modalites_accompagnement = ?25, "
		"dispositifs = ?26, formations_labels = ?27, autres_formations_labels = ?28, tags = ?29, "
		"date_maj = ?32, fiche_acces_libre = ?33, "
		"updated_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?34 AND NOT ("
		"nom IS ?1 AND nom_norm IS ?2 AND typologie IS ?3 AND siret IS ?4 AND adresse IS ?5 AND "
		"complement_adresse IS ?6 AND code_postal IS ?7 AND code_insee IS ?8 AND latitude IS ?9 "
		"AND longitude IS ?10 AND coord_exact IS ?11 AND telephone IS ?12 AND courriels IS ?13 "
		"AND site_web IS ?14 AND horaires IS ?15 AND prise_rdv IS ?16 AND sans_rdv IS ?17 AND "
		"frais IS ?18 AND itinerance IS ?19 AND presentation_resume IS ?20 AND "
		"presentation_detail IS ?21 AND publics IS ?22 AND prise_en_charge IS ?23 AND "
		"modalites_acces IS ?24 AND modalites_accompagnement IS ?25 AND dispositifs IS ?26 AND "
		"formations_labels IS ?27 AND autres_formations_labels IS ?28 AND tags IS ?29 AND "
		"source IS ?30 AND source_id IS ?31 AND date_maj IS ?32 AND fiche_acces_libre IS ?33)",
	[ST_THEMES_GET] = "SELECT theme_id FROM structure_themes WHERE structure_id = ?1 ORDER BY 1",
	[ST_THEMES_DEL] = "DELETE FROM structure_themes WHERE structure_id = ?1",
	[ST_THEMES_ADD] = "INSERT OR IGNORE INTO structure_themes(structure_id, theme_id) VALUES (?1, ?2)",
	[ST_COMMUNE] = "SELECT nom, nom_norm, latitude, longitude, departement FROM communes "
		"WHERE code_insee = ?1",
	[ST_POSTCODE_HAS] = "SELECT 1 FROM commune_postcodes WHERE code_postal = ?1 AND code_insee = ?2",
	[ST_BY_POSTCODE] = "SELECT c.code_insee, c.nom_norm FROM commune_postcodes p "
		"JOIN communes c ON c.code_insee = p.code_insee WHERE p.code_postal = ?1 ORDER BY 1",
	[ST_ANCIENNE] = "SELECT commune_actuelle FROM communes_anciennes WHERE nom_norm = ?1 "
		"OR code_insee = ?1 ORDER BY (commune_actuelle IN (SELECT code_insee FROM "
		"commune_postcodes WHERE code_postal = ?2)) DESC LIMIT 1",
	[ST_SAME_COMMUNE] = "SELECT id, nom FROM structures WHERE code_insee = ?1 AND id <> ?2 "
		"AND (source IS NOT ?3 OR source_id IS NULL)",
	[ST_PROPOSE] = "INSERT OR IGNORE INTO merge_proposals(kind, a_id, b_id, reason) "
		"VALUES ('structure', ?1, ?2, ?3)",
	[ST_SET_PARENT] = "UPDATE structures SET parent_id = ?2 WHERE id = ?1 AND parent_id IS NOT ?2",
};

/* One row, checked and normalized, ready to store. */
struct place {
	struct strbuf f[LF_N];        /* normalized 1.x values; lists '|'-joined */
	struct strbuf tags;           /* '|'-joined */
	struct strbuf nom_norm;
	double lat, lon;
	bool has_coords, coord_exact;
	int sans_rdv;                 /* 1, 0, -1 unknown */
	int horaires_ok;              /* 1 parsed, 0 not, -1 none */
	long long themes[64];
	size_t n_themes;
	bool bad;                     /* an error was found */
	char commune_norm[128];       /* the commune's folded name */
	char departement[4];
};

#define MAX_ITEMS 48

/* A commune resolved from (code_insee, code_postal, name) without a warning. */
struct commune_hit {
	char *code, *nom, *norm, *dep;
	double lat, lon;
	bool has_coords;
	struct commune_guess guess;   /* how a code_insee-less row was placed */
	bool guessed;                 /* not by its exact current name: warn */
	char *warn;                   /* the warning, repeated for the same row again */
};

/* A structure_parente to link once every row is in (or to clear). */
struct parent_link {
	sqlite3_int64 id;
	char *source;                 /* NULL when none */
	char *parent;                 /* NULL: clear the link */
	unsigned long line;
};

struct importer {
	sqlite3 *db;
	const char *path;
	struct lieux_report *rep;
	const struct lieux_options *opt;
	sqlite3_stmt *st[ST_N];
	struct structure_indexer *ix; /* structure_reindex() with its statements kept */
	sqlite3_int64 max_id;         /* the largest structure id before the import */
	enum lieux_version version;
	int col_of[LF_N];             /* 0-based file column of each field, -1 absent */
	struct name_table services;   /* theme names: standard, legacy, labels */
	struct name_table legacy;     /* data/legacy_vocab.csv */
	struct name_table vocab[LF_N];/* folded 1.x vocabularies */
	struct name_table typologies; /* codes, norm = lowercase code */
	struct candidate *nocommune;  /* structures without a commune, for merge proposals */
	size_t n_nocommune;
	unsigned long line;           /* current record */
	struct strbuf items[MAX_ITEMS]; /* the items of the list being read */
	struct strbuf raw[LF_N];      /* the row's values, trimmed, by field */
	struct hmap seen;             /* "source\x1fid" -> first line, duplicates in the file */
	struct hmap sources;          /* source -> 1-based number */
	struct hmap communes;         /* code_insee -> -1 structures before or of several
					 sources, else the number of the one source so far */
	struct hmap commune_cache;    /* "insee\x1fcp\x1fnom" -> struct commune_hit */
	struct hmap item_cache;       /* field letter + list item -> its name_entry */
	struct parent_link *links;
	size_t n_links, alloc_links;
	struct place p;
	struct strbuf tmp, tmp2;
};

__attribute__((format(printf, 4, 0)))
static void vissue(struct importer *im, enum import_severity sev, unsigned column,
		   const char *fmt, va_list ap)
{
	import_msg_addv(&im->rep->issues, sev, im->line, column, fmt, ap);
	if (sev == IMPORT_ERROR) {
		im->rep->errors++;
		im->p.bad = true;
	} else {
		im->rep->warnings++;
	}
}

/* Records an issue at the current line, in the column of field f (-1: none). */
__attribute__((format(printf, 4, 5)))
static void issue(struct importer *im, enum import_severity sev, int f, const char *fmt, ...)
{
	unsigned column = 0;
	va_list ap;
	if (f >= 0 && im->col_of[f] >= 0)
		column = (unsigned)im->col_of[f] + 1;
	else if (f == LF_CODE_INSEE && im->col_of[LF_COMMUNE] >= 0)
		column = (unsigned)im->col_of[LF_COMMUNE] + 1;
	va_start(ap, fmt);
	vissue(im, sev, column, fmt, ap);
	va_end(ap);
}

/* Records an issue at the current line, in a given 1-based column. */
__attribute__((format(printf, 4, 5)))
static void issue_col(struct importer *im, enum import_severity sev, size_t column, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vissue(im, sev, (unsigned)column, fmt, ap);
	va_end(ap);
}

static void name_table_add(struct name_table *t, const char *name, long long theme_id,
			   enum lieux_field field, const char *value, const char *tag)
{
	struct strbuf sb = STRBUF_INIT;
	struct name_entry *e;
	text_norm(&sb, name, strlen(name));
	XGROW(t->v, t->alloc, t->n + 1);
	e = &t->v[t->n++];
	e->norm = strbuf_detach(&sb, NULL);
	e->theme_id = theme_id;
	e->field = field;
	e->value = value && *value ? xstrdup(value) : NULL;
	e->tag = tag && *tag ? xstrdup(tag) : NULL;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct name_entry *)a)->norm, ((const struct name_entry *)b)->norm);
}

static void name_table_sort(struct name_table *t)
{
	if (t->n)
		qsort(t->v, t->n, sizeof(*t->v), entry_cmp);
}

static const struct name_entry *name_table_find(const struct name_table *t, const char *norm)
{
	struct name_entry key = { .norm = (char *)norm };
	if (!t->n)
		return NULL;
	return bsearch(&key, t->v, t->n, sizeof(*t->v), entry_cmp);
}

static void name_table_clear(struct name_table *t)
{
	size_t i;
	for (i = 0; i < t->n; i++) {
		free(t->v[i].norm);
		free(t->v[i].value);
		free(t->v[i].tag);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}

/* Loads theme names, typology codes, the 1.x vocabularies and the legacy map. */
static int load_tables(struct importer *im)
{
	sqlite3_stmt *st = NULL;
	struct csv_reader *r = NULL;
	struct csv_row row;
	char *file;
	int rc, f, i;

	if (db_prepare(im->db, "SELECT name, theme_id FROM theme_names WHERE kind IN "
			       "('standard', 'legacy', 'label') ORDER BY kind = 'label'", &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		struct strbuf sb = STRBUF_INIT;
		text_norm(&sb, name, strlen(name));
		/* standard and legacy names win over a theme label spelled the same */
		for (i = 0; i < (int)im->services.n; i++)
			if (!strcmp(im->services.v[i].norm, sb.buf))
				break;
		if (i == (int)im->services.n)
			name_table_add(&im->services, name, sqlite3_column_int64(st, 1), LF_SERVICES, NULL, NULL);
		strbuf_release(&sb);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(im->db, "theme_names");
	name_table_sort(&im->services);

	if (db_prepare(im->db, "SELECT code FROM typologies", &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *code = (const char *)sqlite3_column_text(st, 0);
		name_table_add(&im->typologies, code, 0, LF_TYPOLOGIE, code, NULL);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(im->db, "typologies");
	name_table_sort(&im->typologies);

	for (f = 0; f < LF_N; f++) {
		const char *const *v = lieux_vocabulary(f);
		for (; v && *v; v++)
			name_table_add(&im->vocab[f], *v, 0, f, *v, NULL);
		name_table_sort(&im->vocab[f]);
	}

	file = paths_data_file("legacy_vocab.csv");
	rc = csv_open(&r, file, NULL);
	free(file);
	if (rc)
		return -1;
	while ((rc = csv_next(r, &row)) == 1) {
		if (row.line == 1 || row.n < 3)
			continue;
		for (f = 0; f < LF_N; f++)
			if (!strcmp(row.fields[0], field_names[f]))
				break;
		if (f == LF_N)
			continue;
		name_table_add(&im->legacy, row.fields[1], 0, f, row.fields[2],
			       row.n > 3 ? row.fields[3] : NULL);
	}
	csv_close(r);
	if (rc < 0)
		return -1;
	name_table_sort(&im->legacy);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Name matching for merge proposals                                   */
/* ------------------------------------------------------------------ */

#define MAX_TOKENS 24

struct name_tokens {
	char *t[MAX_TOKENS];
	size_t n;
	char compact[160];            /* all tokens glued: "26 fk" and "26fk" meet */
};

/* Words that say what kind of place it is, not which one. */
static const char *const generic_words[] = {
	"accueil", "agglo", "cc", "centre", "commune", "communaute", "communes", "cs", "epn",
	"espace", "france", "lieu", "maison", "mairie", "mediatheque", "bibliotheque",
	"multimedia", "numerique", "point", "public", "service", "services", "social",
	"tiers", "ville", "poste", "ccas", "pimms", "caf", "msa",
};

static bool is_generic(const char *w)
{
	size_t i;
	for (i = 0; i < sizeof(generic_words) / sizeof(*generic_words); i++)
		if (!strcmp(w, generic_words[i]))
			return true;
	return false;
}

static int collect_token(const char *tok, size_t len, void *arg)
{
	struct name_tokens *nt = arg;
	if (nt->n < MAX_TOKENS)
		nt->t[nt->n++] = xstrndup(tok, len);
	return 0;
}

/* Replaces the phrase a[0..k) at position i with one word. */
static void replace_phrase(struct name_tokens *nt, const char *const *phrase, size_t k,
			   const char *word)
{
	size_t i, j;
	for (i = 0; i + k <= nt->n; i++) {
		for (j = 0; j < k && !strcmp(nt->t[i + j], phrase[j]); j++)
			;
		if (j < k)
			continue;
		free(nt->t[i]);
		nt->t[i] = xstrdup(word);
		for (j = 1; j < k; j++)
			free(nt->t[i + j]);
		memmove(nt->t + i + 1, nt->t + i + k, (nt->n - i - k) * sizeof(*nt->t));
		nt->n -= k - 1;
	}
}

static void drop_token(struct name_tokens *nt, size_t i)
{
	free(nt->t[i]);
	memmove(nt->t + i, nt->t + i + 1, (nt->n - i - 1) * sizeof(*nt->t));
	nt->n--;
}

static struct name_tokens *name_tokens_new(const char *name)
{
	static const char *const epn[] = { "espace", "public", "numerique" };
	static const char *const epn2[] = { "espace", "numerique", "public" };
	static const char *const cs[] = { "centre", "social" };
	static const char *const csc[] = { "centre", "socioculturel" };
	static const char *const mjc[] = { "maison", "jeunes", "culture" };
	static const char *const ccom[] = { "communaute", "communes" };
	struct name_tokens *nt = xcalloc(1, sizeof(*nt));
	struct strbuf key = STRBUF_INIT;
	size_t i, len = 0;

	names_structure_key(&key, name);
	text_each_token(key.buf, collect_token, nt);
	strbuf_release(&key);
	replace_phrase(nt, epn, 3, "epn");
	replace_phrase(nt, epn2, 3, "epn");
	replace_phrase(nt, cs, 2, "cs");
	replace_phrase(nt, csc, 2, "cs");
	replace_phrase(nt, mjc, 3, "mjc");
	replace_phrase(nt, ccom, 2, "cc");
	for (i = 0; i < nt->n;)
		if (!strcmp(nt->t[i], "association") || !strcmp(nt->t[i], "asso"))
			drop_token(nt, i);
		else
			i++;
	for (i = 0; i < nt->n; i++) {
		size_t l = strlen(nt->t[i]);
		if (len + l + 1 > sizeof(nt->compact))
			break;
		memcpy(nt->compact + len, nt->t[i], l);
		len += l;
	}
	nt->compact[len] = '\0';
	return nt;
}

static void name_tokens_free(struct name_tokens *nt)
{
	size_t i;
	if (!nt)
		return;
	for (i = 0; i < nt->n; i++)
		free(nt->t[i]);
	free(nt);
}

static bool has_token(const struct name_tokens *nt, const char *w)
{
	size_t i;
	for (i = 0; i < nt->n; i++)
		if (!strcmp(nt->t[i], w))
			return true;
	return false;
}

/* Whether a commune token tells which place it is (not "saint", "sur"). */
static bool commune_word(const char *w)
{
	return strlen(w) >= 4 && strcmp(w, "saint") && strcmp(w, "sainte");
}

/*
 * Compares two names, the second of a structure whose commune is either the
 * same (same_commune) or unknown. Returns a reason key or NULL:
 * "nom" same name, "nom+commune" names agree once the commune is removed.
 */
static const char *names_match(const struct name_tokens *a, const struct name_tokens *b,
			       const struct name_tokens *commune, bool same_commune)
{
	const char *sa[MAX_TOKENS], *sb[MAX_TOKENS];
	size_t na = 0, nb = 0, i, j;
	bool evidence = same_commune, distinct = false;
	const char *const *small, *const *large;
	size_t ns, nl;
	char ca[160] = "", cb[160] = "";

	/* the same letters, spaces aside, and something that is not generic */
	if (a->n && !strcmp(a->compact, b->compact)) {
		for (i = 0; i < a->n; i++)
			if (!is_generic(a->t[i]))
				return "nom";
		if (same_commune)
			return "nom";
	}
	for (i = 0; commune && i < commune->n; i++)
		if (commune_word(commune->t[i]) && has_token(b, commune->t[i]))
			evidence = true;
	/* the commune's words say nothing about which place it is */
	for (i = 0; i < a->n; i++)
		if (!commune || !has_token(commune, a->t[i]))
			sa[na++] = a->t[i];
	for (i = 0; i < b->n; i++)
		if (!commune || !has_token(commune, b->t[i]))
			sb[nb++] = b->t[i];
	if (!na || !nb)
		return NULL;
	for (i = 0; i < na; i++)
		strncat(ca, sa[i], sizeof(ca) - strlen(ca) - 1);
	for (i = 0; i < nb; i++)
		strncat(cb, sb[i], sizeof(cb) - strlen(cb) - 1);
	if (evidence && !strcmp(ca, cb))
		return "nom+commune";
	small = na <= nb ? sa : sb;
	ns = na <= nb ? na : nb;
	large = na <= nb ? sb : sa;
	nl = na <= nb ? nb : na;
	for (i = 0; i < ns; i++) {
		for (j = 0; j < nl && strcmp(small[i], large[j]); j++)
			;
		if (j == nl)
			return NULL;
		if (!is_generic(small[i]))
			distinct = true;
	}
	if (!distinct)
		return NULL;
	return evidence ? "nom+commune" : "nom";
}

static int load_candidates(struct importer *im)
{
	sqlite3_stmt *st;
	size_t alloc = 0;
	int rc, created;

	if (db_prepare(im->db, "SELECT DISTINCT code_insee FROM structures WHERE code_insee IS NOT NULL", &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		hmap_put(&im->communes, (const char *)sqlite3_column_text(st, 0),
			 (size_t)sqlite3_column_bytes(st, 0), &created)->num = -1;
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(im->db, "structures");
	if (db_prepare(im->db, "SELECT id, nom FROM structures WHERE code_insee IS NULL", &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct candidate *c;
		XGROW(im->nocommune, alloc, im->n_nocommune + 1);
		c = &im->nocommune[im->n_nocommune++];
		c->id = sqlite3_column_int64(st, 0);
		c->nom = xstrdup((const char *)sqlite3_column_text(st, 1));
		c->tok = name_tokens_new(c->nom);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(im->db, "structures");
}

static int propose(struct importer *im, sqlite3_int64 a, sqlite3_int64 b, const char *why,
		   const char *other, const char *commune)
{
	sqlite3_stmt *st = im->st[ST_PROPOSE];
	struct strbuf reason = STRBUF_INIT;
	int rc;
	if (!strcmp(why, "nom"))
		strbuf_addf(&reason, _("import lieux: same name as \"%s\""), other);
	else
		strbuf_addf(&reason, _("import lieux: same name and commune (%s) as \"%s\""), commune, other);
	sqlite3_bind_int64(st, 1, a < b ? a : b);
	sqlite3_bind_int64(st, 2, a < b ? b : a);
	sqlite3_bind_text(st, 3, reason.buf, (int)reason.len, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	strbuf_release(&reason);
	if (rc != SQLITE_DONE)
		return db_error(im->db, "merge_proposals");
	if (sqlite3_changes(im->db) > 0)
		im->rep->merges_proposed++;
	return 0;
}

/*
 * Looks for structures a new place may duplicate and proposes merges: those
 * without a commune always, those of its commune when same_commune.
 */
static int find_duplicates(struct importer *im, sqlite3_int64 id, bool same_commune)
{
	struct place *p = &im->p;
	sqlite3_stmt *st = im->st[ST_SAME_COMMUNE];
	struct name_tokens *mine, *commune;
	const char *commune_nom = p->f[LF_COMMUNE].buf;
	const char *why;
	size_t i;
	int rc = 0, step = SQLITE_DONE;

	if (!im->n_nocommune && !same_commune)
		return 0;
	mine = name_tokens_new(p->f[LF_NOM].buf);
	commune = name_tokens_new(p->commune_norm);

	for (i = 0; i < im->n_nocommune && !rc; i++)
		if ((why = names_match(mine, im->nocommune[i].tok, commune, false)))
			rc = propose(im, im->nocommune[i].id, id, why, im->nocommune[i].nom, commune_nom);
	if (rc || !same_commune)
		goto done;
	sqlite3_bind_text(st, 1, p->f[LF_CODE_INSEE].buf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	if (p->f[LF_SOURCE].len)
		sqlite3_bind_text(st, 3, p->f[LF_SOURCE].buf, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 3);
	while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *nom = (const char *)sqlite3_column_text(st, 1);
		struct name_tokens *other = name_tokens_new(nom);
		if ((why = names_match(mine, other, commune, true)))
			rc = propose(im, sqlite3_column_int64(st, 0), id, "nom+commune", nom, commune_nom);
		name_tokens_free(other);
	}
	if (!rc && step != SQLITE_DONE)
		rc = db_error(im->db, "structures");
	sqlite3_reset(st);
done:
	name_tokens_free(mine);
	name_tokens_free(commune);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Checking one row                                                    */
/* ------------------------------------------------------------------ */

/* Appends item to a '|'-joined list unless already there. */
static void list_add(struct strbuf *list, const char *item)
{
	size_t len = strlen(item);
	const char *p = list->buf;
	while (*p) {
		size_t l = strcspn(p, "|");
		if (l == len && !memcmp(p, item, len))
			return;
		p += l + (p[l] == '|');
	}
	if (list->len)
		strbuf_addch(list, '|');
	strbuf_add(list, item, len);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Copies s[0..len) trimmed, with runs of white space (newlines too) as one space. */
static void add_clean(struct strbuf *out, const char *s, size_t len, bool one_line)
{
	size_t run;
	while (len && is_space(*s))
		s++, len--;
	while (len && is_space(s[len - 1]))
		len--;
	if (!one_line) {
		strbuf_add(out, s, len);
		return;
	}
	strbuf_grow(out, len);
	while (len) {
		for (run = 0; run < len && !is_space(s[run]); run++)
			;
		strbuf_add(out, s, run);
		s += run, len -= run;
		if (!len)
			break;
		while (len && is_space(*s))
			s++, len--;
		strbuf_addch(out, ' ');  /* never last: the end was trimmed */
	}
}

/* The list items of a raw field, trimmed, empty ones skipped. */
static size_t split_list(struct importer *im, enum lieux_field f, const char *raw,
			 struct strbuf *items, size_t max)
{
	const char *seps = im->version == LIEUX_V0 ? ";|" : "|";
	size_t n = 0;
	while (*raw && n < max) {
		size_t l = strcspn(raw, seps);
		strbuf_reset(&items[n]);
		add_clean(&items[n], raw, l, true);
		if (items[n].len)
			n++;
		raw += l + (raw[l] != '\0');
	}
	if (raw[strspn(raw, " ;|")])
		issue(im, IMPORT_WARNING, f, _("%s: more than %zu values, the rest is left out: \"%.60s\""),
		      field_names[f], max, raw);
	return n;
}

/* Maps the values of a vocabulary field (1.x, or 0.x through the legacy map). */
/*
 * What a list item of field f means: its entry in the field's vocabulary
 * (the services' theme names, the typology codes, the 1.x values) or in
 * the legacy map (*legacy set), folded; NULL when unknown. Items repeat
 * from row to row, so the answers are cached by the item as written.
 */
static const struct name_entry *lookup_item(struct importer *im, enum lieux_field f,
					    const struct strbuf *item, bool *legacy)
{
	const struct name_entry *e;
	struct hmap_entry *c;
	int created;

	strbuf_reset(&im->tmp2);
	strbuf_addch(&im->tmp2, (char)('A' + f));
	strbuf_add(&im->tmp2, item->buf, item->len);
	if ((c = hmap_get(&im->item_cache, im->tmp2.buf, im->tmp2.len))) {
		*legacy = c->num != 0;
		return c->ptr;
	}
	strbuf_reset(&im->tmp);
	text_norm(&im->tmp, item->buf, item->len);
	*legacy = false;
	if (f == LF_SERVICES)
		e = name_table_find(&im->services, im->tmp.buf);
	else if (f == LF_TYPOLOGIE)
		e = name_table_find(&im->typologies, im->tmp.buf);
	else if (!(e = name_table_find(&im->vocab[f], im->tmp.buf)))
		*legacy = (e = name_table_find(&im->legacy, im->tmp.buf)) != NULL;
	if (e) {
		c = hmap_put(&im->item_cache, im->tmp2.buf, im->tmp2.len, &created);
		c->ptr = (void *)e;
		c->num = *legacy;
	}
	return e;
}

static void check_vocab(struct importer *im, enum lieux_field f, const char *raw)
{
	struct strbuf *items = im->items;
	struct place *p = &im->p;
	bool legacy;
	size_t n, i;

	n = split_list(im, f, raw, items, MAX_ITEMS);
	for (i = 0; i < n; i++) {
		const struct name_entry *e = lookup_item(im, f, &items[i], &legacy);
		if (e && !legacy) {
			list_add(&p->f[f], e->value);
		} else if (e) {
			if (e->value)
				list_add(&p->f[e->field], e->value);
			if (e->tag)
				list_add(&p->tags, e->tag);
		} else if (lieux_vocabulary(f)) {
			list_add(&p->tags, items[i].buf);
			im->rep->values_unknown++;
			issue(im, IMPORT_WARNING, f, _("%s: unknown value \"%s\" kept as a tag"),
			      field_names[f], items[i].buf);
		} else {
			list_add(&p->f[f], items[i].buf);  /* an open list */
		}
	}
}

static void check_services(struct importer *im, const char *raw)
{
	struct strbuf *items = im->items;
	struct place *p = &im->p;
	bool legacy;
	size_t n, i, k;

	n = split_list(im, LF_SERVICES, raw, items, MAX_ITEMS);
	for (i = 0; i < n; i++) {
		const struct name_entry *e = lookup_item(im, LF_SERVICES, &items[i], &legacy);
		if (!e) {
			list_add(&p->tags, items[i].buf);
			im->rep->values_unknown++;
			issue(im, IMPORT_WARNING, LF_SERVICES, _("services: unknown service \"%s\" kept as a tag"),
			      items[i].buf);
			continue;
		}
		im->rep->services_mapped++;
		for (k = 0; k < p->n_themes && p->themes[k] != e->theme_id; k++)
			;
		if (k == p->n_themes && p->n_themes < sizeof(p->themes) / sizeof(*p->themes))
			p->themes[p->n_themes++] = e->theme_id;
	}
}

static void check_typologie(struct importer *im, const char *raw)
{
	struct strbuf *items = im->items;
	bool legacy;
	size_t n, i;
	n = split_list(im, LF_TYPOLOGIE, raw, items, MAX_ITEMS);
	for (i = 0; i < n; i++) {
		const struct name_entry *e = lookup_item(im, LF_TYPOLOGIE, &items[i], &legacy);
		if (e) {
			list_add(&im->p.f[LF_TYPOLOGIE], e->value);
		} else {
			list_add(&im->p.tags, items[i].buf);
			im->rep->values_unknown++;
			issue(im, IMPORT_WARNING, LF_TYPOLOGIE,
			      _("typologie: unknown code \"%s\" kept as a tag"), items[i].buf);
		}
	}
}

static void check_emails(struct importer *im, const char *raw)
{
	const char *p = raw;
	while (*p) {
		size_t l = strcspn(p, "|;, ");
		strbuf_reset(&im->tmp);
		add_clean(&im->tmp, p, l, true);
		if (im->tmp.len) {
			if (field_email_valid(im->tmp.buf))
				list_add(&im->p.f[LF_COURRIELS], im->tmp.buf);
			else
				issue(im, IMPORT_WARNING, LF_COURRIELS,
				      _("courriels: \"%s\" is not an email address (left out)"), im->tmp.buf);
		}
		p += l + (p[l] != '\0');
	}
}

/* A URL, "www.x.fr" completed with https://; bad ones reported and left out. */
static void check_url(struct importer *im, enum lieux_field f, const char *raw, bool list)
{
	const char *p = raw;
	while (*p) {
		size_t l = list ? strcspn(p, im->version == LIEUX_V0 ? "|; " : "| ") : strlen(p);
		strbuf_reset(&im->tmp);
		add_clean(&im->tmp, p, l, true);
		if (im->tmp.len) {
			if (!field_url_valid(im->tmp.buf) && !strchr(im->tmp.buf, ':') &&
			    strchr(im->tmp.buf, '.') && !strchr(im->tmp.buf, '@')) {
				strbuf_reset(&im->tmp2);
				strbuf_addf(&im->tmp2, "https://%s", im->tmp.buf);
				if (field_url_valid(im->tmp2.buf)) {
					issue(im, IMPORT_WARNING, f, _("%s: \"%s\" completed as \"%s\""),
					      field_names[f], im->tmp.buf, im->tmp2.buf);
					strbuf_reset(&im->tmp);
					strbuf_addstr(&im->tmp, im->tmp2.buf);
				}
			}
			if (field_url_valid(im->tmp.buf))
				list_add(&im->p.f[f], im->tmp.buf);
			else
				issue(im, IMPORT_WARNING, f, _("%s: \"%s\" is not a web address (left out)"),
				      field_names[f], im->tmp.buf);
		}
		p += l + (p[l] != '\0');
	}
}

static void check_phone(struct importer *im, const char *raw)
{
	struct place *p = &im->p;
	size_t l = strcspn(raw, "/;|,");
	int rc;
	strbuf_reset(&im->tmp);
	add_clean(&im->tmp, raw, l, true);
	if (!im->tmp.len)
		return;
	if (raw[l] && raw[l + strspn(raw + l, "/;|, ")])
		issue(im, IMPORT_WARNING, LF_TELEPHONE, _("telephone: only the first number of \"%s\" is kept"), raw);
	rc = field_phone_normalize(im->tmp.buf, &p->f[LF_TELEPHONE]);
	if (rc < 0) {
		issue(im, IMPORT_WARNING, LF_TELEPHONE, _("telephone: \"%s\" is not a phone number (left out)"),
		      im->tmp.buf);
	} else if (rc > 0) {
		im->rep->phones_normalized++;
	}
}

/* Parses a coordinate ("44.93", "44,93"); NAN when not a number. */
double lieux_coord_parse(const char *s)
{
	char buf[64], *end, *c;
	double v;
	size_t len = strlen(s);
	if (!len || len >= sizeof(buf))
		return NAN;
	memcpy(buf, s, len + 1);
	if ((c = strchr(buf, ',')) && !strchr(c + 1, ','))
		*c = '.';
	errno = 0;
	v = strtod(buf, &end);
	while (*end == ' ')
		end++;
	return *end || errno || !isfinite(v) ? NAN : v;
}

static void check_coords(struct importer *im, const char *slat, const char *slon,
			 double clat, double clon, bool commune_coords)
{
	struct place *p = &im->p;
	double lat, lon, t;
	if (!*slat && !*slon)
		goto centre;
	lat = lieux_coord_parse(slat);
	lon = lieux_coord_parse(slon);
	if (isnan(lat) || isnan(lon)) {
		issue(im, IMPORT_ERROR, isnan(lat) ? LF_LATITUDE : LF_LONGITUDE,
		      _("%s: \"%s\" is not a number of degrees"), isnan(lat) ? "latitude" : "longitude",
		      isnan(lat) ? slat : slon);
		return;
	}
	if (!geo_in_france(lat, lon) && geo_in_france(lon, lat)) {
		issue(im, IMPORT_WARNING, LF_LATITUDE, _("latitude and longitude were swapped (%s, %s)"),
		      slat, slon);
		t = lat, lat = lon, lon = t;
	}
	if (!geo_in_france(lat, lon)) {
		issue(im, IMPORT_ERROR, LF_LATITUDE, _("coordinates %s, %s are not in France"), slat, slon);
		return;
	}
	p->lat = lat, p->lon = lon, p->has_coords = true, p->coord_exact = true;
	return;
centre:
	if (commune_coords) {
		p->lat = clat, p->lon = clon, p->has_coords = true, p->coord_exact = false;
		im->rep->coords_approx++;
	}
}

bool lieux_date_valid(const char *s)
{
	int i;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	return atoi(s) >= 1990 && atoi(s) <= 2100 && date_exists(atoi(s), atoi(s + 5), atoi(s + 8));
}

static void check_date(struct importer *im, const char *raw)
{
	struct strbuf *out = &im->p.f[LF_DATE_MAJ];
	char iso[11];
	if (strlen(raw) >= 10 && lieux_date_valid(raw) && (!raw[10] || raw[10] == 'T' || raw[10] == ' ')) {
		strbuf_add(out, raw, 10);
		return;
	}
	/* 25/03/2022, as spreadsheets write it */
	if (strlen(raw) == 10 && raw[2] == '/' && raw[5] == '/') {
		snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", raw + 6, raw + 3, raw);
		if (lieux_date_valid(iso)) {
			issue(im, IMPORT_WARNING, LF_DATE_MAJ, _("date_maj: \"%s\" read as %s"), raw, iso);
			strbuf_addstr(out, iso);
			return;
		}
	}
	issue(im, IMPORT_ERROR, LF_DATE_MAJ, _("date_maj: \"%s\" is not a date (expected YYYY-MM-DD)"), raw);
}

/* Fills code_insee / checks it against the postcode and the name. */
/* Runs a one-row look-up (two text parameters) and puts its first column in out: 1, or 0. */
static int lookup_code(sqlite3_stmt *st, const char *p1, const char *p2, struct strbuf *out)
{
	int found;
	sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p2, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0);
	if (found) {
		strbuf_reset(out);
		strbuf_addstr(out, (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_reset(st);
	return found;
}

/* The point a row gives, when both coordinates read and are in France (swapped or not). */
static bool row_point(const char *slat, const char *slon, double *lat, double *lon)
{
	double a = lieux_coord_parse(slat), b = lieux_coord_parse(slon);
	if (isnan(a) || isnan(b))
		return false;
	if (!geo_in_france(a, b) && geo_in_france(b, a)) {
		double t = a;
		a = b, b = t;
	}
	*lat = a, *lon = b;
	return geo_in_france(a, b);
}

/*
 * The INSEE code of a commune given by name (folded: norm), postcode and
 * perhaps a point: the commune of that postcode with that name, else the
 * forgiving resolution (communes_resolve), whose guess is a warning kept
 * in hit->warn so that a cached resolution repeats it. 0 and code, or -1
 * (issue recorded).
 */
static int commune_from_clue(struct importer *im, const char *nom, const char *norm,
			     const char *cp, const char *slat, const char *slon,
			     struct strbuf *code, struct commune_hit *hit)
{
	sqlite3_stmt *st = im->st[ST_BY_POSTCODE];
	struct commune_clue clue = { .nom = nom, .code_postal = cp };
	struct commune_guess g;
	bool named = false;

	sqlite3_bind_text(st, 1, cp, -1, SQLITE_STATIC);
	while (!named && sqlite3_step(st) == SQLITE_ROW) {
		if ((named = !strcmp((const char *)sqlite3_column_text(st, 1), norm))) {
			strbuf_reset(code);
			strbuf_addstr(code, (const char *)sqlite3_column_text(st, 0));
		}
	}
	sqlite3_reset(st);
	if (named)
		return 0;
	clue.has_coords = row_point(slat, slon, &clue.lat, &clue.lon);
	if (!*norm) {
		memset(&g, 0, sizeof(g)); /* no name: nothing to forgive */
	} else if (communes_resolve(im->db, &clue, &g)) {
		issue(im, IMPORT_ERROR, LF_COMMUNE, "%s", qfq_error_msg());
		return -1;
	}
	if (g.how == COMMUNE_HOW_NONE) {
		if (g.candidates > 1)
			issue(im, IMPORT_ERROR, LF_COMMUNE,
			      _("commune: \"%s\" is %zu communes near postcode %s (give code_insee or coordinates)"),
			      nom, g.candidates, cp);
		else
			issue(im, IMPORT_ERROR, LF_COMMUNE,
			      _("commune: no commune \"%s\" with postcode %s (and no code_insee)"), nom, cp);
		return -1;
	}
	strbuf_reset(code);
	strbuf_addstr(code, g.code_insee);
	im->rep->communes_how[g.how]++;
	if (g.former)
		im->rep->communes_former++;
	hit->guess = g;
	hit->guessed = g.how != COMMUNE_HOW_EXACT || g.former;
	return 0;
}

/* The warning of a guessed commune (nom as written, chosen: its current name). */
static char *guess_warning(const char *nom, const char *chosen, const struct commune_guess *g)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, _("commune: \"%s\" taken as %s (%s): %s"), nom, chosen, g->code_insee,
		    commune_how_reason(g->how, g->former));
	if (g->by_coords)
		strbuf_addf(&sb, _(", the nearest of %zu to the coordinates"), g->candidates);
	if (g->km > 0)
		strbuf_addf(&sb, _(" (its centre %.1f km from the place)"), g->km);
	return strbuf_detach(&sb, NULL);
}

static void check_commune(struct importer *im, const char *nom, const char *cp, const char *insee,
			  const char *slat, const char *slon, struct commune_hit *hit)
{
	struct place *p = &im->p;
	sqlite3_stmt *st;
	struct strbuf norm = STRBUF_INIT, code = STRBUF_INIT;
	double clat = 0, clon = 0;
	bool ccoords = false, found;

	text_norm(&norm, nom, strlen(nom));
	if (*insee) {
		strbuf_addstr(&code, insee);
	} else {
		if (commune_from_clue(im, nom, norm.buf, cp, slat, slon, &code, hit))
			goto done;
		im->rep->communes_filled++;
	}
	st = im->st[ST_COMMUNE];
	sqlite3_bind_text(st, 1, code.buf, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	if (!found && *insee) {
		/* the code of a former commune: the current one it belongs to */
		sqlite3_reset(st);
		if (lookup_code(im->st[ST_ANCIENNE], insee, cp, &code))
			issue(im, IMPORT_WARNING, LF_CODE_INSEE,
			      _("code_insee: %s is a former commune, now %s"), insee, code.buf);
		sqlite3_bind_text(st, 1, code.buf, -1, SQLITE_STATIC);
		insee = "";
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	if (!found) {
		sqlite3_reset(st);
		issue(im, IMPORT_ERROR, LF_CODE_INSEE, _("code_insee: \"%s\" is not a current commune"), code.buf);
		goto done;
	}
	strbuf_addstr(&p->f[LF_CODE_INSEE], code.buf);
	strbuf_addstr(&p->f[LF_COMMUNE], (const char *)sqlite3_column_text(st, 0));
	snprintf(p->commune_norm, sizeof(p->commune_norm), "%s", (const char *)sqlite3_column_text(st, 1));
	snprintf(p->departement, sizeof(p->departement), "%s", (const char *)sqlite3_column_text(st, 4));
	if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
		ccoords = true;
		clat = sqlite3_column_double(st, 2);
		clon = sqlite3_column_double(st, 3);
	}
	if (*insee && *nom && strcmp(norm.buf, p->commune_norm))
		issue(im, IMPORT_WARNING, LF_COMMUNE, _("commune: \"%s\" is not the name of %s (%s)"),
		      nom, code.buf, p->f[LF_COMMUNE].buf);
	sqlite3_reset(st);
	if (hit->guessed) {
		hit->warn = guess_warning(nom, p->f[LF_COMMUNE].buf, &hit->guess);
		issue(im, IMPORT_WARNING, LF_COMMUNE, "%s", hit->warn);
	}
	st = im->st[ST_POSTCODE_HAS];
	sqlite3_bind_text(st, 1, cp, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code.buf, -1, SQLITE_STATIC);
	/* a CEDEX postcode is nobody's: the name said CEDEX, no need to say more */
	if (!hit->guess.cedex && sqlite3_step(st) != SQLITE_ROW)
		issue(im, IMPORT_WARNING, LF_CODE_POSTAL, _("code_postal: %s is not a postcode of %s (%s)"),
		      cp, p->f[LF_COMMUNE].buf, code.buf);
	sqlite3_reset(st);
	hit->code = xstrdup(code.buf);
	hit->nom = xstrdup(p->f[LF_COMMUNE].buf);
	hit->norm = xstrdup(p->commune_norm);
	hit->dep = xstrdup(p->departement);
	hit->lat = clat, hit->lon = clon, hit->has_coords = ccoords;
done:
	strbuf_release(&norm);
	strbuf_release(&code);
}

static void commune_hit_free(struct commune_hit *h)
{
	if (!h)
		return;
	free(h->code);
	free(h->nom);
	free(h->norm);
	free(h->dep);
	free(h->warn);
	free(h);
}

/*
 * check_commune() through a cache: real files have many places per
 * commune, and a resolution that gave no warning gives the same result
 * for the same (code_insee, code_postal, name).
 */
static void resolve_commune(struct importer *im, const char *nom, const char *cp, const char *insee,
			    const char *slat, const char *slon)
{
	struct place *p = &im->p;
	struct strbuf key = STRBUF_INIT;
	struct commune_hit *hit;
	struct hmap_entry *e;
	size_t before = im->rep->issues.n;
	bool cached = false;
	int created;

	strbuf_addf(&key, "%s\x1f%s\x1f%s", insee, cp, nom);
	if ((e = hmap_get(&im->commune_cache, key.buf, key.len))) {
		hit = e->ptr;
		cached = true;
		strbuf_addstr(&p->f[LF_CODE_INSEE], hit->code);
		strbuf_addstr(&p->f[LF_COMMUNE], hit->nom);
		snprintf(p->commune_norm, sizeof(p->commune_norm), "%s", hit->norm);
		snprintf(p->departement, sizeof(p->departement), "%s", hit->dep);
		if (!*insee)
			im->rep->communes_filled++;
		if (hit->guessed) {
			im->rep->communes_how[hit->guess.how]++;
			im->rep->communes_former += hit->guess.former;
			issue(im, IMPORT_WARNING, LF_COMMUNE, "%s", hit->warn);
		}
	} else {
		hit = xcalloc(1, sizeof(*hit));
		check_commune(im, nom, cp, insee, slat, slon, hit);
		/* a guess the point chose holds for this point only */
		if (hit->code && im->rep->issues.n == before + hit->guessed &&
		    !hit->guess.by_coords && hit->guess.how != COMMUNE_HOW_NEAREST) {
			e = hmap_put(&im->commune_cache, key.buf, key.len, &created);
			e->ptr = hit;
			cached = true;
		}
	}
	if (hit->code)
		check_coords(im, slat, slon, hit->lat, hit->lon, hit->has_coords);
	if (!cached)
		commune_hit_free(hit);
	strbuf_release(&key);
}

static void check_hours(struct importer *im, const char *raw)
{
	struct hours *h = NULL;
	if (!*raw)
		return;
	strbuf_addstr(&im->p.f[LF_HORAIRES], raw);
	im->p.horaires_ok = 0;
	if (hours_parse(raw, &h) == 0) {
		im->p.horaires_ok = 1;
		im->rep->hours_parsed++;
		hours_free(h);
		return;
	}
	im->rep->hours_unparseable++;
	issue(im, IMPORT_WARNING, LF_HORAIRES, _("horaires: \"%s\" kept as text, not understood (%s)"),
	      raw, qfq_error_msg());
}

/* sans_rdv: 1 when one may just come, 0 when only appointment modes are listed. */
static int derive_sans_rdv(const char *modalites)
{
	if (!*modalites)
		return -1;
	if (strstr(modalites, "Se présenter"))
		return 1;
	return 0;
}

bool lieux_pivot_valid(const char *s)
{
	size_t i, n = strlen(s);
	if (n == 10 && (s[0] == 'W' || s[0] == 'w')) {
		for (i = 1; i < n && isdigit((unsigned char)s[i]); i++)
			;
		return i == n;
	}
	for (i = 0; i < n && isdigit((unsigned char)s[i]); i++)
		;
	return i == n && (n == 14 || n == 9);
}

static void place_reset(struct place *p)
{
	int f;
	for (f = 0; f < LF_N; f++)
		strbuf_reset(&p->f[f]);
	strbuf_reset(&p->tags);
	strbuf_reset(&p->nom_norm);
	p->lat = p->lon = 0;
	p->has_coords = p->coord_exact = false;
	p->sans_rdv = -1;
	p->horaires_ok = -1;
	p->n_themes = 0;
	p->bad = false;
	p->commune_norm[0] = p->departement[0] = '\0';
}

/* Reads row onto 1.x fields, checks and normalizes it into im->p. */
static void check_row(struct importer *im, const struct csv_row *row)
{
	struct place *p = &im->p;
	struct strbuf *raw = im->raw;
	const char *r[LF_N];
	size_t i;
	int f;

	place_reset(p);
	for (i = 0; i < row->n; i++) {
		unsigned cp;
		if (csv_field_control(row->fields[i], row->lens[i], &cp) < row->lens[i])
			issue_col(im, IMPORT_ERROR, i + 1, _("control character U+%04X in the field"), cp);
	}
	for (f = 0; f < LF_N; f++) {
		strbuf_reset(&raw[f]);
		if (im->col_of[f] >= 0 && (size_t)im->col_of[f] < row->n)
			add_clean(&raw[f], row->fields[im->col_of[f]], row->lens[im->col_of[f]],
				  f != LF_PRESENTATION_DETAIL && f != LF_HORAIRES);
		r[f] = raw[f].buf;
	}
	/* no UTF-8 check here: the reader converts or refuses invalid input */

	/* required fields */
	static const enum lieux_field required[] = { LF_ID, LF_NOM, LF_PIVOT, LF_COMMUNE,
		LF_CODE_POSTAL, LF_ADRESSE, LF_DATE_MAJ };
	for (i = 0; i < sizeof(required) / sizeof(*required); i++)
		if (!*r[required[i]] && !(required[i] == LF_COMMUNE && *r[LF_CODE_INSEE]))
			issue(im, IMPORT_ERROR, required[i], _("%s: required, empty"), field_names[required[i]]);

	strbuf_addstr(&p->f[LF_ID], r[LF_ID]);
	strbuf_addstr(&p->f[LF_NOM], r[LF_NOM]);
	names_structure_key(&p->nom_norm, r[LF_NOM]);
	if (*r[LF_PIVOT]) {
		if (!lieux_pivot_valid(r[LF_PIVOT]))
			issue(im, IMPORT_WARNING, LF_PIVOT, _("pivot: \"%s\" is neither a SIRET nor an RNA number"),
			      r[LF_PIVOT]);
		strbuf_addstr(&p->f[LF_PIVOT], r[LF_PIVOT]);
	}
	strbuf_addstr(&p->f[LF_STRUCTURE_PARENTE], r[LF_STRUCTURE_PARENTE]);
	check_typologie(im, r[LF_TYPOLOGIE]);
	if (*r[LF_CODE_POSTAL] && (strlen(r[LF_CODE_POSTAL]) != 5 ||
				   strspn(r[LF_CODE_POSTAL], "0123456789") != 5))
		issue(im, IMPORT_ERROR, LF_CODE_POSTAL, _("code_postal: \"%s\" is not a postcode (5 digits)"),
		      r[LF_CODE_POSTAL]);
	else if (*r[LF_CODE_POSTAL] || *r[LF_CODE_INSEE])
		resolve_commune(im, r[LF_COMMUNE], r[LF_CODE_POSTAL], r[LF_CODE_INSEE], r[LF_LATITUDE],
				r[LF_LONGITUDE]);
	strbuf_addstr(&p->f[LF_CODE_POSTAL], r[LF_CODE_POSTAL]);
	strbuf_addstr(&p->f[LF_ADRESSE], r[LF_ADRESSE]);
	strbuf_addstr(&p->f[LF_COMPLEMENT_ADRESSE], r[LF_COMPLEMENT_ADRESSE]);
	check_phone(im, r[LF_TELEPHONE]);
	check_emails(im, r[LF_COURRIELS]);
	check_url(im, LF_SITE_WEB, r[LF_SITE_WEB], true);
	check_hours(im, r[LF_HORAIRES]);
	check_url(im, LF_PRISE_RDV, r[LF_PRISE_RDV], false);
	check_url(im, LF_FICHE_ACCES_LIBRE, r[LF_FICHE_ACCES_LIBRE], false);
	strbuf_addstr(&p->f[LF_PRESENTATION_RESUME], r[LF_PRESENTATION_RESUME]);
	strbuf_addstr(&p->f[LF_PRESENTATION_DETAIL], r[LF_PRESENTATION_DETAIL]);
	check_services(im, r[LF_SERVICES]);
	check_vocab(im, LF_PUBLICS, r[LF_PUBLICS]);
	check_vocab(im, LF_PRISE_EN_CHARGE, r[LF_PRISE_EN_CHARGE]);
	check_vocab(im, LF_FRAIS, r[LF_FRAIS]);
	check_vocab(im, LF_MODALITES_ACCES, r[LF_MODALITES_ACCES]);
	check_vocab(im, LF_MODALITES_ACCOMPAGNEMENT, r[LF_MODALITES_ACCOMPAGNEMENT]);
	check_vocab(im, LF_ITINERANCE, r[LF_ITINERANCE]);
	check_vocab(im, LF_DISPOSITIFS, r[LF_DISPOSITIFS]);
	check_vocab(im, LF_FORMATIONS_LABELS, r[LF_FORMATIONS_LABELS]);
	check_vocab(im, LF_AUTRES_FORMATIONS_LABELS, r[LF_AUTRES_FORMATIONS_LABELS]);
	p->sans_rdv = derive_sans_rdv(p->f[LF_MODALITES_ACCES].buf);
	strbuf_addstr(&p->f[LF_SOURCE], r[LF_SOURCE]);
	if (*r[LF_DATE_MAJ])
		check_date(im, r[LF_DATE_MAJ]);
}

/* ------------------------------------------------------------------ */
/* Storing one row                                                     */
/* ------------------------------------------------------------------ */

/* Binds ?1..?33 of ST_INSERT / ST_UPDATE. */
static void bind_place(sqlite3_stmt *st, const struct place *p)
{
	static const enum lieux_field text_cols[] = {
		/* ?3 .. ?8 */ LF_TYPOLOGIE, LF_PIVOT, LF_ADRESSE, LF_COMPLEMENT_ADRESSE,
		LF_CODE_POSTAL, LF_CODE_INSEE,
	};
	static const enum lieux_field text_cols2[] = {
		/* ?12 .. ?16 */ LF_TELEPHONE, LF_COURRIELS, LF_SITE_WEB, LF_HORAIRES, LF_PRISE_RDV,
	};
	static const enum lieux_field text_cols3[] = {
		/* ?18 .. ?28 */ LF_FRAIS, LF_ITINERANCE, LF_PRESENTATION_RESUME, LF_PRESENTATION_DETAIL,
		LF_PUBLICS, LF_PRISE_EN_CHARGE, LF_MODALITES_ACCES, LF_MODALITES_ACCOMPAGNEMENT,
		LF_DISPOSITIFS, LF_FORMATIONS_LABELS, LF_AUTRES_FORMATIONS_LABELS,
	};
	size_t i;
	import_bind_opt(st, 1, p->f[LF_NOM].buf, p->f[LF_NOM].len);
	sqlite3_bind_text(st, 2, p->nom_norm.buf, (int)p->nom_norm.len, SQLITE_STATIC);
	for (i = 0; i < sizeof(text_cols) / sizeof(*text_cols); i++)
		import_bind_opt(st, 3 + (int)i, p->f[text_cols[i]].buf, p->f[text_cols[i]].len);
	if (p->has_coords) {
		sqlite3_bind_double(st, 9, p->lat);
		sqlite3_bind_double(st, 10, p->lon);
	} else {
		sqlite3_bind_null(st, 9);
		sqlite3_bind_null(st, 10);
	}
	sqlite3_bind_int(st, 11, p->coord_exact);
	for (i = 0; i < sizeof(text_cols2) / sizeof(*text_cols2); i++)
		import_bind_opt(st, 12 + (int)i, p->f[text_cols2[i]].buf, p->f[text_cols2[i]].len);
	if (p->sans_rdv >= 0)
		sqlite3_bind_int(st, 17, p->sans_rdv);
	else
		sqlite3_bind_null(st, 17);
	for (i = 0; i < sizeof(text_cols3) / sizeof(*text_cols3); i++)
		import_bind_opt(st, 18 + (int)i, p->f[text_cols3[i]].buf, p->f[text_cols3[i]].len);
	import_bind_opt(st, 29, p->tags.buf, p->tags.len);
	import_bind_opt(st, 30, p->f[LF_SOURCE].buf, p->f[LF_SOURCE].len);
	import_bind_opt(st, 31, p->f[LF_ID].buf, p->f[LF_ID].len);
	import_bind_opt(st, 32, p->f[LF_DATE_MAJ].buf, p->f[LF_DATE_MAJ].len);
	import_bind_opt(st, 33, p->f[LF_FICHE_ACCES_LIBRE].buf, p->f[LF_FICHE_ACCES_LIBRE].len);
}

static int llcmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return x < y ? -1 : x > y;
}

/* Makes the structure's themes those of the place; 1 when they changed. */
static int store_themes(struct importer *im, sqlite3_int64 id, bool is_new)
{
	struct place *p = &im->p;
	sqlite3_stmt *st;
	size_t i = 0;
	bool same = true;
	int rc;

	qsort(p->themes, p->n_themes, sizeof(*p->themes), llcmp);
	if (!is_new) {
		st = im->st[ST_THEMES_GET];
		sqlite3_bind_int64(st, 1, id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (i >= p->n_themes || p->themes[i] != sqlite3_column_int64(st, 0))
				same = false;
			i++;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_error(im->db, "structure_themes");
		if (same && i == p->n_themes)
			return 0;
		st = im->st[ST_THEMES_DEL];
		sqlite3_bind_int64(st, 1, id);
		if (import_step_done(im->db, st, "structure_themes"))
			return -1;
	}
	st = im->st[ST_THEMES_ADD];
	for (i = 0; i < p->n_themes; i++) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, p->themes[i]);
		if (import_step_done(im->db, st, "structure_themes"))
			return -1;
	}
	return 1;
}

/* Remembers the row's structure_parente (or, for a known place, that it has none). */
static void remember_parent(struct importer *im, sqlite3_int64 id, bool is_new)
{
	struct place *p = &im->p;
	struct parent_link *l;
	if (is_new && !p->f[LF_STRUCTURE_PARENTE].len)
		return;
	XGROW(im->links, im->alloc_links, im->n_links + 1);
	l = &im->links[im->n_links++];
	l->id = id;
	l->source = p->f[LF_SOURCE].len ? xstrdup(p->f[LF_SOURCE].buf) : NULL;
	l->parent = p->f[LF_STRUCTURE_PARENTE].len ? xstrdup(p->f[LF_STRUCTURE_PARENTE].buf) : NULL;
	l->line = im->line;
}

/*
 * Whether the new place's commune may hold a structure it duplicates: one
 * that was there before this import, or one of another source in it. Most
 * communes hold neither, and this spares their query.
 */
static bool may_have_duplicates(struct importer *im)
{
	struct place *p = &im->p;
	struct hmap_entry *src, *com;
	int created;
	src = hmap_put(&im->sources, p->f[LF_SOURCE].buf, p->f[LF_SOURCE].len, &created);
	if (created)
		src->num = (long long)im->sources.n;
	com = hmap_put(&im->communes, p->f[LF_CODE_INSEE].buf, p->f[LF_CODE_INSEE].len, &created);
	if (created) {
		com->num = src->num;
		return false;
	}
	if (com->num == src->num)
		return false;
	com->num = -1;
	return true;
}

static int store_row(struct importer *im)
{
	struct place *p = &im->p;
	sqlite3_stmt *st = im->st[ST_FIND];
	sqlite3_int64 id = 0;
	bool is_new;
	int changed = 0, rc;

	import_bind_opt(st, 1, p->f[LF_SOURCE].buf, p->f[LF_SOURCE].len);
	sqlite3_bind_text(st, 2, p->f[LF_ID].buf, (int)p->f[LF_ID].len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(im->db, "structures");
	is_new = id == 0;
	if (is_new) {
		/* new places are recorded in bulk at commit (history_bulk) */
		history_track(im->db, false);
		st = im->st[ST_INSERT];
		bind_place(st, p);
		if (p->horaires_ok >= 0)
			sqlite3_bind_int(st, 35, p->horaires_ok);
		else
			sqlite3_bind_null(st, 35);
		if (import_step_done(im->db, st, "structures"))
			return -1;
		id = sqlite3_last_insert_rowid(im->db);
		changed = 1;
	} else {
		st = im->st[ST_UPDATE];
		bind_place(st, p);
		sqlite3_bind_int64(st, 34, id);
		if (import_step_done(im->db, st, "structures"))
			return -1;
		changed = sqlite3_changes(im->db) > 0;
	}
	rc = store_themes(im, id, is_new);
	history_track(im->db, true);
	if (rc < 0)
		return -1;
	changed |= rc;
	/* new structures are indexed together at the end (structure_index_new) */
	if (changed && !is_new && structure_indexer_run(im->ix, id))
		return -1;
	remember_parent(im, id, is_new);
	if (is_new) {
		im->rep->inserted++;
		if (p->f[LF_CODE_INSEE].len && find_duplicates(im, id, may_have_duplicates(im)))
			return -1;
	} else if (changed) {
		im->rep->updated++;
	} else {
		im->rep->unchanged++;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The file                                                            */
/* ------------------------------------------------------------------ */

/* Maps the header onto fields and detects the version. 0, or -1 (qfq_error). */
static int read_header(struct importer *im, const struct csv_row *row)
{
	bool v1 = false, v0 = false;
	size_t i, k;
	int f;

	for (f = 0; f < LF_N; f++)
		im->col_of[f] = -1;
	for (i = 0; i < row->n; i++) {
		struct strbuf name = STRBUF_INIT;
		const char *h;
		add_clean(&name, row->fields[i], row->lens[i], true);
		for (k = 0; k < name.len; k++)
			name.buf[k] = (char)tolower((unsigned char)name.buf[k]);
		h = name.buf;
		for (f = 0; f < LF_N && strcmp(h, field_names[f]); f++)
			;
		if (f < LF_N) {
			if (f == LF_COURRIELS || f == LF_PUBLICS || f == LF_PRISE_EN_CHARGE ||
			    f == LF_FRAIS || f == LF_MODALITES_ACCES || f == LF_DISPOSITIFS ||
			    f == LF_FICHE_ACCES_LIBRE)
				v1 = true;
		} else {
			for (k = 0; k < sizeof(old_names) / sizeof(*old_names); k++)
				if (!strcmp(h, old_names[k].name))
					break;
			if (k < sizeof(old_names) / sizeof(*old_names)) {
				f = old_names[k].field;
				v0 = true;
			}
		}
		if (f < LF_N && im->col_of[f] < 0) {
			im->col_of[f] = (int)i;
		} else if (f < LF_N) {
			strbuf_release(&name);
			return qfq_error(_("line %lu: columns %d and %zu are both \"%s\" in \"%s\": keep one"),
					 row->line, im->col_of[f] + 1, i + 1, field_names[f], im->path);
		} else if (*h) {
			for (k = 0; k < sizeof(ignored_names) / sizeof(*ignored_names); k++)
				if (!strcmp(h, ignored_names[k]))
					break;
			im->line = row->line;
			if (k == sizeof(ignored_names) / sizeof(*ignored_names))
				issue_col(im, IMPORT_WARNING, i + 1, _("unknown column \"%s\" ignored"), h);
		}
		strbuf_release(&name);
	}
	im->p.bad = false;
	if (!v0 && !v1)
		return qfq_error(_("line 1: not the schéma des lieux de médiation numérique "
				   "(no courriels or courriel column) in \"%s\""), im->path);
	im->version = v1 ? LIEUX_V1 : LIEUX_V0;
	im->rep->version = im->version;
	static const enum lieux_field needed[] = { LF_ID, LF_NOM, LF_CODE_POSTAL };
	for (i = 0; i < sizeof(needed) / sizeof(*needed); i++)
		if (im->col_of[needed[i]] < 0)
			return qfq_error(_("line 1: no \"%s\" column in \"%s\""), field_names[needed[i]], im->path);
	if (im->col_of[LF_COMMUNE] < 0 && im->col_of[LF_CODE_INSEE] < 0)
		return qfq_error(_("line 1: no \"commune\" nor \"code_insee\" column in \"%s\""), im->path);
	return 0;
}

/* A second (source, id) in the same file is an error naming the first line. */
static void check_duplicate(struct importer *im)
{
	struct strbuf key = STRBUF_INIT;
	struct hmap_entry *e;
	int created;
	strbuf_addf(&key, "%s\x1f%s", im->p.f[LF_SOURCE].buf, im->p.f[LF_ID].buf);
	e = hmap_put(&im->seen, key.buf, key.len, &created);
	if (created)
		e->num = (long long)im->line;
	else
		issue(im, IMPORT_ERROR, LF_ID, _("id: \"%s\" already at line %lld"), im->p.f[LF_ID].buf,
		      e->num);
	strbuf_release(&key);
}

/*
 * Links structure_parente once every row is in: the parent is the place of
 * the same source with that id; one that is not there is reported.
 */
static int link_parents(struct importer *im)
{
	sqlite3_stmt *find = im->st[ST_FIND], *set = im->st[ST_SET_PARENT];
	size_t i;
	int rc;

	for (i = 0; i < im->n_links; i++) {
		const struct parent_link *l = &im->links[i];
		sqlite3_int64 parent = 0;
		if (l->parent) {
			sqlite3_bind_text(find, 1, l->source, -1, SQLITE_STATIC);
			sqlite3_bind_text(find, 2, l->parent, -1, SQLITE_STATIC);
			rc = sqlite3_step(find);
			if (rc == SQLITE_ROW)
				parent = sqlite3_column_int64(find, 0);
			sqlite3_reset(find);
			if (rc != SQLITE_ROW && rc != SQLITE_DONE)
				return db_error(im->db, "structures");
			if (!parent) {
				im->line = l->line;
				issue(im, IMPORT_WARNING, LF_STRUCTURE_PARENTE,
				      _("structure_parente: no place \"%s\" in this source"), l->parent);
			}
		}
		sqlite3_bind_int64(set, 1, l->id);
		if (parent && parent != l->id)
			sqlite3_bind_int64(set, 2, parent);
		else
			sqlite3_bind_null(set, 2);
		history_track(im->db, l->id <= im->max_id);
		rc = import_step_done(im->db, set, "structures");
		history_track(im->db, true);
		if (rc)
			return -1;
	}
	return 0;
}

static int read_max_id(struct importer *im)
{
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(im->db, "SELECT ifnull(max(id), 0) FROM structures", &st))
		return -1;
	rc = sqlite3_step(st);
	im->max_id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(im->db, "structures");
}

static int prepare_all(struct importer *im)
{
	if (import_prepare(im->db, stmt_sql, ST_N, im->st))
		return -1;
	return structure_indexer_open(im->db, &im->ix);
}

static void importer_release(struct importer *im)
{
	size_t i;
	int f;
	import_finalize(im->st, ST_N);
	structure_indexer_close(im->ix);
	name_table_clear(&im->services);
	name_table_clear(&im->legacy);
	name_table_clear(&im->typologies);
	for (f = 0; f < LF_N; f++) {
		name_table_clear(&im->vocab[f]);
		strbuf_release(&im->p.f[f]);
		strbuf_release(&im->raw[f]);
	}
	for (i = 0; i < im->n_nocommune; i++) {
		free(im->nocommune[i].nom);
		name_tokens_free(im->nocommune[i].tok);
	}
	free(im->nocommune);
	for (i = 0; i < im->commune_cache.cap; i++)
		if (im->commune_cache.v[i].key)
			commune_hit_free(im->commune_cache.v[i].ptr);
	hmap_clear(&im->commune_cache);
	hmap_clear(&im->seen);
	hmap_clear(&im->item_cache);
	hmap_clear(&im->sources);
	hmap_clear(&im->communes);
	for (i = 0; i < im->n_links; i++) {
		free(im->links[i].source);
		free(im->links[i].parent);
	}
	free(im->links);
	strbuf_release(&im->p.tags);
	strbuf_release(&im->p.nom_norm);
	strbuf_release(&im->tmp);
	strbuf_release(&im->tmp2);
	for (i = 0; i < MAX_ITEMS; i++)
		strbuf_release(&im->items[i]);
}

int lieux_import(sqlite3 *db, const char *path, const struct lieux_options *opt,
		 struct lieux_report *rep)
{
	static const struct lieux_options defaults = { 0 };
	struct importer im = { .db = db, .path = path, .rep = rep, .opt = opt ? opt : &defaults };
	struct csv_reader *r = NULL;
	struct csv_options co = { 0 };
	struct csv_row row;
	bool header = true, begun = false;
	int rc = -1, next;
	size_t f;

	for (f = 0; f < LF_N; f++) {
		strbuf_init(&im.p.f[f], 0);
		strbuf_init(&im.raw[f], 0);
	}
	strbuf_init(&im.p.tags, 0);
	strbuf_init(&im.p.nom_norm, 0);
	strbuf_init(&im.tmp, 0);
	strbuf_init(&im.tmp2, 0);
	for (f = 0; f < MAX_ITEMS; f++)
		strbuf_init(&im.items[f], 0);
	co.encoding = opt ? opt->encoding : NULL;
	if (csv_open(&r, path, &co))
		goto done;
	rep->encoding = csv_encoding(r);
	/* 8 MB: a larger cache spilled less to the WAL when every imported row went
	 * through the history too; now it only raised the peak memory (issue 11) */
	if (db_exec(db, "PRAGMA cache_size = -8192") || db_begin(db))
		goto done;
	begun = true;
	if (load_tables(&im) || load_candidates(&im) || prepare_all(&im) || read_max_id(&im) ||
	    history_bulk(db, im.max_id))
		goto done;
	while ((next = csv_next(r, &row)) == 1) {
		im.line = row.line;
		if (header) {
			if (read_header(&im, &row))
				goto done;
			header = false;
			continue;
		}
		rep->rows++;
		import_progress(r, opt->progress, opt->progress_arg, (unsigned long)rep->rows);
		check_row(&im, &row);
		if (!im.p.bad)
			check_duplicate(&im);
		if (im.p.bad) {
			rep->bad_rows++;
			continue;
		}
		if (store_row(&im))
			goto done;
	}
	if (next < 0)
		goto done;
	if (header) {
		qfq_error(_("line 1: empty file, expected a header row in \"%s\""), path);
		goto done;
	}
	if (link_parents(&im) || structure_index_new(db, im.max_id))
		goto done;
	if (rep->bad_rows && !im.opt->skip_bad_rows) {
		db_rollback(db);
		begun = false;
		rc = 1;
		goto done;
	}
	if (im.opt->dry_run) {
		db_rollback(db);
	} else {
		db_audit(db, "import", "structures", 0, path);
		if (db_commit(db))
			goto done;
		rep->committed = true;
	}
	begun = false;
	rc = 0;
done:
	if (rc < 0 && qfq_error_msg()[0] && !strstr(qfq_error_msg(), path))
		qfq_error_prefix("\"%s\"", path);
	importer_release(&im);
	if (begun)
		db_rollback(db);
	csv_close(r);
	return rc;
}

void lieux_report_clear(struct lieux_report *rep)
{
	import_msgs_clear(&rep->issues);
	memset(rep, 0, sizeof(*rep));
}
