/*
 * privacy: recognizing free text that looks like personal data of the
 * public, so that a referral note never stores who was referred.
 *
 * privacy_check() looks for an e-mail address, a phone number, a long
 * identification number (social security, tax, bank), a date of birth, a
 * postal address (a number followed by a street word) and a civility
 * followed by a name ("Mme Durand"). It errs on the side of refusing: a
 * mediator can always rephrase a note without the number in it.
 */
#ifndef QFQ_CORE_PRIVACY_H
#define QFQ_CORE_PRIVACY_H

#include <stddef.h>

enum privacy_kind {
	PRIVACY_OK = 0,
	PRIVACY_EMAIL,
	PRIVACY_PHONE,
	PRIVACY_ID_NUMBER,   /* social security, tax number, any long number */
	PRIVACY_BIRTH_DATE,
	PRIVACY_ADDRESS,
	PRIVACY_NAME,        /* a civility followed by a name */
};

/*
 * Checks text (UTF-8, NUL-terminated). Returns PRIVACY_OK or the first kind
 * found; *start and *len (when not NULL) locate the offending part.
 * this_year is the current year (a full date older than two years is taken
 * for a date of birth).
 */
enum privacy_kind privacy_check(const char *text, int this_year, size_t *start, size_t *len);

/* What kind means, in words (translated), for the refusal message. */
const char *privacy_reason(enum privacy_kind kind);

#endif
