/* test_hub_batch.c — the hub writes the frames waiting for a connection framed into one
 * buffer and sent at once (hub/net/conn.c): the websocket header of every payload length
 * class is what RFC 6455 5.2 says, and a the agent's console following a burst of 300 utterances
 * (its lines and their enrichment, many frames a turn, framed together) gets every one of them as its own message, in
 * order, from a real hub over a real websocket, read by libwebsockets' own client. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"
#include "hub/net/conn.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static hubproc H;

/* The payload length a server frame's header says (RFC 6455 5.2), and the header's size. */
static uint64_t header_says(const unsigned char *h, size_t *hlen)
{
    uint64_t n = h[1] & 0x7f;
    *hlen = 2;
    if (n == 126) {
        n = (uint64_t)h[2] << 8 | h[3];
        *hlen = 4;
    } else if (n == 127) {
        n = 0;
        for (int i = 0; i < 8; i++)
            n = n << 8 | h[2 + i];
        *hlen = 10;
    }
    return n;
}

static void test_header_every_length_class(void)
{
    static const size_t lens[] = {0, 1, 125, 126, 127, 65535, 65536, 1u << 20};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        unsigned char h[NET_WS_HEADER_MAX];
        size_t n = net_ws_text_header(h, lens[i]), said;
        CHECK_INT(h[0], 0x81);             /* FIN, text */
        CHECK_INT(h[1] & 0x80, 0);         /* a server's frames are not masked */
        CHECK_INT(header_says(h, &said), lens[i]);
        CHECK_INT(n, said);
        CHECK_INT(n, lens[i] < 126 ? 2 : lens[i] < 65536 ? 4 : 10);
    }
}

static void test_burst_reaches_the_console_frame_by_frame(void)
{
    wsc_ctx *x = wsc_ctx_new();
    wsc *sup = wsc_connect(x, H.port, "agentdesk.v1", 5000);
    CHECK(sup != NULL);
    if (!sup) {
        wsc_ctx_free(x);
        return;
    }
    wsc_send(sup, "{\"type\":\"hello\",\"token\":\"tok-supervisor\",\"client\":\"test\"}");
    json_t *w = wsc_recv_type(sup, "welcome", 5000);
    CHECK(w != NULL);
    json_decref(w);
    wsc *ing = wsc_connect(x, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(ing != NULL);
    if (!ing) {
        wsc_ctx_free(x);
        return;
    }
    wsc_send(ing, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_decref(wsc_recv_type(ing, "welcome", 5000));
    wsc_send(ing, "{\"type\":\"start\",\"id\":\"bt-s\",\"iid\":\"bt-1\",\"channel\":\"chat\",\"queue\":\"billing\","
                  "\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}");
    enum { N = 300 };
    for (int i = 0; i < N; i++)
        wsc_sendf(ing, "{\"type\":\"utterance\",\"id\":\"bt-%d\",\"iid\":\"bt-1\",\"uid\":\"u%d\",\"speaker\":\"customer\","
                       "\"text\":\"batch line %d\",\"final\":true,\"offset_ms\":%d}", i, i, i, i * 10);
    int next = 0, bad = 0;
    int64_t end = wsc_now_ms() + 30000;
    while (next < N && wsc_now_ms() < end) {
        json_t *m = wsc_recv(sup, 500);
        if (!m)
            continue;
        if (!strcmp(wsc_type(m), "utterance")) {
            const char *text = json_string_value(json_object_get(m, "text"));
            char want[32];
            snprintf(want, sizeof want, "batch line %d", next);
            if (text && !strcmp(text, want))
                next++;
            else if (text && !strncmp(text, "batch line ", 11))
                bad++;   /* out of order, or one lost */
        }
        json_decref(m);
    }
    CHECK_INT(next, N);
    CHECK_INT(bad, 0);
    wsc_send(ing, "{\"type\":\"end\",\"id\":\"bt-e\",\"iid\":\"bt-1\",\"reason\":\"test\"}");
    wsc_ctx_free(x);
}

int main(void)
{
    RUN(test_header_every_length_class);
    if (hubproc_setup(&H) != 0 || hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    RUN(test_burst_reaches_the_console_frame_by_frame);
    hubproc_cleanup(&H);
    return check_done("test_hub_batch");
}
