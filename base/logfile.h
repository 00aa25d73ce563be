/* logfile.h — a log file: lines appended to the --log file with control bytes
 * escaped, or nowhere. Never the terminal (a curses screen owns it, or the hub runs under one).
 * One log a process: the hub's --log, the console's $AGENTDESK_LOG. */
#ifndef AGENTDESK_BASE_LOGFILE_H
#define AGENTDESK_BASE_LOGFILE_H

#include <stdbool.h>
#include <stdio.h>

/* Open `path` for appending (NULL: log nowhere). 0 or -1. */
int logfile_open(const char *path);
void logfile_close(void);
bool logfile_enabled(void);
void logfile_write(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For lws_set_log_level: its lines go to the same file. */
void logfile_lws(int level, const char *line);

#endif
