/* test_out: format names, terminal sanitizing, table/tsv/csv output and
 * terminal size. Outputs are compared byte for byte. */
#include "out/out.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

#define FFFD "\xef\xbf\xbd"

static void test_format_parse(void)
{
	enum out_format f = OUT_TABLE;

	is_int(out_format_parse("csv", &f), 0, "csv parses");
	is_int(f, OUT_CSV, "csv is OUT_CSV");
	is_int(out_format_parse("json", &f), 0, "json parses");
	is_int(f, OUT_JSON, "json is OUT_JSON");
	is_int(out_format_parse("tsv", &f), 0, "tsv parses");
	is_int(out_format_parse("table", &f), 0, "table parses");
	is_int(f, OUT_TABLE, "table is OUT_TABLE");
	is_int(out_format_parse("xml", &f), -1, "xml is refused");
	is_str(qfq_error_msg(), "unknown format \"xml\" (expected table, tsv, csv or json)",
	       "error message for xml");
	is_int(out_format_parse("CSV", &f), -1, "names are case-sensitive");
}

static void san(const char *in, size_t len, int keep, const char *want, const char *name)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "<");
	out_sanitize(&sb, in, len, keep);
	strbuf_addstr(&sb, ">");
	is_str(sb.buf, want, "sanitize: %s", name);
	strbuf_release(&sb);
}

#define SAN(in, want, name) san((in), strlen(in), 0, (want), (name))

static void test_sanitize(void)
{
	SAN("Ard\xc3\xa8" "che 日本 \\ ok", "<Ard\xc3\xa8" "che 日本 \\ ok>", "plain text unchanged");
	SAN("\x1b[31mX", "<" FFFD "X>", "CSI colour swallowed");
	SAN("\x1b[1;31;42mX\x1b[0m", "<" FFFD "X" FFFD ">", "CSI with parameters");
	SAN("\x1b]0;title\x07", "<" FFFD ">", "OSC title ended by BEL");
	SAN("\x1b]0;title\x1b\\after", "<" FFFD "after>", "OSC title ended by ST");
	SAN("\x1b]8;;http://x\x07lien", "<" FFFD "lien>", "OSC 8 hyperlink");
	SAN("\x1b]0;never ends", "<" FFFD "]0;never ends>", "unterminated OSC: only ESC replaced");
	SAN("\x1b[31", "<" FFFD "[31>", "unterminated CSI: only ESC replaced");
	SAN("\x1b", "<" FFFD ">", "lone ESC at the end");
	SAN("\x1b" "cX", "<" FFFD "X>", "ESC c (reset)");
	SAN("\x1b(Bx", "<" FFFD "x>", "ESC ( B charset");
	SAN("\xc2\x9b" "31mX", "<" FFFD "31mX>", "C1 CSI U+009B");
	SAN("\x9b" "31m", "<" FFFD "31m>", "raw 0x9b byte (invalid UTF-8)");
	SAN("a\xe2\x80\xae" "b", "<a" FFFD "b>", "bidi override U+202E");
	SAN("\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9", "<" FFFD FFFD FFFD ">", "U+202A U+2066 U+2069");
	SAN("a\x01" "b\x7f" "c\x00", "<a" FFFD "b" FFFD "c>", "C0 and DEL");
	san("a\0b", 3, 0, "<a" FFFD "b>", "NUL byte");
	SAN("a\tb", "<a b>", "tab becomes a space");
	SAN("a\nb", "<a \xe2\x8f\x8e b>", "newline becomes ⏎");
	SAN("a\r\nb", "<a \xe2\x8f\x8e b>", "CRLF is one newline");
	SAN("a\rb", "<a" FFFD "b>", "lone CR");
	san("a\nb\r\nc\td", 8, 1, "<a\nb\nc d>", "keep_newlines");
	SAN("bad \xff\xc3 \xe2\x82", "<bad " FFFD FFFD " " FFFD FFFD ">", "invalid UTF-8 per byte");
	SAN("\xed\xa0\x80", "<" FFFD FFFD FFFD ">", "surrogate");
}

static char *mem;
static size_t memsize;

static FILE *mem_open(void)
{
	return open_memstream(&mem, &memsize);
}

/* Writes t in format f and compares the output with want. */
static void check(struct out_table *t, enum out_format f, size_t tw, size_t max,
		  const char *want, const char *name)
{
	FILE *fp = mem_open();

	is_int(out_table_write(t, f, fp, tw, max), 0, "%s: write", name);
	fclose(fp);
	is_str(mem, want, "%s", name);
	free(mem);
}

static void test_table_align(void)
{
	const char *h[] = { "nom", "ville" };
	const char *r1[] = { "Café é", "Privas" };
	const char *r2[] = { "日本", "Aubenas" };
	const char *r3[] = { ("e\xcc\x81" "cole"), NULL };
	const char *r4[] = { "\x1b[31mrouge", "a\nb" };
	struct out_table *t = out_table_new(2, h);

	out_table_add(t, r1);
	out_table_add(t, r2);
	out_table_add(t, r3);
	is_int(out_table_rows(t), 3, "3 rows");
	check(t, OUT_TABLE, 0, 0,
	      "nom     ville\n"
	      "──────  ───────\n"
	      "Caf\xc3\xa9 \xc3\xa9  Privas\n"
	      "日本    Aubenas\n"
	      "e\xcc\x81" "cole\n",
	      "table aligned by display width, no trailing spaces");
	check(t, OUT_TABLE, 80, 0,
	      "nom     ville\n"
	      "──────  ───────\n"
	      "Caf\xc3\xa9 \xc3\xa9  Privas\n"
	      "日本    Aubenas\n"
	      "e\xcc\x81" "cole\n",
	      "wide terminal changes nothing");
	out_table_add(t, r4);
	check(t, OUT_TABLE, 0, 0,
	      "nom     ville\n"
	      "──────  ───────\n"
	      "Caf\xc3\xa9 \xc3\xa9  Privas\n"
	      "日本    Aubenas\n"
	      "e\xcc\x81" "cole\n"
	      FFFD "rouge  a \xe2\x8f\x8e b\n",
	      "table cells sanitized");
	out_table_free(t);
}

static void test_table_shrink(void)
{
	const char *h[] = { "id", "description", "ville" };
	const char *r[] = { "1", "Espace numérique de la médiathèque", "Privas" };
	const char *h2[] = { "a", "b" };
	const char *r2[] = { "日本語テキスト", "xxxxxxxxxxxx" };
	struct out_table *t = out_table_new(3, h);

	out_table_add(t, r);
	check(t, OUT_TABLE, 30, 0,
	      "id  description         ville\n"
	      "──  ──────────────────  ──────\n"
	      "1   Espace num\xc3\xa9rique \xe2\x80\xa6  Privas\n",
	      "widest column shrunk to fit 30 columns");
	check(t, OUT_TABLE, 29, 0,
	      "id  description        ville\n"
	      "──  ─────────────────  ──────\n"
	      "1   Espace num\xc3\xa9rique\xe2\x80\xa6  Privas\n",
	      "29 columns");
	out_table_free(t);

	t = out_table_new(2, h2);
	out_table_add(t, r2);
	check(t, OUT_TABLE, 10, 0,
	      "a       b\n"
	      "──────  ──────\n"
	      "日本\xe2\x80\xa6   xxxxx\xe2\x80\xa6\n",
	      "minimum column width; wide chars never split");
	check(t, OUT_TABLE, 19, 0,
	      "a          b\n"
	      "─────────  ────────\n"
	      "日本語テ\xe2\x80\xa6  xxxxxxx\xe2\x80\xa6\n",
	      "both columns capped, leftover column to the first");
	out_table_free(t);
}

static void test_table_max_rows(void)
{
	const char *h[] = { "n" };
	const char *rows[][1] = { { "1" }, { "2" }, { "3" }, { "4" }, { "5" } };
	struct out_table *t = out_table_new(1, h);
	size_t i;

	for (i = 0; i < 3; i++)
		out_table_add(t, rows[i]);
	check(t, OUT_TABLE, 0, 2, "n\n─\n1\n2\n\xe2\x80\xa6 1 more row\n", "max_rows, one more (singular)");
	check(t, OUT_TABLE, 0, 3, "n\n─\n1\n2\n3\n", "max_rows equal to the rows: no more line");
	for (; i < 5; i++)
		out_table_add(t, rows[i]);
	check(t, OUT_TABLE, 0, 2, "n\n─\n1\n2\n\xe2\x80\xa6 3 more rows\n", "max_rows, three more (plural)");
	check(t, OUT_TSV, 0, 2, "n\n1\n2\n3\n4\n5\n", "tsv ignores max_rows");
	out_table_free(t);

	t = out_table_new(1, h);
	check(t, OUT_TABLE, 0, 0, "n\n─\n", "empty table: header and rule");
	out_table_free(t);
}

static void test_tsv(void)
{
	const char *h[] = { "nom", "note" };
	const char *r1[] = { "x\ty", "l1\nl2\\z\r" };
	const char *r2[] = { "\x1b]0;t\x07ok", "caf\xc3\xa9 \xff" };
	const char *r3[] = { NULL, "" };
	struct out_table *t = out_table_new(2, h);

	out_table_add(t, r1);
	out_table_add(t, r2);
	out_table_add(t, r3);
	check(t, OUT_TSV, 0, 0,
	      "nom\tnote\n"
	      "x\\ty\tl1\\nl2\\\\z\\r\n"
	      FFFD "ok\tcaf\xc3\xa9 " FFFD "\n"
	      "\t\n",
	      "tsv escapes and sanitizing");
	out_table_free(t);
}

static void test_csv(void)
{
	const char *h[] = { "nom", "note" };
	const char *r1[] = { "Dupont, Jean", "il a dit \"oui\"" };
	const char *r2[] = { " espace", "l1\r\nl2" };
	const char *r3[] = { "simple", "" };
	const char *r4[] = { "fin ", "\x1b[2Jcaf\xc3\xa9\ttab" };
	struct out_table *t = out_table_new(2, h);

	out_table_add(t, r1);
	out_table_add(t, r2);
	out_table_add(t, r3);
	out_table_add(t, r4);
	check(t, OUT_CSV, 0, 0,
	      "nom,note\r\n"
	      "\"Dupont, Jean\",\"il a dit \"\"oui\"\"\"\r\n"
	      "\" espace\",\"l1\r\nl2\"\r\n"
	      "simple,\r\n"
	      "\"fin \"," FFFD "caf\xc3\xa9\ttab\r\n",
	      "csv quoting, CRLF, escape sequence replaced");
	out_table_free(t);
}

static void test_write_error(void)
{
	const char *h[] = { "n" };
	struct out_table *t = out_table_new(1, h);
	FILE *fp = fopen("/dev/full", "w");

	if (!fp) {
		ok(1, "# SKIP no /dev/full");
		ok(1, "# SKIP no /dev/full");
	} else {
		is_int(out_table_write(t, OUT_CSV, fp, 0, 0), -1, "write error reported");
		ok(!strncmp(qfq_error_msg(), "write error: ", 13), "write error message: %s",
		   qfq_error_msg());
		fclose(fp);
	}
	out_table_free(t);
}

static void test_term_size(void)
{
	FILE *fp = mem_open();

	unsetenv("COLUMNS");
	unsetenv("LINES");
	is_int(out_term_width(fp), 0, "not a terminal: width 0");
	is_int(out_term_height(fp), 0, "not a terminal: height 0");
	setenv("COLUMNS", "77", 1);
	setenv("LINES", "30", 1);
	is_int(out_term_width(fp), 77, "COLUMNS honoured");
	is_int(out_term_height(fp), 30, "LINES honoured");
	setenv("COLUMNS", "-5", 1);
	is_int(out_term_width(fp), 0, "negative COLUMNS ignored");
	setenv("COLUMNS", "80x", 1);
	is_int(out_term_width(fp), 0, "malformed COLUMNS ignored");
	setenv("COLUMNS", "0", 1);
	is_int(out_term_width(fp), 0, "zero COLUMNS ignored");
	unsetenv("COLUMNS");
	unsetenv("LINES");
	fclose(fp);
	free(mem);
}

static void guard(const char *in, const char *want_csv, const char *want_tsv)
{
	struct strbuf sb = STRBUF_INIT;

	out_csv_cell(&sb, in, strlen(in));
	is_str(sb.buf, want_csv, "csv cell [%s]", in);
	strbuf_reset(&sb);
	out_tsv_cell(&sb, in, strlen(in));
	is_str(sb.buf, want_tsv, "tsv cell [%s]", in);
	strbuf_release(&sb);
}

static void test_formula_guard(void)
{
	guard("=1+1", "'=1+1", "'=1+1");
	guard("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"", "'=HYPERLINK(\"x\")");
	guard("+33 4 75 00 00 00", "'+33 4 75 00 00 00", "'+33 4 75 00 00 00");
	guard("-2+3", "'-2+3", "'-2+3");
	guard("@SUM(A1)", "'@SUM(A1)", "'@SUM(A1)");
	guard("\tx", "\"'\tx\"", "'\\tx");
	guard("\rx", "\"'\rx\"", "'\\rx");
	guard("-", "'-", "'-");
	guard("-0.5", "-0.5", "-0.5");
	guard("+33475000000", "+33475000000", "+33475000000");
	guard("-1.5e-3", "-1.5e-3", "-1.5e-3");
	guard("-1e", "'-1e", "'-1e");
	guard("-.5", "-.5", "-.5");
	guard("-.", "'-.", "'-.");
	guard("a=b", "a=b", "a=b");
	guard("", "", "");
	out_set_raw_cells(true);
	guard("=1+1", "=1+1", "=1+1");
	guard("=\x1b]0;t\x07", "=\xEF\xBF\xBD", "=\xEF\xBF\xBD");
	out_set_raw_cells(false);
}

static void test_unsafe_points(void)
{
	static const int32_t bad[] = { 0x00, 0x1B, 0x7F, 0x85, 0x9B, 0x061C, 0x180E, 0x200B, 0x200D,
		0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202E, 0x2060, 0x2066, 0x2069, 0xFEFF,
		0xFFF9, 0xE0001, 0xE007F };
	static const int32_t fine[] = { ' ', 'a', 0xA0, 0xE9, 0x0627, 0x2026, 0x20AC, 0x23CE,
		0xFFFD, 0x1F600 };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		ok(out_cp_unsafe(bad[i]), "U+%04X is unsafe", (unsigned)bad[i]);
	for (i = 0; i < sizeof(fine) / sizeof(*fine); i++)
		ok(!out_cp_unsafe(fine[i]), "U+%04X is fine", (unsigned)fine[i]);
	san("a\xE2\x80\x8F" "b\xD8\x9C" "c\xEF\xBB\xBF" "d\xE2\x80\x8B" "e", 16, 0,
	    "<a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD" "d\xEF\xBF\xBD" "e>", "marks, BOM, zero width");
}

int main(void)
{
	test_formula_guard();
	test_unsafe_points();
	test_format_parse();
	test_sanitize();
	test_table_align();
	test_table_shrink();
	test_table_max_rows();
	test_tsv();
	test_csv();
	test_write_error();
	test_term_size();
	return tap_done();
}
