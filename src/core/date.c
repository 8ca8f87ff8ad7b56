/* date: calendar checks (see date.h). */
#include "core/date.h"

bool date_exists(int year, int month, int day)
{
	static const int length[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	if (month < 1 || month > 12 || day < 1 || day > length[month - 1])
		return false;
	return month != 2 || day < 29 || leap;
}
