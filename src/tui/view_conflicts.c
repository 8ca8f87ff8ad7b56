/*
 * view_conflicts: the conflicts of sharing (issue 15), the values an apply
 * of another copy's changes set aside, as `qfq share conflicts` lists them
 * (db/shareconflicts.h): one line each, and below the selected one in full
 * (record, field, value kept and value set aside with their copies and
 * dates, the rule applied). Entrée asks, then o swaps: the value set aside
 * is put back, one change set of the history that travels to the other
 * copies like any edit (`qfq share conflicts --swap ID`).
 */
#include "db/db.h"
#include "db/shareconflicts.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define DETAIL_H 7   /* lines of the selected conflict's detail */

struct conflicts {
	struct share_conflict *v;
	size_t n, sel, top;
	bool confirming;  /* Entrée was pressed: o swaps */
};

/* Reads the list on a fresh connection: it shows what a swap just changed. */
static int load(struct tui *t, struct conflicts *c)
{
	sqlite3 *db;
	int rc;
	share_conflicts_free(c->v, c->n);
	c->v = NULL;
	c->n = 0;
	if (tui_open_db(t, DB_READ, &db))
		return -1;
	rc = share_conflicts_load(db, &c->v, &c->n);
	db_close(db);
	if (rc)
		return -1;
	if (c->sel >= c->n)
		c->sel = c->n ? c->n - 1 : 0;
	return 0;
}

static int conflicts_open(struct tui *t, struct view *v)
{
	return load(t, v->data);
}

static const char *or_empty(const char *s)
{
	return s ? s : _("(vide)");
}

/* The record: "structures · Médiathèque de Privas" (its key when it is gone). */
static void add_record(struct strbuf *sb, const struct share_conflict *k)
{
	strbuf_addf(sb, "%s · %s", k->table, k->record ? k->record : k->key);
	if (!k->record)
		strbuf_addstr(sb, _(" (supprimée ici)"));
}

static void draw_detail(struct tui *t, struct view *v, const struct share_conflict *k, int y)
{
	struct tui_lines l = TUI_LINES_INIT, wrapped = TUI_LINES_INIT;
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, _("Fiche : "));
	add_record(&sb, k);
	tui_lines_add(&l, ST_NORMAL, sb.buf, strlen(_("Fiche : ")));
	strbuf_reset(&sb);
	strbuf_addf(&sb, _("Champ : %s"), k->col ? k->col : _("la ligne entière"));
	tui_lines_add(&l, ST_NORMAL, sb.buf, strlen(_("Champ : ")));
	strbuf_reset(&sb);
	strbuf_addf(&sb, _("Gardé : %s — copie %s%s, modifiée le %s"), or_empty(k->kept), k->kept_copy,
		    k->kept_here ? _(" (celle-ci)") : "", k->kept_date ? k->kept_date : "?");
	tui_lines_add(&l, ST_NORMAL, sb.buf, strlen(_("Gardé : ")));
	strbuf_reset(&sb);
	strbuf_addf(&sb, _("Écarté : %s — copie %s%s, écarté le %s"), or_empty(k->lost), k->lost_copy,
		    k->lost_here ? _(" (celle-ci)") : "", k->at ? k->at : "?");
	tui_lines_add(&l, ST_WARN, sb.buf, strlen(_("Écarté : ")));
	strbuf_reset(&sb);
	strbuf_addf(&sb, _("Règle : %s"), share_conflict_rule(k));
	tui_lines_add(&l, ST_DIM, sb.buf, strlen(_("Règle : ")));
	tui_lines_wrap(&l, v->w - 2, &wrapped);
	draw_rule(y, 0, v->w, _("Conflit choisi"), draw_attr(t, ST_DIM));
	tui_lines_draw(t, &wrapped, 0, y + 1, 1, DETAIL_H - 1, v->w - 2);
	tui_lines_clear(&l);
	tui_lines_clear(&wrapped);
	strbuf_release(&sb);
}

static int list_h(const struct view *v)
{
	int h = v->h - 2 - DETAIL_H;
	return h > 1 ? h : 1;
}

static void conflicts_draw(struct tui *t, struct view *v)
{
	struct conflicts *c = v->data;
	struct strbuf sb = STRBUF_INIT;
	int h = list_h(v), row;

	strbuf_addf(&sb, _("Conflits de partage (%zu) : valeurs écartées par l'application des modifications "
			   "des autres copies"), c->n);
	draw_text(v->y, 1, v->w - 2, sb.buf, draw_attr(t, ST_HEADER), false);
	if (!c->n) {
		draw_text(v->y + 2, 2, v->w - 4, _("Aucun conflit : les modifications reçues n'ont écarté aucune "
						   "valeur de cette copie."), A_NORMAL, false);
		strbuf_release(&sb);
		return;
	}
	list_keep_visible(c->sel, &c->top, h);
	for (row = 0; row < h && c->top + (size_t)row < c->n; row++) {
		size_t i = c->top + (size_t)row;
		const struct share_conflict *k = &c->v[i];
		const char *state;
		size_t w;
		strbuf_reset(&sb);
		state = k->swapped ? _("échangé") : _("ouvert");
		strbuf_addf(&sb, "%s%lld  %s", i == c->sel ? "▶ " : "  ", (long long)k->id, state);
		for (w = draw_width(state); w < 9; w++) /* aligned by display width */
			strbuf_addch(&sb, ' ');
		add_record(&sb, k);
		strbuf_addf(&sb, " · %s : %s ← %s", k->col ? k->col : "*", or_empty(k->kept), or_empty(k->lost));
		draw_text(v->y + 2 + row, 0, v->w, sb.buf, i == c->sel ? draw_attr(t, ST_SELECTED) : A_NORMAL, true);
	}
	draw_detail(t, v, &c->v[c->sel], v->y + 2 + h);
	strbuf_release(&sb);
}

/* o after Entrée: the value set aside goes back (its own change set). */
static int swap(struct tui *t, struct conflicts *c, const struct tui_key *k)
{
	const struct share_conflict *sel = &c->v[c->sel];
	sqlite3_int64 id = sel->id;
	sqlite3 *w;
	int rc;
	c->confirming = false;
	if (k->is_fn || (k->ch != 'o' && k->ch != 'O')) {
		tui_message(t, "%s", _("rien n'a été échangé"));
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (!(w = tui_writer(t, "qfq tui (conflits)")))
		return TUI_HANDLED | TUI_REDRAW;
	rc = share_conflict_swap(w, id);
	db_close(w);
	if (rc < 0)
		tui_message(t, _("conflit non échangé : %s"), qfq_error_msg());
	else if (rc > 0)
		tui_message(t, _("le conflit n° %lld n'est plus ouvert"), (long long)id);
	else
		tui_message(t, _("conflit n° %lld échangé : la valeur écartée est remise, elle partira aux autres "
				 "copies (`qfq undo` annule)"), (long long)id);
	if (load(t, c))
		tui_message(t, "%s", qfq_error_msg());
	return TUI_HANDLED | TUI_REDRAW;
}

static int conflicts_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct conflicts *c = v->data;
	const struct share_conflict *sel;
	if (c->confirming)
		return swap(t, c, k);
	if (list_nav(&c->sel, &c->top, c->n, list_h(v), k->action, k->mouse_button))
		return TUI_HANDLED | TUI_REDRAW;
	if (!c->n || k->action != ACT_ENTER)
		return 0;
	sel = &c->v[c->sel];
	if (sel->swapped || !sel->col) {
		tui_message(t, "%s", sel->swapped ? _("déjà échangé : la valeur écartée a été remise")
						 : _("une suppression ne s'échange pas : recréez la fiche si besoin"));
		return TUI_HANDLED | TUI_REDRAW;
	}
	c->confirming = true;
	tui_message(t, _("n° %lld : remettre « %s » à la place de « %s » ? o : oui · autre touche : non"),
		    (long long)sel->id, or_empty(sel->lost), or_empty(sel->kept));
	return TUI_HANDLED | TUI_REDRAW;
}

static const char *conflicts_hint(struct tui *t, struct view *v)
{
	(void)t; (void)v;
	return _("↑↓ choisir · Entrée échanger (remettre la valeur écartée) · Échap revenir");
}

static void conflicts_close(struct tui *t, struct view *v)
{
	struct conflicts *c = v->data;
	(void)t;
	share_conflicts_free(c->v, c->n);
	free(c);
}

const struct view_ops view_conflicts_ops = {
	.title = N_("Conflits"),
	.open = conflicts_open,
	.draw = conflicts_draw,
	.key = conflicts_key,
	.close = conflicts_close,
	.hint = conflicts_hint,
};

struct view *view_conflicts_new(struct tui *t)
{
	return tui_view_new(t, &view_conflicts_ops, xcalloc(1, sizeof(struct conflicts)));
}
