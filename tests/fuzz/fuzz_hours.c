/*
 * fuzz_hours: libFuzzer target for the opening_hours parser. Any input
 * must parse or fail with "column N: ..."; a parsed value must answer
 * every query on a few dates (public holidays, a Sunday night, a second
 * Thursday, August, school holidays, a leap day, both solstices, with and
 * without a place for the sun) with results that keep the header's
 * promises, or we abort. Times are UTC so
 * that a DST gap cannot move an opening found by hours_next_open().
 */
#include "core/hours.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dates[][5] = {
	{ 2024, 6, 4, 10, 0 },   /* an ordinary Tuesday */
	{ 2024, 5, 1, 9, 30 },   /* 1 May, a Wednesday */
	{ 2024, 4, 1, 23, 59 },  /* Easter Monday */
	{ 2024, 3, 31, 2, 30 },  /* Easter Sunday night */
	{ 2024, 6, 9, 23, 0 },   /* Sunday night */
	{ 2024, 6, 13, 10, 0 },  /* the second Thursday of June */
	{ 2025, 8, 15, 11, 0 },  /* 15 August, in August */
	{ 2025, 10, 20, 9, 0 },  /* school holidays (zone A) */
	{ 2024, 2, 29, 12, 0 },  /* a leap day */
	{ 2024, 12, 21, 17, 0 }, /* winter solstice, after sunset */
	{ 2030, 1, 1, 0, 0 },    /* no school holiday data */
};

static void check_spans(const struct hours *h)
{
	struct hours_span sp[512];
	size_t n = hours_week_spans(h, sp, 512), i;

	if (n > 512)
		abort();
	for (i = 0; i < n; i++) {
		if (sp[i].start < 0 || sp[i].end > 7 * 1440 || sp[i].start >= sp[i].end)
			abort();
		if (i && sp[i].start <= sp[i - 1].end)
			abort(); /* sorted and merged */
	}
	if (n && hours_week_spans(h, sp, 1) != n)
		abort();
}

static void check_dates(const struct hours *h)
{
	size_t i;

	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		struct tm t, next;
		enum hours_state s;

		memset(&t, 0, sizeof(t));
		t.tm_year = dates[i][0] - 1900;
		t.tm_mon = dates[i][1] - 1;
		t.tm_mday = dates[i][2];
		t.tm_hour = dates[i][3];
		t.tm_min = dates[i][4];
		t.tm_isdst = -1;
		mktime(&t);
		const char *note = NULL;
		enum hours_state n;

		s = hours_state_note_at(h, &t, &note);
		if (s != HOURS_OPEN && s != HOURS_CLOSED && s != HOURS_UNKNOWN && s != HOURS_OPEN_END)
			abort();
		if (note && strlen(note) > 2000)
			abort();
		if (s != hours_state_at(h, &t))
			abort();
		if ((s == HOURS_OPEN || s == HOURS_OPEN_END) && !hours_held_on(h, &t))
			abort(); /* open at a time of the day: held that day */
		if (hours_next_open(h, &t, &next) == 0) {
			n = hours_state_at(h, &next);
			if (n != HOURS_OPEN && n != HOURS_OPEN_END)
				abort();
			if ((s == HOURS_OPEN || s == HOURS_OPEN_END) &&
			    (next.tm_mday != t.tm_mday || next.tm_hour != t.tm_hour))
				abort();
		} else if (s == HOURS_OPEN || s == HOURS_OPEN_END) {
			abort(); /* open now, yet no next opening */
		}
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	struct hours *h = NULL;

	memcpy(text, data, size);
	text[size] = '\0';
	if (hours_parse(text, &h) == 0) {
		struct strbuf sb = STRBUF_INIT;
		size_t i;

		check_spans(h);
		check_dates(h);
		hours_is_weekly(h);
		hours_set_place(h, 69.6, 18.9); /* Tromsø: polar day and night */
		check_dates(h);
		/* a temporary closure over some of the dates: closed within it,
		 * and every invariant above still holds */
		if (hours_set_closure(h, "2024-05-01", "2024-06-10") || hours_set_closure(h, "2024-05-01", "2024-06-31") == 0)
			abort();
		check_dates(h);
		for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
			struct tm t = { .tm_year = dates[i][0] - 1900, .tm_mon = dates[i][1] - 1, .tm_mday = dates[i][2],
					.tm_hour = dates[i][3], .tm_min = dates[i][4] };
			bool in = dates[i][0] == 2024 && ((dates[i][1] == 5) || (dates[i][1] == 6 && dates[i][2] <= 10));
			if (in != hours_closed_on(h, &t) || (in && hours_state_at(h, &t) != HOURS_CLOSED))
				abort();
		}
		hours_week_fr(h, &sb);
		for (i = 0; i < sb.len; i++)
			if ((unsigned char)sb.buf[i] < 0x20 && sb.buf[i] != '\n')
				abort(); /* comments are cleaned of control characters */
		strbuf_release(&sb);
		hours_free(h);
	} else if (h || strncmp(qfq_error_msg(), "column ", 7)) {
		abort();
	}
	free(text);
	return 0;
}
