/*
 * collate: the collation "fr" on a database connection, so that SQL lists
 * come in French order: `ORDER BY p.nom COLLATE fr, p.prenom COLLATE fr, p.id`
 * (case and accents folded, "É" with "E"; see text_collate in core/text.h).
 */
#ifndef QFQ_DB_COLLATE_H
#define QFQ_DB_COLLATE_H

#include <sqlite3.h>

/* Registers the collation "fr" on db; 0 or -1 with qfq_error() set. */
int collate_register(sqlite3 *db);

#endif
