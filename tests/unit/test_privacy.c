/* test_privacy: what a referral note may not hold (src/core/privacy.c),
 * and the ordinary notes it must let through. */
#include "core/privacy.h"
#include "tap.h"

#include <string.h>

static void refused(const char *note, enum privacy_kind want, const char *part)
{
	size_t at = 0, len = 0;
	enum privacy_kind k = privacy_check(note, 2026, &at, &len);
	ok(k == want, "\"%s\" is refused as kind %d (got %d)", note, (int)want, (int)k);
	ok(len == strlen(part) && !strncmp(note + at, part, len), "\"%s\": the part found is \"%s\" (got \"%.*s\")",
	   note, part, (int)len, note + at);
}

static void allowed(const char *note)
{
	ok(privacy_check(note, 2026, NULL, NULL) == PRIVACY_OK, "\"%s\" is allowed", note);
}

int main(void)
{
	refused("jean.dupont@mail.fr", PRIVACY_EMAIL, "jean.dupont@mail.fr");
	refused("écrire à j_d+caf@exemple.co.uk svp", PRIVACY_EMAIL, "j_d+caf@exemple.co.uk");
	refused("06 12 34 56 78", PRIVACY_PHONE, "06 12 34 56 78");
	refused("tel 0612345678.", PRIVACY_PHONE, "0612345678");
	refused("appeler le 06.12.34.56.78", PRIVACY_PHONE, "06.12.34.56.78");
	refused("+33 6 12 34 56 78 le matin", PRIVACY_PHONE, "+33 6 12 34 56 78");
	refused("NIR 1 85 05 78 006 084 36", PRIVACY_ID_NUMBER, "1 85 05 78 006 084 36");
	refused("numéro fiscal 3012345678901", PRIVACY_ID_NUMBER, "3012345678901");
	refused("née le 3 mai", PRIVACY_BIRTH_DATE, "née le ");
	refused("date de naissance inconnue", PRIVACY_BIRTH_DATE, "naissance");
	refused("12/03/1958", PRIVACY_BIRTH_DATE, "12/03/1958");
	refused("habite 12 rue des Lilas", PRIVACY_ADDRESS, "12 rue");
	refused("3 bis avenue Foch", PRIVACY_ADDRESS, "3 bis avenue");
	refused("Mme Durand attend", PRIVACY_NAME, "Mme Durand");
	refused("M. Martin", PRIVACY_NAME, "M. Martin");

	allowed("besoin d'aide pour la CAF, 2 enfants");
	allowed("rendez-vous le 12/03/2026 à 14h");
	allowed("dossier retraite en ligne, compte ameli à créer");
	allowed("Privas 07000, mairie annexe");
	allowed("urgent : coupure d'électricité prévue");
	allowed("vient pour la 2e fois");
	allowed("ne le fait pas seul");
	allowed("adresse mail à créer @ la médiathèque");
	allowed("");
	ok(privacy_reason(PRIVACY_PHONE)[0] != '\0', "a refusal has a reason");
	return tap_done();
}
