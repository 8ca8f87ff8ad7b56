/* xalloc: allocation wrappers that abort on failure (see xalloc.h). */
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void oom(size_t n)
{
	/* straight to the descriptor: stderr's sanitizing stream allocates */
	dprintf(STDERR_FILENO, "qfq: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void xgrow(void **p, size_t *alloc, size_t need, size_t elsize)
{
	size_t n = *alloc ? *alloc : 8;
	if (need <= *alloc)
		return;
	while (n < need) {
		if (n > ((size_t)-1) / 2 / elsize)
			oom(need * elsize);
		n *= 2;
	}
	*p = xrealloc(*p, n * elsize);
	*alloc = n;
}
