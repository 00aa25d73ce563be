/* wsc.c — test websocket client on lws (see wsc.h). */
#include "tests/lib/wsc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <libwebsockets.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct wsc_msg {
    char *data;
    size_t len;
    struct wsc_msg *next;
} wsc_msg;

struct wsc {
    wsc_ctx *x;
    struct lws *wsi;
    bool open, closed, want_close, reading;
    int close_status;
    char close_reason[124];   /* a close frame's reason is at most 123 bytes */
    wsc_msg *in_head, *in_tail;
    size_t nin;
    wsc_msg *out_head, *out_tail;
    size_t nout;
    char *rx;
    size_t rx_len, rx_cap;
    void *user;
    void (*handler)(wsc *c, const char *msg, size_t len);
    void (*written)(wsc *c, const char *msg, size_t len);
    wsc *next;
};

struct wsc_ctx {
    struct lws_context *ctx;
    lws_sorted_usec_list_t wake;
    struct ev_loop *loop;   /* wsc_ctx_new_epoll: libev's loop under lws; NULL: lws's poll() */
    ev_timer wake_ev;
    wsc *all;
};

int64_t wsc_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    wsc *c = user;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        if (c) {
            c->open = true;
            if (c->nout)
                lws_callback_on_writable(wsi);
        }
        break;
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
    case LWS_CALLBACK_CLIENT_CLOSED:
        if (c) {
            c->closed = true;
            c->open = false;
            c->wsi = NULL;
        }
        break;
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        if (c && in && len >= 2) {
            c->close_status = ((const unsigned char *)in)[0] << 8 | ((const unsigned char *)in)[1];
            size_t n = len - 2 < sizeof c->close_reason - 1 ? len - 2 : sizeof c->close_reason - 1;
            memcpy(c->close_reason, (const char *)in + 2, n);
            c->close_reason[n] = 0;
        }
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (!c)
            break;
        if (c->rx_len + len + 1 > c->rx_cap) {
            c->rx_cap = (c->rx_len + len + 1) * 2;
            c->rx = realloc(c->rx, c->rx_cap);
            if (!c->rx)
                abort();
        }
        memcpy(c->rx + c->rx_len, in, len);
        c->rx_len += len;
        c->rx[c->rx_len] = 0;
        if (!lws_is_final_fragment(wsi))
            break;
        if (c->handler) {
            c->handler(c, c->rx, c->rx_len);
        } else {
            wsc_msg *m = xmalloc(sizeof *m);
            m->data = xmalloc(c->rx_len + 1);
            memcpy(m->data, c->rx, c->rx_len + 1);
            m->len = c->rx_len;
            m->next = NULL;
            if (c->in_tail)
                c->in_tail->next = m;
            else
                c->in_head = m;
            c->in_tail = m;
            c->nin++;
        }
        c->rx_len = 0;
        break;
    case LWS_CALLBACK_CLIENT_WRITEABLE:
        if (!c)
            break;
        /* several frames a callback while the socket takes them: one frame per poll would
         * make a load generator with a thousand sockets the bottleneck */
        for (int k = 0; k < 64 && c->out_head; k++) {
            wsc_msg *m = c->out_head;
            c->out_head = m->next;
            if (!c->out_head)
                c->out_tail = NULL;
            c->nout--;
            int n = lws_write(wsi, (unsigned char *)m->data + LWS_PRE, m->len, LWS_WRITE_TEXT);
            if (n >= 0 && c->written)
                c->written(c, m->data + LWS_PRE, m->len);
            free(m->data);
            free(m);
            if (n < 0)
                return -1;
            if (lws_send_pipe_choked(wsi))
                break;
        }
        if (c->out_head) {
            lws_callback_on_writable(wsi);
            break;
        }
        if (c->want_close) {
            lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"bye", 3);
            return -1;
        }
        break;
    default:
        break;
    }
    return 0;
}

static const struct lws_protocols protocols[] = {
    {"agentdesk.v1", callback, 0, 65536, 0, NULL, 0},
    {"agentdesk.ingest.v1", callback, 0, 65536, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

static void wake_cb(lws_sorted_usec_list_t *sul)
{
    (void)sul;
}

static void wake_ev_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
    (void)loop;
    (void)w;
    (void)revents;
}

static wsc_ctx *ctx_new(bool epoll)
{
    wsc_ctx *x = calloc(1, sizeof *x);
    if (!x)
        abort();
    lws_set_log_level(getenv("WSC_DEBUG") ? LLL_ERR | LLL_WARN | LLL_NOTICE | LLL_INFO : 0, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    info.protocols = protocols;
    info.timeout_secs = 10;
    void *loops[1] = {NULL};
    if (epoll && (x->loop = ev_loop_new(EVBACKEND_EPOLL)) != NULL) {
        loops[0] = x->loop;
        info.options |= LWS_SERVER_OPTION_LIBEV;
        info.foreign_loops = loops;
        ev_init(&x->wake_ev, wake_ev_cb);
    }
    x->ctx = lws_create_context(&info);
    if (!x->ctx) {
        if (x->loop)
            ev_loop_destroy(x->loop);
        free(x);
        return NULL;
    }
    return x;
}

wsc_ctx *wsc_ctx_new(void)
{
    return ctx_new(false);
}

wsc_ctx *wsc_ctx_new_epoll(void)
{
    return ctx_new(true);
}

static void free_msgs(wsc_msg *m)
{
    while (m) {
        wsc_msg *n = m->next;
        free(m->data);
        free(m);
        m = n;
    }
}

void wsc_ctx_free(wsc_ctx *x)
{
    if (!x)
        return;
    for (wsc *c = x->all; c; c = c->next)
        c->user = NULL;
    lws_sul_cancel(&x->wake);
    lws_context_destroy(x->ctx);
    if (x->loop) {
        ev_timer_stop(x->loop, &x->wake_ev);
        ev_loop_destroy(x->loop);
    }
    wsc *c = x->all;
    while (c) {
        wsc *n = c->next;
        free_msgs(c->in_head);
        free_msgs(c->out_head);
        free(c->rx);
        free(c);
        c = n;
    }
    free(x);
}

/* Run the loop once, waking no later than `ms` from now. */
static void service_once(wsc_ctx *x, int ms)
{
    if (ms < 1)
        ms = 1;
    if (x->loop) {
        ev_timer_set(&x->wake_ev, (ev_tstamp)ms / 1000.0, 0.);
        ev_timer_start(x->loop, &x->wake_ev);
        ev_run(x->loop, EVRUN_ONCE);
        ev_timer_stop(x->loop, &x->wake_ev);
        return;
    }
    lws_sul_schedule(x->ctx, 0, &x->wake, wake_cb, (lws_usec_t)ms * 1000);
    lws_service(x->ctx, 0);
}

void wsc_service(wsc_ctx *x, int ms)
{
    int64_t end = wsc_now_ms() + ms;
    for (int64_t now = wsc_now_ms(); now < end; now = wsc_now_ms())
        service_once(x, (int)(end - now));
}

wsc *wsc_connect(wsc_ctx *x, int port, const char *subprotocol, int timeout_ms)
{
    wsc *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->x = x;
    c->reading = true;
    c->next = x->all;
    x->all = c;
    struct lws_client_connect_info cc;
    memset(&cc, 0, sizeof cc);
    cc.context = x->ctx;
    cc.address = "127.0.0.1";
    cc.port = port;
    cc.path = "/";
    cc.host = "127.0.0.1";
    cc.origin = "127.0.0.1";
    cc.protocol = subprotocol;
    cc.userdata = c;
    cc.pwsi = &c->wsi;
    if (!lws_client_connect_via_info(&cc)) {
        c->closed = true;
        return timeout_ms ? NULL : c;
    }
    if (timeout_ms == 0)
        return c;
    int64_t end = wsc_now_ms() + timeout_ms;
    while (!c->open && !c->closed && wsc_now_ms() < end)
        service_once(x, (int)(end - wsc_now_ms()));
    return c->open ? c : NULL;
}

bool wsc_is_open(const wsc *c) { return c && c->open; }
bool wsc_is_closed(const wsc *c) { return !c || c->closed; }
int wsc_close_status(const wsc *c) { return c ? c->close_status : 0; }
const char *wsc_close_reason(const wsc *c) { return c ? c->close_reason : ""; }
size_t wsc_inbox(const wsc *c) { return c ? c->nin : 0; }
size_t wsc_unsent(const wsc *c) { return c ? c->nout : 0; }
void wsc_set_user(wsc *c, void *user) { c->user = user; }
void *wsc_user(const wsc *c) { return c->user; }
void wsc_set_handler(wsc *c, void (*fn)(wsc *c, const char *msg, size_t len)) { c->handler = fn; }
void wsc_set_written(wsc *c, void (*fn)(wsc *c, const char *msg, size_t len)) { c->written = fn; }

void wsc_send_len(wsc *c, const char *data, size_t len)
{
    if (!c || c->closed)
        return;
    wsc_msg *m = xmalloc(sizeof *m);
    m->data = xmalloc(LWS_PRE + len + 1);
    memcpy(m->data + LWS_PRE, data, len);
    m->len = len;
    m->next = NULL;
    if (c->out_tail)
        c->out_tail->next = m;
    else
        c->out_head = m;
    c->out_tail = m;
    c->nout++;
    if (c->open && c->wsi)
        lws_callback_on_writable(c->wsi);
}

void wsc_send(wsc *c, const char *text)
{
    wsc_send_len(c, text, strlen(text));
}

void wsc_sendf(wsc *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n >= 0) {
        wsc_send_len(c, s, (size_t)n);
        free(s);
    }
}

static wsc_msg *pop(wsc *c)
{
    wsc_msg *m = c->in_head;
    if (m) {
        c->in_head = m->next;
        if (!c->in_head)
            c->in_tail = NULL;
        c->nin--;
    }
    return m;
}

json_t *wsc_recv(wsc *c, int timeout_ms)
{
    if (!c)
        return NULL;
    int64_t end = wsc_now_ms() + timeout_ms;
    while (!c->in_head && !c->closed && wsc_now_ms() < end)
        service_once(c->x, (int)(end - wsc_now_ms()));
    wsc_msg *m = pop(c);
    if (!m)
        return NULL;
    json_t *j = json_loadb(m->data, m->len, 0, NULL);
    free(m->data);
    free(m);
    return j;
}

json_t *wsc_recv_type(wsc *c, const char *type, int timeout_ms)
{
    int64_t end = wsc_now_ms() + timeout_ms;
    for (;;) {
        int64_t left = end - wsc_now_ms();
        if (left <= 0)
            return NULL;
        json_t *j = wsc_recv(c, (int)left);
        if (!j)
            return NULL;
        const char *t = json_string_value(json_object_get(j, "type"));
        if (t && strcmp(t, type) == 0)
            return j;
        json_decref(j);
    }
}

const char *wsc_type(json_t *msg)
{
    return json_string_value(json_object_get(msg, "type"));
}

json_t *wsc_recv_answer(wsc *c, const char *id, int timeout_ms)
{
    int64_t end = wsc_now_ms() + timeout_ms;
    while (wsc_now_ms() < end) {
        json_t *j = wsc_recv(c, timeout_ms);
        if (!j)
            return NULL;
        const char *t = wsc_type(j);
        /* an ack names the action in "id", an error in "ref" */
        const char *ref = json_string_value(json_object_get(j, strcmp(t ? t : "", "error") == 0 ? "ref" : "id"));
        if (t && ref && strcmp(ref, id) == 0)
            return j;
        json_decref(j);
    }
    return NULL;
}

bool wsc_wait_closed(wsc *c, int timeout_ms)
{
    int64_t end = wsc_now_ms() + timeout_ms;
    while (!c->closed && wsc_now_ms() < end)
        service_once(c->x, (int)(end - wsc_now_ms()));
    return c->closed;
}

void wsc_set_reading(wsc *c, bool on)
{
    c->reading = on;
    if (c->wsi)
        lws_rx_flow_control(c->wsi, on ? 1 : 0);
}

void wsc_set_rcvbuf(wsc *c, int bytes)
{
    if (c->wsi) {
        int fd = (int)lws_get_socket_fd(c->wsi);
        if (fd >= 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    }
}

void wsc_close(wsc *c)
{
    if (!c || c->closed)
        return;
    c->want_close = true;
    if (c->wsi)
        lws_callback_on_writable(c->wsi);
}

/* ---- raw TCP ---- */

int wsc_raw_connect(int port, const char *subprotocol, int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (rcvbuf > 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    char req[512];
    int n = snprintf(req, sizeof req,
                     "GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Protocol: %s\r\nOrigin: http://127.0.0.1\r\n\r\n",
                     port, subprotocol);
    if (write(fd, req, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    char resp[2048];
    size_t got = 0;
    int64_t end = wsc_now_ms() + 5000;
    while (got < sizeof resp - 1 && wsc_now_ms() < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 100) <= 0)
            continue;
        /* read byte by byte so nothing after the headers is swallowed */
        ssize_t r = read(fd, resp + got, 1);
        if (r <= 0)
            break;
        got++;
        resp[got] = 0;
        if (got >= 4 && memcmp(resp + got - 4, "\r\n\r\n", 4) == 0)
            break;
    }
    if (!strstr(resp, " 101 ")) {
        close(fd);
        return -1;
    }
    return fd;
}

size_t wsc_raw_encode(unsigned char *out, int opcode, bool fin, const void *data, size_t len)
{
    size_t h = 0;
    out[h++] = (unsigned char)((fin ? 0x80 : 0) | (opcode & 0x0f));
    if (len < 126)
        out[h++] = (unsigned char)(0x80 | len);
    else if (len < 65536) {
        out[h++] = 0x80 | 126;
        out[h++] = (unsigned char)(len >> 8);
        out[h++] = (unsigned char)len;
    } else {
        out[h++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--)
            out[h++] = (unsigned char)((uint64_t)len >> (8 * i));
    }
    static const unsigned char key[4] = {0x12, 0x34, 0x56, 0x78};
    memcpy(out + h, key, 4);
    h += 4;
    for (size_t i = 0; i < len; i++)
        out[h + i] = ((const unsigned char *)data)[i] ^ key[i % 4];
    return h + len;
}

int wsc_raw_write(int fd, const void *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, (const char *)buf + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        off += (size_t)w;
    }
    return 0;
}

int wsc_raw_frame(int fd, int opcode, bool fin, const void *data, size_t len)
{
    unsigned char *buf = xmalloc(len + 14);
    size_t n = wsc_raw_encode(buf, opcode, fin, data, len);
    int rc = wsc_raw_write(fd, buf, n);
    free(buf);
    return rc;
}

long wsc_raw_read(int fd, void *buf, size_t cap, int timeout_ms)
{
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) <= 0)
        return 0;
    ssize_t r = read(fd, buf, cap);
    return r > 0 ? (long)r : -1;
}

bool wsc_raw_wait_eof(int fd, int timeout_ms)
{
    int64_t end = wsc_now_ms() + timeout_ms;
    char buf[65536];
    while (wsc_now_ms() < end) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int left = (int)(end - wsc_now_ms());
        if (poll(&p, 1, left > 0 ? left : 0) <= 0)
            continue;
        ssize_t r = read(fd, buf, sizeof buf);
        if (r <= 0)
            return true;
    }
    return false;
}
