/* codec.h — frames <-> typed events, on jansson, with the catalogue's limits.
 *
 * A decoded event has been validated against its catalogue entry (types, required
 * fields, ranges, sizes) and every string inside it, at any depth, has been cleaned
 * by text_clean() — so nothing from outside reaches the model raw. Unknown fields are
 * ignored (dropped from `body`).
 *
 * Invariants of proto_event: `body` is a JSON object owned by the event; it holds the
 * "type" string, and for durable hub->console events "seq" and "ts". */
#ifndef AGENTDESK_PROTO_CODEC_H
#define AGENTDESK_PROTO_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "proto/catalogue.h"

typedef struct {
    proto_type type;
    json_t *body;
} proto_event;

typedef struct {
    const char *code;     /* one of PROTO_ERR_* */
    char message[200];    /* precise and cleaned: `utterance.text: expected string`,
                             `frame exceeds 65536 bytes`, `unknown type "foo"` */
    char ref[PROTO_MAX_ID + 1]; /* set by proto_parse / proto_decode only: the refused
                                   frame's top-level `id` (cleaned, cut), "" if none */
} proto_error;

/* Parse one text frame under the limits every frame meets, native or not: at most
 * PROTO_MAX_FRAME bytes, nested at most PROTO_MAX_DEPTH deep (checked before the parser
 * recurses), valid UTF-8 JSON without duplicate keys. Returns the parsed value (any JSON
 * type; the caller owns it), or NULL with *err filled, err->ref included. */
json_t *proto_parse(const char *frame, size_t len, proto_error *err);

/* Decode one text frame travelling in direction `dir`. On success fills *out and
 * returns true; on failure fills *err and returns false (nothing to free). When the frame
 * parses as JSON (duplicate keys allowed, nesting up to 4 * PROTO_MAX_DEPTH), err->ref is
 * its top-level string `id`, so the error can name the action it refuses. */
bool proto_decode(const char *frame, size_t len, proto_dir dir, proto_event *out, proto_error *err);

/* The top-level string `id` of a parsed frame, cleaned to one line and cut on a code point
 * to PROTO_MAX_ID bytes, into out (PROTO_MAX_ID + 1 bytes); "" when there is none. */
void proto_frame_ref(const json_t *frame, char out[PROTO_MAX_ID + 1]);

/* Validate and clean an already parsed object as an event of direction `dir`.
 * Takes a reference of its own; the caller keeps `obj`. Used for recordings and
 * the event log, whose lines are frames too. */
bool proto_decode_json(json_t *obj, proto_dir dir, proto_event *out, proto_error *err);

/* A new event of `type` with an empty body holding only "type". */
proto_event proto_new(proto_type type);

/* Validate `ev` against the catalogue and serialise it compactly. Returns a malloc'd
 * NUL-terminated frame (length in *len if not NULL), or NULL with *err filled. */
char *proto_encode(const proto_event *ev, size_t *len, proto_error *err);

/* Would proto_encode take `ev`? The same validation (types, required fields, ranges, sizes,
 * nesting, and the frame limit, by counting the bytes the encoder would write) without
 * building the frame: true with the frame's exact length in *len (if not NULL), or false
 * with *err filled exactly as proto_encode would fill it. */
bool proto_check(const proto_event *ev, size_t *len, proto_error *err);

/* Calls of proto_encode in this process so far: a figure for tests and benchmarks (the
 * programs encode on one thread). */
uint64_t proto_encoded_total(void);

void proto_free(proto_event *ev);

/* Field setters (the body takes its own copy / reference). */
void proto_set_str(proto_event *ev, const char *field, const char *value);
void proto_set_int(proto_event *ev, const char *field, int64_t value);
void proto_set_num(proto_event *ev, const char *field, double value);
void proto_set_bool(proto_event *ev, const char *field, bool value);
void proto_set_json(proto_event *ev, const char *field, json_t *value); /* steals value */

/* Field getters; a missing field gives NULL / `def`. Strings are already cleaned. */
const char *proto_str(const proto_event *ev, const char *field);
int64_t proto_int(const proto_event *ev, const char *field, int64_t def);
double proto_num(const proto_event *ev, const char *field, double def);
bool proto_bool(const proto_event *ev, const char *field, bool def);
json_t *proto_json(const proto_event *ev, const char *field); /* borrowed */

/* An `error` event (EV_ERROR or EV_INGEST_ERROR by `dir`) from a proto_error, with an
 * optional `ref` (the action id it answers). */
proto_event proto_error_event(proto_dir dir, const proto_error *err, const char *ref);

#endif
