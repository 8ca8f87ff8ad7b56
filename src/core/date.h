/*
 * date: the calendar dates qfq reads and compares: whether a date exists
 * (no 30 February, no 31 April, 29 February of leap years only, so that no
 * parser lets mktime() roll an impossible date over into the next month),
 * "YYYY-MM-DD" and "YYYY-MM-DDTHH:MM" as the database and the search
 * results write them, and whole days between two local dates.
 */
#ifndef QFQ_CORE_DATE_H
#define QFQ_CORE_DATE_H

#include <stdbool.h>

struct tm;

/* Whether year-month-day is a day of the Gregorian calendar (month 1..12). */
bool date_exists(int year, int month, int day);

/* "YYYY-MM-DD" exactly (ten characters, digits, a day that exists). */
bool date_parse_ymd(const char *s, int *year, int *month, int *day);

/* "YYYY-MM-DDTHH:MM" (a next opening of the search results) as a local
 * time, normalized by mktime() (tm_wday set); false when it is not one. */
bool date_parse_minute(const char *s, struct tm *out);

/* Days from the date of a to the date of b (local calendar dates; a DST
 * change never shifts it). */
int date_days_between(const struct tm *a, const struct tm *b);

#endif
