/* connect_agent.h — Amazon Connect names an agent by its ARN
 * (arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE/agent/USER_ID: the agent event stream's
 * AgentARN, a contact event's agentInfo.agentArn) or by the user id that ends it (the
 * console, `aws connect list-users`). agentdesk keys its agent table (`import agents`) by the
 * user id, so either form finds the same row. */
#ifndef AGENTDESK_HUB_CONNECT_AGENT_H
#define AGENTDESK_HUB_CONNECT_AGENT_H

#include <stdbool.h>
#include <stddef.h>

enum { CONNECT_AGENT_ID_MAX = 128 };

/* The user id of an agent ARN, or `s` itself when it is no ARN. false when `s` is an ARN
 * without "/agent/ID", or the id is empty, over CONNECT_AGENT_ID_MAX bytes or holds a '/'. */
bool connect_agent_id(const char *s, char *out, size_t len);

#endif
