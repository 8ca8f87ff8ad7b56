#!/bin/bash
# bench/hours-agreement.sh: how often qfq's reading of opening_hours agrees
# with the reference implementation of the specification (the npm package
# opening_hours, installed into a temporary folder): about 80 values of the
# kinds directory data has and of each construct qfq reads, each at 15
# times of every fifth day of 2024-2026 (Europe/Paris, at Privas). A check
# compares open / closed / unknown (qfq's "open, end unknown" counts as
# unknown, as the reference says it). Prints the count of agreements and
# the values that differ, with how often.
#
#   bash bench/hours-agreement.sh [build-dir]
#   OH_DIR=/path/with/node_modules bash bench/hours-agreement.sh   (reuse an install)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
OH=${OH_DIR:-$T/oh}
if [ ! -d "$OH/node_modules/opening_hours" ]; then
	command -v npm >/dev/null || { echo "hours-agreement: npm is needed for the reference" >&2; exit 2; }
	mkdir -p "$OH"
	(cd "$OH" && npm install --silent --no-audit --no-fund opening_hours@3.15.0 >/dev/null)
fi
node bench/hours-agreement.js "$OH" >"$T/ref.tsv"
cut -f1,2 "$T/ref.tsv" | sed 's/$/\t44.735\t4.599/' | TZ=Europe/Paris "$B/bench/hours-eval" >"$T/qfq.txt"
paste "$T/ref.tsv" "$T/qfq.txt" | awk -F'\t' '
	{ q = $4 == "open-end" ? "unknown" : $4; r = $3 }
	r == "error" { refused++; next }
	{ n++ }
	q == "error" { unread++; next }
	q == r { same++; next }
	{ differ++; why[$1 "  (reference " r ", qfq " q ")"]++ }
	END {
		printf "checks %d: agree %d (%.2f %%), differ %d, qfq cannot read %d; the reference refused %d\n",
			n, same, n ? 100 * same / n : 0, differ, unread, refused
		for (k in why) printf "%7d  %s\n", why[k], k | "sort -rn"
	}'
