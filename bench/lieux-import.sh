#!/bin/bash
# bench/lieux-import.sh: `qfq import lieux` of 20,000 and 100,000 generated
# places of the national standard, 1.x form (bench/gen-lieux.py), against
# two baselines run by the sqlite3 CLI in the same hyperfine run, with the
# peak RSS of each (issue 4: under 2 s; issue 11: at most 2x the bare
# import at 100,000 places, under 64 MB):
#   - bare: `.import` of the same file into a new table of a new file;
#   - floor: `.import` into a staging table of a copy of the same freshly
#     initialized qfq database, then bench/lieux-floor.sql: the structures,
#     their themes, the FTS5 text and the R*Tree written with INSERT ...
#     SELECT, the least SQL work that writes what qfq writes (what it leaves
#     out is listed there: opening-hours spans, validation, history...).
#     The script checks that the floor wrote as many rows as qfq.
#
#   bash bench/lieux-import.sh [build-dir] [rows...]   (hyperfine must be installed;
#                                                       rows default: 20000 100000)
#
# Each starts from the same state every run: qfq and the floor from a copy
# of a freshly initialized database (reference data loaded, no structure
# yet), the bare import from no file.
# qfq does much more per row: validation of every field against the commune
# tables and the vocabularies, themes, merge look-ups, the search index
# (FTS5 with prefixes), the R*Tree and the opening-hours spans.
#
# Runs: RUNS (default 3) at 20,000 places and below, 1 above (a 100,000-place
# import takes minutes on a loaded machine); the ratio is given on wall and on
# user CPU, whose mean is steadier when 8 agents share 2 CPUs.
#
# Measured 2026-11-28 on the 2-CPU build machine at rest (load 0.5):
#   qfq import lieux 20,000 places  1.545 s ± 0.075 (1.464 … 1.651)
#   sqlite3 .import, bare table     0.203 s ± 0.004  -> qfq 7.6x
# Since then history (issue 13) and sharing (issue 15) record every imported
# row at commit (change_rows, share_changes, share_stamps); see the closing
# note of issue 11 (notes/i11b.md) for the figures and the breakdown.
# Measured 2026-12-07 (load 5-7 on 2 CPUs: user CPU, not wall; notes/i11d.md):
#   20,000 places: qfq 2.54 s user, bare 0.25 s, floor 1.52 s: 10.3x / 1.7x
#   100,000 places: qfq 18.7 s user, bare 1.49 s, floor 10.1 s: 12.6x / 1.8x;
#   peak RSS qfq 59 MB, bare 13 MB, floor 22 MB
. "$(dirname "$0")/lib.sh"
shift || true
SIZES=${*:-20000 100000}
"$QFQ" --db "$T/template.db" init --quiet

rss() { # command...: its peak RSS in MB
	python3 - "$@" <<'P'
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
P
}

for N in $SIZES; do
	python3 bench/gen-lieux.py "$N" 1 >"$T/lieux.csv"
	runs=${RUNS:-3}; warm=1
	if [ "$N" -gt 20000 ] && [ -z "${RUNS:-}" ]; then runs=1; warm=0; fi
	echo "== $N places, $(wc -l <"$T/lieux.csv") lines, $(du -h "$T/lieux.csv" | cut -f1), $runs run(s)"
	hyperfine -N --warmup "$warm" --runs "$runs" \
		--prepare "sh -c 'cp $T/template.db $T/q.db; cp $T/template.db $T/f.db; rm -f $T/q.db-wal $T/q.db-shm $T/f.db-wal $T/f.db-shm $T/bare.db'" \
		-n "qfq import lieux ($N places)" "$QFQ --db $T/q.db import lieux $T/lieux.csv --quiet" \
		-n "sqlite3 .import (bare table)" "sqlite3 $T/bare.db -cmd '.mode csv' '.import $T/lieux.csv t'" \
		-n "sqlite3 floor (qfq's rows and indexes)" "sqlite3 $T/f.db -cmd '.mode csv' '.import --schema temp $T/lieux.csv t' '.read bench/lieux-floor.sql'" \
		--export-json "$T/h.json"
	cp "$T/template.db" "$T/q.db"; cp "$T/template.db" "$T/f.db"
	rm -f "$T/q.db-wal" "$T/q.db-shm" "$T/f.db-wal" "$T/f.db-shm" "$T/bare.db"
	qrss=$(rss "$QFQ" --db "$T/q.db" import lieux "$T/lieux.csv" --quiet)
	srss=$(rss sqlite3 "$T/bare.db" -cmd '.mode csv' ".import $T/lieux.csv t")
	frss=$(rss sqlite3 "$T/f.db" -cmd '.mode csv' ".import --schema temp $T/lieux.csv t" '.read bench/lieux-floor.sql')
	python3 - "$T/h.json" "$N" "$qrss" "$srss" "$frss" <<'P'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
q, s, f = r[0], r[1], r[2]
print("%s places: qfq %.3f s (user %.3f s), sqlite3 bare %.3f s (user %.3f s), sqlite3 floor %.3f s (user %.3f s)"
      % (sys.argv[2], q["mean"], q["user"], s["mean"], s["user"], f["mean"], f["user"]))
print("   qfq takes %.1fx the bare import on wall, %.1fx on user CPU (target 2x); %.1fx the floor on wall, "
      "%.1fx on user CPU; the floor is %.1fx the bare import on wall"
      % (q["mean"] / s["mean"], q["user"] / s["user"], q["mean"] / f["mean"], q["user"] / f["user"],
         f["mean"] / s["mean"]))
print("   peak RSS: qfq %s MB, sqlite3 bare %s MB, floor %s MB (target under 64 MB)"
      % (sys.argv[3], sys.argv[4], sys.argv[5]))
P
	# the floor must write what qfq writes, or it is no floor
	for t in structures structure_themes structures_fts structures_geo; do
		q=$(sqlite3 "$T/q.db" "SELECT count(*) FROM $t"); f=$(sqlite3 "$T/f.db" "SELECT count(*) FROM $t")
		echo "   $t: qfq $q rows, floor $f"
		[ "$q" = "$f" ] || echo "   WARNING: the floor wrote another number of $t rows" >&2
	done
	echo "   where the imported database's bytes are (MB, top 8):"
	sqlite3 "$T/q.db" "SELECT '     ' || name || ' ' || (sum(pgsize) >> 20) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC LIMIT 8"
done

N=${SIZES%% *}
python3 bench/gen-lieux.py "$N" 1 >"$T/lieux.csv"
echo "== re-importing the same $N places (every place known and unchanged)"
cp "$T/template.db" "$T/q.db"
"$QFQ" --db "$T/q.db" import lieux "$T/lieux.csv" --quiet
hyperfine -N --warmup 1 --runs "${RUNS:-3}" -n "qfq import lieux again ($N places)" \
	"$QFQ --db $T/q.db import lieux $T/lieux.csv --quiet"

echo "== export of the $N places"
hyperfine -N --warmup 1 --runs "${RUNS:-3}" -n "qfq export lieux ($N places)" \
	"sh -c '$QFQ --db $T/q.db export lieux >/dev/null'"
