#!/bin/bash
# tests/hostile/run.sh: the hostile corpus (issue 14). Each line of
# tests/hostile/cases is one file or argument set with the exit status it
# must get and what it may do to the database:
#
#   STATUS  DB  ARGS...     # note
#
# STATUS is an exit status or alternatives ("0|3": while another piece of
# work settles the rule, see the note). Whatever the rule, a command that
# exits non-zero must leave the database as it was (compared by a full
# .dump before and after); DB says what a command that succeeds may do:
# "unchanged" (a read), "changed" or "any". In ARGS, @NAME is the file NAME that gen.py made
# (binary, NUL, invalid and overlong UTF-8, escapes and BiDi in every field,
# 10 MB fields, 100,000 columns, a million empty lines, unbalanced quotes,
# formulas...), $BIG a 100 KB argument, $ESC an argument with escapes,
# BiDi and invalid UTF-8. Whatever the case, nothing unsafe may reach the
# terminal (stdout and stderr go through tests/cli/unsafe.py), no command
# may crash, and the database passes PRAGMA integrity_check. Two cases are
# scripted below the table: a file that vanishes and a file that grows
# while it is read.
#
#   bash tests/hostile/run.sh            (TAP; meson runs it in the suite "hostile")
#   bash tests/hostile/run.sh --record   prints each case's actual status and DB effect
. "$(dirname "$0")/../cli/lib.sh"
HERE=$QFQ_SRCDIR/tests/hostile
U="python3 $QFQ_SRCDIR/tests/cli/unsafe.py"
record=${1:-}
H=$TMP/h
python3 "$HERE/gen.py" "$H" || { echo "Bail out! gen.py failed"; exit 1; }
WITH_LIEUX=1 demo_db
sqlite3 "$QFQ_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$QFQ_DB" "$TMP/base.db"
digest() { sqlite3 "$QFQ_DB" .dump | sha256sum | cut -d' ' -f1; }
base_digest=$(digest)
BIG=$(head -c 100000 /dev/zero | tr '\0' 'x')
ESC=$(printf 'Pri\e]0;pwned\avas\e[2J\u202e\u200b\xff\xc0\xaf')
export BIG ESC
SLOW=${QFQ_HOSTILE_TIMEOUT:-120}

one_case() { # want_status db_rule note args...
	local want=$1 rule=$2 note=$3 st after ok_status=0 w
	shift 3
	timeout "$SLOW" "$QFQ" "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	st=$?
	after=$(digest)
	local label="qfq ${*:1:4}"
	label=${label//$H\//@}
	label=${label:0:90}
	if [ -n "$record" ]; then
		if [ "$after" = "$base_digest" ]; then echo "$st unchanged $*"; else echo "$st changed $*"; fi
	else
		IFS='|' read -r -a w <<<"$want"
		for x in "${w[@]}"; do [ "$st" = "$x" ] && ok_status=1; done
		_result "$ok_status" "$label: exit $st (expected $want)${note:+ — $note}"
		[ "$ok_status" = 1 ] || sed 's/^/#   /' "$TMP/err" | head -n 5
		if [ "$st" != 0 ] || [ "$rule" = unchanged ]; then
			is "$label: the database is unchanged" "$after" "$base_digest"
		elif [ "$rule" = changed ]; then
			check "$label: the database changed" test "$after" != "$base_digest"
		fi
		check "$label: nothing unsafe on the terminal" $U "$TMP/out" "$TMP/err"
		check "$label: the database is intact" test "$(sqlite3 "$QFQ_DB" 'PRAGMA integrity_check')" = ok
	fi
	if [ "$after" != "$base_digest" ]; then
		cp "$TMP/base.db" "$QFQ_DB"
		rm -f "$QFQ_DB-wal" "$QFQ_DB-shm"
	fi
}

ncases=0
while IFS= read -r raw; do
	line=${raw%%#*}
	note=$(sed -n 's/^[^#]*#[[:space:]]*//p' <<<"$raw")
	[ -n "${line// /}" ] || continue
	read -r want rule rest <<<"$line"
	# shellcheck disable=SC2086
	eval "set -- $rest"
	args=()
	for a in "$@"; do
		case $a in
		@*) args+=("$H/${a#@}") ;;
		*) args+=("$a") ;;
		esac
	done
	ncases=$((ncases + 1))
	one_case "$want" "$rule" "$note" "${args[@]}"
done < <(sed 's/[[:space:]]*$//' "${QFQ_HOSTILE_CASES:-$HERE/cases}")

# A file changed while an import reads it ($1 describes it, $2 changes it):
# the import takes the file whole or refuses it (exit 3, the database
# unchanged); never a crash, never half an import.
vanish() { sleep 0.2; rm -f "$TMP/moving.csv"; }
grow() { for _ in 1 2 3 4 5 6 7 8 9 10; do sleep 0.05; cat "$TMP/more.csv" >>"$TMP/moving.csv"; done; }
moving_file_case() {
	local pid st rows
	python3 "$QFQ_SRCDIR/tests/data/lieux/gen_lieux.py" --form 1 --count 3000 \
		--communes "$QFQ_SRCDIR/data/communes.csv" >"$TMP/moving.csv"
	tail -n 1000 "$TMP/moving.csv" >"$TMP/more.csv"
	"$QFQ" import lieux "$TMP/moving.csv" --format json >"$TMP/out" 2>"$TMP/err" &
	pid=$!
	"$2"
	wait "$pid"
	st=$?
	ncases=$((ncases + 1))
	if [ -n "$record" ]; then
		echo "$st $1"
	else
		check "$1: imported or refused (exit $st)" test "$st" = 0 -o "$st" = 3
		check "$1: nothing unsafe" $U "$TMP/out" "$TMP/err"
		check "$1: intact" test "$(sqlite3 "$QFQ_DB" 'PRAGMA integrity_check')" = ok
		if [ "$st" = 0 ]; then
			rows=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["rows"])' "$TMP/out")
			[ "$2" = grow ] || is "$1: imported whole" "$rows" 3000
		else
			is "$1: refused, the database unchanged" "$(digest)" "$base_digest"
		fi
	fi
	cp "$TMP/base.db" "$QFQ_DB"
	rm -f "$QFQ_DB-wal" "$QFQ_DB-shm"
}
moving_file_case "a file that vanishes while read" vanish
moving_file_case "a file that grows while read" grow

echo "# $ncases hostile files and argument sets"
[ -n "$record" ] || check "at least 60 cases ($ncases)" test "$ncases" -ge 60
done_testing
