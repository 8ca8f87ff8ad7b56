/*
 * search_opts: the criteria options of `qfq search`, shared with the
 * commands that answer for "the same search" (`qfq themes`): parsed once
 * (search_opts_parse()) and turned into a query by the one query builder
 * (search_opts_query() -> search_query_build()). Errors are printed with
 * the command's name (o->cmd).
 */
#ifndef QFQ_CMD_SEARCH_OPTS_H
#define QFQ_CMD_SEARCH_OPTS_H

#include "cmd/cmd.h"
#include "core/search.h"

struct search_opts {
	const struct cmd *cmd;    /* whose errors these are (set by the caller) */
	char **themes;
	size_t nthemes, themes_alloc;
	const char *commune, *epci, *departement, *when, *publics, *typo;
	double radius;
	bool radius_set, open_now, sans_rdv, persons, unknown_hours, no_commune;
	bool gratuit, rdv_en_ligne;
	const char *prise_en_charge, *acces;
	enum out_format format;
	long limit;
};

/* Parses argv (options, then TEXT from optind). 0 or an exit status (printed). */
int search_opts_parse(int argc, char **argv, struct search_opts *o);
/* Builds q from o and the text after optind; 0 or an exit status (printed). */
int search_opts_query(sqlite3 *db, struct search_opts *o, int argc, char **argv, struct search_query *q);

#endif
