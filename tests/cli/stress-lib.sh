# stress-lib.sh: concurrency and crash trials shared by the CI tests
# (tests/cli/0009-concurrency.sh, 0010-crash.sh, a few trials each) and the
# long runs of bench/stress.sh (sourced after lib.sh; TAP output).
#
#   stress_setup ROWS          $TMP/base.db: demo data + ROWS generated places,
#                              $TMP/la.csv and $TMP/lb.csv: two files of places
#   stress_search_loop N       N reads (search, show, commune, --plain) while a
#                              writer loops over imports and merges: 0 failures
#   stress_kill_imports N      SIGKILL at a random moment of N imports
#   stress_kill_merges N       SIGKILL at a random moment of N merges
#   stress_two_imports         two imports at once = the same two one after the other
#
# Each kill trial checks: PRAGMA integrity_check is ok, the database holds
# either all of the import or merge or none of it, and the next command
# (a search, then the same write again) works.

stress_q() { sqlite3 -batch -noheader "$@"; }

# A random delay in seconds with millisecond steps, below $1 ms.
stress_delay() {
	local r=$(( (RANDOM * 32768 + RANDOM) % $1 ))
	printf '%d.%03d' $((r / 1000)) $((r % 1000))
}

stress_setup() {
	local gen="$QFQ_SRCDIR/tests/data/lieux/gen_lieux.py" communes="$QFQ_SRCDIR/data/communes.csv"
	python3 "$gen" --form 1 --count "$1" --departements 07,26 --seed 14 --communes "$communes" >"$TMP/la.csv"
	python3 "$gen" --form 1 --count "$1" --departements 07,26 --seed 41 --communes "$communes" >"$TMP/lb.csv"
	WITH_LIEUX=1 demo_db
	sqlite3 "$QFQ_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	cp "$QFQ_DB" "$TMP/base.db"
}

# What an import or merge changes, in one line: all-or-nothing is "this
# line is the one before or the one after, nothing else".
stress_state() {
	stress_q "$1" "SELECT (SELECT count(*) FROM structures) || ' ' || (SELECT count(*) FROM structure_themes)
		|| ' ' || (SELECT count(*) FROM memberships) || ' ' || (SELECT count(*) FROM structure_aliases)
		|| ' ' || (SELECT count(*) FROM structures_fts) || ' ' || (SELECT count(*) FROM audit_log)"
}

stress_search_loop() {
	local n=$1 i=0 fails=0 writes=0 st id
	cp "$TMP/base.db" "$TMP/loop.db"
	rm -f "$TMP/stop" "$TMP/loop.err"
	(
		k=0
		while [ ! -e "$TMP/stop" ]; do
			k=$((k + 1))
			if [ $((k % 2)) -eq 0 ]; then f=la; else f=lb; fi
			"$QFQ" --db "$TMP/loop.db" import lieux "$TMP/$f.csv" --quiet >/dev/null 2>>"$TMP/writer.err" || echo "import $f: $?" >>"$TMP/writer.fail"
			"$QFQ" --db "$TMP/loop.db" import roster "$QFQ_SRCDIR/data/rosters/2024-07-10-privas.csv" --quiet >/dev/null 2>>"$TMP/writer.err" || echo "roster: $?" >>"$TMP/writer.fail"
			pair=$("$QFQ" --db "$TMP/loop.db" merge --list --format tsv 2>/dev/null | awk -F'\t' 'NR == 2 { print $2, $4 }')
			# shellcheck disable=SC2086
			[ -n "$pair" ] && { "$QFQ" --db "$TMP/loop.db" merge $pair >/dev/null 2>>"$TMP/writer.err" || echo "merge $pair: $?" >>"$TMP/writer.fail"; }
			echo "$k" >"$TMP/writes"
		done
	) &
	local writer=$!
	id=$(stress_q "$TMP/base.db" "SELECT min(id) FROM structures")
	while [ "$i" -lt "$n" ]; do
		case $((i % 5)) in
		0) "$QFQ" --db "$TMP/loop.db" search --theme démarches --commune Privas --radius 30 >/dev/null 2>"$TMP/one.err" ;;
		1) "$QFQ" --db "$TMP/loop.db" search caf --format json >/dev/null 2>"$TMP/one.err" ;;
		2) "$QFQ" --db "$TMP/loop.db" show "$id" >/dev/null 2>"$TMP/one.err" ;;
		3) "$QFQ" --db "$TMP/loop.db" commune Privas --format tsv >/dev/null 2>"$TMP/one.err" ;;
		4) printf 'smartphone annonay\n1\n' | "$QFQ" --db "$TMP/loop.db" --plain tui >/dev/null 2>"$TMP/one.err" ;;
		esac
		st=$?
		if [ "$st" -gt 1 ]; then
			fails=$((fails + 1))
			{ echo "command $i (kind $((i % 5))): exit $st"; cat "$TMP/one.err"; } >>"$TMP/loop.err"
		fi
		i=$((i + 1))
	done
	touch "$TMP/stop"
	wait "$writer"
	writes=$(cat "$TMP/writes" 2>/dev/null || echo 0)
	echo "# $n reads during $writes rounds of writes (2 imports and a merge each): $fails failed"
	is "$n reads during writes: none failed" "$fails" 0
	[ -s "$TMP/loop.err" ] && head -n 20 "$TMP/loop.err" | sed 's/^/#   /'
	check "the writer wrote meanwhile ($writes rounds)" test "$writes" -ge 1
	is "no write failed" "$(cat "$TMP/writer.fail" 2>/dev/null | head -n 5)" ""
	is "the database is intact after the loop" "$(stress_q "$TMP/loop.db" 'PRAGMA integrity_check')" ok
}

# One kill trial: $1 = the database, $2 = max delay (ms), then the command.
# Sets kill_state to the state after the kill.
stress_kill_one() {
	local db=$1 max=$2 pid
	shift 2
	"$QFQ" --db "$db" "$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$(stress_delay "$max")"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	kill_state=$(stress_state "$db")
}

# $1 kind (import|merge), $2 trials, $3 mid-way count, $4 bad count, $5 broken next
stress_report() {
	echo "# SIGKILL during $1: $2 trials, $3 killed mid-way, $4 not all-or-nothing, $5 with a failing next command"
	is "SIGKILL during $1: every trial all-or-nothing and intact" "$4" 0
	is "SIGKILL during $1: the next commands work" "$5" 0
	check "SIGKILL during $1: some trials were killed mid-way ($3 of $2)" test "$3" -ge 1
}

stress_kill_imports() {
	local n=$1 t before after mid=0 bad=0 broken=0 ms
	cp "$TMP/base.db" "$TMP/full.db"
	ms=$( { /usr/bin/time -f %e "$QFQ" --db "$TMP/full.db" import lieux "$TMP/la.csv" --quiet >/dev/null; } 2>&1 | tail -n 1)
	ms=$(python3 -c "print(max(50, int(float('$ms') * 1000 * 1.3)))")
	echo "# one import takes about $((ms * 10 / 13)) ms here"
	before=$(stress_state "$TMP/base.db")
	after=$(stress_state "$TMP/full.db")
	for t in $(seq "$n"); do
		cp "$TMP/base.db" "$TMP/k.db"
		rm -f "$TMP/k.db-wal" "$TMP/k.db-shm"
		stress_kill_one "$TMP/k.db" "$ms" import lieux "$TMP/la.csv" --quiet
		[ "$kill_state" = "$before" ] && mid=$((mid + 1))
		if [ "$(stress_q "$TMP/k.db" 'PRAGMA integrity_check')" != ok ] ||
			{ [ "$kill_state" != "$before" ] && [ "$kill_state" != "$after" ]; }; then
			bad=$((bad + 1))
			echo "#   trial $t: state $kill_state (before $before, after $after)"
		fi
		"$QFQ" --db "$TMP/k.db" search caf >/dev/null 2>&1
		[ $? -le 1 ] || broken=$((broken + 1))
		"$QFQ" --db "$TMP/k.db" import lieux "$TMP/la.csv" --quiet >/dev/null 2>&1 || broken=$((broken + 1))
		[ "$(stress_state "$TMP/k.db")" = "$after" ] || { [ "$kill_state" = "$after" ] && [ "$(stress_state "$TMP/k.db" | cut -d' ' -f1-5)" = "$(echo "$after" | cut -d' ' -f1-5)" ]; } || broken=$((broken + 1))
	done
	stress_report import "$n" "$mid" "$bad" "$broken"
}

stress_merged() { stress_q "$1" "SELECT count(*) FROM merge_proposals WHERE state = 'merged'"; }

stress_kill_merges() {
	local n=$1 t keep other before merged ms mid=0 bad=0 broken=0
	merged=$(stress_merged "$TMP/base.db")
	"$QFQ" --db "$TMP/base.db" merge --list --format tsv 2>/dev/null | awk -F'\t' 'NR > 1 && $1 == "structure" { print $2, $4 }' >"$TMP/pairs"
	[ -s "$TMP/pairs" ] || { echo "Bail out! no merge proposal in the base"; exit 1; }
	# the kill comes within 1.2 times the length of one merge, process start
	# included: some trials let the merge through
	cp "$TMP/base.db" "$TMP/m.db"
	read -r keep other <"$TMP/pairs"
	ms=$( { /usr/bin/time -f %e "$QFQ" --db "$TMP/m.db" merge "$keep" "$other" >/dev/null; } 2>&1 | tail -n 1)
	ms=$(python3 -c "print(max(20, int(float('$ms') * 1000 * 1.2)))")
	echo "# one merge takes about $((ms * 10 / 12)) ms here"
	for t in $(seq "$n"); do
		read -r keep other < <(sed -n "$(( (t - 1) % $(wc -l <"$TMP/pairs") + 1 ))p" "$TMP/pairs")
		cp "$TMP/base.db" "$TMP/m.db"
		rm -f "$TMP/m.db-wal" "$TMP/m.db-shm"
		before=$(stress_state "$TMP/m.db")
		stress_kill_one "$TMP/m.db" "$ms" merge "$keep" "$other"
		if [ "$(stress_q "$TMP/m.db" "SELECT count(*) FROM structures WHERE id = $other")" = 1 ]; then
			mid=$((mid + 1))
			[ "$kill_state" = "$before" ] && [ "$(stress_merged "$TMP/m.db")" = "$merged" ] ||
				{ bad=$((bad + 1)); echo "#   trial $t: $other still there but state $kill_state (before $before)"; }
		else
			[ "$(stress_merged "$TMP/m.db")" = $((merged + 1)) ] &&
				[ "$(stress_q "$TMP/m.db" "SELECT count(*) FROM memberships WHERE structure_id = $other")" = 0 ] ||
				{ bad=$((bad + 1)); echo "#   trial $t: $other gone but the merge is not all there"; }
		fi
		[ "$(stress_q "$TMP/m.db" 'PRAGMA integrity_check')" = ok ] || { bad=$((bad + 1)); echo "#   trial $t: integrity"; }
		"$QFQ" --db "$TMP/m.db" search caf >/dev/null 2>&1
		[ $? -le 1 ] || broken=$((broken + 1))
		if [ "$(stress_q "$TMP/m.db" "SELECT count(*) FROM structures WHERE id = $other")" = 1 ]; then
			"$QFQ" --db "$TMP/m.db" merge "$keep" "$other" >/dev/null 2>&1 || broken=$((broken + 1))
		fi
	done
	stress_report merge "$n" "$mid" "$bad" "$broken"
}

stress_two_imports() {
	local s1 s2
	cp "$TMP/base.db" "$TMP/seq.db"
	"$QFQ" --db "$TMP/seq.db" import lieux "$TMP/lb.csv" --quiet >/dev/null 2>&1
	"$QFQ" --db "$TMP/seq.db" import roster "$QFQ_SRCDIR/tests/data/roster/competences.csv" --quiet >/dev/null 2>&1
	cp "$TMP/base.db" "$TMP/par.db"
	"$QFQ" --db "$TMP/par.db" import lieux "$TMP/lb.csv" --quiet >/dev/null 2>"$TMP/par1.err" &
	local p1=$!
	"$QFQ" --db "$TMP/par.db" import roster "$QFQ_SRCDIR/tests/data/roster/competences.csv" --quiet >/dev/null 2>"$TMP/par2.err" &
	local p2=$!
	wait "$p1"; s1=$?
	wait "$p2"; s2=$?
	is "two imports at once: the places import succeeds" "$s1" 0
	is "two imports at once: the roster import succeeds" "$s2" 0
	is "two imports at once: the same structures, persons and members as one after the other" \
		"$(stress_q "$TMP/par.db" "SELECT (SELECT count(*) FROM structures) || ' ' || (SELECT count(*) FROM persons) || ' ' || (SELECT count(*) FROM memberships)")" \
		"$(stress_q "$TMP/seq.db" "SELECT (SELECT count(*) FROM structures) || ' ' || (SELECT count(*) FROM persons) || ' ' || (SELECT count(*) FROM memberships)")"
	is "two imports at once: intact" "$(stress_q "$TMP/par.db" 'PRAGMA integrity_check')" ok
}
