/* console_floor.c — what the supervisor's floor adds to the fan-out of committed events: a
 * takeover hands the interaction to its new owner's consoles, and a start, an end, a
 * wrap-up or a takeover may change an agent's status (sent after the commit), and an end
 * changes the floor's figures (floor_metrics.h). */
#include "hub/endpoints/console.h"
#include "hub/endpoints/agent_status.h"
#include "hub/endpoints/floor_metrics.h"

#include <string.h>

typedef struct {
    const pipeline_entry *e;
    const char *from;
} takeover;

/* A live console of the new owner that could not see the interaction gets it first (as on a
 * snapshot); its delivery then goes on from before the interaction.assigned. Consoles still
 * catching up (snapshot, replay) meet the event in the log instead (console_hello.c). */
static void hand_over(session *s, void *ctx)
{
    const takeover *t = ctx;
    if (s->mode == DELIVER_LIVE && t->e->frame->seq > s->cursor &&
        console_take_over(s, t->e->iid, t->from, t->e->frame->seq))
        console_refill(s);
}

void console_deliver(void *ctx, const pipeline_entry *e)
{
    hub *h = ctx;
    char to[PROTO_MAX_ID + 1], from[PROTO_MAX_ID + 1];
    bool assigned = e->type == EV_ASSIGNED &&
                    session_assigned_names(shared_frame_data(e->frame), e->frame->len, to, from);
    if (assigned) {
        takeover t = {.e = e, .from = from};
        session_each_of_user(h, to, hand_over, &t);
    }
    session_deliver(ctx, e);
    floor_metrics_note(h, e);
    switch (e->type) {
    case EV_INTERACTION_ENDED:
        floor_metrics_ended(h);
        agent_status_touch(h, e->agent);
        break;
    case EV_INTERACTION_STARTED:
    case EV_WRAPPED_UP:
        agent_status_touch(h, e->agent);
        break;
    case EV_ASSIGNED:
        agent_status_touch(h, e->agent);
        if (assigned)
            agent_status_touch(h, from);
        break;
    default:
        break;
    }
}

void console_committed(void *ctx, bool ok)
{
    session_committed(ctx, ok);
    agent_status_flush(ctx);
}
