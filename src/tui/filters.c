/* filters: the filters of a result list and their one-line description. */
#include "core/text.h"
#include "out/motif.h"
#include "tui/tui.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void commune_copy(struct commune *dst, const struct commune *src)
{
	*dst = *src;
	dst->code_insee = dup_or_null(src->code_insee);
	dst->nom = dup_or_null(src->nom);
	dst->departement = dup_or_null(src->departement);
	dst->departement_nom = dup_or_null(src->departement_nom);
	dst->epci = dup_or_null(src->epci);
	dst->epci_nom = dup_or_null(src->epci_nom);
	dst->codes_postaux = dup_or_null(src->codes_postaux);
	dst->matched = dup_or_null(src->matched);
}

void tui_filters_init(struct tui *t, struct tui_filters *f)
{
	memset(f, 0, sizeof(*f));
	f->radius_km = t->default_radius;
	if (t->has_default_commune) {
		commune_copy(&f->commune, &t->default_commune);
		f->has_commune = true;
	}
}

void tui_filters_clear(struct tui_filters *f)
{
	free(f->theme_slug);
	free(f->theme_label);
	if (f->has_commune)
		commune_clear(&f->commune);
	free(f->at_text);
	free(f->publics);
	free(f->typologie);
	free(f->desk);
	free(f->epci);
	free(f->epci_nom);
	free(f->departement);
	memset(f, 0, sizeof(*f));
}

void tui_filters_copy(struct tui_filters *dst, const struct tui_filters *src)
{
	*dst = *src;
	dst->theme_slug = dup_or_null(src->theme_slug);
	dst->theme_label = dup_or_null(src->theme_label);
	if (src->has_commune)
		commune_copy(&dst->commune, &src->commune);
	dst->at_text = dup_or_null(src->at_text);
	dst->publics = dup_or_null(src->publics);
	dst->typologie = dup_or_null(src->typologie);
	dst->desk = dup_or_null(src->desk);
	dst->epci = dup_or_null(src->epci);
	dst->epci_nom = dup_or_null(src->epci_nom);
	dst->departement = dup_or_null(src->departement);
}

void tui_filters_set_theme(struct tui_filters *f, long long id, const char *slug, const char *label)
{
	free(f->theme_slug);
	free(f->theme_label);
	f->theme_id = id;
	f->theme_slug = dup_or_null(slug);
	f->theme_label = dup_or_null(label);
}

void tui_filters_describe(const struct tui_filters *f, struct strbuf *sb)
{
#define SEP() strbuf_addstr(sb, " · ")
	if (f->has_at) {
		SEP();
		strbuf_addf(sb, _("ouvert %s"), f->at_text);
	} else if (f->open_now) {
		SEP();
		strbuf_addstr(sb, _("ouvert maintenant"));
	}
	if (f->sans_rdv) {
		SEP();
		strbuf_addstr(sb, _("sans rendez-vous"));
	}
	if (f->publics) {
		SEP();
		strbuf_addf(sb, _("publics : %s"), f->publics);
	}
	if (f->typologie) {
		SEP();
		strbuf_addf(sb, _("type : %s"), f->typologie);
	}
	if (f->desk) {
		SEP();
		strbuf_addf(sb, _("guichet : %s"), f->desk);
	}
	if (f->epci_nom) {
		SEP();
		strbuf_addf(sb, _("EPCI %s"), f->epci_nom);
	}
	if (f->departement) {
		SEP();
		strbuf_addf(sb, _("département %s"), f->departement);
	}
#undef SEP
}

void tui_filters_set_commune(struct tui_filters *f, const struct commune *c)
{
	if (f->has_commune)
		commune_clear(&f->commune);
	commune_copy(&f->commune, c);
	f->has_commune = true;
}
