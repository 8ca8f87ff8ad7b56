/*
 * l10n: the few rules of wording that depend on the language of the
 * messages rather than on a translated string: the decimal separator of
 * numbers written in sentences and tables for people ("à 2,2 km" in French,
 * "2.2 km" in English), and French "de" before a place name ("d'Annonay",
 * "du Cheylard", "des Vans"). The language is the one of the message
 * catalogue in use, so numbers and words never mix two languages. Data
 * (tsv, csv, json) never goes through here: numbers there keep their '.'.
 */
#ifndef QFQ_CORE_L10N_H
#define QFQ_CORE_L10N_H

#include <stdbool.h>

struct strbuf;

/* Whether the messages are French: the catalogue in use says "Language: fr",
 * or there is none (the sources' wording, whose desk phrases are French). */
bool l10n_french(void);
/*
 * Data wording on or off. Wording that goes into data (the "motif" of
 * tsv, csv and json) is the same in every language: French, the data's
 * vocabulary, with its decimal comma. While on, messages are not translated
 * (the sources' wording) and l10n_french() is true. Off restores the reader's
 * language.
 */
void l10n_data_wording(bool on);
/* Appends v with prec decimals, with the language's decimal separator. */
void l10n_add_number(struct strbuf *sb, double v, int prec);
/* Appends "2,2 km" / "2.2 km" (one decimal). */
void l10n_add_km(struct strbuf *sb, double km);
/*
 * Appends name after French "de", elided or contracted: "d'Annonay",
 * "d'Étables", "du Cheylard", "des Vans", "de La Voulte-sur-Rhône", "de
 * Privas". In another language appends the bare name: there, the
 * translated message ("around %s", "%s km from %s") carries the preposition.
 */
void l10n_add_de(struct strbuf *sb, const char *name);

struct tm;
/* A day of the week (tm_wday, 0 Sunday) and a month (tm_mon) in the
 * messages' language: "lundi" / "Monday", "janvier" / "January"; "" out
 * of range. */
const char *l10n_day(int tm_wday);
const char *l10n_month(int tm_mon);
/* "lundi 1er décembre" / "Monday 1 December" (no year). */
void l10n_add_day_date(struct strbuf *sb, const struct tm *t);

#endif
