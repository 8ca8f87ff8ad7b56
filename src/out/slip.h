/*
 * slip: the "fiche d'orientation" handed to the person referred: where to
 * go (name, address), how to get in (walk in, phone, online booking), the
 * hours of the coming seven days in French with today's marked, phone and
 * e-mail, and who referred (name and contact). Never anything about the
 * person referred.
 *
 * One list of lines is built from the card (slip_build) and written two
 * ways: plain text to read out or send by SMS or mail (every line under
 * 160 characters, no decoration), and a self-contained HTML page whose print
 * stylesheet fits one A4 page. The text is raw data: sanitize it before a
 * terminal; the HTML escapes everything it writes.
 */
#ifndef QFQ_OUT_SLIP_H
#define QFQ_OUT_SLIP_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

struct card;
struct strbuf;

/* Who referred, as the slip shows it (NULL: unknown). */
struct slip_referrer {
	const char *structure;
	const char *person;
	const char *phone;
	const char *email;
};

struct slip_line {
	char *label;   /* "Adresse", or NULL for a line of its own */
	char *value;
	int today;     /* a day line: 1 for today */
	int day;       /* 1: one of the seven days */
};

struct slip {
	char *title;               /* the place's name */
	char *theme;               /* what for, or NULL */
	long long referral_id;     /* 0: no referral recorded */
	struct slip_line *v;
	size_t n, alloc;
};

/*
 * Builds the slip of place for theme (may be NULL), referred by ref, with
 * the seven days from today (local time *today).
 */
void slip_build(struct slip *s, const struct card *place, const char *theme, long long referral_id,
		const struct slip_referrer *ref, const struct tm *today);
void slip_clear(struct slip *s);

/*
 * Loads and builds the slip of a recorded referral (referral_id), or of
 * place for theme (may be NULL) referred by from_structure (0: unknown):
 * the card, the referrer's contact (db/referrals.h). Returns 1 built, 0 no
 * such referral or place, -1 on a database error (qfq_error).
 */
int slip_load(sqlite3 *db, long long referral_id, long long place, const char *theme, long long from_structure,
	      const struct tm *now, struct slip *out);

/* Maximum characters per text line. */
#define SLIP_TEXT_WIDTH 159

void slip_text(const struct slip *s, struct strbuf *sb);
void slip_html(const struct slip *s, struct strbuf *sb);

/* Appends "lundi 7 décembre" for the local date t. */
void slip_date_fr(struct strbuf *sb, const struct tm *t);

#endif
