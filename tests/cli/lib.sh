# lib.sh: helpers for the command-level tests (sourced; TAP output).
#
# Each tests/cli/NNNN-name.sh sources this file, runs the real binary ($QFQ,
# set by meson) against a private database, and checks exit statuses and
# output. Numbering: 00xx foundation, 01xx roster import, 02xx places,
# 03xx search, 04xx referrals, 09xx hostile input.
#
#   run CMD...            runs CMD, keeps $status, $TMP/out and $TMP/err
#   check DESC CMD...     a check that passes when CMD succeeds
#   is DESC GOT WANT      a check comparing two strings
#   has DESC FILE TEXT    FILE contains the fixed string TEXT
#   hasnt DESC FILE TEXT  FILE does not contain TEXT
#   done_testing          prints the plan; the script's exit status
#
# Messages: meson runs the suite with LC_ALL=C.UTF-8 LANGUAGE=C, i.e. the
# sources' own wording (English for the shell, French for the desk). A test
# of a language reads the catalogues as a user does: LANGUAGE= LC_ALL=fr_FR.UTF-8
# (French) or LANGUAGE= LC_ALL=C.UTF-8 (English).
set -u
: "${QFQ:?QFQ must point at the qfq binary}"
: "${QFQ_SRCDIR:?QFQ_SRCDIR must point at the source tree}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export QFQ_DB="$TMP/qfq.db"
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/config" XDG_DATA_HOME="$TMP/data"
unset COLUMNS LINES
tap_n=0
tap_failed=0

run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
}

_result() { # pass desc
	tap_n=$((tap_n + 1))
	if [ "$1" = 1 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

check() {
	local desc=$1
	shift
	if "$@"; then _result 1 "$desc"; else _result 0 "$desc"; echo "#   command failed: $*"; fi
}

is() {
	if [ "$2" = "$3" ]; then
		_result 1 "$1"
	else
		_result 0 "$1"
		printf '#   got:      %s\n#   expected: %s\n' "$2" "$3"
	fi
}

has() {
	if grep -qF -- "$3" "$2"; then
		_result 1 "$1"
	else
		_result 0 "$1"
		printf '#   "%s" not found in:\n' "$3"
		head -n 20 "$2" | sed 's/^/#   | /'
	fi
}

hasnt() {
	if grep -qF -- "$3" "$2"; then
		_result 0 "$1"
		printf '#   "%s" found in:\n' "$3"
		grep -F -- "$3" "$2" | head -n 5 | sed 's/^/#   | /'
	else
		_result 1 "$1"
	fi
}

# A database with the reference data loaded, built once per test script.
init_db() {
	"$QFQ" init --quiet >"$TMP/init.out" 2>&1 || { echo "Bail out! qfq init failed"; cat "$TMP/init.out"; exit 1; }
}

# A database with the demo data: reference data, both rosters, the sample places.
demo_db() {
	init_db
	local f
	for f in "$QFQ_SRCDIR"/data/rosters/*.csv; do
		"$QFQ" import roster "$f" --quiet >>"$TMP/init.out" 2>&1 || { echo "Bail out! import $f failed"; cat "$TMP/init.out"; exit 1; }
	done
	if [ -n "${WITH_LIEUX:-}" ]; then
		"$QFQ" import lieux "$QFQ_SRCDIR/data/samples/lieux-ardeche-2022.csv" --quiet >>"$TMP/init.out" 2>&1 ||
			{ echo "Bail out! import lieux failed"; cat "$TMP/init.out"; exit 1; }
	fi
}

# Tests of several copies of one directory ($TMP/NAME.db, the 06xx tests):
# q NAME ARGS... runs qfq on a copy, sq NAME SQL queries it, dump NAME
# prints its shared tables in global ids (equal on copies that converged).
q() { local c=$1; shift; "$QFQ" --db "$TMP/$c.db" "$@"; }
sq() { sqlite3 "$TMP/$1.db" "$2"; }
dump() { bash "$QFQ_SRCDIR/tools/share-dump.sh" "$TMP/$1.db"; }

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
