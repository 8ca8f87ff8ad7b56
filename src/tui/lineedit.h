/*
 * lineedit: the one-line text editor of the search line and the pickers:
 * insert at the cursor, ← → Home End, Backspace, Delete, Ctrl-U (clear),
 * Ctrl-W (previous word), Ctrl-A / Ctrl-E. The text is UTF-8; the cursor
 * is a byte offset always on a character boundary. Drawing scrolls
 * horizontally by display width so the cursor stays visible.
 */
#ifndef QFQ_TUI_LINEEDIT_H
#define QFQ_TUI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include "util/strbuf.h"

struct lineedit {
	struct strbuf text; /* the line, UTF-8 */
	size_t cursor;      /* byte offset in text, on a character boundary */
};

#define LINEEDIT_INIT { STRBUF_INIT, 0 }

enum {
	LE_NONE = 0,    /* not an editing key */
	LE_MOVED = 1,   /* the cursor moved */
	LE_CHANGED = 2, /* the text changed */
};

/* Applies one key (a character, or a curses key code when is_fn). */
int lineedit_key(struct lineedit *le, wint_t ch, bool is_fn);
/* Replaces the text; the cursor goes to the end. */
void lineedit_set(struct lineedit *le, const char *s);
void lineedit_release(struct lineedit *le);
/*
 * Draws the line at (y, x) in w columns with attributes a; returns the
 * screen column of the cursor.
 */
int lineedit_draw(const struct lineedit *le, int y, int x, int w, unsigned long a);

#endif
