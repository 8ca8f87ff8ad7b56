/*
 * territories: the territories a structure's name says it serves (issue
 * 11), so that a roster's "CAF ARDECHE", "CRF 07", "Arche Agglo" or
 * "Communauté de communes des Sources et Volcans d'ardeche" is found near
 * the communes it serves even without a place:
 * - a commune after "Mairie de", "Commune d'", "Ville de", "(Sous-)préfecture
 *   de", "Hôtel de ville de"; a commune's name of two words or more
 *   anywhere in the name; the last words as a commune of the hint's
 *   département, written the forgiving way (communes_resolve);
 * - an EPCI whose distinctive words are all in the name, in any order
 *   ("Communauté de communes" and "CC", "Agglo" and "CA" alike);
 * - else départements, by name ("Ardèche") or by code after the first word
 *   ("CRF 07", "DD07"; "26 FK" is a name, not Drôme);
 * - else a région by name.
 * The caller decides what to do when the name says nothing (the meeting's
 * département) and records the origin.
 */
#ifndef QFQ_CORE_TERRITORIES_H
#define QFQ_CORE_TERRITORIES_H

#include <sqlite3.h>
#include <stddef.h>

/* One territory: kind is "commune", "epci", "departement" or "region". */
struct territory_ref {
	const char *kind;  /* static */
	char code[16];
};

struct territory_names;  /* the EPCI, départements and régions, loaded once */

/* Loads the names; 0, or -1 with qfq_error(). */
int territory_names_load(sqlite3 *db, struct territory_names **out);
void territory_names_free(struct territory_names *t);

/*
 * Appends to out (at most max) the territories name says it serves, the
 * most precise level it names; *n their number (0: the name says nothing).
 * hint, a département code or NULL, is where the structure probably is: it
 * picks among communes of the same name, lets a commune lack its suffix,
 * and lets its code be written "31" rather than only "07" or "DD31".
 * 0, or -1 with qfq_error().
 */
int territories_from_name(sqlite3 *db, const struct territory_names *t, const char *name,
			  const char *hint, struct territory_ref *out, size_t max, size_t *n);

#endif
