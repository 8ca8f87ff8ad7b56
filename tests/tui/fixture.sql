-- fixture.sql: a small directory for the TUI tests (loaded by tui_db in
-- tests/tui/tmux.sh after `qfq init`, then `qfq reindex`). Deterministic
-- with QFQ_NOW=2024-07-09T10:00 (a Tuesday morning).
INSERT INTO structures(id, nom, nom_norm, typologie, adresse, code_postal, code_insee, latitude, longitude,
	coord_exact, telephone, courriels, horaires, sans_rdv, source, date_maj)
VALUES
 (1, 'Espace Public Numérique d''Alboussière', 'espace public numerique alboussiere', 'EPN',
  '20 rue des écoliers', '07440', '07007', 44.9433, 4.7277, 1, '04 75 58 29 13',
  'epnalboussiere@rhone-crussol.fr', 'Mo-Fr 09:00-12:00,14:00-17:00', 1, 'Hinaura', '2022-03-01'),
 (2, 'CAF de l''Ardèche', 'caf ardeche', 'CAF', '2 rue de la Recluse', '07000', '07186', 44.7353, 4.5992, 1,
  '32 30', NULL, 'Mo-Th 08:30-16:00', 0, 'test', '2024-06-01'),
 (3, 'CIDFF de l''Ardèche', 'cidff ardeche', 'ASSO', '1 place du Champ de Mars', '07000', '07186', 44.7356, 4.5987, 1,
  '04 75 64 04 76', NULL, 'Tu 09:00-12:00', 0, 'test', '2024-06-01'),
 (4, 'Evil' || char(27) || '[2J' || char(27) || ']0;pwned' || char(7) || ' Corp', 'evil corp', NULL,
  'rue du piège', '07300', '07324', 45.0670, 4.8330, 1, NULL, NULL, NULL, NULL, 'test', '2024-06-01'),
 (5, 'Médiathèque 東京 de Tournon', 'mediatheque tournon', 'BIB', 'quai Farconnet', '07300', '07324',
  45.0675, 4.8325, 1, NULL, NULL, 'Tu-Sa 10:00-18:00', 1, 'test', '2024-06-01');

-- Forty town halls around Privas, for paging.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40)
INSERT INTO structures(id, nom, nom_norm, typologie, code_insee, latitude, longitude, coord_exact, source)
SELECT 100 + i, printf('Mairie annexe %02d', i), printf('mairie annexe %02d', i), 'MAIRIE', '07186',
	44.735 + i * 0.001, 4.599, 1, 'test' FROM n;

INSERT INTO structure_themes(structure_id, theme_id)
SELECT 1, id FROM themes WHERE slug IN ('smartphone-tablette', 'ordinateur', 'acces-connexion-internet')
UNION ALL SELECT 2, id FROM themes WHERE slug = 'demarches-caf'
UNION ALL SELECT 3, id FROM themes WHERE slug = 'difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits'
UNION ALL SELECT 5, id FROM themes WHERE slug = 'smartphone-tablette';

INSERT INTO persons(id, nom, prenom, name_key) VALUES
 (1, 'Roux', 'Julien', 'julien roux'),
 (2, 'Ballerini', 'Rafaëla', 'ballerini rafaela');
INSERT INTO memberships(person_id, structure_id, role) VALUES
 (1, 1, 'conseiller numérique'),
 (2, 3, 'juriste');

INSERT INTO events(id, titre, date, code_insee, lieu) VALUES (1, 'Réunion réseau inclusion', '2024-07-10', '07186', 'CAPLAB');
INSERT INTO attendance(event_id, person_id, structure_id, presence) VALUES (1, 1, 1, 'present'), (1, 2, 3, 'excuse');

UPDATE structures SET publics = 'Seniors|Jeunes' WHERE id = 1;
