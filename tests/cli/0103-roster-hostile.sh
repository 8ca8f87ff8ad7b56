#!/bin/bash
# 0103: hostile roster files (unterminated quote, binary, a 10 MB field,
# 10,000 columns, NUL bytes, bad rows) are refused with their position,
# a non-zero exit status and the database unchanged; --skip-bad-rows and
# --dry-run.
. "$(dirname "$0")/lib.sh"
demo_db
sqlite3 "$QFQ_DB" .dump >"$TMP/before.sql"

H="$TMP/h"
mkdir -p "$H"
printf 'Nom prénom,Structure\nDupont Jean,"CAPLAB\nMartin Paul,X\n' >"$H/unterminated.csv"
python3 - "$H" <<'P'
import sys, random
d = sys.argv[1]
random.seed(7)
open(d + '/binary.csv', 'wb').write(bytes(random.randrange(256) for _ in range(4000)))
open(d + '/big.csv', 'w').write('Nom prénom,Structure\nDupont Jean,' + 'x' * (10 * 1024 * 1024) + '\n')
open(d + '/cols.csv', 'w').write('Nom prénom,Structure\nDupont Jean,' + ','.join(['a'] * 10000) + '\n')
open(d + '/nul.csv', 'wb').write(b'Nom pr\xc3\xa9nom,Structure\nDupont Jean,CA\x00PLAB\n')
open(d + '/badutf8.csv', 'wb').write(b'\xef\xbb\xbfNom pr\xc3\xa9nom,Structure\nDupont Jean,CAPLAB\nMartin Paul,Caf \xe9\n')
open(d + '/noname.csv', 'w').write('Organisme,Ville\nCAPLAB,Privas\n')
open(d + '/badrows.csv', 'w').write('Nom prénom,Structure,Présence\nDupont Jean,CAPLAB,présent\n,CAPLAB,\n'
                                    'Martin Paul,CAPLAB,peut-être\nDurand Marie,CAPLAB,excusée\n')
P

refused() { # file, what the message must contain
	run "$QFQ" import roster "$H/$1"
	is "$1: exit status 3" "$status" 3
	has "$1: says where and what" "$TMP/err" "$2"
	has "$1: says the database is unchanged" "$TMP/err" "database is unchanged"
	sqlite3 "$QFQ_DB" .dump >"$TMP/after.sql"
	check "$1: database unchanged" cmp -s "$TMP/before.sql" "$TMP/after.sql"
}
refused unterminated.csv 'line 2, field 2: unterminated quote in'
refused binary.csv 'NUL byte (binary file?)'
refused big.csv 'line 2, field 2: field longer than'
refused cols.csv 'line 2: more than 1000 fields'
refused nul.csv 'line 2, column 15: NUL byte'
refused badutf8.csv 'line 3'
refused noname.csv 'no name column'
refused badrows.csv 'line 3, column 1: no name'
has "every bad row is listed" "$TMP/err" 'line 4, column 3: unknown presence "peut-être"'

run "$QFQ" import roster "$H/badrows.csv" --skip-bad-rows --dry-run --event "Essai" --date 2024-10-01
is "--skip-bad-rows --dry-run exits 0" "$status" 0
has "dry run counts the good rows" "$TMP/out" "rows read: 4 (imported 2, skipped 2)"
has "dry run lists the bad rows" "$TMP/out" "line 3, column 1: no name"
has "dry run says nothing was written" "$TMP/out" "dry run: nothing was written"
sqlite3 "$QFQ_DB" .dump >"$TMP/after.sql"
check "dry run leaves the database unchanged" cmp -s "$TMP/before.sql" "$TMP/after.sql"

run "$QFQ" import roster "$H/badrows.csv" --skip-bad-rows --event "Essai" --date 2024-10-01
is "--skip-bad-rows exits 0" "$status" 0
is "the good rows landed" "$(sqlite3 "$QFQ_DB" "SELECT group_concat(p.nom || ':' || a.presence, ' ') FROM attendance a JOIN persons p ON p.id = a.person_id JOIN events e ON e.id = a.event_id WHERE e.titre = 'Essai' ORDER BY p.nom")" "Dupont:present Durand:excuse"

run "$QFQ" import roster "$H/badrows.csv" --event "Essai"
is "--event without --date is a usage error" "$status" 2
run "$QFQ" import roster "$H/badrows.csv" --event "Essai" --date 2024-02-30
is "an impossible --date is a usage error" "$status" 2
has "the date is named" "$TMP/err" '2024-02-30'
run "$QFQ" import roster "$H/nope.csv"
is "a missing file exits 3" "$status" 3
run "$QFQ" import roster "$H/badrows.csv" --map 'Structure=zorglub'
is "--map with an unknown field is a usage error" "$status" 2

done_testing
