/*
 * fields: the field rules shared by both importers (see fields.h).
 */
#include "csv/fields.h"
#include "util/strbuf.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

int field_phone_normalize(const char *s, struct strbuf *out)
{
	char d[32];
	size_t n = 0, before = out->len;
	bool plus = false;
	const char *p;

	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isdigit(c)) {
			if (n + 1 >= sizeof(d))
				return -1;
			d[n++] = (char)c;
		} else if (c == '+' && !n && !plus) {
			plus = true;
		} else if (c == '(' && p[1] == '0' && p[2] == ')' && plus) {
			p += 2; /* "+33 (0)4 ...": the trunk zero in brackets */
		} else if (c == 0xC2 && (unsigned char)p[1] == 0xA0) {
			p++;    /* a no-break space */
		} else if (!strchr(" .-/()\t", c)) {
			return -1;
		}
	}
	d[n] = '\0';
	if (!plus && n >= 4 && !strncmp(d, "00", 2)) { /* 0033 4 ..., 0041 ... */
		memmove(d, d + 2, n - 1);
		n -= 2;
		plus = true;
	}
	if (plus && n == 12 && !strncmp(d, "330", 3)) { /* +33 0 4 ... */
		memmove(d + 2, d + 3, n - 2);
		n--;
	}
	if (plus && d[0] == '0')
		return -1;  /* no country code starts with 0 */
	if (plus && n == 11 && !strncmp(d, "33", 2) && d[2] != '0')
		strbuf_addf(out, "+%s", d);
	else if (plus && n >= 8 && n <= 15 && strncmp(d, "33", 2))
		strbuf_addf(out, "+%s", d);  /* a foreign number */
	else if (!plus && n == 10 && d[0] == '0' && d[1] != '0')
		strbuf_addf(out, "+33%s", d + 1);
	else if (!plus && n == 9 && d[0] != '0')
		strbuf_addf(out, "+33%s", d);  /* a spreadsheet dropped the zero */
	else
		return -1;
	return strcmp(out->buf + before, s) != 0;
}

bool field_email_valid(const char *s)
{
	const char *at = strchr(s, '@'), *p, *dot;
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>(),;:\"[]\\", *p))
			return false;
	dot = strrchr(at + 1, '.');
	return dot && dot > at + 1 && dot[1] && dot[2] && !strstr(at, "..");
}

bool field_url_valid(const char *s)
{
	const char *host, *p;
	if (!strncasecmp(s, "https://", 8))
		host = s + 8;
	else if (!strncasecmp(s, "http://", 7))
		host = s + 7;
	else
		return false;
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>')
			return false;
	p = host;
	while (*p && *p != '/' && *p != '?' && *p != '#')
		p++;
	return p > host && memchr(host, '.', (size_t)(p - host)) != NULL;
}

bool field_postcode_valid(const char *s)
{
	return strlen(s) == 5 && strspn(s, "0123456789") == 5;
}
