/* net.c — the hub connection: connect, hello/welcome, receive with reassembly, ordered
 * sends one lws_write per writeable callback, ping/pong, reconnect with backoff. */
#include "agentdesk/net.h"
#include "agentdesk/app.h"
#include "base/logfile.h"
#include "base/mem.h"
#include "base/text.h"
#include "base/clock.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define NET_BACKOFF_FIRST_MS 250
#define NET_BACKOFF_CAP_MS 8000
#define NET_PING_EVERY_MS 10000
#define NET_PONG_DEADLINE_MS 25000

typedef struct frame {
    struct frame *next;
    size_t len;
    unsigned char buf[];   /* LWS_PRE bytes of room, then the frame */
} frame;

struct net {
    struct lws_context *ctx;
    struct lws *wsi;
    char *url, *host, *path, *token, *client;
    int port;
    bool tls;
    net_hooks hooks;
    void *ud;
    net_state state;
    unsigned attempt;           /* failures since the last welcome */
    unsigned attempts_total;
    int64_t retry_at_ms;
    int rtt_ms;
    int64_t ping_sent_ms;       /* 0 when no ping is outstanding */
    unsigned ping_no;
    bool close_now;             /* close from the next writeable callback */
    bool restart_pending;
    bool stopped;               /* net_stop: the context is going away */
    char last_error[160];
    frame *q_head, *q_tail;
    char *rx;
    size_t rx_len;
    bool rx_oversize;
    lws_sorted_usec_list_t connect_sul, ping_sul;
};

static int net_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                        void *in, size_t len);

static const struct lws_protocols protocols[] = {
    {PROTO_SUBPROTOCOL, net_callback, 0, 0, 0, NULL, 0},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

const struct lws_protocols *net_protocols(void) { return protocols; }

const char *net_state_name(net_state s)
{
    static const char *names[] = {"offline", "connecting", "connected", "reconnecting", "refused"};
    return names[s];
}

static void set_error(net *n, const char *msg)
{
    char *clean = text_clean(msg, strlen(msg), 0, NULL);
    snprintf(n->last_error, sizeof n->last_error, "%s", clean);
    free(clean);
}

static void notify(net *n)
{
    if (n->hooks.on_state) n->hooks.on_state(n->ud);
}

static void queue_clear(net *n)
{
    while (n->q_head) { frame *f = n->q_head; n->q_head = f->next; free(f); }
    n->q_tail = NULL;
}

static void push(net *n, const char *data, size_t len, bool front)
{
    frame *f = mem_alloc(sizeof *f + LWS_PRE + len);
    f->len = len;
    memcpy(f->buf + LWS_PRE, data, len);
    f->next = NULL;
    if (front) {
        f->next = n->q_head;
        n->q_head = f;
        if (!n->q_tail) n->q_tail = f;
    } else {
        if (n->q_tail) n->q_tail->next = f; else n->q_head = f;
        n->q_tail = f;
    }
    if (n->wsi) lws_callback_on_writable(n->wsi);
}

static void connect_cb(lws_sorted_usec_list_t *sul);

static void schedule_connect(net *n, int64_t delay_ms)
{
    n->retry_at_ms = clock_mono_ms() + delay_ms;
    lws_sul_schedule(n->ctx, 0, &n->connect_sul, connect_cb, (lws_usec_t)delay_ms * LWS_US_PER_MS);
}

/* exponential with jitter in the upper half: 250 ms, 500 ms ... capped at 8 s; the jitter
 * keeps a room of consoles from reconnecting in step after the hub restarts */
int64_t net_backoff_ms(unsigned failures, uint32_t random)
{
    unsigned shift = failures < 6 ? failures : 6;
    int64_t base = (int64_t)NET_BACKOFF_FIRST_MS << shift;
    if (base > NET_BACKOFF_CAP_MS) base = NET_BACKOFF_CAP_MS;
    return base / 2 + (int64_t)(random % (uint32_t)(base / 2 + 1));
}

static void schedule_retry(net *n)
{
    if (n->state == NET_REFUSED) return;
    uint32_t r = 0;
    if (getrandom(&r, sizeof r, GRND_NONBLOCK) != sizeof r) r = (uint32_t)clock_mono_ms() * 2654435761u;
    int64_t delay = net_backoff_ms(n->attempt, r);
    n->attempt++;
    n->state = NET_WAITING;
    schedule_connect(n, delay);
    notify(n);
}

static void connect_cb(lws_sorted_usec_list_t *sul)
{
    net *n = lws_container_of(sul, net, connect_sul);
    if (n->wsi) return;
    struct lws_client_connect_info i;
    memset(&i, 0, sizeof i);
    i.context = n->ctx;
    i.address = n->host;
    i.port = n->port;
    i.path = n->path;
    i.host = n->host;
    i.origin = n->host;
    i.ssl_connection = n->tls ? LCCSCF_USE_SSL : 0;
    i.protocol = PROTO_SUBPROTOCOL;
    i.local_protocol_name = PROTO_SUBPROTOCOL;
    i.userdata = n;
    i.pwsi = &n->wsi;
    n->state = NET_CONNECTING;
    n->attempts_total++;
    queue_clear(n);
    n->rx_len = 0;
    n->rx_oversize = false;
    notify(n);
    logfile_write("net: connecting to %s (attempt %u)", n->url, n->attempts_total);
    if (!lws_client_connect_via_info(&i)) {
        n->wsi = NULL;
        set_error(n, "cannot start the connection");
        schedule_retry(n);
    }
}

static void send_ping(net *n)
{
    proto_event ev = proto_new(EV_PING);
    char id[32];
    snprintf(id, sizeof id, "ping-%u", ++n->ping_no);
    proto_set_str(&ev, "id", id);
    proto_set_int(&ev, "t", clock_mono_ms());
    size_t len;
    proto_error err;
    char *f = proto_encode(&ev, &len, &err);
    proto_free(&ev);
    if (!f) return;
    n->ping_sent_ms = clock_mono_ms();
    push(n, f, len, false);
    free(f);
}

static void ping_cb(lws_sorted_usec_list_t *sul)
{
    net *n = lws_container_of(sul, net, ping_sul);
    if (n->state != NET_READY || !n->wsi) return;
    if (n->ping_sent_ms && clock_mono_ms() - n->ping_sent_ms > NET_PONG_DEADLINE_MS) {
        set_error(n, "no answer from the hub");
        n->close_now = true;
        lws_callback_on_writable(n->wsi);
        return;
    }
    if (!n->ping_sent_ms) send_ping(n);
    lws_sul_schedule(n->ctx, 0, &n->ping_sul, ping_cb, (lws_usec_t)NET_PING_EVERY_MS * LWS_US_PER_MS);
}

static void send_hello(net *n)
{
    proto_event ev = proto_new(EV_HELLO);
    proto_set_str(&ev, "token", n->token);
    proto_set_str(&ev, "client", n->client);
    proto_set_int(&ev, "protocol", PROTO_VERSION);
    int64_t resume = n->hooks.resume_after ? n->hooks.resume_after(n->ud) : 0;
    if (resume > 0) proto_set_int(&ev, "resume_after", resume);
    /* the hub then sends a snapshot of only the lines we keep (docs/PROTOCOL.md) */
    int64_t keep = n->hooks.keep_lines ? n->hooks.keep_lines(n->ud) : 0;
    if (keep > 0) proto_set_int(&ev, "keep_lines", keep);
    size_t len;
    proto_error err;
    char *f = proto_encode(&ev, &len, &err);
    proto_free(&ev);
    if (!f) { set_error(n, err.message); return; }
    push(n, f, len, true);
    free(f);
    logfile_write("net: hello sent (resume_after %lld, keep_lines %lld)", (long long)resume, (long long)keep);
}

static void handle_frame(net *n, const char *data, size_t len)
{
    proto_event ev;
    proto_error err;
    if (!proto_decode(data, len, PROTO_TO_CONSOLE, &ev, &err)) {
        logfile_write("net: bad frame: %s", err.message);
        if (n->hooks.on_bad_frame) n->hooks.on_bad_frame(n->ud, err.message);
        return;
    }
    switch (ev.type) {
    case EV_PONG: {
        int64_t t = proto_int(&ev, "t", 0);
        if (t > 0) n->rtt_ms = (int)(clock_mono_ms() - t);
        n->ping_sent_ms = 0;
        notify(n);
        break;
    }
    case EV_WELCOME:
        n->state = NET_READY;
        n->attempt = 0;
        n->last_error[0] = 0;
        if (n->hooks.on_event) n->hooks.on_event(n->ud, &ev);
        notify(n);
        if (n->hooks.on_ready) n->hooks.on_ready(n->ud);
        n->ping_sent_ms = 0;
        send_ping(n);
        lws_sul_schedule(n->ctx, 0, &n->ping_sul, ping_cb,
                         (lws_usec_t)NET_PING_EVERY_MS * LWS_US_PER_MS);
        break;
    case EV_ERROR: {
        const char *code = proto_str(&ev, "code");
        if (code && strcmp(code, PROTO_ERR_UNAUTHORIZED) == 0) {
            n->state = NET_REFUSED;
            set_error(n, "the hub refused the token");
            notify(n);
        }
        if (n->hooks.on_event) n->hooks.on_event(n->ud, &ev);
        break;
    }
    default:
        if (n->hooks.on_event) n->hooks.on_event(n->ud, &ev);
        break;
    }
    proto_free(&ev);
}

static void receive(net *n, struct lws *wsi, const char *in, size_t len)
{
    if (lws_is_first_fragment(wsi)) { n->rx_len = 0; n->rx_oversize = false; }
    if (!n->rx_oversize) {
        if (n->rx_len + len > PROTO_MAX_FRAME) {
            n->rx_oversize = true;
        } else {
            if (!n->rx) n->rx = mem_alloc(PROTO_MAX_FRAME + 1);
            memcpy(n->rx + n->rx_len, in, len);
            n->rx_len += len;
        }
    }
    if (!lws_is_final_fragment(wsi)) return;
    if (n->rx_oversize) {
        char msg[80];
        snprintf(msg, sizeof msg, "frame exceeds %d bytes", PROTO_MAX_FRAME);
        logfile_write("net: %s", msg);
        if (n->hooks.on_bad_frame) n->hooks.on_bad_frame(n->ud, msg);
    } else {
        handle_frame(n, n->rx, n->rx_len);
    }
    n->rx_len = 0;
    n->rx_oversize = false;
}

static void dropped(net *n, const char *why)
{
    n->wsi = NULL;
    queue_clear(n);
    lws_sul_cancel(&n->ping_sul);
    n->ping_sent_ms = 0;
    if (why) set_error(n, why);
    logfile_write("net: dropped: %s", n->last_error);
    if (n->restart_pending) {
        n->restart_pending = false;
        n->attempt = 0;
        n->state = NET_CONNECTING;   /* on purpose: not an outage */
        schedule_connect(n, 0);
        notify(n);
        return;
    }
    schedule_retry(n);
}

static int net_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                        void *in, size_t len)
{
    net *n = user;
    switch (reason) {
    case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
        if (!n) break;
        dropped(n, in && len ? (const char *)in : "connection failed");
        break;
    case LWS_CALLBACK_CLIENT_ESTABLISHED:
        if (!n) break;
        logfile_write("net: established");
        send_hello(n);
        break;
    case LWS_CALLBACK_CLIENT_RECEIVE:
        if (n) receive(n, wsi, in, len);
        break;
    case LWS_CALLBACK_CLIENT_WRITEABLE: {
        if (!n) break;
        if (n->close_now) {
            n->close_now = false;
            lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
            return -1;
        }
        frame *f = n->q_head;
        if (!f) break;
        int w = lws_write(wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT);
        if (w < (int)f->len) { set_error(n, "write failed"); return -1; }
        n->q_head = f->next;
        if (!n->q_head) n->q_tail = NULL;
        free(f);
        if (n->q_head) lws_callback_on_writable(wsi);
        break;
    }
    case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
        /* the hub's close says why (too many connections, flood, slow_consumer): that, not
         * a bare "connection closed", is what the status line shows while waiting. A refused
         * token keeps its own words. The payload is a 2-byte status, then the reason. */
        if (n && n->state != NET_REFUSED && len > 2) {
            char *why = mem_printf("closed by the hub: %.*s", (int)(len - 2), (const char *)in + 2);
            set_error(n, why);
            free(why);
        }
        break;
    case LWS_CALLBACK_CLIENT_CLOSED:
        if (!n) break;
        dropped(n, n->last_error[0] ? NULL : "connection closed");
        break;
    default:
        break;
    }
    return 0;
}

net *net_new(struct lws_context *ctx, const char *url, const char *token, const char *client,
             const net_hooks *hooks, void *ud, char *err, size_t errlen)
{
    char *copy = mem_strdup(url);
    const char *prot = NULL, *ads = NULL, *path = NULL;
    int port = 0;
    if (lws_parse_uri(copy, &prot, &ads, &port, &path) || !ads || !*ads) {
        snprintf(err, errlen, "bad URL (expected ws://HOST:PORT or wss://HOST:PORT)");
        free(copy);
        return NULL;
    }
    bool tls;
    if (strcmp(prot, "ws") == 0) tls = false;
    else if (strcmp(prot, "wss") == 0) tls = true;
    else {
        snprintf(err, errlen, "bad URL scheme (use ws:// or wss://)");
        free(copy);
        return NULL;
    }
    if (strncmp(url, "wss://", 6) == 0 && port == 80) port = 443;
    /* a token hello cannot carry would connect and then never sign in: refuse it here */
    size_t tlen = token ? strlen(token) : 0;
    if (tlen == 0 || tlen > PROTO_MAX_ID || !text_is_clean(token, tlen, 0)) {
        snprintf(err, errlen, "bad token: expected 1..%d bytes of plain text on one line (got %zu)",
                 PROTO_MAX_ID, tlen);
        free(copy);
        return NULL;
    }
    net *n = mem_zalloc(1, sizeof *n);
    n->ctx = ctx;
    n->url = mem_strdup(url);
    n->host = mem_strdup(ads);
    n->path = mem_printf("/%s", path ? path : "");
    n->port = port;
    n->tls = tls;
    n->token = mem_strdup(token);
    n->client = mem_strdup(client);
    n->hooks = *hooks;
    n->ud = ud;
    n->rtt_ms = -1;
    free(copy);
    return n;
}

void net_stop(net *n)
{
    if (!n || n->stopped) return;
    n->stopped = true;
    if (n->wsi) lws_set_wsi_user(n->wsi, NULL);
    n->wsi = NULL;
    lws_sul_cancel(&n->connect_sul);
    lws_sul_cancel(&n->ping_sul);
}

void net_free(net *n)
{
    if (!n) return;
    net_stop(n);
    queue_clear(n);
    free(n->url); free(n->host); free(n->path); free(n->client); free(n->rx);
    if (n->token) { explicit_bzero(n->token, strlen(n->token)); free(n->token); }
    free(n);
}

void net_start(net *n)
{
    schedule_connect(n, 0);
}

void net_restart(net *n)
{
    if (n->wsi) {
        n->restart_pending = true;
        n->close_now = true;
        lws_callback_on_writable(n->wsi);
    } else {
        lws_sul_cancel(&n->connect_sul);
        n->attempt = 0;
        schedule_connect(n, 0);
    }
}

bool net_send(net *n, const char *data, size_t len)
{
    if (!n || n->state != NET_READY || !n->wsi) return false;
    push(n, data, len, false);
    return true;
}

/* The getters take NULL (a session without network) as "offline". */
net_state net_get_state(const net *n) { return n ? n->state : NET_OFFLINE; }
int net_rtt_ms(const net *n) { return n ? n->rtt_ms : -1; }
const char *net_last_error(const net *n) { return n ? n->last_error : ""; }
const char *net_url(const net *n) { return n ? n->url : ""; }
unsigned net_attempts(const net *n) { return n ? n->attempts_total : 0; }

int net_retry_in_ms(const net *n)
{
    if (!n || n->state != NET_WAITING) return 0;
    int64_t d = n->retry_at_ms - clock_mono_ms();
    return d > 0 ? (int)d : 0;
}
