#!/bin/bash
# bench/foundation.sh: `qfq init` and `qfq commune` timings (issue: init
# under 2 s, commune look-ups in a few milliseconds), each against the bare
# sqlite3 CLI doing the comparable work on the same files in the same run.
#
#   bash bench/foundation.sh [build-dir]     (hyperfine must be installed)
. "$(dirname "$0")/lib.sh"
export QFQ_DB=$T/q.db

echo "== qfq init on an empty file vs sqlite3 .import of the same CSV files into bare tables"
cat >"$T/import.sql" <<SQL
.mode csv
.import data/regions.csv regions
.import data/departements.csv departements
.import data/epci.csv epci
.import data/communes.csv communes
.import data/communes_anciennes.csv anciennes
SQL
hyperfine -N --warmup 1 --runs 10 \
	--prepare "rm -f $T/q.db $T/q.db-wal $T/q.db-shm $T/bare.db" \
	-n "qfq init (empty file)" "$QFQ init --quiet" \
	-n "sqlite3 .import (bare tables, no index)" "sqlite3 $T/bare.db '.read $T/import.sql'"

$QFQ init --quiet
echo "== qfq init again (nothing to change)"
hyperfine -N --warmup 1 --runs 10 -n "qfq init (second run)" "$QFQ init --quiet"

echo "== commune look-ups vs the bare sqlite3 CLI with the equivalent indexed query"
hyperfine -N --warmup 3 --runs 50 \
	-n "qfq commune 'st jean de muzols'" "$QFQ commune --format tsv 'st jean de muzols'" \
	-n "sqlite3 same look-up" "sqlite3 $QFQ_DB \"SELECT * FROM communes WHERE nom_norm = 'saint jean de muzols'\"" \
	-n "qfq commune 07000" "$QFQ commune --format tsv 07000" \
	-n "sqlite3 postcode look-up" "sqlite3 $QFQ_DB \"SELECT c.* FROM communes c JOIN commune_postcodes p USING (code_insee) WHERE p.code_postal = '07000'\"" \
	-n "qfq commune Brahic" "$QFQ commune --format tsv Brahic"
