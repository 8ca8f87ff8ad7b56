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
#include "db/records.h"
#include "db/review.h"
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

/*
 * Names both records into names[0..2): 0, or an exit status after saying
 * which id is unknown (and where it went when it was merged already).
 */
static int name_both(sqlite3 *db, bool person, const sqlite3_int64 *ids, struct strbuf *names)
{
	enum record_kind kind = person ? RECORD_PERSON : RECORD_STRUCTURE;
	int k;
	for (k = 0; k < 2; k++) {
		sqlite3_int64 into;
		struct strbuf target = STRBUF_INIT;
		int rc = record_name(db, kind, ids[k], &names[k]);
		if (rc < 0)
			return cmd_fail(&cmd_merge, QFQ_EXIT_FAIL);
		if (rc)
			continue;
		if (record_merged_into(db, kind, ids[k], &into) == 1 && record_name(db, kind, into, &target) == 1) {
			struct strbuf safe = STRBUF_INIT;
			fprintf(stderr, _("qfq merge: %s %lld was already merged into « %s » (%lld)\n"),
				person ? _("person") : _("structure"), (long long)ids[k], cmd_safe(&safe, target.buf),
				(long long)into);
			strbuf_release(&safe);
		}
		else
			fprintf(stderr, _("qfq merge: no %s with id %lld\n"), person ? _("person") : _("structure"),
				(long long)ids[k]);
		strbuf_release(&target);
		return QFQ_EXIT_USAGE;
	}
	return 0;
}

static int act(struct cmd_ctx *ctx, bool reject, bool person_flag, const char *x, const char *y)
{
	struct strbuf names[2] = { STRBUF_INIT, STRBUF_INIT };
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
	{
		sqlite3_int64 ids[2] = { a, b };
		if ((rc = name_both(db, person, ids, names)))
			goto done;
	}
	/* one transaction, one change set naming both records (db/review.h) */
	rc = reject ? review_reject(db, person, a, b) : review_merge(db, person, a, b);
	if (rc) {
		/* an unknown id is a usage problem, not a failure of the store */
		rc = cmd_fail(&cmd_merge, strstr(qfq_error_msg(), "itself") || strstr(qfq_error_msg(), "themself") ||
						  strstr(qfq_error_msg(), "no duplicate")
					  ? QFQ_EXIT_USAGE : QFQ_EXIT_FAIL);
		goto done;
	}
	if (reject)
		fprintf(ctx->out, _("%s %s%lld and %s%lld: kept apart, never proposed again\n"),
			person ? _("persons") : _("structures"), person ? "p" : "", (long long)a,
			person ? "p" : "", (long long)b);
	else {
		struct strbuf s1 = STRBUF_INIT, s0 = STRBUF_INIT;
		fprintf(ctx->out, _("« %s » (%s%lld) merged into « %s » (%s%lld)\n"), cmd_safe(&s1, names[1].buf),
			person ? "p" : "", (long long)b, cmd_safe(&s0, names[0].buf), person ? "p" : "", (long long)a);
		strbuf_release(&s1);
		strbuf_release(&s0);
	}
	rc = QFQ_EXIT_OK;
done:
	strbuf_release(&names[0]);
	strbuf_release(&names[1]);
	db_close(db);
	return rc;
}

/* --rule NAME [--yes]: the count first, then the merges in one change set. */
static int by_rule(struct cmd_ctx *ctx, const char *name, bool yes)
{
	enum review_rule r;
	sqlite3 *db;
	long n = 0, merged = 0;
	int rc, i;

	if (review_rule_parse(name, &r)) {
		struct strbuf all = STRBUF_INIT;
		for (i = 0; i < RULE_COUNT; i++)
			strbuf_addf(&all, "%s%s", i ? ", " : "", review_rule_name((enum review_rule)i));
		rc = cmd_usage_error(&cmd_merge, _("unknown rule \"%s\" (rules: %s)"), name, all.buf);
		strbuf_release(&all);
		return rc;
	}
	if ((rc = cmd_open_db(&cmd_merge, ctx, DB_WRITE, &db)))
		return rc;
	if (review_rule_count(db, r, &n)) {
		rc = cmd_fail(&cmd_merge, QFQ_EXIT_FAIL);
		goto done;
	}
	fprintf(ctx->out, _("%s: %ld proposal(s)\n"), review_rule_label(r), n);
	if (!n) {
		rc = QFQ_EXIT_NONE;
		goto done;
	}
	if (!yes) {
		fprintf(stderr, _("merge them all with `qfq merge --rule %s --yes` (one change set: `qfq undo` reverts it)\n"),
			review_rule_name(r));
		rc = QFQ_EXIT_OK;
		goto done;
	}
	if (review_rule_accept(db, r, &merged)) {
		rc = cmd_fail(&cmd_merge, QFQ_EXIT_FAIL);
		goto done;
	}
	fprintf(ctx->out, _("%ld merge(s) done\n"), merged);
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
		{ "rule", required_argument, NULL, 'R' },
		{ "yes", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 },
	};
	enum out_format f = OUT_TABLE;
	const char *rule = NULL;
	bool do_list = false, all = false, reject = false, person = false, yes = false;
	int opt, rc;

	while ((opt = cmd_getopt(&cmd_merge, argc, argv, "larpf:", opts, NULL)) != -1) {
		switch (opt) {
		case 'l': do_list = true; break;
		case 'a': all = true; do_list = true; break;
		case 'r': reject = true; break;
		case 'p': person = true; break;
		case 'f': if ((rc = cmd_parse_format(&cmd_merge, optarg, &f))) return rc; break;
		case 'R': rule = optarg; break;
		case 'y': yes = true; break;
		default: return cmd_opt_exit(opt);
		}
	}
	if (rule) {
		if (optind < argc || do_list || reject)
			return cmd_usage_error(&cmd_merge, _("--rule takes no ids"));
		return by_rule(ctx, rule, yes);
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
		    "merge [--person] --reject A B\n"
		    "merge --rule same-name-commune|same-name|near-name-commune [--yes]"),
	.help = N_("Imports never merge near matches silently (\"CAPLAB\" / \"CAPLAB Privas\", \"MSA ADL\" /\n"
		   "\"MSA Ardèche Drôme Loire\"): they record proposals, listed by --list.\n\n"
		   "  --list          the open proposals (ids of persons are shown as p12)\n"
		   "  --all           with --list: rejected and merged ones too\n"
		   "  --format FMT    table, tsv, csv or json\n"
		   "  --reject        A and B are different: never propose them again\n"
		   "  --person        the ids are persons (same as writing p12)\n"
		   "  --rule RULE     accept in bulk the open proposals of a rule: same-name-commune\n"
		   "                  (same name, same commune), same-name, or near-name-commune (near\n"
		   "                  names, same commune); shows the count, merges only with --yes\n"
		   "                  (the smaller id is kept; one change set)\n"
		   "  --yes           with --rule: do the merges\n\n"
		   "KEEP OTHER moves everything of OTHER to KEEP (members, attendance, themes,\n"
		   "territories, referrals, permanences, aliases), fills KEEP's empty fields,\n"
		   "remembers OTHER's name as an alias of KEEP so the next import maps it, and\n"
		   "deletes OTHER; for persons, emails and phones are joined. One transaction.\n\n"
		   "Exit status: 0 done, 1 no proposals, 2 bad usage or unknown id."),
	.exec = merge_exec,
};
