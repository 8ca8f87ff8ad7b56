/*
 * add: `qfq add structure --nom NAME [--FIELD VALUE | FIELD=VALUE]...` and
 * `qfq add person --nom NAME ...`: a new record, every value validated as
 * at import (db/edit.h), in one transaction recorded in the history.
 * Prints the new id alone on standard output (for scripts).
 */
#include "cmd/cmd.h"
#include "cmd/entity.h"
#include "db/edit.h"
#include "db/history.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* argv[*i] as an assignment "FIELD=VALUE" (from --FIELD VALUE, --FIELD=VALUE or FIELD=VALUE). */
static int next_assignment(int argc, char **argv, int *i, struct strbuf *a)
{
	const char *s = argv[*i];
	strbuf_reset(a);
	if (!strncmp(s, "--", 2)) {
		s += 2;
		if (strchr(s, '=')) {
			strbuf_addstr(a, s);
		} else {
			if (*i + 1 >= argc)
				return cmd_usage_error(&cmd_add, _("--%s expects a value"), s);
			strbuf_addf(a, "%s=%s", s, argv[++*i]);
		}
	} else if (strchr(s, '=')) {
		strbuf_addstr(a, s);
	} else {
		return cmd_usage_error(&cmd_add, _("unexpected argument \"%s\" (give --FIELD VALUE or FIELD=VALUE)"), s);
	}
	return 0;
}

static int add_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option no_opts[] = { { NULL, 0, NULL, 0 } };
	struct edit_refusal why = { NULL, NULL };
	struct strbuf a = STRBUF_INIT, summary = STRBUF_INIT;
	struct strbuf *v = NULL;
	const char *nom = NULL;
	char *nom_buf = NULL;
	struct edit *ed = NULL;
	bool person;
	sqlite3 *db = NULL;
	int rc = 0, i, n = 0, opt;

	/* options are fields (--FIELD VALUE) after the kind: only --help comes before it */
	if ((opt = cmd_getopt(&cmd_add, argc, argv, "+", no_opts, NULL)) != -1)
		return cmd_opt_exit(opt);
	if (argc < 2 || (strcmp(argv[1], "structure") && strcmp(argv[1], "person")))
		return cmd_usage_error(&cmd_add, _("add structure or add person"));
	person = !strcmp(argv[1], "person");
	v = xcalloc((size_t)argc, sizeof(*v));
	for (i = 2; i < argc && !rc; i++) {
		rc = next_assignment(argc, argv, &i, &a);
		if (rc)
			break;
		if (!strncmp(a.buf, "nom=", 4) && !nom) {
			nom = nom_buf = xstrdup(a.buf + 4);
			continue;
		}
		strbuf_init(&v[n], 0);
		strbuf_addstr(&v[n++], a.buf);
	}
	if (!rc && !nom)
		rc = cmd_usage_error(&cmd_add, _("--nom is required"));
	if (rc)
		goto done;
	if ((rc = cmd_open_db(&cmd_add, ctx, DB_WRITE, &db)))
		goto done;
	if (db_begin(db)) {
		rc = cmd_fail(&cmd_add, QFQ_EXIT_FAIL);
		goto done;
	}
	rc = edit_create(db, person ? EDIT_PERSON : EDIT_STRUCTURE, nom, &ed, &why);
	for (i = 0; i < n && !rc; i++)
		rc = edit_assign(ed, v[i].buf, &why);
	if (rc) {
		rc = rc > 0 ? (why.field ? cmd_edit_refused(&cmd_add, &why) : cmd_usage_error(&cmd_add, "%s", why.reason))
			    : cmd_fail(&cmd_add, QFQ_EXIT_FAIL);
		edit_abort(ed);
		goto done;
	}
	strbuf_addf(&summary, person ? _("personne « %s » ajoutée") : _("structure « %s » ajoutée"), nom);
	history_set_summary(db, summary.buf);
	{
		sqlite3_int64 id = edit_id(ed);
		if (edit_close(ed) || db_commit(db)) {
			rc = cmd_fail(&cmd_add, QFQ_EXIT_FAIL);
			goto done;
		}
		fprintf(ctx->out, "%lld\n", (long long)id);
	}
	rc = QFQ_EXIT_OK;
done:
	if (db) {
		db_rollback(db);
		db_close(db);
	}
	for (i = 0; i < n; i++)
		strbuf_release(&v[i]);
	free(v);
	free(nom_buf);
	edit_refusal_clear(&why);
	strbuf_release(&a);
	strbuf_release(&summary);
	return rc;
}

const struct cmd cmd_add = {
	.name = "add",
	.summary = N_("add a structure or a person by hand"),
	.usage = N_("add structure --nom NAME [--FIELD VALUE]...\n"
		    "add person --nom NAME [--prenom GIVEN] [--FIELD VALUE]..."),
	.help = N_("Creates the record and prints its new id. Any field of `qfq edit` can be given\n"
		   "as --FIELD VALUE or FIELD=VALUE (e.g. commune=Privas horaires=\"Mo-Fr\n"
		   "09:00-12:00\" services=\"smartphone|Aide aux démarches administratives\"); each\n"
		   "value is checked as an import checks it, and one refused value adds nothing. A new\n"
		   "record that looks like an existing one gets a merge proposal (`qfq merge --list`).\n\n"
		   "Exit status: 0 added, 2 bad usage, 3 a value refused."),
	.exec = add_exec,
};
