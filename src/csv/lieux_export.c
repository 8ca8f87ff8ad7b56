/*
 * lieux_export: structures out in the current (1.x) form of the national
 * standard for digital-mediation places (see lieux.h), in a file the
 * standard's validator accepts as it is: the fields of the schema v1.0.2
 * (tests/data/schema/schema.json) in the schema's order (a Table Schema
 * validator reads columns by position), and only values the schema takes.
 *
 * Validity: each row is checked against the schema's constraints before it
 * is written (required fields, the patterns of pivot, code_postal,
 * code_insee and telephone, the date, presentation_resume's maxLength, the
 * closed vocabularies, the unique id). A required value at fault leaves the
 * place out; an optional one is left empty; a formations_labels item
 * outside the schema's list moves to autres_formations_labels, the field
 * the standard has for them. The caller hears of every place concerned
 * (filter->note); with include_invalid everything goes out as it is.
 *
 * Byte-exact round trips shape the other choices: rows come out in id order
 * (an import numbers them in file order), coordinates in the shortest form
 * that reads back as the same double, only a place's own coordinates (a
 * commune centre is not the place's position), services as the standard
 * labels of the themes' top-level ancestors in crosswalk order, and the
 * `id` is the id the place has in its source, so the source can match it.
 */
#include "csv/lieux.h"
#include "core/date.h"
#include "core/text.h"
#include "db/db.h"
#include "out/json.h"
#include "out/out.h"
#include "util/error.h"
#include "util/hmap.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The fields of the schema v1.0.2, in its order: CSV columns and JSON keys. */
static const enum lieux_field schema_order[LF_N] = {
	LF_ID, LF_PIVOT, LF_NOM, LF_COMMUNE, LF_CODE_POSTAL, LF_CODE_INSEE, LF_ADRESSE,
	LF_COMPLEMENT_ADRESSE, LF_LATITUDE, LF_LONGITUDE, LF_TYPOLOGIE, LF_TELEPHONE,
	LF_COURRIELS, LF_SITE_WEB, LF_HORAIRES, LF_PRESENTATION_RESUME, LF_PRESENTATION_DETAIL,
	LF_SOURCE, LF_ITINERANCE, LF_STRUCTURE_PARENTE, LF_DATE_MAJ, LF_SERVICES, LF_PUBLICS,
	LF_PRISE_EN_CHARGE, LF_FRAIS, LF_DISPOSITIFS, LF_FORMATIONS_LABELS,
	LF_AUTRES_FORMATIONS_LABELS, LF_MODALITES_ACCES, LF_MODALITES_ACCOMPAGNEMENT,
	LF_FICHE_ACCES_LIBRE, LF_PRISE_RDV,
};

/*
 * formations_labels of v1.0.2, spelled as the schema's pattern accepts them
 * ("Étapes numériques(La Poste)" has no space there, unlike its description;
 * see tests/data/schema/README.md). The importer keeps this field as an
 * open list, so items are matched here loosely (text_norm, one typo).
 */
static const char *const formations_labels[] = {
	"Formé à « Mon Espace Santé »", "Formé à « DUPLEX » (illetrisme)",
	"Arnia/MedNum BFC (Bourgogne-Franche-Comté)",
	"Collectif ressources et acteurs réemploi (Normandie)", "Étapes numériques(La Poste)",
	"Fabriques de Territoire", "Les Éclaireurs du numérique (Drôme)",
	"Mes Papiers (Métropole de Lyon)", "ORDI 3.0", "SUD LABS (PACA)",
};
#define N_LABELS (sizeof(formations_labels) / sizeof(*formations_labels))

/* telephone: the schema's country codes, then 6 to 9 digits. */
static const char *const phone_prefixes[] = { "+33", "+590", "+594", "+262", "+596", "+269",
	"+687", "+689", "+508", "+681" };

/* Columns of the main query: one per 1.x field (LF_SERVICES filled apart). */
static const char export_sql[] =
	"SELECT coalesce(s.source_id, 'qfq-' || s.id), s.nom, s.siret, "
	"(SELECT p.source_id FROM structures p WHERE p.id = s.parent_id AND p.source IS s.source), "
	"s.typologie, c.nom, s.code_postal, s.code_insee, s.adresse, s.complement_adresse, "
	"CASE WHEN s.coord_exact THEN s.latitude END, CASE WHEN s.coord_exact THEN s.longitude END, "
	"s.telephone, s.courriels, s.site_web, s.horaires, s.prise_rdv, s.presentation_resume, "
	"s.presentation_detail, NULL, s.publics, s.prise_en_charge, s.frais, s.modalites_acces, "
	"s.modalites_accompagnement, s.fiche_acces_libre, s.itinerance, s.dispositifs, "
	"s.formations_labels, s.autres_formations_labels, s.source, s.date_maj, s.id "
	"FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee "
	"WHERE (?1 IS NULL OR c.departement = ?1) AND (?2 IS NULL OR s.code_insee = ?2) "
	"ORDER BY s.id";

static const char services_sql[] =
	"SELECT top.standard FROM structure_themes st JOIN themes t ON t.id = st.theme_id "
	"JOIN themes top ON top.id = coalesce(t.parent_id, t.id) "
	"WHERE st.structure_id = ?1 AND top.standard IS NOT NULL "
	"GROUP BY top.id ORDER BY min(top.position), top.id";

/* At most this many problems are named per row (the row is still checked whole). */
#define MAX_PROBLEMS 24

/* One exported place: the 1.x values as text ("" when empty). */
struct row {
	struct strbuf f[LF_N];
	double lat, lon;
	bool has_coords;
	long long structure_id;
};

struct exporter {
	sqlite3 *db;
	sqlite3_stmt *st, *sv;
	const struct lieux_export_filter *filter;
	bool fix;                           /* drop what breaks the schema */
	struct row r;
	struct hmap ids;                    /* ids already written */
	struct strbuf norm, list;
	char *label_norm[N_LABELS];
	struct lieux_export_problem probs[MAX_PROBLEMS];
	struct strbuf prob_values[MAX_PROBLEMS];
	struct strbuf renamed;
	size_t n_probs;
	bool left_out;
};

/* The shortest decimal form of v that reads back as v. */
static void add_double(struct strbuf *sb, double v)
{
	char buf[40];
	int prec;
	for (prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	strbuf_addstr(sb, buf);
}

/* ------------------------------------------------------------------ */
/* The schema's constraints                                            */
/* ------------------------------------------------------------------ */

static bool digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* ^[a-zA-Z0-9]{9,14}$: SIREN, SIRET, RNA (W + 9 digits), RIDET. */
static bool pivot_ok(const char *s)
{
	size_t i, n = strlen(s);
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return false;
	return n >= 9 && n <= 14;
}

/* ^\d{5}$ */
static bool postcode_ok(const char *s)
{
	return strlen(s) == 5 && digits(s, 5);
}

/* ^([013-9]\d|2[AB1-9])\d{3}$ */
static bool insee_ok(const char *s)
{
	if (strlen(s) != 5 || !digits(s + 2, 3))
		return false;
	if (s[0] == '2')
		return s[1] == 'A' || s[1] == 'B' || (s[1] >= '1' && s[1] <= '9');
	return isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]);
}

/* ^(\+33|\+590|...)(\d){6,9}$ */
static bool phone_ok(const char *s)
{
	size_t i, n = strlen(s);
	for (i = 0; i < sizeof(phone_prefixes) / sizeof(*phone_prefixes); i++) {
		size_t p = strlen(phone_prefixes[i]);
		if (!strncmp(s, phone_prefixes[i], p) && n - p >= 6 && n - p <= 9 && digits(s + p, n - p))
			return true;
	}
	return false;
}

/* Table Schema date, format default: YYYY-MM-DD, a real day. */
static bool date_ok(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) || !digits(s + 5, 2) ||
	    !digits(s + 8, 2))
		return false;
	return date_exists(atoi(s), atoi(s + 5), atoi(s + 8));
}

/* Characters (code points) in valid UTF-8: maxLength counts those, not bytes. */
static size_t utf8_chars(const char *s, size_t len)
{
	size_t i, n = 0;
	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* ------------------------------------------------------------------ */
/* Checking a row                                                      */
/* ------------------------------------------------------------------ */

static void problem(struct exporter *ex, enum lieux_field f, enum lieux_export_why why,
		    const char *value, size_t len, bool required)
{
	struct lieux_export_problem *p;
	if (required)
		ex->left_out = true;
	if (ex->n_probs >= MAX_PROBLEMS)
		return;
	p = &ex->probs[ex->n_probs];
	strbuf_reset(&ex->prob_values[ex->n_probs]);
	strbuf_add(&ex->prob_values[ex->n_probs], value, len);
	p->field = f;
	p->why = why;
	p->value = ex->prob_values[ex->n_probs].buf;
	p->to = NULL;
	ex->n_probs++;
}

/* A required field: present, and of the schema's form when ok is given. */
static void check_required(struct exporter *ex, enum lieux_field f, bool (*ok)(const char *))
{
	const struct strbuf *v = &ex->r.f[f];
	if (!v->len)
		problem(ex, f, LIEUX_EMPTY, "", 0, true);
	else if (ok && !ok(v->buf))
		problem(ex, f, LIEUX_FORM, v->buf, v->len, true);
}

/* An optional field of a given form: left empty when it breaks it. */
static void check_optional(struct exporter *ex, enum lieux_field f, bool (*ok)(const char *))
{
	struct strbuf *v = &ex->r.f[f];
	if (!v->len || ok(v->buf))
		return;
	problem(ex, f, LIEUX_FORM, v->buf, v->len, false);
	if (ex->fix)
		strbuf_reset(v);
}

static bool in_list(const char *const *vocab, const char *s, size_t len)
{
	for (; *vocab; vocab++)
		if (strlen(*vocab) == len && !memcmp(*vocab, s, len))
			return true;
	return false;
}

/* A '|' list with a closed vocabulary: items outside it are noted (and dropped). */
static void check_vocabulary(struct exporter *ex, enum lieux_field f)
{
	const char *const *vocab = lieux_vocabulary(f);
	struct strbuf *v = &ex->r.f[f];
	const char *p = v->buf;
	bool dropped = false;

	if (!vocab || !v->len)
		return;
	strbuf_reset(&ex->list);
	while (*p) {
		size_t len = strcspn(p, "|");
		if (in_list(vocab, p, len) || !ex->fix) {
			if (ex->list.len)
				strbuf_addch(&ex->list, '|');
			strbuf_add(&ex->list, p, len);
		} else {
			dropped = true;
		}
		if (!in_list(vocab, p, len))
			problem(ex, f, LIEUX_NOT_IN_LIST, p, len, false);
		p += len + (p[len] == '|');
	}
	if (dropped) {
		strbuf_reset(v);
		strbuf_add(v, ex->list.buf, ex->list.len);
	}
}

/* The schema's spelling of a formations_labels item, or NULL. */
static const char *formation_label(struct exporter *ex, const char *s, size_t len)
{
	size_t i;
	strbuf_reset(&ex->norm);
	text_norm(&ex->norm, s, len);
	for (i = 0; i < N_LABELS; i++)
		if (text_distance(ex->norm.buf, ex->label_norm[i], 1) <= 1)
			return formations_labels[i];
	return NULL;
}

static void list_add_unique(struct strbuf *list, const char *s, size_t len)
{
	const char *p = list->buf;
	while (list->len && *p) {
		size_t l = strcspn(p, "|");
		if (l == len && !memcmp(p, s, len))
			return;
		p += l + (p[l] == '|');
	}
	if (list->len)
		strbuf_addch(list, '|');
	strbuf_add(list, s, len);
}

/*
 * formations_labels: the schema's labels in its spelling; any other item
 * goes to autres_formations_labels ("formations ou labels non proposés dans
 * le champ Formations et labels").
 */
static void map_formations(struct exporter *ex)
{
	struct strbuf *v = &ex->r.f[LF_FORMATIONS_LABELS];
	struct strbuf *other = &ex->r.f[LF_AUTRES_FORMATIONS_LABELS];
	const char *p = v->buf;

	if (!v->len)
		return;
	strbuf_reset(&ex->list);
	while (*p) {
		size_t len = strcspn(p, "|");
		const char *label = formation_label(ex, p, len);
		if (label)
			list_add_unique(&ex->list, label, strlen(label));
		else
			list_add_unique(other, p, len);
		p += len + (p[len] == '|');
	}
	strbuf_reset(v);
	strbuf_add(v, ex->list.buf, ex->list.len);
}

/* The id must be unique in the file: a second place with it gets qfq's own. */
static void check_id(struct exporter *ex)
{
	struct strbuf *id = &ex->r.f[LF_ID];
	struct lieux_export_problem *p;
	int created;

	if (!id->len || ex->left_out || !hmap_get(&ex->ids, id->buf, id->len))
		goto keep;
	problem(ex, LF_ID, LIEUX_DUPLICATE_ID, id->buf, id->len, false);
	if (!ex->fix)
		return;
	strbuf_reset(&ex->renamed);
	strbuf_addf(&ex->renamed, "qfq-%lld", ex->r.structure_id);
	p = ex->n_probs ? &ex->probs[ex->n_probs - 1] : NULL;
	if (hmap_get(&ex->ids, ex->renamed.buf, ex->renamed.len)) {
		ex->left_out = true;
		return;
	}
	if (p && p->why == LIEUX_DUPLICATE_ID)
		p->to = ex->renamed.buf;
	strbuf_reset(id);
	strbuf_add(id, ex->renamed.buf, ex->renamed.len);
keep:
	if (id->len && !ex->left_out)
		hmap_put(&ex->ids, id->buf, id->len, &created);
}

/* Checks the row against the schema; with ex->fix, makes it valid or left_out. */
static void check_row(struct exporter *ex)
{
	static const enum lieux_field vocabularies[] = { LF_ITINERANCE, LF_PUBLICS,
		LF_PRISE_EN_CHARGE, LF_FRAIS, LF_DISPOSITIFS, LF_MODALITES_ACCES,
		LF_MODALITES_ACCOMPAGNEMENT };
	struct strbuf *resume = &ex->r.f[LF_PRESENTATION_RESUME];
	size_t i;

	ex->n_probs = 0;
	ex->left_out = false;
	check_required(ex, LF_ID, NULL);
	check_required(ex, LF_PIVOT, pivot_ok);
	check_required(ex, LF_NOM, NULL);
	check_required(ex, LF_COMMUNE, NULL);
	check_required(ex, LF_CODE_POSTAL, postcode_ok);
	check_optional(ex, LF_CODE_INSEE, insee_ok);
	check_required(ex, LF_ADRESSE, NULL);
	check_optional(ex, LF_TELEPHONE, phone_ok);
	if (utf8_chars(resume->buf, resume->len) > LIEUX_RESUME_MAX) {
		problem(ex, LF_PRESENTATION_RESUME, LIEUX_TOO_LONG, resume->buf, resume->len, false);
		if (ex->fix)
			strbuf_reset(resume);
	}
	check_required(ex, LF_DATE_MAJ, date_ok);
	check_required(ex, LF_SERVICES, NULL);
	for (i = 0; i < sizeof(vocabularies) / sizeof(*vocabularies); i++)
		check_vocabulary(ex, vocabularies[i]);
	map_formations(ex);
	check_id(ex);
	if (!ex->fix)
		ex->left_out = false;
}

static void tell(struct exporter *ex)
{
	struct lieux_export_note n;
	if (!ex->n_probs && !ex->left_out)
		return;
	if (!ex->filter || !ex->filter->note)
		return;
	n.structure_id = ex->r.structure_id;
	n.nom = ex->r.f[LF_NOM].buf;
	n.outcome = ex->left_out ? LIEUX_LEFT_OUT : ex->fix ? LIEUX_VALUES_DROPPED
							      : LIEUX_WRITTEN_INVALID;
	n.n = ex->n_probs;
	n.v = ex->probs;
	ex->filter->note(ex->filter->note_ctx, &n);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */
/* ------------------------------------------------------------------ */

static void write_csv_header(FILE *fp)
{
	int i;
	for (i = 0; i < LF_N; i++) {
		if (i)
			fputc(',', fp);
		fputs(lieux_field_name(schema_order[i]), fp);
	}
	fputs("\r\n", fp);
}

/* Cells go through the csv writer of every format (out/out.h): sanitized,
 * quoted, with the spreadsheet formula guard. */
static void write_csv_row(FILE *fp, const struct row *r, struct strbuf *line)
{
	int i;
	strbuf_reset(line);
	for (i = 0; i < LF_N; i++) {
		const struct strbuf *v = &r->f[schema_order[i]];
		if (i)
			strbuf_addch(line, ',');
		out_csv_cell(line, v->buf, v->len);
	}
	strbuf_addstr(line, "\r\n");
	fwrite(line->buf, 1, line->len, fp);
}

static bool is_list_field(enum lieux_field f)
{
	switch (f) {
	case LF_TYPOLOGIE: case LF_COURRIELS: case LF_SITE_WEB: case LF_SERVICES:
	case LF_PUBLICS: case LF_PRISE_EN_CHARGE: case LF_FRAIS: case LF_MODALITES_ACCES:
	case LF_MODALITES_ACCOMPAGNEMENT: case LF_ITINERANCE: case LF_DISPOSITIFS:
	case LF_FORMATIONS_LABELS: case LF_AUTRES_FORMATIONS_LABELS:
		return true;
	default:
		return false;
	}
}

static void write_json_row(struct json_writer *jw, const struct row *r)
{
	int i;
	json_object_begin(jw);
	for (i = 0; i < LF_N; i++) {
		enum lieux_field f = schema_order[i];
		const char *p = r->f[f].buf;
		json_key(jw, lieux_field_name(f));
		if (f == LF_LATITUDE || f == LF_LONGITUDE) {
			if (r->has_coords)
				json_double(jw, f == LF_LATITUDE ? r->lat : r->lon, 15);
			else
				json_null(jw);
		} else if (is_list_field(f)) {
			json_array_begin(jw);
			while (*p) {
				size_t len = strcspn(p, "|");
				json_strn(jw, p, len);
				p += len + (p[len] == '|');
			}
			json_array_end(jw);
		} else if (r->f[f].len) {
			json_str(jw, p);
		} else {
			json_null(jw);
		}
	}
	json_object_end(jw);
}

/* Reads the current row of ex->st (and its services) into ex->r. */
static int read_row(struct exporter *ex)
{
	sqlite3_stmt *st = ex->st, *sv = ex->sv;
	struct row *r = &ex->r;
	int f, rc;

	for (f = 0; f < LF_N; f++) {
		const unsigned char *t = sqlite3_column_text(st, f);
		strbuf_reset(&r->f[f]);
		if (f == LF_LATITUDE || f == LF_LONGITUDE)
			continue;
		if (t)
			strbuf_addstr(&r->f[f], (const char *)t);
	}
	r->structure_id = sqlite3_column_int64(st, LF_N);
	r->has_coords = sqlite3_column_type(st, LF_LATITUDE) != SQLITE_NULL &&
			sqlite3_column_type(st, LF_LONGITUDE) != SQLITE_NULL;
	if (r->has_coords) {
		r->lat = sqlite3_column_double(st, LF_LATITUDE);
		r->lon = sqlite3_column_double(st, LF_LONGITUDE);
		add_double(&r->f[LF_LATITUDE], r->lat);
		add_double(&r->f[LF_LONGITUDE], r->lon);
	}
	sqlite3_bind_int64(sv, 1, r->structure_id);
	while ((rc = sqlite3_step(sv)) == SQLITE_ROW) {
		if (r->f[LF_SERVICES].len)
			strbuf_addch(&r->f[LF_SERVICES], '|');
		strbuf_addstr(&r->f[LF_SERVICES], (const char *)sqlite3_column_text(sv, 0));
	}
	sqlite3_reset(sv);
	return rc == SQLITE_DONE ? 0 : db_error(ex->db, "structure_themes");
}

static void exporter_init(struct exporter *ex, sqlite3 *db, const struct lieux_export_filter *filter)
{
	size_t i;
	memset(ex, 0, sizeof(*ex));
	ex->db = db;
	ex->filter = filter;
	ex->fix = !(filter && filter->include_invalid);
	for (i = 0; i < LF_N; i++)
		strbuf_init(&ex->r.f[i], 0);
	for (i = 0; i < MAX_PROBLEMS; i++)
		strbuf_init(&ex->prob_values[i], 0);
	strbuf_init(&ex->norm, 0);
	strbuf_init(&ex->list, 0);
	strbuf_init(&ex->renamed, 0);
	for (i = 0; i < N_LABELS; i++)
		ex->label_norm[i] = text_norm_dup(formations_labels[i]);
}

static void exporter_clear(struct exporter *ex)
{
	size_t i;
	for (i = 0; i < LF_N; i++)
		strbuf_release(&ex->r.f[i]);
	for (i = 0; i < MAX_PROBLEMS; i++)
		strbuf_release(&ex->prob_values[i]);
	strbuf_release(&ex->norm);
	strbuf_release(&ex->list);
	strbuf_release(&ex->renamed);
	for (i = 0; i < N_LABELS; i++)
		free(ex->label_norm[i]);
	hmap_clear(&ex->ids);
	sqlite3_finalize(ex->st);
	sqlite3_finalize(ex->sv);
}

int lieux_export(sqlite3 *db, const struct lieux_export_filter *filter,
		 enum lieux_export_format format, FILE *fp, long *written, long *skipped)
{
	struct exporter ex;
	struct json_writer jw;
	struct strbuf line = STRBUF_INIT;
	int rc = -1, step;

	*written = *skipped = 0;
	exporter_init(&ex, db, filter);
	if (db_prepare(db, export_sql, &ex.st) || db_prepare(db, services_sql, &ex.sv))
		goto done;
	if (filter && filter->departement)
		sqlite3_bind_text(ex.st, 1, filter->departement, -1, SQLITE_STATIC);
	if (filter && filter->code_insee)
		sqlite3_bind_text(ex.st, 2, filter->code_insee, -1, SQLITE_STATIC);
	if (format == LIEUX_JSON) {
		json_init(&jw, fp, true);
		json_array_begin(&jw);
	} else {
		write_csv_header(fp);
	}
	while ((step = sqlite3_step(ex.st)) == SQLITE_ROW) {
		if (read_row(&ex))
			goto done;
		check_row(&ex);
		tell(&ex);
		if (ex.left_out) {
			(*skipped)++;
			continue;
		}
		if (format == LIEUX_JSON)
			write_json_row(&jw, &ex.r);
		else
			write_csv_row(fp, &ex.r, &line);
		(*written)++;
	}
	if (step != SQLITE_DONE) {
		db_error(db, "structures");
		goto done;
	}
	if (format == LIEUX_JSON) {
		json_array_end(&jw);
		if (json_finish(&jw))
			goto write_failed;
	}
	if (fflush(fp) || ferror(fp))
		goto write_failed;
	rc = 0;
	goto done;
write_failed:
	qfq_error(_("cannot write the export"));
done:
	strbuf_release(&line);
	exporter_clear(&ex);
	return rc;
}
