/* agent_status.h — each agent's status (docs/PROTOCOL.md, "Agent status"): what the agent
 * chose (available or break, the agent_status table, so a break outlives a hub restart) and
 * what the hub derives — offline while no console of the agent is signed in, busy while a
 * live interaction is assigned to it, acw while none is but ended ones await its wrap-up
 * (since the first of them ended), with the live, awaiting and handled-today counts.
 *
 * agent.status is not durable: it is the state now. It goes to every supervisor and to the
 * agent whenever one of its fields changed since it was last sent, and after hello once the
 * console is live (a supervisor then gets every agent's, an agent its own). Changes that
 * come with a commit (a start, an end, a wrap-up, a takeover, a status action) are sent
 * after it; a console signing in or out changes the agent's at once. */
#ifndef AGENTDESK_HUB_ENDPOINTS_AGENT_STATUS_H
#define AGENTDESK_HUB_ENDPOINTS_AGENT_STATUS_H

#include "hub/endpoints/session.h"

/* The agent's status may change with the turn being committed: looked at after it. */
void agent_status_touch(hub *h, const char *agent);
/* After a commit: send the statuses the turn changed. */
void agent_status_flush(hub *h);
/* A console of `agent` signed in or left: send its status if it changed. */
void agent_status_now(hub *h, const char *agent);
/* The console reached live delivery after its hello: send it the statuses it may see. */
void agent_status_hello(session *s);
/* The agent chose a state ("available" or "break"): stored in the open turn (its time is
 * kept while the state does not change). 0 or -1. */
int agent_status_choose(hub *h, const char *agent, const char *state, int64_t now_ms);
void agent_status_free(hub *h);

#endif
