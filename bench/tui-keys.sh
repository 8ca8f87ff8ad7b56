#!/bin/bash
# bench/tui-keys.sh: the full-screen interface on the national-scale
# directory (100,000 structures, 300,000 persons; bench/gen-national.py).
# Targets (issue 6): each keystroke in the search line redraws in under
# 16 ms, start-up to the first drawn screen under 100 ms.
#
#  1. `qfq tui --bench-keys KEYS` replays keystrokes on a virtual 80x24
#     screen and times each one twice: to the echo (the key applied and the
#     screen drawn) and to the results (the search run and drawn again;
#     the list asks for three screens of rows, at most 20,000 full-text
#     matches read: src/tui/view_results.c);
#  2. hyperfine times the whole process to the first drawn screen against
#     baselines in the same run: the bare sqlite3 CLI opening the same file,
#     and `qfq search` of the same text (the engine alone, no screen).
#
#   bash bench/tui-keys.sh [build-dir]
#   BENCH_DB=/path/nat.db bash bench/tui-keys.sh   (reuse a generated directory)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
QFQ=$PWD/$B/qfq
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
DB=${BENCH_DB:-$T/nat.db}
export QFQ_DB=$DB XDG_CONFIG_HOME=$T/config TERM=${TERM:-xterm-256color}
[ "$TERM" = dumb ] && export TERM=xterm-256color

if [ ! -s "$DB" ]; then
	echo "== generating the national directory into $DB (about two minutes)"
	"$QFQ" init --quiet
	python3 bench/gen-national.py "$DB"
	"$QFQ" reindex
fi
sqlite3 "$DB" "SELECT count(*) || ' structures, ' || (SELECT count(*) FROM persons) || ' persons' FROM structures"

echo
echo "== keystrokes replayed in the search line (ms; echo = key drawn, results = search + redraw)"
for keys in "alboussiere" "caf privas" "smartphone lyon" "mission locale" "mairie"; do
	echo "-- \"$keys\""
	"$QFQ" tui --bench-keys "$keys" | sed "s/^/   /"
done

echo
echo "== start-up to the first drawn screen (whole process), against baselines"
hyperfine -N --warmup 3 --runs 30 --export-markdown "$T/startup.md" \
	-n "qfq tui (first screen, then exit)" "$QFQ tui --bench-keys ''" \
	-n "sqlite3 CLI: open the file, count" "sqlite3 $DB 'SELECT count(*) FROM structures'" \
	-n "qfq search caf privas (engine, no screen)" "$QFQ search --format tsv caf privas"
cat "$T/startup.md"
