/* test_codec.c — decoding, validation, errors and encoding of protocol v1 frames. */
#include <dirent.h>
#include <stdlib.h>

#include "tests/unit/check.h"
#include "proto/codec.h"
#include "base/text.h"

/* Decode `frame` expecting failure; check code and exact message. */
static void expect_error(const char *frame, size_t len, proto_dir dir, const char *code, const char *message)
{
    proto_event ev = { EV__COUNT, NULL };
    proto_error err = { NULL, "", "" };
    bool ok = proto_decode(frame, len, dir, &ev, &err);
    CHECK(!ok);
    CHECK(ev.body == NULL);
    if (ok) {
        proto_free(&ev);
        return;
    }
    CHECK_STR(err.code, code);
    CHECK_STR(err.message, message);
    CHECK(text_is_clean(err.message, strlen(err.message), TEXT_SINGLE_LINE));
}

#define EXPECT_ERROR(frame, dir, code, msg) expect_error(frame, strlen(frame), dir, code, msg)

static void test_round_trip_examples(void)
{
    for (int t = 0; t < EV__COUNT; t++) {
        const proto_event_spec *s = proto_spec((proto_type)t);
        proto_event ev;
        proto_error err;
        CHECK(proto_decode(s->example, strlen(s->example), s->dir, &ev, &err));
        size_t len;
        char *frame = proto_encode(&ev, &len, &err);
        CHECK(frame != NULL);
        if (!frame) {
            fprintf(stderr, "  %s: %s\n", s->name, err.message);
            proto_free(&ev);
            continue;
        }
        CHECK_INT(strlen(frame), len);
        /* Same content as the example, whatever the spacing and key order. */
        json_t *a = json_loads(s->example, 0, NULL), *b = json_loads(frame, 0, NULL);
        CHECK(json_equal(a, b));
        proto_event again;
        CHECK(proto_decode(frame, len, s->dir, &again, &err));
        CHECK(json_equal(again.body, ev.body));
        json_decref(a);
        json_decref(b);
        proto_free(&again);
        proto_free(&ev);
        free(frame);
    }
}

static void test_error_messages(void)
{
    char *big = malloc(PROTO_MAX_FRAME + 2);
    memset(big, ' ', PROTO_MAX_FRAME + 1);
    big[0] = '{';
    big[PROTO_MAX_FRAME] = '}';
    expect_error(big, PROTO_MAX_FRAME + 1, PROTO_TO_HUB, PROTO_ERR_TOO_BIG, "frame exceeds 65536 bytes");
    free(big);

    proto_event ev;
    proto_error err;
    CHECK(!proto_decode("{\"type\":tru}", 12, PROTO_TO_HUB, &ev, &err));
    CHECK_STR(err.code, PROTO_ERR_BAD_JSON);
    CHECK(strncmp(err.message, "bad JSON at line 1 column ", 26) == 0);
    EXPECT_ERROR("{\"type\":\"x\",}", PROTO_TO_HUB, PROTO_ERR_BAD_JSON,
                 "bad JSON at line 1 column 13: string or '}' expected near '}'");
    EXPECT_ERROR("[1,2]", PROTO_TO_HUB, PROTO_ERR_BAD_JSON, "frame is not a JSON object");
    EXPECT_ERROR("\"hello\"", PROTO_TO_HUB, PROTO_ERR_BAD_JSON, "frame is not a JSON object");
    EXPECT_ERROR("{\"id\":\"x\"}", PROTO_TO_HUB, PROTO_ERR_BAD_FIELD, "missing \"type\"");
    EXPECT_ERROR("{\"type\":5}", PROTO_TO_HUB, PROTO_ERR_BAD_FIELD, "type: expected string");
    EXPECT_ERROR("{\"type\":\"foo\"}", PROTO_TO_HUB, PROTO_ERR_UNKNOWN_TYPE, "unknown type \"foo\"");
    EXPECT_ERROR("{\"type\":\"utterance\",\"seq\":1,\"ts\":2,\"iid\":\"i\",\"uid\":\"u\",\"speaker\":\"agent\","
                 "\"text\":5,\"final\":true,\"offset_ms\":0}",
                 PROTO_TO_CONSOLE, PROTO_ERR_BAD_FIELD, "utterance.text: expected string");
    EXPECT_ERROR("{\"type\":\"hello\",\"client\":\"x\"}", PROTO_TO_HUB, PROTO_ERR_BAD_FIELD, "hello.token: required");
    EXPECT_ERROR("{\"type\":\"sentiment\",\"seq\":1,\"ts\":2,\"iid\":\"i\",\"uid\":\"u\",\"score\":1.5,"
                 "\"label\":\"negative\",\"trend\":0,\"slope\":0,\"terms\":[]}",
                 PROTO_TO_CONSOLE, PROTO_ERR_BAD_FIELD, "sentiment.score: 1.5 out of range -1..1");
}

static void test_oversized_text(void)
{
    size_t n = PROTO_MAX_TEXT + 1;
    char *frame = malloc(n + 200);
    int head = sprintf(frame, "{\"type\":\"utterance\",\"iid\":\"i\",\"uid\":\"u\",\"speaker\":\"agent\","
                              "\"final\":true,\"offset_ms\":0,\"text\":\"");
    memset(frame + head, 'x', n);
    strcpy(frame + head + n, "\"}");
    EXPECT_ERROR(frame, PROTO_INGEST, PROTO_ERR_BAD_FIELD, "utterance.text: exceeds 8192 bytes");
    /* Exactly at the limit is fine. */
    strcpy(frame + head + n - 1, "\"}");
    proto_event ev;
    proto_error err;
    CHECK(proto_decode(frame, strlen(frame), PROTO_INGEST, &ev, &err));
    CHECK_INT(strlen(proto_str(&ev, "text")), PROTO_MAX_TEXT);
    proto_free(&ev);
    /* Control characters that grow when cleaned are cut back to the limit on a code point. */
    for (size_t i = 0; i < PROTO_MAX_TEXT; i++)
        frame[head + i] = 'x';
    memcpy(frame + head, "\\u0001", 6);
    CHECK(proto_decode(frame, strlen(frame), PROTO_INGEST, &ev, &err));
    const char *text = proto_str(&ev, "text");
    CHECK(strlen(text) <= PROTO_MAX_TEXT);
    CHECK(text_is_clean(text, strlen(text), TEXT_KEEP_NEWLINES));
    proto_free(&ev);
    free(frame);
}

static void test_frame_size_limit(void)
{
    /* A 65537-byte frame is refused before parsing; a 65536-byte one is parsed. */
    size_t n = PROTO_MAX_FRAME + 1;
    char *frame = malloc(n + 1);
    const char *head = "{\"type\":\"ping\",\"id\":\"p\",\"pad\":\"";
    strcpy(frame, head);
    memset(frame + strlen(head), 'y', n - strlen(head) - 2);
    memcpy(frame + n - 2, "\"}", 3);
    CHECK_INT(strlen(frame), n);
    expect_error(frame, n, PROTO_TO_HUB, PROTO_ERR_TOO_BIG, "frame exceeds 65536 bytes");
    memmove(frame + strlen(head), frame + strlen(head) + 1, n - strlen(head));
    CHECK_INT(strlen(frame), PROTO_MAX_FRAME);
    proto_event ev;
    proto_error err;
    CHECK(proto_decode(frame, PROTO_MAX_FRAME, PROTO_TO_HUB, &ev, &err));
    CHECK(proto_json(&ev, "pad") == NULL);   /* unknown field dropped */
    proto_free(&ev);
    free(frame);
}

static char *nested_frame(int depth)
{
    /* {"type":"ping","id":"p","x": + (depth-1) levels: [[[...]]] } */
    char *f = malloc(64 + 2 * depth);
    int n = sprintf(f, "{\"type\":\"ping\",\"id\":\"p\",\"x\":");
    for (int i = 1; i < depth; i++)
        f[n++] = '[';
    for (int i = 1; i < depth; i++)
        f[n++] = ']';
    f[n++] = '}';
    f[n] = '\0';
    return f;
}

static void test_depth(void)
{
    char *ok16 = nested_frame(16);
    proto_event ev;
    proto_error err;
    CHECK(proto_decode(ok16, strlen(ok16), PROTO_TO_HUB, &ev, &err));
    proto_free(&ev);
    char *bad17 = nested_frame(17);
    EXPECT_ERROR(bad17, PROTO_TO_HUB, PROTO_ERR_BAD_JSON, "frame nests deeper than 16 levels");
    free(ok16);
    free(bad17);
    /* Brackets inside strings do not count. */
    const char *str = "{\"type\":\"ping\",\"id\":\"[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[[[\"}";
    CHECK(proto_decode(str, strlen(str), PROTO_TO_HUB, &ev, &err));
    proto_free(&ev);
    /* Known fields nested too deep are refused through decode_json as well. */
    json_t *deep = json_array(), *cur = deep;
    for (int i = 0; i < 20; i++) {
        json_t *next = json_array();
        json_array_append_new(cur, next);
        cur = next;
    }
    json_t *obj = json_pack("{s:s,s:s,s:s,s:o}", "type", "checklist", "iid", "i", "x", "y", "items", deep);
    json_object_set_new(obj, "seq", json_integer(1));
    json_object_set_new(obj, "ts", json_integer(1));
    CHECK(!proto_decode_json(obj, PROTO_TO_CONSOLE, &ev, &err));
    CHECK_STR(err.message, "checklist.items: nested deeper than 16");
    json_decref(obj);
}

static void test_unknown_fields_dropped(void)
{
    const char *f = "{\"type\":\"reply\",\"id\":\"a\",\"iid\":\"i\",\"text\":\"hi\",\"evil\":\"\\u001b[2J\",\"n\":{\"a\":1}}";
    proto_event ev;
    proto_error err;
    CHECK(proto_decode(f, strlen(f), PROTO_TO_HUB, &ev, &err));
    CHECK_INT(ev.type, EV_REPLY);
    CHECK(proto_json(&ev, "evil") == NULL);
    CHECK(proto_json(&ev, "n") == NULL);
    CHECK_INT(json_object_size(ev.body), 4);
    CHECK_STR(proto_str(&ev, "type"), "reply");
    proto_free(&ev);
}

static void test_wrong_types(void)
{
    EXPECT_ERROR("{\"type\":\"ping\",\"id\":\"p\",\"t\":1.5}", PROTO_TO_HUB, PROTO_ERR_BAD_FIELD, "ping.t: expected integer");
    EXPECT_ERROR("{\"type\":\"ping\",\"id\":\"p\",\"t\":\"5\"}", PROTO_TO_HUB, PROTO_ERR_BAD_FIELD, "ping.t: expected integer");
    EXPECT_ERROR("{\"type\":\"ping\",\"id\":\"p\",\"t\":-1}", PROTO_TO_HUB, PROTO_ERR_BAD_FIELD,
                 "ping.t: -1 out of range 0..9007199254740991");
    EXPECT_ERROR("{\"type\":\"ping\",\"id\":7}", PROTO_TO_HUB, PROTO_ERR_BAD_FIELD, "ping.id: expected string");
    EXPECT_ERROR("{\"type\":\"ping\",\"id\":\"\"}", PROTO_TO_HUB, PROTO_ERR_BAD_FIELD, "ping.id: empty");
    EXPECT_ERROR("{\"type\":\"checklist.tick\",\"id\":\"a\",\"iid\":\"i\",\"item\":\"x\",\"done\":1}", PROTO_TO_HUB,
                 PROTO_ERR_BAD_FIELD, "checklist.tick.done: expected boolean");
    EXPECT_ERROR("{\"type\":\"ack\",\"id\":\"a\",\"seq\":1e3}", PROTO_TO_CONSOLE, PROTO_ERR_BAD_FIELD,
                 "ack.seq: expected integer");
    EXPECT_ERROR("{\"type\":\"sentiment\",\"seq\":1,\"ts\":2,\"iid\":\"i\",\"uid\":\"u\",\"score\":0,"
                 "\"label\":\"neutral\",\"trend\":0,\"slope\":0,\"terms\":\"x\"}",
                 PROTO_TO_CONSOLE, PROTO_ERR_BAD_FIELD, "sentiment.terms: expected array");
    EXPECT_ERROR("{\"type\":\"customer\",\"seq\":1,\"ts\":2,\"iid\":\"i\",\"customer\":[],\"history\":[],\"orders\":[]}",
                 PROTO_TO_CONSOLE, PROTO_ERR_BAD_FIELD, "customer.customer: expected object");
    EXPECT_ERROR("{\"type\":\"flag\",\"seq\":1,\"ts\":2,\"iid\":\"i\",\"fid\":\"f\",\"kind\":\"k\",\"severity\":4,"
                 "\"text\":\"t\",\"rule\":\"r\",\"evidence\":\"e\"}",
                 PROTO_TO_CONSOLE, PROTO_ERR_BAD_FIELD, "flag.severity: 4 out of range 1..3");
    /* Durable events need seq and ts. */
    EXPECT_ERROR("{\"type\":\"interaction.ended\",\"iid\":\"i\",\"reason\":\"r\",\"ended_ms\":1}",
                 PROTO_TO_CONSOLE, PROTO_ERR_BAD_FIELD, "interaction.ended.seq: required");
    EXPECT_ERROR("{\"type\":\"interaction.ended\",\"seq\":-4,\"ts\":1,\"iid\":\"i\",\"reason\":\"r\",\"ended_ms\":1}",
                 PROTO_TO_CONSOLE, PROTO_ERR_BAD_FIELD, "interaction.ended.seq: -4 out of range 0..9007199254740991");
    /* An id longer than 128 bytes. */
    char f[400];
    sprintf(f, "{\"type\":\"ping\",\"id\":\"%0129d\"}", 0);
    EXPECT_ERROR(f, PROTO_TO_HUB, PROTO_ERR_BAD_FIELD, "ping.id: exceeds 128 bytes");
    /* A required field given as null is a wrong type; an optional null is absent. */
    EXPECT_ERROR("{\"type\":\"ping\",\"id\":null}", PROTO_TO_HUB, PROTO_ERR_BAD_FIELD, "ping.id: expected string");
    proto_event ev;
    proto_error err;
    const char *null_t = "{\"type\":\"ping\",\"id\":\"p\",\"t\":null}";
    CHECK(proto_decode(null_t, strlen(null_t), PROTO_TO_HUB, &ev, &err));
    CHECK(proto_json(&ev, "t") == NULL);
    proto_free(&ev);
}

static void test_enums(void)
{
    EXPECT_ERROR("{\"type\":\"suggestion.feedback\",\"id\":\"a\",\"iid\":\"i\",\"sid\":\"s\",\"action\":\"liked\"}",
                 PROTO_TO_HUB, PROTO_ERR_BAD_FIELD, "suggestion.feedback.action: \"liked\" is not one of used|dismissed");
    EXPECT_ERROR("{\"type\":\"subscribe\",\"scope\":\"mine\"}", PROTO_TO_HUB, PROTO_ERR_BAD_FIELD,
                 "subscribe.scope: \"mine\" is not one of all");
    /* Ingest speakers exclude supervisor. */
    EXPECT_ERROR("{\"type\":\"utterance\",\"iid\":\"i\",\"uid\":\"u\",\"speaker\":\"supervisor\",\"text\":\"t\","
                 "\"final\":true,\"offset_ms\":0}",
                 PROTO_INGEST, PROTO_ERR_BAD_FIELD, "utterance.speaker: \"supervisor\" is not one of customer|agent|bot");
    /* Hostile enum values are cleaned when quoted. */
    EXPECT_ERROR("{\"type\":\"subscribe\",\"scope\":\"\\u001b[2J\"}", PROTO_TO_HUB, PROTO_ERR_BAD_FIELD,
                 "subscribe.scope: \"\xE2\x90\x9B[2J\" is not one of all");
}

static void test_direction_matters(void)
{
    /* "welcome" exists only from the hub: a console sending it is unknown. */
    EXPECT_ERROR("{\"type\":\"welcome\"}", PROTO_TO_HUB, PROTO_ERR_UNKNOWN_TYPE, "unknown type \"welcome\"");
    EXPECT_ERROR("{\"type\":\"start\"}", PROTO_TO_HUB, PROTO_ERR_UNKNOWN_TYPE, "unknown type \"start\"");
    proto_event ev;
    proto_error err;
    const char *start = proto_spec(EV_INGEST_START)->example;
    CHECK(proto_decode(start, strlen(start), PROTO_INGEST, &ev, &err));
    CHECK_INT(ev.type, EV_INGEST_START);
    proto_free(&ev);
}

static void test_hostile_type_name_quoted_clean(void)
{
    char f[400];
    sprintf(f, "{\"type\":\"\\u001b]0;pwn\\u0007%s\"}",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    proto_event ev;
    proto_error err;
    CHECK(!proto_decode(f, strlen(f), PROTO_TO_HUB, &ev, &err));
    CHECK_STR(err.code, PROTO_ERR_UNKNOWN_TYPE);
    CHECK(text_is_clean(err.message, strlen(err.message), TEXT_SINGLE_LINE));
    CHECK(strlen(err.message) < 100);
    CHECK(strncmp(err.message, "unknown type \"\xE2\x90\x9B]0;pwn\xE2\x90\x87", 23) == 0);
    /* A NUL inside a string is refused by the parser. */
    const char *nul = "{\"type\":\"ping\",\"id\":\"a\\u0000b\"}";
    CHECK(!proto_decode(nul, strlen(nul), PROTO_TO_HUB, &ev, &err));
    CHECK_STR(err.code, PROTO_ERR_BAD_JSON);
    /* Invalid UTF-8 in the frame is bad JSON. */
    const char *bad = "{\"type\":\"ping\",\"id\":\"\xC0\xAF\"}";
    CHECK(!proto_decode(bad, strlen(bad), PROTO_TO_HUB, &ev, &err));
    CHECK_STR(err.code, PROTO_ERR_BAD_JSON);
    CHECK(text_is_clean(err.message, strlen(err.message), TEXT_SINGLE_LINE));
}

static void test_nested_strings_cleaned(void)
{
    const char *f = "{\"type\":\"customer\",\"seq\":3,\"ts\":4,\"iid\":\"i\","
                    "\"customer\":{\"name\":\"Eve\\u202e\\u001b[31m\",\"bad\\u001bkey\":1,\"note\":\"a\\nb\"},"
                    "\"history\":[{\"reason\":[\"\\u0085x\"]}],\"orders\":[]}";
    proto_event ev;
    proto_error err;
    CHECK(proto_decode(f, strlen(f), PROTO_TO_CONSOLE, &ev, &err));
    json_t *c = proto_json(&ev, "customer");
    CHECK_STR(json_string_value(json_object_get(c, "name")), "Eve\xEF\xBF\xBD\xE2\x90\x9B[31m");
    CHECK(json_object_get(c, "bad\x1bkey") == NULL);
    CHECK_INT(json_object_size(c), 2);
    CHECK_STR(json_string_value(json_object_get(c, "note")), "a b");   /* nested: single line */
    json_t *h = json_array_get(proto_json(&ev, "history"), 0);
    CHECK_STR(json_string_value(json_array_get(json_object_get(h, "reason"), 0)), "\xEF\xBF\xBDx");
    CHECK_INT(proto_int(&ev, "seq", -1), 3);
    CHECK_INT(proto_int(&ev, "ts", -1), 4);
    proto_free(&ev);
    /* FT_TEXT keeps newlines, FT_STRING does not. */
    const char *w = "{\"type\":\"wrapup\",\"id\":\"a\",\"iid\":\"i\",\"code\":\"x\\ny\",\"summary\":\"l1\\r\\nl2\\tz\"}";
    CHECK(proto_decode(w, strlen(w), PROTO_TO_HUB, &ev, &err));
    CHECK_STR(proto_str(&ev, "code"), "x y");
    CHECK_STR(proto_str(&ev, "summary"), "l1\nl2 z");
    CHECK(proto_bool(&ev, "follow_up", true));   /* absent: default */
    proto_free(&ev);
}

static void test_nested_limits(void)
{
    /* A nested string over 32768 bytes is cut, not refused; an empty key is dropped. */
    size_t n = PROTO_MAX_LONGTEXT + 100;
    char *frame = malloc(n + 200);
    int head = sprintf(frame, "{\"type\":\"recording\",\"id\":\"t\",\"iid\":\"i\",\"part\":0,\"last\":true,"
                              "\"lines\":[{\"\":1,\"k\":\"");
    memset(frame + head, 'z', n);
    strcpy(frame + head + n, "\"}]}");
    proto_event ev;
    proto_error err;
    CHECK(proto_decode(frame, strlen(frame), PROTO_TO_CONSOLE, &ev, &err));
    json_t *item = json_array_get(proto_json(&ev, "lines"), 0);
    CHECK_INT(json_object_size(item), 1);
    CHECK_INT(json_string_length(json_object_get(item, "k")), PROTO_MAX_LONGTEXT);
    proto_free(&ev);
    free(frame);
    /* Duplicate keys are bad JSON. */
    const char *dup = "{\"type\":\"ping\",\"id\":\"a\",\"id\":\"b\"}";
    CHECK(!proto_decode(dup, strlen(dup), PROTO_TO_HUB, &ev, &err));
    CHECK_STR(err.code, PROTO_ERR_BAD_JSON);
}

static void test_array_bounds(void)
{
    /* snapshot.interactions holds at most 100. */
    json_t *arr = json_array();
    for (int i = 0; i < 101; i++)
        json_array_append_new(arr, json_object());
    json_t *obj = json_pack("{s:s,s:i,s:o,s:b}", "type", "snapshot", "seq", 1, "interactions", arr, "last", 1);
    proto_event ev;
    proto_error err;
    CHECK(!proto_decode_json(obj, PROTO_TO_CONSOLE, &ev, &err));
    CHECK_STR(err.message, "snapshot.interactions: more than 100 items");
    json_array_remove(arr, 0);
    CHECK(proto_decode_json(obj, PROTO_TO_CONSOLE, &ev, &err));
    CHECK_INT(json_array_size(proto_json(&ev, "interactions")), 100);
    proto_free(&ev);
    json_decref(obj);
}

static void test_build_and_encode(void)
{
    proto_event ev = proto_new(EV_UTTERANCE);
    proto_set_int(&ev, "seq", 7);
    proto_set_int(&ev, "ts", 1700000000000);
    proto_set_str(&ev, "iid", "I-1");
    proto_set_str(&ev, "uid", "u-1");
    proto_set_str(&ev, "speaker", "customer");
    proto_set_str(&ev, "text", "bad \xFF byte and \x1b esc");
    proto_set_bool(&ev, "final", false);
    proto_set_int(&ev, "offset_ms", 1500);
    proto_set_str(&ev, "junk", "dropped");
    proto_error err;
    size_t len;
    char *frame = proto_encode(&ev, &len, &err);
    CHECK(frame != NULL);
    CHECK_STR(frame, "{\"type\":\"utterance\",\"seq\":7,\"ts\":1700000000000,\"iid\":\"I-1\",\"uid\":\"u-1\","
                     "\"speaker\":\"customer\",\"text\":\"bad \xEF\xBF\xBD byte and \xE2\x90\x9B esc\","
                     "\"final\":false,\"offset_ms\":1500}");
    free(frame);
    CHECK_INT(proto_int(&ev, "offset_ms", 0), 1500);
    CHECK(!proto_bool(&ev, "final", true));
    CHECK(proto_num(&ev, "missing", 2.5) == 2.5);
    CHECK(proto_str(&ev, "missing") == NULL);
    /* Missing a required field: encode refuses. */
    json_object_del(ev.body, "uid");
    CHECK(proto_encode(&ev, NULL, &err) == NULL);
    CHECK_STR(err.message, "utterance.uid: required");
    proto_free(&ev);
    CHECK(ev.body == NULL);

    ev = proto_new(EV_SENTIMENT);
    proto_set_int(&ev, "seq", 1);
    proto_set_int(&ev, "ts", 1);
    proto_set_str(&ev, "iid", "i");
    proto_set_str(&ev, "uid", "u");
    proto_set_num(&ev, "score", -0.25);
    proto_set_str(&ev, "label", "negative");
    proto_set_num(&ev, "trend", 0.1);
    proto_set_num(&ev, "slope", 0);
    proto_set_json(&ev, "terms", json_pack("[s]", "refund"));
    frame = proto_encode(&ev, NULL, &err);
    CHECK_STR(frame, "{\"type\":\"sentiment\",\"seq\":1,\"ts\":1,\"iid\":\"i\",\"uid\":\"u\",\"score\":-0.25,"
                     "\"label\":\"negative\",\"trend\":0.1,\"slope\":0.0,\"terms\":[\"refund\"]}");
    free(frame);
    /* A real that needs 17 digits keeps them: the round trip is exact. */
    double third = 0.1 + 0.2;
    proto_set_num(&ev, "trend", third);
    frame = proto_encode(&ev, NULL, &err);
    proto_event back;
    CHECK(proto_decode(frame, strlen(frame), PROTO_TO_CONSOLE, &back, &err));
    CHECK(proto_num(&back, "trend", 0) == third);
    proto_free(&back);
    free(frame);
    proto_set_num(&ev, "score", 2);
    CHECK(proto_encode(&ev, NULL, &err) == NULL);
    CHECK_STR(err.message, "sentiment.score: 2 out of range -1..1");
    proto_free(&ev);
}

static void test_error_event(void)
{
    proto_error err = { PROTO_ERR_FORBIDDEN, "whisper: supervisors only", "" };
    proto_event ev = proto_error_event(PROTO_TO_HUB, &err, "a-1");
    CHECK_INT(ev.type, EV_ERROR);
    proto_error e2;
    char *frame = proto_encode(&ev, NULL, &e2);
    CHECK_STR(frame, "{\"type\":\"error\",\"code\":\"forbidden\",\"message\":\"whisper: supervisors only\",\"ref\":\"a-1\"}");
    free(frame);
    proto_free(&ev);
    ev = proto_error_event(PROTO_INGEST, &err, NULL);
    CHECK_INT(ev.type, EV_INGEST_ERROR);
    CHECK(proto_json(&ev, "ref") == NULL);
    frame = proto_encode(&ev, NULL, &e2);
    CHECK(frame != NULL);
    free(frame);
    proto_free(&ev);
    /* A hostile ref is cleaned and cut to an id's length. */
    char ref[300];
    memset(ref, 'r', sizeof ref - 1);
    ref[0] = '\x1b';
    ref[sizeof ref - 1] = '\0';
    ev = proto_error_event(PROTO_TO_HUB, &err, ref);
    const char *r = proto_str(&ev, "ref");
    CHECK(r && strlen(r) <= PROTO_MAX_ID && text_is_clean(r, strlen(r), 0));
    proto_free(&ev);
}

static void test_decode_json_keeps_caller_object(void)
{
    json_t *obj = json_pack("{s:s,s:s}", "type", "ping", "id", "p1");
    proto_event ev;
    proto_error err;
    CHECK(proto_decode_json(obj, PROTO_TO_HUB, &ev, &err));
    CHECK(ev.body != obj);
    CHECK_INT(obj->refcount, 1);
    proto_free(&ev);
    json_decref(obj);
    CHECK(!proto_decode_json(NULL, PROTO_TO_HUB, &ev, &err));
    CHECK_STR(err.message, "frame is not a JSON object");
}

/* The ref of a refused frame: its top-level string id, cleaned and cut, whatever refused it. */
static const char *refused_ref(const char *frame, proto_error *err)
{
    proto_event ev;
    CHECK(!proto_decode(frame, strlen(frame), PROTO_TO_HUB, &ev, err));
    return err->ref;
}

static void test_refused_frame_ref(void)
{
    proto_error err;
    CHECK_STR(refused_ref("{\"type\":\"reply\",\"id\":\"r-1\",\"iid\":\"x\"}", &err), "r-1");
    CHECK_STR(err.code, PROTO_ERR_BAD_FIELD);
    CHECK_STR(refused_ref("{\"type\":\"ping\",\"id\":\"p-1\",\"t\":\"soon\"}", &err), "p-1");
    CHECK_STR(refused_ref("{\"type\":\"dance\",\"id\":\"d-1\"}", &err), "d-1");
    CHECK_STR(err.code, PROTO_ERR_UNKNOWN_TYPE);
    /* duplicate keys: refused as bad_json, and the id still answers it */
    CHECK_STR(refused_ref("{\"type\":\"ping\",\"id\":\"dup-1\",\"type\":\"ping\"}", &err), "dup-1");
    CHECK_STR(err.code, PROTO_ERR_BAD_JSON);
    /* nested too deep, yet parseable */
    char deep[256];
    int n = snprintf(deep, sizeof deep, "{\"type\":\"ping\",\"id\":\"deep-1\",\"x\":");
    for (int i = 0; i < 20; i++)
        deep[n++] = '[';
    for (int i = 0; i < 20; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = 0;
    CHECK_STR(refused_ref(deep, &err), "deep-1");
    CHECK_STR(err.code, PROTO_ERR_BAD_JSON);
    /* cleaned and cut on a code point */
    CHECK_STR(refused_ref("{\"type\":\"ping\",\"id\":\"a\\u001bb\",\"t\":1.5}", &err), "a\xe2\x90\x9b" "b");
    char longid[400];
    n = snprintf(longid, sizeof longid, "{\"type\":\"ping\",\"t\":\"x\",\"id\":\"");
    for (int i = 0; i < 127; i++)
        longid[n++] = 'a';
    n += snprintf(longid + n, sizeof longid - (size_t)n, "\xc3\xa9\xc3\xa9\"}");
    const char *ref = refused_ref(longid, &err);
    CHECK_INT((long long)strlen(ref), 127);
    CHECK(text_is_clean(ref, strlen(ref), TEXT_SINGLE_LINE));
    /* no id, an id that is not a string, not JSON: no ref */
    CHECK_STR(refused_ref("{\"type\":\"ping\"}", &err), "");
    CHECK_STR(refused_ref("{\"type\":\"ping\",\"id\":7}", &err), "");
    CHECK_STR(refused_ref("{\"type\":\"ping\",\"id\":\"x\"", &err), "");
}

static void test_parse_limits_shared(void)
{
    proto_error err;
    const char *dup = "{\"ContactId\":\"c\",\"ContactId\":\"d\",\"EventType\":\"STARTED\"}";
    CHECK(proto_parse(dup, strlen(dup), &err) == NULL);
    CHECK_STR(err.code, PROTO_ERR_BAD_JSON);
    char deep[400];
    int n = snprintf(deep, sizeof deep, "{\"EventType\":\"SEGMENTS\",\"Segments\":");
    for (int i = 0; i < 100; i++)
        deep[n++] = '[';
    for (int i = 0; i < 100; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = 0;
    CHECK(proto_parse(deep, (size_t)n, &err) == NULL);
    CHECK_STR(err.code, PROTO_ERR_BAD_JSON);
    CHECK_STR(err.message, "frame nests deeper than 16 levels");
    const char *ok = "{\"EventType\":\"STARTED\",\"ContactId\":\"c\"}";
    json_t *v = proto_parse(ok, strlen(ok), &err);
    CHECK(json_is_object(v));
    json_decref(v);
}

/* proto_check and proto_encode agree on `ev`: both take it (and the length proto_check
 * counts is the encoded frame's, byte for byte) or both refuse it with the same code and
 * message. proto_check encodes nothing. */
static void expect_check_as_encode(const proto_event *ev, const char *what)
{
    proto_error ce = { NULL, "", "" }, ee = { NULL, "", "" };
    size_t clen = 0, elen = 0;
    uint64_t encoded = proto_encoded_total();
    bool checked = proto_check(ev, &clen, &ce);
    CHECK_INT(proto_encoded_total(), encoded);
    char *frame = proto_encode(ev, &elen, &ee);
    CHECK_INT(proto_encoded_total(), encoded + 1);
    if (checked != (frame != NULL))
        fprintf(stderr, "  %s: check %s, encode %s (%s%s)\n", what, checked ? "takes" : "refuses",
                frame ? "takes" : "refuses", checked ? "" : ce.message, frame ? "" : ee.message);
    CHECK(checked == (frame != NULL));
    if (checked && frame) {
        if (clen != elen)
            fprintf(stderr, "  %s: counted %zu bytes, encoded %zu: %.200s\n", what, clen, elen, frame);
        CHECK_INT(clen, elen);
    } else if (!checked && !frame) {
        CHECK_STR(ce.code, ee.code);
        CHECK_STR(ce.message, ee.message);
    }
    free(frame);
}

static void check_as_encode_json(proto_type type, const char *body, const char *what)
{
    json_error_t jerr;
    proto_event ev = { type, json_loads(body, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr) };
    CHECK(ev.body != NULL);
    if (!ev.body)
        fprintf(stderr, "  %s: %s\n", what, jerr.text);
    expect_check_as_encode(&ev, what);
    json_decref(ev.body);
}

#define CHECK_AS_ENCODE(type, body) check_as_encode_json(type, body, body)

static void test_check_takes_what_encode_takes(void)
{
    /* every catalogue example, as written (unknown order, spacing) and as decoded */
    for (int t = 0; t < EV__COUNT; t++) {
        const proto_event_spec *s = proto_spec((proto_type)t);
        proto_event raw = { (proto_type)t, json_loads(s->example, 0, NULL) };
        expect_check_as_encode(&raw, s->name);
        json_decref(raw.body);
        proto_event ev;
        proto_error err;
        CHECK(proto_decode(s->example, strlen(s->example), s->dir, &ev, &err));
        expect_check_as_encode(&ev, s->name);
        proto_free(&ev);
    }
    /* escapes, newlines kept or not, control characters and NUL cleaned, non-ASCII */
    CHECK_AS_ENCODE(EV_NOTE, "{\"id\":\"a\\\"b\\\\c\",\"iid\":\"i/1\",\"text\":\"line\\none\\ttab \\u00e9\\u4e2d\\ud83d\\ude00\"}");
    CHECK_AS_ENCODE(EV_NOTE, "{\"id\":\"x\",\"iid\":\"i\",\"text\":\"bell\\u0007 nul\\u0000 del\\u007f cr\\r ff\\f bs\\b \\u001b[31m\"}");
    CHECK_AS_ENCODE(EV_HELLO, "{\"token\":\"t\\nx\",\"client\":\"c\\u2028\\u0085d\\te\"}");
    /* nested: unclean and over-long keys dropped, empty containers, reals of both precisions */
    CHECK_AS_ENCODE(EV_CUSTOMER, "{\"seq\":1,\"ts\":2,\"iid\":\"i\",\"customer\":{\"id\":\"C\\u0001\",\"\":1,\"k\\u0007\":2,"
                                 "\"e\":{},\"a\":[],\"n\":null,\"t\":true,\"f\":false,\"x\":[1,-2,3.5,[[{}]]]},"
                                 "\"history\":[{\"sentiment\":-0.4}],\"orders\":[{\"amount\":49.99},{\"amount\":1e300},{\"amount\":-0.0},{\"amount\":1.0}]}");
    CHECK_AS_ENCODE(EV_CUSTOMER, "{\"seq\":9007199254740991,\"ts\":0,\"iid\":\"i\",\"customer\":{},\"history\":[],"
                                 "\"orders\":[{\"amount\":0.30000000000000004},{\"amount\":5e-324},{\"amount\":123456789012345678}]}");
    CHECK_AS_ENCODE(EV_SENTIMENT, "{\"seq\":1,\"ts\":2,\"iid\":\"i\",\"uid\":\"u\",\"score\":0.1,\"label\":\"neutral\","
                                  "\"trend\":-1,\"slope\":0.30000000000000004,\"terms\":[\"a\",\"b\\\"\"]}");
    /* integers of every width and sign (counted without printf) */
    CHECK_AS_ENCODE(EV_CUSTOMER, "{\"seq\":10,\"ts\":99,\"iid\":\"i\",\"customer\":{\"x\":[0,9,-9,10,-10,99,-100,"
                                 "9223372036854775807,-9223372036854775807,-9223372036854775808]},\"history\":[],\"orders\":[]}");
    /* unknown fields dropped, null for an optional field left out */
    CHECK_AS_ENCODE(EV_NOTE, "{\"id\":\"x\",\"iid\":\"i\",\"text\":\"t\",\"extra\":[1,2,{\"deep\":\"x\"}]}");
    CHECK_AS_ENCODE(EV_HELP, "{\"id\":\"x\",\"iid\":\"i\",\"text\":null}");
}

static void test_check_refuses_what_encode_refuses(void)
{
    CHECK_AS_ENCODE(EV_NOTE, "{\"id\":\"x\",\"iid\":\"i\"}");                     /* required */
    CHECK_AS_ENCODE(EV_NOTE, "{\"id\":\"\",\"iid\":\"i\",\"text\":\"t\"}");         /* empty id */
    CHECK_AS_ENCODE(EV_NOTE, "{\"id\":1,\"iid\":\"i\",\"text\":\"t\"}");            /* type */
    CHECK_AS_ENCODE(EV_SENTIMENT, "{\"seq\":1,\"ts\":2,\"iid\":\"i\",\"uid\":\"u\",\"score\":1.5,\"label\":\"neutral\",\"trend\":0,\"slope\":0,\"terms\":[]}");
    CHECK_AS_ENCODE(EV_SENTIMENT, "{\"seq\":1,\"ts\":2,\"iid\":\"i\",\"uid\":\"u\",\"score\":0,\"label\":\"meh\",\"trend\":0,\"slope\":0,\"terms\":[]}");
    CHECK_AS_ENCODE(EV_SENTIMENT, "{\"ts\":2,\"iid\":\"i\",\"uid\":\"u\",\"score\":0,\"label\":\"neutral\",\"trend\":0,\"slope\":0,\"terms\":[]}");
    CHECK_AS_ENCODE(EV_SENTIMENT, "{\"seq\":-1,\"ts\":2,\"iid\":\"i\",\"uid\":\"u\",\"score\":0,\"label\":\"neutral\",\"trend\":0,\"slope\":0,\"terms\":[]}");
    CHECK_AS_ENCODE(EV_NOTE, "[]");
    CHECK_AS_ENCODE(EV__COUNT, "{}");
    /* too long, too many, too deep */
    char *text = malloc(PROTO_MAX_TEXT + 100);
    snprintf(text, PROTO_MAX_TEXT + 100, "{\"id\":\"x\",\"iid\":\"i\",\"text\":\"%0*d\"}", PROTO_MAX_TEXT + 1, 0);
    check_as_encode_json(EV_NOTE, text, "text over its limit");
    free(text);
    char deep[400] = "{\"seq\":1,\"ts\":2,\"iid\":\"i\",\"customer\":{\"x\":";
    for (int i = 0; i < 20; i++)
        strcat(deep, "[");
    for (int i = 0; i < 20; i++)
        strcat(deep, "]");
    strcat(deep, "},\"history\":[],\"orders\":[]}");
    CHECK_AS_ENCODE(EV_CUSTOMER, deep);
    json_t *orders = json_array();
    for (int i = 0; i < 101; i++)
        json_array_append_new(orders, json_object());
    proto_event ev = { EV_CUSTOMER, json_pack("{s:i, s:i, s:s, s:{}, s:[], s:o}", "seq", 1, "ts", 2, "iid", "i",
                                              "customer", "history", "orders", orders) };
    expect_check_as_encode(&ev, "101 orders");
    json_decref(ev.body);
}

/* The frame limit: a frame of exactly PROTO_MAX_FRAME bytes is taken, one byte more is
 * refused, by both; the bytes counted include escapes that only the encoder writes. */
static void test_check_frame_limit_exact(void)
{
    for (int extra = -1; extra <= 1; extra++) {
        json_t *orders = json_array();
        char *fill = malloc(PROTO_MAX_LONGTEXT + 1);
        for (int i = 0; i < 4; i++) {
            memset(fill, i % 2 ? '"' : 'a', PROTO_MAX_LONGTEXT / 4);  /* a quote is written as 2 bytes */
            fill[PROTO_MAX_LONGTEXT / 4] = '\0';
            json_array_append_new(orders, json_pack("{s:s}", "item", fill));
        }
        proto_event ev = { EV_CUSTOMER, json_pack("{s:i, s:i, s:s, s:{}, s:[], s:o}", "seq", 1, "ts", 2, "iid", "i",
                                                  "customer", "history", "orders", orders) };
        size_t len;
        proto_error err;
        CHECK(proto_check(&ev, &len, &err));
        /* pad with one more order whose item brings the frame to the limit + extra */
        size_t pad_overhead = strlen(",{\"item\":\"\"}");
        size_t pad = (size_t)(PROTO_MAX_FRAME + extra) - len - pad_overhead;
        memset(fill, 'p', pad);
        fill[pad] = '\0';
        json_array_append_new(orders, json_pack("{s:s}", "item", fill));
        free(fill);
        size_t padded = 0;
        bool taken = proto_check(&ev, &padded, &err);
        CHECK(taken == (extra <= 0));
        if (taken)
            CHECK_INT(padded, PROTO_MAX_FRAME + extra);
        else
            CHECK_STR(err.code, PROTO_ERR_TOO_BIG);
        expect_check_as_encode(&ev, "at the frame limit");
        json_decref(ev.body);
    }
}

/* Every seed of the codec fuzzer, as the body of every event its "type" names. */
static void test_check_as_encode_fuzz_seeds(void)
{
    const char *dir = "tests/fuzz/corpus/fuzz_codec";
    DIR *d = opendir(dir);
    CHECK(d != NULL);
    if (!d)
        return;
    int bodies = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        json_t *obj = json_load_file(path, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        if (!obj)
            continue;
        for (int t = 0; t < EV__COUNT; t++) {
            proto_event ev = { (proto_type)t, obj };
            expect_check_as_encode(&ev, de->d_name);
            bodies++;
        }
        json_decref(obj);
    }
    closedir(d);
    CHECK(bodies > 40 * EV__COUNT);
}

int main(void)
{
    RUN(test_round_trip_examples);
    RUN(test_error_messages);
    RUN(test_oversized_text);
    RUN(test_frame_size_limit);
    RUN(test_depth);
    RUN(test_unknown_fields_dropped);
    RUN(test_wrong_types);
    RUN(test_enums);
    RUN(test_direction_matters);
    RUN(test_hostile_type_name_quoted_clean);
    RUN(test_nested_strings_cleaned);
    RUN(test_nested_limits);
    RUN(test_array_bounds);
    RUN(test_build_and_encode);
    RUN(test_error_event);
    RUN(test_decode_json_keeps_caller_object);
    RUN(test_refused_frame_ref);
    RUN(test_parse_limits_shared);
    RUN(test_check_takes_what_encode_takes);
    RUN(test_check_refuses_what_encode_refuses);
    RUN(test_check_frame_limit_exact);
    RUN(test_check_as_encode_fuzz_seeds);
    return check_done("test_codec");
}
