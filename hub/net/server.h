/* server.h — the hub's transport: the one libwebsockets loop and what it serves. It knows
 * no endpoint: the composition (hub/cli/serve.c) registers each websocket endpoint as a row
 * of handlers (hub/endpoints/console.c, ingest.c) and the HTTP routes (hub/endpoints/http.c),
 * then runs the loop until SIGINT, SIGTERM or SIGHUP (read from a signalfd in the loop).
 * Connections themselves: conn.h. */
#ifndef AGENTDESK_HUB_NET_SERVER_H
#define AGENTDESK_HUB_NET_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hub/net/conn.h"

typedef struct net_server net_server;
struct lws_context;

/* One websocket endpoint: a subprotocol and its handlers. `ctx` is what the composition
 * registered it with; `state` what `open` returned for the connection. */
typedef struct net_endpoint {
    const char *protocol;       /* the websocket subprotocol */
    size_t rx_buffer;           /* lws receive buffer: a message may arrive in fragments */
    /* Only replies to the peer's own messages (acks, errors): the outbox is bounded by bytes
     * alone, not by outbox_frames. A burst of small messages read in one turn is answered
     * in one commit; a frame count would call a connector that reads its acks a slow
     * consumer, where the bytes say it is not. */
    bool replies_only;
    void *(*open)(void *ctx, net_conn *c);            /* never NULL */
    void (*message)(void *state, const char *msg, size_t len);  /* one whole text message */
    void (*fault)(void *state, net_fault why, const char *message);
    void (*sent)(void *state, int64_t stamp_us);      /* optional: a stamped frame went out */
    void (*wrote)(void *state, size_t frames);        /* frames written by one writeable callback */
    void (*close)(void *state);                       /* the connection is gone */
} net_endpoint;

/* One POST request: its body read (without blocking the loop, bounded, under a deadline),
 * then handed to the route, which answers it now or later (after a commit) with
 * net_http_reply. Valid until answered, or until the route's `gone` says it closed. */
typedef struct net_http net_http;

/* One HTTP route. GET (render): answers what `render` makes (malloc'd, *len bytes), with 503
 * instead of 200 when it sets *unavailable. POST (post): the body is gathered up to
 * max_body(ctx) bytes within idle_secs (--idle-timeout) of the request, then post(ctx, req, body, len, too_large) — with
 * too_large, body is NULL and the rest is not read (the connection closes after the answer);
 * a body that does not arrive in time closes the connection. Any other path: 404; the wrong
 * method on a POST route: 405. */
typedef struct net_route {
    const char *path;
    const char *type;           /* Content-Type */
    char *(*render)(void *ctx, size_t *len, bool *unavailable);
    void (*post)(void *ctx, net_http *req, const char *body, size_t len, bool too_large);
    void (*gone)(void *ctx, net_http *req);   /* closed before it was answered */
    size_t (*max_body)(void *ctx);
} net_route;

/* A request header of a POST being handled ("x-amz-firehose-access-key"): its length, or -1
 * when absent or longer than outlen - 1. */
int net_http_header(net_http *req, const char *name, char *out, size_t outlen);
/* Answer a POST (body malloc'd, taken). Once per request. */
void net_http_reply(net_http *req, int status, const char *type, char *body, size_t len);

typedef struct {
    const char *host;           /* numeric, a host name of this machine, or 0.0.0.0 / :: / * */
    int port;
    const char *tls_cert, *tls_key;  /* both or neither */
    int idle_secs;              /* ping after idle_secs/2 of silence, hang up after idle_secs */
    size_t max_message;         /* bytes of one reassembled message */
    size_t max_connections;     /* websocket connections at once, all endpoints */
    size_t max_per_owner;       /* signed-in connections of one owner (net_conn_admit) */
    size_t outbox_frames, outbox_bytes; /* per connection */
    int sign_in_secs;           /* to call net_conn_admit, else the connection is dropped */
    /* what a queued frame is: the outbox retains it while queued */
    void *(*retain)(void *frame);
    void (*release)(void *frame);
} net_config;

/* Block the stop signals now, so that a stop during start-up waits for the loop's signalfd
 * instead of killing a half-open hub. Call before anything else is opened. */
void net_block_stop_signals(void);
/* The transport's own log lines go to base/logfile (when on) or nowhere. */
void net_log_to_logfile(bool on);

net_server *net_server_new(const net_config *cfg);
/* Register before net_server_start. flood_per_sec: messages a second before NET_FAULT_FLOOD. */
void net_server_add_endpoint(net_server *s, const net_endpoint *ep, void *ctx, int flood_per_sec);
/* A table ending with a row whose path is NULL. */
void net_server_add_routes(net_server *s, const net_route *routes, void *ctx);
/* fn(ctx) once after the current callbacks, when net_server_end_turn_soon was called
 * (coalesced). The tick: fn(ctx) a second after start, then again after the milliseconds it
 * returns, or not at all when it returns 0, until net_server_tick_soon asks for it again
 * (within a second): a hub with no time-driven work does not wake for it. */
void net_server_on_turn_end(net_server *s, void (*fn)(void *ctx), void *ctx);
void net_server_on_tick(net_server *s, int64_t (*fn)(void *ctx), void *ctx);
void net_server_tick_soon(net_server *s);
uint64_t net_server_ticks(const net_server *s);   /* ticks run so far (tests) */
void net_server_end_turn_soon(net_server *s);   /* a no-op before start */

/* Listen (resolving a host name to one of this machine's addresses), watch the stop
 * signals, start the timers. 0, or -1 with err. */
int net_server_start(net_server *s, char *err, size_t errlen);
/* Serve until a stop signal. */
void net_server_run(net_server *s);
/* The loop, for other users of it (the simulator's timers). */
struct lws_context *net_server_lws(net_server *s);
size_t net_server_connections(const net_server *s);
/* Close every connection (their endpoints' close handlers run), stop listening. */
void net_server_free(net_server *s);

#endif
