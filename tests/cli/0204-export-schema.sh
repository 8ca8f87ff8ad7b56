#!/bin/bash
# 0204: every `qfq export lieux` the suite writes is valid against the
# schema of the standard, v1.0.2 (tests/data/schema/schema.json), checked
# offline by tests/check_lieux_schema.py: the demo, the regional places of
# tests/data/lieux (1.x and 0.x), places edited and merged. Places that
# cannot go out valid are left out and named with the reason; optional
# values the schema refuses are left empty and named; --include-invalid
# writes everything as it is. And the checker itself fails when a column
# is moved or a value breaks a pattern.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
checker="$QFQ_SRCDIR/tests/check_lieux_schema.py"
valid() { python3 "$checker" "$@" >"$TMP/check" 2>&1; }
db() { sqlite3 -batch -noheader "$QFQ_DB" "$1"; }
sid() { db "SELECT id FROM structures WHERE nom = '$1'"; }
col() { # FILE FIELD: the values of a CSV column, one a line
	python3 -c 'import csv,sys; [print(r[sys.argv[2]]) for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))]' "$1" "$2"
}
rows() { python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))))' "$1"; }

# --- the checker itself ---------------------------------------------------
run "$QFQ" export lieux --output "$TMP/demo.csv"
is "demo export exits 0" "$status" 0
check "the demo export is valid" valid "$TMP/demo.csv"
has "the checker counts the places" "$TMP/check" "17 place(s) valid"
python3 - "$TMP" <<'P'
import csv, sys
t = sys.argv[1]
rows = list(csv.reader(open(t + "/demo.csv", newline="", encoding="utf-8")))
def write(name, rs):
    with open(t + "/" + name, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rs)
# qfq's former order: nom before pivot (a validator reads by position)
write("moved.csv", [[r[0], r[2], r[1]] + r[3:] for r in rows])
h = rows[0]
def broken(field, value, name, row=1):
    rs = [list(r) for r in rows]
    rs[row][h.index(field)] = value
    write(name, rs)
broken("code_postal", "7100", "postcode.csv")
broken("telephone", "04 75 69 35 01", "phone.csv")
broken("services", "Aide aux démarches administratives|Cours de cuisine", "services.csv")
broken("date_maj", "2021-02-30", "date.csv")
broken("latitude", "45,24", "number.csv")
broken("pivot", "", "required.csv")
broken("presentation_resume", "x" * 281, "long.csv")
broken("id", rows[2][0], "unique.csv")
write("short.csv", rows[:2] + [rows[2][:-1]])
P
run python3 "$checker" "$TMP/moved.csv"
is "a moved column fails" "$status" 1
has "... and is named" "$TMP/out" 'moved.csv:1: column 2: header "nom", the schema has "pivot" here'
run python3 "$checker" "$TMP/postcode.csv"
is "a postcode of 4 digits fails" "$status" 1
has "... at its line and field" "$TMP/out" 'postcode.csv:2: code_postal: "7100" does not match the pattern'
run python3 "$checker" "$TMP/phone.csv"
has "a phone not in the +33 form fails" "$TMP/out" 'phone.csv:2: telephone: "04 75 69 35 01" does not match'
run python3 "$checker" "$TMP/services.csv"
has "a service outside the vocabulary fails" "$TMP/out" 'services.csv:2: services: "Aide aux démarches administratives|Cours de cuisine" does not match'
run python3 "$checker" "$TMP/date.csv"
has "a date that is no day fails" "$TMP/out" 'date.csv:2: date_maj: "2021-02-30" is not a date'
run python3 "$checker" "$TMP/number.csv"
has "a decimal comma is not a number" "$TMP/out" 'number.csv:2: latitude: "45,24" is not a number'
run python3 "$checker" "$TMP/required.csv"
has "an empty required field fails" "$TMP/out" 'required.csv:2: pivot: required, empty'
run python3 "$checker" "$TMP/long.csv"
has "maxLength counts characters" "$TMP/out" 'long.csv:2: presentation_resume: 281 characters, more than 280'
run python3 "$checker" "$TMP/unique.csv"
has "a repeated id fails" "$TMP/out" 'unique.csv:3: id:'
run python3 "$checker" "$TMP/short.csv"
has "a row with a cell missing fails" "$TMP/out" 'short.csv:3: row: 31 cells, the schema has 32 fields'
python3 - "$TMP" <<'P'
import json, sys
t = sys.argv[1]
p = {"nom": "X", "id": "1"}
json.dump([p], open(t + "/keys.json", "w"))
P
run python3 "$checker" "$TMP/keys.json"
is "a JSON export with other keys fails" "$status" 1
has "... naming the place" "$TMP/out" 'keys.json:place 1: column 1: header "nom", the schema has "id" here'

# --- the demo -------------------------------------------------------------
run "$QFQ" export lieux
is "the CSV header is the schema's fields in the schema's order" "$(head -n 1 "$TMP/out" | tr -d '\r')" \
	"$(python3 -c 'import json,sys; print(",".join(f["name"] for f in json.load(open(sys.argv[1]))["fields"]))' "$QFQ_SRCDIR/tests/data/schema/schema.json")"
has "a roster structure is left out by name, with the reasons" "$TMP/err" \
	"qfq export: #$(sid Numérian) \"Numérian\" left out: no pivot, commune, code_postal, adresse, date_maj, services"
has "the number left out is summed up" "$TMP/err" "46 structures left out (above, with the reasons); --include-invalid writes them too"
if locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
	run env LANGUAGE= LC_ALL=fr_FR.UTF-8 "$QFQ" export lieux
	has "in French: the place left out and why" "$TMP/err" "« Numérian » laissée de côté : sans pivot, commune, code_postal"
	has "in French: the summary" "$TMP/err" "46 structures laissées de côté (ci-dessus, avec les raisons)"
	check "in French: the data is the same" cmp "$TMP/out" "$TMP/demo.csv"
fi
run "$QFQ" export lieux --format json --output "$TMP/demo.json"
check "the demo JSON export is valid" valid "$TMP/demo.json"
is "JSON: the same field names, in the same order" "$(python3 -c '
import json,sys; print(",".join(json.load(open(sys.argv[1]))[0]))' "$TMP/demo.json")" "$(head -n 1 "$TMP/demo.csv" | tr -d '\r')"
run "$QFQ" export lieux --departement 07 --format csv
check "the export of a département is valid" valid "$TMP/out"

run "$QFQ" export lieux --include-invalid --output "$TMP/all.csv"
is "--include-invalid exits 0" "$status" 0
is "--include-invalid writes every structure" "$(rows "$TMP/all.csv")" "$(db "SELECT count(*) FROM structures")"
has "... and names what is not valid" "$TMP/err" "\"Numérian\" written as it is, not valid: no pivot"
run python3 "$checker" "$TMP/all.csv"
is "... and the checker refuses that file" "$status" 1
has "... for the same reason" "$TMP/out" "pivot: required, empty"
run "$QFQ" export lieux --all --output "$TMP/all2.csv"
check "--all is the former name of --include-invalid" cmp "$TMP/all.csv" "$TMP/all2.csv"

# --- merged places (the demo's merges) -----------------------------------
n=0
while IFS=$'\t' read -r keep other; do
	k=$(sid "$keep"); o=$(sid "$other")
	[ -n "$k" ] && [ -n "$o" ] && "$QFQ" merge "$k" "$o" >/dev/null 2>&1 && n=$((n + 1))
done < <(python3 -c 'import csv,sys; [print(r["keep"] + "\t" + r["other"]) for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))]' \
	"$QFQ_SRCDIR/data/demo-merges.csv" | sed "s/'/''/g")
check "some demo merges done" test "$n" -gt 0
K=$(sid "26FK")
check "26FK kept its roster twin" test -z "$(sid "26 FK")"
run "$QFQ" export lieux --output "$TMP/merged.csv"
check "the export after merges is valid" valid "$TMP/merged.csv"
is "the merged place is exported once" "$(col "$TMP/merged.csv" nom | grep -c '^26FK$')" 1
hasnt "the folded roster structure is not named" "$TMP/err" '"26 FK"'

# --- edited places --------------------------------------------------------
A=$(sid "Espace Public Numérique Alboussière")
db "UPDATE structures SET telephone = '+41221234567', presentation_resume = printf('%.300c', 'a'),
	publics = 'Jeunes|Retraités', formations_labels = 'Étapes numériques (La Poste)|Pix|Formé à « DUPLEX » (illettrisme)'
	WHERE id = $K"
db "DELETE FROM structure_themes WHERE structure_id = $A"
db "UPDATE structures SET code_postal = NULL WHERE id = (SELECT min(id) FROM structures WHERE source = 'Hinaura' AND id NOT IN ($A, $K))"
P3=$(db "SELECT min(id) FROM structures WHERE source = 'Hinaura' AND code_postal IS NOT NULL AND id NOT IN ($A, $K)")
db "UPDATE structures SET siret = 'SIRET 123', date_maj = '2024-02-30' WHERE id = $P3"
db "INSERT INTO structures (nom, nom_norm, source, source_id, siret, code_insee, code_postal, adresse, date_maj)
	SELECT nom || ' bis', nom_norm || ' bis', 'Autre source', source_id, siret, code_insee, code_postal, adresse, date_maj FROM structures WHERE id = $K"
db "INSERT INTO structure_themes (structure_id, theme_id) SELECT (SELECT max(id) FROM structures), theme_id FROM structure_themes WHERE structure_id = $K"
run "$QFQ" export lieux --output "$TMP/edited.csv"
is "export of edited places exits 0" "$status" 0
check "the export of edited places is valid" valid "$TMP/edited.csv"
has "a place without services is left out, and why" "$TMP/err" "\"Espace Public Numérique Alboussière\" left out: no services"
has "a place without postcode is left out, and why" "$TMP/err" "left out: no code_postal"
has "a pivot that is no SIRET is named" "$TMP/err" 'pivot "SIRET 123" is not in the standard'"'"'s form; date_maj "2024-02-30" is not in the standard'"'"'s form'
has "a foreign phone is left empty, and said" "$TMP/err" "\"26FK\" written without what the standard refuses: telephone \"+41221234567\" is not in the standard's form"
has "an over-long summary is left empty, and said" "$TMP/err" "presentation_resume is longer than 280 characters"
has "an item outside a vocabulary is dropped, and said" "$TMP/err" 'publics_specifiquement_adresses "Retraités" is not in the standard'"'"'s list'
has "a repeated id gets qfq's own" "$TMP/err" "id \"39\" is another place's, written as \"qfq-"
is "26FK: the phone and summary left empty, publics kept for the known item" \
	"$(python3 -c 'import csv,sys; r=[r for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")) if r["nom"] == "26FK"][0]; print(r["telephone"], r["presentation_resume"], r["publics_specifiquement_adresses"], sep="/")' "$TMP/edited.csv")" \
	"//Jeunes"
is "formations_labels: the schema's labels in its spelling, the others in autres_formations_labels" \
	"$(python3 -c 'import csv,sys; r=[r for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")) if r["nom"] == "26FK"][0]; print(r["formations_labels"], r["autres_formations_labels"], sep=" / ")' "$TMP/edited.csv")" \
	"Étapes numériques(La Poste)|Formé à « DUPLEX » (illetrisme) / Pix"
run "$QFQ" export lieux --format json --output "$TMP/edited.json"
check "the JSON export of edited places is valid" valid "$TMP/edited.json"

# A place edited at its source and imported again is exported valid.
python3 - "$QFQ_SRCDIR/data/samples/lieux-ardeche-2022.csv" "$TMP/edited-source.csv" <<'P'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
h = rows[0]
for r in rows[1:4]:
    r[h.index("telephone")] = "04 75 00 00 0" + r[0][-1]
    r[h.index("date_maj")] = "2024-11-05"
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8"), lineterminator="\r\n").writerows(rows)
P
run "$QFQ" import lieux "$TMP/edited-source.csv" --format json
is "the edited file imports" "$status" 0
check "... and updates the places edited there (and those edited here)" \
	test "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["updated"])' "$TMP/out")" -ge 3
run "$QFQ" export lieux --output "$TMP/updated.csv"
check "the export after an updating import is valid" valid "$TMP/updated.csv"
is "... with the new dates" "$(col "$TMP/updated.csv" date_maj | grep -c '^2024-11-05$')" 3

# --- regional places (tests/data/lieux), both forms -----------------------
gen="$QFQ_SRCDIR/tests/data/lieux/gen_lieux.py"
python3 "$gen" --form 1 --count 1500 --seed 7 --communes "$QFQ_SRCDIR/data/communes.csv" >"$TMP/r1.csv"
python3 "$gen" --form 0 --count 1500 --seed 8 --departements 07,26 --communes "$QFQ_SRCDIR/data/communes.csv" >"$TMP/r0.csv"
for form in 1 0; do
	export QFQ_DB="$TMP/r$form.db"
	"$QFQ" init --quiet
	"$QFQ" import lieux "$TMP/r$form.csv" --quiet 2>/dev/null
	run "$QFQ" export lieux --output "$TMP/r$form.out.csv"
	is "regional $form.x: all 1500 places written" "$(rows "$TMP/r$form.out.csv")" 1500
	check "regional $form.x: the CSV export is valid" valid "$TMP/r$form.out.csv"
	run "$QFQ" export lieux --format json --output "$TMP/r$form.out.json"
	check "regional $form.x: the JSON export is valid" valid "$TMP/r$form.out.json"
done
is "labels outside the schema's list go to autres_formations_labels" \
	"$(col "$TMP/r1.out.csv" autres_formations_labels | grep -c 'Pix')" \
	"$(python3 -c 'import csv,sys; print(sum("Pix" in r["formations_labels"] for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8"))))' "$TMP/r1.csv")"

done_testing
