/*
 * roster_parse: the pure text side of the roster importer (see roster.h):
 * which field a header names, how a structure cell hides a role or an
 * "excusé(e)", what a phone number or an email looks like. No database.
 */
#include "csv/roster.h"
#include "core/text.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ headers */

static const char *const field_names[RF_COUNT] = {
	[RF_NONE] = "", [RF_IGNORE] = "ignore", [RF_NOM_PRENOM] = "nom_prenom",
	[RF_NOM] = "nom", [RF_PRENOM] = "prenom", [RF_STRUCTURE] = "structure",
	[RF_ROLE] = "role", [RF_COMMUNE] = "commune", [RF_CODE_POSTAL] = "code_postal",
	[RF_COURRIEL] = "courriel", [RF_TELEPHONE] = "telephone", [RF_PRESENCE] = "presence",
	[RF_THEMES] = "themes", [RF_TERRITOIRE] = "territoire",
};

/* Folded header spellings (text_norm) per field. */
static const struct {
	enum roster_field f;
	const char *norm;
} headers[] = {
	{ RF_NOM_PRENOM, "nom prenom" }, { RF_NOM_PRENOM, "nom et prenom" },
	{ RF_NOM_PRENOM, "nom prenoms" }, { RF_NOM_PRENOM, "nom complet" },
	{ RF_NOM_PRENOM, "name" }, { RF_NOM_PRENOM, "full name" }, { RF_NOM_PRENOM, "participant" },
	{ RF_NOM_PRENOM, "participants" }, { RF_NOM_PRENOM, "personne" }, { RF_NOM_PRENOM, "identite" },
	{ RF_NOM_PRENOM, "presents" },
	{ RF_NOM, "nom" }, { RF_NOM, "nom de famille" }, { RF_NOM, "last name" },
	{ RF_NOM, "lastname" }, { RF_NOM, "surname" }, { RF_NOM, "family name" },
	{ RF_PRENOM, "prenom" }, { RF_PRENOM, "prenoms" }, { RF_PRENOM, "first name" },
	{ RF_PRENOM, "firstname" }, { RF_PRENOM, "given name" },
	{ RF_STRUCTURE, "structure" }, { RF_STRUCTURE, "organisme" }, { RF_STRUCTURE, "employeur" },
	{ RF_STRUCTURE, "organisation" }, { RF_STRUCTURE, "organization" },
	{ RF_STRUCTURE, "etablissement" }, { RF_STRUCTURE, "entreprise" },
	{ RF_STRUCTURE, "company" }, { RF_STRUCTURE, "employer" }, { RF_STRUCTURE, "structure employeuse" },
	{ RF_ROLE, "fonction" }, { RF_ROLE, "role" }, { RF_ROLE, "poste" }, { RF_ROLE, "job title" },
	{ RF_ROLE, "position" }, { RF_ROLE, "title" }, { RF_ROLE, "job" }, { RF_ROLE, "qualite" },
	{ RF_COMMUNE, "commune" }, { RF_COMMUNE, "ville" }, { RF_COMMUNE, "city" },
	{ RF_COMMUNE, "town" }, { RF_COMMUNE, "localite" },
	{ RF_CODE_POSTAL, "code postal" }, { RF_CODE_POSTAL, "cp" }, { RF_CODE_POSTAL, "postcode" },
	{ RF_CODE_POSTAL, "postal code" }, { RF_CODE_POSTAL, "zip" }, { RF_CODE_POSTAL, "zip code" },
	{ RF_COURRIEL, "courriel" }, { RF_COURRIEL, "courriels" }, { RF_COURRIEL, "email" },
	{ RF_COURRIEL, "e mail" }, { RF_COURRIEL, "mail" }, { RF_COURRIEL, "adresse mail" },
	{ RF_COURRIEL, "adresse email" }, { RF_COURRIEL, "adresse e mail" },
	{ RF_COURRIEL, "adresse electronique" }, { RF_COURRIEL, "mel" },
	{ RF_TELEPHONE, "telephone" }, { RF_TELEPHONE, "tel" }, { RF_TELEPHONE, "portable" },
	{ RF_TELEPHONE, "phone" }, { RF_TELEPHONE, "mobile" }, { RF_TELEPHONE, "telephones" },
	{ RF_TELEPHONE, "telephone portable" }, { RF_TELEPHONE, "numero de telephone" },
	{ RF_PRESENCE, "presence" }, { RF_PRESENCE, "statut" }, { RF_PRESENCE, "status" },
	{ RF_PRESENCE, "attendance" }, { RF_PRESENCE, "present" },
	{ RF_THEMES, "competences" }, { RF_THEMES, "competence" }, { RF_THEMES, "thematiques" },
	{ RF_THEMES, "thematique" }, { RF_THEMES, "domaines" }, { RF_THEMES, "domaine" },
	{ RF_THEMES, "themes" }, { RF_THEMES, "skills" },
	{ RF_TERRITOIRE, "zone d intervention" }, { RF_TERRITOIRE, "zones d intervention" },
	{ RF_TERRITOIRE, "territoire" }, { RF_TERRITOIRE, "territoires" },
	{ RF_TERRITOIRE, "secteur" }, { RF_TERRITOIRE, "area" }, { RF_TERRITOIRE, "zone" },
};

const char *roster_field_name(enum roster_field f)
{
	return f < RF_COUNT ? field_names[f] : "";
}

enum roster_field roster_field_parse(const char *s)
{
	struct strbuf n = STRBUF_INIT;
	enum roster_field r = RF_NONE;
	int i;
	text_norm(&n, s, strlen(s));
	for (i = RF_IGNORE; i < RF_COUNT; i++) {
		struct strbuf f = STRBUF_INIT;
		text_norm(&f, field_names[i], strlen(field_names[i]));
		if (!strcmp(f.buf, n.buf))
			r = (enum roster_field)i;
		strbuf_release(&f);
	}
	if (r == RF_NONE)
		r = roster_field_guess(s);
	strbuf_release(&n);
	return r;
}

enum roster_field roster_field_guess(const char *header)
{
	struct strbuf n = STRBUF_INIT;
	enum roster_field r = RF_NONE;
	size_t i;
	text_norm(&n, header, strlen(header));
	for (i = 0; i < sizeof(headers) / sizeof(*headers); i++)
		if (!strcmp(headers[i].norm, n.buf)) {
			r = headers[i].f;
			break;
		}
	strbuf_release(&n);
	return r;
}

/* ----------------------------------------------------- structure cells */

/* Words that start a role, folded, matched as whole words. */
static const char *const role_words[] = {
	"adjoint", "adjointe", "agent", "agente", "animateur", "animatrice", "assistant",
	"assistante", "benevole", "bureau", "charge de", "charge d", "chargee de", "chargee d",
	"chef", "cheffe", "conseiller", "conseillere", "coordinateur", "coordinatrice",
	"coordonnateur", "coordonnatrice", "delegue", "deleguee", "direction", "directeur",
	"directrice", "educateur", "educatrice", "elu", "elue", "gestionnaire", "mediateur",
	"mediatrice", "president", "presidente", "referent", "referente", "responsable",
	"secretaire", "service civique", "stagiaire", "technicien", "technicienne",
	"travailleur social", "travailleuse sociale", "vice president", "vice presidente",
};

/* Whether norm (a text_norm key) starts with a role word; front says the
 * role comes before "de <structure>", where a service name is unlikely. */
static bool starts_with_role(const char *norm, bool front)
{
	size_t i;
	for (i = 0; i < sizeof(role_words) / sizeof(*role_words); i++) {
		size_t l = strlen(role_words[i]);
		if (!strncmp(norm, role_words[i], l) && (norm[l] == ' ' || !norm[l])) {
			if (front && (!strcmp(role_words[i], "bureau") || !strcmp(role_words[i], "direction")))
				return false;
			return true;
		}
	}
	return false;
}

struct cword {
	size_t off, len;  /* in the cell */
};

static size_t cell_words(const char *s, struct cword *w, size_t max)
{
	size_t i = 0, n = 0;
	while (s[i] && n < max) {
		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			i++;
		if (!s[i])
			break;
		w[n].off = i;
		while (s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			i++;
		w[n].len = i - w[n].off;
		n++;
	}
	return n;
}

static bool norm_is(const char *s, size_t len, const char *const *set, size_t nset)
{
	struct strbuf n = STRBUF_INIT;
	bool r = false;
	size_t i;
	text_norm(&n, s, len);
	for (i = 0; i < nset && !r; i++)
		r = !strcmp(n.buf, set[i]);
	strbuf_release(&n);
	return r;
}

static bool is_excused_word(const char *s, size_t len)
{
	static const char *const ex[] = { "excuse", "excusee", "excuses", "excusees", "excuse e",
					  "excuse es", "excuse ee" };
	return norm_is(s, len, ex, sizeof(ex) / sizeof(*ex));
}

bool roster_strip_excused(struct strbuf *cell)
{
	struct cword w[64];
	size_t n = cell_words(cell->buf, w, 64);
	bool ex = false;
	while (n > 1 && is_excused_word(cell->buf + w[n - 1].off, w[n - 1].len)) {
		ex = true;
		n--;
	}
	if (ex) {
		size_t end = w[n - 1].off + w[n - 1].len;
		while (end > 0 && strchr(" ,-(", cell->buf[end - 1]))
			end--;
		strbuf_setlen(cell, end);
	}
	return ex;
}

/* Appends s[from..to) trimmed of spaces and separators left at the ends. */
static void add_trimmed(struct strbuf *out, const char *s, size_t from, size_t to)
{
	/* ASCII separators byte by byte, an en dash (E2 80 93) whole: a
	 * byte-wise set with the dash in it cut other characters in half */
	while (from < to && (strchr(" \t-,:;/", s[from]) ||
			     (to - from >= 3 && !memcmp(s + from, "\xe2\x80\x93", 3))))
		from += s[from] == '\xe2' ? 3 : 1;
	while (to > from && strchr(" \t-,:;/", s[to - 1]))
		to--;
	/* an en dash is three bytes: E2 80 93 */
	while (to >= from + 3 && !memcmp(s + to - 3, "\xe2\x80\x93", 3)) {
		to -= 3;
		while (to > from && strchr(" \t-,:;/", s[to - 1]))
			to--;
	}
	strbuf_add(out, s + from, to - from);
}

/* "Vice-président de Numérian": role first, then "de" and the structure. */
static bool split_front_role(const char *s, const struct cword *w, size_t n,
			     struct strbuf *name, struct strbuf *role)
{
	static const char *const de[] = { "de", "du", "des", "de la", "de l" };
	struct strbuf norm = STRBUF_INIT;
	size_t j;
	bool r = false;

	text_norm(&norm, s, strlen(s));
	if (!starts_with_role(norm.buf, true))
		goto done;
	for (j = 1; j + 1 < n; j++) {
		size_t start = w[j + 1].off;
		if (norm_is(s + w[j].off, w[j].len, de, 3)) {
			;
		} else if (w[j].len > 2 && (s[w[j].off] == 'd' || s[w[j].off] == 'D') &&
			   (s[w[j].off + 1] == '\'' || !strncmp(s + w[j].off + 1, "\xe2\x80\x99", 3))) {
			start = w[j].off + (s[w[j].off + 1] == '\'' ? 2 : 4);
		} else {
			continue;
		}
		add_trimmed(role, s, 0, w[j].off);
		/* "de la MJC": the article is not part of the name */
		if (norm_is(s + w[j + 1].off, w[j + 1].len, (const char *const[]){ "la", "le", "les", "l" }, 4) &&
		    j + 2 < n)
			start = w[j + 2].off;
		add_trimmed(name, s, start, strlen(s));
		r = name->len > 0;
		break;
	}
done:
	strbuf_release(&norm);
	return r;
}

void roster_split_structure(const char *cell, struct strbuf *name, struct strbuf *role,
			    bool *excused)
{
	struct cword w[64];
	size_t n = cell_words(cell, w, 64), end, i;
	struct strbuf rest = STRBUF_INIT;

	*excused = false;
	/* "... excusée", "... (excusé)", "... excusé(e)" */
	while (n > 1 && is_excused_word(cell + w[n - 1].off, w[n - 1].len)) {
		*excused = true;
		n--;
	}
	if (n == 1 && is_excused_word(cell + w[0].off, w[0].len)) {
		*excused = true;
		return;
	}
	if (!n)
		return;
	end = w[n - 1].off + w[n - 1].len;

	/* a parenthesized role at the end: "MJC CS La Voulte-sur-Rhône (directeur)" */
	if (cell[end - 1] == ')') {
		const char *open = NULL;
		for (i = end - 1; i > 0; i--)
			if (cell[i - 1] == '(') {
				open = cell + i - 1;
				break;
			}
		if (open && open > cell) {
			text_norm(&rest, open + 1, (size_t)(cell + end - 1 - (open + 1)));
			if (starts_with_role(rest.buf, false)) {
				add_trimmed(role, cell, (size_t)(open + 1 - cell), end - 1);
				add_trimmed(name, cell, 0, (size_t)(open - cell));
				strbuf_release(&rest);
				return;
			}
		}
	}
	if (split_front_role(cell, w, n, name, role)) {
		strbuf_release(&rest);
		return;
	}
	strbuf_reset(role);
	strbuf_reset(name);
	/* a role after the name: "Numérian responsable du pôle ..." */
	for (i = 1; i < n; i++) {
		strbuf_reset(&rest);
		text_norm(&rest, cell + w[i].off, end - w[i].off);
		if (starts_with_role(rest.buf, false)) {
			add_trimmed(role, cell, w[i].off, end);
			add_trimmed(name, cell, 0, w[i].off);
			if (name->len) {
				strbuf_release(&rest);
				return;
			}
			strbuf_reset(role);
			strbuf_reset(name);
		}
	}
	add_trimmed(name, cell, 0, end);
	strbuf_release(&rest);
}
