#!/bin/bash
# 0304: qfq search on the demo data (rosters and the 2022 Ardèche sample
# places, through the real importers): the issue's acceptance queries.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db

run "$QFQ" search --format json --theme démarches --commune Privas --radius 30
is "démarches around Privas exits 0" "$status" 0
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
dist = [x["distance_km"] for x in d]
assert len(d) >= 8, len(d)
assert dist == sorted(dist), dist
assert all(x <= 30 for x in dist), dist
assert d[0]["nom"].startswith("CAPLAB") and d[0]["commune"] == "Privas", d[0]
assert all(x["themes"] for x in d), "each says which theme matched"
PY
check "sample places around Privas, by distance, within 30 km" test $? -eq 0

run "$QFQ" search --theme smartphone --commune Privas --radius 30
is "smartphone exits 0" "$status" 0
has "smartphone resolves under Maîtrise des outils numériques du quotidien" "$TMP/err" "smartphone → Prendre en main un smartphone ou une tablette (Maîtrise des outils numériques du quotidien)"

run "$QFQ" search --format tsv --theme smartphone --commune "st jean de muzols" --radius 40
is "st jean de muzols exits 0" "$status" 0
run "$QFQ" search --theme smartphone --commune "st jean de muzols" --radius 40
has "st jean de muzols resolves" "$TMP/err" "Saint-Jean-de-Muzols (07), 07245"

run "$QFQ" search --format json --commune Privas --radius 40 --open-at "mardi 10:00"
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
o = {x["nom"]: x for x in d}
alb = o["Espace Public Numérique Alboussière"]   # Mo-Fr 09:30-12:30,13:30-17:00
ssm = o["Mairie de Saint Sauveur de Montagut"]   # Fr 08:45-11:45,14:30-16:45
assert alb["ouvert"] is True, alb
assert ssm["ouvert"] is False and ssm["prochaine_ouverture"].endswith("T08:45"), ssm
assert all(x["horaires"] for x in d if x["ouvert"] is not None)
assert all(x["ouvert"] is None for x in d if not x["horaires"])
rank = [{True: 0, False: 1, None: 2}[x["ouvert"]] for x in d]
assert rank == sorted(rank), rank
PY
check "mardi 10:00 marks open only the places whose hours say so" test $? -eq 0

done_testing
