/*
 * motif: the words of a search for people: why each result matched
 * ("à 4,2 km de Privas ; thème proposé"), how the typed line was read
 * ("nom « caf » puis thème « Démarches CAF » · commune Privas, 15 km")
 * and the moment asked about ("maintenant", "mardi 10:00"). The engine
 * (core/search.h) returns reasons as data; the shell, the full-screen
 * interface and the line mode word them here, the same way.
 */
#ifndef QFQ_OUT_MOTIF_H
#define QFQ_OUT_MOTIF_H

#include "core/search.h"
#include "util/strbuf.h"

/* Appends why a result matched; distance_km is the result's (< 0 none). */
void out_motif(const struct search_query *q, const struct search_reason *r, double distance_km,
	       struct strbuf *sb);
/* Appends the moment q asks about: "maintenant" when now, else "mardi 10:00". */
void out_moment(const struct tm *when, bool now, struct strbuf *sb);
/* Appends how q's typed line and themes were read: themes (and names), commune, text. */
void out_reading(const struct search_query *q, struct strbuf *sb);
/* Appends q's other criteria: territory, time (now: it is the present), appointment, type, public. */
void out_filters(const struct search_query *q, bool now, struct strbuf *sb);
/*
 * Appends a person's competences, '|'-joined labels and their origins
 * (search_person.themes_via: "" declared, else a structure; NULL unknown),
 * as "Messagerie (déclarée) ; Impôts (via Mairie de Privas)".
 */
void out_competences(const char *themes, const char *via, struct strbuf *sb);
/* The state of a result at the moment asked: "ouvert", "fermé", "horaires inconnus". */
const char *out_open_word(enum search_open o);

#endif
