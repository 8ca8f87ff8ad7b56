/*
 * hours_fr: the French reading of a parsed `opening_hours` value (see
 * hours_week_fr() in hours.h).
 *
 * The weekly rules are read as a week: each weekday is evaluated by its own
 * rules (so "vendredi 22:00–02:00" stays Friday's), consecutive identical
 * days grouped, then a line for public holidays. Each rule that is not
 * weekly (dates, months, nth weekdays, open ends, sun times...) follows on
 * its own line, in the value's order, read from its selectors: "le 2e
 * jeudi du mois 09:00–12:00", "fermé en août", "samedi à partir de 10:00".
 * Then the comments that are notes of the whole value.
 */
#include "core/hours.h"
#include "core/hours_impl.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RUNS 32

static const char *const day_fr[7] = {
	"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
};

static const char *const month_fr[12] = {
	"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre",
};

const char *hours_day_fr(int tm_wday)
{
	if (tm_wday < 0 || tm_wday > 6)
		return "";
	return day_fr[(tm_wday + 6) % 7];
}

const char *hours_month_fr(int tm_mon)
{
	if (tm_mon < 0 || tm_mon > 11)
		return "";
	return month_fr[tm_mon];
}

/* ------------------------------------------------------------------ */
/* The regular week                                                    */

enum fkind { F_UNSET, F_TIMES, F_UNKNOWN };

struct fday {
	enum fkind kind;
	int n;
	int s[MAX_RUNS], e[MAX_RUNS]; /* open runs, minutes from the day's 00:00 */
	int note;
};

/* A day as its own rules say it: open runs starting that day, or unknown. */
static void ref_to_fday(const struct hours *h, const struct hours_ref *ref, struct fday *d)
{
	int m, unknown_note = -2;

	memset(d, 0, sizeof(*d));
	d->note = -1;
	if (!ref->matched)
		return;
	d->kind = F_TIMES;
	for (m = 0; m < HDAY_MIN; m++) {
		int st = ref->st[m];
		if (ref->note[m] >= 0 && d->note < 0 && (size_t)ref->note[m] < h->nnotes)
			d->note = ref->note[m];
		if (st == HOURS_UNKNOWN && unknown_note == -2)
			unknown_note = ref->note[m];
		if (st != HOURS_OPEN || (m && ref->st[m - 1] == HOURS_OPEN))
			continue;
		if (d->n == MAX_RUNS)
			break;
		d->s[d->n] = m;
		while (m < 2 * HDAY_MIN && ref->st[m] == HOURS_OPEN)
			m++;
		d->e[d->n++] = m;
		m--;
	}
	if (!d->n && unknown_note != -2)
		d->kind = F_UNKNOWN;
}

static bool same_fday(const struct fday *a, const struct fday *b)
{
	return a->kind == b->kind && a->n == b->n && a->note == b->note &&
	       !memcmp(a->s, b->s, (size_t)a->n * sizeof(a->s[0])) &&
	       !memcmp(a->e, b->e, (size_t)a->n * sizeof(a->e[0]));
}

/* "09:00"; a closing past midnight is shown as the clock reads it (26:00
 * is 02:00), but a closing at midnight stays 24:00. */
static void add_time(struct strbuf *sb, int m)
{
	if (m > HDAY_MIN)
		m -= HDAY_MIN;
	strbuf_addf(sb, "%02d:%02d", m / 60, m % 60);
}

static void add_note(const struct hours *h, int note, bool space, struct strbuf *sb)
{
	if (note >= 0 && (size_t)note < h->nnotes)
		strbuf_addf(sb, "%s« %s »", space ? " " : "", h->notes[note]);
}

/* "09:00–12:00, 14:00–17:00", "fermé" or the comment, then the comment. */
static void add_fday(const struct hours *h, const struct fday *d, struct strbuf *sb)
{
	int i;

	if (d->kind == F_UNKNOWN && d->note < 0)
		strbuf_addstr(sb, "horaires non précisés");
	else if (d->kind == F_TIMES && !d->n)
		strbuf_addstr(sb, "fermé");
	for (i = 0; d->kind == F_TIMES && i < d->n; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		add_time(sb, d->s[i]);
		strbuf_addstr(sb, "\u2013");
		add_time(sb, d->e[i]);
	}
	add_note(h, d->note, d->kind != F_UNKNOWN, sb);
}

static bool always_open(const struct fday *days)
{
	int d;

	for (d = 0; d < 7; d++)
		if (!same_fday(&days[d], &days[0]))
			return false;
	return days[0].kind == F_TIMES && days[0].n == 1 && days[0].s[0] == 0 && days[0].e[0] == HDAY_MIN;
}

/*
 * Lists only the days some rule names, Monday first: a person reading
 * "du lundi au vendredi 09:00–17:00" knows the weekend is closed, and a
 * line per unmentioned day would bury the hours. Consecutive identical
 * days are grouped ("samedi et dimanche", "du lundi au vendredi", "tous
 * les jours"); identical days apart are listed on their own lines.
 */
static void week_table(const struct hours *h, const bool *skip, struct strbuf *sb)
{
	static struct hours_ref ref;
	struct fday days[7], ph;
	bool has_ph = false;
	size_t i;
	int d, e;

	for (d = 0; d < 7; d++) {
		hours_ref_day(h, d, skip, false, &ref);
		ref_to_fday(h, &ref, &days[d]);
	}
	if (always_open(days)) {
		strbuf_addstr(sb, "ouvert 24 h/24, 7 j/7");
		add_note(h, days[0].note, true, sb);
		strbuf_addch(sb, '\n');
		d = 7;
	} else {
		d = 0;
	}
	for (; d < 7; d = e + 1) {
		e = d;
		if (days[d].kind == F_UNSET)
			continue;
		while (e < 6 && same_fday(&days[e + 1], &days[d]))
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
		add_fday(h, &days[d], sb);
		strbuf_addch(sb, '\n');
	}
	for (i = 0; i < h->nrules; i++)
		has_ph |= h->rules[i].ph && !skip[i];
	if (has_ph) {
		hours_ref_day(h, 0, skip, true, &ref);
		ref_to_fday(h, &ref, &ph);
		strbuf_addstr(sb, "jours fériés ");
		add_fday(h, &ph, sb);
		strbuf_addch(sb, '\n');
	}
}

/* ------------------------------------------------------------------ */
/* Rules that are not weekly                                           */

static void sep(struct strbuf *sb)
{
	if (sb->len && sb->buf[sb->len - 1] != ' ' && sb->buf[sb->len - 1] != '\n')
		strbuf_addch(sb, ' ');
}

static void add_mday(struct strbuf *sb, const struct hmday *md)
{
	if (md->easter) {
		strbuf_addstr(sb, "Pâques");
	} else {
		if (md->day)
			strbuf_addf(sb, md->day == 1 ? "1er " : "%d ", md->day);
		strbuf_addstr(sb, month_fr[md->month - 1]);
	}
	if (md->year)
		strbuf_addf(sb, " %d", md->year);
	if (md->offset)
		strbuf_addf(sb, " %+d jour%s", md->offset, abs(md->offset) > 1 ? "s" : "");
}

static bool same_mday(const struct hmday *a, const struct hmday *b)
{
	return a->year == b->year && a->month == b->month && a->day == b->day && a->easter == b->easter &&
	       a->offset == b->offset;
}

/* The feasts a day after Easter names: "le lundi de Pâques"; NULL for others. */
static const char *easter_day(int offset)
{
	switch (offset) {
	case 0: return "le dimanche de Pâques";
	case 1: return "le lundi de Pâques";
	case 39: return "le jeudi de l'Ascension";
	case 49: return "le dimanche de Pentecôte";
	case 50: return "le lundi de Pentecôte";
	default: return NULL;
	}
}

static void dates_fr(struct strbuf *sb, const struct hrule *r)
{
	int i;

	for (i = 0; i < r->ndates; i++) {
		const struct hdaterange *dr = &r->dates[i];
		bool months = !dr->from.day && !dr->to.day && !dr->from.easter && !dr->to.easter;
		if (i)
			strbuf_addstr(sb, ", ");
		if (same_mday(&dr->from, &dr->to) && dr->from.easter && !dr->from.year &&
		    easter_day(dr->from.offset)) {
			strbuf_addstr(sb, easter_day(dr->from.offset));
		} else if (same_mday(&dr->from, &dr->to)) {
			strbuf_addstr(sb, months ? "en " : dr->from.easter ? "" : "le ");
			add_mday(sb, &dr->from);
		} else {
			strbuf_addstr(sb, months ? "de " : "du ");
			add_mday(sb, &dr->from);
			strbuf_addstr(sb, months ? " à " : " au ");
			add_mday(sb, &dr->to);
		}
	}
}

static void ranges_fr(struct strbuf *sb, const struct hrange *v, int n, const char *one, const char *many)
{
	int i;

	strbuf_addstr(sb, n > 1 || v[0].to != v[0].from ? many : one);
	for (i = 0; i < n; i++) {
		strbuf_addstr(sb, i ? ", " : " ");
		if (v[i].to == 9999)
			strbuf_addf(sb, "%d et suivantes", v[i].from);
		else if (v[i].to != v[i].from)
			strbuf_addf(sb, "%d à %d", v[i].from, v[i].to);
		else
			strbuf_addf(sb, "%d", v[i].from);
		if (v[i].step > 1)
			strbuf_addf(sb, " (une sur %d)", v[i].step);
	}
}

static void ordinal(struct strbuf *sb, int k)
{
	if (k == 1)
		strbuf_addstr(sb, "1er");
	else if (k > 1)
		strbuf_addf(sb, "%de", k);
	else if (k == -1)
		strbuf_addstr(sb, "dernier");
	else
		strbuf_addf(sb, "%de avant la fin", -k);
}

/* "le 2e jeudi du mois", "les 1er et 3e samedis du mois", "le dernier vendredi du mois". */
static void nth_fr(struct strbuf *sb, const struct hwday *w, int day)
{
	int ks[10], n = 0, i, k;

	for (k = 1; k <= 5; k++)
		if (w->nth & (1u << (k - 1)))
			ks[n++] = k;
	for (k = 1; k <= 5; k++)
		if (w->nth & (1u << (4 + k)))
			ks[n++] = -k;
	strbuf_addstr(sb, n > 1 ? "les " : "le ");
	for (i = 0; i < n; i++) {
		if (i)
			strbuf_addstr(sb, i == n - 1 ? " et " : ", ");
		ordinal(sb, ks[i]);
	}
	strbuf_addf(sb, " %s%s du mois", day_fr[day], n > 1 ? "s" : "");
}

static void wdays_fr(struct strbuf *sb, const struct hrule *r)
{
	int i, d;

	for (i = 0; i < r->nwdays; i++) {
		const struct hwday *w = &r->wdays[i];
		int first = -1, last = -1, count = 0;
		if (i)
			strbuf_addstr(sb, ", ");
		for (d = 0; d < 7; d++)
			if (w->days & (1u << d)) {
				if (first < 0)
					first = d;
				last = d;
				count++;
			}
		if (w->nth && count == 1) {
			nth_fr(sb, w, first);
		} else if (count > 2 && last - first + 1 == count) {
			strbuf_addf(sb, "du %s au %s", day_fr[first], day_fr[last]);
		} else {
			bool any = false;
			for (d = 0; d < 7; d++)
				if (w->days & (1u << d)) {
					strbuf_addf(sb, "%s%s", any ? ", " : "", day_fr[d]);
					any = true;
				}
		}
		if (w->offset)
			strbuf_addf(sb, " %+d jour%s", w->offset, abs(w->offset) > 1 ? "s" : "");
	}
}

static void selectors_fr(struct strbuf *sb, const struct hrule *r)
{
	if (r->nyears == 1 && r->years[0].step == 1 && r->years[0].to != r->years[0].from) {
		sep(sb);
		if (r->years[0].to == 9999)
			strbuf_addf(sb, "à partir de %d", r->years[0].from);
		else
			strbuf_addf(sb, "de %d à %d", r->years[0].from, r->years[0].to);
	} else if (r->nyears) {
		sep(sb);
		ranges_fr(sb, r->years, r->nyears, "en", "en");
	}
	if (r->ndates) {
		sep(sb);
		dates_fr(sb, r);
	}
	if (r->nweeks) {
		sep(sb);
		ranges_fr(sb, r->weeks, r->nweeks, "semaine", "semaines");
	}
	if (r->ph) {
		sep(sb);
		if (r->ph_offset == 1 || r->ph_offset == -1)
			strbuf_addstr(sb, r->ph_offset > 0 ? "le lendemain des jours fériés" : "la veille des jours fériés");
		else
			strbuf_addstr(sb, "jours fériés");
		if (r->ph_offset > 1 || r->ph_offset < -1)
			strbuf_addf(sb, " %+d jours", r->ph_offset);
	}
	if (r->sh) {
		sep(sb);
		strbuf_addstr(sb, r->ph ? "et vacances scolaires" : "pendant les vacances scolaires");
	}
	if (r->nwdays) {
		sep(sb);
		if ((r->ph || r->sh) && !r->hol_and_wdays)
			strbuf_addstr(sb, "et ");
		wdays_fr(sb, r);
	}
}

static void htime_fr(struct strbuf *sb, const struct htime *t)
{
	static const char *const sun[] = { "", "lever du soleil", "coucher du soleil", "aube", "crépuscule" };

	if (t->kind == HT_CLOCK) {
		add_time(sb, t->min);
		return;
	}
	if (!t->min) {
		strbuf_addstr(sb, sun[t->kind]);
		return;
	}
	strbuf_addf(sb, "(%s %c ", sun[t->kind], t->min < 0 ? '-' : '+');
	add_time(sb, abs(t->min));
	strbuf_addch(sb, ')');
}

static void spans_fr(struct strbuf *sb, const struct hrule *r)
{
	int i;

	for (i = 0; i < r->nspans; i++) {
		const struct hspan *sp = &r->spans[i];
		if (i)
			strbuf_addstr(sb, ", ");
		if (!sp->has_end) {
			strbuf_addstr(sb, "à partir de ");
			htime_fr(sb, &sp->start);
			continue;
		}
		htime_fr(sb, &sp->start);
		strbuf_addstr(sb, "\u2013");
		htime_fr(sb, &sp->end);
		if (sp->open_end)
			strbuf_addstr(sb, " et plus tard peut-être");
	}
}

/* One line for a rule: "le 2e jeudi du mois 09:00–12:00", "fermé en août",
 * "sinon « sur rendez-vous »". */
static void rule_fr(const struct hours *h, const struct hrule *r, struct strbuf *sb)
{
	size_t start;

	if (r->sep == HSEP_FALLBACK)
		strbuf_addstr(sb, "sinon");
	if (r->mod == HMOD_OFF) {
		sep(sb);
		strbuf_addstr(sb, "fermé");
	}
	start = sb->len;
	selectors_fr(sb, r);
	if (sb->len == start && r->sep != HSEP_FALLBACK && r->mod != HMOD_OFF) {
		sep(sb);
		strbuf_addstr(sb, "tous les jours");
	} else if (sb->len == start && r->mod == HMOD_OFF && !r->nspans) {
		strbuf_addstr(sb, " tous les jours");
	}
	if (r->nspans) {
		sep(sb);
		spans_fr(sb, r);
	} else if (r->mod == HMOD_UNKNOWN && r->note < 0) {
		sep(sb);
		strbuf_addstr(sb, "horaires non précisés");
	} else if (r->mod != HMOD_OFF && r->mod != HMOD_UNKNOWN && r->note < 0) {
		sep(sb);
		strbuf_addstr(sb, "toute la journée");
	}
	add_note(h, r->note, sb->len > 0 && sb->buf[sb->len - 1] != '\n', sb);
	strbuf_addch(sb, '\n');
}

void hours_week_fr(const struct hours *h, struct strbuf *sb)
{
	bool *skip = xcalloc(h->nrules ? h->nrules : 1, sizeof(*skip));
	size_t i;

	for (i = 0; i < h->nrules; i++)
		skip[i] = !hrule_is_weekly(&h->rules[i]);
	week_table(h, skip, sb);
	for (i = 0; i < h->nrules; i++)
		if (skip[i] && !h->rules[i].trailing)
			rule_fr(h, &h->rules[i], sb);
	for (i = 0; i < h->nnotes; i++)
		if (h->note_trailing[i])
			strbuf_addf(sb, "« %s »\n", h->notes[i]);
	free(skip);
}
