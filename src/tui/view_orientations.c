/*
 * view_orientations: the referrals recorded, newest first, with their
 * status; Entrée then 1-4 changes the status of the selected one (prise en
 * charge, réalisée, sans solution, refusée: dated today, made by the
 * user's own structure), f shows its slip. The same store as `qfq
 * orientations` and `qfq orientation ID statut` (db/referrals.h).
 */
#include "core/config.h"
#include "db/db.h"
#include "db/referrals.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct orientations {
	struct referral_list l;
	size_t sel, top;
	bool choosing;          /* Entrée was pressed: 1-4 picks the new status */
};

/* Reads the list on a fresh connection: it shows what was just recorded. */
static int load(struct tui *t, struct orientations *o)
{
	struct referral_filter f = { .status = -1 };
	sqlite3 *db;
	int rc;
	referral_list_clear(&o->l);
	if (tui_open_db(t, DB_READ, &db))
		return -1;
	rc = referral_list(db, &f, &o->l);
	db_close(db);
	if (rc)
		return -1;
	if (o->sel >= o->l.n)
		o->sel = o->l.n ? o->l.n - 1 : 0;
	return 0;
}

static int orientations_open(struct tui *t, struct view *v)
{
	return load(t, v->data);
}

static void orientations_draw(struct tui *t, struct view *v)
{
	struct orientations *o = v->data;
	struct strbuf sb = STRBUF_INIT;
	int h = v->h - 2, row;

	strbuf_addf(&sb, _("Orientations (%zu, les plus récentes d'abord) · statut"), o->l.n);
	draw_text(v->y, 1, v->w - 2, sb.buf, draw_attr(t, ST_HEADER), false);
	list_keep_visible(o->sel, &o->top, h);
	for (row = 0; row < h && o->top + (size_t)row < o->l.n; row++) {
		size_t i = o->top + (size_t)row;
		const struct referral *r = &o->l.v[i];
		strbuf_reset(&sb);
		const char *status = referral_status_word(r->status);
		size_t w;
		strbuf_addf(&sb, "%s%lld  %s  %s", i == o->sel ? "▶ " : "  ", (long long)r->id, r->date, status);
		for (w = draw_width(status); w < 17; w++) /* aligned by display width */
			strbuf_addch(&sb, ' ');
		strbuf_addf(&sb, "%s → %s · %s%s", r->from_nom ? r->from_nom : "?", r->to_nom ? r->to_nom : "?",
			    r->theme ? r->theme : "?", r->urgent ? _(" · urgent") : "");
		draw_text(v->y + 2 + row, 0, v->w, sb.buf, i == o->sel ? draw_attr(t, ST_SELECTED) : A_NORMAL, true);
	}
	if (!o->l.n)
		draw_text(v->y + 2, 2, v->w - 4, _("Aucune orientation enregistrée : sur une fiche, a oriente vers le lieu."),
			  A_NORMAL, false);
	strbuf_release(&sb);
}

/* 1-4 while choosing: the new status of the selected referral. */
static int choose(struct tui *t, struct orientations *o, const struct tui_key *k)
{
	static const int statuses[4] = { REFERRAL_PRISE_EN_CHARGE, REFERRAL_REALISEE, REFERRAL_SANS_SOLUTION,
					 REFERRAL_REFUSEE };
	const struct referral *r = &o->l.v[o->sel];
	char today[11];
	sqlite3 *w;
	int rc;
	o->choosing = false;
	if (k->is_fn || k->ch < '1' || k->ch > '4') {
		tui_message(t, "%s", _("statut inchangé"));
		return TUI_HANDLED | TUI_REDRAW;
	}
	strftime(today, sizeof(today), "%Y-%m-%d", &t->now);
	rc = tui_open_db(t, DB_WRITE, &w) ? -1
				    : referral_set_status(w, r->id, statuses[k->ch - '1'], today, 0, config_own_structure(), NULL);
	db_close(w);
	if (rc)
		tui_message(t, _("statut non changé : %s"), qfq_error_msg());
	else
		tui_message(t, _("orientation n° %lld : %s"), (long long)r->id,
			    referral_status_word(statuses[k->ch - '1']));
	if (load(t, o))
		tui_message(t, "%s", qfq_error_msg());
	return TUI_HANDLED | TUI_REDRAW;
}

static int orientations_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct orientations *o = v->data;
	if (o->choosing)
		return choose(t, o, k);
	if (list_nav(&o->sel, &o->top, o->l.n, v->h - 2, k->action, k->mouse_button))
		return TUI_HANDLED | TUI_REDRAW;
	if (!o->l.n)
		return 0;
	if (k->action == ACT_ENTER) {
		o->choosing = true;
		tui_message(t, _("n° %lld, %s → 1 prise en charge · 2 réalisée · 3 sans solution · 4 refusée · "
				 "Échap : rien"), (long long)o->l.v[o->sel].id, referral_status_word(o->l.v[o->sel].status));
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (k->action == ACT_SLIP) {
		tui_push(t, view_slip_new(t, o->l.v[o->sel].id, 0, NULL));
		return TUI_HANDLED | TUI_REDRAW;
	}
	return 0;
}

static const char *orientations_hint(struct tui *t, struct view *v)
{
	(void)t; (void)v;
	return _("↑↓ choisir · Entrée changer le statut · f fiche d'orientation · Échap revenir");
}

static void orientations_close(struct tui *t, struct view *v)
{
	struct orientations *o = v->data;
	(void)t;
	referral_list_clear(&o->l);
	free(o);
}

const struct view_ops view_orientations_ops = {
	.title = N_("Orientations"),
	.open = orientations_open,
	.draw = orientations_draw,
	.key = orientations_key,
	.close = orientations_close,
	.hint = orientations_hint,
};

struct view *view_orientations_new(struct tui *t)
{
	return tui_view_new(t, &view_orientations_ops, xcalloc(1, sizeof(struct orientations)));
}
