#!/bin/bash
# bench/share-apply.sh: applying CHANGES (10,000) changes received from
# another copy (issue 15: "applying 10,000 changes takes under 1 s"), in
# its two shapes, against the bare sqlite3 CLI running the same UPDATEs in
# one transaction on the same database, in the same hyperfine run:
#   - CHANGES change sets of one edit each (a mediator's field work:
#     bench/share_edits.c, each edit a change set as `qfq edit` records it);
#   - one change set of CHANGES edits, each on a different structure.
# The directory: the demo rosters and PLACES (10,000) generated places
# (bench/gen-lieux.py), published as a snapshot from which the copies
# start. Before timing, each apply is checked once: the receiving copy's
# shared tables end byte for byte equal to the sender's (tools/share-dump.sh).
#
#   bash bench/share-apply.sh [build-dir] [PLACES] [CHANGES] [RUNS]
# (PLACES 0: the demo directory alone, 63 structures)
. "$(dirname "$0")/lib.sh"
PLACES=${2:-10000}
N=${3:-10000}
RUNS=${4:-5}
GEN=$PWD/$B/bench/share_edits
export QFQ_DB=$T/coord.db

echo "== directory: demo rosters and $PLACES places"
"$QFQ" init --quiet --copy-name Coordination
for f in data/rosters/*.csv; do "$QFQ" import roster "$f" --quiet; done
if [ "$PLACES" -gt 0 ]; then
	python3 bench/gen-lieux.py "$PLACES" >"$T/lieux.csv"
	"$QFQ" import lieux "$T/lieux.csv" --quiet
fi
"$QFQ" share snapshot "$T/snap.db" >/dev/null
sqlite3 "$T/snap.db" "SELECT count(*) || ' structures, ' || (SELECT count(*) FROM persons) || ' persons' FROM structures"

echo "== the changes: $N change sets of one edit; one change set of $N edits"
"$QFQ" --db "$T/fresh.db" init --from "$T/snap.db" --copy-name Destinataire --quiet
"$QFQ" --db "$T/small.db" init --from "$T/snap.db" --copy-name Petits --quiet
"$QFQ" --db "$T/one.db" init --from "$T/snap.db" --copy-name Gros --quiet
"$GEN" "$T/small.db" "$N" 0 7 "$T/small.sql"
"$GEN" --one "$T/one.db" "$N" 0 8 "$T/one.sql"
"$QFQ" --db "$T/small.db" share export -o "$T/small.qfqs"
"$QFQ" --db "$T/one.db" share export -o "$T/one.qfqs"
echo "UPDATEs for the baseline: $(grep -c '^UPDATE' "$T/small.sql") and $(grep -c '^UPDATE' "$T/one.sql")"

for f in small one; do
	cp "$T/fresh.db" "$T/x.db"
	"$QFQ" --db "$T/x.db" share apply "$T/$f.qfqs"
	[ "$(bash tools/share-dump.sh "$T/x.db" | md5sum)" = "$(bash tools/share-dump.sh "$T/$f.db" | md5sum)" ] ||
		{ echo "FAIL: $f: the receiving copy differs from the sender"; exit 1; }
	echo "$f: the receiving copy equals the sender in its shared tables"
done

prep="cp $T/fresh.db $T/x.db && rm -f $T/x.db-wal $T/x.db-shm"
hyperfine --warmup 1 --runs "$RUNS" --prepare "$prep" --export-markdown "$T/apply.md" --export-json "$T/apply.json" \
	-n "qfq share apply: $N change sets of one edit" "$QFQ --db $T/x.db share apply $T/small.qfqs" \
	-n "sqlite3: their $N UPDATEs, one transaction" "sqlite3 $T/x.db < $T/small.sql" \
	-n "qfq share apply: one change set of $N edits" "$QFQ --db $T/x.db share apply $T/one.qfqs" \
	-n "sqlite3: its $N UPDATEs, one transaction" "sqlite3 $T/x.db < $T/one.sql"
cat "$T/apply.md"
# issue 15's figure is a time per apply: medians and the worst run, user CPU beside
python3 - "$T/apply.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%-50s median %4.0f ms, max %4.0f ms, user %4.0f ms" %
          (r["command"], r["median"] * 1000, r["max"] * 1000, r["user"] * 1000))
PY
