/*
 * view_themes: the theme tree with how many structures offer each theme
 * (a sub-theme counts for its parents). As the Thèmes view, Enter drills
 * down to who offers the selected theme (a results view with that theme
 * as filter); as the theme picker (t, F7), Enter sets the theme filter of
 * the list it was opened from. Typing narrows the tree (in the picker at
 * once; in the view after /).
 */
#include "core/search.h"
#include "core/text.h"
#include "db/browse.h"
#include "tui/draw.h"
#include "tui/lineedit.h"
#include "tui/tui.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct themes {
	bool picker;
	bool typing;               /* the narrowing line has the focus */
	struct lineedit line;
	struct browse_list all;    /* the tree */
	size_t *shown;             /* indexes into all of the rows shown */
	size_t nshown;
	size_t sel, top;
};

/* Keeps the rows whose folded label contains every typed word. */
static void narrow(struct themes *th)
{
	char *q = text_norm_dup(th->line.text.buf);
	size_t i;
	th->nshown = 0;
	for (i = 0; i < th->all.n; i++) {
		const char *norm = th->all.v[i].norm ? th->all.v[i].norm : "";
		const char *w = q;
		bool ok = true;
		while (*w && ok) {
			size_t len = strcspn(w, " ");
			char *tok = xstrndup(w, len);
			ok = strstr(norm, tok) != NULL;
			free(tok);
			w += len + (w[len] == ' ');
		}
		if (ok)
			th->shown[th->nshown++] = i;
	}
	free(q);
	th->sel = th->top = 0;
}

/*
 * Each theme's count: the places the Structures view would list with it
 * (around the configured commune when there is one), as `qfq themes` says.
 */
static int count_themes(struct tui *t, struct browse_list *all)
{
	struct search_settings set = { .commune = t->has_default_commune ? &t->default_commune : NULL,
				       .radius_km = t->default_radius };
	struct search_theme_count *c = NULL;
	struct search_query q;
	size_t n = 0, i, j;
	int rc;
	search_query_init(&q);
	rc = search_query_build(t->db, "", &set, &q) || search_theme_counts(t->db, &q, &c, &n) ? -1 : 0;
	for (i = 0, j = 0; rc == 0 && i < all->n; i++) {
		/* both in tree order is not promised: match by id */
		for (j = 0; j < n && c[j].theme != all->v[i].id; j++)
			;
		all->v[i].count = j < n ? (long)c[j].n : 0;
	}
	free(c);
	search_query_clear(&q);
	return rc;
}

static int themes_open(struct tui *t, struct view *v)
{
	struct themes *th = v->data;
	if (browse_themes(t->db, &th->all) || count_themes(t, &th->all))
		return -1;
	th->shown = xcalloc(th->all.n + 1, sizeof(*th->shown));
	narrow(th);
	return 0;
}

static void themes_draw(struct tui *t, struct view *v)
{
	struct themes *th = v->data;
	const char *label = th->picker ? _("Filtrer par thème : ") : _("Thèmes, taper / pour réduire : ");
	int lw = (int)draw_width(label), h = v->h - 2, row, cx;
	struct strbuf sb = STRBUF_INIT;
	char count[32];

	draw_text(v->y, 1, lw, label, draw_attr(t, ST_HEADER), false);
	cx = lineedit_draw(&th->line, v->y, 1 + lw, v->w - 2 - lw, th->typing ? A_UNDERLINE : A_NORMAL);
	if (th->typing) {
		t->cursor_y = v->y;
		t->cursor_x = cx;
	}
	draw_text(v->y + 1, 1, v->w - 2, _("Thème                                        structures"),
		  draw_attr(t, ST_HEADER), false);
	list_keep_visible(th->sel, &th->top, h);
	for (row = 0; row < h && th->top + (size_t)row < th->nshown; row++) {
		size_t i = th->top + (size_t)row;
		const struct browse_row *r = &th->all.v[th->shown[i]];
		bool sel = i == th->sel;
		attr_t a = sel ? draw_attr(t, ST_SELECTED) : r->count ? (r->depth ? A_NORMAL : A_BOLD) :
			   draw_attr(t, ST_DIM);
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s%*s%s", sel ? "▶ " : "  ", r->depth * 3, "", r->depth ? "└ " : "");
		strbuf_addstr(&sb, r->label);
		snprintf(count, sizeof(count), "%ld", r->count);
		draw_blank(v->y + 2 + row, 0, v->w, a);
		draw_text(v->y + 2 + row, 0, v->w - 9, sb.buf, a, false);
		draw_text(v->y + 2 + row, v->w - 1 - (int)strlen(count), (int)strlen(count), count, a, false);
	}
	if (!th->nshown)
		draw_text(v->y + 3, 2, v->w - 4, _("Aucun thème ne contient ces mots."), A_NORMAL, false);
	strbuf_release(&sb);
}

static int themes_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct themes *th = v->data;
	const struct browse_row *r;
	struct tui_filters f;
	struct view *below, *nv;
	struct strbuf title = STRBUF_INIT;
	int le;

	if (th->typing && (k->action == ACT_TEXT || k->action == ACT_NONE)) {
		le = lineedit_key(&th->line, k->ch, k->is_fn);
		if (le == LE_CHANGED)
			narrow(th);
		return le ? TUI_HANDLED | TUI_REDRAW : 0;
	}
	if (list_nav(&th->sel, &th->top, th->nshown, v->h - 2, k->action, k->mouse_button))
		return TUI_HANDLED | TUI_REDRAW;
	switch (k->action) {
	case ACT_SEARCH: th->typing = true; return TUI_HANDLED | TUI_REDRAW;
	case ACT_FOCUS: th->typing = !th->typing; return TUI_HANDLED | TUI_REDRAW;
	case ACT_BACK:
		if (th->typing && th->line.text.len) {
			lineedit_set(&th->line, "");
			narrow(th);
			return TUI_HANDLED | TUI_REDRAW;
		}
		if (th->typing && !th->picker) {
			th->typing = false;
			return TUI_HANDLED | TUI_REDRAW;
		}
		return 0;
	case ACT_MOUSE:
		if (k->mouse_y >= v->y + 2 && th->top + (size_t)(k->mouse_y - v->y - 2) < th->nshown) {
			size_t i = th->top + (size_t)(k->mouse_y - v->y - 2);
			bool again = i == th->sel;
			th->sel = i;
			if (k->mouse_button == 2 || again)
				break; /* open it, as Enter */
		}
		return TUI_HANDLED | TUI_REDRAW;
	case ACT_ENTER:
		break;
	default:
		return 0;
	}
	/* Enter: choose (picker) or drill down (view). */
	if (!th->nshown)
		return TUI_HANDLED;
	r = &th->all.v[th->shown[th->sel]];
	if (th->picker) {
		below = tui_below(t);
		if (view_is_results(below))
			view_results_set_theme(t, below, r->id, r->code, r->label);
		return TUI_HANDLED | TUI_POP;
	}
	tui_filters_init(t, &f);
	tui_filters_set_theme(&f, r->id, r->code, r->label);
	strbuf_addf(&title, _("qui propose « %s »"), r->label);
	nv = view_results_new(t, false, &f, title.buf);
	tui_filters_clear(&f);
	strbuf_release(&title);
	tui_push(t, nv);
	return TUI_HANDLED | TUI_REDRAW;
}

static bool themes_typing(struct tui *t, struct view *v)
{
	(void)t;
	return ((struct themes *)v->data)->typing;
}

static const char *themes_hint(struct tui *t, struct view *v)
{
	struct themes *th = v->data;
	(void)t;
	if (th->picker)
		return _("tapez pour réduire · ↑↓ choisir · Entrée appliquer ce thème · Échap annuler");
	return _("↑↓ choisir · Entrée qui propose ce thème · / réduire la liste");
}

static void themes_close(struct tui *t, struct view *v)
{
	struct themes *th = v->data;
	(void)t;
	lineedit_release(&th->line);
	browse_list_clear(&th->all);
	free(th->shown);
	free(th);
}

const struct view_ops view_themes_ops = {
	.title = N_("Thèmes"),
	.open = themes_open,
	.draw = themes_draw,
	.key = themes_key,
	.close = themes_close,
	.typing = themes_typing,
	.hint = themes_hint,
};

static const struct view_ops view_theme_picker_ops = {
	.title = N_("Choisir un thème"),
	.open = themes_open,
	.draw = themes_draw,
	.key = themes_key,
	.close = themes_close,
	.typing = themes_typing,
	.hint = themes_hint,
};

struct view *view_themes_new(struct tui *t, bool picker)
{
	struct themes *th = xcalloc(1, sizeof(*th));
	th->picker = picker;
	th->typing = picker;
	strbuf_init(&th->line.text, 0);
	return tui_view_new(t, picker ? &view_theme_picker_ops : &view_themes_ops, th);
}
