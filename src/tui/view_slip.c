/*
 * view_slip: the fiche d'orientation (out/slip.h) on screen, as the text
 * `qfq slip` writes, to read out to the person or copy; scrollable, Esc
 * goes back. Opened from a card after orienting (f) and from the
 * Orientations view (f on a referral).
 */
#include "core/config.h"
#include "out/slip.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct slip_view {
	long long referral, place;
	char *theme;
	struct tui_lines raw, lines;
	size_t top;
};

static int slip_open(struct tui *t, struct view *v)
{
	struct slip_view *sv = v->data;
	struct slip slip;
	struct strbuf text = STRBUF_INIT;
	int rc = slip_load(t->db, sv->referral, sv->place, sv->theme, config_own_structure(), &t->now, &slip);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		tui_message(t, "%s", _("cette orientation ou ce lieu n'existe plus"));
		return -1;
	}
	slip_text(&slip, &text);
	tui_lines_add(&sv->raw, ST_NORMAL, text.buf, 0);
	slip_clear(&slip);
	strbuf_release(&text);
	return 0;
}

static void slip_resize(struct tui *t, struct view *v)
{
	struct slip_view *sv = v->data;
	(void)t;
	tui_lines_clear(&sv->lines);
	tui_lines_wrap(&sv->raw, v->w - 2, &sv->lines);
}

static void slip_draw(struct tui *t, struct view *v)
{
	struct slip_view *sv = v->data;
	if (!sv->lines.n)
		slip_resize(t, v);
	tui_lines_draw(t, &sv->lines, sv->top, v->y, v->x + 1, v->h, v->w - 2);
}

static int slip_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct slip_view *sv = v->data;
	size_t sel = sv->top;
	(void)t;
	if (k->action == ACT_BACK)
		return TUI_HANDLED | TUI_POP;
	if (list_nav(&sel, &sv->top, sv->lines.n, v->h, k->action, k->mouse_button)) {
		sv->top = sel;
		return TUI_HANDLED | TUI_REDRAW;
	}
	return 0;
}

static void slip_close(struct tui *t, struct view *v)
{
	struct slip_view *sv = v->data;
	(void)t;
	tui_lines_clear(&sv->raw);
	tui_lines_clear(&sv->lines);
	free(sv->theme);
	free(sv);
}

static const char *slip_hint(struct tui *t, struct view *v)
{
	(void)t; (void)v;
	return _("↑↓ défiler · Échap revenir · qfq slip N --format html : à imprimer");
}

const struct view_ops view_slip_ops = {
	.title = N_("Fiche d'orientation"),
	.open = slip_open,
	.draw = slip_draw,
	.key = slip_key,
	.resize = slip_resize,
	.close = slip_close,
	.hint = slip_hint,
};

struct view *view_slip_new(struct tui *t, long long referral, long long place, const char *theme)
{
	struct slip_view *sv = xcalloc(1, sizeof(*sv));
	sv->referral = referral;
	sv->place = place;
	sv->theme = theme ? xstrdup(theme) : NULL;
	return tui_view_new(t, &view_slip_ops, sv);
}
