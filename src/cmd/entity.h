/*
 * entity: the "structure ID" / "person ID" arguments that the stewardship
 * commands share (edit, rm, log, forget, export person).
 */
#ifndef QFQ_CMD_ENTITY_H
#define QFQ_CMD_ENTITY_H

#include "cmd/cmd.h"
#include "db/edit.h"

/*
 * Parses KIND ("structure" or "person", also "s"/"p") and ID (a positive
 * number; "p12" for a person is accepted). 0, or the usage-error status
 * after printing.
 */
int cmd_parse_record(const struct cmd *c, const char *kind, const char *id, bool *person, sqlite3_int64 *out);

/* Prints why an edit was refused (field: reason) and that nothing changed; returns QFQ_EXIT_DATA. */
int cmd_edit_refused(const struct cmd *c, const struct edit_refusal *why);

/* forget person ID (also `persons --erase`): asks unless yes; the exit status. */
int cmd_forget_person(const struct cmd *c, struct cmd_ctx *ctx, sqlite3_int64 id, bool yes);

/* export person ID (argv[0] = "person"): everything held about them, as JSON. */
int cmd_export_person(struct cmd_ctx *ctx, int argc, char **argv);

#endif
