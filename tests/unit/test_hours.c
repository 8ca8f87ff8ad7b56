/*
 * test_hours: the opening_hours parser on values seen in French directory
 * data: states at given times, next opening, week spans, the French
 * rendering, public holidays, and errors with their columns (including
 * random bytes and overlong values, which must fail cleanly).
 *
 * Dates are in the week of Monday 3 June 2024 (no public holiday), in UTC
 * so that no DST change moves them.
 */
#include "core/date.h"
#include "core/hours.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "tests/unit/tap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MON 3 /* June 2024: Monday 3 .. Sunday 9, Monday 10 */
#define TUE 4
#define WED 5
#define THU 6
#define FRI 7
#define SAT 8
#define SUN 9

static struct tm at(int y, int mon, int mday, int hh, int mm)
{
	struct tm t;

	memset(&t, 0, sizeof(t));
	t.tm_year = y - 1900;
	t.tm_mon = mon - 1;
	t.tm_mday = mday;
	t.tm_hour = hh;
	t.tm_min = mm;
	t.tm_isdst = -1;
	mktime(&t);
	return t;
}

static struct tm june(int mday, int hh, int mm)
{
	return at(2024, 6, mday, hh, mm);
}

static struct hours *parse(const char *v)
{
	struct hours *h = NULL;

	if (hours_parse(v, &h) < 0)
		printf("# unexpected error for \"%s\": %s\n", v, qfq_error_msg());
	return h;
}

/* The state, or -2 when the value does not parse. */
static int state(const char *v, struct tm t)
{
	struct hours *h = parse(v);
	int s;

	if (!h)
		return -2;
	s = hours_state_at(h, &t);
	hours_free(h);
	return s;
}

/* The French rendering, or the error message. */
static const char *fr(const char *v)
{
	static struct strbuf sb = STRBUF_INIT;
	struct hours *h = parse(v);

	strbuf_reset(&sb);
	if (!h) {
		strbuf_addstr(&sb, qfq_error_msg());
		return sb.buf;
	}
	hours_week_fr(h, &sb);
	hours_free(h);
	return sb.buf;
}

/* The error message, or "(parsed)"; also checks *out is NULL on error. */
static const char *err(const char *v)
{
	struct hours *h = (struct hours *)&h; /* not NULL, to see it reset */

	if (hours_parse(v, &h) == 0) {
		hours_free(h);
		return "(parsed)";
	}
	if (h != NULL)
		return "(error but *out not NULL)";
	return qfq_error_msg();
}

/* "2024-06-08 09:00", "none" or the error. */
static const char *next(const char *v, struct tm from)
{
	static char buf[64];
	struct hours *h = parse(v);
	struct tm n;
	int rc;

	if (!h)
		return qfq_error_msg();
	rc = hours_next_open(h, &from, &n);
	hours_free(h);
	if (rc)
		return "none";
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M %a", &n);
	return buf;
}

/* "count: start-end start-end ..." */
static const char *spans(const char *v)
{
	static struct strbuf sb = STRBUF_INIT;
	struct hours_span sp[64];
	struct hours *h = parse(v);
	size_t n, i;

	strbuf_reset(&sb);
	if (!h)
		return qfq_error_msg();
	n = hours_week_spans(h, sp, 64);
	strbuf_addf(&sb, "%zu:", n);
	for (i = 0; i < n && i < 64; i++)
		strbuf_addf(&sb, " %d-%d", sp[i].start, sp[i].end);
	hours_free(h);
	return sb.buf;
}

static void test_real_values_parse(void)
{
	static const char *const values[] = {
		"Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00",
		"Tu 14:00-16:00; Th 01:00-12:00,17:00-18:30",
		"We,Sa 09:30-12:30",
		"24/7",
		"Mo-Fr 08:00-12:00; PH off",
		"Mo-Fr 10:00-12:00,14:00-16:00; We 14:00-18:00",
		"Fr-Mo 10:00-18:00",
		"off", "closed", "Mo off",
		"Fr 22:00-02:00", "Mo-Fr 18:00-24:00",
		"\"sur rendez-vous\"", "Mo 09:00-12:00 \"sur rdv\"",
		"Mo-Fr 09:00-12:00, Sa 10:00-12:00",
		"Mo-Fr 09:00-12:00 || \"sur rendez-vous\"",
		"mo-fr 09:00-12:00", "MO-FR09:00-12:00",
		"Lu-Ve 9h00-12h00, 14h-17h", "Mo\u2013Fr 09:00\u201312:00",
		"PH 10:00-12:00", "Mo-Fr 09:00-17:00; SH off",
		"Su,PH off", "Mo-Fr: 09:00-12:00",
	};
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		is_str(err(values[i]), "(parsed)", "parses: %s", values[i]);
}

static void test_states(void)
{
	const char *v = "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00";

	is_int(state(v, june(TUE, 10, 0)), HOURS_OPEN, "Tuesday 10:00 open");
	is_int(state(v, june(TUE, 12, 30)), HOURS_CLOSED, "Tuesday 12:30 closed");
	is_int(state(v, june(TUE, 9, 0)), HOURS_OPEN, "Tuesday 09:00 open (start included)");
	is_int(state(v, june(TUE, 8, 59)), HOURS_CLOSED, "Tuesday 08:59 closed");
	is_int(state(v, june(TUE, 17, 0)), HOURS_CLOSED, "Tuesday 17:00 closed (end excluded)");
	is_int(state(v, june(TUE, 16, 59)), HOURS_OPEN, "Tuesday 16:59 open");
	is_int(state(v, june(SUN, 10, 0)), HOURS_CLOSED, "Sunday closed");
	is_int(state(v, june(SAT, 11, 59)), HOURS_OPEN, "Saturday 11:59 open");
	is_int(state(v, june(SAT, 12, 0)), HOURS_CLOSED, "Saturday 12:00 closed");
	is_int(state(v, june(SAT, 15, 0)), HOURS_CLOSED, "Saturday 15:00 closed");
	is_int(state("Tu 14:00-16:00; Th 01:00-12:00,17:00-18:30", june(THU, 1, 0)), HOURS_OPEN,
	       "Thursday 01:00 open");
	is_int(state("Tu 14:00-16:00; Th 01:00-12:00,17:00-18:30", june(THU, 18, 30)), HOURS_CLOSED,
	       "Thursday 18:30 closed");
	is_int(state("We,Sa 09:30-12:30", june(WED, 9, 30)), HOURS_OPEN, "We,Sa: Wednesday 09:30 open");
	is_int(state("We,Sa 09:30-12:30", june(THU, 10, 0)), HOURS_CLOSED, "We,Sa: Thursday closed");
	is_int(state("mo-fr 09:00-12:00", june(MON, 9, 0)), HOURS_OPEN, "lowercase day names");
	is_int(state("Sa", june(SAT, 23, 59)), HOURS_OPEN, "a day without times is open all day");
}

static void test_next_open(void)
{
	const char *v = "Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00";

	is_str(next(v, june(FRI, 18, 0)), "2024-06-08 09:00 Sat", "Friday 18:00 -> Saturday 09:00");
	is_str(next(v, june(SAT, 13, 0)), "2024-06-10 09:00 Mon", "Saturday 13:00 -> Monday 09:00");
	is_str(next(v, june(TUE, 12, 30)), "2024-06-04 14:00 Tue", "Tuesday 12:30 -> Tuesday 14:00");
	is_str(next(v, june(TUE, 10, 15)), "2024-06-04 10:15 Tue", "open now: the time itself");
	is_str(next(v, june(SUN, 23, 59)), "2024-06-10 09:00 Mon", "Sunday night -> Monday");
	is_str(next("off", june(MON, 8, 0)), "none", "never open: none");
	is_str(next("Fr 22:00-02:00", june(SAT, 1, 0)), "2024-06-08 01:00 Sat",
	       "open after midnight from Friday's hours");
	is_str(next("Fr 22:00-02:00", june(SAT, 2, 0)), "2024-06-14 22:00 Fri", "next Friday night");
	is_str(next("PH 10:00-12:00", at(2024, 7, 10, 8, 0)), "2024-07-14 10:00 Sun",
	       "PH-only value: next public holiday");
	is_str(next("PH 10:00-12:00", june(TUE, 8, 0)), "2024-07-14 10:00 Sun",
	       "the next opening is searched across months (14 July)");
	is_str(next("Jan 01 10:00-12:00", june(TUE, 8, 0)), "2025-01-01 10:00 Wed",
	       "and into the next year");
	is_str(next("Mo-Fr 08:00-12:00; PH off", at(2024, 4, 30, 13, 0)), "2024-05-02 08:00 Thu",
	       "1 May skipped with PH off");
}

static void test_spans(void)
{
	struct hours_span sp[3] = { { 0, 0 }, { 0, 0 }, { -7, -7 } };
	struct hours *h;

	is_str(spans("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"),
	       "11: 540-720 840-1020 1980-2160 2280-2460 3420-3600 3720-3900"
	       " 4860-5040 5160-5340 6300-6480 6600-6780 7740-7920",
	       "week spans of the usual value");
	is_str(spans("24/7"), "1: 0-10080", "24/7 is one span");
	is_str(spans("Fr 22:00-02:00"), "1: 7080-7320", "overnight span stays whole");
	is_str(spans("Su 22:00-02:00"), "2: 0-120 9960-10080", "Sunday night wraps to Monday");
	/* the night before decides when it is unknown or open-ended, not only when open */
	is_str(spans("Mo 22:00-02:00 unknown; Tu 01:00-03:00"), "1: 1560-1620",
	       "an unknown night keeps the next day's early hours unknown");
	is_str(spans("24/7; Tu 22:00-02:00 unknown"), "2: 0-1440 3000-10080",
	       "an unknown night is not open (24/7 otherwise)");
	is_str(spans("24/7; Tu 20:00+"), "2: 0-1440 3240-10080",
	       "an open end runs into the next day, not open (24/7 otherwise)");
	is_str(spans("Mo-Su 18:00-06:00"),
	       "8: 0-360 1080-1800 2520-3240 3960-4680 5400-6120 6840-7560 8280-9000 9720-10080",
	       "nights merge with the next mornings");
	is_str(spans("Mo 09:00-12:00,11:00-14:00,14:00-15:00"), "1: 540-900",
	       "overlapping and touching ranges merge");
	is_str(spans("Mo-Fr 08:00-12:00; PH off"),
	       "5: 480-720 1920-2160 3360-3600 4800-5040 6240-6480", "PH ignored in week spans");
	is_str(spans("\"sur rendez-vous\""), "0:", "comment only: no spans");
	is_str(spans("Su 01:00-01:00, Su 09:00-24:00 off"), "2: 0-60 8700-9180",
	       "an off cut leaving only Sunday's part after midnight (found by fuzzing)");
	is_str(next("Su 01:00-01:00, Su 09:00-24:00 off", june(SUN, 10, 0)), "2024-06-10 00:00 Mon",
	       "next opening at midnight from such a part");
	h = parse("Mo-Fr 09:00-12:00,14:00-17:00");
	is_int(hours_week_spans(h, sp, 2), 10, "returns the full count beyond max");
	is_int(sp[1].start, 840, "writes up to max");
	is_int(sp[2].start, -7, "writes nothing past max");
	hours_free(h);
}

static void test_french(void)
{
	is_str(fr("Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00"),
	       "du lundi au vendredi 09:00\u201312:00, 14:00\u201317:00\nsamedi 09:00\u201312:00\n",
	       "French: weekdays grouped");
	is_str(fr("Tu 14:00-16:00; Th 01:00-12:00,17:00-18:30"),
	       "mardi 14:00\u201316:00\njeudi 01:00\u201312:00, 17:00\u201318:30\n",
	       "French: separate days");
	is_str(fr("We,Sa 09:30-12:30"), "mercredi 09:30\u201312:30\nsamedi 09:30\u201312:30\n",
	       "French: identical days apart stay separate");
	is_str(fr("Sa,Su 10:00-12:00"), "samedi et dimanche 10:00\u201312:00\n", "French: two days");
	is_str(fr("Mo-Su 09:00-18:00"), "tous les jours 09:00\u201318:00\n", "French: every day");
	is_str(fr("24/7"), "ouvert 24 h/24, 7 j/7\n", "French: 24/7");
	is_str(fr("Mo-Su 00:00-24:00; PH off"), "ouvert 24 h/24, 7 j/7\njours fériés fermé\n",
	       "French: 24/7 spelled out, with PH off");
	is_str(fr("Mo-Fr 08:00-12:00; PH off"),
	       "du lundi au vendredi 08:00\u201312:00\njours fériés fermé\n", "French: PH off");
	is_str(fr("PH 10:00-12:00"), "jours fériés 10:00\u201312:00\n", "French: PH hours");
	is_str(fr("Mo-Sa 09:00-18:00; Mo off"),
	       "lundi fermé\ndu mardi au samedi 09:00\u201318:00\n", "French: a closed day");
	is_str(fr("off"), "tous les jours fermé\n", "French: off");
	is_str(fr("Fr 22:00-02:00"), "vendredi 22:00\u201302:00\n", "French: overnight");
	is_str(fr("Mo-Fr 18:00-24:00"), "du lundi au vendredi 18:00\u201324:00\n", "French: 24:00");
	is_str(fr("Fr-Mo 10:00-12:00"), "lundi 10:00\u201312:00\ndu vendredi au dimanche 10:00\u201312:00\n",
	       "French: wrapping range, Monday first");
	is_str(fr("\"sur rendez-vous\""), "« sur rendez-vous »\n", "French: comment only");
	is_str(fr("Mo-Fr 09:00-12:00; \"sur rendez-vous\""),
	       "du lundi au vendredi 09:00\u201312:00\n« sur rendez-vous »\n", "French: trailing comment");
	is_str(fr("Mo 09:00-12:00 \"sur rdv\""), "lundi 09:00\u201312:00 « sur rdv »\n",
	       "French: a rule's comment on its line");
	is_str(fr("Mo-Fr \"sur rendez-vous\""), "du lundi au vendredi « sur rendez-vous »\n",
	       "French: days with only a comment");
	is_str(fr("Mo-Fr unknown"), "du lundi au vendredi horaires non précisés\n", "French: unknown");
	is_str(fr("Mo-Fr 09:00-12:00 || \"sur rendez-vous\""),
	       "du lundi au vendredi 09:00\u201312:00\nsinon « sur rendez-vous »\n",
	       "French: a fallback rule on its own line");
	is_str(fr("\"a\"; \"b\"; \"a\""), "« a »\n« b »\n", "French: comments deduplicated");
	is_str(fr("\"  tab\there  \""), "« tab here »\n", "comment: control characters and edges");
}

static void test_variants(void)
{
	const char *canon = "du lundi au vendredi 09:00\u201312:00, 14:00\u201317:00\n";

	is_str(fr("Lu-Ve 9h00-12h00, 14h-17h"), canon, "French days and 9h00/14h");
	is_str(fr("lundi-vendredi 9:00-12:00,14:00-17:00"), canon, "full French day names");
	is_str(fr("Mo\u2013Fr 09:00\u201312:00,14:00\u201317:00"), canon, "en dashes");
	is_str(fr(" mo - FR  09:00 - 12:00 ,  14:00-17:00 ; "), canon, "spaces, case, trailing ;");
	is_str(fr("MO-FR09:00-12:00,14:00-17:00"), canon, "no space after the days");
	is_str(fr("Mo-Fr: 09:00-12:00,14:00-17:00"), canon, "colon after the days");
	is_str(fr("Mo-Fr\u00a009:00-12:00,14:00-17:00"), canon, "no-break space");
	is_str(fr("Di off"), "dimanche fermé\n", "Di is Sunday");
	is_str(fr("Mo-Fr 09:00-12:00,14:00-17:00; SH off"),
	       "du lundi au vendredi 09:00\u201312:00, 14:00\u201317:00\nfermé pendant les vacances scolaires\n",
	       "SH off: its own line");
	is_str(fr("Mo-Fr 09:00-12:00,14:00-17:00; SH Mo-Fr 10:00-11:00"),
	       "du lundi au vendredi 09:00\u201312:00, 14:00\u201317:00\n"
	       "pendant les vacances scolaires du lundi au vendredi 10:00\u201311:00\n", "SH on weekdays");
	is_str(fr("Su,PH off"), "dimanche fermé\njours fériés fermé\n", "Su,PH union");
	is_int(state("SH off", at(2028, 6, 5, 10, 0)), HOURS_UNKNOWN, "only SH, no data for 2028: unknown");
	is_int(state("SH off", june(MON, 10, 0)), HOURS_CLOSED, "only SH off, in term time: closed");
}

static void test_override(void)
{
	const char *v = "Mo-Fr 10:00-12:00,14:00-16:00; We 14:00-18:00";
	const char *add = "Mo-Fr 10:00-12:00, We 14:00-18:00";

	is_int(state(v, june(WED, 10, 30)), HOURS_CLOSED, "; replaces: Wednesday morning closed");
	is_int(state(v, june(WED, 17, 0)), HOURS_OPEN, "; replaces: Wednesday 17:00 open");
	is_int(state(v, june(TUE, 10, 30)), HOURS_OPEN, "Tuesday morning unchanged");
	is_str(fr(v),
	       "lundi et mardi 10:00\u201312:00, 14:00\u201316:00\nmercredi 14:00\u201318:00\n"
	       "jeudi et vendredi 10:00\u201312:00, 14:00\u201316:00\n",
	       "French: override splits the group");
	is_int(state(add, june(WED, 10, 30)), HOURS_OPEN, ", adds: Wednesday morning open");
	is_int(state(add, june(WED, 17, 0)), HOURS_OPEN, ", adds: Wednesday 17:00 open");
	is_str(spans("Mo-Sa 09:00-18:00, We 12:00-14:00 off; Sa 10:00-12:00"),
	       "7: 540-1080 1980-2520 3420-3600 3720-3960 4860-5400 6300-6840 7800-7920",
	       ", off removes times; ; replaces Saturday");
	is_int(state("Mo-Sa 09:00-18:00; Mo off", june(MON, 10, 0)), HOURS_CLOSED, "Mo off");
	is_int(state("Mo-Sa 09:00-18:00; We closed", june(WED, 10, 0)), HOURS_CLOSED, "We closed");
	is_int(state("Mo-Fr 09:00-17:00; We 12:00-13:00 off", june(WED, 10, 0)), HOURS_OPEN,
	       "; with off and times closes only those times (10:00 open)");
	is_int(state("Mo-Fr 09:00-17:00; We 12:00-13:00 off", june(WED, 12, 30)), HOURS_CLOSED,
	       "; with off and times closes only those times (12:30 closed)");
	is_int(state("Fr-Mo 10:00-12:00", june(SUN, 11, 0)), HOURS_OPEN, "Fr-Mo includes Sunday");
	is_int(state("Fr-Mo 10:00-12:00", june(TUE, 11, 0)), HOURS_CLOSED, "Fr-Mo excludes Tuesday");
}

static void test_overnight(void)
{
	const char *v = "Fr 22:00-02:00";

	is_int(state(v, june(FRI, 23, 0)), HOURS_OPEN, "Friday 23:00 open");
	is_int(state(v, june(SAT, 1, 30)), HOURS_OPEN, "Saturday 01:30 open (Friday's night)");
	is_int(state(v, june(SAT, 2, 0)), HOURS_CLOSED, "Saturday 02:00 closed");
	is_int(state(v, june(FRI, 21, 59)), HOURS_CLOSED, "Friday 21:59 closed");
	is_int(state(v, june(FRI, 1, 0)), HOURS_CLOSED, "Friday 01:00 closed (Thursday has no night)");
	is_int(state("Su 22:00-02:00", june(MON, 1, 0)), HOURS_OPEN, "Sunday night into Monday");
	is_int(state("Mo-Fr 18:00-24:00", june(MON, 23, 59)), HOURS_OPEN, "23:59 open until 24:00");
	is_int(state("Mo-Fr 18:00-24:00", june(TUE, 0, 0)), HOURS_CLOSED, "00:00 closed after 24:00");
	is_int(state("Sa 20:00-26:00", june(SUN, 1, 59)), HOURS_OPEN, "26:00 closing");
	is_int(state("Sa 20:00-26:00", june(SUN, 2, 0)), HOURS_CLOSED, "26:00 closing excluded");
}

static void test_holidays(void)
{
	const char *v = "Mo-Fr 08:00-12:00; PH off";

	ok(hours_is_public_holiday(2024, 4, 1), "Easter Monday 2024 is 1 April");
	ok(!hours_is_public_holiday(2024, 3, 31), "Easter Sunday itself is not in the list");
	ok(!hours_is_public_holiday(2024, 4, 2), "2 April 2024 is not");
	ok(hours_is_public_holiday(2024, 5, 9), "Ascension 2024 is 9 May");
	ok(hours_is_public_holiday(2024, 5, 20), "Whit Monday 2024 is 20 May");
	ok(hours_is_public_holiday(2025, 4, 21), "Easter Monday 2025 is 21 April");
	ok(hours_is_public_holiday(2025, 5, 29), "Ascension 2025 is 29 May");
	ok(hours_is_public_holiday(2025, 6, 9), "Whit Monday 2025 is 9 June");
	ok(hours_is_public_holiday(2038, 4, 26), "Easter Monday 2038 is 26 April (latest Easter)");
	ok(hours_is_public_holiday(2285, 3, 23), "Easter Monday 2285 is 23 March (earliest Easter)");
	ok(hours_is_public_holiday(2000, 4, 24), "Easter Monday 2000 is 24 April");
	ok(hours_is_public_holiday(2024, 1, 1) && hours_is_public_holiday(2024, 5, 1) &&
	   hours_is_public_holiday(2024, 5, 8) && hours_is_public_holiday(2024, 7, 14) &&
	   hours_is_public_holiday(2024, 8, 15) && hours_is_public_holiday(2024, 11, 1) &&
	   hours_is_public_holiday(2024, 11, 11) && hours_is_public_holiday(2024, 12, 25),
	   "fixed public holidays");
	ok(!hours_is_public_holiday(2024, 12, 26) && !hours_is_public_holiday(2024, 6, 4),
	   "26 December and 4 June are not");
	ok(!hours_is_public_holiday(2024, 13, 1) && !hours_is_public_holiday(2024, 0, 0),
	   "invalid dates are not");
	ok(!hours_is_public_holiday(2008, 4, 31), "31 April 2008 is not 1 May (Ascension 2008)");
	ok(hours_is_public_holiday(2008, 5, 1), "1 May 2008, also Ascension");
	is_int(state(v, at(2024, 5, 1, 10, 0)), HOURS_CLOSED, "1 May 2024 (Wednesday) closed with PH off");
	is_int(state(v, at(2024, 5, 2, 10, 0)), HOURS_OPEN, "2 May 2024 open");
	is_int(state(v, at(2024, 4, 1, 10, 0)), HOURS_CLOSED, "Easter Monday 2024 closed");
	is_int(state("Mo-Fr 08:00-12:00", at(2024, 5, 1, 10, 0)), HOURS_OPEN,
	       "without a PH rule a holiday is an ordinary day");
	is_int(state("Mo-Fr 08:00-18:00; PH 10:00-12:00", at(2024, 5, 1, 9, 0)), HOURS_CLOSED,
	       "PH hours replace the day's (09:00)");
	is_int(state("Mo-Fr 08:00-18:00; PH 10:00-12:00", at(2024, 5, 1, 11, 0)), HOURS_OPEN,
	       "PH hours replace the day's (11:00)");
	is_int(state("Mo-Sa 09:00-12:00; Su,PH off", at(2024, 5, 8, 10, 0)), HOURS_CLOSED,
	       "PH from a union selector");
	is_int(state("Su,PH off; Mo-Sa 09:00-12:00", at(2024, 5, 8, 10, 0)), HOURS_OPEN,
	       "a later rule replaces PH off for its days, as the specification orders rules");
}

static void test_24_7(void)
{
	is_int(state("24/7", june(SUN, 3, 0)), HOURS_OPEN, "24/7 open on Sunday night");
	is_int(state("24/7", at(2024, 12, 25, 12, 0)), HOURS_OPEN, "24/7 open at Christmas");
	is_str(next("24/7", june(WED, 4, 5)), "2024-06-05 04:05 Wed", "24/7: next opening is now");
	is_int(state("24/7; PH off", at(2024, 12, 25, 12, 0)), HOURS_CLOSED, "24/7; PH off at Christmas");
}

static void test_unknown(void)
{
	is_int(state("\"sur rendez-vous\"", june(MON, 10, 0)), HOURS_UNKNOWN, "comment only: unknown");
	is_int(state("Mo-Fr \"sur rendez-vous\"", june(MON, 10, 0)), HOURS_UNKNOWN,
	       "days with only a comment: unknown");
	is_int(state("Mo-Fr \"sur rendez-vous\"", june(SAT, 10, 0)), HOURS_CLOSED,
	       "other days closed");
	is_int(state("Mo 09:00-12:00 \"sur rdv\"", june(MON, 10, 0)), HOURS_UNKNOWN,
	       "times with a comment (no `open`): unknown, as opening_hours.js reads it");
	is_int(state("Mo 09:00-12:00 open \"sur rdv\"", june(MON, 10, 0)), HOURS_OPEN,
	       "times, `open` and a comment: open");
	is_int(state("Mo 09:00-12:00 \"sur rdv\"", june(MON, 13, 0)), HOURS_CLOSED,
	       "times with a comment: closed outside them");
	is_int(state("PH off", june(MON, 10, 0)), HOURS_CLOSED, "only PH off: ordinary days closed");
}

static void test_errors(void)
{
	is_str(err("Mo-Fr 25:00-26:00"), "column 7: expected a time between 00:00 and 23:59",
	       "hour 25");
	is_str(err("Mo-Fr 09:00-"), "column 13: expected a time like 09:00, found end of text",
	       "missing closing time");
	is_str(err("Jan-Mar Mo 10:00-12:00"), "(parsed)", "months");
	is_str(err(""), "column 1: empty value", "empty");
	is_str(err("   ;; "), "column 1: empty value", "only separators");
	is_str(err("\"unterminated"), "column 1: unterminated comment, expected a closing '\"'",
	       "unterminated comment");
	is_str(err("Mo 09:00-12:00 \"unterminated"),
	       "column 16: unterminated comment, expected a closing '\"'", "unterminated comment after a rule");
	is_str(err("Mo 09:60-10:00"), "column 7: minutes must be between 00 and 59", "minute 60");
	is_str(err("Mo 09:5-10:00"), "column 7: expected two digits for the minutes, found \"5\"",
	       "one-digit minutes");
	is_str(err("Mo-Fr 09:00-49:00"), "column 13: expected a time between 00:00 and 48:00",
	       "closing after 48:00");
	is_str(err("Mo 10:00+"), "(parsed)", "open end");
	is_str(err("Mo 10:00-16:00/01:30"), "column 15: time intervals like 10:00-16:00/01:30 are not supported",
	       "time intervals stay outside");
	is_str(err("Mo 10:00"), "column 9: expected '-' and a closing time, found end of text",
	       "a time alone");
	is_str(err("Mo[1] 10:00-12:00"), "(parsed)", "nth weekday");
	is_str(err("Mo[6] 10:00-12:00"), "column 4: expected an occurrence between 1 and 5 (or -1 to -5), found \"6\"",
	       "nth weekday out of range");
	is_str(err("week 01-10 Mo 10:00-12:00"), "(parsed)", "weeks");
	is_str(err("week 54"), "column 6: expected a week number between 01 and 53, found \"54\"", "week 54");
	is_str(err("Mo 10:00-sunset"), "(parsed)", "sunset as a closing");
	is_str(err("sunrise-sunset"), "(parsed)", "sunrise");
	is_str(err("Mo 10:00-12:00 sunrise"), "column 16: expected ';' between rules, found \"sunrise\"",
	       "sunrise after a rule");
	is_str(err("2024 Mo 10:00-12:00"), "(parsed)", "a year");
	is_str(err("Aug 32"), "column 5: a day of the month must be between 1 and 31", "32 August");
	is_str(err("easter-May 31 off"), "column 7: date ranges starting at Easter are not supported",
	       "a range from Easter stays text, and says why");
	is_str(err("Mo-Xy 10:00-12:00"), "column 4: expected a weekday like Fr, found \"Xy\"", "bad day");
	is_str(err("Mo, 10:00-12:00"), "(parsed)", "Mo, then an all-days rule (as OSM reads it)");
	is_str(err("Mo,Xy 10:00"), "column 4: expected a weekday like Mo or a time like 09:00, found \"Xy\"",
	       "unknown word after a comma");
	is_str(err("PH Mo 10:00-12:00"), "(parsed)", "PH restricted to weekdays");
	is_str(err("Mo Tu 10:00-12:00"), "column 4: expected a time like 09:00, found \"Tu\"",
	       "days without a comma");
	is_str(err("Mo 09:00-12:00 Tu 14:00-16:00"), "column 16: expected ';' between rules, found \"Tu\"",
	       "missing ;");
	is_str(err("Mo 09:00-12:00 \xff"), "column 16: expected ';' between rules, found byte 0xFF",
	       "stray byte");
	is_str(err("\"abc\xff\""), "column 5: invalid UTF-8 in comment", "invalid UTF-8 in a comment");
	is_str(err("\"\xc3\xa9t\xc3\xa9\""), "(parsed)", "UTF-8 in a comment");
	is_str(err("24/77"), "column 1: expected a time like 09:00, found \"24\"", "24/77");
	is_str(err("09h0"), "column 4: expected two digits for the minutes, found \"0\"", "9h0");
	is_str(err("Mo 0900-1200"), "column 4: expected a time like 09:00, found \"0900\"", "no colon");
}

static void test_limits(void)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	for (i = 0; i < 3000; i++)
		strbuf_addch(&sb, 'a');
	is_str(err(sb.buf), "column 2001: value longer than 2000 bytes", "3000 bytes");
	strbuf_reset(&sb);
	while (sb.len < 1980)
		strbuf_addstr(&sb, "Mo 09:00-10:00; ");
	is_str(err(sb.buf), "(parsed)", "1984 bytes of repeated rules");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "Mo 00:00-00:30");
	for (i = 1; i < 17; i++)
		strbuf_addf(&sb, ",%02d:00-%02d:30", i, i);
	is_str(err(sb.buf), "column 196: too many time ranges (at most 16)", "17 ranges");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "Mo 00:00-00:30");
	for (i = 1; i < 17; i++)
		strbuf_addf(&sb, ", Mo %02d:00-%02d:30", i, i);
	is_str(err(sb.buf), "(parsed)", "17 ranges by additional rules (no limit per day)");
	strbuf_reset(&sb);
	for (i = 0; i < 600; i++)
		strbuf_addstr(&sb, "\"x\"");
	is_str(err(sb.buf), "column 4: expected ';' between rules, found '\"'", "comments without ;");
	strbuf_release(&sb);
	hours_free(NULL);
	ok(1, "hours_free(NULL)");
}

/* Random values must parse or fail with a column, never crash; when they
 * parse, every query must answer. Half are raw bytes, half sequences of
 * tokens (which parse more often). A fixed seed keeps failures repeatable. */
static unsigned long rnd(unsigned long *seed, unsigned long n)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return (*seed >> 33) % n;
}

static void random_value(unsigned long *seed, bool tokens, char *buf, size_t size)
{
	static const char *const tok[] = {
		"Mo", "Tu", "We", "Fr", "Sa", "Su", "PH", "SH", "off", " ", " ", "09:00", "12:00",
		"22:00", "9h", "-", "-", ",", ",", ";", "; ", "\"rdv\"", "24/7", "||", ":", "Lu",
	};
	size_t len = 0, want = rnd(seed, size - 1);

	while (len < want) {
		if (tokens) {
			const char *t = tok[rnd(seed, sizeof(tok) / sizeof(tok[0]))];
			size_t n = strlen(t);
			if (len + n >= size)
				break;
			memcpy(buf + len, t, n);
			len += n;
		} else {
			buf[len++] = (char)(1 + rnd(seed, 255));
		}
	}
	buf[len] = '\0';
}

static void test_random(void)
{
	unsigned long seed = 12345;
	int i, parsed = 0, bad = 0;

	for (i = 0; i < 20000; i++) {
		char buf[80];
		struct hours *h = NULL;

		random_value(&seed, i % 2, buf, sizeof(buf));
		if (hours_parse(buf, &h) == 0) {
			struct strbuf sb = STRBUF_INIT;
			struct hours_span sp[8];
			struct tm t = june(TUE, 10, 0), n;
			parsed++;
			hours_state_at(h, &t);
			hours_next_open(h, &t, &n);
			hours_week_spans(h, sp, 8);
			hours_week_fr(h, &sb);
			strbuf_release(&sb);
			hours_free(h);
		} else if (h || strncmp(qfq_error_msg(), "column ", 7)) {
			bad++;
		}
	}
	is_int(bad, 0, "20000 random values: errors have a column and *out NULL");
	ok(parsed > 200, "random values: some parsed (%d)", parsed);
}


/* The state and the comment that decided it: "1 sur rendez-vous", "-1 -". */
static const char *state_note(const char *v, struct tm t)
{
	static char buf[128];
	struct hours *h = parse(v);
	const char *note = NULL;
	int st;

	if (!h)
		return qfq_error_msg();
	st = hours_state_note_at(h, &t, &note);
	snprintf(buf, sizeof(buf), "%d %s", st, note ? note : "-");
	hours_free(h);
	return buf;
}

static int weekly(const char *v)
{
	struct hours *h = parse(v);
	int w;

	if (!h)
		return -1;
	w = hours_is_weekly(h);
	hours_free(h);
	return w;
}

/*
 * The constructs of the OSM specification and of opening_hours.js, from
 * their documented examples (README, specification page), each with
 * open / closed / unknown expectations at chosen times.
 */
static void test_off_with_times(void)
{
	const char *lunch = "Mo-Fr 09:00-18:00; Mo-Fr 12:00-14:00 off";
	const char *shop = "open; Tu-Su 08:30-09:00 off; Tu-Su,PH 14:00-14:30 off; Mo 08:00-13:00 off";

	is_int(state(lunch, june(TUE, 10, 0)), HOURS_OPEN, "lunch break as off: morning open");
	is_int(state(lunch, june(TUE, 12, 30)), HOURS_CLOSED, "lunch break as off: 12:30 closed");
	is_int(state(lunch, june(TUE, 14, 0)), HOURS_OPEN, "lunch break as off: 14:00 open again");
	is_int(state(lunch, june(SAT, 10, 0)), HOURS_CLOSED, "lunch break as off: Saturday closed");
	is_str(fr(lunch), "du lundi au vendredi 09:00\u201312:00, 14:00\u201318:00\n", "lunch break read in French");
	is_int(state("24/7; Mo 08:00-13:00 off", june(MON, 7, 0)), HOURS_OPEN, "24/7 with a Monday break: 07:00 open");
	is_int(state("24/7; Mo 08:00-13:00 off", june(MON, 10, 0)), HOURS_CLOSED, "24/7 with a Monday break: 10:00 closed");
	is_int(state("24/7; Mo 08:00-13:00 off", june(MON, 14, 0)), HOURS_OPEN, "24/7 with a Monday break: 14:00 open");
	is_int(state("24/7; Mo 08:00-13:00 off", june(TUE, 10, 0)), HOURS_OPEN, "24/7 with a Monday break: Tuesday open");
	is_int(state("Mo-Fr 10:00-20:00; 12:00-14:00 off", june(WED, 13, 0)), HOURS_CLOSED, "README: 12:00-14:00 off");
	is_int(state("Mo-Fr 10:00-20:00; 12:00-14:00 off", june(WED, 15, 0)), HOURS_OPEN, "README: open after the break");
	is_int(state(shop, june(TUE, 8, 45)), HOURS_CLOSED, "around-the-clock shop: Tuesday 08:45 break");
	is_int(state(shop, june(TUE, 10, 0)), HOURS_OPEN, "around-the-clock shop: Tuesday 10:00 open");
	is_int(state(shop, june(MON, 9, 0)), HOURS_CLOSED, "around-the-clock shop: Monday 09:00 break");
	is_int(state(shop, june(MON, 14, 15)), HOURS_OPEN, "around-the-clock shop: Monday 14:15 open");
	is_int(state(shop, june(SUN, 3, 0)), HOURS_OPEN, "around-the-clock shop: Sunday night open");
	is_int(state(shop, at(2024, 5, 20, 14, 15)), HOURS_CLOSED, "around-the-clock shop: Whit Monday 14:15 (PH) break");
	is_int(weekly(shop), 1, "the shop is weekly");
}

static void test_rule_kinds(void)
{
	const char *fb = "Mo-Fr 09:00-17:00 || \"sur rendez-vous\"";

	is_str(state_note(fb, june(MON, 10, 0)), "1 -", "fallback: Monday 10:00 open");
	is_str(state_note(fb, june(MON, 18, 0)), "-1 sur rendez-vous",
	       "fallback: Monday 18:00, outside the first rule's times, unknown");
	is_str(state_note(fb, june(SAT, 10, 0)), "-1 sur rendez-vous", "fallback: Saturday unknown, with its comment");
	is_str(state_note("Mo-Fr 09:00-12:00 \"sur rendez-vous\"", june(MON, 10, 0)), "-1 sur rendez-vous",
	       "a rule's comment comes with its state");
	is_str(state_note("Mo-Fr 09:00-12:00 open \"sur rendez-vous\"", june(MON, 10, 0)), "1 sur rendez-vous",
	       "a rule's comment comes with its state (open)");
	is_str(state_note("Mo-Fr 09:00-12:00 || Sa 10:00-12:00 \"rdv\"", june(SAT, 11, 0)), "-1 rdv",
	       "a fallback rule's own selectors still count (Saturday)");
	is_str(state_note("Mo-Fr 09:00-12:00 || Sa 10:00-12:00 \"rdv\"", june(MON, 11, 0)), "1 -",
	       "a fallback rule does not touch times taken before it");
	is_int(state("Mo-Fr 09:00-12:00 unknown", june(MON, 10, 0)), HOURS_UNKNOWN, "unknown modifier with times");
	is_int(state("Mo-Fr 09:00-12:00 unknown", june(MON, 14, 0)), HOURS_CLOSED, "unknown modifier: other times closed");
	is_int(state("Mo-Fr 09:00-12:00 open", june(MON, 10, 0)), HOURS_OPEN, "open modifier");
	is_int(state("Mo-Fr 09:00-12:00, Sa 10:00-12:00", june(SAT, 11, 0)), HOURS_OPEN, "additional rule: Saturday");
	is_int(state("Mo-Fr 08:00-12:00, We 14:00-18:00", june(WED, 15, 0)), HOURS_OPEN, "additional rule adds times");
	is_int(state("Mo-Fr 08:00-12:00, We 14:00-18:00", june(WED, 9, 0)), HOURS_OPEN, "additional rule keeps times");
	is_int(state("Fr 18:00-26:00", june(SAT, 1, 30)), HOURS_OPEN, "Fr 18:00-26:00: Saturday 01:30 open");
	is_int(state("Fr 18:00-26:00", june(SAT, 2, 0)), HOURS_CLOSED, "Fr 18:00-26:00: Saturday 02:00 closed");
	is_str(fr("Fr 18:00-26:00"), "vendredi 18:00\u201302:00\n", "26:00 read as 02:00");
}

static void test_open_end(void)
{
	const char *v = "Mo-Fr 09:00-12:00; Sa 10:00+";

	is_int(state(v, june(SAT, 9, 0)), HOURS_CLOSED, "open end: before it closed");
	is_int(state(v, june(SAT, 10, 0)), HOURS_OPEN_END, "open end: 10:00 open, end unknown");
	is_int(state(v, june(SAT, 23, 0)), HOURS_OPEN_END, "open end: 23:00 still open, end unknown");
	is_int(state(v, june(SUN, 1, 0)), HOURS_CLOSED, "open end: not into the next day");
	is_str(next(v, june(FRI, 13, 0)), "2024-06-08 10:00 Sat", "open end: next opening");
	is_str(fr(v), "du lundi au vendredi 09:00\u201312:00\nsamedi à partir de 10:00\n", "open end in French");
	is_int(state("Mo 14:00-16:00+", june(MON, 17, 0)), HOURS_CLOSED,
	       "14:00-16:00+: closed after 16:00, as opening_hours.js reads it");
	is_int(state("Mo 22:00+", june(TUE, 5, 0)), HOURS_OPEN_END, "22:00+: still open, end unknown, at 05:00");
	is_int(state("Mo 22:00+", june(TUE, 6, 0)), HOURS_CLOSED, "22:00+: the guessed end is 06:00");
	is_int(state("Mo 17:00+", june(TUE, 2, 59)), HOURS_OPEN_END, "17:00+: ten hours: 02:59 open end");
	is_int(state("Mo 17:00+", june(TUE, 3, 0)), HOURS_CLOSED, "17:00+: ten hours: 03:00 closed");
	is_int(state("Mo 14:00-16:00+", june(MON, 15, 0)), HOURS_OPEN, "14:00-16:00+: 15:00 open");
	is_int(weekly(v), 0, "open ends are not weekly");
}

static void test_nth_weekday(void)
{
	const char *lib = "Mo,Tu,Th,Fr 12:00-18:00; Sa,PH 12:00-17:00; Th[3],Th[-1] off";

	/* June 2024: Thursdays 6, 13, 20, 27; Fridays 7 .. 28; Saturdays 1 .. 29 */
	is_int(state("Th[2] 09:00-12:00", june(13, 10, 0)), HOURS_OPEN, "Th[2]: 13 June open");
	is_int(state("Th[2] 09:00-12:00", june(6, 10, 0)), HOURS_CLOSED, "Th[2]: 6 June (first) closed");
	is_int(state("Th[2] 09:00-12:00", june(20, 10, 0)), HOURS_CLOSED, "Th[2]: 20 June (third) closed");
	is_str(next("Th[2] 09:00-12:00", june(14, 8, 0)), "2024-07-11 09:00 Thu", "Th[2]: next in July");
	is_str(fr("Th[2] 09:00-12:00"), "le 2e jeudi du mois 09:00\u201312:00\n", "Th[2] in French");
	is_int(state("Fr[-1] 14:00-17:00", june(28, 15, 0)), HOURS_OPEN, "Fr[-1]: last Friday open");
	is_int(state("Fr[-1] 14:00-17:00", june(21, 15, 0)), HOURS_CLOSED, "Fr[-1]: the one before closed");
	is_str(fr("Fr[-1] 14:00-17:00"), "le dernier vendredi du mois 14:00\u201317:00\n", "Fr[-1] in French");
	is_int(state("Sa[1,3] 10:00-12:00", june(1, 11, 0)), HOURS_OPEN, "Sa[1,3]: 1 June open");
	is_int(state("Sa[1,3] 10:00-12:00", june(15, 11, 0)), HOURS_OPEN, "Sa[1,3]: 15 June open");
	is_int(state("Sa[1,3] 10:00-12:00", june(8, 11, 0)), HOURS_CLOSED, "Sa[1,3]: 8 June closed");
	is_str(fr("Sa[1,3] 10:00-12:00"), "les 1er et 3e samedis du mois 10:00\u201312:00\n", "Sa[1,3] in French");
	is_int(state("Sa[-1] +1 day 10:00-12:00", june(30, 11, 0)), HOURS_OPEN, "Sa[-1] +1 day: Sunday 30 June");
	is_int(state("Sa[-1] +1 day 10:00-12:00", june(29, 11, 0)), HOURS_CLOSED, "Sa[-1] +1 day: not the Saturday");
	is_int(state(lib, june(6, 13, 0)), HOURS_OPEN, "library: first Thursday open");
	is_int(state(lib, june(20, 13, 0)), HOURS_CLOSED, "library: third Thursday closed");
	is_int(state(lib, june(27, 13, 0)), HOURS_CLOSED, "library: last Thursday closed");
	is_int(state(lib, june(5, 13, 0)), HOURS_CLOSED, "library: Wednesday closed");
	is_int(state(lib, june(8, 16, 0)), HOURS_OPEN, "library: Saturday 16:00 open");
	is_int(state(lib, at(2024, 5, 1, 13, 0)), HOURS_OPEN, "library: 1 May (PH) 13:00 open");
	is_int(state(lib, at(2024, 5, 1, 17, 30)), HOURS_CLOSED, "library: 1 May (PH) 17:30 closed");
	is_int(weekly("Th[2] 09:00-12:00"), 0, "nth weekdays are not weekly");
}

static void test_months_and_dates(void)
{
	const char *aug = "Mo-Fr 09:00-12:00; Aug off";
	const char *summer = "Mo-Fr 09:00-12:00; Jul 14-Aug 15 off";
	const char *xmas = "Mo-Fr 09:00-12:00; Dec 24-Jan 02 off";

	is_int(state(aug, at(2025, 8, 4, 10, 0)), HOURS_CLOSED, "Aug off: 4 August closed");
	is_int(state(aug, at(2025, 7, 31, 10, 0)), HOURS_OPEN, "Aug off: 31 July open");
	is_str(next(aug, at(2025, 8, 4, 10, 0)), "2025-09-01 09:00 Mon", "Aug off: opens next on 1 September");
	is_str(fr(aug), "du lundi au vendredi 09:00\u201312:00\nfermé en août\n", "Aug off in French");
	is_int(state(summer, at(2025, 7, 15, 10, 0)), HOURS_CLOSED, "Jul 14-Aug 15 off: 15 July closed");
	is_int(state(summer, at(2025, 7, 11, 10, 0)), HOURS_OPEN, "Jul 14-Aug 15 off: 11 July open");
	is_int(state(summer, at(2025, 8, 18, 10, 0)), HOURS_OPEN, "Jul 14-Aug 15 off: 18 August open");
	is_str(fr(summer), "du lundi au vendredi 09:00\u201312:00\nfermé du 14 juillet au 15 août\n",
	       "Jul 14-Aug 15 off in French");
	is_int(state(xmas, at(2024, 12, 30, 10, 0)), HOURS_CLOSED, "Dec 24-Jan 02 off: 30 December closed");
	is_int(state(xmas, at(2025, 1, 2, 10, 0)), HOURS_CLOSED, "Dec 24-Jan 02 off: 2 January closed");
	is_int(state(xmas, at(2025, 1, 3, 10, 0)), HOURS_OPEN, "Dec 24-Jan 02 off: 3 January open");
	is_int(state("Jul-Aug Mo-Fr 08:00-12:00", at(2024, 7, 10, 9, 0)), HOURS_OPEN, "Jul-Aug: July open");
	is_int(state("Jul-Aug Mo-Fr 08:00-12:00", at(2024, 9, 10, 9, 0)), HOURS_CLOSED, "Jul-Aug: September closed");
	is_int(state("Dec 25 off; 10:00-12:00", at(2024, 12, 25, 11, 0)), HOURS_OPEN,
	       "Dec 25 off replaced by a later all-days rule");
	is_int(state("10:00-12:00; Dec 25 off", at(2024, 12, 25, 11, 0)), HOURS_CLOSED, "Dec 25 off");
	is_int(state("2026 Dec 24 10:00-12:00", at(2026, 12, 24, 11, 0)), HOURS_OPEN, "a dated day: open");
	is_int(state("2026 Dec 24 10:00-12:00", at(2025, 12, 24, 11, 0)), HOURS_CLOSED, "a dated day: not another year");
	is_int(state("2025-2026 Mo 10:00-12:00", at(2025, 6, 2, 11, 0)), HOURS_OPEN, "years: 2025 open");
	is_int(state("2025-2026 Mo 10:00-12:00", june(MON, 11, 0)), HOURS_CLOSED, "years: 2024 closed");
	is_int(state("week 01-10 Mo 10:00-12:00", at(2024, 1, 8, 11, 0)), HOURS_OPEN, "weeks: week 2 open");
	is_int(state("week 01-10 Mo 10:00-12:00", june(MON, 11, 0)), HOURS_CLOSED, "weeks: week 23 closed");
	is_int(state("week 02-52/2 Fr 10:00-12:00", june(14, 11, 0)), HOURS_OPEN, "even weeks: week 24 open");
	is_int(state("week 02-52/2 Fr 10:00-12:00", june(7, 11, 0)), HOURS_CLOSED, "even weeks: week 23 closed");
	is_int(state("easter 10:00-12:00", at(2024, 3, 31, 11, 0)), HOURS_OPEN, "easter: Easter Sunday 2024");
	is_int(state("easter 10:00-12:00", at(2024, 4, 7, 11, 0)), HOURS_CLOSED, "easter: a week later closed");
	is_int(state("Mo-Fr 09:00-12:00; easter +1 day off", at(2024, 4, 1, 10, 0)), HOURS_CLOSED,
	       "easter +1 day off: Easter Monday closed");
	is_int(state("Mo-Fr 09:00-12:00; easter +1 day off", at(2024, 4, 8, 10, 0)), HOURS_OPEN,
	       "easter +1 day off: the Monday after open");
	is_str(fr("Mo-Fr 09:00-12:00; easter +1 day off"),
	       "du lundi au vendredi 09:00\u201312:00\nfermé le lundi de Pâques\n", "easter +1 day in French");
	is_str(fr("2025-2026 Mo 10:00-12:00"), "de 2025 à 2026 lundi 10:00\u201312:00\n", "years in French");
	is_str(fr("Dec 25,Jan 01 off"), "fermé le 25 décembre, le 1er janvier\n", "dates in French");
	is_str(fr("PH +1 day off"), "fermé le lendemain des jours fériés\n", "PH +1 day in French");
	is_int(weekly(aug), 0, "months are not weekly");
	is_int(weekly("Mo-Fr 09:00-12:00; PH off"), 1, "PH off is weekly (the caller checks holidays)");
}

static void test_school_holidays(void)
{
	const char *v = "Mo-Fr 09:00-17:00; SH off";

	is_int(state(v, at(2025, 10, 20, 10, 0)), HOURS_CLOSED, "SH off: Toussaint 2025 (zone A) closed");
	is_int(state(v, at(2025, 11, 4, 10, 0)), HOURS_OPEN, "SH off: 4 November 2025 open");
	is_int(state(v, at(2026, 2, 9, 10, 0)), HOURS_CLOSED, "SH off: winter 2026, zone A, closed");
	is_int(state(v, at(2026, 3, 2, 10, 0)), HOURS_OPEN, "SH off: 2 March 2026 open (zone A is back)");
	is_int(state(v, at(2028, 3, 6, 10, 0)), HOURS_UNKNOWN, "SH off: no data shipped for 2028: unknown");
	is_int(state("SH Mo-Fr 10:00-12:00", at(2025, 10, 21, 11, 0)), HOURS_OPEN, "SH Mo-Fr: during holidays");
	is_int(state("SH Mo-Fr 10:00-12:00", at(2025, 10, 25, 11, 0)), HOURS_CLOSED, "SH Mo-Fr: not on Saturday");
	is_int(state("SH Mo-Fr 10:00-12:00", at(2025, 11, 4, 11, 0)), HOURS_CLOSED, "SH Mo-Fr: not in term time");
}

/* Temporary closures (hours_set_closure): whole days, no night spill out
 * of a closed day, the next opening after the closure, dates checked. */
static void test_closures(void)
{
	struct hours *h = parse("Mo-Fr 09:00-17:00; Fr 22:00-02:00");
	struct tm n, t;
	char buf[32];

	if (!h)
		return;
	ok(hours_set_closure(h, "2024-06-31", NULL) < 0, "a closure from 31 June is refused");
	ok(hours_set_closure(h, "2024-06-10", "2024-6-14") < 0, "a closure to a short date is refused");
	ok(hours_set_closure(h, "2024-06-10", "nope") < 0, "a closure to a word is refused");
	is_int(hours_state_at(h, &(struct tm){ .tm_year = 124, .tm_mon = 5, .tm_mday = 10, .tm_hour = 10 }),
	       HOURS_OPEN, "a refused closure sets nothing");
	ok(hours_set_closure(h, "2024-06-10", "2024-06-14") == 0, "a closure Monday 10 to Friday 14 June");
	t = june(10, 10, 0);
	is_int(hours_state_at(h, &t), HOURS_CLOSED, "the first day of the closure is closed");
	ok(hours_closed_on(h, &t), "hours_closed_on: the first day");
	t = june(14, 23, 0);
	is_int(hours_state_at(h, &t), HOURS_CLOSED, "the last night of the closure is closed");
	t = june(15, 1, 0);
	is_int(hours_state_at(h, &t), HOURS_CLOSED, "no night spill out of the last closed day");
	t = june(8, 1, 0);
	is_int(hours_state_at(h, &t), HOURS_OPEN, "the night before the closure is as usual");
	t = june(7, 18, 0);
	ok(hours_next_open(h, &t, &n) == 0, "a next opening exists after a closure");
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &n);
	is_str(buf, "2024-06-07 22:00", "the Friday night before the closure still opens");
	t = june(9, 12, 0);
	hours_next_open(h, &t, &n);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &n);
	is_str(buf, "2024-06-17 09:00", "from the Sunday before: the Monday after the closure");
	ok(!hours_held_on(h, &(struct tm){ .tm_year = 124, .tm_mon = 5, .tm_mday = 12, .tm_hour = 12 }),
	   "nothing is held on a closed day");
	ok(hours_set_closure(h, "2024-06-10", "") == 0, "a closure until further notice");
	t = june(9, 12, 0);
	ok(hours_next_open(h, &t, &n) == 1, "until further notice: no next opening");
	ok(hours_closure_covers("2024-06-10", NULL, &t) == false, "covers: the day before is not covered");
	t = june(10, 0, 0);
	ok(hours_closure_covers("2024-06-10", NULL, &t), "covers: the first day, open-ended");
	ok(!hours_closure_covers("2024-02-30", NULL, &t), "covers: not with an impossible date");
	hours_free(h);
}

/* The date forms of core/date.c that the closures and next openings read. */
static void test_date_forms(void)
{
	struct tm t, a = { .tm_year = 124, .tm_mon = 2, .tm_mday = 30, .tm_hour = 23 };
	int y, m, d;

	ok(date_parse_ymd("2024-02-29", &y, &m, &d) && y == 2024 && m == 2 && d == 29, "ymd: a leap day");
	ok(!date_parse_ymd("2023-02-29", &y, &m, &d), "ymd: no 29 February in 2023");
	ok(!date_parse_ymd("2024-2-09", &y, &m, &d), "ymd: a short month is refused");
	ok(!date_parse_ymd("2024-02-091", &y, &m, &d), "ymd: a trailing digit is refused");
	ok(!date_parse_ymd(" 024-02-09", &y, &m, &d), "ymd: a space for a digit is refused");
	ok(date_parse_minute("2024-06-10T09:30", &t) && t.tm_wday == 1 && t.tm_hour == 9 && t.tm_min == 30,
	   "minute: Monday 10 June 2024 09:30, weekday set");
	ok(!date_parse_minute("2024-06-10T24:00", &t), "minute: no 24:00");
	ok(!date_parse_minute("2024-06-10 09:30", &t), "minute: the T is required");
	ok(!date_parse_minute(NULL, &t), "minute: NULL is not a time");
	t = (struct tm){ .tm_year = 124, .tm_mon = 3, .tm_mday = 2, .tm_hour = 1 };
	is_int(date_days_between(&a, &t), 3, "days: 30 March late to 2 April early is 3 days (across the DST change)");
	is_int(date_days_between(&t, &a), -3, "days: and -3 backwards");
}

static void test_sun(void)
{
	/* Privas, 44.735 N 4.599 E; the tests run in UTC: CEST - 2, CET - 1 */
	struct hours *h = parse("sunrise-sunset");
	struct tm t;

	hours_set_place(h, 44.735, 4.599);
	t = at(2024, 6, 21, 3, 30);
	is_int(hours_state_at(h, &t), HOURS_CLOSED, "sunrise-sunset: 21 June 03:30 UTC closed");
	t = at(2024, 6, 21, 4, 15);
	is_int(hours_state_at(h, &t), HOURS_OPEN, "sunrise-sunset: 21 June 04:15 UTC open");
	t = at(2024, 6, 21, 19, 0);
	is_int(hours_state_at(h, &t), HOURS_OPEN, "sunrise-sunset: 21 June 19:00 UTC open");
	t = at(2024, 6, 21, 19, 50);
	is_int(hours_state_at(h, &t), HOURS_CLOSED, "sunrise-sunset: 21 June 19:50 UTC closed");
	t = at(2024, 12, 21, 6, 45);
	is_int(hours_state_at(h, &t), HOURS_CLOSED, "sunrise-sunset: 21 December 06:45 UTC closed");
	t = at(2024, 12, 21, 7, 30);
	is_int(hours_state_at(h, &t), HOURS_OPEN, "sunrise-sunset: 21 December 07:30 UTC open");
	t = at(2024, 12, 21, 16, 15);
	is_int(hours_state_at(h, &t), HOURS_CLOSED, "sunrise-sunset: 21 December 16:15 UTC closed");
	hours_free(h);
	h = parse("Mo-Su (sunset-01:00)-dusk");
	hours_set_place(h, 44.735, 4.599);
	t = at(2024, 6, 21, 19, 0);
	is_int(hours_state_at(h, &t), HOURS_OPEN, "(sunset-01:00)-dusk: 19:00 UTC open in June");
	t = at(2024, 6, 21, 18, 0);
	is_int(hours_state_at(h, &t), HOURS_CLOSED, "(sunset-01:00)-dusk: 18:00 UTC closed in June");
	hours_free(h);
	is_str(fr("sunrise-sunset"), "tous les jours lever du soleil\u2013coucher du soleil\n", "sun times in French");
	is_int(weekly("sunrise-sunset"), 0, "sun times are not weekly");
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_real_values_parse();
	test_states();
	test_next_open();
	test_spans();
	test_french();
	test_variants();
	test_override();
	test_overnight();
	test_holidays();
	test_24_7();
	test_unknown();
	test_errors();
	test_limits();
	test_random();
	test_off_with_times();
	test_rule_kinds();
	test_open_end();
	test_nth_weekday();
	test_months_and_dates();
	test_school_holidays();
	test_sun();
	test_closures();
	test_date_forms();
	is_str(hours_day_fr(0), "dimanche", "tm_wday 0 is dimanche");
	is_str(hours_day_fr(2), "mardi", "tm_wday 2 is mardi");
	is_str(hours_day_fr(7), "", "an out-of-range day is empty");
	return tap_done();
}
