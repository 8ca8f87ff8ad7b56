#!/bin/bash
# bench/history-import.sh: what recording the history (issue 12: every
# write transaction is one change set with its rows' before/after values)
# costs an import. `qfq import lieux` of N generated places with this build,
# the same with a build without the history (BASE, e.g. main's), and
# `sqlite3 .import` into a bare table as the baseline, in the same run.
#
#   bash bench/history-import.sh [build-dir] [base-qfq] [rows]
. "$(dirname "$0")/lib.sh"
BASE=${2:-/work/main/build/qfq}
N=${3:-20000}

python3 bench/gen-lieux.py "$N" 1 >"$T/lieux.csv"
"$QFQ" --db "$T/template.db" init --quiet
"$BASE" --db "$T/template-base.db" init --quiet
hyperfine -N --warmup 1 --runs 3 \
	--prepare "sh -c 'cp $T/template.db $T/q.db; cp $T/template-base.db $T/b.db; rm -f $T/q.db-wal $T/b.db-wal $T/bare.db'" \
	-n "qfq import lieux, history recorded ($N places)" "$QFQ --db $T/q.db import lieux $T/lieux.csv --quiet" \
	-n "qfq import lieux, no history (base build)" "$BASE --db $T/b.db import lieux $T/lieux.csv --quiet" \
	-n "sqlite3 .import (bare table)" "sqlite3 $T/bare.db -cmd '.mode csv' '.import $T/lieux.csv t'"
cp "$T/template.db" "$T/q.db"; cp "$T/template-base.db" "$T/b.db"
"$QFQ" --db "$T/q.db" import lieux "$T/lieux.csv" --quiet
"$BASE" --db "$T/b.db" import lieux "$T/lieux.csv" --quiet
sqlite3 "$T/q.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
sqlite3 "$T/b.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
echo "database size: with history $(du -k "$T/q.db" | cut -f1) KiB, without $(du -k "$T/b.db" | cut -f1) KiB;" \
	"history rows $(sqlite3 "$T/q.db" "SELECT count(*) FROM change_rows")"
echo "== undo of that import (one change set), then its redo"
cp "$T/q.db" "$T/u.db"
hyperfine -N --runs 1 -n "qfq undo (the whole import)" "$QFQ --db $T/u.db undo"
