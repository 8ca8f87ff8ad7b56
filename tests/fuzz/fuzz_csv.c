/*
 * fuzz_csv: libFuzzer target for the CSV reader (src/util/csvread.c).
 *
 * The first input byte picks the options (forced delimiter, forced
 * encoding, tiny limits) so that every path gets exercised; the rest is the
 * file. Beyond "no crash, no leak", it checks what callers rely on: every
 * field is valid UTF-8 without NUL, lens[] matches, trailing empty fields
 * are trimmed, records come on strictly increasing lines, and reading the
 * input a few bytes at a time gives the same records and outcome as in one
 * go (the streaming reader's chunk ends are invisible).
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c17 -D_GNU_SOURCE \
 *     -Isrc -I. tests/fuzz/fuzz_csv.c src/util/csvread.c src/util/strbuf.c \
 *     src/util/xalloc.c src/util/error.c -lcsv -o fuzz_csv
 *   ./fuzz_csv -max_total_time=90 -max_len=4096
 */
#include "util/csvread.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Independent of the reader's own validator on purpose. */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	uint32_t cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0)
			len = 2, cp = s[i] & 0x1F;
		else if ((s[i] & 0xF0) == 0xE0)
			len = 3, cp = s[i] & 0x0F;
		else if ((s[i] & 0xF8) == 0xF0)
			len = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += len;
	}
	return 1;
}

static void check_row(const struct csv_row *row, unsigned long *last_line)
{
	size_t i;

	if (row->n == 0 || row->lens[row->n - 1] == 0 || row->line <= *last_line)
		abort();
	*last_line = row->line;
	for (i = 0; i < row->n; i++)
		if (strlen(row->fields[i]) != row->lens[i] ||
		    !valid_utf8((const unsigned char *)row->fields[i], row->lens[i]))
			abort();
}

/* FNV-1a over n bytes, continuing from h. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n--)
		h = (h ^ *s++) * 0x100000001b3ULL;
	return h;
}

/* Reads the input with opt, checking every record; returns a digest of
 * the records and of the outcome (the error message included). */
static uint64_t read_all(const uint8_t *data, size_t size, const struct csv_options *opt)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	struct csv_reader *r;
	struct csv_row row;
	unsigned long last_line = 0;
	size_t i;
	int rc;

	if (csv_open_mem(&r, "fuzz.csv", (const char *)data, size, opt) < 0) {
		if (!*qfq_error_msg())
			abort(); /* a failure must say why */
		return fnv(h ^ 1, qfq_error_msg(), strlen(qfq_error_msg()));
	}
	while ((rc = csv_next(r, &row)) > 0) {
		check_row(&row, &last_line);
		h = fnv(h, &row.line, sizeof(row.line));
		for (i = 0; i < row.n; i++)
			h = fnv(h, row.fields[i], row.lens[i] + 1);
	}
	if (rc < 0 && (!*qfq_error_msg() || csv_next(r, &row) != -1))
		abort(); /* errors are explained and sticky */
	if (rc < 0)
		h = fnv(h ^ 2, qfq_error_msg(), strlen(qfq_error_msg()));
	csv_close(r);
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = { 0, ',', ';', '\t' };
	static const char *encodings[] = { NULL, "utf-8", "cp1252", "latin1" };
	struct csv_options opt = { 0 };
	uint64_t whole;

	if (size == 0)
		return 0;
	opt.delim = delims[data[0] & 3];
	opt.encoding = encodings[(data[0] >> 2) & 3];
	if (data[0] & 0x10)
		opt.max_field = 16;
	if (data[0] & 0x20)
		opt.max_fields = 4;
	whole = read_all(data + 1, size - 1, &opt);
	/* the same records and outcome when the input comes 1 to 4 bytes at a
	 * time: chunk ends cut sequences, CRLFs, quotes and records */
	opt.chunk = 1 + (size_t)(data[0] >> 6);
	if (read_all(data + 1, size - 1, &opt) != whole)
		abort();
	return 0;
}
