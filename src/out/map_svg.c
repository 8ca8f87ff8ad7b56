/*
 * map_svg: drawing the coverage map (see map_svg.h).
 */
#include "out/map_svg.h"
#include "db/coverage.h"
#include "out/html.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <math.h>

#define MAP_W 800.0        /* drawing width in px, the legend below */
#define MARGIN 20.0
#define LEGEND_H 110.0
#define KM_PER_DEGREE 111.195

struct frame {
	double min_lat, max_lat, min_lon, max_lon;
	double kx;              /* km per degree of longitude at the middle latitude */
	double scale;           /* px per km */
	double h;               /* drawing height in px */
};

static void frame_fit(struct frame *f, const struct coverage *c)
{
	size_t i;
	double wkm, hkm;
	f->min_lat = f->min_lon = 1e9;
	f->max_lat = f->max_lon = -1e9;
	for (i = 0; i < c->n; i++) {
		if (!c->v[i].has_coords)
			continue;
		f->min_lat = fmin(f->min_lat, c->v[i].lat);
		f->max_lat = fmax(f->max_lat, c->v[i].lat);
		f->min_lon = fmin(f->min_lon, c->v[i].lon);
		f->max_lon = fmax(f->max_lon, c->v[i].lon);
	}
	if (f->min_lat > f->max_lat) { /* no commune placed */
		f->min_lat = f->max_lat = 46.5;
		f->min_lon = f->max_lon = 2.5;
	}
	f->kx = KM_PER_DEGREE * cos((f->min_lat + f->max_lat) / 2 * M_PI / 180);
	wkm = fmax((f->max_lon - f->min_lon) * f->kx, 1);
	hkm = fmax((f->max_lat - f->min_lat) * KM_PER_DEGREE, 1);
	f->scale = (MAP_W - 2 * MARGIN) / wkm;
	if (hkm * f->scale > 1.4 * MAP_W) /* a tall territory: fit its height */
		f->scale = 1.4 * MAP_W / hkm;
	f->h = hkm * f->scale + 2 * MARGIN;
}

static double px(const struct frame *f, double lon) { return MARGIN + (lon - f->min_lon) * f->kx * f->scale; }
static double py(const struct frame *f, double lat)
{
	return 40 + MARGIN + (f->max_lat - lat) * KM_PER_DEGREE * f->scale;
}

/* Radius in px of a commune mark: area proportional to population. */
static double mark_r(long pop, long max_pop)
{
	return 1.5 + 10.0 * sqrt((double)(pop > 0 ? pop : 0) / (double)(max_pop > 0 ? max_pop : 1));
}

static void commune_mark(struct strbuf *sb, const struct coverage_commune *c, double x, double y, double r)
{
	strbuf_addf(sb, "<g class=\"commune %s\" data-insee=\"", c->near || c->declared ? "couverte" : "non-couverte");
	html_escape(sb, c->code_insee);
	strbuf_addstr(sb, "\"><title>");
	html_escape(sb, c->nom);
	strbuf_addf(sb, " (%ld hab.)", c->population);
	if (c->nearest_km >= 0) {
		struct strbuf t = STRBUF_INIT;
		strbuf_addf(&t, _(", nearest offer %.1f km"), c->nearest_km);
		html_escape(sb, t.buf);
		strbuf_release(&t);
	}
	strbuf_addstr(sb, "</title>");
	if (c->near || c->declared)
		strbuf_addf(sb, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#1b7837\" fill-opacity=\"0.75\" "
			    "stroke=\"#000\" stroke-width=\"0.5\"/>", x, y, r);
	else
		strbuf_addf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fff\" "
			    "stroke=\"#b2182b\" stroke-width=\"1.5\"/>", x - r, y - r, 2 * r, 2 * r);
	strbuf_addstr(sb, "</g>\n");
}

static void triangle(struct strbuf *sb, double x, double y, double s, const char *cls)
{
	strbuf_addf(sb, "<path class=\"%s\" d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"#000\"/>", cls, x, y - s,
		    x - s, y + s * 0.8, x + s, y + s * 0.8);
}

/* A scale bar of a round length close to a fifth of the width. */
static void scale_bar(struct strbuf *sb, const struct frame *f, double y)
{
	static const double steps[] = { 1, 2, 5, 10, 20, 25, 50, 100, 200, 500 };
	double km = steps[0], w;
	size_t i;
	for (i = 0; i < sizeof(steps) / sizeof(*steps); i++)
		if (steps[i] * f->scale <= MAP_W / 5)
			km = steps[i];
	w = km * f->scale;
	strbuf_addf(sb, "<g class=\"echelle\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"6\" fill=\"#000\"/>"
		    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">%g km</text></g>\n",
		    MAP_W - MARGIN - w, y, w, MAP_W - MARGIN - w, y - 4, km);
}

static void legend(struct strbuf *sb, double y, double radius_km, size_t n_places)
{
	struct strbuf t = STRBUF_INIT;
	strbuf_addf(sb, "<g class=\"legende\" font-size=\"13\">\n"
		    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"#1b7837\" fill-opacity=\"0.75\" stroke=\"#000\" "
		    "stroke-width=\"0.5\"/><text x=\"%.1f\" y=\"%.1f\">", MARGIN + 6, y, MARGIN + 20, y + 4);
	strbuf_reset(&t);
	strbuf_addf(&t, _("commune covered (an offer within %g km, or declared served)"), radius_km);
	html_escape(sb, t.buf);
	strbuf_addf(sb, "</text>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"#fff\" "
		    "stroke=\"#b2182b\" stroke-width=\"1.5\"/><text x=\"%.1f\" y=\"%.1f\">", MARGIN, y + 16,
		    MARGIN + 20, y + 26);
	html_escape(sb, _("commune not covered"));
	strbuf_addstr(sb, "</text>\n");
	triangle(sb, MARGIN + 6, y + 44, 5, "legende-lieu");
	strbuf_addf(sb, "<text x=\"%.1f\" y=\"%.1f\">", MARGIN + 20, y + 48);
	strbuf_reset(&t);
	strbuf_addf(&t, _("place offering the theme (%zu)"), n_places);
	html_escape(sb, t.buf);
	strbuf_addf(sb, "</text>\n<text x=\"%.1f\" y=\"%.1f\">", MARGIN, y + 70);
	html_escape(sb, _("mark size: population of the commune"));
	strbuf_addstr(sb, "</text>\n</g>\n");
	strbuf_release(&t);
}

void map_svg(struct strbuf *sb, const struct coverage *c, const char *title, double radius_km)
{
	struct frame f;
	long max_pop = 1;
	size_t i, shown = 0;
	double h;

	frame_fit(&f, c);
	h = 40 + f.h + LEGEND_H;
	for (i = 0; i < c->n; i++)
		if (c->v[i].population > max_pop)
			max_pop = c->v[i].population;
	strbuf_addf(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
		    "font-family=\"sans-serif\">\n<title>", MAP_W, h, MAP_W, h);
	html_escape(sb, title);
	strbuf_addf(sb, "</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
		    "<text x=\"%.1f\" y=\"28\" font-size=\"18\" font-weight=\"bold\">", MARGIN);
	html_escape(sb, title);
	strbuf_addstr(sb, "</text>\n<g class=\"lieux\">\n");
	for (i = 0; i < c->n_places; i++) {
		const struct coverage_place *p = &c->places[i];
		if (p->lat < f.min_lat - 0.05 || p->lat > f.max_lat + 0.05 || p->lon < f.min_lon - 0.05 ||
		    p->lon > f.max_lon + 0.05)
			continue;
		triangle(sb, px(&f, p->lon), py(&f, p->lat), 3.5, "lieu");
		strbuf_addch(sb, '\n');
		shown++;
	}
	strbuf_addstr(sb, "</g>\n<g class=\"communes\">\n");
	for (i = 0; i < c->n; i++) {
		const struct coverage_commune *cc = &c->v[i];
		if (cc->has_coords)
			commune_mark(sb, cc, px(&f, cc->lon), py(&f, cc->lat), mark_r(cc->population, max_pop));
	}
	strbuf_addstr(sb, "</g>\n");
	scale_bar(sb, &f, 40 + f.h + 10);
	legend(sb, 40 + f.h + 30, radius_km, shown);
	strbuf_addstr(sb, "</svg>\n");
}
