/* monitor_screen.h — the supervisor mode's curses front end (`agentdesk monitor`): the floor
 * (monitor_view), its keys (monitor_keys), the whisper and filter prompts, toasts for raised
 * hands and severe flags, and one interaction opened read-only in the agent's layout. */
#ifndef AGENTDESK_MONITOR_SCREEN_H
#define AGENTDESK_MONITOR_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include "agentdesk/app.h"
#include "agentdesk/keys.h"
#include "agentdesk/session.h"
#include "widgets/theme.h"

/* Wire the floor to the session and make it the app's front. Starts curses with theme `t`
 * unless `curses_up` (the agent screen was showing and hands the terminal over: a
 * supervisor signed in to plain `agentdesk`). false with a message. */
bool monitor_screen_attach(app *a, session *s, const keys_table *keys, const theme *t,
                           bool curses_up, char *err, size_t errlen);
/* The floor's widgets, for the screen tests. NULL before attach. */
struct monitor_view *monitor_screen_view(app *a);
void monitor_screen_free(app *a);

#endif
