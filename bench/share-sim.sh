#!/bin/bash
# bench/share-sim.sh: a département running on copies (issue 15). The
# coordinator's copy (demo rosters and places) is published as a snapshot;
# COPIES mediators start from it, each makes EDITS edits (its own write
# transactions, as `qfq edit` makes them: bench/share_edits.c) and REFERRALS
# referrals (each recorded, then given a status); then every copy runs
# `qfq share sync` on one folder, in a random order, twice (the first round
# leaves the early ones without the later ones' files). Checks that all
# copies end byte for byte equal in their shared tables (tools/share-dump.sh,
# ids as global ids), and reports the conflicts listed and the time of the
# syncs. Then the apply speed: one copy applying BIG (10,000) change sets
# from a file, with hyperfine, against the bare sqlite3 CLI running the same
# single-field UPDATEs in one transaction on the same database in the same
# run.
#
#   [BIG=N] bash bench/share-sim.sh [build-dir] [COPIES] [EDITS] [REFERRALS]
#   (issue 15's figures: 50 1000 200)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
COPIES=${2:-50}
EDITS=${3:-1000}
REFS=${4:-200}
QFQ=$PWD/$B/qfq
GEN=$PWD/$B/bench/share_edits
T=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$T"' EXIT
D=$T/dir
mkdir -p "$D"

echo "== coordinator: demo directory and snapshot"
export QFQ_DB=$T/coord.db
"$QFQ" init --quiet --copy-name Coordination
for f in data/rosters/*.csv; do "$QFQ" import roster "$f" --quiet; done
"$QFQ" import lieux data/samples/lieux-ardeche-2022.csv --quiet
"$QFQ" share snapshot "$T/snap.db" >/dev/null
sqlite3 "$T/snap.db" "SELECT count(*) || ' structures, ' || (SELECT count(*) FROM persons) || ' persons' FROM structures"

echo "== $COPIES copies x $EDITS edits and $REFS referrals each"
start=$(date +%s.%N)
for i in $(seq 1 "$COPIES"); do
	"$QFQ" --db "$T/c$i.db" init --from "$T/snap.db" --copy-name "Médiateur $i" --quiet
	"$GEN" "$T/c$i.db" "$EDITS" "$REFS" "$i"
done
echo "edits made in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"

echo "== syncs through one folder, random order, two rounds"
start=$(date +%s.%N)
"$QFQ" share sync "$D" >/dev/null
for round in 1 2; do
	for i in $(seq 1 "$COPIES" | shuf); do
		"$QFQ" --db "$T/c$i.db" share sync "$D" >"$T/sync.$i.$round"
	done
done
"$QFQ" share sync "$D" >/dev/null
echo "syncs done in $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s; the last copy's first round: $(cat "$T/sync.$i.1" | head -1)"

ref=$(bash tools/share-dump.sh "$QFQ_DB" | md5sum)
same=0
conflicts=$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM share_conflicts")
for i in $(seq 1 "$COPIES"); do
	[ "$(bash tools/share-dump.sh "$T/c$i.db" | md5sum)" = "$ref" ] && same=$((same + 1))
	conflicts=$((conflicts + $(sqlite3 "$T/c$i.db" "SELECT count(*) FROM share_conflicts")))
done
echo "copies equal to the coordinator's in their shared tables: $same of $COPIES"
echo "conflicts listed (each on the copy that lost): $conflicts"
echo "referrals everywhere: $(sqlite3 "$QFQ_DB" "SELECT count(*) FROM referrals") (made: $((COPIES * REFS)))"
[ "$same" = "$COPIES" ] || { echo "FAIL: copies differ"; exit 1; }

BIG=${BIG:-10000}
echo "== apply speed: $BIG change sets (one edit each) from one file"
"$QFQ" --db "$T/fresh.db" init --from "$T/snap.db" --quiet
"$QFQ" --db "$T/big.db" init --from "$T/snap.db" --copy-name Gros --quiet
"$GEN" "$T/big.db" "$BIG" 0 7 "$T/big.sql"
"$QFQ" --db "$T/big.db" share export -o "$T/big.qfqs" 2>/dev/null
grep -ac '^entry ' "$T/big.qfqs" | sed 's/$/ change sets in the file/'
hyperfine --warmup 0 --runs 3 \
	--prepare "cp $T/fresh.db $T/x.db && rm -f $T/x.db-wal $T/x.db-shm" \
	-n "qfq share apply ($BIG change sets)" "$QFQ --db $T/x.db share apply $T/big.qfqs" \
	-n "sqlite3 baseline (same field UPDATEs, one transaction)" "sqlite3 $T/x.db < $T/big.sql"
