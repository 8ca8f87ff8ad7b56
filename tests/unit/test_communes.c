/*
 * test_communes: the forgiving commune resolution (core/communes.h,
 * communes_resolve) on the real commune tables, with the ten spellings of
 * a real regional places file that an exact look-up refused (issue 11):
 * with their postcode and coordinates, with the postcode alone, and with
 * the name alone where it suffices.
 */
#include "build_config.h"
#include "core/communes.h"
#include "db/db.h"
#include "db/refdata.h"
#include "tap.h"
#include "util/error.h"
#include "util/strbuf.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/qfq-test-communes-XXXXXX";

struct spelling {
	const char *nom, *cp;
	double lat, lon;            /* a point in the commune (not its centre) */
	const char *code;           /* the INSEE code meant */
	enum commune_how how;       /* how it is found from the name and postcode */
	bool name_alone;            /* the name without postcode nor point suffices */
};

static const struct spelling spellings[] = {
	{ "Annecy Cedex 03", "74003", 45.8992, 6.1294, "74010", COMMUNE_HOW_CEDEX, true },
	{ "Pont de Claix", "38800", 45.1250, 5.6990, "38317", COMMUNE_HOW_SPELLING, true },
	{ "Loriol", "26270", 44.7510, 4.8180, "26166", COMMUNE_HOW_AFFIX, false },
	{ "Saint-Donat-sur-lHerbasse", "26260", 45.1220, 4.9830, "26301", COMMUNE_HOW_SPELLING, true },
	{ "Sciez-sur-Léman", "74140", 46.3330, 6.3830, "74263", COMMUNE_HOW_AFFIX, true },
	{ "Ardes sur couze", "63420", 45.4020, 3.1240, "63009", COMMUNE_HOW_AFFIX, true },
	{ "Vorey sur Arzon", "43800", 45.1860, 3.9090, "43267", COMMUNE_HOW_AFFIX, true },
	{ "SAINT GERVAIS", "74170", 45.8920, 6.7130, "74236", COMMUNE_HOW_AFFIX, false },
	{ "Les Molettes", "73800", 45.4650, 6.0510, "73159", COMMUNE_HOW_NEAR, true },
	{ "Entremont", "74130", 45.9575, 6.3889, "74212", COMMUNE_HOW_NEAREST, false },
};

static void resolve(sqlite3 *db, const struct spelling *s, bool cp, bool coords,
		    struct commune_guess *g)
{
	struct commune_clue c = { .nom = s->nom, .code_postal = cp ? s->cp : NULL,
				  .lat = s->lat, .lon = s->lon, .has_coords = coords };
	if (communes_resolve(db, &c, g))
		memset(g, 0, sizeof(*g));
}

static void ten_spellings(sqlite3 *db)
{
	struct commune_guess g;
	size_t i;
	for (i = 0; i < sizeof(spellings) / sizeof(*spellings); i++) {
		const struct spelling *s = &spellings[i];
		resolve(db, s, true, true, &g);
		is_str(g.code_insee, s->code, "\"%s\" %s with coordinates", s->nom, s->cp);
		resolve(db, s, true, false, &g);
		if (s->how == COMMUNE_HOW_NEAREST) {
			is_int(g.how, COMMUNE_HOW_NONE, "\"%s\" %s without coordinates: not placed", s->nom, s->cp);
		} else {
			is_str(g.code_insee, s->code, "\"%s\" %s without coordinates", s->nom, s->cp);
			is_int(g.how, s->how, "\"%s\" %s: %s", s->nom, s->cp, commune_how_reason(s->how, false));
		}
		resolve(db, s, false, false, &g);
		if (s->name_alone)
			is_str(g.code_insee, s->code, "\"%s\" alone", s->nom);
		else
			ok(g.how == COMMUNE_HOW_NONE || strcmp(g.code_insee, s->code) != 0 || g.candidates == 1,
			   "\"%s\" alone: not guessed among several (%zu candidates)", s->nom, g.candidates);
	}
}

static void others(sqlite3 *db)
{
	struct commune_guess g;
	struct commune_clue c = { .nom = "Privas", .code_postal = "07000" };
	is_int(communes_resolve(db, &c, &g), 0, "Privas 07000: resolves");
	is_str(g.code_insee, "07186", "Privas 07000: 07186");
	is_int(g.how, COMMUNE_HOW_EXACT, "Privas 07000: exact");
	c.nom = "Loriol";
	c.code_postal = NULL;
	communes_resolve(db, &c, &g);
	is_int(g.how, COMMUNE_HOW_NONE, "Loriol alone: ambiguous");
	ok(g.candidates >= 2, "Loriol alone: %zu candidates", g.candidates);
	c.lat = 44.07, c.lon = 5.0, c.has_coords = true;
	communes_resolve(db, &c, &g);
	is_str(g.code_insee, "84067", "Loriol near Carpentras: Loriol-du-Comtat");
	c.nom = "Brahic";
	c.has_coords = false;
	communes_resolve(db, &c, &g);
	is_str(g.code_insee, "07334", "Brahic: Les Vans");
	ok(g.former, "Brahic: a former commune");
	c.nom = "Nulle-Part-sur-Rien";
	c.code_postal = "07000";
	communes_resolve(db, &c, &g);
	is_int(g.how, COMMUNE_HOW_NONE, "unknown name in a postcode of several communes: not placed");
	c.lat = 44.735, c.lon = 4.599, c.has_coords = true;
	communes_resolve(db, &c, &g);
	is_str(g.code_insee, "07186", "... with coordinates in Privas: Privas");
	is_int(g.how, COMMUNE_HOW_NEAREST, "... as the nearest");
	c.lat = 48.85, c.lon = 2.35;
	communes_resolve(db, &c, &g);
	is_int(g.how, COMMUNE_HOW_NONE, "... with coordinates in Paris: not placed (too far)");
	c.nom = "Privas";
	c.code_postal = "07000";
	communes_resolve(db, &c, &g);
	is_str(g.code_insee, "07186", "exact name far from its point: the name wins");
}

int main(void)
{
	struct refdata_report rr;
	struct strbuf path = STRBUF_INIT;
	sqlite3 *db = NULL;

	setlocale(LC_ALL, "C.UTF-8");
	setenv("QFQ_DATA_DIR", QFQ_SRC_DATADIR, 1);
	if (!mkdtemp(dir)) {
		ok(0, "temporary folder");
		return tap_done();
	}
	strbuf_addf(&path, "%s/qfq.db", dir);
	if (!ok(db_open(path.buf, DB_CREATE, &db) == 0, "database created (%s)", qfq_error_msg()) ||
	    !ok(db_begin(db) == 0 && refdata_load(db, QFQ_SRC_DATADIR, &rr) == 0 && db_commit(db) == 0,
		"reference data loaded (%s)", qfq_error_msg()))
		return tap_done();
	ten_spellings(db);
	others(db);
	db_close(db);
	unlink(path.buf);
	strbuf_addstr(&path, "-wal");
	unlink(path.buf);
	strbuf_setlen(&path, path.len - 4);
	strbuf_addstr(&path, "-shm");
	unlink(path.buf);
	rmdir(dir);
	strbuf_release(&path);
	return tap_done();
}
