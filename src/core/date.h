/*
 * date: whether a calendar date exists (no 30 February, no 31 April, 29
 * February of leap years only), so that no parser lets mktime() roll an
 * impossible date over into the next month.
 */
#ifndef QFQ_CORE_DATE_H
#define QFQ_CORE_DATE_H

#include <stdbool.h>

/* Whether year-month-day is a day of the Gregorian calendar (month 1..12). */
bool date_exists(int year, int month, int day);

#endif
