/*
 * hours: OpenStreetMap `opening_hours` values, read as the specification
 * and its reference implementation (opening_hours.js) read them: normal,
 * additional (`,`) and fallback (`||`) rules; `off` with times closing
 * only those times; years, months, month-day ranges, dates, easter, ISO
 * weeks, nth weekdays (`Th[2]`, `Fr[-1]`) and day offsets; French public
 * holidays (PH) and school holidays (SH, zone A, where data is shipped);
 * times past midnight, open ends (`10:00+`), sunrise/sunset/dawn/dusk.
 *
 * A parsed value answers "open at time T?", "next opening after T", gives
 * the regular week as minute-of-week intervals (what the store indexes for
 * fast `--open-at` queries, when the value is weekly) and renders itself
 * in French. The parser never reads past its input and never crashes; an
 * unparseable value is an error with its column, and the caller keeps the
 * raw text.
 */
#ifndef QFQ_CORE_HOURS_H
#define QFQ_CORE_HOURS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct strbuf;

struct hours; /* opaque, parsed value */

/* A half-open interval [start, end) in minutes since Monday 00:00. */
struct hours_span {
	int start; /* 0 .. 7*1440-1 */
	int end;   /* start+1 .. 7*1440 */
};

enum hours_state {
	HOURS_UNKNOWN = -1, /* nothing in the value says (e.g. only a comment) */
	HOURS_CLOSED = 0,
	HOURS_OPEN = 1,
	HOURS_OPEN_END = 2, /* open, end unknown (`Sa 10:00+`): not known open */
};

/*
 * Parses text (NUL-terminated, UTF-8). On success stores a new value in
 * *out and returns 0. On failure returns -1 with qfq_error() set to
 * "column N: <what was expected>" (1-based byte column) and *out NULL.
 */
int hours_parse(const char *text, struct hours **out);
void hours_free(struct hours *h);

/*
 * State at local time t: its date (tm_year, tm_mon, tm_mday; tm_wday is
 * not read) and tm_hour, tm_min.
 */
enum hours_state hours_state_at(const struct hours *h, const struct tm *t);

/* The same, and the comment of the rule that decided (or NULL) in *note. */
enum hours_state hours_state_note_at(const struct hours *h, const struct tm *t, const char **note);

/* Whether the place is open (or maybe open) at some time of t's date:
 * a permanence held that day. */
bool hours_held_on(const struct hours *h, const struct tm *t);

/*
 * Next opening (open, or open with an unknown end) at or after `from`
 * within HOURS_NEXT_DAYS days: returns 0 and fills *next (normalized
 * through mktime), or 1 when none. If open at `from`, *next is `from`.
 */
#define HOURS_NEXT_DAYS 400
int hours_next_open(const struct hours *h, const struct tm *from, struct tm *next);

/*
 * Whether a weekly index holds the value exactly: no years, dates, weeks,
 * nth weekdays, offsets, school holidays, open ends or sun times (public
 * holidays apart, which the caller checks by date).
 */
bool hours_is_weekly(const struct hours *h);

/* Whether a rule names public holidays (PH). */
bool hours_uses_ph(const struct hours *h);

/* The place's coordinates, for sunrise and sunset (without them: the
 * centre of metropolitan France). Out-of-range values are ignored. */
void hours_set_place(struct hours *h, double lat, double lon);

/*
 * A temporary closure: whole days from `from` to `to` inclusive
 * ("YYYY-MM-DD"; `to` NULL or empty: until further notice). Within it the
 * state is closed (a night span of the day before ends at midnight) and
 * the next opening comes after it. Returns 0, or -1 (nothing set) when a
 * date is not a date of the calendar.
 */
int hours_set_closure(struct hours *h, const char *from, const char *to);

/* Whether a closure set by hours_set_closure() covers t's date. */
bool hours_closed_on(const struct hours *h, const struct tm *t);

/* Whether a closure from..to (as above) covers t's date: for a place
 * whose hours are unknown or unparseable (no struct hours). */
bool hours_closure_covers(const char *from, const char *to, const struct tm *t);

/*
 * The regular week (public holidays ignored; a week of June 2024 for the
 * values that are not weekly) as sorted, merged spans.
 * Writes at most max spans to out and returns how many there are in all
 * (which may exceed max). Spans crossing midnight (e.g. 22:00-02:00) are
 * split; Sunday night wraps to Monday.
 */
size_t hours_week_spans(const struct hours *h, struct hours_span *out, size_t max);

/*
 * Appends the week in French, one line per day that has a rule, e.g.
 * "lundi 09:00–12:00, 14:00–17:00\n", "samedi fermé\n"; a trailing line for
 * "jours fériés fermé" and for comments ("« sur rendez-vous »").
 * Consecutive days with the same hours are grouped: "du lundi au vendredi
 * 09:00–12:00". The rules of a value that are not weekly follow, one line
 * each: "le 2e jeudi du mois 09:00–12:00", "fermé en août", "samedi à
 * partir de 10:00". Output is plain UTF-8 (en dash U+2013 between times).
 */
void hours_week_fr(const struct hours *h, struct strbuf *sb);

/* The French name of a day, tm_wday numbering (0 = dimanche); "" when out of range. */
const char *hours_day_fr(int tm_wday);

/* The French name of a month, tm_mon numbering (0 = janvier); "" when out of range. */
const char *hours_month_fr(int tm_mon);

/* Whether t (local date) is a French public holiday (Easter-based ones too). */
bool hours_is_public_holiday(int year, int month, int mday);

#endif
