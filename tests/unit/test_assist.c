/* test_assist.c — the assist stage end to end on a real temp SQLite db seeded from data/:
 * start -> utterances -> feedback -> ticks -> summary -> end; every emitted body must pass
 * proto_encode validation, ids must be unique, no card number may leave the stage. */
#include "tests/lib/dbquery.h"
#include "tests/unit/check.h"
#include "hub/assist/assist.h"
#include "hub/store/import.h"
#include "hub/store/store.h"
#include "proto/codec.h"

#include <stdlib.h>
#include <unistd.h>

#define MAX_EVENTS 512

typedef struct {
    proto_type type[MAX_EVENTS];
    json_t *body[MAX_EVENTS];
    int n;
    int invalid;
} sink;

static void collect(void *ctx, proto_type type, json_t *body)
{
    sink *s = ctx;
    proto_event ev = proto_new(type);
    json_object_update(ev.body, body);
    proto_set_int(&ev, "seq", s->n + 1);
    proto_set_int(&ev, "ts", 1793612000000);
    proto_error err;
    char *frame = proto_encode(&ev, NULL, &err);
    if (!frame) {
        fprintf(stderr, "  invalid %s: %s\n", proto_spec(type)->name, err.message);
        s->invalid++;
    }
    free(frame);
    proto_free(&ev);
    if (s->n < MAX_EVENTS) {
        s->type[s->n] = type;
        s->body[s->n++] = body;
    } else {
        json_decref(body);
    }
}

static void sink_free(sink *s)
{
    for (int i = 0; i < s->n; i++)
        json_decref(s->body[i]);
    s->n = 0;
}

static int count(const sink *s, proto_type t, int from)
{
    int n = 0;
    for (int i = from; i < s->n; i++)
        n += s->type[i] == t;
    return n;
}

static json_t *last(const sink *s, proto_type t)
{
    for (int i = s->n - 1; i >= 0; i--)
        if (s->type[i] == t)
            return s->body[i];
    return NULL;
}

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

typedef struct {
    char dir[64], path[128];
    store *st;
    assist *a;
} fixture;

static bool setup(fixture *f)
{
    char err[512];
    strcpy(f->dir, "/tmp/test_assist.XXXXXX");
    if (!mkdtemp(f->dir))
        return false;
    snprintf(f->path, sizeof f->path, "%s/hub.db", f->dir);
    f->st = store_open(f->path, err, sizeof err);
    CHECK(f->st != NULL);
    if (!f->st)
        return false;
    CHECK(import_file(f->st, "kb", "data/kb.json", err, sizeof err) > 0);
    CHECK(import_file(f->st, "customers", "data/customers.json", err, sizeof err) > 0);
    f->a = assist_open(store_db(f->st), "data", err, sizeof err);
    if (!f->a)
        fprintf(stderr, "assist_open: %s\n", err);
    CHECK(f->a != NULL);
    return f->a != NULL;
}

static void teardown(fixture *f)
{
    assist_close(f->a);
    store_close(f->st);
    char p[200];
    static const char *const files[] = {"hub.db", "hub.db-wal", "hub.db-shm"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", f->dir, files[i]);
        unlink(p);
    }
    rmdir(f->dir);
}

static void say(assist_call *c, const char *uid, const char *speaker, const char *text, bool final, int64_t offset)
{
    assist_utterance_info u = {.uid = uid, .speaker = speaker, .text = text, .final = final, .offset_ms = offset};
    assist_call_utterance(c, &u, 1793612000000 + offset);
}

static void test_call_end_to_end(void)
{
    fixture f;
    if (!setup(&f))
        return;
    sink s = {0};
    assist_start_info info = {.iid = "I-T-1", .channel = "voice", .queue = "billing", .agent = "agent-1",
                              .agent_name = "Ana Ruiz", .customer_id = "C-1001", .started_ms = 1793612000000};
    assist_call *c = assist_call_start(f.a, &info, collect, &s);
    CHECK(c != NULL);
    /* start: customer then checklist */
    CHECK_INT(s.n, 2);
    CHECK_INT(s.type[0], EV_CUSTOMER);
    CHECK_INT(s.type[1], EV_CHECKLIST);
    CHECK_STR(str(json_object_get(s.body[0], "customer"), "id"), "C-1001");
    CHECK_STR(str(json_object_get(s.body[0], "customer"), "first_name"), "Daniel");

    /* agent final: sentiment (trend stays 0: customer-only) and the recording notice ticked */
    int mark = s.n;
    say(c, "u-1", "agent", "Hello, this call is recorded for quality and training. How can I help?", true, 2000);
    CHECK_INT(count(&s, EV_SENTIMENT, mark), 1);
    CHECK(json_real_value(json_object_get(last(&s, EV_SENTIMENT), "trend")) == 0.0);
    CHECK_INT(count(&s, EV_CHECKLIST, mark), 1);
    json_t *items = json_object_get(last(&s, EV_CHECKLIST), "items");
    CHECK_STR(str(json_array_get(items, 0), "id"), "recording-notice");
    CHECK(json_is_true(json_object_get(json_array_get(items, 0), "done")));
    CHECK_STR(str(json_array_get(items, 0), "by"), "phrase");
    CHECK_INT(dbquery_int(store_db(f.st), "SELECT count(*) FROM checklist_ticks WHERE iid = 'I-T-1' AND item = 'recording-notice'"), 1);

    /* partials: no sentiment, no suggestion; the card rule fires on a partial */
    mark = s.n;
    say(c, "u-2", "customer", "I was charged", false, 5000);
    say(c, "u-2", "customer", "I was charged twice on my card 4111 1111 1111 1111", false, 6000);
    CHECK_INT(count(&s, EV_SENTIMENT, mark), 0);
    CHECK_INT(count(&s, EV_SUGGESTION, mark), 0);
    CHECK(count(&s, EV_FLAG, mark) >= 1);

    /* the final: sentiment, suggestions from the KB, the card flag not raised twice */
    mark = s.n;
    say(c, "u-2", "customer", "I was charged twice on my card 4111 1111 1111 1111 and I want a refund of the duplicate charge", true, 7000);
    CHECK_INT(count(&s, EV_SENTIMENT, mark), 1);
    json_t *sent = last(&s, EV_SENTIMENT);
    CHECK_STR(str(sent, "uid"), "u-2");
    int nsug = count(&s, EV_SUGGESTION, mark);
    CHECK(nsug >= 1 && nsug <= 3);
    json_t *sug = NULL;
    for (int i = mark; i < s.n; i++)
        if (s.type[i] == EV_SUGGESTION && !sug)
            sug = s.body[i];
    CHECK(sug != NULL);
    if (!sug)
        goto out;
    CHECK_STR(str(sug, "source"), "KB-001");
    CHECK(strstr(str(sug, "text"), "{customer.") == NULL);
    CHECK(json_real_value(json_object_get(sug, "score")) > 0);
    for (int i = mark; i < s.n; i++)
        CHECK(!(s.type[i] == EV_FLAG && !strcmp(str(s.body[i], "kind"), "pci")));

    /* the same words again: nothing new, no query */
    mark = s.n;
    say(c, "u-3", "customer", "charged twice, refund the duplicate charge", true, 9000);
    CHECK_INT(count(&s, EV_SUGGESTION, mark), 0);

    /* new words: new articles only, never one already shown */
    mark = s.n;
    say(c, "u-4", "customer", "This is ridiculous, I want to speak to a manager and I will cancel my contract", true, 12000);
    CHECK(count(&s, EV_FLAG, mark) >= 1);
    for (int i = 0; i < s.n; i++)
        for (int k = i + 1; k < s.n; k++)
            if (s.type[i] == EV_SUGGESTION && s.type[k] == EV_SUGGESTION) {
                CHECK(strcmp(str(s.body[i], "source"), str(s.body[k], "source")) != 0);
                CHECK(strcmp(str(s.body[i], "sid"), str(s.body[k], "sid")) != 0);
            }
    for (int i = 0; i < s.n; i++)
        for (int k = i + 1; k < s.n; k++)
            if (s.type[i] == EV_FLAG && s.type[k] == EV_FLAG)
                CHECK(strcmp(str(s.body[i], "fid"), str(s.body[k], "fid")) != 0);

    /* feedback is stored and shifts the article's boost */
    assist_call_feedback(c, str(sug, "sid"), "used", "agent-1", 1793612013000);
    assist_call_feedback(c, "no-such-sid", "used", "agent-1", 1793612013000);
    CHECK_INT(dbquery_int(store_db(f.st), "SELECT count(*) FROM suggestion_feedback"), 1);
    CHECK(dbquery_int(store_db(f.st), "SELECT boost > 0 FROM kb WHERE id = 'KB-001'") == 1);
    /* the summary claims the suggestion only once the agent sends it (mostly) as shown */
    say(c, "u-4b", "agent", str(sug, "text"), true, 14000);

    /* agent action, hand tick */
    say(c, "u-5", "agent", "I've refunded the duplicate charge, you'll see it within 5 working days.", true, 15000);
    mark = s.n;
    assist_call_checklist_tick(c, "verify-identity", true);
    assist_call_checklist_tick(c, "verify-identity", true);
    assist_call_checklist_tick(c, "no-such-item", true);
    CHECK_INT(count(&s, EV_CHECKLIST, mark), 1);
    CHECK_INT(dbquery_int(store_db(f.st), "SELECT count(*) FROM checklist_ticks WHERE iid = 'I-T-1' AND item = 'verify-identity'"), 1);
    assist_call_checklist_tick(c, "verify-identity", false);
    CHECK_INT(dbquery_int(store_db(f.st), "SELECT count(*) FROM checklist_ticks WHERE iid = 'I-T-1' AND item = 'verify-identity'"), 0);
    CHECK_INT(count(&s, EV_CHECKLIST, mark), 2);

    /* time passes: ticks are safe and flags stay unique */
    for (int t = 16; t < 60; t++)
        assist_call_tick(c, 1793612000000 + t * 1000);

    mark = s.n;
    assist_call_summary(c);
    CHECK_INT(count(&s, EV_SUMMARY, mark), 1);
    CHECK(json_is_false(json_object_get(last(&s, EV_SUMMARY), "final")));
    assist_call_end(c, "resolved", 1793612070000);
    assist_call_end(c, "resolved", 1793612070000);
    json_t *sum = last(&s, EV_SUMMARY);
    CHECK_INT(count(&s, EV_SUMMARY, mark), 2);
    CHECK(json_is_true(json_object_get(sum, "final")));
    CHECK_STR(str(sum, "disposition"), "REFUND_ISSUED");
    CHECK(strstr(str(sum, "text"), "Suggestions used: ") != NULL);
    CHECK(strstr(str(sum, "text"), "Customer at the end: not known") == NULL);   /* scored finals */
    CHECK(json_array_size(json_object_get(sum, "codes")) >= 8);

    /* after the end nothing more is emitted */
    mark = s.n;
    say(c, "u-9", "customer", "hello?", true, 80000);
    CHECK_INT(s.n, mark);

    /* nothing that left the stage carries the card number */
    for (int i = 0; i < s.n; i++) {
        char *d = json_dumps(s.body[i], 0);
        CHECK(strstr(d, "4111 1111 1111 1111") == NULL);
        CHECK(strstr(d, "4111111111111111") == NULL);
        free(d);
    }
    CHECK_INT(s.invalid, 0);
out:
    assist_call_free(c);
    sink_free(&s);
    teardown(&f);
}

static void test_unknown_customer_and_chat(void)
{
    fixture f;
    if (!setup(&f))
        return;
    sink s = {0};
    assist_start_info info = {.iid = "I-T-2", .channel = "chat", .queue = "no-such-queue", .agent = "agent-2",
                              .agent_name = "Bo", .customer_id = "C-NOPE", .started_ms = 0};
    assist_call *c = assist_call_start(f.a, &info, collect, &s);
    CHECK_INT(s.type[0], EV_CUSTOMER);
    CHECK_STR(str(json_object_get(s.body[0], "customer"), "name"), "Unknown caller");
    CHECK_INT(json_array_size(json_object_get(s.body[0], "history")), 0);
    /* default checklist */
    CHECK(json_array_size(json_object_get(s.body[1], "items")) >= 4);
    /* hostile and empty text */
    say(c, "u-1", "customer", "", true, 100);
    say(c, "u-2", "customer", "\"NEAR(\" OR * ' ; DROP TABLE kb; -- ���", true, 200);
    say(c, "u-3", "bot", "Please hold.", true, 300);
    say(c, "u-4", "supervisor", "Barging in.", true, 400);
    assist_call_tick(c, 1793612000000);   /* another clock than started_ms: resyncs */
    assist_call_end(c, NULL, 1793612001000);
    CHECK_INT(s.invalid, 0);
    CHECK(dbquery_int(store_db(f.st), "SELECT count(*) FROM kb") > 0);
    assist_call_free(c);
    sink_free(&s);
    teardown(&f);
}

static void test_many_calls_and_long_iid(void)
{
    fixture f;
    if (!setup(&f))
        return;
    sink s = {0};
    char iid[129];
    memset(iid, 'i', 128);
    iid[128] = 0;
    assist_start_info info = {.iid = iid, .channel = "voice", .queue = "tech", .agent = "agent-3",
                              .agent_name = "Cy", .customer_id = "C-1002", .started_ms = 1793612000000};
    assist_call *c = assist_call_start(f.a, &info, collect, &s);
    say(c, "u-1", "customer", "my router keeps dropping the wifi every evening", true, 1000);
    say(c, "u-2", "customer", "and the broadband is slow, speed test says 2 Mbps", true, 2000);
    CHECK(count(&s, EV_SUGGESTION, 0) >= 2);
    CHECK_INT(s.invalid, 0);
    assist_call_free(c);   /* freed without an end: no leak, no emit */
    sink_free(&s);
    CHECK(assist_open(store_db(f.st), "/nonexistent-data-dir", (char[128]){0}, 128) == NULL);
    teardown(&f);
}

/* A long iid is cut for the ids of suggestions and flags on a code point: they stay valid. */
static void test_long_multibyte_iid(void)
{
    fixture f;
    if (!setup(&f))
        return;
    sink s = {0};
    char iid[129];
    memset(iid, 'i', 59);
    iid[59] = 0;
    for (int i = 0; i < 34; i++)
        strcat(iid, "\xc3\xa9"); /* the 60th byte is inside an "é" */
    assist_start_info info = {.iid = iid, .channel = "voice", .queue = "tech", .agent = "agent-3",
                              .agent_name = "Cy", .customer_id = "C-1002", .started_ms = 1793612000000};
    assist_call *c = assist_call_start(f.a, &info, collect, &s);
    say(c, "u-1", "customer", "my router keeps dropping the wifi every evening", true, 1000);
    CHECK(count(&s, EV_SUGGESTION, 0) >= 1);
    CHECK_INT(s.invalid, 0);
    assist_call_free(c);
    sink_free(&s);
    teardown(&f);
}

int main(void)
{
    RUN(test_call_end_to_end);
    RUN(test_unknown_customer_and_chat);
    RUN(test_many_calls_and_long_iid);
    RUN(test_long_multibyte_iid);
    return check_done("test_assist");
}
