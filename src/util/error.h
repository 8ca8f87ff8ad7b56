/*
 * error: how library code reports a failure without printing.
 *
 * Library functions (core/, db/, csv/, out/) call qfq_error() to record a
 * message and return its -1 to their caller; only main() and cmd/ print
 * the message (qfq_error_msg()) and decide the exit status. Messages are
 * lowercase, without a final full stop, the problem first, the subject
 * quoted: `line 12, column 3: unterminated quote in "roster.csv"`.
 */
#ifndef QFQ_UTIL_ERROR_H
#define QFQ_UTIL_ERROR_H

/* Records the message (replacing the previous one) and returns -1. */
int qfq_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prefixes the recorded message with "prefix: " and returns -1. */
int qfq_error_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last recorded message ("" when none). Valid until the next call. */
const char *qfq_error_msg(void);
void qfq_error_clear(void);

/*
 * Warnings: something was wrong and has been put right (a database file
 * readable by others made private). Library code records them; the
 * command prints them (qfq_warning_take()) and goes on.
 */
void qfq_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The recorded warnings, one per line, then forgets them; NULL when none.
 * The caller frees the result. */
char *qfq_warning_take(void);

#endif
