#!/bin/bash
# 0010: one language at a time. Under a French locale everything a person
# reads is French (elision "d'Annonay", decimal comma in every mode, report
# headers, states); under C.UTF-8 everything is English, the full-screen and
# line modes included; data (tsv, csv, json) is the same bytes in both.
. "$(dirname "$0")/lib.sh"

if ! locale -a 2>/dev/null | grep -qi '^fr_FR\.utf-\?8$'; then
	echo "1..1"
	echo "ok 1 # SKIP no fr_FR.UTF-8 locale"
	exit 0
fi
WITH_LIEUX=1 demo_db
# as a user: no LANGUAGE (the suite sets LANGUAGE=C for the sources' wording)
fr() { LANGUAGE= LC_ALL=fr_FR.UTF-8 "$@"; }
en() { LANGUAGE= LC_ALL=C.UTF-8 "$@"; }

# Every message of the sources has a text in each language: the French ones
# (the interface's desk wording) are translated in po/en.po, the English
# ones in po/fr.po; only names that read the same in both need neither.
python3 - "$QFQ_SRCDIR/po" >"$TMP/untranslated" <<'P'
import re, sys, ast
def entries(path):
    out = {}
    for b in open(path, encoding='utf-8').read().split('\n\n'):
        if b.startswith('#~'):
            continue
        cur, k, d = None, None, {}
        for l in b.split('\n'):
            m = re.match(r'(msgid|msgid_plural|msgstr(?:\[0\])?)\s+"(.*)"$', l)
            if m:
                cur = m.group(1); d[cur] = ast.literal_eval('"' + m.group(2) + '"')
            elif l.startswith('"') and cur:
                d[cur] += ast.literal_eval(l)
        if d.get('msgid'):
            out[d['msgid']] = (d.get('msgstr') or d.get('msgstr[0]') or '', '#, fuzzy' in b)
    return out
fr, en = entries(sys.argv[1] + '/fr.po'), entries(sys.argv[1] + '/en.po')
# the same text in both languages: nothing to translate
neutral = re.compile(r'^[\W\d_]*(INSEE|EPCI|ID|A|B|SIRET / RNA|Latitude|Longitude|Population|Commune|Communes|'
                     r'Km|Services|Publics|Source|Structure|Structures|Distance|Type|Labels|Site|reindex|'
                     r'absent|structure|structures|EPCI %s|département %s|Départements|Commune : |[%a-z. ]*)?[\W\d_]*$')
def ok(cat, mid):
    s, fuzzy = cat.get(mid, ('', True))
    return bool(s) and not fuzzy
for mid in fr:
    if not neutral.match(mid) and not ok(fr, mid) and not ok(en, mid):
        print('neither French nor English for: %r' % mid)
P
is "every message has a text in both languages" "$(cat "$TMP/untranslated")" ""

# French: elision, decimal comma, French words.
run fr "$QFQ" search --theme smartphone --commune Annonay --radius 30
has "fr: elision in the reason" "$TMP/out" "km d'Annonay"
hasnt "fr: no \"de Annonay\"" "$TMP/out" "de Annonay"
has "fr: decimal comma in the table" "$TMP/out" "2,2"
has "fr: French header" "$TMP/out" "Motif"
printf 'smartphone annonay\n:q\n' | fr "$QFQ" --plain tui >"$TMP/plain.fr" 2>&1
has "fr --plain: decimal comma" "$TMP/plain.fr" "à 2,2 km"
hasnt "fr --plain: no decimal point" "$TMP/plain.fr" "2.2 km"
has "fr --plain: elision" "$TMP/plain.fr" "autour d'Annonay"
run fr "$QFQ" commune "Le Cheylard"
run fr "$QFQ" search --theme smartphone --commune "Le Cheylard" --radius 40
has "fr: de + le = du" "$TMP/out" "km du Cheylard"
run fr "$QFQ" merge --list
has "fr: merge states in French" "$TMP/out" "ouverte"
hasnt "fr: no English state" "$TMP/out" " open"
run env LANGUAGE= QFQ_DB="$TMP/frinit.db" LC_ALL=fr_FR.UTF-8 "$QFQ" init
has "fr: init report headers in French" "$TMP/out" "Lignes"
hasnt "fr: no English report header" "$TMP/out" "rows"
run fr "$QFQ" commune Privas
has "fr: commune table with a decimal comma" "$TMP/out" "44,72136"
run fr "$QFQ" search --open-at 2024-02-30T10:00 --theme smartphone
has "fr: a bad date said in French" "$TMP/err" "n'existe pas"
run fr "$QFQ" search --thme x
has "fr: the nearest option in French" "$TMP/err" "vouliez-vous dire « --theme »"

# English: the same, in English.
run en "$QFQ" search --theme smartphone --commune Annonay --radius 30
has "en: reason in English" "$TMP/out" "2.2 km from Annonay"
has "en: English header" "$TMP/out" "Reason"
hasnt "en: no French header" "$TMP/out" "Motif"
has "en: English on stderr" "$TMP/err" "understood: theme « Prendre en main un smartphone"
hasnt "en: no French on stderr" "$TMP/err" "compris"
printf 'smartphone annonay\n:q\n' | en "$QFQ" --plain tui >"$TMP/plain.en" 2>&1
has "en --plain: English" "$TMP/plain.en" "Understood: theme"
has "en --plain: decimal point" "$TMP/plain.en" "2.2 km"
hasnt "en --plain: no French" "$TMP/plain.en" "Tapez"
run en "$QFQ" merge --list
has "en: merge header in English" "$TMP/out" "Why"
run en "$QFQ" persons
has "en: persons header in English" "$TMP/out" "First name"
# days, months and states of the hours: in the reader's language
sid=$(sqlite3 "$QFQ_DB" "SELECT id FROM structures WHERE horaires = 'Mo-Fr 09:00-12:00,14:00-17:00' LIMIT 1")
[ -n "$sid" ] || sid=$(sqlite3 "$QFQ_DB" "SELECT id FROM structures WHERE horaires LIKE 'Mo-Fr%' LIMIT 1")
"$QFQ" edit structure "$sid" fermeture=2027-12-20..2028-01-02 >/dev/null
QFQ_NOW=2027-12-21T10:00 en "$QFQ" show "$sid" >"$TMP/card.en" 2>&1
has "en: a closure's end date in English" "$TMP/card.en" "until 2 January 2028"
has "en: the next opening's day in English" "$TMP/card.en" "opens Monday 3 January"
hasnt "en: no French month" "$TMP/card.en" "janvier"
QFQ_NOW=2027-12-21T10:00 fr "$QFQ" show "$sid" >"$TMP/card.fr" 2>&1
has "fr: the same in French" "$TMP/card.fr" "jusqu'au 2 janvier 2028, ouvre lundi 3 janvier"
run en "$QFQ" search --theme smartphone --open-now --unknown-hours
has "en: the open filter read back in English" "$TMP/err" "open now"
hasnt "en: no French state on stderr" "$TMP/err" "maintenant"

# Data: the same bytes in both languages, the reason included (French wording).
for f in tsv csv json; do
	fr "$QFQ" search --theme smartphone --commune Annonay --radius 30 --format $f >"$TMP/d.fr.$f" 2>/dev/null
	en "$QFQ" search --theme smartphone --commune Annonay --radius 30 --format $f >"$TMP/d.en.$f" 2>/dev/null
	check "data $f: the same bytes in French and English" cmp -s "$TMP/d.fr.$f" "$TMP/d.en.$f"
	has "data $f: the reason in the data's vocabulary" "$TMP/d.en.$f" "d'Annonay"
done
has "data json: numbers with a decimal point" "$TMP/d.fr.json" '"distance_km": 2.2'

done_testing
