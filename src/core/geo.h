/*
 * geo: distances on the Earth and the bounding boxes that let the R*Tree
 * index answer radius queries.
 */
#ifndef QFQ_CORE_GEO_H
#define QFQ_CORE_GEO_H

#include <stdbool.h>

struct geo_box {
	double min_lat, max_lat, min_lon, max_lon;
};

/* Great-circle distance in km (haversine, mean Earth radius 6371 km). */
double geo_distance_km(double lat1, double lon1, double lat2, double lon2);
/* The smallest lat/lon box containing every point within km of (lat, lon). */
void geo_box_around(double lat, double lon, double km, struct geo_box *box);
/* Whether (lat, lon) is plausibly in France, overseas included. */
bool geo_in_france(double lat, double lon);

#endif
