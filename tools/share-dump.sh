#!/bin/bash
# share-dump.sh DB: the shared tables of a qfq copy, every id replaced by its
# global id (share_ids), rows sorted: two copies that converged print the
# same bytes whatever local ids they gave the rows (issue 15's tests and
# bench/share-sim.sh compare these).
set -eu
db=$1
refs="attendance.event_id=events attendance.person_id=persons attendance.structure_id=structures
events.id=events memberships.id=memberships memberships.person_id=persons memberships.structure_id=structures
merge_proposals.a_id=* merge_proposals.b_id=* permanence_themes.permanence_id=permanences
permanences.host_id=structures permanences.id=permanences permanences.structure_id=structures
person_themes.person_id=persons persons.id=persons referral_history.id=referral_history referral_history.referral_id=referrals
referral_history.by_person_id=persons referral_history.by_structure_id=structures referrals.parent_id=referrals
referrals.from_person_id=persons referrals.from_structure_id=structures referrals.id=referrals
referrals.to_person_id=persons referrals.to_structure_id=structures structure_aliases.structure_id=structures
structure_territories.structure_id=structures structure_themes.structure_id=structures structures.id=structures
structures.parent_id=structures"
sql=""
for t in attendance events memberships merge_proposals permanence_themes permanences person_themes persons \
	referral_history referrals structure_aliases structure_territories structure_themes structures; do
	cols=""
	n=0
	for c in $(sqlite3 "$db" "SELECT name FROM pragma_table_info('$t') ORDER BY cid"); do
		target=""
		for r in $refs; do
			[ "${r%%=*}" = "$t.$c" ] && target=${r#*=}
		done
		if [ "$target" = "*" ]; then
			e="(SELECT hex(gid) FROM share_ids WHERE tbl = CASE o.kind WHEN 'person' THEN 'persons' ELSE 'structures' END AND id = o.$c)"
		elif [ -n "$target" ]; then
			e="(SELECT hex(gid) FROM share_ids WHERE tbl = '$target' AND id = o.$c)"
		else
			e="quote(o.$c)"
		fi
		cols="$cols${cols:+, }$e"
		n=$((n + 1))
	done
	order=$(seq -s, 1 "$n")
	sql="$sql SELECT '$t', $cols FROM $t AS o ORDER BY $order;"
done
sqlite3 "$db" "$sql"
