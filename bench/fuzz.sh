#!/bin/bash
# bench/fuzz.sh: every libFuzzer target of tests/fuzz, longer than CI does
# (tools/fuzz-run.sh finds them: the output writers, the hours parser, the
# CSV reader, and whatever target other work added), built with clang,
# ASan and UBSan in build-fuzz/. TAP; one line per target with the number
# of inputs run and whether anything was found (inputs in build-fuzz/fuzz-findings/).
#
#   bash bench/fuzz.sh [SECONDS-PER-TARGET]     (default 300)
set -eu
cd "$(dirname "$0")/.."
secs=${1:-300}
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C build-fuzz >/dev/null
exec bash tools/fuzz-run.sh build-fuzz "$secs"
