/*
 * themesets: who offers each theme, stored as one bitmap per theme over
 * structure ids (and one over person ids for competences), so that the
 * search engine reads a few kilobytes instead of one structure_themes row
 * per structure (national directory: "démarches" is 67,000 rows).
 *
 * The bitmaps live in theme_bitmaps. Triggers on structure_themes and
 * person_themes delete a theme's bitmap whenever its rows change, from
 * qfq or from any other SQLite client, so a bitmap that exists is always
 * exact; a missing one means "read the rows". db_commit() rebuilds the
 * missing ones, so every qfq write leaves them all present.
 *
 * Layout: byte i, bit j (least significant first) is id 8 * i + j; the
 * blob ends with the byte of the highest id (empty when nobody offers it).
 */
#ifndef QFQ_DB_THEMESETS_H
#define QFQ_DB_THEMESETS_H

#include <sqlite3.h>
#include <stddef.h>

enum themeset_kind {
	THEMESET_STRUCTURES = 0,  /* structure_themes.structure_id */
	THEMESET_PERSONS = 1,     /* person_themes.person_id */
};

/* Ids above this are not stored as bitmaps (too sparse): rows are read. */
#define THEMESET_MAX_ID 50000000LL

/* A bitmap being built in that layout; its length grows to the highest id set. */
struct themeset_bits {
	unsigned char *bits;
	size_t len, alloc;
};

/* Sets id's bit (id >= 0). */
void themeset_bits_set(struct themeset_bits *b, long long id);

/* Builds every missing bitmap, inside the caller's transaction. 0 or -1. */
int themesets_refresh(sqlite3 *db);

/*
 * A reader of stored bitmaps; open once per search, close before the
 * database (close(NULL) does nothing).
 */
struct themeset_reader;
int themeset_reader_open(sqlite3 *db, struct themeset_reader **out);
/*
 * Whether the bitmap of (kind, theme) is stored: 1 with *bits / *len set
 * (valid until the next call on r), 0 when it must be read from the rows,
 * -1 on error (qfq_error).
 */
int themeset_read(struct themeset_reader *r, enum themeset_kind kind, long long theme,
		  const unsigned char **bits, size_t *len);
/* The same without reading the bitmap: 1, 0 or -1. */
int themeset_has(struct themeset_reader *r, enum themeset_kind kind, long long theme);
void themeset_reader_close(struct themeset_reader *r);

#endif
