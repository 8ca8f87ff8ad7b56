/*
 * search_type: what `--type` (and the TUI's y) matches. A structure is of
 * the type typed when its typology codes hold the code it resolves to (a
 * code, the start of a label, or a word that implies it: "france
 * services" -> RFS), when a national label or programme it carries says
 * so (dispositif_programmes_nationaux, formations_labels: "France
 * Services", "Conseillers numériques", "Aidants Connect"), or, when it has
 * no typology, when its name begins with what was typed or with one of
 * the words of that typology ("France Services Les Ollières", "Mairie de
 * Lavilledieu").
 */
#include "core/search_int.h"

bool search_list_has(const char *patterns, const char *key)
{
	size_t len = strlen(key);
	while (patterns && *patterns) {
		size_t n = strcspn(patterns, "|");
		if (n == len && !strncmp(patterns, key, len))
			return true;
		patterns += n + (patterns[n] == '|');
	}
	return false;
}

int search_type_resolve(sqlite3 *db, const char *typed, struct search_type *out)
{
	sqlite3_stmt *st;
	char *by_label = NULL, *by_pattern = NULL, *code = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	out->key = text_norm_dup(typed);
	if (db_prepare(db, "SELECT code, label, patterns FROM typologies", &st))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && !code) {
		const char *c = col_str(st, 0);
		char *lab;
		if (!strcasecmp(c, typed)) {
			code = xstrdup(c);
			break;
		}
		lab = text_norm_dup(col_str(st, 1));
		if (*out->key && !by_label && !strncmp(lab, out->key, strlen(out->key)))
			by_label = xstrdup(c);
		if (*out->key && !by_pattern && search_list_has(col_str(st, 2), out->key))
			by_pattern = xstrdup(c);
		free(lab);
	}
	sqlite3_finalize(st);
	if (!code) {
		code = by_label ? by_label : by_pattern ? by_pattern : xstrdup(typed);
		if (code == by_label)
			by_label = NULL;
		if (code == by_pattern)
			by_pattern = NULL;
	}
	free(by_label);
	free(by_pattern);
	out->code = code;
	/* the words of that typology, for names without a typology */
	if (db_prepare(db, "SELECT patterns FROM typologies WHERE upper(code) = upper(?1)", &st))
		return -1;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		out->patterns = col_dup(st, 0);
	sqlite3_finalize(st);
	return 0;
}

void search_type_clear(struct search_type *t)
{
	free(t->code);
	free(t->key);
	free(t->patterns);
	memset(t, 0, sizeof(*t));
}

/* Whether the '|'-joined list holds code, case ignored. */
static bool has_code(const char *list, const char *code)
{
	size_t len = strlen(code);
	while (list && *list) {
		size_t n = strcspn(list, "|");
		if (n == len && !strncasecmp(list, code, len))
			return true;
		list += n + (list[n] == '|');
	}
	return false;
}

/* Whether the folded text contains the words of key, whole. */
static bool has_words(const char *text, const char *key)
{
	struct strbuf n = STRBUF_INIT;
	size_t len = strlen(key);
	const char *at;
	bool found = false;
	if (!text || !*key)
		return false;
	text_norm(&n, text, strlen(text));
	for (at = strstr(n.buf, key); at && !found; at = strstr(at + 1, key))
		found = (at == n.buf || at[-1] == ' ') && (at[len] == '\0' || at[len] == ' ');
	strbuf_release(&n);
	return found;
}

/* Whether the folded name begins with key or one of the patterns (whole words). */
static bool name_says(const char *nom, const struct search_type *t)
{
	struct strbuf n = STRBUF_INIT;
	const char *p = t->patterns;
	bool found = false;
	text_norm(&n, nom, strlen(nom));
	strbuf_addch(&n, ' ');
	if (*t->key && !strncmp(n.buf, t->key, strlen(t->key)) && n.buf[strlen(t->key)] == ' ')
		found = true;
	while (!found && p && *p) {
		size_t len = strcspn(p, "|");
		found = len && !strncmp(n.buf, p, len) && n.buf[len] == ' ';
		p += len + (p[len] == '|');
	}
	strbuf_release(&n);
	return found;
}

/* qfq_type(typologie, dispositifs, formations_labels, nom): 1 when of the type asked. */
void search_type_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const struct search_type *t = run_plan ? &run_plan->type : NULL;
	const char *typo = (const char *)sqlite3_value_text(argv[0]);
	const char *disp = (const char *)sqlite3_value_text(argv[1]);
	const char *labels = (const char *)sqlite3_value_text(argv[2]);
	const char *nom = (const char *)sqlite3_value_text(argv[3]);
	bool ok;
	(void)argc;
	if (!t || !t->code) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	ok = has_code(typo, t->code) || has_words(disp, t->key) || has_words(labels, t->key) ||
	     ((!typo || !*typo) && nom && name_says(nom, t));
	sqlite3_result_int(ctx, ok);
}
