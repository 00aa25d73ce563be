/* console.c — the console endpoint's row: a connection becomes a session, a message is
 * decoded and is either hello or an action, and each time the socket drains the snapshot,
 * the replay or a recording being sent is pulled further. */
#include "hub/endpoints/console.h"
#include "hub/endpoints/agent_status.h"
#include "hub/core/metrics.h"
#include "base/clock.h"

#include <string.h>

enum { REFILL_BELOW = 256 };

static void *open_console(void *ctx, net_conn *c)
{
    return session_new(ctx, c, SESSION_CONSOLE);
}

static void handle(session *s, const char *msg, size_t len)
{
    proto_event ev;
    proto_error err;
    json_t *frame = proto_parse(msg, len, &err);
    if (!frame) {
        session_refuse_frame(s, &err);
        return;
    }
    proto_frame_ref(frame, s->frame_ref);
    bool decoded = proto_decode_json(frame, PROTO_TO_HUB, &ev, &err);
    json_decref(frame);
    if (!decoded) {
        session_refuse_frame(s, &err);
        return;
    }
    metrics_event_in();
    if (!s->authed) {
        if (ev.type == EV_HELLO)
            console_hello(s, &ev);
        else
            session_fail(s, PROTO_ERR_UNAUTHORIZED, "send hello first", NET_CLOSE_POLICY);
    } else if (ev.type == EV_HELLO) {
        session_send_error(s, PROTO_ERR_BAD_FIELD, "already said hello", NULL);
    } else
        console_action(s, &ev);
    proto_free(&ev);
}

static void on_message(void *state, const char *msg, size_t len)
{
    session *s = state;
    handle(s, msg, len);
    s->frame_ref[0] = '\0'; /* later errors (a failed commit's) name their own ids */
}

static void on_fault(void *state, net_fault why, const char *message)
{
    session_fault(state, why, message);
}

/* A frame the live fan-out queued in its commit turn went out: ingest-to-send latency. */
static void on_sent(void *state, int64_t ingest_us)
{
    (void)state;
    metrics_latency_us(clock_mono_us() - ingest_us);
}

static void on_wrote(void *state, size_t frames)
{
    session *s = state;
    metrics_events_out((uint64_t)frames);
    if (net_conn_outbox(s->conn).frames < REFILL_BELOW && (s->mode == DELIVER_SNAPSHOT || s->mode == DELIVER_REPLAY))
        console_refill(s);
    if (s->streams)
        console_recording_pump(s);
}

static void on_close(void *state)
{
    session *s = state;
    hub *h = s->h;
    char agent[sizeof s->user.name] = "";
    if (s->authed && s->user.role == ROLE_AGENT)
        memcpy(agent, s->user.name, sizeof agent);
    console_recording_free(s);
    console_snapshot_free(s->snap);
    session_free(s);
    if (agent[0]) /* its last console gone: the agent is offline */
        agent_status_now(h, agent);
}

const net_endpoint console_endpoint = {
    .protocol = PROTO_SUBPROTOCOL,
    .rx_buffer = 16384,
    .open = open_console,
    .message = on_message,
    .fault = on_fault,
    .sent = on_sent,
    .wrote = on_wrote,
    .close = on_close,
};
