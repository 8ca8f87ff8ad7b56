#!/bin/bash
# 0303: the bash completion script: commands, options of a command, theme
# and commune names (through `qfq complete`).
. "$(dirname "$0")/lib.sh"
init_db
. "$QFQ_SRCDIR/completion/qfq.bash"
qfq() { "$QFQ" "$@"; }

comp() { # the words typed, the last one being completed
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_qfq
	printf '%s\n' "${COMPREPLY[@]}" >"$TMP/comp"
}
comp "$QFQ" se
has "completes the command search" "$TMP/comp" "search"
comp "$QFQ" search --op
has "completes --open-now" "$TMP/comp" "--open-now"
has "completes --open-at" "$TMP/comp" "--open-at"
comp "$QFQ" search --theme smartph
has "completes a theme name" "$TMP/comp" "smartphone"
comp "$QFQ" search --commune "st jean de m"
has "completes a commune name, spaces escaped" "$TMP/comp" 'Saint-Jean-de-Muzols'
comp "$QFQ" search --format j
is "completes a format" "$(cat "$TMP/comp")" "json"
comp "$QFQ" commune priv
has "completes communes for qfq commune" "$TMP/comp" "Privas"
comp "$QFQ" edit pe
is "edit: structure or person" "$(cat "$TMP/comp")" "person"
comp "$QFQ" edit structure 12 hor
is "edit: a structure's fields, with =" "$(cat "$TMP/comp")" "horaires="
comp "$QFQ" edit person 12 comp
is "edit: a person's fields" "$(cat "$TMP/comp")" "competences="
comp "$QFQ" forget p
is "forget: person" "$(cat "$TMP/comp")" "person"
comp "$QFQ" config se
is "config: the verbs" "$(cat "$TMP/comp")" "set"
comp "$QFQ" config set part
is "config: the keys" "$(cat "$TMP/comp" | tr '\n' ' ')" "partage partage_au_demarrage "
comp "$QFQ" config set partage_au_demarrage o
is "config: partage_au_demarrage takes oui or non" "$(cat "$TMP/comp")" "oui"
comp "$QFQ" export li
is "export completes what it exports" "$(cat "$TMP/comp")" "lieux"
comp "$QFQ" export lieux --inc
is "export completes --include-invalid" "$(cat "$TMP/comp")" "--include-invalid"
comp "$QFQ" export lieux --format ""
is "export offers its two formats" "$(sort "$TMP/comp" | tr '\n' ' ')" "csv json "
mkdir -p "$TMP/outdir" && touch "$TMP/outdir/places.csv"
comp "$QFQ" export lieux --output "$TMP/outdir/pl"
is "--output completes a file name" "$(cat "$TMP/comp")" "$TMP/outdir/places.csv"

done_testing
