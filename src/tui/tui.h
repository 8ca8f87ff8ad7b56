/*
 * tui: the full-screen interface (`qfq` on a terminal, `qfq tui`), after
 * tig's model: a main loop in app.c owns the terminal and a stack of
 * views; each view is one file filling a `struct view_ops`; keys are
 * turned into actions by the table in keys.h; handlers return flags and
 * only the main loop draws. Views never run SQL for searching: they call
 * core/search.h, core/card.h and db/browse.h.
 */
#ifndef QFQ_TUI_TUI_H
#define QFQ_TUI_TUI_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <wchar.h>

#include "core/communes.h"
#include "db/db.h"
#include "tui/keys.h"

struct strbuf;
struct tui;
struct view;

/* What a key handler tells the main loop. */
enum {
	TUI_HANDLED = 1, /* the key was used */
	TUI_REDRAW = 2,  /* draw again */
	TUI_QUIT = 4,    /* leave the program */
	TUI_POP = 8,     /* close this view and go back to the one below */
};

/* One key press (or mouse event) as the views receive it. */
struct tui_key {
	enum tui_action action; /* ACT_NONE when no binding applies */
	wint_t ch;              /* the character or curses key code */
	bool is_fn;             /* ch is a curses KEY_* code */
	int mouse_y, mouse_x;   /* ACT_MOUSE: where */
	int mouse_button;       /* ACT_MOUSE: 1 click, 2 double click, 4 wheel up, 5 wheel down */
};

/* A view: one screen of the interface. */
struct view_ops {
	/* Short title shown in the top bar (N_(): translated when drawn). */
	const char *title;
	/* Loads the view's data when it is first shown. 0, or -1 with qfq_error()
	 * (the main loop shows the message and does not push the view). */
	int (*open)(struct tui *t, struct view *v);
	/* Draws the view inside v->y, v->x, v->h, v->w (the main loop has
	 * erased the screen and draws the top bar and the status line). */
	void (*draw)(struct tui *t, struct view *v);
	/* Handles a key; returns TUI_* flags (0: not handled, the main loop
	 * then applies the global meaning of the action). */
	int (*key)(struct tui *t, struct view *v, const struct tui_key *k);
	/* The area changed (terminal resized): recompute the layout. May be NULL. */
	void (*resize)(struct tui *t, struct view *v);
	/* Frees v->data. */
	void (*close)(struct tui *t, struct view *v);
	/* Whether a text line has the focus, so that letters are typed rather
	 * than taken as actions. May be NULL (never). */
	bool (*typing)(struct tui *t, struct view *v);
	/* The keys reminder of the status line (translated), may be NULL. */
	const char *(*hint)(struct tui *t, struct view *v);
	/* Where the keys go, first on the status line ("recherche", "liste",
	 * "fiche"; translated). May be NULL: "recherche" while typing() says a
	 * text line has the focus, else "liste". */
	const char *(*mode)(struct tui *t, struct view *v);
	/* Deferred work (the search after a key), run by the main loop once the
	 * screen is drawn and no key is waiting, so that every key is echoed at
	 * once and a search made stale by the next key is abandoned (see
	 * tui_interrupted()). Returns true when the view must be drawn again.
	 * May be NULL. */
	bool (*idle)(struct tui *t, struct view *v);
};

struct view {
	const struct view_ops *ops;
	void *data;         /* the view's own state */
	int y, x, h, w;     /* the area it draws in */
};

/* Filters of a result list (structures or persons). */
struct tui_filters {
	long long theme_id;         /* 0: none */
	char *theme_slug, *theme_label;
	bool has_commune;           /* search around commune */
	struct commune commune;
	double radius_km;
	bool open_now, sans_rdv;
	bool has_at;                /* only what is open at `at` (wins over open_now) */
	bool unknown_hours;         /* with open_now/has_at: add the unknown hours after */
	struct tm at;
	char *at_text;              /* as typed ("mardi 14h") */
	char *publics;              /* declared publics mention this, or NULL */
	char *typologie;            /* typology code or label, or NULL */
	char *desk;                 /* desk filters as typed (search_desk_read()), or NULL */
	char *epci, *epci_nom;      /* restrict to an EPCI (territory drill-down) */
	char *departement;          /* restrict to a département */
};

struct tui {
	sqlite3 *db;
	int lines, cols;            /* terminal size */
	bool too_small;             /* below TUI_MIN_COLS x TUI_MIN_LINES */
	bool color;                 /* colours in use (not NO_COLOR, terminal has them) */
	struct view *tops[TUI_NTOPS]; /* the views reachable in one key (keys.h; created when first shown) */
	int current;                /* which of tops is shown */
	/* Views opened over each top view (card, help, pickers, drill-downs):
	 * one stack per top view, so that switching views loses nothing. */
	struct view *stacks[TUI_NTOPS][16];
	int nstacks[TUI_NTOPS];
	struct tm now;              /* "now" for open/closed (QFQ_NOW overrides, for tests) */
	bool has_default_commune;   /* from `qfq config set commune` */
	struct commune default_commune;
	double default_radius;
	char *message;              /* a one-off message for the status line, or NULL */
	int cursor_y, cursor_x;     /* where the text cursor goes (-1: hidden) */
	int status_h;               /* lines of the status area (it wraps, never cuts): 1..3 */
	bool interrupted;           /* the last idle() was cut short by a key */
};

#define TUI_MIN_COLS 60
#define TUI_MIN_LINES 16

/* Options of `qfq tui`. */
struct tui_options {
	const char *commune;        /* --commune, overriding the configured one */
	const char *bench_keys;     /* --bench-keys: replay these keys headless and print timings */
	FILE *bench_out;
	const char *startup_message; /* the start-up sync's outcome, for the status line, or NULL */
};

/* Runs the full-screen interface on db. Returns an exit status. */
int tui_run(sqlite3 *db, const struct tui_options *o);
/* The line-by-line dialogue (--plain), reading in, writing out. */
int tui_plain(sqlite3 *db, const struct tui_options *o, FILE *in, FILE *out);

/* Creates a view with ops and data (owned by it), calls open; NULL on error. */
struct view *tui_view_new(struct tui *t, const struct view_ops *ops, void *data);
/* Pushes v over the current view (takes ownership). */
void tui_push(struct tui *t, struct view *v);
/* The view under the top of the stack (the one a picker reports to). */
struct view *tui_below(struct tui *t);
/* Whether the database work under way was interrupted by a waiting key
 * (the caller keeps its previous results and tries again later). */
bool tui_interrupted(const struct tui *t);
/* Opens another connection to the database file (mode DB_READ or DB_WRITE;
 * close it with db_close): to record, and to read fresh. 0 or -1. */
int tui_open_db(struct tui *t, enum db_mode mode, sqlite3 **out);
/* Sets the status-line message (formatted, replaced by the next one). */
void tui_message(struct tui *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Filters: initialized from the configuration defaults; cleared. */
void tui_filters_init(struct tui *t, struct tui_filters *f);
void tui_filters_clear(struct tui_filters *f);
void tui_filters_copy(struct tui_filters *dst, const struct tui_filters *src);
/* Appends " · ouvert maintenant · sans rendez-vous · …": the filters the
 * search line's reading does not already show (theme and commune). */
void tui_filters_describe(const struct tui_filters *f, struct strbuf *sb);
/* Sets the commune searched around (copied). */
void tui_filters_set_commune(struct tui_filters *f, const struct commune *c);
/* Sets the theme filter. */
void tui_filters_set_theme(struct tui_filters *f, long long id, const char *slug, const char *label);


/* The views. */
extern const struct view_ops view_results_ops; /* structures or persons: search line, list, card */
extern const struct view_ops view_card_ops;    /* one structure's card, full screen */
extern const struct view_ops view_help_ops;    /* the keys, from keys.h */
extern const struct view_ops view_themes_ops;  /* the theme tree (also the theme picker) */
extern const struct view_ops view_territories_ops;
extern const struct view_ops view_meetings_ops;
extern const struct view_ops view_communes_ops; /* the commune picker */
extern const struct view_ops view_prompt_ops;   /* a one-line prompt for a filter */

/* Constructors of views that take arguments. */
struct view *view_results_new(struct tui *t, bool persons, const struct tui_filters *preset,
			      const char *title);
struct view *view_card_new(struct tui *t, long long structure_id);
/* The theme searched when the card was opened (for orienting with a). */
void view_card_set_theme(struct view *v, long long theme_id, const char *label);
/* The slip of a referral, or of place for theme (referral 0). */
struct view *view_slip_new(struct tui *t, long long referral, long long place, const char *theme);
/* The referrals recorded (status changes); the observatory (bar charts). */
struct view *view_orientations_new(struct tui *t);
struct view *view_observatory_new(struct tui *t);
struct view *view_themes_new(struct tui *t, bool picker);
struct view *view_communes_new(struct tui *t);
struct view *view_merges_new(struct tui *t); /* the merge review (issue 12) */
/* The conflicts of sharing, with the swap (issue 15). */
struct view *view_conflicts_new(struct tui *t);
/*
 * A writable connection for one change made from the interface (which
 * reads with a read-only one), the history recording command; NULL after
 * a status-line message. Close it with db_close().
 */
sqlite3 *tui_writer(struct tui *t, const char *command);
/* The form of a structure (0: a new one); ask_delete: start with "delete? o/N". */
struct view *view_form_new(struct tui *t, long long structure_id, bool ask_delete);
/* The same for person person_id (an existing one). */
struct view *view_form_person_new(struct tui *t, long long person_id, bool ask_delete);
/* Tells a results view that a picker chose a theme / a commune. */
void view_results_set_theme(struct tui *t, struct view *v, long long id, const char *slug,
			    const char *label);
void view_results_set_commune(struct tui *t, struct view *v, const struct commune *c);
/* Whether v is a results view (pickers only report to those). */
bool view_is_results(const struct view *v);
/* Sets the filter of action which (OPEN_AT, PUBLICS, TYPOLOGY) from typed text ("" removes it). */
void view_results_set_filter(struct tui *t, struct view *v, enum tui_action which, const char *text);
/* A one-line prompt over the current view; Enter gives its text to the
 * results view below for filter `which`. */
struct view *view_prompt_new(struct tui *t, enum tui_action which);



struct card;
struct tui_lines;
/* The lines of a structure's card as the card pane and the card view show them. */
void tui_card_lines(struct tui *t, const struct card *c, struct tui_lines *out);
#endif
