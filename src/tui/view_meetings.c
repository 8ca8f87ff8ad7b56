/*
 * view_meetings: the network's meetings, latest first, with how many
 * attended; Enter lists who was there (present, excused, absent) and for
 * which structure; Esc goes back to the list, which keeps its place.
 */
#include "db/browse.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct meetings {
	struct browse_list events, people;
	size_t sel, top, psel, ptop;
	bool in_event;           /* showing who attended events.v[sel] */
};

static int meetings_open(struct tui *t, struct view *v)
{
	v->data = xcalloc(1, sizeof(struct meetings));
	return browse_events(t->db, &((struct meetings *)v->data)->events);
}

static const char *presence_fr(const char *p)
{
	if (!p)
		return "";
	if (!strcmp(p, "present"))
		return _("présent");
	if (!strcmp(p, "excuse"))
		return _("excusé");
	return _("absent");
}

static void meetings_draw(struct tui *t, struct view *v)
{
	struct meetings *m = v->data;
	const struct browse_list *l = m->in_event ? &m->people : &m->events;
	size_t *sel = m->in_event ? &m->psel : &m->sel, *top = m->in_event ? &m->ptop : &m->top;
	struct strbuf sb = STRBUF_INIT;
	int h = v->h - 2, row;

	if (m->in_event)
		strbuf_addf(&sb, "%s — %s", m->events.v[m->sel].label, m->events.v[m->sel].detail);
	else
		strbuf_addstr(&sb, _("Réunions (les plus récentes d'abord) · présents"));
	draw_text(v->y, 1, v->w - 2, sb.buf, draw_attr(t, ST_HEADER), false);
	list_keep_visible(*sel, top, h);
	for (row = 0; row < h && *top + (size_t)row < l->n; row++) {
		size_t i = *top + (size_t)row;
		const struct browse_row *r = &l->v[i];
		attr_t a = i == *sel ? draw_attr(t, ST_SELECTED) : A_NORMAL;
		strbuf_reset(&sb);
		if (m->in_event) {
			/* Padded by display width: "présent" is 7 columns but 8 bytes. */
			size_t w = draw_width(presence_fr(r->code));
			strbuf_addf(&sb, "%s%s", i == *sel ? "▶ " : "  ", presence_fr(r->code));
			while (w++ < 10)
				strbuf_addch(&sb, ' ');
			strbuf_addf(&sb, " %s%s%s", r->label, r->detail ? " — " : "", r->detail ? r->detail : "");
		}
		else
			strbuf_addf(&sb, "%s%s · %s · %ld %s", i == *sel ? "▶ " : "  ", r->detail ? r->detail : "",
				    r->label, r->count, _("présents"));
		draw_text(v->y + 2 + row, 0, v->w, sb.buf, a, true);
	}
	if (!l->n)
		draw_text(v->y + 2, 2, v->w - 4, m->in_event ? _("Personne n'est enregistré pour cette réunion.") :
			  _("Aucune réunion enregistrée."), A_NORMAL, false);
	strbuf_release(&sb);
}

static int meetings_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct meetings *m = v->data;
	if (m->in_event) {
		if (list_nav(&m->psel, &m->ptop, m->people.n, v->h - 2, k->action, k->mouse_button))
			return TUI_HANDLED | TUI_REDRAW;
		if (k->action == ACT_BACK) {
			m->in_event = false;
			return TUI_HANDLED | TUI_REDRAW;
		}
		return 0;
	}
	if (list_nav(&m->sel, &m->top, m->events.n, v->h - 2, k->action, k->mouse_button))
		return TUI_HANDLED | TUI_REDRAW;
	if (k->action == ACT_ENTER && m->events.n) {
		browse_list_clear(&m->people);
		m->psel = m->ptop = 0;
		if (browse_attendance(t->db, m->events.v[m->sel].id, &m->people))
			tui_message(t, "%s", _("lecture des présences impossible"));
		m->in_event = true;
		return TUI_HANDLED | TUI_REDRAW;
	}
	return 0;
}

static const char *meetings_hint(struct tui *t, struct view *v)
{
	(void)t; (void)v;
	return _("↑↓ choisir · Entrée qui était là · Échap revenir");
}

static void meetings_close(struct tui *t, struct view *v)
{
	struct meetings *m = v->data;
	(void)t;
	if (!m)
		return;
	browse_list_clear(&m->events);
	browse_list_clear(&m->people);
	free(m);
}

const struct view_ops view_meetings_ops = {
	.title = N_("Réunions"),
	.open = meetings_open,
	.draw = meetings_draw,
	.key = meetings_key,
	.close = meetings_close,
	.hint = meetings_hint,
};
