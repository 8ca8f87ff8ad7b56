/*
 * persons: parsing and matching keys of person names as rosters write them.
 *
 * A roster's "Nom prénom" column puts the family name first. The family
 * name is the leading run of words written in capitals ("ORLANDO-KOSIK
 * Edith", "De THY Christian"), or, when the writer used mixed case, the
 * first word ("Laorer Anne-Isabelle"); a particle (de, di, du, da, del,
 * della, van, von, le, la, d', mac, ...) and the word after it always
 * belong to the family name ("Scotto Di Vettimo Camille"). What remains
 * are the given names.
 *
 * The identity key of a person is order-free: every folded token of the
 * whole name, sorted and joined by spaces, so that "BLANCHARD Jean-Marc",
 * "Blanchard Jean Marc" and "Jean-Marc Blanchard" share one key.
 */
#ifndef QFQ_CORE_PERSONS_H
#define QFQ_CORE_PERSONS_H

#include <stddef.h>

struct strbuf;

/*
 * Splits a full name (family name first) into nom and prenom, appended
 * as written (spaces collapsed). prenom may stay empty.
 */
void person_name_split(const char *full, struct strbuf *nom, struct strbuf *prenom);
/* Appends the order-free identity key of a name (nom and prenom may be NULL). */
void person_name_key(struct strbuf *out, const char *nom, const char *prenom);
/* Whether a folded token is a family-name particle (de, di, van, ...). */
int person_is_particle(const char *tok, size_t len);

#endif
