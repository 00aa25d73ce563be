/* net.h — the websocket client to the hub (ws:// or wss://, subprotocol agentdesk.v1).
 * Connects from a timer, says hello with the token and resume_after (the last seq the
 * model saw), reassembles fragments up to PROTO_MAX_FRAME, decodes every frame with
 * proto_decode (the border), pings for the round-trip time, and reconnects with jittered
 * exponential backoff (250 ms doubling up to 8 s). Never blocks the loop.
 *
 * Invariant: frames handed to net_send go out in order on the current connection only;
 * a dropped connection drops them (the outbox sends its items again after welcome). */
#ifndef AGENTDESK_NET_H
#define AGENTDESK_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libwebsockets.h>
#include "proto/codec.h"

typedef enum {
    NET_OFFLINE,      /* not started */
    NET_CONNECTING,   /* TCP/TLS/websocket handshake or hello in flight */
    NET_READY,        /* welcome received */
    NET_WAITING,      /* dropped; next attempt scheduled */
    NET_REFUSED       /* the hub refused the token: no more attempts */
} net_state;

typedef struct net net;

typedef struct {
    void (*on_event)(void *ud, const proto_event *ev);   /* every decoded frame but pong */
    void (*on_ready)(void *ud);                          /* after welcome was handled */
    void (*on_state)(void *ud);                          /* state or RTT changed */
    void (*on_bad_frame)(void *ud, const char *message); /* undecodable frame (cleaned msg) */
    int64_t (*resume_after)(void *ud);                   /* 0: none (snapshot wanted) */
    int64_t (*keep_lines)(void *ud);                     /* lines kept per interaction; 0: all */
} net_hooks;

/* The protocol entry for app_init (NULL-terminated pair). */
const struct lws_protocols *net_protocols(void);

/* Parses `url` (ws://host:port/path or wss://...). NULL with a message on a bad URL or a
 * token hello cannot carry (empty, over PROTO_MAX_ID bytes, control bytes). */
net *net_new(struct lws_context *ctx, const char *url, const char *token, const char *client,
             const net_hooks *hooks, void *ud, char *err, size_t errlen);
/* Stop for good: no more callbacks reach `n` (the connection is left to the context's
 * destruction), timers cancelled. Call before destroying the lws context. Idempotent. */
void net_stop(net *n);
void net_free(net *n);
void net_start(net *n);
/* Close the current connection (if any) and connect again at once, e.g. without resume. */
void net_restart(net *n);
/* Queue one frame for the current connection; false when not connected. */
bool net_send(net *n, const char *frame, size_t len);
net_state net_get_state(const net *n);
const char *net_state_name(net_state s);
int net_rtt_ms(const net *n);              /* -1 until the first pong */
int net_retry_in_ms(const net *n);         /* while NET_WAITING */
const char *net_last_error(const net *n);  /* cleaned, "" when none */
const char *net_url(const net *n);
unsigned net_attempts(const net *n);       /* connection attempts so far */
/* The wait before the next attempt after `failures` failed attempts since the last welcome,
 * for a uniformly random `random`: a point in [b/2, b], b = 250 ms << failures, at most 8 s.
 * Public so that tests/unit/test_console_net.c can check the rule up to its cap. */
int64_t net_backoff_ms(unsigned failures, uint32_t random);

#endif
