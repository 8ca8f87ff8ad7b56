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

#endif
