/*
 * view_merges: the merge review. Walks the open merge proposals one by
 * one with both records side by side, the lines that differ marked:
 * l / ← keeps the left one (the right one is merged into it), r / → keeps
 * the right one, n says they are not the same, s / space skips. b accepts
 * proposals in bulk by an explicit rule, after showing how many it takes
 * ("même nom, même commune : 1 204 propositions"). Every decision is one
 * change set of the history (`qfq undo` reverts it), written through a
 * connection of its own: the interface reads with a read-only one.
 */
#include "db/db.h"
#include "db/review.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct merges {
	struct review_item *items;
	size_t n, cur;
	struct strbuf left, right;   /* the two descriptions, one line per field */
	bool bulk;                   /* the bulk-rule question is shown */
	enum review_rule rule;
	long rule_count;
	long done;                   /* decisions taken since the view opened */
};

static int load(struct tui *t, struct merges *m)
{
	size_t keep = m->cur;
	review_free(m->items, m->n);
	m->items = NULL;
	m->n = 0;
	if (review_load(t->db, &m->items, &m->n))
		return -1;
	m->cur = keep < m->n ? keep : 0;
	strbuf_reset(&m->left);
	strbuf_reset(&m->right);
	if (!m->n)
		return 0;
	if (review_describe(t->db, m->items[m->cur].person, m->items[m->cur].a, &m->left) < 0 ||
	    review_describe(t->db, m->items[m->cur].person, m->items[m->cur].b, &m->right) < 0)
		return -1;
	return 0;
}

static int merges_open(struct tui *t, struct view *v)
{
	return load(t, v->data);
}

/* Whether the line [s, s+len) is among the lines of text. */
static bool has_line(const char *text, const char *s, size_t len)
{
	while (*text) {
		size_t l = strcspn(text, "\n");
		if (l == len && !memcmp(text, s, len))
			return true;
		text += l + (text[l] == '\n');
	}
	return false;
}

/* Draws one side: its lines, those missing from the other side marked. */
static void draw_side(struct tui *t, const char *text, const char *other, int y, int x, int h, int w)
{
	int row = 0;
	while (*text && row < h) {
		size_t l = strcspn(text, "\n");
		bool differs = l && !has_line(other, text, l);
		if (differs)
			draw_text(y + row, x, 2, "≠", draw_attr(t, ST_WARN), false);
		draw_textn(y + row, x + 2, w - 2, text, l, draw_attr(t, differs ? ST_WARN : ST_NORMAL), false);
		text += l + (text[l] == '\n');
		row++;
	}
}

static void merges_draw(struct tui *t, struct view *v)
{
	struct merges *m = v->data;
	struct strbuf sb = STRBUF_INIT;
	int half = v->w / 2, body = v->h - 4;
	const struct review_item *it;

	if (!m->n) {
		draw_text(v->y + 1, 1, v->w - 2, _("Aucune proposition de fusion ouverte."), draw_attr(t, ST_NORMAL), false);
		if (m->done) {
			strbuf_addf(&sb, _("%ld décision(s) prise(s) ; `qfq undo` annule la dernière."), m->done);
			draw_text(v->y + 2, 1, v->w - 2, sb.buf, draw_attr(t, ST_DIM), false);
		}
		strbuf_release(&sb);
		return;
	}
	it = &m->items[m->cur];
	strbuf_addf(&sb, _("Proposition %zu / %zu (%s) : %s"), m->cur + 1, m->n,
		    it->person ? _("personnes") : _("structures"), it->reason ? _(it->reason) : "");
	draw_text(v->y, 1, v->w - 2, sb.buf, draw_attr(t, ST_HEADER), true);
	strbuf_reset(&sb);
	strbuf_addf(&sb, _("← l : garder celle-ci (n°%lld)"), (long long)it->a);
	draw_text(v->y + 1, 1, half - 2, sb.buf, draw_attr(t, ST_KEY), false);
	strbuf_reset(&sb);
	strbuf_addf(&sb, _("→ r : garder celle-ci (n°%lld)"), (long long)it->b);
	draw_text(v->y + 1, half + 1, v->w - half - 2, sb.buf, draw_attr(t, ST_KEY), false);
	draw_side(t, m->left.buf, m->right.buf, v->y + 2, 1, body, half - 2);
	draw_vline(v->y + 1, half, body + 1, "│", draw_attr(t, ST_DIM));
	draw_side(t, m->right.buf, m->left.buf, v->y + 2, half + 1, body, v->w - half - 2);
	strbuf_reset(&sb);
	if (m->bulk)
		strbuf_addf(&sb, _("Règle « %s » : %ld proposition(s) — Entrée : toutes les fusionner · b : autre "
				   "règle · Échap : annuler"), review_rule_label(m->rule), m->rule_count);
	else
		strbuf_addstr(&sb, _("n : pas les mêmes · s, espace : passer · b : accepter en masse par une règle"));
	draw_text(v->y + v->h - 1, 1, v->w - 2, sb.buf, draw_attr(t, m->bulk ? ST_WARN : ST_DIM), true);
	strbuf_release(&sb);
}

static int decide(struct tui *t, struct merges *m, char what)
{
	const struct review_item *it = &m->items[m->cur];
	sqlite3 *w = tui_writer(t, "qfq tui (revue des doublons)");
	long merged = 0;
	int rc;
	if (!w)
		return TUI_HANDLED | TUI_REDRAW;
	if (what == 'b') {
		rc = review_rule_accept(w, m->rule, &merged);
		if (!rc)
			tui_message(t, _("%ld fusion(s) selon « %s » ; `qfq undo` les annule toutes"), merged,
				    review_rule_label(m->rule));
		m->bulk = false;
	} else if (what == 'l' || what == 'r') {
		rc = review_merge(w, it->person, what == 'l' ? it->a : it->b, what == 'l' ? it->b : it->a);
	} else {
		rc = review_reject(w, it->person, it->a, it->b);
	}
	if (rc)
		tui_message(t, "%s", qfq_error_msg());
	else
		m->done += what == 'b' ? merged : 1;
	db_close(w);
	if (load(t, m))
		tui_message(t, "%s", qfq_error_msg());
	return TUI_HANDLED | TUI_REDRAW;
}

static int next_rule(struct tui *t, struct merges *m)
{
	if (m->bulk)
		m->rule = (enum review_rule)((m->rule + 1) % RULE_COUNT);
	m->bulk = true;
	if (review_rule_count(t->db, m->rule, &m->rule_count))
		tui_message(t, "%s", qfq_error_msg());
	return TUI_HANDLED | TUI_REDRAW;
}

static int merges_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct merges *m = v->data;
	wint_t c = k->ch;
	if (k->action == ACT_BACK) {
		if (!m->bulk)
			return TUI_HANDLED | TUI_POP;
		m->bulk = false;
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (m->bulk && k->action == ACT_ENTER)
		return decide(t, m, 'b');
	if (!k->is_fn && c == 'b')
		return next_rule(t, m);
	if (!m->n)
		return 0;
	if ((k->is_fn && c == KEY_LEFT) || (!k->is_fn && c == 'l'))
		return decide(t, m, 'l');
	if ((k->is_fn && c == KEY_RIGHT) || (!k->is_fn && c == 'r'))
		return decide(t, m, 'r');
	if (!k->is_fn && c == 'n')
		return decide(t, m, 'n');
	if ((!k->is_fn && (c == 's' || c == ' ')) || k->action == ACT_DOWN) {
		m->cur = (m->cur + 1) % m->n;
		if (load(t, m))
			tui_message(t, "%s", qfq_error_msg());
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (k->action == ACT_UP) {
		m->cur = (m->cur + m->n - 1) % m->n;
		if (load(t, m))
			tui_message(t, "%s", qfq_error_msg());
		return TUI_HANDLED | TUI_REDRAW;
	}
	return 0;
}

static void merges_close(struct tui *t, struct view *v)
{
	struct merges *m = v->data;
	(void)t;
	review_free(m->items, m->n);
	strbuf_release(&m->left);
	strbuf_release(&m->right);
	free(m);
}

static const char *merges_hint(struct tui *t, struct view *v)
{
	(void)t;
	(void)v;
	return _("l/r garder · n pas les mêmes · s passer · b en masse · Échap retour");
}

const struct view_ops view_merges_ops = {
	.title = N_("Doublons"),
	.open = merges_open,
	.draw = merges_draw,
	.key = merges_key,
	.close = merges_close,
	.hint = merges_hint,
};

struct view *view_merges_new(struct tui *t)
{
	struct merges *m = xcalloc(1, sizeof(*m));
	strbuf_init(&m->left, 0);
	strbuf_init(&m->right, 0);
	return tui_view_new(t, &view_merges_ops, m);
}
