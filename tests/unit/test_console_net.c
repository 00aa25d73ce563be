/* test_console_net.c — the net client: its URL and token handling and its state before
 * connecting; against a scripted websocket server (tests/lib/wsserve.h), the reassembly of
 * fragments and the frame size cap; against real hubs, welcome, an error before welcome with
 * the close reason, a refused token, and the reconnect backoff with its reset; and the
 * console's session keeping a queued action for the hub and agent it was written for. */
#include "tests/unit/check.h"
#include "agentdesk/net.h"
#include "agentdesk/session.h"
#include "agentdesk/state.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"
#include "tests/lib/wsserve.h"
#include "base/clock.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

static struct lws_context *ctx;
static const net_hooks hooks = {0};

static void test_urls(void)
{
    static const struct { const char *url; bool ok; const char *shown; } cases[] = {
        {"ws://127.0.0.1:7300", true, "ws://127.0.0.1:7300"},
        {"ws://hub.example.com:80/agentdesk", true, NULL},
        {"wss://hub.example.com", true, NULL},
        {"http://hub:7300", false, NULL},
        {"ws://", false, NULL},
        {"hub:7300", false, NULL},
        {"", false, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char err[200] = "";
        net *n = net_new(ctx, cases[i].url, "tok", "test", &hooks, NULL, err, sizeof err);
        CHECK((n != NULL) == cases[i].ok);
        if (!cases[i].ok) CHECK(strlen(err) > 0);
        if (n) {
            if (cases[i].shown) CHECK_STR(net_url(n), cases[i].shown);
            CHECK_INT(net_get_state(n), NET_OFFLINE);
            CHECK_INT(net_rtt_ms(n), -1);
            CHECK_INT(net_attempts(n), 0);
            CHECK(!net_send(n, "{}", 2));        /* nothing goes out before the welcome */
            net_free(n);
        }
    }
}

/* A token hello cannot carry is refused when the client is made, with the limit in the
 * message: before, a 300-byte token connected and then never said hello. */
static void test_token_limits(void)
{
    char big[301];
    memset(big, 't', 300);
    big[300] = 0;
    char err[200] = "";
    CHECK(net_new(ctx, "ws://127.0.0.1:7300", big, "test", &hooks, NULL, err, sizeof err) == NULL);
    CHECK(strstr(err, "token") != NULL && strstr(err, "128") != NULL);
    CHECK(net_new(ctx, "ws://127.0.0.1:7300", "", "test", &hooks, NULL, err, sizeof err) == NULL);
    CHECK(net_new(ctx, "ws://127.0.0.1:7300", "a\nb", "test", &hooks, NULL, err, sizeof err) == NULL);
    big[128] = 0;
    net *n = net_new(ctx, "ws://127.0.0.1:7300", big, "test", &hooks, NULL, err, sizeof err);
    CHECK(n != NULL);
    net_free(n);
}

static void test_state_names(void)
{
    CHECK_STR(net_state_name(NET_READY), "connected");
    CHECK_STR(net_state_name(NET_WAITING), "reconnecting");
    CHECK_STR(net_state_name(NET_REFUSED), "refused");
}

/* ---- the client against a peer: reassembly, backoff, welcome and error states ---- */

/* What the hooks saw on one client. */
typedef struct {
    net *n;
    int ready;                    /* on_ready calls */
    int events;                   /* on_event calls */
    proto_type first_type;        /* the first event's type */
    int errors;                   /* EV_ERROR events */
    bool error_before_welcome;
    char error_code[64], error_message[600];
    size_t error_message_len;
    int bad_frames;
    char bad_frame[160];
    net_state last_state;
    int64_t waits[16];            /* net_retry_in_ms as each wait began */
    size_t nwaits;
} watch;

static void w_event(void *ud, const proto_event *ev)
{
    watch *w = ud;
    if (w->events++ == 0) w->first_type = ev->type;
    if (ev->type != EV_ERROR) return;
    w->errors++;
    if (!w->ready) w->error_before_welcome = true;
    const char *code = proto_str(ev, "code"), *msg = proto_str(ev, "message");
    snprintf(w->error_code, sizeof w->error_code, "%s", code ? code : "");
    snprintf(w->error_message, sizeof w->error_message, "%s", msg ? msg : "");
    w->error_message_len = msg ? strlen(msg) : 0;
}

static void w_ready(void *ud) { ((watch *)ud)->ready++; }

static void w_state(void *ud)
{
    watch *w = ud;
    net_state s = net_get_state(w->n);
    if (s == NET_WAITING && w->last_state != NET_WAITING && w->nwaits < 16)
        w->waits[w->nwaits++] = net_retry_in_ms(w->n);
    w->last_state = s;
}

static void w_bad_frame(void *ud, const char *message)
{
    watch *w = ud;
    w->bad_frames++;
    snprintf(w->bad_frame, sizeof w->bad_frame, "%s", message);
}

static const net_hooks watch_hooks = {.on_event = w_event, .on_ready = w_ready,
                                      .on_state = w_state, .on_bad_frame = w_bad_frame};

/* A client context of its own (the net protocol registered), woken every 10 ms so that a
 * wait never outlasts its deadline by more. */
static struct lws_context *client_ctx;
static lws_sorted_usec_list_t tick_sul;

static void tick(lws_sorted_usec_list_t *sul)
{
    lws_sul_schedule(client_ctx, 0, sul, tick, 10 * LWS_US_PER_MS);
}

static net *watched(int port, const char *token, watch *w)
{
    memset(w, 0, sizeof *w);
    char url[64], err[200] = "";
    snprintf(url, sizeof url, "ws://127.0.0.1:%d", port);
    w->n = net_new(client_ctx, url, token, "test_console_net", &watch_hooks, w, err, sizeof err);
    CHECK(w->n != NULL);
    if (w->n) net_start(w->n);
    return w->n;
}

/* Service the client context until done(w) or `ms` pass; done(w) at the end. */
static bool pump(watch *w, bool (*done)(const watch *w), int ms)
{
    int64_t end = clock_mono_ms() + ms;
    tick(&tick_sul);
    while (clock_mono_ms() < end && !(done && done(w)))
        lws_service(client_ctx, 0);
    lws_sul_cancel(&tick_sul);
    return done ? done(w) : true;
}

static bool is_ready(const watch *w) { return net_get_state(w->n) == NET_READY; }
static bool is_refused(const watch *w) { return net_get_state(w->n) == NET_REFUSED; }
static bool is_waiting(const watch *w) { return net_get_state(w->n) == NET_WAITING; }
static bool got_error(const watch *w) { return w->errors > 0; }
static bool got_bad_frame_and_error(const watch *w) { return w->bad_frames > 0 && w->errors > 1; }
static size_t waits_wanted;
static bool enough_waits(const watch *w) { return w->nwaits >= waits_wanted; }
static bool rtt_known(const watch *w) { return net_rtt_ms(w->n) >= 0; }

static const char welcome_frame[] =
    "{\"type\":\"welcome\",\"user\":\"agent-1\",\"display_name\":\"Ana Ruiz\",\"role\":\"agent\","
    "\"hub_id\":\"hub-test\",\"seq\":0,\"protocol\":1}";
static const char error_frame[] =
    "{\"type\":\"error\",\"code\":\"forbidden\",\"message\":\"whisper: supervisors only\",\"ref\":\"a-24\"}";

/* An error frame of exactly `len` bytes: JSON padded with blanks before its closing brace. */
static char *padded_error_frame(size_t len)
{
    static const char head[] = "{\"type\":\"error\",\"code\":\"not_found\",\"message\":\"at the cap\"";
    char *f = malloc(len + 1);
    memset(f, ' ', len);
    memcpy(f, head, strlen(head));
    f[len - 1] = '}';
    f[len] = 0;
    return f;
}

/* The welcome arrives as three fragments cut inside the JSON, an error frame as 5-byte
 * fragments: each is reassembled into one frame and decoded whole. */
static void test_fragments_reassembled(void)
{
    wsserve_piece pieces[64];
    size_t w_len = strlen(welcome_frame), n = 0;
    pieces[n++] = (wsserve_piece){welcome_frame, 7, true, false};
    pieces[n++] = (wsserve_piece){welcome_frame + 7, 40, false, false};
    pieces[n++] = (wsserve_piece){welcome_frame + 47, w_len - 47, false, true};
    size_t e = wsserve_split(error_frame, strlen(error_frame), 5, pieces + n, 64 - n);
    CHECK(e > 10);
    n += e;
    const wsserve_script script = {"frag", pieces, n, 0, NULL};
    wsserve *srv = wsserve_start(PROTO_SUBPROTOCOL, &script, 1);
    CHECK(srv != NULL);
    if (!srv) return;
    watch w;
    watched(wsserve_port(srv), "frag", &w);
    CHECK(pump(&w, got_error, 5000));
    CHECK_INT(net_get_state(w.n), NET_READY);
    CHECK_INT(w.ready, 1);
    CHECK_INT(w.first_type, EV_WELCOME);
    CHECK_STR(w.error_code, "forbidden");
    CHECK_STR(w.error_message, "whisper: supervisors only");
    CHECK(!w.error_before_welcome);
    CHECK_INT(w.bad_frames, 0);
    net_free(w.n);
    wsserve_stop(srv);
}

/* PROTO_MAX_FRAME bytes in fragments is one frame, decoded; one byte more is refused as a
 * whole ("frame exceeds ...", nothing decoded, the connection kept), and the frame after it
 * is read from its own start. */
static void test_frame_over_the_cap(void)
{
    char *at_cap = padded_error_frame(PROTO_MAX_FRAME);
    char *over_cap = padded_error_frame(PROTO_MAX_FRAME + 1);
    wsserve_piece pieces[64];
    size_t n = 0;
    pieces[n++] = (wsserve_piece){welcome_frame, strlen(welcome_frame), true, true};
    n += wsserve_split(at_cap, PROTO_MAX_FRAME, 16384, pieces + n, 64 - n);
    n += wsserve_split(over_cap, PROTO_MAX_FRAME + 1, 16384, pieces + n, 64 - n);
    n += wsserve_split(error_frame, strlen(error_frame), 30, pieces + n, 64 - n);
    CHECK_INT(n, 1 + 4 + 5 + 3);
    const wsserve_script script = {"big", pieces, n, 0, NULL};
    wsserve *srv = wsserve_start(PROTO_SUBPROTOCOL, &script, 1);
    CHECK(srv != NULL);
    if (!srv) { free(at_cap); free(over_cap); return; }
    watch w;
    watched(wsserve_port(srv), "big", &w);
    CHECK(pump(&w, got_bad_frame_and_error, 5000));
    CHECK_INT(w.bad_frames, 1);
    CHECK(strstr(w.bad_frame, "exceeds 65536 bytes") != NULL);
    CHECK_INT(w.errors, 2);                         /* the one at the cap, the one after */
    CHECK_STR(w.error_code, "forbidden");
    CHECK_STR(w.error_message, "whisper: supervisors only");
    CHECK_INT(net_get_state(w.n), NET_READY);
    CHECK_INT(net_attempts(w.n), 1);
    net_free(w.n);
    wsserve_stop(srv);
    free(at_cap);
    free(over_cap);
}

/* A good hello: welcome, signed in (on_ready once, no error), then the round-trip time. */
static void test_welcome_signs_in(void)
{
    hubproc h;
    CHECK_INT(hubproc_setup(&h), 0);
    CHECK_INT(hubproc_start(&h, NULL), 0);
    watch w;
    watched(h.port, "tok-agent-1", &w);
    CHECK(pump(&w, is_ready, 5000));
    CHECK_INT(w.ready, 1);
    CHECK_INT(w.first_type, EV_WELCOME);
    CHECK_STR(net_last_error(w.n), "");
    CHECK_INT(net_attempts(w.n), 1);
    CHECK(pump(&w, rtt_known, 5000));
    net_free(w.n);
    hubproc_cleanup(&h);
}

/* A hub over its per-token cap answers the hello with an error instead of a welcome and
 * closes with the reason: the client is not signed in, shows the hub's reason (before: a
 * bare "connection closed"), and tries again later, as the slot may free. */
static void test_error_before_welcome_and_close_reason(void)
{
    hubproc h;
    CHECK_INT(hubproc_setup(&h), 0);
    static const char *const one_per_token[] = {"--max-connections-per-token", "1", NULL};
    CHECK_INT(hubproc_start(&h, one_per_token), 0);
    watch first, second;
    watched(h.port, "tok-agent-1", &first);
    CHECK(pump(&first, is_ready, 5000));
    watched(h.port, "tok-agent-1", &second);
    CHECK(pump(&second, is_waiting, 5000));
    CHECK_INT(second.ready, 0);
    CHECK_INT(second.errors, 1);
    CHECK(second.error_before_welcome);
    CHECK_STR(second.error_code, "too_many_connections");
    printf("  closed with: %s\n", net_last_error(second.n));
    CHECK(strstr(net_last_error(second.n), "too many connections for this token") != NULL);
    CHECK_INT(net_get_state(first.n), NET_READY);
    net_free(second.n);
    net_free(first.n);
    hubproc_cleanup(&h);
}

/* An unknown token: error unauthorized, refused for good (no further attempt). */
static void test_bad_token_refused(void)
{
    hubproc h;
    CHECK_INT(hubproc_setup(&h), 0);
    CHECK_INT(hubproc_start(&h, NULL), 0);
    watch w;
    watched(h.port, "tok-nobody", &w);
    CHECK(pump(&w, is_refused, 5000));
    CHECK_STR(w.error_code, "unauthorized");
    CHECK(w.error_before_welcome);
    CHECK_STR(net_last_error(w.n), "the hub refused the token");
    pump(&w, NULL, 1500);                           /* more than the first retry would wait */
    CHECK_INT(net_get_state(w.n), NET_REFUSED);
    CHECK_INT(net_attempts(w.n), 1);
    CHECK_INT(w.ready, 0);
    CHECK_INT(w.nwaits, 0);
    net_free(w.n);
    hubproc_cleanup(&h);
}

/* The wait before attempt k+1 after k failures lies in [b/2, b], b = 250 ms << k. */
static void check_wait(int64_t waited, unsigned failures)
{
    int64_t b = (int64_t)250 << failures;
    if (b > 8000) b = 8000;
    if (waited < b / 2 - 5 || waited > b)
        fprintf(stderr, "  wait after %u failures: %lld ms, expected %lld..%lld\n", failures,
                (long long)waited, (long long)(b / 2), (long long)b);
    CHECK(waited >= b / 2 - 5 && waited <= b);
}

/* The rule itself, up to the cap no test can afford to wait for: the lower end of the
 * jitter is b/2, the upper end b, and past 5 failures b stays 8 s. */
static void test_backoff_rule(void)
{
    for (unsigned f = 0; f <= 40; f++) {
        int64_t b = f >= 5 ? 8000 : (int64_t)250 << f;
        CHECK_INT(net_backoff_ms(f, 0), b / 2);
        CHECK_INT(net_backoff_ms(f, (uint32_t)(b / 2)), b);
        uint32_t r = 2463534242u;
        for (int i = 0; i < 200; i++) {
            r ^= r << 13; r ^= r >> 17; r ^= r << 5;   /* xorshift: many points of the range */
            int64_t d = net_backoff_ms(f, r);
            CHECK(d >= b / 2 && d <= b);
        }
    }
    CHECK_INT(net_backoff_ms(UINT32_MAX, UINT32_MAX) <= 8000, 1);
}

/* Against a port nothing listens on yet: waits of 125..250, 250..500, 500..1000 ms. Then
 * the hub starts, the client signs in, the hub is killed: the wait starts again at
 * 125..250 ms (the welcome reset the count), then 250..500. */
static void test_backoff_grows_and_resets(void)
{
    hubproc h;
    CHECK_INT(hubproc_setup(&h), 0);
    watch w;
    watched(h.port, "tok-agent-1", &w);
    waits_wanted = 3;
    CHECK(pump(&w, enough_waits, 5000));
    for (size_t k = 0; k < 3 && k < w.nwaits; k++) check_wait(w.waits[k], (unsigned)k);
    CHECK_INT(hubproc_start(&h, NULL), 0);
    CHECK(pump(&w, is_ready, 15000));
    size_t before = w.nwaits;
    CHECK(before >= 3);
    CHECK_INT(hubproc_stop(&h, SIGKILL), 128 + SIGKILL);
    waits_wanted = before + 2;
    CHECK(pump(&w, enough_waits, 5000));
    if (w.nwaits == before + 2) {
        check_wait(w.waits[before], 0);
        check_wait(w.waits[before + 1], 1);
    }
    CHECK(strlen(net_last_error(w.n)) > 0);
    net_free(w.n);
    hubproc_cleanup(&h);
}

static int errors_seen;
static void count_errors(void *ud, session_notice_level level, const char *text)
{
    (void)ud;
    if (level == NOTICE_ERROR) { errors_seen++; printf("  notice: %s\n", text); }
}

static void wake(app *a) { app_timer_arm(a, APP_TIMER_USER1, 50, wake); }

/* Run the console's loop until done(s) or `ms` pass. */
static bool run_until(app *a, session *s, bool (*done)(session *s), int ms)
{
    int64_t end = clock_mono_ms() + ms;
    wake(a);
    while (clock_mono_ms() < end) {
        if (done && done(s)) return true;
        lws_service(a->ctx, 0);
    }
    return done ? done(s) : true;
}

static bool ready(session *s) { return net_get_state(s->net) == NET_READY; }
static bool outbox_empty(session *s) { return outbox_count(&s->outbox) == 0; }

static int64_t count_rows(const hubproc *h, const char *sql)
{
    sqlite3 *db;
    int64_t n = -1;
    if (sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) n = dbquery_int(db, sql);
    sqlite3_close(db);
    return n;
}

/* A note for hub A as agent-1 waits in A's outbox. The console then signs in to hub B as
 * agent-2: nothing is sent there (before: one outbox per login, sent to B, refused, dropped),
 * and A's note is still on disk. Back on A as agent-1 it is sent, acked and stored once. */
static void test_outbox_stays_with_its_hub(void)
{
    hubproc ha, hb;
    CHECK_INT(hubproc_setup(&ha), 0);
    CHECK_INT(hubproc_setup(&hb), 0);
    CHECK_INT(hubproc_start(&ha, NULL), 0);
    CHECK_INT(hubproc_start(&hb, NULL), 0);
    wsc_ctx *x = wsc_ctx_new();
    wsc *in = wsc_connect(x, ha.port, "agentdesk.ingest.v1", 5000);
    CHECK(in != NULL);
    wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"t\"}");
    json_t *w = wsc_recv(in, 5000);
    CHECK_STR(wsc_type(w), "welcome");
    json_decref(w);
    wsc_send(in, "{\"type\":\"start\",\"id\":\"s-1\",\"iid\":\"KEY-A\",\"channel\":\"voice\","
                 "\"queue\":\"billing\",\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}");
    json_t *ack = wsc_recv_answer(in, "s-1", 5000);
    if (!ack || strcmp(wsc_type(ack), "ack") != 0) {
        char *d = ack ? json_dumps(ack, 0) : NULL;
        printf("  start answered: %s\n", d ? d : "nothing");
        free(d);
    }
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);

    char dir[] = "/tmp/test_console_net_XXXXXX", url_a[64], url_b[64], err[256] = "";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(url_a, sizeof url_a, "ws://127.0.0.1:%d", ha.port);
    snprintf(url_b, sizeof url_b, "ws://127.0.0.1:%d", hb.port);
    char *path_a = state_file(dir, "outbox", url_a, "tok-agent-1");
    char *path_b = state_file(dir, "outbox", url_b, "tok-agent-2");
    static app a;
    CHECK(app_init(&a, net_protocols(), false, err, sizeof err));
    static const session_listener l = {.on_notice = count_errors};

    session s;   /* written while not connected: on disk, not sent */
    CHECK(session_init(&s, &a, url_a, "tok-agent-1", path_a, 1000, err, sizeof err));
    CHECK(session_note(&s, "KEY-A", "for hub A only", err, sizeof err));
    session_stop(&s);
    session_free(&s);

    CHECK(session_init(&s, &a, url_b, "tok-agent-2", path_b, 1000, err, sizeof err));
    session_set_listener(&s, &l, NULL);
    CHECK_INT(outbox_count(&s.outbox), 0);
    session_start(&s);
    CHECK(run_until(&a, &s, ready, 5000));
    run_until(&a, &s, NULL, 700);
    CHECK_INT(errors_seen, 0);
    CHECK_INT(count_rows(&hb, "SELECT count(*) FROM notes"), 0);
    CHECK_INT(count_rows(&hb, "SELECT count(*) FROM actions"), 0);
    session_stop(&s);
    session_free(&s);
    CHECK(access(path_a, F_OK) == 0);

    CHECK(session_init(&s, &a, url_a, "tok-agent-1", path_a, 1000, err, sizeof err));
    session_set_listener(&s, &l, NULL);
    CHECK_INT(outbox_count(&s.outbox), 1);
    session_start(&s);
    CHECK(run_until(&a, &s, outbox_empty, 10000));
    CHECK_INT(errors_seen, 0);
    CHECK_INT(count_rows(&ha, "SELECT count(*) FROM notes WHERE iid='KEY-A' AND text='for hub A only'"), 1);
    CHECK(access(path_a, F_OK) != 0);
    session_stop(&s);
    session_free(&s);
    app_shutdown();
    wsc_ctx_free(x);
    hubproc_cleanup(&ha);
    hubproc_cleanup(&hb);
    free(path_a); free(path_b);
    rmdir(dir);
}

int main(void)
{
    lws_set_log_level(0, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    ctx = lws_create_context(&info);
    if (!ctx) { printf("test_console_net: 0 passed, 1 failed\n"); return 1; }
    RUN(test_urls);
    RUN(test_state_names);
    RUN(test_token_limits);
    lws_context_destroy(ctx);

    info.protocols = net_protocols();
    client_ctx = lws_create_context(&info);
    if (!client_ctx) { printf("test_console_net: 0 passed, 1 failed\n"); return 1; }
    RUN(test_backoff_rule);
    RUN(test_fragments_reassembled);
    RUN(test_frame_over_the_cap);
    RUN(test_welcome_signs_in);
    RUN(test_error_before_welcome_and_close_reason);
    RUN(test_bad_token_refused);
    RUN(test_backoff_grows_and_resets);
    lws_context_destroy(client_ctx);

    RUN(test_outbox_stays_with_its_hub);
    return check_done("test_console_net");
}
