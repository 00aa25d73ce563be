/* xalloc.c — allocation that aborts with a message instead of returning NULL (see xalloc.h). */
#include "base/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *checked(void *p)
{
    if (!p) {
        fputs("agentdesk-hub: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *xalloc_malloc(size_t size)
{
    return checked(malloc(size ? size : 1));
}

void *xalloc_calloc(size_t n, size_t size)
{
    return checked(calloc(n ? n : 1, size));
}

void *xalloc_realloc(void *p, size_t size)
{
    return checked(realloc(p, size ? size : 1));
}

char *xalloc_strdup(const char *s)
{
    return checked(strdup(s ? s : ""));
}

char *xalloc_strndup(const char *s, size_t n)
{
    return checked(strndup(s, n));
}
