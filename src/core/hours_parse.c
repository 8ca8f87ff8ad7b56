/*
 * hours_parse: reads an `opening_hours` value into rules (hours_impl.h).
 *
 * Grammar, after the OSM specification: rules separated by `;` (a normal
 * rule), `,` (an additional rule) or `||` (a fallback rule); a rule is
 * `24/7` or selectors [`:`] [time spans] [modifier] ["comment"]. Selectors,
 * in any order: years (`2024`, `2024-2026`), month-day ranges (`Aug`,
 * `Jul 14-Aug 15`, `Dec 25`, `easter +1 day`), ISO weeks (`week 01-10/2`),
 * weekdays with nth occurrences and offsets (`Mo-Fr`, `Th[2]`, `Fr[-1]`,
 * `Sa[1,3] +2 days`) and holidays (`PH`, `SH`, `PH +1 day`). Time spans:
 * `09:00-12:00`, `18:00-26:00`, `10:00+`, `sunrise-sunset`,
 * `(sunset+01:00)-24:00`. Extensions for French data: `Lu Ma Me Je Ve Sa
 * Di`, full French day and month names, `9h00`, en and em dashes,
 * no-break spaces, a `:` after the days. What stays outside (time
 * intervals `/01:30`, variable dates like `Sa[1] - Su` ...) is an error
 * with its column: the caller keeps the text.
 */
#include "core/hours.h"
#include "core/hours_impl.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEXT 2000 /* OSM caps values at 255 characters; this bounds work */
#define ALL_DAYS 0x7fu
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Characters and words                                                */

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* Length of the white space at s: ASCII blanks and the no-break spaces
 * (U+00A0, U+202F) French word processors insert. */
static size_t space_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == ' ' || u[0] == '\t' || u[0] == '\n' || u[0] == '\r')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if (u[0] == 0xE2 && u[1] == 0x80 && u[2] == 0xAF)
		return 3;
	return 0;
}

static const char *skip_space(const char *s)
{
	size_t n;

	while ((n = space_len(s)))
		s += n;
	return s;
}

/* Length of a range dash at s: '-', en dash or em dash; 0 if none. Each
 * byte is compared only when the previous one matched, so a NUL stops it. */
static size_t dash_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == '-')
		return 1;
	if (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x93 || u[2] == 0x94))
		return 3;
	return 0;
}

/* Length of the valid UTF-8 sequence at s, 0 if invalid (Unicode table
 * 3-7: no overlongs, surrogates or code points past U+10FFFF). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		need = 1;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		need = 2;
		lo = s[0] == 0xE0 ? 0xA0 : 0x80;
		hi = s[0] == 0xED ? 0x9F : 0xBF;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		need = 3;
		lo = s[0] == 0xF0 ? 0x90 : 0x80;
		hi = s[0] == 0xF4 ? 0x8F : 0xBF;
	} else {
		return 0;
	}
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i <= need; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return need + 1;
}

enum word_kind { W_NONE, W_DAY, W_PH, W_SH, W_MOD, W_MONTH, W_WEEK, W_EASTER, W_SUN, W_DAYUNIT };

struct word {
	enum word_kind kind;
	int val;         /* weekday (0 = Monday), month (1..12), modifier or sun event */
	size_t len;      /* letters at the position */
};

static const struct {
	const char *name;
	enum word_kind kind;
	int val;
} words[] = {
	{ "mo", W_DAY, 0 }, { "tu", W_DAY, 1 }, { "we", W_DAY, 2 }, { "th", W_DAY, 3 },
	{ "fr", W_DAY, 4 }, { "sa", W_DAY, 5 }, { "su", W_DAY, 6 },
	{ "lu", W_DAY, 0 }, { "ma", W_DAY, 1 }, { "me", W_DAY, 2 }, { "je", W_DAY, 3 },
	{ "ve", W_DAY, 4 }, { "di", W_DAY, 6 },
	{ "lundi", W_DAY, 0 }, { "mardi", W_DAY, 1 }, { "mercredi", W_DAY, 2 },
	{ "jeudi", W_DAY, 3 }, { "vendredi", W_DAY, 4 }, { "samedi", W_DAY, 5 },
	{ "dimanche", W_DAY, 6 },
	{ "ph", W_PH, 0 }, { "sh", W_SH, 0 },
	{ "off", W_MOD, HMOD_OFF }, { "closed", W_MOD, HMOD_OFF },
	{ "open", W_MOD, HMOD_OPEN }, { "unknown", W_MOD, HMOD_UNKNOWN },
	{ "jan", W_MONTH, 1 }, { "feb", W_MONTH, 2 }, { "mar", W_MONTH, 3 }, { "apr", W_MONTH, 4 },
	{ "may", W_MONTH, 5 }, { "jun", W_MONTH, 6 }, { "jul", W_MONTH, 7 }, { "aug", W_MONTH, 8 },
	{ "sep", W_MONTH, 9 }, { "oct", W_MONTH, 10 }, { "nov", W_MONTH, 11 }, { "dec", W_MONTH, 12 },
	{ "janvier", W_MONTH, 1 }, { "mars", W_MONTH, 3 }, { "avril", W_MONTH, 4 },
	{ "mai", W_MONTH, 5 }, { "juin", W_MONTH, 6 }, { "juillet", W_MONTH, 7 },
	{ "septembre", W_MONTH, 9 }, { "octobre", W_MONTH, 10 }, { "novembre", W_MONTH, 11 },
	{ "week", W_WEEK, 0 }, { "easter", W_EASTER, 0 },
	{ "sunrise", W_SUN, HT_SUNRISE }, { "sunset", W_SUN, HT_SUNSET },
	{ "dawn", W_SUN, HT_DAWN }, { "dusk", W_SUN, HT_DUSK },
	{ "day", W_DAYUNIT, 0 }, { "days", W_DAYUNIT, 0 },
};

/* Classifies the run of ASCII letters at s (case-insensitive). */
static struct word peek_word(const char *s)
{
	struct word w = { W_NONE, 0, 0 };
	size_t i, k;

	while (is_alpha(s[w.len]))
		w.len++;
	for (i = 0; w.len && i < ARRAY_SIZE(words); i++) {
		const char *name = words[i].name;
		for (k = 0; k < w.len && name[k] && to_lower(s[k]) == name[k]; k++)
			;
		if (k == w.len && !name[k]) {
			w.kind = words[i].kind;
			w.val = words[i].val;
			break;
		}
	}
	return w;
}

/* A word that starts (or continues, after a comma) a selector. */
static bool is_selector_word(struct word w)
{
	return w.kind == W_DAY || w.kind == W_PH || w.kind == W_SH || w.kind == W_MONTH ||
	       w.kind == W_WEEK || w.kind == W_EASTER;
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

struct parser {
	const char *text; /* the whole value, for columns */
	const char *p;    /* next byte to read */
	struct hours *h;
};

/* Records "column N: <message>" for the byte at `at`; returns -1. */
__attribute__((format(printf, 3, 4)))
static int fail(const struct parser *ps, const char *at, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	qfq_error(_("column %ld: %s"), (long)(at - ps->text) + 1, sb.buf);
	strbuf_release(&sb);
	return -1;
}

/* "expected <what>, found <what is at `at`>", quoting only printable
 * ASCII so that a message never carries the input's stray bytes. */
static int fail_expected(const struct parser *ps, const char *at, const char *what)
{
	unsigned char c = (unsigned char)*at;
	int n = 0;

	if (!c)
		return fail(ps, at, _("expected %s, found end of text"), what);
	while (n < 16 && (is_alpha(at[n]) || is_digit(at[n])))
		n++;
	if (n)
		return fail(ps, at, _("expected %s, found \"%.*s\""), what, n, at);
	if (c > 0x20 && c < 0x7f)
		return fail(ps, at, _("expected %s, found '%c'"), what, c);
	return fail(ps, at, _("expected %s, found byte 0x%02X"), what, c);
}

/* ------------------------------------------------------------------ */
/* Numbers and offsets                                                 */

/* Reads up to max_digits digits at s into *v; returns how many were read. */
static int read_int(const char *s, int max_digits, int *v)
{
	int n = 0;

	*v = 0;
	while (n < max_digits && is_digit(s[n]))
		*v = *v * 10 + (s[n++] - '0');
	return is_digit(s[n]) ? 0 : n;
}

/* A year: four digits not followed by a time's ':' or 'h'. */
static bool at_year(const char *s)
{
	int y;

	return read_int(s, 4, &y) == 4 && s[4] != ':' && s[4] != 'h' && s[4] != 'H' && y >= 1900;
}

/* Reads an optional day offset " +2 days", " -1 day" into *off. */
static int parse_day_offset(struct parser *ps, int *off)
{
	const char *q = skip_space(ps->p), *r;
	int sign, v, n;
	struct word w;

	if (*q != '+' && *q != '-')
		return 0;
	sign = *q == '-' ? -1 : 1;
	r = skip_space(q + 1);
	n = read_int(r, 3, &v);
	if (!n)
		return 0; /* not an offset: "10:00+" and ranges are read elsewhere */
	w = peek_word(skip_space(r + n));
	if (w.kind != W_DAYUNIT)
		return 0;
	*off = sign * v;
	ps->p = skip_space(r + n) + w.len;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Selectors                                                           */

static int add_item(struct parser *ps, const char *at, int *n)
{
	if (*n == HMAX_ITEMS)
		return fail(ps, at, _("too many selectors of one kind (at most %d)"), HMAX_ITEMS);
	(*n)++;
	return 0;
}

/* "2024", "2024-2026", "2024-2030/2", "2024+". */
static int parse_years(struct parser *ps, struct hrule *r)
{
	for (;;) {
		const char *at = skip_space(ps->p), *q;
		struct hrange *y = &r->years[r->nyears];
		size_t d;

		if (add_item(ps, at, &r->nyears) < 0)
			return -1;
		read_int(at, 4, &y->from);
		y->to = y->from;
		y->step = 1;
		q = at + 4;
		if ((d = dash_len(q)) && at_year(q + d)) {
			read_int(q + d, 4, &y->to);
			q += d + 4;
			if (*q == '/' && read_int(q + 1, 2, &y->step) > 0)
				q += 1 + (y->step > 9 ? 2 : 1);
		} else if (*q == '+') {
			y->to = 9999;
			q++;
		}
		if (y->to < y->from || y->step < 1)
			return fail(ps, at, _("the years of a range must go forward"));
		ps->p = q;
		q = skip_space(q);
		if (*q != ',' || !at_year(skip_space(q + 1)))
			return 0;
		ps->p = q + 1;
	}
}

/* One end of a month-day range: [year] month [day] | easter, then an
 * optional " +N days". month_default: the month of the start, for "Dec 24-26". */
static int parse_mday(struct parser *ps, struct hmday *md, int month_default)
{
	const char *at = skip_space(ps->p), *q;
	struct word w;
	int v, n;

	memset(md, 0, sizeof(*md));
	if (at_year(at)) {
		read_int(at, 4, &md->year);
		at = skip_space(at + 4);
	}
	w = peek_word(at);
	if (w.kind == W_EASTER) {
		md->easter = true;
		ps->p = at + w.len;
		return parse_day_offset(ps, &md->offset);
	}
	if (w.kind == W_MONTH) {
		md->month = w.val;
		q = skip_space(at + w.len);
	} else if (month_default && (n = read_int(at, 2, &v)) > 0) {
		md->month = month_default;
		q = at;
	} else {
		return fail_expected(ps, at, _("a month like Aug"));
	}
	n = read_int(q, 2, &v);
	if (n > 0 && q[n] != ':' && q[n] != 'h' && q[n] != 'H') {
		if (v < 1 || v > 31)
			return fail(ps, q, _("a day of the month must be between 1 and 31"));
		md->day = v;
		ps->p = q + n;
	} else {
		ps->p = at + w.len;
		if (month_default && w.kind != W_MONTH)
			return fail_expected(ps, at, _("a month like Aug"));
	}
	return parse_day_offset(ps, &md->offset);
}

/* "Aug", "Jul-Aug", "Jul 14-Aug 15", "Dec 24-26", "Dec 25", "easter", lists with ','. */
static int parse_dates(struct parser *ps, struct hrule *r)
{
	for (;;) {
		const char *at = skip_space(ps->p), *q;
		struct hdaterange *dr = &r->dates[r->ndates];
		size_t d;

		if (add_item(ps, at, &r->ndates) < 0 || parse_mday(ps, &dr->from, 0) < 0)
			return -1;
		q = skip_space(ps->p);
		d = dash_len(q);
		if (d && dr->from.easter)
			return fail(ps, q, _("date ranges starting at Easter are not supported"));
		if (d) {
			const char *t = skip_space(q + d);
			struct word w = peek_word(t);
			int v;
			/* "Dec 24-26": a day of the same month; "Jul-Aug", "Jul 14-Aug 15" */
			if (w.kind == W_MONTH || w.kind == W_EASTER || at_year(t) ||
			    (dr->from.day && read_int(t, 2, &v) > 0 && t[read_int(t, 2, &v)] != ':' &&
			     t[read_int(t, 2, &v)] != 'h')) {
				ps->p = t;
				if (parse_mday(ps, &dr->to, dr->from.month) < 0)
					return -1;
				if (!dr->to.year)
					dr->to.year = dr->from.year;
			} else {
				dr->to = dr->from;
			}
		} else {
			dr->to = dr->from;
		}
		q = skip_space(ps->p);
		if (*q != ',')
			return 0;
		{
			struct word w = peek_word(skip_space(q + 1));
			if (w.kind != W_MONTH && w.kind != W_EASTER)
				return 0;
		}
		ps->p = q + 1;
	}
}

/* "week 01-10", "week 1,3", "week 02-52/2". */
static int parse_weeks(struct parser *ps, struct hrule *r)
{
	ps->p = skip_space(ps->p);
	for (;;) {
		const char *at = skip_space(ps->p), *q;
		struct hrange *wk = &r->weeks[r->nweeks];
		int n;
		size_t d;

		if (add_item(ps, at, &r->nweeks) < 0)
			return -1;
		if (!(n = read_int(at, 2, &wk->from)) || wk->from < 1 || wk->from > 53)
			return fail_expected(ps, at, _("a week number between 01 and 53"));
		wk->to = wk->from;
		wk->step = 1;
		q = at + n;
		if ((d = dash_len(q))) {
			if (!(n = read_int(q + d, 2, &wk->to)) || wk->to < 1 || wk->to > 53)
				return fail_expected(ps, q + d, _("a week number between 01 and 53"));
			q += d + n;
			if (*q == '/') {
				if (!(n = read_int(q + 1, 2, &wk->step)) || wk->step < 1)
					return fail_expected(ps, q + 1, _("a step like /2"));
				q += 1 + n;
			}
		}
		ps->p = q;
		q = skip_space(q);
		if (*q != ',' || !is_digit(*skip_space(q + 1)))
			return 0;
		ps->p = q + 1;
	}
}

/* "[2]", "[-1]", "[1,3]", "[1-2]" after a weekday: bits of struct hwday.nth. */
static int parse_nth(struct parser *ps, unsigned *nth)
{
	const char *q = ps->p + 1;

	for (;;) {
		int sign = 1, a, b, n, k;
		q = skip_space(q);
		if (*q == '-') {
			sign = -1;
			q++;
		}
		if (!(n = read_int(q, 1, &a)) || a < 1 || a > 5)
			return fail_expected(ps, q, _("an occurrence between 1 and 5 (or -1 to -5)"));
		q += n;
		b = a;
		if (*q == '-' && sign > 0) {
			if (!(n = read_int(q + 1, 1, &b)) || b < a || b > 5)
				return fail_expected(ps, q + 1, _("an occurrence between 1 and 5 (or -1 to -5)"));
			q += 1 + n;
		}
		for (k = a; k <= b; k++)
			*nth |= 1u << (sign > 0 ? k - 1 : 4 + k);
		q = skip_space(q);
		if (*q == ']') {
			ps->p = q + 1;
			return 0;
		}
		if (*q != ',')
			return fail_expected(ps, q, _("']' after the occurrences"));
		q++;
	}
}

/* "Mo", "Fr-Mo" (wrapping around Sunday), "Th[2]", "Sa[1,3] +1 day". */
static int parse_wday(struct parser *ps, struct hrule *r, int from)
{
	const char *q = skip_space(ps->p), *at = ps->p;
	struct hwday *wd = &r->wdays[r->nwdays];
	size_t d = dash_len(q);
	int to = from;

	if (add_item(ps, at, &r->nwdays) < 0)
		return -1;
	memset(wd, 0, sizeof(*wd));
	if (*ps->p == '[') {
		if (parse_nth(ps, &wd->nth) < 0 || parse_day_offset(ps, &wd->offset) < 0)
			return -1;
	} else if (d) {
		const char *t = skip_space(q + d);
		struct word w = peek_word(t);
		if (w.kind != W_DAY)
			return fail_expected(ps, t, _("a weekday like Fr"));
		to = w.val;
		ps->p = t + w.len;
	}
	for (;;) {
		wd->days |= 1u << from;
		if (from == to)
			return 0;
		from = (from + 1) % 7;
	}
}

/*
 * Reads the selectors, possibly none. A comma continues a selector only
 * when a word of the same use follows it; a weekday after a holiday
 * without a comma restricts it ("SH Mo-Fr", "PH Su").
 */
static int parse_selectors(struct parser *ps, struct hrule *r)
{
	bool after_comma = false, any = false;
	enum word_kind last = W_NONE;

	for (;;) {
		const char *at = skip_space(ps->p), *q;
		struct word w = peek_word(at);
		bool wd_kind;

		if (at_year(at) && !after_comma) {
			const char *t = skip_space(at + 4);
			ps->p = at;
			if (peek_word(t).kind == W_MONTH ? parse_dates(ps, r) : parse_years(ps, r))
				return -1;
			any = true;
			last = W_NONE;
			continue;
		}
		if (!is_selector_word(w)) {
			if (after_comma)
				return fail_expected(ps, at, _("a weekday like Mo or a time like 09:00"));
			return 0;
		}
		wd_kind = w.kind == W_DAY || w.kind == W_PH || w.kind == W_SH;
		if (any && !after_comma && wd_kind && (r->nwdays || r->ph || r->sh)) {
			/* "PH Su": a holiday on given weekdays; "Mo Tu": a missing comma */
			if (w.kind != W_DAY || r->nwdays || (last != W_PH && last != W_SH))
				return fail_expected(ps, at, _("a time like 09:00"));
			r->hol_and_wdays = true;
		}
		if (w.kind == W_MONTH || w.kind == W_EASTER) {
			ps->p = at;
			if (parse_dates(ps, r) < 0)
				return -1;
		} else if (w.kind == W_WEEK) {
			ps->p = at + w.len;
			if (parse_weeks(ps, r) < 0)
				return -1;
		} else if (w.kind == W_PH || w.kind == W_SH) {
			ps->p = at + w.len;
			if (w.kind == W_PH) {
				r->ph = true;
				if (parse_day_offset(ps, &r->ph_offset) < 0)
					return -1;
			} else {
				r->sh = true;
			}
		} else {
			ps->p = at + w.len;
			if (parse_wday(ps, r, w.val) < 0)
				return -1;
		}
		any = true;
		last = w.kind;
		q = skip_space(ps->p);
		after_comma = *q == ',' && wd_kind && is_selector_word(peek_word(skip_space(q + 1))) &&
			      peek_word(skip_space(q + 1)).kind != W_MONTH;
		if (after_comma)
			ps->p = q + 1;
	}
}

/* ------------------------------------------------------------------ */
/* Times                                                               */

/*
 * Reads a clock time: "09:00", "9:00", "09h00" or "9h" (French data). max
 * is the largest value accepted, in minutes: 24:00 for an opening, 48:00
 * for a closing (OSM writes closings after midnight as 26:00 too).
 */
static int parse_clock(struct parser *ps, int max, int *out)
{
	const char *s = ps->p, *mp;
	int hh = 0, mm = 0, nd = 0;

	while (nd < 2 && is_digit(s[nd])) {
		hh = hh * 10 + (s[nd] - '0');
		nd++;
	}
	if (!nd || is_digit(s[nd]))
		return fail_expected(ps, s, _("a time like 09:00"));
	mp = s + nd;
	if (*mp != ':' && *mp != 'h' && *mp != 'H')
		return fail_expected(ps, s, _("a time like 09:00"));
	if (is_digit(mp[1]) && is_digit(mp[2]) && !is_digit(mp[3])) {
		mm = (mp[1] - '0') * 10 + (mp[2] - '0');
		if (mm > 59)
			return fail(ps, mp + 1, _("minutes must be between 00 and 59"));
		mp += 3;
	} else if (*mp == ':' || is_digit(mp[1])) {
		return fail_expected(ps, mp + 1, _("two digits for the minutes"));
	} else {
		mp++; /* "9h" */
	}
	if (hh * 60 + mm > max)
		return fail(ps, s, _("expected a time between 00:00 and %02d:%02d"), max / 60, max % 60);
	*out = hh * 60 + mm;
	ps->p = mp;
	return 0;
}

/* A time: clock, "sunset", or "(sunset-01:00)". */
static int parse_time(struct parser *ps, int max, struct htime *t)
{
	const char *at = ps->p;
	struct word w = peek_word(at);

	t->min = 0;
	if (w.kind == W_SUN) {
		t->kind = (enum htime_kind)w.val;
		ps->p = at + w.len;
		return 0;
	}
	if (*at == '(') {
		const char *q = skip_space(at + 1);
		int sign, off;
		w = peek_word(q);
		if (w.kind != W_SUN)
			return fail_expected(ps, q, _("sunrise, sunset, dawn or dusk"));
		t->kind = (enum htime_kind)w.val;
		q = skip_space(q + w.len);
		if (*q != '+' && *q != '-')
			return fail_expected(ps, q, _("'+' or '-' and a time"));
		sign = *q == '-' ? -1 : 1;
		ps->p = skip_space(q + 1);
		if (parse_clock(ps, 12 * 60, &off) < 0)
			return -1;
		q = skip_space(ps->p);
		if (*q != ')')
			return fail_expected(ps, q, _("')'"));
		t->min = sign * off;
		ps->p = q + 1;
		return 0;
	}
	t->kind = HT_CLOCK;
	return parse_clock(ps, max, &t->min);
}

static bool at_time(const char *s)
{
	struct word w = peek_word(s);

	return is_digit(*s) || *s == '(' || w.kind == W_SUN;
}

/* Reads "09:00-12:00", "10:00+", "22:00-02:00", "sunrise-sunset". */
static int parse_span(struct parser *ps, struct hspan *sp)
{
	const char *q;
	size_t d;

	memset(sp, 0, sizeof(*sp));
	if (parse_time(ps, HDAY_MIN - 1, &sp->start) < 0)
		return -1;
	q = skip_space(ps->p);
	d = dash_len(q);
	if (!d) {
		if (*q == '+') {
			sp->open_end = true;
			ps->p = q + 1;
			return 0;
		}
		return fail_expected(ps, q, _("'-' and a closing time"));
	}
	ps->p = skip_space(q + d);
	if (parse_time(ps, 2 * HDAY_MIN, &sp->end) < 0)
		return -1;
	sp->has_end = true;
	if (*ps->p == '+') {
		sp->open_end = true;
		ps->p++;
	}
	if (*ps->p == '/')
		return fail(ps, ps->p, _("time intervals like 10:00-16:00/01:30 are not supported"));
	if (sp->start.kind == HT_CLOCK && sp->end.kind == HT_CLOCK && sp->end.min <= sp->start.min)
		sp->end.min += HDAY_MIN;
	if (sp->end.min > 2 * HDAY_MIN)
		return fail(ps, q, _("expected a time between 00:00 and %02d:%02d"), 48, 0);
	return 0;
}

/* Reads "09:00-12:00,14:00-17:00". A comma followed by something else than
 * a time is left alone: it separates rules. */
static int parse_spans(struct parser *ps, struct hrule *r)
{
	for (;;) {
		const char *q;

		if (r->nspans == HMAX_ITEMS)
			return fail(ps, ps->p, _("too many time ranges (at most %d)"), HMAX_ITEMS);
		if (parse_span(ps, &r->spans[r->nspans]) < 0)
			return -1;
		r->nspans++;
		q = skip_space(ps->p);
		if (*q != ',')
			return 0;
		q = skip_space(q + 1);
		if (!at_time(q))
			return 0;
		ps->p = q;
	}
}

/* ------------------------------------------------------------------ */
/* Rules                                                               */

/* Adds a comment (deduplicated) and returns its index. */
static int add_note(struct hours *h, const char *text, bool trailing)
{
	size_t i;

	for (i = 0; i < h->nnotes; i++)
		if (!strcmp(h->notes[i], text))
			break;
	if (i == h->nnotes) {
		size_t a = h->anotes;
		XGROW(h->notes, h->anotes, h->nnotes + 1);
		if (a != h->anotes)
			h->note_trailing = xrealloc(h->note_trailing, h->anotes * sizeof(bool));
		h->notes[i] = xstrdup(text);
		h->note_trailing[i] = false;
		h->nnotes++;
	}
	h->note_trailing[i] |= trailing;
	return (int)i;
}

/* Reads a "comment": control characters become spaces, invalid UTF-8 is
 * an error (the text is shown to people as it is). */
static int parse_comment(struct parser *ps, struct strbuf *text)
{
	const char *open = ps->p;
	const unsigned char *s = (const unsigned char *)open + 1;

	while (*s && *s != '"') {
		size_t n = utf8_len(s);
		if (!n)
			return fail(ps, (const char *)s, _("invalid UTF-8 in comment"));
		if (n == 1 && (*s < 0x20 || *s == 0x7f))
			strbuf_addch(text, ' ');
		else
			strbuf_add(text, s, n);
		s += n;
	}
	if (!*s)
		return fail(ps, open, _("unterminated comment, expected a closing '\"'"));
	strbuf_trim(text);
	ps->p = (const char *)s + 1;
	return 0;
}

static bool has_selector(const struct hrule *r)
{
	return r->always || r->nyears || r->ndates || r->nweeks || r->nwdays || r->ph || r->sh;
}

/* Reads one rule: [24/7 | selectors [:] [times]] [modifier] ["comment"]. */
static int parse_rule(struct parser *ps, struct hrule *r, struct strbuf *text)
{
	const char *start = ps->p, *q;
	bool comment = false;
	struct word w;

	if (!strncmp(ps->p, "24/7", 4) && !is_digit(ps->p[4])) {
		ps->p += 4;
		r->always = true;
	} else {
		if (parse_selectors(ps, r) < 0)
			return -1;
		q = skip_space(ps->p);
		if (has_selector(r) && *q == ':')
			q = skip_space(q + 1);
		if (at_time(q)) {
			ps->p = q;
			if (parse_spans(ps, r) < 0)
				return -1;
		}
	}
	q = skip_space(ps->p);
	w = peek_word(q);
	if (w.kind == W_MOD) {
		r->mod = (enum hmod)w.val;
		ps->p = q = skip_space(q + w.len);
	}
	if (*q == '"') {
		ps->p = q;
		if (parse_comment(ps, text) < 0)
			return -1;
		comment = true;
	}
	if (!has_selector(r) && !r->nspans && r->mod == HMOD_NONE && !comment)
		return fail_expected(ps, start, _("a weekday like Mo or a time like 09:00"));
	r->trailing = !has_selector(r) && !r->nspans && r->mod == HMOD_NONE && r->sep != HSEP_FALLBACK;
	r->note = comment && text->len ? add_note(ps->h, text->buf, r->trailing) : -1;
	if (!r->trailing)
		ps->h->any_rule = true;
	return 0;
}

static int parse_value(struct parser *ps)
{
	enum hsep sep = HSEP_NORMAL;

	for (;;) {
		struct strbuf text = STRBUF_INIT;
		struct hrule *r;
		int rc;

		ps->p = skip_space(ps->p);
		if (!*ps->p)
			break;
		if (*ps->p == ';' || (ps->p[0] == '|' && ps->p[1] == '|')) {
			sep = *ps->p == ';' ? HSEP_NORMAL : HSEP_FALLBACK;
			ps->p += *ps->p == ';' ? 1 : 2;
			continue;
		}
		XGROW(ps->h->rules, ps->h->arules, ps->h->nrules + 1);
		r = &ps->h->rules[ps->h->nrules];
		memset(r, 0, sizeof(*r));
		r->sep = ps->h->nrules ? sep : HSEP_NORMAL;
		rc = parse_rule(ps, r, &text);
		strbuf_release(&text);
		if (rc < 0)
			return -1;
		ps->h->nrules++;
		ps->p = skip_space(ps->p);
		sep = *ps->p == ',' ? HSEP_ADDITIONAL : HSEP_NORMAL;
		if (*ps->p == ',')
			ps->p++;
		else if (*ps->p && *ps->p != ';' && !(ps->p[0] == '|' && ps->p[1] == '|'))
			return fail_expected(ps, ps->p, _("';' between rules"));
	}
	if (!ps->h->nrules)
		return fail(ps, ps->text, _("empty value"));
	return 0;
}

int hours_parse(const char *text, struct hours **out)
{
	struct parser ps;
	struct hours *h;

	*out = NULL;
	if (!text)
		return qfq_error(_("column 1: empty value"));
	if (strnlen(text, MAX_TEXT + 1) > MAX_TEXT)
		return qfq_error(_("column %d: value longer than %d bytes"), MAX_TEXT + 1, MAX_TEXT);
	h = xcalloc(1, sizeof(*h));
	ps.text = ps.p = text;
	ps.h = h;
	if (parse_value(&ps) < 0) {
		hours_free(h);
		return -1;
	}
	*out = h;
	return 0;
}

void hours_free(struct hours *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->nnotes; i++)
		free(h->notes[i]);
	free(h->notes);
	free(h->note_trailing);
	free(h->rules);
	free(h);
}

bool hrule_is_weekly(const struct hrule *r)
{
	int i;

	if (r->nyears || r->ndates || r->nweeks || r->sh || r->ph_offset)
		return false;
	/* uncertain times: the weekly index only knows open and closed */
	if (r->mod == HMOD_UNKNOWN || (r->mod == HMOD_NONE && r->note >= 0) || r->sep == HSEP_FALLBACK)
		return false;
	for (i = 0; i < r->nwdays; i++)
		if (r->wdays[i].nth || r->wdays[i].offset)
			return false;
	for (i = 0; i < r->nspans; i++)
		if (r->spans[i].open_end || r->spans[i].start.kind != HT_CLOCK ||
		    (r->spans[i].has_end && r->spans[i].end.kind != HT_CLOCK))
			return false;
	return true;
}
