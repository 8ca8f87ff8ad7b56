/*
 * fuzz_input: libFuzzer target for the one reader of typed input
 * (search_query_build() -> search_parse_input(), core/query.c) and the
 * run of what it read. Any bytes must give a query or a clean error, and
 * the query must keep the header's promises, or we abort: every theme
 * group resolved to at least one theme, a commune only with its code, the
 * free text made of the typed bytes, and with a time that filters, every
 * result known to be open (search.h: "open means known open").
 */
#include "build_config.h"
#include "core/search.h"
#include "db/db.h"
#include "db/refdata.h"
#include "db/structures.h"
#include "util/error.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sqlite3 *db;

static const char fixture[] =
	"INSERT INTO departements(code, nom, nom_norm) VALUES ('07', 'Ardèche', 'ardeche');"
	"INSERT INTO communes(code_insee, nom, nom_norm, departement, latitude, longitude, population) VALUES"
	" ('07186', 'Privas', 'privas', '07', 44.72136, 4.59492, 8000),"
	" ('07245', 'Saint-Jean-de-Muzols', 'saint jean de muzols', '07', 45.07749, 4.80011, 2400),"
	" ('07019', 'Aubenas', 'aubenas', '07', 44.61069, 4.39423, 12000);"
	"INSERT INTO structures(id, nom, nom_norm, code_insee, latitude, longitude, horaires) VALUES"
	" (1, 'CAF de Privas', 'caf privas', '07186', 44.7220, 4.5960, 'Mo-Fr 09:00-12:00'),"
	" (2, 'EPN d''Aubenas', 'epn aubenas', '07019', NULL, NULL, NULL),"
	" (3, 'Médiathèque de Privas', 'mediatheque privas', '07186', 44.7300, 4.6000, 'Sa 10:00-12:00');"
	"INSERT INTO structure_themes SELECT 1, id FROM themes WHERE slug = 'demarches-caf';"
	"INSERT INTO structure_themes SELECT 2, id FROM themes WHERE slug = 'smartphone-tablette';"
	"INSERT INTO structure_themes SELECT 3, id FROM themes WHERE slug = 'maitrise-outils-numeriques';";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char dir[] = "/tmp/qfq-fuzz-input-XXXXXX";
	struct refdata_report rep;
	char path[256];
	(void)argc;
	(void)argv;
	setenv("TZ", "UTC", 1);
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/f.db", dir);
	if (db_open(path, DB_CREATE, &db) || db_begin(db) ||
	    refdata_load_themes(db, QFQ_SRC_DATADIR, &rep) || db_exec(db, fixture) ||
	    structure_reindex_all(db) || db_commit(db)) {
		fprintf(stderr, "fuzz_input: store: %s\n", qfq_error_msg());
		abort();
	}
	return 0;
}

static void check_query(const struct search_query *q, const char *typed, size_t len)
{
	size_t i;
	for (i = 0; i < q->ngroups; i++)
		if (!q->groups[i].themes.n || !q->groups[i].typed)
			abort();
	if (q->has_commune && (!q->commune_insee || !*q->commune_insee))
		abort();
	if (q->text && strlen(q->text) > len)
		abort();
	(void)typed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm when = { .tm_year = 124, .tm_mon = 6, .tm_mday = 9, .tm_hour = 10, .tm_isdst = -1 };
	struct search_settings set = { .limit = 5, .when = &when, .open = SEARCH_OPEN_ONLY };
	struct search_query q;
	struct search_results r = SEARCH_RESULTS_INIT;
	char *typed = xmalloc(size + 1);
	size_t i;

	memcpy(typed, data, size);
	typed[size] = '\0';
	mktime(&when);
	/* the last byte chooses the settings: time filter or not, persons */
	if (size && (data[size - 1] & 1))
		set.when = NULL;
	set.persons = size && (data[size - 1] & 2);
	search_query_init(&q);
	if (search_query_build(db, typed, &set, &q) == 0) {
		check_query(&q, typed, strlen(typed));
		if (search_run(db, &q, &r) == 0) {
			if (r.n > 5 || r.np > 5)
				abort();
			for (i = 0; i < r.n; i++)
				if (search_open_filters(&q) && r.v[i].ouvert != SEARCH_OPEN)
					abort();
		}
	}
	qfq_error_clear();
	search_results_clear(&r);
	search_query_clear(&q);
	free(typed);
	return 0;
}
