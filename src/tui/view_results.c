/*
 * view_results: the main screen — a search line (incremental: every key
 * runs the search engine again, themes and communes recognized inside the
 * text), the list of what it found, and the selected entry's card beside
 * it (wide terminals) or below it. One file for the Structures and the
 * Personnes views and for the drill-downs of the Thèmes and Territoires
 * views: they differ only by query kind, preset filters and title.
 */
#include "core/date.h"
#include "core/card.h"
#include "core/l10n.h"
#include "core/search.h"
#include "out/motif.h"
#include "tui/draw.h"
#include "tui/lineedit.h"
#include "tui/tui.h"
#include "util/error.h"
#include "db/db.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * Rows asked per search: what the list shows and half as many again (at
 * least RESULTS_MIN), and twice as many each time the selection comes
 * within a screen of the last row loaded (fetch_more). The details of a
 * row (address, contacts, themes, hours) cost 20 to 25 µs each, and a
 * word that is both a name and a theme ("caf") asks for them twice: three
 * screens (30 rows at 80x24, 10 of them seen) cost 2 to 3 ms of every
 * keystroke at national scale.
 */
#define RESULTS_MIN 12
/*
 * Full-text matches read per keystroke at most (search.h: max_candidates).
 * A two-letter word matches up to 84,000 structures of the national
 * directory. Reading and ranking a match costs 0.3 to 0.5 µs (core/
 * search_scan.c stream_scan()), and a word of four letters or more that
 * other words begin with ("mairie": 38,000 matches) costs 3 ms more
 * whatever the cap (FTS5 merges its words' lists first): 20,000 made
 * 6 to 12 ms of the keys of "mairie" or "mission", 10,000 keeps them
 * under 10. Past the cap the best of those read are shown and the count
 * says "plus de"; the shell and the line mode, which read them all, may
 * then list others (the first in the directory's order among as good).
 */
#define RESULTS_MAX_MATCHES 10000

enum focus { FOCUS_LINE, FOCUS_LIST, FOCUS_CARD };

struct results {
	bool persons;               /* Personnes: query persons instead of structures */
	char *title;                /* drill-down title, or NULL for a top view */
	struct lineedit line;       /* the search line */
	struct tui_filters f;
	struct search_query q;
	struct search_results r;
	struct strbuf reading;      /* how the input was read ("thème … · près de …") */
	int summary_h;              /* lines of the count, reading and filters (they wrap, never cut) */
	size_t sel, top;            /* selected row, first row shown */
	enum focus focus;
	bool pending;               /* the line or filters changed: search when idle */
	size_t limit;               /* rows asked of the engine (see RESULTS_MIN) */
	bool more;                  /* the pending search only asks for more rows: keep the selection */
	bool to_last;               /* ... and then select the last one (End) */
	bool next_openings;         /* nothing open: the list is the places that open next */
	/* The card pane. */
	long long card_for;         /* structure id (or person row + 1) the pane shows; 0 none */
	struct tui_lines card_raw, card;
	size_t card_top;
	/* Layout. */
	bool side;                  /* card beside the list (wide terminal) */
	int list_y, list_h, list_w, card_y, card_x, card_h, card_w;
};

static size_t nrows(const struct results *rs)
{
	return rs->persons ? rs->r.np : rs->r.n;
}

static void card_reset(struct results *rs)
{
	rs->card_for = 0;
	rs->card_top = 0;
	tui_lines_clear(&rs->card_raw);
	tui_lines_clear(&rs->card);
}

/* Describes how the engine read the typed line (the same words as the shell's). */
static void describe_reading(struct results *rs)
{
	strbuf_reset(&rs->reading);
	out_reading(&rs->q, &rs->reading);
}

/*
 * A read transaction around what one keystroke reads (the search, the
 * card): the file is locked and checked once instead of once per
 * statement. Returns whether it began one (nothing when one is open).
 */
static bool read_begin(sqlite3 *db)
{
	return sqlite3_get_autocommit(db) && db_exec(db, "BEGIN") == 0;
}

static void read_end(sqlite3 *db, bool began)
{
	if (began && !sqlite3_get_autocommit(db))
		db_exec(db, "COMMIT");
}

/* Runs the search for the current line and filters; false when a key
 * interrupted it (the previous results stay). */
static bool search_in(struct tui *t, struct results *rs)
{
	struct tui_filters *f = &rs->f;
	struct search_results found = SEARCH_RESULTS_INIT;

	const char *theme = f->theme_slug;
	struct search_settings set = {
		.themes = theme ? &theme : NULL,
		.nthemes = theme != NULL,
		.commune = f->has_commune ? &f->commune : NULL,
		.radius_km = f->radius_km,
		.epci = f->epci,
		.departement = f->departement,
		/* o and h keep what is known open then (the unknown after, when asked) */
		.when = f->has_at ? &f->at : f->open_now ? &t->now : NULL,
		.open = f->unknown_hours ? SEARCH_OPEN_OR_UNKNOWN : SEARCH_OPEN_ONLY,
		.sans_rdv = f->sans_rdv,
		.publics = f->publics,
		.typologie = f->typologie,
		.persons = rs->persons,
		.limit = rs->limit,
		.max_candidates = RESULTS_MAX_MATCHES,
	};

	char *desk = NULL;
	int built;

	if (f->desk)
		search_desk_read(f->desk, &set, &desk);
	built = search_query_build(t->db, rs->line.text.buf, &set, &rs->q);
	free(desk);
	if (built) {
		if (tui_interrupted(t))
			return false;
		goto fail;
	}
	describe_reading(rs);
	/* Into a scratch list: an interrupted search keeps the shown results. */
	if (search_run(t->db, &rs->q, &found)) {
		search_results_clear(&found);
		if (tui_interrupted(t))
			return false;
		goto fail;
	}
	/* nothing open at the time asked: the next openings, said as such */
	rs->next_openings = false;
	if (!found.n && !rs->persons && search_open_filters(&rs->q)) {
		if (search_next_openings(t->db, &rs->q, 0, &found)) {
			search_results_clear(&found);
			goto fail;
		}
		rs->next_openings = found.n > 0;
	}
	search_results_clear(&rs->r);
	rs->r = found;
	if (rs->more) {
		/* the same query asked for more rows: the first ones are the same */
		if (rs->sel >= nrows(rs) || rs->to_last)
			rs->sel = nrows(rs) ? nrows(rs) - 1 : 0;
	} else {
		rs->sel = rs->top = 0;
		card_reset(rs);
	}
	rs->more = rs->to_last = false;
	return true;
fail:
	rs->more = rs->to_last = false;
	search_results_clear(&rs->r);
	rs->sel = rs->top = 0;
	card_reset(rs);
	tui_message(t, _("recherche impossible : %s"), qfq_error_msg());
	return true;
}

static bool search_now(struct tui *t, struct results *rs)
{
	bool began = read_begin(t->db), done = search_in(t, rs);
	read_end(t->db, began);
	return done;
}

static size_t first_limit(const struct results *rs)
{
	size_t h = (size_t)(rs->list_h > 0 ? rs->list_h : 1), n = h + h / 2;
	return n > RESULTS_MIN ? n : RESULTS_MIN;
}

/* Asks for a search once the screen is drawn (see results_idle). */
static void run_search(struct tui *t, struct results *rs)
{
	(void)t;
	rs->pending = true;
	rs->more = rs->to_last = false;
	rs->limit = first_limit(rs);
}

/* Asks for more rows when the selection nears the last one loaded. */
static void fetch_more(struct results *rs)
{
	if (rs->pending || nrows(rs) < rs->limit || rs->r.total <= nrows(rs) ||
	    rs->sel + (size_t)rs->list_h < nrows(rs))
		return;
	rs->limit = nrows(rs) * 2;
	rs->more = true;
	rs->pending = true;
}

/* End: every row, the last one selected once they are there. */
static void fetch_all(struct results *rs)
{
	if (rs->pending || rs->r.total <= nrows(rs))
		return;
	rs->limit = rs->r.total;
	rs->more = rs->to_last = true;
	rs->pending = true;
}

/* ------------------------------------------------------------------ */
/* The card pane                                                       */

static void person_lines(const struct search_person *p, struct tui_lines *l)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	tui_lines_addf(l, ST_HEADER, "%s%s%s", p->prenom ? p->prenom : "", p->prenom ? " " : "", p->nom);
	for (i = 0; i < p->nstructures; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "• %s", p->structures[i].nom);
		if (p->structures[i].role)
			strbuf_addf(&sb, " — %s", p->structures[i].role);
		tui_lines_add(l, ST_NORMAL, sb.buf, 0);
	}
	if (p->telephone) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s : %s", _("Téléphone"), p->telephone);
		tui_lines_add(l, ST_NORMAL, sb.buf, strlen(_("Téléphone")) + 3);
	}
	if (p->courriels) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s : %s", _("Courriel"), p->courriels);
		tui_lines_add(l, ST_NORMAL, sb.buf, strlen(_("Courriel")) + 3);
	}
	if (p->themes && *p->themes) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s : ", _("Compétences"));
		out_competences(p->themes, p->themes_via, &sb);
		tui_lines_add(l, ST_NORMAL, sb.buf, strlen(_("Compétences")) + 3);
	}
	if (p->nstructures)
		tui_lines_add(l, ST_DIM, _("Entrée : la fiche de sa structure · e : corriger la personne"), 0);
	strbuf_release(&sb);
}

/* "Pourquoi : à 1,1 km de Privas ; thème proposé" above the card. */
static void why_line(struct results *rs)
{
	struct strbuf sb = STRBUF_INIT;
	const struct search_reason *why = rs->persons ? &rs->r.p[rs->sel].reason : &rs->r.v[rs->sel].reason;
	double km = rs->persons ? rs->r.p[rs->sel].distance_km : rs->r.v[rs->sel].distance_km;
	strbuf_addf(&sb, "%s : ", _("Pourquoi"));
	out_motif(&rs->q, why, km, &sb);
	if (!rs->persons && rs->q.has_when && rs->r.v[rs->sel].ouvert == SEARCH_OPEN_UNKNOWN)
		strbuf_addf(&sb, " ; %s", _("horaires inconnus"));
	if (sb.len > strlen(_("Pourquoi")) + 3)
		tui_lines_add(&rs->card_raw, ST_DIM, sb.buf, strlen(_("Pourquoi")) + 3);
	strbuf_release(&sb);
}

/* Loads the pane for the selected row if it changed. */
static void card_update(struct tui *t, struct results *rs)
{
	long long want;
	struct card c;
	if (!nrows(rs)) {
		card_reset(rs);
		return;
	}
	want = rs->persons ? (long long)rs->sel + 1 : rs->r.v[rs->sel].id;
	if (want == rs->card_for && rs->card.n)
		return;
	card_reset(rs);
	rs->card_for = want;
	why_line(rs);
	if (rs->persons) {
		person_lines(&rs->r.p[rs->sel], &rs->card_raw);
	} else {
		bool began = read_begin(t->db);
		memset(&c, 0, sizeof(c));
		if (card_load(t->db, want, &t->now, &c) == 1)
			tui_card_lines(t, &c, &rs->card_raw);
		else
			tui_lines_add(&rs->card_raw, ST_WARN, qfq_error_msg(), 0);
		read_end(t->db, began);
		card_clear(&c);
	}
	tui_lines_wrap(&rs->card_raw, rs->card_w, &rs->card);
}

/* ------------------------------------------------------------------ */
/* Layout and drawing                                                  */

static void results_resize(struct tui *t, struct view *v)
{
	struct results *rs = v->data;
	int sh = rs->summary_h > 0 ? rs->summary_h : 1;
	int body = v->h - 2 - sh; /* search line, summary lines, list header */
	(void)t;
	rs->side = v->w >= 120;
	rs->list_y = v->y + 2 + sh;
	if (rs->side) {
		rs->list_w = v->w * 45 / 100;
		rs->list_h = body;
		rs->card_y = v->y + 1 + sh;
		rs->card_x = rs->list_w + 3;
		rs->card_w = v->w - rs->card_x - 1;
		rs->card_h = v->h - 1 - sh;
	} else {
		rs->list_w = v->w;
		rs->list_h = body * 45 / 100 > 4 ? body * 45 / 100 : 4;
		rs->card_y = rs->list_y + rs->list_h + 1;
		rs->card_x = 1;
		rs->card_w = v->w - 2;
		rs->card_h = v->y + v->h - rs->card_y;
	}
	if (rs->list_h < 1)
		rs->list_h = 1;
	tui_lines_clear(&rs->card);
	tui_lines_wrap(&rs->card_raw, rs->card_w, &rs->card);
}

static void keep_visible(struct results *rs)
{
	size_t h = (size_t)rs->list_h;
	if (rs->sel < rs->top)
		rs->top = rs->sel;
	else if (rs->sel >= rs->top + h)
		rs->top = rs->sel - h + 1;
}

/* "4,2 km" (French decimal comma), "12 km", or "" when unknown. */
static void format_km(char *buf, size_t n, double km)
{
	struct strbuf sb = STRBUF_INIT;
	if (km >= 0) {
		l10n_add_number(&sb, km, km < 10 ? 1 : 0);
		strbuf_addstr(&sb, " km");
	}
	snprintf(buf, n, "%s", sb.buf);
	strbuf_release(&sb);
}

/* Column widths: name takes what the others leave. */
struct cols { int name, commune, km, state; };

static struct cols columns(int w, bool state)
{
	struct cols c = { 0, 16, 8, state ? 11 : 0 };
	if (w < 70) {
		c.commune = 12;
		c.state = 0;
	}
	c.name = w - 2 - c.commune - c.km - c.state - 3;
	return c;
}

/* A next opening ("YYYY-MM-DDTHH:MM") for the state column (the summary
 * says these are next openings): "mar 09:00" within the week, "21/12 09:00"
 * beyond. */
static void next_cell(char *buf, size_t size, const char *iso, const struct tm *now)
{
	struct tm n;
	int days;

	if (!date_parse_minute(iso, &n)) {
		snprintf(buf, size, "%s", _("fermé"));
		return;
	}
	days = date_days_between(now, &n);
	if (days >= 0 && days < 7)
		snprintf(buf, size, "%.3s %02d:%02d", l10n_day(n.tm_wday), n.tm_hour, n.tm_min);
	else
		snprintf(buf, size, "%02d/%02d %02d:%02d", n.tm_mday, n.tm_mon + 1, n.tm_hour, n.tm_min);
}

static void draw_structure_row(struct tui *t, struct results *rs, size_t i, int y, bool selected)
{
	const struct search_structure *s = &rs->r.v[i];
	struct cols c = columns(rs->list_w, rs->q.has_when);
	attr_t a = selected ? draw_attr(t, ST_SELECTED) : A_NORMAL;
	char km[32];
	int x = 0;

	draw_blank(y, 0, rs->list_w, a);
	/* A marker, not only the reverse video, shows the selection. */
	draw_text(y, x, 2, selected ? "▶" : " ", a, false);
	x += 2;
	draw_text(y, x, c.name, s->nom, a, true);
	x += c.name + 1;
	draw_text(y, x, c.commune, s->commune, a, true);
	x += c.commune + 1;
	format_km(km, sizeof(km), s->distance_km);
	draw_text(y, x + c.km - (int)draw_width(km), c.km, km, a, false);
	x += c.km + 1;
	if (c.state && rs->next_openings && s->prochaine_ouverture) {
		char when[64];
		next_cell(when, sizeof(when), s->prochaine_ouverture, &t->now);
		draw_text(y, x, c.state, when, a, false);
	} else if (c.state) {
		draw_text(y, x, c.state, s->ouvert == SEARCH_OPEN ? _("ouvert") :
			  s->ouvert == SEARCH_CLOSED ? _("fermé") : _("h. inconnus"),
			  s->ouvert == SEARCH_OPEN && !selected ? draw_attr(t, ST_OK) : a, false);
	}
}

static void draw_person_row(struct tui *t, struct results *rs, size_t i, int y, bool selected)
{
	const struct search_person *p = &rs->r.p[i];
	struct cols c = columns(rs->list_w, rs->q.has_when);
	attr_t a = selected ? draw_attr(t, ST_SELECTED) : A_NORMAL;
	struct strbuf sb = STRBUF_INIT;
	int wname = c.name / 2 + 4;

	draw_blank(y, 0, rs->list_w, a);
	draw_text(y, 0, 2, selected ? "▶" : " ", a, false);
	strbuf_addf(&sb, "%s%s%s", p->prenom ? p->prenom : "", p->prenom ? " " : "", p->nom);
	draw_text(y, 2, wname, sb.buf, a, true);
	strbuf_reset(&sb);
	if (p->nstructures)
		strbuf_addstr(&sb, p->structures[0].nom);
	if (p->nstructures > 1)
		strbuf_addf(&sb, " (+%zu)", p->nstructures - 1);
	draw_text(y, 3 + wname, rs->list_w - 3 - wname, sb.buf, a, false);
	strbuf_release(&sb);
}

static void draw_list(struct tui *t, struct view *v, struct results *rs)
{
	struct cols c = columns(rs->list_w, rs->q.has_when);
	attr_t h = draw_attr(t, ST_HEADER);
	size_t i;
	int row;

	draw_blank(rs->list_y - 1, 0, rs->list_w, h);
	if (rs->persons) {
		draw_text(rs->list_y - 1, 2, rs->list_w - 2, _("Personne"), h, false);
		draw_text(rs->list_y - 1, 3 + c.name / 2 + 4, rs->list_w / 2, _("Structure"), h, false);
	} else {
		draw_text(rs->list_y - 1, 2, c.name, _("Nom"), h, false);
		draw_text(rs->list_y - 1, 3 + c.name, c.commune, _("Commune"), h, false);
		draw_text(rs->list_y - 1, 4 + c.name + c.commune + c.km - 8, 8, _("Distance"), h, false);
		if (c.state) {
			/* headed by the moment the column describes */
			struct strbuf m = STRBUF_INIT;
			out_moment(&rs->q.when, !rs->f.has_at, &m);
			draw_text(rs->list_y - 1, 5 + c.name + c.commune + c.km, c.state, m.buf, h, false);
			strbuf_release(&m);
		}
	}
	if (!nrows(rs)) {
		const char *say = rs->line.text.len || rs->f.theme_slug || rs->f.epci || rs->f.departement ||
			  rs->f.has_commune || rs->f.open_now || rs->f.has_at || rs->f.sans_rdv ||
			  rs->f.publics || rs->f.typologie || rs->f.desk ? _("Rien ne correspond : essayez moins de mots, un autre thème, "
						"un rayon plus grand (r) ou enlevez les filtres (x).")
					    : _("Tapez un nom, un thème (« caf », « smartphone ») ou une commune.");
		const char *rest;
		/* wrapped, never cut: the advice is the whole point */
		for (row = 1; *say && row < rs->list_h; row++, say = rest) {
			size_t len = draw_fit(say, rs->list_w - 4, &rest);
			draw_textn(rs->list_y + row, 2, rs->list_w - 4, say, len, A_NORMAL, false);
		}
		return;
	}
	keep_visible(rs);
	for (row = 0; row < rs->list_h && rs->top + (size_t)row < nrows(rs); row++) {
		i = rs->top + (size_t)row;
		if (rs->persons)
			draw_person_row(t, rs, i, rs->list_y + row, i == rs->sel);
		else
			draw_structure_row(t, rs, i, rs->list_y + row, i == rs->sel);
	}
}

/* The count, the reading and the filters, wrapped over up to three lines:
 * an active filter is never cut off the screen. */
static void draw_summary(struct tui *t, struct view *v, struct results *rs, const char *s)
{
	const char *rest;
	int n = draw_fit_lines(s, v->w - 2, v->w - 2), i;
	size_t len;
	if (n > 3)
		n = 3;
	if (n != rs->summary_h) {
		rs->summary_h = n;
		results_resize(t, v);
	}
	for (i = 0; i < n && *s; i++, s = rest) {
		len = draw_fit(s, v->w - 2, &rest);
		draw_textn(v->y + 1 + i, 1, v->w - 2, s, len, draw_attr(t, ST_DIM), false);
	}
}

static void results_draw(struct tui *t, struct view *v)
{
	struct results *rs = v->data;
	struct strbuf sb = STRBUF_INIT;
	const char *label = rs->persons ? _("Personne : ") : _("Recherche : ");
	int lw = (int)draw_width(label), cx;

	/* The search line. */
	draw_text(v->y, 1, lw, label, draw_attr(t, ST_HEADER), false);
	cx = lineedit_draw(&rs->line, v->y, 1 + lw, v->w - 2 - lw,
			   rs->focus == FOCUS_LINE ? A_UNDERLINE : A_NORMAL);
	if (rs->focus == FOCUS_LINE) {
		t->cursor_y = v->y;
		t->cursor_x = cx;
	}
	/* The count first (it must never be cut), then how the line was read
	 * and the filters. */
	if (rs->pending)
		strbuf_addstr(&sb, "… ");
	/* rows are loaded a few screens at a time: the count is the engine's total */
	if (rs->next_openings)
		strbuf_addf(&sb, _("rien d'ouvert · les %zu prochaines ouvertures"), rs->r.n);
	else if (rs->r.capped)
		strbuf_addf(&sb, _("plus de %zu résultats"), rs->r.total);
	else
		strbuf_addf(&sb, "%zu %s", rs->r.total, rs->r.total > 1 ? _("résultats") : _("résultat"));
	if (rs->title)
		strbuf_addf(&sb, " · %s", rs->title);
	if (rs->reading.len)
		strbuf_addf(&sb, " · %s", rs->reading.buf);
	tui_filters_describe(&rs->f, &sb);
	draw_summary(t, v, rs, sb.buf);
	strbuf_release(&sb);

	draw_list(t, v, rs);
	card_update(t, rs);
	if (rs->side) {
		/* The focused card pane gets a heavy line: a marker, not a colour. */
		draw_vline(rs->card_y, rs->list_w + 1, rs->card_h, rs->focus == FOCUS_CARD ? "┃" : "│", A_NORMAL);
	} else {
		draw_rule(rs->card_y - 1, 0, v->w, rs->focus == FOCUS_CARD ? _("Fiche [défilement]") : _("Fiche"),
			  A_NORMAL);
	}
	tui_lines_draw(t, &rs->card, rs->card_top, rs->card_y, rs->card_x, rs->card_h, rs->card_w);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

static void move_sel(struct results *rs, long delta)
{
	long n = (long)nrows(rs), s = (long)rs->sel + delta;
	if (!n)
		return;
	rs->sel = (size_t)(s < 0 ? 0 : s >= n ? n - 1 : s);
	fetch_more(rs);
}

static void scroll_card(struct results *rs, long delta)
{
	long max = (long)rs->card.n - rs->card_h, s = (long)rs->card_top + delta;
	if (max < 0)
		max = 0;
	rs->card_top = (size_t)(s < 0 ? 0 : s > max ? max : s);
}

/* The theme searched: the filter's, else the first the typed text names. */
static void searched_theme(const struct results *rs, long long *id, const char **label)
{
	*id = rs->f.theme_id;
	*label = rs->f.theme_label;
	if (!*id && rs->q.ngroups && rs->q.groups[0].themes.n) {
		*id = rs->q.groups[0].themes.v[0].id;
		*label = rs->q.groups[0].themes.v[0].label;
	}
}

static int open_selected(struct tui *t, struct results *rs)
{
	struct view *card;
	const char *label;
	long long id, theme_id;
	if (!nrows(rs))
		return TUI_HANDLED;
	if (rs->persons) {
		if (!rs->r.p[rs->sel].nstructures) {
			tui_message(t, _("cette personne n'a pas de structure connue"));
			return TUI_HANDLED | TUI_REDRAW;
		}
		id = rs->r.p[rs->sel].structures[0].id;
	} else {
		id = rs->r.v[rs->sel].id;
	}
	tui_push(t, card = view_card_new(t, id));
	searched_theme(rs, &theme_id, &label);
	view_card_set_theme(card, theme_id, label);
	return TUI_HANDLED | TUI_REDRAW;
}

static const double radii[] = { 5, 10, 15, 20, 30, 50 };

static void next_radius(struct results *rs)
{
	size_t i;
	for (i = 0; i < sizeof(radii) / sizeof(*radii); i++)
		if (radii[i] > rs->f.radius_km + 0.01) {
			rs->f.radius_km = radii[i];
			return;
		}
	rs->f.radius_km = radii[0];
}

static int mouse(struct tui *t, struct view *v, struct results *rs, const struct tui_key *k)
{
	(void)t;
	if (k->mouse_button == 4 || k->mouse_button == 5) {
		long d = k->mouse_button == 4 ? -3 : 3;
		if (k->mouse_y >= rs->card_y && (rs->side ? k->mouse_x >= rs->card_x : true))
			scroll_card(rs, d);
		else
			move_sel(rs, d);
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (k->mouse_y == v->y) {
		rs->focus = FOCUS_LINE;
	} else if (k->mouse_y >= rs->list_y && k->mouse_y < rs->list_y + rs->list_h &&
		   k->mouse_x < rs->list_w) {
		size_t i = rs->top + (size_t)(k->mouse_y - rs->list_y);
		if (i < nrows(rs)) {
			bool again = i == rs->sel;
			rs->sel = i;
			rs->focus = FOCUS_LIST;
			if (k->mouse_button == 2 || (again && k->mouse_button == 1))
				return open_selected(t, rs);
		}
	} else if (k->mouse_y >= rs->card_y) {
		rs->focus = FOCUS_CARD;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

static int results_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct results *rs = v->data;
	long page = rs->list_h > 1 ? rs->list_h - 1 : 1;
	bool card = rs->focus == FOCUS_CARD;
	int le;

	if (rs->focus == FOCUS_LINE && (k->action == ACT_TEXT || k->action == ACT_NONE)) {
		le = lineedit_key(&rs->line, k->ch, k->is_fn);
		if (le == LE_CHANGED)
			run_search(t, rs);
		return le ? TUI_HANDLED | TUI_REDRAW : 0;
	}
	switch (k->action) {
	case ACT_UP: card ? scroll_card(rs, -1) : move_sel(rs, -1); break;
	case ACT_DOWN: card ? scroll_card(rs, 1) : move_sel(rs, 1); break;
	case ACT_PAGE_UP: card ? scroll_card(rs, -(long)rs->card_h + 1) : move_sel(rs, -page); break;
	case ACT_PAGE_DOWN: card ? scroll_card(rs, rs->card_h - 1) : move_sel(rs, page); break;
	case ACT_FIRST: card ? scroll_card(rs, -(long)rs->card.n) : move_sel(rs, -(long)nrows(rs)); break;
	case ACT_LAST:
		if (card)
			scroll_card(rs, (long)rs->card.n);
		else {
			fetch_all(rs);
			move_sel(rs, (long)nrows(rs));
		}
		break;
	case ACT_ENTER: return open_selected(t, rs);
	case ACT_SEARCH: rs->focus = FOCUS_LINE; break;
	case ACT_FOCUS:
		rs->focus = rs->focus == FOCUS_LINE ? FOCUS_LIST : rs->focus == FOCUS_LIST ? FOCUS_CARD : FOCUS_LINE;
		break;
	case ACT_BACK:
		/* Back one step: card pane -> list -> search line -> leave (a
		 * drill-down; the main loop pops it). A drill-down's list with
		 * nothing typed leaves at once. Never erases what was typed:
		 * Ctrl-U does. */
		if (rs->focus == FOCUS_CARD) {
			rs->focus = FOCUS_LIST;
		} else if (rs->focus == FOCUS_LIST) {
			if (rs->title && !rs->line.text.len)
				return 0;
			rs->focus = FOCUS_LINE;
		} else if (rs->title) {
			return 0;
		} else if (rs->line.text.len) {
			tui_message(t, _("Ctrl-U efface la recherche · Tab va à la liste"));
		}
		break;
	case ACT_CLEAR_LINE:
		lineedit_set(&rs->line, "");
		rs->focus = FOCUS_LINE;
		run_search(t, rs);
		break;
	case ACT_RADIUS: next_radius(rs); run_search(t, rs); break;
	case ACT_OPEN_NOW: rs->f.open_now = !rs->f.open_now; run_search(t, rs); break;
	case ACT_UNKNOWN_HOURS:
		rs->f.unknown_hours = !rs->f.unknown_hours;
		tui_message(t, "%s", rs->f.unknown_hours ? _("horaires inconnus ajoutés après les lieux ouverts")
						     : _("seulement les lieux dont les horaires disent ouvert"));
		run_search(t, rs);
		break;
	case ACT_SANS_RDV: rs->f.sans_rdv = !rs->f.sans_rdv; run_search(t, rs); break;
	case ACT_CLEAR:
		tui_filters_clear(&rs->f);
		tui_filters_init(t, &rs->f);
		run_search(t, rs);
		break;
	case ACT_MOUSE: return mouse(t, v, rs, k);
	case ACT_EDIT: case ACT_DELETE:
		/* a person is corrected from its row (a structure, from its card) */
		if (!rs->persons || !nrows(rs))
			return 0;
		run_search(t, rs); /* read again when the form closes */
		tui_push(t, view_form_person_new(t, rs->r.p[rs->sel].id, k->action == ACT_DELETE));
		return TUI_HANDLED | TUI_REDRAW;
	default: return 0;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

static bool results_typing(struct tui *t, struct view *v)
{
	(void)t;
	return ((struct results *)v->data)->focus == FOCUS_LINE;
}

/* Every key that works where the keys go (the status line wraps rather than cut). */
static const char *results_hint(struct tui *t, struct view *v)
{
	struct results *rs = v->data;
	(void)t;
	if (rs->focus == FOCUS_LINE)
		return _("tapez pour chercher · ↑↓ choisir · Entrée fiche · Tab liste · Ctrl-U effacer · "
			 "F7 thème · F8 commune");
	if (rs->focus == FOCUS_CARD)
		return _("↑↓ PgUp PgDn défiler · Tab recherche · Échap liste");
	if (rs->persons)
		return _("↑↓ Entrée fiche de sa structure · e corriger la personne · / chercher · c commune · "
			 "r rayon · x filtres");
	/* two lines at 80 columns: the arrows go without saying "choisir" */
	return _("↑↓ Entrée fiche · / chercher · t thème · c commune · r rayon · o ouvert · "
		 "h heure · s sans rdv · p publics · y type · x filtres");
}

static const char *results_mode(struct tui *t, struct view *v)
{
	struct results *rs = v->data;
	(void)t;
	return rs->focus == FOCUS_LINE ? _("recherche") : rs->focus == FOCUS_LIST ? _("liste") : _("fiche");
}

static int results_open(struct tui *t, struct view *v)
{
	run_search(t, v->data);
	return 0;
}

static bool results_idle(struct tui *t, struct view *v)
{
	struct results *rs = v->data;
	if (!rs->pending)
		return false;
	if (!search_now(t, rs))
		return false; /* a key is waiting: it will ask again */
	rs->pending = false;
	return true;
}

static void results_close(struct tui *t, struct view *v)
{
	struct results *rs = v->data;
	(void)t;
	free(rs->title);
	lineedit_release(&rs->line);
	tui_filters_clear(&rs->f);
	search_query_clear(&rs->q);
	search_results_clear(&rs->r);
	strbuf_release(&rs->reading);
	card_reset(rs);
	free(rs);
}

const struct view_ops view_results_ops = {
	.title = N_("Résultats"),
	.open = results_open,
	.draw = results_draw,
	.key = results_key,
	.resize = results_resize,
	.close = results_close,
	.typing = results_typing,
	.hint = results_hint,
	.mode = results_mode,
	.idle = results_idle,
};

struct view *view_results_new(struct tui *t, bool persons, const struct tui_filters *preset,
			      const char *title)
{
	struct results *rs = xcalloc(1, sizeof(*rs));
	rs->persons = persons;
	rs->title = title ? xstrdup(title) : NULL;
	strbuf_init(&rs->line.text, 0);
	strbuf_init(&rs->reading, 0);
	search_query_init(&rs->q);
	if (preset)
		tui_filters_copy(&rs->f, preset);
	else
		tui_filters_init(t, &rs->f);
	/* A drill-down starts on its list; a top view on its search line. */
	rs->focus = preset ? FOCUS_LIST : FOCUS_LINE;
	return tui_view_new(t, &view_results_ops, rs);
}

bool view_is_results(const struct view *v)
{
	return v && v->ops == &view_results_ops;
}

void view_results_set_theme(struct tui *t, struct view *v, long long id, const char *slug,
			    const char *label)
{
	struct results *rs = v->data;
	tui_filters_set_theme(&rs->f, id, slug, label);
	rs->focus = FOCUS_LIST; /* after a picker, the keys of the list (r, o...) are not typed */
	run_search(t, rs);
}

void view_results_set_filter(struct tui *t, struct view *v, enum tui_action which, const char *text)
{
	struct results *rs = v->data;
	struct tui_filters *f = &rs->f;
	char **slot = which == ACT_PUBLICS ? &f->publics : which == ACT_TYPOLOGY ? &f->typologie :
		      which == ACT_DESK ? &f->desk : &f->at_text;
	struct tm at;

	if (which == ACT_OPEN_AT && *text) {
		if (search_parse_when(text, &t->now, &at)) {
			tui_message(t, _("heure non comprise : %s"), qfq_error_msg());
			return;
		}
		f->at = at;
	}
	if (which == ACT_OPEN_AT)
		f->has_at = *text != '\0';
	free(*slot);
	*slot = *text ? xstrdup(text) : NULL;
	rs->focus = FOCUS_LIST;
	run_search(t, rs);
}

void view_results_set_commune(struct tui *t, struct view *v, const struct commune *c)
{
	struct results *rs = v->data;
	tui_filters_set_commune(&rs->f, c);
	rs->focus = FOCUS_LIST;
	run_search(t, rs);
}
