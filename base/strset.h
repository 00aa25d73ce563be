/* strset.h — a set of strings with constant-time insertion and lookup, over strmap.h. The
 * set owns copies of its strings. */
#ifndef AGENTDESK_BASE_STRSET_H
#define AGENTDESK_BASE_STRSET_H

#include <stdbool.h>
#include <stddef.h>

typedef struct strset strset;

strset *strset_new(void);
void strset_free(strset *set);           /* NULL is fine */
/* Add s; true when it was not there yet. */
bool strset_add(strset *set, const char *s);
bool strset_has(const strset *set, const char *s);
size_t strset_count(const strset *set);  /* 0 for NULL */

#endif
