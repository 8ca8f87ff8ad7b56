/* test_geo: distances and boxes (src/core/geo.c). */
#include "core/geo.h"
#include "tap.h"

#include <math.h>

int main(void)
{
	struct geo_box b;
	/* Privas (44.72136, 4.59492) to Annonay (45.2403521, 4.6688647): about 58 km */
	double d = geo_distance_km(44.72136, 4.59492, 45.2403521, 4.6688647);
	ok(d > 57.0 && d < 59.0, "Privas-Annonay is about 58 km (got %.2f)", d);
	ok(geo_distance_km(44.7, 4.6, 44.7, 4.6) < 1e-9, "a point is 0 km from itself");
	d = geo_distance_km(48.8566, 2.3522, 43.2965, 5.3698);
	ok(d > 655.0 && d < 665.0, "Paris-Marseille is about 660 km (got %.1f)", d);
	geo_box_around(44.72, 4.59, 20.0, &b);
	ok(b.min_lat < 44.72 - 0.17 && b.max_lat > 44.72 + 0.17, "20 km box spans about 0.18 degrees of latitude");
	ok(b.max_lon - b.min_lon > 2 * (b.max_lat - b.min_lat) * 0.9 / cos(44.72 * M_PI / 180) * 0.5,
	   "longitude span widens with latitude");
	ok(geo_distance_km(44.72, 4.59, b.max_lat, 4.59) >= 19.99, "box edge is at least 20 km away");
	ok(geo_in_france(44.72, 4.59), "Privas is in France");
	ok(geo_in_france(-21.1, 55.5), "La Réunion is in France");
	ok(!geo_in_france(4.59, 44.72), "swapped coordinates are not in France");
	ok(!geo_in_france(0, 0), "0,0 is not in France");
	return tap_done();
}
