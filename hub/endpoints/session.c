/* session.c — a connection's endpoint side: sign-in index, answers and errors, acks after
 * the commit, and the fan-out of committed events to the sessions that may see them. */
#include "hub/endpoints/session.h"
#include "base/logfile.h"
#include "hub/core/metrics.h"
#include "base/strhash.h"
#include "base/mem.h"
#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* frames go out through the transport, which writes its header into their headroom */
_Static_assert((int)FRAME_HEADROOM >= (int)NET_HEADROOM, "a frame's headroom holds the transport's header");

static unsigned user_bucket(const char *name)
{
    return strhash_fnv1a(name) % HUB_USER_BUCKETS;
}

session *session_new(hub *h, net_conn *conn, session_kind kind)
{
    session *s = mem_zalloc(1, sizeof *s);
    s->h = h;
    s->conn = conn;
    s->kind = kind;
    s->metric_role = "pending";
    s->sub_all = true;
    metrics_conn(s->metric_role, 1);
    return s;
}

session *session_new_relay(hub *h, const char *origin, const store_user *user)
{
    session *s = mem_zalloc(1, sizeof *s);
    s->h = h;
    s->kind = SESSION_CONSOLE;
    s->metric_role = "relay";   /* not a connection: counted nowhere */
    s->authed = true;
    s->user = *user;
    s->mode = DELIVER_NONE;
    snprintf(s->relay_origin, sizeof s->relay_origin, "%s", origin);
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
    if (!net_conn_admit(s->conn, s->user.name))
        return false;
    session_index(s);
    return true;
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
    if (s->on_ack_list) {
        session **pp = &h->ack_pending;
        while (*pp && *pp != s)
            pp = &(*pp)->ack_next;
        if (*pp)
            *pp = s->ack_next;
    }
    for (size_t i = 0; i < s->nacks; i++)   /* a connection gone before its commit */
        if (s->acks[i].has_answer)
            proto_free(&s->acks[i].answer);
    free(s->subs);
    free(s->acks);
    free(s);
}

/* ---- answers ---- */

static bool enqueue(session *s, shared_frame *f, int64_t ingest_us)
{
    if (!s->conn) {   /* a relay session: back to its console's hub */
        if (s->h->relay)
            s->h->relay(s->h, s->relay_origin, s->user.name, shared_frame_data(f), f->len);
        return true;
    }
    return net_conn_send(s->conn, f, shared_frame_data(f), f->len, ingest_us);
}

bool session_queue(session *s, shared_frame *f)
{
    return enqueue(s, f, 0);
}

bool session_closing(const session *s)
{
    return s->conn && net_conn_closing(s->conn);
}

static void queue_text(session *s, const char *text, size_t len)
{
    shared_frame *f = shared_frame_new(text, len, 0);
    session_queue(s, f);
    shared_frame_unref(f);
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
    if (session_closing(s))
        return;
    session_send_error(s, code, message, NULL);
    if (s->conn)
        net_conn_close(s->conn, status, code);
    s->mode = DELIVER_NONE;
}

/* What the transport refuses, in the protocol: the error code and the close status. */
static const struct {
    const char *code;
    int status;
} faults[] = {
    [NET_FAULT_BUSY] = {.code = PROTO_ERR_TOO_MANY, .status = NET_CLOSE_POLICY},
    [NET_FAULT_FLOOD] = {.code = PROTO_ERR_FLOOD, .status = NET_CLOSE_POLICY},
    [NET_FAULT_TOO_BIG] = {.code = PROTO_ERR_TOO_BIG, .status = NET_CLOSE_TOO_BIG},
    [NET_FAULT_SLOW] = {.code = PROTO_ERR_SLOW, .status = NET_CLOSE_POLICY},
    [NET_FAULT_BINARY] = {.code = PROTO_ERR_BAD_JSON, .status = NET_CLOSE_UNSUPPORTED},
};

void session_fault(session *s, net_fault why, const char *message)
{
    session_fail(s, faults[why].code, message, faults[why].status);
}

void session_refuse_frame(session *s, const proto_error *err)
{
    session_send_error(s, err->code, err->message, err->ref);
    if (!s->authed)
        session_fail(s, PROTO_ERR_UNAUTHORIZED, "the first frame must be a valid hello", NET_CLOSE_POLICY);
}

void session_ack_after_commit(session *s, const char *id, int64_t seq)
{
    if (s->nacks == s->capacks) {
        s->capacks = s->capacks ? s->capacks * 2 : 8;
        s->acks = mem_realloc(s->acks, s->capacks * sizeof *s->acks);
    }
    snprintf(s->acks[s->nacks].id, sizeof s->acks[s->nacks].id, "%s", id);
    s->acks[s->nacks].seq = seq;
    s->acks[s->nacks].has_answer = false;
    s->nacks++;
    if (!s->on_ack_list) {
        s->on_ack_list = true;
        s->ack_next = s->h->ack_pending;
        s->h->ack_pending = s;
    }
    pipeline_begin(s->h->pl); /* make sure the turn ends with a flush that sends it */
}

void session_answer_after_commit(session *s, const char *id, proto_event *answer)
{
    session_ack_after_commit(s, id, 0);
    s->acks[s->nacks - 1].answer = *answer;
    s->acks[s->nacks - 1].has_answer = true;
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

bool session_assigned_names(const char *frame, size_t len, char *to, char *from)
{
    static const char lead[] = "{\"type\":\"interaction.assigned\"";
    if (len < sizeof lead - 1 || memcmp(frame, lead, sizeof lead - 1) != 0)
        return false;
    json_t *j = json_loadb(frame, len, 0, NULL);
    const char *a = json_string_value(json_object_get(j, "agent"));
    const char *f = json_string_value(json_object_get(j, "from"));
    snprintf(to, PROTO_MAX_ID + 1, "%s", a ? a : "");
    snprintf(from, PROTO_MAX_ID + 1, "%s", f ? f : "");
    json_decref(j);
    return a && f;
}

bool session_sees_entry(const session *s, const char *iid, const char *agent, const char *audience,
                        const char *frame, size_t len)
{
    if (session_sees(s, iid, agent, audience))
        return true;
    char to[PROTO_MAX_ID + 1], from[PROTO_MAX_ID + 1];
    return s->user.role == ROLE_AGENT && session_assigned_names(frame, len, to, from) &&
           strcmp(from, s->user.name) == 0;
}

void session_each_of_user(hub *h, const char *user, void (*fn)(session *s, void *ctx), void *ctx)
{
    for (session *s = h->by_user[user_bucket(user)], *n; s; s = n) {
        n = s->unext;
        if (strcmp(s->user.name, user) == 0)
            fn(s, ctx);
    }
    for (session *s = h->supervisors, *n; s; s = n) {
        n = s->unext;
        if (strcmp(s->user.name, user) == 0)
            fn(s, ctx);
    }
}

bool session_signed_in(hub *h, const char *user)
{
    for (session *s = h->by_user[user_bucket(user)]; s; s = s->unext)
        if (strcmp(s->user.name, user) == 0 && !session_closing(s))
            return true;
    for (session *s = h->supervisors; s; s = s->unext)
        if (strcmp(s->user.name, user) == 0 && !session_closing(s))
            return true;
    return false;
}

static void offer(session *s, const pipeline_entry *e)
{
    if (s->mode != DELIVER_LIVE || e->frame->seq <= s->cursor)
        return;
    if (!session_sees_entry(s, e->iid, e->agent, e->audience, shared_frame_data(e->frame), e->frame->len))
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
    /* a takeover reaches the previous owner too (logged under the new one) */
    char to[PROTO_MAX_ID + 1], from[PROTO_MAX_ID + 1];
    if (e->type == EV_ASSIGNED &&
        session_assigned_names(shared_frame_data(e->frame), e->frame->len, to, from) && strcmp(from, who) != 0)
        for (session *s = h->by_user[user_bucket(from)], *n; s; s = n) {
            n = s->unext;
            if (strcmp(s->user.name, from) == 0)
                offer(s, e);
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
                if (s->acks[i].has_answer)
                    proto_free(&s->acks[i].answer);
                continue;
            }
            if (s->acks[i].has_answer) {
                session_send_event(s, &s->acks[i].answer);
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
