/* test_console_net.c — the net client's URL handling and its state before connecting; the
 * connection itself is covered end to end (tests/e2e/test_console_*.sh). */
#include "tests/unit/check.h"
#include "agentdesk/net.h"

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
    return check_done("test_console_net");
}
