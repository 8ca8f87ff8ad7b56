-- schema.sql: the whole qfq data model, version 15 (PRAGMA user_version).
--
-- Embedded in the binary at build time and applied to an empty database.
-- A later change never edits this file's meaning for existing databases:
-- it appends a migration to db.c (version N -> N+1) and updates this file
-- so that a new database gets the same result directly.
--
-- Conventions: French data vocabulary for column names that mirror the
-- national "schéma des lieux de médiation numérique"; lists inside a field
-- are joined with '|'; *_norm columns hold text_norm() keys (lowercase,
-- accents folded, punctuation as spaces) for matching; dates are ISO 8601
-- text; coordinates are WGS84 degrees.

PRAGMA application_id = 1363562785; -- 0x51465121, "QFQ!"

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT
) WITHOUT ROWID;

-- Territories -----------------------------------------------------------

CREATE TABLE regions (
	code      TEXT PRIMARY KEY,
	nom       TEXT NOT NULL,
	chef_lieu TEXT
) WITHOUT ROWID;

CREATE TABLE departements (
	code      TEXT PRIMARY KEY,
	nom       TEXT NOT NULL,
	nom_norm  TEXT NOT NULL,
	region    TEXT REFERENCES regions(code),
	chef_lieu TEXT
) WITHOUT ROWID;

CREATE TABLE epci (
	siren      TEXT PRIMARY KEY,
	nom        TEXT NOT NULL,
	nom_norm   TEXT NOT NULL,
	type       TEXT,               -- CC, CA, CU, METRO, MET69
	population INTEGER
) WITHOUT ROWID;
CREATE INDEX epci_nom ON epci(nom_norm);

CREATE TABLE communes (
	code_insee  TEXT PRIMARY KEY,
	nom         TEXT NOT NULL,
	nom_norm    TEXT NOT NULL,
	departement TEXT NOT NULL REFERENCES departements(code),
	region      TEXT,
	epci        TEXT REFERENCES epci(siren),
	latitude    REAL,
	longitude   REAL,
	population  INTEGER
) WITHOUT ROWID;
CREATE INDEX communes_nom ON communes(nom_norm);
CREATE INDEX communes_dep ON communes(departement);
CREATE INDEX communes_epci ON communes(epci);

CREATE TABLE commune_postcodes (
	code_postal TEXT NOT NULL,
	code_insee  TEXT NOT NULL REFERENCES communes(code_insee) ON DELETE CASCADE,
	PRIMARY KEY (code_postal, code_insee)
) WITHOUT ROWID;
CREATE INDEX commune_postcodes_insee ON commune_postcodes(code_insee);

-- Former, delegated, associated communes and municipal arrondissements:
-- people still type these names.
CREATE TABLE communes_anciennes (
	code_insee       TEXT NOT NULL,
	nom              TEXT NOT NULL,
	nom_norm         TEXT NOT NULL,
	type             TEXT NOT NULL,
	commune_actuelle TEXT NOT NULL REFERENCES communes(code_insee) ON DELETE CASCADE,
	PRIMARY KEY (code_insee, type, nom)
) WITHOUT ROWID;
CREATE INDEX communes_anciennes_nom ON communes_anciennes(nom_norm);

-- Vocabularies ----------------------------------------------------------

CREATE TABLE typologies (
	code     TEXT PRIMARY KEY,
	label    TEXT NOT NULL,
	patterns TEXT                 -- '|'-joined folded words that imply it in a name
) WITHOUT ROWID;

-- The one theme crosswalk (data/themes.csv): the nine services of the
-- national standard, the data·inclusion thematiques, the field's own.
CREATE TABLE themes (
	id            INTEGER PRIMARY KEY,
	slug          TEXT NOT NULL UNIQUE,
	parent_id     INTEGER REFERENCES themes(id),
	label         TEXT NOT NULL,
	label_norm    TEXT NOT NULL,
	standard      TEXT,           -- 1.x national standard service label
	datainclusion TEXT,           -- data·inclusion slug
	position      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX themes_parent ON themes(parent_id);

-- Every name a theme is known by, folded: aliases a mediator types, the
-- old 0.x service labels, the standard label, the data·inclusion slug.
CREATE TABLE theme_names (
	name_norm TEXT NOT NULL,
	theme_id  INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
	kind      TEXT NOT NULL CHECK (kind IN ('label','alias','legacy','standard','datainclusion','slug')),
	name      TEXT NOT NULL,
	PRIMARY KEY (name_norm, theme_id, kind)
) WITHOUT ROWID;
CREATE INDEX theme_names_theme ON theme_names(theme_id);

-- Structures ------------------------------------------------------------

CREATE TABLE structures (
	id                  INTEGER PRIMARY KEY,
	nom                 TEXT NOT NULL,
	nom_norm            TEXT NOT NULL,  -- names_structure_key(nom)
	typologie           TEXT,     -- '|'-joined typology codes
	siret               TEXT,     -- "pivot": SIRET or RNA
	parent_id           INTEGER REFERENCES structures(id) ON DELETE SET NULL,
	adresse             TEXT,
	complement_adresse  TEXT,
	code_postal         TEXT,
	code_insee          TEXT REFERENCES communes(code_insee),
	latitude            REAL,
	longitude           REAL,
	coord_exact         INTEGER NOT NULL DEFAULT 0,  -- 1: own coordinates; 0: commune centre
	telephone           TEXT,
	courriels           TEXT,
	site_web            TEXT,
	horaires            TEXT,     -- OpenStreetMap opening_hours, as given
	horaires_ok         INTEGER,  -- 1 parsed, 0 unparseable, NULL none
	prise_rdv           TEXT,     -- appointment link
	sans_rdv            INTEGER,  -- accepts people without appointment: 1, 0, NULL unknown
	frais               TEXT,     -- '|'-joined frais_a_charge
	itinerance          TEXT,     -- Itinérant | Fixe
	presentation_resume TEXT,
	presentation_detail TEXT,
	publics             TEXT,     -- publics_specifiquement_adresses
	prise_en_charge     TEXT,     -- prise_en_charge_specifique
	modalites_acces     TEXT,
	modalites_accompagnement TEXT,
	dispositifs         TEXT,     -- dispositif_programmes_nationaux
	formations_labels   TEXT,
	autres_formations_labels TEXT,
	tags                TEXT,     -- values kept from imports that no vocabulary has
	source              TEXT,     -- who published it (e.g. Hinaura, roster file)
	source_id           TEXT,     -- the id in that source
	date_maj            TEXT,     -- last update according to the source
	created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX structures_nom ON structures(nom_norm);
CREATE INDEX structures_commune ON structures(code_insee);
CREATE INDEX structures_parent ON structures(parent_id);
CREATE UNIQUE INDEX structures_source ON structures(source, source_id) WHERE source_id IS NOT NULL;

-- Names a structure was also known by (merged duplicates, roster spellings):
-- the next import maps them to it.
CREATE TABLE structure_aliases (
	alias_norm   TEXT PRIMARY KEY,        -- names_structure_key(alias)
	structure_id INTEGER NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
	alias        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX structure_aliases_structure ON structure_aliases(structure_id);

CREATE TABLE structure_themes (
	structure_id INTEGER NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
	theme_id     INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
	PRIMARY KEY (structure_id, theme_id)
) WITHOUT ROWID;
CREATE INDEX structure_themes_theme ON structure_themes(theme_id, structure_id);

-- Territories a structure declares it serves.
CREATE TABLE structure_territories (
	structure_id INTEGER NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
	kind         TEXT NOT NULL CHECK (kind IN ('commune','epci','departement','region')),
	code         TEXT NOT NULL,
	-- NULL: stated (a roster's column, or confirmed by the coordinator);
	-- else deduced by an import: 'nom' from the structure's name, 'reunion'
	-- the département of the meeting, 'lieu' the structure's own commune
	origine      TEXT CHECK (origine IN ('nom', 'reunion', 'lieu')),
	PRIMARY KEY (structure_id, kind, code)
) WITHOUT ROWID;
CREATE INDEX structure_territories_code ON structure_territories(kind, code);
CREATE INDEX structure_territories_deduced ON structure_territories(origine, structure_id)
	WHERE origine IS NOT NULL;

-- The regular week of a structure's parsed opening hours, as half-open
-- minute-of-week spans (0 = Monday 00:00): "open at T?" is one index probe.
CREATE TABLE structure_hours (
	structure_id INTEGER NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
	start_min    INTEGER NOT NULL,
	end_min      INTEGER NOT NULL,
	PRIMARY KEY (structure_id, start_min)
) WITHOUT ROWID;

-- Where structures are, for radius queries (kept in step by db code).
CREATE VIRTUAL TABLE structures_geo USING rtree(
	id, min_lat, max_lat, min_lon, max_lon
);

-- Full-text index over names, aliases, descriptions, themes, roles, commune
-- (rowid = structures.id; rebuilt for a structure whenever it changes).
CREATE VIRTUAL TABLE structures_fts USING fts5(
	nom, texte,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);

-- Persons ----------------------------------------------------------------

CREATE TABLE persons (
	id         INTEGER PRIMARY KEY,
	nom        TEXT NOT NULL,     -- family name, as written
	prenom     TEXT,              -- given names
	name_key   TEXT NOT NULL,     -- folded name tokens, sorted: order-free identity
	courriels  TEXT,
	telephones TEXT,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE INDEX persons_name_key ON persons(name_key);

CREATE TABLE memberships (
	id           INTEGER PRIMARY KEY,
	person_id    INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
	structure_id INTEGER NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
	role         TEXT,            -- fonction / poste
	debut        TEXT,
	fin          TEXT,
	UNIQUE (person_id, structure_id)
);
CREATE INDEX memberships_structure ON memberships(structure_id);

-- Competences of a person; referent marks the go-to person on that theme.
CREATE TABLE person_themes (
	person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
	theme_id  INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
	referent  INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (person_id, theme_id)
) WITHOUT ROWID;
CREATE INDEX person_themes_theme ON person_themes(theme_id, person_id);

-- Permanences: a structure holding office hours at another place.
CREATE TABLE permanences (
	id           INTEGER PRIMARY KEY,
	structure_id INTEGER NOT NULL REFERENCES structures(id) ON DELETE CASCADE,
	host_id      INTEGER REFERENCES structures(id) ON DELETE SET NULL,
	lieu         TEXT,            -- name of the place when not a structure
	adresse      TEXT,
	code_insee   TEXT REFERENCES communes(code_insee),
	latitude     REAL,
	longitude    REAL,
	horaires     TEXT,            -- opening_hours of the permanence
	sur_rdv      INTEGER,
	description  TEXT,
	source       TEXT
);
CREATE INDEX permanences_structure ON permanences(structure_id);
CREATE INDEX permanences_commune ON permanences(code_insee);
CREATE INDEX permanences_host ON permanences(host_id) WHERE host_id IS NOT NULL;

CREATE TABLE permanence_themes (
	permanence_id INTEGER NOT NULL REFERENCES permanences(id) ON DELETE CASCADE,
	theme_id      INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
	PRIMARY KEY (permanence_id, theme_id)
) WITHOUT ROWID;

-- Meetings ---------------------------------------------------------------

CREATE TABLE events (
	id         INTEGER PRIMARY KEY,
	titre      TEXT NOT NULL,
	date       TEXT NOT NULL,     -- YYYY-MM-DD
	code_insee TEXT REFERENCES communes(code_insee),
	lieu       TEXT,
	UNIQUE (titre, date)
);

CREATE TABLE attendance (
	event_id     INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	person_id    INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
	structure_id INTEGER REFERENCES structures(id) ON DELETE SET NULL,
	presence     TEXT NOT NULL CHECK (presence IN ('present','excuse','absent')),
	PRIMARY KEY (event_id, person_id)
) WITHOUT ROWID;
CREATE INDEX attendance_person ON attendance(person_id);

-- Referrals (orientations) -------------------------------------------------
-- Never a name nor any identifying data of the person referred: only who
-- referred, to whom, for what, how, when, and between which communes. The
-- note is checked for personal data (core/privacy.h) before it is written.
-- (Version 7, issue 13: statuses and channels of the field, the note, the
-- chain A -> B -> C, the communes of both ends, who changed a status.)

CREATE TABLE referrals (
	id                INTEGER PRIMARY KEY,
	date              TEXT NOT NULL,      -- YYYY-MM-DD, the day it was proposed
	from_structure_id INTEGER REFERENCES structures(id) ON DELETE SET NULL,
	from_person_id    INTEGER REFERENCES persons(id) ON DELETE SET NULL,
	to_structure_id   INTEGER REFERENCES structures(id) ON DELETE SET NULL,
	to_person_id      INTEGER REFERENCES persons(id) ON DELETE SET NULL,
	theme_id          INTEGER REFERENCES themes(id) ON DELETE SET NULL,
	channel           TEXT NOT NULL DEFAULT 'physique'
	                  CHECK (channel IN ('physique','telephone','courriel','visio')),
	status            TEXT NOT NULL DEFAULT 'proposee'
	                  CHECK (status IN ('proposee','prise_en_charge','realisee','sans_solution','refusee')),
	status_date       TEXT NOT NULL,      -- YYYY-MM-DD of the last status change
	from_commune      TEXT,               -- INSEE code of the referring place (origin)
	to_commune        TEXT,               -- INSEE code of the place referred to
	parent_id         INTEGER REFERENCES referrals(id) ON DELETE SET NULL, -- continues it
	urgent            INTEGER NOT NULL DEFAULT 0,
	note              TEXT
);
CREATE INDEX referrals_to ON referrals(to_structure_id);
CREATE INDEX referrals_from ON referrals(from_structure_id);
CREATE INDEX referrals_date ON referrals(date);
CREATE INDEX referrals_parent ON referrals(parent_id) WHERE parent_id IS NOT NULL;

-- Every status a referral went through, dated, with who changed it.
CREATE TABLE referral_history (
	id              INTEGER PRIMARY KEY,
	referral_id     INTEGER NOT NULL REFERENCES referrals(id) ON DELETE CASCADE,
	at              TEXT NOT NULL,        -- YYYY-MM-DD
	status          TEXT NOT NULL,
	by_person_id    INTEGER REFERENCES persons(id) ON DELETE SET NULL,
	by_structure_id INTEGER REFERENCES structures(id) ON DELETE SET NULL,
	note            TEXT
);
CREATE INDEX referral_history_referral ON referral_history(referral_id);

-- Duplicates ---------------------------------------------------------------

-- Near matches found by imports; never merged silently.
CREATE TABLE merge_proposals (
	kind   TEXT NOT NULL CHECK (kind IN ('structure','person')),
	a_id   INTEGER NOT NULL,      -- the smaller id
	b_id   INTEGER NOT NULL,
	reason TEXT,
	state  TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','rejected','merged')),
	PRIMARY KEY (kind, a_id, b_id)
) WITHOUT ROWID;

-- Audit ----------------------------------------------------------------------

CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	command   TEXT NOT NULL,      -- e.g. "import roster data/rosters/x.csv"
	action    TEXT NOT NULL,      -- insert, update, delete, merge, erase, init
	entity    TEXT,               -- table name
	entity_id INTEGER,
	detail    TEXT                -- JSON or short text; never a referred person's data
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

-- Version 2 ------------------------------------------------------------------

-- fiche_acces_libre of the lieux standard (1.x): the link to the place's
-- accessibility sheet on acceslibre.beta.gouv.fr. Kept so that importing
-- and exporting the standard loses nothing.
ALTER TABLE structures ADD COLUMN fiche_acces_libre TEXT;

-- Version 3 ------------------------------------------------------------------

-- The current members of a set of structures (search --persons) read from
-- the index alone: person and end date beside the structure, instead of one
-- memberships row per member (national directory: 11,200 -> 3,300 pages).
DROP INDEX memberships_structure;
CREATE INDEX memberships_structure_person ON memberships(structure_id, person_id, fin);

-- Version 4 ------------------------------------------------------------------

-- Who offers each theme as a bitmap over ids (db/themesets.h): the search
-- engine reads a few kilobytes instead of one row per structure. kind 0:
-- structure_themes.structure_id; kind 1: person_themes.person_id. Byte i,
-- bit j is id 8i + j. A change to a theme's rows, by any SQLite client,
-- deletes its bitmap (the triggers), so a bitmap present is exact; qfq
-- rebuilds the missing ones at the end of each write transaction.
CREATE TABLE theme_bitmaps (
	theme_id INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
	kind     INTEGER NOT NULL CHECK (kind IN (0, 1)),
	bits     BLOB NOT NULL,
	PRIMARY KEY (theme_id, kind)
);
CREATE TRIGGER structure_themes_bitmap_ins AFTER INSERT ON structure_themes BEGIN
	DELETE FROM theme_bitmaps WHERE theme_id = NEW.theme_id AND kind = 0;
END;
CREATE TRIGGER structure_themes_bitmap_del AFTER DELETE ON structure_themes BEGIN
	DELETE FROM theme_bitmaps WHERE theme_id = OLD.theme_id AND kind = 0;
END;
CREATE TRIGGER structure_themes_bitmap_upd AFTER UPDATE ON structure_themes BEGIN
	DELETE FROM theme_bitmaps WHERE kind = 0 AND theme_id IN (OLD.theme_id, NEW.theme_id);
END;
CREATE TRIGGER person_themes_bitmap_ins AFTER INSERT ON person_themes BEGIN
	DELETE FROM theme_bitmaps WHERE theme_id = NEW.theme_id AND kind = 1;
END;
CREATE TRIGGER person_themes_bitmap_del AFTER DELETE ON person_themes BEGIN
	DELETE FROM theme_bitmaps WHERE theme_id = OLD.theme_id AND kind = 1;
END;
CREATE TRIGGER person_themes_bitmap_upd AFTER UPDATE ON person_themes BEGIN
	DELETE FROM theme_bitmaps WHERE kind = 1 AND theme_id IN (OLD.theme_id, NEW.theme_id);
END;

-- Version 5 ------------------------------------------------------------------

-- Who is open in each half-hour of the regular week, as bitmaps over
-- structure ids (db/hoursets.h): "open at T?" for thousands of candidates
-- reads three bitmaps instead of each one's spans. slot k covers minutes
-- 30k to 30k + 29 of the week (0 = Monday 00:00); kind 0: open the whole
-- half-hour, kind 1: open part of it (the spans decide); slot -1 kind 0:
-- has parsed hours. structure_hours is derived data, written by qfq's
-- structure indexer only (after a change elsewhere: `qfq reindex`); the
-- indexer empties this table before it writes spans, and qfq rebuilds it
-- in one pass over the spans at the end of the write transaction.
CREATE TABLE hour_bitmaps (
	slot INTEGER NOT NULL,
	kind INTEGER NOT NULL CHECK (kind IN (0, 1)),
	bits BLOB NOT NULL,
	PRIMARY KEY (slot, kind)
);

-- Version 6 ------------------------------------------------------------------

-- The members of each structure with its point (db/membersgeo.h), one row
-- per structure, and an index of them by grid cell, so that the members of
-- the structures near a commune are read from a few ranges of neighbouring
-- pages: cell = lat row * 8192 + lon column in 0.05 degree cells (-1
-- without a point), ids = one 8-byte little-endian integer per membership
-- (person_id << 1 | fin IS NOT NULL). A change to memberships, by any
-- SQLite client, records its structure in members_geo_dirty (as does the
-- structure indexer when it rewrites a position); qfq rebuilds those rows
-- at the end of each write transaction, and a search that finds a dirty
-- structure reads memberships instead.
CREATE TABLE structure_members (
	structure_id INTEGER PRIMARY KEY,
	cell         INTEGER NOT NULL,
	lat          REAL,
	lon          REAL,
	ids          BLOB NOT NULL
);
-- covering: a range of cells is read from the index alone, in place order
CREATE INDEX structure_members_cell ON structure_members(cell, lat, lon, ids);
CREATE TABLE members_geo_dirty (structure_id INTEGER PRIMARY KEY);
CREATE TRIGGER memberships_geo_ins AFTER INSERT ON memberships BEGIN
	INSERT OR IGNORE INTO members_geo_dirty(structure_id) VALUES (NEW.structure_id);
END;
CREATE TRIGGER memberships_geo_del AFTER DELETE ON memberships BEGIN
	INSERT OR IGNORE INTO members_geo_dirty(structure_id) VALUES (OLD.structure_id);
END;
CREATE TRIGGER memberships_geo_upd AFTER UPDATE ON memberships BEGIN
	INSERT OR IGNORE INTO members_geo_dirty(structure_id) VALUES (OLD.structure_id), (NEW.structure_id);
END;
INSERT INTO members_geo_dirty(structure_id) SELECT DISTINCT structure_id FROM memberships;

-- Permanences near a commune's centre by their own coordinates (and those
-- without, by IS NULL): a range instead of a scan of every permanence.
CREATE INDEX permanences_place ON permanences(latitude, longitude);

-- Version 8 ------------------------------------------------------------------

-- History (issue 12, db/history.h): every write transaction of qfq is one
-- change set, with the before and after values of each row it touched in
-- the directory's own tables, so that `qfq log` can show it and `qfq undo`
-- revert it. Values are encoded one blob per row side (exact: REALs and
-- BLOBs intact), so an import costs one history row per row it writes.
-- change_sets.bulk_after / bulk_last: a bulk import (db/history.h) inserted
-- the structures above bulk_after up to bulk_last, and their rows.
CREATE TABLE change_sets (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	command   TEXT NOT NULL,       -- the command line ("qfq edit structure 12 telephone=...")
	summary   TEXT,                -- what it did, naming the records
	undoes    INTEGER,             -- the change set this one reverts
	undone_by INTEGER,             -- the change set that reverted this one
	undoable  INTEGER NOT NULL DEFAULT 1, -- 0: an erasure or values erased since (no comma: SQLite 3.40 DROP COLUMN of a later column misreads one)
	bulk_after INTEGER,
	bulk_last  INTEGER
);
CREATE TABLE change_rows (          -- a rowid table: its rows are long (WITHOUT ROWID packs them badly)
	id           INTEGER PRIMARY KEY,
	change_id    INTEGER NOT NULL REFERENCES change_sets(id) ON DELETE CASCADE,
	seq          INTEGER NOT NULL,
	tbl          TEXT NOT NULL,
	-- not op IN (...): SQLite 3.40 checks a list of three or more values
	-- through a temporary b-tree built again for every row written
	op           TEXT NOT NULL CHECK (op = 'insert' OR op = 'update' OR op = 'delete'),
	key          TEXT NOT NULL,     -- the primary key's values joined with '|'
	structure_id INTEGER,           -- the structure the row is about
	person_id    INTEGER,           -- the person the row is about
	old          BLOB,              -- the columns before: db/history.c's encoding, exact
	new          BLOB,              -- the columns after
	UNIQUE (change_id, seq)
);
CREATE INDEX change_rows_row ON change_rows(tbl, key, change_id);
CREATE INDEX change_rows_structure ON change_rows(structure_id) WHERE structure_id IS NOT NULL;
CREATE INDEX change_rows_person ON change_rows(person_id) WHERE person_id IS NOT NULL;
-- A temporary closure entered by hand (`qfq edit structure ID fermeture=FROM..TO`):
-- ferme_au NULL means until further notice.
ALTER TABLE structures ADD COLUMN ferme_du TEXT;
ALTER TABLE structures ADD COLUMN ferme_au TEXT;

-- Version 9 ------------------------------------------------------------------

-- Structures whose opening hours must be indexed again (db/structures.h,
-- structure_hours_refresh): a schema upgrade that changes how qfq reads
-- opening_hours lists them all; emptied at the end of the write
-- transaction.
CREATE TABLE hours_dirty (structure_id INTEGER PRIMARY KEY);

-- Version 11 -----------------------------------------------------------------

-- Copies sharing their changes (issue 15, db/share.h). Rows keep their
-- local integer ids (the bitmaps index structures and persons by them);
-- share_ids gives each row of the six id tables a random 128-bit global id
-- (set by the triggers at insert, or from share_pending when the row comes
-- from another copy; structures: see below). share_changes: every change set made here (its
-- changeset in global ids) or applied from another copy (once each);
-- share_conflicts: the values an apply set aside; share_stamps: which
-- change set each field's value (the conflict rule compares them).
CREATE TABLE share_ids (
	tbl TEXT NOT NULL,
	id  INTEGER NOT NULL,
	gid BLOB NOT NULL UNIQUE,
	PRIMARY KEY (tbl, id)
) WITHOUT ROWID;
CREATE TABLE share_pending (
	tbl TEXT NOT NULL,
	id  INTEGER NOT NULL,
	gid BLOB NOT NULL UNIQUE,
	PRIMARY KEY (tbl, id)
) WITHOUT ROWID;
-- structures have no gid trigger since version 16: a structure gets its gid
-- when its change set is captured (db/share.c: one statement for a bulk
-- import), or from share_pending when an apply brings it (a trigger made
-- every insert of a structure keep a statement journal: a page written per
-- index per row of an import).
CREATE TRIGGER persons_gid AFTER INSERT ON persons BEGIN
	INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('persons', NEW.id,
		coalesce((SELECT gid FROM share_pending WHERE tbl = 'persons' AND id = NEW.id), randomblob(16)));
END;
CREATE TRIGGER memberships_gid AFTER INSERT ON memberships BEGIN
	INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('memberships', NEW.id,
		coalesce((SELECT gid FROM share_pending WHERE tbl = 'memberships' AND id = NEW.id), randomblob(16)));
END;
CREATE TRIGGER permanences_gid AFTER INSERT ON permanences BEGIN
	INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('permanences', NEW.id,
		coalesce((SELECT gid FROM share_pending WHERE tbl = 'permanences' AND id = NEW.id), randomblob(16)));
END;
CREATE TRIGGER events_gid AFTER INSERT ON events BEGIN
	INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('events', NEW.id,
		coalesce((SELECT gid FROM share_pending WHERE tbl = 'events' AND id = NEW.id), randomblob(16)));
END;
CREATE TRIGGER referrals_gid AFTER INSERT ON referrals BEGIN
	INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('referrals', NEW.id,
		coalesce((SELECT gid FROM share_pending WHERE tbl = 'referrals' AND id = NEW.id), randomblob(16)));
END;
INSERT INTO share_ids(tbl, id, gid) SELECT 'structures', id, randomblob(16) FROM structures;
INSERT INTO share_ids(tbl, id, gid) SELECT 'persons', id, randomblob(16) FROM persons;
INSERT INTO share_ids(tbl, id, gid) SELECT 'memberships', id, randomblob(16) FROM memberships;
INSERT INTO share_ids(tbl, id, gid) SELECT 'permanences', id, randomblob(16) FROM permanences;
INSERT INTO share_ids(tbl, id, gid) SELECT 'events', id, randomblob(16) FROM events;
INSERT INTO share_ids(tbl, id, gid) SELECT 'referrals', id, randomblob(16) FROM referrals;
CREATE TABLE share_changes (
	copy      TEXT NOT NULL,       -- the copy that made it (32 hex digits)
	seq       INTEGER NOT NULL,    -- its number on that copy, from 1
	stamp     INTEGER NOT NULL,    -- when, in ms since 1970, never below an earlier one seen
	change_id INTEGER,             -- the change set it became here (NULL: nothing changed)
	kind      TEXT NOT NULL DEFAULT 'change' CHECK (kind IN ('change','erase')),
	summary   TEXT,
	data      BLOB,                -- the changeset in global ids (this copy's own only)
	PRIMARY KEY (copy, seq)
) WITHOUT ROWID;
CREATE INDEX share_changes_change ON share_changes(change_id) WHERE change_id IS NOT NULL;
CREATE INDEX share_changes_stamp ON share_changes(stamp);
CREATE TABLE share_conflicts (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
	tbl       TEXT NOT NULL,
	key       TEXT NOT NULL,       -- the row's primary key here, as in change_rows
	col       TEXT,                -- NULL: the whole row (deleted elsewhere)
	kept,                          -- the value in place
	lost,                          -- the value set aside (swap puts it back)
	kept_copy TEXT,
	lost_copy TEXT,
	state     TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','swapped'))
);
CREATE TABLE share_stamps (
	tbl   TEXT NOT NULL,
	key   TEXT NOT NULL,           -- the row's primary key here, as in change_rows
	col   TEXT NOT NULL,
	stamp INTEGER NOT NULL,        -- the stamp of the change that set the field's value
	copy  TEXT NOT NULL,           -- and the copy that made it
	PRIMARY KEY (tbl, key, col)
) WITHOUT ROWID;
INSERT OR IGNORE INTO meta(key, value) VALUES ('copy_id', lower(hex(randomblob(16))));
-- The temporary closures a search at a time must know of (version 12).
CREATE INDEX structures_closure ON structures(ferme_du) WHERE ferme_du IS NOT NULL;
-- (version 13) share_erased: the global ids of the persons erased on any copy; rows
-- about them coming from other copies are dropped, so that an erasure always
-- wins (the gid is random: it names no one once the rows are gone).
-- share_copies: the other copies' names, as their files give them.
CREATE TABLE share_erased (gid BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE share_copies (copy TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID;

-- Version 15 -----------------------------------------------------------------

-- Referral history rows get global ids too (issue 15): each copy numbers
-- its own rows from the same last id, so their local ids collide.
CREATE TRIGGER referral_history_gid AFTER INSERT ON referral_history BEGIN
	INSERT OR REPLACE INTO share_ids(tbl, id, gid) VALUES ('referral_history', NEW.id,
		coalesce((SELECT gid FROM share_pending WHERE tbl = 'referral_history' AND id = NEW.id), randomblob(16)));
END;
INSERT INTO share_ids(tbl, id, gid) SELECT 'referral_history', id, randomblob(16) FROM referral_history;

-- Version 17 -----------------------------------------------------------------

-- An erasure keeps the salted hashes of the person's mentions (name, emails,
-- phones), never the mentions: a copy that never knew them finds them in
-- free text by hashing it (issue 15, db/shareerase.h).
ALTER TABLE share_erased ADD COLUMN forms BLOB;
