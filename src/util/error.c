/* error: the last error message, recorded by library code (see error.h). */
#include "util/error.h"
#include "util/strbuf.h"

#include <stdarg.h>

static struct strbuf last = STRBUF_INIT;
static struct strbuf warnings = STRBUF_INIT;

int qfq_error(const char *fmt, ...)
{
	va_list ap;
	strbuf_reset(&last);
	va_start(ap, fmt);
	strbuf_vaddf(&last, fmt, ap);
	va_end(ap);
	return -1;
}

int qfq_error_prefix(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addstr(&sb, ": ");
	strbuf_add(&sb, last.buf, last.len);
	strbuf_release(&last);
	last = sb;
	return -1;
}

const char *qfq_error_msg(void)
{
	return last.buf;
}

void qfq_error_clear(void)
{
	strbuf_reset(&last);
}

void qfq_warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(&warnings, fmt, ap);
	va_end(ap);
	strbuf_addch(&warnings, '\n');
}

char *qfq_warning_take(void)
{
	if (!warnings.len)
		return NULL;
	return strbuf_detach(&warnings, NULL);
}
