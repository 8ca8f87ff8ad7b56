/*
 * fields: the one set of field rules both importers (roster.c, lieux.c)
 * apply, so that a phone number, an email, a URL or a postcode is read the
 * same way whatever file it comes in.
 */
#ifndef QFQ_CSV_FIELDS_H
#define QFQ_CSV_FIELDS_H

#include <stdbool.h>

struct strbuf;

/*
 * A phone number as people write it, appended to out in E.164:
 * "04 75 58 29 13", "04.75.58.29.13", "0033475582913", "+33 (0)4 75 58 29 13"
 * and "475582913" (a spreadsheet dropped the zero) give "+33475582913"; a
 * foreign "+41 22 123 45 67" gives "+41221234567". Returns 1 when out
 * differs from s, 0 when s was already so written, -1 when s is not a phone
 * number (out unchanged).
 */
int field_phone_normalize(const char *s, struct strbuf *out);
/* Whether s looks like an email address: one @, a dotted domain, no spaces. */
bool field_email_valid(const char *s);
/* Whether s is an http(s) URL with a dotted host. */
bool field_url_valid(const char *s);
/* Whether s is a French postcode: five digits (CEDEX codes included). */
bool field_postcode_valid(const char *s);

#endif
