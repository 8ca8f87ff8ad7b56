/*
 * view_prompt: a one-line question for the filters typed as text — open at
 * a time ("mardi 14h"), publics ("seniors"), type of structure ("France
 * Services"). Enter gives the text to the results view it was opened from
 * (an empty line removes that filter); Esc cancels.
 */
#include "tui/draw.h"
#include "tui/lineedit.h"
#include "tui/tui.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#include <stdlib.h>

struct prompt {
	enum tui_action which;  /* ACT_OPEN_AT, ACT_PUBLICS, ACT_TYPOLOGY or ACT_DESK */
	struct lineedit line;
};

static const char *question(enum tui_action which)
{
	switch (which) {
	case ACT_OPEN_AT: return _("Ouvert quand ? ");
	case ACT_PUBLICS: return _("Publics : ");
	case ACT_DESK: return _("Guichet : ");
	default: return _("Type de structure : ");
	}
}

static const char *example(enum tui_action which)
{
	switch (which) {
	case ACT_OPEN_AT: return _("« mardi 14h », « jeudi 9:30 », « 14:00 » (aujourd'hui), « maintenant »");
	case ACT_PUBLICS: return _("un mot des publics déclarés : « seniors », « jeunes », « familles »");
	case ACT_DESK: return _("« gratuit », une prise en charge (« surdité »), un accès (« téléphone »), « rdv en ligne »");
	default: return _("un type : « France Services », « mairie », « EPN », « médiathèque »");
	}
}

static void prompt_draw(struct tui *t, struct view *v)
{
	struct prompt *p = v->data;
	const char *q = question(p->which);
	int qw = (int)draw_width(q);

	draw_text(v->y, 1, qw, q, draw_attr(t, ST_HEADER), false);
	t->cursor_y = v->y;
	t->cursor_x = lineedit_draw(&p->line, v->y, 1 + qw, v->w - 2 - qw, A_UNDERLINE);
	draw_text(v->y + 1, 1, v->w - 2, example(p->which), draw_attr(t, ST_DIM), false);
	draw_text(v->y + 2, 1, v->w - 2, _("Entrée : appliquer (vide : enlever ce filtre) · Échap : annuler"),
		  draw_attr(t, ST_DIM), false);
}

static int prompt_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct prompt *p = v->data;
	struct view *below;
	int le;

	if (k->action == ACT_TEXT || k->action == ACT_NONE) {
		le = lineedit_key(&p->line, k->ch, k->is_fn);
		return le ? TUI_HANDLED | TUI_REDRAW : 0;
	}
	if (k->action == ACT_BACK)
		return TUI_HANDLED | TUI_POP;
	if (k->action == ACT_ENTER) {
		below = tui_below(t);
		if (view_is_results(below))
			view_results_set_filter(t, below, p->which, p->line.text.buf);
		return TUI_HANDLED | TUI_POP;
	}
	return 0;
}

static bool prompt_typing(struct tui *t, struct view *v)
{
	(void)t; (void)v;
	return true;
}

static const char *prompt_hint(struct tui *t, struct view *v)
{
	(void)t; (void)v;
	return _("tapez puis Entrée · Échap annuler");
}

static void prompt_close(struct tui *t, struct view *v)
{
	struct prompt *p = v->data;
	(void)t;
	lineedit_release(&p->line);
	free(p);
}

static const char *prompt_mode(struct tui *t, struct view *v)
{
	(void)t;
	(void)v;
	return _("saisie");
}

const struct view_ops view_prompt_ops = {
	.title = N_("Filtre"),
	.draw = prompt_draw,
	.key = prompt_key,
	.close = prompt_close,
	.typing = prompt_typing,
	.hint = prompt_hint,
	.mode = prompt_mode,
};

struct view *view_prompt_new(struct tui *t, enum tui_action which)
{
	struct prompt *p = xcalloc(1, sizeof(*p));
	p->which = which;
	strbuf_init(&p->line.text, 0);
	return tui_view_new(t, &view_prompt_ops, p);
}
