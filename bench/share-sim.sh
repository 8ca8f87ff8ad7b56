#!/bin/bash
# bench/share-sim.sh: a département running on copies (issue 15). The
# coordinator's copy (demo rosters and places) is published as a snapshot;
# COPIES mediators start from it, each makes EDITS edits and REFERRALS
# referrals (each recorded, then given a status), each edit and each step
# its own change set of the history as `qfq edit` / `qfq orient` record it,
# made in bulk by one process per copy (bench/share_edits.c); then every
# copy runs `qfq share sync` on one folder, in a random order, twice (the
# first round leaves the early ones without the later ones' files). Checks
# that all copies end byte for byte equal in their shared tables
# (tools/share-dump.sh, ids as global ids), and reports the conflicts listed
# and the time of each phase. The apply speed alone: bench/share-apply.sh.
#
#   bash bench/share-sim.sh [build-dir] [COPIES] [EDITS] [REFERRALS]
#   (issue 15's figures, the defaults: 50 1000 200)
. "$(dirname "$0")/lib.sh"
COPIES=${2:-50}
EDITS=${3:-1000}
REFS=${4:-200}
GEN=$PWD/$B/bench/share_edits
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
echo "referrals everywhere: $(sqlite3 "$QFQ_DB" "SELECT count(*) FROM referrals") (made: $((COPIES * REFS))), their history rows: $(sqlite3 "$QFQ_DB" "SELECT count(*) FROM referral_history")"
echo "change sets known to each copy: $(sqlite3 "$QFQ_DB" "SELECT count(*) FROM share_changes")"
[ "$same" = "$COPIES" ] || { echo "FAIL: copies differ"; exit 1; }

