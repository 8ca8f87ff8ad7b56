#!/bin/bash
# 0403: qfq gaps agrees with a coverage computed here, independently, from
# the communes file (data/communes.csv) and the places' coordinates in the
# places file: great-circle distance from each commune's centre to the
# nearest place offering the theme, plus the territories a structure
# declares it serves.
. "$(dirname "$0")/lib.sh"
init_db
lieux="$QFQ_SRCDIR/data/samples/lieux-ardeche-2022.csv"
"$QFQ" import lieux "$lieux" --quiet >/dev/null 2>&1 || { echo "Bail out! import lieux failed"; exit 1; }

# the independent computation: communes of $1 (département), places offering
# service $2, radius $3 km, EPCI $4 declared served (or "-"); prints
# "code population distance" for every commune without an offer, and the
# covered population on a last line "covered N of M"
expect() {
	python3 - "$QFQ_SRCDIR/data/communes.csv" "$lieux" "$@" <<'PY'
import csv, math, sys
communes_file, lieux_file, dep, service, radius, declared = sys.argv[1:7]
radius = float(radius)
def dist(a, b, c, d):
    p1, p2 = math.radians(a), math.radians(c)
    dp, dl = p2 - p1, math.radians(d - b)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))
places = [(float(r['latitude']), float(r['longitude'])) for r in csv.DictReader(open(lieux_file, encoding='utf-8'))
          if service in r['services'].split(';') and r['latitude']]
pop = cov = 0
gaps = []
for c in csv.DictReader(open(communes_file, encoding='utf-8')):
    if c['departement'] != dep:
        continue
    p = int(c['population'] or 0)
    pop += p
    d = min((dist(float(c['latitude']), float(c['longitude']), a, b) for a, b in places), default=None)
    if (d is not None and d <= radius) or c['epci'] == declared:
        cov += p
    else:
        gaps.append((c['code_insee'], p, d))
gaps.sort(key=lambda g: (-g[1], g[0]))
for g in gaps:
    print(g[0], g[1], 'null' if g[2] is None else '%.1f' % g[2])
print('covered', cov, 'of', pop)
PY
}
# qfq's answer in the same shape, from its JSON and its summary line
got() {
	"$QFQ" gaps "$@" --format json 2>"$TMP/summary" >"$TMP/gaps.json"
	python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    print(r["code_insee"], r["population"], "null" if r["distance_km"] is None else "%.1f" % r["distance_km"])' "$TMP/gaps.json"
	sed -n 's/.*(\([0-9]*\) of \([0-9]*\)).*/covered \1 of \2/p' "$TMP/summary"
}

expect 07 "Prendre en main un smartphone ou une tablette" 10 - >"$TMP/want"
got --theme smartphone --departement 07 --radius 10 >"$TMP/got"
check "the independent computation finds gaps (a test that can fail)" test "$(wc -l <"$TMP/want")" -gt 10
check "gaps 07 smartphone 10 km agrees with the independent computation" diff "$TMP/want" "$TMP/got"

expect 07 "Prendre en main un smartphone ou une tablette" 25 - >"$TMP/want"
got --theme smartphone --departement 07 --radius 25 >"$TMP/got"
check "gaps at 25 km agrees too" diff "$TMP/want" "$TMP/got"

# a structure offering the theme declares it serves an EPCI: its communes are covered
s=$(sqlite3 "$QFQ_DB" "SELECT min(structure_id) FROM structure_themes WHERE theme_id IN
	(SELECT id FROM themes WHERE label = 'Prendre en main un smartphone ou une tablette')")
epci=$(awk -F, '$3 == "07" { print $6 }' "$QFQ_SRCDIR/data/communes.csv" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
sqlite3 "$QFQ_DB" "INSERT INTO structure_territories(structure_id, kind, code) VALUES ($s, 'epci', '$epci')"
expect 07 "Prendre en main un smartphone ou une tablette" 10 "$epci" >"$TMP/want"
got --theme smartphone --departement 07 --radius 10 >"$TMP/got"
check "a declared EPCI covers its communes, as computed independently" diff "$TMP/want" "$TMP/got"

run "$QFQ" gaps --theme smartphone --departement 07 --radius 10
is "table format exits 0" "$status" 0
has "the summary is on standard output in a table" "$TMP/out" "population covered"
is "the largest commune without an offer comes first" "$(sed -n 3p "$TMP/out" | awk '{print $1}')" "$(head -1 "$TMP/want" | cut -d' ' -f1)"

run "$QFQ" gaps --theme smartphone --departement 07 --radius 500
is "everything covered exits 1" "$status" 1
has "and says 100 %" "$TMP/out" "100.0 %"

run "$QFQ" gaps --theme smartphone --departement 07 --radius 10 --sans-rdv --format tsv
is "--sans-rdv with no place known to take walk-ins: every commune is a gap" "$(tail -n +2 "$TMP/out" | wc -l)" \
	"$(awk -F, '$3 == "07"' "$QFQ_SRCDIR/data/communes.csv" | wc -l)"

run "$QFQ" gaps --departement 07
is "no theme exits 2" "$status" 2
run "$QFQ" gaps --theme smartphone
is "no territory and no configured commune exits 2" "$status" 2
"$QFQ" config set commune Privas >/dev/null
run "$QFQ" gaps --theme smartphone --radius 10 --format tsv
is "the configured commune's département is the default" "$(tail -n +2 "$TMP/out" | wc -l)" "$(($(wc -l <"$TMP/want") - 1))"
run "$QFQ" gaps --theme smartphone --departement 07 --epci "$epci"
is "both territories exits 2" "$status" 2
run "$QFQ" gaps --theme smartphone --departement 999
is "an unknown département exits 2" "$status" 2
run "$QFQ" gaps --theme smartphone --departement 07 --radius 0
is "a zero radius exits 2" "$status" 2

done_testing
