/* xalloc.h — the hub's allocation that never returns NULL: on failure it prints
 * "agentdesk-hub: out of memory" and aborts (STYLE.md rule 11). */
#ifndef AGENTDESK_HUB_XALLOC_H
#define AGENTDESK_HUB_XALLOC_H

#include <stddef.h>

void *xalloc_malloc(size_t size);
/* Zeroed; n == 0 counts as 1, so the result is never NULL. */
void *xalloc_calloc(size_t n, size_t size);
void *xalloc_realloc(void *p, size_t size);
/* A copy of s (NULL is ""). */
char *xalloc_strdup(const char *s);
/* A copy of at most n bytes of s, NUL-terminated. */
char *xalloc_strndup(const char *s, size_t n);

#endif
