/*
 * privacy: does a free text look like personal data of the public? (see
 * privacy.h). Pure code: byte scans over the UTF-8 text, words folded with
 * core/text.h for the street and civility vocabularies.
 */
#include "core/privacy.h"
#include "core/text.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_mail_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static void locate(size_t *start, size_t *len, size_t s, size_t e)
{
	if (start)
		*start = s;
	if (len)
		*len = e - s;
}

/* name@domain.tld: something before '@', a dot inside what follows. */
static int find_email(const char *t, size_t *s, size_t *e)
{
	const char *at;
	for (at = strchr(t, '@'); at; at = strchr(at + 1, '@')) {
		size_t i = (size_t)(at - t), a = i, b = i + 1;
		int dot = 0;
		while (a > 0 && is_mail_char(t[a - 1]))
			a--;
		while (isalnum((unsigned char)t[b]) || t[b] == '-' || (t[b] == '.' && isalnum((unsigned char)t[b + 1]))) {
			dot |= t[b] == '.';
			b++;
		}
		if (a < i && dot) {
			*s = a;
			*e = b;
			return 1;
		}
	}
	return 0;
}

/*
 * Runs of digits joined by single separators (space, dot, dash): "06 12 34
 * 56 78", "+33 6 12 34 56 78", "1 85 05 78 006 084 36". 9 or 10 digits, or
 * an international prefix, make a phone number; 11 and more an
 * identification number (social security: 13 + 2, tax number: 13, IBAN).
 */
static enum privacy_kind find_number(const char *t, size_t *s, size_t *e)
{
	size_t i = 0;
	while (t[i]) {
		size_t a = i, b, digits = 0, last = i;
		int intl = 0;
		if (t[i] == '+' && is_digit(t[i + 1])) {
			intl = 1;
			i++;
		} else if (!is_digit(t[i]) || (i > 0 && (isalnum((unsigned char)t[i - 1])))) {
			i++;
			continue;
		}
		b = i;
		while (t[b]) {
			if (is_digit(t[b])) {
				digits++;
				last = ++b;
			} else if ((t[b] == ' ' || t[b] == '.' || t[b] == '-') && is_digit(t[b + 1])) {
				b++;
			} else {
				break;
			}
		}
		if (!strncmp(t + i, "00", 2) && digits >= 11)
			intl = 1;
		if (digits >= 9) {
			*s = a;
			*e = last;
			return (intl || digits <= 10) ? PRIVACY_PHONE : PRIVACY_ID_NUMBER;
		}
		i = b > i ? b : i + 1;
	}
	return PRIVACY_OK;
}

/* d/m/yyyy (or with '.' or '-') whose year is at least two years back. */
static int find_old_date(const char *t, int this_year, size_t *s, size_t *e)
{
	size_t i;
	for (i = 0; t[i]; i++) {
		size_t j = i, n;
		int year = 0;
		char sep;
		if (!is_digit(t[i]) || (i > 0 && is_digit(t[i - 1])))
			continue;
		for (n = 0; is_digit(t[j]) && n < 3; j++)
			n++;
		if (n < 1 || n > 2 || (t[j] != '/' && t[j] != '.' && t[j] != '-'))
			continue;
		sep = t[j++];
		for (n = 0; is_digit(t[j]) && n < 3; j++)
			n++;
		if (n < 1 || n > 2 || t[j] != sep)
			continue;
		for (j++, n = 0; is_digit(t[j]); j++, n++)
			year = year * 10 + (t[j] - '0');
		if (n == 4 && year >= 1900 && year <= this_year - 2) {
			*s = i;
			*e = j;
			return 1;
		}
	}
	return 0;
}

/* "né le", "née le", "naissance", "DDN". */
static int find_birth_word(const char *t, size_t *s, size_t *e)
{
	static const char *const words[] = { "n\xc3\xa9 le ", "n\xc3\xa9" "e le ", "naissance", "ddn ", "n\xc3\xa9 en ",
					     "n\xc3\xa9" "e en " };
	size_t i, w;
	for (i = 0; t[i]; i++) {
		if (i > 0 && isalnum((unsigned char)t[i - 1]))
			continue;
		for (w = 0; w < sizeof(words) / sizeof(*words); w++) {
			size_t n = strlen(words[w]);
			if (!strncasecmp(t + i, words[w], n) || (!strcmp(words[w], "ddn ") && !strcasecmp(t + i, "ddn"))) {
				*s = i;
				*e = i + (strlen(t + i) < n ? strlen(t + i) : n);
				return 1;
			}
		}
	}
	return 0;
}

/* The words of t (split on spaces and punctuation) with their places. */
struct word {
	size_t start, end;
	char *norm; /* text_norm() of the word */
};

static size_t split_words(const char *t, struct word **out)
{
	size_t n = 0, alloc = 0, i = 0;
	struct word *v = NULL;
	while (t[i]) {
		size_t a;
		struct strbuf sb = STRBUF_INIT;
		while (t[i] && strchr(" \t\n\r,;:()\"", t[i]))
			i++;
		if (!t[i])
			break;
		a = i;
		while (t[i] && !strchr(" \t\n\r,;:()\"", t[i]))
			i++;
		text_norm(&sb, t + a, i - a);
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			v = xrealloc(v, alloc * sizeof(*v));
		}
		v[n].start = a;
		v[n].end = i;
		v[n].norm = strbuf_detach(&sb, NULL);
		n++;
	}
	*out = v;
	return n;
}

static int in_list(const char *w, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(w, *list))
			return 1;
	return 0;
}

static int all_digits(const char *w, size_t max)
{
	size_t n = strlen(w);
	return n >= 1 && n <= max && strspn(w, "0123456789") == n;
}

static enum privacy_kind find_address_or_name(const char *t, size_t *s, size_t *e)
{
	static const char *const streets[] = { "rue", "avenue", "av", "bd", "boulevard", "chemin", "ch", "impasse",
					       "allee", "place", "pl", "route", "rte", "quai", "cours", "lotissement",
					       "lot", "hameau", "lieu", "residence", "res", "batiment", "bat",
					       "appartement", "appt", "apt", "montee", "square", "passage", "voie",
					       "faubourg", "fg", "cite", "domaine", "clos", "sentier", "traverse", NULL };
	static const char *const suffixes[] = { "bis", "ter", "quater", "a", "b", "c", NULL };
	static const char *const civilities[] = { "m", "mr", "mme", "mlle", "monsieur", "madame",
						  "mademoiselle", NULL };
	struct word *w;
	size_t n = split_words(t, &w), i;
	enum privacy_kind kind = PRIVACY_OK;

	for (i = 0; i + 1 < n && kind == PRIVACY_OK; i++) {
		size_t k = i + 1;
		if (all_digits(w[i].norm, 4)) {
			if (in_list(w[k].norm, suffixes) && k + 1 < n)
				k++;
			if (in_list(w[k].norm, streets)) {
				kind = PRIVACY_ADDRESS;
				*s = w[i].start;
				*e = w[k].end;
			}
		} else if (in_list(w[i].norm, civilities) && isupper((unsigned char)t[w[k].start])) {
			kind = PRIVACY_NAME;
			*s = w[i].start;
			*e = w[k].end;
		}
	}
	for (i = 0; i < n; i++)
		free(w[i].norm);
	free(w);
	return kind;
}

enum privacy_kind privacy_check(const char *text, int this_year, size_t *start, size_t *len)
{
	size_t s = 0, e = 0;
	enum privacy_kind k = PRIVACY_OK;
	if (find_email(text, &s, &e))
		k = PRIVACY_EMAIL;
	else if (find_old_date(text, this_year, &s, &e) || find_birth_word(text, &s, &e))
		k = PRIVACY_BIRTH_DATE;
	else if ((k = find_number(text, &s, &e)) == PRIVACY_OK)
		k = find_address_or_name(text, &s, &e);
	if (k != PRIVACY_OK)
		locate(start, len, s, e);
	return k;
}

const char *privacy_reason(enum privacy_kind kind)
{
	switch (kind) {
	case PRIVACY_EMAIL: return _("it looks like an e-mail address");
	case PRIVACY_PHONE: return _("it looks like a phone number");
	case PRIVACY_ID_NUMBER: return _("it looks like an identification number (social security, tax, bank)");
	case PRIVACY_BIRTH_DATE: return _("it looks like a date of birth");
	case PRIVACY_ADDRESS: return _("it looks like a postal address");
	case PRIVACY_NAME: return _("it looks like a person's name");
	case PRIVACY_OK: break;
	}
	return "";
}
