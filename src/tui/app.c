/*
 * app: the main loop of the full-screen interface — terminal set-up and
 * restoration on every exit path, the views reachable in one key (each
 * with its own stack of views opened over it, so every view keeps its
 * place), the top bar and the status line, key dispatch, resizing, and the
 * headless keystroke benchmark (--bench-keys).
 */
#include "core/communes.h"
#include "core/config.h"
#include "core/paths.h"
#include "core/search.h"
#include "db/db.h"
#include "tui/draw.h"
#include "tui/tui.h"
#include "util/error.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <curses.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NTOPS TUI_NTOPS

/* ------------------------------------------------------------------ */
/* The terminal: started once, restored by atexit and signal handlers. */

static volatile sig_atomic_t curses_on;

static void restore_terminal(void)
{
	if (curses_on && !isendwin()) {
		curs_set(1);
		endwin();
	}
	curses_on = 0;
}

/* SIGINT, SIGTERM, SIGHUP (and the crashes: SIGSEGV, SIGBUS, SIGFPE,
 * SIGABRT, SIGQUIT): put the terminal back, then die of the signal (so the
 * parent sees how we ended). endwin() is what tig and htop call here too:
 * the terminal state matters more than strict signal safety. */
static void on_fatal_signal(int sig)
{
	restore_terminal();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	static bool done;
	struct sigaction sa;
	if (done)
		return;
	done = true;
	atexit(restore_terminal);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fatal_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
}

static bool want_color(void)
{
	const char *nc = getenv("NO_COLOR");
	/* COLORS is only known after start_color(): has_colors() is what tells. */
	return !(nc && *nc) && has_colors();
}

static void start_curses(struct tui *t)
{
	raw();            /* Ctrl-C comes as a key: quit cleanly */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	/* Home and End as tmux, screen and the Linux console send them, whatever
	 * TERM says (xterm's terminfo only knows \eOH / \e[H). */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[8~", KEY_END);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
		  BUTTON5_PRESSED, NULL);
	mouseinterval(150);
	t->color = want_color();
	draw_init_styles(t);
	curses_on = 1;
}

/* ------------------------------------------------------------------ */
/* Views and stacks                                                    */

static void set_area(struct tui *t, struct view *v)
{
	v->y = 1;
	v->x = 0;
	v->h = t->lines - 1 - t->status_h > 0 ? t->lines - 1 - t->status_h : 0;
	v->w = t->cols;
}

struct view *tui_view_new(struct tui *t, const struct view_ops *ops, void *data)
{
	struct view *v = xcalloc(1, sizeof(*v));
	v->ops = ops;
	v->data = data;
	set_area(t, v);
	if (ops->open && ops->open(t, v)) {
		tui_message(t, "%s", qfq_error_msg());
		if (ops->close)
			ops->close(t, v);
		free(v);
		return NULL;
	}
	if (ops->resize)
		ops->resize(t, v);
	return v;
}

static void view_free(struct tui *t, struct view *v)
{
	if (!v)
		return;
	if (v->ops->close)
		v->ops->close(t, v);
	free(v);
}

void tui_push(struct tui *t, struct view *v)
{
	int c = t->current;
	if (!v)
		return;
	if (t->nstacks[c] == (int)(sizeof(t->stacks[c]) / sizeof(t->stacks[c][0]))) {
		view_free(t, v);
		tui_message(t, _("trop de vues ouvertes : revenez en arrière (Échap)"));
		return;
	}
	t->stacks[c][t->nstacks[c]++] = v;
}

static struct view *current_view(struct tui *t)
{
	int c = t->current;
	return t->nstacks[c] ? t->stacks[c][t->nstacks[c] - 1] : t->tops[c];
}

struct view *tui_below(struct tui *t)
{
	int c = t->current;
	if (t->nstacks[c] >= 2)
		return t->stacks[c][t->nstacks[c] - 2];
	return t->nstacks[c] == 1 ? t->tops[c] : NULL;
}

static void pop(struct tui *t)
{
	int c = t->current;
	if (t->nstacks[c])
		view_free(t, t->stacks[c][--t->nstacks[c]]);
}

void tui_message(struct tui *t, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	free(t->message);
	t->message = strbuf_detach(&sb, NULL);
}

/* The constructors named in keys.h's TUI_TOP_VIEWS. */
static struct view *top_structures(struct tui *t) { return view_results_new(t, false, NULL, NULL); }
static struct view *top_persons(struct tui *t) { return view_results_new(t, true, NULL, NULL); }
static struct view *top_themes(struct tui *t) { return view_themes_new(t, false); }
static struct view *top_territories(struct tui *t) { return tui_view_new(t, &view_territories_ops, NULL); }
static struct view *top_meetings(struct tui *t) { return tui_view_new(t, &view_meetings_ops, NULL); }

/* Creates top-level view i the first time it is shown. */
static struct view *make_top(struct tui *t, int i)
{
	static struct view *(*const make[NTOPS])(struct tui *) = {
#define TOP_MAKE(x, name, title, help, fkey, digit, ctor) [TOP_##name] = ctor,
		TUI_TOP_VIEWS(TOP_MAKE, _)
#undef TOP_MAKE
	};
	return i >= 0 && i < NTOPS ? make[i](t) : NULL;
}

/* The top view an action shows, or -1. */
static int top_of_action(enum tui_action a)
{
	switch (a) {
#define TOP_CASE(x, name, title, help, fkey, digit, ctor) case ACT_##name: return TOP_##name;
		TUI_TOP_VIEWS(TOP_CASE, _)
#undef TOP_CASE
	default: return -1;
	}
}

static void show_top(struct tui *t, int i)
{
	if (!t->tops[i])
		t->tops[i] = make_top(t, i);
	if (t->tops[i])
		t->current = i;
}

static void each_view(struct tui *t, void (*fn)(struct tui *, struct view *))
{
	int i, j;
	for (i = 0; i < NTOPS; i++) {
		if (t->tops[i])
			fn(t, t->tops[i]);
		for (j = 0; j < t->nstacks[i]; j++)
			fn(t, t->stacks[i][j]);
	}
}

static void resize_view(struct tui *t, struct view *v)
{
	set_area(t, v);
	if (v->ops->resize)
		v->ops->resize(t, v);
}

static void layout(struct tui *t)
{
	getmaxyx(stdscr, t->lines, t->cols);
	t->too_small = t->lines < TUI_MIN_LINES || t->cols < TUI_MIN_COLS;
	each_view(t, resize_view);
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */

static const char *const top_titles[NTOPS] = {
#define TOP_TITLE(x, name, title, help, fkey, digit, ctor) [TOP_##name] = title,
	TUI_TOP_VIEWS(TOP_TITLE, _)
#undef TOP_TITLE
};

static void draw_top_bar(struct tui *t, struct view *v)
{
	struct strbuf sb = STRBUF_INIT;
	int x = 0, i, n;
	attr_t bar = draw_attr(t, ST_BAR);

	draw_blank(0, 0, t->cols, bar);
	x += draw_text(0, x, t->cols - x, " qfq ", bar | A_BOLD, false);
	for (i = 0; i < NTOPS && x < t->cols; i++) {
		strbuf_reset(&sb);
		/* Brackets mark the current view: never colour alone. */
		strbuf_addf(&sb, i == t->current ? "[%d %s]" : " %d %s ", i + 1, _(top_titles[i]));
		n = draw_text(0, x, t->cols - x, sb.buf, i == t->current ? draw_attr(t, ST_BAR_ON) : bar, false);
		x += n;
	}
	if (v != t->tops[t->current] && x + 4 < t->cols) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, " › %s", _(v->ops->title));
		draw_text(0, x, t->cols - x, sb.buf, bar | A_BOLD, false);
	}
	strbuf_release(&sb);
}

/*
 * The status area: where the keys go ("[recherche]", "[liste]") and the
 * keys that work there, or a message; help and quit on the right. It wraps
 * over up to three lines rather than cut a key off (at 80 columns the keys
 * of a list take two).
 */
struct status {
	struct strbuf left;  /* "[mode] hint" or "[mode] message" */
	const char *right;
	size_t mode_len;     /* bytes of "[mode]" at the start of left */
	int first_w;         /* columns for left on the first line */
};

static void status_text(struct tui *t, struct view *v, struct status *st)
{
	bool typing = v->ops->typing && v->ops->typing(t, v);
	const char *mode = v->ops->mode ? v->ops->mode(t, v) : typing ? _("recherche") : _("liste");
	const char *hint = v->ops->hint ? v->ops->hint(t, v) : NULL;

	strbuf_init(&st->left, 0);
	st->right = typing ? _("F1 aide  F10 quitter ") : _("? aide  q quitter ");
	st->first_w = t->cols - (int)draw_width(st->right) - 2;
	strbuf_addf(&st->left, "[%s]", mode);
	st->mode_len = st->left.len;
	if (t->message)
		strbuf_addf(&st->left, " %s", t->message);
	else if (hint && *hint)
		strbuf_addf(&st->left, " %s", hint);
}

static int status_lines(struct tui *t, struct view *v)
{
	struct status st;
	int n;
	status_text(t, v, &st);
	n = draw_fit_lines(st.left.buf, st.first_w, t->cols - 2);
	strbuf_release(&st.left);
	return n < 1 ? 1 : n > 3 ? 3 : n;
}

static void draw_status(struct tui *t, struct view *v)
{
	struct status st;
	attr_t bar = draw_attr(t, ST_BAR), a;
	const char *s, *rest;
	int i, y0 = t->lines - t->status_h, x;
	size_t len;

	status_text(t, v, &st);
	a = t->message ? draw_attr(t, ST_WARN) | A_REVERSE : bar;
	for (i = 0; i < t->status_h; i++)
		draw_blank(y0 + i, 0, t->cols, bar);
	draw_text(y0, t->cols - (int)draw_width(st.right), (int)draw_width(st.right), st.right, bar, false);
	for (s = st.left.buf, i = 0; *s && i < t->status_h; s = rest, i++) {
		len = draw_fit(s, i ? t->cols - 2 : st.first_w, &rest);
		x = 1;
		if (s == st.left.buf && st.mode_len && st.mode_len <= len) {
			/* the mode in bold: where the keys go is read first */
			x += draw_textn(y0, x, st.first_w, s, st.mode_len, bar | A_BOLD, false);
			draw_textn(y0, x, st.first_w - (x - 1), s + st.mode_len, len - st.mode_len, a, false);
		} else {
			draw_textn(y0 + i, x, i ? t->cols - 2 : st.first_w, s, len, a, false);
		}
	}
	strbuf_release(&st.left);
}

static void draw_all(struct tui *t)
{
	struct view *v = current_view(t);
	int sh = t->too_small ? 1 : status_lines(t, v);
	if (sh != t->status_h) {
		/* the status area grew or shrank: the views get the rest */
		t->status_h = sh;
		each_view(t, resize_view);
	}
	erase();
	t->cursor_y = t->cursor_x = -1;
	if (t->too_small) {
		char msg[128];
		snprintf(msg, sizeof(msg), _("Terminal trop petit : %d×%d au moins (q pour quitter)"),
			 TUI_MIN_COLS, TUI_MIN_LINES);
		draw_text(0, 0, t->cols, msg, A_BOLD, false);
	} else {
		draw_top_bar(t, v);
		v->ops->draw(t, v);
		draw_status(t, v);
	}
	if (t->cursor_y >= 0) {
		curs_set(1);
		move(t->cursor_y, t->cursor_x);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}

/* ------------------------------------------------------------------ */
/* Deferred work                                                       */

static bool key_waiting(void)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	return poll(&p, 1, 0) > 0;
}

/* SQLite progress handler: abandon the statement when a key is waiting. */
static int on_progress(void *arg)
{
	struct tui *t = arg;
	if (key_waiting()) {
		t->interrupted = true;
		return 1;
	}
	return 0;
}

bool tui_interrupted(const struct tui *t)
{
	return t->interrupted;
}

/* Runs the current view's idle work; interruptible by a key unless benchmarking. */
static bool run_idle(struct tui *t, bool interruptible)
{
	struct view *v = current_view(t);
	bool redraw;
	if (t->too_small || !v->ops->idle)
		return false;
	if (interruptible && key_waiting())
		return false;
	t->interrupted = false;
	if (interruptible)
		sqlite3_progress_handler(t->db, 1000, on_progress, t);
	redraw = v->ops->idle(t, v);
	sqlite3_progress_handler(t->db, 0, NULL, NULL);
	return redraw;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */

/* What an action means when the view did not take it. */
static int global_action(struct tui *t, enum tui_action a)
{
	struct view *v;
	if (top_of_action(a) >= 0) {
		show_top(t, top_of_action(a));
		return TUI_REDRAW;
	}
	switch (a) {
	case ACT_QUIT: return TUI_QUIT;
	case ACT_HELP:
		tui_push(t, tui_view_new(t, &view_help_ops, NULL));
		return TUI_REDRAW;
	case ACT_BACK:
		if (t->nstacks[t->current])
			pop(t);
		return TUI_REDRAW;
	case ACT_PICK_THEME: case ACT_PICK_COMMUNE: case ACT_OPEN_AT: case ACT_PUBLICS: case ACT_TYPOLOGY: case ACT_DESK:
		/* Pickers and prompts report to a results view: the Structures one by default. */
		if (!view_is_results(current_view(t)))
			show_top(t, 0);
		if (!view_is_results(current_view(t)))
			return TUI_REDRAW;
		v = a == ACT_PICK_THEME ? view_themes_new(t, true) :
		    a == ACT_PICK_COMMUNE ? view_communes_new(t) : view_prompt_new(t, a);
		tui_push(t, v);
		return TUI_REDRAW;
	case ACT_RADIUS: case ACT_OPEN_NOW: case ACT_SANS_RDV: case ACT_CLEAR:
		tui_message(t, _("les filtres s'appliquent aux vues Structures et Personnes (1, 2)"));
		return TUI_REDRAW;
	case ACT_MERGES:
		tui_push(t, view_merges_new(t));
		return TUI_REDRAW;
	case ACT_ADD:
		tui_push(t, view_form_new(t, 0, false));
		return TUI_REDRAW;
	case ACT_EDIT: case ACT_DELETE: /* a card takes them (view_card.c) */
		tui_message(t, _("ouvrez d'abord une fiche (Entrée), puis e pour la corriger, d pour la supprimer"));
		return TUI_REDRAW;
	case ACT_ORIENTATIONS: case ACT_OBSERVATORY:
		tui_push(t, a == ACT_ORIENTATIONS ? view_orientations_new(t) : view_observatory_new(t));
		return TUI_REDRAW;
	case ACT_CONFLICTS:
		tui_push(t, view_conflicts_new(t));
		return TUI_REDRAW;
	case ACT_ORIENT: case ACT_SLIP:
		tui_message(t, "%s", _("a et f s'utilisent sur une fiche (Entrée sur un lieu) ; f aussi dans la vue "
				       "Orientations (6)"));
		return TUI_REDRAW;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return TUI_REDRAW;
	default:
		return 0;
	}
}

static int dispatch(struct tui *t, struct tui_key *k)
{
	struct view *v = current_view(t);
	int flags = 0;

	if (t->too_small)
		return k->action == ACT_QUIT ? TUI_QUIT : 0;
	free(t->message);
	t->message = NULL;
	flags = v->ops->key ? v->ops->key(t, v, k) : 0;
	if (flags & TUI_POP) {
		pop(t);
		flags |= TUI_REDRAW;
	}
	if (!(flags & TUI_HANDLED) && k->action != ACT_NONE)
		flags |= global_action(t, k->action) | TUI_REDRAW;
	return flags;
}

/* Reads one key into k; false when input ended. */
static bool read_key(struct tui *t, struct tui_key *k)
{
	struct view *v = current_view(t);
	bool typing = !t->too_small && v->ops->typing && v->ops->typing(t, v);
	MEVENT me;
	wint_t ch;
	int rc;

	memset(k, 0, sizeof(*k));
	rc = get_wch(&ch);
	if (rc == ERR)
		return false;
	k->ch = ch;
	k->is_fn = rc == KEY_CODE_YES;
	if (k->is_fn && ch == KEY_RESIZE) {
		k->action = ACT_RESIZE;
	} else if (k->is_fn && ch == KEY_MOUSE) {
		if (getmouse(&me) != OK)
			return true;
		k->action = ACT_MOUSE;
		k->mouse_y = me.y;
		k->mouse_x = me.x;
		k->mouse_button = me.bstate & BUTTON1_DOUBLE_CLICKED ? 2 :
				  me.bstate & BUTTON1_CLICKED ? 1 :
				  me.bstate & BUTTON4_PRESSED ? 4 : me.bstate & BUTTON5_PRESSED ? 5 : 0;
	} else {
		k->action = tui_key_action((int)ch, k->is_fn, typing);
		if (k->action == ACT_NONE && !k->is_fn && typing)
			k->action = ACT_TEXT;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */

static int load_defaults(struct tui *t, const struct tui_options *o)
{
	struct config cfg = CONFIG_INIT;
	struct commune_list l = { 0 };
	enum commune_match how;
	const char *code = NULL, *r, *now = getenv("QFQ_NOW");
	time_t tt = time(NULL);
	int rc = 0;

	localtime_r(&tt, &t->now);
	if (now && *now && search_parse_when(now, &t->now, &t->now))
		return qfq_error_prefix("QFQ_NOW");
	t->default_radius = SEARCH_DEFAULT_RADIUS_KM;
	if (config_load(paths_config_file(), &cfg))
		return -1;
	if ((r = config_get(&cfg, "rayon")) && atoi(r) > 0)
		t->default_radius = atoi(r);
	code = o->commune ? o->commune : config_get(&cfg, "commune");
	if (code) {
		if (communes_find(t->db, code, &l, &how)) {
			rc = -1;
		} else if (l.n != 1) {
			rc = qfq_error(how == COMMUNE_NONE ? _("no commune matches \"%s\"") :
				       _("\"%s\" names several communes"), code);
		} else {
			t->default_commune = l.v[0];
			memset(&l.v[0], 0, sizeof(l.v[0]));
			t->has_default_commune = true;
		}
	}
	commune_list_clear(&l);
	config_clear(&cfg);
	return rc;
}

static void tui_free(struct tui *t)
{
	int i;
	for (i = 0; i < NTOPS; i++) {
		while (t->nstacks[i])
			view_free(t, t->stacks[i][--t->nstacks[i]]);
		view_free(t, t->tops[i]);
		t->tops[i] = NULL;
	}
	if (t->has_default_commune)
		commune_clear(&t->default_commune);
	free(t->message);
}

static double ms_since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/*
 * --bench-keys: a virtual 80x24 screen written to /dev/null; each byte of
 * keys is a key press ('\n' Enter), handled and drawn, and timed.
 */
static void print_times(FILE *fp, const char *what, double *ms, size_t n)
{
	double sum = 0;
	size_t i;
	if (!n)
		return;
	for (i = 0; i < n; i++)
		sum += ms[i];
	qsort(ms, n, sizeof(*ms), cmp_double);
	fprintf(fp, "%s_mean_ms %.2f\n", what, sum / (double)n);
	fprintf(fp, "%s_median_ms %.2f\n", what, ms[n / 2]);
	fprintf(fp, "%s_p95_ms %.2f\n", what, ms[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1]);
	fprintf(fp, "%s_max_ms %.2f\n", what, ms[n - 1]);
}

/*
 * --bench-keys: a virtual 80x24 screen written to /dev/null; each byte of
 * keys is a key press ('\n' Enter), handled and drawn, and timed twice:
 * to the echo (the screen drawn with the key applied) and to the results
 * (the search run and the screen drawn again). With no keys, only the
 * first screen is drawn.
 */
static int run_bench(struct tui *t, const struct tui_options *o, const struct timespec *t0)
{
	size_t n = strlen(o->bench_keys), i;
	double *echo = xcalloc(n + 1, sizeof(*echo)), *full = xcalloc(n + 1, sizeof(*full));
	double first, results;
	struct timespec k0;
	struct tui_key k;

	show_top(t, 0);
	if (!t->tops[0])
		return -1;
	draw_all(t);
	first = ms_since(t0);
	/* No keys: stop at the first screen (what hyperfine times, process and all). */
	if (!n) {
		fprintf(o->bench_out, "startup_first_screen_ms %.2f\n", first);
		free(echo);
		free(full);
		return 0;
	}
	if (run_idle(t, false))
		draw_all(t);
	results = ms_since(t0);
	for (i = 0; i < n; i++) {
		struct view *v = current_view(t);
		bool typing = v->ops->typing && v->ops->typing(t, v);
		clock_gettime(CLOCK_MONOTONIC, &k0);
		memset(&k, 0, sizeof(k));
		k.ch = (unsigned char)o->bench_keys[i];
		k.action = tui_key_action((int)k.ch, 0, typing);
		if (k.action == ACT_NONE && typing)
			k.action = ACT_TEXT;
		if (dispatch(t, &k) & TUI_QUIT)
			break;
		draw_all(t);
		echo[i] = ms_since(&k0);
		if (run_idle(t, false))
			draw_all(t);
		full[i] = ms_since(&k0);
		fprintf(o->bench_out, "key %zu '%c' echo_ms %.2f results_ms %.2f\n", i + 1,
			o->bench_keys[i] >= ' ' ? o->bench_keys[i] : '?', echo[i], full[i]);
	}
	fprintf(o->bench_out, "startup_first_screen_ms %.2f\n", first);
	fprintf(o->bench_out, "startup_first_results_ms %.2f\n", results);
	fprintf(o->bench_out, "keys %zu\n", i);
	print_times(o->bench_out, "key_echo", echo, i);
	print_times(o->bench_out, "key_results", full, i);
	free(echo);
	free(full);
	return 0;
}

int tui_run(sqlite3 *db, const struct tui_options *o)
{
	struct tui t = { .db = db, .cursor_y = -1, .status_h = 1 };
	struct timespec t0;
	struct tui_key k;
	SCREEN *scr = NULL;
	FILE *null_out = NULL, *null_in = NULL;
	int flags, rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (load_defaults(&t, o))
		return -1;
	install_handlers();
	if (o->bench_keys) {
		const char *term = getenv("TERM");
		null_out = fopen("/dev/null", "w");
		null_in = fopen("/dev/null", "r");
		if (!null_out || !null_in ||
		    !(scr = newterm(term && *term ? term : "xterm-256color", null_out, null_in))) {
			rc = qfq_error("cannot start a virtual terminal");
			goto done;
		}
		set_term(scr);
		resizeterm(24, 80);
	} else {
		if (!initscr()) {
			rc = qfq_error("cannot start the terminal");
			goto done;
		}
	}
	start_curses(&t);
	layout(&t);
	if (o->bench_keys) {
		rc = run_bench(&t, o, &t0);
		goto done;
	}
	show_top(&t, 0);
	if (!t.tops[0]) {
		rc = -1;
		goto done;
	}
	if (o->startup_message)
		tui_message(&t, "%s", o->startup_message);
	draw_all(&t);
	for (;;) {
		if (run_idle(&t, true))
			draw_all(&t);
		if (!read_key(&t, &k))
			break;
		if (k.action == ACT_RESIZE) {
			layout(&t);
			flags = TUI_REDRAW;
		} else {
			flags = dispatch(&t, &k);
		}
		if (flags & TUI_QUIT)
			break;
		draw_all(&t);
	}
done:
	tui_free(&t);
	restore_terminal();
	if (scr)
		delscreen(scr);
	if (null_out)
		fclose(null_out);
	if (null_in)
		fclose(null_in);
	return rc;
}

/*
 * Another connection to the same file: for the few actions that record
 * (orienting, a referral's status; the interface itself reads only), and
 * for reading what they recorded (t->db may hold a read snapshot open, a
 * result list being read a screen at a time).
 */
int tui_open_db(struct tui *t, enum db_mode mode, sqlite3 **out)
{
	int persist = 1;
	(void)mode;
	/* not db_open(): its stdio look at the header would close a descriptor of
	 * the file, which drops the POSIX locks of t->db (db_open_sibling()) */
	if (db_open_sibling(t->db, out))
		return -1;
	/* closing must not remove the WAL that the interface's own read-only
	 * connection still maps */
	sqlite3_file_control(*out, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	return 0;
}
