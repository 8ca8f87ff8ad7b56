#!/bin/bash
# 0102: the same rosters as Excel writes them (Windows-1252 with `;`), as
# UTF-8 with a BOM and tabs, and with separate Nom / Prénom columns give the
# same persons, structures, roles and meetings as the originals.
. "$(dirname "$0")/lib.sh"

# A database's content as the user sees it, ids aside.
snapshot() {
	"$QFQ" persons --format tsv | cut -f2- >"$1"
	"$QFQ" merge --list --format tsv | cut -f3,5,6 >>"$1"
	sqlite3 "$QFQ_DB" "SELECT nom, nom_norm, typologie, code_insee FROM structures ORDER BY nom_norm" >>"$1"
}

import_dir() { # dir
	init_db
	local f
	for f in "$1"/2024-06-21-numerian.csv "$1"/2024-07-10-privas.csv; do
		run "$QFQ" import roster "$f" --format json
		[ "$status" = 0 ] || { echo "# import $f failed: $(cat "$TMP/err")"; return 1; }
	done
}

import_dir "$QFQ_SRCDIR/data/rosters"
snapshot "$TMP/orig.txt"
is "original: 56 persons" "$("$QFQ" persons --format tsv | tail -n +2 | wc -l)" 56
rm -f "$QFQ_DB"*

mkdir -p "$TMP/cp1252" "$TMP/bomtab"
for f in 2024-06-21-numerian.csv 2024-07-10-privas.csv; do
	# Excel on Windows: ; as delimiter, CP1252, CRLF
	python3 -c 'import csv,sys
rows=list(csv.reader(open(sys.argv[1],encoding="utf-8")))
w=csv.writer(sys.stdout,delimiter=";",lineterminator="\r\n"); w.writerows(rows)' \
		"$QFQ_SRCDIR/data/rosters/$f" | iconv -f UTF-8 -t WINDOWS-1252 >"$TMP/cp1252/$f"
	# UTF-8 with a BOM and tabs, a trailing empty column and empty lines
	{ printf '\xef\xbb\xbf'; python3 -c 'import csv,sys
rows=list(csv.reader(open(sys.argv[1],encoding="utf-8")))
w=csv.writer(sys.stdout,delimiter="\t",lineterminator="\n"); w.writerows([r+[""] for r in rows])' \
		"$QFQ_SRCDIR/data/rosters/$f"; printf '\n\n'; } >"$TMP/bomtab/$f"
done
check "the CP1252 copy is not valid UTF-8" sh -c "! iconv -f UTF-8 -t UTF-8 '$TMP/cp1252/2024-07-10-privas.csv' >/dev/null 2>&1"

import_dir "$TMP/cp1252"
has "Windows-1252 detected" "$TMP/out" '"encoding": "WINDOWS-1252"'
has "; detected" "$TMP/out" '"delimiter": ";"'
snapshot "$TMP/cp1252.txt"
check "Windows-1252 with ; gives the same result" cmp -s "$TMP/orig.txt" "$TMP/cp1252.txt"
diff "$TMP/orig.txt" "$TMP/cp1252.txt" | head -5 | sed 's/^/# /'
rm -f "$QFQ_DB"*

import_dir "$TMP/bomtab"
has "BOM detected" "$TMP/out" '"encoding": "UTF-8 (BOM)"'
snapshot "$TMP/bomtab.txt"
check "UTF-8 with BOM and tabs gives the same result" cmp -s "$TMP/orig.txt" "$TMP/bomtab.txt"
diff "$TMP/orig.txt" "$TMP/bomtab.txt" | head -5 | sed 's/^/# /'
rm -f "$QFQ_DB"*

import_dir "$QFQ_SRCDIR/tests/data/roster/separate"
has "Prénom and Nom columns recognized in any order and case" "$TMP/out" '"rows_imported": 33'
snapshot "$TMP/separate.txt"
check "separate Nom / Prénom columns give the same result" cmp -s "$TMP/orig.txt" "$TMP/separate.txt"
diff "$TMP/orig.txt" "$TMP/separate.txt" | head -5 | sed 's/^/# /'

done_testing
