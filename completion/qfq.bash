# bash completion for qfq: commands, options, theme and commune names.
#
# Installed as share/bash-completion/completions/qfq; or source it from
# ~/.bashrc. Names come from the database through the hidden helper
# `qfq complete commands|themes|communes PREFIX` (one name per line), so
# they follow what is loaded (and --db / $QFQ_DB).

_qfq_names() { # what prefix: fills COMPREPLY with names, spaces kept
	local IFS=$'\n' line
	local -a names
	mapfile -t names < <("${_qfq_cmd[@]}" complete "$1" "$2" 2>/dev/null)
	COMPREPLY=()
	for line in "${names[@]}"; do
		COMPREPLY+=("$(printf '%q' "$line")")
	done
}

_qfq() {
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion -n : || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	# the program and its global options, kept for the helper calls
	local i cmd="" ; _qfq_cmd=("${words[0]}")
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--db) _qfq_cmd+=(--db "${words[i + 1]}"); ((i++)) ;;
		--db=*) _qfq_cmd+=("${words[i]}") ;;
		--plain) ;;
		-*) ;;
		*) cmd=${words[i]}; break ;;
		esac
	done

	# the value being typed, unquoted, for prefix matching
	local val=$cur
	val=${val#\"}; val=${val#\'}; val=${val//\\/}

	if [ -z "$cmd" ]; then
		case $prev in
		--db) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--db --plain --raw-cells --help --version" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$("${_qfq_cmd[@]}" complete commands 2>/dev/null)" -- "$cur"))
		fi
		return
	fi

	case $prev in
	--theme|-t) _qfq_names themes "$val"; return ;;
	--commune|-c) _qfq_names communes "$val"; return ;;
	--format|-f)
		case $cmd in
		slip) COMPREPLY=($(compgen -W "txt html" -- "$cur")) ;;
		export) COMPREPLY=($(compgen -W "csv json" -- "$cur")) ;;
		catalogue) COMPREPLY=($(compgen -W "txt html csv" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -W "table tsv csv json" -- "$cur")) ;;
		esac
		return ;;
	--output) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--channel) COMPREPLY=($(compgen -W "physique téléphone courriel visio" -- "$cur")); return ;;
	--status|--statut|statut) COMPREPLY=($(compgen -W "proposee prise_en_charge realisee sans_solution refusee" -- "$cur")); return ;;
	--to|--from|--by|--note|--date|--since|--until|--suite|--top) return ;;
	--open-at) COMPREPLY=($(compgen -W "now lundi mardi mercredi jeudi vendredi samedi dimanche" -- "$cur")); return ;;
	--radius|-r) COMPREPLY=($(compgen -W "5 10 15 20 30 50" -- "$cur")); return ;;
	--acces) COMPREPLY=($(compgen -W "se-présenter téléphoner mail courrier prescription" -- "$cur")); return ;;
	--prise-en-charge) COMPREPLY=($(compgen -W "surdité handicap déficience-visuelle illettrisme langues-étrangères" -- "$cur")); return ;;
	--limit|-n|--epci|--departement|-d|--public|--type|--copy-name|--since|--swap) return ;;
	--from|--output|-o) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac

	if [[ $cur == -* ]]; then
		# the options a command documents in `qfq help CMD`
		local opts
		opts=$("${_qfq_cmd[@]}" help "$cmd" 2>/dev/null | grep -oE -- '--[a-z][a-z-]+' | sort -u)
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	case $cmd in
	help) COMPREPLY=($(compgen -W "$("${_qfq_cmd[@]}" complete commands 2>/dev/null)" -- "$cur")) ;;
	commune) _qfq_names communes "$val" ;;
	export) ((cword == i + 1)) && COMPREPLY=($(compgen -W "lieux person" -- "$cur")) ;;
	import|backup|restore) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
	config)
		# set|get|unset|list, the key, then the shared folder or oui|non
		if ((cword == i + 1)); then
			COMPREPLY=($(compgen -W "set get unset list" -- "$cur"))
		elif ((cword == i + 2)); then
			COMPREPLY=($(compgen -W "commune partage partage_au_demarrage rayon structure" -- "$cur"))
		elif [ "${words[i + 1]}" = set ] && [ "$prev" = partage ]; then
			compopt -o dirnames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur"))
		elif [ "${words[i + 1]}" = set ] && [ "$prev" = partage_au_demarrage ]; then
			COMPREPLY=($(compgen -W "oui non" -- "$cur"))
		fi ;;
	add|edit|rm|log|forget)
		# structure|person, then for edit the fields (FIELD=, FIELD+=, FIELD-=)
		if ((cword == i + 1)); then
			COMPREPLY=($(compgen -W "structure person" -- "$cur"))
		elif [ "$cmd" = edit ] && ((cword >= i + 3)); then
			local fields="nom commune adresse complement_adresse code_postal coordonnees telephone courriels
				site_web horaires prise_rdv sans_rdv fermeture typologie services territoires permanences
				accessibilite frais modalites_acces modalites_accompagnement publics prise_en_charge itinerance
				dispositifs formations_labels autres_formations_labels presentation_resume presentation_detail
				pivot parent date_maj"
			[ "${words[i + 1]}" = person ] && fields="nom prenom courriels telephones structures role competences"
			compopt -o nospace 2>/dev/null
			COMPREPLY=($(compgen -S = -W "$fields" -- "$cur"))
		fi ;;
	share)
		# the subcommand, then files (export -o, apply, snapshot) or the shared folder (sync)
		if ((cword == i + 1)); then
			COMPREPLY=($(compgen -W "export apply sync conflicts snapshot" -- "$cur"))
		elif [ "${words[i + 1]}" = sync ]; then
			compopt -o dirnames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur"))
		elif [ "${words[i + 1]}" != conflicts ]; then
			compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	check) [ "$prev" = --sheets ] && { compopt -o dirnames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); } ;;
	orientation) [ "$cword" -ge 3 ] && [[ ${words[cword - 1]} =~ ^[0-9]+$ ]] && COMPREPLY=($(compgen -W "statut" -- "$cur")) ;;
	esac
}
complete -F _qfq qfq
