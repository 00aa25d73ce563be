/* agent_screen.h — the agent mode's curses front end: keys through the key table, the
 * view kept in step with the model, the wrap-up and quit dialogs, help, search, toasts. */
#ifndef AGENTDESK_AGENT_SCREEN_H
#define AGENTDESK_AGENT_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include "agentdesk/agent.h"
#include "agentdesk/app.h"
#include "agentdesk/keys.h"
#include "agentdesk/session.h"
#include "widgets/theme.h"

/* Start curses with theme `t`, build the screen and wire it to the session. The key table
 * is borrowed (already overridden from the config). Drafts are kept in `drafts_path`
 * (NULL: memory only), loaded now and saved on every switch and at exit (the front's
 * save, also on a hangup). false with a message. */
bool agent_screen_attach(app *a, session *s, const keys_table *keys, const theme *t,
                         const char *drafts_path, char *err, size_t errlen);
/* How a new contact or a severe flag is noticed (default: the bell). */
void agent_screen_set_alert(app *a, agent_alert how);
/* Why the drafts could not be saved at exit ("" when they were). */
const char *agent_screen_save_error(app *a);
/* The screen's widgets, for the screen tests that read what it shows (nothing else may
 * change them: the mode does). NULL before agent_screen_attach. */
struct agent_view *agent_screen_view(app *a);
/* Free the widgets (after the loop ended and the terminal was restored). */
void agent_screen_free(app *a);

#endif
