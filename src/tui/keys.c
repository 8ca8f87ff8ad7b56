/* keys: the action and binding tables generated from keys.h. */
#include <curses.h>

#include "tui/keys.h"
#include "util/i18n.h"

const struct tui_binding tui_bindings[] = {
#define TUI_BIND_ROW(key, label, action, where) { (key), label, ACT_##action, where },
	TUI_BINDINGS(TUI_BIND_ROW)
#undef TUI_BIND_ROW
};
const size_t tui_nbindings = sizeof(tui_bindings) / sizeof(tui_bindings[0]);

static const char *const action_help[ACT_COUNT] = {
#define TUI_HELP_ROW(name, help) [ACT_##name] = help,
	TUI_ACTIONS(TUI_HELP_ROW)
#undef TUI_HELP_ROW
};

static const char *const action_name[ACT_COUNT] = {
#define TUI_NAME_ROW(name, help) [ACT_##name] = #name,
	TUI_ACTIONS(TUI_NAME_ROW)
#undef TUI_NAME_ROW
};

enum tui_action tui_key_action(int key, int is_fn, int typing)
{
	size_t i;
	for (i = 0; i < tui_nbindings; i++)
		if (tui_bindings[i].key == key && (tui_bindings[i].key >= KEY_MIN) == !!is_fn &&
		    (!typing || tui_bindings[i].where == TUI_ANY))
			return tui_bindings[i].action;
	return ACT_NONE;
}

const char *tui_action_help(enum tui_action a)
{
	return a > ACT_NONE && a < ACT_COUNT && action_help[a] ? action_help[a] : "";
}

const char *tui_action_name(enum tui_action a)
{
	return a > ACT_NONE && a < ACT_COUNT && action_name[a] ? action_name[a] : "";
}
