/* strset.c — open-addressing string set (see strset.h). */
#include "base/strset.h"
#include "base/strhash.h"
#include "base/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct strset {
    char **slots;   /* NULL: empty */
    size_t cap;     /* a power of two */
    size_t count;
};

strset *strset_new(void)
{
    strset *set = xalloc_calloc(1, sizeof *set);
    set->cap = 16;
    set->slots = xalloc_calloc(set->cap, sizeof *set->slots);
    return set;
}

void strset_free(strset *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i]);
    free(set->slots);
    free(set);
}

/* The slot holding s, or the empty slot where it would go. */
static size_t slot_of(char **slots, size_t cap, const char *s)
{
    size_t i = strhash_fnv1a(s) & (cap - 1);
    while (slots[i] && strcmp(slots[i], s) != 0)
        i = (i + 1) & (cap - 1);
    return i;
}

static void grow(strset *set)
{
    size_t cap = set->cap * 2;
    char **slots = xalloc_calloc(cap, sizeof *slots);
    for (size_t i = 0; i < set->cap; i++)
        if (set->slots[i])
            slots[slot_of(slots, cap, set->slots[i])] = set->slots[i];
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
}

bool strset_add(strset *set, const char *s)
{
    if ((set->count + 1) * 2 > set->cap)
        grow(set);
    size_t i = slot_of(set->slots, set->cap, s);
    if (set->slots[i])
        return false;
    set->slots[i] = xalloc_strdup(s);
    set->count++;
    return true;
}

bool strset_has(const strset *set, const char *s)
{
    return set && set->slots[slot_of(set->slots, set->cap, s)] != NULL;
}

size_t strset_count(const strset *set)
{
    return set ? set->count : 0;
}
