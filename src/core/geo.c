/* geo: haversine distances and radius boxes (see geo.h). */
#include "core/geo.h"

#include <math.h>
#include <stddef.h>

#define EARTH_KM 6371.0
#define DEG (M_PI / 180.0)

double geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = (lat2 - lat1) * DEG, dlon = (lon2 - lon1) * DEG;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * DEG) * cos(lat2 * DEG) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * EARTH_KM * atan2(sqrt(a), sqrt(1 - a));
}

void geo_box_around(double lat, double lon, double km, struct geo_box *box)
{
	double dlat = km / EARTH_KM / DEG;
	double c = cos(lat * DEG);
	double dlon = c > 0.01 ? dlat / c : 180.0;
	box->min_lat = lat - dlat;
	box->max_lat = lat + dlat;
	box->min_lon = lon - dlon;
	box->max_lon = lon + dlon;
}

/*
 * Metropolitan France with Corsica, then the overseas départements and
 * collectivities, as generous boxes: this catches swapped or garbage
 * coordinates, not border cases.
 */
bool geo_in_france(double lat, double lon)
{
	static const struct geo_box boxes[] = {
		{ 41.2, 51.2, -5.5, 9.8 },      /* métropole, Corse */
		{ 15.8, 16.6, -61.9, -60.9 },   /* Guadeloupe */
		{ 14.3, 15.0, -61.3, -60.7 },   /* Martinique */
		{ 2.0, 6.0, -54.7, -51.5 },     /* Guyane */
		{ -21.5, -20.8, 55.1, 56.0 },   /* La Réunion */
		{ -13.1, -12.5, 44.9, 45.4 },   /* Mayotte */
		{ 46.7, 47.2, -56.5, -56.0 },   /* Saint-Pierre-et-Miquelon */
		{ 17.8, 18.2, -63.2, -62.7 },   /* Saint-Martin, Saint-Barthélemy */
		{ -28.0, -7.0, -155.0, -134.0 },/* Polynésie française */
		{ -23.0, -19.0, 163.0, 169.0 }, /* Nouvelle-Calédonie */
		{ -14.5, -13.0, -178.5, -176.0 },/* Wallis-et-Futuna */
	};
	size_t i;
	for (i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++)
		if (lat >= boxes[i].min_lat && lat <= boxes[i].max_lat &&
		    lon >= boxes[i].min_lon && lon <= boxes[i].max_lon)
			return true;
	return false;
}
