/*
 * hoursexact: exact opening states for a search (see hoursexact.h).
 */
#include "db/hoursexact.h"
#include "core/hours.h"
#include "db/db.h"
#include "db/hoursets.h"
#include "db/themesets.h"
#include "util/error.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hours_exact {
	sqlite3 *db;
	struct tm when;
	struct themeset_bits marks; /* the ids to evaluate (hoursets.h layout) */
	sqlite3_stmt *get;     /* hours and position of one structure */
};

static bool marked(const struct hours_exact *x, long long id)
{
	return id >= 0 && (size_t)(id / 8) < x->marks.len && (x->marks.bits[id / 8] & (1u << (id % 8)));
}

/* The ids of the marker spans `start`, when the bitmaps are missing. */
static int read_marks(struct hours_exact *x, int start)
{
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(x->db, "SELECT structure_id FROM structure_hours WHERE start_min = ?1", &st))
		return -1;
	sqlite3_bind_int(st, 1, start);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (sqlite3_column_int64(st, 0) >= 0)
			themeset_bits_set(&x->marks, sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(x->db, "structure_hours");
}

/* Adds the ids of bitmap `slot` (or of its marker spans) to the marks. */
static int add_marks(struct hours_exact *x, int slot, int start)
{
	unsigned char *bits;
	size_t len, i;
	int rc = hourset_read(x->db, slot, HOURSET_WHOLE, &bits, &len);

	if (rc <= 0)
		return rc < 0 ? -1 : read_marks(x, start);
	if (len > x->marks.len) {
		XGROW(x->marks.bits, x->marks.alloc, len);
		memset(x->marks.bits + x->marks.len, 0, len - x->marks.len);
		x->marks.len = len;
	}
	for (i = 0; i < len; i++)
		x->marks.bits[i] |= bits[i];
	free(bits);
	return 0;
}

/* A public holiday, or the day after one (its night hours spill over). */
static bool near_holiday(const struct tm *when)
{
	struct tm before = *when;

	before.tm_mday--;
	before.tm_hour = 12;
	before.tm_isdst = -1;
	mktime(&before);
	return hours_is_public_holiday(when->tm_year + 1900, when->tm_mon + 1, when->tm_mday) ||
	       hours_is_public_holiday(before.tm_year + 1900, before.tm_mon + 1, before.tm_mday);
}

/* The places under a temporary closure on the day asked (the partial
 * index structures_closure): evaluated one by one, closed that day. */
static int add_closures(struct hours_exact *x)
{
	sqlite3_stmt *st;
	char day[48];
	int rc;

	if (db_prepare(x->db, "SELECT id FROM structures WHERE ferme_du IS NOT NULL AND ferme_du <= ?1 "
			      "AND (ferme_au IS NULL OR ferme_au = '' OR ferme_au >= ?1)", &st))
		return -1;
	snprintf(day, sizeof(day), "%04d-%02d-%02d", x->when.tm_year + 1900, x->when.tm_mon + 1, x->when.tm_mday);
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (sqlite3_column_int64(st, 0) >= 0)
			themeset_bits_set(&x->marks, sqlite3_column_int64(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(x->db, "structures");
}

int hours_exact_open(sqlite3 *db, const struct tm *when, struct hours_exact **out)
{
	struct hours_exact *x = xcalloc(1, sizeof(*x));

	*out = NULL;
	x->db = db;
	x->when = *when;
	if (add_marks(x, HOURSET_EXACT, HOURSET_EXACT_SPAN) ||
	    (near_holiday(when) && add_marks(x, HOURSET_PH, HOURSET_PH_SPAN)) || add_closures(x) ||
	    db_prepare(db, "SELECT s.horaires, coalesce(s.latitude, c.latitude), coalesce(s.longitude, c.longitude), "
			   "s.ferme_du, s.ferme_au "
			   "FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee WHERE s.id = ?1",
		       &x->get)) {
		hours_exact_close(x);
		return -1;
	}
	*out = x;
	return 0;
}

void hours_exact_close(struct hours_exact *x)
{
	if (!x)
		return;
	sqlite3_finalize(x->get);
	free(x->marks.bits);
	free(x);
}

int hours_exact_state(struct hours_exact *x, long long id)
{
	struct hours *h = NULL;
	const char *text;
	int rc, state = -2;

	if (!x || !marked(x, id))
		return -2;
	sqlite3_reset(x->get);
	sqlite3_bind_int64(x->get, 1, id);
	rc = sqlite3_step(x->get);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? -2 : HOURS_UNKNOWN;
	if (hours_closure_covers((const char *)sqlite3_column_text(x->get, 3),
				 (const char *)sqlite3_column_text(x->get, 4), &x->when))
		return HOURS_CLOSED; /* known closed, hours known or not */
	text = (const char *)sqlite3_column_text(x->get, 0);
	if (!text || hours_parse(text, &h)) {
		qfq_error_clear();
		return HOURS_UNKNOWN;
	}
	if (sqlite3_column_type(x->get, 1) != SQLITE_NULL && sqlite3_column_type(x->get, 2) != SQLITE_NULL)
		hours_set_place(h, sqlite3_column_double(x->get, 1), sqlite3_column_double(x->get, 2));
	state = hours_state_at(h, &x->when);
	hours_free(h);
	return state;
}

/* qfq_held(horaires): see hoursexact.h. */
static void held_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct tm *when = sqlite3_user_data(ctx);
	const unsigned char *text = sqlite3_value_text(argv[0]);
	struct hours *h = NULL;
	(void)argc;
	if (!when || !text || hours_parse((const char *)text, &h)) {
		qfq_error_clear();
		sqlite3_result_int(ctx, 1);
		return;
	}
	sqlite3_result_int(ctx, hours_held_on(h, when));
	hours_free(h);
}

int hours_exact_register_held(sqlite3 *db, const struct tm *when)
{
	return sqlite3_create_function(db, "qfq_held", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, (void *)when,
				       held_fn, NULL, NULL) == SQLITE_OK ? 0 : db_error(db, "search");
}
