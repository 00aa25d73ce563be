/* test_firehose.c — Amazon Connect in, end to end on a real hub: AWS's Contact Lens sample
 * events (voice 1.0.0) and a chat 2.0.0 stream reach an agent's console as the right
 * utterances, flags and end whichever way they come in — an ingest websocket, `feed` with
 * the events as they are, `feed` with Kinesis records (a line each, and a whole
 * get-records answer), and POST /v1/firehose as Amazon Data Firehose delivers — and the
 * Firehose endpoint's promises: answered 200 only once durable, a redelivered request
 * applied once, keys checked, malformed / oversized / slow / hostile requests refused or
 * skipped as documented in hub/endpoints/firehose.h, unknown segment kinds skipped. */
#include "tests/unit/check.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/httpc.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <libwebsockets.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define FIXTURES "tests/unit/fixtures/contactlens/"

static hubproc H;
static wsc_ctx *X;
static wsc *agent;
static char url[64], token_file[400];

static const char *str(json_t *j, const char *k)
{
    return json_string_value(json_object_get(j, k));
}

/* The fixture's events, one compact JSON text each, with ContactId set to `iid` (each way
 * in gets its own contact). Free with json_decref. */
static json_t *fixture(const char *name, const char *iid)
{
    char path[300];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    FILE *fp = fopen(path, "r");
    json_t *out = json_array();
    char line[8192];
    while (fp && fgets(line, sizeof line, fp)) {
        json_t *e = json_loads(line, 0, NULL);
        if (!e)
            continue;
        json_object_set_new(e, "ContactId", json_string(iid));
        char *text = json_dumps(e, JSON_COMPACT);
        json_array_append_new(out, json_string_nocheck(text));
        free(text);
        json_decref(e);
    }
    if (fp)
        fclose(fp);
    CHECK(json_array_size(out) > 0);
    return out;
}

static char *b64(const char *in, size_t len)
{
    size_t cap = len * 4 / 3 + 8;
    char *out = malloc(cap);
    int n = lws_b64_encode_string(in, (int)len, out, (int)cap);
    CHECK(n >= 0);
    return out;
}

/* A Firehose request body: one record per element of `records` (strings: the data). */
static char *firehose_body(const char *rid, json_t *records)
{
    json_t *recs = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(records, i, r) {
        char *d = b64(json_string_value(r), json_string_length(r));
        json_array_append_new(recs, json_pack("{s:s}", "data", d));
        free(d);
    }
    json_t *o = json_pack("{s:s, s:I, s:o}", "requestId", rid, "timestamp", (json_int_t)1796000000000, "records", recs);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static int post(const char *rid, const char *key, const char *body, size_t len, httpc_answer *a)
{
    char h1[200], h2[200];
    snprintf(h1, sizeof h1, "X-Amz-Firehose-Request-Id: %s", rid);
    snprintf(h2, sizeof h2, "X-Amz-Firehose-Access-Key: %s", key);
    const char *headers[] = {h1, h2, "X-Amz-Firehose-Protocol-Version: 1.0", NULL};
    return httpc_post(H.port, "/v1/firehose", key ? headers : (const char *[]){h1, NULL}, body, len, 10000, a);
}

/* The answer's requestId, and errorMessage iff not 200. */
static void check_answer(const httpc_answer *a, int status, const char *rid)
{
    CHECK_INT(a->status, status);
    json_t *j = json_loads(a->body ? a->body : "", 0, NULL);
    CHECK_STR(str(j, "requestId"), rid);
    CHECK(json_is_integer(json_object_get(j, "timestamp")));
    CHECK((status == 200) == (json_object_get(j, "errorMessage") == NULL));
    json_decref(j);
}

/* Events of `iid` the agent receives within `ms` (until its end). */
static json_t *collect(const char *iid, int ms)
{
    json_t *out = json_array();
    int64_t end = wsc_now_ms() + ms;
    while (wsc_now_ms() < end) {
        json_t *j = wsc_recv(agent, 200);
        if (!j)
            continue;
        bool mine = str(j, "iid") && strcmp(str(j, "iid"), iid) == 0;
        if (mine)
            json_array_append(out, j);
        bool ended = mine && strcmp(str(j, "type"), "interaction.ended") == 0;
        json_decref(j);
        if (ended)
            break;
    }
    return out;
}

static int64_t events_of(const char *iid)
{
    sqlite3 *db;
    if (sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return -1;
    char *sql = sqlite3_mprintf("SELECT count(*) FROM events WHERE iid = %Q", iid);
    int64_t n = dbquery_int(db, sql);
    sqlite3_free(sql);
    sqlite3_close(db);
    return n;
}

/* AWS's voice sample as the agent sees it. */
static void check_voice(json_t *ev)
{
    const char *finals[2][2] = {{"agent", "Hello, thank you for calling Example Corp. My name is Adam. How can I help you?"},
                                {"customer", "I'm having trouble submitting the application"}};
    int nfinal = 0, npartial = 0, nflags = 0, nissues = 0, nopinions = 0;
    const char *uid_of[2] = {NULL, NULL};
    bool ended = false;
    size_t i;
    json_t *e;
    json_array_foreach(ev, i, e) {
        const char *t = str(e, "type");
        if (strcmp(t, "utterance") == 0 && json_is_true(json_object_get(e, "final"))) {
            if (nfinal < 2) {
                uid_of[nfinal] = str(e, "uid");
                CHECK_STR(str(e, "speaker"), finals[nfinal][0]);
                CHECK(strncmp(str(e, "text"), finals[nfinal][1], strlen(finals[nfinal][1])) == 0);
            }
            nfinal++;
        } else if (strcmp(t, "utterance") == 0) {
            npartial++;
            CHECK_STR(str(e, "speaker"), "agent");
        } else if (strcmp(t, "flag") == 0 && str(e, "rule") && strcmp(str(e, "rule"), "contactlens-category") == 0) {
            CHECK(strcmp(str(e, "evidence"), "CreditCardRelated") == 0 || strcmp(str(e, "evidence"), "CardBrokenIssue") == 0);
            nflags++;
        } else if (strcmp(t, "flag") == 0 && str(e, "rule") && strcmp(str(e, "rule"), "contactlens-issue") == 0) {
            /* IssuesDetected: characters 0..81 of the customer's transcript */
            CHECK_STR(str(e, "kind"), "issue");
            CHECK(strncmp(str(e, "evidence"), "I'm having trouble submitting the application", 45) == 0);
            CHECK(strncmp(str(e, "text"), "Contact Lens issue: ", 20) == 0);
            nissues++;
        } else if (strcmp(t, "sentiment") == 0 && str(e, "source")) {
            /* Contact Lens's Sentiment of each final: NEUTRAL for the agent's, NEGATIVE for the
             * customer's, beside the hub's own */
            CHECK_STR(str(e, "source"), "contact-lens");
            CHECK(nopinions < 2 && uid_of[nopinions] && strcmp(str(e, "uid"), uid_of[nopinions]) == 0);
            CHECK_STR(str(e, "label"), nopinions == 0 ? "neutral" : "negative");
            nopinions++;
        } else if (strcmp(t, "interaction.ended") == 0) {
            CHECK_STR(str(e, "reason"), "completed");
            ended = true;
        }
    }
    CHECK_INT(nfinal, 2);
    CHECK_INT(npartial, 2);
    CHECK_INT(nflags, 2);
    CHECK_INT(nissues, 1);
    CHECK_INT(nopinions, 2);
    CHECK(ended);
}

static void check_chat(json_t *ev)
{
    const char *finals[3][2] = {{"agent", "Hello, you are chatting with Sam. How can I help?"},
                                {"customer", "My order arrived damaged and I want a replacement."},
                                {"agent", "Sorry to hear that. I have sent a replacement today."}};
    int nfinal = 0;
    bool started = false, ended = false, category = false;
    size_t i;
    json_t *e;
    json_array_foreach(ev, i, e) {
        const char *t = str(e, "type");
        if (strcmp(t, "interaction.started") == 0) {
            CHECK_STR(str(e, "channel"), "chat");
            started = true;
        } else if (strcmp(t, "utterance") == 0) {
            CHECK(json_is_true(json_object_get(e, "final")));
            if (nfinal < 3) {
                CHECK_STR(str(e, "speaker"), finals[nfinal][0]);
                CHECK_STR(str(e, "text"), finals[nfinal][1]);
            }
            nfinal++;
        } else if (strcmp(t, "flag") == 0) {
            /* chat 2.0.0 names its categories by MatchedDetails only */
            CHECK_STR(str(e, "evidence"), "DamagedOrder");
            category = true;
        } else if (strcmp(t, "interaction.ended") == 0) {
            ended = true;
        }
    }
    CHECK(started);
    CHECK(category);
    CHECK_INT(nfinal, 3);
    CHECK(ended);
}

/* ---- the four ways in ---- */

static void test_websocket(void)
{
    json_t *lines = fixture("voice-1.0.0.jsonl", "cl-ws-voice");
    wsc *in = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(in, "welcome", 5000));
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) wsc_send(in, json_string_value(l));
    json_t *ev = collect("cl-ws-voice", 10000);
    check_voice(ev);
    json_decref(ev);
    json_decref(lines);
    wsc_close(in);
}

/* PostContactSummary -> summary with source "contact-lens": while live (before COMPLETED),
 * and after the end (the contact awaits its wrap-up; nothing else of the event is applied). */
static void test_post_contact_summary(void)
{
    wsc *in = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(in, "welcome", 5000));
    for (int after = 0; after < 2; after++) {
        const char *iid = after ? "cl-pcs-after" : "cl-pcs-live";
        json_t *lines = fixture("voice-1.0.0.jsonl", iid), *pcs = fixture("voice-1.0.0-summary.json", iid);
        size_t n = json_array_size(lines);
        for (size_t i = 0; i + 1 < n; i++)
            wsc_send(in, json_string_value(json_array_get(lines, i)));
        if (!after)
            wsc_send(in, json_string_value(json_array_get(pcs, 0)));
        wsc_send(in, json_string_value(json_array_get(lines, n - 1)));   /* COMPLETED */
        if (after)
            wsc_send(in, json_string_value(json_array_get(pcs, 0)));
        int64_t end = wsc_now_ms() + 5000;
        json_t *summary = NULL;
        while (!summary && wsc_now_ms() < end) {
            json_t *j = wsc_recv(agent, 200);
            if (j && str(j, "iid") && strcmp(str(j, "iid"), iid) == 0 && strcmp(str(j, "type"), "summary") == 0 &&
                str(j, "source"))
                summary = json_incref(j);
            json_decref(j);
        }
        CHECK(summary != NULL);
        CHECK_STR(str(summary, "source"), "contact-lens");
        CHECK(strncmp(str(summary, "text"), "The customer could not submit the application", 45) == 0);
        CHECK(json_is_true(json_object_get(summary, "final")) == (after == 1));
        json_decref(summary);
        json_decref(lines);
        json_decref(pcs);
    }
    wsc_close(in);
}

/* The trial fallback (--contactlens-agent agent-1) holds a contact only until its real agent
 * is named: a connector's start for it moves it, and agent-1's console lets it go. */
static void test_fallback_gives_way(void)
{
    json_t *lines = fixture("voice-1.0.0.jsonl", "cl-fallback");
    wsc *in = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(in, "welcome", 5000));
    wsc_send(in, json_string_value(json_array_get(lines, 0)));   /* STARTED */
    json_t *st = wsc_recv_type(agent, "interaction.started", 5000);
    CHECK_STR(str(st, "iid"), "cl-fallback");
    CHECK_STR(str(st, "agent"), "agent-1");
    json_decref(st);
    wsc_send(in, "{\"type\":\"start\",\"id\":\"fb-1\",\"iid\":\"cl-fallback\",\"channel\":\"voice\",\"queue\":\"q\","
                 "\"agent\":\"agent-2\",\"customer_id\":\"\"}");
    json_t *ack = wsc_recv_answer(in, "fb-1", 5000);
    CHECK_STR(str(ack, "type"), "ack");
    json_decref(ack);
    json_t *as = wsc_recv_type(agent, "interaction.assigned", 5000);
    CHECK_STR(str(as, "iid"), "cl-fallback");
    CHECK_STR(str(as, "from"), "agent-1");
    CHECK_STR(str(as, "agent"), "agent-2");
    CHECK_STR(str(as, "by"), "");
    json_decref(as);
    json_decref(lines);
    wsc_close(in);
}

/* Chat Event and Attachments segments -> contact.event lines; typing is not one. */
static void test_chat_events(void)
{
    json_t *lines = fixture("chat-2.0.0-events.jsonl", "cl-chat-events");
    wsc *in = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(in, "welcome", 5000));
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) wsc_send(in, json_string_value(l));
    json_t *ev = collect("cl-chat-events", 10000);
    const char *want[] = {"Sam joined", "Customer attached receipt.pdf"};
    size_t n = 0;
    json_t *e;
    json_array_foreach(ev, i, e) {
        if (strcmp(str(e, "type"), "contact.event") != 0)
            continue;
        CHECK(n < 2);
        if (n < 2)
            CHECK_STR(str(e, "text"), want[n]);
        CHECK(json_is_integer(json_object_get(e, "offset_ms")));
        n++;
    }
    CHECK_INT(n, 2);
    json_decref(ev);
    json_decref(lines);
    wsc_close(in);
}

static void write_lines(const char *path, json_t *lines, bool kinesis)
{
    FILE *fp = fopen(path, "w");
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) {
        if (kinesis) {
            char *d = b64(json_string_value(l), json_string_length(l));
            fprintf(fp, "{\"SequenceNumber\":\"4959%zu\",\"ApproximateArrivalTimestamp\":\"2026-12-04T10:00:00Z\","
                        "\"Data\":\"%s\",\"PartitionKey\":\"contact\"}\n", i, d);
            free(d);
        } else {
            fprintf(fp, "%s\n", json_string_value(l));
        }
    }
    fclose(fp);
}

static int feed(const char *path)
{
    const char *args[] = {"feed", "--url", url, "--token-file", token_file, path, NULL};
    return hubproc_run_tool(&H, args, NULL);
}

static void test_feed_as_is(void)
{
    json_t *lines = fixture("chat-2.0.0.jsonl", "cl-feed-chat");
    char path[400];
    snprintf(path, sizeof path, "%s/chat.jsonl", H.dir);
    write_lines(path, lines, false);
    CHECK_INT(feed(path), 0);
    json_t *ev = collect("cl-feed-chat", 10000);
    check_chat(ev);
    json_decref(ev);
    json_decref(lines);
}

static void test_feed_kinesis_records(void)
{
    json_t *lines = fixture("voice-1.0.0.jsonl", "cl-kinesis-voice");
    char path[400];
    snprintf(path, sizeof path, "%s/kinesis.jsonl", H.dir);
    write_lines(path, lines, true);
    CHECK_INT(feed(path), 0);
    json_t *ev = collect("cl-kinesis-voice", 10000);
    check_voice(ev);
    json_decref(ev);
    json_decref(lines);
}

/* `aws kinesis get-records` prints one indented document over many lines. */
static void test_feed_get_records_answer(void)
{
    json_t *lines = fixture("chat-2.0.0.jsonl", "cl-getrecords-chat");
    json_t *recs = json_array();
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) {
        char *d = b64(json_string_value(l), json_string_length(l));
        json_array_append_new(recs, json_pack("{s:s, s:s, s:s}", "SequenceNumber", "1", "Data", d, "PartitionKey", "p"));
        free(d);
    }
    json_t *doc = json_pack("{s:o, s:s, s:i}", "Records", recs, "NextShardIterator", "AAAA", "MillisBehindLatest", 0);
    char path[400];
    snprintf(path, sizeof path, "%s/get-records.json", H.dir);
    json_dump_file(doc, path, JSON_INDENT(4));
    json_decref(doc);
    CHECK_INT(feed(path), 0);
    json_t *ev = collect("cl-getrecords-chat", 10000);
    check_chat(ev);
    json_decref(ev);
    json_decref(lines);

    /* damaged Data is refused before anything is sent */
    FILE *fp = fopen(path, "w");
    fputs("{\"Data\":\"not*base64\",\"PartitionKey\":\"p\",\"SequenceNumber\":\"1\"}\n", fp);
    fclose(fp);
    CHECK_INT(feed(path), 1);
}

static void test_firehose_voice_one_event_a_record(void)
{
    json_t *lines = fixture("voice-1.0.0.jsonl", "cl-fh-voice");
    char *body = firehose_body("rid-voice-1", lines);
    httpc_answer a;
    CHECK_INT(post("rid-voice-1", "tok-ingest", body, strlen(body), &a), 0);
    check_answer(&a, 200, "rid-voice-1");
    /* answered only once durable: the events are in the database already */
    CHECK(events_of("cl-fh-voice") >= 7);
    free(a.body);
    json_t *ev = collect("cl-fh-voice", 10000);
    check_voice(ev);
    json_decref(ev);

    /* Firehose retries a request it saw no answer to with the same id: applied once */
    int64_t before = events_of("cl-fh-voice");
    double committed = hubproc_metric(&H, "agentdesk_events_committed_total");
    CHECK_INT(post("rid-voice-1", "tok-ingest", body, strlen(body), &a), 0);
    check_answer(&a, 200, "rid-voice-1");
    free(a.body);
    CHECK_INT(events_of("cl-fh-voice"), before);
    CHECK(hubproc_metric(&H, "agentdesk_events_committed_total") == committed);
    free(body);
    json_decref(lines);
}

/* A Kinesis -> Firehose stream may put several events in one record, a line each. */
static void test_firehose_chat_events_in_one_record(void)
{
    json_t *lines = fixture("chat-2.0.0.jsonl", "cl-fh-chat");
    size_t total = 0, i;
    json_t *l;
    json_array_foreach(lines, i, l) total += json_string_length(l) + 1;
    char *joined = calloc(1, total + 1);
    json_array_foreach(lines, i, l) {
        strcat(joined, json_string_value(l));
        strcat(joined, "\n");
    }
    json_t *one = json_pack("[s]", joined);
    char *body = firehose_body("rid-chat-1", one);
    httpc_answer a;
    CHECK_INT(post("rid-chat-1", "tok-ingest", body, strlen(body), &a), 0);
    check_answer(&a, 200, "rid-chat-1");
    free(a.body);
    json_t *ev = collect("cl-fh-chat", 10000);
    check_chat(ev);
    json_decref(ev);
    free(body);
    free(joined);
    json_decref(one);
    json_decref(lines);
}

/* ---- refusals ---- */

static void test_firehose_keys(void)
{
    json_t *lines = fixture("voice-1.0.0.jsonl", "cl-fh-key");
    char *body = firehose_body("rid-key", lines);
    httpc_answer a;
    CHECK_INT(post("rid-key", "tok-wrong", body, strlen(body), &a), 0);
    check_answer(&a, 401, "rid-key");
    free(a.body);
    CHECK_INT(post("rid-key", NULL, body, strlen(body), &a), 0);
    check_answer(&a, 401, "rid-key");
    free(a.body);
    CHECK_INT(post("rid-key", "tok-agent-1", body, strlen(body), &a), 0); /* not an ingest user */
    check_answer(&a, 403, "rid-key");
    free(a.body);
    CHECK_INT(events_of("cl-fh-key"), 0);
    /* a refused request is not remembered: the same id with the right key is applied */
    CHECK_INT(post("rid-key", "tok-ingest", body, strlen(body), &a), 0);
    check_answer(&a, 200, "rid-key");
    free(a.body);
    CHECK(events_of("cl-fh-key") > 0);
    free(body);
    json_decref(lines);
}

static void test_firehose_malformed_requests(void)
{
    httpc_answer a;
    const char *bad[] = {"not json", "[]", "{\"requestId\":\"r\"}", "{\"records\":{}}",
                         "{\"records\":[{\"data\":5}]}", "{\"records\":[{\"nodata\":\"\"}]}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(post("rid-bad", "tok-ingest", bad[i], strlen(bad[i]), &a), 0);
        check_answer(&a, 400, "rid-bad");
        free(a.body);
    }
    /* one record that is not base64 fails the request whole: the good one before it is
     * not applied either */
    json_t *lines = fixture("voice-1.0.0.jsonl", "cl-fh-half");
    char *good = b64(json_string_value(json_array_get(lines, 0)), json_string_length(json_array_get(lines, 0)));
    char body[4096];
    snprintf(body, sizeof body, "{\"requestId\":\"rid-half\",\"timestamp\":1,\"records\":[{\"data\":\"%s\"},"
             "{\"data\":\"@@not base64@@\"}]}", good);
    CHECK_INT(post("rid-half", "tok-ingest", body, strlen(body), &a), 0);
    check_answer(&a, 400, "rid-half");
    CHECK(a.body && strstr(a.body, "base64"));
    free(a.body);
    CHECK_INT(events_of("cl-fh-half"), 0);
    free(good);
    json_decref(lines);
    /* the wrong method */
    char *raw = hubproc_http_raw(&H, "/v1/firehose");
    CHECK(raw && strncmp(raw, "HTTP/1.1 405", 12) == 0);
    free(raw);
}

/* Records that are not Contact Lens events are skipped, logged and counted; the rest of the
 * request is applied and answered 200 (Firehose would otherwise retry it whole and back up
 * the good records with the bad). Hostile strings from blns.txt as whole records and as
 * transcript text. */
static void test_firehose_hostile_records(void)
{
    FILE *fp = fopen("../shared/fixtures/blns.txt", "rb");
    CHECK(fp != NULL);
    if (!fp)
        return;
    json_t *records = json_array();
    char line[4096];
    size_t n = 0;
    while (fgets(line, sizeof line, fp)) {
        size_t len = strcspn(line, "\n");
        line[len] = '\0';
        if (!len || line[0] == '#')
            continue;
        json_array_append_new(records, json_stringn_nocheck(line, len));
        /* the same string as what a customer said */
        json_t *ev = json_pack("{s:s, s:s, s:s, s:[{s:{s:s, s:s, s:s, s:i}}]}", "Version", "1.0.0", "ContactId",
                               "cl-fh-blns", "EventType", "SEGMENTS", "Segments", "Transcript", "Id", "x",
                               "ParticipantRole", "CUSTOMER", "Content", "placeholder", "BeginOffsetMillis", 0);
        char id[32];
        snprintf(id, sizeof id, "blns-%zu", n);
        json_t *tr = json_object_get(json_array_get(json_object_get(ev, "Segments"), 0), "Transcript");
        json_object_set_new(tr, "Id", json_string(id));
        json_object_set_new(tr, "Content", json_stringn_nocheck(line, len));
        char *text = json_dumps(ev, JSON_COMPACT);
        if (text)
            json_array_append_new(records, json_string_nocheck(text));
        free(text);
        json_decref(ev);
        n++;
    }
    fclose(fp);
    char *body = firehose_body("rid-blns", records);
    httpc_answer a;
    CHECK_INT(post("rid-blns", "tok-ingest", body, strlen(body), &a), 0);
    check_answer(&a, 200, "rid-blns");
    free(a.body);
    CHECK(hubproc_metric(&H, "agentdesk_firehose_events_skipped_total") >= (double)n / 2);
    CHECK(events_of("cl-fh-blns") > 0);
    char *health = hubproc_http_get(&H, "/healthz");
    CHECK(health && strstr(health, "\"status\":\"ok\""));
    free(health);
    free(body);
    json_decref(records);
}

static void test_firehose_unknown_segment_kind(void)
{
    const char *ev = "{\"Version\":\"1.0.0\",\"ContactId\":\"cl-fh-future\",\"EventType\":\"SEGMENTS\",\"Segments\":["
                     "{\"Transcript\":{\"Id\":\"f1\",\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"first words\",\"BeginOffsetMillis\":10}},"
                     "{\"HologramOfCaller\":{\"Id\":\"h1\",\"Resolution\":\"8K\"}},"
                     "{\"Transcript\":{\"Id\":\"f2\",\"ParticipantRole\":\"AGENT\",\"Content\":\"second words\",\"BeginOffsetMillis\":20}}]}";
    json_t *failed = fixture("voice-1.0.0-failed.json", "cl-fh-future"); /* AWS's FAILED sample */
    json_t *recs = json_pack("[s, O]", ev, json_array_get(failed, 0));
    json_decref(failed);
    double unknown = hubproc_metric(&H, "agentdesk_contactlens_unknown_segments_total");
    char *body = firehose_body("rid-future", recs);
    httpc_answer a;
    CHECK_INT(post("rid-future", "tok-ingest", body, strlen(body), &a), 0);
    check_answer(&a, 200, "rid-future");
    free(a.body);
    json_t *got = collect("cl-fh-future", 10000);
    int words = 0;
    size_t i;
    json_t *e;
    json_array_foreach(got, i, e) {
        if (strcmp(str(e, "type"), "utterance") == 0)
            words += strcmp(str(e, "text"), words ? "second words" : "first words") == 0;
        if (strcmp(str(e, "type"), "interaction.ended") == 0)
            CHECK_STR(str(e, "reason"), "failed");
    }
    CHECK_INT(words, 2);
    CHECK(hubproc_metric(&H, "agentdesk_contactlens_unknown_segments_total") == unknown + 1);
    json_decref(got);
    json_decref(recs);
    free(body);
}

/* Over --firehose-max-bytes: 413 from the declared length, without reading the body. */
static void test_firehose_oversized(void)
{
    size_t len = 70000;
    char *body = malloc(len + 1);
    memset(body, ' ', len);
    body[len] = '\0';
    httpc_answer a;
    CHECK_INT(post("rid-big", "tok-ingest", body, len, &a), 0);
    check_answer(&a, 413, "rid-big");
    free(a.body);
    free(body);
}

/* `in` gzip-compressed (as Firehose sends with content encoding GZIP). Free it. */
static char *gzip(const char *in, size_t len, size_t *out_len)
{
    z_stream z = {0};
    CHECK(deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    size_t cap = deflateBound(&z, len) + 64;
    char *out = malloc(cap);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

static int post_gzip(const char *rid, const char *body, size_t len, httpc_answer *a)
{
    char h1[200];
    snprintf(h1, sizeof h1, "X-Amz-Firehose-Request-Id: %s", rid);
    const char *headers[] = {h1, "X-Amz-Firehose-Access-Key: tok-ingest", "Content-Encoding: gzip", NULL};
    return httpc_post(H.port, "/v1/firehose", headers, body, len, 10000, a);
}

/* Content-Encoding gzip: inflated and applied; a body that inflates past --firehose-max-bytes
 * (65536 here) or is not gzip is refused with 400, nothing applied. */
static void test_firehose_gzip(void)
{
    json_t *lines = fixture("voice-1.0.0.jsonl", "cl-fh-gzip");
    char *body = firehose_body("rid-gzip", lines);
    size_t zlen;
    char *z = gzip(body, strlen(body), &zlen);
    httpc_answer a;
    CHECK_INT(post_gzip("rid-gzip", z, zlen, &a), 0);
    check_answer(&a, 200, "rid-gzip");
    free(a.body);
    CHECK(events_of("cl-fh-gzip") > 0);
    free(z);
    free(body);
    json_decref(lines);
    /* a small bomb: 1 MB of spaces around an empty request */
    size_t big = 1000000;
    char *pad = malloc(big + 64);
    memset(pad, ' ', big);
    strcpy(pad + big, "{\"requestId\":\"rid-bomb\",\"timestamp\":0,\"records\":[]}");
    z = gzip(pad, strlen(pad), &zlen);
    CHECK(zlen < 65536);
    CHECK_INT(post_gzip("rid-bomb", z, zlen, &a), 0);
    check_answer(&a, 400, "rid-bomb");
    CHECK(a.body && strstr(a.body, "inflates past"));
    free(a.body);
    free(z);
    free(pad);
    CHECK_INT(post_gzip("rid-notgz", "{\"records\":[]}", 14, &a), 0);
    check_answer(&a, 400, "rid-notgz");
    CHECK(a.body && strstr(a.body, "not valid gzip"));
    free(a.body);
}

/* A body that stops arriving: the connection ends after --idle-timeout, and meanwhile
 * the loop serves other requests. */
static void test_firehose_slow_body(void)
{
    int fd = httpc_connect(H.port);
    const char *headers[] = {"X-Amz-Firehose-Request-Id: rid-slow", "X-Amz-Firehose-Access-Key: tok-ingest", NULL};
    CHECK(httpc_send_head(fd, "/v1/firehose", headers, 1000) == 0);
    CHECK(write(fd, "{\"records\"", 10) == 10);
    json_t *lines = fixture("voice-1.0.0.jsonl", "cl-fh-meanwhile");
    char *body = firehose_body("rid-meanwhile", lines);
    httpc_answer a;
    int64_t t0 = wsc_now_ms();
    CHECK_INT(post("rid-meanwhile", "tok-ingest", body, strlen(body), &a), 0);
    check_answer(&a, 200, "rid-meanwhile");
    CHECK(wsc_now_ms() - t0 < 1500);
    free(a.body);
    free(body);
    json_decref(lines);
    CHECK(httpc_wait_eof(fd, 8000));
    close(fd);
}

static void test_metrics(void)
{
    CHECK(hubproc_metric(&H, "agentdesk_firehose_requests_total") >= 10);
    CHECK(hubproc_metric(&H, "agentdesk_firehose_failures_total") >= 9);
    CHECK(hubproc_metric(&H, "agentdesk_firehose_records_total") >= 5);
}

int main(void)
{
    /* the trial fallback: Connect names no agent for these contacts (test_connect_assign) */
    const char *fallback[] = {"--contactlens-agent", "agent-1", NULL};
    const char *extra[] = {"--contactlens-agent", "agent-1", "--firehose-max-bytes", "65536", "--idle-timeout", "3",
                           NULL};
    /* the blns request is larger than the bound the oversize test uses: it runs first, on
     * a hub started without it */
    if (hubproc_setup(&H) != 0 || hubproc_start(&H, fallback) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    snprintf(url, sizeof url, "ws://127.0.0.1:%d", H.port);
    snprintf(token_file, sizeof token_file, "%s/ingest-token", H.dir);
    FILE *tf = fopen(token_file, "w");
    fputs("tok-ingest\n", tf);
    fclose(tf);
    X = wsc_ctx_new();
    agent = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_send(agent, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(agent, "snapshot", 5000));
    RUN(test_websocket);
    RUN(test_post_contact_summary);
    RUN(test_chat_events);
    RUN(test_fallback_gives_way);
    RUN(test_feed_as_is);
    RUN(test_feed_kinesis_records);
    RUN(test_feed_get_records_answer);
    RUN(test_firehose_voice_one_event_a_record);
    RUN(test_firehose_chat_events_in_one_record);
    RUN(test_firehose_keys);
    RUN(test_firehose_malformed_requests);
    RUN(test_firehose_hostile_records);
    RUN(test_firehose_unknown_segment_kind);
    RUN(test_metrics);
    wsc_ctx_free(X);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    if (hubproc_start(&H, extra) != 0) {
        fprintf(stderr, "cannot restart the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    RUN(test_firehose_oversized);
    RUN(test_firehose_gzip);
    RUN(test_firehose_slow_body);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    hubproc_cleanup(&H);
    return check_done("test_firehose");
}
