#!/bin/bash
# 0001: global options, help, version, unknown commands, help vs man page.
. "$(dirname "$0")/lib.sh"

run "$QFQ" --version
is "--version exits 0" "$status" 0
has "--version prints the version" "$TMP/out" "qfq "

run "$QFQ" --help
is "--help exits 0" "$status" 0
has "--help lists init" "$TMP/out" "init"
has "--help lists commune" "$TMP/out" "commune"

run "$QFQ" frobnicate
is "unknown command exits 2" "$status" 2
has "unknown command is named" "$TMP/err" '"frobnicate"'

run "$QFQ" --bogus
is "unknown global option exits 2" "$status" 2

run "$QFQ" help commune
is "help commune exits 0" "$status" 0
has "help commune shows the usage" "$TMP/out" "usage: qfq commune"

run "$QFQ" help nosuch
is "help of an unknown command exits 2" "$status" 2

run "$QFQ" commune --format xml Privas
is "bad --format exits 2" "$status" 2
has "bad --format says what is expected" "$TMP/err" "json"

# Every command's options, as `qfq help` lists them, are documented in the man page.
man="$QFQ_SRCDIR/man/qfq.1"
"$QFQ" help | awk 'NR > 1 && $1 != "" { print $1 }' >"$TMP/cmds"
while read -r c; do
	grep -qE "^\.SS \"?$c( |\"|$)" "$man"
	check "man page has a section for $c" test $? -eq 0
	"$QFQ" help "$c" | grep -oE -- '--[a-z][a-z-]+' | sort -u >"$TMP/opts"
	while read -r o; do
		grep -qF -- "$(printf '%s' "$o" | sed 's/-/\\-/g')" "$man" || grep -qF -- "$o" "$man"
		check "man page documents $c $o" test $? -eq 0
	done <"$TMP/opts"
done <"$TMP/cmds"

done_testing
