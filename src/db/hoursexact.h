/*
 * hoursexact: "is structure X open at T, exactly?" for a search, from the
 * structure's opening_hours text, where the weekly half-hour index
 * (db/hoursets.h) cannot answer: values with months, dates, nth weekdays,
 * school holidays, open ends, uncertain times or sun times, or never
 * open (marked by the indexer), and on a French public holiday (and the
 * day after) the values with PH rules. A search opens one per run and
 * asks it about each candidate; the answer is what an evaluation of the
 * place gives (core/hours.h), so the index never decides alone.
 */
#ifndef QFQ_DB_HOURSEXACT_H
#define QFQ_DB_HOURSEXACT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

struct hours_exact;

/* Reads which structures need an exact answer at `when`. 0 or -1 (qfq_error). */
int hours_exact_open(sqlite3 *db, const struct tm *when, struct hours_exact **out);
void hours_exact_close(struct hours_exact *x);

/*
 * The exact state of structure id at the run's time as an enum
 * hours_state (HOURS_OPEN, HOURS_OPEN_END, HOURS_CLOSED, HOURS_UNKNOWN),
 * or -2 when the index's answer stands (x NULL, not marked, no parsed
 * hours). Read errors are answered HOURS_UNKNOWN.
 */
int hours_exact_state(struct hours_exact *x, long long id);

/*
 * SQL function qfq_held(horaires): 1 when a permanence with those hours is
 * held on the date *when points to (or has no parsed hours, or *when is
 * NULL), else 0. Registered once per connection (registering again expires
 * its prepared statements): *when is read at each call, so the caller
 * points it at each run's moment; when must outlive db.
 */
int hours_exact_register_held(sqlite3 *db, const struct tm *const *when);

#endif
