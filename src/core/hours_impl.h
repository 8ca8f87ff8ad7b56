/*
 * hours_impl: the parsed form of an `opening_hours` value, shared by the
 * parser (hours_parse.c), the evaluator (hours.c) and the French reading
 * (hours_fr.c). Not for other modules: they use core/hours.h.
 *
 * A value is a list of rules, each a conjunction of selectors (years,
 * month-day ranges, ISO weeks, weekdays with their nth occurrences and
 * holidays) and a list of time spans with a state, as the OSM
 * specification and its reference implementation (opening_hours.js) read
 * them.
 */
#ifndef QFQ_CORE_HOURS_IMPL_H
#define QFQ_CORE_HOURS_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#define HDAY_MIN 1440
#define HMAX_ITEMS 16  /* entries of one kind of selector, spans of a rule */

/* A time of day: clock minutes, or a sun event plus an offset in minutes. */
enum htime_kind { HT_CLOCK, HT_SUNRISE, HT_SUNSET, HT_DAWN, HT_DUSK };

struct htime {
	enum htime_kind kind;
	int min; /* HT_CLOCK: 0 .. 2880; else the offset (may be negative) */
};

struct hspan {
	struct htime start, end;
	bool has_end;   /* "10:00+" has none */
	bool open_end;  /* '+': open, end unknown after end (or after start) */
};

/* One end of a month-day range: month 1..12 and day (0: the month's first
 * day for a start, last day for an end), or Easter plus `offset` days. */
struct hmday {
	int year;     /* 0: every year */
	int month;    /* 1 .. 12; 0 with easter */
	int day;
	bool easter;
	int offset;   /* days, for easter and for "Dec 25 +1 day" */
};

struct hdaterange {
	struct hmday from, to;
};

/* Weekdays (bit 0 = Monday) on their nth occurrences in the month
 * (bit k-1 for [k], bit 4+k for [-k]; 0: every), shifted by offset days. */
struct hwday {
	unsigned days;
	unsigned nth;
	int offset;
};

struct hrange {
	int from, to, step;
};

enum hmod { HMOD_NONE, HMOD_OPEN, HMOD_OFF, HMOD_UNKNOWN };
enum hsep { HSEP_NORMAL, HSEP_ADDITIONAL, HSEP_FALLBACK };

struct hrule {
	enum hsep sep;          /* how it joins the rule before it */
	struct hrange years[HMAX_ITEMS];
	int nyears;
	struct hdaterange dates[HMAX_ITEMS];
	int ndates;
	struct hrange weeks[HMAX_ITEMS];
	int nweeks;
	struct hwday wdays[HMAX_ITEMS];
	int nwdays;
	bool ph, sh;            /* holidays, OR-ed with wdays ... */
	int ph_offset;
	bool hol_and_wdays;     /* ... or AND-ed: "SH Mo-Fr", "PH Su" */
	bool always;            /* 24/7 */
	struct hspan spans[HMAX_ITEMS];
	int nspans;
	enum hmod mod;
	int note;               /* index in hours.notes, -1 none */
	bool trailing;          /* only a comment after ';': a note of the value, no days */
};

struct hours {
	struct hrule *rules;
	size_t nrules, arules;
	char **notes;           /* deduplicated comments */
	bool *note_trailing;
	size_t nnotes, anotes;
	bool any_rule;          /* some rule says something of days: others are closed */
	bool has_place;
	double lat, lon;
	bool has_closure;       /* a temporary closure (hours_set_closure) */
	long closed_from, closed_to; /* day numbers, inclusive; to = LONG_MAX: until further notice */
};

/* Rule selectors that a weekly index cannot hold (hours_is_weekly()). */
bool hrule_is_weekly(const struct hrule *r);

/* What a day of a regular week says, by its own rules (the night after
 * included), for the French reading: enum hours_state per minute. */
struct hours_ref {
	bool matched;                  /* some rule named the day */
	signed char st[2 * HDAY_MIN];
	signed char note[2 * HDAY_MIN];
};

/* Evaluates weekday wd (Monday = 0) of a week without holidays, or with
 * holiday set a public holiday that is no weekday (what PH rules say);
 * rules i with skip[i] set are left out (skip may be NULL). */
void hours_ref_day(const struct hours *h, int wd, const bool *skip, bool holiday, struct hours_ref *out);

#endif
