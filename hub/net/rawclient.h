/* rawclient.h — one outgoing plain TCP connection on the hub's loop (a Redis connection that
 * waits on a stream, hub/endpoints/bus_reader.c): connect, send bytes, receive bytes, and when
 * it fails or closes, connect again after a backoff (250 ms doubling to 8 s). It knows no
 * protocol: the owner's handlers say what to send and what the bytes mean. */
#ifndef AGENTDESK_HUB_NET_RAWCLIENT_H
#define AGENTDESK_HUB_NET_RAWCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include "hub/net/server.h"

typedef struct net_rawclient net_rawclient;

typedef struct {
    void (*connected)(void *ctx, net_rawclient *c);
    /* bytes received; non-zero closes the connection (and connects again later) */
    int (*data)(void *ctx, net_rawclient *c, const char *bytes, size_t len);
    void (*down)(void *ctx, const char *why);
} net_rawclient_handlers;

/* Starts connecting once the server has started (net_server_start). host must be numeric
 * or resolvable; NULL on a bad argument. Freed with the server. */
net_rawclient *net_rawclient_new(net_server *s, const char *host, int port,
                                 const net_rawclient_handlers *h, void *ctx);
/* Queue bytes (taken: malloc'd) to send; sent when the socket is writable. */
void net_rawclient_send(net_rawclient *c, char *bytes, size_t len);
bool net_rawclient_is_up(const net_rawclient *c);

#endif
