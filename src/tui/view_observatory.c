/*
 * view_observatory: the observatory of referrals (db/stats.h, as `qfq
 * stats`) as text bar charts: by status, by theme, by month, the themes
 * that ended "sans solution" and where; scrollable, Esc goes back.
 */
#include "db/stats.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define LABEL_W 28   /* columns for a bar's label */

struct observatory {
	struct stats s;
	struct tui_lines lines;
	size_t top;
	int width;       /* the width the lines were laid out for */
};

/* "label…   123 ██████" with the bar scaled to max over width columns. */
static void bar(struct tui_lines *l, const char *label, long n, long max, int width)
{
	struct strbuf sb = STRBUF_INIT;
	size_t w = draw_width(label), k;
	long cols = width - LABEL_W - 10, len;
	if (w > LABEL_W) {
		const char *p = label;
		size_t used = 0;
		while (*p && used < LABEL_W - 1) { /* cut by display width, whole characters */
			size_t c = 1;
			while ((p[c] & 0xc0) == 0x80)
				c++;
			strbuf_add(&sb, p, c);
			used = draw_width(sb.buf);
			p += c;
		}
		strbuf_addstr(&sb, "…");
		w = draw_width(sb.buf);
	} else {
		strbuf_addstr(&sb, label);
	}
	for (k = w; k < LABEL_W; k++)
		strbuf_addch(&sb, ' ');
	strbuf_addf(&sb, " %7ld ", n);
	len = max > 0 && cols > 0 ? (n * cols + max - 1) / max : 0;
	for (k = 0; (long)k < len; k++)
		strbuf_addstr(&sb, "█");
	tui_lines_add(l, ST_NORMAL, sb.buf, 0);
	strbuf_release(&sb);
}

static void table(struct tui_lines *l, const char *title, const struct stats_table *t, int width)
{
	long max = 0;
	size_t i;
	if (!t->n)
		return;
	tui_lines_add(l, ST_NORMAL, "", 0);
	tui_lines_addf(l, ST_HEADER, "── %s", title);
	for (i = 0; i < t->n; i++)
		if (t->v[i].count > max)
			max = t->v[i].count;
	for (i = 0; i < t->n; i++)
		bar(l, t->v[i].label ? t->v[i].label : t->v[i].key, t->v[i].count, max, width);
}

static void layout(struct observatory *o, int width)
{
	const struct stats *s = &o->s;
	long max = 0;
	size_t i;
	tui_lines_clear(&o->lines);
	o->width = width;
	tui_lines_addf(&o->lines, ST_HEADER, _("%ld orientations · réalisées : %.1f %%"), s->total,
		       s->total ? 100.0 * (double)s->by_status[REFERRAL_REALISEE] / (double)s->total : 0.0);
	if (s->days_median >= 0)
		tui_lines_addf(&o->lines, ST_NORMAL, _("délai de réalisation : médiane %.1f jours, moyenne %.1f jours"),
			       s->days_median, s->days_mean);
	tui_lines_add(&o->lines, ST_NORMAL, "", 0);
	tui_lines_addf(&o->lines, ST_HEADER, "── %s", _("Par statut"));
	for (i = 0; i < REFERRAL_N_STATUS; i++)
		if (s->by_status[i] > max)
			max = s->by_status[i];
	for (i = 0; i < REFERRAL_N_STATUS; i++)
		bar(&o->lines, referral_status_word((int)i), s->by_status[i], max, width);
	table(&o->lines, _("Par thème"), &s->t[STATS_THEME], width);
	table(&o->lines, _("Par mois"), &s->t[STATS_MONTH], width);
	table(&o->lines, _("Par commune d'origine"), &s->t[STATS_FROM_COMMUNE], width);
	table(&o->lines, _("Flux principaux"), &s->t[STATS_FLOWS], width);
	if (s->t[STATS_SANS_SOLUTION].n) {
		table(&o->lines, _("Sans solution, par thème"), &s->t[STATS_SANS_SOLUTION], width);
		for (i = 0; i < s->t[STATS_SANS_SOLUTION].n; i++)
			if (s->t[STATS_SANS_SOLUTION].v[i].where && *s->t[STATS_SANS_SOLUTION].v[i].where)
				tui_lines_addf(&o->lines, ST_DIM, "  %s : %s",
					       s->t[STATS_SANS_SOLUTION].v[i].label ? s->t[STATS_SANS_SOLUTION].v[i].label : "?",
					       s->t[STATS_SANS_SOLUTION].v[i].where);
	}
}

static int observatory_open(struct tui *t, struct view *v)
{
	struct observatory *o = v->data;
	struct stats_query q = { .top = 8 };
	sqlite3 *db;
	int rc;
	if (tui_open_db(t, DB_READ, &db)) /* fresh: what was just recorded too */
		return -1;
	rc = stats_compute(db, &q, &o->s);
	db_close(db);
	return rc;
}

static void observatory_draw(struct tui *t, struct view *v)
{
	struct observatory *o = v->data;
	if (o->width != v->w - 2)
		layout(o, v->w - 2);
	if (!o->s.total)
		draw_text(v->y, 2, v->w - 4, _("Aucune orientation enregistrée : sur une fiche, a oriente vers le lieu."),
			  A_NORMAL, false);
	else
		tui_lines_draw(t, &o->lines, o->top, v->y, v->x + 1, v->h, v->w - 2);
}

static int observatory_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct observatory *o = v->data;
	size_t sel = o->top;
	(void)t;
	if (list_nav(&sel, &o->top, o->lines.n, v->h, k->action, k->mouse_button)) {
		o->top = sel;
		return TUI_HANDLED | TUI_REDRAW;
	}
	return 0;
}

static const char *observatory_hint(struct tui *t, struct view *v)
{
	(void)t; (void)v;
	return _("↑↓ défiler · Échap revenir · qfq stats pour les tableaux complets");
}

static void observatory_close(struct tui *t, struct view *v)
{
	struct observatory *o = v->data;
	(void)t;
	stats_clear(&o->s);
	tui_lines_clear(&o->lines);
	free(o);
}

const struct view_ops view_observatory_ops = {
	.title = N_("Observatoire"),
	.open = observatory_open,
	.draw = observatory_draw,
	.key = observatory_key,
	.close = observatory_close,
	.hint = observatory_hint,
};

struct view *view_observatory_new(struct tui *t)
{
	return tui_view_new(t, &view_observatory_ops, xcalloc(1, sizeof(struct observatory)));
}
