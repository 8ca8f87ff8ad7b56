#!/bin/bash
# 0203: bad places files: every error names file:line:column, a bad row
# refuses the whole import (database unchanged) unless --skip-bad-rows,
# --dry-run writes nothing, a file that is not the standard is refused.
. "$(dirname "$0")/lib.sh"
init_db
q() { sqlite3 -batch -noheader "$QFQ_DB" "$@"; }
H='id,nom,pivot,structure_parente,typologie,commune,code_postal,code_insee,adresse,complement_adresse,latitude,longitude,telephone,courriels,site_web,horaires,prise_rdv,presentation_resume,presentation_detail,services,publics_specifiquement_adresses,prise_en_charge_specifique,frais_a_charge,modalites_acces,modalites_accompagnement,fiche_acces_libre,itinerance,dispositif_programmes_nationaux,formations_labels,autres_formations_labels,source,date_maj'
good='p1,Médiathèque de Privas,21070186000012,,BIB,Privas,07000,07186,1 place de la République,,44.735,4.599,04 75 64 00 00,contact@privas.fr,https://privas.fr,"Mo-Fr 09:00-12:00,14:00-17:00",,,,Aide aux démarches administratives,Seniors,,Gratuit,Se présenter|Téléphoner,Accompagnement individuel,,Fixe,France Services,,,Test,2024-05-02'

# row key=value...: a CSV row of the standard, the good row's values by default.
row() {
	H="$H" GOOD="$good" python3 -c '
import csv, io, os, sys
h = os.environ["H"].split(",")
d = dict(zip(h, next(csv.reader([os.environ["GOOD"]]))))
for a in sys.argv[1:]:
    k, v = a.split("=", 1)
    assert k in h, k
    d[k] = v
o = io.StringIO(); csv.writer(o, lineterminator="\n").writerow([d[k] for k in h]); print(o.getvalue(), end="")
' "$@"
}

printf '%s\r\n%s\r\n' "$H" "$good" >"$TMP/good.csv"
run "$QFQ" import lieux "$TMP/good.csv" --dry-run
is "dry run exits 0" "$status" 0
has "dry run says so" "$TMP/out" "dry run"
is "dry run writes nothing" "$(q "SELECT count(*) FROM structures")" 0

# A bad row among good ones: refused whole, with file:line:column.
{
	printf '%s\n%s\n' "$H" "$good"
	row id=p2 nom='Sans commune' commune= code_postal=07999 code_insee=
	row id=p3 nom=Loin latitude=48.85 longitude=140.2
	row id=p4 nom='Mauvaise date' date_maj=2024-13-45
	row id=p5 nom=
	row nom=Doublon
	row id=p6 nom='Code inconnu' code_insee=07999
	row id=p7 nom=CP code_postal=7000
} >"$TMP/bad.csv"
run "$QFQ" import lieux "$TMP/bad.csv"
is "a bad row refuses the file: exit 3" "$status" 3
is "database unchanged" "$(q "SELECT count(*) FROM structures")" 0
has "no commune for the postcode: line and column" "$TMP/err" "bad.csv:3:6: error: commune: no commune \"\" with postcode 07999 (and no code_insee)"
has "coordinates outside France" "$TMP/err" "bad.csv:4:11: error: coordinates 48.85, 140.2 are not in France"
has "bad date" "$TMP/err" "bad.csv:5:32: error: date_maj: \"2024-13-45\" is not a date"
has "required name" "$TMP/err" "bad.csv:6:2: error: nom: required, empty"
has "duplicate id names the first line" "$TMP/err" "bad.csv:7:1: error: id: \"p1\" already at line 2"
has "unknown INSEE code" "$TMP/err" "bad.csv:8:8: error: code_insee: \"07999\" is not a current commune"
has "bad postcode" "$TMP/err" "bad.csv:9:7: error: code_postal: \"7000\" is not a postcode (5 digits)"
has "how to go on" "$TMP/err" "--skip-bad-rows"

run "$QFQ" import lieux "$TMP/bad.csv" --skip-bad-rows --format json
is "--skip-bad-rows exits 0" "$status" 0
is "--skip-bad-rows: the good row is in" "$(q "SELECT nom FROM structures")" "Médiathèque de Privas"
is "--skip-bad-rows: 7 bad rows reported" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["bad_rows"], d["inserted"], len([i for i in d["issues"] if i["severity"]=="error"]) >= 7)' "$TMP/out")" "7 1 True"

# Normalizations of the good row.
is "phone normalized to +33" "$(q "SELECT telephone FROM structures WHERE source_id = 'p1'")" "+33475640000"
is "sans_rdv from Se présenter" "$(q "SELECT sans_rdv FROM structures WHERE source_id = 'p1'")" 1
is "hours parsed" "$(q "SELECT horaires_ok FROM structures WHERE source_id = 'p1'")" 1
is "own coordinates are exact" "$(q "SELECT coord_exact FROM structures WHERE source_id = 'p1'")" 1

# Warnings that keep the row.
{
	printf '%s\n' "$H"
	row id=w1 nom='EPN de Burzet' typologie=ZZZ commune=burzet code_postal=07450 code_insee= \
		adresse='place du Souvenir' latitude= longitude= telephone='0475 37 03 66 / 06 12 34 56 78' \
		courriels='pas-un-mail;epn@burzet.fr' site_web=www.burzet.fr horaires='Sur rendez-vous' \
		services='Aide aux démarches administratives|Cours de cuisine' \
		publics_specifiquement_adresses='Seniors|Retraités' modalites_acces= date_maj=25/03/2022 \
		dispositif_programmes_nationaux=
	row id=w2 nom='Lieu inversé' latitude=4.599 longitude=44.735
	row id=w3 nom='Lieu fils' structure_parente=w9
	row id=w4 nom='Trop de valeurs' formations_labels="$(seq -s '|' 1 60)"
} >"$TMP/warn.csv"
run "$QFQ" import lieux "$TMP/warn.csv"
is "warnings only: exit 0" "$status" 0
has "unknown typology kept as a tag" "$TMP/err" "warn.csv:2:5: warning: typologie: unknown code \"ZZZ\" kept as a tag"
hasnt "commune found from postcode and name: no warning" "$TMP/err" "warn.csv:2:6:"
has "second phone number reported" "$TMP/err" "warn.csv:2:13: warning: telephone: only the first number"
has "bad email left out" "$TMP/err" "warn.csv:2:14: warning: courriels: \"pas-un-mail\" is not an email address"
has "www site completed" "$TMP/err" "warn.csv:2:15: warning: site_web: \"www.burzet.fr\" completed as \"https://www.burzet.fr\""
has "unparseable hours kept" "$TMP/err" "warn.csv:2:16: warning: horaires: \"Sur rendez-vous\" kept as text"
has "unknown service kept" "$TMP/err" "warn.csv:2:20: warning: services: unknown service \"Cours de cuisine\" kept as a tag"
has "unknown audience kept" "$TMP/err" "warn.csv:2:21: warning: publics_specifiquement_adresses: unknown value \"Retraités\" kept as a tag"
has "French date read" "$TMP/err" "warn.csv:2:32: warning: date_maj: \"25/03/2022\" read as 2022-03-25"
has "swapped coordinates" "$TMP/err" "warn.csv:3:11: warning: latitude and longitude were swapped"
has "a list too long is reported, not cut silently" "$TMP/err" "warn.csv:5:29: warning: formations_labels: more than 48 values, the rest is left out: \"49|50"
has "missing parent" "$TMP/err" "warn.csv:4:4: warning: structure_parente: no place \"w9\" in this source"
is "Burzet: INSEE code filled, centre approximate" \
	"$(q "SELECT code_insee, coord_exact, latitude IS NOT NULL, horaires_ok, date_maj, courriels, tags FROM structures WHERE source_id = 'w1'")" \
	"07045|0|1|0|2022-03-25|epn@burzet.fr|ZZZ|Cours de cuisine|Retraités"
is "sans_rdv unknown without modalites_acces" "$(q "SELECT ifnull(sans_rdv, 'NULL') FROM structures WHERE source_id = 'w1'")" NULL
is "swapped coordinates put back" "$(q "SELECT latitude, longitude FROM structures WHERE source_id = 'w2'")" "44.735|4.599"

# Updating a place: the same id with a new value.
sed 's/Médiathèque de Privas/Médiathèque municipale de Privas/' "$TMP/good.csv" >"$TMP/good2.csv"
run "$QFQ" import lieux "$TMP/good2.csv" --format json
is "an updated place" "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["updated"], d["inserted"])' "$TMP/out")" "1 0"
is "its new name" "$(q "SELECT nom FROM structures WHERE source_id = 'p1'")" "Médiathèque municipale de Privas"
is "the search index follows" "$(q "SELECT count(*) FROM structures_fts WHERE structures_fts MATCH 'municipale'")" 1

# Not the standard, empty, missing, unreadable.
printf 'Nom prénom,Structure\nDUPONT Jean,Mairie\n' >"$TMP/roster.csv"
run "$QFQ" import lieux "$TMP/roster.csv"
is "a roster is not a lieux file: exit 3" "$status" 3
has "says what is expected" "$TMP/err" "not the schéma des lieux"
: >"$TMP/empty.csv"
run "$QFQ" import lieux "$TMP/empty.csv"
is "an empty file: exit 3" "$status" 3
run "$QFQ" import lieux "$TMP/nosuch.csv"
is "a missing file: exit 4" "$status" 4
printf '%s\n"p1,unterminated\n' "$H" >"$TMP/quote.csv"
run "$QFQ" import lieux "$TMP/quote.csv"
is "an unterminated quote: exit 3" "$status" 3
has "with its line" "$TMP/err" "line 2"
run "$QFQ" import lieux
is "no file: exit 2" "$status" 2
run "$QFQ" import lieux a.csv b.csv
is "two files: exit 2" "$status" 2
run "$QFQ" import lieux --format tsv "$TMP/good.csv"
is "--format tsv: exit 2" "$status" 2
is "nothing changed by the refusals" "$(q "SELECT count(*) FROM structures")" 5

done_testing
