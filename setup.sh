#!/bin/sh
# setup.sh: everything a fresh Debian 12 machine needs, in one place.
#
#   sh setup.sh demo   install what is missing, build, build the demo database
#                      from data/ (demo/qfq.db, never your own) and open qfq on it
#   sh setup.sh test   install what is missing, build with warnings as errors,
#                      run the whole test suite, then build again with clang,
#                      ASan and UBSan (build-san/) and run the whole suite
#                      there too, plus every fuzz target for a short while
#                      (QFQ_FUZZ_SECONDS each, default 10); the last line is
#                      "N passed, N failed", all parts counted
#   sh setup.sh deps   only install the Debian packages
#   sh setup.sh build  only build (build/qfq)
set -eu
cd "$(dirname "$0")"

PACKAGES="build-essential meson ninja-build pkg-config python3 libsqlite3-dev sqlite3
libncurses-dev libcsv-dev libutf8proc-dev gettext tmux hyperfine locales clang"

deps() {
	missing=""
	for p in $PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	if [ -n "$missing" ]; then
		echo "setup: installing$missing"
		if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
		$SUDO apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
	fi
	# The French messages are tested under fr_FR.UTF-8 (tests/cli/0006-french.sh
	# skips without it); only root can generate a locale.
	if [ "$(id -u)" -eq 0 ] && command -v locale-gen >/dev/null; then
		grep -q '^fr_FR.UTF-8' /etc/locale.gen 2>/dev/null || echo 'fr_FR.UTF-8 UTF-8' >> /etc/locale.gen
		locale -a | grep -qi '^fr_FR.utf8$' || locale-gen fr_FR.UTF-8 >/dev/null
	fi
}

build() {
	mkdir -p build
	if [ ! -f build/build.ninja ]; then
		meson setup build "$@" >build/setup.log 2>&1 || { cat build/setup.log; return 1; }
	else
		meson setup --reconfigure build "$@" >build/setup.log 2>&1 || { cat build/setup.log; return 1; }
	fi
	ninja -C build >build/ninja.log 2>&1 || { grep -v '^\[' build/ninja.log | tail -n 40; echo "setup: the build failed"; return 1; }
}

# The sanitizer part of `test`: the suite under ASan and UBSan (clang; warnings
# are the gcc build's job, made errors there), then
# every libFuzzer target that tests/fuzz builds (tools/fuzz-run.sh finds them).
sanitized() {
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
	mkdir -p build-san
	rm -f build-san/fuzz.tap build-san/meson-logs/testlog.json
	if [ ! -f build-san/build.ninja ]; then
		CC=clang meson setup build-san -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
			>build-san/setup.log 2>&1 || { cat build-san/setup.log; return 1; }
	fi
	ninja -C build-san >build-san/ninja.log 2>&1 || { grep -v '^\[' build-san/ninja.log | tail -n 40; echo "setup: the sanitizer build failed"; return 1; }
	san=0
	meson test -C build-san --print-errorlogs --timeout-multiplier 3 >build-san/test-output.txt 2>&1 || san=1
	echo "== the suite under ASan and UBSan (build-san/)"
	tail -n 12 build-san/test-output.txt
	echo "== the fuzz targets, ${QFQ_FUZZ_SECONDS:-10} s each"
	bash tools/fuzz-run.sh build-san "${QFQ_FUZZ_SECONDS:-10}" build-san/fuzz.tap || san=1
	cat build-san/fuzz.tap
	return $san
}

demo_db() {
	mkdir -p demo
	rm -f demo/qfq.db demo/qfq.db-wal demo/qfq.db-shm
	./build/qfq --db demo/qfq.db init --quiet
	for f in data/rosters/*.csv; do
		[ -f "$f" ] || continue
		./build/qfq --db demo/qfq.db import roster "$f" --quiet || return 1
	done
	./build/qfq --db demo/qfq.db import lieux data/samples/lieux-ardeche-2022.csv --quiet
	# The coordinator's decisions on the import's merge proposals
	# (data/demo-merges.csv: keep,other by name): a place of the open data
	# and the same structure as the rosters name it become one.
	python3 tools/demo-merges.py demo/qfq.db data/demo-merges.csv | while read -r keep other; do
		./build/qfq --db demo/qfq.db merge "$keep" "$other" >/dev/null
	done
}

case "${1:-}" in
deps) deps ;;
build) deps; build ;;
demo)
	deps; build
	demo_db
	if ./build/qfq help tui >/dev/null 2>&1 && [ -t 0 ] && [ -t 1 ]; then
		exec ./build/qfq --db demo/qfq.db
	fi
	echo "demo database: demo/qfq.db (not a terminal: a sample query instead of the TUI)"
	echo "\$ qfq search --theme démarches --commune Privas --radius 30"
	./build/qfq --db demo/qfq.db search --theme démarches --commune Privas --radius 30
	;;
test)
	deps
	build --werror || { echo "0 passed, 1 failed"; exit 1; }
	status=0
	meson test -C build --print-errorlogs >build/test-output.txt 2>&1 || status=$?
	tail -n 15 build/test-output.txt
	sanitized || status=1
	python3 tools/test-summary.py build/meson-logs/testlog.json build-san/meson-logs/testlog.json build-san/fuzz.tap
	exit $status
	;;
*)
	sed -n '2,12p' "$0"
	exit 2
	;;
esac
