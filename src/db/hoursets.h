/*
 * hoursets: who is open in each half-hour of the regular week, stored as
 * bitmaps over structure ids, so that "open at T?" for thousands of
 * candidates reads three bitmaps instead of each candidate's
 * structure_hours rows (national directory, Lyon: 577 pages).
 *
 * The bitmaps live in hour_bitmaps (same bit layout as theme_bitmaps,
 * db/themesets.h): for slot k (minutes 30k to 30k + 29 of the week, 0 =
 * Monday 00:00), kind 0 holds the structures open during the whole slot,
 * kind 1 those open during part of it only (their spans must be read);
 * slot -1 kind 0 holds the structures that have parsed weekly hours;
 * slot -2 kind 0 those whose hours a week cannot hold (months, dates, nth
 * weekdays...: hours_is_weekly() false), which the indexer writes as one
 * span [-1, -1) and a search evaluates exactly (db/hoursexact.h);
 * slot -3 kind 0 the weekly ones with PH rules (marker span [-2, -2)
 * beside their spans), evaluated exactly on a public holiday.
 * The structure indexer (db/structures.h), the only writer of
 * structure_hours, empties the table before it changes spans; db_commit()
 * rebuilds it in one pass over the spans, so a committed qfq database
 * always has all of it.
 */
#ifndef QFQ_DB_HOURSETS_H
#define QFQ_DB_HOURSETS_H

#include <sqlite3.h>
#include <stddef.h>

#define HOURSET_SLOT_MIN 30
#define HOURSET_SLOTS (7 * 1440 / HOURSET_SLOT_MIN)
#define HOURSET_HAS_HOURS (-1)   /* the slot of "has parsed hours" */
#define HOURSET_EXACT (-2)       /* the slot of "evaluate exactly" */
#define HOURSET_EXACT_SPAN (-1)  /* start_min and end_min of its marker span */
#define HOURSET_PH (-3)          /* the slot of "has PH rules" (exact on holidays) */
#define HOURSET_PH_SPAN (-2)     /* start_min and end_min of its marker span */

enum hourset_kind {
	HOURSET_WHOLE = 0,     /* open the whole slot */
	HOURSET_PART = 1,      /* open part of the slot */
};

/* Rebuilds the bitmaps when they are missing, inside the caller's transaction. 0 or -1. */
int hoursets_refresh(sqlite3 *db);

/*
 * Copies the bitmap (slot, kind) into a fresh buffer: 1 with *bits (free
 * it) and *len set, 0 when the bitmaps are missing (read the spans), -1 on
 * error (qfq_error).
 */
int hourset_read(sqlite3 *db, int slot, enum hourset_kind kind, unsigned char **bits, size_t *len);

#endif
