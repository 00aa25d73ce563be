/* fuzz_codec.c — libFuzzer target: any frame, every direction. A decoded event must be
 * clean at every depth, must encode (or be refused as too big), and its encoding must
 * decode back to the same body. A refused frame must give a clean error message. Any
 * parsed frame, taken as the body of an event, is taken by proto_check exactly when
 * proto_encode takes it, with the same length or the same error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/codec.h"
#include "base/text.h"

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_codec: %s:%d: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

static void require_clean(json_t *v, int flags, int depth)
{
    REQUIRE(depth <= PROTO_MAX_DEPTH);
    if (json_is_string(v)) {
        REQUIRE(text_is_clean(json_string_value(v), json_string_length(v), flags));
        return;
    }
    size_t i;
    const char *key;
    json_t *item;
    if (json_is_array(v)) {
        REQUIRE(json_array_size(v) <= PROTO_MAX_ARRAY);
        json_array_foreach(v, i, item)
            require_clean(item, TEXT_SINGLE_LINE, depth + 1);
    } else if (json_is_object(v)) {
        json_object_foreach(v, key, item) {
            REQUIRE(text_is_clean(key, strlen(key), TEXT_SINGLE_LINE));
            require_clean(item, TEXT_SINGLE_LINE, depth + 1);
        }
    }
}

static void require_clean_event(const proto_event *ev)
{
    const proto_event_spec *spec = proto_spec(ev->type);
    REQUIRE(spec != NULL);
    REQUIRE(json_is_object(ev->body));
    const char *key;
    json_t *item;
    json_object_foreach(ev->body, key, item) {
        const proto_field *f = proto_spec_field(spec, key);
        REQUIRE(f || strcmp(key, "type") == 0 || (spec->durable && (strcmp(key, "seq") == 0 || strcmp(key, "ts") == 0)));
        require_clean(item, f && f->type == FT_TEXT ? TEXT_KEEP_NEWLINES : TEXT_SINGLE_LINE, 2);
        if (f && (f->type == FT_ID || f->type == FT_STRING || f->type == FT_TEXT))
            REQUIRE(json_string_length(item) <= (size_t)f->max);
    }
}

static void one_direction(const char *data, size_t size, proto_dir dir)
{
    proto_event ev;
    proto_error err;
    if (!proto_decode(data, size, dir, &ev, &err)) {
        REQUIRE(err.code != NULL);
        REQUIRE(text_is_clean(err.message, strlen(err.message), TEXT_SINGLE_LINE));
        REQUIRE(strlen(err.ref) <= PROTO_MAX_ID && text_is_clean(err.ref, strlen(err.ref), TEXT_SINGLE_LINE));
        proto_event e = proto_error_event(dir, &err, "ref");
        char *frame = proto_encode(&e, NULL, &err);
        REQUIRE(frame != NULL);
        free(frame);
        proto_free(&e);
        return;
    }
    REQUIRE(proto_spec(ev.type)->dir == dir);
    require_clean_event(&ev);
    size_t len;
    char *frame = proto_encode(&ev, &len, &err);
    if (!frame) {
        REQUIRE(strcmp(err.code, PROTO_ERR_TOO_BIG) == 0);
    } else {
        proto_event back;
        REQUIRE(proto_decode(frame, len, dir, &back, &err));
        REQUIRE(back.type == ev.type);
        REQUIRE(json_equal(back.body, ev.body));
        proto_free(&back);
        free(frame);
    }
    proto_free(&ev);
}

static void check_agrees_with_encode(proto_type type, json_t *body)
{
    proto_event ev = { type, body };
    proto_error ce, ee;
    size_t clen = 0, elen = 0;
    bool checked = proto_check(&ev, &clen, &ce);
    char *frame = proto_encode(&ev, &elen, &ee);
    REQUIRE(checked == (frame != NULL));
    if (frame) {
        REQUIRE(clen == elen);
        free(frame);
    } else {
        REQUIRE(strcmp(ce.code, ee.code) == 0 && strcmp(ce.message, ee.message) == 0);
    }
}

/* The raw frame as the body of the events its "type" names, and of one more by its size. */
static void check_as_encode(const char *data, size_t size)
{
    if (size > PROTO_MAX_FRAME + 1024)
        return;
    json_t *obj = json_loadb(data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (!obj)
        return;
    const char *name = json_string_value(json_object_get(obj, "type"));
    for (int t = 0; t < EV__COUNT; t++)
        if (name && strcmp(proto_spec((proto_type)t)->name, name) == 0)
            check_agrees_with_encode((proto_type)t, obj);
    check_agrees_with_encode((proto_type)(size % EV__COUNT), obj);
    json_decref(obj);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *frame = (const char *)data;
    check_as_encode(frame, size);
    one_direction(frame, size, PROTO_TO_HUB);
    one_direction(frame, size, PROTO_TO_CONSOLE);
    one_direction(frame, size, PROTO_INGEST);
    one_direction(frame, size, PROTO_INGEST_REPLY);
    return 0;
}
