/*
 * fuzz_out_csv: libFuzzer target for the csv writer (src/out/out.c,
 * OUT_CSV: the writer of search, persons and export lieux), input as in
 * fuzz_out_delimited.h. The output is read back with an RFC 4180 reader
 * written here: every record has ncols fields, there is one per row plus
 * the header, quotes are balanced; no unsafe code point but tab, CR and LF
 * (inside quotes, and CRLF between records); the formula guard holds.
 */
#include "fuzz_out_delimited.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t ncols, rows, len, i = 0, fields = 0, records = 0;
	char *out, *cell;
	size_t clen;
	int raw;

	if (fd_write(data, size, OUT_CSV, &out, &len, &ncols, &rows, &raw))
		return 0;
	fc_check_safe("csv", out, len, "\t\r\n");
	cell = malloc(len + 1);
	while (i < len) {
		clen = 0;
		if (out[i] == '"') {
			for (i++;; i++) {
				if (i >= len)
					abort(); /* unbalanced quote */
				if (out[i] == '"') {
					if (i + 1 < len && out[i + 1] == '"') {
						cell[clen++] = '"';
						i++;
						continue;
					}
					i++;
					break;
				}
				cell[clen++] = out[i];
			}
		} else {
			while (i < len && out[i] != ',' && out[i] != '\r') {
				if (out[i] == '"' || out[i] == '\n')
					abort(); /* must have been quoted */
				cell[clen++] = out[i++];
			}
		}
		fd_check_guard("csv", cell, clen, raw);
		fields++;
		if (i < len && out[i] == ',') {
			i++;
			continue;
		}
		if (i + 1 >= len || out[i] != '\r' || out[i + 1] != '\n')
			abort(); /* a record ends with CRLF */
		i += 2;
		if (fields != ncols) {
			fprintf(stderr, "csv: record %zu has %zu fields for %zu columns\n", records + 1, fields, ncols);
			abort();
		}
		fields = 0;
		records++;
	}
	if (records != rows + 1)
		abort();
	free(cell);
	free(out);
	return 0;
}
