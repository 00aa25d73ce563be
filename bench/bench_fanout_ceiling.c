/* bench_fanout_ceiling.c — the ceiling beside bench_hub's throughput: a bare libwebsockets
 * server (one process, one thread, like the hub) that does only what the hub's transport must
 * do per utterance — read the ingest frame, write the same number of console frames of the same
 * size to the interaction's console, ack the connector — with no log, no enrichment, no model.
 * The client side is bench_hub's: the same harness (tests/lib/wsc.h), 1,000 consoles that say
 * hello, 10 supervisors that get every frame (as bench_hub's, subscribed to all), one connector that starts 1,000 interactions and sends final utterances as fast as a
 * window of 6,000 unacked frames allows, in this process.
 *
 * The frames' shape comes from bench_hub's run (bench/run.sh passes it, so both are measured in
 * the same run): --frames F (console frames per utterance) --bytes B (mean bytes per console
 * frame). Without them it uses one frame of the utterance's own size and says so.
 * Prints:
 *   ceiling: N utterances/s delivered, N frames/s to 1000 consoles (F frames of B bytes each)
 * --quick: a third of the utterances.
 * Run: build/bench/bench_fanout_ceiling [--frames F] [--bytes B] [--quick] */
#include "hub/net/conn.h"
#include "tests/lib/wsc.h"

#include <ev.h>
#include <libwebsockets.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CONSOLES = 1000, SUPERVISORS = 10, BURST_PER_CALL = 30, WINDOW = 6000, WRITES_PER_CALLBACK = 64,
       BATCH_BYTES = 64 * 1024 };

/* ---------------------------------------------------------------- the bare server */

typedef struct {
    char **frames; /* a ring of `cap` (a power of two), each with LWS_PRE bytes of headroom */
    size_t *lens;
    unsigned head, tail, cap;
} outq;

typedef struct {
    outq q;
    char rx[65536]; /* lws hands a message over in pieces as they arrive: gathered here */
    size_t rxlen;
} conn;

static struct lws *console_wsi[CONSOLES], *supervisor_wsi[SUPERVISORS];
static double frames_per_utterance = 1; /* may be fractional: a credit carries the rest */
static double frame_credit;
static int frame_bytes = 0;
static volatile sig_atomic_t stopping;
static unsigned long long seq;

static void enqueue(struct lws *wsi, conn *c, const char *text, size_t len)
{
    outq *q = &c->q;
    if (q->tail - q->head == q->cap) { /* grow the ring, keeping the order */
        unsigned cap = q->cap ? q->cap * 2 : 64;
        char **frames = malloc(cap * sizeof *frames);
        size_t *lens = malloc(cap * sizeof *lens);
        if (!frames || !lens)
            abort();
        for (unsigned i = 0; i < q->tail - q->head; i++) {
            frames[i] = q->frames[(q->head + i) & (q->cap - 1)];
            lens[i] = q->lens[(q->head + i) & (q->cap - 1)];
        }
        free(q->frames);
        free(q->lens);
        q->tail -= q->head;
        q->head = 0;
        q->frames = frames;
        q->lens = lens;
        q->cap = cap;
    }
    char *buf = malloc(LWS_PRE + len);
    if (!buf)
        return;
    memcpy(buf + LWS_PRE, text, len);
    c->q.frames[c->q.tail & (c->q.cap - 1)] = buf;
    c->q.lens[c->q.tail & (c->q.cap - 1)] = len;
    c->q.tail++;
    lws_callback_on_writable(wsi);
}

/* a console frame of exactly `bytes` bytes (at least the JSON's own length) */
static size_t console_frame(char *out, size_t size, const char *type, int call, const char *uid, int bytes)
{
    int n = snprintf(out, size, "{\"type\":\"%s\",\"seq\":%llu,\"ts\":1,\"iid\":\"bench-%d\",\"uid\":\"%s\",\"pad\":\"",
                     type, ++seq, call, uid);
    size_t len = (size_t)n;
    while ((int)len + 2 < bytes && len + 3 < size)
        out[len++] = 'x';
    out[len++] = '"';
    out[len++] = '}';
    return len;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
    conn *c = user;
    int ingest = 0;
    const struct lws_protocols *p = lws_get_protocol(wsi);
    if (p && strcmp(p->name, "agentdesk.ingest.v1") == 0)
        ingest = 1;
    char out[8192];
    switch (reason) {
    case LWS_CALLBACK_RECEIVE: {
        if (c->rxlen + len > sizeof c->rx)
            return -1;
        memcpy(c->rx + c->rxlen, in, len);
        c->rxlen += len;
        if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi) > 0)
            break;
        const char *msg = c->rx;
        len = c->rxlen;
        c->rxlen = 0;
        if (!ingest) { /* console hello: welcome and an empty snapshot, as the hub answers */
            if (!memmem(msg, len, "\"hello\"", 7))
                break; /* a supervisor's subscribe: it gets every frame already */
            const char *t = memmem(msg, len, "tok-bench-", 10);
            int no = t ? atoi(t + 10) : -1;
            if (no >= 0 && no < CONSOLES)
                console_wsi[no] = wsi;
            const char *sup = memmem(msg, len, "tok-sup-", 8);
            int k = sup ? atoi(sup + 8) : -1;
            if (k >= 0 && k < SUPERVISORS)
                supervisor_wsi[k] = wsi;
            size_t n = (size_t)snprintf(out, sizeof out, "{\"type\":\"welcome\",\"seq\":0}");
            enqueue(wsi, c, out, n);
            n = (size_t)snprintf(out, sizeof out, "{\"type\":\"snapshot\",\"seq\":0,\"items\":[]}");
            enqueue(wsi, c, out, n);
            break;
        }
        const char *id = memmem(msg, len, "\"id\":\"", 6);
        char idbuf[32] = "";
        if (id) {
            id += 6;
            size_t k = 0;
            while (k + 1 < sizeof idbuf && id + k < msg + len && id[k] != '"') {
                idbuf[k] = id[k];
                k++;
            }
            idbuf[k] = '\0';
        }
        if (memmem(msg, len, "\"type\":\"utterance\"", 18)) {
            const char *iid = memmem(msg, len, "\"iid\":\"bench-", 13);
            const char *uid = memmem(msg, len, "\"uid\":\"", 7);
            int call = iid ? atoi(iid + 13) : -1;
            char uidbuf[32] = "";
            if (uid)
                snprintf(uidbuf, sizeof uidbuf, "%.*s", (int)strcspn(uid + 7, "\""), uid + 7);
            struct lws *cw = call >= 0 && call < CONSOLES ? console_wsi[call] : NULL;
            if (cw) {
                int bytes = frame_bytes > 0 ? frame_bytes : (int)len;
                frame_credit += frames_per_utterance;
                for (int f = 0; frame_credit >= 1.0; f++, frame_credit -= 1.0) {
                    size_t n = console_frame(out, sizeof out, f == 0 ? "utterance" : "sentiment", call, uidbuf, bytes);
                    enqueue(cw, lws_wsi_user(cw), out, n);
                    for (int k = 0; k < SUPERVISORS; k++)
                        if (supervisor_wsi[k])
                            enqueue(supervisor_wsi[k], lws_wsi_user(supervisor_wsi[k]), out, n);
                }
            }
        }
        if (idbuf[0]) {
            size_t n = (size_t)snprintf(out, sizeof out, "{\"type\":\"ack\",\"id\":\"%s\"}", idbuf);
            enqueue(wsi, c, out, n);
        } else if (memmem(msg, len, "\"hello\"", 7)) {
            size_t n = (size_t)snprintf(out, sizeof out, "{\"type\":\"welcome\",\"seq\":0}");
            enqueue(wsi, c, out, n);
        }
        break;
    }
    case LWS_CALLBACK_SERVER_WRITEABLE: { /* as the hub's transport (hub/net/conn.c): the frames
                                           * waiting, framed into one buffer, one send */
        static unsigned char batch[LWS_PRE + BATCH_BYTES];
        unsigned char *start = batch + LWS_PRE, *p = start;
        int n = 0;
        while (c->q.head != c->q.tail && n < WRITES_PER_CALLBACK) {
            unsigned i = c->q.head & (c->q.cap - 1);
            if ((size_t)(p - start) + NET_WS_HEADER_MAX + c->q.lens[i] > BATCH_BYTES)
                break;
            p += net_ws_text_header(p, c->q.lens[i]);
            memcpy(p, c->q.frames[i] + LWS_PRE, c->q.lens[i]);
            p += c->q.lens[i];
            free(c->q.frames[i]);
            c->q.head++;
            n++;
        }
        if (p > start && lws_write(wsi, start, (size_t)(p - start), LWS_WRITE_RAW) < (int)(p - start))
            return -1;
        if (!n && c->q.head != c->q.tail) {   /* bigger than a batch: alone */
            unsigned i = c->q.head & (c->q.cap - 1);
            int w = lws_write(wsi, (unsigned char *)c->q.frames[i] + LWS_PRE, c->q.lens[i], LWS_WRITE_TEXT);
            free(c->q.frames[i]);
            c->q.head++;
            if (w < 0)
                return -1;
        }
        if (c->q.head != c->q.tail)
            lws_callback_on_writable(wsi);
        break;
    }
    case LWS_CALLBACK_CLOSED:
        for (int i = 0; i < CONSOLES; i++)
            if (console_wsi[i] == wsi)
                console_wsi[i] = NULL;
        for (int i = 0; i < SUPERVISORS; i++)
            if (supervisor_wsi[i] == wsi)
                supervisor_wsi[i] = NULL;
        while (c->q.head != c->q.tail)
            free(c->q.frames[c->q.head++ & (c->q.cap - 1)]);
        free(c->q.frames);
        free(c->q.lens);
        c->q = (outq){0};
        break;
    default:
        break;
    }
    return 0;
}

static void on_term(int sig)
{
    (void)sig;
    stopping = 1;
}

static void on_term_ev(struct ev_loop *loop, ev_signal *w, int revents)
{
    (void)w;
    (void)revents;
    stopping = 1;
    ev_break(loop, EVBREAK_ALL);
}

/* The server process: writes its port to fd `report`, serves until SIGTERM. */
static int serve(int report)
{
    signal(SIGTERM, on_term);
    lws_set_log_level(LLL_ERR, NULL);
    static const struct lws_protocols protocols[] = {
        {"http", lws_callback_http_dummy, 0, 0, 0, NULL, 0},
        {"agentdesk.v1", callback, sizeof(conn), 4096, 0, NULL, 0},
        {"agentdesk.ingest.v1", callback, sizeof(conn), 65536, 0, NULL, 0},
        {NULL, NULL, 0, 0, 0, NULL, 0},
    };
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = 0; /* any free port; reported to the parent */
    info.iface = "127.0.0.1";
    info.protocols = protocols;
    info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
    /* the hub's loop: libev's epoll under lws (hub/net/server.c), so the ceiling is the
     * same transport without the hub's work */
    struct ev_loop *loop = ev_loop_new(EVBACKEND_EPOLL);
    void *loops[1] = {loop};
    if (loop) {
        info.options |= LWS_SERVER_OPTION_LIBEV;
        info.foreign_loops = loops;
    }
    struct lws_context *ctx = lws_create_context(&info);
    if (!ctx)
        return 1;
    int port = lws_get_vhost_listen_port(lws_get_vhost_by_name(ctx, "default"));
    if (write(report, &port, sizeof port) != (ssize_t)sizeof port)
        return 1;
    close(report);
    if (loop) {
        ev_signal stop;
        ev_signal_init(&stop, on_term_ev, SIGTERM);
        ev_signal_start(loop, &stop);
        ev_run(loop, 0);
        ev_signal_stop(loop, &stop);
    } else {
        while (!stopping)
            lws_service(ctx, 0);
    }
    lws_context_destroy(ctx);
    if (loop)
        ev_loop_destroy(loop);
    return 0;
}

/* ---------------------------------------------------------------- bench_hub's client side */

static int welcomed_snapshots, sup_snapshots, acks;
static uint64_t frames_in, utterances_in, sup_frames, sup_utterances;

static void on_supervisor(wsc *c, const char *msg, size_t len)
{
    (void)c;
    sup_frames++;
    if (memmem(msg, len < 64 ? len : 64, "\"type\":\"utterance\"", 18))
        sup_utterances++;
    else if (memmem(msg, len < 40 ? len : 40, "\"snapshot\"", 10))
        sup_snapshots++;
}

static void on_console(wsc *c, const char *msg, size_t len)
{
    (void)c;
    frames_in++;
    if (memmem(msg, len < 64 ? len : 64, "\"type\":\"utterance\"", 18))
        utterances_in++;
    else if (memmem(msg, len < 40 ? len : 40, "\"snapshot\"", 10))
        welcomed_snapshots++;
}

static void on_ingest(wsc *c, const char *msg, size_t len)
{
    (void)c;
    if (memmem(msg, len, "\"ack\"", 5))
        acks++;
}

static const char *lines[] = {
    "I was charged twice for my bill this month and I want a refund",
    "my internet keeps dropping every evening and it is really frustrating",
    "I'd like to cancel my contract, I'm moving to another provider",
    "thanks, that sorted it, you've been very helpful",
    "the delivery still hasn't arrived and the tracking says delivered",
    "can you change my address, I'm moving next month",
    "there are payments on my account I don't recognise",
    "how do I set up my email on the new phone",
};

int main(int argc, char **argv)
{
    int quick = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc)
            frames_per_utterance = atof(argv[++i]);
        else if (strcmp(argv[i], "--bytes") == 0 && i + 1 < argc)
            frame_bytes = atoi(argv[++i]);
        else if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
    }
    if (frames_per_utterance < 1)
        frames_per_utterance = 1;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    pid_t server = fork();
    if (server == 0) {
        close(fds[0]);
        _exit(serve(fds[1]));
    }
    close(fds[1]);
    int port = 0;
    if (server < 0 || read(fds[0], &port, sizeof port) != (ssize_t)sizeof port || port <= 0) {
        fprintf(stderr, "bench_fanout_ceiling: the server did not start\n");
        return 1;
    }
    close(fds[0]);
    wsc_ctx *X = wsc_ctx_new_epoll();   /* the load generator as bench_hub's */
    static wsc *consoles[CONSOLES];
    int64_t t0 = wsc_now_ms();
    for (int i = 0; i < CONSOLES; i++) {
        consoles[i] = wsc_connect(X, port, "agentdesk.v1", 0);
        wsc_set_handler(consoles[i], on_console);
        wsc_sendf(consoles[i], "{\"type\":\"hello\",\"token\":\"tok-bench-%d\",\"client\":\"bench\"}", i);
    }
    static wsc *supervisors[SUPERVISORS];
    for (int i = 0; i < SUPERVISORS; i++) {
        supervisors[i] = wsc_connect(X, port, "agentdesk.v1", 0);
        wsc_set_handler(supervisors[i], on_supervisor);
        wsc_sendf(supervisors[i], "{\"type\":\"hello\",\"token\":\"tok-sup-%d\",\"client\":\"bench\"}", i);
        wsc_send(supervisors[i], "{\"type\":\"subscribe\",\"scope\":\"all\"}");
    }
    while ((welcomed_snapshots < CONSOLES || sup_snapshots < SUPERVISORS) && wsc_now_ms() - t0 < 30000)
        wsc_service(X, 10);
    fprintf(stderr, "bench_fanout_ceiling: %d consoles connected in %lld ms\n", welcomed_snapshots,
            (long long)(wsc_now_ms() - t0));
    wsc *ingest = wsc_connect(X, port, "agentdesk.ingest.v1", 5000);
    int rc = 1;
    if (!ingest || welcomed_snapshots < CONSOLES) {
        fprintf(stderr, "bench_fanout_ceiling: %d consoles connected\n", welcomed_snapshots);
        goto out;
    }
    wsc_set_handler(ingest, on_ingest);
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"bench\"}");
    wsc_service(X, 100);
    acks = 0;
    for (int i = 0; i < CONSOLES; i++)
        wsc_sendf(ingest, "{\"type\":\"start\",\"id\":\"s%d\",\"iid\":\"bench-%d\",\"channel\":\"%s\",\"queue\":\"billing\","
                          "\"agent\":\"bench-agent-%d\",\"customer_id\":\"C-%d\"}",
                  i, i, i % 2 ? "chat" : "voice", i, 1001 + i % 50);
    while (acks < CONSOLES && wsc_now_ms() - t0 < 60000)
        wsc_service(X, 10);

    fprintf(stderr, "bench_fanout_ceiling: %d interactions started at %lld ms\n", acks, (long long)(wsc_now_ms() - t0));
    int burst = CONSOLES * BURST_PER_CALL / (quick ? 3 : 1), next = 0;
    uint64_t f0 = frames_in, u0 = utterances_in, sf0 = sup_frames, su0 = sup_utterances;
    acks = 0;
    int64_t b0 = wsc_now_ms();
    while ((acks < burst || utterances_in - u0 < (uint64_t)burst ||
            sup_utterances - su0 < (uint64_t)burst * SUPERVISORS) &&
           wsc_now_ms() - b0 < 45000) {
        while (next < burst && next - acks < WINDOW) {
            int call = next % CONSOLES;
            wsc_sendf(ingest,
                      "{\"type\":\"utterance\",\"id\":\"i%d\",\"iid\":\"bench-%d\",\"uid\":\"b%d\",\"speaker\":\"customer\","
                      "\"text\":\"%s\",\"final\":true,\"offset_ms\":%d}",
                      next, call, next, lines[next % 8], next / CONSOLES * 1000);
            next++;
        }
        wsc_service(X, 2);
    }
    double secs = (double)(wsc_now_ms() - b0) / 1000.0;
    printf("bench_fanout_ceiling: bare libwebsockets fan-out (no log, no enrichment), %d consoles + %d supervisors, "
           "%d utterances, %.2f frames of %d B per utterance%s\n",
           CONSOLES, SUPERVISORS, burst, frames_per_utterance,
           frame_bytes > 0 ? frame_bytes : 0, frame_bytes > 0 ? "" : " (the ingest frame's size)");
    printf("ceiling: %.0f utterances/s delivered, %.0f frames/s to %d consoles and %.0f to %d supervisors"
           " (%llu utterances in %.2f s)\n",
           (double)(utterances_in - u0) / secs, (double)(frames_in - f0) / secs, CONSOLES,
           (double)(sup_frames - sf0) / secs, SUPERVISORS, (unsigned long long)(utterances_in - u0), secs);
    rc = utterances_in - u0 == (uint64_t)burst && sup_utterances - su0 == (uint64_t)burst * SUPERVISORS ? 0 : 1;
out:
    wsc_ctx_free(X);
    kill(server, SIGTERM);
    waitpid(server, NULL, 0);
    return rc;
}
