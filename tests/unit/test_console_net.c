/* test_console_net.c — the net client's URL and token handling and its state before
 * connecting; and, against two real hubs, the console's session keeping a queued action for
 * the hub and agent it was written for. */
#include "tests/unit/check.h"
#include "agentdesk/net.h"
#include "agentdesk/session.h"
#include "agentdesk/state.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"
#include "base/clock.h"

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
    RUN(test_outbox_stays_with_its_hub);
    return check_done("test_console_net");
}
