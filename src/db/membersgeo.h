/*
 * membersgeo: the members of each structure, stored with the structure's
 * point in one row of structure_members, and a covering index of the rows
 * by grid cell (membersgeo_cell()): "the members of the structures within 20 km of
 * Lyon" is then a few index ranges of neighbouring pages instead of a
 * look-up per structure into memberships (national directory: 6,800
 * members of 1,900 structures spread over the whole memberships index,
 * about 1,300 pages, against a few dozen).
 *
 * A row: cell (-1 without a point), structure_id, lat and lon (its point in
 * structures_geo), ids (one 8-byte little-endian integer per membership:
 * membersgeo_member()). Triggers on memberships, and the structure indexer
 * when it rewrites a position, record the structures whose row is out of
 * date in members_geo_dirty; db_commit() rebuilds them, so a committed qfq
 * database has none. A search that finds any reads memberships instead.
 */
#ifndef QFQ_DB_MEMBERSGEO_H
#define QFQ_DB_MEMBERSGEO_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* Person ids above this are not stored (the search then reads memberships). */
#define MEMBERSGEO_MAX_ID 0x3fffffffLL

/* The grid: cells of 0.05 degree (about 5.5 km of latitude). */
#define MEMBERSGEO_CELL_DEG 0.05
#define MEMBERSGEO_CELL_ROW 8192   /* cell = lat row * 8192 + lon column */

static inline long long membersgeo_row(double lat) { return (long long)((lat + 90.0) / MEMBERSGEO_CELL_DEG); }
static inline long long membersgeo_col(double lon) { return (long long)((lon + 180.0) / MEMBERSGEO_CELL_DEG); }
static inline long long membersgeo_cell(double lat, double lon)
{
	return membersgeo_row(lat) * MEMBERSGEO_CELL_ROW + membersgeo_col(lon);
}

/* A member entry: person << 1 | ends (the membership has an end date to check). */
static inline long long membersgeo_member(long long person, bool ends)
{
	return (long long)((unsigned long long)person << 1 | (ends ? 1u : 0u));
}
static inline long long membersgeo_person(long long m) { return m >> 1; }
static inline bool membersgeo_ends(long long m) { return m & 1; }

/* The i-th entry of an ids blob. */
static inline long long membersgeo_ids_at(const unsigned char *blob, size_t i)
{
	unsigned long long v = 0;
	int k;
	for (k = 7; k >= 0; k--)
		v = v << 8 | blob[8 * i + (size_t)k];
	return (long long)v;
}

/* Rebuilds the rows of the structures marked dirty, inside the caller's transaction. 0 or -1. */
int membersgeo_refresh(sqlite3 *db);

/* Whether every row is up to date: 1, 0, or -1 (qfq_error). */
int membersgeo_fresh(sqlite3 *db);

#endif
