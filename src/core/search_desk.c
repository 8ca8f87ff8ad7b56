/*
 * search_desk: the filters a mediator asks for at the desk, from fields
 * the national standard already carries: free of charge (frais_a_charge),
 * a specific support (prise_en_charge_specifique: deafness, motor
 * disability, foreign languages...), how to get in (modalites_acces: walk
 * in, phone, mail, prescription) and online booking (prise_rdv). Each is
 * a folded match on the '|'-joined values, in one SQL function.
 */
#include "core/search_int.h"

bool search_desk_asked(const struct search_query *q)
{
	return q->gratuit || q->rdv_en_ligne || (q->prise_en_charge && *q->prise_en_charge) ||
	       (q->acces && *q->acces);
}

/* Whether some '|'-joined value of list, folded, contains want (folded); prefix: begins with it. */
static bool value_has(const char *list, const char *want, bool prefix)
{
	struct strbuf n = STRBUF_INIT, w = STRBUF_INIT;
	bool found = false;
	if (!list || !want)
		return false;
	text_norm(&w, want, strlen(want));
	while (*list && !found) {
		size_t len = strcspn(list, "|");
		strbuf_reset(&n);
		text_norm(&n, list, len);
		found = w.len && (prefix ? !strncmp(n.buf, w.buf, w.len) : strstr(n.buf, w.buf) != NULL);
		list += len + (list[len] == '|');
	}
	strbuf_release(&n);
	strbuf_release(&w);
	return found;
}

/* The words people use for a specific support, folded: `word` is a whole
 * word, or with a trailing '*' any word it begins. */
static const struct {
	const char *label; /* as matched in prise_en_charge_specifique (folded: "langues etrangeres") */
	const char *words[10];
} supports[] = {
	{ "langues étrangères", { "anglais", "anglophone*", "english", "langue*", "etranger*", "traduct*",
				  "interpret*", "allophone*", "fle", NULL } },
	{ "surdité", { "sourd*", "surdite", "malentend*", "lsf", "signe", "signes", "signer", NULL } },
	{ "déficience visuelle", { "aveugle*", "malvoyant*", "visuel*", "cecite", "braille", NULL } },
	{ "illettrisme", { "illettr*", "analphabet*", NULL } },
	{ "handicaps moteurs", { "fauteuil*", "pmr", "moteur*", "motricite", NULL } },
	{ "handicaps mentaux", { "mental", "mentaux", NULL } },
	{ "handicaps psychiques", { "psychique*", NULL } },
	{ "handicap", { "handicap*", NULL } },
};

/* Whether one folded word (len bytes) is one of words[]. */
static bool support_word(const char *const *words, const char *w, size_t len)
{
	size_t j;
	for (j = 0; words[j]; j++) {
		size_t wl = strlen(words[j]);
		if (words[j][wl - 1] == '*' ? len >= wl - 1 && !strncmp(w, words[j], wl - 1)
					    : len == wl && !strncmp(w, words[j], len))
			return true;
	}
	return false;
}

/* The first label (the most specific: "handicap" comes last) that a word
 * of the phrase names. */
const char *search_support_label(const char *typed)
{
	char *key = text_norm_dup(typed ? typed : "");
	const char *found = NULL;
	size_t i;

	for (i = 0; i < sizeof(supports) / sizeof(*supports) && !found; i++) {
		const char *w = key;
		while (*w && !found) {
			size_t len = strcspn(w, " ");
			if (len && support_word(supports[i].words, w, len))
				found = supports[i].label;
			w += len;
			while (*w == ' ')
				w++;
		}
	}
	free(key);
	return found;
}

/* qfq_desk(frais, prise_en_charge, modalites_acces, prise_rdv): 1 when every desk filter holds. */
void search_desk_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct search_query *q = sqlite3_user_data(ctx);
	const char *frais = (const char *)sqlite3_value_text(argv[0]);
	const char *pec = (const char *)sqlite3_value_text(argv[1]);
	const char *acces = (const char *)sqlite3_value_text(argv[2]);
	const char *rdv = (const char *)sqlite3_value_text(argv[3]);
	bool ok = true;
	(void)argc;
	if (q->gratuit)
		ok = value_has(frais, "gratuit", true);
	if (ok && q->prise_en_charge && *q->prise_en_charge)
		ok = value_has(pec, q->prise_en_charge, false);
	if (ok && q->acces && *q->acces)
		ok = value_has(acces, q->acces, false);
	if (ok && q->rdv_en_ligne)
		ok = rdv && *rdv;
	sqlite3_result_int(ctx, ok);
}

/* The words of an access mode as people type them, folded (prefixes). */
static const char *const access_words[] = {
	"telephon", "mail", "courriel", "se presenter", "presenter", "sur place", "courrier",
	"prescri", "en ligne",
};

void search_desk_read(const char *line, struct search_settings *s, char **buf)
{
	struct strbuf rest = STRBUF_INIT, acc = STRBUF_INIT;
	char *norm = text_norm_dup(line ? line : ""), *w = norm;
	size_t i;

	s->gratuit = s->rdv_en_ligne = false;
	while (*w) {
		size_t len = strcspn(w, " ");
		bool used = false;
		if (len >= 4 && !strncmp(w, "gratuit", len < 7 ? len : 7)) {
			s->gratuit = used = true;
		} else if (!strncmp(w, "rdv en ligne", 12) || !strncmp(w, "rendez vous en ligne", 20) ||
			   (!strncmp(w, "en ligne", 8) && (w[8] == ' ' || !w[8]))) {
			s->rdv_en_ligne = used = true;
			len = !strncmp(w, "rdv", 3) ? 12 : !strncmp(w, "rendez", 6) ? 20 : 8;
		} else {
			for (i = 0; i < sizeof(access_words) / sizeof(*access_words) && !used; i++) {
				size_t al = strlen(access_words[i]);
				if (!strncmp(w, access_words[i], al)) {
					if (strchr(access_words[i], ' '))
						len = al;
					strbuf_add(&acc, w, len);
					used = true;
				}
			}
		}
		if (!used) {
			if (rest.len)
				strbuf_addch(&rest, ' ');
			strbuf_add(&rest, w, len);
		}
		w += len;
		while (*w == ' ')
			w++;
	}
	free(norm);
	/* one buffer owns both strings: "acces\0rest\0" */
	*buf = xmalloc(acc.len + rest.len + 2);
	memcpy(*buf, acc.buf ? acc.buf : "", acc.len + 1);
	memcpy(*buf + acc.len + 1, rest.buf ? rest.buf : "", rest.len + 1);
	s->acces = acc.len ? *buf : NULL;
	s->prise_en_charge = rest.len ? *buf + acc.len + 1 : NULL;
	strbuf_release(&acc);
	strbuf_release(&rest);
}
