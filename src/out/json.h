/*
 * json: a streaming JSON writer (arrays, objects, strings, numbers, bools,
 * null) that keeps track of commas and escapes strings (control characters
 * as \uXXXX; invalid UTF-8 replaced by U+FFFD) so output is always valid.
 *
 * Usage: json_init(&jw, fp); json_array_begin(&jw); json_object_begin(&jw);
 * json_key(&jw, "nom"); json_str(&jw, "Privas"); json_object_end(&jw); ...
 * json_array_end(&jw); json_finish(&jw) writes the final newline and
 * returns 0, or -1 when a write failed.
 */
#ifndef QFQ_OUT_JSON_H
#define QFQ_OUT_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 32

struct json_writer {
	FILE *fp;
	int depth;                        /* current nesting */
	bool first[JSON_MAX_DEPTH];       /* no element written yet at this depth */
	bool after_key;                   /* a key was just written */
	bool pretty;                      /* indent with two spaces per level */
};

void json_init(struct json_writer *jw, FILE *fp, bool pretty);
void json_array_begin(struct json_writer *jw);
void json_array_end(struct json_writer *jw);
void json_object_begin(struct json_writer *jw);
void json_object_end(struct json_writer *jw);
void json_key(struct json_writer *jw, const char *key);
/* NULL writes null. */
void json_str(struct json_writer *jw, const char *s);
void json_strn(struct json_writer *jw, const char *s, size_t len);
void json_int(struct json_writer *jw, long long v);
/* Writes v with at most `decimals` decimals, trailing zeros dropped; NaN → null. */
void json_double(struct json_writer *jw, double v, int decimals);
void json_bool(struct json_writer *jw, bool v);
void json_null(struct json_writer *jw);
/* Convenience: key + string (NULL or "" → null when empty_is_null). */
void json_kv_str(struct json_writer *jw, const char *key, const char *s);
int json_finish(struct json_writer *jw);

#endif
