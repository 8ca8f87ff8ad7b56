/*
 * test_search: the search engine (core/search.h) on a small store built
 * here: time parsing, reading a typed line into themes, commune and text,
 * ranking by distance with ancestor themes after direct ones, opening
 * state, persons, hostile text that must never reach SQLite as syntax, and
 * the text ranking (a word in the name first, then where and how often).
 */
#include "build_config.h"
#include "core/search.h"
#include "db/db.h"
#include "db/refdata.h"
#include "out/motif.h"
#include "db/structures.h"
#include "tap.h"
#include "util/error.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether the worded reason of s contains want. */
static bool motif_has(const struct search_query *q, const struct search_structure *s, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	bool has;
	out_motif(q, &s->reason, s->distance_km, &sb);
	has = strstr(sb.buf, want) != NULL;
	strbuf_release(&sb);
	return has;
}

static const char fixture[] =
	"INSERT INTO departements(code, nom, nom_norm) VALUES ('07', 'Ardèche', 'ardeche');"
	"INSERT INTO communes(code_insee, nom, nom_norm, departement, latitude, longitude, population) VALUES"
	" ('07186', 'Privas', 'privas', '07', 44.72136, 4.59492, 8000),"
	" ('07245', 'Saint-Jean-de-Muzols', 'saint jean de muzols', '07', 45.07749, 4.80011, 2400),"
	" ('07019', 'Aubenas', 'aubenas', '07', 44.61069, 4.39423, 12000);"
	"INSERT INTO structures(id, nom, nom_norm, code_insee, latitude, longitude, horaires) VALUES"
	" (1, 'Mairie de Privas', 'mairie privas', '07186', 44.7220, 4.5960, 'Mo-Fr 09:00-12:00'),"
	" (2, 'EPN d''Aubenas', 'epn aubenas', '07019', NULL, NULL, NULL),"
	" (3, 'Médiathèque de Privas', 'mediatheque privas', '07186', 44.7300, 4.6000, 'Sa 10:00-12:00');"
	"INSERT INTO structure_themes SELECT 1, id FROM themes WHERE slug = 'demarches-caf';"
	"INSERT INTO structure_themes SELECT 2, id FROM themes WHERE slug = 'smartphone-tablette';"
	"INSERT INTO structure_themes SELECT 3, id FROM themes WHERE slug = 'maitrise-outils-numeriques';"
	"INSERT INTO persons(id, nom, prenom, name_key) VALUES (1, 'Dupont', 'Marie', 'dupont marie');"
	"INSERT INTO memberships(person_id, structure_id, role) VALUES (1, 3, 'médiatrice');";

static sqlite3 *make_store(char *dir)
{
	struct refdata_report rep;
	char path[256];
	sqlite3 *db;
	if (!mkdtemp(dir))
		return NULL;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	if (db_open(path, DB_CREATE, &db))
		return NULL;
	if (db_begin(db) || refdata_load_themes(db, QFQ_SRC_DATADIR, &rep) || db_exec(db, fixture) ||
	    structure_reindex_all(db) || db_commit(db)) {
		printf("# store: %s\n", qfq_error_msg());
		return NULL;
	}
	return db;
}

static void test_when(void)
{
	struct tm now = { .tm_year = 124, .tm_mon = 6, .tm_mday = 10, .tm_hour = 9, .tm_isdst = -1 };
	struct tm t;
	mktime(&now); /* Wednesday 2024-07-10 09:00 */
	is_int(now.tm_wday, 3, "fixture: a Wednesday");
	ok(search_parse_when("mardi 14:00", &now, &t) == 0 && t.tm_mday == 16 && t.tm_hour == 14 &&
	   t.tm_wday == 2, "mardi 14:00 is next Tuesday");
	ok(search_parse_when("mercredi 8h", &now, &t) == 0 && t.tm_mday == 10 && t.tm_hour == 8,
	   "mercredi 8h is today");
	ok(search_parse_when("14h30", &now, &t) == 0 && t.tm_mday == 10 && t.tm_hour == 14 && t.tm_min == 30,
	   "14h30 is today");
	ok(search_parse_when("demain 9:15", &now, &t) == 0 && t.tm_mday == 11 && t.tm_min == 15, "demain 9:15");
	ok(search_parse_when("SAMEDI 10:00", &now, &t) == 0 && t.tm_wday == 6, "case ignored");
	ok(search_parse_when("tue 9", &now, &t) == 0 && t.tm_wday == 2 && t.tm_hour == 9, "English day, bare hour");
	ok(search_parse_when("2024-12-24T18:05", &now, &t) == 0 && t.tm_mon == 11 && t.tm_mday == 24 &&
	   t.tm_hour == 18 && t.tm_min == 5 && t.tm_wday == 2, "ISO date and time");
	ok(search_parse_when("now", &now, &t) == 0 && t.tm_hour == 9, "now");
	ok(search_parse_when("25:00", &now, &t) == -1, "25:00 refused");
	ok(search_parse_when("mardi", &now, &t) == -1, "a day without a time refused");
	ok(strstr(qfq_error_msg(), "mardi 14:00") != NULL, "the error says what is expected");
	ok(search_parse_when("2024-13-01T10:00", &now, &t) == -1, "month 13 refused");
	ok(strstr(qfq_error_msg(), "2024-13-01") != NULL, "the error names the date");
	ok(search_parse_when("2024-02-30T10:00", &now, &t) == -1, "30 February refused, not read as 1 March");
	ok(search_parse_when("2023-02-29T10:00", &now, &t) == -1, "29 February of a common year refused");
	ok(search_parse_when("2024-02-29T10:00", &now, &t) == 0 && t.tm_mon == 1 && t.tm_mday == 29,
	   "29 February of a leap year read");
}

static void test_input(sqlite3 *db)
{
	struct search_query q;
	search_query_init(&q);
	q.radius_km = 30;
	ok(search_parse_input(db, "caf privas", &q) == 0, "parse \"caf privas\"");
	is_int(q.ngroups, 1, "one theme");
	is_str(q.ngroups ? q.groups[0].themes.v[0].slug : NULL, "demarches-caf", "the theme is CAF");
	ok(q.has_commune && !strcmp(q.commune_insee, "07186"), "the commune is Privas");
	ok(q.text == NULL, "no text left");
	ok(q.radius_km == 30, "the radius is kept");

	ok(search_parse_input(db, "mairie st jean de muzols", &q) == 0, "parse a commune of four words");
	ok(q.has_commune && !strcmp(q.commune_insee, "07245"), "st jean de muzols found");
	is_str(q.text, "mairie", "mairie is text");
	is_int(q.ngroups, 0, "no theme");

	ok(search_parse_input(db, "pri smartphone", &q) == 0, "parse a word being typed");
	ok(!q.has_commune, "a prefix is not a commune");
	is_str(q.text, "pri", "the prefix stays text");
	is_int(q.ngroups, 1, "smartphone is a theme");

	ok(search_parse_input(db, "\"NEAR( % *", &q) == 0, "parse syntax characters");
	is_str(q.text, "\"NEAR( % *", "kept as text");
	search_query_clear(&q);
}

static void test_run(sqlite3 *db)
{
	struct search_query q;
	struct search_results r = SEARCH_RESULTS_INIT;
	struct commune privas = { .code_insee = "07186", .nom = "Privas", .departement = "07",
				  .latitude = 44.72136, .longitude = 4.59492, .has_coords = true };
	static const char *const hostile[] = {
		"\"", "'", "%", "*", "NEAR(", "a NEAR b", "nom:x", "\"a\" OR \"b\"", "^", "-x", "(", ")",
		"a AND", "OR", "\\", "_%_", "\xc3\xa9\xc3", "",
	};
	size_t i;

	search_query_init(&q);
	ok(search_query_add_theme(db, &q, "smartphone") == 1, "smartphone resolves");
	ok(search_query_add_theme(db, &q, "zzzz-nothing") == 0, "an unknown theme is not added");
	search_query_set_commune(&q, &privas);
	q.radius_km = 40;
	ok(search_run(db, &q, &r) == 0, "run smartphone around Privas");
	is_int(r.total, 2, "two places: the direct one and the parent service");
	ok(r.n == 2 && r.v[0].id == 2 && r.v[0].direct, "the direct match first, though farther");
	ok(r.n == 2 && r.v[1].id == 3 && !r.v[1].direct, "then the parent service");
	ok(r.n == 2 && r.v[1].distance_km > 0.5 && r.v[1].distance_km < 1.5, "distance of the médiathèque");
	ok(r.n == 2 && (r.v[1].reason.why & SEARCH_WHY_PARENT) && motif_has(&q, &r.v[1], "service parent"),
	   "motif says parent service");

	search_query_clear(&q);
	search_query_set_commune(&q, &privas);
	q.radius_km = 40;
	q.has_when = true;
	q.when = (struct tm){ .tm_year = 124, .tm_mon = 6, .tm_mday = 9, .tm_hour = 10, .tm_isdst = -1 };
	mktime(&q.when); /* Tuesday 10:00 */
	ok(search_run(db, &q, &r) == 0, "run with a time");
	ok(r.n == 3 && r.v[0].id == 1 && r.v[0].ouvert == SEARCH_OPEN, "the open mairie first");
	ok(r.n == 3 && r.v[1].id == 3 && r.v[1].ouvert == SEARCH_CLOSED, "then the closed médiathèque");
	is_str(r.n == 3 ? r.v[1].prochaine_ouverture : NULL, "2024-07-13T10:00", "its next opening");
	ok(r.n == 3 && r.v[2].id == 2 && r.v[2].ouvert == SEARCH_OPEN_UNKNOWN, "unknown hours last");

	search_query_clear(&q);
	q.persons = true;
	search_query_add_theme(db, &q, "smartphone");
	search_query_set_commune(&q, &privas);
	ok(search_run(db, &q, &r) == 0 && r.np == 1 && r.p[0].id == 1, "a person through her structure");
	ok(r.np == 1 && r.p[0].nstructures == 1 && !strcmp(r.p[0].structures[0].role, "médiatrice"),
	   "with her role");

	search_query_clear(&q);
	q.limit = 1;
	ok(search_run(db, &q, &r) == 0 && r.n == 1 && r.total == 3, "limit keeps one, total counts all");

	for (i = 0; i < sizeof(hostile) / sizeof(*hostile); i++) {
		search_query_clear(&q);
		search_query_set_text(&q, hostile[i]);
		ok(search_run(db, &q, &r) == 0, "text %zu runs without error", i);
		q.persons = true;
		ok(search_run(db, &q, &r) == 0, "persons text %zu runs without error", i);
	}
	search_query_clear(&q);
	search_query_set_text(&q, "mediatheque");
	ok(search_run(db, &q, &r) == 0 && r.n == 1 && r.v[0].id == 3, "accents folded in text");
	search_results_clear(&r);
	search_query_clear(&q);
}

/*
 * Text ranking (qfq_rank, db/ftsrank.h) on structures added here: a word in
 * the name before a word only in the description, a name that begins with
 * it before one that has it further on, every word in the name before some;
 * and a limit keeps the best while the total counts every match.
 */
static const char ranked[] =
	"INSERT INTO structures(id, nom, nom_norm, presentation_resume) VALUES"
	" (20, 'EPN Quorlin', 'epn quorlin', 'Ateliers à la bibliothèque zorgue'),"
	" (21, 'Bibliothèque de la Zorgue', 'bibliotheque zorgue', NULL),"
	" (22, 'Zorgues de Quorlin', 'zorgues quorlin', NULL),"
	" (23, 'Zorgue', 'zorgue', 'une zorgue, deux zorgues'),"
	" (24, 'Mission Quorlin', 'mission quorlin', 'la zorgue locale'),"
	" (25, 'Zorgue locale Quorlin', 'zorgue locale quorlin', NULL);";

/* Runs q with the scans in C and with SQL alone (QFQ_SEARCH_NO_SCAN): the
 * same ids in the same order, the same total and cap. */
static void same_as_sql(sqlite3 *db, const struct search_query *q, const char *what)
{
	struct search_results a = SEARCH_RESULTS_INIT, b = SEARCH_RESULTS_INIT;
	bool same;
	size_t i;
	int ra = search_run(db, q, &a), rb;
	setenv("QFQ_SEARCH_NO_SCAN", "1", 1);
	rb = search_run(db, q, &b);
	unsetenv("QFQ_SEARCH_NO_SCAN");
	same = !ra && !rb && a.n == b.n && a.total == b.total && a.capped == b.capped;
	for (i = 0; same && i < a.n; i++)
		same = a.v[i].id == b.v[i].id && a.v[i].rank == b.v[i].rank;
	ok(same, "%s, limit %zu, cap %zu: the scan in C ranks as SQL (%zu/%zu rows, total %zu/%zu)", what,
	   q->limit, q->max_candidates, a.n, b.n, a.total, b.total);
	search_results_clear(&a);
	search_results_clear(&b);
}

static void test_text_rank(sqlite3 *db)
{
	struct search_query q;
	struct search_results r = SEARCH_RESULTS_INIT;
	size_t i, pos[26];

	ok(db_begin(db) == 0 && db_exec(db, ranked) == 0 && structure_reindex_all(db) == 0 && db_commit(db) == 0,
	   "ranking fixture added");
	search_query_init(&q);
	search_query_set_text(&q, "zorgue");
	ok(search_run(db, &q, &r) == 0 && r.n == 6 && r.total == 6, "every zorgue found");
	memset(pos, 0, sizeof(pos));
	for (i = 0; i < r.n; i++)
		if (r.v[i].id >= 20 && r.v[i].id <= 25)
			pos[r.v[i].id] = i + 1;
	ok(pos[23] && pos[22] && pos[25] && pos[21] && pos[20] && pos[24], "ids as expected");
	ok(pos[23] < pos[21] && pos[22] < pos[21] && pos[25] < pos[21], "a name beginning with the word first");
	ok(pos[21] < pos[20] && pos[21] < pos[24], "a word in the name before one in the description");
	ok(pos[23] < pos[22], "more hits rank higher among names beginning with the word");
	ok(r.v[0].rank < r.v[r.n - 1].rank, "rank is lower for the better match");

	search_query_set_text(&q, "zorgue quorlin");
	ok(search_run(db, &q, &r) == 0 && r.n == 4, "zorgue quorlin: four structures have both words");
	ok(r.n == 4 && (r.v[0].id == 22 || r.v[0].id == 25) && (r.v[1].id == 22 || r.v[1].id == 25),
	   "both words in the name first");
	ok(r.n == 4 && (r.v[2].id == 20 || r.v[2].id == 24) && (r.v[3].id == 20 || r.v[3].id == 24),
	   "one word in the name, the other in the description, after");

	search_query_set_text(&q, "zorg");
	q.limit = 2;
	ok(search_run(db, &q, &r) == 0 && r.n == 2 && r.total == 6 && !r.capped,
	   "a prefix: the limit keeps two, the total counts all");
	ok(r.n == 2 && r.v[0].id == 23, "the best match kept first");
	q.limit = 0;
	q.max_candidates = 3;
	ok(search_run(db, &q, &r) == 0 && r.capped && r.total == 3, "max_candidates caps the count");
	q.limit = 2;
	ok(search_run(db, &q, &r) == 0 && r.capped && r.total == 3 && r.n == 2,
	   "with a limit too: the best two of the first three matches");
	q.max_candidates = 6;
	ok(search_run(db, &q, &r) == 0 && r.capped && r.total == 6, "a cap reached exactly says so");
	q.max_candidates = 7;
	ok(search_run(db, &q, &r) == 0 && !r.capped && r.total == 6, "a cap not reached is not one");
	search_query_add_theme(db, &q, "smartphone");
	q.max_candidates = 4;
	ok(search_run(db, &q, &r) == 0 && r.capped && r.total == 0,
	   "a capped scan stops at the cap even when a filter drops every match");
	search_results_clear(&r);
	search_query_clear(&q);

	/* the text ranked in C (stream_scan) as the candidate statement ranks it */
	search_query_init(&q);
	search_query_set_text(&q, "zorg");
	for (q.limit = 1; q.limit <= 7; q.limit += 2)
		for (q.max_candidates = 0; q.max_candidates <= 7; q.max_candidates += 2)
			same_as_sql(db, &q, "zorg");
	search_query_set_text(&q, "zorgue quorlin");
	q.max_candidates = 0;
	q.limit = 3;
	same_as_sql(db, &q, "zorgue quorlin");
	search_query_clear(&q);
}

/*
 * A person found within the radius whose structure also serves the
 * département: the scan of structure_members skips that structure's row
 * on the territory side and gives the reason back to the shown person;
 * the motif must be the one SQL alone (QFQ_SEARCH_NO_SCAN) gives.
 */
/* The worded reason of a person (malloc'd). */
static char *person_motif(const struct search_query *q, const struct search_person *p)
{
	struct strbuf sb = STRBUF_INIT;
	out_motif(q, &p->reason, p->distance_km, &sb);
	return strbuf_detach(&sb, NULL);
}

static void test_persons_reasons(sqlite3 *db)
{
	struct commune privas = { .code_insee = "07186", .nom = "Privas", .departement = "07",
				  .latitude = 44.72136, .longitude = 4.59492, .has_coords = true };
	struct search_query q;
	struct search_results r = SEARCH_RESULTS_INIT;
	char *scan = NULL, *plain = NULL;

	ok(db_exec(db, "INSERT INTO structure_territories(structure_id, kind, code) VALUES (3, 'departement', '07')")
	   == 0, "structure 3 serves the département");
	search_query_init(&q);
	q.persons = true;
	q.radius_km = 10;
	search_query_set_commune(&q, &privas);
	ok(search_run(db, &q, &r) == 0 && r.np == 1, "the person near Privas");
	scan = r.np ? person_motif(&q, &r.p[0]) : NULL;
	setenv("QFQ_SEARCH_NO_SCAN", "1", 1);
	ok(search_run(db, &q, &r) == 0 && r.np == 1, "the same with SQL alone");
	plain = r.np ? person_motif(&q, &r.p[0]) : NULL;
	unsetenv("QFQ_SEARCH_NO_SCAN");
	ok(plain && strstr(plain, "partement"), "SQL alone says she serves the département (%s)", plain ? plain : "");
	is_str(scan, plain, "the scan gives the same motif");
	free(scan);
	free(plain);
	search_results_clear(&r);
	search_query_clear(&q);
	db_exec(db, "DELETE FROM structure_territories");
}

int main(void)
{
	char dir[] = "/tmp/qfq-test-search-XXXXXX";
	char path[300];
	sqlite3 *db;

	setlocale(LC_ALL, "C.UTF-8");
	setenv("TZ", "Europe/Paris", 1);
	test_when();
	db = make_store(dir);
	ok(db != NULL, "store built");
	if (db) {
		test_input(db);
		test_run(db);
		test_text_rank(db);
		test_persons_reasons(db);
		db_close(db);
	}
	snprintf(path, sizeof(path), "%s/t.db", dir);
	unlink(path);
	strncat(path, "-wal", sizeof(path) - strlen(path) - 1);
	unlink(path);
	path[strlen(path) - 4] = '\0';
	strncat(path, "-shm", sizeof(path) - strlen(path) - 1);
	unlink(path);
	rmdir(dir);
	return tap_done();
}
