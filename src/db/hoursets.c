/*
 * hoursets: half-hour bitmaps of who is open (see hoursets.h).
 */
#include "db/hoursets.h"
#include "db/db.h"
#include "db/themesets.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* [0]: has hours; then for each slot k, [1 + 2k] whole, [2 + 2k] part;
 * last, apart, [EXACT]: evaluate exactly. */
#define NSLOTMAPS (1 + 2 * HOURSET_SLOTS)
#define EXACT NSLOTMAPS
#define PH (NSLOTMAPS + 1)
#define NMAPS (NSLOTMAPS + 2)

/* Marks the slots a span [start, end) touches. */
static void add_span(struct themeset_bits *maps, long long id, int start, int end)
{
	int k, first = start / HOURSET_SLOT_MIN, last = (end - 1) / HOURSET_SLOT_MIN;
	if (start < 0 || end <= start || end > 7 * 1440)
		return;
	for (k = first; k <= last && k < HOURSET_SLOTS; k++) {
		bool whole = start <= k * HOURSET_SLOT_MIN && end >= (k + 1) * HOURSET_SLOT_MIN;
		themeset_bits_set(&maps[(whole ? 1 : 2) + 2 * k], id);
	}
}

static int store(sqlite3 *db, struct themeset_bits *maps)
{
	sqlite3_stmt *put;
	int i, rc = 0;
	if (db_prepare(db, "INSERT OR REPLACE INTO hour_bitmaps(slot, kind, bits) VALUES (?1, ?2, ?3)", &put))
		return -1;
	for (i = 0; i < NMAPS && !rc; i++) {
		struct themeset_bits *b = &maps[i];
		size_t j;
		if (i && i < NSLOTMAPS && !((i - 1) & 1)) /* "whole" wins: a part bit under a whole one is dropped */
			for (j = 0; j < b->len && j < maps[i + 1].len; j++)
				maps[i + 1].bits[j] &= (unsigned char)~b->bits[j];
		sqlite3_reset(put);
		sqlite3_bind_int(put, 1, i == EXACT ? HOURSET_EXACT : i == PH ? HOURSET_PH : i ? (i - 1) / 2 : HOURSET_HAS_HOURS);
		sqlite3_bind_int(put, 2, i && i < NSLOTMAPS ? (i - 1) % 2 : HOURSET_WHOLE);
		if (b->len)
			sqlite3_bind_blob(put, 3, b->bits, (int)b->len, SQLITE_STATIC);
		else
			sqlite3_bind_zeroblob(put, 3, 0);
		if (sqlite3_step(put) != SQLITE_DONE)
			rc = db_error(db, "hour_bitmaps");
	}
	sqlite3_finalize(put);
	return rc;
}

int hoursets_refresh(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	struct themeset_bits *maps = NULL;
	long long have = 0;
	bool sparse = false;
	int i, rc = -1, step;

	if (db_prepare(db, "SELECT count(*) FROM hour_bitmaps", &st))
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		have = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (have == NMAPS)
		return 0;
	maps = xcalloc(NMAPS, sizeof(*maps));
	if (db_exec(db, "DELETE FROM hour_bitmaps") ||
	    db_prepare(db, "SELECT structure_id, start_min, end_min FROM structure_hours", &st))
		goto done;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		if (id < 0 || id > THEMESET_MAX_ID) {
			sparse = true;
			break;
		}
		if (sqlite3_column_int(st, 1) == HOURSET_EXACT_SPAN || sqlite3_column_int(st, 1) == HOURSET_PH_SPAN) {
			themeset_bits_set(&maps[sqlite3_column_int(st, 1) == HOURSET_EXACT_SPAN ? EXACT : PH], id);
			continue;
		}
		themeset_bits_set(&maps[0], id);
		add_span(maps, id, sqlite3_column_int(st, 1), sqlite3_column_int(st, 2));
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		db_error(db, "hour_bitmaps");
		goto done;
	}
	/* ids too sparse for bitmaps: none stored, readers use the spans */
	rc = sparse ? 0 : store(db, maps);
done:
	sqlite3_finalize(st);
	for (i = 0; maps && i < NMAPS; i++)
		free(maps[i].bits);
	free(maps);
	return rc;
}

int hourset_read(sqlite3 *db, int slot, enum hourset_kind kind, unsigned char **bits, size_t *len)
{
	sqlite3_stmt *st;
	int rc;
	if (db_stmt(db, "SELECT bits FROM hour_bitmaps WHERE slot = ?1 AND kind = ?2", &st))
		return -1;
	sqlite3_bind_int(st, 1, slot);
	sqlite3_bind_int(st, 2, (int)kind);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(st, 0);
		*bits = xmalloc(*len ? *len : 1);
		if (*len)
			memcpy(*bits, sqlite3_column_blob(st, 0), *len);
		rc = 1;
	} else {
		rc = rc == SQLITE_DONE ? 0 : db_error(db, "hour_bitmaps");
	}
	db_stmt_done(st);
	return rc;
}
