/* mem.h — allocation that never returns NULL: on failure the registered shutdown hook
 * restores the terminal, a message goes to stderr, and the program exits (status 70). */
#ifndef AGENTDESK_MEM_H
#define AGENTDESK_MEM_H

#include <stddef.h>

void *mem_alloc(size_t n);
void *mem_zalloc(size_t n, size_t size);
void *mem_realloc(void *p, size_t n);
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);
char *mem_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Called once before exiting on allocation failure (the app's shutdown function). */
void mem_set_fatal_hook(void (*hook)(void));
/* Print "agentdesk: MESSAGE" to stderr after running the hook, and exit(status). */
void mem_fatal(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

#endif
