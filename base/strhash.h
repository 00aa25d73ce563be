/* strhash.h — the one string hash of the hub (FNV-1a, 32 bits): hash-table buckets and
 * stable ids derived from names. Changing it changes those ids. */
#ifndef AGENTDESK_HUB_STRHASH_H
#define AGENTDESK_HUB_STRHASH_H

#include <stdint.h>

uint32_t strhash_fnv1a(const char *s);

#endif
