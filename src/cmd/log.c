/*
 * log: `qfq log`, the history of the directory (db/history.h).
 *   qfq log                          the latest change sets, newest first
 *   qfq log CHANGE                   what one change set did, field by field
 *   qfq log structure|person ID      every change to one record, field by field
 */
#include "cmd/cmd.h"
#include "db/history.h"
#include "util/strbuf.h"
#include "util/i18n.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char list_sql[] =
	"SELECT c.id, c.at, ifnull(c.summary, c.command), "
	"(SELECT count(*) FROM change_rows r WHERE r.change_id = c.id) + ifnull(c.bulk_last - c.bulk_after, 0), "
	"c.undoes, c.undone_by, c.undoable, c.command "
	"FROM change_sets c ORDER BY c.id DESC LIMIT ?1";

/*
 * Rows of the detailed view: ?1 selects which (kind), ?2 the id. A bulk
 * import's structures are one row (op "bulk"): their range, or the one asked
 * for, and their number in "new".
 */
static const char detail_sql[] =
	"SELECT c.id, c.at, r.tbl, r.key, r.op, r.old, r.new, r.seq AS o "
	"FROM change_rows r JOIN change_sets c ON c.id = r.change_id "
	"WHERE CASE ?1 WHEN 0 THEN r.change_id = ?2 WHEN 1 THEN r.structure_id = ?2 ELSE r.person_id = ?2 END "
	"UNION ALL SELECT c.id, c.at, 'structures', "
	"CASE ?1 WHEN 1 THEN ?2 ELSE (c.bulk_after + 1) || '-' || c.bulk_last END, 'bulk', NULL, "
	"CASE ?1 WHEN 1 THEN 1 ELSE c.bulk_last - c.bulk_after END, 0 FROM change_sets c "
	"WHERE c.bulk_last IS NOT NULL AND CASE ?1 WHEN 0 THEN c.id = ?2 "
	"WHEN 1 THEN ?2 > c.bulk_after AND ?2 <= c.bulk_last ELSE 0 END "
	"ORDER BY 1 DESC, o";

/* The row being shown, for add_column(). */
struct detail_row {
	struct out_table *t;
	const char *cells[8];
	size_t *n;
};

/* One column of a recorded row: a line of the table (keys and derived keys left out). */
static int add_column(const struct history_value *o, const struct history_value *n, void *arg)
{
	static const char *const hidden[] = { "created_at", "updated_at", "nom_norm", "name_key" };
	struct detail_row *d = arg;
	const struct history_value *v = o ? o : n;
	struct strbuf col = STRBUF_INIT, a = STRBUF_INIT, b = STRBUF_INIT;
	size_t i;
	strbuf_add(&col, v->col, v->col_len);
	for (i = 0; i < sizeof(hidden) / sizeof(*hidden); i++)
		if (!strcmp(col.buf, hidden[i]))
			goto done;
	if (o)
		history_value_text(o, &a);
	if (n)
		history_value_text(n, &b);
	if (o && n && !strcmp(a.buf, b.buf) && o->type == n->type)
		goto done; /* the key of an update */
	d->cells[5] = col.buf;
	d->cells[6] = a.buf;
	d->cells[7] = b.buf;
	out_table_add(d->t, d->cells);
	(*d->n)++;
done:
	strbuf_release(&col);
	strbuf_release(&a);
	strbuf_release(&b);
	return 0;
}

static const char *op_fr(const char *op)
{
	return !strcmp(op, "insert")   ? _("ajout")
	       : !strcmp(op, "bulk")   ? _("ajout en bloc")
	       : !strcmp(op, "delete") ? _("suppression")
				       : _("modification");
}

/* The line of a bulk import's structures: how many, their values being the directory's own. */
static void add_bulk(struct detail_row *d, sqlite3_int64 count)
{
	struct strbuf what = STRBUF_INIT;
	if (count == 1)
		strbuf_addstr(&what, _("créée par cet import (ses valeurs : sa fiche)"));
	else
		strbuf_addf(&what, _("%lld structures créées par cet import (leurs valeurs : leurs fiches)"),
			    (long long)count);
	d->cells[5] = "";
	d->cells[6] = "";
	d->cells[7] = what.buf;
	out_table_add(d->t, d->cells);
	(*d->n)++;
	strbuf_release(&what);
}

/* Writes the table t of n rows (nothing when empty, saying so); the exit status. */
static int finish(struct cmd_ctx *ctx, struct out_table *t, enum out_format f, size_t n, const char *none)
{
	int rc = n ? out_table_write(t, f, ctx->out, out_term_width(ctx->out), 0) : 0;
	out_table_free(t);
	if (rc)
		return cmd_fail(&cmd_log, QFQ_EXIT_FAIL);
	if (!n)
		fprintf(stderr, "%s", none);
	return n ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
}

static int list(struct cmd_ctx *ctx, sqlite3 *db, enum out_format f, long limit)
{
	const char *human[] = { _("N°"), _("Date"), _("Changement"), _("Lignes"), _("État") };
	static const char *const keys[] = { "id", "at", "summary", "rows", "state" };
	struct out_table *t = out_table_new(5, f == OUT_TABLE ? human : keys);
	sqlite3_stmt *st;
	size_t n = 0;

	if (db_prepare(db, list_sql, &st)) {
		out_table_free(t);
		return cmd_fail(&cmd_log, QFQ_EXIT_FAIL);
	}
	sqlite3_bind_int64(st, 1, limit);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char id[24], rows[24], state[96] = "";
		const char *cells[5];
		snprintf(id, sizeof(id), "%lld", (long long)sqlite3_column_int64(st, 0));
		snprintf(rows, sizeof(rows), "%lld", (long long)sqlite3_column_int64(st, 3));
		if (sqlite3_column_type(st, 5) != SQLITE_NULL)
			snprintf(state, sizeof(state), _("annulé par %lld"), (long long)sqlite3_column_int64(st, 5));
		else if (sqlite3_column_type(st, 4) != SQLITE_NULL)
			snprintf(state, sizeof(state), _("annule %lld"), (long long)sqlite3_column_int64(st, 4));
		else if (!sqlite3_column_int(st, 6))
			snprintf(state, sizeof(state), "%s", _("sans retour"));
		cells[0] = id;
		cells[1] = (const char *)sqlite3_column_text(st, 1);
		cells[2] = (const char *)sqlite3_column_text(st, 2);
		cells[3] = rows;
		cells[4] = state;
		out_table_add(t, cells);
		n++;
	}
	sqlite3_finalize(st);
	return finish(ctx, t, f, n, _("qfq log: no change recorded yet\n"));
}

static int detail(struct cmd_ctx *ctx, sqlite3 *db, enum out_format f, int kind, sqlite3_int64 id)
{
	const char *human[] = { _("N°"), _("Date"), _("Table"), _("Ligne"), _("Action"), _("Champ"), _("Avant"),
				_("Après") };
	static const char *const keys[] = { "id", "at", "table", "key", "op", "field", "old", "new" };
	struct out_table *t = out_table_new(8, f == OUT_TABLE ? human : keys);
	sqlite3_stmt *st;
	size_t n = 0;

	if (db_prepare(db, detail_sql, &st)) {
		out_table_free(t);
		return cmd_fail(&cmd_log, QFQ_EXIT_FAIL);
	}
	sqlite3_bind_int(st, 1, kind);
	sqlite3_bind_int64(st, 2, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char cid[24];
		const char *op = (const char *)sqlite3_column_text(st, 4);
		struct detail_row d = { t, { NULL }, &n };
		int i;
		snprintf(cid, sizeof(cid), "%lld", (long long)sqlite3_column_int64(st, 0));
		d.cells[0] = cid;
		for (i = 1; i < 4; i++)
			d.cells[i] = (const char *)sqlite3_column_text(st, i);
		d.cells[4] = f == OUT_TABLE ? op_fr(op) : op;
		if (!strcmp(op, "bulk")) {
			add_bulk(&d, sqlite3_column_int64(st, 6));
			continue;
		}
		if (history_columns(sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5),
				    sqlite3_column_blob(st, 6), (size_t)sqlite3_column_bytes(st, 6), add_column, &d) < 0) {
			sqlite3_finalize(st);
			out_table_free(t);
			fprintf(stderr, _("qfq log: change %s is damaged\n"), cid);
			return QFQ_EXIT_FAIL;
		}
	}
	sqlite3_finalize(st);
	return finish(ctx, t, f, n, _("qfq log: no recorded change about it\n"));
}

static int parse_id(const char *s, sqlite3_int64 *id)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < 1)
		return -1;
	*id = v;
	return 0;
}

static int log_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	enum out_format f = OUT_TABLE;
	long limit = 50;
	sqlite3_int64 id = 0;
	int opt, rc, kind = -1;
	sqlite3 *db;

	while ((opt = cmd_getopt(&cmd_log, argc, argv, "f:n:", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': if ((rc = cmd_parse_format(&cmd_log, optarg, &f))) return rc; break;
		case 'n': if ((rc = cmd_parse_count(&cmd_log, "--limit", optarg, &limit))) return rc; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (f == OUT_JSON)
		return cmd_usage_error(&cmd_log, _("--format: table, tsv or csv"));
	if (argc - optind == 1) {
		kind = 0;
		if (parse_id(argv[optind], &id))
			return cmd_usage_error(&cmd_log, _("a change number, not \"%s\""), argv[optind]);
	} else if (argc - optind == 2) {
		kind = !strcmp(argv[optind], "structure") ? 1 : !strcmp(argv[optind], "person") ? 2 : -2;
		if (kind < 0)
			return cmd_usage_error(&cmd_log, _("structure or person, not \"%s\""), argv[optind]);
		if (parse_id(argv[optind + 1], &id))
			return cmd_usage_error(&cmd_log, _("an id, not \"%s\""), argv[optind + 1]);
	} else if (argc - optind > 2) {
		return cmd_usage_error(&cmd_log, _("unexpected argument \"%s\""), argv[optind + 2]);
	}
	if ((rc = cmd_open_db(&cmd_log, ctx, DB_READ, &db)))
		return rc;
	rc = kind < 0 ? list(ctx, db, f, limit) : detail(ctx, db, f, kind, id);
	db_close(db);
	return rc;
}

const struct cmd cmd_log = {
	.name = "log",
	.summary = N_("the history of changes: imports, edits, merges, erasures, undos"),
	.usage = N_("log [--limit N] [--format table|tsv|csv]\n"
		    "log CHANGE\n"
		    "log structure|person ID"),
	.help = N_("Every change to the directory is recorded as one change set: its number,\n"
		   "time, command and, for each row it touched, the values before and after.\n\n"
		   "  CHANGE          what change set CHANGE did, field by field\n"
		   "  structure ID    every recorded change to structure ID (and its themes,\n"
		   "                  territories, aliases, members)\n"
		   "  person ID       every recorded change to person ID\n"
		   "  --limit N       the N latest change sets (50)\n"
		   "  --format FMT    table, tsv or csv\n\n"
		   "Revert a change set with `qfq undo CHANGE`.\n\n"
		   "Exit status: 0 shown, 1 nothing recorded, 2 bad usage."),
	.exec = log_exec,
};
