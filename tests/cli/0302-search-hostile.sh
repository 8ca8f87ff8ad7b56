#!/bin/bash
# 0302: hostile input to qfq search: quotes, LIKE and FTS5 syntax, huge
# arguments, invalid UTF-8, control characters. Every case ends with exit
# 0, 1 or 2, never a crash, and never lets an SQLite or FTS5 message out.
. "$(dirname "$0")/lib.sh"
init_db
sqlite3 "$QFQ_DB" "INSERT INTO structures(id, nom, nom_norm, code_insee) VALUES
 (1, 'Mairie de Privas', 'mairie privas', '07186'),
 (2, 'L''\"Atelier\" 100% numérique', 'atelier 100 numerique', '07186');
 INSERT INTO structure_themes VALUES (1, (SELECT id FROM themes WHERE slug = 'demarches-caf'));" ||
	{ echo "Bail out! fixture"; exit 1; }
"$QFQ" reindex || { echo "Bail out! reindex"; exit 1; }

big=$(head -c 100000 /dev/zero | tr '\0' 'a')
bigwords=$(for i in $(seq 1 9000); do printf 'mot%d ' "$i"; done)
bad=$(printf 'caf\xff\xfeprivas')
ctrl=$(printf 'caf\033[2J\001')
cases=(
	"'" '"' '""' "''" '%' '%%' '_' '\' '*' '"*' 'a*' '*a' '^' '-' '+' ':' '(' ')' '()'
	'NEAR(' 'NEAR(a b)' 'a NEAR b' 'a OR b' 'a AND b' 'NOT a' 'a NOT b' '{nom}: a' 'nom:a' 'texte:' '- nom:x'
	'"unterminated' 'a"b' "o'brien" "l'atelier" '100%' '100% numérique' 'x%y_z' '\%' "';DROP TABLE structures;--"
	'" OR 1=1 --' '%" OR "1"="1' 'mairie*' 'MATCH' 'rank' 'bm25(' '$1' '?1' ':x' '@x' '#'
	"$big" "$bigwords" "$bad" "$ctrl" ' ' '	' '' 'é' 'Ⅻ' '𝔉𝔯𝔞𝔫𝔠𝔢' '中文' 'st' 'de la du'
)
for c in "${cases[@]}"; do
	for how in text theme commune persons epci open type public; do
		case $how in
		text) run "$QFQ" search --format tsv -- "$c" ;;
		theme) run "$QFQ" search --format tsv --theme "$c" ;;
		commune) run "$QFQ" search --format tsv --commune "$c" ;;
		persons) run "$QFQ" search --format tsv --persons -- "$c" ;;
		epci) run "$QFQ" search --format tsv --epci "$c" ;;
		open) run "$QFQ" search --format tsv --open-at "$c" ;;
		type) run "$QFQ" search --format tsv --type "$c" --public "$c" ;;
		public) run "$QFQ" search --format json --commune Privas -- "$c" ;;
		esac
		ok=1
		case $status in 0|1|2) ;; *) ok=0 ;; esac
		grep -qiE 'sql|fts5|syntax error|malformed' "$TMP/err" && ok=0
		if [ $ok = 1 ]; then
			tap_n=$((tap_n + 1)); echo "ok $tap_n - $how $(printf '%.20q' "$c") exits $status"
		else
			_result 0 "$how $(printf '%.40q' "$c"): status $status"
			head -c 300 "$TMP/err" | sed 's/^/#   /'
		fi
	done
done

run "$QFQ" search --format tsv '100%'
is "100% is plain text and finds the place" "$(cut -f1 "$TMP/out" | tail -n +2)" "2"
run "$QFQ" search --format tsv '"atelier"'
is "quotes are plain text" "$(cut -f1 "$TMP/out" | tail -n +2)" "2"
run "$QFQ" search --format tsv "$bad"
is "invalid UTF-8 is refused with exit 2" "$status" 2
has "invalid UTF-8 is named" "$TMP/err" "invalid UTF-8"
run "$QFQ" search --format tsv "$big"
is "a 100 KB argument is refused with exit 2" "$status" 2
has "a 100 KB argument is named" "$TMP/err" "too long"
run "$QFQ" search "$ctrl"
hasnt "no escape sequence reaches the terminal" "$TMP/err" "$(printf '\033')"

done_testing
