/*
 * test_csvread: the CSV reader against the files people really send:
 * delimiter and encoding detection, quoting, line numbers, blank lines and
 * ragged rows, and the refusals (binary, oversized, unterminated) with the
 * exact position in the message.
 */
#include "util/csvread.h"
#include "util/error.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "tests/unit/tap.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Reads everything and renders it as "[line]f1|f2\n" per record, or as
 * "ERR <message>" (after the records read so far) on an error, so that one
 * is_str() checks values, splitting and line numbers together. rc: how
 * the opening of r went. */
static char *dump_reader(struct csv_reader *r, int rc)
{
	struct strbuf sb = STRBUF_INIT;
	struct csv_row row;
	size_t i;

	if (rc < 0) {
		strbuf_addf(&sb, "ERR %s", qfq_error_msg());
		return strbuf_detach(&sb, NULL);
	}
	while ((rc = csv_next(r, &row)) > 0) {
		strbuf_addf(&sb, "[%lu]", row.line);
		for (i = 0; i < row.n; i++) {
			if (i)
				strbuf_addch(&sb, '|');
			strbuf_add(&sb, row.fields[i], row.lens[i]);
		}
		strbuf_addch(&sb, '\n');
	}
	if (rc < 0)
		strbuf_addf(&sb, "ERR %s", qfq_error_msg());
	csv_close(r);
	return strbuf_detach(&sb, NULL);
}

static char *dump_chunk(const char *data, size_t len, const struct csv_options *opt, size_t chunk)
{
	struct csv_options o = { 0 };
	struct csv_reader *r = NULL;
	int rc;

	if (opt)
		o = *opt;
	o.chunk = chunk;
	rc = csv_open_mem(&r, "t.csv", data, len, &o);
	return dump_reader(r, rc);
}

/* The records as read in the default chunks; the same must come out when
 * the input is read 1 and 3 bytes at a time (every sequence, CRLF and
 * record cut by chunk ends), else the result says where they differ. */
static char *dump_opt(const char *data, size_t len, const struct csv_options *opt)
{
	static const size_t tiny[] = { 1, 3 };
	char *want = dump_chunk(data, len, opt, 0), *got;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(tiny) / sizeof(tiny[0]) && len <= 65536; i++) {
		got = dump_chunk(data, len, opt, tiny[i]);
		if (strcmp(got, want)) {
			strbuf_addf(&sb, "chunks of %zu bytes give\n%s\ninstead of\n%s", tiny[i], got, want);
			free(got);
			free(want);
			return strbuf_detach(&sb, NULL);
		}
		free(got);
	}
	return want;
}

static void check(const char *data, size_t len, const struct csv_options *opt,
		  const char *want, const char *what)
{
	char *got = dump_opt(data, len, opt);

	is_str(got, want, "%s", what);
	free(got);
}

#define CHECK(data, want, what) check((data), sizeof(data) - 1, NULL, (want), (what))

/* Checks that the message contains want (the position and the problem). */
static void check_err(const char *data, size_t len, const struct csv_options *opt,
		      const char *want, const char *what)
{
	char *got = dump_opt(data, len, opt);

	if (!ok(strstr(got, "ERR ") && strstr(got, want) && strncmp(got, "chunks of ", 10), "%s", what))
		printf("#   got: \"%.200s\"\n#   expected to contain: \"%s\"\n", got, want);
	free(got);
}

static void detect(const char *data, char delim, const char *enc, const char *what)
{
	struct csv_reader *r;

	if (!ok(csv_open_mem(&r, "t.csv", data, strlen(data), NULL) == 0, "%s: opens", what))
		return;
	is_int(csv_delimiter(r), delim, "%s: delimiter", what);
	is_str(csv_encoding(r), enc, "%s: encoding", what);
	csv_close(r);
}

static void test_delimiters(void)
{
	detect("a,b,c\n1,2,3\n", ',', "UTF-8", "comma");
	detect("nom;prénom;ville\n", ';', "UTF-8", "semicolon");
	detect("a\tb\tc\n", '\t', "UTF-8", "tab");
	detect("\"x;y;z\",b,c\n", ',', "UTF-8", "quoted delimiters not counted");
	detect("a,b;c\n", ';', "UTF-8", "tie goes to semicolon");
	detect("a,b\tc\n", ',', "UTF-8", "then to comma");
	detect("\n  \na\tb\n", '\t', "UTF-8", "leading blank lines skipped");
	CHECK("nom;prénom;ville\nDupont;Jean;Lyon, France\n",
	      "[1]nom|prénom|ville\n[2]Dupont|Jean|Lyon, France\n", "semicolon file keeps commas");
	CHECK("a\tb\n1\t\t3\n", "[1]a|b\n[2]1||3\n", "tab file with an empty middle field");
	CHECK("nom\nDupont, Jean\n", "[1]nom\n[2]Dupont, Jean\n", "one column: no delimiter found");
	CHECK("sep=,\na;b,c\n", "[2]a;b|c\n", "Excel sep= line sets the delimiter");
	CHECK(" a ,  b\t, \" c \"\n", "[1]a|b| c \n", "unquoted blanks trimmed, quoted kept");
}

static void test_forced(void)
{
	struct csv_options o = { .delim = ',' };

	check("a;b,c\n", 6, &o, "[1]a;b|c\n", "forced delimiter");
	o.delim = '"';
	check_err("a\n", 2, &o, "unusable delimiter 0x22", "quote refused as delimiter");
	o = (struct csv_options){ .encoding = "cp1252" };
	check("caf\xc3\xa9\n", 6, &o, "[1]cafÃ©\n", "forced cp1252 on UTF-8 bytes");
	check_err("\xfe\xff\xffH\0", 5, &o, "line 1, column 5: NUL byte",
		  "forced cp1252: a UTF-16 BOM does not let a NUL through");
	o.encoding = "LATIN1";
	check("\x80\xe9\n", 3, &o, "[1]\xc2\x80é\n", "forced latin1: 0x80 is U+0080");
	o.encoding = "utf8";
	check_err("ok\ncaf\xe9\n", 7, &o, "line 2, column 4: invalid UTF-8 byte 0xE9 in \"t.csv\"",
		  "forced UTF-8, invalid byte");
	o.encoding = "auto";
	check("\xe9\n", 2, &o, "[1]é\n", "\"auto\" means detect");
	o.encoding = "ebcdic";
	check_err("a\n", 2, &o, "unknown encoding \"ebcdic\"", "unknown encoding");
}

static void test_quoting(void)
{
	CHECK("\"a,b\";\"c\"\"d\";\"e\r\nf\"\r\nx;y\r\n",
	      "[1]a,b|c\"d|e\nf\n[3]x|y\n", "embedded delimiter, doubled quote, CRLF in quotes");
	CHECK("id,txt\n1,\"l1\nl2\nl3\"\n2,z\n", "[1]id|txt\n[2]1|l1\nl2\nl3\n[5]2|z\n",
	      "LF in quotes: next record on line 5");
	CHECK("a,\"x\ry\"\nb\n", "[1]a|x\ny\n[3]b\n", "lone CR in quotes becomes LF");
	CHECK("\"\",\"\"\n1\n", "[2]1\n", "a record of empty quoted fields is skipped");
	check_err("a,b\n1,\"open\nmore\n", 17, NULL, "line 2, field 2: unterminated quote in \"t.csv\"",
		  "unterminated quote reported where it opened");
	check_err("\"a\nb\",\"c\nd", 10, NULL, "line 2, field 2: unterminated quote",
		  "unterminated quote after a multi-line field");
	check_err("a,b\n1,x\"y\n", 10, NULL,
		  "line 2, field 2: quote inside an unquoted field", "stray quote (strict)");
	check_err("\"a\"b,c\n", 7, NULL, "line 1, field 1: text after a closing quote",
		  "text after closing quote (strict)");
}

static void test_lines(void)
{
	CHECK("a,b\r\nc,d\r\n", "[1]a|b\n[2]c|d\n", "CRLF");
	CHECK("a,b\rc,d\r", "[1]a|b\n[2]c|d\n", "lone CR");
	CHECK("a;b;;\n1;;;\n;;;\n\n\n", "[1]a|b\n[2]1\n", "trailing empty fields and lines");
	CHECK("a\n\n \nb\n", "[1]a\n[4]b\n", "blank lines inside keep the numbering");
	CHECK("x;;y;;\n", "[1]x||y\n", "empty fields kept up to the last non-empty one");
	CHECK("", "", "empty file: no rows");
	CHECK("\n\r\n\n", "", "only blank lines: no rows");
	CHECK("nom,ville", "[1]nom|ville\n", "header only, no final newline");
	CHECK("a,b\n\x1a", "[1]a|b\n", "final Ctrl-Z dropped");
}

static void test_encodings(void)
{
	detect("\xEF\xBB\xBFnom,ville\n", ',', "UTF-8 (BOM)", "BOM");
	CHECK("\xEF\xBB\xBFnom,ville\n", "[1]nom|ville\n", "BOM stripped from the first field");
	detect("nom;ville\nH\xe9l\xe8ne;Paris\n", ';', "WINDOWS-1252", "invalid UTF-8 means cp1252");
	CHECK("nom;ville\nH\xe9l\xe8ne;caf\x80\x92s\n", "[1]nom|ville\n[2]Hélène|caf€’s\n",
	      "cp1252: é è € ’ converted");
	CHECK("\xe9\x81\n", "[1]é\xc2\x81\n", "0x81 undefined in cp1252: read as Latin-1");
	CHECK("\xe9\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\n", "[1]é€€€€€€€€€€€€\n",
	      "cp1252: twelve euros, three bytes each in UTF-8 (the buffer holds them)");
	check_err("\xEF\xBB\xBFnom\ncaf\xe9;x\n", 13, NULL,
		  "line 2, column 4: invalid UTF-8 byte 0xE9 in \"t.csv\"", "BOM then invalid UTF-8");
	detect("\xed\xa0\x80\n", ';', "WINDOWS-1252", "UTF-8 surrogate is not UTF-8");
	detect("\xc0\xaf\n", ';', "WINDOWS-1252", "overlong form is not UTF-8");
	detect("\xf4\x90\x80\x80\n", ';', "WINDOWS-1252", "past U+10FFFF is not UTF-8");
	detect("\xf0\x9f\x98\x80 \xe2\x82\xac\n", ';', "UTF-8", "emoji and euro are UTF-8");
	check("\xFF\xFE" "a\0,\0\xe9\0\n\0", 10, NULL, "[1]a|é\n", "UTF-16LE with BOM converted");
	detect("\xFE\xFF\0a\0\n", ';', "UTF-16BE (BOM)", "UTF-16BE detected");
	check_err("\xFF\xFE" "a\0b", 5, NULL, "truncated UTF-16", "odd UTF-16 length");
}

static void test_binary(void)
{
	char buf[4096];
	unsigned x = 12345;
	size_t i;

	check_err("a,b\nc\0d\n", 8, NULL, "line 2, column 2: NUL byte (binary file?) in \"t.csv\"",
		  "NUL byte");
	check_err("\xc3\xa9t\xc3\xa9,\0", 8, NULL, "line 1, column 5: NUL byte",
		  "NUL column counts characters, not bytes");
	for (i = 0; i < sizeof(buf); i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		buf[i] = (char)(x >> 7);
	}
	check_err(buf, sizeof(buf), NULL, "(binary file?)", "random bytes");
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i % 8 ? 'a' : (char)(1 + i % 7);
	check_err(buf, sizeof(buf), NULL, "line 1, column 1: control byte 0x01 (binary file?)",
		  "many control bytes");
	memcpy(buf, "a\x0b" "b,c\n", 6);
	check(buf, 6, NULL, "[1]a\x0b" "b|c\n", "one control byte is not binary");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_limits(void)
{
	size_t big = 10u << 20, i;
	char *s = xmalloc(big + 16);
	struct csv_options o = { .max_field = 10 };
	double t;

	memcpy(s, "a,b\n1,", 6);
	memset(s + 6, 'x', big);
	t = now();
	check_err(s, big + 6, NULL, "line 2, field 2: field longer than 1 MiB in \"t.csv\"", "10 MB field");
	ok(now() - t < 2.0, "10 MB field refused quickly (%.3f s)", now() - t);
	s[0] = '"';
	for (i = 1; i < big; i += 100)
		s[i] = '\n';
	check_err(s, big, NULL, "line 1, field 1: field longer than 1 MiB (unterminated quote?)",
		  "unterminated quote swallowing the file hits the limit with a hint");
	check_err("a,0123456789A\n", 14, &o, "line 1, field 2: field longer than 10 bytes",
		  "custom max_field");
	check("0123456789\n", 11, &o, "[1]0123456789\n", "field of exactly max_field");

	for (i = 0; i < 10000; i++)
		memcpy(s + 2 * i, "1,", 2);
	s[2 * i - 1] = '\n';
	t = now();
	check_err(s, 2 * i, NULL, "line 1: more than 1000 fields in \"t.csv\"", "10,000 columns");
	ok(now() - t < 2.0, "10,000 columns refused quickly");
	free(s);
}

static void test_ragged_excel(void)
{
	struct csv_reader *r;
	struct csv_row row;
	char *s = xmalloc(20000);
	size_t i;

	/* 1000 values padded with 9000 empty cells: within the limit */
	for (i = 0; i < 10000; i++)
		memcpy(s + 2 * i, i < 1000 ? "v;" : ";;", 2);
	s[19999] = '\n';
	ok(csv_open_mem(&r, "pad.csv", s, 20000, NULL) == 0, "padded row opens");
	is_int(csv_next(r, &row), 1, "padded row read");
	is_int(row.n, 1000, "padded row trimmed to its 1000 values");
	is_str(row.fields[999], "v", "last value");
	is_int(csv_next(r, &row), 0, "then end of file");
	csv_close(r);
	free(s);
}

static void test_sticky_error(void)
{
	struct csv_reader *r;
	struct csv_row row;

	ok(csv_open_mem(&r, "s.csv", "a\n\"x", 4, NULL) == 0, "opens");
	is_int(csv_next(r, &row), 1, "first record");
	is_str(row.fields[0], "a", "its field");
	is_int(row.lens[0], 1, "its length");
	is_int(csv_next(r, &row), -1, "then the error");
	qfq_error_clear();
	is_int(csv_next(r, &row), -1, "the error sticks");
	is_str(qfq_error_msg(), "line 2, field 1: unterminated quote in \"s.csv\"", "with its message");
	csv_close(r);
}

static char *temp_file(const char *data, size_t len)
{
	char *path = xstrdup("/tmp/test_csvread.XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		perror("temp file");
		exit(1);
	}
	close(fd);
	return path;
}

static void test_files(void)
{
	static const char excel[] = "Nom;Pr\xe9nom;Structure\r\nL\xe9vy;Ana\xefs;\"EPN \x93La Fabrique\x94\"\r\n;;\r\n";
	char *path = temp_file(excel, sizeof(excel) - 1);
	struct csv_reader *r;
	struct csv_row row;

	ok(csv_open(&r, path, NULL) == 0, "csv_open on an Excel export");
	is_str(csv_name(r), path, "name is the path");
	is_str(csv_encoding(r), "WINDOWS-1252", "encoding detected");
	is_int(csv_delimiter(r), ';', "delimiter detected");
	is_int(csv_next(r, &row), 1, "header");
	is_str(row.fields[1], "Prénom", "header converted");
	is_int(csv_next(r, &row), 1, "data row");
	is_int(row.n, 3, "three fields");
	is_str(row.fields[2], "EPN “La Fabrique”", "curly quotes converted");
	is_int(row.line, 2, "on line 2");
	is_int(csv_next(r, &row), 0, "the row of empty cells is skipped");
	csv_close(r);
	unlink(path);
	free(path);

	path = temp_file("", 0);
	ok(csv_open(&r, path, NULL) == 0, "empty file opens");
	is_int(csv_next(r, &row), 0, "and has no rows");
	csv_close(r);
	unlink(path);
	ok(csv_open(&r, path, NULL) < 0 && strstr(qfq_error_msg(), "cannot open \"/tmp/test_csvread."),
	   "missing file: %s", qfq_error_msg());
	ok(r == NULL, "no reader on failure");
	free(path);
	ok(csv_open(&r, "/tmp", NULL) < 0 && strstr(qfq_error_msg(), "Is a directory"),
	   "directory refused: %s", qfq_error_msg());
}

/* A file of several chunks (the reader holds about 1 MiB of it at a time):
 * the same records from a file, a pipe and memory, in UTF-8 and in
 * Windows-1252; sequences and CRLFs cut by chunk ends; a bad byte deep in
 * the file found by the first pass with its line and column. */
static void test_streaming(void)
{
	struct strbuf u = STRBUF_INIT, w = STRBUF_INIT;
	char *want, *got, *path;
	struct csv_reader *r = NULL;
	size_t i, k, lines = 1;
	int fds[2], rc;
	pid_t pid;

	/* line 1 ends with an é whose first byte is the last of the first chunk */
	strbuf_addstr(&u, "a;");
	for (i = 2; i < ((size_t)256 << 10) - 1; i++)
		strbuf_addch(&u, 'b');
	strbuf_addstr(&u, "\xc3\xa9\r\n");
	for (i = 0; i < 120000; i++) {
		strbuf_addf(&u, "%zu;H\xc3\xa9l\xc3\xa8ne %zu", i, i * 7);
		if (i % 1000 == 999) {
			strbuf_addstr(&u, ";\"deux\r\nlignes\"");
			lines++;
		}
		strbuf_addstr(&u, i % 3 ? "\r\n" : "\n");
		lines++;
	}
	ok(u.len > ((size_t)2 << 20), "the file is %zu bytes, over two windows", u.len);
	want = dump_opt(u.buf, u.len, NULL);
	ok(!strncmp(want, "[1]a|b", 6) && strstr(want, "bb\xc3\xa9\n[2]0|H\xc3\xa9l\xc3\xa8ne 0\n"),
	   "memory: the é cut by the first chunk end is whole");
	k = (size_t)snprintf(NULL, 0, "[%zu]119999|H\xc3\xa9l\xc3\xa8ne 839993|deux\nlignes\n", lines - 1);
	ok(strlen(want) > k && !strstr(want, "ERR"), "memory: read to the end without error");
	got = xmalloc(k + 1);
	snprintf(got, k + 1, "[%zu]119999|H\xc3\xa9l\xc3\xa8ne 839993|deux\nlignes\n", lines - 1);
	is_str(want + strlen(want) - k, got, "memory: the last record on line %zu", lines - 1);
	free(got);

	path = temp_file(u.buf, u.len);
	rc = csv_open(&r, path, NULL);
	got = dump_reader(r, rc);
	ok(!strcmp(got, want), "file: the same records as from memory");
	free(got);
	unlink(path);
	free(path);

	if (pipe(fds) == 0 && (pid = fork()) >= 0) {
		if (pid == 0) {
			close(fds[0]);
			rc = write(fds[1], u.buf, u.len) == (ssize_t)u.len ? 0 : 1;
			_exit(rc);
		}
		close(fds[1]);
		rc = dup(STDIN_FILENO);
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		k = (size_t)csv_open(&r, "-", NULL);
		got = dump_reader(r, (int)k);
		dup2(rc, STDIN_FILENO);
		close(rc);
		waitpid(pid, NULL, 0);
		ok(!strcmp(got, want), "pipe: the same records as from memory");
		free(got);
	} else {
		ok(0, "pipe: cannot fork");
	}

	/* the same in Windows-1252: é is 0xE9 */
	for (i = 0; i < u.len; i++) {
		if ((unsigned char)u.buf[i] == 0xC3) {
			strbuf_addch(&w, (char)(u.buf[i + 1] + 0x40));
			i++;
		} else {
			strbuf_addch(&w, u.buf[i]);
		}
	}
	path = temp_file(w.buf, w.len);
	rc = csv_open(&r, path, NULL);
	is_str(rc == 0 ? csv_encoding(r) : qfq_error_msg(), "WINDOWS-1252", "cp1252 file detected");
	got = dump_reader(r, rc);
	ok(!strcmp(got, want), "cp1252 file: the same records once converted");
	free(got);
	unlink(path);
	free(path);

	/* one bad byte on line 100,001 (its 3rd column) of a UTF-8 file */
	strbuf_reset(&w);
	strbuf_add(&w, u.buf, u.len);
	for (i = 0, k = 1; k < 100001; i++)
		if (w.buf[i] == '\n' || (w.buf[i] == '\r' && w.buf[i + 1] != '\n'))
			k++;
	w.buf[i + 2] = '\xe9';
	path = temp_file(w.buf, w.len);
	rc = csv_open(&r, path, NULL);
	ok(rc < 0 && strstr(qfq_error_msg(), "is UTF-8 except at line 100001, column 3 (0xE9) (1 in all)"),
	   "bad byte deep in the file located: %s", rc < 0 ? qfq_error_msg() : "opened");
	if (rc == 0)
		csv_close(r);
	unlink(path);
	free(path);
	free(want);
	/* a Windows-1252 chunk of euros: each byte becomes three */
	strbuf_reset(&w);
	strbuf_reset(&u);
	for (i = 0; i < 300000; i++) {
		strbuf_addch(&w, i % 1000 == 999 ? '\n' : '\x80');
		if (i < 999)
			strbuf_addstr(&u, "\xe2\x82\xac");
	}
	rc = csv_open_mem(&r, "euros.csv", w.buf, w.len, NULL);
	k = 0;
	if (rc == 0) {
		struct csv_row row;

		while (csv_next(r, &row) == 1)
			k += row.lens[0] == u.len && !memcmp(row.fields[0], u.buf, u.len);
		csv_close(r);
	}
	is_int(k, 300, "300 lines of 999 euros in Windows-1252: each converted to its three bytes");
	strbuf_release(&u);
	strbuf_release(&w);
}

/* Peak memory does not grow with the file: reading 64 MB of records costs
 * at most a few MB more than reading a small file (the window, the
 * record), not the file. */
static void test_bounded_memory(void)
{
	static const char line[] = "12345;H\xc3\xa9l\xc3\xa8ne Dupont;\"12 rue de la Gare, 07000 Privas\";0475112233\r\n";
	char *path = xstrdup("/tmp/test_csvread.XXXXXX"), *block = xmalloc((size_t)1 << 20);
	struct rusage before, after;
	struct csv_reader *r;
	struct csv_row row;
	size_t i, n = 0, rows = 0, k = sizeof(line) - 1;
	int fd = mkstemp(path), rc;

	for (i = 0; i + k <= ((size_t)1 << 20); i += k)
		memcpy(block + i, line, k), n++;
	for (i = 0; i < 64 && fd >= 0; i++)
		if (write(fd, block, n * k) != (ssize_t)(n * k))
			break;
	close(fd);
	free(block);
	getrusage(RUSAGE_SELF, &before);
	rc = csv_open(&r, path, NULL);
	ok(rc == 0, "64 MB file opens");
	if (rc == 0) {
		while ((rc = csv_next(r, &row)) == 1)
			rows++;
		csv_close(r);
	}
	getrusage(RUSAGE_SELF, &after);
	is_int(rows, 64 * n, "every record read");
	ok(after.ru_maxrss - before.ru_maxrss < 8 * 1024, "peak RSS grew by %ld KB (under 8 MB) for a 64 MB file",
	   after.ru_maxrss - before.ru_maxrss);
	unlink(path);
	free(path);
}

int main(void)
{
	test_delimiters();
	test_forced();
	test_quoting();
	test_lines();
	test_encodings();
	test_binary();
	test_limits();
	test_ragged_excel();
	test_sticky_error();
	test_files();
	test_streaming();
	test_bounded_memory();
	return tap_done();
}
