/*
 * fuzz_out_delimited: the part shared by fuzz_out_tsv and fuzz_out_csv:
 * builds a grid from the input (byte 0: the number of columns, byte 1:
 * raw cells or not; then cells separated by 0x1F) and writes it in format
 * f into a malloc'd buffer. And the formula guard as a check: a cell that
 * starts with =, +, -, @, tab or CR must be a plain number.
 */
#ifndef QFQ_TESTS_FUZZ_OUT_DELIMITED_H
#define QFQ_TESTS_FUZZ_OUT_DELIMITED_H

#include "out/out.h"
#include "fuzz_check.h"

static int fd_is_number(const char *s, size_t n)
{
	size_t i = 0, d = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, d++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			d++;
	if (!d)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t e;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		e = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == e)
			return 0;
	}
	return i == n;
}

static void fd_check_guard(const char *what, const char *cell, size_t n, int raw)
{
	if (raw || !n || !strchr("=+-@\t\r", cell[0]))
		return;
	if (!fd_is_number(cell, n)) {
		fprintf(stderr, "%s: a cell starts with 0x%02x: %.*s\n", what, cell[0], (int)n, cell);
		abort();
	}
}

/* Returns the grid's shape; *out and *len the written bytes (free *out). */
static int fd_write(const uint8_t *data, size_t size, enum out_format f, char **out, size_t *len,
		    size_t *ncols, size_t *rows, int *raw)
{
	char *cells[256], *buf;
	struct out_table *t;
	size_t n, r;
	FILE *fp;

	if (size < 2)
		return -1;
	*ncols = 1 + data[0] % 6;
	*raw = data[1] & 1;
	n = fc_cells(data + 2, size - 2, &buf, cells, 256);
	if (n < *ncols) {
		free(buf);
		return -1;
	}
	*rows = n / *ncols - 1;
	t = out_table_new(*ncols, (const char *const *)cells);
	for (r = 1; r <= *rows; r++)
		out_table_add(t, (const char *const *)cells + r * *ncols);
	out_set_raw_cells(*raw);
	*out = NULL;
	fp = open_memstream(out, len);
	if (out_table_write(t, f, fp, 0, 0))
		abort();
	fclose(fp);
	out_set_raw_cells(0);
	out_table_free(t);
	free(buf);
	return 0;
}

#endif
