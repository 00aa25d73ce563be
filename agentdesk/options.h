/* options.h — the console's command-line options, one table: --help prints it and
 * tests/unit/test_console_manpage.c holds docs/agentdesk.1 to it, so an option cannot be
 * added to one and forgotten in the other. The parser in main.c handles each row. */
#ifndef AGENTDESK_OPTIONS_H
#define AGENTDESK_OPTIONS_H

#include <stddef.h>

#define CONSOLE_DEFAULT_URL "ws://127.0.0.1:7300"

typedef struct {
    const char *name;   /* "--url" */
    const char *arg;    /* "URL"; NULL for a flag */
    const char *help;   /* one line for --help */
} console_option;

extern const console_option console_options[];
extern const size_t console_option_count;

#endif
