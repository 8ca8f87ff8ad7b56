/*
 * hours: evaluation of parsed `opening_hours` values (see hours.h; the
 * parser is hours_parse.c, the French reading hours_fr.c).
 *
 * A date is evaluated rule by rule, as the OSM specification and
 * opening_hours.js read a value, into a state per minute of the day and of
 * the night after it (times past 24:00 belong to the day they start on):
 *  - a normal rule (first, or after `;`) whose selectors match the date
 *    replaces what earlier rules said of it, except an `off`/`closed` rule
 *    with times, which closes only those times;
 *  - an additional rule (after `,`) only writes its own times;
 *  - a fallback rule (after `||`) applies to a date no earlier rule matched;
 *  - a rule without times covers the whole day; `open` or nothing is open,
 *    `off`/`closed` closed, `unknown` (or a comment alone) unknown; `10:00+`
 *    is "open, end unknown" until midnight;
 *  - a rule that is only a comment after `;` is a note of the whole value;
 *  - minutes no rule writes are closed, unless no rule says anything of
 *    days at all (only comments): then unknown;
 *  - the night part of the day before (`Fr 22:00-02:00`) stays open on
 *    the next morning, except on a public holiday a PH rule decides.
 */
#include "core/date.h"
#include "core/hours.h"
#include "core/hours_impl.h"
#include "util/strbuf.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NEXT_HORIZON HOURS_NEXT_DAYS

/* A default place when none is set: the centre of metropolitan France. */
#define DEFAULT_LAT 46.5
#define DEFAULT_LON 2.5

/* ------------------------------------------------------------------ */
/* Calendar                                                            */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static long days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int month_len(int year, int month)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return len[month - 1] + (month == 2 && is_leap(year));
}

/* Monday = 0. */
static int weekday_of(long days)
{
	return (int)(((days + 3) % 7 + 7) % 7);
}

/* Easter Sunday, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
static long easter_days(int y)
{
	int a = y % 19, b = y / 100, c = y % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int mday = (h + l - 7 * m + 114) % 31 + 1;

	return days_from_civil(y, month, mday);
}

/* ISO 8601 week number of a date. */
static int iso_week(long days)
{
	long thursday = days - weekday_of(days) + 3;
	int y, m, d;

	civil_from_days(thursday, &y, &m, &d);
	return (int)((thursday - days_from_civil(y, 1, 1)) / 7 + 1);
}

bool hours_is_public_holiday(int year, int month, int mday)
{
	/* 1 Jan, 1 May, 8 May, 14 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec */
	static const int fixed[][2] = {
		{ 1, 1 }, { 5, 1 }, { 5, 8 }, { 7, 14 }, { 8, 15 }, { 11, 1 }, { 11, 11 }, { 12, 25 },
	};
	/* Easter Monday, Ascension Thursday, Whit Monday */
	static const int after_easter[] = { 1, 39, 50 };
	size_t i;
	long days;

	/* 31 April must not pass for 1 May */
	if (month < 1 || month > 12 || mday < 1 || mday > month_len(year, month))
		return false;
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if (fixed[i][0] == month && fixed[i][1] == mday)
			return true;
	if (year < 1583 || year > 100000) /* the Gregorian computus only */
		return false;
	days = days_from_civil(year, month, mday);
	for (i = 0; i < ARRAY_SIZE(after_easter); i++)
		if (days == easter_days(year) + after_easter[i])
			return true;
	return false;
}

static bool days_is_ph(long days)
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	return hours_is_public_holiday(y, m, d);
}

/*
 * French school holidays of zone A (académie de Grenoble, which Ardèche
 * belongs to), first and last day off, as the Ministry's calendar gives
 * them (the Saturday classes end to the day before they resume). Outside
 * SH_KNOWN_FROM .. SH_KNOWN_TO the state of an SH rule is unknown.
 */
static const int sh_zone_a[][6] = {
	{ 2023, 10, 21, 2023, 11, 5 }, { 2023, 12, 23, 2024, 1, 7 },  /* 2023-2024 */
	{ 2024, 2, 17, 2024, 3, 3 },   { 2024, 4, 13, 2024, 4, 28 },
	{ 2024, 5, 9, 2024, 5, 12 },   { 2024, 7, 6, 2024, 9, 1 },
	{ 2024, 10, 19, 2024, 11, 3 }, { 2024, 12, 21, 2025, 1, 5 },  /* 2024-2025 */
	{ 2025, 2, 22, 2025, 3, 9 },   { 2025, 4, 19, 2025, 5, 4 },
	{ 2025, 5, 29, 2025, 6, 1 },   { 2025, 7, 5, 2025, 8, 31 },
	{ 2025, 10, 18, 2025, 11, 2 }, { 2025, 12, 20, 2026, 1, 4 },  /* 2025-2026 */
	{ 2026, 2, 7, 2026, 2, 22 },   { 2026, 4, 4, 2026, 4, 19 },
	{ 2026, 5, 14, 2026, 5, 17 },  { 2026, 7, 4, 2026, 8, 31 },
	{ 2026, 10, 17, 2026, 11, 1 }, { 2026, 12, 19, 2027, 1, 3 },  /* 2026-2027 */
	{ 2027, 2, 13, 2027, 2, 28 },  { 2027, 4, 10, 2027, 4, 25 },
	{ 2027, 5, 6, 2027, 5, 9 },
};
#define SH_KNOWN_FROM days_from_civil(2023, 9, 4)
#define SH_KNOWN_TO days_from_civil(2027, 7, 2)

/* 1 a school holiday, 0 not, -1 unknown (no data shipped for the date). */
static int days_is_sh(long days)
{
	static long first[ARRAY_SIZE(sh_zone_a)], last[ARRAY_SIZE(sh_zone_a)];
	static bool ready;
	size_t i;

	if (days < SH_KNOWN_FROM || days > SH_KNOWN_TO)
		return -1;
	if (!ready) { /* the table as day numbers, once */
		for (i = 0; i < ARRAY_SIZE(sh_zone_a); i++) {
			const int *p = sh_zone_a[i];
			first[i] = days_from_civil(p[0], p[1], p[2]);
			last[i] = days_from_civil(p[3], p[4], p[5]);
		}
		ready = true;
	}
	for (i = 0; i < ARRAY_SIZE(sh_zone_a); i++)
		if (days >= first[i] && days <= last[i])
			return 1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The sun                                                             */

/*
 * Minutes after local midnight of sunrise (rise) or sunset at the given
 * solar zenith (90.833 degrees: the disc's edge with refraction; 96: civil
 * dawn and dusk), by NOAA's general solar position formulas; -1 when the
 * sun does not reach it that day. utc_off: minutes local time is ahead.
 */
static int sun_minutes(long days, double lat, double lon, double zenith, bool rise, int utc_off)
{
	const double rad = 3.14159265358979323846 / 180.0;
	int y, m, d;
	double g, eqt, decl, c, ha, t;

	civil_from_days(days, &y, &m, &d);
	g = 2 * 3.14159265358979323846 / (is_leap(y) ? 366 : 365) * (double)(days - days_from_civil(y, 1, 1));
	eqt = 229.18 * (0.000075 + 0.001868 * cos(g) - 0.032077 * sin(g) - 0.014615 * cos(2 * g) -
			0.040849 * sin(2 * g));
	decl = 0.006918 - 0.399912 * cos(g) + 0.070257 * sin(g) - 0.006758 * cos(2 * g) +
	       0.000907 * sin(2 * g) - 0.002697 * cos(3 * g) + 0.00148 * sin(3 * g);
	c = cos(zenith * rad) / (cos(lat * rad) * cos(decl)) - tan(lat * rad) * tan(decl);
	if (c < -1 || c > 1)
		return -1;
	ha = acos(c) / rad;
	t = 720 - 4 * (lon + (rise ? ha : -ha)) - eqt + utc_off;
	return (int)lround(t);
}

/* Minutes local time is ahead of UTC at noon of a date (the TZ rules);
 * the last date's answer is kept (a rule asks for two times a day). */
static int utc_offset(long days)
{
	static long last_days = LONG_MIN;
	static int last_off;
	struct tm t, l;
	int y, m, d;
	time_t tt;

	if (days == last_days)
		return last_off;

	civil_from_days(days, &y, &m, &d);
	memset(&t, 0, sizeof(t));
	t.tm_year = y - 1900;
	t.tm_mon = m - 1;
	t.tm_mday = d;
	t.tm_hour = 12;
	t.tm_isdst = -1;
	tt = mktime(&t);
	if (tt == (time_t)-1 || !gmtime_r(&tt, &l))
		return 0;
	last_off = (int)((days_from_civil(l.tm_year + 1900, l.tm_mon + 1, l.tm_mday) - days) * -1440 +
			 (12 * 60 - (l.tm_hour * 60 + l.tm_min)));
	last_days = days;
	return last_off;
}

/* ------------------------------------------------------------------ */
/* Matching a date                                                     */

struct hdate {
	long days;    /* since 1970-01-01 */
	int y, m, d;
	int wd;       /* Monday = 0; -1: a made-up holiday that is no weekday */
	bool ph;
	int sh;       /* 1, 0, -1 unknown */
	bool fake;    /* made up for the French reading of PH rules */
};

static void hdate_init(struct hdate *dt, long days)
{
	memset(dt, 0, sizeof(*dt));
	dt->days = days;
	civil_from_days(days, &dt->y, &dt->m, &dt->d);
	dt->wd = weekday_of(days);
	dt->ph = days_is_ph(days);
	dt->sh = days_is_sh(days);
}

/* The day number of one end of a month-day range in year y. */
static long mday_days(const struct hmday *md, int y, bool end)
{
	long base;
	int year = md->year ? md->year : y;

	if (md->easter)
		base = easter_days(year);
	else
		base = days_from_civil(year, md->month, md->day ? (md->day > month_len(year, md->month) ?
								 month_len(year, md->month) : md->day) :
						   end ? month_len(year, md->month) : 1);
	return base + md->offset;
}

static bool dates_match(const struct hrule *r, const struct hdate *dt)
{
	int i;

	for (i = 0; i < r->ndates; i++) {
		const struct hdaterange *dr = &r->dates[i];
		long a, b;
		if (dr->from.year) {
			if (mday_days(&dr->from, dt->y, false) <= dt->days &&
			    dt->days <= mday_days(&dr->to, dt->y, true))
				return true;
			continue;
		}
		a = mday_days(&dr->from, dt->y, false);
		b = mday_days(&dr->to, dt->y, true);
		if (a <= b ? (a <= dt->days && dt->days <= b) : (dt->days >= a || dt->days <= b))
			return true;
		/* a range across the new year seen from its second year */
		if (a > b && dt->days > b) {
			long pa = mday_days(&dr->from, dt->y - 1, false);
			if (dt->days >= pa && dt->days <= mday_days(&dr->to, dt->y, true))
				return true;
		}
	}
	return false;
}

static bool range_match(const struct hrange *v, int n, int x)
{
	int i;

	for (i = 0; i < n; i++)
		if (x >= v[i].from && x <= v[i].to && (x - v[i].from) % v[i].step == 0)
			return true;
	return false;
}

static bool wday_match(const struct hwday *w, const struct hdate *dt)
{
	long base = dt->days - w->offset;
	int y, m, d, wd = dt->fake ? -1 : weekday_of(base), k;

	if (wd < 0 || !(w->days & (1u << wd)))
		return false;
	if (!w->nth)
		return true;
	civil_from_days(base, &y, &m, &d);
	k = (d - 1) / 7; /* 0: first */
	if (w->nth & (1u << k))
		return true;
	k = (month_len(y, m) - d) / 7; /* 0: last */
	return (w->nth & (1u << (5 + k))) != 0;
}

/* 1 when the rule's selectors match the date, 0 when not, -1 unknown (SH without data). */
static int rule_matches(const struct hrule *r, const struct hdate *dt)
{
	bool wd = false, hol = false;
	int i, sh = 0;

	if (r->always)
		return 1;
	if (r->nyears && (dt->fake || !range_match(r->years, r->nyears, dt->y)))
		return 0;
	if (r->ndates && (dt->fake || !dates_match(r, dt)))
		return 0;
	if (r->nweeks && (dt->fake || !range_match(r->weeks, r->nweeks, iso_week(dt->days))))
		return 0;
	if (!r->nwdays && !r->ph && !r->sh)
		return 1;
	for (i = 0; i < r->nwdays && !wd; i++)
		wd = wday_match(&r->wdays[i], dt);
	if (r->ph)
		hol = r->ph_offset ? !dt->fake && days_is_ph(dt->days - r->ph_offset) : dt->ph;
	if (r->sh && !hol)
		sh = dt->fake ? 0 : dt->sh;
	if (r->hol_and_wdays)
		return !wd ? 0 : hol || sh == 1 ? 1 : sh < 0 ? -1 : 0;
	return wd || hol || sh == 1 ? 1 : sh < 0 ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Evaluating a date                                                   */

/* S_RESET: closed because a rule took the day and its times leave this
 * minute out, which a fallback rule may still fill; S_CLOSED: said closed. */
enum { S_NONE, S_CLOSED, S_OPEN, S_UNKNOWN, S_OPEN_END, S_RESET };

/* A date as its own rules say: minutes 0 .. 2879 (the night after included). */
struct day_eval {
	unsigned char st[2 * HDAY_MIN];
	signed char note[2 * HDAY_MIN];
	bool matched;     /* some rule's selectors matched */
	bool ph_decides;  /* a public holiday that a PH rule matched */
	bool maybe_open;  /* false: no minute open (a later rule may have closed some) */
};

static void fill(struct day_eval *e, int from, int to, int st, int note)
{
	if (from < 0)
		from = 0;
	if (to > 2 * HDAY_MIN)
		to = 2 * HDAY_MIN;
	if (from >= to)
		return;
	memset(e->st + from, st, (size_t)(to - from));
	memset(e->note + from, note, (size_t)(to - from));
	e->maybe_open |= st == S_OPEN || st == S_OPEN_END;
}

/* A time of the rule on that date, in minutes from its midnight. */
static int time_on(const struct hours *h, const struct htime *t, const struct hdate *dt)
{
	double lat = h->has_place ? h->lat : DEFAULT_LAT, lon = h->has_place ? h->lon : DEFAULT_LON;
	int v;

	if (t->kind == HT_CLOCK)
		return t->min;
	v = sun_minutes(dt->days, lat, lon, t->kind == HT_DAWN || t->kind == HT_DUSK ? 96.0 : 90.833,
			t->kind == HT_SUNRISE || t->kind == HT_DAWN, utc_offset(dt->days));
	if (v < 0) /* polar day or night: noon and midnight */
		v = t->kind == HT_SUNRISE || t->kind == HT_DAWN ? 0 : HDAY_MIN;
	return v + t->min;
}

/*
 * Where evaluate() writes: a whole day's arrays (day), or one minute of it
 * (point, for a state query: two minutes to read, not two days).
 */
struct sink {
	struct day_eval *day;
	int *st, *note;     /* the point's state and comment */
	int minute;
	bool fallback;      /* write only the minutes no earlier rule's times took */
};

static bool fallback_may(int st)
{
	return st == S_NONE || st == S_RESET;
}

static void sink_fill(struct sink *k, int from, int to, int st, int note)
{
	int m;

	if (k->day && !k->fallback) {
		fill(k->day, from, to, st, note);
	} else if (k->day) {
		for (m = from < 0 ? 0 : from; m < to && m < 2 * HDAY_MIN; m++)
			if (fallback_may(k->day->st[m])) {
				k->day->st[m] = (unsigned char)st;
				k->day->note[m] = (signed char)note;
				k->day->maybe_open |= st == S_OPEN || st == S_OPEN_END;
			}
	} else if (from <= k->minute && k->minute < to && (!k->fallback || fallback_may(*k->st))) {
		*k->st = st;
		*k->note = note;
	}
}

static void apply_spans(const struct hours *h, const struct hrule *r, const struct hdate *dt,
			struct sink *k, int st)
{
	int i, note = r->note > 127 ? -1 : r->note;

	if (!r->nspans) {
		sink_fill(k, 0, HDAY_MIN, st, note);
		return;
	}
	for (i = 0; i < r->nspans; i++) {
		const struct hspan *sp = &r->spans[i];
		int s = time_on(h, &sp->start, dt), t;
		if (!sp->has_end) {
			/* a closing guessed as opening_hours.js guesses it: ten hours
			 * later, not before midnight, not after 06:00 the next day */
			t = s + 10 * 60 < HDAY_MIN ? HDAY_MIN : s + 10 * 60 > HDAY_MIN + 360 ? HDAY_MIN + 360 : s + 10 * 60;
			sink_fill(k, s, t, st == S_OPEN ? S_OPEN_END : st, note);
			continue;
		}
		/* "14:00-16:00+": open until 16:00, then closed as the reference reads it */
		t = time_on(h, &sp->end, dt);
		if (t <= s && (sp->start.kind != HT_CLOCK || sp->end.kind != HT_CLOCK))
			t += HDAY_MIN;
		sink_fill(k, s, t, st, note);
	}
}

/* The rules on a date, in order (see the top of this file); rules i with
 * skip[i] set are left out (skip may be NULL). */
static void evaluate(const struct hours *h, const struct hdate *dt, const bool *skip, struct sink *k,
		     bool *matched, bool *ph_decides)
{
	size_t i;

	*matched = *ph_decides = false;
	for (i = 0; i < h->nrules; i++) {
		const struct hrule *r = &h->rules[i];
		int m, st;
		if (r->trailing || (skip && skip[i]))
			continue;
		if (!(m = rule_matches(r, dt)))
			continue;
		/* a fallback rule, and the additional rules after it, fill only
		 * what no earlier rule's times took */
		if (r->sep == HSEP_FALLBACK)
			k->fallback = true;
		else if (r->sep == HSEP_NORMAL)
			k->fallback = false;
		*matched = true;
		if (r->ph && dt->ph)
			*ph_decides = true;
		if (m < 0) { /* SH without data: nothing is known of the day */
			sink_fill(k, 0, 2 * HDAY_MIN, S_RESET, -1);
			sink_fill(k, 0, HDAY_MIN, S_UNKNOWN, -1);
			continue;
		}
		/* a comment without `open` makes the times uncertain, as the
		 * reference implementation reads them ("sur rendez-vous") */
		st = r->mod == HMOD_OFF ? S_CLOSED :
		     r->mod == HMOD_UNKNOWN || (r->mod == HMOD_NONE && r->note >= 0) ? S_UNKNOWN : S_OPEN;
		if (r->sep == HSEP_NORMAL && !(r->mod == HMOD_OFF && r->nspans))
			sink_fill(k, 0, 2 * HDAY_MIN, S_RESET, -1);
		apply_spans(h, r, dt, k, st);
	}
}

static void eval_day(const struct hours *h, const struct hdate *dt, const bool *skip, struct day_eval *e)
{
	struct sink k = { .day = e };

	memset(e->st, S_NONE, sizeof(e->st));
	memset(e->note, -1, sizeof(e->note));
	e->maybe_open = false;
	evaluate(h, dt, skip, &k, &e->matched, &e->ph_decides);
}

/* What eval_day() says of one minute (0 .. 2879) of the date. */
struct point_eval {
	int st, note;
	bool matched, ph_decides;
};

static void eval_point(const struct hours *h, const struct hdate *dt, int minute, struct point_eval *pe)
{
	struct sink k = { .st = &pe->st, .note = &pe->note, .minute = minute };

	pe->st = S_NONE;
	pe->note = -1;
	evaluate(h, dt, NULL, &k, &pe->matched, &pe->ph_decides);
}

/* The state of minute m (0 .. 1439) of the date `cur`, whose day before is `prev`. */
static int state_of(const struct hours *h, const struct day_eval *prev, const struct day_eval *cur, int m,
		    int *note)
{
	int s = prev->st[m + HDAY_MIN];

	if ((s == S_OPEN || s == S_OPEN_END || s == S_UNKNOWN) && !cur->ph_decides) {
		*note = prev->note[m + HDAY_MIN];
		return s;
	}
	*note = cur->note[m];
	s = cur->st[m];
	if (s == S_NONE)
		return h->any_rule ? S_CLOSED : S_UNKNOWN;
	return s == S_RESET ? S_CLOSED : s;
}

static enum hours_state public_state(int s)
{
	return s == S_OPEN ? HOURS_OPEN : s == S_OPEN_END ? HOURS_OPEN_END :
	       s == S_CLOSED || s == S_RESET ? HOURS_CLOSED : HOURS_UNKNOWN;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The day number and minute of a struct tm (fields normalized arithmetically). */
/* Whether day number `days` is within the place's temporary closure. */
static bool closed_day(const struct hours *h, long days)
{
	return h->has_closure && days >= h->closed_from && days <= h->closed_to;
}

static long tm_days(const struct tm *t, int *minute)
{
	long mon = t->tm_mon, y = (long)t->tm_year + 1900;

	y += mon >= 0 ? mon / 12 : -((11 - mon) / 12);
	mon = ((mon % 12) + 12) % 12;
	if (y < -100000 || y > 100000)
		y = 2000;
	if (minute)
		*minute = clamp(t->tm_hour, 0, 23) * 60 + clamp(t->tm_min, 0, 59);
	return days_from_civil(y, (int)mon + 1, 1) + clamp(t->tm_mday, -400, 400) - 1;
}

enum hours_state hours_state_note_at(const struct hours *h, const struct tm *t, const char **note)
{
	struct point_eval prev, cur;
	struct hdate dt;
	int m, n, s;
	long days = tm_days(t, &m);

	if (closed_day(h, days)) {
		if (note)
			*note = NULL;
		return HOURS_CLOSED;
	}
	/* as state_of(), for one minute */
	hdate_init(&dt, days - 1);
	eval_point(h, &dt, m + HDAY_MIN, &prev);
	if (closed_day(h, days - 1)) /* no night spill out of a closed day */
		prev.st = S_NONE;
	hdate_init(&dt, days);
	eval_point(h, &dt, m, &cur);
	if ((prev.st == S_OPEN || prev.st == S_OPEN_END || prev.st == S_UNKNOWN) && !cur.ph_decides) {
		s = prev.st;
		n = prev.note;
	} else {
		s = cur.st == S_NONE ? (h->any_rule ? S_CLOSED : S_UNKNOWN) : cur.st == S_RESET ? S_CLOSED : cur.st;
		n = cur.note;
	}
	if (note)
		*note = n >= 0 && (size_t)n < h->nnotes ? h->notes[n] : NULL;
	return public_state(s);
}

enum hours_state hours_state_at(const struct hours *h, const struct tm *t)
{
	return hours_state_note_at(h, t, NULL);
}

bool hours_held_on(const struct hours *h, const struct tm *day)
{
	struct day_eval prev, cur;
	struct hdate dt;
	long days = tm_days(day, NULL);
	int m, n;

	if (closed_day(h, days))
		return false;
	hdate_init(&dt, days - 1);
	eval_day(h, &dt, NULL, &prev);
	hdate_init(&dt, days);
	eval_day(h, &dt, NULL, &cur);
	for (m = 0; m < HDAY_MIN; m++) {
		int s = state_of(h, &prev, &cur, m, &n);
		if (s == S_OPEN || s == S_OPEN_END || s == S_UNKNOWN)
			return true;
	}
	return false;
}

int hours_next_open(const struct hours *h, const struct tm *from, struct tm *next)
{
	static struct day_eval ev[2]; /* large: not on the stack */
	struct day_eval *prev = &ev[0], *cur = &ev[1], *tmp;
	struct hdate dt;
	int m0, k, m, n;
	long days = tm_days(from, &m0);
	size_t i;

	for (i = 0; i < h->nrules && (h->rules[i].trailing || h->rules[i].mod == HMOD_OFF ||
				      h->rules[i].mod == HMOD_UNKNOWN); i++)
		;
	if (i == h->nrules) /* no rule opens: no need to look a year ahead */
		return 1;
	hdate_init(&dt, days - 1);
	eval_day(h, &dt, NULL, prev);
	if (closed_day(h, days - 1)) /* no night spill out of a closed day */
		memset(prev, 0, sizeof(*prev));
	for (k = 0; k <= NEXT_HORIZON; k++) {
		if (closed_day(h, days + k)) {
			if (h->closed_to - days > NEXT_HORIZON)
				return 1;
			/* the day after the closure starts afresh (no night spill) */
			memset(prev, 0, sizeof(*prev));
			k = (int)(h->closed_to - days);
			continue;
		}
		hdate_init(&dt, days + k);
		eval_day(h, &dt, NULL, cur);
		for (m = k ? 0 : m0; m < HDAY_MIN && (cur->maybe_open || prev->maybe_open); m++) {
			int s = state_of(h, prev, cur, m, &n);
			if (s == S_OPEN || s == S_OPEN_END) {
				memset(next, 0, sizeof(*next));
				next->tm_year = dt.y - 1900;
				next->tm_mon = dt.m - 1;
				next->tm_mday = dt.d;
				next->tm_hour = m / 60;
				next->tm_min = m % 60;
				next->tm_isdst = -1;
				mktime(next);
				return 0;
			}
		}
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	return 1;
}

bool hours_is_weekly(const struct hours *h)
{
	size_t i;

	for (i = 0; i < h->nrules; i++)
		if (!hrule_is_weekly(&h->rules[i]))
			return false;
	return true;
}

bool hours_uses_ph(const struct hours *h)
{
	size_t i;

	for (i = 0; i < h->nrules; i++)
		if (h->rules[i].ph)
			return true;
	return false;
}

void hours_set_place(struct hours *h, double lat, double lon)
{
	if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180))
		return;
	h->has_place = true;
	h->lat = lat;
	h->lon = lon;
}

/* "YYYY-MM-DD" as a day number, or false. */
static bool closure_day(const char *s, long *out)
{
	int y, m, d;

	if (!date_parse_ymd(s, &y, &m, &d))
		return false;
	*out = days_from_civil(y, m, d);
	return true;
}

static bool closure_range(const char *from, const char *to, long *a, long *b)
{
	if (!closure_day(from, a))
		return false;
	if (!to || !*to)
		*b = LONG_MAX;
	else if (!closure_day(to, b))
		return false;
	return true;
}

int hours_set_closure(struct hours *h, const char *from, const char *to)
{
	long a, b;

	if (!closure_range(from, to, &a, &b))
		return -1;
	h->has_closure = true;
	h->closed_from = a;
	h->closed_to = b;
	return 0;
}

bool hours_closed_on(const struct hours *h, const struct tm *t)
{
	return closed_day(h, tm_days(t, NULL));
}

bool hours_closure_covers(const char *from, const char *to, const struct tm *t)
{
	long a, b, days = tm_days(t, NULL);
	return closure_range(from, to, &a, &b) && days >= a && days <= b;
}

/* A week with no public holiday and no school holiday data: 3-9 June 2024. */
#define REF_MONDAY days_from_civil(2024, 6, 3)

void hours_ref_day(const struct hours *h, int wd, const bool *skip, bool holiday, struct hours_ref *out)
{
	static struct day_eval e;
	struct hdate dt;
	int m;

	hdate_init(&dt, REF_MONDAY + wd);
	if (holiday) {
		dt.ph = dt.fake = true;
		dt.wd = -1;
	}
	eval_day(h, &dt, skip, &e);
	out->matched = e.matched;
	for (m = 0; m < 2 * HDAY_MIN; m++) {
		out->st[m] = e.st[m] == S_NONE ? HOURS_CLOSED : public_state(e.st[m]);
		out->note[m] = e.note[m];
	}
}

static int span_cmp_merge(struct hours_span *all, size_t n, struct hours_span *out, size_t max)
{
	size_t i, merged = 0;

	for (i = 0; i < n; i++) {
		if (merged && all[i].start <= all[merged - 1].end) {
			if (all[i].end > all[merged - 1].end)
				all[merged - 1].end = all[i].end;
		} else {
			all[merged++] = all[i];
		}
	}
	for (i = 0; i < merged && i < max; i++)
		out[i] = all[i];
	return (int)merged;
}

/*
 * Marks the open minutes of the date `cur`, whose day before is `prev`:
 * open[m] = (state_of(h, prev, cur, m) == S_OPEN), written without branches
 * so that the compiler makes it a vector loop (state_of() returns S_OPEN
 * only for an open minute carried from the night before, or for a minute
 * the date itself says open).
 */
static void open_minutes(const struct day_eval *prev, const struct day_eval *cur, unsigned char *open)
{
	const unsigned char *p = prev->st + HDAY_MIN, *c = cur->st;
	unsigned char may_carry = !cur->ph_decides;
	int m;

	for (m = 0; m < HDAY_MIN; m++) {
		unsigned char s = p[m], was_open = s == S_OPEN;
		unsigned char carried = may_carry & (was_open | (s == S_OPEN_END) | (s == S_UNKNOWN));
		open[m] = (unsigned char)((carried & was_open) | ((carried ^ 1) & (c[m] == S_OPEN)));
	}
}

size_t hours_week_spans(const struct hours *h, struct hours_span *out, size_t max)
{
	static struct day_eval ev[2];
	unsigned char open[7 * HDAY_MIN];
	struct day_eval *prev = &ev[0], *cur = &ev[1], *tmp;
	struct hours_span all[7 * 60];
	const unsigned char *at = open, *end = open + sizeof(open), *run;
	struct hdate dt;
	size_t n = 0;
	int d;

	hdate_init(&dt, REF_MONDAY - 1);
	eval_day(h, &dt, NULL, prev);
	for (d = 0; d < 7; d++) {
		hdate_init(&dt, REF_MONDAY + d);
		eval_day(h, &dt, NULL, cur);
		open_minutes(prev, cur, open + d * HDAY_MIN);
		tmp = prev;
		prev = cur;
		cur = tmp;
	}
	/* the runs of open minutes, found a byte search at a time */
	while (at < end && (at = memchr(at, 1, (size_t)(end - at)))) {
		run = memchr(at, 0, (size_t)(end - at));
		if (!run)
			run = end;
		if (n < ARRAY_SIZE(all))
			all[n++] = (struct hours_span){ (int)(at - open), (int)(run - open) };
		at = run;
	}
	return (size_t)span_cmp_merge(all, n, out, max);
}
