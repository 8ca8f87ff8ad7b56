#!/bin/bash
# 0404: qfq map: valid SVG (parsed), one mark per commune of the territory
# (as the communes file lists them), covered / not covered by shape as well
# as colour and agreeing with qfq gaps, the offering places, a legend and a
# scale bar; data escaped.
. "$(dirname "$0")/lib.sh"
init_db
"$QFQ" import lieux "$QFQ_SRCDIR/data/samples/lieux-ardeche-2022.csv" --quiet >/dev/null 2>&1 ||
	{ echo "Bail out! import lieux failed"; exit 1; }

run "$QFQ" map --theme smartphone --departement 07 --radius 10
is "map exits 0" "$status" 0
cp "$TMP/out" "$TMP/carte.svg"
# parse it and count: communes, not covered, their shapes, places, legend, scale bar
summary() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
S = '{http://www.w3.org/2000/svg}'
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == S + 'svg', root.tag
marks = [g for g in root.iter(S + 'g') if 'commune' in (g.get('class') or '').split()]
codes = [g.get('data-insee') for g in marks]
gaps = [g for g in marks if 'non-couverte' in g.get('class').split()]
shapes_ok = all(g.find(S + 'rect') is not None for g in gaps) and \
    all(g.find(S + 'circle') is not None for g in marks if g not in gaps)
places = [p for p in root.iter(S + 'path') if p.get('class') == 'lieu']
legend = any(g.get('class') == 'legende' for g in root.iter(S + 'g'))
scale = any(g.get('class') == 'echelle' for g in root.iter(S + 'g'))
print(len(marks), len(set(codes)), len(gaps), shapes_ok, len(places), legend, scale)
PY
}
read -r marks distinct gaps shapes places legend scale <<<"$(summary "$TMP/carte.svg")"
communes=$(awk -F, '$3 == "07"' "$QFQ_SRCDIR/data/communes.csv" | wc -l)
is "one mark per commune of the territory (communes file)" "$marks" "$communes"
is "no commune twice" "$distinct" "$communes"
"$QFQ" gaps --theme smartphone --departement 07 --radius 10 --format tsv >"$TMP/gaps" 2>/dev/null
is "the communes marked not covered are qfq gaps' ones" "$gaps" "$(($(wc -l <"$TMP/gaps") - 1))"
check "some communes are not covered (a test that can fail)" test "$gaps" -gt 0
is "covered: a circle, not covered: a square (shape, not only colour)" "$shapes" True
is "the offering places are marked" "$places" 12
is "a legend" "$legend" True
is "a scale bar" "$scale" True
has "the title names the territory and theme" "$TMP/carte.svg" "Ardèche · Prendre en main un smartphone ou une tablette · 10 km"

# names are escaped
sqlite3 "$QFQ_DB" "UPDATE communes SET nom = 'A<b>&\"' WHERE code_insee = '07186'"
run "$QFQ" map --theme smartphone --departement 07 --radius 10
check "a name with markup still gives valid SVG" python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$TMP/out"
has "the name is escaped" "$TMP/out" "A&lt;b&gt;&amp;&quot;"

run "$QFQ" map --theme smartphone --epci 200071413 --radius 10
is "an EPCI map exits 0" "$status" 0
read -r marks _ <<<"$(cp "$TMP/out" "$TMP/e.svg"; summary "$TMP/e.svg")"
is "an EPCI map has its communes" "$marks" "$(awk -F, '$6 == "200071413"' "$QFQ_SRCDIR/data/communes.csv" | wc -l)"
run "$QFQ" map --departement 07
is "no theme exits 2" "$status" 2
run "$QFQ" map --theme smartphone --departement 07 --format json
is "the map has no --format (exit 2)" "$status" 2

done_testing
