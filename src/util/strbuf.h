/*
 * strbuf: a growable byte string (after git's strbuf).
 *
 * Invariants: buf is never NULL (it points at a static empty string until
 * the first append), buf[len] == '\0' always, and len < alloc whenever
 * alloc > 0. The bytes may contain NULs; buf is still terminated.
 * Initialize with STRBUF_INIT or strbuf_init(); release with
 * strbuf_release(), after which the strbuf is empty and reusable.
 */
#ifndef QFQ_UTIL_STRBUF_H
#define QFQ_UTIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc; /* bytes allocated for buf, 0 while buf is the static "" */
	size_t len;   /* bytes used, not counting the terminating NUL */
	char *buf;    /* the data, always NUL-terminated */
};

extern char strbuf_slopbuf[];
#define STRBUF_INIT { 0, 0, strbuf_slopbuf }

void strbuf_init(struct strbuf *sb, size_t hint);
void strbuf_release(struct strbuf *sb);
/* Returns the buffer (caller frees it) and leaves sb empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
/* Appends v in decimal, as "%lld" would (without printf's cost: hot paths). */
void strbuf_addint(struct strbuf *sb, long long v);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Removes leading and trailing ASCII white space. */
void strbuf_trim(struct strbuf *sb);

#endif
