/*
 * names: the matching keys of names — structures (and, in the roster
 * importer, persons) — built on text_norm().
 *
 * A structure key is the normalized name without articles and linking
 * words (le, la, les, l, de, du, des, d, et, a, au, aux, en), so "UDAF de
 * l'Ardèche" and "Udaf Ardeche", "Commune d'Alba-la-Romaine" and "Commune
 * d'Alba la Romaine", "Mont à la Feira" and "Mont'a la Feira" meet.
 */
#ifndef QFQ_CORE_NAMES_H
#define QFQ_CORE_NAMES_H

#include <stddef.h>

struct strbuf;

/* Appends the matching key of a structure name to out. */
void names_structure_key(struct strbuf *out, const char *name);
/* Whether a normalized token is an article or linking word. */
int names_is_stopword(const char *tok, size_t len);

#endif
