/* server_log.h — the hub's log: lines appended to the --log file with control bytes
 * escaped, or nowhere. Never the terminal (the hub may run under a curses console). */
#ifndef AGENTDESK_HUB_SERVER_LOG_H
#define AGENTDESK_HUB_SERVER_LOG_H

#include <stdio.h>

/* Open `path` for appending (NULL: log nowhere). 0 or -1. */
int server_log_open(const char *path);
void server_log_close(void);
void server_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For lws_set_log_level: its lines go to the same file. */
void server_log_lws(int level, const char *line);

#endif
