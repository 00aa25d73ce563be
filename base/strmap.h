/* strmap.h — the one string map of both programs: string key -> pointer, open addressing on
 * strhash_fnv1a64 with linear probing, grown at half load, deletion by backward shift (no
 * tombstones, so lookups stay short after many removals). 16 bytes a slot.
 *
 * The map does not copy keys: a key must stay unchanged while its entry is in the map (it
 * usually points into the value, e.g. an interaction's own iid). strset.h is the owning set. */
#ifndef AGENTDESK_BASE_STRMAP_H
#define AGENTDESK_BASE_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strmap strmap;

strmap *strmap_new(void);
void strmap_free(strmap *m);                       /* the values are the caller's; NULL is fine */
/* The value under key, or NULL. getn: the key is key[0..len) (need not be NUL-terminated). */
void *strmap_get(const strmap *m, const char *key);
void *strmap_getn(const strmap *m, const char *key, size_t len);
/* Set key -> value (value not NULL); the previous value, or NULL when the key is new. A key
 * that was there keeps its old pointer unless replaced: pass the same key to update. */
void *strmap_put(strmap *m, const char *key, void *value);
/* Remove key; its value, or NULL when absent. */
void *strmap_remove(strmap *m, const char *key);
size_t strmap_count(const strmap *m);              /* 0 for NULL */
/* Each entry once, in no particular order; the map must not change during the walk. */
void strmap_each(const strmap *m, void (*fn)(const char *key, void *value, void *ctx), void *ctx);

#endif
