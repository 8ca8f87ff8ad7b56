/*
 * map: `qfq map --theme T [--radius KM] [--departement D | --epci E]
 * [--sans-rdv] > carte.svg`, the coverage of a territory (the same as qfq
 * gaps, db/coverage.h) drawn as an SVG map (out/map_svg.h): every commune a
 * mark sized by population, covered or not by colour and shape, the
 * offering places, a legend and a scale bar.
 * Exit 0 written, 2 bad usage.
 */
#include "cmd/cmd.h"
#include "core/themes.h"
#include "out/map_svg.h"
#include "util/i18n.h"
#include "util/strbuf.h"

#include <string.h>

static int map_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_coverage c;
	struct theme_list themes = { 0 };
	struct strbuf title = STRBUF_INIT, svg = STRBUF_INIT;
	sqlite3 *db;
	int rc;

	if ((rc = cmd_open_db(&cmd_map, ctx, DB_READ, &db)))
		return rc;
	if (!(rc = cmd_coverage_run(&cmd_map, db, argc, argv, &c))) {
		strbuf_addstr(&title, c.area.nom ? c.area.nom : c.area.departement ? c.area.departement : c.area.epci);
		if (!themes_resolve(db, c.opts.theme, &themes) && themes.n)
			strbuf_addf(&title, " · %s", themes.v[0].label);
		strbuf_addf(&title, " · %g km%s", c.opts.radius, c.opts.sans_rdv ? _(" · sans rendez-vous") : "");
		map_svg(&svg, &c.cov, title.buf, c.opts.radius);
		if (fwrite(svg.buf, 1, svg.len, ctx->out) != svg.len || fflush(ctx->out))
			rc = QFQ_EXIT_FAIL;
	}
	cmd_coverage_clear(&c);
	theme_list_clear(&themes);
	strbuf_release(&title);
	strbuf_release(&svg);
	db_close(db);
	return rc;
}

const struct cmd cmd_map = {
	.name = "map",
	.summary = N_("the map of a territory's coverage for a theme, as SVG"),
	.usage = N_("map --theme T [--radius KM] [--departement D | --epci E] [--sans-rdv] > carte.svg"),
	.help = N_("Draws the communes of the territory, each a mark at its centre sized by its\n"
		   "population: a filled circle when covered (a place offering theme T within the\n"
		   "radius, or one declaring to serve it, as qfq gaps counts), a hollow square\n"
		   "when not; the offering places as triangles; a legend and a scale bar.\n"
		   "Readable printed in black and white (shape as well as colour).\n\n"
		   "  --theme T        the theme\n"
		   "  --radius KM      within this distance (default: qfq config rayon, else 15)\n"
		   "  --departement D  the territory: a département (default: that of your commune)\n"
		   "  --epci E         the territory: an EPCI (name or SIREN)\n"
		   "  --sans-rdv       count only the places that take people without appointment\n"
		   "  (--format is refused: the map is SVG only)\n\n"
		   "Exit status: 0 written, 2 bad usage."),
	.exec = map_exec,
};
