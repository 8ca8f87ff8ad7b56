/*
 * map_svg: the coverage of a territory as a self-contained SVG map (`qfq
 * map`): every commune one mark at its centre, its area proportional to
 * its population; covered communes a filled circle, the others a hollow
 * square (shape as well as colour, so a black-and-white print reads), the
 * offering places small triangles, a legend, a scale bar and a title.
 * Projection: equirectangular around the territory's middle latitude,
 * good enough at the scale of a département. Every text is escaped.
 */
#ifndef QFQ_OUT_MAP_SVG_H
#define QFQ_OUT_MAP_SVG_H

struct coverage;
struct strbuf;

/* Appends the SVG document of c; title (e.g. "Ardèche · smartphone · 10 km"). */
void map_svg(struct strbuf *sb, const struct coverage *c, const char *title, double radius_km);

#endif
