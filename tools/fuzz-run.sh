#!/bin/bash
# fuzz-run.sh: runs every libFuzzer target of a build for a while, as TAP.
#
#   tools/fuzz-run.sh BUILD_DIR SECONDS [TAP_FILE]
#
# The targets are found, not listed: every executable named fuzz_* under
# BUILD_DIR/tests/fuzz (meson -Dfuzz=true builds them; a helper who adds a
# target adds nothing here). Each runs SECONDS seconds from its seeds
# (tests/fuzz/corpus/NAME or corpus/NAME-without-fuzz_, copied: the source
# tree is never written) with its dictionary (tests/fuzz/NAME.dict or
# NAME-without-fuzz_.dict) when there is one. One TAP line per target says
# how many inputs ran and whether anything was found; a finding's input and
# log are kept in BUILD_DIR/fuzz-findings/. Used by `setup.sh test` (CI)
# and bench/fuzz.sh (longer runs).
set -u
build=${1:?build dir}
secs=${2:?seconds}
tap=${3:-/dev/stdout}
src=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/fuzz-findings"
n=0
: >"$work/tap"
for exe in "$build"/tests/fuzz/fuzz_*; do
	[ -f "$exe" ] && [ -x "$exe" ] || continue
	name=$(basename "$exe")
	short=${name#fuzz_}
	n=$((n + 1))
	mkdir -p "$work/$name"
	for d in "$src/tests/fuzz/corpus/$name" "$src/tests/fuzz/corpus/$short"; do
		[ -d "$d" ] && cp -r "$d/." "$work/$name/"
	done
	dict=()
	for d in "$src/tests/fuzz/$name.dict" "$src/tests/fuzz/$short.dict"; do
		[ -f "$d" ] && { dict=(-dict="$d"); break; }
	done
	"$exe" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$build/fuzz-findings/$name-" "${dict[@]}" "$work/$name" >"$work/$name.log" 2>&1
	rc=$?
	runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$name.log" | grep -o '[0-9]*$' | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "ok $n - fuzz $name: ${runs:-?} inputs in ${secs} s, no finding" >>"$work/tap"
	else
		cp "$work/$name.log" "$build/fuzz-findings/$name.log"
		echo "not ok $n - fuzz $name: exit $rc after ${runs:-?} inputs (log and input in $build/fuzz-findings/)" >>"$work/tap"
		grep -E 'ERROR|SUMMARY|abort|^[a-z]+: ' "$work/$name.log" | head -n 5 | sed 's/^/#   /' >>"$work/tap"
	fi
done
if [ "$n" -eq 0 ]; then
	echo "not ok 1 - no fuzz target found in $build/tests/fuzz (built with -Dfuzz=true?)" >>"$work/tap"
	n=1
fi
echo "1..$n" >>"$work/tap"
cat "$work/tap" >"$tap"

! grep -q '^not ok' "$work/tap"
