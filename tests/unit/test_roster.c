/*
 * test_roster: the text side of the roster importer (csv/roster.h):
 * headers, structure cells with glued roles and "excusé(e)", phones,
 * emails; and the near-duplicate tests of db/merge.h.
 */
#include "util/hmap.h"
#include "csv/roster.h"
#include "db/merge.h"
#include "csv/fields.h"
#include "tap.h"
#include "util/strbuf.h"

#include <locale.h>
#include <stdbool.h>

static void cell(const char *in, const char *name, const char *role, bool excused)
{
	struct strbuf n = STRBUF_INIT, r = STRBUF_INIT;
	bool ex;
	roster_split_structure(in, &n, &r, &ex);
	is_str(n.buf, name, "\"%s\": structure", in);
	is_str(r.buf, role, "\"%s\": role", in);
	is_int(ex, excused, "\"%s\": excused", in);
	strbuf_release(&n);
	strbuf_release(&r);
}

static void phone(const char *in, int rc, const char *out)
{
	struct strbuf o = STRBUF_INIT;
	int got = field_phone_normalize(in, &o);
	is_int(got, rc, "phone \"%s\": status", in);
	if (rc >= 0)
		is_str(o.buf, out, "phone \"%s\"", in);
	strbuf_release(&o);
}

static void near(const char *a, const char *b, bool want)
{
	const char *why = NULL;
	is_int(merge_structure_keys_near(a, b, &why), want, "\"%s\" / \"%s\" %s", a, b,
	       want ? "near" : "not near");
}

int main(void)
{
	struct hmap m = HMAP_INIT;
	const char *why;
	int created, i;
	long long sum = 0;

	setlocale(LC_ALL, "C.UTF-8");

	is_int(roster_field_guess("Nom prénom"), RF_NOM_PRENOM, "Nom prénom");
	is_int(roster_field_guess("NOM PRENOM"), RF_NOM_PRENOM, "NOM PRENOM");
	is_int(roster_field_guess("Prénom"), RF_PRENOM, "Prénom");
	is_int(roster_field_guess("Organisme"), RF_STRUCTURE, "Organisme");
	is_int(roster_field_guess("Employeur"), RF_STRUCTURE, "Employeur");
	is_int(roster_field_guess("Rôle"), RF_ROLE, "Rôle");
	is_int(roster_field_guess("E-mail"), RF_COURRIEL, "E-mail");
	is_int(roster_field_guess("Tél."), RF_TELEPHONE, "Tél.");
	is_int(roster_field_guess("Code postal"), RF_CODE_POSTAL, "Code postal");
	is_int(roster_field_guess("Statut"), RF_PRESENCE, "Statut");
	is_int(roster_field_guess("Thématiques"), RF_THEMES, "Thématiques");
	is_int(roster_field_guess("Zone d'intervention"), RF_TERRITOIRE, "Zone d'intervention");
	is_int(roster_field_guess("Remarque"), RF_NONE, "Remarque is unknown");
	is_int(roster_field_parse("nom_prenom"), RF_NOM_PRENOM, "--map nom_prenom");
	is_int(roster_field_parse("ignore"), RF_IGNORE, "--map ignore");
	is_int(roster_field_parse("Courriel"), RF_COURRIEL, "--map accepts a header word");
	is_int(roster_field_parse("zorglub"), RF_NONE, "--map zorglub is unknown");

	/* glued roles and excusé(e), from the minutes */
	/* found by fuzz_import_fields: a leading character with byte E2 (as the en dash) was cut in half */
	cell("\xe2\x90\x93MJC CS", "\xe2\x90\x93MJC CS", "", false);
	cell("– Mairie de Privas", "Mairie de Privas", "", false);
	cell("Numérian", "Numérian", "", false);
	cell("Numérian responsable du pôle communication et des relations avec les collectivités",
	     "Numérian", "responsable du pôle communication et des relations avec les collectivités", false);
	cell("Vice-président de Numérian", "Numérian", "Vice-président", false);
	cell("MJC CS La Voulte-sur-Rhône (directeur)", "MJC CS La Voulte-sur-Rhône", "directeur", false);
	cell("Mont à la Feira (EVS maison de vallée)", "Mont à la Feira (EVS maison de vallée)", "", false);
	cell("Préfecture chargé de mission Numérique", "Préfecture", "chargé de mission Numérique", false);
	cell("Réseau Canopé - directeur de l'atelier Canopé 07", "Réseau Canopé",
	     "directeur de l'atelier Canopé 07", false);
	cell("MJC Centre Social La Voulte excusé", "MJC Centre Social La Voulte", "", true);
	cell("Association AIME Bourg Saint Andéol excusée", "Association AIME Bourg Saint Andéol", "", true);
	cell("Croix Rouge excusé(e)", "Croix Rouge", "", true);
	cell("conseil départemental de l'Ardèche Direction accompagnement social insertion et emploi excusé",
	     "conseil départemental de l'Ardèche", "Direction accompagnement social insertion et emploi", true);
	cell("Direction départementale des territoires", "Direction départementale des territoires", "", false);
	cell("1 2 3 Services Alboussière - Communauté de communes Rhône Crussol",
	     "1 2 3 Services Alboussière - Communauté de communes Rhône Crussol", "", false);
	cell("Directrice de la MJC d'Annonay", "MJC d'Annonay", "Directrice", false);
	cell("excusée", "", "", true);

	{
		struct strbuf n = STRBUF_INIT;
		strbuf_addstr(&n, "PABION Samuel (excusé)");
		ok(roster_strip_excused(&n) && !strcmp(n.buf, "PABION Samuel"), "excusé after a name: \"%s\"", n.buf);
		strbuf_reset(&n);
		strbuf_addstr(&n, "Salvi Delphine - excusée");
		ok(roster_strip_excused(&n) && !strcmp(n.buf, "Salvi Delphine"), "excusée after a dash: \"%s\"", n.buf);
		strbuf_reset(&n);
		strbuf_addstr(&n, "Excuse Jean");
		ok(!roster_strip_excused(&n) && !strcmp(n.buf, "Excuse Jean"), "a name is left alone");
		strbuf_release(&n);
	}

	phone("06 12 34 56 78", 1, "+33612345678");
	phone("06.12.34.56.78", 1, "+33612345678");
	phone("+33 6 12 34 56 78", 1, "+33612345678");
	phone("+33 (0)4 75 11 22 33", 1, "+33475112233");
	phone("0033475112233", 1, "+33475112233");
	phone("475112233", 1, "+33475112233");
	phone("+33612345678", 0, "+33612345678");
	phone("+41 22 123 45 67", 1, "+41221234567");
	phone("12 34", -1, NULL);
	phone("appeler Marie", -1, NULL);

	ok(field_email_valid("marie.dupont@example.org"), "a plain email");
	ok(field_email_valid("a+b@sous.domaine.fr"), "plus and subdomain");
	ok(!field_email_valid("paul.martin@"), "no domain");
	ok(!field_email_valid("@example.org"), "no local part");
	ok(!field_email_valid("a b@example.org"), "a space");
	ok(!field_email_valid("a@b@example.org"), "two @");
	ok(!field_email_valid("a@example"), "no dot in the domain");
	ok(!field_email_valid("a@example..org"), "two dots");

	/* near duplicates of the issue, and pairs that must stay apart */
	near("caplab", "caplab privas", true);
	near("msa adl", "msa ardeche drome loire", true);
	near("pimms mediation france services", "pimms mediation", true);
	near("mjc cs voulte sur rhone", "mjc centre social voulte", true);
	near("clair obscur", "clair obscure", true);
	near("26 fk", "26fk", true);
	near("udaf ardeche", "udaf ardeche", false);
	near("ccas privas", "caf privas", false);
	near("epn privas", "mjc privas", false);
	near("ars lyon", "ars dd07", false);
	near("caf ardeche", "cidff ardeche", false);
	ok(merge_structure_keys_near("msa adl", "msa ardeche drome loire", &why) && why &&
	   strstr(why, "acronym"), "the acronym is the reason");

	ok(merge_person_names_near("Blanchard", "Jean", "BLANCHARD", "Jean-Marc", &why), "Jean / Jean-Marc");
	ok(merge_person_names_near("Blanchard", "Jean Marc", "Blanchart", "Jean Marc", &why), "Blanchard / Blanchart");
	ok(!merge_person_names_near("Gaillard", "Antony", "GAILLARD", "Isabelle", &why),
	   "Antony and Isabelle Gaillard are two people");
	ok(!merge_person_names_near("Blanchard", "Jean Marc", "BLANCHARD", "Jean-Marc", &why),
	   "the same name is not a near match (it is a match)");

	/* hmap with binary keys (ids) and growth */
	hmap_reserve(&m, 3000);
	ok(m.cap >= 4096 && m.n == 0, "hmap_reserve makes room without keys");
	for (i = 1; i <= 5000; i++) {
		long long id = i;
		hmap_put(&m, (const char *)&id, sizeof(id), &created)->num = i * 2;
	}
	for (i = 1; i <= 5000; i++) {
		long long id = i;
		struct hmap_entry *e = hmap_get(&m, (const char *)&id, sizeof(id));
		sum += e ? e->num : -1000000;
	}
	is_int(m.n, 5000, "hmap holds 5000 ids");
	is_int(sum, 5000LL * 5001, "every id found with its value");
	hmap_put(&m, (const char *)&sum, sizeof(sum), &created);
	ok(created, "a new key is created");
	hmap_put(&m, (const char *)&sum, sizeof(sum), &created);
	ok(!created, "an existing key is found");
	hmap_clear(&m);
	is_int(m.n, 0, "hmap cleared");
	return tap_done();
}
