/* mem.c — the one place that handles out-of-memory for both programs: run the registered hook
 * (the console restores the terminal), say so under the program's name, exit. */
#include "base/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

static void (*fatal_hook)(void);

void mem_set_fatal_hook(void (*hook)(void))
{
    fatal_hook = hook;
}

void mem_fatal(int status, const char *fmt, ...)
{
    if (fatal_hook) fatal_hook();
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", program_invocation_short_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(status);
}

static void *check(void *p, size_t n)
{
    if (!p && n) mem_fatal(70, "out of memory (%zu bytes)", n);
    return p;
}

void *mem_alloc(size_t n) { return check(malloc(n ? n : 1), n); }
void *mem_zalloc(size_t n, size_t size) { return check(calloc(n ? n : 1, size ? size : 1), n * size); }
void *mem_realloc(void *p, size_t n) { return check(realloc(p, n ? n : 1), n); }

char *mem_strdup(const char *s)
{
    return check(strdup(s ? s : ""), 1);
}

char *mem_strndup(const char *s, size_t n)
{
    return check(strndup(s ? s : "", n), n + 1);
}

char *mem_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *out = NULL;
    int r = vasprintf(&out, fmt, ap);
    va_end(ap);
    if (r < 0) mem_fatal(70, "out of memory (formatting)");
    return out;
}
