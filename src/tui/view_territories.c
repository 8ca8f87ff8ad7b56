/*
 * view_territories: département → EPCI → commune, each with how many
 * structures are there. Enter goes down a level (each level keeps its
 * place), Esc or Backspace goes up; the first row of the EPCI and commune
 * levels lists every structure of the level above, and Enter on a commune
 * lists the structures around it (results views with the territory as
 * filter).
 */
#include "core/communes.h"
#include "db/browse.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct level {
	struct browse_list l;   /* row 0 of levels 1 and 2 is "all of the parent" */
	size_t sel, top;
	char *parent_label;     /* what was opened to get here */
};

struct territories {
	struct level lv[3];
	int depth;              /* 0 départements, 1 EPCI, 2 communes */
	char *dep;              /* the département opened */
	char *epci;             /* the EPCI opened (NULL: communes without EPCI) */
};

static int load_level(struct tui *t, struct territories *tr, int depth, const struct browse_row *from)
{
	struct level *lv = &tr->lv[depth];
	struct browse_row all;
	long total = 0;
	size_t i;
	int rc;

	browse_list_clear(&lv->l);
	free(lv->parent_label);
	lv->parent_label = NULL;
	lv->sel = lv->top = 0;
	if (depth == 0)
		return browse_departements(t->db, &lv->l);
	/* Row 0: every structure of the parent. */
	memset(&all, 0, sizeof(all));
	XGROW(lv->l.v, lv->l.alloc, 1);
	lv->l.v[0] = all;
	lv->l.n = 1;
	rc = depth == 1 ? browse_epcis(t->db, tr->dep, &lv->l) : browse_communes(t->db, tr->dep, tr->epci, &lv->l);
	if (rc)
		return -1;
	for (i = 1; i < lv->l.n; i++)
		total += lv->l.v[i].count;
	lv->l.v[0].count = total;
	lv->l.v[0].label = xstrdup(from->label);
	lv->parent_label = xstrdup(from->label);
	return 0;
}

static int territories_open(struct tui *t, struct view *v)
{
	return load_level(t, v->data, 0, NULL);
}

static void territories_draw(struct tui *t, struct view *v)
{
	struct territories *tr = v->data;
	struct level *lv = &tr->lv[tr->depth];
	struct strbuf sb = STRBUF_INIT;
	int h = v->h - 2, row;
	char count[32];
	static const char *const heads[3] = { N_("Départements"), N_("EPCI"), N_("Communes") };

	strbuf_addstr(&sb, _(heads[tr->depth]));
	if (tr->depth >= 1)
		strbuf_addf(&sb, " — %s", tr->lv[1].parent_label);
	if (tr->depth == 2)
		strbuf_addf(&sb, " › %s", tr->lv[2].parent_label);
	draw_text(v->y, 1, v->w - 2, sb.buf, draw_attr(t, ST_HEADER), false);
	draw_text(v->y + 1, 1, v->w - 2, _("Entrée : descendre · Échap : remonter · nombre de structures à droite"),
		  draw_attr(t, ST_DIM), false);
	list_keep_visible(lv->sel, &lv->top, h);
	for (row = 0; row < h && lv->top + (size_t)row < lv->l.n; row++) {
		size_t i = lv->top + (size_t)row;
		const struct browse_row *r = &lv->l.v[i];
		bool sel = i == lv->sel;
		attr_t a = sel ? draw_attr(t, ST_SELECTED) : A_NORMAL;
		strbuf_reset(&sb);
		strbuf_addstr(&sb, sel ? "▶ " : "  ");
		if (tr->depth && i == 0)
			strbuf_addf(&sb, _("Toutes les structures : %s"), r->label);
		else if (tr->depth == 0)
			strbuf_addf(&sb, "%s %s", r->code, r->label);
		else
			strbuf_addstr(&sb, r->label);
		snprintf(count, sizeof(count), "%ld", r->count);
		draw_blank(v->y + 2 + row, 0, v->w, a);
		draw_text(v->y + 2 + row, 0, v->w - 9, sb.buf, tr->depth && i == 0 ? a | A_BOLD : a, false);
		draw_text(v->y + 2 + row, v->w - 1 - (int)strlen(count), (int)strlen(count), count, a, false);
	}
	if (!lv->l.n)
		draw_text(v->y + 3, 2, v->w - 4, _("Aucune structure n'est encore enregistrée."), A_NORMAL, false);
	strbuf_release(&sb);
}

/* A results view restricted to the selected territory. */
static int drill(struct tui *t, struct territories *tr, const struct browse_row *r, bool all)
{
	struct tui_filters f;
	struct commune c;
	struct strbuf title = STRBUF_INIT;
	struct view *nv = NULL;

	memset(&f, 0, sizeof(f));
	f.radius_km = t->default_radius;
	if (tr->depth == 1 && all) {
		f.departement = xstrdup(tr->dep);
	} else if ((tr->depth == 2 && all) || tr->depth == 1) {
		const char *siren = tr->depth == 1 ? r->code : tr->epci;
		if (!siren) {
			f.departement = xstrdup(tr->dep);
		} else {
			f.epci = xstrdup(siren);
			f.epci_nom = xstrdup(tr->depth == 1 ? r->label : tr->lv[2].parent_label);
		}
	} else {
		memset(&c, 0, sizeof(c));
		if (communes_get(t->db, r->code, &c) == 1) {
			tui_filters_set_commune(&f, &c);
			commune_clear(&c);
		}
	}
	strbuf_addf(&title, _("territoire : %s"), r->label);
	nv = view_results_new(t, false, &f, title.buf);
	tui_filters_clear(&f);
	strbuf_release(&title);
	tui_push(t, nv);
	return TUI_HANDLED | TUI_REDRAW;
}

static int territories_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct territories *tr = v->data;
	struct level *lv = &tr->lv[tr->depth];
	const struct browse_row *r;

	if (list_nav(&lv->sel, &lv->top, lv->l.n, v->h - 2, k->action, k->mouse_button))
		return TUI_HANDLED | TUI_REDRAW;
	if (k->action == ACT_MOUSE && k->mouse_y >= v->y + 2 &&
	    lv->top + (size_t)(k->mouse_y - v->y - 2) < lv->l.n) {
		size_t i = lv->top + (size_t)(k->mouse_y - v->y - 2);
		bool again = i == lv->sel;
		lv->sel = i;
		if (!(k->mouse_button == 2 || again))
			return TUI_HANDLED | TUI_REDRAW;
	} else if (k->action == ACT_BACK) {
		if (!tr->depth)
			return 0;
		tr->depth--;
		return TUI_HANDLED | TUI_REDRAW;
	} else if (k->action != ACT_ENTER) {
		return 0;
	}
	if (!lv->l.n)
		return TUI_HANDLED;
	r = &lv->l.v[lv->sel];
	if (tr->depth == 0) {
		free(tr->dep);
		tr->dep = xstrdup(r->code);
	} else if (tr->depth == 1 && lv->sel > 0) {
		free(tr->epci);
		tr->epci = r->code ? xstrdup(r->code) : NULL;
	} else {
		return drill(t, tr, r, lv->sel == 0);
	}
	if (load_level(t, tr, tr->depth + 1, r)) {
		tui_message(t, "%s", _("lecture des territoires impossible"));
		return TUI_HANDLED | TUI_REDRAW;
	}
	tr->depth++;
	return TUI_HANDLED | TUI_REDRAW;
}

static const char *territories_hint(struct tui *t, struct view *v)
{
	(void)t; (void)v;
	return _("↑↓ choisir · Entrée descendre ou lister · Échap remonter");
}

static void territories_close(struct tui *t, struct view *v)
{
	struct territories *tr = v->data;
	int i;
	(void)t;
	if (!tr)
		return;
	for (i = 0; i < 3; i++) {
		browse_list_clear(&tr->lv[i].l);
		free(tr->lv[i].parent_label);
	}
	free(tr->dep);
	free(tr->epci);
	free(tr);
}

static int territories_open_alloc(struct tui *t, struct view *v)
{
	v->data = xcalloc(1, sizeof(struct territories));
	return territories_open(t, v);
}

const struct view_ops view_territories_ops = {
	.title = N_("Territoires"),
	.open = territories_open_alloc,
	.draw = territories_draw,
	.key = territories_key,
	.close = territories_close,
	.hint = territories_hint,
};
