/*
 * hours: OpenStreetMap `opening_hours` values, the subset real directory
 * data uses (weekday ranges and lists, several time ranges, `off`/`closed`,
 * `PH off`, `24/7`, rules separated by `;`, comments in double quotes).
 *
 * A parsed value answers "open at time T?", "next opening after T", gives
 * the regular week as minute-of-week intervals (what the store indexes for
 * fast `--open-at` queries) and renders the week in French. The parser never
 * reads past its input and never crashes; an unparseable value is an error
 * with its column, and the caller keeps the raw text.
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
};

/*
 * Parses text (NUL-terminated, UTF-8). On success stores a new value in
 * *out and returns 0. On failure returns -1 with qfq_error() set to
 * "column N: <what was expected>" (1-based byte column) and *out NULL.
 */
int hours_parse(const char *text, struct hours **out);
void hours_free(struct hours *h);

/*
 * State at local time t (tm_wday, tm_hour, tm_min are used; tm_mon and
 * tm_mday to recognize French public holidays when the value has a PH rule).
 */
enum hours_state hours_state_at(const struct hours *h, const struct tm *t);

/*
 * Next opening at or after `from` within the next 14 days: returns 0 and
 * fills *next (normalized through mktime), or 1 when none. If open at
 * `from`, *next is `from`.
 */
int hours_next_open(const struct hours *h, const struct tm *from, struct tm *next);

/*
 * The regular week (public holidays ignored) as sorted, merged spans.
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
 * 09:00–12:00". Output is plain UTF-8 (en dash U+2013 between times).
 */
void hours_week_fr(const struct hours *h, struct strbuf *sb);

/* The French name of a day, tm_wday numbering (0 = dimanche); "" when out of range. */
const char *hours_day_fr(int tm_wday);

/* Whether t (local date) is a French public holiday (Easter-based ones too). */
bool hours_is_public_holiday(int year, int month, int mday);

#endif
