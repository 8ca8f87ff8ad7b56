#!/bin/bash
# 0307: persons near a commune come from structure_members (the members of
# each structure, indexed by place: db/membersgeo.h) when it is up to date, and from memberships when
# another SQLite client changed them; both give the same answers, ended
# memberships are left out either way, and the next qfq write brings the
# rows up to date again.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
DB=$QFQ_DB
# "structure person ends" per stored member, decoded from the ids blobs
stored() {
	python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = []
for sid, ids in db.execute("SELECT structure_id, ids FROM structure_members"):
    for i in range(0, len(ids), 8):
        v = int.from_bytes(ids[i:i + 8], "little")
        rows.append("%d %d %d" % (sid, v >> 1, v & 1))
print("\n".join(sorted(rows)))
PY
}
expected() {
	sqlite3 -separator ' ' "$DB" "SELECT structure_id, person_id, fin IS NOT NULL FROM memberships" | sort
}
check "the demo has members" test "$(sqlite3 "$DB" "SELECT count(*) FROM memberships")" -gt 0
is "structure_members holds every membership, nothing left to do" \
	"$(stored) $(sqlite3 "$DB" "SELECT count(*) FROM members_geo_dirty")" "$(expected) 0"
is "each row sits in the grid cell of its structure's point" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM structure_members m JOIN structures_geo g ON g.id = m.structure_id
		WHERE m.cell = CAST((g.min_lat + 90) / 0.05 AS INTEGER) * 8192 + CAST((g.min_lon + 180) / 0.05 AS INTEGER)")" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM structure_members WHERE cell >= 0")"

# The same answers from structure_members and from memberships (a few competences
# first: in the demo, the rosters' structures declare no themes).
sqlite3 "$DB" "INSERT INTO person_themes(person_id, theme_id) SELECT p.id, t.id FROM persons p, themes t
	WHERE t.slug IN ('smartphone-tablette', 'aide-demarches-administratives') AND p.id % 2 = 0"
# (without the territories the roster import deduced, which make other structures
# serve Privas: this test follows memberships, not territories)
sqlite3 "$DB" "DELETE FROM structure_territories WHERE origine IS NOT NULL"
# and a structure of Privas that declares it serves the whole département
sqlite3 "$DB" "INSERT INTO structure_territories(structure_id, kind, code) SELECT m.structure_id, 'departement', '07'
	FROM memberships m JOIN structures s ON s.id = m.structure_id WHERE s.code_insee = '07186' LIMIT 1"
run "$QFQ" reindex
cp "$DB" "$TMP/rows.db"
sqlite3 "$TMP/rows.db" "INSERT INTO members_geo_dirty VALUES (-1)" # one pending: the search reads memberships
same() { # desc search-args...
	local desc=$1
	shift
	"$QFQ" --db "$DB" search --persons --format tsv "$@" >"$TMP/a" 2>&1
	"$QFQ" --db "$TMP/rows.db" search --persons --format tsv "$@" >"$TMP/b" 2>&1
	is "$desc: the same persons either way" "$(cat "$TMP/a")" "$(cat "$TMP/b")"
	check "$desc: someone found" test "$(wc -l <"$TMP/a")" -gt 1
}
same "around Privas, 30 km" --commune Privas --radius 30
same "a theme around Privas" --theme démarches --commune Privas --radius 30
same "far from Privas, through the declared département" --commune Annonay --radius 1
same "around Aubenas, 50 km, two themes" --theme démarches --theme smartphone --commune Aubenas --radius 50

# Another client ends a membership (in the past) and adds one.
read -r sid pid <<<"$(sqlite3 -separator ' ' "$DB" "SELECT m.structure_id, m.person_id FROM memberships m
	JOIN structures s ON s.id = m.structure_id WHERE s.code_insee = '07186' ORDER BY m.id LIMIT 1")"
run "$QFQ" search --persons --format tsv --commune Privas --radius 5
is "before: person $pid is found near Privas" "$(cut -f1 "$TMP/out" | grep -cx "$pid")" 1
sqlite3 "$DB" "UPDATE memberships SET fin = '2001-01-01' WHERE structure_id = $sid AND person_id = $pid"
is "the change records the structure as pending" "$(sqlite3 "$DB" "SELECT structure_id FROM members_geo_dirty")" "$sid"
run "$QFQ" search --persons --format tsv --commune Privas --radius 5
is "read from memberships: an ended membership no longer counts" \
	"$(cut -f1 "$TMP/out" | grep -cx "$pid")" "$(sqlite3 "$DB" "SELECT count(*) FROM memberships m JOIN structures s
		ON s.id = m.structure_id WHERE m.person_id = $pid AND m.fin IS NULL AND s.code_insee = '07186'")"
run "$QFQ" reindex
is "the next qfq write stores it again" "$(sqlite3 "$DB" "SELECT count(*) FROM members_geo_dirty")" 0
is "stored again, with its end date to check (the low bit)" "$(stored | grep -c "^$sid $pid 1\$")" 1
run "$QFQ" search --persons --format tsv --commune Privas --radius 5
is "read from structure_members: still not counted" \
	"$(cut -f1 "$TMP/out" | grep -cx "$pid")" "$(sqlite3 "$DB" "SELECT count(*) FROM memberships m JOIN structures s
		ON s.id = m.structure_id WHERE m.person_id = $pid AND m.fin IS NULL AND s.code_insee = '07186'")"
sqlite3 "$DB" "UPDATE memberships SET fin = '2999-12-31' WHERE structure_id = $sid AND person_id = $pid"
run "$QFQ" reindex
run "$QFQ" search --persons --format tsv --commune Privas --radius 5
is "an end date to come still counts" "$(cut -f1 "$TMP/out" | grep -cx "$pid")" 1

# A structure moves (another commune, no coordinates of its own): its members follow.
sqlite3 "$DB" "DELETE FROM structure_territories;
	UPDATE structures SET latitude = NULL, longitude = NULL, code_insee = '07010' WHERE id = $sid"
run "$QFQ" reindex
run "$QFQ" search --persons --format tsv --commune Annonay --radius 2
is "after the move, its member is found near Annonay" "$(cut -f1 "$TMP/out" | grep -cx "$pid")" 1
run "$QFQ" search --persons --format tsv --commune Privas --radius 5
is "and no longer near Privas" "$(cut -f1 "$TMP/out" | grep -cx "$pid")" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM memberships m JOIN structures s ON s.id = m.structure_id
		WHERE m.person_id = $pid AND s.code_insee = '07186' AND (m.fin IS NULL OR m.fin >= date('now'))")"
is "structure_members still matches memberships exactly" "$(stored)" "$(expected)"

# Erasing a person removes every trace, placed entries included.
run "$QFQ" persons --erase "$pid" --yes
is "erase succeeds" "$status" 0
is "no stored entry is left for the erased person" "$(stored | grep -c " $pid [01]\$")" 0
is "structure_members still matches memberships after the erase" "$(stored)" "$(expected)"
is "the database passes the integrity check" "$(sqlite3 "$DB" "PRAGMA integrity_check")" ok

done_testing
