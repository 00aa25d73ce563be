/* strhash.h — the one string hash of both programs (FNV-1a): map buckets, stable ids derived
 * from names, and the state files' names. Changing it changes those ids and file names. */
#ifndef AGENTDESK_BASE_STRHASH_H
#define AGENTDESK_BASE_STRHASH_H

#include <stddef.h>
#include <stdint.h>

#define STRHASH64_SEED 0xcbf29ce484222325ULL

/* 32 bits over a NUL-terminated string. */
uint32_t strhash_fnv1a(const char *s);
/* 64 bits over n bytes, continuing from h (STRHASH64_SEED to start), so that several pieces
 * hash as one. */
uint64_t strhash_fnv1a64(uint64_t h, const void *data, size_t n);

#endif
