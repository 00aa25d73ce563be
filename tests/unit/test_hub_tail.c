/* test_hub_tail.c — tail-only joins on the real hub (docs/PROTOCOL.md, "Tail-only
 * snapshots"): a console that says keep_lines K gets at most K transcript lines of a
 * 20,000-line interaction plus its enrichment state (the latest of each kind), with their
 * original seqs in one increasing order; a resume from further back than that, or past the
 * end of the log, gets a tail-only snapshot marked fresh; a resume within the tail, or one
 * from a console that did not say keep_lines, gets the replay it asked for. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

enum { LINES = 20000, KEEP = 1000, WINDOW = 500 };

static hubproc H;
static wsc_ctx *X;
static wsc *ingest;

/* Final lines `from`..`from + n - 1` of long-1, each WINDOW-th one acked before going on. */
static bool feed(int from, int n)
{
    for (int i = from; i < from + n; i++) {
        bool acked = (i - from) % WINDOW == WINDOW - 1 || i == from + n - 1;
        char id[32] = "";
        if (acked)
            snprintf(id, sizeof id, "\"id\":\"w%d\",", i);
        wsc_sendf(ingest,
                  "{\"type\":\"utterance\",%s\"iid\":\"long-1\",\"uid\":\"u%d\",\"speaker\":\"%s\","
                  "\"text\":\"line %d of the long chat\",\"final\":true,\"offset_ms\":%d}",
                  id, i, i % 2 ? "agent" : "customer", i, i * 10);
        if (!acked)
            continue;
        snprintf(id, sizeof id, "w%d", i);
        json_t *a = wsc_recv_answer(ingest, id, 20000);
        bool ok = a && strcmp(wsc_type(a), "ack") == 0;
        json_decref(a);
        if (!ok)
            return false;
    }
    return true;
}

static void test_setup_long_chat(void)
{
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(ingest != NULL);
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_decref(wsc_recv(ingest, 5000));
    wsc_send(ingest, "{\"type\":\"start\",\"id\":\"s1\",\"iid\":\"long-1\",\"channel\":\"chat\",\"queue\":\"billing\","
                     "\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}");
    json_t *a = wsc_recv_answer(ingest, "s1", 5000);
    CHECK_STR(wsc_type(a), "ack");
    json_decref(a);
    CHECK(feed(0, LINES));
    /* the latest line is still being typed: a partial, compacted */
    wsc_send(ingest, "{\"type\":\"utterance\",\"iid\":\"long-1\",\"uid\":\"open\",\"speaker\":\"customer\",\"text\":\"still\",\"final\":false,\"offset_ms\":300000}");
    wsc_send(ingest, "{\"type\":\"utterance\",\"id\":\"p2\",\"iid\":\"long-1\",\"uid\":\"open\",\"speaker\":\"customer\",\"text\":\"still typing\",\"final\":false,\"offset_ms\":300000}");
    json_decref(wsc_recv_answer(ingest, "p2", 5000));
}

typedef struct {
    int lines, started, customer, sentiment, checklist, summary, other, frames;
    size_t bytes;
    bool ordered;
    char last_text[128];
    int64_t last_seq;
} received;

/* Everything the console gets until the hub has been quiet for 1.5 s. */
static void drain(wsc *c, received *r)
{
    memset(r, 0, sizeof *r);
    r->ordered = true;
    json_t *j;
    while ((j = wsc_recv(c, 1500))) {
        const char *type = wsc_type(j);
        if (strcmp(type, "agent.status") == 0) { /* not durable: no seq, no part of the tail */
            json_decref(j);
            continue;
        }
        char *text = json_dumps(j, JSON_COMPACT);
        r->bytes += text ? strlen(text) : 0;
        free(text);
        int64_t seq = json_integer_value(json_object_get(j, "seq"));
        if (seq <= r->last_seq)
            r->ordered = false;
        r->last_seq = seq;
        r->frames++;
        if (strcmp(type, "utterance") == 0) {
            r->lines++;
            snprintf(r->last_text, sizeof r->last_text, "%s", json_string_value(json_object_get(j, "text")));
        } else if (strcmp(type, "interaction.started") == 0)
            r->started++;
        else if (strcmp(type, "customer") == 0)
            r->customer++;
        else if (strcmp(type, "sentiment") == 0)
            r->sentiment++;
        else if (strcmp(type, "checklist") == 0)
            r->checklist++;
        else if (strcmp(type, "summary") == 0)
            r->summary++;
        else
            r->other++;
        json_decref(j);
    }
}

static wsc *hello(const char *extra, json_t **first)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    if (!c)
        return NULL;
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"test\"%s}", extra);
    json_t *w = wsc_recv(c, 5000);
    CHECK_STR(wsc_type(w), "welcome");
    json_decref(w);
    *first = wsc_recv(c, 5000);
    return c;
}

static int64_t snapshot_seq;

static void test_join_sends_the_tail_and_the_state(void)
{
    json_t *s;
    wsc *c = hello(",\"keep_lines\":1000", &s);
    CHECK_STR(wsc_type(s), "snapshot");
    CHECK(!json_is_true(json_object_get(s, "fresh")));
    CHECK_INT(json_array_size(json_object_get(s, "interactions")), 1);
    snapshot_seq = json_integer_value(json_object_get(s, "seq"));
    json_decref(s);
    received r;
    drain(c, &r);
    CHECK_INT(r.lines, KEEP);
    CHECK_STR(r.last_text, "still typing");
    CHECK_INT(r.started, 1);
    CHECK_INT(r.customer, 1);  /* sent at the start, 40,000 events before the tail */
    CHECK_INT(r.sentiment, 1); /* the latest, not one per line */
    CHECK(r.checklist <= 1);
    CHECK(r.summary <= 1);
    CHECK(r.ordered);
    CHECK(r.frames <= KEEP + 40);
    CHECK(r.last_seq <= snapshot_seq);
    wsc_close(c);
}

static void test_resume_far_back_gets_a_fresh_tail(void)
{
    json_t *s;
    wsc *c = hello(",\"keep_lines\":1000,\"resume_after\":5", &s);
    CHECK_STR(wsc_type(s), "snapshot");
    CHECK(json_is_true(json_object_get(s, "fresh")));
    json_decref(s);
    received r;
    drain(c, &r);
    CHECK_INT(r.lines, KEEP);
    CHECK_INT(r.sentiment, 1);
    CHECK_STR(r.last_text, "still typing");
    wsc_close(c);
}

static void test_resume_past_the_log_gets_a_fresh_tail(void)
{
    json_t *s;
    wsc *c = hello(",\"keep_lines\":1000,\"resume_after\":900000000", &s);
    CHECK_STR(wsc_type(s), "snapshot");
    CHECK(json_is_true(json_object_get(s, "fresh")));
    json_decref(s);
    received r;
    drain(c, &r);
    CHECK_INT(r.lines, KEEP);
    wsc_close(c);
}

static void test_resume_within_the_tail_replays(void)
{
    CHECK(feed(LINES, 5));
    json_t *first;
    char extra[96];
    snprintf(extra, sizeof extra, ",\"keep_lines\":1000,\"resume_after\":%lld", (long long)snapshot_seq);
    wsc *c = hello(extra, &first);
    CHECK(first != NULL);
    CHECK(strcmp(wsc_type(first), "snapshot") != 0);
    CHECK(json_integer_value(json_object_get(first, "seq")) > snapshot_seq);
    json_decref(first);
    received r;
    drain(c, &r);
    CHECK_INT(r.lines + 0, 4); /* the first of the 5 was `first` */
    CHECK(r.ordered);
    wsc_close(c);
}

static void test_resume_without_keep_lines_replays_everything(void)
{
    json_t *first;
    wsc *c = hello(",\"resume_after\":5", &first);
    CHECK(first != NULL);
    CHECK(strcmp(wsc_type(first), "snapshot") != 0);
    json_decref(first);
    received r;
    drain(c, &r);
    CHECK(r.lines >= LINES);
    wsc_close(c);
}

static void test_clean_exit(void)
{
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
}

int main(void)
{
    char customers[700];
    const char *root = getenv("AGENTDESK_ROOT");
    snprintf(customers, sizeof customers, "%s/data/customers.json", root && *root ? root : ".");
    const char *args[] = {"import", "--db", H.db, "customers", customers, NULL};
    if (hubproc_setup(&H) != 0 || hubproc_run_tool(&H, args, NULL) != 0 || hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    X = wsc_ctx_new();
    RUN(test_setup_long_chat);
    RUN(test_join_sends_the_tail_and_the_state);
    RUN(test_resume_far_back_gets_a_fresh_tail);
    RUN(test_resume_past_the_log_gets_a_fresh_tail);
    RUN(test_resume_within_the_tail_replays);
    RUN(test_resume_without_keep_lines_replays_everything);
    wsc_ctx_free(X);
    RUN(test_clean_exit);
    hubproc_cleanup(&H);
    return check_done("test_hub_tail");
}
