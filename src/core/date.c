/* date: calendar checks and the date forms qfq reads (see date.h). */
#include "core/date.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

bool date_exists(int year, int month, int day)
{
	static const int length[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (month < 1 || month > 12 || day < 1 || day > length[month - 1])
		return false;
	return month != 2 || day < 29 || leap;
}

/* The number written by the n digits at s (checked by the caller). */
static int digits(const char *s, int n)
{
	int v = 0;
	while (n--)
		v = v * 10 + (*s++ - '0');
	return v;
}

/* "YYYY-MM-DD" at the start of s (what follows is the caller's). */
static bool ymd_prefix(const char *s, int *year, int *month, int *day)
{
	int i;
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;
	*year = digits(s, 4);
	*month = digits(s + 5, 2);
	*day = digits(s + 8, 2);
	return date_exists(*year, *month, *day);
}

bool date_parse_ymd(const char *s, int *year, int *month, int *day)
{
	return s && strlen(s) == 10 && ymd_prefix(s, year, month, day);
}

bool date_parse_minute(const char *s, struct tm *out)
{
	int y, m, d;
	if (!s || strlen(s) != 16 || !ymd_prefix(s, &y, &m, &d) || s[10] != 'T' || s[13] != ':' ||
	    !isdigit((unsigned char)s[11]) || !isdigit((unsigned char)s[12]) ||
	    !isdigit((unsigned char)s[14]) || !isdigit((unsigned char)s[15]))
		return false;
	memset(out, 0, sizeof(*out));
	out->tm_year = y - 1900;
	out->tm_mon = m - 1;
	out->tm_mday = d;
	out->tm_hour = digits(s + 11, 2);
	out->tm_min = digits(s + 14, 2);
	out->tm_isdst = -1;
	if (out->tm_hour > 23 || out->tm_min > 59)
		return false;
	mktime(out);
	return true;
}

int date_days_between(const struct tm *a, const struct tm *b)
{
	struct tm x = *a, y = *b;
	time_t tx, ty;
	x.tm_hour = y.tm_hour = 12;
	x.tm_min = y.tm_min = x.tm_sec = y.tm_sec = 0;
	x.tm_isdst = y.tm_isdst = -1;
	tx = mktime(&x);
	ty = mktime(&y);
	/* noon to noon: a DST change shifts by an hour, never by a day */
	return (int)((double)(ty - tx) / 86400.0 + (ty >= tx ? 0.5 : -0.5));
}
