/*
 * territories: `qfq territories [--deduced] [--format FMT]`, the
 * territories structures serve, with where each comes from: stated (a
 * roster's zone column, or confirmed) or deduced by an import from the
 * structure's name, its commune or its meeting (issue 11). The coordinator
 * reviews the deduced ones and `--confirm ID` keeps them as stated, or
 * `--drop ID` removes what was deduced for a structure (to state another).
 */
#include "cmd/cmd.h"
#include "core/card.h"
#include "db/db.h"
#include "out/json.h"
#include "out/out.h"
#include "util/error.h"
#include "util/i18n.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char list_sql[] =
	"SELECT s.id, s.nom, t.kind, t.code, CASE t.kind "
	"WHEN 'commune' THEN (SELECT nom FROM communes WHERE code_insee = t.code) "
	"WHEN 'epci' THEN (SELECT nom FROM epci WHERE siren = t.code) "
	"WHEN 'departement' THEN (SELECT nom FROM departements d WHERE d.code = t.code) "
	"WHEN 'region' THEN (SELECT nom FROM regions r WHERE r.code = t.code) END, t.origine "
	"FROM structure_territories t JOIN structures s ON s.id = t.structure_id "
	"WHERE ?1 = 0 OR t.origine IS NOT NULL ORDER BY s.nom_norm, s.id, t.kind, t.code";

static const char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

static int list(sqlite3 *db, FILE *fp, enum out_format f, bool deduced, long *n)
{
	static const char *const keys[] = { "id", "structure", "type", "code", "nom", "origine" };
	const char *human[] = { _("ID"), _("Structure"), _("Type"), _("Code"), _("Territoire"), _("Origine") };
	struct out_table *t = NULL;
	struct json_writer jw;
	sqlite3_stmt *st;
	int rc;

	if (db_prepare(db, list_sql, &st))
		return -1;
	sqlite3_bind_int(st, 1, deduced);
	if (f == OUT_JSON) {
		json_init(&jw, fp, true);
		json_array_begin(&jw);
	} else {
		t = out_table_new(6, f == OUT_TABLE ? human : keys);
	}
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct card_territory ct = { .origine = (char *)(sqlite3_column_text(st, 5)) };
		const char *origin = card_territory_origin(&ct);
		const char *raw = sqlite3_column_text(st, 5) ? col(st, 5) : "";
		(*n)++;
		if (f == OUT_JSON) {
			json_object_begin(&jw);
			json_key(&jw, "id");
			json_int(&jw, sqlite3_column_int64(st, 0));
			json_kv_str(&jw, "structure", col(st, 1));
			json_kv_str(&jw, "type", col(st, 2));
			json_kv_str(&jw, "code", col(st, 3));
			json_kv_str(&jw, "nom", col(st, 4));
			json_kv_str(&jw, "origine", *raw ? raw : NULL);
			json_object_end(&jw);
		} else {
			const char *cells[6] = { col(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4),
						 f == OUT_TABLE ? (origin ? origin : _("déclaré")) : raw };
			out_table_add(t, cells);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		out_table_free(t);
		return db_error(db, "structure_territories");
	}
	if (f == OUT_JSON) {
		json_array_end(&jw);
		return json_finish(&jw) ? qfq_error(_("cannot write the output")) : 0;
	}
	rc = out_table_write(t, f, fp, out_term_width(fp), 0);
	out_table_free(t);
	return rc;
}

/* --confirm / --drop ID: one statement in one transaction; *changed rows. */
static int change(sqlite3 *db, const char *sql, sqlite3_int64 id, const char *action, int *changed)
{
	sqlite3_stmt *st;
	if (db_begin(db))
		return -1;
	if (db_prepare(db, sql, &st))
		goto fail;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		db_error(db, "structure_territories");
		goto fail;
	}
	sqlite3_finalize(st);
	*changed = sqlite3_changes(db);
	if (*changed && db_audit(db, action, "structure", id, NULL))
		goto fail;
	if (db_commit(db))
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

static int parse_id(const char *s, sqlite3_int64 *id)
{
	char *end;
	long long v;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v <= 0)
		return cmd_usage_error(&cmd_territories, _("\"%s\" is not a structure id"), s);
	*id = v;
	return 0;
}

static int territories_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "deduced", no_argument, NULL, 'd' },
		{ "confirm", required_argument, NULL, 'c' },
		{ "drop", required_argument, NULL, 'x' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	enum out_format f = OUT_TABLE;
	const char *confirm = NULL, *drop = NULL;
	bool deduced = false;
	sqlite3_int64 id = 0;
	sqlite3 *db;
	int opt, rc, changed = 0;
	long n = 0;

	while ((opt = cmd_getopt(&cmd_territories, argc, argv, "f:", opts, NULL)) != -1) {
		switch (opt) {
		case 'd': deduced = true; break;
		case 'c': confirm = optarg; break;
		case 'x': drop = optarg; break;
		case 'f': if ((rc = cmd_parse_format(&cmd_territories, optarg, &f))) return rc; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_territories, _("no argument expected"));
	if (confirm && drop)
		return cmd_usage_error(&cmd_territories, _("--confirm or --drop, not both"));
	if ((confirm || drop) && (rc = parse_id(confirm ? confirm : drop, &id)))
		return rc;
	if ((rc = cmd_open_db(&cmd_territories, ctx, confirm || drop ? DB_WRITE : DB_READ, &db)))
		return rc;
	if (confirm || drop) {
		rc = change(db, confirm ? "UPDATE structure_territories SET origine = NULL "
					  "WHERE structure_id = ?1 AND origine IS NOT NULL"
					: "DELETE FROM structure_territories WHERE structure_id = ?1 "
					  "AND origine IS NOT NULL",
			    id, confirm ? "territories confirm" : "territories drop", &changed);
		if (rc) {
			rc = cmd_fail(&cmd_territories, QFQ_EXIT_FAIL);
		} else if (!changed) {
			fprintf(stderr, _("qfq territories: structure %lld has no deduced territory\n"), (long long)id);
			rc = QFQ_EXIT_NONE;
		} else {
			fprintf(ctx->out, confirm ? _("%d territories confirmed\n") : _("%d territories dropped\n"),
				changed);
		}
	} else if (list(db, ctx->out, f, deduced, &n)) {
		rc = cmd_fail(&cmd_territories, QFQ_EXIT_FAIL);
	} else {
		rc = n ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
	}
	db_close(db);
	return rc;
}

const struct cmd cmd_territories = {
	.name = "territories",
	.summary = N_("the territories structures serve, stated or deduced by an import"),
	.usage = N_("territories [--deduced] [--format table|tsv|csv|json]\n"
		    "territories --confirm ID | --drop ID"),
	.help = N_("Lists each structure's territories (commune, EPCI, département, région) and\n"
		   "where each comes from: stated (a roster's zone column, or confirmed), or\n"
		   "deduced by an import from the structure's name, its commune or its meeting.\n\n"
		   "  --deduced       only the deduced ones, to review\n"
		   "  --confirm ID    keep structure ID's deduced territories as stated\n"
		   "  --drop ID       remove structure ID's deduced territories\n"
		   "  --format FMT    table, tsv, csv or json\n\n"
		   "Exit status: 0 listed or changed, 1 nothing to list or change."),
	.exec = territories_exec,
};
