#!/bin/bash
# 0309: qfq themes: the theme tree with, for each theme, the number of
# places `qfq search` returns with the same criteria and that theme.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db

run "$QFQ" themes
is "themes exits 0" "$status" 0
has "the tree lists the CAF theme under its parent, indented" "$TMP/out" "  Démarches CAF (allocations, prime d'activité, RSA, APL)"

run "$QFQ" themes --format json
is "themes --format json exits 0" "$status" 0
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert all(list(x.keys()) == ["slug", "libelle", "parent", "nombre"] for x in d), d[0]
caf = [x for x in d if x["slug"] == "demarches-caf"][0]
assert caf["parent"] == "aide-demarches-administratives" and caf["nombre"] > 0, caf
PY
check "json: slug, libelle, parent, nombre; a theme matched through its parent is counted" test $? -eq 0

# Each count is what the same search with that theme returns.
count() { "$QFQ" search --format tsv --limit 100000 "$@" 2>/dev/null | tail -n +2 | wc -l; }
for args in "" "--commune Privas --radius 20" "--commune Annonay --radius 10" "--open-at 2024-07-09T10:00" "--sans-rdv"; do
	# shellcheck disable=SC2086
	"$QFQ" themes --format tsv $args >"$TMP/themes"
	for slug in demarches-caf smartphone-tablette aide-demarches-administratives demarches-impots; do
		want=$(awk -F'\t' -v s="$slug" '$1 == s { print $4 }' "$TMP/themes")
		# shellcheck disable=SC2086
		is "themes ${args:-(no criteria)}: $slug counts what search finds" "$want" "$(count --theme "$slug" $args)"
	done
done

run "$QFQ" themes --persons
is "themes --persons is a usage error" "$status" 2
run "$QFQ" themes --commune "zzzz nowhere"
is "an unknown commune: exit 2" "$status" 2
has "said with the command's name" "$TMP/err" "qfq themes: no commune matches"

done_testing
