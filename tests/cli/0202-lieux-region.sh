#!/bin/bash
# 0202: a few thousand places of another region (Bretagne: 22, 29, 35, 56),
# in the 0.x and the 1.x form, generated at test time from the real
# communes (tests/data/lieux/gen_lieux.py: quoted fields, accents, several
# services and emails, multi-line descriptions, hours the parser does not
# take, missing coordinates, missing code_insee...): they import without an
# error, and export -> import -> export is byte-identical.
. "$(dirname "$0")/lib.sh"
init_db
gen="$QFQ_SRCDIR/tests/data/lieux/gen_lieux.py"
q() { sqlite3 -batch -noheader "$QFQ_DB" "$@"; }
r() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$TMP/out" "$1"; }

python3 "$gen" --form 1 --count 3000 --communes "$QFQ_SRCDIR/data/communes.csv" >"$TMP/bzh1.csv"
python3 "$gen" --form 0 --count 3000 --seed 35 --communes "$QFQ_SRCDIR/data/communes.csv" >"$TMP/bzh0.csv"

run "$QFQ" import lieux "$TMP/bzh1.csv" --format json
is "1.x: exits 0" "$status" 0
is "1.x: detected" "$(r version)" "1.x"
is "1.x: 3000 rows" "$(r rows)" 3000
is "1.x: 3000 new places" "$(r inserted)" 3000
is "1.x: no error" "$(r errors)" 0
check "1.x: some hours kept as text" test "$(r hours_unparseable)" -gt 0
check "1.x: places without coordinates at their commune centre" test "$(r coords_approx)" -gt 0
check "1.x: communes found without code_insee" test "$(r communes_filled)" -gt 300
check "1.x: phones normalized" test "$(r phones_normalized)" -gt 1000
check "1.x: unknown service kept and counted" test "$(r values_unknown)" -gt 0
has "1.x: warnings name file:line:column" "$TMP/err" "bzh1.csv:"
has "1.x: unparseable hours reported" "$TMP/err" "kept as text, not understood"

is "Sur rendez-vous uniquement: kept as text, horaires_ok 0" \
	"$(q "SELECT DISTINCT horaires_ok FROM structures WHERE horaires = 'Sur rendez-vous uniquement'")" 0
is "approximate places have coord_exact 0 and the centre" \
	"$(q "SELECT count(*) FROM structures WHERE coord_exact = 0 AND (latitude IS NULL OR code_insee IS NULL)")" 0
is "sans_rdv: 1 with Se présenter" \
	"$(q "SELECT DISTINCT sans_rdv FROM structures WHERE modalites_acces LIKE '%Se présenter%'")" 1
is "sans_rdv: 0 with only appointment modes" \
	"$(q "SELECT DISTINCT sans_rdv FROM structures WHERE modalites_acces <> '' AND modalites_acces NOT LIKE '%Se présenter%'")" 0
is "sans_rdv: unknown without modalites_acces" \
	"$(q "SELECT count(*) FROM structures WHERE modalites_acces IS NULL AND sans_rdv IS NOT NULL")" 0
is "multi-line description kept" \
	"$(q "SELECT count(*) FROM structures WHERE presentation_detail LIKE '%' || char(10) || 'Aide aux démarches%'")" 1000
is "parents linked" "$(q "SELECT count(*) FROM structures WHERE parent_id IS NOT NULL")" \
	"$(python3 -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if r["structure_parente"]))' "$TMP/bzh1.csv")"
is "ST BRIEUC-style names resolved" "$(q "SELECT count(*) FROM structures WHERE code_insee IS NULL")" 0
is "fiche_acces_libre kept" "$(q "SELECT count(*) FROM structures WHERE fiche_acces_libre LIKE 'https://acceslibre%'")" 750

run "$QFQ" import lieux "$TMP/bzh1.csv" --format json
is "1.x again: all unchanged" "$(r unchanged)" 3000

run "$QFQ" import lieux "$TMP/bzh0.csv" --format json
is "0.x: exits 0" "$status" 0
is "0.x: detected" "$(r version)" "0.x"
is "0.x: 3000 new places" "$(r inserted)" 3000
is "0.x: no error" "$(r errors)" 0
is "0.x: no value left unknown" "$(r values_unknown)" 0
check "0.x: A ma place kept as a tag" test "$(q "SELECT count(*) FROM structures WHERE tags LIKE '%À ma place%'")" -gt 0
is "0.x: ... and read as individual support" \
	"$(q "SELECT count(*) FROM structures WHERE tags LIKE '%À ma place%' AND modalites_accompagnement NOT LIKE '%Accompagnement individuel%'")" 0
is "0.x: CNFS becomes Conseillers numériques" \
	"$(q "SELECT count(*) FROM structures WHERE dispositifs LIKE '%CNFS%'")" 0

run "$QFQ" show "Médiathèque Le Lien"
is "show of a name several places bear exits 2" "$status" 2
has "the candidates are listed with their commune" "$TMP/err" "Médiathèque Le Lien ("

# Round trip: export, import into a new database, export again.
run "$QFQ" export lieux --output "$TMP/e1.csv"
is "export exits 0" "$status" 0
is "export: 6000 places" "$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline=""))))' "$TMP/e1.csv")" 6000
QFQ_DB="$TMP/second.db" "$QFQ" init --quiet
run env QFQ_DB="$TMP/second.db" "$QFQ" import lieux "$TMP/e1.csv" --format json
is "the export imports without error" "$(r errors)" 0
is "the export imports as 1.x" "$(r version)" "1.x"
is "the export imports as 6000 places" "$(r inserted)" 6000
run env QFQ_DB="$TMP/second.db" "$QFQ" export lieux --output "$TMP/e2.csv"
check "export -> import -> export is byte-identical" cmp "$TMP/e1.csv" "$TMP/e2.csv"
check "the export is valid against the schema v1.0.2" python3 "$QFQ_SRCDIR/tests/check_lieux_schema.py" --quiet "$TMP/e1.csv"
check "the export is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$TMP/e1.csv" -o /dev/null
is "the export parses as RFC 4180 with 32 columns everywhere" "$(python3 -c '
import csv,sys; rows=list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
print(len({len(r) for r in rows}), len(rows[0]))' "$TMP/e1.csv")" "1 32"

run "$QFQ" export lieux --departement 29 --format json
is "export --departement 29 json exits 0" "$status" 0
check "the json export is valid against the schema v1.0.2" python3 "$QFQ_SRCDIR/tests/check_lieux_schema.py" --quiet "$TMP/out"
is "json: only Finistère" "$(python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); print(len(d) > 0, {p["code_insee"][:2] for p in d})' "$TMP/out")" "True {'29'}"

run "$QFQ" export lieux --commune Quimper
is "export --commune Quimper exits 0" "$status" 0
check "the export of a commune is valid" python3 "$QFQ_SRCDIR/tests/check_lieux_schema.py" --quiet "$TMP/out"
is "only Quimper (29232)" "$(python3 -c '
import csv,sys; print({r["code_insee"] for r in csv.DictReader(open(sys.argv[1], newline=""))})' "$TMP/out")" "{'29232'}"

# The same places as Excel saves them: UTF-8 with BOM and ';', Windows-1252.
python3 - "$TMP/bzh1.csv" "$TMP" <<'P'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))[:301]
with open(sys.argv[2] + "/semi.csv", "w", newline="", encoding="utf-8-sig") as f:
    csv.writer(f, delimiter=";").writerows(rows)
with open(sys.argv[2] + "/cp1252.csv", "w", newline="", encoding="cp1252") as f:
    csv.writer(f).writerows(rows)
with open(sys.argv[2] + "/utf8.csv", "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows)
P
for v in utf8 semi cp1252; do
	QFQ_DB="$TMP/$v.db" "$QFQ" init --quiet
	QFQ_DB="$TMP/$v.db" "$QFQ" import lieux "$TMP/$v.csv" --quiet 2>/dev/null
	QFQ_DB="$TMP/$v.db" "$QFQ" export lieux >"$TMP/$v.out"
done
check "UTF-8 with BOM and ';' gives the same places" cmp "$TMP/utf8.out" "$TMP/semi.out"
check "Windows-1252 gives the same places" cmp "$TMP/utf8.out" "$TMP/cp1252.out"
check "... valid against the schema v1.0.2" python3 "$QFQ_SRCDIR/tests/check_lieux_schema.py" --quiet "$TMP/cp1252.out"
is "300 places each" "$(($(grep -c $'\r$' "$TMP/cp1252.out") - 1))" 300

done_testing
