/*
 * stats: the observatory of referrals (`qfq stats`, the TUI's Observatoire
 * view): counts by theme, month, status, commune and EPCI of origin and
 * destination, the top flows between structures, the share realized and
 * the time to realization, the themes that ended "sans solution" and where.
 *
 * One pass over the referrals of the period (the date index when bounded),
 * aggregated in memory: a million referrals read once instead of one
 * GROUP BY query per table. Names (themes, structures, communes, EPCI) are
 * looked up afterwards for the rows shown only.
 */
#ifndef QFQ_DB_STATS_H
#define QFQ_DB_STATS_H

#include <sqlite3.h>
#include <stddef.h>

#include "db/referrals.h"

struct stats_query {
	const char *since, *until;   /* YYYY-MM-DD inclusive, or NULL */
	const char *departement;     /* keep referrals from or to this territory */
	const char *epci;
	size_t top;                  /* rows per ranked table (default 10) */
};

/* One row of a ranked table. */
struct stats_row {
	char *key;        /* theme id, month "2026-03", INSEE code, SIREN, "from>to" */
	char *label;      /* its name (or NULL) */
	long count;
	long realized;    /* réalisée among them */
	char *where;      /* sans solution rows: the communes of origin, most first */
};

struct stats_table {
	struct stats_row *v;
	size_t n;
	size_t total_keys; /* distinct keys before the cut to `top` */
};

enum stats_table_id {
	STATS_THEME, STATS_MONTH, STATS_FROM_COMMUNE, STATS_TO_COMMUNE, STATS_FROM_EPCI, STATS_TO_EPCI,
	STATS_FLOWS, STATS_SANS_SOLUTION, STATS_N_TABLES
};

struct stats {
	long total;
	long by_status[REFERRAL_N_STATUS];
	double days_mean, days_median;  /* time to realization; -1 when none realized */
	struct stats_table t[STATS_N_TABLES];
};

/* The table's key in data output ("theme", "mois", ...). */
const char *stats_table_name(enum stats_table_id id);

/* Computes the statistics of q into out (zeroed first). 0 or -1 (qfq_error). */
int stats_compute(sqlite3 *db, const struct stats_query *q, struct stats *out);
void stats_clear(struct stats *s);

#endif
