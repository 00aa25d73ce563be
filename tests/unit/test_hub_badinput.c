/* test_hub_badinput.c — bad input against the real hub: every case gets a clear error (or a
 * close with a reason) and the hub keeps serving everyone else. Malformed JSON, wrong
 * types, unknown types, invalid UTF-8, binary frames, 64 KiB+ frames (whole and in
 * fragments), a flood of frames, a client that never reads, a half-open connection. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static hubproc H;
static wsc_ctx *X;

static const char *str(json_t *j, const char *k)
{
    return json_string_value(json_object_get(j, k));
}

static wsc *hello(const char *token)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    if (!c)
        return NULL;
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"test\"}", token);
    json_decref(wsc_recv_type(c, "welcome", 5000));
    return c;
}

static json_t *next_error(wsc *c)
{
    return wsc_recv_type(c, "error", 5000);
}

static bool still_serving(void)
{
    wsc *c = hello("tok-agent-3");
    if (!c)
        return false;
    wsc_send(c, "{\"type\":\"ping\",\"id\":\"alive\"}");
    json_t *p = wsc_recv_type(c, "pong", 5000);
    bool ok = p && strcmp(str(p, "id"), "alive") == 0;
    json_decref(p);
    wsc_close(c);
    return ok;
}

static void test_malformed_and_wrong(void)
{
    wsc *c = hello("tok-agent-1");
    CHECK(c != NULL);
    static const struct { const char *frame, *code; } cases[] = {
        {"{not json", "bad_json"},
        {"[1,2,3]", NULL},
        {"\"just a string\"", NULL},
        {"{\"no\":\"type\"}", NULL},
        {"{\"type\":\"dance\",\"id\":\"d\"}", "unknown_type"},
        {"{\"type\":\"ping\",\"id\":5}", "bad_field"},
        {"{\"type\":\"reply\",\"id\":\"r\",\"iid\":\"x\"}", "bad_field"},
        {"{\"type\":\"reply\",\"id\":\"r\",\"iid\":[],\"text\":\"t\"}", "bad_field"},
        {"{\"type\":\"wrapup\",\"id\":\"w\",\"iid\":\"x\",\"code\":\"c\",\"summary\":\"s\",\"follow_up\":\"yes\"}", "bad_field"},
        {"{\"type\":\"welcome\",\"user\":\"me\"}", NULL},
        {"", NULL},
        {"{\"type\":\"ping\",\"id\":\"a\"", "bad_json"},
        {"{\"type\":\"ping\",\"id\":\"dup\",\"t\":1,\"t\":2}", "bad_json"},
        {"{\"type\":\"hello\",\"id\":\"h-again\",\"token\":\"tok-agent-1\",\"client\":\"t\"}", "bad_field"},
        {"{\"type\":\"subscribe\",\"id\":\"sub-1\",\"iid\":\"not-mine\"}", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        wsc_send(c, cases[i].frame);
        json_t *e = next_error(c);
        CHECK(e != NULL);
        if (cases[i].code)
            CHECK_STR(str(e, "code"), cases[i].code);
        /* a refused frame that had an id is answered with it as ref */
        json_t *sent = json_loads(cases[i].frame, 0, NULL);
        const char *id = str(sent, "id");
        if (id)
            CHECK_STR(str(e, "ref"), id);
        else
            CHECK(str(e, "ref") == NULL);
        json_decref(sent);
        CHECK(str(e, "message") && strlen(str(e, "message")) > 0);
        json_decref(e);
    }
    /* the connection is still usable after all of that */
    wsc_send(c, "{\"type\":\"ping\",\"id\":\"after\"}");
    json_t *p = wsc_recv_type(c, "pong", 5000);
    CHECK(p != NULL);
    json_decref(p);
    CHECK(!wsc_is_closed(c));
    wsc_close(c);
}

/* Connect raw, say hello, and read until the greeting is complete (welcome, and for a
 * console also its snapshot), so later reads see only answers to what the test sends. */
static int raw_hello_buf(const char *proto, const char *token, int rcvbuf)
{
    int fd = wsc_raw_connect(H.port, proto, rcvbuf);
    if (fd < 0)
        return -1;
    char msg[200];
    int n = snprintf(msg, sizeof msg, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"raw\"}", token);
    wsc_raw_frame(fd, 1, true, msg, (size_t)n);
    const char *until = strcmp(proto, "agentdesk.v1") == 0 ? "\"last\":true" : "\"welcome\"";
    char buf[8192];
    size_t len = 0;
    int64_t end = wsc_now_ms() + 3000;
    while (wsc_now_ms() < end && len < sizeof buf - 1) {
        long r = wsc_raw_read(fd, buf + len, sizeof buf - 1 - len, 100);
        if (r < 0)
            break;
        len += (size_t)r;
        if (memmem(buf, len, until, strlen(until)))
            break;
    }
    return fd;
}

static int raw_hello(const char *proto, const char *token)
{
    return raw_hello_buf(proto, token, 0);
}

/* Read frames from a raw socket until EOF; true if `needle` appeared in the bytes. */
static bool raw_saw_before_eof(int fd, const char *needle, int timeout_ms)
{
    static char acc[1 << 20];
    size_t len = 0;
    int64_t end = wsc_now_ms() + timeout_ms;
    while (wsc_now_ms() < end) {
        long r = wsc_raw_read(fd, acc + len, sizeof acc - len - 1, 200);
        if (r < 0)
            break;
        len += (size_t)r;
        if (len >= sizeof acc - 1)
            len = 0;
    }
    acc[len] = 0;
    return memmem(acc, len, needle, strlen(needle)) != NULL;
}

/* Read frames until `needle` appears (true) or timeout_ms pass: other frames the hub sends an
 * agent after its snapshot (its status, say) may come first, in the same read or not. */
static bool raw_wait_for(int fd, const char *needle, int timeout_ms)
{
    char acc[16384];
    size_t len = 0;
    int64_t end = wsc_now_ms() + timeout_ms;
    while (wsc_now_ms() < end && len < sizeof acc - 1) {
        long r = wsc_raw_read(fd, acc + len, sizeof acc - len - 1, 100);
        if (r < 0)
            break;
        len += (size_t)r;
        if (memmem(acc, len, needle, strlen(needle)))
            return true;
    }
    return false;
}

static void test_invalid_utf8(void)
{
    int fd = raw_hello("agentdesk.v1", "tok-agent-1");
    CHECK(fd >= 0);
    const char bad[] = "{\"type\":\"ping\",\"id\":\"\xff\xfe\xc0\xaf\"}";
    wsc_raw_frame(fd, 1, true, bad, sizeof bad - 1);
    CHECK(raw_wait_for(fd, "\"error\"", 3000));
    /* still open: a good ping gets its pong */
    const char good[] = "{\"type\":\"ping\",\"id\":\"ok\"}";
    wsc_raw_frame(fd, 1, true, good, sizeof good - 1);
    CHECK(raw_wait_for(fd, "pong", 3000));
    close(fd);
}

static void test_oversize_frame(void)
{
    size_t big = 70000;
    char *payload = malloc(big);
    memset(payload, 'a', big);
    memcpy(payload, "{\"type\":\"ping\",\"id\":\"", 21);
    int fd = raw_hello("agentdesk.v1", "tok-agent-1");
    wsc_raw_frame(fd, 1, true, payload, big);
    CHECK(raw_saw_before_eof(fd, "too_big", 5000));
    close(fd);
    /* the same in fragments of 30000 */
    fd = raw_hello("agentdesk.ingest.v1", "tok-ingest");
    wsc_raw_frame(fd, 1, false, payload, 30000);
    wsc_raw_frame(fd, 0, false, payload + 30000, 30000);
    wsc_raw_frame(fd, 0, true, payload + 60000, 10000);
    CHECK(raw_saw_before_eof(fd, "too_big", 5000));
    close(fd);
    free(payload);
    CHECK(hubproc_metric(&H, "agentdesk_frames_rejected_total{reason=\"too_big\"}") >= 2);
    CHECK(still_serving());
}

static void test_binary_frame(void)
{
    int fd = raw_hello("agentdesk.v1", "tok-agent-1");
    wsc_raw_frame(fd, 2, true, "\x01\x02\x03", 3);
    CHECK(raw_saw_before_eof(fd, "error", 5000));
    close(fd);
}

static void test_flood(void)
{
    /* 1000 pings in one write: far over --flood 100 within one second */
    int fd = raw_hello("agentdesk.v1", "tok-agent-2");
    CHECK(fd >= 0);
    unsigned char *burst = malloc(1000 * 64);
    size_t len = 0;
    for (int i = 0; i < 1000; i++) {
        char msg[40];
        int n = snprintf(msg, sizeof msg, "{\"type\":\"ping\",\"id\":\"f%d\"}", i);
        len += wsc_raw_encode(burst + len, 1, true, msg, (size_t)n);
    }
    CHECK(wsc_raw_write(fd, burst, len) == 0);
    free(burst);
    CHECK(raw_saw_before_eof(fd, "\"flood\"", 10000));
    close(fd);
    CHECK(hubproc_metric(&H, "agentdesk_frames_rejected_total{reason=\"flood\"}") >= 1);
    CHECK(still_serving());
}

static const char *type(json_t *j)
{
    const char *t = str(j, "type");
    return t ? t : "";
}

static void test_never_reads(void)
{
    /* a supervisor that never reads (small window), while an ingest connection pushes
     * ~2.5 MB and another console reads along */
    int slow = raw_hello_buf("agentdesk.v1", "tok-supervisor", 4096);
    CHECK(slow >= 0);
    wsc *fast = hello("tok-agent-1");
    json_decref(wsc_recv_type(fast, "snapshot", 5000));
    wsc *in = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(in, "welcome", 5000));
    wsc_send(in, "{\"type\":\"start\",\"id\":\"nr-s\",\"iid\":\"nr-1\",\"channel\":\"voice\",\"queue\":\"q\",\"agent\":\"agent-1\",\"customer_id\":\"C-1\"}");
    char *text = malloc(4001);
    for (int i = 0; i < 4000; i++)
        text[i] = "abcdefgh "[i % 9];
    text[4000] = 0;
    int n = 600, got = 0;
    for (int i = 0; i < n; i++) {
        wsc_sendf(in, "{\"type\":\"utterance\",\"iid\":\"nr-1\",\"uid\":\"u%d\",\"speaker\":\"customer\",\"text\":\"%s\",\"final\":true,\"offset_ms\":%d}",
                  i, text, i * 10);
        if (i % 50 == 0) {
            wsc_service(X, 5);
            json_t *j;
            while ((j = wsc_recv(fast, 1))) {
                got += strcmp(type(j), "utterance") == 0;
                json_decref(j);
            }
        }
    }
    free(text);
    int64_t end = wsc_now_ms() + 30000;
    while (got < n && wsc_now_ms() < end) {
        json_t *j = wsc_recv(fast, 500);
        got += j && strcmp(type(j), "utterance") == 0;
        json_decref(j);
    }
    /* the reader kept up while the other stalled; the staller was dropped */
    CHECK_INT(got, n);
    CHECK(hubproc_metric(&H, "agentdesk_frames_rejected_total{reason=\"slow_consumer\"}") >= 1);
    CHECK(wsc_raw_wait_eof(slow, 10000));
    close(slow);
    /* it comes back with resume_after 0 and gets every utterance, paged under the bound */
    wsc *back = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_send(back, "{\"type\":\"hello\",\"token\":\"tok-supervisor\",\"client\":\"t\",\"resume_after\":0}");
    int again = 0;
    int64_t last = 0;
    bool ordered = true;
    end = wsc_now_ms() + 30000;
    while (again < n && wsc_now_ms() < end) {
        json_t *j = wsc_recv(back, 1000);
        if (j && json_object_get(j, "ts")) {
            int64_t s = json_integer_value(json_object_get(j, "seq"));
            ordered = ordered && s > last;
            last = s;
        }
        if (j && strcmp(type(j), "utterance") == 0 && strcmp(str(j, "iid"), "nr-1") == 0)
            again++;
        json_decref(j);
    }
    CHECK_INT(again, n);
    CHECK(ordered);
    CHECK(!wsc_is_closed(back));
    wsc_send(in, "{\"type\":\"end\",\"id\":\"nr-e\",\"iid\":\"nr-1\"}");
    json_decref(wsc_recv_type(in, "ack", 5000));
    wsc_close(in);
    wsc_close(fast);
    wsc_close(back);
    CHECK(still_serving());
}

static void test_half_open(void)
{
    /* handshake and hello, then silence: no reads, no pongs. --idle-timeout 4 drops it.
     * A connection that never says hello is dropped as well (hello deadline or ping timeout). */
    int fd = raw_hello("agentdesk.v1", "tok-agent-2");
    int mute = wsc_raw_connect(H.port, "agentdesk.ingest.v1", 0);
    CHECK(fd >= 0);
    CHECK(mute >= 0);
    int64_t t0 = wsc_now_ms();
    CHECK(wsc_raw_wait_eof(fd, 15000));
    CHECK(wsc_now_ms() - t0 < 14000);
    close(fd);
    CHECK(wsc_raw_wait_eof(mute, 20000));
    close(mute);
    CHECK(still_serving());
}

/* SIGTERM: a clean exit, status 0 (under ASan also no leak) */
/* A connector that keeps sending and never reads (its pong would be queued behind frames
 * the hub has not read yet, as when the hub is the slow side) is alive: the idle timeout
 * (--idle-timeout 4) must not hang it up and lose what it sends (seen under load: 78 of 600
 * utterances of test_never_reads gone). */
static void test_busy_connector_not_hung_up(void)
{
    int fd = raw_hello("agentdesk.ingest.v1", "tok-ingest");
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    const char start[] = "{\"type\":\"start\",\"iid\":\"busy-1\",\"channel\":\"chat\",\"queue\":\"q\","
                         "\"agent\":\"agent-1\",\"customer_id\":\"C-1\"}";
    wsc_raw_frame(fd, 1, true, start, sizeof start - 1);
    int sent = 0;
    int64_t end = wsc_now_ms() + 6500;   /* well past the 4 s without a pong */
    while (wsc_now_ms() < end) {
        char msg[200];
        int n = snprintf(msg, sizeof msg, "{\"type\":\"utterance\",\"iid\":\"busy-1\",\"uid\":\"b%d\","
                         "\"speaker\":\"customer\",\"text\":\"still typing %d\",\"final\":true,"
                         "\"offset_ms\":%d}", sent, sent, sent * 100);
        if (wsc_raw_frame(fd, 1, true, msg, (size_t)n) != 0)
            break;
        sent++;
        usleep(100 * 1000);
    }
    const char last[] = "{\"type\":\"utterance\",\"id\":\"busy-last\",\"iid\":\"busy-1\",\"uid\":\"blast\","
                        "\"speaker\":\"customer\",\"text\":\"done\",\"final\":true,\"offset_ms\":9000}";
    CHECK(wsc_raw_frame(fd, 1, true, last, sizeof last - 1) == 0);
    CHECK(raw_saw_before_eof(fd, "busy-last", 5000));   /* its ack: still connected */
    close(fd);
    CHECK(sent > 50);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE iid = 'busy-1' AND frame LIKE '%%\"type\":\"utterance\"%%'");
    sqlite3 *db = NULL;
    CHECK(sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK_INT(dbquery_int(db, sql), sent + 1);
    sqlite3_close(db);
}

static void test_clean_exit(void)
{
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
}

static void test_still_serving(void)
{
    CHECK(still_serving());
}

int main(void)
{
    const char *args[] = {"--idle-timeout", "4", "--flood", "100", "--outbox-kib", "128", "--outbox-frames", "500", NULL};
    if (hubproc_setup(&H) != 0 || hubproc_start(&H, args) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    X = wsc_ctx_new();
    RUN(test_malformed_and_wrong);
    RUN(test_invalid_utf8);
    RUN(test_oversize_frame);
    RUN(test_binary_frame);
    RUN(test_flood);
    RUN(test_never_reads);
    RUN(test_busy_connector_not_hung_up);
    RUN(test_half_open);
    RUN(test_still_serving);
    wsc_ctx_free(X);
    RUN(test_clean_exit);
    hubproc_cleanup(&H);
    return check_done("test_hub_badinput");
}
