/*
 * edit: `qfq edit structure|person ID FIELD=VALUE...`, hand corrections
 * validated as at import (db/edit.h), in one transaction recorded in the
 * history: one refused value and nothing is changed (exit 3).
 */
#include "cmd/cmd.h"
#include "cmd/entity.h"
#include "db/edit.h"
#include "db/history.h"
#include "db/records.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <stdlib.h>
#include <string.h>

int cmd_edit_refused(const struct cmd *c, const struct edit_refusal *why)
{
	struct strbuf safe = STRBUF_INIT;
	if (why->field)
		fprintf(stderr, "qfq %s: %s: %s\n", c->name, why->field, cmd_safe(&safe, why->reason));
	else
		fprintf(stderr, "qfq %s: %s\n", c->name, cmd_safe(&safe, why->reason));
	fprintf(stderr, _("qfq %s: nothing was changed\n"), c->name);
	strbuf_release(&safe);
	return QFQ_EXIT_DATA;
}

/* The names of the fields of the assignments, for the history ("telephone, horaires"). */
static void field_names(struct strbuf *sb, int argc, char **argv, int from)
{
	int i;
	for (i = from; i < argc; i++) {
		size_t l = strcspn(argv[i], "+-=");
		strbuf_addf(sb, "%s%.*s", i > from ? ", " : "", (int)l, argv[i]);
	}
}

static int edit_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option no_opts[] = { { NULL, 0, NULL, 0 } };
	struct edit_refusal why = { NULL, NULL };
	struct strbuf name = STRBUF_INIT, summary = STRBUF_INIT, safe = STRBUF_INIT;
	struct edit *ed = NULL;
	sqlite3_int64 id;
	bool person;
	sqlite3 *db;
	int rc, i, opt;

	/* options are fields (--FIELD VALUE) after the kind: only --help comes before it */
	if ((opt = cmd_getopt(&cmd_edit, argc, argv, "+", no_opts, NULL)) != -1)
		return cmd_opt_exit(opt);
	if (argc < 4)
		return cmd_usage_error(&cmd_edit, _("give structure|person ID and at least one FIELD=VALUE"));
	if ((rc = cmd_parse_record(&cmd_edit, argv[1], argv[2], &person, &id)))
		return rc;
	if ((rc = cmd_open_db(&cmd_edit, ctx, DB_WRITE, &db)))
		return rc;
	if (db_begin(db)) {
		rc = cmd_fail(&cmd_edit, QFQ_EXIT_FAIL);
		goto done;
	}
	rc = record_name(db, person ? RECORD_PERSON : RECORD_STRUCTURE, id, &name);
	if (rc <= 0) {
		if (rc == 0)
			fprintf(stderr, _("qfq edit: no %s with id %lld\n"), person ? _("person") : _("structure"),
				(long long)id);
		rc = rc ? cmd_fail(&cmd_edit, QFQ_EXIT_FAIL) : QFQ_EXIT_USAGE;
		goto done;
	}
	if (edit_open(db, person ? EDIT_PERSON : EDIT_STRUCTURE, id, &ed)) {
		rc = cmd_fail(&cmd_edit, QFQ_EXIT_FAIL);
		goto done;
	}
	for (i = 3; i < argc; i++) {
		rc = edit_assign(ed, argv[i], &why);
		if (rc) {
			rc = rc > 0 ? (why.field ? cmd_edit_refused(&cmd_edit, &why)
						 : cmd_usage_error(&cmd_edit, "%s", why.reason))
				    : cmd_fail(&cmd_edit, QFQ_EXIT_FAIL);
			edit_abort(ed);
			goto done;
		}
	}
	strbuf_addf(&summary, _("« %s » modifiée : "), name.buf);
	field_names(&summary, argc, argv, 3);
	history_set_summary(db, summary.buf);
	if (edit_close(ed) || db_commit(db)) {
		rc = cmd_fail(&cmd_edit, QFQ_EXIT_FAIL);
		goto done;
	}
	fprintf(ctx->out, _("« %s » (%s %lld): %d field(s) changed\n"), cmd_safe(&safe, name.buf),
		person ? _("person") : _("structure"), (long long)id, argc - 3);
	rc = QFQ_EXIT_OK;
done:
	db_rollback(db);
	db_close(db);
	edit_refusal_clear(&why);
	strbuf_release(&name);
	strbuf_release(&summary);
	strbuf_release(&safe);
	return rc;
}

const struct cmd cmd_edit = {
	.name = "edit",
	.summary = N_("correct a structure or a person, field by field"),
	.usage = N_("edit structure ID FIELD=VALUE...\n"
		    "edit person ID FIELD=VALUE..."),
	.help = N_("FIELD=VALUE replaces a value (empty: clears it); FIELD+=VALUE and FIELD-=VALUE\n"
		   "add to and remove from a list; list items are separated by |. Every value is\n"
		   "checked as an import checks it; one refused value and nothing is changed.\n\n"
		   "Structure fields: nom, commune, adresse, complement_adresse, code_postal,\n"
		   "  coordonnees (\"44.735, 4.599\"), telephone, courriels, site_web, horaires\n"
		   "  (OpenStreetMap syntax), prise_rdv, sans_rdv (oui/non), fermeture\n"
		   "  (FROM..TO), typologie, services (themes), territoires (commune:NAME,\n"
		   "  epci:SIREN, departement:07, region:84), permanences (PLACE@COMMUNE[@HOURS];\n"
		   "  -= NUMBER), accessibilite, frais, modalites_acces, modalites_accompagnement,\n"
		   "  publics, prise_en_charge, itinerance, dispositifs, formations_labels,\n"
		   "  autres_formations_labels, presentation_resume, presentation_detail, pivot,\n"
		   "  parent (an id), date_maj.\n"
		   "Person fields: nom, prenom, courriels, telephones, structures (ID[:ROLE]),\n"
		   "  role (ID:ROLE), competences (themes; THEME! marks the referent).\n\n"
		   "The change is recorded in the history (`qfq log`, `qfq undo`).\n\n"
		   "Exit status: 0 changed, 2 bad usage or unknown id, 3 a value refused."),
	.exec = edit_exec,
};
