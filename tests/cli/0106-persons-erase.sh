#!/bin/bash
# 0106: qfq persons: listing, filters, formats, --limit, and --erase (a
# person erased completely, audit log included, in one transaction).
. "$(dirname "$0")/lib.sh"
demo_db
db() { sqlite3 "$QFQ_DB" "$1"; }

run "$QFQ" persons
is "persons exits 0" "$status" 0
has "table header" "$TMP/out" "Structures (rôle)"
has "presence in French" "$TMP/out" "2024-07-10 excusé"
run "$QFQ" persons --format csv --limit 2
is "--limit 2: header and two rows" "$(wc -l <"$TMP/out")" 3
has "CSV header" "$TMP/out" "id,nom,prenom,structures,reunions,themes,courriels,telephones"
run "$QFQ" persons --structure caplab --format tsv
is "--structure by a part of the name" "$(cut -f2 "$TMP/out" | tail -n +2 | tr '\n' ' ')" "Ballerini Blanchard Duvilers "
run "$QFQ" persons --structure "Zorglub"
is "unknown structure is a usage error: exit 2" "$status" 2
has "unknown structure is said" "$TMP/err" 'no structure matches "Zorglub"'
run "$QFQ" persons --limit 0
is "--limit 0 is a usage error" "$status" 2

ID=$(db "SELECT id FROM persons WHERE nom = 'Sancho'")
SID=$(db "SELECT structure_id FROM memberships WHERE person_id = $ID")
db "INSERT INTO audit_log(command, action, entity, entity_id, detail) VALUES ('test', 'update', 'persons', $ID, 'Sancho Corinne')"
run "$QFQ" persons --erase "$ID"
is "--erase off a terminal without --yes is refused" "$status" 2
has "...naming the person" "$TMP/err" "« Corinne Sancho » (person $ID) cannot be undone: confirm with --yes"
is "...and erases nothing" "$(db "SELECT count(*) FROM persons WHERE id = $ID")" 1
run "$QFQ" persons --erase "$ID" --yes
is "--erase exits 0" "$status" 0
has "--erase says so, naming the person" "$TMP/out" "« Corinne Sancho » (person $ID) erased"
is "the person is gone" "$(db "SELECT count(*) FROM persons WHERE id = $ID")" 0
is "memberships gone" "$(db "SELECT count(*) FROM memberships WHERE person_id = $ID")" 0
is "attendance gone" "$(db "SELECT count(*) FROM attendance WHERE person_id = $ID")" 0
is "audit rows about the person gone" "$(db "SELECT count(*) FROM audit_log WHERE entity = 'persons' AND entity_id = $ID")" 0
is "no trace of the name in the audit log" "$(db "SELECT count(*) FROM audit_log WHERE detail LIKE '%Sancho%'")" 0
is "the erasure itself is logged without the id" "$(db "SELECT count(*) FROM audit_log WHERE action = 'erase' AND entity_id IS NULL")" 1
is "the structure stays" "$(db "SELECT count(*) FROM structures WHERE id = $SID")" 1
is "the search index has no role text of hers" "$(db "SELECT count(*) FROM structures_fts WHERE rowid = $SID")" 1
run "$QFQ" persons --erase "$ID" --yes
is "erasing again exits 1" "$status" 1
run "$QFQ" persons --erase abc --yes
is "a bad id is a usage error" "$status" 2
is "55 persons left" "$(db "SELECT count(*) FROM persons")" 55

done_testing
