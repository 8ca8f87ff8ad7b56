#!/bin/bash
# 0005: `meson install` puts the binary, the man page and the data files in
# place, and the installed data is complete enough for `qfq init`.
. "$(dirname "$0")/lib.sh"
: "${QFQ_BUILDDIR:?}"

run meson install -C "$QFQ_BUILDDIR" --no-rebuild --destdir "$TMP/dest"
is "meson install exits 0" "$status" 0
prefix=$(meson introspect "$QFQ_BUILDDIR" --buildoptions | python3 -c \
	'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"][0])')
root="$TMP/dest$prefix"
check "the binary is installed" test -x "$root/bin/qfq"
check "the man page is installed" test -f "$root/share/man/man1/qfq.1"
check "the communes are installed" test -f "$root/share/qfq/communes.csv"
check "the themes are installed" test -f "$root/share/qfq/themes.csv"
check "the data README (attribution) is installed" test -f "$root/share/qfq/README.md"

check "no roster is installed" test ! -e "$root/share/qfq/rosters"
check "no demo sample is installed" test ! -e "$root/share/qfq/samples"
check "no demo merge list is installed" test ! -e "$root/share/qfq/demo-merges.csv"
# No installed file names a person of the demo rosters (their full
# "Nom prénom" as written; surnames alone are also place names).
tail -n +2 -q "$QFQ_SRCDIR"/data/rosters/*.csv | cut -d, -f1 | tr -d '"' | awk 'length >= 8' | sort -u >"$TMP/names"
found=$(grep -rlF -f "$TMP/names" "$root/share/qfq" 2>/dev/null)
is "no installed data file names a person of the rosters" "$found" ""
check "the name list is not empty" test -s "$TMP/names"

run env QFQ_DATA_DIR="$root/share/qfq" "$root/bin/qfq" --db "$TMP/inst.db" init --format tsv
is "the installed binary initializes from the installed data" "$status" 0
has "with every commune" "$TMP/out" "$(printf 'communes\t34969')"

# Outside the build tree and without QFQ_DATA_DIR, the binary looks in its
# installed data folder (here absent, under DESTDIR): a clear error, not a crash.
run env -u QFQ_DATA_DIR "$root/bin/qfq" --db "$TMP/inst2.db" init
is "missing installed data: exit 4" "$status" 4
has "missing installed data: names the folder" "$TMP/err" "$prefix/share/qfq"

done_testing
