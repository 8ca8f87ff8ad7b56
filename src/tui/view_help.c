/*
 * view_help: the help screen, generated from the keys table (keys.h): for
 * each action, every key bound to it and what it does. Nothing here is
 * written by hand, so it cannot go stale.
 */
#include "tui/draw.h"
#include "tui/tui.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct help {
	struct tui_lines raw, lines;
	size_t top;
};

static int help_open(struct tui *t, struct view *v)
{
	struct help *h = xcalloc(1, sizeof(*h));
	struct strbuf sb = STRBUF_INIT;
	size_t i, w;
	int a;
	(void)t;
	v->data = h;
	tui_lines_add(&h->raw, ST_HEADER, _("qfq — qui fait quoi : les touches"), 0);
	tui_lines_add(&h->raw, ST_NORMAL, "", 0);
	for (a = ACT_NONE + 1; a < ACT_COUNT; a++) {
		if (!*tui_action_help((enum tui_action)a))
			continue;
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "  ");
		for (i = 0; i < tui_nbindings; i++) {
			const struct tui_binding *b = &tui_bindings[i];
			/* Two codes can share a label (Enter, Backspace): list it once. */
			if (b->action != (enum tui_action)a ||
			    (i && tui_bindings[i - 1].action == b->action && !strcmp(tui_bindings[i - 1].label, b->label)))
				continue;
			strbuf_addf(&sb, "%s ", b->label);
		}
		w = utf8_width(sb.buf, sb.len);
		while (w++ < 20)
			strbuf_addch(&sb, ' ');
		i = sb.len;
		strbuf_addstr(&sb, _(tui_action_help((enum tui_action)a)));
		tui_lines_add(&h->raw, ST_NORMAL, sb.buf, i);
	}
	tui_lines_add(&h->raw, ST_NORMAL, "", 0);
	tui_lines_add(&h->raw, ST_DIM, _("Dans la ligne de recherche, les lettres s'écrivent : Tab ou ↓ puis "
					  "Entrée, ou les touches F, Échap et Ctrl-C marchent partout. "
					  "Ctrl-U efface la ligne, Ctrl-W le mot précédent. "
					  "La souris choisit (clic), ouvre (double clic) et fait défiler (molette)."), 0);
	strbuf_release(&sb);
	return 0;
}

static void help_resize(struct tui *t, struct view *v)
{
	struct help *h = v->data;
	(void)t;
	tui_lines_clear(&h->lines);
	tui_lines_wrap(&h->raw, v->w - 2, &h->lines);
}

static void help_draw(struct tui *t, struct view *v)
{
	struct help *h = v->data;
	tui_lines_draw(t, &h->lines, h->top, v->y, v->x + 1, v->h, v->w - 2);
}

static int help_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct help *h = v->data;
	size_t max = h->lines.n > (size_t)v->h ? h->lines.n - (size_t)v->h : 0;
	size_t sel, dummy = 0;
	(void)t;
	if (k->action == ACT_BACK || k->action == ACT_HELP)
		return TUI_HANDLED | TUI_POP;
	/* Scrolling is moving an invisible selection that is the first visible line. */
	sel = h->top;
	if (list_nav(&sel, &dummy, max + 1, v->h, k->action, k->mouse_button)) {
		h->top = sel;
		return TUI_HANDLED | TUI_REDRAW;
	}
	return 0;
}

static void help_close(struct tui *t, struct view *v)
{
	struct help *h = v->data;
	(void)t;
	if (!h)
		return;
	tui_lines_clear(&h->raw);
	tui_lines_clear(&h->lines);
	free(h);
}

static const char *help_hint(struct tui *t, struct view *v)
{
	(void)t; (void)v;
	return _("↑↓ défiler · Échap ou ? revenir");
}

static const char *help_mode(struct tui *t, struct view *v)
{
	(void)t;
	(void)v;
	return _("aide");
}

const struct view_ops view_help_ops = {
	.title = N_("Aide"),
	.open = help_open,
	.draw = help_draw,
	.key = help_key,
	.resize = help_resize,
	.close = help_close,
	.hint = help_hint,
	.mode = help_mode,
};
