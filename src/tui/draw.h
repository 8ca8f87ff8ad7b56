/*
 * draw: the drawing helpers every view uses. All text goes through
 * out_sanitize() (control characters and escape sequences from the data
 * become U+FFFD) and is truncated by display width, never in the middle of
 * a UTF-8 sequence, with "…" when cut. Styles never rely on colour alone:
 * each has a monochrome attribute (bold, reverse, underline) too.
 */
#ifndef QFQ_TUI_DRAW_H
#define QFQ_TUI_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

struct tui;

enum tui_style {
	ST_NORMAL,
	ST_BAR,       /* top bar and status line */
	ST_BAR_ON,    /* the current view in the top bar */
	ST_SELECTED,  /* the selected line */
	ST_HEADER,    /* column headers, card section titles */
	ST_DIM,       /* secondary text */
	ST_OK,        /* open now */
	ST_WARN,      /* stale data, errors */
	ST_KEY,       /* key names in hints */
	ST_COUNT
};

/* Sets up colour pairs (when t->color) once curses is started. */
void draw_init_styles(struct tui *t);
/* The curses attributes of a style. */
attr_t draw_attr(const struct tui *t, enum tui_style s);

/*
 * Draws s at (y, x) in at most w columns with attributes a: sanitized,
 * truncated with "…", and padded with spaces to w when pad. Returns the
 * number of columns drawn (before padding).
 */
int draw_text(int y, int x, int w, const char *s, attr_t a, bool pad);
/* Same for s[0..len). */
int draw_textn(int y, int x, int w, const char *s, size_t len, attr_t a, bool pad);
/* Fills w columns at (y, x) with spaces in attributes a. */
void draw_blank(int y, int x, int w, attr_t a);
/* A horizontal rule with an optional title: "── Fiche ──────". */
void draw_rule(int y, int x, int w, const char *title, attr_t a);
/* A vertical line of h cells of ch ("│") from (y, x). */
void draw_vline(int y, int x, int h, const char *ch, attr_t a);
/* Display width of s after sanitizing. */
size_t draw_width(const char *s);

/*
 * Text lines with a style each, for cards and help: added sanitized (one
 * line per '\n'), wrapped at spaces to a width, drawn from a first line.
 * A line may start with a label ("Téléphone : ") drawn in ST_HEADER.
 */
struct tui_line {
	char *text;            /* sanitized UTF-8 */
	enum tui_style style;
	size_t label;          /* bytes of text drawn as a label (0: none) */
	int indent;            /* columns of indentation of continuation lines */
};

struct tui_lines {
	struct tui_line *v;
	size_t n, alloc;
};

#define TUI_LINES_INIT { NULL, 0, 0 }

/* Adds text (split on newlines, sanitized) in style; label: bytes of the first line's label. */
void tui_lines_add(struct tui_lines *l, enum tui_style style, const char *text, size_t label);
/* Adds a formatted line. */
void tui_lines_addf(struct tui_lines *l, enum tui_style style, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends in's lines to out wrapped to width columns. */
void tui_lines_wrap(const struct tui_lines *in, int width, struct tui_lines *out);
/* Draws lines [top, top + h) at (y, x) in w columns. */
void tui_lines_draw(const struct tui *t, const struct tui_lines *l, size_t top, int y, int x,
		    int h, int w);
void tui_lines_clear(struct tui_lines *l);

/*
 * Moves a list selection for the navigation actions (UP, DOWN, PAGE_UP,
 * PAGE_DOWN, FIRST, LAST, mouse wheel) over n rows shown h at a time, and
 * keeps it visible from *top. Returns true when the action was one of them.
 */
bool list_nav(size_t *sel, size_t *top, size_t n, int h, int action, int mouse_button);
/* Keeps sel visible in a window of h rows starting at *top. */
void list_keep_visible(size_t sel, size_t *top, int h);

/*
 * Wrapping instead of cutting: the bytes of s that fit in w columns,
 * ending between two items (" · ") when one does, else between words, and
 * *rest where the next line starts (the separator skipped; at the end of s
 * when all of it fits). A word wider than w alone is cut there.
 */
size_t draw_fit(const char *s, int w, const char **rest);
/* How many lines of w columns (the first one first_w wide) s wraps to. */
int draw_fit_lines(const char *s, int first_w, int w);

#endif
