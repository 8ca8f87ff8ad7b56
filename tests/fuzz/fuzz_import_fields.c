/*
 * fuzz_import_fields: libFuzzer target for the field handling both
 * importers share (issue 11): the phone, email and URL rules
 * (src/csv/fields.c), the control-character rule (csv_field_control), and
 * the roster's cell splitting: person names ("Nom prénom" in any order,
 * "excusé(e)"), structure cells with glued roles, column headers, and the
 * structure name key. The first input byte picks the function, the rest is
 * the field (up to its first NUL, as the reader hands fields over).
 *
 * Beyond "no crash, no leak", it checks what the importers rely on: a
 * normalized phone is "+" and 8 to 15 digits and says whether it changed;
 * a valid email has one "@"; the control rule points at a control byte;
 * what is taken apart from valid UTF-8 is valid UTF-8 and no longer than
 * the input allows.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c17 -D_GNU_SOURCE -Isrc -I. \
 *     tests/fuzz/fuzz_import_fields.c src/csv/fields.c src/csv/roster_parse.c \
 *     src/core/persons.c src/core/names.c src/core/text.c src/util/csvread.c src/util/utf8.c \
 *     src/util/strbuf.c src/util/xalloc.c src/util/error.c -lcsv -lutf8proc -o fuzz_import_fields
 *   ./fuzz_import_fields -max_total_time=90 tests/fuzz/corpus/import_fields
 */
#include "core/names.h"
#include "core/persons.h"
#include "csv/fields.h"
#include "csv/roster.h"
#include "util/csvread.h"
#include "util/strbuf.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Independent of qfq's own validators on purpose. */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xC2 && s[i] <= 0xDF)
			len = 2;
		else if (s[i] >= 0xE0 && s[i] <= 0xEF)
			len = 3;
		else if (s[i] >= 0xF0 && s[i] <= 0xF4)
			len = 4;
		else
			return 0;
		if (i + len > n)
			return 0;
		for (k = 1; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

static void phone(const char *s)
{
	struct strbuf out = STRBUF_INIT;
	int rc = field_phone_normalize(s, &out);
	size_t i;
	if (rc < 0) {
		if (out.len)
			abort();  /* out unchanged when refused */
	} else {
		if (out.len < 9 || out.len > 16 || out.buf[0] != '+' || out.buf[1] == '0')
			abort();
		for (i = 1; i < out.len; i++)
			if (!isdigit((unsigned char)out.buf[i]))
				abort();
		if ((rc == 0) != !strcmp(out.buf, s))
			abort();
	}
	strbuf_release(&out);
}

static void email_url(const char *s)
{
	if (field_email_valid(s)) {
		const char *at = strchr(s, '@');
		if (!at || strchr(at + 1, '@') || strchr(s, ' '))
			abort();
	}
	if (field_url_valid(s) && strncasecmp(s, "http", 4))
		abort();
	(void)field_postcode_valid(s);
}

static void control(const char *s, size_t len)
{
	unsigned cp = 0;
	size_t at = csv_field_control(s, len, &cp);
	if (at > len)
		abort();
	if (at < len && !((unsigned char)s[at] < 0x20 || (unsigned char)s[at] == 0x7F ||
			  (unsigned char)s[at] == 0xC2))
		abort();
	if (at < len && (cp == '\t' || cp == '\n' || cp == '\r'))
		abort();
}

static void roster_cells(const char *s, size_t len, int utf8)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	bool excused = false;
	enum roster_field f;

	roster_split_structure(s, &a, &b, &excused);
	if (utf8 && (!valid_utf8((unsigned char *)a.buf, a.len) || !valid_utf8((unsigned char *)b.buf, b.len)))
		abort();
	if (a.len > len || b.len > len)
		abort();
	strbuf_reset(&a);
	strbuf_reset(&b);
	person_name_split(s, &a, &b);
	if (utf8 && (!valid_utf8((unsigned char *)a.buf, a.len) || !valid_utf8((unsigned char *)b.buf, b.len)))
		abort();
	strbuf_reset(&a);
	strbuf_addstr(&a, s);
	roster_strip_excused(&a);
	if (a.len > len)
		abort();
	strbuf_reset(&a);
	names_structure_key(&a, s);
	if (utf8 && !valid_utf8((unsigned char *)a.buf, a.len))
		abort();
	f = roster_field_guess(s);
	if ((int)f < RF_NONE || f >= RF_COUNT)
		abort();
	strbuf_release(&a);
	strbuf_release(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;
	size_t len;
	int utf8;

	if (!size || size > 4096)
		return 0;
	len = strnlen((const char *)data + 1, size - 1);
	s = malloc(len + 1);
	memcpy(s, data + 1, len);
	s[len] = '\0';
	utf8 = valid_utf8((unsigned char *)s, len);
	switch (data[0] % 4) {
	case 0: phone(s); break;
	case 1: email_url(s); break;
	case 2: control(s, len); break;
	default: if (utf8) roster_cells(s, len, utf8); break;
	}
	free(s);
	return 0;
}
