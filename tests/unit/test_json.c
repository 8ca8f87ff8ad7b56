/* test_json: the streaming JSON writer, its commas, escaping and numbers. */
#include "out/json.h"
#include "tap.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>

static char *mem;
static size_t memsize;
static FILE *memfp;

static void start(struct json_writer *jw, bool pretty)
{
	memfp = open_memstream(&mem, &memsize);
	json_init(jw, memfp, pretty);
}

/* Finishes the document and compares everything written with want. */
static void check(struct json_writer *jw, const char *want, const char *name)
{
	is_int(json_finish(jw), 0, "%s: finish", name);
	fclose(memfp);
	is_str(mem, want, "%s", name);
	free(mem);
}

static void test_structure(void)
{
	struct json_writer jw;

	start(&jw, false);
	json_array_begin(&jw);
	json_array_end(&jw);
	check(&jw, "[]\n", "empty array");

	start(&jw, true);
	json_object_begin(&jw);
	json_object_end(&jw);
	check(&jw, "{}\n", "empty object, pretty");

	start(&jw, false);
	json_array_begin(&jw);
	json_int(&jw, 1);
	json_array_begin(&jw);
	json_int(&jw, 2);
	json_int(&jw, 3);
	json_array_end(&jw);
	json_object_begin(&jw);
	json_key(&jw, "a");
	json_array_begin(&jw);
	json_array_end(&jw);
	json_key(&jw, "b");
	json_object_begin(&jw);
	json_key(&jw, "c");
	json_null(&jw);
	json_object_end(&jw);
	json_object_end(&jw);
	json_bool(&jw, true);
	json_bool(&jw, false);
	json_array_end(&jw);
	check(&jw, "[1,[2,3],{\"a\":[],\"b\":{\"c\":null}},true,false]\n", "nested commas, compact");

	start(&jw, true);
	json_array_begin(&jw);
	json_object_begin(&jw);
	json_key(&jw, "nom");
	json_str(&jw, "Privas");
	json_key(&jw, "tags");
	json_array_begin(&jw);
	json_str(&jw, "wifi");
	json_int(&jw, -7);
	json_array_end(&jw);
	json_key(&jw, "vide");
	json_array_begin(&jw);
	json_array_end(&jw);
	json_object_end(&jw);
	json_object_begin(&jw);
	json_kv_str(&jw, "tel", "");
	json_kv_str(&jw, "mail", NULL);
	json_kv_str(&jw, "ville", "Aubenas");
	json_object_end(&jw);
	json_array_end(&jw);
	check(&jw,
	      "[\n"
	      "  {\n"
	      "    \"nom\": \"Privas\",\n"
	      "    \"tags\": [\n"
	      "      \"wifi\",\n"
	      "      -7\n"
	      "    ],\n"
	      "    \"vide\": []\n"
	      "  },\n"
	      "  {\n"
	      "    \"tel\": null,\n"
	      "    \"mail\": null,\n"
	      "    \"ville\": \"Aubenas\"\n"
	      "  }\n"
	      "]\n",
	      "nested, pretty; kv_str NULL and empty give null");
}

static void test_strings(void)
{
	struct json_writer jw;

	start(&jw, false);
	json_array_begin(&jw);
	json_str(&jw, "say \"hi\" \\ bye");
	json_str(&jw, "a\nb\tc\rd\x01" "e\x1b[31m\x7f");
	json_str(&jw, "bad \xff\xc3 end");
	json_str(&jw, "\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xae\xe2\x81\xa6");
	json_str(&jw, "\xc2\x9b" "C1");
	json_str(&jw, "Ard\xc3\xa8" "che 日本 😀");
	json_str(&jw, NULL);
	json_strn(&jw, "ab\0cd", 5);
	json_strn(&jw, "abcdef", 3);
	json_array_end(&jw);
	check(&jw,
	      "[\"say \\\"hi\\\" \\\\ bye\","
	      "\"a\\nb\\tc\\rd\\u0001e\\u001b[31m\\u007f\","
	      "\"bad \xef\xbf\xbd\xef\xbf\xbd end\","
	      "\"\\u2028\\u2029\\u202e\\u2066\","
	      "\"\\u009bC1\","
	      "\"Ard\xc3\xa8" "che 日本 😀\","
	      "null,"
	      "\"ab\\u0000cd\","
	      "\"abc\"]\n",
	      "string escaping");

	start(&jw, true);
	json_object_begin(&jw);
	json_key(&jw, "k\"\n\xff");
	json_int(&jw, 1);
	json_object_end(&jw);
	check(&jw, "{\n  \"k\\\"\\n\xef\xbf\xbd\": 1\n}\n", "keys escaped too");
}

static void doubles(const char *name)
{
	struct json_writer jw;

	start(&jw, false);
	json_array_begin(&jw);
	json_double(&jw, 44.73, 6);
	json_double(&jw, 4.6, 2);
	json_double(&jw, 0.0, 2);
	json_double(&jw, -0.001, 2);
	json_double(&jw, 4.725, 0);
	json_double(&jw, -1.5, 3);
	json_double(&jw, 100.0, 3);
	json_double(&jw, 1234567.125, 3);
	json_double(&jw, NAN, 2);
	json_double(&jw, INFINITY, 2);
	json_double(&jw, -INFINITY, 2);
	json_double(&jw, 1e20, 2);
	json_array_end(&jw);
	check(&jw,
	      "[44.73,4.6,0,0,5,-1.5,100,1234567.125,null,null,null,"
	      "100000000000000000000]\n",
	      name);
}

/* A locale whose decimal point is a comma, to prove numbers ignore it. */
static int comma_locale(void)
{
	static const char *const names[] = { "fr_FR.UTF-8", "fr_FR.utf8", "de_DE.UTF-8", "fr_FR" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (setlocale(LC_NUMERIC, names[i]) && localeconv()->decimal_point[0] == ',')
			return 1;
	setlocale(LC_NUMERIC, "C");
	return 0;
}

static void test_numbers(void)
{
	struct json_writer jw;

	doubles("doubles in the C locale");
	if (comma_locale()) {
		doubles("doubles in a decimal-comma locale");
		setlocale(LC_NUMERIC, "C");
	} else {
		ok(1, "# SKIP no fr_FR.UTF-8 (or other decimal-comma) locale installed");
		ok(1, "# SKIP no fr_FR.UTF-8 (or other decimal-comma) locale installed");
	}
	start(&jw, false);
	json_array_begin(&jw);
	json_int(&jw, 0);
	json_int(&jw, 9223372036854775807LL);
	json_int(&jw, -9223372036854775807LL - 1);
	json_array_end(&jw);
	check(&jw, "[0,9223372036854775807,-9223372036854775808]\n", "integers");
}

static void test_write_error(void)
{
	struct json_writer jw;
	FILE *fp = fopen("/dev/full", "w");

	if (!fp) {
		ok(1, "# SKIP no /dev/full");
		return;
	}
	json_init(&jw, fp, false);
	json_str(&jw, "x");
	is_int(json_finish(&jw), -1, "finish reports a failed write");
	fclose(fp);
}

int main(void)
{
	test_structure();
	test_strings();
	test_numbers();
	test_write_error();
	return tap_done();
}
