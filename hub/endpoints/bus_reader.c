/* bus_reader.c — the waiting connection of a shared bus: one XREAD BLOCK at a time on a raw
 * connection of the hub's own loop (no thread), each answer queued by the event log, then a
 * turn asked for to store it; the next wait goes out at once. A dropped connection comes back
 * by itself (rawclient.c) and whatever it missed is read from the stream before anything
 * after it is stored (eventlog_redis.c fills the gap). */
#include "hub/endpoints/bus_reader.h"
#include "hub/endpoints/console.h"
#include "hub/endpoints/hub.h"
#include "hub/endpoints/session.h"
#include "hub/net/rawclient.h"
#include "base/logfile.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stand-ins of other hubs' consoles whose actions reached this hub, one per hub and user,
 * kept (users are few) so their acks, held to the commit, find them. */
enum { RELAY_SESSIONS_MAX = 4096 };

typedef struct {
    hub *h;
    session **relays;
    size_t nrelays;
    bus_config cfg;             /* host and TLS settings, for each connection */
    bustls_stream *tls;         /* rediss://: this connection's TLS, over the raw bytes */
} bus_reader;

static session *relay_session(bus_reader *r, const bus_action *a)
{
    for (size_t i = 0; i < r->nrelays; i++)
        if (strcmp(r->relays[i]->relay_origin, a->origin) == 0 && strcmp(r->relays[i]->user.name, a->user) == 0)
            return r->relays[i];
    if (r->nrelays == RELAY_SESSIONS_MAX)
        return NULL;
    store_user u = {.role = store_role_parse(a->role)};
    snprintf(u.name, sizeof u.name, "%s", a->user);
    snprintf(u.display_name, sizeof u.display_name, "%s", a->display_name);
    if (u.role != ROLE_AGENT && u.role != ROLE_SUPERVISOR)
        return NULL;   /* only consoles act on interactions */
    r->relays = mem_realloc(r->relays, (r->nrelays + 1) * sizeof *r->relays);
    return r->relays[r->nrelays++] = session_new_relay(r->h, a->origin, &u);
}

/* An action a console on another hub sent for an interaction: applied here when it is this
 * hub's, as that user, exactly as if the console were here (roles, assignment, a retried id
 * acknowledged again); its answers go back through relay(). Decoded again: it is untrusted. */
static void relay_action(void *ctx, const bus_action *a)
{
    bus_reader *r = ctx;
    hub *h = r->h;
    proto_error err;
    json_t *frame = proto_parse(a->frame, a->len, &err);
    if (!frame)
        return;
    char ref[PROTO_MAX_ID + 1] = "";
    proto_frame_ref(frame, ref);
    proto_event ev;
    bool ok = proto_decode_json(frame, PROTO_TO_HUB, &ev, &err);
    json_decref(frame);
    if (!ok)
        return;
    const char *iid = proto_str(&ev, "iid");
    pipeline_info info;
    session *s = NULL;
    if (iid && !pipeline_owned_elsewhere(h->pl, iid) && pipeline_lookup(h->pl, iid, &info) &&
        (s = relay_session(r, a))) {
        snprintf(s->frame_ref, sizeof s->frame_ref, "%s", ref);
        console_action(s, &ev);
        s->frame_ref[0] = 0;
    }
    proto_free(&ev);
}

static void to_console(session *s, void *ctx)
{
    const bus_answer *a = ctx;
    shared_frame *f = shared_frame_new(a->frame, a->len, 0);
    session_queue(s, f);
    shared_frame_unref(f);
}

/* What the owner answered a console of this hub: to that user's consoles here (the console
 * matches it to its action by its ref). */
static void relay_answer(void *ctx, const bus_answer *a)
{
    bus_reader *r = ctx;
    session_each_of_user(r->h, a->user, to_console, (void *)a);
}

static void relay(hub *h, const char *origin, const char *user, const char *frame, size_t len)
{
    if (eventlog_redis_answer(h->log, origin, user, frame, len) != 0)
        logfile_write("bus: an answer to %s on hub %s could not be sent: its console retries", user, origin);
}

/* What TLS has to send (a handshake's part, an encrypted command), out on the connection. */
static void flush_tls(bus_reader *r, net_rawclient *c)
{
    char *out = NULL;
    size_t n;
    while (r->tls && (n = bustls_stream_output(r->tls, &out)) > 0)
        net_rawclient_send(c, out, n);
}

static void send_next(bus_reader *r, net_rawclient *c, bool hello)
{
    char *cmd = NULL;
    size_t len = 0;
    int rc = hello ? eventlog_redis_reader_hello(r->h->log, &cmd, &len)
                   : eventlog_redis_reader_next(r->h->log, &cmd, &len);
    if (rc != 0)
        return;
    if (!r->tls) {
        net_rawclient_send(c, cmd, len);
        return;
    }
    bustls_stream_write(r->tls, cmd, len);
    free(cmd);
    flush_tls(r, c);
}

static void connected(void *ctx, net_rawclient *c)
{
    bus_reader *r = ctx;
    bustls_stream_free(r->tls);
    r->tls = NULL;
    if (r->cfg.tls.on) {
        char err[256];
        if (!(r->tls = bustls_stream_new(r->cfg.host, &r->cfg.tls, err, sizeof err))) {
            eventlog_redis_reader_state(r->h->log, false, err);
            return;
        }
    }
    eventlog_redis_reader_state(r->h->log, true, NULL);
    send_next(r, c, true);   /* with TLS: after the handshake this starts */
    /* Redis is back: a turn now, so an idle hub finds its appending side and its commits
     * working again (/healthz) without waiting for a write */
    pipeline_bus_pull(r->h->pl);
}

/* The plaintext TLS made of what arrived, to the log's reader: its answers, or -1. */
static int feed_tls(bus_reader *r, net_rawclient *c, const char *bytes, size_t len)
{
    if (bustls_stream_feed(r->tls, bytes, len) != 0) {
        eventlog_redis_reader_state(r->h->log, false, bustls_stream_error(r->tls));
        return -1;
    }
    flush_tls(r, c);
    int answers = 0;
    char buf[16384];
    long n;
    while ((n = bustls_stream_read(r->tls, buf, sizeof buf)) > 0) {
        int a = eventlog_redis_reader_feed(r->h->log, buf, (size_t)n);
        if (a < 0)
            return -1;
        answers += a;
    }
    if (n < 0)
        eventlog_redis_reader_state(r->h->log, false, bustls_stream_error(r->tls));
    return n < 0 ? -1 : answers;
}

static int data(void *ctx, net_rawclient *c, const char *bytes, size_t len)
{
    bus_reader *r = ctx;
    int answers = r->tls ? feed_tls(r, c, bytes, len) : eventlog_redis_reader_feed(r->h->log, bytes, len);
    if (answers < 0)
        return -1;   /* closed; connects again and reads on from what is stored */
    if (answers > 0)
        send_next(r, c, false);
    eventlog_redis_drain(r->h->log, relay_action, relay_answer, r);
    if (eventlog_redis_pending(r->h->log))
        pipeline_bus_pull(r->h->pl);   /* stored in this turn, delivered after its commit */
    return 0;
}

static void down(void *ctx, const char *why)
{
    bus_reader *r = ctx;
    eventlog_redis_reader_state(r->h->log, false, why);
}

int bus_reader_start(hub *h, const bus_config *cfg)
{
    static const net_rawclient_handlers handlers = {.connected = connected, .data = data, .down = down};
    bus_reader *r = mem_zalloc(1, sizeof *r);   /* lives as long as the hub's transport */
    r->h = h;
    r->cfg = *cfg;
    explicit_bzero(r->cfg.password, sizeof r->cfg.password);   /* the log's own copy signs in */
    h->bus_reader = r;
    h->relay = relay;
    return net_rawclient_new(h->net, cfg->host, cfg->port, &handlers, r) ? 0 : -1;
}

void bus_reader_free(hub *h)
{
    bus_reader *r = h->bus_reader;
    if (!r)
        return;
    for (size_t i = 0; i < r->nrelays; i++)
        session_free(r->relays[i]);
    bustls_stream_free(r->tls);
    free(r->relays);
    free(r);
    h->bus_reader = NULL;
}
