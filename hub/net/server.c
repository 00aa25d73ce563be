/* server.c — the hub's one loop: libev's (epoll) under lws, or lws's own poll() loop when
 * lws's libev plugin is missing; the vhost and its protocols (one per registered endpoint,
 * plus HTTP and the signalfd), the end of a turn, the once-a-second timer, and stop
 * signals read from a signalfd inside the loop. */
#include "hub/net/net_private.h"
#include "base/logfile.h"
#include "base/mem.h"

#include <dlfcn.h>
#include <errno.h>
#include <ev.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

/* One HTTP request on a connection (lws's per-session data; reused by keep-alive). */
struct net_http {
    struct lws *wsi;
    const net_route *route;   /* a POST route whose body is being read or answered */
    char *body;               /* the POST body so far */
    size_t body_len, body_cap, max;
    lws_sorted_usec_list_t body_sul; /* the whole body must arrive before it fires */
    bool posting;             /* handed to route->post, not answered yet */
    bool too_large;           /* the rest of the body is not read: close once answered */
    bool headers_sent;
    char *out;                /* the answer */
    size_t out_len;
    int status;
    const char *type;
};

/* lws's default loop calls poll() over every connection at each turn: with ~1,000 consoles
 * that was about a third of the hub's time under load. libev's epoll wakes for the ready
 * ones only. lws's libev glue leaves two things to the loop's owner: the end of a turn (its
 * timers only fire when the loop goes idle, which a busy hub never is) and stopping. */
struct net_evloop {
    struct ev_loop *loop;
    ev_prepare turn;      /* runs before the loop waits: every turn's end */
    ev_timer turn_late;   /* a turn ended within TURN_GAP_US of the last: this ends it */
    ev_timer tick;        /* the once-a-second work timer, ours, not lws's */
    lws_usec_t last_turn_us;
};

/* A turn's end is a group commit and a write to every connection with frames: at a steady
 * 2,500 utterances a second, one each, those fixed costs doubled the hub's CPU an utterance.
 * A turn that would end within this of the last one waits for the rest of it, so a busy
 * hub commits at most every TURN_GAP_US with what came meanwhile; a lone event after a
 * quiet spell ends its turn at once. */
enum { TURN_GAP_US = 2000 };

/* lws 4.1.6's libev glue re-arms its one timer with ev_timer_set() and ev_timer_start()
 * while the timer may still be running; libev ignores a start of a running timer, so a
 * timeout set sooner than the one already armed (a sign-in or body deadline, a ping, the
 * demo's pacing) waited for the later one. The hub's own ev_timer_start restarts a running
 * timer at the interval just set: lws's plugin, loaded by lws at run time, binds to this
 * one (the link exports it: Makefile). */
void ev_timer_start(struct ev_loop *loop, ev_timer *w)
{
    static void (*libev_start)(struct ev_loop *, ev_timer *);
    if (!libev_start)
        *(void **)&libev_start = dlsym(RTLD_NEXT, "ev_timer_start");
    if (ev_is_active(w)) {
        ev_tstamp after = w->at;   /* ev_timer_set wrote the new interval over the due time */
        ev_timer_stop(loop, w);
        w->at = after;
    }
    libev_start(loop, w);
}

static net_server *server_of(struct lws *wsi)
{
    return lws_context_user(lws_get_context(wsi));
}

/* ---- HTTP ---- */

static const net_route *find_route(const net_server *s, const char *path)
{
    for (const net_route *r = s->routes; r && r->path; r++)
        if (strcmp(r->path, path) == 0)
            return r;
    return NULL;
}

static void http_reset(net_http *r, struct lws *wsi)
{
    lws_sul_cancel(&r->body_sul);
    free(r->body);
    free(r->out);
    memset(r, 0, sizeof *r);
    r->wsi = wsi;
}

static int http_status_only(struct lws *wsi, unsigned status)
{
    if (lws_return_http_status(wsi, status, NULL))
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

int net_http_header(net_http *req, const char *name, char *out, size_t outlen)
{
    char key[128];
    int n = snprintf(key, sizeof key, "%s:", name);
    if (n <= 1 || (size_t)n >= sizeof key || outlen < 2)
        return -1;
    /* a header libwebsockets knows (Content-Encoding, ...) is kept as its token, not as a
     * custom one */
    for (int t = 0; t < WSI_TOKEN_COUNT; t++) {
        const unsigned char *tok = lws_token_to_string((enum lws_token_indexes)t);
        if (!tok || strcasecmp((const char *)tok, key) != 0)
            continue;
        int len = lws_hdr_total_length(req->wsi, (enum lws_token_indexes)t);
        if (len <= 0)
            return -1;
        if ((size_t)len >= outlen)
            return -1;
        return lws_hdr_copy(req->wsi, out, (int)outlen, (enum lws_token_indexes)t) < 0 ? -1 : len;
    }
    int len = lws_hdr_custom_length(req->wsi, key, n);
    if (len < 0 || (size_t)len >= outlen)
        return -1;
    return lws_hdr_custom_copy(req->wsi, out, (int)outlen, key, n) < 0 ? -1 : len;
}

void net_http_reply(net_http *req, int status, const char *type, char *body, size_t len)
{
    free(req->out);
    req->posting = false;
    req->status = status;
    req->type = type;
    req->out = body;
    req->out_len = len;
    lws_callback_on_writable(req->wsi);
}

static void hand_over(net_server *s, net_http *r)
{
    r->posting = true;
    r->route->post(s->routes_ctx, r, r->too_large ? NULL : (r->body ? r->body : ""),
                   r->too_large ? 0 : r->body_len, r->too_large);
}

static void body_too_large(net_server *s, net_http *r)
{
    r->too_large = true;
    free(r->body);
    r->body = NULL;
    r->body_len = r->body_cap = 0;
    hand_over(s, r);
}

static void body_late(lws_sorted_usec_list_t *sul)
{
    net_http *r = lws_container_of(sul, net_http, body_sul);
    if (r->wsi && !r->posting && !r->out)
        lws_set_timeout(r->wsi, PENDING_TIMEOUT_HTTP_CONTENT, LWS_TO_KILL_ASYNC);
}

/* A POST route: check the declared length, then read the body under a deadline. */
static int start_post(net_server *s, net_http *r, const net_route *route)
{
    r->route = route;
    r->max = route->max_body(s->routes_ctx);
    char cl[32];
    long long want = -1;
    if (lws_hdr_copy(r->wsi, cl, sizeof cl, WSI_TOKEN_HTTP_CONTENT_LENGTH) > 0)
        want = atoll(cl);
    if (want > 0 && (unsigned long long)want > r->max) {
        body_too_large(s, r);
        return 0;
    }
    if (want == 0) {
        hand_over(s, r);
        return 0;
    }
    /* the whole body, not each piece: a peer trickling bytes cannot hold the request open
     * (lws's own content timeout is re-armed as pieces arrive) */
    lws_sul_schedule(lws_get_context(r->wsi), 0, &r->body_sul, body_late,
                     (lws_usec_t)s->cfg.idle_secs * LWS_US_PER_SEC);
    return 0;
}

static int body_in(net_server *s, net_http *r, const void *in, size_t len)
{
    if (!r->route || r->too_large || r->posting || r->out)
        return 0;
    if (r->body_len + len > r->max) {
        body_too_large(s, r);
        return 0;
    }
    if (r->body_len + len + 1 > r->body_cap) {
        r->body_cap = (r->body_len + len + 1) * 2 < r->max + 1 ? (r->body_len + len + 1) * 2 : r->max + 1;
        r->body = mem_realloc(r->body, r->body_cap);
    }
    memcpy(r->body + r->body_len, in, len);
    r->body_len += len;
    r->body[r->body_len] = '\0';
    return 0;
}

static int write_answer(struct lws *wsi, net_http *r)
{
    if (!r->headers_sent) {
        unsigned char hdr[LWS_PRE + 512], *start = hdr + LWS_PRE, *p = start, *end = hdr + sizeof hdr - 1;
        if (lws_add_http_common_headers(wsi, (unsigned)r->status, r->type, (lws_filepos_t)r->out_len, &p, end) ||
            lws_finalize_write_http_header(wsi, start, &p, end))
            return -1;
        r->headers_sent = true;
        lws_callback_on_writable(wsi);
        return 0;
    }
    unsigned char *buf = mem_alloc(LWS_PRE + r->out_len + 1);
    memcpy(buf + LWS_PRE, r->out, r->out_len);
    int n = lws_write(wsi, buf + LWS_PRE, r->out_len, LWS_WRITE_HTTP_FINAL);
    free(buf);
    bool close = r->too_large;
    http_reset(r, wsi);
    if (n < 0 || close)  /* an unread body cannot be skipped: the connection ends */
        return -1;
    return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int callback_http(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                         size_t len)
{
    net_http *r = user;
    net_server *s = server_of(wsi);
    if (!r) /* a connection that never got as far as a request */
        return lws_callback_http_dummy(wsi, reason, user, in, len);
    switch (reason) {
    case LWS_CALLBACK_HTTP: {
        http_reset(r, wsi);
        const net_route *route = find_route(s, in);
        if (!route)
            return http_status_only(wsi, HTTP_STATUS_NOT_FOUND);
        bool post = lws_hdr_total_length(wsi, WSI_TOKEN_POST_URI) > 0;
        if (route->post)
            return post ? start_post(s, r, route) : http_status_only(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED);
        bool unavailable = false;
        r->out = route->render(s->routes_ctx, &r->out_len, &unavailable);
        r->status = unavailable ? HTTP_STATUS_SERVICE_UNAVAILABLE : HTTP_STATUS_OK;
        r->type = route->type;
        lws_callback_on_writable(wsi);
        return 0;
    }
    case LWS_CALLBACK_HTTP_BODY:
        return body_in(s, r, in, len);
    case LWS_CALLBACK_HTTP_BODY_COMPLETION:
        if (r->route && !r->too_large && !r->posting && !r->out) {
            lws_sul_cancel(&r->body_sul);
            lws_set_timeout(wsi, NO_PENDING_TIMEOUT, 0);
            hand_over(s, r);
        }
        return 0;
    case LWS_CALLBACK_HTTP_WRITEABLE:
        if (!r->out)
            break;
        return write_answer(wsi, r);
    case LWS_CALLBACK_CLOSED_HTTP:
        if (r->posting && r->route && r->route->gone)
            r->route->gone(s->routes_ctx, r);
        http_reset(r, NULL);
        break;
    default:
        break;
    }
    return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* ---- websockets: every endpoint through one callback; the protocol names the endpoint ---- */

static int callback_ws(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                       size_t len)
{
    net_conn **pc = user;
    switch (reason) {
    case LWS_CALLBACK_ESTABLISHED:
        *pc = net_conn_open(server_of(wsi), wsi, lws_get_protocol(wsi)->user);
        break;
    case LWS_CALLBACK_RECEIVE:
        if (!*pc)
            return -1;
        /* frames arriving prove the peer alive: a connector streaming faster than we read
         * has its pong queued behind the frames we have not read yet, and must not be hung
         * up as if it had gone (it lost 78 of 600 utterances that way under load) */
        lws_usec_t now = lws_now_usecs();
        if (now - (*pc)->confirmed_us >= LWS_US_PER_SEC) {
            /* once a second is proof enough: each call re-sorts lws's timer list */
            (*pc)->confirmed_us = now;
            lws_validity_confirmed(wsi);
        }
        return net_conn_receive(*pc, in, len, lws_is_first_fragment(wsi), lws_is_final_fragment(wsi),
                                lws_frame_is_binary(wsi));
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return *pc ? net_conn_writeable(*pc) : -1;
    case LWS_CALLBACK_CLOSED:
        if (*pc) {
            net_conn *c = *pc;
            *pc = NULL;
            c->b->ep->close(c->state);
            net_conn_free(c);
        }
        break;
    default:
        break;
    }
    return 0;
}

static int callback_signal(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                           size_t len)
{
    (void)user;
    (void)in;
    (void)len;
    if (reason == LWS_CALLBACK_RAW_RX_FILE) {
        net_server *s = server_of(wsi);
        struct signalfd_siginfo si;
        while (read(s->sigfd, &si, sizeof si) == (ssize_t)sizeof si) {
            if (si.ssi_signo == SIGINT || si.ssi_signo == SIGTERM || si.ssi_signo == SIGHUP) {
                logfile_write("signal %u: shutting down", si.ssi_signo);
                s->quit = true;
                if (s->ev)
                    ev_break(s->ev->loop, EVBREAK_ALL);
                else
                    lws_cancel_service(lws_get_context(wsi));
            }
        }
    }
    return 0;
}

static int callback_raw_client(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
                               size_t len)
{
    (void)user;
    return net_rawclient_callback(wsi, reason, in, len);
}

/* ---- timers ---- */

static void turn_over(net_server *s)
{
    s->turn_armed = false;
    if (s->turn_end)
        s->turn_end(s->turn_end_ctx);
}

static void turn_cb(lws_sorted_usec_list_t *sul)
{
    turn_over(lws_container_of(sul, net_server, turn_sul));
}

static void turn_ev(struct ev_loop *loop, ev_prepare *w, int revents)
{
    (void)revents;
    net_server *s = w->data;
    if (!s->turn_armed || ev_is_active(&s->ev->turn_late))
        return;
    lws_usec_t now = lws_now_usecs(), due = s->ev->last_turn_us + TURN_GAP_US;
    if (now < due) {
        ev_timer_set(&s->ev->turn_late, (ev_tstamp)(due - now) / 1e6, 0.);
        ev_timer_start(loop, &s->ev->turn_late);
        return;
    }
    s->ev->last_turn_us = now;
    turn_over(s);
}

static void turn_late_ev(struct ev_loop *loop, ev_timer *w, int revents)
{
    (void)loop;
    (void)revents;
    net_server *s = w->data;
    s->ev->last_turn_us = lws_now_usecs();
    if (s->turn_armed)
        turn_over(s);
}

void net_server_end_turn_soon(net_server *s)
{
    if (!s || s->turn_armed || !s->ctx)
        return;
    s->turn_armed = true;
    if (!s->ev)   /* libev: the prepare watcher ends the turn */
        lws_sul_schedule(s->ctx, 0, &s->turn_sul, turn_cb, 1);
}

static void tick_now(net_server *s);

static void second_cb(lws_sorted_usec_list_t *sul)
{
    tick_now(lws_container_of(sul, net_server, second_sul));
}

static void tick_ev(struct ev_loop *loop, ev_timer *w, int revents)
{
    (void)loop;
    (void)revents;
    tick_now(w->data);
}

static void arm_tick(net_server *s, lws_usec_t in_us)
{
    s->tick_armed = true;
    s->tick_due = lws_now_usecs() + in_us;
    if (s->ev) {
        ev_timer_stop(s->ev->loop, &s->ev->tick);
        ev_timer_set(&s->ev->tick, (ev_tstamp)in_us / 1e6, 0.);
        ev_timer_start(s->ev->loop, &s->ev->tick);
    } else {
        lws_sul_schedule(s->ctx, 0, &s->second_sul, second_cb, in_us);
    }
}

/* The tick runs only while its owner has time-driven work: an idle hub sleeps until a
 * frame, a connection or lws's own ping timers wake it. */
static void tick_now(net_server *s)
{
    s->tick_armed = false;
    s->ticks++;
    int64_t next_ms = s->tick ? s->tick(s->tick_ctx) : 0;
    if (next_ms > 0)
        arm_tick(s, (lws_usec_t)next_ms * LWS_US_PER_MS);
}

void net_server_tick_soon(net_server *s)
{
    if (!s || !s->ctx)
        return;
    if (s->tick_armed && s->tick_due <= lws_now_usecs() + LWS_US_PER_SEC)
        return;
    arm_tick(s, LWS_US_PER_SEC);
}

uint64_t net_server_ticks(const net_server *s)
{
    return s->ticks;
}

/* ---- setup ---- */

static void stop_signals(sigset_t *mask)
{
    sigemptyset(mask);
    sigaddset(mask, SIGINT);
    sigaddset(mask, SIGTERM);
    sigaddset(mask, SIGHUP);
}

void net_block_stop_signals(void)
{
    sigset_t mask;
    stop_signals(&mask);
    sigprocmask(SIG_BLOCK, &mask, NULL);
}

/* Errors and warnings only: lws's libev glue writes a notice at every change of a
 * connection's interest in writing, thousands a second under load. */
void net_log_to_logfile(bool on)
{
    lws_set_log_level(on ? (LLL_ERR | LLL_WARN) : 0, on ? logfile_lws : NULL);
}

net_server *net_server_new(const net_config *cfg)
{
    net_server *s = mem_zalloc(1, sizeof *s);
    s->cfg = *cfg;
    s->sigfd = -1;
    return s;
}

void net_server_add_endpoint(net_server *s, const net_endpoint *ep, void *ctx, int flood_per_sec)
{
    s->bindings = mem_realloc(s->bindings, (s->nbindings + 1) * sizeof *s->bindings);
    s->bindings[s->nbindings++] = (net_binding){.ep = ep, .ctx = ctx, .flood_per_sec = flood_per_sec};
}

void net_server_add_routes(net_server *s, const net_route *routes, void *ctx)
{
    s->routes = routes;
    s->routes_ctx = ctx;
}

void net_server_on_turn_end(net_server *s, void (*fn)(void *ctx), void *ctx)
{
    s->turn_end = fn;
    s->turn_end_ctx = ctx;
}

void net_server_on_tick(net_server *s, int64_t (*fn)(void *ctx), void *ctx)
{
    s->tick = fn;
    s->tick_ctx = ctx;
}

/* HTTP first (lws's default protocol), one per endpoint, the signalfd, outgoing raw
 * connections, the terminator. */
static struct lws_protocols *make_protocols(net_server *s)
{
    struct lws_protocols *p = mem_zalloc(s->nbindings + 4, sizeof *p);
    p[0] = (struct lws_protocols){.name = "http", .callback = callback_http,
                                  .per_session_data_size = sizeof(net_http)};
    for (size_t i = 0; i < s->nbindings; i++)
        p[i + 1] = (struct lws_protocols){.name = s->bindings[i].ep->protocol, .callback = callback_ws,
                                          .per_session_data_size = sizeof(net_conn *),
                                          .rx_buffer_size = s->bindings[i].ep->rx_buffer,
                                          .user = &s->bindings[i]};
    p[s->nbindings + 1] = (struct lws_protocols){.name = "raw-signal", .callback = callback_signal};
    p[s->nbindings + 2] = (struct lws_protocols){.name = "raw-client", .callback = callback_raw_client};
    return p;
}

/* lws takes an interface name or a numeric address; a host name such as "localhost" would
 * make it retry forever (or fall back to every interface). Resolve it here. */
static int numeric_host(const char *host, char *out, size_t outlen, char *err, size_t errlen)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *ai = NULL;
    if (getaddrinfo(host, NULL, &hints, &ai) != 0 || !ai) {
        snprintf(err, errlen, "--listen: cannot resolve host '%.100s'", host);
        return -1;
    }
    int rc = getnameinfo(ai->ai_addr, ai->ai_addrlen, out, (socklen_t)outlen, NULL, 0, NI_NUMERICHOST);
    /* lws binds every interface when the address is not one of ours: refuse that here */
    int fd = rc == 0 ? socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0) : -1;
    bool ours = fd >= 0 && bind(fd, ai->ai_addr, ai->ai_addrlen) == 0;
    if (fd >= 0)
        close(fd);
    freeaddrinfo(ai);
    if (rc != 0 || !ours) {
        snprintf(err, errlen, "--listen: '%.100s' is not an address of this machine", host);
        return -1;
    }
    return 0;
}

static struct lws_context *create_context(net_server *s, struct lws_context_creation_info *info)
{
    struct net_evloop *ev = mem_zalloc(1, sizeof *ev);
    ev->loop = ev_loop_new(EVBACKEND_EPOLL);
    void *loops[1] = {ev->loop};
    if (ev->loop) {
        info->options |= LWS_SERVER_OPTION_LIBEV;
        info->foreign_loops = loops;
        struct lws_context *ctx = lws_create_context(info);
        info->foreign_loops = NULL;
        info->options &= ~(uint64_t)LWS_SERVER_OPTION_LIBEV;
        if (ctx) {
            ev_prepare_init(&ev->turn, turn_ev);
            ev->turn.data = s;
            ev_prepare_start(ev->loop, &ev->turn);
            ev_init(&ev->turn_late, turn_late_ev);
            ev->turn_late.data = s;
            ev_init(&ev->tick, tick_ev);
            ev->tick.data = s;
            s->ev = ev;
            return ctx;
        }
        ev_loop_destroy(ev->loop);
    }
    free(ev);
    /* lws's libev plugin (libwebsockets-evlib-ev) missing: its own poll() loop still serves */
    struct lws_context *ctx = lws_create_context(info);
    if (ctx)
        logfile_write("libev loop unavailable: serving on lws's poll() loop");
    return ctx;
}

int net_server_start(net_server *s, char *err, size_t errlen)
{
    const net_config *o = &s->cfg;
    s->idle.secs_since_valid_ping = (uint16_t)(o->idle_secs / 2);
    s->idle.secs_since_valid_hangup = (uint16_t)o->idle_secs;

    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    static char iface[NI_MAXHOST];
    bool any = strcmp(o->host, "0.0.0.0") == 0 || strcmp(o->host, "::") == 0 || strcmp(o->host, "*") == 0;
    if (!any && numeric_host(o->host, iface, sizeof iface, err, errlen) != 0)
        return -1;
    info.port = o->port;
    info.iface = any ? NULL : iface;
    /* with IPv6 on, lws binds an IPv4 iface as [::] — every interface. Keep v4 as v4. */
    bool v6 = strchr(any ? o->host : iface, ':') != NULL;
    s->protocols = make_protocols(s);
    info.protocols = s->protocols;
    info.user = s;
    info.retry_and_idle_policy = &s->idle;
    /* no LWS_SERVER_OPTION_VALIDATE_UTF8: bad UTF-8 gets the endpoint's error, not a bare close */
    info.options = LWS_SERVER_OPTION_FAIL_UPON_UNABLE_TO_BIND;
    if (!v6)
        info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
    if (o->tls_cert) {
        info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
        info.ssl_cert_filepath = o->tls_cert;
        info.ssl_private_key_filepath = o->tls_key;
        /* HTTP/1.1 only: lws does not hand an h2 request's own headers to us (a Firehose
         * access key would be missing), and websockets go over HTTP/1.1 anyway */
        info.alpn = "http/1.1";
    }
    info.timeout_secs = 20;
    info.fd_limit_per_thread = 0;
    s->ctx = create_context(s, &info);
    if (!s->ctx) {
        snprintf(err, errlen, "cannot listen on %s:%d (in use, or bad TLS files?)", o->host, o->port);
        return -1;
    }
    s->vh = lws_get_vhost_by_name(s->ctx, "default");

    sigset_t mask;
    stop_signals(&mask);
    s->sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    lws_sock_file_fd_type fd;
    fd.filefd = s->sigfd;
    if (s->sigfd < 0 || !s->vh ||
        !lws_adopt_descriptor_vhost(s->vh, LWS_ADOPT_RAW_FILE_DESC, fd, "raw-signal", NULL)) {
        snprintf(err, errlen, "cannot watch signals");
        return -1;
    }
    arm_tick(s, LWS_US_PER_SEC);   /* the first tick says whether there is work */
    net_rawclient_start_all(s);
    return 0;
}

void net_server_run(net_server *s)
{
    if (s->ev) {
        /* lws's timers fire when its glue finds the loop idle or its timer due; it notices
         * a timer set before the loop ran only then: wake it once so it looks */
        lws_cancel_service(s->ctx);
        while (!s->quit && ev_run(s->ev->loop, 0))
            ;
        return;
    }
    while (!s->quit && lws_service(s->ctx, 0) >= 0)
        ;
}

struct lws_context *net_server_lws(net_server *s)
{
    return s->ctx;
}

size_t net_server_connections(const net_server *s)
{
    return s->nconns;
}

void net_server_free(net_server *s)
{
    if (!s)
        return;
    if (s->ctx) {
        lws_sul_cancel(&s->turn_sul);
        lws_sul_cancel(&s->second_sul);
        s->quit = true;   /* closing raw clients must not schedule reconnects */
        struct lws_context *ctx = s->ctx;
        lws_context_destroy(ctx);
        s->ctx = NULL;
    }
    if (s->ev) {
        ev_prepare_stop(s->ev->loop, &s->ev->turn);
        ev_timer_stop(s->ev->loop, &s->ev->turn_late);
        ev_timer_stop(s->ev->loop, &s->ev->tick);
        ev_loop_destroy(s->ev->loop);
        free(s->ev);
    }
    net_rawclient_free_all(s);
    if (s->sigfd >= 0)
        close(s->sigfd);
    free(s->protocols);
    free(s->bindings);
    free(s->batch);
    free(s);
}
