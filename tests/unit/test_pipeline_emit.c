/* test_pipeline_emit.c — staging one durable event (pipeline_emit), in process on real
 * storage: an event is checked and encoded exactly once, with its seq; an invalid one gives
 * its seq back (no gap) and is never logged or delivered; the event's stamp
 * (seq, ts, arrival) is the same in its frame, its log row and its latency sample. */
#include "tests/unit/check.h"
#include "tests/lib/pipefix.h"
#include "tests/lib/dbquery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *start_frame(const char *iid)
{
    static char frame[256];
    snprintf(frame, sizeof frame, "{\"type\":\"start\",\"iid\":\"%s\",\"channel\":\"voice\",\"queue\":\"billing\","
                                  "\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}", iid);
    return frame;
}

/* Without enrichment one ingest event is one durable event: one encode each. */
static void test_one_event_one_encode(void)
{
    pipefix f;
    if (!pipefix_open(&f, false)) {
        CHECK(!"pipefix_open");
        return;
    }
    uint64_t before = proto_encoded_total();
    CHECK_INT(pipefix_ingest(f.p, start_frame("e-1")), 0);
    CHECK_INT(proto_encoded_total() - before, 1);
    before = proto_encoded_total();
    CHECK_INT(pipefix_ingest(f.p, "{\"type\":\"utterance\",\"iid\":\"e-1\",\"uid\":\"u1\",\"speaker\":\"customer\","
                          "\"text\":\"hello\",\"final\":false,\"offset_ms\":5}"), 0);
    CHECK_INT(proto_encoded_total() - before, 1);
    before = proto_encoded_total();
    int64_t seq = pipeline_emit(f.p, EV_NOTED, json_pack("{s:s, s:s, s:s}", "iid", "e-1", "user", "agent-1",
                                                          "text", "a note"), "agent-1", "agent-1");
    CHECK(seq > 0);
    CHECK_INT(proto_encoded_total() - before, 1);
    CHECK_INT(pipefix_flush(&f), 3);
    CHECK_INT(json_array_size(f.delivered), 3);
    /* the frame delivered is the one encoded: its seq is the one returned */
    json_t *noted = pipefix_frames(&f, "note", "e-1");
    CHECK_INT(json_integer_value(json_object_get(json_array_get(noted, 0), "seq")), seq);
    json_decref(noted);
    pipefix_close(&f);
}

/* With the assist stage, a conversation makes many events (sentiment, flags, suggestions,
 * customer, checklist, summary): every one of them is encoded exactly once. */
static void test_every_event_encoded_once(void)
{
    pipefix f;
    if (!pipefix_open(&f, true)) {
        CHECK(!"pipefix_open");
        return;
    }
    uint64_t before = proto_encoded_total();
    CHECK_INT(pipefix_ingest(f.p, start_frame("e-2")), 0);
    static const char *const lines[] = {
        "I was charged twice for my bill this month and I want a refund",
        "this is really frustrating, I'm thinking of cancelling my contract",
        "my card number is 4111 1111 1111 1111",
    };
    for (int i = 0; i < 3; i++) {
        char frame[512];
        snprintf(frame, sizeof frame, "{\"type\":\"utterance\",\"iid\":\"e-2\",\"uid\":\"u%d\",\"speaker\":\"customer\","
                                      "\"text\":\"%s\",\"final\":true,\"offset_ms\":%d}", i, lines[i], 1000 * i);
        CHECK_INT(pipefix_ingest(f.p, frame), 0);
    }
    CHECK_INT(pipefix_ingest(f.p, "{\"type\":\"end\",\"iid\":\"e-2\"}"), 0);
    int committed = pipefix_flush(&f);
    CHECK(committed > 8);
    CHECK_INT(proto_encoded_total() - before, committed);
    CHECK_INT(json_array_size(f.delivered), committed);
    json_t *sentiments = pipefix_frames(&f, "sentiment", "e-2");
    CHECK_INT(json_array_size(sentiments), 3);
    json_decref(sentiments);
    pipefix_close(&f);
}

/* An event that does not encode gives back the seq it took (no gap for resumers) and is
 * never logged or delivered: a field out of the catalogue, and a frame over the size limit
 * whose fields are each within theirs. */
static void test_invalid_leaves_no_gap(void)
{
    pipefix f;
    if (!pipefix_open(&f, false)) {
        CHECK(!"pipefix_open");
        return;
    }
    CHECK_INT(pipefix_ingest(f.p, start_frame("e-3")), 0);
    CHECK_INT(pipefix_flush(&f), 1);
    int64_t last = f.log->ops->last_seq(f.log);
    CHECK_INT(pipeline_emit(f.p, EV_UTTERANCE, json_pack("{s:s, s:s, s:s, s:s, s:b, s:i}", "iid", "e-3", "uid", "x",
                                                         "speaker", "robot", "text", "hi", "final", 1, "offset_ms", 0),
                            "agent-1", ""), -1);
    json_t *orders = json_array();
    char *item = malloc(30001);
    memset(item, 'o', 30000);
    item[30000] = '\0';
    for (int i = 0; i < 3; i++)
        json_array_append_new(orders, json_pack("{s:s}", "item", item));
    free(item);
    CHECK_INT(pipeline_emit(f.p, EV_CUSTOMER, json_pack("{s:s, s:{}, s:[], s:o}", "iid", "e-3", "customer", "history",
                                                        "orders", orders), "agent-1", ""), -1);
    CHECK_INT(pipeline_emit(f.p, EV_NOTED, json_pack("{s:s, s:s, s:s}", "iid", "e-3", "user", "agent-1",
                                                     "text", "after"), "agent-1", ""), last + 1);
    CHECK_INT(pipefix_flush(&f), 1);
    CHECK_INT(f.log->ops->last_seq(f.log), last + 1);
    CHECK_INT(json_array_size(f.delivered), 2);   /* the start and the note */
    pipefix_close(&f);
}

/* One stamp per event: the frame's seq and ts are its log row's, and its latency sample is
 * the arrival of the ingest frame that caused it (none for what the hub does by itself). */
static void test_stamped_once(void)
{
    pipefix f;
    if (!pipefix_open(&f, false)) {
        CHECK(!"pipefix_open");
        return;
    }
    pipeline_set_ingest_time(f.p, 424242);
    CHECK_INT(pipefix_ingest(f.p, start_frame("e-4")), 0);
    pipeline_set_ingest_time(f.p, 0);
    CHECK(pipeline_emit(f.p, EV_NOTED, json_pack("{s:s, s:s, s:s}", "iid", "e-4", "user", "agent-1", "text", "n"),
                        "agent-1", "") > 0);
    /* a source without its own arrival stamp (the simulator) arrives when it is ingested */
    CHECK_INT(pipefix_ingest(f.p, "{\"type\":\"end\",\"iid\":\"e-4\"}"), 0);
    CHECK_INT(pipefix_flush(&f), 3);
    CHECK_INT(json_integer_value(json_array_get(f.arrivals, 0)), 424242);
    CHECK_INT(json_integer_value(json_array_get(f.arrivals, 1)), 0);
    CHECK(json_integer_value(json_array_get(f.arrivals, 2)) > 0);
    for (size_t i = 0; i < 3; i++) {
        json_t *frame = json_array_get(f.delivered, i);
        int64_t seq = json_integer_value(json_object_get(frame, "seq"));
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT ts FROM events WHERE seq = %lld", (long long)seq);
        CHECK_INT(dbquery_int(store_db(f.st), sql), json_integer_value(json_object_get(frame, "ts")));
    }
    pipefix_close(&f);
}

int main(void)
{
    RUN(test_one_event_one_encode);
    RUN(test_every_event_encoded_once);
    RUN(test_invalid_leaves_no_gap);
    RUN(test_stamped_once);
    return check_done("test_pipeline_emit");
}
