/*
 * fuzz_out_tsv: libFuzzer target for the tsv writer (src/out/out.c,
 * OUT_TSV), input as in fuzz_out_delimited.h. Checks: valid UTF-8, no
 * unsafe code point but the tabs and newlines that delimit, one line per
 * row plus the header, ncols - 1 tabs on each, and the formula guard.
 */
#include "fuzz_out_delimited.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t ncols, rows, len, i, lines = 0, tabs = 0, start = 0;
	char *out;
	int raw;

	if (fd_write(data, size, OUT_TSV, &out, &len, &ncols, &rows, &raw))
		return 0;
	fc_check_safe("tsv", out, len, "\t\n");
	for (i = 0; i < len; i++) {
		if (out[i] != '\t' && out[i] != '\n')
			continue;
		fd_check_guard("tsv", out + start, i - start, raw);
		start = i + 1;
		if (out[i] == '\t') {
			tabs++;
			continue;
		}
		if (tabs != ncols - 1) {
			fprintf(stderr, "tsv: line %zu has %zu tabs for %zu columns\n", lines + 1, tabs, ncols);
			abort();
		}
		tabs = 0;
		lines++;
	}
	if (lines != rows + 1 || start != len)
		abort();
	free(out);
	return 0;
}
