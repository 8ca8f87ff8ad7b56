/*
 * hmap: a small open-addressing hash map from byte strings to a number and
 * a pointer, for the importers' in-memory look-ups (name keys, emails,
 * structure cells already resolved) that would otherwise cost one SQL
 * probe per row. Keys are copied; values are owned by the caller.
 */
#ifndef QFQ_UTIL_HMAP_H
#define QFQ_UTIL_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_entry {
	char *key;        /* NULL: free slot */
	long long num;    /* the caller's number (an id) */
	void *ptr;        /* the caller's pointer */
	uint32_t klen;    /* keys are short; 32 bytes a slot (a national import's maps hold 100,000 keys) */
	uint32_t hash;
};

struct hmap {
	struct hmap_entry *v;
	size_t cap, n;    /* cap is 0 or a power of two */
};

#define HMAP_INIT { NULL, 0, 0 }

/* The entry for key, or NULL. */
struct hmap_entry *hmap_get(const struct hmap *m, const char *key, size_t len);
/* The entry for key, created (num 0, ptr NULL) when missing; *created says which. */
struct hmap_entry *hmap_put(struct hmap *m, const char *key, size_t len, int *created);
/* Makes room for n keys at once (avoids rehashing while a big map fills). */
void hmap_reserve(struct hmap *m, size_t n);
/* Frees the keys and the table (not the pointers). */
void hmap_clear(struct hmap *m);

#endif
