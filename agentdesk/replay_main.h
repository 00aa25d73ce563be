/* replay_main.h — `agentdesk replay`: its options, the recording it opens (a FILE, or the
 * newest of the demo's), and which front plays it (the screen, --linear, --export). */
#ifndef AGENTDESK_REPLAY_MAIN_H
#define AGENTDESK_REPLAY_MAIN_H

#include <stdbool.h>
#include <stddef.h>
#include "widgets/theme.h"

/* How main.c loads a named theme (its search path), so both modes find the same themes. */
typedef bool (*replay_theme_loader)(const char *name, theme *t, char *err, size_t errlen);

/* argv[0] is "replay". The exit status. */
int replay_main(int argc, char **argv, replay_theme_loader load_theme);

#endif
