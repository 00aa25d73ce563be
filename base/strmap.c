/* strmap.c — open-addressing string map (see strmap.h). */
#include "base/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/strhash.h"

typedef struct {
    const char *key;    /* NULL: empty */
    void *value;
} slot;

struct strmap {
    slot *slots;
    size_t cap;         /* a power of two */
    size_t count;
};

strmap *strmap_new(void)
{
    strmap *m = mem_zalloc(1, sizeof *m);
    m->cap = 16;
    m->slots = mem_zalloc(m->cap, sizeof *m->slots);
    return m;
}

void strmap_free(strmap *m)
{
    if (!m)
        return;
    free(m->slots);
    free(m);
}

static size_t home_of(const char *key, size_t len, size_t cap)
{
    return (size_t)strhash_fnv1a64(STRHASH64_SEED, key, len) & (cap - 1);
}

static bool same(const char *stored, const char *key, size_t len)
{
    return strncmp(stored, key, len) == 0 && stored[len] == '\0';
}

/* The slot holding key[0..len), or the empty slot where it would go. */
static size_t find(const strmap *m, const char *key, size_t len)
{
    size_t i = home_of(key, len, m->cap);
    while (m->slots[i].key && !same(m->slots[i].key, key, len))
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void grow(strmap *m)
{
    strmap bigger = { mem_zalloc(m->cap * 2, sizeof(slot)), m->cap * 2, m->count };
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            bigger.slots[find(&bigger, m->slots[i].key, strlen(m->slots[i].key))] = m->slots[i];
    free(m->slots);
    *m = bigger;
}

void *strmap_getn(const strmap *m, const char *key, size_t len)
{
    if (!m || !m->count)
        return NULL;
    return m->slots[find(m, key, len)].value;
}

void *strmap_get(const strmap *m, const char *key)
{
    return strmap_getn(m, key, strlen(key));
}

void *strmap_put(strmap *m, const char *key, void *value)
{
    if ((m->count + 1) * 2 > m->cap)
        grow(m);
    slot *s = &m->slots[find(m, key, strlen(key))];
    void *old = s->value;
    if (!s->key)
        m->count++;
    s->key = key;
    s->value = value;
    return old;
}

void *strmap_remove(strmap *m, const char *key)
{
    if (!m || !m->count)
        return NULL;
    size_t mask = m->cap - 1, i = find(m, key, strlen(key));
    if (!m->slots[i].key)
        return NULL;
    void *old = m->slots[i].value;
    /* Backward shift: move later members of the probe run into the hole when the hole lies
     * between their home slot and where they sit, so no lookup ever stops short. */
    for (size_t j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
        size_t home = home_of(m->slots[j].key, strlen(m->slots[j].key), m->cap);
        if (((j - home) & mask) >= ((j - i) & mask)) {
            m->slots[i] = m->slots[j];
            i = j;
        }
    }
    m->slots[i] = (slot){ NULL, NULL };
    m->count--;
    return old;
}

size_t strmap_count(const strmap *m)
{
    return m ? m->count : 0;
}

void strmap_each(const strmap *m, void (*fn)(const char *key, void *value, void *ctx), void *ctx)
{
    for (size_t i = 0; m && i < m->cap; i++)
        if (m->slots[i].key)
            fn(m->slots[i].key, m->slots[i].value, ctx);
}
