#!/bin/bash
# 0008: shell conventions and the exit-status table, across every command:
# `qfq CMD --help` and `-h` (exit 0, usage on stdout, nothing on stderr);
# an unknown command or option names the nearest one; every error is said
# once; every usage error exits 2 (bad option, empty argument, impossible
# date, id out of range, unknown name given as an argument).
. "$(dirname "$0")/lib.sh"
init_db

# one line "qfq CMD: ..." on stderr, plus the pointer to the help
one_error() { # desc cmd
	local n
	n=$(grep -c "^qfq" "$TMP/err")
	is "$1: the error is said once" "$n" 1
}

cmds=$("$QFQ" complete commands) || cmds=""
check "complete commands lists the commands" test -n "$cmds"
for c in $cmds complete; do
	for h in --help -h; do
		run "$QFQ" $c $h
		is "$c $h exits 0" "$status" 0
		has "$c $h: usage on stdout" "$TMP/out" "usage: qfq $c"
		is "$c $h: nothing on stderr" "$(cat "$TMP/err")" ""
	done
	run "$QFQ" $c --no-such-option
	is "$c --no-such-option exits 2" "$status" 2
	has "$c --no-such-option: named" "$TMP/err" '"--no-such-option"'
	one_error "$c --no-such-option"
done
# One text per command: `qfq help CMD` is `qfq CMD --help`, every option the
# command parses is named in it (QFQ_CHECK_HELP makes a missing one exit 70),
# and every short option is said.
for c in $cmds complete; do
	run env QFQ_CHECK_HELP=1 "$QFQ" $c --help
	is "$c --help names every option the command parses" "$status" 0
	cp "$TMP/out" "$TMP/h1"
	run "$QFQ" help $c
	check "qfq help $c is qfq $c --help" cmp -s "$TMP/out" "$TMP/h1"
done
for k in roster lieux; do
	run env QFQ_CHECK_HELP=1 "$QFQ" import $k --help
	is "import $k --help names every option it parses" "$status" 0
done
run "$QFQ" commune --help
has "short options are said" "$TMP/out" "-f --format, -n --limit"

run "$QFQ" import roster --help
is "import roster --help exits 0" "$status" 0
has "import roster --help: the help" "$TMP/out" "usage: qfq import"
run "$QFQ" import lieux -h
is "import lieux -h exits 0" "$status" 0

# The nearest option and command.
run "$QFQ" search --thme smartphone
is "search --thme: exit 2" "$status" 2
has "search --thme: the nearest option" "$TMP/err" 'did you mean "--theme"?'
one_error "search --thme"
run "$QFQ" search --comune Privas
has "search --comune: the nearest option" "$TMP/err" 'did you mean "--commune"?'
run "$QFQ" search --open
is "search --open (ambiguous): exit 2" "$status" 2
has "search --open: the candidates" "$TMP/err" "--open-at, --open-now"
run "$QFQ" search --format
is "search --format without its argument: exit 2" "$status" 2
has "search --format: needs an argument" "$TMP/err" "--format needs an argument"
one_error "search --format"
run "$QFQ" search --open-now=yes
is "search --open-now=yes: exit 2" "$status" 2
has "search --open-now=yes: takes no argument" "$TMP/err" "--open-now takes no argument"
run "$QFQ" search --open-n=yes
has "an abbreviation given a value: the option named whole" "$TMP/err" "--open-now takes no argument"
# What was typed is echoed sanitized: no escape reaches the terminal.
esc=$(printf '\033')
run "$QFQ" "$(printf 'ser\033]0;pwned\007ch')"
is "a command with an escape: exit 2" "$status" 2
hasnt "a command with an escape: not echoed raw" "$TMP/err" "$esc"
run "$QFQ" search "--$(printf 'x\033[31m')"
is "an option with an escape: exit 2" "$status" 2
hasnt "an option with an escape: not echoed raw" "$TMP/err" "$esc"
run "$QFQ" "--$(printf 'y\033[31m')"
hasnt "a global option with an escape: not echoed raw" "$TMP/err" "$esc"
run "$QFQ" help "$(printf '\033[31m')"
hasnt "help of a name with an escape: not echoed raw" "$TMP/err" "$esc"
run "$QFQ" merge --lst
has "merge --lst: the nearest option" "$TMP/err" 'did you mean "--list"?'
run "$QFQ" serch
is "qfq serch: exit 2" "$status" 2
has "qfq serch: the nearest command" "$TMP/err" 'did you mean "search"?'
run "$QFQ" help serch
is "help serch: exit 2" "$status" 2
has "help serch: the nearest command" "$TMP/err" 'did you mean "search"?'
run "$QFQ" zzzzzzzz
hasnt "a name far from every command: no suggestion" "$TMP/err" "did you mean"
run "$QFQ" --no-such-global
is "unknown global option: exit 2" "$status" 2
has "unknown global option: named" "$TMP/err" '"--no-such-global"'
is "unknown global option: said once" "$(wc -l <"$TMP/err")" 1
run "$QFQ" --db
is "--db without a file: exit 2" "$status" 2

# Dates are checked, not rolled over into the next month.
run "$QFQ" search --open-at 2024-02-30T10:00 --theme smartphone
is "--open-at 2024-02-30T10:00: exit 2" "$status" 2
has "--open-at 2024-02-30T10:00: no such date" "$TMP/err" 'no such date "2024-02-30"'
hasnt "--open-at 2024-02-30T10:00: never read as 1 March" "$TMP/err" "01/03"
run "$QFQ" search --open-at 2023-02-29T10:00 --theme smartphone
is "--open-at 2023-02-29 (not a leap year): exit 2" "$status" 2
run "$QFQ" search --open-at 2024-04-31T10:00 --theme smartphone
is "--open-at 2024-04-31: exit 2" "$status" 2
run "$QFQ" search --open-at 2024-02-29T10:00 --theme smartphone
check "--open-at 2024-02-29 (leap year): no usage error" test "$status" != 2
has "--open-at 2024-02-29 (leap year) is read as that Thursday" "$TMP/err" "ouvert jeudi 10:00"
run "$QFQ" search --open-at 2024-13-01T10:00 --theme smartphone
is "--open-at month 13: exit 2" "$status" 2
printf 'Nom prénom,Structure\nDupont Jean,CAPLAB\n' >"$TMP/r.csv"
run "$QFQ" import roster "$TMP/r.csv" --event "Réunion" --date 2024-02-30
is "import roster --date 2024-02-30: exit 2" "$status" 2

# Ids reject overflow instead of wrapping or clamping.
run "$QFQ" persons --erase 9223372036854775808
is "--erase 2^63: exit 2" "$status" 2
has "--erase 2^63: too large" "$TMP/err" "too large for an id"
hasnt "--erase 2^63: never read as ...807" "$TMP/err" "9223372036854775807"
run "$QFQ" persons --erase p9223372036854775808
is "--erase p2^63: exit 2" "$status" 2
run "$QFQ" persons --erase 12abc
is "--erase 12abc: exit 2" "$status" 2
run "$QFQ" persons --erase -3
is "--erase -3: exit 2" "$status" 2
run "$QFQ" show 9223372036854775808
is "show 2^63: exit 2" "$status" 2
has "show 2^63: too large" "$TMP/err" "too large for an id"
run "$QFQ" merge 9223372036854775808 1
is "merge 2^63 1: exit 2" "$status" 2
run "$QFQ" persons --erase 9223372036854775807
is "--erase INT64_MAX (no such person): exit 1" "$status" 1

# Empty strings are usage errors, in arguments and in options.
run "$QFQ" commune ""
is 'commune "": exit 2' "$status" 2
has 'commune "": empty argument' "$TMP/err" "empty argument"
hasnt 'commune "": no suggestion' "$TMP/err" "did you mean"
run "$QFQ" commune "   "
is 'commune "   ": exit 2' "$status" 2
run "$QFQ" search --commune "" --theme smartphone
is 'search --commune "": exit 2' "$status" 2
has 'search --commune "": named' "$TMP/err" "--commune: empty argument"
one_error 'search --commune ""'
run "$QFQ" search ""
is 'search "": exit 2' "$status" 2
run "$QFQ" persons --theme ""
is 'persons --theme "": exit 2' "$status" 2
run "$QFQ" persons --structure ""
is 'persons --structure "": exit 2' "$status" 2
run "$QFQ" show ""
is 'show "": exit 2' "$status" 2
run "$QFQ" config set commune ""
is 'config set commune "": exit 2' "$status" 2
run "$QFQ" export lieux --commune ""
is 'export lieux --commune "": exit 2' "$status" 2

# Bad arguments: 2 everywhere, as search does.
run "$QFQ" commune "$(printf 'Priv\xe9as')"
is "commune with invalid UTF-8: exit 2" "$status" 2
run "$QFQ" commune "$(printf 'Priv\033]0;x\007as')"
is "commune with ESC/BEL: exit 2" "$status" 2
hasnt "commune with ESC: the escape is not echoed" "$TMP/err" "$(printf '\033')"
run "$QFQ" persons --structure "$(printf 'a\033b')"
is "persons --structure with ESC: exit 2" "$status" 2
run "$QFQ" persons --theme "$(printf '\xff')"
is "persons --theme with invalid UTF-8: exit 2" "$status" 2
run "$QFQ" persons --theme zzzqqq
is "persons --theme unknown: exit 2" "$status" 2
run "$QFQ" config set commune "$(printf 'a\033b')"
is "config set commune with ESC: exit 2" "$status" 2
run "$QFQ" config set commune Zzyzx-sur-Rien
is "config set commune unknown: exit 2" "$status" 2
run "$QFQ" search --theme zzzqqq
is "search --theme unknown: exit 2" "$status" 2
run "$QFQ" search --departement 999
is "search --departement unknown: exit 2" "$status" 2
run "$QFQ" export lieux --departement 999
is "export --departement unknown: exit 2, as search" "$status" 2
has "export --departement unknown: said" "$TMP/err" 'no département has the code "999"'
run "$QFQ" export lieux --commune Zorglub
is "export --commune unknown: exit 2" "$status" 2

# The table itself: 1 nothing found, 4 database error.
run "$QFQ" commune Zzyzx
is "commune not found: exit 1" "$status" 1
run env QFQ_DB="$TMP/none/x.db" "$QFQ" commune Privas
is "no database: exit 4" "$status" 4
run "$QFQ" commune Privas
is "found: exit 0" "$status" 0

# The man page documents the same table.
man="$QFQ_SRCDIR/man/qfq.1"
for code in 0 1 2 3 4; do
	check "man page: exit status $code documented" grep -q "^\.IP $code\$\|^\.B $code\$\|^$code " "$man"
done

done_testing
