/*
 * html: the few helpers every HTML and SVG writer shares (slips, catalogue,
 * map): escaping text for element content and attribute values.
 */
#ifndef QFQ_OUT_HTML_H
#define QFQ_OUT_HTML_H

struct strbuf;

/*
 * Appends s escaped for HTML/XML text and double-quoted attributes (& < >
 * " '), with control characters (C0 but tab and newline, DEL) dropped and
 * invalid UTF-8 replaced by U+FFFD, so that the output is always well-formed
 * XML. NULL appends nothing.
 */
void html_escape(struct strbuf *sb, const char *s);

#endif
