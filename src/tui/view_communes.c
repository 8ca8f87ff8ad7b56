/*
 * view_communes: the commune picker (c, F8): type a name, a former name,
 * a postcode or an INSEE code; the candidates come from the commune
 * resolver (core/communes.h), with close names when nothing matches;
 * Enter makes the selected one the centre of the list it was opened from.
 */
#include "core/communes.h"
#include "tui/draw.h"
#include "tui/lineedit.h"
#include "tui/tui.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>

struct communes_view {
	struct lineedit line;
	struct commune_list l;
	bool suggested;          /* l holds close names, not matches */
	size_t sel, top;
};

static void lookup(struct tui *t, struct communes_view *cv)
{
	enum commune_match how;
	commune_list_clear(&cv->l);
	cv->sel = cv->top = 0;
	cv->suggested = false;
	if (!cv->line.text.len)
		return;
	if (communes_find(t->db, cv->line.text.buf, &cv->l, &how) == 0 && how == COMMUNE_NONE) {
		communes_suggest(t->db, cv->line.text.buf, &cv->l, 10);
		cv->suggested = true;
	}
}

static void communes_draw(struct tui *t, struct view *v)
{
	struct communes_view *cv = v->data;
	const char *label = _("Commune : ");
	int lw = (int)draw_width(label), h = v->h - 2, row;
	struct strbuf sb = STRBUF_INIT;

	draw_text(v->y, 1, lw, label, draw_attr(t, ST_HEADER), false);
	t->cursor_y = v->y;
	t->cursor_x = lineedit_draw(&cv->line, v->y, 1 + lw, v->w - 2 - lw, A_UNDERLINE);
	draw_text(v->y + 1, 1, v->w - 2, cv->suggested ? _("Pas trouvée ; noms proches :") :
		  _("Nom, ancien nom, code postal ou code INSEE"), draw_attr(t, ST_DIM), false);
	list_keep_visible(cv->sel, &cv->top, h);
	for (row = 0; row < h && cv->top + (size_t)row < cv->l.n; row++) {
		size_t i = cv->top + (size_t)row;
		const struct commune *c = &cv->l.v[i];
		attr_t a = i == cv->sel ? draw_attr(t, ST_SELECTED) : A_NORMAL;
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s%s (%s)", i == cv->sel ? "▶ " : "  ", c->nom, c->departement);
		if (c->matched)
			strbuf_addf(&sb, _(" ex-%s"), c->matched);
		if (c->codes_postaux)
			strbuf_addf(&sb, " · %s", c->codes_postaux);
		if (c->epci_nom)
			strbuf_addf(&sb, " · %s", c->epci_nom);
		draw_text(v->y + 2 + row, 0, v->w, sb.buf, a, true);
	}
	strbuf_release(&sb);
}

static int communes_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct communes_view *cv = v->data;
	struct view *below;
	int le;

	if (k->action == ACT_TEXT || k->action == ACT_NONE) {
		le = lineedit_key(&cv->line, k->ch, k->is_fn);
		if (le == LE_CHANGED)
			lookup(t, cv);
		return le ? TUI_HANDLED | TUI_REDRAW : 0;
	}
	if (list_nav(&cv->sel, &cv->top, cv->l.n, v->h - 2, k->action, k->mouse_button))
		return TUI_HANDLED | TUI_REDRAW;
	if (k->action == ACT_BACK)
		return TUI_HANDLED | TUI_POP;
	if (k->action == ACT_ENTER || (k->action == ACT_MOUSE && k->mouse_button == 2)) {
		if (!cv->l.n)
			return TUI_HANDLED;
		below = tui_below(t);
		if (view_is_results(below))
			view_results_set_commune(t, below, &cv->l.v[cv->sel]);
		return TUI_HANDLED | TUI_POP;
	}
	return 0;
}

static bool communes_typing(struct tui *t, struct view *v)
{
	(void)t; (void)v;
	return true;
}

static const char *communes_hint(struct tui *t, struct view *v)
{
	(void)t; (void)v;
	return _("tapez une commune · ↑↓ choisir · Entrée chercher autour · Échap annuler");
}

static void communes_close(struct tui *t, struct view *v)
{
	struct communes_view *cv = v->data;
	(void)t;
	lineedit_release(&cv->line);
	commune_list_clear(&cv->l);
	free(cv);
}

const struct view_ops view_communes_ops = {
	.title = N_("Choisir une commune"),
	.draw = communes_draw,
	.key = communes_key,
	.close = communes_close,
	.typing = communes_typing,
	.hint = communes_hint,
};

struct view *view_communes_new(struct tui *t)
{
	struct communes_view *cv = xcalloc(1, sizeof(*cv));
	strbuf_init(&cv->line.text, 0);
	return tui_view_new(t, &view_communes_ops, cv);
}
