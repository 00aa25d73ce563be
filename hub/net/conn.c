/* conn.c — one connection: reassembly, flood control, the outbox, the caps, closing. */
#include "hub/net/net_private.h"
#include "base/clock.h"
#include "base/logfile.h"
#include "base/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

_Static_assert((int)NET_HEADROOM >= (int)LWS_PRE, "a frame's headroom holds the websocket header");

/* A writeable callback sends at most WRITES_PER_CALLBACK frames, framed here into one buffer
 * of at most BATCH_BYTES and written with one send (a bigger frame goes alone). */
enum { WRITES_PER_CALLBACK = 64, BATCH_BYTES = 64 * 1024, SNDBUF_BYTES = 256 * 1024, RX_KEEP = 65536 };

static void fault(net_conn *c, net_fault why, const char *message)
{
    c->b->ep->fault(c->state, why, message);
}

/* Over a connection cap: the endpoint refuses, and the close says the cap as its reason.
 * Not 1013 "try again later": libwebsockets clients (our console among them) read
 * 1012..2999 as a protocol error and report 1002. */
static void refuse_busy(net_conn *c, const char *reason)
{
    logfile_write("connection refused: %s", reason);
    fault(c, NET_FAULT_BUSY, reason);
    net_conn_close(c, NET_CLOSE_POLICY, reason);
}

net_conn *net_conn_open(net_server *s, struct lws *wsi, const net_binding *b)
{
    /* A fixed kernel send buffer: autotuning would let a stalled reader park megabytes in
     * the kernel before the outbox bound ever sees them. */
    int fd = (int)lws_get_socket_fd(wsi), sndbuf = SNDBUF_BYTES;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    net_conn *c = mem_zalloc(1, sizeof *c);
    c->srv = s;
    c->wsi = wsi;
    c->b = b;
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    s->nconns++;
    /* a connection that never signs in would hold a slot forever (lws answers pings for it) */
    lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, s->cfg.sign_in_secs);
    c->state = b->ep->open(b->ctx, c);
    if (s->nconns > s->cfg.max_connections)
        refuse_busy(c, "too many connections to this hub");
    return c;
}

bool net_conn_admit(net_conn *c, const char *owner)
{
    size_t same = 0;
    for (const net_conn *o = c->srv->conns; o; o = o->next)
        if (o != c && o->owner && !o->closing && strcmp(o->owner, owner) == 0)
            same++;
    if (same >= c->srv->cfg.max_per_owner) {
        refuse_busy(c, "too many connections for this token");
        return false;
    }
    free(c->owner);
    c->owner = mem_strdup(owner);
    lws_set_timeout(c->wsi, NO_PENDING_TIMEOUT, 0);
    return true;
}

static void clear_queue(net_conn *c)
{
    while (c->qlen) {
        c->srv->cfg.release(c->q[c->qhead].frame);
        c->qhead = (c->qhead + 1) % c->qcap;
        c->qlen--;
    }
    c->qbytes = 0;
}

void net_conn_free(net_conn *c)
{
    net_server *s = c->srv;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    s->nconns--;
    clear_queue(c);
    free(c->q);
    free(c->rx);
    free(c->owner);
    free(c);
}

/* ---- outbox ---- */

void net_conn_want_write(net_conn *c)
{
    lws_callback_on_writable(c->wsi);
}

static void push(net_conn *c, net_out o)
{
    if (c->qlen == c->qcap) {
        size_t ncap = c->qcap ? c->qcap * 2 : 64;
        net_out *nq = mem_realloc(NULL, ncap * sizeof *nq);
        for (size_t i = 0; i < c->qlen; i++)
            nq[i] = c->q[(c->qhead + i) % c->qcap];
        free(c->q);
        c->q = nq;
        c->qcap = ncap;
        c->qhead = 0;
    }
    c->q[(c->qhead + c->qlen) % c->qcap] = o;
    c->qlen++;
    c->qbytes += o.len;
}

bool net_conn_send(net_conn *c, void *frame, const char *data, size_t len, int64_t stamp_us)
{
    if (c->closing)
        return false;
    const net_config *cfg = &c->srv->cfg;
    bool over_frames = !c->b->ep->replies_only && c->qlen + 1 > cfg->outbox_frames;
    if (over_frames || c->qbytes + len > cfg->outbox_bytes) {
        char msg[120];
        snprintf(msg, sizeof msg, "outbox over %zu frames or %zu bytes: resume with resume_after",
                 cfg->outbox_frames, cfg->outbox_bytes);
        clear_queue(c);
        fault(c, NET_FAULT_SLOW, msg);
        return false;
    }
    if (c->qlen == 0)
        net_conn_want_write(c);
    push(c, (net_out){cfg->retain(frame), data, len, stamp_us});
    return true;
}

void net_conn_close(net_conn *c, int status, const char *reason)
{
    snprintf(c->close_reason, sizeof c->close_reason, "%s", reason);
    c->close_status = status;
    if (c->closing)
        return;
    c->closing = true;
    net_conn_want_write(c);
    /* a peer that never reads would never let the last frames out: give it a few seconds */
    lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, 3);
}

bool net_conn_closing(const net_conn *c)
{
    return c->closing;
}

net_outbox net_conn_outbox(const net_conn *c)
{
    return (net_outbox){c->qlen, c->qbytes, c->srv->cfg.outbox_frames, c->srv->cfg.outbox_bytes};
}

/* Closing a socket with unread input makes the kernel send RST, and an RST makes the peer
 * drop what it has not read yet — our last frame with the reason. A flooding peer always
 * has input in flight, so swallow what has arrived before lws closes. */
static void drain_input(net_conn *c)
{
    int fd = (int)lws_get_socket_fd(c->wsi);
    char buf[16384];
    for (int i = 0; fd >= 0 && i < 64; i++)
        if (recv(fd, buf, sizeof buf, MSG_DONTWAIT) <= 0)
            break;
}

size_t net_ws_text_header(unsigned char *out, size_t len)
{
    out[0] = 0x81;   /* FIN, text */
    if (len < 126) {
        out[1] = (unsigned char)len;
        return 2;
    }
    if (len <= 0xffff) {
        out[1] = 126;
        out[2] = (unsigned char)(len >> 8);
        out[3] = (unsigned char)len;
        return 4;
    }
    out[1] = 127;
    for (int i = 0; i < 8; i++)
        out[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
    return 10;
}

/* The frame at the head of the outbox is written: its stamp back to the endpoint, released. */
static void written_one(net_conn *c)
{
    net_out *o = &c->q[c->qhead];
    if (o->stamp_us && c->b->ep->sent)
        c->b->ep->sent(c->state, o->stamp_us);
    void *frame = o->frame;
    c->qhead = (c->qhead + 1) % c->qcap;
    c->qlen--;
    c->qbytes -= o->len;
    c->srv->cfg.release(frame);
}

/* The frames waiting, up to the batch's bounds, framed one after another into the server's
 * batch buffer and written as raw bytes in one send: a supervisor's share of a busy turn
 * (dozens of frames) was a send() and a poll() each (lws_write, lws_send_pipe_choked).
 * lws keeps what the socket did not take and sends it before anything else. Returns the
 * frames written, or -1 when the write failed. */
static int write_batch(net_conn *c)
{
    net_server *s = c->srv;
    size_t n = 0, used = 0;
    for (size_t k = 0; k < c->qlen && n < WRITES_PER_CALLBACK; k++, n++) {
        size_t len = c->q[(c->qhead + k) % c->qcap].len;
        if (used + NET_WS_HEADER_MAX + len > BATCH_BYTES)
            break;
        used += NET_WS_HEADER_MAX + len;
    }
    if (n == 0) {   /* a frame bigger than a batch: on its own, framed by lws in its headroom */
        net_out *o = &c->q[c->qhead];
        if (lws_write(c->wsi, (unsigned char *)o->data, o->len, LWS_WRITE_TEXT) < (int)o->len)
            return -1;
        written_one(c);
        return 1;
    }
    if (!s->batch)
        s->batch = mem_alloc(LWS_PRE + BATCH_BYTES);
    unsigned char *start = s->batch + LWS_PRE, *p = start;
    for (size_t k = 0; k < n; k++) {
        const net_out *o = &c->q[(c->qhead + k) % c->qcap];
        p += net_ws_text_header(p, o->len);
        memcpy(p, o->data, o->len);
        p += o->len;
    }
    size_t len = (size_t)(p - start);
    if (lws_write(c->wsi, start, len, LWS_WRITE_RAW) < (int)len)
        return -1;
    for (size_t k = 0; k < n; k++)
        written_one(c);
    return (int)n;
}

int net_conn_writeable(net_conn *c)
{
    const net_endpoint *ep = c->b->ep;
    int written = c->qlen ? write_batch(c) : 0;
    if (written < 0)
        return -1;
    /* the endpoint may refill the outbox (a snapshot, a replay, a recording in parts) */
    ep->wrote(c->state, (size_t)written);
    if (c->closing && c->qlen == 0) {
        drain_input(c);
        lws_close_reason(c->wsi, (enum lws_close_status)c->close_status, (unsigned char *)c->close_reason,
                         strlen(c->close_reason));
        return -1;
    }
    if (c->qlen)
        net_conn_want_write(c);
    return 0;
}

/* ---- receiving ---- */

static bool flooded(net_conn *c)
{
    int64_t now = clock_mono_ms();
    if (now - c->flood_window_ms >= 1000) {
        c->flood_window_ms = now;
        c->flood_count = 0;
    }
    return ++c->flood_count > c->b->flood_per_sec;
}

int net_conn_receive(net_conn *c, const void *in, size_t len, bool first, bool final, bool binary)
{
    if (c->closing)
        return 0;
    if (binary) {
        fault(c, NET_FAULT_BINARY, "binary frames are not accepted");
        return 0;
    }
    if (first) {
        c->rx_len = 0;
        c->rx_oversize = false;
        if (flooded(c)) {
            char msg[80];
            snprintf(msg, sizeof msg, "more than %d frames a second", c->b->flood_per_sec);
            fault(c, NET_FAULT_FLOOD, msg);
            return 0;
        }
    }
    size_t cap = c->srv->cfg.max_message;
    if (c->rx_oversize || c->rx_len + len > cap) {
        c->rx_oversize = true;
        char msg[64];
        snprintf(msg, sizeof msg, "frame exceeds %zu bytes", cap);
        fault(c, NET_FAULT_TOO_BIG, msg);
        return 0;
    }
    if (c->rx_len + len + 1 > c->rx_cap) {
        c->rx_cap = c->rx_len + len + 1 < 4096 ? 4096 : c->rx_len + len + 1;
        c->rx = mem_realloc(c->rx, c->rx_cap);
    }
    memcpy(c->rx + c->rx_len, in, len);
    c->rx_len += len;
    c->rx[c->rx_len] = 0;
    if (!final)
        return 0;
    c->b->ep->message(c->state, c->rx, c->rx_len);
    if (c->rx_cap > RX_KEEP) {
        free(c->rx);
        c->rx = NULL;
        c->rx_cap = 0;
    }
    c->rx_len = 0;
    return 0;
}
