/* test_hub_ingest.c — the connector side end to end: `agentdesk-hub feed` (acks awaited,
 * exit status on errors, --realtime pacing) and Amazon Connect Contact Lens segment events
 * (voice 1.0.0 and chat 2.0.0) mapped onto interactions a console sees, under the limits of
 * native frames (duplicate keys, nesting, bounded arrays and flags). */
#include "tests/unit/check.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"
#include "hub/endpoints/contactlens.h"

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

/* Contact Lens contacts go to agent-1 as in a trial (test_connect_assign: real assignment) */
static const char *const cl_fallback[] = {"--contactlens-agent", "agent-1", NULL};

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

/* ---- Contact Lens limits and lookups, and starts that must not go invisible ---- */

static wsc *ingest_open(void)
{
    wsc *in = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(in, "welcome", 5000));
    return in;
}

/* Everything sent on `in` before is applied and committed once this start is acked (acks
 * wait for the commit of their turn, and frames are handled in order). Errors for earlier
 * frames must be read before: waiting for the ack skips them. */
static void sync_ingest(wsc *in)
{
    static int n;
    char id[32];
    snprintf(id, sizeof id, "sync-%d", ++n);
    wsc_sendf(in, "{\"type\":\"start\",\"id\":\"%s\",\"iid\":\"%s\",\"channel\":\"chat\",\"queue\":\"q\","
                  "\"agent\":\"agent-3\",\"customer_id\":\"\"}", id, id);
    json_t *a = wsc_recv_answer(in, id, 5000);
    CHECK(a && strcmp(str(a, "type"), "ack") == 0);
    json_decref(a);
}

/* The first integer of a query on the hub's database (with %Q for `arg`), or -1. */
static int64_t db_int(const char *fmt, const char *arg, const char *arg2)
{
    sqlite3 *db;
    if (sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return -1;
    sqlite3_busy_timeout(db, 2000);
    char *sql = sqlite3_mprintf(fmt, arg, arg2);
    int64_t v = dbquery_int(db, sql);
    sqlite3_free(sql);
    sqlite3_close(db);
    return v;
}

static int64_t logged(const char *iid, const char *type)
{
    return db_int("SELECT count(*) FROM events WHERE iid = %Q AND json_extract(frame, '$.type') = %Q",
                  iid, type);
}

static int64_t offset_of(const char *iid, const char *uid)
{
    return db_int("SELECT json_extract(frame, '$.offset_ms') FROM events WHERE iid = %Q AND"
                  " json_extract(frame, '$.type') = 'utterance' AND json_extract(frame, '$.uid') = %Q",
                  iid, uid);
}

static void db_exec(const char *sql)
{
    sqlite3 *db;
    CHECK(sqlite3_open(H.db, &db) == SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
}

/* A frame of one Categories segment with `n` names PREFIX0.. from `from`. Malloc'd. */
static char *categories_frame(const char *iid, const char *prefix, int from, int n)
{
    size_t cap = 200 + (size_t)n * 24;
    char *f = malloc(cap);
    size_t len = (size_t)snprintf(f, cap, "{\"Version\":\"1.0.0\",\"ContactId\":\"%s\",\"EventType\":\"SEGMENTS\","
                                          "\"Segments\":[{\"Categories\":{\"MatchedCategories\":[", iid);
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(f + len, cap - len, "%s\"%s%d\"", i ? "," : "", prefix, from + i);
    snprintf(f + len, cap - len, "],\"MatchedDetails\":{}}}]}");
    return f;
}

static void test_contact_lens_frame_limits(void)
{
    wsc *in = ingest_open();
    /* duplicate keys: which ContactId would it be? refused, like a native frame */
    wsc_send(in, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl-dup-a\",\"ContactId\":\"cl-dup-b\",\"EventType\":\"STARTED\"}");
    json_t *err = wsc_recv_type(in, "error", 5000);
    CHECK(err && strcmp(str(err, "code"), "bad_json") == 0 && strstr(str(err, "message"), "duplicate"));
    json_decref(err);
    /* 100-deep nesting */
    char deep[400];
    int n = snprintf(deep, sizeof deep, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl-deep\",\"EventType\":\"SEGMENTS\",\"Segments\":");
    for (int i = 0; i < 100; i++)
        deep[n++] = '[';
    for (int i = 0; i < 100; i++)
        deep[n++] = ']';
    snprintf(deep + n, sizeof deep - (size_t)n, "}");
    wsc_send(in, deep);
    err = wsc_recv_type(in, "error", 5000);
    CHECK(err && strcmp(str(err, "code"), "bad_json") == 0);
    CHECK_STR(err ? str(err, "message") : "", "frame nests deeper than 16 levels");
    json_decref(err);
    sync_ingest(in);
    CHECK_INT(logged("cl-dup-a", "interaction.started") + logged("cl-dup-b", "interaction.started"), 0);
    CHECK_INT(logged("cl-deep", "interaction.started"), 0);
    wsc_close(in);
}

static void test_contact_lens_categories_bounded(void)
{
    wsc *in = ingest_open();
    wsc_send(in, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl-many\",\"EventType\":\"STARTED\"}");
    /* 5,200 categories in one frame: refused whole, nothing flagged */
    char *f = categories_frame("cl-many", "c", 0, 5200);
    wsc_send(in, f);
    free(f);
    json_t *err = wsc_recv_type(in, "error", 5000);
    CHECK(err && strcmp(str(err, "code"), "bad_field") == 0 && strstr(str(err, "message"), "MatchedCategories"));
    json_decref(err);
    sync_ingest(in);
    CHECK_INT(logged("cl-many", "interaction.started"), 1);
    CHECK_INT(logged("cl-many", "flag"), 0);
    /* within the frame bound, 150 distinct categories over two frames, each repeated: at most
     * the per-contact bound of flags, each once */
    f = categories_frame("cl-many", "k", 0, CONTACTLENS_MAX_CATEGORIES);
    wsc_send(in, f);
    wsc_send(in, f);
    free(f);
    f = categories_frame("cl-many", "k", 50, CONTACTLENS_MAX_CATEGORIES);
    wsc_send(in, f);
    free(f);
    sync_ingest(in);
    CHECK_INT(logged("cl-many", "flag"), CONTACTLENS_MAX_CATEGORY_FLAGS);
    CHECK(hubproc_metric(&H, "agentdesk_flag_keys") >= CONTACTLENS_MAX_CATEGORY_FLAGS);
    /* a native end (not Contact Lens COMPLETED) frees the contact's set */
    wsc_send(in, "{\"type\":\"end\",\"id\":\"end-many\",\"iid\":\"cl-many\"}");
    json_t *a = wsc_recv_answer(in, "end-many", 5000);
    CHECK(a && strcmp(str(a, "type"), "ack") == 0);
    json_decref(a);
    CHECK_INT(hubproc_metric(&H, "agentdesk_flag_keys"), 0);
    wsc_close(in);
}

static void test_contact_lens_nested_type_key(void)
{
    wsc *in = ingest_open();
    /* a category named "type", and MatchedDetails keyed by it: still a Contact Lens event */
    wsc_send(in, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl-type\",\"EventType\":\"SEGMENTS\",\"Segments\":["
                 "{\"Categories\":{\"MatchedCategories\":[\"type\"],\"MatchedDetails\":{\"type\":{\"PointsOfInterest\":[]}}}},"
                 "{\"Transcript\":{\"ParticipantId\":\"c\",\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"what type of card\",\"Id\":\"t-1\",\"BeginOffsetMillis\":10}}]}");
    sync_ingest(in);
    CHECK_INT(logged("cl-type", "interaction.started"), 1);
    CHECK_INT(logged("cl-type", "flag"), 1);
    CHECK_INT(logged("cl-type", "utterance"), 1);
    CHECK_INT(wsc_inbox(in), 0); /* no error */
    wsc_send(in, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl-type\",\"EventType\":\"COMPLETED\"}");
    sync_ingest(in);
    CHECK_INT(logged("cl-type", "interaction.ended"), 1);
    wsc_close(in);
}

static void test_contact_lens_contact_id_cleaned_once(void)
{
    wsc *in = ingest_open();
    const char *iid = "cl\xe2\x90\x87" "bell"; /* BEL cleaned to its control picture */
    wsc_send(in, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl\\u0007bell\",\"EventType\":\"STARTED\"}");
    wsc_send(in, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl\\u0007bell\",\"EventType\":\"SEGMENTS\",\"Segments\":["
                 "{\"Transcript\":{\"ParticipantId\":\"c\",\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"hello\",\"Id\":\"t-1\",\"BeginOffsetMillis\":5}},"
                 "{\"Categories\":{\"MatchedCategories\":[\"greeting\"],\"MatchedDetails\":{}}}]}");
    wsc_send(in, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl\\u0007bell\",\"EventType\":\"COMPLETED\"}");
    sync_ingest(in);
    CHECK_INT(wsc_inbox(in), 0); /* no "already live", no error at all */
    CHECK_INT(logged(iid, "interaction.started"), 1);
    CHECK_INT(logged(iid, "utterance"), 1);
    CHECK_INT(logged(iid, "flag"), 1);
    CHECK_INT(logged(iid, "interaction.ended"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM interactions WHERE iid LIKE %Q", "cl%bell", NULL), 1);
    wsc_close(in);
}

static void test_contact_lens_chat_offsets(void)
{
    wsc *in = ingest_open();
    /* SEGMENTS first: the contact starts at its first message; later ones are offset from it */
    wsc_send(in, "{\"Version\":\"2.0.0\",\"Channel\":\"CHAT\",\"ContactId\":\"cl-chat-t\",\"StreamingEventType\":\"SEGMENTS\",\"Segments\":["
                 "{\"Transcript\":{\"ParticipantId\":\"c1\",\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"hi\",\"Id\":\"m-1\",\"Time\":{\"AbsoluteTime\":\"2026-03-01T10:00:00.000Z\"}}},"
                 "{\"Transcript\":{\"ParticipantId\":\"a1\",\"ParticipantRole\":\"AGENT\",\"Content\":\"hello\",\"Id\":\"m-2\",\"AbsoluteTime\":\"2026-03-01T10:00:04.500Z\"}}]}");
    wsc_send(in, "{\"Version\":\"2.0.0\",\"Channel\":\"CHAT\",\"ContactId\":\"cl-chat-t\",\"StreamingEventType\":\"SEGMENTS\",\"Segments\":["
                 "{\"Transcript\":{\"ParticipantId\":\"c1\",\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"still there?\",\"Id\":\"m-3\",\"Time\":{\"AbsoluteTime\":\"2026-03-01T11:00:01+01:00\"}}}]}");
    /* STARTED first, a message without a time 600 ms later: offset from the start */
    wsc_send(in, "{\"Version\":\"2.0.0\",\"Channel\":\"CHAT\",\"ContactId\":\"cl-chat-n\",\"StreamingEventType\":\"STARTED\"}");
    sync_ingest(in);
    wsc_service(X, 600);
    wsc_send(in, "{\"Version\":\"2.0.0\",\"Channel\":\"CHAT\",\"ContactId\":\"cl-chat-n\",\"StreamingEventType\":\"SEGMENTS\",\"Segments\":["
                 "{\"Transcript\":{\"ParticipantId\":\"c1\",\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"anyone?\",\"Id\":\"n-1\"}}]}");
    sync_ingest(in);
    CHECK_INT(offset_of("cl-chat-t", "m-1"), 0);
    CHECK_INT(offset_of("cl-chat-t", "m-2"), 4500);
    CHECK_INT(offset_of("cl-chat-t", "m-3"), 1000);
    int64_t late = offset_of("cl-chat-n", "n-1");
    CHECK(late >= 550 && late < 5000);
    wsc_close(in);
}

/* A customer whose full name (first, space, last) is cut to 256 bytes inside an "é". */
static void test_name_cut_on_code_point(void)
{
    char sql[600];
    char first[251];
    memset(first, 'a', 250);
    first[250] = 0;
    snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO customers(id, first_name, last_name) VALUES('C-CUT', '%s', '\xc3\xa9\xc3\xa9\xc3\xa9')", first);
    db_exec(sql);
    wsc *in = ingest_open();
    wsc_send(in, "{\"type\":\"start\",\"id\":\"cut-1\",\"iid\":\"cut-1\",\"channel\":\"voice\",\"queue\":\"q\",\"agent\":\"agent-2\",\"customer_id\":\"C-CUT\"}");
    json_t *a = wsc_recv_answer(in, "cut-1", 5000);
    CHECK(a && strcmp(str(a, "type"), "ack") == 0);
    json_decref(a);
    /* a console signing in now sees it in its snapshot, with the name cut before the "é" */
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_send(c, "{\"type\":\"hello\",\"token\":\"tok-agent-2\",\"client\":\"t\"}");
    json_t *snap = wsc_recv_type(c, "snapshot", 5000);
    json_t *found = NULL, *item;
    size_t i;
    json_array_foreach(json_object_get(snap, "interactions"), i, item)
        if (strcmp(str(item, "iid"), "cut-1") == 0)
            found = item;
    CHECK(found != NULL);
    if (found) {
        const char *name = str(found, "customer_name");
        CHECK_INT(strlen(name), 250 + 1 + 4);
        CHECK(strncmp(name + 251, "\xc3\xa9\xc3\xa9", 4) == 0);
    }
    json_decref(snap);
    bool started = false;
    json_t *st;
    while (!started && (st = wsc_recv_type(c, "interaction.started", 5000))) {
        started = strcmp(str(st, "iid"), "cut-1") == 0;
        json_decref(st);
    }
    CHECK(started);
    wsc_close(c);
    wsc_close(in);
}

/* An event the hub cannot encode (a damaged customer name: not UTF-8) is an error the
 * connector sees, logged and counted, never an acked start nobody can see. */
static void test_encode_failure_is_seen(void)
{
    db_exec("INSERT OR REPLACE INTO customers(id, first_name, last_name) VALUES('C-BAD', CAST(X'61FF62' AS TEXT), 'x')");
    double before = hubproc_metric(&H, "agentdesk_events_invalid_total");
    wsc *in = ingest_open();
    wsc_send(in, "{\"type\":\"start\",\"id\":\"bad-1\",\"iid\":\"bad-1\",\"channel\":\"voice\",\"queue\":\"q\",\"agent\":\"agent-2\",\"customer_id\":\"C-BAD\"}");
    json_t *a = wsc_recv_answer(in, "bad-1", 5000);
    CHECK(a && strcmp(str(a, "type"), "error") == 0);
    CHECK_STR(a ? str(a, "code") : "", "internal");
    CHECK_STR(a ? str(a, "ref") : "", "bad-1");
    json_decref(a);
    CHECK(before >= 0 && hubproc_metric(&H, "agentdesk_events_invalid_total") == before + 1);
    CHECK_INT(db_int("SELECT count(*) FROM interactions WHERE iid = %Q", "bad-1", NULL), 0);
    FILE *fp = fopen(H.log, "r");
    char line[1024];
    bool said = false;
    while (fp && fgets(line, sizeof line, fp))
        said |= strstr(line, "dropped invalid interaction.started") != NULL;
    if (fp)
        fclose(fp);
    CHECK(said);
    wsc_close(in);
}

/* A note whose event cannot be logged (masking an e-mail lengthens it past the limit)
 * still gets an answer: an ack, or an error naming it, never silence. */
static void test_note_always_answered(void)
{
    wsc *in = ingest_open();
    wsc_send(in, "{\"type\":\"start\",\"id\":\"note-1\",\"iid\":\"note-1\",\"channel\":\"voice\",\"queue\":\"q\",\"agent\":\"agent-1\",\"customer_id\":\"\"}");
    json_decref(wsc_recv_answer(in, "note-1", 5000));
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_send(c, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(c, "snapshot", 5000));
    size_t cap = 8192 + 200;
    char *frame = malloc(cap);
    size_t len = (size_t)snprintf(frame, cap, "{\"type\":\"note\",\"id\":\"n-big\",\"iid\":\"note-1\",\"text\":\"");
    size_t text = 0;
    while (text + 7 <= 8192) {
        memcpy(frame + len, "a@b.co ", 7);
        len += 7;
        text += 7;
    }
    snprintf(frame + len, cap - len, "\"}");
    wsc_send(c, frame);
    free(frame);
    json_t *a = wsc_recv_answer(c, "n-big", 5000);
    CHECK(a != NULL);
    if (a && strcmp(str(a, "type"), "error") == 0)
        CHECK_STR(str(a, "ref"), "n-big");
    json_decref(a);
    wsc_close(c);
    wsc_close(in);
}

/* An error message quoting a long name cuts it on a code point: no U+FFFD appears. */
static void test_error_quotes_cut_on_code_point(void)
{
    wsc *in = ingest_open();
    char agent[129];
    memset(agent, 'a', 99);
    agent[99] = 0;
    for (int i = 0; i < 14; i++)
        strcat(agent, "\xc3\xa9"); /* the 100th byte is inside an "é" */
    wsc_sendf(in, "{\"type\":\"start\",\"id\":\"who-1\",\"iid\":\"who-1\",\"channel\":\"voice\",\"queue\":\"q\","
                  "\"agent\":\"%s\",\"customer_id\":\"\"}", agent);
    json_t *e = wsc_recv_answer(in, "who-1", 5000);
    CHECK(e && strcmp(str(e, "type"), "error") == 0);
    const char *m = e ? str(e, "message") : NULL;
    CHECK(m && strstr(m, "unknown agent aaa") && !strstr(m, "\xef\xbf\xbd"));
    json_decref(e);
    wsc_close(in);
}

/* A category flagged before a restart is not flagged again after it (the hub re-marks the
 * restored interaction's category flags); a new one still is. Restarts the hub. */
static void test_category_dedupe_survives_restart(void)
{
    wsc *in = ingest_open();
    wsc_send(in, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl-restart\",\"EventType\":\"SEGMENTS\",\"Segments\":["
                 "{\"Categories\":{\"MatchedCategories\":[\"churn\"],\"MatchedDetails\":{}}}]}");
    sync_ingest(in);
    CHECK_INT(logged("cl-restart", "flag"), 1);
    wsc_close(in);
    CHECK_INT(hubproc_stop(&H, SIGKILL), 128 + SIGKILL);
    CHECK_INT(hubproc_start(&H, cl_fallback), 0);
    in = ingest_open();
    wsc_send(in, "{\"Version\":\"1.0.0\",\"ContactId\":\"cl-restart\",\"EventType\":\"SEGMENTS\",\"Segments\":["
                 "{\"Categories\":{\"MatchedCategories\":[\"churn\",\"angry\"],\"MatchedDetails\":{}}}]}");
    sync_ingest(in);
    CHECK_INT(wsc_inbox(in), 0);
    CHECK_INT(logged("cl-restart", "flag"), 2);
    wsc_close(in);
}

static void test_clean_exit(void)
{
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
}

int main(void)
{
    if (hubproc_setup(&H) != 0 || hubproc_start(&H, cl_fallback) != 0) {
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
    RUN(test_contact_lens_frame_limits);
    RUN(test_contact_lens_categories_bounded);
    RUN(test_contact_lens_nested_type_key);
    RUN(test_contact_lens_contact_id_cleaned_once);
    RUN(test_contact_lens_chat_offsets);
    RUN(test_name_cut_on_code_point);
    RUN(test_encode_failure_is_seen);
    RUN(test_note_always_answered);
    RUN(test_error_quotes_cut_on_code_point);
    RUN(test_category_dedupe_survives_restart); /* restarts the hub: keep last */
    wsc_ctx_free(X);
    RUN(test_clean_exit);
    hubproc_cleanup(&H);
    return check_done("test_hub_ingest");
}
