/* connect_events.c — Amazon Connect agent and contact events -> assignments (mapping in the
 * header). */
#include "hub/endpoints/connect_events.h"
#include "hub/core/pipeline_internal.h"
#include "hub/store/connect_agent.h"
#include "hub/core/metrics.h"
#include "base/logfile.h"
#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCE_NAME "Amazon Connect"

bool connect_events_detect(const json_t *frame)
{
    if (!json_is_object(frame) || json_object_get(frame, "type"))
        return false;
    if (json_is_string(json_object_get(frame, "AgentARN")) &&
        json_is_object(json_object_get(frame, "CurrentAgentSnapshot")))
        return true;
    const char *source = json_string_value(json_object_get(frame, "source"));
    const char *kind = json_string_value(json_object_get(frame, "detail-type"));
    return source && kind && strcmp(source, "aws.connect") == 0 &&
           strcmp(kind, "Amazon Connect Contact Event") == 0 && json_is_object(json_object_get(frame, "detail"));
}

/* Connect's agent `arn` has contact `contact`: mapped and assigned, or skipped and said. */
static int assign(pipeline *p, const char *arn, json_t *contact, const char *provisional, proto_error *err)
{
    if (!json_is_string(contact) || json_string_length(contact) == 0)
        return 0;
    size_t len;
    char *iid = text_clean(json_string_value(contact), json_string_length(contact), TEXT_SINGLE_LINE, &len);
    char id[CONNECT_AGENT_ID_MAX + 1], user[PROTO_MAX_ID + 1];
    int rc = 0;
    if (len > PROTO_MAX_ID) {
        logfile_write("Amazon Connect: a ContactId over %d bytes skipped", PROTO_MAX_ID);
    } else if (!connect_agent_id(arn, id, sizeof id) || !pipeline_connect_user(p, id, user, sizeof user)) {
        metrics_connect_agent(false);
        logfile_write("Amazon Connect contact %s: agent %.200s is in no imported agents row: not assigned",
                      iid, arn ? arn : "");
    } else {
        metrics_connect_agent(true);
        proto_error perr = {0};
        rc = pipeline_assign(p, iid, user, SOURCE_NAME, provisional, &perr);
        if (rc != 0 && perr.code && strcmp(perr.code, PROTO_ERR_UNAVAILABLE) == 0) {
            *err = perr;
        } else if (rc != 0) {
            logfile_write("Amazon Connect contact %s: not assigned to %s: %s", iid, user, perr.message);
            rc = 0;
        }
    }
    free(iid);
    return rc;
}

static int agent_event(pipeline *p, const json_t *o, const char *provisional, proto_error *err)
{
    const char *arn = json_string_value(json_object_get(o, "AgentARN"));
    json_t *contacts = json_object_get(json_object_get(o, "CurrentAgentSnapshot"), "Contacts");
    if (!contacts)
        return 0;   /* LOGIN, LOGOUT, a status change with no contact */
    if (!json_is_array(contacts) || json_array_size(contacts) > CONNECT_EVENTS_MAX_CONTACTS) {
        err->code = PROTO_ERR_BAD_FIELD;
        snprintf(err->message, sizeof err->message,
                 "Amazon Connect agent event: CurrentAgentSnapshot.Contacts is not an array of at most %d",
                 CONNECT_EVENTS_MAX_CONTACTS);
        return -1;
    }
    size_t i;
    json_t *c;
    json_array_foreach(contacts, i, c) {
        /* the agent has it (not yet: INCOMING, PENDING, CONNECTING; no more: MISSED,
         * REJECTED, ERROR, ENDED) */
        const char *state = json_string_value(json_object_get(c, "State"));
        if (!state || (strcmp(state, "CONNECTED") != 0 && strcmp(state, "CONNECTED_ONHOLD") != 0))
            continue;
        if (assign(p, arn, json_object_get(c, "ContactId"), provisional, err) != 0)
            return -1;
    }
    return 0;
}

int connect_events_apply(pipeline *p, const json_t *o, const char *provisional, proto_error *err)
{
    if (json_object_get(o, "AgentARN"))
        return agent_event(p, o, provisional, err);
    json_t *detail = json_object_get(o, "detail");
    const char *arn = json_string_value(json_object_get(json_object_get(detail, "agentInfo"), "agentArn"));
    return arn ? assign(p, arn, json_object_get(detail, "contactId"), provisional, err) : 0;
}
