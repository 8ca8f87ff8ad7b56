#!/bin/bash
# 0406: qfq stats: counts by status, theme, month, communes and EPCI, flows,
# the share realized and the median delay, "sans solution" themes and where,
# filtered by period and territory; json and tsv agree with the SQL counts.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
A=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures WHERE nom LIKE 'CAPLAB%' AND source_id IS NOT NULL")
[ -n "$A" ] || A=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures WHERE nom LIKE 'CAPLAB%'")
B=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures WHERE nom = 'France Services Les Ollières Sur Eyrieux'")
C=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures WHERE nom = 'Mairie de Saint Sauveur de Montagut'")
AL=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures WHERE nom = 'Espace Public Numérique Alboussière'")

run "$QFQ" stats
is "no referral: exit 1" "$status" 1

o() { "$QFQ" orient --from "$1" --to "$2" --theme "$3" --date "$4" | tail -1; }
s() { "$QFQ" orientation "$1" statut "$2" --date "$3" >/dev/null; }
r1=$(o "$A" "$B" démarches 2026-01-05); s "$r1" "prise en charge" 2026-01-06; s "$r1" réalisée 2026-01-09   # 4 days
r2=$(o "$A" "$B" démarches 2026-01-20); s "$r2" réalisée 2026-01-30                                       # 10 days
r3=$(o "$A" "$C" démarches 2026-02-02); s "$r3" "sans solution" 2026-02-10
r4=$(o "$B" "$C" smartphone 2026-02-03); s "$r4" "sans solution" 2026-02-04
r5=$(o "$A" "$AL" smartphone 2026-03-01)
r6=$(o "$A" "$B" smartphone 2026-03-15); s "$r6" réalisée 2026-03-16                                     # 1 day
is "six referrals recorded" "$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM referrals")" 6

run "$QFQ" stats --format json
is "stats exits 0" "$status" 0
python3 - "$TMP/out" >"$TMP/j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t = {r['libelle']: r['nombre'] for r in d['theme']}
m = {r['cle']: r['nombre'] for r in d['mois']}
f = d['flux'][0]
ss = d['sans_solution']
print(d['total'], d['statuts']['realisee'], d['statuts']['sans_solution'], d['statuts']['proposee'],
      d['part_realisees'], d['delai_realisation_jours']['mediane'],
      t.get('Aide aux démarches administratives'), m.get('2026-01'), m.get('2026-02'), m.get('2026-03'),
      f['nombre'], f['realisees'], len(ss), sum(r['nombre'] for r in ss))
print(f['libelle'])
print(' | '.join(r['ou'] for r in ss))
PY
is "totals, statuses, share, median delay, themes, months, top flow, sans solution" "$(sed -n 1p "$TMP/j")" \
	"6 3 2 1 0.5 4 3 2 2 2 3 3 2 2"
has "the top flow is named" "$TMP/j" "→ France Services Les Ollières Sur Eyrieux"
has "sans solution says where from" "$TMP/j" "(1)"

run "$QFQ" stats --since 2026-02-01 --until 2026-02-28 --format json
check "the period keeps February only" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["total"] == 2 and [r["cle"] for r in d["mois"]] == ["2026-02"], d' "$TMP/out"

run "$QFQ" stats --departement 01 --format json
is "a territory with none of them: exit 1" "$status" 1
run "$QFQ" stats --departement 07 --format tsv
is "tsv exits 0" "$status" 0
is "tsv: the status rows" "$(awk -F'\t' '$1 == "statut" { printf "%s=%s ", $2, $4 }' "$TMP/out")" \
	"proposee=1 prise_en_charge=0 realisee=3 sans_solution=2 refusee=0 "
is "tsv agrees with SQL on months" "$(awk -F'\t' '$1 == "mois" { printf "%s=%s ", $2, $4 }' "$TMP/out")" \
	"$(sqlite3 "$QFQ_DB" "SELECT group_concat(m || '=' || n, ' ') || ' ' FROM (SELECT substr(date, 1, 7) m, count(*) n FROM referrals GROUP BY 1 ORDER BY 1)")"
run "$QFQ" stats
has "the table format says the share realized" "$TMP/out" "realized: 50.0 %"
has "and the delay" "$TMP/out" "median 4.0 days"
run "$QFQ" stats --since 2026-13-01
is "a bad date exits 2" "$status" 2

done_testing
