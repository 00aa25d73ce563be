/* ingest.c — the connector endpoint. */
#include "hub/endpoints/ingest.h"
#include "hub/endpoints/contactlens.h"
#include "hub/endpoints/connect_events.h"
#include "hub/endpoints/session.h"
#include "base/logfile.h"
#include "hub/core/metrics.h"
#include "base/clock.h"

#include <stdio.h>
#include <string.h>

static void hello(session *s, const proto_event *ev)
{
    const char *token = proto_str(ev, "token");
    store_user u;
    if (ev->type != EV_INGEST_HELLO || !token || !store_user_by_token(s->h->st, token, &u) ||
        u.role != ROLE_INGEST) {
        session_fail(s, PROTO_ERR_UNAUTHORIZED, ev->type == EV_INGEST_HELLO ? "unknown ingest token"
                                                                            : "send hello first",
                     NET_CLOSE_POLICY);
        return;
    }
    s->user = u;
    s->authed = true;
    if (!session_admit(s))
        return;
    logfile_write("ingest hello %s client %s", u.name, proto_str(ev, "client") ? proto_str(ev, "client") : "");
    proto_event w = proto_new(EV_INGEST_WELCOME);
    proto_set_str(&w, "user", u.name);
    session_send_event(s, &w);
}

static void contact_lens(session *s, json_t *frame)
{
    proto_error err;
    pipeline_set_ingest_time(s->h->pl, clock_mono_us());
    if (contactlens_apply(s->h->pl, frame, &s->h->cl, &err) != 0)
        session_send_error(s, err.code, err.message, NULL);
    pipeline_set_ingest_time(s->h->pl, 0);
}

static void connect_event(session *s, json_t *frame)
{
    proto_error err;
    if (connect_events_apply(s->h->pl, frame, s->h->cl.agent, &err) != 0)
        session_send_error(s, err.code, err.message, NULL);
}

/* A start for an interaction that is already live and unassigned (Contact Lens started it;
 * or it holds the trial fallback) assigns it: the connector knows the agent, Contact Lens
 * does not. Any other start of a live one is refused as a duplicate, as always. */
static int apply(session *s, const proto_event *ev, proto_error *err)
{
    const char *iid = proto_str(ev, "iid"), *agent = proto_str(ev, "agent"), *fallback = s->h->cl.agent;
    pipeline_info info;
    if (ev->type == EV_INGEST_START && agent && iid && pipeline_lookup(s->h->pl, iid, &info) && info.live &&
        (!info.agent[0] || (fallback && *fallback && strcmp(info.agent, fallback) == 0)))
        return pipeline_assign(s->h->pl, iid, agent, s->user.display_name[0] ? s->user.display_name : s->user.name,
                               s->h->cl.agent, err);
    return pipeline_ingest(s->h->pl, ev, err);
}

static void handle(session *s, const char *msg, size_t len)
{
    proto_event ev;
    proto_error err;
    /* One parse under the limits of every frame; then native or Contact Lens by the
     * frame's top-level keys, never by text found somewhere inside it. */
    json_t *frame = proto_parse(msg, len, &err);
    if (!frame) {
        session_refuse_frame(s, &err);
        return;
    }
    proto_frame_ref(frame, s->frame_ref);
    if (s->authed && connect_events_detect(frame)) {
        metrics_event_in();
        connect_event(s, frame);
        json_decref(frame);
        return;
    }
    if (s->authed && contactlens_detect(frame)) {
        metrics_event_in();
        contact_lens(s, frame);
        json_decref(frame);
        return;
    }
    bool decoded = proto_decode_json(frame, PROTO_INGEST, &ev, &err);
    json_decref(frame);
    if (!decoded) {
        session_refuse_frame(s, &err);
        return;
    }
    metrics_event_in();
    if (!s->authed) {
        hello(s, &ev);
        proto_free(&ev);
        return;
    }
    if (ev.type == EV_INGEST_HELLO) {
        session_send_error(s, PROTO_ERR_BAD_FIELD, "already said hello", NULL);
        proto_free(&ev);
        return;
    }
    const char *id = proto_str(&ev, "id");
    hub *h = s->h;
    if (id && (store_action_seen(h->st, s->user.name, id) ||
               pipeline_seen_on_bus(h->pl, proto_str(&ev, "iid"), s->user.name, id))) {
        session_ack_after_commit(s, id, 0);
        proto_free(&ev);
        return;
    }
    pipeline_set_ingest_time(h->pl, clock_mono_us());
    if (pipeline_begin(h->pl) != 0 || apply(s, &ev, &err) != 0) {
        if (!err.code) {
            err.code = PROTO_ERR_UNAVAILABLE;
            snprintf(err.message, sizeof err.message, "storage unavailable; retry with the same id");
        }
        session_send_error(s, err.code, err.message, id);
    } else if (id) {
        /* without its dedupe row a retry would apply it twice: the turn cannot commit */
        if (store_action_remember(h->st, s->user.name, id, proto_spec(ev.type)->name, clock_wall_ms()) != 0)
            pipeline_fail_turn(h->pl, sqlite3_errmsg(store_db(h->st)));
        pipeline_remember_on_bus(h->pl, proto_str(&ev, "iid"), s->user.name, id);
        session_ack_after_commit(s, id, 0);
    }
    pipeline_set_ingest_time(h->pl, 0);
    proto_free(&ev);
}

static void *open_ingest(void *ctx, net_conn *c)
{
    return session_new(ctx, c, SESSION_INGEST);
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

static void on_wrote(void *state, size_t frames)
{
    (void)state;
    metrics_events_out((uint64_t)frames);
}

static void on_close(void *state)
{
    session_free(state);
}

const net_endpoint ingest_endpoint = {
    .protocol = PROTO_INGEST_SUBPROTOCOL,
    .rx_buffer = 65536,
    .replies_only = true,       /* a connector is sent only acks and errors */
    .open = open_ingest,
    .message = on_message,
    .fault = on_fault,
    .wrote = on_wrote,
    .close = on_close,
};
