/*
 * config: the user's settings file ($XDG_CONFIG_HOME/qfq/config), a few
 * `key = value` lines, e.g. the mediator's own commune, which the TUI and
 * the search use as the default centre.
 *
 * The file is small and rewritten whole: config_save() writes a temporary
 * file (mode 0600) in the same folder and renames it over the old one, so a
 * crash never leaves half a file. Lines starting with '#' and blank lines
 * are comments; they are not kept by a rewrite.
 */
#ifndef QFQ_CORE_CONFIG_H
#define QFQ_CORE_CONFIG_H

#include <stddef.h>

struct config_entry {
	char *key;
	char *value;
};

struct config {
	struct config_entry *v; /* in file order */
	size_t n, alloc;
};

#define CONFIG_INIT { NULL, 0, 0 }

/*
 * Reads path into c (appended). A missing file is an empty configuration.
 * 0, or -1 with qfq_error() naming the file and line of a malformed line.
 */
int config_load(const char *path, struct config *c);
/* Writes c to path atomically (parent folders created, mode 0600). 0 or -1. */
int config_save(const char *path, const struct config *c);
/* The value of key, or NULL. Valid until the next change of c. */
const char *config_get(const struct config *c, const char *key);
/* Sets key to value (copied), replacing an existing value. */
void config_set(struct config *c, const char *key, const char *value);
/* Removes key; returns 1 if it was there, else 0. */
int config_unset(struct config *c, const char *key);
void config_clear(struct config *c);
/* The user's own structure (key "structure" of the settings file), or 0. */
long long config_own_structure(void);

#endif
