/* strset.c — a set of owned strings over the one string map (see strset.h): each entry's key
 * and value are the same malloc'd copy, freed with the set. */
#include "base/strset.h"

#include <stdlib.h>

#include "base/mem.h"
#include "base/strmap.h"

struct strset {
    strmap *map;
};

strset *strset_new(void)
{
    strset *set = mem_zalloc(1, sizeof *set);
    set->map = strmap_new();
    return set;
}

static void free_copy(const char *key, void *value, void *ctx)
{
    (void)key;
    (void)ctx;
    free(value);
}

void strset_free(strset *set)
{
    if (!set)
        return;
    strmap_each(set->map, free_copy, NULL);
    strmap_free(set->map);
    free(set);
}

bool strset_add(strset *set, const char *s)
{
    if (strmap_get(set->map, s))
        return false;
    char *copy = mem_strdup(s);
    strmap_put(set->map, copy, copy);
    return true;
}

bool strset_has(const strset *set, const char *s)
{
    return set && strmap_get(set->map, s) != NULL;
}

size_t strset_count(const strset *set)
{
    return set ? strmap_count(set->map) : 0;
}
