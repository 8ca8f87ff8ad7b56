/*
 * view_card: one structure's card, full screen and scrollable — name,
 * open now or when it opens next, hours as a French week, address and
 * contact, what it offers and to whom, its members with roles and
 * contacts, territories served, permanences, source and freshness (a
 * warning when older than a year). tui_card_lines() is also what the
 * results view shows in its card pane.
 *
 * a orients the person to this place for the theme searched (a second a,
 * or Entrée, confirms: two keys), recorded from the user's own structure
 * (db/referrals.h); f then shows the slip to hand over.
 */
#include "core/card.h"
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

struct card_view {
	long long id;
	struct card card;
	struct tui_lines raw;     /* unwrapped */
	struct tui_lines lines;   /* wrapped to the width */
	size_t top;               /* first line shown */
	long long theme_id;       /* the theme searched, 0 when none */
	char *theme_label;
	bool confirming;          /* a was pressed: the next a or Entrée records */
	long long referral;       /* the referral recorded here, 0 when none */
};

/* Records the referral to this place (the second key of a). */
static int orient_here(struct tui *t, struct card_view *cv)
{
	struct referral_new r = { 0 };
	char today[11];
	sqlite3_int64 id = 0;
	int rc;

	strftime(today, sizeof(today), "%Y-%m-%d", &t->now);
	r.to_structure = cv->id;
	r.from_structure = config_own_structure();
	r.theme_id = cv->theme_id;
	r.channel = REFERRAL_PHYSIQUE;
	r.date = today;
	if (r.from_structure == r.to_structure) {
		tui_message(t, "%s", _("c'est votre propre structure : pas d'orientation vers elle-même"));
		return TUI_HANDLED | TUI_REDRAW;
	}
	sqlite3 *w;
	rc = tui_open_db(t, DB_WRITE, &w) ? -1 : referral_add(w, &r, &id);
	db_close(w);
	if (rc) {
		tui_message(t, _("orientation non enregistrée : %s"), qfq_error_msg());
		return TUI_HANDLED | TUI_REDRAW;
	}
	cv->referral = id;
	tui_message(t, _("orientation n° %lld enregistrée · f : la fiche d'orientation à remettre"), (long long)id);
	return TUI_HANDLED | TUI_REDRAW;
}

/* a, then a or Entrée: orient to this place for the theme searched. */
static int orient_key(struct tui *t, struct card_view *cv, const struct tui_key *k)
{
	if (k->action == ACT_ORIENT && !cv->confirming) {
		if (!cv->theme_id) {
			tui_message(t, "%s", _("pour orienter, cherchez d'abord un thème (t), puis ouvrez la fiche"));
			return TUI_HANDLED | TUI_REDRAW;
		}
		cv->confirming = true;
		tui_message(t, _("a ou Entrée : orienter ici · Échap : non — pour « %s »"),
			    cv->theme_label ? cv->theme_label : "?");
		return TUI_HANDLED | TUI_REDRAW;
	}
	if (!cv->confirming)
		return 0;
	cv->confirming = false;
	if (k->action == ACT_ORIENT || k->action == ACT_ENTER)
		return orient_here(t, cv);
	tui_message(t, "%s", _("orientation annulée"));
	return TUI_HANDLED | TUI_REDRAW;
}

/* "Label : value" with the label styled. */
static void field(struct tui_lines *l, const char *label, const char *value)
{
	struct strbuf sb = STRBUF_INIT;
	size_t lab;
	if (!value || !*value)
		return;
	strbuf_addf(&sb, "%s : ", label);
	lab = sb.len;
	strbuf_addstr(&sb, value);
	tui_lines_add(l, ST_NORMAL, sb.buf, lab);
	strbuf_release(&sb);
}

static void field_list(struct tui_lines *l, const char *label, const struct card_strings *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	for (i = 0; i < s->n; i++) {
		if (i)
			strbuf_addstr(&sb, ", ");
		strbuf_addstr(&sb, s->v[i]);
	}
	field(l, label, sb.buf);
	strbuf_release(&sb);
}

static void themes_text(struct strbuf *sb, const struct card_themes *th)
{
	size_t i;
	for (i = 0; i < th->n; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		strbuf_addstr(sb, th->v[i].label);
	}
}

static void section(struct tui_lines *l, const char *title)
{
	tui_lines_add(l, ST_NORMAL, "", 0);
	tui_lines_addf(l, ST_HEADER, "── %s", title);
}

static void members(struct tui_lines *l, const struct card *c)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, j;
	if (!c->n_members)
		return;
	section(l, _("Membres"));
	for (i = 0; i < c->n_members; i++) {
		const struct card_member *m = &c->members[i];
		strbuf_reset(&sb);
		strbuf_addf(&sb, "• %s", m->display ? m->display : m->nom);
		if (m->role)
			strbuf_addf(&sb, " — %s", m->role);
		if (m->referent)
			strbuf_addstr(&sb, _(" (référent)"));
		for (j = 0; j < m->telephones.n; j++)
			strbuf_addf(&sb, " · %s", m->telephones.v[j]);
		for (j = 0; j < m->courriels.n; j++)
			strbuf_addf(&sb, " · %s", m->courriels.v[j]);
		if (m->themes.n) {
			strbuf_addstr(&sb, _(" · compétences : "));
			themes_text(&sb, &m->themes);
		}
		tui_lines_add(l, ST_NORMAL, sb.buf, 0);
	}
	strbuf_release(&sb);
}

static void permanences(struct tui_lines *l, const char *title, const struct card_permanence *p, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;
	if (!n)
		return;
	section(l, title);
	for (i = 0; i < n; i++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "• %s", p[i].lieu ? p[i].lieu : "?");
		if (p[i].commune)
			strbuf_addf(&sb, ", %s", p[i].commune);
		if (p[i].sur_rdv == 1)
			strbuf_addstr(&sb, _(" — sur rendez-vous"));
		tui_lines_add(l, ST_NORMAL, sb.buf, 0);
		if (p[i].horaires_fr)
			tui_lines_add(l, ST_NORMAL, p[i].horaires_fr, 0);
		else if (p[i].horaires)
			tui_lines_add(l, ST_NORMAL, p[i].horaires, 0);
		if (p[i].description)
			tui_lines_add(l, ST_DIM, p[i].description, 0);
	}
	strbuf_release(&sb);
}

void tui_card_lines(struct tui *t, const struct card *c, struct tui_lines *l)
{
	struct strbuf sb = STRBUF_INIT;
	(void)t;

	tui_lines_add(l, ST_HEADER, c->nom, 0);
	/* Open state: a marker and words, the colour only adds to them. */
	if (c->ouverture)
		tui_lines_addf(l, c->state == HOURS_OPEN ? ST_OK : ST_NORMAL, "%s %s",
			       c->state == HOURS_OPEN ? "●" : "○", c->ouverture);
	if (c->fermeture)
		tui_lines_addf(l, ST_NORMAL, "%s %s", _("Fermeture temporaire :"), c->fermeture);
	if (c->sans_rdv == 1)
		tui_lines_add(l, ST_OK, _("✓ accueil sans rendez-vous"), 0);
	else if (c->sans_rdv == 0)
		tui_lines_add(l, ST_NORMAL, _("sur rendez-vous"), 0);
	if (c->freshness_months >= 12)
		tui_lines_addf(l, ST_WARN, _("⚠ mis à jour il y a %d mois"), c->freshness_months);

	strbuf_reset(&sb);
	if (c->adresse)
		strbuf_addstr(&sb, c->adresse);
	if (c->complement_adresse)
		strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", c->complement_adresse);
	if (c->code_postal || c->commune)
		strbuf_addf(&sb, "%s%s%s%s", sb.len ? ", " : "", c->code_postal ? c->code_postal : "",
			    c->code_postal && c->commune ? " " : "", c->commune ? c->commune : "");
	field(l, _("Adresse"), sb.buf);
	field(l, _("Téléphone"), c->telephone);
	field_list(l, _("Courriel"), &c->courriels);
	field(l, _("Site"), c->site_web);
	field(l, _("Rendez-vous"), c->prise_rdv);
	field_list(l, _("Type"), &c->typologie_labels);

	if (c->horaires_fr || c->horaires) {
		section(l, _("Horaires"));
		if (c->horaires_fr)
			tui_lines_add(l, ST_NORMAL, c->horaires_fr, 0);
		else
			tui_lines_addf(l, ST_WARN, _("illisibles : %s"), c->horaires);
	}
	if (c->services.n || c->presentation_resume || c->publics.n) {
		section(l, _("Services"));
		strbuf_reset(&sb);
		themes_text(&sb, &c->services);
		field(l, _("Thèmes"), sb.buf);
		field(l, _("Présentation"), c->presentation_resume);
		field(l, _("Détail"), c->presentation_detail);
		field_list(l, _("Publics"), &c->publics);
		field_list(l, _("Prise en charge"), &c->prise_en_charge);
		field_list(l, _("Accès"), &c->modalites_acces);
		field_list(l, _("Accompagnement"), &c->modalites_accompagnement);
		field_list(l, _("Frais"), &c->frais);
		field_list(l, _("Dispositifs"), &c->dispositifs);
		field_list(l, _("Labels"), &c->formations_labels);
		field_list(l, _("Itinérance"), &c->itinerance);
	}
	members(l, c);
	if (c->n_territories) {
		section(l, _("Territoires servis"));
		strbuf_reset(&sb);
		card_territories_line(&sb, c);
		tui_lines_add(l, ST_NORMAL, sb.buf, 0);
	}
	permanences(l, _("Permanences tenues ailleurs"), c->permanences, c->n_permanences);
	permanences(l, _("Permanences accueillies ici"), c->hosted, c->n_hosted);
	field_list(l, _("Aussi appelé"), &c->aliases);

	section(l, _("Source"));
	strbuf_reset(&sb);
	strbuf_addstr(&sb, c->source ? c->source : _("inconnue"));
	if (c->date_maj)
		strbuf_addf(&sb, _(", mise à jour du %s"), c->date_maj);
	if (c->freshness_months >= 0)
		strbuf_addf(&sb, _(" (il y a %d mois)"), c->freshness_months);
	tui_lines_add(l, c->freshness_months >= 12 ? ST_WARN : ST_DIM, sb.buf, 0);
	strbuf_release(&sb);
}

static int card_open(struct tui *t, struct view *v)
{
	struct card_view *cv = v->data;
	int rc = card_load(t->db, cv->id, &t->now, &cv->card);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		tui_message(t, _("cette structure n'existe plus"));
		return -1;
	}
	tui_card_lines(t, &cv->card, &cv->raw);
	return 0;
}

static void card_resize(struct tui *t, struct view *v)
{
	struct card_view *cv = v->data;
	(void)t;
	tui_lines_clear(&cv->lines);
	tui_lines_wrap(&cv->raw, v->w - 2, &cv->lines);
	if (cv->top >= cv->lines.n)
		cv->top = cv->lines.n ? cv->lines.n - 1 : 0;
}

static void card_draw(struct tui *t, struct view *v)
{
	struct card_view *cv = v->data;
	tui_lines_draw(t, &cv->lines, cv->top, v->y, v->x + 1, v->h, v->w - 2);
}

static int card_key(struct tui *t, struct view *v, const struct tui_key *k)
{
	struct card_view *cv = v->data;
	size_t page = v->h > 2 ? (size_t)v->h - 1 : 1;
	size_t max = cv->lines.n > (size_t)v->h ? cv->lines.n - (size_t)v->h : 0;
	int r;
	if ((k->action == ACT_ORIENT || cv->confirming) && (r = orient_key(t, cv, k)))
		return r;
	switch (k->action) {
	case ACT_SLIP:
		tui_push(t, view_slip_new(t, cv->referral, cv->referral ? 0 : cv->id, cv->theme_label));
		break;
	case ACT_UP: if (cv->top) cv->top--; break;
	case ACT_DOWN: if (cv->top < max) cv->top++; break;
	case ACT_PAGE_UP: cv->top = cv->top > page ? cv->top - page : 0; break;
	case ACT_PAGE_DOWN: cv->top = cv->top + page < max ? cv->top + page : max; break;
	case ACT_FIRST: cv->top = 0; break;
	case ACT_LAST: cv->top = max; break;
	case ACT_BACK: return TUI_HANDLED | TUI_POP;
	case ACT_EDIT: case ACT_DELETE: /* the form (view_form.c) edits, or deletes after asking */
		tui_push(t, view_form_new(t, cv->id, k->action == ACT_DELETE));
		break;
	case ACT_MOUSE:
		if (k->mouse_button == 4)
			cv->top = cv->top > 3 ? cv->top - 3 : 0;
		else if (k->mouse_button == 5)
			cv->top = cv->top + 3 < max ? cv->top + 3 : max;
		break;
	default: return 0;
	}
	return TUI_HANDLED | TUI_REDRAW;
}

static void card_close(struct tui *t, struct view *v)
{
	struct card_view *cv = v->data;
	(void)t;
	card_clear(&cv->card);
	free(cv->theme_label);
	tui_lines_clear(&cv->raw);
	tui_lines_clear(&cv->lines);
	free(cv);
}

static const char *card_hint(struct tui *t, struct view *v)
{
	struct card_view *cv = v->data;
	(void)t;
	return cv->theme_id ? _("a orienter ici · f fiche d'orientation · ↑↓ défiler · Échap revenir")
			    : _("f fiche d'orientation · ↑↓ PgUp PgDn défiler · Échap revenir");
}

static const char *card_mode(struct tui *t, struct view *v)
{
	(void)t;
	(void)v;
	return _("fiche");
}

const struct view_ops view_card_ops = {
	.title = N_("Fiche"),
	.open = card_open,
	.draw = card_draw,
	.key = card_key,
	.resize = card_resize,
	.close = card_close,
	.hint = card_hint,
	.mode = card_mode,
};

void view_card_set_theme(struct view *v, long long theme_id, const char *label)
{
	struct card_view *cv;
	if (!v || v->ops != &view_card_ops)
		return;
	cv = v->data;
	cv->theme_id = theme_id;
	free(cv->theme_label);
	cv->theme_label = label ? xstrdup(label) : NULL;
}

struct view *view_card_new(struct tui *t, long long structure_id)
{
	struct card_view *cv = xcalloc(1, sizeof(*cv));
	cv->id = structure_id;
	return tui_view_new(t, &view_card_ops, cv);
}
