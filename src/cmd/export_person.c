/*
 * export_person: `qfq export person ID`, the right of access: everything
 * the directory holds about one person, as JSON — the record, memberships,
 * competences, meetings attended, merge proposals, how many referrals name
 * them, and every value about them in the history.
 */
#include "cmd/cmd.h"
#include "cmd/entity.h"
#include "db/history.h"
#include "out/json.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <string.h>

/* Writes the rows of sql (?1 = id) as an array of objects keyed by the column names. */
static int rows(struct json_writer *jw, sqlite3 *db, const char *key, const char *sql, sqlite3_int64 id)
{
	sqlite3_stmt *st;
	int rc, i;
	if (db_prepare(db, sql, &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	json_key(jw, key);
	json_array_begin(jw);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_object_begin(jw);
		for (i = 0; i < sqlite3_column_count(st); i++) {
			json_key(jw, sqlite3_column_name(st, i));
			switch (sqlite3_column_type(st, i)) {
			case SQLITE_NULL: json_null(jw); break;
			case SQLITE_INTEGER: json_int(jw, sqlite3_column_int64(st, i)); break;
			case SQLITE_FLOAT: json_double(jw, sqlite3_column_double(st, i), 6); break;
			default: json_str(jw, (const char *)sqlite3_column_text(st, i)); break;
			}
		}
		json_object_end(jw);
	}
	json_array_end(jw);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "export");
}

/* Writes the side of a recorded row as an object {column: value as text}. */
static int side_value(const struct history_value *o, const struct history_value *n, void *arg)
{
	struct json_writer *jw = arg;
	const struct history_value *v = o ? o : n;
	struct strbuf key = STRBUF_INIT, text = STRBUF_INIT;
	strbuf_add(&key, v->col, v->col_len);
	json_key(jw, key.buf);
	if (v->type == SQLITE_NULL) {
		json_null(jw);
	} else {
		history_value_text(v, &text);
		json_str(jw, text.buf);
	}
	strbuf_release(&key);
	strbuf_release(&text);
	return 0;
}

/* "historique": every recorded change to the person, each row with its columns before and after. */
static int history(struct json_writer *jw, sqlite3 *db, sqlite3_int64 id)
{
	static const char *const names[] = { "changement", "date", "commande", "table", "action" };
	sqlite3_stmt *st;
	int rc, i, side;
	if (db_prepare(db, "SELECT c.id, c.at, c.command, r.tbl, r.op, r.old, r.new FROM change_rows r "
			   "JOIN change_sets c ON c.id = r.change_id WHERE r.person_id = ?1 ORDER BY c.id, r.seq", &st))
		return -1;
	sqlite3_bind_int64(st, 1, id);
	json_key(jw, "historique");
	json_array_begin(jw);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_object_begin(jw);
		for (i = 0; i < 5; i++) {
			json_key(jw, names[i]);
			if (i == 0)
				json_int(jw, sqlite3_column_int64(st, 0));
			else
				json_str(jw, (const char *)sqlite3_column_text(st, i));
		}
		for (side = 0; side < 2; side++) {
			json_key(jw, side ? "apres" : "avant");
			json_object_begin(jw);
			if (side == 0)
				history_columns(sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5), NULL, 0,
						side_value, jw);
			else
				history_columns(NULL, 0, sqlite3_column_blob(st, 6), (size_t)sqlite3_column_bytes(st, 6),
						side_value, jw);
			json_object_end(jw);
		}
		json_object_end(jw);
	}
	json_array_end(jw);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(db, "export");
}

int cmd_export_person(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct {
		const char *key, *sql;
	} parts[] = {
		{ "personne", "SELECT id, nom, prenom, courriels, telephones, created_at, updated_at FROM persons WHERE id = ?1" },
		{ "structures", "SELECT s.id, s.nom, m.role, m.debut, m.fin FROM memberships m "
				"JOIN structures s ON s.id = m.structure_id WHERE m.person_id = ?1 ORDER BY s.nom" },
		{ "competences", "SELECT t.label AS theme, pt.referent FROM person_themes pt JOIN themes t ON t.id = pt.theme_id "
				 "WHERE pt.person_id = ?1 ORDER BY t.label" },
		{ "reunions", "SELECT e.titre, e.date, a.presence, s.nom AS structure FROM attendance a "
			      "JOIN events e ON e.id = a.event_id LEFT JOIN structures s ON s.id = a.structure_id "
			      "WHERE a.person_id = ?1 ORDER BY e.date" },
		{ "propositions_de_fusion", "SELECT a_id, b_id, reason, state FROM merge_proposals "
					    "WHERE kind = 'person' AND (a_id = ?1 OR b_id = ?1)" },
		{ "orientations", "SELECT (SELECT count(*) FROM referrals WHERE from_person_id = ?1) AS envoyees, "
				  "(SELECT count(*) FROM referrals WHERE to_person_id = ?1) AS recues" },
	};
	struct json_writer jw;
	sqlite3_int64 id;
	bool person;
	sqlite3 *db;
	size_t i;
	int rc;

	if (argc != 2)
		return cmd_usage_error(&cmd_export, _("export person ID"));
	if ((rc = cmd_parse_record(&cmd_export, argv[0], argv[1], &person, &id)))
		return rc;
	if ((rc = cmd_open_db(&cmd_export, ctx, DB_READ, &db)))
		return rc;
	{
		sqlite3_stmt *st;
		bool found = false;
		if (db_prepare(db, "SELECT 1 FROM persons WHERE id = ?1", &st) == 0) {
			sqlite3_bind_int64(st, 1, id);
			found = sqlite3_step(st) == SQLITE_ROW;
			sqlite3_finalize(st);
		}
		if (!found) {
			fprintf(stderr, _("qfq export: no person with id %lld\n"), (long long)id);
			db_close(db);
			return QFQ_EXIT_NONE;
		}
	}
	json_init(&jw, ctx->out, true);
	json_object_begin(&jw);
	for (i = 0; i <= sizeof(parts) / sizeof(*parts); i++)
		if (i < sizeof(parts) / sizeof(*parts) ? rows(&jw, db, parts[i].key, parts[i].sql, id)
						       : history(&jw, db, id)) {
			db_close(db);
			return cmd_fail(&cmd_export, QFQ_EXIT_FAIL);
		}
	json_object_end(&jw);
	rc = json_finish(&jw) ? cmd_fail(&cmd_export, QFQ_EXIT_FAIL) : QFQ_EXIT_OK;
	db_close(db);
	return rc;
}
