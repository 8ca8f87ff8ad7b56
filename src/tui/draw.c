/* draw: sanitized, width-aware text drawing and styles (see draw.h). */
#include "tui/draw.h"
#include "out/out.h"
#include "tui/tui.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>

#include <string.h>

void draw_init_styles(struct tui *t)
{
	if (!t->color)
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_WHITE, COLOR_BLUE);   /* bars */
	init_pair(2, COLOR_BLACK, COLOR_CYAN);   /* current view, selection */
	init_pair(3, COLOR_CYAN, -1);            /* headers */
	init_pair(4, COLOR_GREEN, -1);           /* open */
	init_pair(5, COLOR_RED, -1);             /* warnings */
	init_pair(6, COLOR_YELLOW, COLOR_BLUE);  /* keys in the bars */
}

attr_t draw_attr(const struct tui *t, enum tui_style s)
{
	/* The monochrome attribute is always there; colour is added on top. */
	static const attr_t mono[ST_COUNT] = {
		[ST_NORMAL] = A_NORMAL,
		[ST_BAR] = A_REVERSE,
		[ST_BAR_ON] = A_BOLD | A_UNDERLINE,
		[ST_SELECTED] = A_REVERSE | A_BOLD,
		[ST_HEADER] = A_BOLD,
		[ST_DIM] = A_DIM,
		[ST_OK] = A_BOLD,
		[ST_WARN] = A_BOLD | A_UNDERLINE,
		[ST_KEY] = A_REVERSE | A_BOLD,
	};
	static const short pair[ST_COUNT] = {
		[ST_BAR] = 1, [ST_BAR_ON] = 2, [ST_SELECTED] = 2, [ST_HEADER] = 3,
		[ST_OK] = 4, [ST_WARN] = 5, [ST_KEY] = 6,
	};
	if (!t->color || !pair[s])
		return mono[s];
	/* With colours the bars are not reversed (the pair gives the contrast). */
	if (s == ST_BAR || s == ST_KEY || s == ST_SELECTED)
		return (mono[s] & ~A_REVERSE) | COLOR_PAIR(pair[s]);
	return mono[s] | COLOR_PAIR(pair[s]);
}

void draw_blank(int y, int x, int w, attr_t a)
{
	attr_t old;
	short op;
	if (w <= 0)
		return;
	attr_get(&old, &op, NULL);
	attrset(a);
	mvhline(y, x, ' ', w);
	attrset(old);
}

int draw_textn(int y, int x, int w, const char *s, size_t len, attr_t a, bool pad)
{
	struct strbuf sb = STRBUF_INIT;
	size_t width, cut;
	int drawn = 0;

	if (w <= 0)
		return 0;
	out_sanitize(&sb, s ? s : "", s ? len : 0, 0);
	width = utf8_width(sb.buf, sb.len);
	attrset(a);
	if (width <= (size_t)w) {
		mvaddnstr(y, x, sb.buf, (int)sb.len);
		drawn = (int)width;
	} else {
		/* Leave one column for the ellipsis. */
		cut = utf8_prefix_for_width(sb.buf, sb.len, (size_t)w - 1, &width);
		mvaddnstr(y, x, sb.buf, (int)cut);
		addstr("…");
		drawn = (int)width + 1;
	}
	if (pad && drawn < w)
		mvhline(y, x + drawn, ' ', w - drawn);
	attrset(A_NORMAL);
	strbuf_release(&sb);
	return drawn;
}

int draw_text(int y, int x, int w, const char *s, attr_t a, bool pad)
{
	return draw_textn(y, x, w, s, s ? strlen(s) : 0, a, pad);
}

/* Box-drawing characters are written as UTF-8, not through the alternate
 * character set, so that every terminal and capture-pane shows the same. */
void draw_rule(int y, int x, int w, const char *title, attr_t a)
{
	int i, n = 0;
	attrset(a);
	move(y, x);
	for (i = 0; i < w; i++)
		addstr("─");
	if (title && *title && w > 6) {
		mvaddch(y, x + 1, ' ');
		n = draw_text(y, x + 2, w - 4, title, a | A_BOLD, false);
		attrset(a);
		mvaddch(y, x + 2 + n, ' ');
	}
	attrset(A_NORMAL);
}

void draw_vline(int y, int x, int h, const char *ch, attr_t a)
{
	int i;
	attrset(a);
	for (i = 0; i < h; i++)
		mvaddstr(y + i, x, ch);
	attrset(A_NORMAL);
}

size_t draw_width(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t w;
	out_sanitize(&sb, s ? s : "", s ? strlen(s) : 0, 0);
	w = utf8_width(sb.buf, sb.len);
	strbuf_release(&sb);
	return w;
}

/* ------------------------------------------------------------------ */
/* Text lines                                                          */

static void push_line(struct tui_lines *l, char *text, enum tui_style style, size_t label, int indent)
{
	XGROW(l->v, l->alloc, l->n + 1);
	l->v[l->n].text = text;
	l->v[l->n].style = style;
	l->v[l->n].label = label;
	l->v[l->n].indent = indent;
	l->n++;
}

void tui_lines_add(struct tui_lines *l, enum tui_style style, const char *text, size_t label)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text ? text : "";
	size_t len, raw, lab;
	do {
		len = strcspn(p, "\n");
		raw = label && label <= len ? label : 0;
		strbuf_reset(&sb);
		/* Sanitize the label apart so that its length in the result is known. */
		out_sanitize(&sb, p, raw, 0);
		lab = sb.len;
		out_sanitize(&sb, p + raw, len - raw, 0);
		push_line(l, xstrdup(sb.buf), style, lab, 0);
		label = 0;
		p += len;
	} while (*p++ == '\n' && *p);
	strbuf_release(&sb);
}

void tui_lines_addf(struct tui_lines *l, enum tui_style style, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	tui_lines_add(l, style, sb.buf, 0);
	strbuf_release(&sb);
}

void tui_lines_wrap(const struct tui_lines *in, int width, struct tui_lines *out)
{
	size_t i;
	if (width < 10)
		width = 10;
	for (i = 0; i < in->n; i++) {
		const struct tui_line *ln = &in->v[i];
		const char *s = ln->text;
		size_t len = strlen(s), label = ln->label, cut, w, sp;
		int avail = width, indent = 0;
		for (;;) {
			if (utf8_width(s, len) <= (size_t)avail) {
				push_line(out, xstrndup(s, len), ln->style, label, indent);
				break;
			}
			cut = utf8_prefix_for_width(s, len, (size_t)avail, &w);
			/* Break at the last space if there is one worth using. */
			for (sp = cut; sp > cut / 2 && s[sp] != ' '; sp--)
				;
			if (sp > cut / 2)
				cut = sp;
			if (!cut)
				cut = 1;
			push_line(out, xstrndup(s, cut), ln->style, label < cut ? label : cut, indent);
			label = 0;
			s += cut;
			len -= cut;
			while (len && *s == ' ') {
				s++;
				len--;
			}
			if (!len)
				break;
			/* Continuation lines are indented by 2, or under the value of a label. */
			indent = ln->label && ln->label < 40 ? (int)utf8_width(ln->text, ln->label) : 2;
			if (indent > width / 2)
				indent = 2;
			avail = width - indent;
		}
	}
}

void tui_lines_draw(const struct tui *t, const struct tui_lines *l, size_t top, int y, int x,
		    int h, int w)
{
	int row, n;
	for (row = 0; row < h && top + (size_t)row < l->n; row++) {
		const struct tui_line *ln = &l->v[top + (size_t)row];
		attr_t a = draw_attr(t, ln->style);
		n = ln->indent < w ? ln->indent : 0;
		if (ln->label) {
			n += draw_textn(y + row, x + n, w - n, ln->text, ln->label, draw_attr(t, ST_HEADER), false);
			draw_text(y + row, x + n, w - n, ln->text + ln->label, a, false);
		} else {
			draw_text(y + row, x + n, w - n, ln->text, a, false);
		}
	}
}

void tui_lines_clear(struct tui_lines *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

void list_keep_visible(size_t sel, size_t *top, int h)
{
	size_t hh = h > 0 ? (size_t)h : 1;
	if (sel < *top)
		*top = sel;
	else if (sel >= *top + hh)
		*top = sel - hh + 1;
}

bool list_nav(size_t *sel, size_t *top, size_t n, int h, int action, int mouse_button)
{
	long s = (long)*sel, page = h > 1 ? h - 1 : 1;
	switch (action) {
	case ACT_UP: s--; break;
	case ACT_DOWN: s++; break;
	case ACT_PAGE_UP: s -= page; break;
	case ACT_PAGE_DOWN: s += page; break;
	case ACT_FIRST: s = 0; break;
	case ACT_LAST: s = (long)n - 1; break;
	case ACT_MOUSE:
		if (mouse_button == 4)
			s -= 3;
		else if (mouse_button == 5)
			s += 3;
		else
			return false;
		break;
	default: return false;
	}
	if (s >= (long)n)
		s = (long)n - 1;
	if (s < 0)
		s = 0;
	*sel = (size_t)s;
	list_keep_visible(*sel, top, h);
	return true;
}

/* The widest prefix of s ending just before sep that fits in w columns: its length, 0 if none. */
static size_t fit_at(const char *s, size_t len, const char *sep, size_t w)
{
	size_t best = 0, n = strlen(sep);
	const char *p = s;
	while ((p = strstr(p, sep)) && (size_t)(p - s) < len) {
		if (utf8_width(s, (size_t)(p - s)) > w)
			break;
		best = (size_t)(p - s);
		p += n;
	}
	return best;
}

size_t draw_fit(const char *s, int w, const char **rest)
{
	size_t len = strlen(s), cut, width;
	if (w < 1)
		w = 1;
	if (utf8_width(s, len) <= (size_t)w) {
		*rest = s + len;
		return len;
	}
	if ((cut = fit_at(s, len, " · ", (size_t)w))) {
		*rest = s + cut + strlen(" · ");
		return cut;
	}
	if ((cut = fit_at(s, len, " ", (size_t)w))) {
		*rest = s + cut + 1;
		return cut;
	}
	cut = utf8_prefix_for_width(s, len, (size_t)w, &width);
	if (!cut) { /* a character wider than w: take it whole anyway, never loop */
		int32_t cp;
		cut = utf8_decode(s, len, &cp);
	}
	*rest = s + cut;
	return cut;
}

int draw_fit_lines(const char *s, int first_w, int w)
{
	const char *rest = s;
	int n = 0;
	do {
		draw_fit(rest, n ? w : first_w, &rest);
		n++;
	} while (*rest && n < 100);
	return n;
}
