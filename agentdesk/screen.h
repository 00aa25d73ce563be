/* screen.h — the curses terminal of any mode: start (locale, initscr, cbreak, noecho,
 * keypad, short ESC delay, no flow control), size changes, Ctrl-Z, the render step, and
 * putting the terminal back. Modes build their widgets on top; this module owns none. */
#ifndef AGENTDESK_SCREEN_H
#define AGENTDESK_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include "widgets/widget.h"
#include "widgets/theme.h"

/* Start curses and activate `t`. false with a message when stdin/stdout is not a terminal. */
bool screen_start(const theme *t, char *err, size_t errlen);
/* Leave curses: the terminal as it was. Idempotent; safe from the crash handler. */
void screen_stop(void);
/* After SIGWINCH: read the real size (TIOCGWINSZ) and resize curses to it. */
void screen_resize(void);
/* Around SIGTSTP / SIGCONT. */
void screen_suspend(void);
void screen_resume(void);
/* Read one key without waiting: true and *key when one was pending. Esc followed at once by
 * a character comes back as M-char (KEYS_META). */
bool screen_read_key(widget_key *key);
/* Draw the dirty widgets of the list (wnoutrefresh each); the caller places the cursor
 * and calls doupdate() once. Returns widgets drawn. */
size_t screen_render(widget *const *list, size_t n);

#endif
