/*
 * refdata: reference data from data/ (CSV files) into the store (see refdata.h).
 *
 * Each file is read with the shared CSV reader, its header checked against
 * the columns we need (by name, any order), and each row upserted with a
 * statement whose DO UPDATE has a WHERE clause so unchanged rows are not
 * rewritten: sqlite3_changes() then counts real changes only.
 */
#include "db/refdata.h"
#include "core/text.h"
#include "util/csvread.h"
#include "db/db.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define MAXCOL 12

/* One reference file being read: the reader, the column index of each
 * wanted name, and the current row's fields by wanted position. */
struct ref_file {
	struct csv_reader *csv;
	const char *name;
	int idx[MAXCOL];
	const char *f[MAXCOL];
	unsigned long line;
};

static int ref_open(struct ref_file *rf, const char *dir, const char *name,
		    const char *const *cols)
{
	struct strbuf path = STRBUF_INIT;
	struct csv_options opt = { .delim = ',', .encoding = "UTF-8" };
	struct csv_row row;
	size_t i, k;
	int rc;

	memset(rf, 0, sizeof(*rf));
	rf->name = name;
	strbuf_addf(&path, "%s/%s", dir, name);
	rc = csv_open(&rf->csv, path.buf, &opt);
	strbuf_release(&path);
	if (rc)
		return -1;
	if (csv_next(rf->csv, &row) != 1)
		return qfq_error(_("\"%s\": no header row"), name);
	for (k = 0; cols[k]; k++) {
		rf->idx[k] = -1;
		for (i = 0; i < row.n; i++)
			if (!strcmp(row.fields[i], cols[k]))
				rf->idx[k] = (int)i;
		if (rf->idx[k] < 0)
			return qfq_error(_("\"%s\": missing column \"%s\""), name, cols[k]);
	}
	return 0;
}

/* Next row: 1 with rf->f filled (missing trailing fields are ""), 0 at end, -1 error. */
static int ref_next(struct ref_file *rf)
{
	struct csv_row row;
	int rc = csv_next(rf->csv, &row), k;
	if (rc != 1)
		return rc;
	rf->line = row.line;
	for (k = 0; k < MAXCOL; k++)
		rf->f[k] = rf->idx[k] >= 0 && (size_t)rf->idx[k] < row.n ? row.fields[rf->idx[k]] : "";
	return 1;
}

static void ref_close(struct ref_file *rf)
{
	csv_close(rf->csv);
	rf->csv = NULL;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static int step_count(sqlite3 *db, sqlite3_stmt *st, struct ref_file *rf, long *changed)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return qfq_error(_("\"%s\", line %lu: %s"), rf->name, rf->line, sqlite3_errmsg(db));
	*changed += sqlite3_changes(db);
	return 0;
}

/*
 * Loads a file whose columns map one to one, in order, onto the ?1..?N
 * parameters of sql; norm_col >= 0 adds text_norm() of that column as the
 * next parameter. Keeps the shape of the four territory files in one place.
 */
static int load_simple(sqlite3 *db, const char *dir, const char *file, const char *const *cols,
		       int norm_col, const char *sql, const char *seen_sql, struct refdata_count *count)
{
	struct ref_file rf;
	struct strbuf norm = STRBUF_INIT;
	sqlite3_stmt *st[2] = { NULL, NULL };
	long seen = 0;
	int rc, k, i, ncols = 0;

	while (cols[ncols])
		ncols++;
	if (ref_open(&rf, dir, file, cols) || db_prepare(db, sql, &st[0]) ||
	    (seen_sql && db_prepare(db, seen_sql, &st[1])))
		goto fail;
	while ((rc = ref_next(&rf)) == 1) {
		count->rows++;
		strbuf_reset(&norm);
		if (norm_col >= 0)
			text_norm(&norm, rf.f[norm_col], strlen(rf.f[norm_col]));
		for (i = 0; i < 2 && st[i]; i++) {
			for (k = 0; k < ncols; k++)
				bind_text_or_null(st[i], k + 1, rf.f[k]);
			if (norm_col >= 0)
				sqlite3_bind_text(st[i], ncols + 1, norm.buf, (int)norm.len, SQLITE_TRANSIENT);
			if (step_count(db, st[i], &rf, i ? &seen : &count->changed))
				goto fail;
		}
	}
	if (rc < 0)
		goto fail;
	sqlite3_finalize(st[0]);
	sqlite3_finalize(st[1]);
	ref_close(&rf);
	strbuf_release(&norm);
	return 0;
fail:
	sqlite3_finalize(st[0]);
	sqlite3_finalize(st[1]);
	ref_close(&rf);
	strbuf_release(&norm);
	return -1;
}

static int load_territories(sqlite3 *db, const char *dir, struct refdata_report *rep)
{
	static const char *const reg_cols[] = { "code", "nom", "chef_lieu", NULL };
	static const char *const dep_cols[] = { "code", "nom", "region", "chef_lieu", NULL };
	static const char *const epci_cols[] = { "code_siren", "nom", "type", "population", NULL };

	return load_simple(db, dir, "regions.csv", reg_cols, -1,
		"INSERT INTO regions(code, nom, chef_lieu) VALUES (?1, ?2, ?3) "
		"ON CONFLICT(code) DO UPDATE SET nom = excluded.nom, chef_lieu = excluded.chef_lieu "
		"WHERE nom IS NOT excluded.nom OR chef_lieu IS NOT excluded.chef_lieu", NULL,
		&rep->c[REF_REGIONS]) ||
	       load_simple(db, dir, "departements.csv", dep_cols, 1,
		"INSERT INTO departements(code, nom, region, chef_lieu, nom_norm) VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT(code) DO UPDATE SET nom = excluded.nom, region = excluded.region, "
		"chef_lieu = excluded.chef_lieu, nom_norm = excluded.nom_norm "
		"WHERE nom IS NOT excluded.nom OR region IS NOT excluded.region "
		"OR chef_lieu IS NOT excluded.chef_lieu OR nom_norm IS NOT excluded.nom_norm", NULL,
		&rep->c[REF_DEPARTEMENTS]) ||
	       load_simple(db, dir, "epci.csv", epci_cols, 1,
		"INSERT INTO epci(siren, nom, type, population, nom_norm) VALUES (?1, ?2, ?3, ?4, ?5) "
		"ON CONFLICT(siren) DO UPDATE SET nom = excluded.nom, type = excluded.type, "
		"population = excluded.population, nom_norm = excluded.nom_norm "
		"WHERE nom IS NOT excluded.nom OR type IS NOT excluded.type "
		"OR population IS NOT excluded.population OR nom_norm IS NOT excluded.nom_norm", NULL,
		&rep->c[REF_EPCI]);
}

/* Postcodes: each "a|b|c" list becomes rows; stale rows are removed at the end. */
static int add_postcodes(sqlite3 *db, sqlite3_stmt *ins, struct ref_file *rf, const char *code,
			 const char *list, long *changed)
{
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, '|');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len) {
			sqlite3_bind_text(ins, 1, p, (int)len, SQLITE_TRANSIENT);
			sqlite3_bind_text(ins, 2, code, -1, SQLITE_TRANSIENT);
			if (step_count(db, ins, rf, changed))
				return -1;
		}
		p += len + (e != NULL);
	}
	return 0;
}

static int load_communes(sqlite3 *db, const char *dir, struct refdata_report *rep)
{
	static const char *const cols[] = { "code_insee", "nom", "departement", "region", "epci",
					    "latitude", "longitude", "population", "codes_postaux", NULL };
	static const char sql[] =
		"INSERT INTO communes(code_insee, nom, departement, region, epci, latitude, longitude, "
		"population, nom_norm) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
		"ON CONFLICT(code_insee) DO UPDATE SET nom = excluded.nom, departement = excluded.departement, "
		"region = excluded.region, epci = excluded.epci, latitude = excluded.latitude, "
		"longitude = excluded.longitude, population = excluded.population, nom_norm = excluded.nom_norm "
		"WHERE nom IS NOT excluded.nom OR departement IS NOT excluded.departement "
		"OR region IS NOT excluded.region OR epci IS NOT excluded.epci "
		"OR latitude IS NOT excluded.latitude OR longitude IS NOT excluded.longitude "
		"OR population IS NOT excluded.population OR nom_norm IS NOT excluded.nom_norm";
	struct ref_file rf;
	struct strbuf norm = STRBUF_INIT;
	sqlite3_stmt *st = NULL, *pc = NULL;
	int rc, k;

	if (ref_open(&rf, dir, "communes.csv", cols) || db_prepare(db, sql, &st) ||
	    db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS seen_postcodes(code_postal, code_insee, "
			"PRIMARY KEY (code_postal, code_insee)) WITHOUT ROWID; DELETE FROM seen_postcodes") ||
	    db_prepare(db, "INSERT OR IGNORE INTO seen_postcodes VALUES (?1, ?2)", &pc))
		goto fail;
	while ((rc = ref_next(&rf)) == 1) {
		rep->c[REF_COMMUNES].rows++;
		for (k = 0; k < 5; k++)
			bind_text_or_null(st, k + 1, rf.f[k]);
		for (k = 5; k < 8; k++) {
			if (*rf.f[k])
				sqlite3_bind_double(st, k + 1, strtod(rf.f[k], NULL));
			else
				sqlite3_bind_null(st, k + 1);
		}
		if (*rf.f[7])
			sqlite3_bind_int64(st, 8, strtoll(rf.f[7], NULL, 10));
		strbuf_reset(&norm);
		text_norm(&norm, rf.f[1], strlen(rf.f[1]));
		sqlite3_bind_text(st, 9, norm.buf, (int)norm.len, SQLITE_TRANSIENT);
		if (step_count(db, st, &rf, &rep->c[REF_COMMUNES].changed))
			goto fail;
		if (add_postcodes(db, pc, &rf, rf.f[0], rf.f[8], &rep->c[REF_POSTCODES].rows))
			goto fail;
	}
	if (rc < 0 || db_exec(db, "INSERT INTO commune_postcodes SELECT * FROM seen_postcodes WHERE true "
				  "ON CONFLICT DO NOTHING"))
		goto fail;
	rep->c[REF_POSTCODES].changed += sqlite3_changes(db);
	if (db_exec(db, "DELETE FROM commune_postcodes WHERE (code_postal, code_insee) NOT IN "
			"(SELECT code_postal, code_insee FROM seen_postcodes)"))
		goto fail;
	rep->c[REF_POSTCODES].changed += sqlite3_changes(db);
	sqlite3_finalize(st);
	sqlite3_finalize(pc);
	ref_close(&rf);
	strbuf_release(&norm);
	return 0;
fail:
	sqlite3_finalize(st);
	sqlite3_finalize(pc);
	ref_close(&rf);
	strbuf_release(&norm);
	return -1;
}

static int load_anciennes(sqlite3 *db, const char *dir, struct refdata_report *rep)
{
	static const char *const cols[] = { "code_insee", "nom", "type", "commune_actuelle", NULL };
	struct refdata_count *c = &rep->c[REF_ANCIENNES];
	if (db_exec(db, "CREATE TEMP TABLE IF NOT EXISTS seen_anciennes(code_insee, type, nom, "
			"PRIMARY KEY (code_insee, type, nom)) WITHOUT ROWID; DELETE FROM seen_anciennes"))
		return -1;
	if (load_simple(db, dir, "communes_anciennes.csv", cols, 1,
		"INSERT INTO communes_anciennes(code_insee, nom, type, commune_actuelle, nom_norm) "
		"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(code_insee, type, nom) DO UPDATE SET "
		"commune_actuelle = excluded.commune_actuelle, nom_norm = excluded.nom_norm "
		"WHERE commune_actuelle IS NOT excluded.commune_actuelle OR nom_norm IS NOT excluded.nom_norm",
		"INSERT OR IGNORE INTO seen_anciennes(code_insee, nom, type) VALUES (?1, ?2, ?3)", c) ||
	    db_exec(db, "DELETE FROM communes_anciennes WHERE (code_insee, type, nom) NOT IN "
			"(SELECT code_insee, type, nom FROM seen_anciennes)"))
		return -1;
	c->changed += sqlite3_changes(db);
	return 0;
}

/* Typologies: code, label, patterns. */
static int load_typologies(sqlite3 *db, const char *dir, struct refdata_report *rep)
{
	static const char *const cols[] = { "code", "label", "patterns", NULL };
	return load_simple(db, dir, "typologies.csv", cols, -1,
		"INSERT INTO typologies(code, label, patterns) VALUES (?1, ?2, ?3) "
		"ON CONFLICT(code) DO UPDATE SET label = excluded.label, patterns = excluded.patterns "
		"WHERE label IS NOT excluded.label OR patterns IS NOT excluded.patterns", NULL,
		&rep->c[REF_TYPOLOGIES]);
}

int refdata_load(sqlite3 *db, const char *datadir, struct refdata_report *rep)
{
	static const char *const names[REF_N] = {
		"regions", "departements", "epci", "communes", "postcodes",
		"communes_anciennes", "typologies", "themes", "theme_names",
	};
	int i;
	memset(rep, 0, sizeof(*rep));
	for (i = 0; i < REF_N; i++)
		rep->c[i].what = names[i];
	if (load_territories(db, datadir, rep) || load_communes(db, datadir, rep) ||
	    load_anciennes(db, datadir, rep) || load_typologies(db, datadir, rep) ||
	    refdata_load_themes(db, datadir, rep))
		return qfq_error_prefix(_("cannot load the reference data from \"%s\""), datadir);
	return 0;
}
