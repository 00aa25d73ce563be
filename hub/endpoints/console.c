/* console.c — connection lifecycle, reassembly, flood control, outbox and fan-out. */
#include "hub/endpoints/console.h"
#include "hub/endpoints/ingest.h"
#include "hub/core/metrics.h"
#include "base/strhash.h"
#include "base/mem.h"
#include "base/text.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

_Static_assert(FRAME_HEADROOM >= LWS_PRE, "a frame's headroom holds the websocket header");

enum { WRITES_PER_CALLBACK = 32, REFILL_BELOW = 256, SESSION_HELLO_SECS = 10 };

static unsigned user_bucket(const char *name)
{
    return strhash_fnv1a(name) % SERVER_USER_BUCKETS;
}

/* Over a connection cap: error too_many_connections, then close 1008 (policy) with the
 * reason as its text. Not 1013 "try again later": libwebsockets clients (our console
 * among them) read 1012..2999 as a protocol error and report 1002. */
static void refuse_busy(session *s, const char *reason)
{
    logfile_write("connection refused: %s", reason);
    session_fail(s, PROTO_ERR_TOO_MANY, reason, LWS_CLOSE_STATUS_POLICY_VIOLATION);
    snprintf(s->close_reason, sizeof s->close_reason, "%s", reason); /* the reason, not the code */
}

session *session_new(hub *h, struct lws *wsi, session_kind kind)
{
    session *s = mem_zalloc(1, sizeof *s);
    s->h = h;
    s->wsi = wsi;
    s->kind = kind;
    s->metric_role = "pending";
    s->sub_all = true;
    s->next = h->all;
    if (h->all)
        h->all->prev = s;
    h->all = s;
    h->nconnections++;
    metrics_conn(s->metric_role, 1);
    /* a connection that never says hello would hold a slot forever (lws answers pings for it) */
    if (wsi)
        lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, SESSION_HELLO_SECS);
    if (h->nconnections > h->opts->max_connections)
        refuse_busy(s, "too many connections to this hub");
    return s;
}

static session **index_head(session *s)
{
    if (s->user.role == ROLE_SUPERVISOR)
        return &s->h->supervisors;
    return &s->h->by_user[user_bucket(s->user.name)];
}

static void session_index(session *s)
{
    if (s->wsi)
        lws_set_timeout(s->wsi, NO_PENDING_TIMEOUT, 0);
    metrics_conn(s->metric_role, -1);
    s->metric_role = store_role_name(s->user.role);
    metrics_conn(s->metric_role, 1);
    if (s->kind != SESSION_CONSOLE || s->indexed)
        return;
    session **head = index_head(s);
    s->uprev = NULL;
    s->unext = *head;
    if (*head)
        (*head)->uprev = s;
    *head = s;
    s->indexed = true;
}

bool session_admit(session *s)
{
    size_t same = 0;
    for (const session *o = s->h->all; o; o = o->next)
        if (o != s && o->authed && !o->closing && strcmp(o->user.name, s->user.name) == 0)
            same++;
    if (same >= s->h->opts->max_connections_per_token) {
        refuse_busy(s, "too many connections for this token");
        return false;
    }
    session_index(s);
    return true;
}

static void clear_queue(session *s)
{
    while (s->qlen) {
        server_frame_unref(s->q[s->qhead].frame);
        s->qhead = (s->qhead + 1) % s->qcap;
        s->qlen--;
    }
    s->qbytes = 0;
}

static void clear_snapshot(session *s)
{
    for (size_t i = s->isnap; i < s->nsnap; i++)
        server_frame_unref(s->snap[i]);
    free(s->snap);
    s->snap = NULL;
    s->nsnap = s->isnap = 0;
}

void session_free(session *s)
{
    hub *h = s->h;
    metrics_conn(s->metric_role, -1);
    if (s->indexed) {
        if (s->uprev)
            s->uprev->unext = s->unext;
        else
            *index_head(s) = s->unext;
        if (s->unext)
            s->unext->uprev = s->uprev;
    }
    if (s->prev)
        s->prev->next = s->next;
    else
        h->all = s->next;
    if (s->next)
        s->next->prev = s->prev;
    h->nconnections--;
    if (s->on_ack_list) {
        session **pp = &h->ack_pending;
        while (*pp && *pp != s)
            pp = &(*pp)->ack_next;
        if (*pp)
            *pp = s->ack_next;
    }
    clear_queue(s);
    clear_snapshot(s);
    session_recording_free(s);
    free(s->q);
    free(s->rx);
    free(s->subs);
    free(s->acks);
    free(s);
}

/* ---- outbox ---- */

static void want_write(session *s)
{
    if (s->wsi)
        lws_callback_on_writable(s->wsi);
}

static void push(session *s, server_frame *f, int64_t ingest_us)
{
    if (s->qlen == s->qcap) {
        size_t ncap = s->qcap ? s->qcap * 2 : 64;
        session_out *nq = mem_realloc(NULL, ncap * sizeof *nq);
        for (size_t i = 0; i < s->qlen; i++)
            nq[i] = s->q[(s->qhead + i) % s->qcap];
        free(s->q);
        s->q = nq;
        s->qcap = ncap;
        s->qhead = 0;
    }
    s->q[(s->qhead + s->qlen) % s->qcap] = (session_out){server_frame_ref(f), ingest_us};
    s->qlen++;
    s->qbytes += f->len;
}

static bool enqueue(session *s, server_frame *f, int64_t ingest_us)
{
    if (s->closing)
        return false;
    const hubcli_opts *o = s->h->opts;
    if (s->qlen + 1 > o->outbox_frames || s->qbytes + f->len > o->outbox_bytes) {
        char msg[120];
        snprintf(msg, sizeof msg, "outbox over %zu frames or %zu bytes: resume with resume_after",
                 o->outbox_frames, o->outbox_bytes);
        clear_queue(s);
        session_fail(s, PROTO_ERR_SLOW, msg, LWS_CLOSE_STATUS_POLICY_VIOLATION);
        return false;
    }
    if (s->qlen == 0)
        want_write(s);
    push(s, f, ingest_us);
    return true;
}

bool session_queue(session *s, server_frame *f)
{
    return enqueue(s, f, 0);
}

static void queue_text(session *s, const char *text, size_t len)
{
    server_frame *f = server_frame_new(text, len, 0);
    session_queue(s, f);
    server_frame_unref(f);
}

void session_send_event(session *s, proto_event *ev)
{
    proto_error err;
    size_t len;
    char *text = proto_encode(ev, &len, &err);
    if (text) {
        queue_text(s, text, len);
        free(text);
        proto_free(ev);
        return;
    }
    /* An answer that cannot be encoded must not leave its action unanswered: say so
     * (an error about an error would loop, and is only logged). */
    metrics_event_invalid();
    logfile_write("encode %s failed: %s", proto_spec(ev->type)->name, err.message);
    bool is_error = ev->type == EV_ERROR || ev->type == EV_INGEST_ERROR;
    char ref[PROTO_MAX_ID + 1];
    text_copy(ref, sizeof ref, proto_str(ev, "id"));
    proto_free(ev);
    if (!is_error)
        session_send_error(s, PROTO_ERR_INTERNAL, err.message, ref);
}

void session_send_error(session *s, const char *code, const char *message, const char *ref)
{
    proto_error err = {.code = code};
    text_copy(err.message, sizeof err.message, message); /* cut on a code point */
    if (!ref || !*ref)
        ref = s->frame_ref;
    metrics_reject(code);
    proto_event ev = proto_error_event(s->kind == SESSION_INGEST ? PROTO_INGEST_REPLY : PROTO_TO_CONSOLE,
                                       &err, ref);
    session_send_event(s, &ev);
}

void session_fail(session *s, const char *code, const char *message, int status)
{
    if (s->closing)
        return;
    session_send_error(s, code, message, NULL);
    s->closing = true;
    s->close_status = status;
    snprintf(s->close_reason, sizeof s->close_reason, "%s", code);
    clear_snapshot(s);
    s->mode = DELIVER_NONE;
    want_write(s);
    /* a peer that never reads would never let the error out: give it a few seconds */
    if (s->wsi)
        lws_set_timeout(s->wsi, PENDING_TIMEOUT_CLOSE_SEND, 3);
}

void session_refuse_frame(session *s, const proto_error *err)
{
    session_send_error(s, err->code, err->message, err->ref);
    if (!s->authed)
        session_fail(s, PROTO_ERR_UNAUTHORIZED, "the first frame must be a valid hello",
                     LWS_CLOSE_STATUS_POLICY_VIOLATION);
}

void session_ack_after_commit(session *s, const char *id, int64_t seq)
{
    if (s->nacks == s->capacks) {
        s->capacks = s->capacks ? s->capacks * 2 : 8;
        s->acks = mem_realloc(s->acks, s->capacks * sizeof *s->acks);
    }
    snprintf(s->acks[s->nacks].id, sizeof s->acks[s->nacks].id, "%s", id);
    s->acks[s->nacks].seq = seq;
    s->nacks++;
    if (!s->on_ack_list) {
        s->on_ack_list = true;
        s->ack_next = s->h->ack_pending;
        s->h->ack_pending = s;
    }
    pipeline_begin(s->h->pl); /* make sure the turn ends with a flush that sends it */
}

/* Closing a socket with unread input makes the kernel send RST, and an RST makes the peer
 * drop what it has not read yet — our error frame with the reason. A flooding peer always
 * has input in flight, so swallow what has arrived before lws closes. */
static void drain_input(session *s)
{
    int fd = (int)lws_get_socket_fd(s->wsi);
    char buf[16384];
    for (int i = 0; fd >= 0 && i < 64; i++)
        if (recv(fd, buf, sizeof buf, MSG_DONTWAIT) <= 0)
            break;
}

int session_writeable(session *s)
{
    int written = 0;
    int64_t now_us = 0;
    while (s->qlen && written < WRITES_PER_CALLBACK) {
        server_frame *f = s->q[s->qhead].frame;
        int64_t ingest_us = s->q[s->qhead].ingest_us;
        if (lws_write(s->wsi, (unsigned char *)server_frame_data(f), f->len, LWS_WRITE_TEXT) < (int)f->len) {
            return -1;
        }
        if (ingest_us && s->kind == SESSION_CONSOLE) {
            if (!now_us)
                now_us = clock_mono_us();
            metrics_latency_us(now_us - ingest_us);
        }
        s->qhead = (s->qhead + 1) % s->qcap;
        s->qlen--;
        s->qbytes -= f->len;
        server_frame_unref(f);
        written++;
        if (lws_send_pipe_choked(s->wsi))
            break;
    }
    metrics_events_out((uint64_t)written);
    if (s->closing && s->qlen == 0) {
        drain_input(s);
        lws_close_reason(s->wsi, (enum lws_close_status)s->close_status,
                         (unsigned char *)s->close_reason, strlen(s->close_reason));
        return -1;
    }
    if (s->qlen < REFILL_BELOW && (s->mode == DELIVER_SNAPSHOT || s->mode == DELIVER_REPLAY))
        session_refill(s);
    if (s->streams)
        session_recording_pump(s);
    if (s->qlen)
        want_write(s);
    return 0;
}

/* ---- receiving ---- */

static bool flooded(session *s)
{
    int64_t now = clock_mono_ms();
    if (now - s->flood_window_ms >= 1000) {
        s->flood_window_ms = now;
        s->flood_count = 0;
    }
    int limit = s->kind == SESSION_INGEST ? s->h->opts->ingest_flood_per_sec : s->h->opts->flood_per_sec;
    return ++s->flood_count > limit;
}

static void handle_console(session *s, const char *msg, size_t len)
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
            session_hello(s, &ev);
        else
            session_fail(s, PROTO_ERR_UNAUTHORIZED, "send hello first", LWS_CLOSE_STATUS_POLICY_VIOLATION);
    } else if (ev.type == EV_HELLO) {
        session_send_error(s, PROTO_ERR_BAD_FIELD, "already said hello", NULL);
    } else
        session_action(s, &ev);
    proto_free(&ev);
}

int session_receive(session *s, const void *in, size_t len, bool first, bool final)
{
    if (s->closing)
        return 0;
    if (first) {
        s->rx_len = 0;
        s->rx_oversize = false;
        if (flooded(s)) {
            char msg[80];
            snprintf(msg, sizeof msg, "more than %d frames a second",
                     s->kind == SESSION_INGEST ? s->h->opts->ingest_flood_per_sec : s->h->opts->flood_per_sec);
            session_fail(s, PROTO_ERR_FLOOD, msg, LWS_CLOSE_STATUS_POLICY_VIOLATION);
            return 0;
        }
    }
    if (s->rx_oversize || s->rx_len + len > PROTO_MAX_FRAME) {
        s->rx_oversize = true;
        char msg[64];
        snprintf(msg, sizeof msg, "frame exceeds %d bytes", PROTO_MAX_FRAME);
        session_fail(s, PROTO_ERR_TOO_BIG, msg, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE);
        return 0;
    }
    if (s->rx_len + len + 1 > s->rx_cap) {
        s->rx_cap = s->rx_len + len + 1 < 4096 ? 4096 : s->rx_len + len + 1;
        s->rx = mem_realloc(s->rx, s->rx_cap);
    }
    memcpy(s->rx + s->rx_len, in, len);
    s->rx_len += len;
    s->rx[s->rx_len] = 0;
    if (!final)
        return 0;
    if (s->kind == SESSION_CONSOLE)
        handle_console(s, s->rx, s->rx_len);
    else
        ingest_handle(s, s->rx, s->rx_len);
    s->frame_ref[0] = '\0'; /* later errors (a failed commit's) name their own ids */
    if (s->rx_cap > 65536) {
        free(s->rx);
        s->rx = NULL;
        s->rx_cap = 0;
    }
    s->rx_len = 0;
    return 0;
}

/* ---- fan-out ---- */

static bool subscribed(const session *s, const char *iid)
{
    for (size_t i = 0; i < s->nsubs; i++)
        if (strcmp(s->subs[i], iid) == 0)
            return true;
    return false;
}

bool session_sees(const session *s, const char *iid, const char *agent, const char *audience)
{
    switch (s->user.role) {
    case ROLE_AGENT:
        if (audience && audience[0])
            return strcmp(audience, s->user.name) == 0;
        return agent && strcmp(agent, s->user.name) == 0;
    case ROLE_SUPERVISOR:
        if (audience && audience[0] && strcmp(audience, s->user.name) == 0)
            return true;
        return s->sub_all || !iid || !iid[0] || subscribed(s, iid);
    default:
        return false;
    }
}

static void offer(session *s, const pipeline_entry *e)
{
    if (s->mode != DELIVER_LIVE || e->frame->seq <= s->cursor)
        return;
    if (!session_sees(s, e->iid, e->agent, e->audience))
        return;
    s->cursor = e->frame->seq;
    enqueue(s, e->frame, e->frame->ingest_us); /* live, in its commit turn: a latency sample */
}

void session_deliver(void *ctx, const pipeline_entry *e)
{
    hub *h = ctx;
    const char *who = e->audience[0] ? e->audience : e->agent;
    if (who[0]) {
        for (session *s = h->by_user[user_bucket(who)], *n; s; s = n) {
            n = s->unext;
            if (strcmp(s->user.name, who) == 0)
                offer(s, e);
        }
    }
    for (session *s = h->supervisors, *n; s; s = n) {
        n = s->unext;
        offer(s, e);
    }
}

void session_committed(void *ctx, bool ok)
{
    hub *h = ctx;
    session *s = h->ack_pending;
    h->ack_pending = NULL;
    while (s) {
        session *n = s->ack_next;
        s->on_ack_list = false;
        s->ack_next = NULL;
        for (size_t i = 0; i < s->nacks; i++) {
            if (!ok) {
                char msg[240];
                const char *why = pipeline_degraded(h->pl);
                snprintf(msg, sizeof msg, "not stored (%s); retry with the same id",
                         why ? why : "commit failed");
                session_send_error(s, PROTO_ERR_UNAVAILABLE, msg, s->acks[i].id);
                continue;
            }
            proto_event ev = proto_new(s->kind == SESSION_INGEST ? EV_INGEST_ACK : EV_ACK);
            proto_set_str(&ev, "id", s->acks[i].id);
            if (s->acks[i].seq > 0 && s->kind == SESSION_CONSOLE)
                proto_set_int(&ev, "seq", s->acks[i].seq);
            session_send_event(s, &ev);
        }
        s->nacks = 0;
        s = n;
    }
}
