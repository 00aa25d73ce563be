/* pipeline_assign.c — who owns an interaction: a supervisor's takeover moves a live one to
 * another agent or supervisor, its source assigns an unassigned one (a connector's start,
 * Amazon Connect's agent events, remembered when they come first), and the agents on a break get no new contact from a source
 * that picks agents itself (see pipeline_internal.h, pipeline.h). */
#include "hub/core/pipeline_state.h"
#include "base/text.h"
#include "base/clock.h"

#include <stdio.h>
#include <string.h>

static int refuse(proto_error *err, const char *code, const char *fmt, const char *arg)
{
    if (err) {
        char cut[101];
        text_copy(cut, sizeof cut, arg);
        err->code = code;
        snprintf(err->message, sizeof err->message, fmt, cut);
    }
    return -1;
}

/* Move live call c to `to` (named to_name): its owner in memory (undone by a failed turn)
 * and in the interactions table, and interaction.assigned with `to` as its visibility. */
static int move_to(pipeline *p, live_call *c, const char *to, const char *to_name, const char *by,
                   const char *by_name, int64_t *seq, proto_error *err)
{
    if (pipeline_begin(p) != 0)
        return refuse(err, PROTO_ERR_UNAVAILABLE, "assignment: storage unavailable (%s); retry with the same id",
                      p->turn_error);
    pipeline_touch *t = pipeline_touch_call(p, c, PLACE_LIVE);
    if (!t->reassigned) {
        t->reassigned = true;
        memcpy(t->was_agent, c->agent, sizeof t->was_agent);
        memcpy(t->was_agent_name, c->agent_name, sizeof t->was_agent_name);
    }
    if (pipeline_db_reassign(&p->db, c->iid, to) != 0) {
        pipeline_fail_turn(p, sqlite3_errmsg(store_db(p->st)));
        return refuse(err, PROTO_ERR_UNAVAILABLE, "assignment: storage unavailable (%s); retry with the same id",
                      p->turn_error);
    }
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "iid", c->iid, "agent", to,
                             "agent_name", to_name[0] ? to_name : to, "from", c->agent, "from_name",
                             c->agent_name[0] ? c->agent_name : c->agent, "by", by, "by_name", by_name);
    snprintf(c->agent, sizeof c->agent, "%s", to);
    snprintf(c->agent_name, sizeof c->agent_name, "%s", to_name);
    int64_t s = pipeline_emit(p, EV_ASSIGNED, body, to, "");
    if (s < 0) {
        pipeline_fail_turn(p, "interaction.assigned could not be logged");
        return refuse(err, PROTO_ERR_UNAVAILABLE, "assignment: %s; retry with the same id", p->turn_error);
    }
    if (seq)
        *seq = s;
    return 0;
}

int pipeline_reassign(pipeline *p, const char *iid, const char *to, const char *by, const char *by_name,
                      int64_t *seq, proto_error *err)
{
    live_call *c = iid ? live_find(p->live, iid) : NULL;
    if (!c)
        return refuse(err, PROTO_ERR_NOT_FOUND, "no live interaction %s", iid ? iid : "");
    char to_name[PROTO_MAX_SHORT + 1];
    if (!to || !pipeline_db_agent(&p->db, to, to_name, sizeof to_name))
        return refuse(err, PROTO_ERR_BAD_FIELD, "takeover.to: %s is no agent or supervisor", to ? to : "");
    if (strcmp(c->agent, to) == 0)
        return refuse(err, PROTO_ERR_BAD_FIELD, "takeover.to: %s already has the interaction", to);
    return move_to(p, c, to, to_name, by, by_name, seq, err);
}

int pipeline_assign(pipeline *p, const char *iid, const char *agent, const char *by_name, const char *provisional,
                    proto_error *err)
{
    char name[PROTO_MAX_SHORT + 1];
    if (!iid || !agent || !pipeline_db_agent(&p->db, agent, name, sizeof name))
        return refuse(err, PROTO_ERR_NOT_FOUND, "unknown agent %s", agent ? agent : "");
    live_call *c = live_find(p->live, iid);
    if (c) {
        if (strcmp(c->agent, agent) == 0)
            return 0;
        if (c->agent[0] && !(provisional && *provisional && strcmp(c->agent, provisional) == 0))
            return refuse(err, PROTO_ERR_BAD_FIELD, "interaction %s is already live with another agent", iid);
        return move_to(p, c, agent, name, "", by_name ? by_name : "", NULL, err);
    }
    pipeline_info info;
    if (pipeline_lookup(p, iid, &info))
        return 0;   /* ended: Connect goes on naming the agent through its after-call work */
    if (pipeline_begin(p) != 0 || pipeline_db_pending_put(&p->db, iid, agent, clock_wall_ms()) != 0) {
        pipeline_fail_turn(p, sqlite3_errmsg(store_db(p->st)));
        return refuse(err, PROTO_ERR_UNAVAILABLE, "assignment: storage unavailable (%s)", p->turn_error);
    }
    return 0;
}

bool pipeline_pending_agent(pipeline *p, const char *iid, char *agent, size_t len)
{
    return iid && pipeline_db_pending_agent(&p->db, iid, agent, len);
}

bool pipeline_connect_user(pipeline *p, const char *connect_id, char *user, size_t len)
{
    return connect_id && *connect_id && pipeline_db_connect_user(&p->db, connect_id, user, len);
}

bool pipeline_agent_on_break(pipeline *p, const char *agent)
{
    return agent && pipeline_db_on_break(&p->db, agent);
}
