/* net_private.h — what server.c, conn.c and rawclient.c share inside the transport, and nobody else. */
#ifndef AGENTDESK_HUB_NET_PRIVATE_H
#define AGENTDESK_HUB_NET_PRIVATE_H

#include <libwebsockets.h>
#include "hub/net/server.h"

/* An endpoint as registered: its handlers, the context they get, its flood limit. */
typedef struct net_binding {
    const net_endpoint *ep;
    void *ctx;
    int flood_per_sec;
} net_binding;

typedef struct {
    void *frame;
    const char *data;
    size_t len;
    int64_t stamp_us;
} net_out;

struct net_conn {
    net_server *srv;
    struct lws *wsi;
    const net_binding *b;
    void *state;                  /* the endpoint's */
    char *owner;                  /* set by net_conn_admit */

    char *rx;                     /* fragments of the message being received */
    size_t rx_len, rx_cap;
    bool rx_oversize;

    int64_t flood_window_ms;
    int flood_count;
    lws_usec_t confirmed_us;      /* when a frame last told lws the peer is alive */

    net_out *q;                   /* outbox ring */
    size_t qhead, qlen, qcap, qbytes;

    bool closing;
    int close_status;
    char close_reason[64];

    struct net_conn *next, *prev; /* srv->conns */
};

struct net_server {
    net_config cfg;
    net_binding *bindings;
    size_t nbindings;
    const net_route *routes;
    void *routes_ctx;
    void (*turn_end)(void *ctx);
    void *turn_end_ctx;
    int64_t (*tick)(void *ctx);      /* ms until it has work again, 0 none */
    void *tick_ctx;
    bool tick_armed;
    lws_usec_t tick_due;             /* lws_now_usecs() when the armed tick fires */

    struct lws_protocols *protocols;
    struct lws_context *ctx;
    struct lws_vhost *vh;
    lws_sorted_usec_list_t turn_sul, second_sul;
    bool turn_armed;
    uint64_t ticks;
    bool quit;
    struct net_evloop *ev;           /* libev's loop under lws; NULL: lws's poll() loop */
    int sigfd;
    unsigned char *batch;            /* LWS_PRE + a batch of frames being written (conn.c) */
    lws_retry_bo_t idle;

    net_conn *conns;
    size_t nconns;
    struct net_rawclient *raw;       /* outgoing raw connections (rawclient.c) */
};

/* rawclient.c, called by server.c: its protocol's callback, start after the context
 * exists, free before the server goes */
int net_rawclient_callback(struct lws *wsi, enum lws_callback_reasons reason, void *in, size_t len);
void net_rawclient_start_all(net_server *s);
void net_rawclient_free_all(net_server *s);

/* conn.c, called by server.c's websocket callback */
net_conn *net_conn_open(net_server *s, struct lws *wsi, const net_binding *b);
int net_conn_receive(net_conn *c, const void *in, size_t len, bool first, bool final, bool binary);
int net_conn_writeable(net_conn *c);
void net_conn_free(net_conn *c);

#endif
