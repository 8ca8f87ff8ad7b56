/*
 * territories: the territories a structure's name names (see territories.h).
 *
 * Everything is compared on text_norm() keys with spaces around, so that a
 * name is found as whole words: " ardeche " in " caf ardeche ".
 */
#include "core/territories.h"
#include "core/communes.h"
#include "core/text.h"
#include "db/db.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct named {
	const char *kind;
	char code[16];
	char *key;        /* " words " (départements, régions); EPCI: its distinctive words */
	size_t nwords;
};

struct territory_names {
	struct named *v;
	size_t n, alloc;
};

/* Words that say nothing about which EPCI: its kind and the little words. */
static bool epci_filler(const char *w, size_t len)
{
	static const char *const f[] = { "cc", "ca", "cu", "communaute", "communes", "commune",
		"agglomeration", "urbaine", "metropole", "de", "des", "du", "d", "la", "le", "les",
		"l", "et", "en", "sur", "aux", "au", "a" };
	size_t i;
	for (i = 0; i < sizeof(f) / sizeof(*f); i++)
		if (strlen(f[i]) == len && !memcmp(f[i], w, len))
			return true;
	return false;
}

/* " w1 w2 " of an EPCI's distinctive words; *n their number. */
static char *epci_key(const char *norm, size_t *n)
{
	struct strbuf sb = STRBUF_INIT;
	*n = 0;
	strbuf_addch(&sb, ' ');
	while (*norm) {
		size_t l = strcspn(norm, " ");
		if (!epci_filler(norm, l)) {
			strbuf_add(&sb, norm, l);
			strbuf_addch(&sb, ' ');
			(*n)++;
		}
		norm += l;
		while (*norm == ' ')
			norm++;
	}
	return strbuf_detach(&sb, NULL);
}

static void add(struct territory_names *t, const char *kind, const char *code, const char *nom)
{
	struct named *e;
	struct strbuf k = STRBUF_INIT;
	if (!code || !nom || strlen(code) >= sizeof(e->code))
		return;
	XGROW(t->v, t->alloc, t->n + 1);
	e = &t->v[t->n++];
	e->kind = kind;
	memcpy(e->code, code, strlen(code) + 1);
	text_norm(&k, nom, strlen(nom));
	if (!strcmp(kind, "epci")) {
		e->key = epci_key(k.buf, &e->nwords);
		strbuf_release(&k);
	} else {
		struct strbuf sp = STRBUF_INIT;
		strbuf_addf(&sp, " %s ", k.buf);
		strbuf_release(&k);
		e->key = strbuf_detach(&sp, NULL);
		e->nwords = 1;
	}
}

int territory_names_load(sqlite3 *db, struct territory_names **out)
{
	static const char sql[] = "SELECT 'epci', siren, nom FROM epci UNION ALL "
		"SELECT 'departement', code, nom FROM departements UNION ALL "
		"SELECT 'region', code, nom FROM regions";
	struct territory_names *t = xcalloc(1, sizeof(*t));
	sqlite3_stmt *st;
	int rc;
	if (db_prepare(db, sql, &st)) {
		free(t);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		add(t, !strcmp(kind, "epci") ? "epci" : !strcmp(kind, "region") ? "region" : "departement",
		    (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		territory_names_free(t);
		return db_error(db, "territories");
	}
	add(t, "region", "84", "AURA"); /* as the region is called in the field */
	*out = t;
	return 0;
}

void territory_names_free(struct territory_names *t)
{
	size_t i;
	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->v[i].key);
	free(t->v);
	free(t);
}

/* Whether every word of key (" a b ") is a word of name (" ... "). */
static bool all_words_in(const char *key, const char *name)
{
	struct strbuf w = STRBUF_INIT;
	bool all = true;
	key++;
	while (*key && all) {
		size_t l = strcspn(key, " ");
		strbuf_reset(&w);
		strbuf_addch(&w, ' ');
		strbuf_add(&w, key, l);
		strbuf_addch(&w, ' ');
		all = strstr(name, w.buf) != NULL;
		key += l + 1;
	}
	strbuf_release(&w);
	return all;
}

static void push(struct territory_ref *out, size_t max, size_t *n, const char *kind, const char *code)
{
	size_t i;
	for (i = 0; i < *n; i++)
		if (out[i].kind == kind && !strcmp(out[i].code, code))
			return;
	if (*n >= max)
		return;
	out[*n].kind = kind;
	snprintf(out[*n].code, sizeof(out[*n].code), "%s", code);
	(*n)++;
}

static bool dep_code_word_any(const char *w, size_t l, char code[4])
{
	size_t a = 0;
	while (a < l && isalpha((unsigned char)w[a]))
		a++;
	if (a == 1 || (a && l - a != 2))
		return false;  /* "dd07", not "a07" nor "ddets123" */
	w += a, l -= a;
	if (l == 2 && isdigit((unsigned char)w[0]) && isdigit((unsigned char)w[1]) &&
	    !(w[0] == '0' && w[1] == '0') && !(w[0] == '2' && w[1] == '0') && !(w[0] == '9' && w[1] > '5')) {
		memcpy(code, w, 2);
		code[2] = '\0';
		return true;
	}
	if (!a && l == 2 && w[0] == '2' && (w[1] == 'a' || w[1] == 'b')) {
		code[0] = '2', code[1] = (char)toupper((unsigned char)w[1]), code[2] = '\0';
		return true;
	}
	if (!a && l == 3 && !strncmp(w, "97", 2) && w[2] >= '1' && w[2] <= '6') {
		memcpy(code, w, 3);
		code[3] = '\0';
		return true;
	}
	return false;
}

/*
 * A département code written after the first word: "07" (with its zero),
 * "DD07", "2A", "974", or the hint's code: "Collectif 31" is a name.
 */
static bool dep_code_word(const char *w, size_t l, const char *hint, char code[4])
{
	if (!dep_code_word_any(w, l, code))
		return false;
	return code[0] == '0' || isalpha((unsigned char)w[0]) || code[1] > '9' || strlen(code) == 3 ||
	       (hint && !strcmp(hint, code));
}

/*
 * The commune after "mairie de", "commune d", "ville de", "prefecture de",
 * "sous prefecture de", "hotel de ville de": the longest run of the words
 * that follow that is one commune. 1 found (code), 0 none, -1 error.
 */
static int commune_after_prefix(sqlite3 *db, const char *norm, char code[16])
{
	static const char *const prefixes[] = { "mairie ", "commune ", "ville ", "prefecture ",
		"sous prefecture ", "hotel de ville " };
	struct strbuf rest = STRBUF_INIT;
	struct commune_clue clue = { 0 };
	struct commune_guess g;
	const char *p = NULL;
	size_t i, len;
	int rc = 0;

	for (i = 0; i < sizeof(prefixes) / sizeof(*prefixes) && !p; i++) {
		len = strlen(prefixes[i]);
		if (!strncmp(norm, prefixes[i], len))
			p = norm + len;
	}
	if (!p)
		return 0;
	for (i = 0; i < 4; i++) {
		static const char *const links[] = { "de ", "d ", "du ", "des " };
		if (!strncmp(p, links[i], strlen(links[i]))) {
			p += strlen(links[i]);
			break;
		}
	}
	strbuf_addstr(&rest, p);
	while (rest.len && !rc) {
		clue.nom = rest.buf;
		if (communes_resolve(db, &clue, &g)) {
			rc = -1;
			break;
		}
		if (g.how == COMMUNE_HOW_EXACT || g.how == COMMUNE_HOW_SPELLING) {
			snprintf(code, 16, "%s", g.code_insee);
			rc = 1;
			break;
		}
		len = rest.len;
		while (len && rest.buf[len - 1] != ' ')
			len--;
		strbuf_setlen(&rest, len ? len - 1 : 0);
	}
	strbuf_release(&rest);
	return rc;
}

/* The longest run of two words or more that is exactly one commune's name ("la voulte sur rhone"). */
static int commune_run(sqlite3 *db, const char *norm, const char *hint, char code[16])
{
	sqlite3_stmt *st;
	size_t wo[24], n = 0, i, k;
	const char *p = norm;
	int rc = 0;
	while (*p && n < 24) {
		wo[n++] = (size_t)(p - norm);
		p += strcspn(p, " ");
		while (*p == ' ')
			p++;
	}
	if (n < 2)
		return 0;
	if (db_prepare(db, "SELECT code_insee, departement FROM communes WHERE nom_norm = ?1", &st))
		return -1;
	for (k = n < 6 ? n : 6; k >= 2 && !rc; k--) {
		for (i = 0; i + k <= n && !rc; i++) {
			size_t end = i + k < n ? wo[i + k] - 1 : strlen(norm), hits = 0;
			int r;
			sqlite3_bind_text(st, 1, norm + wo[i], (int)(end - wo[i]), SQLITE_STATIC);
			while ((r = sqlite3_step(st)) == SQLITE_ROW) {
				const char *dep = (const char *)sqlite3_column_text(st, 1);
				/* a name several communes bear: the one of the hint's département */
				if (hits++ && !(hint && dep && !strcmp(dep, hint)))
					continue;
				snprintf(code, 16, "%s", (const char *)sqlite3_column_text(st, 0));
				if (hint && dep && !strcmp(dep, hint))
					hits = 1;
			}
			sqlite3_reset(st);
			if (r != SQLITE_DONE) {
				rc = -1;
				db_error(db, "communes");
			} else if (hits == 1) {
				rc = 1;
			}
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * The last words as a commune of the hint's département, forgiving a
 * missing suffix: "MJC Centre Social La Voulte" (La Voulte-sur-Rhône).
 */
static int commune_tail(sqlite3 *db, const char *norm, const char *hint, char code[16])
{
	struct commune_clue clue = { .departement = hint };
	struct commune_guess g;
	const char *p;
	size_t words = 0;
	if (!hint || !*hint)
		return 0;
	for (p = norm + strlen(norm); p > norm && words < 4; p--) {
		if (p[-1] != ' ')
			continue;
		words++;
		if (strlen(p) < 5)
			continue;
		clue.nom = p;
		if (communes_resolve(db, &clue, &g))
			return -1;
		if (g.how == COMMUNE_HOW_EXACT || g.how == COMMUNE_HOW_SPELLING || g.how == COMMUNE_HOW_AFFIX) {
			snprintf(code, 16, "%s", g.code_insee);
			return 1;
		}
	}
	return 0;
}

int territories_from_name(sqlite3 *db, const struct territory_names *t, const char *name,
			  const char *hint, struct territory_ref *out, size_t max, size_t *n)
{
	struct strbuf norm = STRBUF_INIT, sp = STRBUF_INIT;
	char code[16];
	size_t i, first_end;
	const char *w;
	int rc = 0;

	*n = 0;
	text_norm(&norm, name, strlen(name));
	if ((rc = commune_after_prefix(db, norm.buf, code)) == 0 &&
	    (rc = commune_run(db, norm.buf, hint, code)) == 0)
		rc = commune_tail(db, norm.buf, hint, code);
	if (rc < 0)
		goto done;
	if (rc == 1)
		push(out, max, n, "commune", code);
	rc = 0;
	strbuf_addf(&sp, " %s ", norm.buf);
	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].kind, "epci") && t->v[i].nwords >= 2 && all_words_in(t->v[i].key, sp.buf))
			push(out, max, n, "epci", t->v[i].code);
	if (*n)
		goto done;
	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].kind, "departement") && strstr(sp.buf, t->v[i].key))
			push(out, max, n, "departement", t->v[i].code);
	/* "Haute-Loire" names Haute-Loire, not Loire as well */
	for (i = 0; i < *n; i++) {
		size_t j, k;
		const char *ki = NULL;
		for (k = 0; k < t->n; k++)
			if (!strcmp(t->v[k].kind, "departement") && !strcmp(t->v[k].code, out[i].code))
				ki = t->v[k].key;
		for (j = 0; ki && j < *n; j++) {
			const char *kj = NULL;
			if (j == i)
				continue;
			for (k = 0; k < t->n; k++)
				if (!strcmp(t->v[k].kind, "departement") && !strcmp(t->v[k].code, out[j].code))
					kj = t->v[k].key;
			if (kj && strlen(kj) > strlen(ki) && strstr(kj, ki + 1)) {
				memmove(&out[i], &out[i + 1], (*n - i - 1) * sizeof(*out));
				(*n)--;
				i--;
				break;
			}
		}
	}
	first_end = strcspn(norm.buf, " ");
	for (w = norm.buf + first_end; *w;) {
		size_t l;
		char dep[4];
		while (*w == ' ')
			w++;
		l = strcspn(w, " ");
		if (l && dep_code_word(w, l, hint, dep))
			push(out, max, n, "departement", dep);
		w += l;
	}
	if (*n)
		goto done;
	for (i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].kind, "region") && strstr(sp.buf, t->v[i].key))
			push(out, max, n, "region", t->v[i].code);
done:
	strbuf_release(&norm);
	strbuf_release(&sp);
	return rc;
}
