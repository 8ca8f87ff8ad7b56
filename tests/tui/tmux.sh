# tmux.sh: helpers for the TUI tests (sourced after tests/cli/lib.sh).
#
# Each tests/tui/NNNN-name.sh drives the real binary in a tmux server on a
# private socket, at a fixed size, TERM and locale, sends keys and polls
# the captured screen until the expected text appears (never a bare sleep).
#
#   tui_start [-x COLS] [-y ROWS] [-t TERM] [ARGS...]
#                         starts `qfq ARGS` (default: tui) in a new pane; when it
#                         exits the pane prints "qfq exited N"
#   keys KEY...           tmux send-keys (named keys: Enter, Escape, Tab, Down, F2...)
#   type TEXT             sends TEXT literally
#   wait_for TEXT [SECS]  polls the screen until TEXT appears (default 5 s); 0/1
#   wait_gone TEXT [SECS] polls until TEXT is no longer on the screen
#   screen_has DESC TEXT  a check: TEXT appears on the screen
#   screen_hasnt DESC TEXT a check: TEXT is not on the screen (after a short settle)
#   screen                the current screen ($TMP/screen)
#   tui_quit_ok DESC [-k] KEY...  sends KEY..., checks the program exited 0 and the
#                         terminal came back (no TUI left on the screen; -k: the
#                         terminal has no alternate screen, the picture may stay)
# One private server per tui_start (a fresh socket, so a server still
# shutting down never meets the next one); all are killed on exit.
tmux_n=0
TMUX_SOCK="qfqtest-$$-0"
tmux_kill_all() {
	local i
	for i in $(seq 0 "$tmux_n"); do tmux -L "qfqtest-$$-$i" kill-server >/dev/null 2>&1; done
}
trap 'tmux_kill_all; rm -rf "$TMP"' EXIT
# The screens are checked in the desk's language, French (0009-english.sh
# checks the English ones under C.UTF-8 with TUI_LOCALE).
TUI_LOCALE=${TUI_LOCALE:-fr_FR.UTF-8}
if ! locale -a 2>/dev/null | grep -qi "^$(echo "$TUI_LOCALE" | sed 's/UTF-8/utf-\\?8/I')\$"; then
	echo "1..0 # SKIP no $TUI_LOCALE locale"
	exit 0
fi
export LC_ALL=$TUI_LOCALE LANGUAGE=
unset TMUX

command -v tmux >/dev/null || { echo "1..0 # SKIP tmux is not installed"; exit 0; }

tmx() { tmux -L "$TMUX_SOCK" "$@"; }

tui_start() {
	local cols=80 rows=24 term=xterm-256color
	while [ $# -gt 0 ]; do
		case $1 in
		-x) cols=$2; shift 2 ;;
		-y) rows=$2; shift 2 ;;
		-t) term=$2; shift 2 ;;
		*) break ;;
		esac
	done
	[ $# -eq 0 ] && set -- tui
	tmx kill-server >/dev/null 2>&1
	tmux_n=$((tmux_n + 1))
	TMUX_SOCK="qfqtest-$$-$tmux_n"
	local q args="" nc="-u NO_COLOR"
	[ -n "${NO_COLOR:-}" ] && nc="NO_COLOR=1"
	for q in "$@"; do args="$args '$q'"; done
	# The pane runs a shell line: after qfq it says how it exited and waits.
	tmx -f /dev/null new-session -d -s t -x "$cols" -y "$rows" \
		"env $nc TERM=$term LC_ALL=$TUI_LOCALE LANGUAGE= QFQ_DB='$QFQ_DB' HOME='$HOME' XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
		 ${QFQ_NOW:+QFQ_NOW='$QFQ_NOW'} '$QFQ' $args; echo \"qfq exited \$?\"; sleep 600"
	tmx set-option -t t status off >/dev/null
	tmx resize-window -t t -x "$cols" -y "$rows" >/dev/null 2>&1
}

screen() {
	tmx capture-pane -p -t t >"$TMP/screen" 2>/dev/null
	cat "$TMP/screen"
}

keys() { tmx send-keys -t t "$@"; }
type() { tmx send-keys -t t -l -- "$1"; }

wait_for() {
	local text=$1 secs=${2:-5} i=0 n
	n=$((secs * 20))
	while [ $i -lt $n ]; do
		tmx capture-pane -p -t t >"$TMP/screen" 2>/dev/null
		grep -qF -- "$text" "$TMP/screen" && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

wait_gone() {
	local text=$1 secs=${2:-5} i=0 n
	n=$((secs * 20))
	while [ $i -lt $n ]; do
		tmx capture-pane -p -t t >"$TMP/screen" 2>/dev/null
		grep -qF -- "$text" "$TMP/screen" || return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

_show_screen() {
	sed 's/^/#   | /' "$TMP/screen"
}

screen_has() {
	if wait_for "$2" "${3:-5}"; then
		_result 1 "$1"
	else
		_result 0 "$1"
		printf '#   "%s" not on the screen:\n' "$2"
		_show_screen
	fi
}

screen_hasnt() {
	if wait_gone "$2" "${3:-2}"; then
		_result 1 "$1"
	else
		_result 0 "$1"
		printf '#   "%s" still on the screen:\n' "$2"
		_show_screen
	fi
}

tui_quit_ok() {
	local desc=$1 keep=
	shift
	# -k: a terminal without an alternate screen (vt100) keeps the last
	# picture after exit; only the status and the shell's return count.
	[ "$1" = -k ] && { keep=1; shift; }
	keys "$@"
	if wait_for "qfq exited" 5 && grep -qF "qfq exited 0" "$TMP/screen" &&
		{ [ -n "$keep" ] || ! grep -qF "Recherche :" "$TMP/screen"; }; then
		_result 1 "$desc"
	else
		_result 0 "$desc"
		_show_screen
	fi
}

# The fixture directory (tests/tui/fixture.sql) at a fixed time.
tui_db() {
	init_db
	sqlite3 "$QFQ_DB" <"$QFQ_SRCDIR/tests/tui/fixture.sql" || { echo "Bail out! fixture"; exit 1; }
	"$QFQ" reindex >/dev/null 2>&1 || { echo "Bail out! qfq reindex failed"; exit 1; }
	export QFQ_NOW="2024-07-09T10:00"
}
