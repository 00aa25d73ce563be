/* linear.h — `agentdesk --linear`: no curses. One plain, cleaned line per event on stdout
 * (finals only: a partial utterance is printed once it is final), commands from stdin lines:
 *   /reply TEXT  /note TEXT  /use N  /dismiss N  /hand [TEXT]  /wrapup CODE SUMMARY
 *   /next  /prev  /list  /help  /quit
 * A line not starting with '/' is sent as /reply (chat) or /note (call). For screen
 * readers, pipes and tests; the same loop, session and model as the screen. */
#ifndef AGENTDESK_LINEAR_H
#define AGENTDESK_LINEAR_H

#include <stddef.h>
#include "agentdesk/app.h"
#include "agentdesk/session.h"

/* The front end for app.front. linear_attach wires it to the session. */
extern const app_front linear_front;
void linear_attach(app *a, session *s);
/* The terminal bell on stderr for a new contact or a severe flag (off unless asked). */
void linear_set_bell(app *a, bool on);

/* The line for one applied event, from the model and the change record model_apply gave
 * (pure: used by the front and its tests; the event itself is never read). Returns false
 * when the event prints nothing (a partial, a duplicate, an ack). */
bool linear_format(const model *m, const model_delta *d, char *buf, size_t n);

#endif
