/* persons: parsing and identity keys of person names (see persons.h). */
#include "core/persons.h"
#include "core/text.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define MAX_WORDS 32

int person_is_particle(const char *tok, size_t len)
{
	static const char *const words[] = {
		"ben", "d", "da", "das", "de", "dei", "del", "della", "den", "der", "des", "di",
		"do", "dos", "du", "el", "la", "le", "lo", "mac", "mc", "ten", "ter", "van", "von",
	};
	size_t i;
	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strlen(words[i]) == len && !memcmp(words[i], tok, len))
			return 1;
	return 0;
}

struct word {
	const char *s;
	size_t len;
	bool upper;    /* two letters or more, none lowercase: "THY", "ORLANDO-KOSIK" */
	bool particle; /* folded, a particle: "De", "di", "D'" */
};

static bool word_is_upper(const char *s, size_t len)
{
	size_t i = 0, letters = 0;
	while (i < len) {
		int32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		if (utf8proc_islower(cp))
			return false;
		if (utf8proc_isupper(cp))
			letters++;
	}
	return letters >= 2;
}

static bool word_is_particle(const char *s, size_t len)
{
	struct strbuf n = STRBUF_INIT;
	bool r;
	if (len > 5)  /* no particle is longer than "della": skip the folding */
		return false;
	text_norm(&n, s, len);
	/* "D'Alembert" folds to "d alembert": only a bare particle counts */
	r = n.len && !strchr(n.buf, ' ') && person_is_particle(n.buf, n.len);
	strbuf_release(&n);
	return r;
}

static size_t split_words(const char *full, struct word *w, size_t max)
{
	const char *p = full;
	size_t n = 0;
	while (*p && n < max) {
		size_t len;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		len = strcspn(p, " \t\r\n");
		w[n].s = p;
		w[n].len = len;
		w[n].upper = word_is_upper(p, len);
		w[n].particle = word_is_particle(p, len);
		n++;
		p += len;
	}
	return n;
}

/* From word i (the first family word), how far the family name goes. */
static size_t family_end(const struct word *w, size_t n, size_t i, bool all_upper)
{
	i++;
	if (!all_upper)
		while (i < n && w[i].upper)
			i++;
	/* particles always take the word after them: "Scotto Di Vettimo" */
	while (i + 1 < n && w[i].particle) {
		while (i + 1 < n && w[i].particle)
			i++;
		i++;
		if (!all_upper)
			while (i < n && w[i].upper)
				i++;
	}
	return i < n ? i : n;
}

static void add_words(struct strbuf *out, const struct word *w, size_t from, size_t to)
{
	size_t i;
	for (i = from; i < to; i++) {
		if (out->len)
			strbuf_addch(out, ' ');
		strbuf_add(out, w[i].s, w[i].len);
	}
}

void person_name_split(const char *full, struct strbuf *nom, struct strbuf *prenom)
{
	struct word w[MAX_WORDS];
	size_t n = split_words(full, w, MAX_WORDS), i, start = 0, end;
	bool all_upper = true, any_upper = false;

	if (!n)
		return;
	for (i = 0; i < n; i++) {
		if (!w[i].upper && !w[i].particle)
			all_upper = false;
		if (w[i].upper)
			any_upper = true;
	}
	while (start + 1 < n && w[start].particle)
		start++;
	/* "Jean-Marc BLANCHARD": the capitals are the family name wherever they are */
	/* (the capitals must come after the leading particles: "DE martin"
	 * has none there and is read in the default order) */
	for (i = start; i < n && !w[i].upper; i++)
		;
	if (!all_upper && any_upper && !w[start].upper && i < n) {
		start = i;
		while (start > 0 && w[start - 1].particle)
			start--;
		i = start;
		while (i + 1 < n && w[i].particle)
			i++;
		end = family_end(w, n, i, false);
		add_words(nom, w, start, end);
		add_words(prenom, w, 0, start);
		add_words(prenom, w, end, n);
		return;
	}
	end = family_end(w, n, start, all_upper);
	add_words(nom, w, 0, end);
	add_words(prenom, w, end, n);
}

struct tokens {
	const char **v;
	size_t *len;
	size_t n, alloc, lalloc;
};

static int collect(const char *tok, size_t len, void *arg)
{
	struct tokens *t = arg;
	XGROW(t->v, t->alloc, t->n + 1);
	XGROW(t->len, t->lalloc, t->n + 1);
	t->v[t->n] = tok;
	t->len[t->n] = len;
	t->n++;
	return 0;
}

static int cmp_tok(const struct tokens *t, size_t a, size_t b)
{
	size_t la = t->len[a], lb = t->len[b];
	int c = memcmp(t->v[a], t->v[b], la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

void person_name_key(struct strbuf *out, const char *nom, const char *prenom)
{
	struct strbuf norm = STRBUF_INIT, all = STRBUF_INIT;
	struct tokens t = { 0 };
	size_t i, j;

	if (nom)
		strbuf_addstr(&all, nom);
	strbuf_addch(&all, ' ');
	if (prenom)
		strbuf_addstr(&all, prenom);
	text_norm(&norm, all.buf, all.len);
	text_each_token(norm.buf, collect, &t);
	/* insertion sort: a name has a handful of tokens */
	for (i = 1; i < t.n; i++)
		for (j = i; j > 0 && cmp_tok(&t, j - 1, j) > 0; j--) {
			const char *s = t.v[j];
			size_t l = t.len[j];
			t.v[j] = t.v[j - 1];
			t.len[j] = t.len[j - 1];
			t.v[j - 1] = s;
			t.len[j - 1] = l;
		}
	for (i = 0; i < t.n; i++) {
		if (i)
			strbuf_addch(out, ' ');
		strbuf_add(out, t.v[i], t.len[i]);
	}
	free(t.v);
	free(t.len);
	strbuf_release(&norm);
	strbuf_release(&all);
}
