/*
 * referrals: the store of orientations (who referred the public to whom,
 * for what, how, when) and of their follow-up (status changes, dated, with
 * who changed them). A referral never holds anything that identifies the
 * person referred: the note is checked with core/privacy.h before it is
 * written, by referral_add() and referral_set_status() themselves.
 *
 * Statuses: proposée -> prise en charge -> réalisée | sans solution |
 * refusée (a proposed referral may also end directly). A referral may be
 * continued (A -> B, then B -> C): the new one records its parent_id.
 * Each write is one transaction.
 */
#ifndef QFQ_DB_REFERRALS_H
#define QFQ_DB_REFERRALS_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

enum referral_status {
	REFERRAL_PROPOSEE,
	REFERRAL_PRISE_EN_CHARGE,
	REFERRAL_REALISEE,
	REFERRAL_SANS_SOLUTION,
	REFERRAL_REFUSEE,
	REFERRAL_N_STATUS
};

enum referral_channel {
	REFERRAL_PHYSIQUE,
	REFERRAL_TELEPHONE,
	REFERRAL_COURRIEL,
	REFERRAL_VISIO,
	REFERRAL_N_CHANNEL
};

/* Stored codes ("prise_en_charge") and words as shown ("prise en charge"). */
const char *referral_status_code(int status);
const char *referral_status_word(int status);
const char *referral_channel_code(int channel);
const char *referral_channel_word(int channel);
/* What a user typed ("Réalisée", "prise en charge", "telephone"): the value or -1. */
int referral_status_parse(const char *s);
int referral_channel_parse(const char *s);
/* Whether a referral in status `from` may move to `to`. */
bool referral_status_allowed(int from, int to);

/* Whether s is a calendar date YYYY-MM-DD. */
bool referral_date_ok(const char *s);

/* What a new referral holds (0 ids: unknown). */
struct referral_new {
	sqlite3_int64 from_structure, from_person;
	sqlite3_int64 to_structure, to_person;
	sqlite3_int64 theme_id;
	sqlite3_int64 parent_id;      /* continues this referral, or 0 */
	int channel;                  /* enum referral_channel */
	bool urgent;
	const char *note;             /* or NULL */
	const char *date;             /* YYYY-MM-DD */
};

/*
 * Records r in one transaction (its first history row too) and sets *id.
 * Returns 0, -1 on a database error, or 1 when the note looks like personal
 * data (qfq_error() says why; nothing written).
 */
int referral_add(sqlite3 *db, const struct referral_new *r, sqlite3_int64 *id);

/*
 * Moves referral id to status, dated `date` (YYYY-MM-DD), changed by
 * by_person and/or by_structure (0: unknown), with an optional note.
 * Returns 0, -1 on a database error, 1 when refused (personal data in the
 * note, a move the statuses do not allow, a date before the referral's, no
 * such referral), with qfq_error() saying why.
 */
int referral_set_status(sqlite3 *db, sqlite3_int64 id, int status, const char *date,
			sqlite3_int64 by_person, sqlite3_int64 by_structure, const char *note);

/* One referral as listed (names resolved; strings owned). */
struct referral {
	sqlite3_int64 id, parent_id;
	char *date, *status_date;
	sqlite3_int64 from_id, to_id;
	char *from_nom, *to_nom;      /* NULL when the structure is gone */
	char *from_commune, *to_commune; /* commune names */
	char *by_nom;                 /* the referring person, or NULL */
	sqlite3_int64 from_person_id; /* 0 when unknown */
	char *theme;                  /* label, or NULL */
	sqlite3_int64 theme_id;       /* 0 when unknown */
	int status, channel;
	bool urgent;
	char *note;
};

struct referral_list {
	struct referral *v;
	size_t n, alloc;
};

/* What to list (0 / NULL: no restriction). */
struct referral_filter {
	sqlite3_int64 from, to;
	const char *theme_ids;        /* JSON array of theme ids (with sub-themes) */
	int status;                   /* -1: any */
	const char *since, *until;    /* YYYY-MM-DD, inclusive */
};

/* Appends the matching referrals, newest first. 0 or -1. */
int referral_list(sqlite3 *db, const struct referral_filter *f, struct referral_list *out);
/* One referral: 1 found, 0 not, -1 error. */
int referral_get(sqlite3 *db, sqlite3_int64 id, struct referral *out);
/* The whole chain id belongs to, from its first referral, in order. 0 or -1. */
int referral_chain(sqlite3 *db, sqlite3_int64 id, struct referral_list *out);

/* A status change as recorded. */
struct referral_event {
	char *at;                     /* YYYY-MM-DD */
	int status;
	char *by;                     /* "Prénom Nom (Structure)", or NULL */
	char *note;
};
struct referral_events {
	struct referral_event *v;
	size_t n, alloc;
};
int referral_history(sqlite3 *db, sqlite3_int64 id, struct referral_events *out);

/* Who referred, as a slip shows them: names and one phone and e-mail. */
struct referral_contact {
	char *person;                 /* "Prénom Nom", or NULL */
	char *structure;              /* its name, or NULL */
	char *phone, *email;          /* the person's first, else the structure's */
};
/* Fills out for person and/or structure (0: none). 0 or -1. */
int referral_contact(sqlite3 *db, sqlite3_int64 person, sqlite3_int64 structure, struct referral_contact *out);
void referral_contact_clear(struct referral_contact *c);

void referral_clear(struct referral *r);
void referral_list_clear(struct referral_list *l);
void referral_events_clear(struct referral_events *e);

#endif
