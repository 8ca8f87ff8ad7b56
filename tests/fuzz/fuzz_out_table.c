/*
 * fuzz_out_table: libFuzzer target for the table writer (src/out/out.c,
 * OUT_TABLE). Byte 0 picks the number of columns, byte 1 the terminal
 * width (0: none), byte 2 the row limit; the rest is cells separated by
 * 0x1F (fuzz_check.h), the first row being the header. Checks: the output
 * is valid UTF-8 without any unsafe code point but the newlines, and has
 * one line per shown row plus the header, its rule and the "more" line.
 */
#include "out/out.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *cells[256], *buf, *out = NULL;
	size_t ncols, width, max_rows, n, rows, r, len = 0, lines = 0, i, shown;
	struct out_table *t;
	FILE *fp;

	if (size < 3)
		return 0;
	ncols = 1 + data[0] % 6;
	width = data[1] < 8 ? 0 : data[1];
	max_rows = data[2] % 8;
	n = fc_cells(data + 3, size - 3, &buf, cells, 256);
	if (n < ncols) {
		free(buf);
		return 0;
	}
	rows = n / ncols - 1;
	t = out_table_new(ncols, (const char *const *)cells);
	for (r = 1; r <= rows; r++)
		out_table_add(t, (const char *const *)cells + r * ncols);
	fp = open_memstream(&out, &len);
	if (out_table_write(t, OUT_TABLE, fp, width, max_rows))
		abort();
	fclose(fp);
	fc_check_safe("table", out, len, "\n");
	for (i = 0; i < len; i++)
		lines += out[i] == '\n';
	shown = max_rows && rows > max_rows ? max_rows : rows;
	if (lines != shown + 2 + (shown < rows)) {
		fprintf(stderr, "table: %zu lines for %zu rows shown of %zu\n", lines, shown, rows);
		abort();
	}
	out_table_free(t);
	free(out);
	free(buf);
	return 0;
}
