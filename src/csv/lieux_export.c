/*
 * lieux_export: structures out in the current (1.x) form of the national
 * standard for digital-mediation places (see lieux.h).
 *
 * Byte-exact round trips shape the choices here: rows come out in id order
 * (an import numbers them in file order), coordinates in the shortest form
 * that reads back as the same double, only a place's own coordinates (a
 * commune centre is not the place's position), services as the standard
 * labels of the themes' top-level ancestors in crosswalk order, and the
 * `id` is the id the place has in its source, so the source can match it.
 */
#include "csv/lieux.h"
#include "db/db.h"
#include "out/json.h"
#include "out/out.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>

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

/* One exported place: the 1.x values as text ("" when empty). */
struct row {
	struct strbuf f[LF_N];
	double lat, lon;
	bool has_coords;
};

static void write_csv_header(FILE *fp)
{
	int f;
	for (f = 0; f < LF_N; f++) {
		if (f)
			fputc(',', fp);
		fputs(lieux_field_name(f), fp);
	}
	fputs("\r\n", fp);
}

/* Cells go through the csv writer of every format (out/out.h): sanitized,
 * quoted, with the spreadsheet formula guard. */
static void write_csv_row(FILE *fp, const struct row *r, struct strbuf *line)
{
	int f;
	strbuf_reset(line);
	for (f = 0; f < LF_N; f++) {
		if (f)
			strbuf_addch(line, ',');
		out_csv_cell(line, r->f[f].buf, r->f[f].len);
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
	int f;
	json_object_begin(jw);
	for (f = 0; f < LF_N; f++) {
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

/* Reads the current row of st (and its services) into r. */
static int read_row(sqlite3 *db, sqlite3_stmt *st, sqlite3_stmt *sv, struct row *r)
{
	int f, rc;
	for (f = 0; f < LF_N; f++) {
		const unsigned char *t = sqlite3_column_text(st, f);
		strbuf_reset(&r->f[f]);
		if (f == LF_LATITUDE || f == LF_LONGITUDE)
			continue;
		if (t)
			strbuf_addstr(&r->f[f], (const char *)t);
	}
	r->has_coords = sqlite3_column_type(st, LF_LATITUDE) != SQLITE_NULL &&
			sqlite3_column_type(st, LF_LONGITUDE) != SQLITE_NULL;
	if (r->has_coords) {
		r->lat = sqlite3_column_double(st, LF_LATITUDE);
		r->lon = sqlite3_column_double(st, LF_LONGITUDE);
		add_double(&r->f[LF_LATITUDE], r->lat);
		add_double(&r->f[LF_LONGITUDE], r->lon);
	}
	sqlite3_bind_int64(sv, 1, sqlite3_column_int64(st, LF_N));
	while ((rc = sqlite3_step(sv)) == SQLITE_ROW) {
		if (r->f[LF_SERVICES].len)
			strbuf_addch(&r->f[LF_SERVICES], '|');
		strbuf_addstr(&r->f[LF_SERVICES], (const char *)sqlite3_column_text(sv, 0));
	}
	sqlite3_reset(sv);
	return rc == SQLITE_DONE ? 0 : db_error(db, "structure_themes");
}

static bool complete(const struct row *r)
{
	static const enum lieux_field required[] = { LF_ID, LF_NOM, LF_PIVOT, LF_COMMUNE,
		LF_CODE_POSTAL, LF_ADRESSE, LF_DATE_MAJ };
	size_t i;
	for (i = 0; i < sizeof(required) / sizeof(*required); i++)
		if (!r->f[required[i]].len)
			return false;
	return true;
}

int lieux_export(sqlite3 *db, const struct lieux_export_filter *filter,
		 enum lieux_export_format format, FILE *fp, long *written, long *skipped)
{
	sqlite3_stmt *st = NULL, *sv = NULL;
	struct json_writer jw;
	struct strbuf line = STRBUF_INIT;
	struct row r;
	int rc = -1, step, f;

	*written = *skipped = 0;
	for (f = 0; f < LF_N; f++)
		strbuf_init(&r.f[f], 0);
	if (db_prepare(db, export_sql, &st) || db_prepare(db, services_sql, &sv))
		goto done;
	if (filter && filter->departement)
		sqlite3_bind_text(st, 1, filter->departement, -1, SQLITE_STATIC);
	if (filter && filter->code_insee)
		sqlite3_bind_text(st, 2, filter->code_insee, -1, SQLITE_STATIC);
	if (format == LIEUX_JSON) {
		json_init(&jw, fp, true);
		json_array_begin(&jw);
	} else {
		write_csv_header(fp);
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (read_row(db, st, sv, &r))
			goto done;
		if (!complete(&r) && !(filter && filter->all)) {
			(*skipped)++;
			continue;
		}
		if (format == LIEUX_JSON)
			write_json_row(&jw, &r);
		else
			write_csv_row(fp, &r, &line);
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
	for (f = 0; f < LF_N; f++)
		strbuf_release(&r.f[f]);
	sqlite3_finalize(st);
	sqlite3_finalize(sv);
	return rc;
}
