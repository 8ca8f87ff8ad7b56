#!/bin/bash
# 0503: qfq export person ID (right of access): everything held about one
# person, as JSON, their history included; then qfq forget removes it all.
. "$(dirname "$0")/lib.sh"
demo_db
db() { sqlite3 "$QFQ_DB" "$1"; }
S=$(db "SELECT id FROM structures WHERE nom = 'CAPLAB'")
P=$("$QFQ" add person --nom Brissac --prenom Odile --courriels odile.brissac@example.org --structures "$S:animatrice" \
	--competences smartphone)
"$QFQ" edit person "$P" telephones="06 11 22 33 44" >/dev/null
run "$QFQ" export person "$P"
is "export person exits 0" "$status" 0
is "the record, structures, competences, history" "$(python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
p=d["personne"][0]
print(p["nom"], p["prenom"], p["courriels"], p["telephones"], d["structures"][0]["nom"], d["structures"][0]["role"],
      len(d["competences"]), any(h["apres"].get("telephones") == "+33611223344" for h in d["historique"]))' "$TMP/out")" \
	"Brissac Odile odile.brissac@example.org +33611223344 CAPLAB animatrice 1 True"
run "$QFQ" export person 99999
is "an unknown person exits 1" "$status" 1
run "$QFQ" export person abc
is "a bad id is a usage error" "$status" 2
run "$QFQ" forget person "$P" --yes
run "$QFQ" export person "$P"
is "after forget, nothing is held" "$status" 1
is "no history row about them" "$(db "SELECT count(*) FROM change_rows WHERE person_id = $P")" 0
is "no value or command with their name" "$(db "SELECT count(*) FROM change_rows WHERE instr(old, CAST('Brissac' AS BLOB)) OR instr(new, CAST('Brissac' AS BLOB))") $(db "SELECT count(*) FROM change_sets WHERE command LIKE '%Brissac%' OR command LIKE '%odile%' OR summary LIKE '%Brissac%'")" "0 0"
is "the change sets that lost values cannot be undone" "$(db "SELECT count(*) FROM change_sets WHERE undoable = 0")" 3
done_testing
