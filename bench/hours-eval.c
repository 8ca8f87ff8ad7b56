/*
 * hours-eval: evaluates opening_hours values at given times, for
 * bench/hours-agreement.sh. Reads lines "VALUE<TAB>YYYY-MM-DDTHH:MM" (and
 * optionally "<TAB>LAT<TAB>LON") on standard input and writes one word
 * per line: open, closed, unknown, open-end, or error (the value does not
 * parse). Local time is the TZ environment's.
 */
#include "core/hours.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *word(enum hours_state s)
{
	switch (s) {
	case HOURS_OPEN: return "open";
	case HOURS_CLOSED: return "closed";
	case HOURS_OPEN_END: return "open-end";
	default: return "unknown";
	}
}

int main(void)
{
	char line[4096];

	while (fgets(line, sizeof(line), stdin)) {
		char *when = strchr(line, '\t'), *ll;
		struct hours *h = NULL;
		struct tm t;

		line[strcspn(line, "\n")] = '\0';
		if (!when) {
			puts("error");
			continue;
		}
		*when++ = '\0';
		memset(&t, 0, sizeof(t));
		if (sscanf(when, "%d-%d-%dT%d:%d", &t.tm_year, &t.tm_mon, &t.tm_mday, &t.tm_hour, &t.tm_min) != 5) {
			puts("error");
			continue;
		}
		t.tm_year -= 1900;
		t.tm_mon -= 1;
		t.tm_isdst = -1;
		if (hours_parse(line, &h)) {
			qfq_error_clear();
			puts("error");
			continue;
		}
		if ((ll = strchr(when, '\t'))) {
			double lat = strtod(ll + 1, &ll);
			hours_set_place(h, lat, strtod(ll + 1, NULL));
		}
		puts(word(hours_state_at(h, &t)));
		hours_free(h);
	}
	return 0;
}
