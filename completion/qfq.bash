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
	--limit|-n|--epci|--departement|-d|--public|--type) return ;;
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
	export) COMPREPLY=($(compgen -W "lieux" -- "$cur")) ;;
	import|config) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
	orientation) [ "$cword" -ge 3 ] && [[ ${words[cword - 1]} =~ ^[0-9]+$ ]] && COMPREPLY=($(compgen -W "statut" -- "$cur")) ;;
	esac
}
complete -F _qfq qfq
