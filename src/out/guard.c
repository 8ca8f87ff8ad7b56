/*
 * guard: stderr through the output policy (see out_guard_stderr() in
 * out.h). Messages echo what the user typed and what the data holds
 * (`qfq commune "$(printf '\e]0;x\a')"`, a structure's name in a warning):
 * rather than trusting each of the hundred fprintf(stderr, ...) to
 * sanitize its arguments, stderr itself is a stream that sanitizes.
 */
#include "out/out.h"
#include "util/strbuf.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Bytes of an unfinished UTF-8 sequence at the end of a write, kept for
 * the next one so that a character cut by the buffer is not replaced. */
static char carry[4];
static size_t ncarry;

static int write_all(const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(STDERR_FILENO, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Length of an unfinished UTF-8 sequence ending s[0..len), 0 if none. */
static size_t unfinished_tail(const char *s, size_t len)
{
	size_t back;

	for (back = 1; back <= 3 && back <= len; back++) {
		unsigned char c = (unsigned char)s[len - back];
		size_t need;
		if ((c & 0xC0) == 0x80)
			continue; /* a continuation byte: look further back */
		need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		return need > back ? back : 0;
	}
	return 0;
}

static ssize_t guard_write(void *cookie, const char *buf, size_t size)
{
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	size_t tail;
	int rc;

	(void)cookie;
	strbuf_add(&in, carry, ncarry);
	strbuf_add(&in, buf, size);
	tail = unfinished_tail(in.buf, in.len);
	ncarry = tail;
	memcpy(carry, in.buf + in.len - tail, tail);
	out_sanitize(&out, in.buf, in.len - tail, 1);
	rc = write_all(out.buf, out.len);
	strbuf_release(&in);
	strbuf_release(&out);
	return rc ? -1 : (ssize_t)size;
}

static int guard_close(void *cookie)
{
	struct strbuf out = STRBUF_INIT;

	(void)cookie;
	if (ncarry) {
		out_sanitize(&out, carry, ncarry, 1);
		write_all(out.buf, out.len);
		ncarry = 0;
	}
	strbuf_release(&out);
	return 0;
}

int out_guard_stderr(void)
{
	static const cookie_io_functions_t io = { .write = guard_write, .close = guard_close };
	FILE *fp = fopencookie(NULL, "w", io);

	if (!fp)
		return -1;
	/* line by line, like a terminal's stderr is expected to appear */
	setvbuf(fp, NULL, _IOLBF, 4096);
	stderr = fp;
	return 0;
}
