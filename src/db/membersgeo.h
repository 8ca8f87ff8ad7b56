/*
 * membersgeo: every membership placed at its structure, in an R*Tree, so
 * that "the members of the structures within 20 km of Lyon" is one read of
 * neighbouring pages instead of a look-up per structure into memberships
 * (national directory: 6,800 members of 1,900 structures spread over the
 * whole memberships index, about 1,300 pages, against about 40).
 *
 * members_geo(id, min_lat, max_lat, min_lon, max_lon): id packs the
 * membership (membersgeo_id()); the box is the structure's point in
 * structures_geo. structure_members holds each structure's point and the
 * same ids (8 bytes each, least significant first): the members of one
 * structure in one read, and what to delete by id. Triggers on memberships, and the
 * structure indexer when a position is rewritten, record the structures
 * whose entries are out of date in members_geo_dirty; db_commit() rebuilds
 * them, so a committed qfq database has none. A search that finds any
 * reads memberships instead.
 */
#ifndef QFQ_DB_MEMBERSGEO_H
#define QFQ_DB_MEMBERSGEO_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* Ids above this are not placed (the search then reads memberships). */
#define MEMBERSGEO_MAX_ID 0x3fffffffLL

/* structure << 32 | person << 1 | ends (the membership has an end date to check) */
static inline long long membersgeo_id(long long structure, long long person, bool ends)
{
	return (long long)((unsigned long long)structure << 32 | (unsigned long long)person << 1 | (ends ? 1u : 0u));
}
static inline long long membersgeo_structure(long long id) { return (long long)((unsigned long long)id >> 32); }
static inline long long membersgeo_person(long long id) { return (id & 0xffffffffLL) >> 1; }
static inline bool membersgeo_ends(long long id) { return id & 1; }

/* The i-th id of a structure_members.ids blob. */
static inline long long membersgeo_ids_at(const unsigned char *blob, size_t i)
{
	unsigned long long v = 0;
	int k;
	for (k = 7; k >= 0; k--)
		v = v << 8 | blob[8 * i + (size_t)k];
	return (long long)v;
}

/* Rebuilds the entries of the structures marked dirty, inside the caller's transaction. 0 or -1. */
int membersgeo_refresh(sqlite3 *db);

/* Whether every entry is up to date: 1, 0, or -1 (qfq_error). */
int membersgeo_fresh(sqlite3 *db);

#endif
