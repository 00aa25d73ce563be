/* test_contactlens.c — Amazon Connect Contact Lens events on the ingest endpoint: which
 * frames are taken for them, and what each maps to, checked on the pipeline's output (the
 * frames a console receives, after the commit) in process on real storage with the real
 * assist stage: voice 1.0.0 segments (speaker roles, partial and final, categories to flags,
 * sentiment, offsets), chat 2.0.0 events, contact start and end, and the limits. The same
 * mapping over a real websocket is in test_hub_ingest. */
#include "tests/unit/check.h"
#include "tests/lib/pipefix.h"
#include "hub/endpoints/contactlens.h"
#include "base/strhash.h"

#include <stdlib.h>
#include <string.h>

static bool detect(const char *s)
{
    json_t *frame = json_loads(s, JSON_DECODE_ANY, NULL);
    bool is = contactlens_detect(frame);
    json_decref(frame);
    return is;
}

static void test_detect(void)
{
    CHECK(detect("{\"Version\":\"1.0.0\",\"ContactId\":\"c\",\"EventType\":\"STARTED\"}"));
    CHECK(detect("{\"Version\":\"2.0.0\",\"ContactId\":\"c\",\"StreamingEventType\":\"SEGMENTS\"}"));
    /* a native frame is never one, even when its text mentions the keys */
    CHECK(!detect("{\"type\":\"utterance\",\"text\":\"\\\"EventType\\\"\"}"));
    CHECK(!detect("{\"EventType\":\"STARTED\",\"type\":\"start\"}"));
    CHECK(!detect("{\"Version\":\"1.0.0\",\"ContactId\":\"c\"}"));
    CHECK(!detect(""));
    CHECK(!detect("not json"));
    CHECK(!detect("[{\"EventType\":\"STARTED\"}]"));
    /* decided by the top-level keys only: a category, or any nested object, called "type"
     * does not make it a native frame */
    CHECK(detect("{\"Version\":\"1.0.0\",\"ContactId\":\"c\",\"EventType\":\"SEGMENTS\",\"Segments\":"
                 "[{\"Categories\":{\"MatchedCategories\":[\"type\"],\"MatchedDetails\":{\"type\":{}}}}]}"));
    CHECK(!detect("{\"type\":\"end\",\"iid\":\"x\",\"x\":{\"EventType\":\"STARTED\"}}"));
}

/* ---- the mapping, on what consoles receive ---- */

static proto_error last_error;

/* Apply one Contact Lens event as the ingest endpoint does (hub defaults: agent-1, queue
 * "contactlens", customer C-1001). 0, or -1 with last_error. */
static int cl(pipefix *f, const char *frame)
{
    json_t *j = json_loads(frame, 0, NULL);
    CHECK(j != NULL);
    contactlens_defaults d = {.agent = "agent-1", .queue = "contactlens", .customer_id = "C-1001"};
    memset(&last_error, 0, sizeof last_error);
    int rc = j ? contactlens_apply(f->p, j, &d, &last_error) : -2;
    json_decref(j);
    return rc;
}

static const char *str(json_t *frame, const char *key)
{
    const char *s = json_string_value(json_object_get(frame, key));
    return s ? s : "";
}

static int64_t num(json_t *frame, const char *key)
{
    return json_integer_value(json_object_get(frame, key));
}

/* The one delivered frame of `type` for `iid` whose `key` is `value` (NULL: the last). */
static json_t *frame_where(pipefix *f, const char *type, const char *iid, const char *key, const char *value)
{
    json_t *all = pipefix_frames(f, type, iid), *found = NULL;
    size_t i;
    json_t *x;
    json_array_foreach(all, i, x)
        if (!key || strcmp(str(x, key), value) == 0)
            found = x;
    json_incref(found);
    json_decref(all);
    return found;
}

static size_t count_of(pipefix *f, const char *type, const char *iid)
{
    json_t *all = pipefix_frames(f, type, iid);
    size_t n = json_array_size(all);
    json_decref(all);
    return n;
}

#define VOICE(iid) "{\"Version\":\"1.0.0\",\"Channel\":\"VOICE\",\"ContactId\":\"" iid "\","
#define CHAT(iid) "{\"Version\":\"2.0.0\",\"Channel\":\"CHAT\",\"ContactId\":\"" iid "\","

/* Voice: STARTED with the hub's defaults; a partial and then its final under the partial's
 * TranscriptId; each role's speaker; offsets from BeginOffsetMillis (a negative one is 0);
 * Contact Lens's own Sentiment is not passed on, agentdesk scores the final itself. */
static void test_voice_segments(void)
{
    pipefix f;
    if (!pipefix_open(&f, true)) {
        CHECK(!"pipefix_open");
        return;
    }
    CHECK_INT(cl(&f, VOICE("cl-v") "\"AccountId\":\"123\",\"EventType\":\"STARTED\"}"), 0);
    CHECK_INT(cl(&f, VOICE("cl-v") "\"EventType\":\"SEGMENTS\",\"Segments\":["
                     "{\"Utterance\":{\"ParticipantId\":\"CUSTOMER\",\"ParticipantRole\":\"CUSTOMER\",\"PartialContent\":\"I've been charged\","
                     "\"BeginOffsetMillis\":9000,\"EndOffsetMillis\":10200,\"Id\":\"u-7\",\"TranscriptId\":\"t-3\"}}]}"), 0);
    CHECK(pipefix_flush(&f) > 0);
    json_t *started = frame_where(&f, "interaction.started", "cl-v", NULL, NULL);
    CHECK_STR(str(started, "channel"), "voice");
    CHECK_STR(str(started, "queue"), "contactlens");
    CHECK_STR(str(started, "agent"), "agent-1");
    CHECK_STR(str(started, "customer_id"), "C-1001");
    json_decref(started);
    json_t *partial = frame_where(&f, "utterance", "cl-v", "uid", "t-3");
    CHECK(partial != NULL);
    CHECK(json_is_false(json_object_get(partial, "final")));
    CHECK_STR(str(partial, "speaker"), "customer");
    CHECK_STR(str(partial, "text"), "I've been charged");
    CHECK_INT(num(partial, "offset_ms"), 9000);
    json_decref(partial);
    CHECK_INT(count_of(&f, "sentiment", "cl-v"), 0); /* a partial is not scored */

    CHECK_INT(cl(&f, VOICE("cl-v") "\"EventType\":\"SEGMENTS\",\"Segments\":["
                     "{\"Transcript\":{\"ParticipantId\":\"CUSTOMER\",\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"I've been charged twice, this is terrible.\","
                     "\"BeginOffsetMillis\":9000,\"EndOffsetMillis\":11800,\"Id\":\"t-3\",\"Sentiment\":\"NEGATIVE\"}},"
                     "{\"Transcript\":{\"ParticipantRole\":\"AGENT\",\"Content\":\"Sorry to hear that.\",\"BeginOffsetMillis\":12000,\"Id\":\"t-4\"}},"
                     "{\"Transcript\":{\"ParticipantRole\":\"SUPERVISOR\",\"Content\":\"Joining.\",\"BeginOffsetMillis\":13000,\"Id\":\"t-5\"}},"
                     "{\"Transcript\":{\"ParticipantRole\":\"SYSTEM\",\"Content\":\"Recording.\",\"BeginOffsetMillis\":-50,\"Id\":\"t-6\"}},"
                     "{\"Utterance\":{\"ParticipantRole\":\"CUSTOM_BOT\",\"Content\":\"Please hold\",\"BeginOffsetMillis\":14000,\"Id\":\"u-8\"}},"
                     "{\"PostContactSummary\":{\"Content\":\"ignored\"}},{\"Attachments\":{}},{\"Event\":{}}]}"), 0);
    size_t before = json_array_size(f.delivered);
    CHECK(pipefix_flush(&f) > 0);
    json_t *final = frame_where(&f, "utterance", "cl-v", "uid", "t-3");
    CHECK(json_is_true(json_object_get(final, "final")));
    CHECK_STR(str(final, "text"), "I've been charged twice, this is terrible.");
    CHECK(json_object_get(final, "Sentiment") == NULL);
    json_decref(final);
    json_t *score = frame_where(&f, "sentiment", "cl-v", "uid", "t-3");
    CHECK(score != NULL);
    CHECK(json_number_value(json_object_get(score, "score")) < 0);
    json_decref(score);
    static const struct { const char *uid, *speaker; int64_t offset; bool final; } roles[] = {
        {"t-4", "agent", 12000, true}, {"t-5", "agent", 13000, true}, {"t-6", "bot", 0, true},
        {"u-8", "bot", 14000, false}, /* an Utterance without TranscriptId: its Id, Content */
    };
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++) {
        json_t *u = frame_where(&f, "utterance", "cl-v", "uid", roles[i].uid);
        CHECK(u != NULL);
        CHECK_STR(str(u, "speaker"), roles[i].speaker);
        CHECK_INT(num(u, "offset_ms"), roles[i].offset);
        CHECK(json_is_true(json_object_get(u, "final")) == roles[i].final);
        json_decref(u);
    }
    /* the summary, attachments and event segments made nothing */
    size_t i;
    json_t *x;
    json_array_foreach(f.delivered, i, x)
        if (i >= before)
            CHECK(strcmp(str(x, "type"), "utterance") == 0 || strcmp(str(x, "type"), "sentiment") == 0 ||
                  strcmp(str(x, "type"), "flag") == 0 || strcmp(str(x, "type"), "suggestion") == 0 ||
                  strcmp(str(x, "type"), "checklist") == 0);
    pipefix_close(&f);
}

/* Free text from Contact Lens is masked for consoles like a connector's. */
static void test_voice_text_masked(void)
{
    pipefix f;
    if (!pipefix_open(&f, true)) {
        CHECK(!"pipefix_open");
        return;
    }
    CHECK_INT(cl(&f, VOICE("cl-pii") "\"EventType\":\"SEGMENTS\",\"Segments\":["
                     "{\"Transcript\":{\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"my card is 4111 1111 1111 1111\","
                     "\"BeginOffsetMillis\":100,\"Id\":\"t-1\"}}]}"), 0);
    CHECK(pipefix_flush(&f) > 0);
    json_t *u = frame_where(&f, "utterance", "cl-pii", "uid", "t-1");
    CHECK(u != NULL);
    CHECK(strstr(str(u, "text"), "4111") == NULL);
    CHECK(strstr(str(u, "text"), "my card is") != NULL);
    json_decref(u);
    pipefix_close(&f);
}

/* Categories: one flag per category and contact, named by the contact and the name's
 * hash, however often Contact Lens repeats it; names that are not strings, empty or over
 * 200 bytes are skipped. */
static void test_categories_to_flags(void)
{
    pipefix f;
    if (!pipefix_open(&f, false)) {
        CHECK(!"pipefix_open");
        return;
    }
    char frame[1024], longname[202];
    memset(longname, 'n', 201);
    longname[201] = '\0';
    snprintf(frame, sizeof frame, VOICE("cl-cat") "\"EventType\":\"SEGMENTS\",\"Segments\":["
             "{\"Categories\":{\"MatchedCategories\":[\"churn\",\"\",7,\"%s\",\"churn\"],\"MatchedDetails\":{}}},"
             "{\"Categories\":{\"MatchedCategories\":[\"churn\",\"escalation\"],\"MatchedDetails\":{}}}]}", longname);
    CHECK_INT(cl(&f, frame), 0);
    CHECK_INT(cl(&f, VOICE("cl-cat") "\"EventType\":\"SEGMENTS\",\"Segments\":[{\"Categories\":{\"MatchedCategories\":[\"escalation\"]}}]}"), 0);
    CHECK(pipefix_flush(&f) > 0);
    CHECK_INT(count_of(&f, "flag", "cl-cat"), 2);
    json_t *churn = frame_where(&f, "flag", "cl-cat", "evidence", "churn");
    CHECK(churn != NULL);
    char fid[64];
    snprintf(fid, sizeof fid, "cl-cat-CL%08x", strhash_fnv1a("churn"));
    CHECK_STR(str(churn, "fid"), fid);
    CHECK_STR(str(churn, "kind"), "category");
    CHECK_STR(str(churn, "rule"), CONTACTLENS_CATEGORY_RULE);
    CHECK_INT(num(churn, "severity"), 2);
    CHECK_STR(str(churn, "text"), "Contact Lens category: churn");
    json_decref(churn);
    /* at most 100 distinct category flags per contact */
    for (int batch = 0; batch < 2; batch++) {
        char big[4096];
        int n = snprintf(big, sizeof big, VOICE("cl-cat") "\"EventType\":\"SEGMENTS\",\"Segments\":[{\"Categories\":{\"MatchedCategories\":[");
        for (int k = 0; k < 60; k++)
            n += snprintf(big + n, sizeof big - (size_t)n, "%s\"cat-%d-%d\"", k ? "," : "", batch, k);
        snprintf(big + n, sizeof big - (size_t)n, "]}}]}");
        CHECK_INT(cl(&f, big), 0);
    }
    CHECK(pipefix_flush(&f) > 0);
    CHECK_INT(count_of(&f, "flag", "cl-cat"), CONTACTLENS_MAX_CATEGORY_FLAGS);
    pipefix_close(&f);
}

/* Chat: a SEGMENTS before any STARTED starts the contact at its earliest message; offsets
 * are message times (Time.AbsoluteTime or AbsoluteTime, Z or an offset) minus the start;
 * a message earlier than the start is at 0; FAILED ends it. Channel CHAT alone is chat. */
static void test_chat_events(void)
{
    pipefix f;
    if (!pipefix_open(&f, false)) {
        CHECK(!"pipefix_open");
        return;
    }
    CHECK_INT(cl(&f, CHAT("cl-c") "\"StreamingEventType\":\"SEGMENTS\",\"Segments\":["
                     "{\"Transcript\":{\"ParticipantRole\":\"AGENT\",\"Content\":\"hello\",\"Id\":\"m-2\",\"AbsoluteTime\":\"2026-03-01T10:00:04.500Z\"}},"
                     "{\"Transcript\":{\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"hi\",\"Id\":\"m-1\",\"Time\":{\"AbsoluteTime\":\"2026-03-01T10:00:00.000Z\"}}}]}"), 0);
    CHECK_INT(cl(&f, CHAT("cl-c") "\"StreamingEventType\":\"STARTED\"}"), 0); /* already live: ignored */
    CHECK_INT(cl(&f, CHAT("cl-c") "\"StreamingEventType\":\"SEGMENTS\",\"Segments\":["
                     "{\"Transcript\":{\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"still there?\",\"Id\":\"m-3\",\"Time\":{\"AbsoluteTime\":\"2026-03-01T11:00:01+01:00\"}}},"
                     "{\"Transcript\":{\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"skewed\",\"Id\":\"m-4\",\"AbsoluteTime\":\"2026-03-01T09:59:00Z\"}}]}"), 0);
    CHECK_INT(cl(&f, CHAT("cl-c") "\"StreamingEventType\":\"FAILED\"}"), 0);
    CHECK(pipefix_flush(&f) > 0);
    CHECK_INT(count_of(&f, "interaction.started", "cl-c"), 1);
    json_t *started = frame_where(&f, "interaction.started", "cl-c", NULL, NULL);
    CHECK_STR(str(started, "channel"), "chat");
    CHECK_INT(num(started, "started_ms"), 1772359200000LL); /* 2026-03-01T10:00:00Z */
    json_decref(started);
    static const struct { const char *uid, *speaker; int64_t offset; } msgs[] = {
        {"m-1", "customer", 0}, {"m-2", "agent", 4500}, {"m-3", "customer", 1000}, {"m-4", "customer", 0},
    };
    for (size_t i = 0; i < sizeof msgs / sizeof msgs[0]; i++) {
        json_t *u = frame_where(&f, "utterance", "cl-c", "uid", msgs[i].uid);
        CHECK(u != NULL);
        CHECK(json_is_true(json_object_get(u, "final")));
        CHECK_STR(str(u, "speaker"), msgs[i].speaker);
        CHECK_INT(num(u, "offset_ms"), msgs[i].offset);
        json_decref(u);
    }
    json_t *ended = frame_where(&f, "interaction.ended", "cl-c", NULL, NULL);
    CHECK_STR(str(ended, "reason"), "failed");
    json_decref(ended);
    CHECK_INT(cl(&f, "{\"Version\":\"1.0.0\",\"Channel\":\"CHAT\",\"ContactId\":\"cl-c2\",\"EventType\":\"STARTED\"}"), 0);
    CHECK(pipefix_flush(&f) > 0);
    started = frame_where(&f, "interaction.started", "cl-c2", NULL, NULL);
    CHECK_STR(str(started, "channel"), "chat");
    json_decref(started);
    pipefix_close(&f);
}

/* Start and end: a repeated STARTED and an end of a contact that is not live change nothing
 * (a replayed stream is harmless); COMPLETED ends with "completed"; a segment after the
 * end is refused, and nothing of it reaches a console. */
static void test_contact_start_end(void)
{
    pipefix f;
    if (!pipefix_open(&f, false)) {
        CHECK(!"pipefix_open");
        return;
    }
    CHECK_INT(cl(&f, VOICE("cl-se") "\"EventType\":\"COMPLETED\"}"), 0);
    CHECK_INT(cl(&f, VOICE("cl-se") "\"EventType\":\"STARTED\"}"), 0);
    CHECK_INT(cl(&f, VOICE("cl-se") "\"EventType\":\"STARTED\"}"), 0);
    CHECK_INT(cl(&f, VOICE("cl-se") "\"EventType\":\"COMPLETED\"}"), 0);
    CHECK_INT(cl(&f, VOICE("cl-se") "\"EventType\":\"COMPLETED\"}"), 0);
    CHECK_INT(pipefix_flush(&f), 2);
    CHECK_INT(count_of(&f, "interaction.started", "cl-se"), 1);
    json_t *ended = frame_where(&f, "interaction.ended", "cl-se", NULL, NULL);
    CHECK_STR(str(ended, "reason"), "completed");
    json_decref(ended);
    CHECK_INT(cl(&f, VOICE("cl-se") "\"EventType\":\"SEGMENTS\",\"Segments\":["
                     "{\"Transcript\":{\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"late\",\"BeginOffsetMillis\":1,\"Id\":\"t-9\"}}]}"), 0);
    /* after the end only a post-contact summary is applied: a late line is not, nor does it
     * start the contact again */
    CHECK_INT(pipefix_flush(&f), 0);
    CHECK_INT(count_of(&f, "utterance", "cl-se"), 0);
    pipefix_close(&f);
}

/* Over a bound or malformed: refused with a clear error, and (for the bounds, checked first)
 * nothing of the event applied. */
static void test_limits(void)
{
    pipefix f;
    if (!pipefix_open(&f, false)) {
        CHECK(!"pipefix_open");
        return;
    }
    static const struct { const char *frame, *code, *message; } refused[] = {
        {"{\"Version\":\"1.0.0\",\"EventType\":\"STARTED\"}", PROTO_ERR_BAD_FIELD, "Contact Lens event: ContactId missing"},
        {"{\"Version\":\"1.0.0\",\"ContactId\":\"\",\"EventType\":\"STARTED\"}", PROTO_ERR_BAD_FIELD, "Contact Lens event: ContactId missing"},
        {"{\"Version\":\"1.0.0\",\"ContactId\":7,\"EventType\":\"STARTED\"}", PROTO_ERR_BAD_FIELD, "Contact Lens event: ContactId missing"},
        {VOICE("cl-l") "\"StreamingEventType\":7}", PROTO_ERR_BAD_FIELD, "Contact Lens event: EventType missing"},
        {VOICE("cl-l") "\"EventType\":\"EXPLODED\"}", PROTO_ERR_UNKNOWN_TYPE, "Contact Lens event: unknown EventType"},
        {VOICE("cl-l") "\"EventType\":\"SEGMENTS\",\"Segments\":{}}", PROTO_ERR_BAD_FIELD, "Contact Lens event: Segments is not an array"},
        {VOICE("cl-l") "\"EventType\":\"SEGMENTS\",\"Segments\":[{\"Transcript\":{\"Content\":\"no role\",\"Id\":\"t\"}}]}",
         PROTO_ERR_BAD_FIELD, "Contact Lens segment: ParticipantRole, Id and content are required"},
        {VOICE("cl-l") "\"EventType\":\"SEGMENTS\",\"Segments\":[{\"Transcript\":{\"ParticipantRole\":\"ALIEN\",\"Content\":\"x\",\"Id\":\"t\"}}]}",
         PROTO_ERR_BAD_FIELD, "Contact Lens segment: ParticipantRole, Id and content are required"},
        {VOICE("cl-l") "\"EventType\":\"SEGMENTS\",\"Segments\":[{\"Transcript\":{\"ParticipantRole\":\"AGENT\",\"Content\":\"x\"}}]}",
         PROTO_ERR_BAD_FIELD, "Contact Lens segment: ParticipantRole, Id and content are required"},
        {VOICE("cl-l") "\"EventType\":\"SEGMENTS\",\"Segments\":[{\"Transcript\":{\"ParticipantRole\":\"AGENT\",\"Content\":5,\"Id\":\"t\"}}]}",
         PROTO_ERR_BAD_FIELD, "Contact Lens segment: ParticipantRole, Id and content are required"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        CHECK_INT(cl(&f, refused[i].frame), -1);
        CHECK_STR(last_error.code, refused[i].code);
        CHECK_STR(last_error.message, refused[i].message);
    }
    /* a mapped event the codec refuses: its message names the field */
    char *text = malloc(PROTO_MAX_TEXT + 400);
    int n = snprintf(text, 400, VOICE("cl-l") "\"EventType\":\"SEGMENTS\",\"Segments\":[{\"Transcript\":{\"ParticipantRole\":\"AGENT\",\"Id\":\"t\",\"Content\":\"");
    memset(text + n, 'x', PROTO_MAX_TEXT + 1);
    strcpy(text + n + PROTO_MAX_TEXT + 1, "\"}}]}");
    CHECK_INT(cl(&f, text), -1);
    CHECK_STR(last_error.code, PROTO_ERR_BAD_FIELD);
    CHECK_STR(last_error.message, "utterance.text: exceeds 8192 bytes");
    free(text);
    char id[PROTO_MAX_ID + 80];
    n = snprintf(id, sizeof id, "{\"Version\":\"1.0.0\",\"ContactId\":\"");
    memset(id + n, 'c', PROTO_MAX_ID + 1);
    strcpy(id + n + PROTO_MAX_ID + 1, "\",\"EventType\":\"STARTED\"}");
    CHECK_INT(cl(&f, id), -1);
    CHECK_STR(last_error.message, "Contact Lens event: ContactId too long");
    /* over a bound: refused whole, before its (valid) first segment starts anything */
    for (int bound = 0; bound < 2; bound++) {
        size_t cap = 64 * 1024;
        char *big = malloc(cap);
        int m = snprintf(big, cap, VOICE("cl-b") "\"EventType\":\"SEGMENTS\",\"Segments\":["
                         "{\"Transcript\":{\"ParticipantRole\":\"AGENT\",\"Content\":\"hi\",\"BeginOffsetMillis\":1,\"Id\":\"t-1\"}}");
        if (bound == 0)
            for (int k = 0; k < CONTACTLENS_MAX_SEGMENTS; k++)
                m += snprintf(big + m, cap - (size_t)m, ",{\"Event\":{}}");
        else {
            m += snprintf(big + m, cap - (size_t)m, ",{\"Categories\":{\"MatchedCategories\":[");
            for (int k = 0; k <= CONTACTLENS_MAX_CATEGORIES; k++)
                m += snprintf(big + m, cap - (size_t)m, "%s\"c%d\"", k ? "," : "", k);
            m += snprintf(big + m, cap - (size_t)m, "]}}");
        }
        snprintf(big + m, cap - (size_t)m, "]}");
        CHECK_INT(cl(&f, big), -1);
        CHECK_STR(last_error.code, PROTO_ERR_BAD_FIELD);
        CHECK_STR(last_error.message, bound == 0 ? "Contact Lens event: more than 100 Segments"
                                                 : "Contact Lens event: more than 100 MatchedCategories in a segment");
        free(big);
    }
    pipefix_flush(&f);
    CHECK_INT(count_of(&f, NULL, "cl-b"), 0);
    CHECK(!pipeline_is_live(f.p, "cl-b"));
    CHECK_INT(count_of(&f, "utterance", "cl-l"), 0);
    pipefix_close(&f);
}

/* IssuesDetected: offsets count code points, not bytes; offsets outside the text, or the
 * same issue again, raise nothing. */
static void test_issues_to_flags(void)
{
    pipefix f;
    if (!pipefix_open(&f, true)) {
        CHECK(!"pipefix_open");
        return;
    }
    const char *ev = VOICE("cl-iss") "\"EventType\":\"SEGMENTS\",\"Segments\":["
                     "{\"Transcript\":{\"ParticipantRole\":\"CUSTOMER\",\"Content\":\"\xc3\xa7" "a co\xc3\xbbte tr\xc3\xa8s cher\","
                     "\"BeginOffsetMillis\":100,\"Id\":\"t-1\",\"IssuesDetected\":["
                     "{\"CharacterOffsets\":{\"BeginOffsetChar\":3,\"EndOffsetChar\":8}},"
                     "{\"CharacterOffsets\":{\"BeginOffsetChar\":10,\"EndOffsetChar\":99}},"
                     "{\"CharacterOffsets\":{\"BeginOffsetChar\":5,\"EndOffsetChar\":2}}]}}]}";
    CHECK_INT(cl(&f, ev), 0);
    CHECK(pipefix_flush(&f) > 0);
    CHECK_INT(count_of(&f, "flag", "cl-iss"), 1);
    json_t *flag = frame_where(&f, "flag", "cl-iss", "rule", "contactlens-issue");
    CHECK_STR(str(flag, "kind"), "issue");
    CHECK_STR(str(flag, "evidence"), "co\xc3\xbbte");
    CHECK_STR(str(flag, "text"), "Contact Lens issue: co\xc3\xbbte");
    CHECK_STR(str(flag, "uid"), "t-1");
    CHECK_INT(num(flag, "offset_ms"), 100);
    json_decref(flag);
    /* the same transcript again (a replay) flags nothing new */
    CHECK_INT(cl(&f, ev), 0);
    pipefix_flush(&f);
    CHECK_INT(count_of(&f, "flag", "cl-iss"), 1);
    pipefix_close(&f);
}

int main(void)
{
    RUN(test_detect);
    RUN(test_voice_segments);
    RUN(test_voice_text_masked);
    RUN(test_categories_to_flags);
    RUN(test_issues_to_flags);
    RUN(test_chat_events);
    RUN(test_contact_start_end);
    RUN(test_limits);
    return check_done("test_contactlens");
}
