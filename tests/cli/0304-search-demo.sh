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
has "smartphone resolves to its theme" "$TMP/err" "compris : thème « Prendre en main un smartphone ou une tablette » · autour de Privas (30 km)"

run "$QFQ" search --format tsv --theme smartphone --commune "st jean de muzols" --radius 40
is "st jean de muzols exits 0" "$status" 0
run "$QFQ" search --theme smartphone --commune "st jean de muzols" --radius 40
has "st jean de muzols resolves" "$TMP/err" "autour de Saint-Jean-de-Muzols (40 km)"

run "$QFQ" search --format json --commune Privas --radius 40 --open-at "mardi 10:00"
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
o = {x["nom"]: x for x in d}
alb = o["Espace Public Numérique Alboussière"]   # Mo-Fr 09:30-12:30,13:30-17:00
assert alb["ouvert"] is True, alb
assert "Mairie de Saint Sauveur de Montagut" not in o   # Fr 08:45-11:45,14:30-16:45
assert all(x["ouvert"] is True and x["horaires"] for x in d), d
PY
check "mardi 10:00 keeps only the places whose hours say open" test $? -eq 0

run "$QFQ" search --format json --commune Privas --radius 40 --open-at "mardi 10:00" --unknown-hours
python3 - "$TMP/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert all(x["ouvert"] is not False for x in d), "never a closed place"
assert all(x["horaires"] for x in d if x["ouvert"] is True)
rank = [{True: 0, None: 2}[x["ouvert"]] for x in d]
assert rank == sorted(rank) and 0 in rank and 2 in rank, rank
PY
check "--unknown-hours adds the places with unknown hours after the open ones" test $? -eq 0

done_testing
