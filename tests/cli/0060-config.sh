#!/bin/bash
# 0060: qfq config: set/get/unset/list, the commune resolved to one INSEE code, the file's mode.
. "$(dirname "$0")/lib.sh"
init_db

run "$QFQ" config list
is "list on no file exits 0" "$status" 0
is "list on no file prints nothing" "$(cat "$TMP/out")" ""

run "$QFQ" config get commune
is "get of an unset key exits 1" "$status" 1

run "$QFQ" config set commune "st jean de muzols"
is "set commune exits 0" "$status" 0
run "$QFQ" config get commune
is "the commune is stored as its INSEE code" "$(cat "$TMP/out")" "07245"
is "the file is private (0600)" "$(stat -c %a "$XDG_CONFIG_HOME/qfq/config")" 600

run "$QFQ" config set commune Saint-Julien
is "an ambiguous commune exits 2" "$status" 2
has "the candidates are listed" "$TMP/err" "Saint-Julien"
run "$QFQ" config get commune
is "a refused set leaves the value" "$(cat "$TMP/out")" "07245"

run "$QFQ" config set commune Zzyzx-sur-Rien
is "an unknown commune is a usage error: exit 2" "$status" 2

run "$QFQ" config set rayon 20
is "set rayon exits 0" "$status" 0
run "$QFQ" config set rayon loin
is "a bad radius exits 2" "$status" 2
run "$QFQ" config set couleur bleu
is "an unknown key exits 2" "$status" 2
has "the known keys are named" "$TMP/err" "commune, partage, partage_au_demarrage, rayon"

run "$QFQ" config list
has "list shows the commune" "$TMP/out" "commune = 07245"
has "list shows the radius" "$TMP/out" "rayon = 20"

run "$QFQ" config unset rayon
is "unset exits 0" "$status" 0
run "$QFQ" config get rayon
is "unset removed it" "$status" 1
run "$QFQ" config unset rayon
is "unset of an unset key exits 1" "$status" 1
ls -a "$XDG_CONFIG_HOME/qfq" >"$TMP/ls"
hasnt "no temporary file left behind" "$TMP/ls" ".tmp."

printf 'commune 07186\n' >"$XDG_CONFIG_HOME/qfq/config"
run "$QFQ" config list
is "a malformed file exits 4" "$status" 4
has "the error names the line" "$TMP/err" "line 1"

done_testing
