/*
 * merge: the duplicates desk.
 *   qfq merge --list [--all] [--format F]  near matches found by imports
 *   qfq merge KEEP OTHER                    merge OTHER into KEEP
 *   qfq merge --reject A B                  not duplicates: never proposed again
 * Ids are structure ids; person ids are written with a "p" prefix (p12)
 * or the --person flag is given. Each action is one transaction.
 */
#include "cmd/cmd.h"
#include "db/merge.h"
#include "out/json.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* A proposal's state for people, in their language (the data keeps open, merged, rejected). */
static const char *state_word(const char *state)
{
	if (!state)
		return "";
	if (!strcmp(state, "open"))
		return _("open");
	if (!strcmp(state, "merged"))
		return _("merged");
	if (!strcmp(state, "rejected"))
		return _("rejected");
	return state;
}

static int list(struct cmd_ctx *ctx, enum out_format f, bool all)
{
	static const char sql[] =
		"SELECT m.kind, m.a_id, m.b_id, m.reason, m.state, "
		"CASE m.kind WHEN 'structure' THEN (SELECT nom FROM structures WHERE id = m.a_id) "
		"ELSE (SELECT trim(nom || ' ' || ifnull(prenom, '')) FROM persons WHERE id = m.a_id) END, "
		"CASE m.kind WHEN 'structure' THEN (SELECT nom FROM structures WHERE id = m.b_id) "
		"ELSE (SELECT trim(nom || ' ' || ifnull(prenom, '')) FROM persons WHERE id = m.b_id) END "
		"FROM merge_proposals m WHERE ?1 OR m.state = 'open' ORDER BY m.kind DESC, m.a_id, m.b_id";
	static const char *const keys[] = { "kind", "a", "a_nom", "b", "b_nom", "reason", "state" };
	const char *human[] = { _("Genre"), _("A"), _("Nom A"), _("B"), _("Nom B"), _("Pourquoi"), _("État") };
	struct out_table *t = NULL;
	struct json_writer jw;
	sqlite3_stmt *st = NULL;
	sqlite3 *db;
	size_t n = 0;
	int rc;

	if ((rc = cmd_open_db(&cmd_merge, ctx, DB_READ, &db)))
		return rc;
	if (db_prepare(db, sql, &st)) {
		rc = cmd_fail(&cmd_merge, QFQ_EXIT_FAIL);
		goto done;
	}
	sqlite3_bind_int(st, 1, all);
	if (f == OUT_JSON) {
		json_init(&jw, ctx->out, true);
		json_array_begin(&jw);
	} else {
		t = out_table_new(7, f == OUT_TABLE ? human : keys);
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		bool person = !strcmp(kind, "person");
		char a[32], b[32];
		snprintf(a, sizeof(a), "%s%lld", person ? "p" : "", (long long)sqlite3_column_int64(st, 1));
		snprintf(b, sizeof(b), "%s%lld", person ? "p" : "", (long long)sqlite3_column_int64(st, 2));
		n++;
		if (f == OUT_JSON) {
			json_object_begin(&jw);
			json_kv_str(&jw, "kind", kind);
			json_key(&jw, "a");
			json_int(&jw, sqlite3_column_int64(st, 1));
			json_kv_str(&jw, "a_nom", (const char *)sqlite3_column_text(st, 5));
			json_key(&jw, "b");
			json_int(&jw, sqlite3_column_int64(st, 2));
			json_kv_str(&jw, "b_nom", (const char *)sqlite3_column_text(st, 6));
			json_kv_str(&jw, "reason", (const char *)sqlite3_column_text(st, 3));
			json_kv_str(&jw, "state", (const char *)sqlite3_column_text(st, 4));
			json_object_end(&jw);
		} else {
			const char *reason = (const char *)sqlite3_column_text(st, 3);
			const char *cells[7] = { f == OUT_TABLE ? (person ? _("personne") : _("structure")) : kind,
						 a, (const char *)sqlite3_column_text(st, 5), b,
						 (const char *)sqlite3_column_text(st, 6),
						 reason && f == OUT_TABLE ? _(reason) : reason,
						 f == OUT_TABLE ? state_word((const char *)sqlite3_column_text(st, 4))
								: (const char *)sqlite3_column_text(st, 4) };
			out_table_add(t, cells);
		}
	}
	if (f == OUT_JSON) {
		json_array_end(&jw);
		json_finish(&jw);
	} else if (n) {
		out_table_write(t, f, ctx->out, out_term_width(ctx->out), 0);
	}
	if (!n && f != OUT_JSON)
		fprintf(stderr, _("qfq merge: no proposals%s\n"), all ? "" : _(" open"));
	if (n && f == OUT_TABLE)
		fprintf(stderr, _("merge with `qfq merge KEEP OTHER`, or keep both with `qfq merge --reject A B`\n"));
	rc = n ? QFQ_EXIT_OK : QFQ_EXIT_NONE;
done:
	out_table_free(t);
	sqlite3_finalize(st);
	db_close(db);
	return rc;
}

/* "12" or "p12": the id and whether a 'p' marked it as a person. */
static int parse_id(const char *s, sqlite3_int64 *id, bool *person)
{
	*person = s[0] == 'p' || s[0] == 'P';
	if (s[0] == 's' || s[0] == 'S' || *person)
		s++;
	return cmd_id_read(s, id) ? -1 : 0;
}

static int act(struct cmd_ctx *ctx, bool reject, bool person_flag, const char *x, const char *y)
{
	sqlite3_int64 a, b;
	bool pa, pb, person;
	sqlite3 *db;
	int rc;

	if (parse_id(x, &a, &pa) || parse_id(y, &b, &pb))
		return cmd_usage_error(&cmd_merge, _("ids are numbers (structures) or p-numbers (persons): "
						     "\"%s\" \"%s\""), x, y);
	if (pa != pb)
		return cmd_usage_error(&cmd_merge, _("cannot merge a person with a structure"));
	person = pa || person_flag;
	if ((rc = cmd_open_db(&cmd_merge, ctx, DB_WRITE, &db)))
		return rc;
	if (db_begin(db)) {
		rc = cmd_fail(&cmd_merge, QFQ_EXIT_FAIL);
		goto done;
	}
	if (reject)
		rc = merge_reject(db, person ? MERGE_PERSON : MERGE_STRUCTURE, a, b);
	else
		rc = person ? merge_persons(db, a, b) : merge_structures(db, a, b);
	if (rc || db_commit(db)) {
		db_rollback(db);
		/* an unknown id is a usage problem, not a failure of the store */
		rc = cmd_fail(&cmd_merge, strstr(qfq_error_msg(), "no ") == qfq_error_msg() ||
						  strstr(qfq_error_msg(), "itself") || strstr(qfq_error_msg(), "themself") ||
						  strstr(qfq_error_msg(), "no duplicate")
					  ? QFQ_EXIT_USAGE : QFQ_EXIT_FAIL);
		goto done;
	}
	if (reject)
		fprintf(ctx->out, _("%s %s%lld and %s%lld: kept apart, never proposed again\n"),
			person ? _("persons") : _("structures"), person ? "p" : "", (long long)a,
			person ? "p" : "", (long long)b);
	else
		fprintf(ctx->out, _("%s %s%lld merged into %s%lld\n"), person ? _("person") : _("structure"),
			person ? "p" : "", (long long)b, person ? "p" : "", (long long)a);
	rc = QFQ_EXIT_OK;
done:
	db_close(db);
	return rc;
}

static int merge_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "list", no_argument, NULL, 'l' },
		{ "all", no_argument, NULL, 'a' },
		{ "reject", no_argument, NULL, 'r' },
		{ "person", no_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	enum out_format f = OUT_TABLE;
	bool do_list = false, all = false, reject = false, person = false;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_merge, argc, argv, "larpf:", opts, NULL)) != -1) {
		switch (opt) {
		case 'l': do_list = true; break;
		case 'a': all = true; do_list = true; break;
		case 'r': reject = true; break;
		case 'p': person = true; break;
		case 'f': if ((rc = cmd_parse_format(&cmd_merge, optarg, &f))) return rc; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (do_list) {
		if (optind < argc || reject)
			return cmd_usage_error(&cmd_merge, _("--list takes no ids"));
		return list(ctx, f, all);
	}
	if (argc - optind != 2)
		return cmd_usage_error(&cmd_merge, _("give two ids: KEEP OTHER (or --reject A B, or --list)"));
	return act(ctx, reject, person, argv[optind], argv[optind + 1]);
}

const struct cmd cmd_merge = {
	.name = "merge",
	.summary = N_("list, merge or reject near-duplicate structures and persons"),
	.usage = N_("merge --list [--all] [--format table|tsv|csv|json]\n"
		    "merge [--person] KEEP OTHER\n"
		    "merge [--person] --reject A B"),
	.help = N_("Imports never merge near matches silently (\"CAPLAB\" / \"CAPLAB Privas\", \"MSA ADL\" /\n"
		   "\"MSA Ardèche Drôme Loire\"): they record proposals, listed by --list.\n\n"
		   "  --list          the open proposals (ids of persons are shown as p12)\n"
		   "  --all           with --list: rejected and merged ones too\n"
		   "  --format FMT    table, tsv, csv or json\n"
		   "  --reject        A and B are different: never propose them again\n"
		   "  --person        the ids are persons (same as writing p12)\n\n"
		   "KEEP OTHER moves everything of OTHER to KEEP (members, attendance, themes,\n"
		   "territories, referrals, permanences, aliases), fills KEEP's empty fields,\n"
		   "remembers OTHER's name as an alias of KEEP so the next import maps it, and\n"
		   "deletes OTHER; for persons, emails and phones are joined. One transaction.\n\n"
		   "Exit status: 0 done, 1 no proposals, 2 bad usage or unknown id."),
	.exec = merge_exec,
};
