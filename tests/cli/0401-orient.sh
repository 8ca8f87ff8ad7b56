#!/bin/bash
# 0401: qfq orient / orientation / orientations: recording a referral,
# refusing personal data in its note (nothing written), following its status
# with who and when, continuing it (A -> B -> C), listing and filtering.
. "$(dirname "$0")/lib.sh"
WITH_LIEUX=1 demo_db
count() { sqlite3 "$QFQ_DB" "SELECT count(*) FROM referrals"; }
A=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures WHERE nom LIKE 'CAPLAB%'")
B=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures WHERE nom = 'France Services Les Ollières Sur Eyrieux'")
C=$(sqlite3 "$QFQ_DB" "SELECT min(id) FROM structures WHERE nom = 'Mairie de Saint Sauveur de Montagut'")
AN=$(sqlite3 "$QFQ_DB" "SELECT nom FROM structures WHERE id = $A")
check "the demo has the three structures" test -n "$A" -a -n "$B" -a -n "$C"

run "$QFQ" orient --theme démarches
is "no --to exits 2" "$status" 2
run "$QFQ" orient --to "$B"
is "no --theme exits 2" "$status" 2
run "$QFQ" orient --to "$B" --theme zzqqxx
is "an unknown theme exits 2" "$status" 2
run "$QFQ" orient --to 999999 --theme démarches
is "an unknown structure exits 2" "$status" 2
run "$QFQ" orient --to "$B" --theme démarches --channel pigeon
is "an unknown channel exits 2" "$status" 2
run "$QFQ" orient --to "$B" --theme démarches --date 2026-02-30
is "an impossible date exits 2" "$status" 2
is "nothing recorded by refused usage" "$(count)" 0

# personal data in the note: refused with the reason, nothing written
for note in "jean.dupont@mail.fr" "rappeler au 06 12 34 56 78" "tel +33 6 12 34 56 78" \
	"NIR 1 85 05 78 006 084 36" "née le 12/03/1958" "habite 12 rue des Lilas" "Mme Durand attend"; do
	run "$QFQ" orient --to "$B" --theme démarches --from "$A" --note "$note"
	is "note \"$note\" is refused (exit 3)" "$status" 3
	has "the refusal says a referral never holds who was referred" "$TMP/err" "never holds who was referred"
done
run "$QFQ" orient --to "$B" --theme démarches --from "$A" --note "jean.dupont@mail.fr"
has "an e-mail is named as such" "$TMP/err" "e-mail address"
run "$QFQ" orient --to "$B" --theme démarches --from "$A" --note "06 12 34 56 78"
has "a phone number is named as such" "$TMP/err" "phone number"
is "nothing recorded after the refusals" "$(count)" 0
is "no history row either" "$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM referral_history")" 0

# recording; --from defaults to the configured structure
run "$QFQ" config set structure "$A"
is "config set structure exits 0" "$status" 0
run "$QFQ" orient --to "$B" --theme démarches --channel téléphone --note "besoin d'aide pour la CAF, 2 enfants" --date 2026-03-02
is "orient exits 0" "$status" 0
R1=$(cat "$TMP/out")
is "orient prints the new number" "$R1" 1
is "the origin is the configured structure" "$(sqlite3 "$QFQ_DB" "SELECT from_structure_id FROM referrals WHERE id = $R1")" "$A"
is "the channel is stored as its code" "$(sqlite3 "$QFQ_DB" "SELECT channel || ' ' || status || ' ' || date FROM referrals WHERE id = $R1")" "telephone proposee 2026-03-02"
is "the destination's commune is kept for the observatory" \
	"$(sqlite3 "$QFQ_DB" "SELECT to_commune FROM referrals WHERE id = $R1")" "$(sqlite3 "$QFQ_DB" "SELECT code_insee FROM structures WHERE id = $B")"
run "$QFQ" orient --to "$A" --theme démarches
is "a referral to one's own structure exits 2" "$status" 2
cp "$XDG_CONFIG_HOME/qfq/config" "$TMP/config.saved"
printf 'structure = 999999\n' >"$XDG_CONFIG_HOME/qfq/config"
run "$QFQ" orient --to "$B" --theme démarches
is "a configured structure that no longer exists: exit 2" "$status" 2
has "and says so" "$TMP/err" "no longer exists"
cp "$TMP/config.saved" "$XDG_CONFIG_HOME/qfq/config"

# follow-up
run "$QFQ" orientation "$R1" statut "prise en charge" --date 2026-03-01
is "a status dated before the referral is refused (exit 3)" "$status" 3
run "$QFQ" orientation "$R1" statut "prise en charge" --date 2026-03-03 --note "rdv pris"
is "prise en charge exits 0" "$status" 0
run "$QFQ" orientation "$R1" statut "rappel 06 12 34 56 78"
is "a bad status value exits 2" "$status" 2
run "$QFQ" orientation "$R1" statut réalisée --note "appeler le 06 12 34 56 78"
is "a status note with a phone number is refused" "$status" 3
is "the refused change left the status" "$(sqlite3 "$QFQ_DB" "SELECT status FROM referrals WHERE id = $R1")" prise_en_charge
run "$QFQ" orientation "$R1" statut proposée
is "going back to proposée is refused" "$status" 3
run "$QFQ" orientation "$R1" statut Réalisée --date 2026-03-09
is "réalisée exits 0" "$status" 0
run "$QFQ" orientation "$R1" statut refusée
is "a final status is final" "$status" 3
is "each change is in the history, dated" \
	"$(sqlite3 "$QFQ_DB" "SELECT group_concat(at || ':' || status, ' ') FROM referral_history WHERE referral_id = $R1")" \
	"2026-03-02:proposee 2026-03-03:prise_en_charge 2026-03-09:realisee"
is "with who made it" "$(sqlite3 "$QFQ_DB" "SELECT count(*) FROM referral_history WHERE referral_id = $R1 AND by_structure_id = $A")" 3
run "$QFQ" orientation 999
is "an unknown referral exits 1" "$status" 1

# the chain A -> B -> C
run "$QFQ" orient --suite "$R1" --to "$C" --urgent --date 2026-03-10
is "continuing exits 0" "$status" 0
R2=$(cat "$TMP/out")
is "the continuation starts at the previous destination" \
	"$(sqlite3 "$QFQ_DB" "SELECT from_structure_id || ' ' || parent_id || ' ' || theme_id FROM referrals WHERE id = $R2")" \
	"$B $R1 $(sqlite3 "$QFQ_DB" "SELECT theme_id FROM referrals WHERE id = $R1")"
run "$QFQ" orientation "$R2"
is "orientation ID exits 0" "$status" 0
has "the card shows the chain" "$TMP/out" "Parcours"
has "the chain has the first step" "$TMP/out" "$AN → France Services Les Ollières Sur Eyrieux"
has "and the second" "$TMP/out" "France Services Les Ollières Sur Eyrieux → Mairie de Saint Sauveur de Montagut"
run "$QFQ" orientation "$R1"
has "the history is shown, with who and the note" "$TMP/out" "prise en charge — $AN — rdv pris"

# listing
run "$QFQ" orientations --format tsv
is "orientations exits 0" "$status" 0
is "two rows and a header" "$(wc -l <"$TMP/out")" 3
is "newest first" "$(sed -n 2p "$TMP/out" | cut -f1)" "$R2"
run "$QFQ" orientations --status réalisée --format tsv
is "--status filters" "$(tail -n +2 "$TMP/out" | cut -f1)" "$R1"
run "$QFQ" orientations --to "$C" --format csv
is "--to filters" "$(tail -n +2 "$TMP/out" | cut -d, -f1)" "$R2"
run "$QFQ" orientations --since 2026-03-05 --format tsv
is "--since filters" "$(tail -n +2 "$TMP/out" | cut -f1)" "$R2"
run "$QFQ" orientations --until 2026-03-05 --format tsv
is "--until filters" "$(tail -n +2 "$TMP/out" | cut -f1)" "$R1"
run "$QFQ" orientations --theme smartphone
is "nothing for another theme exits 1" "$status" 1
run "$QFQ" orientations --format json
check "the JSON parses" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d[0]["suite_de"] == int(sys.argv[2]) and d[0]["urgent"] is True' "$TMP/out" "$R1"
hasnt "no escape byte reaches the table" "$TMP/out" $'\e'

# a note with terminal escapes is stored as typed but shown sanitized
run "$QFQ" orient --to "$C" --theme démarches --note $'voir \e[31mrouge'
R3=$(cat "$TMP/out")
run "$QFQ" orientation "$R3"
hasnt "the card shows no escape byte" "$TMP/out" $'\e'
check "the database is 0600" test "$(stat -c %a "$QFQ_DB")" = 600

done_testing
