#!/bin/bash
# 0006: French messages under a French locale; data (tsv/csv headers, JSON
# keys, numbers) the same in every language; English under C.UTF-8.
. "$(dirname "$0")/lib.sh"

if ! locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
	echo "1..1"
	echo "ok 1 # SKIP no fr_FR.UTF-8 locale"
	exit 0
fi
init_db
fr() { LANGUAGE= LC_ALL=fr_FR.UTF-8 "$@"; }

if command -v msgfmt >/dev/null; then
	check "po/fr.po compiles (msgfmt --check)" msgfmt --check -o /dev/null "$QFQ_SRCDIR/po/fr.po"
fi

run fr "$QFQ" --help
is "--help exits 0" "$status" 0
has "--help: French section title" "$TMP/out" "commandes :"
has "--help: French summary of commune" "$TMP/out" "trouver une commune par nom, ancien nom, code INSEE ou code postal"
has "--help: French global options" "$TMP/out" "options générales :"
hasnt "--help: no English summary left" "$TMP/out" "find a commune"

run fr "$QFQ" help search
has "help search: French option text" "$TMP/out" "se limiter à un EPCI (nom ou SIREN)"
has "help search: option names untranslated" "$TMP/out" "--open-at QUAND"

run fr "$QFQ" commune Zzyzx
is "commune Zzyzx exits 1" "$status" 1
has "commune Zzyzx: French 'no commune matches'" "$TMP/err" "qfq commune: aucune commune ne correspond à « Zzyzx »"

run fr "$QFQ" commune --format xml x
is "commune --format xml exits 2" "$status" 2
has "commune --format xml: French error" "$TMP/err" "format inconnu « xml » (attendu : table, tsv, csv ou json)"
has "commune --format xml: French hint" "$TMP/err" "voir \`qfq help commune\`"

run fr "$QFQ" nosuchcommand
has "unknown command: French" "$TMP/err" "qfq: commande inconnue « nosuchcommand »"

# Errors from the library (CSV reader, opening-hours parser) are translated
# too, not only the commands' own sentences around them.
printf 'Nom prénom,Structure\nDupont Jean,"CAPLAB\nMartin Paul,X\n' >"$TMP/unterminated.csv"
run fr "$QFQ" import roster "$TMP/unterminated.csv"
is "roster with an unterminated quote: exit 3" "$status" 3
has "roster with an unterminated quote: French CSV error" "$TMP/err" \
	"qfq import: ligne 2, champ 2 : guillemet non fermé dans « $TMP/unterminated.csv »"
python3 - "$QFQ_SRCDIR/data/samples/lieux-ardeche-2022.csv" "$TMP/badhours.csv" <<'P'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:
    r = csv.reader(f)
    head, row = next(r), next(r)
row[head.index('horaires')] = 'Mo-Fr 09:75-12:00'
with open(sys.argv[2], 'w', newline='', encoding='utf-8') as f:
    csv.writer(f).writerows([head, row])
P
run fr "$QFQ" import lieux "$TMP/badhours.csv" --dry-run
is "lieux with unparseable hours: exit 0" "$status" 0
has "unparseable hours: French parser message" "$TMP/err" \
	"non compris (colonne 10 : les minutes doivent être entre 00 et 59)"

# Data stays data: the same headers, keys and numbers in every language.
run fr "$QFQ" init --format tsv
is "init --format tsv: header keys untranslated" "$(head -n 1 "$TMP/out")" "$(printf 'table\trows\tchanged')"
run fr "$QFQ" init --format json
has "init --format json: keys untranslated" "$TMP/out" '"rows": '

run fr "$QFQ" commune --format json Privas
has "commune json: key and decimal point" "$TMP/out" '"latitude": 44.72136'
run fr "$QFQ" commune --format tsv Privas
is "commune tsv: header keys untranslated" "$(head -n 1 "$TMP/out")" \
	"$(printf 'code_insee\tnom\tdepartement\tcodes_postaux\tepci\tlatitude\tlongitude\tpopulation')"
has "commune tsv: decimal point" "$TMP/out" "$(printf '44.72136\t4.59492')"
# The same directory built under C and under fr_FR (numbers read by strtod
# from communes.csv and from the places' coordinates), searched in each language.
lieux="$QFQ_SRCDIR/data/samples/lieux-ardeche-2022.csv"
"$QFQ" import lieux "$lieux" --quiet >/dev/null 2>&1
QFQ_DB="$TMP/fr.db" fr "$QFQ" init --quiet
QFQ_DB="$TMP/fr.db" fr "$QFQ" import lieux "$lieux" --quiet >/dev/null 2>&1
run env QFQ_DB="$TMP/fr.db" "$QFQ" commune --format tsv Privas
has "init under fr_FR: coordinates read with their decimals" "$TMP/out" "$(printf '44.72136\t4.59492')"
for f in tsv csv json; do
	"$QFQ" search --commune Privas --radius 30 --format $f >"$TMP/c.$f" 2>/dev/null
	fr "$QFQ" search --commune Privas --radius 30 --format $f >"$TMP/fr.$f" 2>/dev/null
	QFQ_DB="$TMP/fr.db" fr "$QFQ" search --commune Privas --radius 30 --format $f >"$TMP/frdb.$f" 2>/dev/null
	check "search --format $f: results" test "$(wc -l <"$TMP/c.$f")" -gt 3
	check "search --format $f: the same bytes in French and in C" cmp -s "$TMP/c.$f" "$TMP/fr.$f"
	check "search --format $f: the same from a directory imported under fr_FR" cmp -s "$TMP/c.$f" "$TMP/frdb.$f"
done
run fr "$QFQ" search --commune Privas --radius 2.5 --format tsv
is "search --radius 2.5 read with a decimal point" "$status" 0
run fr "$QFQ" search --commune Privas --radius 30 --limit 1
has "search table: French plural of the rest" "$TMP/out" "résultats de plus"

# English under C.UTF-8 (the other tests rely on it) and without a catalogue.
run env LC_ALL=C.UTF-8 "$QFQ" commune Zzyzx
has "C.UTF-8: English message" "$TMP/err" 'qfq commune: no commune matches "Zzyzx"'
run env LANGUAGE= QFQ_LOCALE_DIR="$TMP/none" LC_ALL=fr_FR.UTF-8 "$QFQ" commune Zzyzx
has "QFQ_LOCALE_DIR without catalogue: English" "$TMP/err" 'no commune matches "Zzyzx"'
run env LANGUAGE= QFQ_LOCALE_DIR="$QFQ_BUILDDIR/po" LC_ALL=fr_FR.UTF-8 "$QFQ" commune Zzyzx
has "QFQ_LOCALE_DIR pointing at the catalogues: French" "$TMP/err" "aucune commune ne correspond"

# Installed: the catalogue goes to $prefix/share/locale; a binary outside the
# build tree does not read the build tree's catalogue.
if [ -n "${QFQ_BUILDDIR:-}" ] && meson install -C "$QFQ_BUILDDIR" --no-rebuild --destdir "$TMP/dest" >/dev/null 2>&1; then
	prefix=$(meson introspect "$QFQ_BUILDDIR" --buildoptions | python3 -c \
		'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
	root="$TMP/dest$prefix"
	check "the French catalogue is installed" test -f "$root/share/locale/fr/LC_MESSAGES/qfq.mo"
	run env LANGUAGE= QFQ_LOCALE_DIR="$root/share/locale" LC_ALL=fr_FR.UTF-8 "$root/bin/qfq" commune Zzyzx
	has "the installed binary speaks French from the installed catalogue" "$TMP/err" "aucune commune ne correspond"
	if [ ! -e "$prefix/share/locale/fr/LC_MESSAGES/qfq.mo" ]; then
		run env LANGUAGE= LC_ALL=fr_FR.UTF-8 "$root/bin/qfq" commune Zzyzx
		has "outside the build tree, not the build tree's catalogue" "$TMP/err" 'no commune matches "Zzyzx"'
	fi
else
	_result 0 "meson install into a DESTDIR"
fi

done_testing
