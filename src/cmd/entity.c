/*
 * entity: parsing "structure ID" and "person ID" (see entity.h).
 */
#include "cmd/entity.h"
#include "util/i18n.h"

#include <stdlib.h>
#include <string.h>

int cmd_parse_record(const struct cmd *c, const char *kind, const char *id, bool *person, sqlite3_int64 *out)
{
	char *end;
	long long v;
	if (!strcmp(kind, "structure") || !strcmp(kind, "s"))
		*person = false;
	else if (!strcmp(kind, "person") || !strcmp(kind, "p") || !strcmp(kind, "personne"))
		*person = true;
	else
		return cmd_usage_error(c, _("structure or person, not \"%s\""), kind);
	if (*person && (id[0] == 'p' || id[0] == 'P'))
		id++;
	v = strtoll(id, &end, 10);
	if (!*id || *end || v < 1)
		return cmd_usage_error(c, _("an id is a positive number, not \"%s\""), id);
	*out = v;
	return 0;
}
