/* motif: the words of a search's reasons, reading and moment (see motif.h). */
#include "out/motif.h"
#include "core/hours.h"
#include "core/l10n.h"
#include "core/text.h"
#include "util/i18n.h"

#include <stdio.h>
#include <string.h>

static void sep(struct strbuf *sb, size_t start, const char *with)
{
	if (sb->len > start)
		strbuf_addstr(sb, with);
}

/* The reasons of place, one phrase each. */
static void place_reasons(const struct search_query *q, const struct search_reason *r, double km,
			  struct strbuf *sb, size_t start)
{
	if (r->why & SEARCH_WHY_RADIUS) {
		sep(sb, start, " ; ");
		struct strbuf kms = STRBUF_INIT, de = STRBUF_INIT;
		l10n_add_km(&kms, km);
		l10n_add_de(&de, q->commune_nom);
		if (q->commune_nom)
			strbuf_addf(sb, _("à %s %s"), kms.buf, de.buf); /* "à 2,2 km d'Annonay" */
		else
			strbuf_addf(sb, _("à %s"), kms.buf);
		strbuf_release(&kms);
		strbuf_release(&de);
	}
	if (r->why & SEARCH_WHY_COMMUNE) {
		sep(sb, start, " ; ");
		if (q->has_commune)
			strbuf_addf(sb, _("dessert %s"), q->commune_nom ? q->commune_nom : q->commune_insee);
		else
			strbuf_addstr(sb, _("dessert une commune du territoire"));
	}
	if (r->why & SEARCH_WHY_EPCI) {
		sep(sb, start, " ; ");
		strbuf_addstr(sb, _("dessert l'EPCI"));
	}
	if (r->why & SEARCH_WHY_DEP) {
		sep(sb, start, " ; ");
		strbuf_addstr(sb, _("dessert le département"));
	}
	if (r->why & SEARCH_WHY_REGION) {
		sep(sb, start, " ; ");
		strbuf_addstr(sb, _("dessert la région"));
	}
	if (r->why & SEARCH_WHY_PERM) {
		sep(sb, start, " ; ");
		strbuf_addf(sb, _("permanence à %s"), r->perm_commune ? r->perm_commune : "?");
		if (r->perm_km > 0) {
			strbuf_addstr(sb, " (");
			l10n_add_km(sb, r->perm_km);
			strbuf_addch(sb, ')');
		}
	}
	if (r->why & SEARCH_WHY_IN_EPCI) {
		sep(sb, start, " ; ");
		strbuf_addstr(sb, _("dans l'EPCI"));
	}
	if (r->why & SEARCH_WHY_IN_DEP) {
		sep(sb, start, " ; ");
		strbuf_addstr(sb, _("dans le département"));
	}
}

/* The desk filters asked (a result meets every one), joined with with. */
static void desk_words(const struct search_query *q, struct strbuf *sb, size_t start, const char *with)
{
	if (q->gratuit) {
		sep(sb, start, with);
		strbuf_addstr(sb, _("gratuit"));
	}
	if (q->prise_en_charge) {
		sep(sb, start, with);
		strbuf_addf(sb, _("prise en charge %s"), q->prise_en_charge);
	}
	if (q->acces) {
		sep(sb, start, with);
		strbuf_addf(sb, _("accès %s"), q->acces);
	}
	if (q->rdv_en_ligne) {
		sep(sb, start, with);
		strbuf_addstr(sb, _("rendez-vous en ligne"));
	}
}

void out_motif(const struct search_query *q, const struct search_reason *r, double distance_km,
	       struct strbuf *sb)
{
	size_t start = sb->len;
	if (r->why & SEARCH_WHY_NAME) {
		strbuf_addstr(sb, _("nom trouvé"));
	}
	place_reasons(q, r, distance_km, sb, start);
	if (r->why & SEARCH_WHY_THEME) {
		sep(sb, start, " ; ");
		strbuf_addstr(sb, _("thème proposé"));
	}
	if (r->why & SEARCH_WHY_PARENT) {
		sep(sb, start, " ; ");
		strbuf_addf(sb, _("service parent proposé (%s)"), r->parents ? r->parents : "");
	}
	if (r->why & SEARCH_WHY_DECLARED) {
		sep(sb, start, " ; ");
		strbuf_addstr(sb, _("compétence déclarée"));
	}
	if (r->why & SEARCH_WHY_VIA) {
		sep(sb, start, " ; ");
		strbuf_addstr(sb, _("thème de sa structure"));
	}
	if (r->why & SEARCH_WHY_TEXT) {
		sep(sb, start, " ; ");
		strbuf_addstr(sb, _("texte trouvé"));
	}
	if ((r->why & SEARCH_WHY_TYPE) && q->typologie) {
		sep(sb, start, " ; ");
		strbuf_addf(sb, _("type %s"), q->typologie);
	}
	if (r->why & SEARCH_WHY_DESK)
		desk_words(q, sb, start, " ; ");
}

void out_moment(const struct tm *when, bool now, struct strbuf *sb)
{
	if (now) {
		strbuf_addstr(sb, _("maintenant"));
		return;
	}
	strbuf_addf(sb, "%s %02d:%02d", l10n_day(when->tm_wday), when->tm_hour, when->tm_min);
}

const char *out_open_word(enum search_open o)
{
	return o == SEARCH_OPEN ? _("ouvert") : o == SEARCH_CLOSED ? _("fermé") : _("horaires inconnus");
}

void out_reading(const struct search_query *q, struct strbuf *sb)
{
	size_t start = sb->len, i, j;
	for (i = 0; i < q->ngroups; i++) {
		const struct search_theme_group *g = &q->groups[i];
		sep(sb, start, " · ");
		if (g->name_too)
			strbuf_addf(sb, _("nom « %s » puis "), g->typed);
		strbuf_addstr(sb, _("thème "));
		for (j = 0; j < g->themes.n; j++)
			strbuf_addf(sb, "%s« %s »", j ? _(" ou ") : "", g->themes.v[j].label);
	}
	if (q->has_commune) {
		const char *nom = q->commune_nom ? q->commune_nom : q->commune_insee;
		struct strbuf de = STRBUF_INIT, km = STRBUF_INIT;
		sep(sb, start, " · ");
		l10n_add_de(&de, nom);
		l10n_add_number(&km, q->radius_km, q->radius_km == (int)q->radius_km ? 0 : 1);
		strbuf_addf(sb, _("autour %s (%s km)"), de.buf, km.buf); /* "autour d'Annonay (15 km)" */
		strbuf_release(&de);
		strbuf_release(&km);
	}
	if (q->text && *q->text) {
		sep(sb, start, " · ");
		strbuf_addf(sb, _("texte « %s »"), q->text);
	}
}

void out_filters(const struct search_query *q, bool now, struct strbuf *sb)
{
	size_t start = sb->len;
	if (q->epci) {
		sep(sb, start, " · ");
		strbuf_addf(sb, _("EPCI %s"), q->epci);
	}
	if (q->departement) {
		sep(sb, start, " · ");
		strbuf_addf(sb, _("département %s"), q->departement);
	}
	if (search_open_filters(q)) {
		sep(sb, start, " · ");
		strbuf_addstr(sb, _("ouvert "));
		out_moment(&q->when, now, sb);
		if (q->open == SEARCH_OPEN_OR_UNKNOWN)
			strbuf_addstr(sb, _(", puis horaires inconnus"));
	}
	if (q->sans_rdv) {
		sep(sb, start, " · ");
		strbuf_addstr(sb, _("sans rendez-vous"));
	}
	if (q->typologie) {
		sep(sb, start, " · ");
		strbuf_addf(sb, _("type %s"), q->typologie);
	}
	if (q->publics) {
		sep(sb, start, " · ");
		strbuf_addf(sb, _("public %s"), q->publics);
	}
	desk_words(q, sb, start, " · ");
}

void out_competences(const char *themes, const char *via, struct strbuf *sb)
{
	size_t start = sb->len;
	while (themes && *themes) {
		size_t n = strcspn(themes, "|"), v = via ? strcspn(via, "|") : 0;
		sep(sb, start, " ; ");
		strbuf_add(sb, themes, n);
		if (via && v)
			strbuf_addf(sb, " (%s %.*s)", _("via"), (int)v, via);
		else if (via)
			strbuf_addf(sb, " (%s)", _("déclarée"));
		themes += n + (themes[n] == '|');
		if (via)
			via += v + (via[v] == '|');
	}
}
