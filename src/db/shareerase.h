/*
 * shareerase: an erasure reaches what travels (issue 15). A person erased
 * on any copy has their global id kept in share_erased (a random id: once
 * their rows are gone it names no one). Rows about them that arrive later
 * from other copies, a file written before the erasure was known there,
 * are dropped before the apply (a referral only loses its pointer to
 * them), whatever the order of the files: an erasure always wins.
 */
#ifndef QFQ_DB_SHAREERASE_H
#define QFQ_DB_SHAREERASE_H

#include "db/share.h"

#include <sqlite3.h>
#include <stddef.h>

struct strbuf;

/*
 * The mentions of an erased person that free text may hold (their name in
 * both orders, emails, phones as written: needles[0..n)) as they travel
 * with the erasure and stay in share_erased.forms: a random salt, then
 * each mention's length and a 64-bit hash of salt and mention, never the
 * mention itself. A copy that never knew the person finds the mentions
 * in its own free text and in what arrives later (share_erased_filter)
 * by hashing the text at each word's start. Appended to out.
 */
void share_erased_forms(const char *const *needles, int n, struct strbuf *out);

/*
 * text[0..len) without the mentions needles[0..n) as an erasure removes
 * them from a free-text column (each needle replaced by nothing, in
 * order, the ends trimmed of spaces, '|' and ','): 0 unchanged, 1 changed
 * (out holds the new text), 2 nothing left (NULL).
 */
int share_scrub_text(const char *text, size_t len, const char *const *needles, int n, struct strbuf *out);

/*
 * Called by person_forget: the person's global id joins share_erased with
 * the hashes of their mentions (forms[0..nforms), share_erased_forms), and
 * the conflicts listed about their rows are removed (they hold their
 * values). 0 or -1.
 */
int share_erased_add(sqlite3 *db, sqlite3_int64 person_id, const void *forms, int nforms);
/* Called by person_forget with their strings: the conflicts whose values hold one are removed. 0 or -1. */
int share_erased_text(sqlite3 *db, const char *const *needles, int n);

/*
 * Inside the apply's transaction: the erasures among v[0..n) join
 * share_erased (an erasure new here also removes the mentions its hashes
 * find in this copy's free text: person_forget_text), then every change
 * entry loses its rows about an erased person and the mentions of one in
 * its free-text values (e->data rewritten); *dropped counts the rows
 * dropped. 0 or -1.
 */
int share_erased_filter(sqlite3 *db, struct share_entry *v, size_t n, long *dropped);

/*
 * Rewrites changeset data[0..n) without the rows about the gids
 * gids[0..ngid) (16 bytes each; a referral's column pointing at one is set
 * NULL instead). 1 rewritten into out, 0 nothing to do, -1 not a changeset.
 */
int share_scrub_changeset(const void *data, int n, const unsigned char *gids, size_t ngid, struct strbuf *out,
			  long *dropped);

#endif
