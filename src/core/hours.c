/*
 * hours: the `opening_hours` parser and its queries (see hours.h).
 *
 * A value is reduced to what a person at a desk needs: for each weekday,
 * nothing (no rule names it), a list of opening minute ranges (empty:
 * closed) or "unknown" (a rule with only a comment, `Mo "sur rdv"`); the
 * same for French public holidays; and the comments. Ranges count minutes
 * from the day's 00:00 and may run up to 48:00, so `Fr 22:00-02:00` stays
 * Friday's rule and spills into Saturday morning.
 *
 * Semantics, after the OSM specification, for the subset we accept:
 *  - a rule after `;` (or `||`, treated alike) replaces earlier rules for
 *    the days it names; a rule after `,` adds its times to them, or with
 *    `off` removes its times (or the whole day) from them;
 *  - `off` in a `;` rule closes the whole day, even with times;
 *  - days without times are open all day (`Sa` = `Sa 00:00-24:00`),
 *    unless the rule only has a comment (`Mo-Fr "sur rendez-vous"`);
 *  - days no rule names are closed, unless no rule says anything at all
 *    (only comments or `SH` rules): then the state is unknown;
 *  - `SH` (school holidays) rules are read and ignored: the school zones'
 *    calendars are not ours to know;
 *  - on a public holiday that has a `PH` rule only that rule counts (no
 *    spill-over from the night before); otherwise PH is an ordinary day.
 * Extensions for French data: `Lu Ma Me Je Ve Sa Di` and full French day
 * names, `9h00` and `9h`, en and em dashes, no-break spaces, a `:` after
 * the days. Months, weeks, dates, `sunrise`... are errors with a column.
 */
#include "core/hours.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DAY_MIN 1440
#define WEEK_MIN (7 * DAY_MIN)
#define MAX_RANGES 16   /* per day; real values have one to three */
#define MAX_TEXT 2000   /* OSM caps values at 255 characters; this bounds work */
#define ALL_DAYS 0x7fu
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum day_kind {
	DAY_UNSET,   /* no rule names this day */
	DAY_TIMES,   /* open during r[0..n), closed otherwise (n == 0: closed) */
	DAY_UNKNOWN, /* named, but only with a comment or `unknown` */
};

struct range {
	int start; /* minutes from the day's 00:00, 0 .. 1439 as written (an
		    * `off` cut may leave a later part, up to 2879) */
	int end;   /* start+1 .. 2880; past 1440 it spills into the next day */
};

struct day {
	enum day_kind kind;
	int n;                      /* ranges: sorted, disjoint, not touching */
	struct range r[MAX_RANGES];
	int note;                   /* index in hours.notes, -1 for none */
};

struct note {
	char *text;
	bool trailing; /* from a rule that is only a comment: a line of its own */
};

struct hours {
	struct day day[7];   /* Monday first (struct tm counts from Sunday) */
	struct day ph;       /* French public holidays */
	bool any_rule;       /* some rule set a day or PH: other days are closed */
	struct note *notes;  /* deduplicated comments */
	size_t nnotes, anotes;
};

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

enum word_kind { W_NONE, W_DAY, W_PH, W_SH, W_MOD, W_UNSUPPORTED };
enum modifier { MOD_NONE, MOD_OPEN, MOD_OFF, MOD_UNKNOWN };

struct word {
	enum word_kind kind;
	int val;         /* weekday (0 = Monday) or modifier */
	const char *why; /* for W_UNSUPPORTED: the error message */
	size_t len;      /* letters at the position */
};

/* Messages marked with N_(): translated by _() when reported. */
#define WHY_MONTH N_("months are not supported")
#define WHY_SUN N_("times relative to the sun are not supported")

static const struct {
	const char *name;
	enum word_kind kind;
	int val;
	const char *why;
} words[] = {
	{ "mo", W_DAY, 0, NULL }, { "tu", W_DAY, 1, NULL }, { "we", W_DAY, 2, NULL },
	{ "th", W_DAY, 3, NULL }, { "fr", W_DAY, 4, NULL }, { "sa", W_DAY, 5, NULL },
	{ "su", W_DAY, 6, NULL },
	{ "lu", W_DAY, 0, NULL }, { "ma", W_DAY, 1, NULL }, { "me", W_DAY, 2, NULL },
	{ "je", W_DAY, 3, NULL }, { "ve", W_DAY, 4, NULL }, { "di", W_DAY, 6, NULL },
	{ "lundi", W_DAY, 0, NULL }, { "mardi", W_DAY, 1, NULL },
	{ "mercredi", W_DAY, 2, NULL }, { "jeudi", W_DAY, 3, NULL },
	{ "vendredi", W_DAY, 4, NULL }, { "samedi", W_DAY, 5, NULL },
	{ "dimanche", W_DAY, 6, NULL },
	{ "ph", W_PH, 0, NULL }, { "sh", W_SH, 0, NULL },
	{ "off", W_MOD, MOD_OFF, NULL }, { "closed", W_MOD, MOD_OFF, NULL },
	{ "open", W_MOD, MOD_OPEN, NULL }, { "unknown", W_MOD, MOD_UNKNOWN, NULL },
	{ "jan", W_UNSUPPORTED, 0, WHY_MONTH }, { "feb", W_UNSUPPORTED, 0, WHY_MONTH },
	{ "mar", W_UNSUPPORTED, 0, WHY_MONTH }, { "apr", W_UNSUPPORTED, 0, WHY_MONTH },
	{ "may", W_UNSUPPORTED, 0, WHY_MONTH }, { "jun", W_UNSUPPORTED, 0, WHY_MONTH },
	{ "jul", W_UNSUPPORTED, 0, WHY_MONTH }, { "aug", W_UNSUPPORTED, 0, WHY_MONTH },
	{ "sep", W_UNSUPPORTED, 0, WHY_MONTH }, { "oct", W_UNSUPPORTED, 0, WHY_MONTH },
	{ "nov", W_UNSUPPORTED, 0, WHY_MONTH }, { "dec", W_UNSUPPORTED, 0, WHY_MONTH },
	{ "janvier", W_UNSUPPORTED, 0, WHY_MONTH }, { "mars", W_UNSUPPORTED, 0, WHY_MONTH },
	{ "avril", W_UNSUPPORTED, 0, WHY_MONTH }, { "mai", W_UNSUPPORTED, 0, WHY_MONTH },
	{ "juin", W_UNSUPPORTED, 0, WHY_MONTH }, { "juillet", W_UNSUPPORTED, 0, WHY_MONTH },
	{ "septembre", W_UNSUPPORTED, 0, WHY_MONTH }, { "octobre", W_UNSUPPORTED, 0, WHY_MONTH },
	{ "novembre", W_UNSUPPORTED, 0, WHY_MONTH },
	{ "week", W_UNSUPPORTED, 0, N_("week numbers are not supported") },
	{ "easter", W_UNSUPPORTED, 0, N_("dates are not supported") },
	{ "sunrise", W_UNSUPPORTED, 0, WHY_SUN }, { "sunset", W_UNSUPPORTED, 0, WHY_SUN },
	{ "dawn", W_UNSUPPORTED, 0, WHY_SUN }, { "dusk", W_UNSUPPORTED, 0, WHY_SUN },
};

/* Classifies the run of ASCII letters at s (case-insensitive). */
static struct word peek_word(const char *s)
{
	struct word w = { W_NONE, 0, NULL, 0 };
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
			w.why = words[i].why;
			break;
		}
	}
	return w;
}

static bool is_selector_word(struct word w)
{
	return w.kind == W_DAY || w.kind == W_PH || w.kind == W_SH;
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
/* Minute ranges                                                       */

/* Sorts r[0..n) by start and merges overlapping or touching ranges;
 * returns the new count. n is small (at most 2 * MAX_RANGES). */
static int normalize(struct range *r, int n)
{
	int i, j, out = 0;

	for (i = 1; i < n; i++) {
		struct range x = r[i];
		for (j = i; j > 0 && r[j - 1].start > x.start; j--)
			r[j] = r[j - 1];
		r[j] = x;
	}
	for (i = 0; i < n; i++) {
		if (out && r[i].start <= r[out - 1].end) {
			if (r[i].end > r[out - 1].end)
				r[out - 1].end = r[i].end;
		} else {
			r[out++] = r[i];
		}
	}
	return out;
}

/* Removes [cut.start, cut.end) from the n sorted ranges in r (room for
 * n + 1: a cut splits at most one range in two); returns the new count. */
static int subtract(struct range *r, int n, struct range cut)
{
	struct range tmp[2 * MAX_RANGES + 1];
	int i, out = 0;

	for (i = 0; i < n; i++) {
		if (r[i].end <= cut.start || r[i].start >= cut.end) {
			tmp[out++] = r[i];
			continue;
		}
		if (r[i].start < cut.start)
			tmp[out++] = (struct range){ r[i].start, cut.start };
		if (r[i].end > cut.end)
			tmp[out++] = (struct range){ cut.end, r[i].end };
	}
	memcpy(r, tmp, (size_t)out * sizeof(*r));
	return out;
}

static bool in_ranges(const struct day *d, int minute)
{
	int i;

	if (d->kind != DAY_TIMES)
		return false;
	for (i = 0; i < d->n; i++)
		if (d->r[i].start <= minute && minute < d->r[i].end)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

/* One rule as read, before it is applied to the week. */
struct rule {
	unsigned days;       /* bit 0 = Monday */
	bool selector;       /* named days, PH or SH (or was 24/7) */
	bool ph, sh;
	bool ignored;        /* "SH Mo-Fr": school holidays only, ignored */
	bool times;          /* r[0..n) were given */
	int n;
	struct range r[MAX_RANGES];
	enum modifier mod;
	bool comment;
	struct strbuf text;  /* the comment, without its quotes */
};

/*
 * Reads a time: "09:00", "9:00", "09h00" or "9h" (French data). max is
 * the largest value accepted, in minutes: 23:59 for an opening, 48:00 for
 * a closing (OSM writes closings after midnight as 26:00 too).
 */
static int parse_time(struct parser *ps, int max, int *out)
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

/* Reads "09:00-12:00"; a closing at or before the opening is the next day. */
static int parse_span(struct parser *ps, struct range *r)
{
	int start, end;
	size_t d;

	if (parse_time(ps, DAY_MIN - 1, &start) < 0)
		return -1;
	ps->p = skip_space(ps->p);
	d = dash_len(ps->p);
	if (!d) {
		if (*ps->p == '+')
			return fail(ps, ps->p, _("open-ended times like 09:00+ are not supported"));
		return fail_expected(ps, ps->p, _("'-' and a closing time"));
	}
	ps->p = skip_space(ps->p + d);
	if (parse_time(ps, 2 * DAY_MIN, &end) < 0)
		return -1;
	if (end <= start)
		end += DAY_MIN;
	r->start = start;
	r->end = end;
	return 0;
}

/* Reads "09:00-12:00,14:00-17:00". A comma followed by something else than
 * a time is left alone: it separates rules. */
static int parse_times(struct parser *ps, struct rule *r)
{
	for (;;) {
		const char *q;

		if (r->n == MAX_RANGES)
			return fail(ps, ps->p, _("too many time ranges (at most %d)"), MAX_RANGES);
		if (parse_span(ps, &r->r[r->n]) < 0)
			return -1;
		r->n++;
		r->times = true;
		q = skip_space(ps->p);
		if (*q != ',')
			return 0;
		q = skip_space(q + 1);
		if (!is_digit(*q))
			return 0;
		ps->p = q;
	}
}

/* Reads "Mo" or "Fr-Mo" (ranges wrap around Sunday) into the days mask. */
static int parse_day_range(struct parser *ps, int from, unsigned *days)
{
	const char *q = skip_space(ps->p);
	size_t d = dash_len(q);
	int to = from;

	if (d) {
		const char *at = skip_space(q + d);
		struct word w = peek_word(at);
		if (w.kind != W_DAY)
			return fail_expected(ps, at, _("a weekday like Fr"));
		to = w.val;
		ps->p = at + w.len;
	}
	for (;;) {
		*days |= 1u << from;
		if (from == to)
			return 0;
		from = (from + 1) % 7;
	}
}

/*
 * Reads the selector, possibly empty: "Mo-Fr", "We,Sa", "Su,PH" (a union)
 * or "SH Mo-Fr" (school holidays falling on those days, ignored later).
 * A comma continues the selector only when a day or holiday follows it.
 */
static int parse_selector(struct parser *ps, struct rule *r)
{
	bool after_comma = false;

	for (;;) {
		const char *at = skip_space(ps->p), *q;
		struct word w = peek_word(at);

		if (w.kind == W_UNSUPPORTED)
			return fail(ps, at, "%s", _(w.why));
		if (!is_selector_word(w)) {
			if (after_comma)
				return fail_expected(ps, at, _("a weekday like Mo"));
			return 0;
		}
		if (r->selector && !after_comma) {
			if (w.kind != W_DAY || r->days)
				return fail_expected(ps, at, _("a time like 09:00"));
			if (r->ph)
				return fail(ps, at, _("public holidays on given weekdays are not supported"));
			r->ignored = true;
		}
		ps->p = at + w.len;
		r->selector = true;
		if (w.kind == W_PH)
			r->ph = true;
		else if (w.kind == W_SH)
			r->sh = true;
		else if (parse_day_range(ps, w.val, &r->days) < 0)
			return -1;
		q = skip_space(ps->p);
		after_comma = *q == ',' && is_selector_word(peek_word(skip_space(q + 1)));
		if (after_comma)
			ps->p = q + 1;
	}
}

/* Reads a "comment": control characters become spaces, invalid UTF-8 is
 * an error (the text is shown to people as it is). */
static int parse_comment(struct parser *ps, struct rule *r)
{
	const char *open = ps->p;
	const unsigned char *s = (const unsigned char *)open + 1;

	while (*s && *s != '"') {
		size_t n = utf8_len(s);
		if (!n)
			return fail(ps, (const char *)s, _("invalid UTF-8 in comment"));
		if (n == 1 && (*s < 0x20 || *s == 0x7f))
			strbuf_addch(&r->text, ' ');
		else
			strbuf_add(&r->text, s, n);
		s += n;
	}
	if (!*s)
		return fail(ps, open, _("unterminated comment, expected a closing '\"'"));
	strbuf_trim(&r->text);
	r->comment = true;
	ps->p = (const char *)s + 1;
	return 0;
}

/* Reads one rule: [24/7 | selector [:] [times]] [modifier] ["comment"]. */
static int parse_rule(struct parser *ps, struct rule *r)
{
	const char *start = ps->p, *q;
	struct word w;

	if (!strncmp(ps->p, "24/7", 4) && !is_digit(ps->p[4])) {
		ps->p += 4;
		r->selector = r->times = true;
		r->days = ALL_DAYS;
		r->r[0] = (struct range){ 0, DAY_MIN };
		r->n = 1;
	} else {
		if (parse_selector(ps, r) < 0)
			return -1;
		q = skip_space(ps->p);
		if (r->selector && *q == ':')
			q = skip_space(q + 1);
		if (is_digit(*q)) {
			ps->p = q;
			if (parse_times(ps, r) < 0)
				return -1;
		}
	}
	q = skip_space(ps->p);
	w = peek_word(q);
	if (w.kind == W_MOD) {
		r->mod = (enum modifier)w.val;
		ps->p = q = skip_space(q + w.len);
	}
	if (*q == '"') {
		ps->p = q;
		if (parse_comment(ps, r) < 0)
			return -1;
	}
	if (!r->selector && !r->times && r->mod == MOD_NONE && !r->comment) {
		if (w.kind == W_UNSUPPORTED)
			return fail(ps, q, "%s", _(w.why));
		return fail_expected(ps, start, _("a weekday like Mo or a time like 09:00"));
	}
	return 0;
}

/* Adds a comment (deduplicated) and returns its index. */
static int add_note(struct hours *h, const char *text, bool trailing)
{
	size_t i;

	for (i = 0; i < h->nnotes; i++)
		if (!strcmp(h->notes[i].text, text))
			break;
	if (i == h->nnotes) {
		XGROW(h->notes, h->anotes, h->nnotes + 1);
		h->notes[i].text = xstrdup(text);
		h->notes[i].trailing = false;
		h->nnotes++;
	}
	h->notes[i].trailing |= trailing;
	return (int)i;
}

/* What a rule says about each day it names. */
static void rule_content(const struct rule *r, int note, struct day *c)
{
	memset(c, 0, sizeof(*c));
	c->note = note;
	if (r->mod == MOD_UNKNOWN || (r->mod == MOD_NONE && !r->times && r->comment)) {
		c->kind = DAY_UNKNOWN;
		return;
	}
	c->kind = DAY_TIMES;
	if (r->mod == MOD_OFF)
		return;
	if (!r->times) {
		c->r[0] = (struct range){ 0, DAY_MIN };
		c->n = 1;
		return;
	}
	memcpy(c->r, r->r, (size_t)r->n * sizeof(r->r[0]));
	c->n = normalize(c->r, r->n);
}

/* Applies content to a day: replaces it, or after `,` adds to it (or
 * removes from it, for `off`). */
static int merge_day(struct parser *ps, const char *at, struct day *day,
		     const struct day *c, const struct rule *r, bool additional)
{
	struct range tmp[2 * MAX_RANGES + 1];
	int i, n;

	if (!additional || day->kind != DAY_TIMES || c->kind != DAY_TIMES) {
		*day = *c;
		return 0;
	}
	memcpy(tmp, day->r, (size_t)day->n * sizeof(tmp[0]));
	n = day->n;
	if (r->mod == MOD_OFF && !r->times) {
		n = 0;
	} else if (r->mod == MOD_OFF) {
		for (i = 0; i < r->n; i++)
			n = subtract(tmp, n, r->r[i]);
	} else {
		memcpy(tmp + n, c->r, (size_t)c->n * sizeof(tmp[0]));
		n = normalize(tmp, n + c->n);
	}
	if (n > MAX_RANGES)
		return fail(ps, at, _("too many time ranges for one day (at most %d)"), MAX_RANGES);
	memcpy(day->r, tmp, (size_t)n * sizeof(tmp[0]));
	day->n = n;
	if (c->note >= 0)
		day->note = c->note;
	return 0;
}

static int apply_rule(struct parser *ps, const char *at, const struct rule *r, bool additional)
{
	struct hours *h = ps->h;
	unsigned days = r->selector ? r->days : ALL_DAYS;
	struct day c;
	int d;

	if (r->ignored || (r->sh && !r->days && !r->ph))
		return 0;
	if (!r->selector && !r->times && r->mod == MOD_NONE) {
		if (r->text.len)
			add_note(h, r->text.buf, true);
		return 0;
	}
	rule_content(r, r->text.len ? add_note(h, r->text.buf, false) : -1, &c);
	for (d = 0; d < 7; d++)
		if ((days & (1u << d)) && merge_day(ps, at, &h->day[d], &c, r, additional) < 0)
			return -1;
	if (r->ph && merge_day(ps, at, &h->ph, &c, r, additional) < 0)
		return -1;
	h->any_rule = true;
	return 0;
}

/* What may follow a rule: the end, `;`, `||` or `,`. */
static int fail_rule_end(const struct parser *ps)
{
	struct word w = peek_word(ps->p);

	if (w.kind == W_UNSUPPORTED)
		return fail(ps, ps->p, "%s", _(w.why));
	return fail_expected(ps, ps->p, _("';' between rules"));
}

static int parse_value(struct parser *ps)
{
	bool additional = false;
	int rules = 0;

	for (;;) {
		const char *at;
		struct rule r;
		int rc;

		ps->p = skip_space(ps->p);
		if (!*ps->p)
			break;
		if (*ps->p == ';' || (ps->p[0] == '|' && ps->p[1] == '|')) {
			ps->p += *ps->p == ';' ? 1 : 2;
			additional = false;
			continue;
		}
		at = ps->p;
		memset(&r, 0, sizeof(r));
		strbuf_init(&r.text, 0);
		rc = parse_rule(ps, &r);
		if (!rc)
			rc = apply_rule(ps, at, &r, additional);
		strbuf_release(&r.text);
		if (rc < 0)
			return -1;
		rules++;
		ps->p = skip_space(ps->p);
		additional = *ps->p == ',';
		if (additional)
			ps->p++;
		else if (*ps->p && *ps->p != ';' && !(ps->p[0] == '|' && ps->p[1] == '|'))
			return fail_rule_end(ps);
	}
	if (!rules)
		return fail(ps, ps->text, _("empty value"));
	return 0;
}

int hours_parse(const char *text, struct hours **out)
{
	struct parser ps;
	struct hours *h;
	int d;

	*out = NULL;
	if (!text)
		return qfq_error(_("column 1: empty value"));
	if (strnlen(text, MAX_TEXT + 1) > MAX_TEXT)
		return qfq_error(_("column %d: value longer than %d bytes"), MAX_TEXT + 1, MAX_TEXT);
	h = xcalloc(1, sizeof(*h));
	for (d = 0; d < 7; d++)
		h->day[d].note = -1;
	h->ph.note = -1;
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
		free(h->notes[i].text);
	free(h->notes);
	free(h);
}

/* ------------------------------------------------------------------ */
/* Queries                                                             */

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static bool tm_is_public_holiday(const struct tm *t)
{
	if (t->tm_year < -1900 + 1 || t->tm_year > INT_MAX - 1900)
		return false;
	return hours_is_public_holiday(t->tm_year + 1900, t->tm_mon + 1, t->tm_mday);
}

enum hours_state hours_state_at(const struct hours *h, const struct tm *t)
{
	int wd = ((t->tm_wday % 7) + 7 + 6) % 7; /* Monday = 0 */
	int m = clamp(t->tm_hour, 0, 23) * 60 + clamp(t->tm_min, 0, 59);
	const struct day *d = &h->day[wd];

	if (h->ph.kind != DAY_UNSET && tm_is_public_holiday(t))
		d = &h->ph;
	else if (in_ranges(&h->day[(wd + 6) % 7], m + DAY_MIN))
		return HOURS_OPEN; /* last night's hours */
	if (in_ranges(d, m))
		return HOURS_OPEN;
	if (d->kind == DAY_UNKNOWN || !h->any_rule)
		return HOURS_UNKNOWN;
	return HOURS_CLOSED;
}

/* Minutes of a day at which the state may turn open: midnight (last
 * night's hours) and every range start, regular or PH; sorted. A start
 * past 24:00 (left by `, ... off`) is the next day's midnight. */
static int open_candidates(const struct hours *h, int wd, int *out)
{
	int n = 0, i;

	out[n++] = 0;
	for (i = 0; i < h->day[wd].n; i++)
		if (h->day[wd].r[i].start < DAY_MIN)
			out[n++] = h->day[wd].r[i].start;
	for (i = 0; i < h->ph.n; i++)
		if (h->ph.r[i].start < DAY_MIN)
			out[n++] = h->ph.r[i].start;
	for (i = 1; i < n; i++) {
		int x = out[i], j;
		for (j = i; j > 0 && out[j - 1] > x; j--)
			out[j] = out[j - 1];
		out[j] = x;
	}
	return n;
}

int hours_next_open(const struct hours *h, const struct tm *from, struct tm *next)
{
	struct tm base = *from;
	int m0, k;

	mktime(&base);
	if (hours_state_at(h, &base) == HOURS_OPEN) {
		*next = base;
		return 0;
	}
	m0 = base.tm_hour * 60 + base.tm_min;
	for (k = 0; k <= 14; k++) {
		int cand[1 + 2 * MAX_RANGES], n, i;
		struct tm day = base;

		/* noon: a date that DST changes cannot shift */
		day.tm_mday += k;
		day.tm_hour = 12;
		day.tm_min = day.tm_sec = 0;
		day.tm_isdst = -1;
		mktime(&day);
		n = open_candidates(h, ((day.tm_wday % 7) + 13) % 7, cand);
		for (i = 0; i < n; i++) {
			struct tm t = day;
			if ((k == 0 && cand[i] <= m0) || (k == 14 && cand[i] > m0))
				continue;
			t.tm_hour = cand[i] / 60;
			t.tm_min = cand[i] % 60;
			if (hours_state_at(h, &t) != HOURS_OPEN)
				continue;
			t.tm_isdst = -1;
			mktime(&t);
			*next = t;
			return 0;
		}
	}
	return 1;
}

static int span_cmp(const void *a, const void *b)
{
	const struct hours_span *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* Adds [s, e) in minutes of the week, wrapping Sunday night to Monday
 * morning. A range may start past Sunday 24:00 too: `, ... off` can cut
 * "Su 01:00-01:00" (24 hours) down to its part after midnight. */
static size_t add_span(struct hours_span *all, size_t n, int s, int e)
{
	if (s >= WEEK_MIN) {
		s -= WEEK_MIN;
		e -= WEEK_MIN;
	}
	if (e <= WEEK_MIN) {
		all[n++] = (struct hours_span){ s, e };
	} else {
		all[n++] = (struct hours_span){ s, WEEK_MIN };
		all[n++] = (struct hours_span){ 0, e - WEEK_MIN };
	}
	return n;
}

size_t hours_week_spans(const struct hours *h, struct hours_span *out, size_t max)
{
	struct hours_span all[7 * MAX_RANGES * 2];
	size_t n = 0, merged = 0, i;
	int d, k;

	for (d = 0; d < 7; d++) {
		const struct day *day = &h->day[d];
		for (k = 0; day->kind == DAY_TIMES && k < day->n; k++)
			n = add_span(all, n, d * DAY_MIN + day->r[k].start, d * DAY_MIN + day->r[k].end);
	}
	qsort(all, n, sizeof(all[0]), span_cmp);
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
	return merged;
}

/* ------------------------------------------------------------------ */
/* French rendering                                                    */

static const char *const day_fr[7] = {
	"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
};

const char *hours_day_fr(int tm_wday)
{
	if (tm_wday < 0 || tm_wday > 6)
		return "";
	return day_fr[(tm_wday + 6) % 7];
}

static bool same_day(const struct day *a, const struct day *b)
{
	return a->kind == b->kind && a->n == b->n && a->note == b->note &&
	       !memcmp(a->r, b->r, (size_t)a->n * sizeof(a->r[0]));
}

/* "09:00"; a closing past midnight is shown as the clock reads it (26:00
 * is 02:00), but a closing at midnight stays 24:00. */
static void add_time(struct strbuf *sb, int m)
{
	if (m > DAY_MIN)
		m -= DAY_MIN;
	strbuf_addf(sb, "%02d:%02d", m / 60, m % 60);
}

/* "09:00–12:00, 14:00–17:00", "fermé" or the comment, then the comment. */
static void add_day_text(const struct hours *h, const struct day *d, struct strbuf *sb)
{
	int i;

	if (d->kind == DAY_UNKNOWN && d->note < 0)
		strbuf_addstr(sb, "horaires non précisés");
	else if (d->kind == DAY_TIMES && !d->n)
		strbuf_addstr(sb, "fermé");
	for (i = 0; d->kind == DAY_TIMES && i < d->n; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		add_time(sb, d->r[i].start);
		strbuf_addstr(sb, "\u2013");
		add_time(sb, d->r[i].end);
	}
	if (d->note >= 0)
		strbuf_addf(sb, "%s« %s »", d->kind == DAY_UNKNOWN ? "" : " ", h->notes[d->note].text);
}

/* Every day the same single 00:00-24:00 range: "24/7" and its spellings. */
static bool always_open(const struct hours *h)
{
	int d;

	for (d = 0; d < 7; d++)
		if (!same_day(&h->day[d], &h->day[0]))
			return false;
	return h->day[0].kind == DAY_TIMES && h->day[0].n == 1 &&
	       h->day[0].r[0].start == 0 && h->day[0].r[0].end == DAY_MIN;
}

/*
 * Lists only the days some rule names, Monday first: a person reading
 * "du lundi au vendredi 09:00–17:00" knows the weekend is closed, and a
 * line per unmentioned day would bury the hours. Consecutive identical
 * days are grouped ("samedi et dimanche", "du lundi au vendredi", "tous
 * les jours"); identical days apart are listed on their own lines, which
 * keeps each line readable from left to right.
 */
void hours_week_fr(const struct hours *h, struct strbuf *sb)
{
	int d, e;
	size_t i;

	if (always_open(h)) {
		strbuf_addstr(sb, "ouvert 24 h/24, 7 j/7");
		if (h->day[0].note >= 0)
			strbuf_addf(sb, " « %s »", h->notes[h->day[0].note].text);
		strbuf_addch(sb, '\n');
		d = 7;
	} else {
		d = 0;
	}
	for (; d < 7; d = e + 1) {
		e = d;
		if (h->day[d].kind == DAY_UNSET)
			continue;
		while (e < 6 && same_day(&h->day[e + 1], &h->day[d]))
			e++;
		if (e - d == 6)
			strbuf_addstr(sb, "tous les jours");
		else if (e == d)
			strbuf_addstr(sb, day_fr[d]);
		else if (e == d + 1)
			strbuf_addf(sb, "%s et %s", day_fr[d], day_fr[e]);
		else
			strbuf_addf(sb, "du %s au %s", day_fr[d], day_fr[e]);
		strbuf_addch(sb, ' ');
		add_day_text(h, &h->day[d], sb);
		strbuf_addch(sb, '\n');
	}
	if (h->ph.kind != DAY_UNSET) {
		strbuf_addstr(sb, "jours fériés ");
		add_day_text(h, &h->ph, sb);
		strbuf_addch(sb, '\n');
	}
	for (i = 0; i < h->nnotes; i++)
		if (h->notes[i].trailing)
			strbuf_addf(sb, "« %s »\n", h->notes[i].text);
}

/* ------------------------------------------------------------------ */
/* French public holidays                                              */

static bool is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int day_of_year(int year, int month, int mday)
{
	static const int before[12] = { 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334 };

	return before[month - 1] + mday + (is_leap(year) && month > 2);
}

/* Easter Sunday, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
static int easter_day_of_year(int y)
{
	int a = y % 19, b = y / 100, c = y % 100;
	int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int month = (h + l - 7 * m + 114) / 31;
	int mday = (h + l - 7 * m + 114) % 31 + 1;

	return day_of_year(y, month, mday);
}

bool hours_is_public_holiday(int year, int month, int mday)
{
	/* 1 Jan, 1 May, 8 May, 14 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec */
	static const int fixed[][2] = {
		{ 1, 1 }, { 5, 1 }, { 5, 8 }, { 7, 14 }, { 8, 15 }, { 11, 1 }, { 11, 11 }, { 12, 25 },
	};
	/* Easter Monday, Ascension Thursday, Whit Monday */
	static const int after_easter[] = { 1, 39, 50 };
	static const int length[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	size_t i;
	int doy;

	/* 31 April must not pass for 1 May */
	if (month < 1 || month > 12 || mday < 1 || mday > length[month - 1] ||
	    (month == 2 && mday == 29 && !is_leap(year)))
		return false;
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if (fixed[i][0] == month && fixed[i][1] == mday)
			return true;
	if (year < 1583) /* the Gregorian computus only */
		return false;
	doy = day_of_year(year, month, mday);
	for (i = 0; i < ARRAY_SIZE(after_easter); i++)
		if (doy == easter_day_of_year(year) + after_easter[i])
			return true;
	return false;
}
