/* monitor_linear.h — `agentdesk monitor --linear`: the floor without curses. One line per
 * change of the grid (an interaction whose row changed, time aside: "grid: IID ..."; "gone:
 * IID" when it left), commands from stdin lines:
 *   /open IID  /whisper IID TEXT  /barge IID  /leave IID  /takeover IID [AGENT]
 *   /ack IID ALERT  /list  /help  /quit
 * The same session, model and floor rows as the curses floor. */
#ifndef AGENTDESK_MONITOR_LINEAR_H
#define AGENTDESK_MONITOR_LINEAR_H

#include <stddef.h>
#include "agentdesk/app.h"
#include "agentdesk/monitor_floor.h"
#include "agentdesk/session.h"

void monitor_linear_attach(app *a, session *s);
/* The line for one floor row, time left out (pure: the front and its tests). */
void monitor_linear_row(const monitor_row *r, char *buf, size_t n);

#endif
