/* mem.h — the one allocator of both programs and their widgets: it never returns NULL. On
 * failure the registered hook runs (the console restores the terminal), "PROGRAM: out of memory"
 * goes to stderr and the program exits with status 70 (STYLE.md rule 11). n == 0 counts as 1. */
#ifndef AGENTDESK_BASE_MEM_H
#define AGENTDESK_BASE_MEM_H

#include <stddef.h>

void *mem_alloc(size_t n);
void *mem_zalloc(size_t n, size_t size);
void *mem_realloc(void *p, size_t n);
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);
char *mem_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Called once before exiting on allocation failure (the app's shutdown function). */
void mem_set_fatal_hook(void (*hook)(void));
/* Print "PROGRAM: MESSAGE" to stderr after running the hook, and exit(status). */
void mem_fatal(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

#endif
