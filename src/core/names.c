/* names: matching keys of structure names (see names.h). */
#include "core/names.h"
#include "core/text.h"
#include "util/strbuf.h"

#include <string.h>

int names_is_stopword(const char *tok, size_t len)
{
	static const char *const words[] = {
		"a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les",
	};
	size_t i;
	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strlen(words[i]) == len && !memcmp(words[i], tok, len))
			return 1;
	return 0;
}

static int add_if_kept(const char *tok, size_t len, void *arg)
{
	struct strbuf *out = arg;
	if (names_is_stopword(tok, len))
		return 0;
	if (out->len)
		strbuf_addch(out, ' ');
	strbuf_add(out, tok, len);
	return 0;
}

void names_structure_key(struct strbuf *out, const char *name)
{
	struct strbuf norm = STRBUF_INIT, key = STRBUF_INIT;
	text_norm(&norm, name, strlen(name));
	text_each_token(norm.buf, add_if_kept, &key);
	/* a name made only of small words keeps them rather than vanish */
	strbuf_add(out, key.len ? key.buf : norm.buf, key.len ? key.len : norm.len);
	strbuf_release(&key);
	strbuf_release(&norm);
}
