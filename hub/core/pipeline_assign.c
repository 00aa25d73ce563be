/* pipeline_assign.c — who owns an interaction: a supervisor's takeover moves a live one to
 * another agent or supervisor, and the agents on a break get no new contact from a source
 * that picks agents itself (see pipeline_internal.h, pipeline.h). */
#include "hub/core/pipeline_state.h"
#include "base/text.h"

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
    if (pipeline_begin(p) != 0)
        return refuse(err, PROTO_ERR_UNAVAILABLE, "takeover: storage unavailable (%s); retry with the same id",
                      p->turn_error);
    pipeline_touch *t = pipeline_touch_call(p, c, PLACE_LIVE);
    if (!t->reassigned) {
        t->reassigned = true;
        memcpy(t->was_agent, c->agent, sizeof t->was_agent);
        memcpy(t->was_agent_name, c->agent_name, sizeof t->was_agent_name);
    }
    if (pipeline_db_reassign(&p->db, c->iid, to) != 0) {
        pipeline_fail_turn(p, sqlite3_errmsg(store_db(p->st)));
        return refuse(err, PROTO_ERR_UNAVAILABLE, "takeover: storage unavailable (%s); retry with the same id",
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
        return refuse(err, PROTO_ERR_UNAVAILABLE, "takeover: %s; retry with the same id", p->turn_error);
    }
    if (seq)
        *seq = s;
    return 0;
}

bool pipeline_agent_on_break(pipeline *p, const char *agent)
{
    return agent && pipeline_db_on_break(&p->db, agent);
}
