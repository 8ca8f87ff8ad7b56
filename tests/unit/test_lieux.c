/*
 * test_lieux: the places importer and exporter (csv/lieux.h) and the
 * structure card (core/card.h) on a real store: validators, a small 1.x
 * file with awkward values, the report, merge proposals with a structure
 * known without a commune, the card's hours at fixed times, the export.
 */
#include "build_config.h"
#include "core/card.h"
#include "csv/lieux.h"
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

static char dir[] = "/tmp/qfq-test-lieux-XXXXXX";

static void phone(const char *in, int rc, const char *out)
{
	struct strbuf sb = STRBUF_INIT;
	int got = lieux_phone_normalize(in, &sb);
	is_int(got, rc, "phone \"%s\": status", in);
	if (rc >= 0)
		is_str(sb.buf, out, "phone \"%s\"", in);
	strbuf_release(&sb);
}

static long long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static char *text(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	char *s = NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_text(st, 0))
		s = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return s;
}

static void write_file(const char *path, const char *content)
{
	FILE *fp = fopen(path, "w");
	if (fp) {
		fputs(content, fp);
		fclose(fp);
	}
}

static struct tm at(int year, int mon, int mday, int hour, int min)
{
	struct tm t = { .tm_year = year - 1900, .tm_mon = mon - 1, .tm_mday = mday, .tm_hour = hour,
			.tm_min = min, .tm_isdst = -1 };
	mktime(&t);
	return t;
}

static const char header[] =
	"id,nom,pivot,structure_parente,typologie,commune,code_postal,code_insee,adresse,"
	"complement_adresse,latitude,longitude,telephone,courriels,site_web,horaires,prise_rdv,"
	"presentation_resume,presentation_detail,services,publics_specifiquement_adresses,"
	"prise_en_charge_specifique,frais_a_charge,modalites_acces,modalites_accompagnement,"
	"fiche_acces_libre,itinerance,dispositif_programmes_nationaux,formations_labels,"
	"autres_formations_labels,source,date_maj\n";

static void validators(void)
{
	phone("04 75 58 29 13", 1, "+33475582913");
	phone("04.75.58.29.13", 1, "+33475582913");
	phone("0475582913", 1, "+33475582913");
	phone("0033475582913", 1, "+33475582913");
	phone("+33 (0)4 75 58 29 13", 1, "+33475582913");
	phone("+33 4 75 58 29 13", 1, "+33475582913");
	phone("+33475582913", 0, "+33475582913");
	phone("+41 22 123 45 67", 0, "+41221234567");
	phone("voir site", -1, NULL);
	phone("04 75", -1, NULL);
	phone("12345678901234567890123456789012345", -1, NULL);

	ok(lieux_email_valid("epn@rhone-crussol.fr"), "a plain email");
	ok(lieux_email_valid("conseiller.numerique@alba-la-romaine.fr"), "dots and dashes");
	ok(!lieux_email_valid("pas-un-mail"), "no @");
	ok(!lieux_email_valid("a@b"), "no dotted domain");
	ok(!lieux_email_valid("a b@c.fr"), "a space");
	ok(!lieux_email_valid("a@@c.fr"), "two @");
	ok(!lieux_email_valid("@c.fr"), "empty local part");
	ok(lieux_url_valid("https://www.burzet.fr/decouvrir-bouger/culture"), "https URL");
	ok(lieux_url_valid("http://26fk.fr"), "http URL");
	ok(!lieux_url_valid("www.burzet.fr"), "no scheme");
	ok(!lieux_url_valid("https://"), "no host");
	ok(!lieux_url_valid("https://local host.fr"), "a space");
	ok(!lieux_url_valid("ftp://x.fr"), "not http");

	is_str(lieux_field_name(LF_ID), "id", "first column");
	is_str(lieux_field_name(LF_PUBLICS), "publics_specifiquement_adresses", "publics column");
	is_str(lieux_field_name(LF_DATE_MAJ), "date_maj", "last column");
	is_int(LF_N, 32, "32 columns in 1.x");
	ok(lieux_vocabulary(LF_FRAIS) && !strcmp(lieux_vocabulary(LF_FRAIS)[2], "Payant"), "frais vocabulary");
	ok(!lieux_vocabulary(LF_NOM), "nom has no vocabulary");
}

static void next_open_words(void)
{
	struct strbuf sb = STRBUF_INIT;
	struct tm now = at(2024, 7, 9, 12, 30);  /* a Tuesday */
	struct tm t = at(2024, 7, 9, 14, 0);
	card_next_open_fr(&sb, &now, &t);
	is_str(sb.buf, "ouvre aujourd'hui à 14:00", "later today");
	strbuf_reset(&sb);
	t = at(2024, 7, 10, 9, 0);
	card_next_open_fr(&sb, &now, &t);
	is_str(sb.buf, "ouvre demain à 09:00", "tomorrow");
	strbuf_reset(&sb);
	t = at(2024, 7, 12, 9, 30);
	card_next_open_fr(&sb, &now, &t);
	is_str(sb.buf, "ouvre vendredi à 09:30", "this week");
	strbuf_reset(&sb);
	t = at(2024, 7, 16, 9, 0);
	card_next_open_fr(&sb, &now, &t);
	is_str(sb.buf, "ouvre mardi 16 à 09:00", "next week");
	strbuf_release(&sb);
}

static void import_and_card(sqlite3 *db)
{
	struct lieux_options opt = { 0 };
	struct lieux_report rep = { 0 };
	struct strbuf sb = STRBUF_INIT, path = STRBUF_INIT;
	struct card c;
	struct tm now;
	long long id;
	char *s;
	int rc;

	/* a structure of a roster: name only, no commune */
	ok(db_exec(db, "INSERT INTO structures(nom, nom_norm) VALUES ('26 FK', '26 fk')") == 0,
	   "a roster structure");

	strbuf_addf(&path, "%s/lieux.csv", dir);
	strbuf_addstr(&sb, header);
	strbuf_addstr(&sb,
		"39,26FK,00000000000000,,ASSO,ANNONAY,07100,07010,26 Rue Franki Kramer,,45.2403521,"
		"4.6688647,04 75 69 35 01,espacenumerique@26fk.fr|contact@26fk.fr,http://26fk.fr,"
		"\"Mo-Fr 10:00-12:00,14:00-16:00; We 14:00-18:00; PH off\",,\"Le « tiers-lieu », dit \"\"26\"\"\","
		"\"Ateliers\nsmartphone\",Aide aux démarches administratives|Maîtrise des outils numériques du quotidien,"
		"Jeunes|Étudiants,Illettrisme,Gratuit,Se présenter|Téléphoner,Dans un atelier collectif,,Fixe,"
		"Conseillers numériques,Pix,,Test,2024-01-15\n"
		"40,Antenne,21070186000012,39,,Privas,07000,,1 place X,,,,,,,Sur rendez-vous,,,,"
		"Accompagner les démarches de santé,Seniors|Sportifs,,,Prendre un RDV en ligne,,,,,,,Test,2024-01-15\n");
	write_file(path.buf, sb.buf);
	rc = lieux_import(db, path.buf, &opt, &rep);
	is_int(rc, 0, "import: done (%s)", qfq_error_msg());
	is_int(rep.version, LIEUX_V1, "import: 1.x detected");
	is_int(rep.rows, 2, "import: 2 rows");
	is_int(rep.inserted, 2, "import: 2 new");
	is_int(rep.errors, 0, "import: no error");
	is_int(rep.hours_parsed, 1, "import: one hours parsed");
	is_int(rep.hours_unparseable, 1, "import: one kept as text");
	is_int(rep.coords_approx, 1, "import: one at its commune centre");
	is_int(rep.communes_filled, 1, "import: one commune from its postcode");
	is_int(rep.values_unknown, 1, "import: Sportifs unknown");
	is_int(rep.merges_proposed, 1, "import: 26FK proposed with 26 FK");
	ok(rep.committed, "import: committed");
	lieux_report_clear(&rep);

	is_int(count(db, "SELECT count(*) FROM merge_proposals WHERE kind = 'structure' AND a_id = 1 "
		     "AND b_id = (SELECT id FROM structures WHERE nom = '26FK')"), 1, "proposal 26 FK / 26FK");
	s = text(db, "SELECT telephone || ' ' || courriels || ' ' || ifnull(sans_rdv, '?') FROM structures WHERE source_id = '39'");
	is_str(s, "+33475693501 espacenumerique@26fk.fr|contact@26fk.fr 1", "phone, emails, sans_rdv");
	free(s);
	s = text(db, "SELECT code_insee || ' ' || coord_exact || ' ' || sans_rdv || ' ' || tags || ' ' || "
		     "(SELECT nom FROM structures p WHERE p.id = s.parent_id) FROM structures s WHERE source_id = '40'");
	is_str(s, "07186 0 0 Sportifs 26FK", "commune filled, approximate, by appointment, tag, parent");
	free(s);
	is_int(count(db, "SELECT count(*) FROM structure_themes st JOIN themes t ON t.id = st.theme_id "
		     "JOIN structures s ON s.id = st.structure_id WHERE s.source_id = '40' AND t.slug = 'demarches-sante'"),
	       1, "0.x service label in a 1.x file still maps");
	is_int(count(db, "SELECT count(*) FROM structures_fts WHERE structures_fts MATCH 'smartphone'"), 1,
	       "indexed for search");
	is_int(count(db, "SELECT count(*) FROM structure_hours WHERE structure_id = "
		     "(SELECT id FROM structures WHERE source_id = '39')"), 9, "hours spans indexed");

	/* the card */
	id = count(db, "SELECT id FROM structures WHERE source_id = '39'");
	now = at(2024, 7, 9, 12, 30);  /* Tuesday, between two openings */
	is_int(card_load(db, id, &now, &c), 1, "card: found");
	is_str(c.nom, "26FK", "card: name");
	is_str(c.commune, "Annonay", "card: commune");
	is_int(c.courriels.n, 2, "card: two emails");
	ok(c.coord_exact && c.has_coords, "card: exact coordinates");
	is_int(c.state, HOURS_CLOSED, "card: closed at 12:30");
	is_str(c.ouverture, "fermé, ouvre aujourd'hui à 14:00", "card: next opening in words");
	ok(c.horaires_fr && strstr(c.horaires_fr, "mercredi 14:00–18:00"), "card: week in French");
	is_int(c.services.n, 2, "card: two services");
	is_str(c.typologie_labels.n ? c.typologie_labels.v[0] : NULL, "Association", "card: typology label");
	is_int(c.sans_rdv, 1, "card: without appointment");
	is_int(c.freshness_months, 5, "card: updated 5 months before");
	is_str(c.presentation_resume, "Le « tiers-lieu », dit \"26\"", "card: quoted text");
	strbuf_reset(&sb);
	card_format_text(&c, &sb);
	ok(strstr(sb.buf, "En ce moment : fermé, ouvre aujourd'hui à 14:00") != NULL, "card text: open state");
	ok(strstr(sb.buf, "Publics : Jeunes, Étudiants") != NULL, "card text: audiences");
	card_clear(&c);
	now = at(2024, 7, 10, 15, 0);
	card_load(db, id, &now, &c);
	is_str(c.ouverture, "ouvert en ce moment", "card: open on Wednesday 15:00");
	card_clear(&c);
	now = at(2024, 7, 14, 10, 0);  /* 14 July, a Sunday */
	card_load(db, id, &now, &c);
	is_str(c.ouverture, "fermé, ouvre demain à 10:00", "card: Sunday: Monday morning");
	card_clear(&c);
	id = count(db, "SELECT id FROM structures WHERE source_id = '40'");
	card_load(db, id, &now, &c);
	is_int(c.horaires_ok, 0, "card: unparseable hours");
	ok(c.horaires_error != NULL && c.horaires_fr == NULL, "card: the parser's message, no week");
	ok(!c.coord_exact, "card: commune centre");
	is_str(c.parent_nom, "26FK", "card: parent");
	card_clear(&c);
	is_int(card_load(db, 999999, NULL, &c), 0, "card: no such structure");

	/* again: nothing changes */
	rc = lieux_import(db, path.buf, &opt, &rep);
	is_int(rep.unchanged, 2, "again: unchanged");
	is_int(rep.merges_proposed, 0, "again: no new proposal");
	lieux_report_clear(&rep);

	strbuf_release(&sb);
	strbuf_release(&path);
}

static void export(sqlite3 *db)
{
	struct lieux_export_filter f = { .departement = "07" };
	char *buf = NULL;
	size_t len = 0;
	long written, skipped;
	FILE *fp = open_memstream(&buf, &len);

	is_int(lieux_export(db, &f, LIEUX_CSV, fp, &written, &skipped), 0, "export: done");
	fclose(fp);
	is_int(written, 2, "export: two places");
	is_int(skipped, 0, "export: the roster structure is in no département");
	ok(buf && !strncmp(buf, "id,pivot,nom,commune,code_postal,", 33), "export: header in the schema's order");
	ok(buf && strstr(buf, "\r\n39,00000000000000,26FK,Annonay,07100,07010,26 Rue Franki Kramer,,"
				"45.2403521,4.6688647,ASSO,+33475693501,espacenumerique@26fk.fr|contact@26fk.fr,"),
	   "export: 26FK row");
	ok(buf && strstr(buf, ",\"Le « tiers-lieu », dit \"\"26\"\"\",\"Ateliers\nsmartphone\","),
	   "export: RFC 4180 quoting");
	ok(buf && strstr(buf, "\r\n40,21070186000012,Antenne,Privas,07000,07186,1 place X,,,,"),
	   "export: no coordinates for a commune centre");
	ok(buf && strstr(buf, ",Test,,39,2024-01-15,"), "export: the parent's id");
	free(buf);

	buf = NULL;
	fp = open_memstream(&buf, &len);
	is_int(lieux_export(db, NULL, LIEUX_JSON, fp, &written, &skipped), 0, "export json: done");
	fclose(fp);
	is_int(written * 10 + skipped, 21, "export json: two places, the roster structure left out");
	ok(buf && strstr(buf, "\"courriels\": [\n      \"espacenumerique@26fk.fr\",\n      \"contact@26fk.fr\"\n    ]"),
	   "export json: lists as arrays");
	free(buf);
}

int main(void)
{
	struct refdata_report rr;
	struct strbuf path = STRBUF_INIT;
	sqlite3 *db = NULL;

	setlocale(LC_ALL, "C.UTF-8");
	setenv("TZ", "Europe/Paris", 1);
	setenv("QFQ_DATA_DIR", QFQ_SRC_DATADIR, 1);
	validators();
	next_open_words();

	if (!mkdtemp(dir)) {
		ok(0, "temporary folder");
		return tap_done();
	}
	strbuf_addf(&path, "%s/qfq.db", dir);
	if (!ok(db_open(path.buf, DB_CREATE, &db) == 0, "database created (%s)", qfq_error_msg()) ||
	    !ok(db_begin(db) == 0 && refdata_load(db, QFQ_SRC_DATADIR, &rr) == 0 && db_commit(db) == 0,
		"reference data loaded (%s)", qfq_error_msg()))
		return tap_done();
	import_and_card(db);
	export(db);
	db_close(db);

	unlink(path.buf);
	strbuf_addstr(&path, "-wal");
	unlink(path.buf);
	strbuf_setlen(&path, path.len - 4);
	strbuf_addstr(&path, "-shm");
	unlink(path.buf);
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/lieux.csv", dir);
	unlink(path.buf);
	rmdir(dir);
	strbuf_release(&path);
	return tap_done();
}
