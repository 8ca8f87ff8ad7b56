/* hmap: open-addressing string hash map, linear probing (see hmap.h). */
#include "util/hmap.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static uint32_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	/* FNV's low bits are weak for short keys (ids): mix before masking */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)(h ^ (h >> 32));
}

static struct hmap_entry *slot(const struct hmap *m, const char *key, size_t len, uint32_t h)
{
	size_t i = (size_t)h & (m->cap - 1);
	for (;;) {
		struct hmap_entry *e = &m->v[i];
		if (!e->key || (e->hash == h && e->klen == len && !memcmp(e->key, key, len)))
			return e;
		i = (i + 1) & (m->cap - 1);
	}
}

struct hmap_entry *hmap_get(const struct hmap *m, const char *key, size_t len)
{
	struct hmap_entry *e;
	if (!m->cap)
		return NULL;
	e = slot(m, key, len, hash_bytes(key, len));
	return e->key ? e : NULL;
}

static void resize(struct hmap *m, size_t cap)
{
	struct hmap old = *m;
	size_t i;
	m->cap = cap;
	m->v = xcalloc(m->cap, sizeof(*m->v));
	for (i = 0; i < old.cap; i++)
		if (old.v[i].key)
			*slot(m, old.v[i].key, old.v[i].klen, old.v[i].hash) = old.v[i];
	free(old.v);
}

static void grow(struct hmap *m)
{
	resize(m, m->cap ? m->cap * 2 : 64);
}

void hmap_reserve(struct hmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;
	while ((n + 1) * 10 >= cap * 7)
		cap *= 2;
	if (cap > m->cap)
		resize(m, cap);
}

struct hmap_entry *hmap_put(struct hmap *m, const char *key, size_t len, int *created)
{
	struct hmap_entry *e;
	uint32_t h = hash_bytes(key, len);
	if ((m->n + 1) * 10 >= m->cap * 7)
		grow(m);
	e = slot(m, key, len, h);
	if (created)
		*created = !e->key;
	if (!e->key) {
		/* keys may hold NUL bytes (ids): copy by length */
		e->key = xmalloc(len + 1);
		memcpy(e->key, key, len);
		e->key[len] = 0;
		e->klen = (uint32_t)len;
		e->hash = h;
		e->num = 0;
		e->ptr = NULL;
		m->n++;
	}
	return e;
}

void hmap_clear(struct hmap *m)
{
	size_t i;
	for (i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}
