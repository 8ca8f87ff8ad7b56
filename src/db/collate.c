/* collate: the SQLite collation "fr" (see collate.h). */
#include "db/collate.h"
#include "core/text.h"
#include "util/error.h"

#include <stddef.h>

static int collate_fr(void *unused, int alen, const void *a, int blen, const void *b)
{
	(void)unused;
	return text_collate(a, (size_t)alen, b, (size_t)blen);
}

int collate_register(sqlite3 *db)
{
	if (sqlite3_create_collation(db, "fr", SQLITE_UTF8, NULL, collate_fr) != SQLITE_OK)
		return qfq_error("collation fr: %s", sqlite3_errmsg(db));
	return 0;
}
