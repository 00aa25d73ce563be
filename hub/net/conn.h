/* conn.h — one websocket connection as the transport keeps it, whatever endpoint it serves:
 * reassembly of fragmented messages with a size cap, flood control, a bounded outbox of
 * shared frames, the connection caps (in total at accept, per owner when it signs in), a
 * deadline to sign in, and closing with a status and a reason once the outbox is written.
 *
 * The transport knows no protocol: where it refuses something (a flood, a message over the
 * cap, a full outbox, a cap reached, a binary frame) it calls the endpoint's `fault`
 * handler, which answers in its own protocol and then calls net_conn_close. */
#ifndef AGENTDESK_HUB_NET_CONN_H
#define AGENTDESK_HUB_NET_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct net_conn net_conn;

/* Bytes before a frame's data that the transport may write on (the websocket header):
 * whoever queues a frame guarantees them (hub/core/frame.h's FRAME_HEADROOM). */
enum { NET_HEADROOM = 16 };

/* Websocket close statuses (RFC 6455) the endpoints use. */
enum {
    NET_CLOSE_UNSUPPORTED = 1003,   /* a binary frame */
    NET_CLOSE_POLICY = 1008,        /* flood, caps, slow consumer, not signed in */
    NET_CLOSE_TOO_BIG = 1009,
    NET_CLOSE_UNEXPECTED = 1011,
};

typedef enum {
    NET_FAULT_BUSY,      /* over a connection cap (the message says which) */
    NET_FAULT_FLOOD,     /* more messages a second than the endpoint allows */
    NET_FAULT_TOO_BIG,   /* a message over the cap */
    NET_FAULT_SLOW,      /* the outbox is over its bound: a reader that does not keep up */
    NET_FAULT_BINARY,    /* only text messages are accepted */
} net_fault;

/* Queue a frame: `data` (len bytes, NET_HEADROOM writable bytes before it) belongs to
 * `frame`, which the outbox retains until written (the server's retain/release hooks).
 * `stamp_us` comes back to the endpoint's `sent` handler when the frame is written (0:
 * none). false when the connection is closing, or is now closed as a slow consumer. */
bool net_conn_send(net_conn *c, void *frame, const char *data, size_t len, int64_t stamp_us);
/* After what is queued, close with a websocket status and a reason (at most 63 bytes). A
 * peer that never reads gets a few seconds. A later close replaces the status and reason
 * (the last word is the one the peer gets). */
void net_conn_close(net_conn *c, int status, const char *reason);
bool net_conn_closing(const net_conn *c);
/* Signed in as `owner`: refused (fault NET_FAULT_BUSY, false) when the owner already has
 * the per-owner number of connections; else the sign-in deadline ends. */
bool net_conn_admit(net_conn *c, const char *owner);
/* Ask for a writeable callback (the endpoint has more to send than is queued). */
void net_conn_want_write(net_conn *c);

typedef struct {
    size_t frames, bytes;           /* queued now */
    size_t max_frames, max_bytes;   /* the bound: one more is a slow consumer */
} net_outbox;
net_outbox net_conn_outbox(const net_conn *c);

/* The header of an unmasked websocket text frame of `len` payload bytes (server to client,
 * RFC 6455 5.2) into out (at least NET_WS_HEADER_MAX bytes); returns its length. */
enum { NET_WS_HEADER_MAX = 10 };
size_t net_ws_text_header(unsigned char *out, size_t len);

#endif
