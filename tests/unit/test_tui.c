/*
 * test_tui: the parts of the full-screen interface that need no terminal —
 * the line editor (UTF-8 aware editing), the keys table (function keys and
 * characters kept apart, letters typed while a text line has the focus),
 * text wrapping by display width, and the settings file.
 */
#include "core/config.h"
#include "tui/draw.h"
#include "tui/keys.h"
#include "tui/lineedit.h"
#include "tui/tui.h"
#include "tap.h"

#include <curses.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void type_str(struct lineedit *le, const wchar_t *s)
{
	while (*s)
		lineedit_key(le, (wint_t)*s++, false);
}

static void test_lineedit(void)
{
	struct lineedit le = LINEEDIT_INIT;

	type_str(&le, L"Alboussière");
	is_str(le.text.buf, "Alboussière", "typed characters are encoded as UTF-8");
	is_int(le.cursor, strlen("Alboussière"), "the cursor is at the end");
	is_int(lineedit_key(&le, 127, false), LE_CHANGED, "Backspace (DEL) changes the text");
	is_str(le.text.buf, "Alboussièr", "Backspace removes one character");
	lineedit_key(&le, KEY_LEFT, true);
	lineedit_key(&le, KEY_BACKSPACE, true);
	is_str(le.text.buf, "Alboussir", "← then Backspace removes the two-byte è whole");
	is_int(le.cursor, 8, "the cursor stays on a character boundary");
	lineedit_key(&le, KEY_BACKSPACE, true);
	is_str(le.text.buf, "Alboussr", "KEY_BACKSPACE works too");
	lineedit_key(&le, KEY_HOME, true);
	type_str(&le, L"東");
	is_str(le.text.buf, "東Alboussr", "a wide character is inserted at the cursor");
	lineedit_key(&le, KEY_DC, true);
	is_str(le.text.buf, "東lboussr", "Delete removes the character under the cursor");
	lineedit_key(&le, 5, false);
	type_str(&le, L" privas");
	lineedit_key(&le, 23, false);
	is_str(le.text.buf, "東lboussr ", "Ctrl-W removes the previous word");
	lineedit_key(&le, 21, false);
	is_str(le.text.buf, "", "Ctrl-U empties the line");
	is_int(lineedit_key(&le, 27, false), LE_NONE, "Escape is not an editing key");
	is_int(lineedit_key(&le, 0x9b, false), LE_NONE, "a C1 control character is refused");
	is_str(le.text.buf, "", "nothing was inserted");
	lineedit_set(&le, "caf");
	is_int(le.cursor, 3, "lineedit_set puts the cursor at the end");
	lineedit_release(&le);
}

static void test_keys(void)
{
	size_t i;
	int a;
	bool seen[ACT_COUNT] = { false };

	is_int(tui_key_action(KEY_UP, 1, 0), ACT_UP, "KEY_UP is UP");
	is_int(tui_key_action(KEY_UP, 0, 1), ACT_NONE, "U+0103 (same number as KEY_UP) is a character");
	is_int(tui_key_action('q', 0, 0), ACT_QUIT, "q quits from a list");
	is_int(tui_key_action('q', 0, 1), ACT_NONE, "q is typed in a text line");
	is_int(tui_key_action(KEY_F(10), 1, 1), ACT_QUIT, "F10 quits even while typing");
	is_int(tui_key_action(3, 0, 1), ACT_QUIT, "Ctrl-C quits even while typing");
	is_int(tui_key_action('\r', 0, 1), ACT_ENTER, "Return is Enter");
	is_int(tui_key_action(27, 0, 1), ACT_BACK, "Escape is back");
	for (i = 0; i < tui_nbindings; i++)
		seen[tui_bindings[i].action] = true;
	for (a = ACT_NONE + 1; a < ACT_COUNT; a++)
		if (*tui_action_help((enum tui_action)a) && !seen[a])
			break;
	is_int(a, ACT_COUNT, "every action of the help has at least one key");
	for (i = 0; i < tui_nbindings; i++)
		if (!*tui_action_help(tui_bindings[i].action))
			break;
	is_int(i, tui_nbindings, "every key has a help text");
	is_str(tui_action_name(ACT_PICK_THEME), "PICK_THEME", "action names come from the list");
}

static void test_wrap(void)
{
	struct tui_lines in = TUI_LINES_INIT, out = TUI_LINES_INIT;

	tui_lines_add(&in, ST_NORMAL, "Thèmes : un deux trois quatre cinq six", strlen("Thèmes : "));
	tui_lines_wrap(&in, 20, &out);
	is_int(out.n, 3, "a long line wraps at spaces into 3 lines");
	is_str(out.v[0].text, "Thèmes : un deux", "the first line breaks at a space");
	is_int(out.v[0].label, strlen("Thèmes : "), "the label is kept on the first line");
	is_int(out.v[1].indent, 9, "continuation lines go under the value");
	tui_lines_clear(&out);
	tui_lines_clear(&in);

	tui_lines_add(&in, ST_NORMAL, "a\x1b[2Jb\nligne 2", 0);
	is_int(in.n, 2, "a newline makes two lines");
	is_str(in.v[0].text, "a\xef\xbf\xbd" "b", "an escape sequence becomes U+FFFD");
	tui_lines_clear(&in);

	tui_lines_add(&in, ST_NORMAL, "東京東京東京東京", 0);
	tui_lines_wrap(&in, 10, &out);
	is_int(out.n, 2, "wide characters wrap by display width");
	is_str(out.v[0].text, "東京東京東", "10 columns hold 5 wide characters");
	tui_lines_clear(&out);
	tui_lines_clear(&in);
}

static void test_config(void)
{
	char dir[] = "/tmp/qfq-test-config-XXXXXX";
	char path[256];
	struct config c = CONFIG_INIT, d = CONFIG_INIT;
	struct stat st;
	FILE *fp;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/sub/config", dir);
	is_int(config_load(path, &c), 0, "a missing file is an empty configuration");
	is_int(c.n, 0, "nothing in it");
	config_set(&c, "commune", "07186");
	config_set(&c, "rayon", "20");
	config_set(&c, "commune", "07245");
	is_str(config_get(&c, "commune"), "07245", "set replaces a value");
	is_int(config_save(path, &c), 0, "save creates the parent folder");
	is_int(stat(path, &st) == 0 ? (int)(st.st_mode & 0777) : -1, 0600, "the file is mode 0600");
	is_int(config_load(path, &d), 0, "it reads back");
	is_str(config_get(&d, "rayon"), "20", "values survive a round trip");
	is_int(config_unset(&d, "rayon"), 1, "unset removes a key");
	is_int(config_unset(&d, "rayon"), 0, "unset of a missing key says so");
	config_clear(&d);
	fp = fopen(path, "w");
	fputs("# comment\n\n  commune =  07007  \nbroken line\n", fp);
	fclose(fp);
	is_int(config_load(path, &d), -1, "a line without = is an error");
	is_str(config_get(&d, "commune"), "07007", "lines before it were read, trimmed");
	config_clear(&d);
	config_clear(&c);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sub", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	test_lineedit();
	test_keys();
	test_wrap();
	test_config();
	return tap_done();
}
