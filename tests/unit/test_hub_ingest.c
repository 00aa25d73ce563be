/* test_hub_ingest.c — the connector side end to end: `agentdesk-hub feed` (acks awaited,
 * exit status on errors, --realtime pacing) and Amazon Connect Contact Lens segment events
 * (voice 1.0.0 and chat 2.0.0) mapped onto interactions a console sees. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static hubproc H;
static wsc_ctx *X;
static wsc *sup;
static char url[64], token_file[400];

static const char *str(json_t *j, const char *k)
{
    return json_string_value(json_object_get(j, k));
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

static int feed(const char *jsonl, bool realtime, const char *token_path)
{
    char path[400];
    snprintf(path, sizeof path, "%s/feed-%ld.jsonl", H.dir, (long)wsc_now_ms());
    write_file(path, jsonl);
    const char *args[] = {"feed", "--url", url, "--token-file", token_path, realtime ? "--realtime" : path,
                          realtime ? path : NULL, NULL};
    return hubproc_run_tool(&H, args, NULL);
}

/* Events of `iid` the supervisor receives within `ms`, appended to `out`. */
static void collect(const char *iid, json_t *out, int ms)
{
    int64_t end = wsc_now_ms() + ms;
    while (wsc_now_ms() < end) {
        json_t *j = wsc_recv(sup, 200);
        if (!j)
            continue;
        if (str(j, "iid") && strcmp(str(j, "iid"), iid) == 0)
            json_array_append(out, j);
        const char *t = str(j, "type");
        bool ended = t && strcmp(t, "interaction.ended") == 0 && str(j, "iid") && strcmp(str(j, "iid"), iid) == 0;
        json_decref(j);
        if (ended)
            break;
    }
}

static int count_type(json_t *events, const char *type)
{
    int n = 0;
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) n += strcmp(str(e, "type"), type) == 0;
    return n;
}

static json_t *first_type(json_t *events, const char *type)
{
    size_t i;
    json_t *e;
    json_array_foreach(events, i, e) if (strcmp(str(e, "type"), type) == 0) return e;
    return NULL;
}

static void test_feed_file(void)
{
    int rc = feed("{\"type\":\"start\",\"iid\":\"f-1\",\"channel\":\"chat\",\"queue\":\"billing\",\"agent\":\"agent-2\",\"customer_id\":\"C-1001\"}\n"
                  "\n"
                  "{\"type\":\"utterance\",\"iid\":\"f-1\",\"uid\":\"a\",\"speaker\":\"customer\",\"text\":\"hello there\",\"final\":true,\"offset_ms\":100}\n"
                  "{\"type\":\"utterance\",\"iid\":\"f-1\",\"uid\":\"b\",\"speaker\":\"agent\",\"text\":\"hi, how can I help?\",\"final\":true,\"offset_ms\":900}\n"
                  "{\"type\":\"end\",\"iid\":\"f-1\",\"reason\":\"resolved\"}\n",
                  false, token_file);
    CHECK_INT(rc, 0);
    json_t *ev = json_array();
    collect("f-1", ev, 5000);
    CHECK_INT(count_type(ev, "interaction.started"), 1);
    CHECK_INT(count_type(ev, "utterance"), 2);
    CHECK_INT(count_type(ev, "interaction.ended"), 1);
    json_decref(ev);
}

static void test_feed_errors(void)
{
    /* an utterance for an interaction that does not exist: exit 1 */
    CHECK_INT(feed("{\"type\":\"utterance\",\"iid\":\"nope\",\"uid\":\"a\",\"speaker\":\"customer\",\"text\":\"x\",\"final\":true,\"offset_ms\":0}\n",
                   false, token_file), 1);
    /* not JSON */
    CHECK_INT(feed("{\"type\":\n", false, token_file), 1);
    /* a wrong token */
    char bad[400];
    snprintf(bad, sizeof bad, "%s/bad-token", H.dir);
    write_file(bad, "not-a-token\n");
    CHECK_INT(feed("{\"type\":\"end\",\"iid\":\"x\"}\n", false, bad), 1);
    /* no hub there */
    const char *args[] = {"feed", "--url", "ws://127.0.0.1:1", "--token-file", token_file, "/dev/null", NULL};
    CHECK_INT(hubproc_run_tool(&H, args, NULL), 1);
    /* no token at all */
    const char *args2[] = {"feed", "--url", url, "/dev/null", NULL};
    CHECK(hubproc_run_tool(&H, args2, NULL) != 0);
    /* the token from the environment works */
    const char *args3[] = {"feed", "--url", url, "/dev/null", NULL};
    CHECK_INT(hubproc_run_tool(&H, args3, "tok-ingest"), 0);
}

static void test_feed_realtime(void)
{
    int64_t t0 = wsc_now_ms();
    int rc = feed("{\"type\":\"start\",\"iid\":\"rt-1\",\"channel\":\"voice\",\"queue\":\"q\",\"agent\":\"agent-1\",\"customer_id\":\"C-1002\"}\n"
                  "{\"type\":\"utterance\",\"iid\":\"rt-1\",\"uid\":\"a\",\"speaker\":\"customer\",\"text\":\"one\",\"final\":true,\"offset_ms\":300}\n"
                  "{\"type\":\"utterance\",\"iid\":\"rt-1\",\"uid\":\"b\",\"speaker\":\"customer\",\"text\":\"two\",\"final\":true,\"offset_ms\":700}\n"
                  "{\"type\":\"end\",\"iid\":\"rt-1\"}\n",
                  true, token_file);
    CHECK_INT(rc, 0);
    /* paced: the last utterance cannot have gone before its offset */
    CHECK(wsc_now_ms() - t0 >= 700);
    json_t *ev = json_array();
    collect("rt-1", ev, 5000);
    CHECK_INT(count_type(ev, "utterance"), 2);
    json_decref(ev);
}

static void test_contact_lens_voice(void)
{
    int rc = feed(
        "{\"Version\":\"1.0.0\",\"Channel\":\"VOICE\",\"AccountId\":\"123\",\"InstanceId\":\"i-1\",\"ContactId\":\"cl-voice-1\",\"LanguageCode\":\"en-US\",\"EventType\":\"STARTED\"}\n"
        "{\"Version\":\"1.0.0\",\"Channel\":\"VOICE\",\"ContactId\":\"cl-voice-1\",\"EventType\":\"SEGMENTS\",\"Segments\":["
        "{\"Utterance\":{\"ParticipantId\":\"CUSTOMER\",\"ParticipantRole\":\"CUSTOMER\",\"PartialContent\":\"I want to\",\"BeginOffsetMillis\":1000,\"EndOffsetMillis\":1500,\"Id\":\"p-1\",\"TranscriptId\":\"t-1\"}}]}\n"
        "{\"Version\":\"1.0.0\",\"Channel\":\"VOICE\",\"ContactId\":\"cl-voice-1\",\"EventType\":\"SEGMENTS\",\"Segments\":["
        "{\"Transcript\":{\"ParticipantId\":\"CUSTOMER\",\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"I want to cancel my account\",\"BeginOffsetMillis\":1000,\"EndOffsetMillis\":2500,\"Id\":\"t-1\",\"Sentiment\":\"NEGATIVE\"}},"
        "{\"Categories\":{\"MatchedCategories\":[\"churn\"],\"MatchedDetails\":{}}},"
        "{\"Transcript\":{\"ParticipantId\":\"AGENT\",\"ParticipantRole\":\"AGENT\",\"Content\":\"I'm sorry to hear that\",\"BeginOffsetMillis\":3000,\"EndOffsetMillis\":4000,\"Id\":\"t-2\"}}]}\n"
        "{\"Version\":\"1.0.0\",\"Channel\":\"VOICE\",\"ContactId\":\"cl-voice-1\",\"EventType\":\"SEGMENTS\",\"Segments\":["
        "{\"Categories\":{\"MatchedCategories\":[\"churn\",\"angry\"],\"MatchedDetails\":{}}}]}\n"
        "{\"Version\":\"1.0.0\",\"Channel\":\"VOICE\",\"ContactId\":\"cl-voice-1\",\"EventType\":\"COMPLETED\"}\n",
        false, token_file);
    CHECK_INT(rc, 0);
    json_t *ev = json_array();
    collect("cl-voice-1", ev, 5000);
    json_t *st = first_type(ev, "interaction.started");
    CHECK(st != NULL);
    CHECK_STR(str(st, "channel"), "voice");
    CHECK_STR(str(st, "agent"), "agent-1");
    CHECK_STR(str(st, "queue"), "contactlens");
    CHECK_INT(count_type(ev, "utterance"), 3);
    json_t *u = first_type(ev, "utterance");
    CHECK_STR(str(u, "uid"), "t-1");
    CHECK(json_is_false(json_object_get(u, "final")));
    CHECK_INT(json_integer_value(json_object_get(u, "offset_ms")), 1000);
    size_t i;
    json_t *e;
    int finals = 0;
    json_array_foreach(ev, i, e) if (strcmp(str(e, "type"), "utterance") == 0 && json_is_true(json_object_get(e, "final"))) {
        finals++;
        if (strcmp(str(e, "uid"), "t-2") == 0)
            CHECK_STR(str(e, "speaker"), "agent");
    }
    CHECK_INT(finals, 2);
    json_t *end = first_type(ev, "interaction.ended");
    CHECK(end && strcmp(str(end, "reason"), "completed") == 0);
    /* MatchedCategories: one flag per category, however often Contact Lens repeats it */
    int churn = 0, angry = 0;
    json_array_foreach(ev, i, e) if (strcmp(str(e, "type"), "flag") == 0 && strcmp(str(e, "rule"), "contactlens-category") == 0) {
        CHECK_STR(str(e, "kind"), "category");
        churn += strcmp(str(e, "evidence"), "churn") == 0;
        angry += strcmp(str(e, "evidence"), "angry") == 0;
    }
    CHECK_INT(churn, 1);
    CHECK_INT(angry, 1);
    json_decref(ev);
}

static void test_contact_lens_chat_and_errors(void)
{
    wsc *in = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(in, "welcome", 5000));
    /* SEGMENTS before STARTED starts the contact; chat has no offsets */
    wsc_send(in, "{\"Version\":\"2.0.0\",\"Channel\":\"CHAT\",\"ContactId\":\"cl-chat-1\",\"StreamingEventType\":\"SEGMENTS\",\"Segments\":["
                 "{\"Transcript\":{\"ParticipantId\":\"c1\",\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"where is my parcel\",\"Id\":\"m-1\",\"AbsoluteTime\":\"2026-01-01T10:00:00Z\"}},"
                 "{\"Transcript\":{\"ParticipantId\":\"b1\",\"ParticipantRole\":\"SYSTEM\",\"Content\":\"Connecting you to an agent\",\"Id\":\"m-2\"}}]}");
    wsc_send(in, "{\"Version\":\"2.0.0\",\"Channel\":\"CHAT\",\"ContactId\":\"cl-chat-1\",\"StreamingEventType\":\"STARTED\"}");
    wsc_send(in, "{\"Version\":\"2.0.0\",\"Channel\":\"CHAT\",\"ContactId\":\"cl-chat-1\",\"StreamingEventType\":\"FAILED\"}");
    json_t *ev = json_array();
    collect("cl-chat-1", ev, 5000);
    json_t *st = first_type(ev, "interaction.started");
    CHECK(st && strcmp(str(st, "channel"), "chat") == 0);
    CHECK_INT(count_type(ev, "interaction.started"), 1);
    CHECK_INT(count_type(ev, "utterance"), 2);
    size_t i;
    json_t *e;
    json_array_foreach(ev, i, e) if (strcmp(str(e, "type"), "utterance") == 0 && strcmp(str(e, "uid"), "m-2") == 0)
        CHECK_STR(str(e, "speaker"), "bot");
    json_t *end = first_type(ev, "interaction.ended");
    CHECK(end && strcmp(str(end, "reason"), "failed") == 0);
    json_decref(ev);
    /* broken Contact Lens events get errors, the connection stays */
    wsc_send(in, "{\"Version\":\"1.0.0\",\"EventType\":\"STARTED\"}");
    json_t *err = wsc_recv_type(in, "error", 5000);
    CHECK_STR(str(err, "code"), "bad_field");
    json_decref(err);
    wsc_send(in, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl-x\",\"EventType\":\"EXPLODED\"}");
    err = wsc_recv_type(in, "error", 5000);
    CHECK_STR(str(err, "code"), "unknown_type");
    json_decref(err);
    wsc_send(in, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl-y\",\"EventType\":\"SEGMENTS\",\"Segments\":[{\"Transcript\":{\"Content\":\"no role\"}}]}");
    err = wsc_recv_type(in, "error", 5000);
    CHECK_STR(str(err, "code"), "bad_field");
    json_decref(err);
    wsc_close(in);
}

static void test_clean_exit(void)
{
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
}

int main(void)
{
    if (hubproc_setup(&H) != 0 || hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    snprintf(url, sizeof url, "ws://127.0.0.1:%d", H.port);
    snprintf(token_file, sizeof token_file, "%s/ingest-token", H.dir);
    write_file(token_file, "tok-ingest\n");
    X = wsc_ctx_new();
    sup = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_send(sup, "{\"type\":\"hello\",\"token\":\"tok-supervisor\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(sup, "snapshot", 5000));
    RUN(test_feed_file);
    RUN(test_feed_errors);
    RUN(test_feed_realtime);
    RUN(test_contact_lens_voice);
    RUN(test_contact_lens_chat_and_errors);
    wsc_ctx_free(X);
    RUN(test_clean_exit);
    hubproc_cleanup(&H);
    return check_done("test_hub_ingest");
}
