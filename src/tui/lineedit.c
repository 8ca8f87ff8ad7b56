/* lineedit: the one-line editor (see lineedit.h). */
#include "tui/lineedit.h"
#include "tui/draw.h"
#include "util/utf8.h"

#include <curses.h>
#include <string.h>

static size_t prev_char(const struct lineedit *le, size_t at)
{
	while (at > 0 && ((unsigned char)le->text.buf[--at] & 0xC0) == 0x80)
		;
	return at;
}

static size_t next_char(const struct lineedit *le, size_t at)
{
	if (at < le->text.len)
		at++;
	while (at < le->text.len && ((unsigned char)le->text.buf[at] & 0xC0) == 0x80)
		at++;
	return at;
}

static void delete_range(struct lineedit *le, size_t from, size_t to)
{
	memmove(le->text.buf + from, le->text.buf + to, le->text.len - to);
	strbuf_setlen(&le->text, le->text.len - (to - from));
	le->cursor = from;
}

/* Encodes one code point as UTF-8 into out (4 bytes); returns its length. */
static size_t encode(wint_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	} else if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	} else if (c < 0x10000) {
		if (c >= 0xD800 && c < 0xE000)
			return 0;
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	} else if (c < 0x110000) {
		out[0] = (char)(0xF0 | (c >> 18));
		out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[3] = (char)(0x80 | (c & 0x3F));
		return 4;
	}
	return 0;
}

static int insert(struct lineedit *le, wint_t ch)
{
	char buf[4];
	size_t n = encode(ch, buf), tail = le->text.len - le->cursor;
	if (!n || le->text.len > 1000)
		return LE_NONE;
	strbuf_grow(&le->text, n);
	memmove(le->text.buf + le->cursor + n, le->text.buf + le->cursor, tail);
	memcpy(le->text.buf + le->cursor, buf, n);
	strbuf_setlen(&le->text, le->text.len + n);
	le->cursor += n;
	return LE_CHANGED;
}

int lineedit_key(struct lineedit *le, wint_t ch, bool is_fn)
{
	size_t at;
	if (is_fn) {
		switch (ch) {
		case KEY_LEFT: le->cursor = prev_char(le, le->cursor); return LE_MOVED;
		case KEY_RIGHT: le->cursor = next_char(le, le->cursor); return LE_MOVED;
		case KEY_HOME: le->cursor = 0; return LE_MOVED;
		case KEY_END: le->cursor = le->text.len; return LE_MOVED;
		case KEY_BACKSPACE:
			if (!le->cursor)
				return LE_MOVED;
			delete_range(le, prev_char(le, le->cursor), le->cursor);
			return LE_CHANGED;
		case KEY_DC:
			if (le->cursor < le->text.len)
				delete_range(le, le->cursor, next_char(le, le->cursor));
			return LE_CHANGED;
		default: return LE_NONE;
		}
	}
	switch (ch) {
	case 1: le->cursor = 0; return LE_MOVED;              /* Ctrl-A */
	case 5: le->cursor = le->text.len; return LE_MOVED;   /* Ctrl-E */
	case 8: case 127:                                     /* Backspace */
		if (!le->cursor)
			return LE_MOVED;
		delete_range(le, prev_char(le, le->cursor), le->cursor);
		return LE_CHANGED;
	case 21: delete_range(le, 0, le->text.len); return LE_CHANGED; /* Ctrl-U: the whole line */
	case 23:                                              /* Ctrl-W */
		at = le->cursor;
		while (at > 0 && le->text.buf[at - 1] == ' ')
			at--;
		while (at > 0 && le->text.buf[at - 1] != ' ')
			at--;
		delete_range(le, at, le->cursor);
		return LE_CHANGED;
	default:
		if (ch < 0x20 || ch == 0x7F || (ch >= 0x80 && ch < 0xA0))
			return LE_NONE;
		return insert(le, ch);
	}
}

void lineedit_set(struct lineedit *le, const char *s)
{
	strbuf_reset(&le->text);
	strbuf_addstr(&le->text, s);
	le->cursor = le->text.len;
}

void lineedit_release(struct lineedit *le)
{
	strbuf_release(&le->text);
	le->cursor = 0;
}

int lineedit_draw(const struct lineedit *le, int y, int x, int w, unsigned long a)
{
	size_t before = utf8_width(le->text.buf, le->cursor);
	size_t start = 0, width;
	/* Scroll so that the cursor sits within the last column. */
	while (before >= (size_t)(w > 1 ? w - 1 : 1) && start < le->cursor) {
		size_t n = 1;
		while (start + n < le->cursor && ((unsigned char)le->text.buf[start + n] & 0xC0) == 0x80)
			n++;
		before -= utf8_width(le->text.buf + start, n);
		start += n;
	}
	width = before;
	draw_textn(y, x, w, le->text.buf + start, le->text.len - start, (attr_t)a, true);
	return x + (int)width;
}
