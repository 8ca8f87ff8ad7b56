/* test_utf8: UTF-8 validation, decoding, display width and truncation. */
#include "util/utf8.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

#define W(s) utf8_width((s), strlen(s))

/* Copies s into a heap block of exactly its length, so that ASan catches
 * any read past len. */
static char *exact(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	memcpy(p, s, len);
	return p;
}

static void test_valid(void)
{
	size_t bad = 99;

	ok(utf8_valid("", 0, NULL), "empty is valid");
	ok(utf8_valid("Privas é 日本 😀", strlen("Privas é 日本 😀"), NULL), "mixed text is valid");
	ok(!utf8_valid("ab\xff", 3, &bad), "0xff is invalid");
	is_int(bad, 2, "offset of 0xff");
	ok(!utf8_valid("a\xc3", 2, &bad), "truncated sequence is invalid");
	is_int(bad, 1, "offset of truncated sequence");
	ok(!utf8_valid("\xc0\xaf", 2, NULL), "overlong '/' is invalid");
	ok(!utf8_valid("\xe0\x80\xaf", 3, NULL), "overlong 3-byte is invalid");
	ok(!utf8_valid("\xed\xa0\x80", 3, NULL), "surrogate U+D800 is invalid");
	ok(!utf8_valid("\xf4\x90\x80\x80", 4, NULL), "above U+10FFFF is invalid");
	ok(!utf8_valid("\x80", 1, NULL), "lone continuation is invalid");
	ok(utf8_valid("\xef\xbf\xbd", 3, NULL), "a real U+FFFD is valid");
	ok(utf8_valid("a\0b", 3, NULL), "NUL byte is valid UTF-8");
}

static void test_decode(void)
{
	int32_t cp = 0;
	char *p;

	is_int(utf8_decode("A", 1, &cp), 1, "ASCII takes 1 byte");
	is_int(cp, 'A', "ASCII code point");
	is_int(utf8_decode("é", 2, &cp), 2, "é takes 2 bytes");
	is_int(cp, 0xE9, "é is U+00E9");
	is_int(utf8_decode("日", 3, &cp), 3, "日 takes 3 bytes");
	is_int(cp, 0x65E5, "日 is U+65E5");
	is_int(utf8_decode("😀", 4, &cp), 4, "emoji takes 4 bytes");
	is_int(cp, 0x1F600, "emoji is U+1F600");
	is_int(utf8_decode("\xe6\x97", 2, &cp), 1, "truncated sequence consumes 1 byte");
	is_int(cp, 0xFFFD, "truncated sequence gives U+FFFD");
	is_int(utf8_decode("\xe6\x41\x41", 3, &cp), 1, "bad continuation consumes 1 byte");
	is_int(cp, 0xFFFD, "bad continuation gives U+FFFD");
	/* len shorter than the sequence: must not look at the bytes beyond */
	p = exact("\xf0\x9f\x98", 3);
	is_int(utf8_decode(p, 3, &cp), 1, "3 of 4 bytes: 1 consumed, no overread");
	free(p);
	is_int(utf8_decode("x", 0, &cp), 0, "len 0 consumes nothing");
}

static void test_width(void)
{
	is_int(W(""), 0, "empty width 0");
	is_int(W("Privas"), 6, "ASCII width");
	is_int(W("\xc3\xa9"), 1, "precomposed é width 1");
	is_int(W("e\xcc\x81"), 1, "e + combining acute width 1");
	is_int(W("Ard\xc3\xa8" "che"), 7, "Ardèche width 7");
	is_int(W("日本"), 4, "日本 width 4");
	is_int(W("😀"), 2, "emoji width 2");
	is_int(W("a\tb\x1b" "c\x7f"), 3, "controls count 0");
	is_int(W("\xc2\x9b"), 0, "C1 control counts 0");
	is_int(W("\xc2\xb0"), 1, "ambiguous ° counts 1");
	is_int(W("a\xff" "b"), 3, "invalid byte counts 1 (shown as U+FFFD)");
}

static void test_prefix(void)
{
	size_t w = 99;
	char *p;

	is_int(utf8_prefix_for_width("Privas", 6, 3, &w), 3, "ASCII prefix of 3 columns");
	is_int(w, 3, "ASCII prefix width");
	is_int(utf8_prefix_for_width("日本", 6, 3, &w), 3, "wide char not split: 1 char in 3 columns");
	is_int(w, 2, "wide prefix width 2");
	is_int(utf8_prefix_for_width("日本", 6, 1, &w), 0, "wide char does not fit in 1 column");
	is_int(w, 0, "empty prefix width 0");
	is_int(utf8_prefix_for_width("\xc3\xa9t\xc3\xa9", 5, 1, &w), 2, "é kept whole");
	is_int(utf8_prefix_for_width("e\xcc\x81tat", 6, 1, &w), 3, "combining mark stays with its base");
	is_int(w, 1, "combining prefix width 1");
	is_int(utf8_prefix_for_width("abc", 3, 10, &w), 3, "all fits");
	is_int(w, 3, "all fits width");
	is_int(utf8_prefix_for_width("abc", 3, 0, NULL), 0, "0 columns, NULL width");
	p = exact("ab\xc3", 3);
	is_int(utf8_prefix_for_width(p, 3, 10, &w), 3, "truncated tail, no overread");
	is_int(utf8_width(p, 3), 3, "width of truncated tail, no overread");
	free(p);
}

int main(void)
{
	test_valid();
	test_decode();
	test_width();
	test_prefix();
	return tap_done();
}
