/* test_hub_connector_outbox.c — a connector's outbox holds only the acks of its own frames:
 * a burst of 300 utterances written at once (so the hub reads many in one turn and acks them
 * in one commit) is acked in full by a hub whose --outbox-frames is 10, instead of the
 * connector being closed as a slow consumer (what a loaded CI machine saw: 520 of 600 stored).
 * The byte bound still holds for connectors. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static hubproc H;

static size_t count(const char *hay, size_t len, const char *needle)
{
    size_t n = 0, k = strlen(needle);
    for (size_t i = 0; i + k <= len; i++)
        n += memcmp(hay + i, needle, k) == 0;
    return n;
}

static void test_burst_is_acked_in_full(void)
{
    int fd = wsc_raw_connect(H.port, "agentdesk.ingest.v1", 0);
    CHECK(fd >= 0);
    if (fd < 0) return;
    const char *hello = "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"t\"}";
    CHECK(wsc_raw_frame(fd, 1, true, hello, strlen(hello)) == 0);
    char *in = malloc(1 << 20);
    size_t got = 0;
    for (int i = 0; i < 50 && !count(in, got, "\"welcome\""); i++) {
        long r = wsc_raw_read(fd, in + got, (1 << 20) - got, 100);
        if (r > 0) got += (size_t)r;
    }
    CHECK(count(in, got, "\"welcome\"") == 1);
    /* the start and 300 utterances, encoded into one buffer and written at once */
    enum { N = 300 };
    size_t cap = (N + 1) * 400, len = 0;
    unsigned char *burst = malloc(cap);
    char frame[300];
    int n = snprintf(frame, sizeof frame, "{\"type\":\"start\",\"id\":\"b-s\",\"iid\":\"b-1\",\"channel\":\"chat\","
                     "\"queue\":\"billing\",\"agent\":\"agent-1\",\"customer_id\":\"C-1\"}");
    len += wsc_raw_encode(burst + len, 1, true, frame, (size_t)n);
    for (int i = 0; i < N; i++) {
        n = snprintf(frame, sizeof frame, "{\"type\":\"utterance\",\"id\":\"b-%d\",\"iid\":\"b-1\",\"uid\":\"u%d\","
                     "\"speaker\":\"customer\",\"text\":\"line %d\",\"final\":true,\"offset_ms\":%d}", i, i, i, i * 10);
        len += wsc_raw_encode(burst + len, 1, true, frame, (size_t)n);
    }
    CHECK(wsc_raw_write(fd, burst, len) == 0);
    got = 0;
    int64_t end = wsc_now_ms() + 20000;
    while (count(in, got, "\"ack\"") < N + 1 && wsc_now_ms() < end) {
        long r = wsc_raw_read(fd, in + got, (1 << 20) - got, 200);
        if (r < 0) break;   /* closed */
        if (r > 0) got += (size_t)r;
    }
    CHECK_INT(count(in, got, "\"ack\""), N + 1);
    CHECK(count(in, got, "slow_consumer") == 0);
    CHECK(hubproc_metric(&H, "agentdesk_frames_rejected_total{reason=\"slow_consumer\"}") <= 0);
    free(burst);
    free(in);
    close(fd);
}

int main(void)
{
    const char *args[] = {"--outbox-frames", "10", NULL};
    if (hubproc_setup(&H) != 0 || hubproc_start(&H, args) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    RUN(test_burst_is_acked_in_full);
    hubproc_cleanup(&H);
    return check_done("test_hub_connector_outbox");
}
