/*
 * html: escaping for HTML and SVG writers (see html.h).
 */
#include "out/html.h"
#include "out/out.h"
#include "util/strbuf.h"
#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

void html_escape(struct strbuf *sb, const char *s)
{
	size_t len, i = 0;
	if (!s)
		return;
	len = strlen(s);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		int32_t cp;
		size_t n;
		if (c < 0x80) {
			switch (c) {
			case '&': strbuf_addstr(sb, "&amp;"); break;
			case '<': strbuf_addstr(sb, "&lt;"); break;
			case '>': strbuf_addstr(sb, "&gt;"); break;
			case '"': strbuf_addstr(sb, "&quot;"); break;
			case '\'': strbuf_addstr(sb, "&#39;"); break;
			default:
				if (c >= 0x20 ? c != 0x7f : (c == '\t' || c == '\n'))
					strbuf_addch(sb, c);
			}
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0 || (cp == 0xfffd && n == 1) || out_cp_unsafe(cp) /* the output policy: C1, BiDi, zero widths... */ || cp == 0xfffe || cp == 0xffff) {
			strbuf_addstr(sb, "\xef\xbf\xbd");
			i += n ? n : 1;
		} else {
			strbuf_add(sb, s + i, n);
			i += n;
		}
	}
}
