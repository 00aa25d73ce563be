/* connect_events.h — Amazon Connect's own events that say which agent has a contact, accepted
 * unchanged wherever Contact Lens events are (an ingest frame, `feed`, a Firehose record),
 * so a Contact Lens contact goes to its agent with configuration only:
 *
 *   agent event stream (Kinesis; docs: "Agent event streams data model"):
 *     {"AgentARN", "EventType": STATE_CHANGE|HEART_BEAT|LOGIN|LOGOUT, "CurrentAgentSnapshot":
 *      {"Contacts": [{"ContactId", "State", ...}], ...}, ...}
 *     each contact in State CONNECTED or CONNECTED_ONHOLD -> that contact is AgentARN's
 *   contact events (EventBridge rule -> Kinesis or Firehose; docs: "Amazon Connect contact
 *   events"):
 *     {"source": "aws.connect", "detail-type": "Amazon Connect Contact Event",
 *      "detail": {"contactId", "eventType", "agentInfo": {"agentArn", ...}, ...}}
 *     a detail with agentInfo.agentArn -> contactId is that agent's
 *
 * The Connect agent is mapped to an agentdesk user by the table `agentdesk-hub import agents`
 * fills (hub/store/connect_agent.h), then pipeline_assign: a live unassigned contact (or one
 * owned by the --contactlens-agent trial fallback) moves to the user, whose consoles get a
 * snapshot of it; a contact not live yet is remembered for its Contact Lens start. An agent
 * no row maps is skipped, logged and counted (agentdesk_connect_unmapped_agents_total); so is
 * an assignment the pipeline refuses (the contact already has another agent). Only a
 * malformed event (Contacts not an array or over CONNECT_EVENTS_MAX_CONTACTS) is an error. */
#ifndef AGENTDESK_HUB_CONNECT_EVENTS_H
#define AGENTDESK_HUB_CONNECT_EVENTS_H

#include <stdbool.h>
#include <jansson.h>
#include "hub/core/pipeline.h"

enum { CONNECT_EVENTS_MAX_CONTACTS = 100 };

/* Is this parsed frame one of Connect's agent or contact events? By top-level keys only. */
bool connect_events_detect(const json_t *frame);

/* Apply it; `provisional` is the Contact Lens trial fallback agent (NULL or ""). 0, or -1
 * with *err (malformed, or storage failing). */
int connect_events_apply(pipeline *p, const json_t *frame, const char *provisional, proto_error *err);

#endif
