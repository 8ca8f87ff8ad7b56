/*
 * edit: changing a structure or a person by hand, field by field, every
 * value validated as the importers validate it (communes resolved, hours
 * parsed, emails, phones, URLs and vocabularies checked, themes resolved
 * through the crosswalk), for `qfq add`, `qfq edit` and the TUI forms.
 *
 * An assignment is "FIELD=VALUE" (replace; an empty value clears),
 * "FIELD+=VALUE" or "FIELD-=VALUE" (add to / remove from a list). Lists
 * are written with '|' between items. Nothing here opens a transaction:
 * the caller holds one and rolls it back when an assignment is refused, so
 * a refused edit changes nothing.
 */
#ifndef QFQ_DB_EDIT_H
#define QFQ_DB_EDIT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf;

enum edit_entity { EDIT_STRUCTURE, EDIT_PERSON };

/* One field a user can set. */
struct edit_field {
	const char *name;   /* as typed: "commune", "horaires", "services"... */
	const char *column; /* the column it writes, or NULL (rows of another table) */
	int kind;           /* how it is validated and written (edit.c) */
	int vocab;          /* enum lieux_field of a closed vocabulary, -1 none */
	bool list;          /* accepts += and -= */
	const char *help;   /* what it holds, for help texts and forms (N_()) */
};

/* The fields of an entity, in display order; *n gets their count. */
const struct edit_field *edit_fields(enum edit_entity e, size_t *n);
/* A field by name (or alias), NULL when unknown. */
const struct edit_field *edit_field_find(enum edit_entity e, const char *name);

/* Why an assignment was refused. */
struct edit_refusal {
	const char *field;   /* the field's name (static), or NULL: the assignment's form */
	char *reason;        /* translated, malloc'd */
};
void edit_refusal_clear(struct edit_refusal *r);

struct edit;

/*
 * Starts editing record id: 0 and *out, 1 when there is no such record,
 * -1 error.
 */
int edit_open(sqlite3 *db, enum edit_entity e, sqlite3_int64 id, struct edit **out);
/*
 * Creates a record named nom (a structure's name, a person's family name)
 * and starts editing it: 0 and *out (edit_id() gives the new id), 1 refused
 * (*why), -1 error.
 */
int edit_create(sqlite3 *db, enum edit_entity e, const char *nom, struct edit **out, struct edit_refusal *why);
sqlite3_int64 edit_id(const struct edit *ed);
/* Applies one assignment: 0 done, 1 refused (*why), -1 error. */
int edit_assign(struct edit *ed, const char *assignment, struct edit_refusal *why);
/* The same with the field, operator ('=', '+', '-') and value apart. */
int edit_set(struct edit *ed, const struct edit_field *f, char op, const char *value, struct edit_refusal *why);
/*
 * Ends the edit: stamps the update time (and a structure's date_maj),
 * rebuilds the derived indexes of every structure touched, proposes merges
 * for a new record. 0 or -1. Frees ed in every case.
 */
int edit_close(struct edit *ed);
/* Frees ed without finishing (the caller rolls back). NULL is fine. */
void edit_abort(struct edit *ed);

/*
 * Deletes record id with everything that hangs off it (memberships,
 * themes, territories, permanences...), keeping the indexes exact: 1
 * deleted, 0 no such record, -1 error. Recorded in the history like any
 * change (undoable); not an erasure (see `qfq forget`).
 */
int edit_remove(sqlite3 *db, enum edit_entity e, sqlite3_int64 id);

/*
 * The current value of field f of record id as an assignment would write
 * it ("44.735, 4.599", "smartphone|…", "2025-07-14..2025-08-31"), appended
 * to sb. 0 or -1.
 */
int edit_get(sqlite3 *db, enum edit_entity e, sqlite3_int64 id, const struct edit_field *f, struct strbuf *sb);

/*
 * One assignment in a transaction of its own, recorded in the history
 * naming the record (for the TUI forms). *id == 0 creates the record (f
 * must be its name) and sets *id. 0 done, 1 refused (*why, nothing
 * changed), -1 error.
 */
int edit_commit_one(sqlite3 *db, enum edit_entity e, sqlite3_int64 *id, const struct edit_field *f,
		    const char *value, struct edit_refusal *why);
/* edit_remove() in a transaction of its own, recorded naming the record. 1, 0 no such record, -1. */
int edit_commit_remove(sqlite3 *db, enum edit_entity e, sqlite3_int64 id);

#endif
