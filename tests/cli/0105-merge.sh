#!/bin/bash
# 0105: qfq merge: proposals listed, a merge moves members and attendance,
# remembers the other name as an alias (the next import maps it), a
# rejected pair is never proposed again, persons merge with p-ids.
. "$(dirname "$0")/lib.sh"
demo_db
db() { sqlite3 "$QFQ_DB" "$1"; }
sid() { db "SELECT id FROM structures WHERE nom = '$1'"; }

run "$QFQ" merge --list --format json
is "--list exits 0" "$status" 0
is "the near matches of the bundled rosters" "$(python3 -c '
import json,sys
print(" | ".join(sorted(p["a_nom"] + " / " + p["b_nom"] for p in json.load(open(sys.argv[1])) if p["kind"] == "structure")))' "$TMP/out")" \
"CAPLAB / CAPLAB Privas | EPN ARCHE Agglo Saint-Jean-de-Muzols / Arche Agglo | MJC CS La Voulte-sur-Rhône - Centre multimédia EPN / MJC CS La Voulte-sur-Rhône | MJC CS La Voulte-sur-Rhône - Centre multimédia EPN / MJC Centre Social La Voulte | MJC CS La Voulte-sur-Rhône / MJC Centre Social La Voulte | MSA Ardèche Drôme Loire / MSA ADL | PIMMS MEDIATION - FRANCE SERVICES / PIMMS Médiation | Point d'accueil numérique de la préfecture / Préfecture | Sous-préfecture de Largentière / Préfecture | Vesseaux-Mère / Vesseaux-Mère et compagnons Médiateurs"
has "reasons are given" "$TMP/out" '"reason": "an acronym of the other'"'"'s words"'

KEEP=$(sid "CAPLAB Privas")
OTHER=$(sid "CAPLAB")
before=$(db "SELECT count(*) FROM memberships WHERE structure_id IN ($KEEP, $OTHER)")
run "$QFQ" merge "$KEEP" "$OTHER"
is "merge exits 0" "$status" 0
has "merge says what it did, naming both" "$TMP/out" "« CAPLAB » ($OTHER) merged into « CAPLAB Privas » ($KEEP)"
is "CAPLAB is gone" "$(db "SELECT count(*) FROM structures WHERE id = $OTHER")" 0
is "its members moved (Blanchard in both counted once)" "$(db "SELECT count(*) FROM memberships WHERE structure_id = $KEEP")" "$((before - 1))"
is "CAPLAB is remembered as an alias" "$(db "SELECT alias FROM structure_aliases WHERE structure_id = $KEEP")" "CAPLAB"
is "the pair is marked merged" "$(db "SELECT state FROM merge_proposals WHERE kind = 'structure' AND a_id = min($KEEP, $OTHER) AND b_id = max($KEEP, $OTHER)")" "merged"
is "the merge is in the audit log" "$(db "SELECT action || ' ' || entity || ' ' || entity_id FROM audit_log WHERE action = 'merge'")" "merge structures $KEEP"
is "the search index follows (no row for the merged one)" "$(db "SELECT count(*) FROM structures_fts WHERE rowid = $OTHER")" 0
is "the search index finds the alias" "$(db "SELECT rowid FROM structures_fts WHERE structures_fts MATCH 'caplab' ORDER BY rowid")" "$KEEP"

run "$QFQ" import roster "$QFQ_SRCDIR/data/rosters/2024-06-21-numerian.csv" --format json
is "re-import after merge: CAPLAB maps to the kept structure" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["structures_new"], d["memberships_new"])' "$TMP/out")" "0 0"

A=$(sid "MSA ADL"); B=$(sid "MSA Ardèche Drôme Loire")
run "$QFQ" merge --reject "$A" "$B"
is "--reject exits 0" "$status" 0
is "state rejected" "$(db "SELECT state FROM merge_proposals WHERE a_id = min($A, $B) AND b_id = max($A, $B) AND kind = 'structure'")" "rejected"
run "$QFQ" merge --list --format tsv
hasnt "a rejected pair is not listed" "$TMP/out" "MSA ADL"
db "DELETE FROM memberships WHERE structure_id = $A; DELETE FROM structures WHERE id = $A"
run "$QFQ" import roster "$QFQ_SRCDIR/data/rosters/2024-07-10-privas.csv"
has "the structure comes back with the import" "$TMP/out" "structures: 1 new"
A2=$(sid "MSA ADL")
is "...and is proposed again only as a new id" "$(db "SELECT count(*) FROM merge_proposals WHERE state = 'rejected'")" 1

# Persons: two spellings that are not the same key.
printf 'Nom prénom,Structure\nBLANCHARD Jean,CAPLAB Privas\n' >"$TMP/p.csv"
run "$QFQ" import roster "$TMP/p.csv" --event "Atelier" --date 2024-11-05
has "a near person is proposed" "$TMP/out" "merges proposed: 1"
P1=$(db "SELECT id FROM persons WHERE name_key = 'blanchard jean marc'")
P2=$(db "SELECT id FROM persons WHERE name_key = 'blanchard jean'")
run "$QFQ" merge --list --format tsv
has "person ids are shown with p" "$TMP/out" "p$P1"
run "$QFQ" merge "p$P1" "p$P2"
is "person merge exits 0" "$status" 0
is "the other person is gone" "$(db "SELECT count(*) FROM persons WHERE id = $P2")" 0
is "attendance moved" "$(db "SELECT count(*) FROM attendance WHERE person_id = $P1")" 3
run "$QFQ" merge "p$P1" 12
is "mixing a person and a structure is a usage error" "$status" 2
run "$QFQ" merge 99999 "$KEEP"
is "an unknown id exits 2" "$status" 2
has "an unknown id is named" "$TMP/err" "no structure with id 99999"
run "$QFQ" merge "$KEEP"
is "one id is a usage error" "$status" 2

done_testing
