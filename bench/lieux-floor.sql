-- bench/lieux-floor.sql: the least SQL work that writes what `qfq import
-- lieux` writes for a file of the national places standard (1.x), run by
-- the sqlite3 CLI on a copy of a freshly initialized qfq database, after
-- `.import --schema temp FILE t` (bench/lieux-import.sh): the floor below
-- which no importer built on SQLite can go with qfq's schema.
--
-- Written, as qfq writes them: structures (its 5 indexes, the triggers of
-- its schema, foreign keys on), structure_themes (the standard's service names
-- through themes.standard, its index and bitmap trigger), the FTS5 search
-- text (the expression of db/structures.c, prefixes 2 and 3) and the
-- R*Tree, in one transaction, with the page cache qfq's import uses.
-- Not written (no SQL can do them, or qfq-only work): opening-hours spans
-- (structure_hours, horaires_ok: OpenStreetMap opening_hours parsing),
-- validation of every field, the folded name key (lower() here), commune
-- resolution beyond an exact code or postcode and name, merge proposals,
-- history and sharing records, the hour and theme bitmaps.
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -8192;
BEGIN;
INSERT INTO structures(id, nom, nom_norm, typologie, siret, adresse, complement_adresse, code_postal,
	code_insee, latitude, longitude, coord_exact, telephone, courriels, site_web, horaires, prise_rdv,
	frais, itinerance, presentation_resume, presentation_detail, publics, prise_en_charge,
	modalites_acces, modalites_accompagnement, dispositifs, formations_labels,
	autres_formations_labels, source, source_id, date_maj, fiche_acces_libre)
SELECT rowid, nom, lower(nom), nullif(typologie, ''), nullif(pivot, ''), adresse,
	nullif(complement_adresse, ''), code_postal,
	coalesce(nullif(code_insee, ''), (SELECT p.code_insee FROM commune_postcodes p
		JOIN communes c ON c.code_insee = p.code_insee WHERE p.code_postal = t.code_postal
		AND c.nom = t.commune), (SELECT min(code_insee) FROM commune_postcodes
		WHERE code_postal = t.code_postal)),
	CAST(nullif(latitude, '') AS REAL), CAST(nullif(longitude, '') AS REAL), latitude <> '',
	nullif(telephone, ''), nullif(courriels, ''), nullif(site_web, ''), nullif(horaires, ''),
	nullif(prise_rdv, ''), nullif(frais_a_charge, ''), nullif(itinerance, ''),
	nullif(presentation_resume, ''), nullif(presentation_detail, ''),
	nullif(publics_specifiquement_adresses, ''), nullif(prise_en_charge_specifique, ''),
	nullif(modalites_acces, ''), nullif(modalites_accompagnement, ''),
	nullif(dispositif_programmes_nationaux, ''), nullif(formations_labels, ''),
	nullif(autres_formations_labels, ''), nullif(source, ''), id, nullif(date_maj, ''),
	nullif(fiche_acces_libre, '')
FROM temp.t t ORDER BY rowid;
INSERT OR IGNORE INTO structure_themes(structure_id, theme_id)
SELECT t.rowid, th.id FROM temp.t t CROSS JOIN json_each('["' || replace(t.services, '|', '","') || '"]') j
CROSS JOIN themes th WHERE th.standard = j.value AND t.services <> '' ORDER BY 1, 2;
INSERT INTO structures_fts(rowid, nom, texte)
SELECT s.id, s.nom, ifnull((SELECT group_concat(alias, ' ') FROM structure_aliases
		WHERE structure_id = s.id), '')
	|| ' ' || ifnull(s.presentation_resume, '') || ' ' || ifnull(s.presentation_detail, '')
	|| ' ' || ifnull((SELECT group_concat(th.label, ' ') FROM structure_themes st
		JOIN themes th ON th.id = st.theme_id WHERE st.structure_id = s.id), '')
	|| ' ' || ifnull((SELECT group_concat(m.role, ' ') FROM memberships m
		WHERE m.structure_id = s.id), '')
	|| ' ' || ifnull(c.nom, '') || ' ' || ifnull(s.typologie, '') || ' ' || ifnull(s.tags, '')
FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee ORDER BY s.id;
INSERT INTO structures_geo(id, min_lat, max_lat, min_lon, max_lon)
SELECT s.id, coalesce(s.latitude, c.latitude), coalesce(s.latitude, c.latitude),
	coalesce(s.longitude, c.longitude), coalesce(s.longitude, c.longitude)
FROM structures s LEFT JOIN communes c ON c.code_insee = s.code_insee
WHERE coalesce(s.latitude, c.latitude) IS NOT NULL ORDER BY s.id;
COMMIT;
