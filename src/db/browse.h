/*
 * browse: the lists the full-screen interface walks through that are not
 * searches — the theme tree with how many structures offer each theme,
 * the territories (département → EPCI → commune) with their counts, the
 * meetings and who attended. Who offers a theme or serves a territory is
 * then asked of the search engine (core/search.h), never here.
 * Library code: returns -1 with qfq_error(), never prints.
 */
#ifndef QFQ_DB_BROWSE_H
#define QFQ_DB_BROWSE_H

#include <sqlite3.h>
#include <stddef.h>

/* One row of a browse list. Strings are owned (NULL when absent). */
struct browse_row {
	sqlite3_int64 id;   /* theme id, event id, person id; 0 when not relevant */
	char *code;         /* theme slug, département code, EPCI SIREN, INSEE code, presence */
	char *label;        /* what is shown first */
	char *detail;       /* a second column (date and place, structure, ...) */
	char *norm;         /* folded label (text_norm) for type-ahead narrowing */
	int depth;          /* 0 for a root; tree depth otherwise */
	long count;         /* structures (themes, territories), attendees (events) */
};

struct browse_list {
	struct browse_row *v;
	size_t n, alloc;
};

#define BROWSE_LIST_INIT { NULL, 0, 0 }

/* Every theme in tree order (crosswalk position), detail = its parent's
 * slug; count 0 (search_theme_counts() says how many places a search with
 * it returns: one definition, the engine's). */
int browse_themes(sqlite3 *db, struct browse_list *out);
/* Départements that have at least one structure, by code. */
int browse_departements(sqlite3 *db, struct browse_list *out);
/* EPCI of département dep with at least one structure, by name (code NULL
 * row last: communes without EPCI). */
int browse_epcis(sqlite3 *db, const char *dep, struct browse_list *out);
/* Communes of EPCI epci (SIREN) in département dep having structures, by name. */
int browse_communes(sqlite3 *db, const char *dep, const char *epci, struct browse_list *out);
/* Meetings, latest first: label = titre, detail = "date · lieu", count = present. */
int browse_events(sqlite3 *db, struct browse_list *out);
/* Who attended event id: label = person, detail = structure, code = presence. */
int browse_attendance(sqlite3 *db, sqlite3_int64 event, struct browse_list *out);

void browse_list_clear(struct browse_list *l);

#endif
