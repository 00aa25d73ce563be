/* rawclient.c — an outgoing raw TCP connection on the loop, reconnecting with a backoff
 * (rawclient.h). lws connects it (method "RAW") and calls callback_raw_client below. */
#include "hub/net/rawclient.h"
#include "hub/net/net_private.h"
#include "base/logfile.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct raw_chunk {
    char *bytes;
    size_t len, off;
    struct raw_chunk *next;
} raw_chunk;

struct net_rawclient {
    net_server *srv;
    char host[256];
    int port;
    net_rawclient_handlers h;
    void *ctx;
    struct lws *wsi;              /* set by lws (pwsi) while connecting or connected */
    bool connecting, up;
    int backoff_ms;
    lws_sorted_usec_list_t retry_sul;
    raw_chunk *out, *out_tail;
    net_rawclient *next;          /* srv->raw */
};

static void drop_queue(net_rawclient *c)
{
    while (c->out) {
        raw_chunk *n = c->out->next;
        free(c->out->bytes);
        free(c->out);
        c->out = n;
    }
    c->out_tail = NULL;
}

static void connect_now(net_rawclient *c);

static void retry_cb(lws_sorted_usec_list_t *sul)
{
    connect_now(lws_container_of(sul, net_rawclient, retry_sul));
}

static void went_down(net_rawclient *c, const char *why)
{
    bool was = c->up;
    c->wsi = NULL;
    c->up = c->connecting = false;
    drop_queue(c);
    if (was && c->h.down)
        c->h.down(c->ctx, why);
    if (c->srv->quit)
        return;
    lws_sul_schedule(c->srv->ctx, 0, &c->retry_sul, retry_cb, (lws_usec_t)c->backoff_ms * LWS_US_PER_MS);
    c->backoff_ms = c->backoff_ms < 4000 ? c->backoff_ms * 2 : 8000;
}

static void connect_now(net_rawclient *c)
{
    struct lws_client_connect_info i;
    memset(&i, 0, sizeof i);
    i.context = c->srv->ctx;
    i.vhost = c->srv->vh;
    i.address = c->host;
    i.port = c->port;
    i.host = c->host;
    i.origin = c->host;
    i.method = "RAW";
    i.local_protocol_name = "raw-client";
    i.opaque_user_data = c;
    i.pwsi = &c->wsi;
    c->connecting = true;
    if (!lws_client_connect_via_info(&i) && c->connecting)
        went_down(c, "cannot start connecting");
}

int net_rawclient_callback(struct lws *wsi, enum lws_callback_reasons reason, void *in, size_t len)
{
    net_rawclient *c = lws_get_opaque_user_data(wsi);
    if (!c)
        return 0;
    switch (reason) {
    case LWS_CALLBACK_RAW_CONNECTED:
        c->wsi = wsi;
        c->up = true;
        c->connecting = false;
        c->backoff_ms = 250;
        if (c->h.connected)
            c->h.connected(c->ctx, c);
        break;
    case LWS_CALLBACK_RAW_RX:
        if (c->h.data && c->h.data(c->ctx, c, in, len) != 0)
            return -1;
        break;
    case LWS_CALLBACK_RAW_WRITEABLE:
        while (c->out) {
            raw_chunk *k = c->out;
            /* lws_write wants LWS_PRE headroom even for raw writes */
            size_t n = k->len - k->off;
            unsigned char *buf = mem_alloc(LWS_PRE + n);
            memcpy(buf + LWS_PRE, k->bytes + k->off, n);
            int w = lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_RAW);
            free(buf);
            if (w < 0)
                return -1;
            c->out = k->next;
            if (!c->out)
                c->out_tail = NULL;
            free(k->bytes);
            free(k);
            if (lws_send_pipe_choked(wsi)) {
                if (c->out)
                    lws_callback_on_writable(wsi);
                break;
            }
        }
        break;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        lws_set_opaque_user_data(wsi, NULL);
        went_down(c, in && len ? (const char *)in : "connection refused");
        break;
    case LWS_CALLBACK_RAW_CLOSE:
        lws_set_opaque_user_data(wsi, NULL);
        went_down(c, "the connection closed");
        break;
    default:
        break;
    }
    return 0;
}

net_rawclient *net_rawclient_new(net_server *s, const char *host, int port,
                                 const net_rawclient_handlers *h, void *ctx)
{
    if (!s || !host || strlen(host) >= sizeof ((net_rawclient *)0)->host || port <= 0 || port > 65535)
        return NULL;
    net_rawclient *c = mem_zalloc(1, sizeof *c);
    c->srv = s;
    snprintf(c->host, sizeof c->host, "%s", host);
    c->port = port;
    c->h = *h;
    c->ctx = ctx;
    c->backoff_ms = 250;
    c->next = s->raw;
    s->raw = c;
    if (s->ctx)
        connect_now(c);
    return c;
}

void net_rawclient_start_all(net_server *s)
{
    for (net_rawclient *c = s->raw; c; c = c->next)
        if (!c->connecting && !c->up)
            connect_now(c);
}

void net_rawclient_free_all(net_server *s)
{
    while (s->raw) {
        net_rawclient *n = s->raw->next;
        if (s->ctx)
            lws_sul_cancel(&s->raw->retry_sul);
        drop_queue(s->raw);
        free(s->raw);
        s->raw = n;
    }
}

void net_rawclient_send(net_rawclient *c, char *bytes, size_t len)
{
    if (!c->up || !c->wsi) {
        free(bytes);
        return;
    }
    raw_chunk *k = mem_zalloc(1, sizeof *k);
    k->bytes = bytes;
    k->len = len;
    if (c->out_tail)
        c->out_tail->next = k;
    else
        c->out = k;
    c->out_tail = k;
    lws_callback_on_writable(c->wsi);
}

bool net_rawclient_is_up(const net_rawclient *c)
{
    return c && c->up;
}
