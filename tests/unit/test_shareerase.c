/*
 * test_shareerase: a changeset about an erased person, scrubbed as an apply
 * receives it (db/shareerase.h): the person's row and their membership
 * dropped, a referral kept without its pointer to them, the other rows
 * untouched; a changeset that does not name them is left alone. A free
 * text loses an erased person's mentions as erase.c's SQL removes them.
 */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "db/changeset.h"
#include "db/shareerase.h"
#include "tap.h"

#include <string.h>

static const unsigned char erased[16] = "EEEEEEEEEEEEEEE", other[16] = "PPPPPPPPPPPPPPP",
			   place[16] = "SSSSSSSSSSSSSSS", link[16] = "MMMMMMMMMMMMMMM", ref[16] = "RRRRRRRRRRRRRRR";

/* An insert of ncol columns into table, values given as blobs (gids) or text. */
static void insert(struct strbuf *out, struct cslast *last, const char *table, int ncol, const void *const *gids,
		   const char *text)
{
	struct csrow r;
	int i;
	memset(&r, 0, sizeof(r));
	r.table = table;
	r.ncol = ncol;
	r.op = SQLITE_INSERT;
	r.pk[0] = 1;
	for (i = 0; i < ncol; i++) {
		if (gids[i])
			csval_blob(&r.new[i], gids[i], 16);
		else if (text) {
			r.new[i].type = SQLITE_TEXT;
			r.new[i].p = text;
			r.new[i].n = (int)strlen(text);
		} else
			csval_null(&r.new[i]);
	}
	csrow_write(out, &r, last);
}

int main(void)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT, none = STRBUF_INIT;
	struct cslast last = { "" };
	const void *person[3] = { erased, NULL, NULL }, *member[3] = { link, erased, place },
		   *referral[4] = { ref, erased, place, NULL }, *someone[3] = { other, NULL, NULL };
	sqlite3_changeset_iter *it;
	struct csrow r;
	long dropped = 0;
	int rows = 0, nulled = 0, kept_other = 0;

	insert(&in, &last, "persons", 3, person, "Zyxwvut");
	insert(&in, &last, "persons", 3, someone, "Autre");
	insert(&in, &last, "memberships", 3, member, NULL);
	insert(&in, &last, "referrals", 4, referral, NULL);
	is_int(share_scrub_changeset(in.buf, (int)in.len, other + 0, 0, &out, &dropped), 0, "no gid: nothing to do");
	is_int(share_scrub_changeset(in.buf, (int)in.len, (const unsigned char *)"QQQQQQQQQQQQQQQ", 1, &none, &dropped),
	       0, "a gid the changeset does not hold: nothing to do");
	is_int(share_scrub_changeset(in.buf, (int)in.len, erased, 1, &out, &dropped), 1, "the erased person's gid: rewritten");
	is_int(dropped, 2, "their row and their membership dropped");
	ok(!memmem(out.buf, out.len, "Zyxwvut", 7), "their name is gone");
	ok(!memmem(out.buf, out.len, erased, 16), "their gid is gone");
	ok(sqlite3changeset_start(&it, (int)out.len, out.buf) == SQLITE_OK, "the result is a changeset");
	while (sqlite3changeset_next(it) == SQLITE_ROW && !csrow_read(it, &r)) {
		rows++;
		if (!strcmp(r.table, "referrals") && r.new[1].type == SQLITE_NULL && r.new[2].type == SQLITE_BLOB)
			nulled++;
		if (!strcmp(r.table, "persons") && r.new[0].type == SQLITE_BLOB && !memcmp(r.new[0].p, other, 16))
			kept_other++;
	}
	sqlite3changeset_finalize(it);
	is_int(rows, 2, "two rows left");
	is_int(nulled, 1, "the referral stays, its pointer to the person NULL, its place kept");
	is_int(kept_other, 1, "the other person stays");

	{
		const char *const m[] = { "Zoé Vernet", "06 11 22 33 44" }, *const only[] = { "Zoé Vernet" };
		struct strbuf t = STRBUF_INIT;
		const char *text = "Zoé Vernet, le mardi | Zoé Vernet au 06 11 22 33 44";
		is_int(share_scrub_text(text, strlen(text), m, 2, &t), 1, "a text naming them: changed");
		/* replace(), trim(' |,') after each mention, as the SQL of erase.c */
		is_str(t.buf, "le mardi |  au", "every mention removed, the ends trimmed");
		strbuf_reset(&t);
		is_int(share_scrub_text("Zoé", 3, only, 1, &t), 0, "a given name alone: unchanged");
		is_int(share_scrub_text(", Zoé Vernet |", 15, only, 1, &t), 2, "nothing left: NULL");
		strbuf_release(&t);
	}
	strbuf_release(&in);
	strbuf_release(&out);
	strbuf_release(&none);
	return tap_done();
}
