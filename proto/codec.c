/* codec.c — frames <-> typed events (see codec.h).
 *
 * Decoding never trusts the frame: size is checked before parsing, nesting depth is
 * checked by a scan before jansson recurses, and the body of the event is rebuilt
 * from the catalogue entry's fields only (unknown fields dropped), each value checked
 * and every string at any depth, object keys included, passed through text_clean().
 * Encoding runs the same validation, so what the hub sends obeys the same rules it
 * enforces on what it receives; proto_check runs it once more in a counting mode that
 * builds nothing, so a sender can know an event will encode before it commits to it. */
#include "proto/codec.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/text.h"

#define MAX_SAFE_INT 9007199254740991.0
#define MAX_QUOTED_TYPE 64   /* bytes of a bad type name quoted in an error message */

/* Durable hub->console events carry these two besides their catalogue fields. */
static const proto_field durable_fields[] = {
    { "seq", FT_INT, true, 0, MAX_SAFE_INT, NULL, "hub-wide, strictly increasing sequence number" },
    { "ts", FT_INT, true, 0, MAX_SAFE_INT, NULL, "when the hub logged the event, ms since the epoch" },
    { NULL, FT_ID, false, 0, 0, NULL, NULL }
};

static void set_error(proto_error *err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_error(proto_error *err, const char *code, const char *fmt, ...)
{
    char raw[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    size_t rawlen = n < 0 ? 0 : (size_t)n >= sizeof raw ? sizeof raw - 1 : (size_t)n;
    size_t clean_len;
    char *clean = text_clean(raw, rawlen, TEXT_SINGLE_LINE, &clean_len);
    size_t keep = text_prefix_len(clean, clean_len, sizeof err->message - 1);
    memcpy(err->message, clean, keep);
    err->message[keep] = '\0';
    free(clean);
    err->code = code;
    err->ref[0] = '\0';
}

/* A cleaned, truncated copy of an untrusted name, for quoting in an error message. */
static void quote_name(const char *s, size_t len, char *out, size_t outsz)
{
    size_t clean_len;
    char *clean = text_clean(s, len, TEXT_SINGLE_LINE, &clean_len);
    size_t keep = text_prefix_len(clean, clean_len, outsz - 1);
    memcpy(out, clean, keep);
    out[keep] = '\0';
    free(clean);
}

/* Deepest nesting of arrays and objects in a JSON text, counted without parsing, so
 * that a hostile frame cannot make the parser recurse deeply. Stops counting once
 * past `limit`. */
static int json_text_depth(const char *s, size_t len, int limit)
{
    int depth = 0, deepest = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > deepest) {
                deepest = depth;
                if (deepest > limit)
                    return deepest;
            }
        } else if (c == '}' || c == ']') {
            depth--;
        }
    }
    return deepest;
}

/* A cleaned JSON string of at most `max` bytes (after cleaning, cut on a code point). */
static json_t *clean_string(const char *s, size_t len, int flags, size_t max)
{
    if (text_is_clean(s, len, flags) && len <= max)
        return json_stringn_nocheck(s, len);
    size_t clean_len;
    char *clean = text_clean(s, len, flags, &clean_len);
    json_t *j = json_stringn_nocheck(clean, text_prefix_len(clean, clean_len, max));
    free(clean);
    return j;
}

/* What proto_check counts instead of building the checked copy: the bytes json_dumps
 * writes for it (JSON_COMPACT). Reals apart: their precision is chosen for the whole frame
 * (15 digits when every real round-trips with them, else 17; see reals_fit_15_digits). */
typedef struct {
    size_t bytes;            /* everything but the reals */
    size_t reals15, reals17; /* the reals at either precision */
    bool reals_fit_15;
    bool count17;            /* the second count, made only when a real needs 17 digits:
                              * reals17 is counted instead of reals15 (a real printed twice
                              * a check was most of the check's cost for a sentiment event) */
} frame_size;

typedef struct {
    const char *event;   /* wire name, for messages */
    const char *field;   /* top-level field name, for messages */
    proto_error *err;
    frame_size *size;    /* proto_check: count the frame, build nothing; NULL: build the copy */
    bool share;          /* proto_encode: the copy, dumped at once and freed, holds the
                          * caller's clean strings and scalars rather than copies of them */
} ctx_t;

static bool real_fits_15_digits(double d)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.15g", d);
    return strtod(buf, NULL) == d;
}

/* Bytes of s (valid UTF-8) as jansson writes it in a compact frame: quoted, `"` and `\`
 * escaped, \b \f \n \r \t as two bytes, any other control character as \u00XX. */
static size_t quoted_len(const char *s, size_t len)
{
    size_t n = len + 2;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b == '"' || b == '\\' || b == '\b' || b == '\f' || b == '\n' || b == '\r' || b == '\t')
            n += 1;
        else if (b < 0x20)
            n += 5;
    }
    return n;
}

/* A string value as the encoder keeps it: cleaned with `flags`, cut to `max` bytes. */
static bool take_string(ctx_t *c, json_t *v, int flags, size_t max, json_t **out)
{
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (!c->size) {
        *out = c->share && text_is_clean(s, len, flags) && len <= max ? json_incref(v)
                                                                       : clean_string(s, len, flags, max);
        return true;
    }
    if (text_is_clean(s, len, flags) && len <= max) {
        c->size->bytes += quoted_len(s, len);
        return true;
    }
    size_t clean_len;
    char *clean = text_clean(s, len, flags, &clean_len);
    c->size->bytes += quoted_len(clean, text_prefix_len(clean, clean_len, max));
    free(clean);
    return true;
}

/* The bytes of v in decimal, as "%" JSON_INTEGER_FORMAT prints it (without printf: every
 * event has a seq and a ts). */
static size_t integer_len(json_int_t v)
{
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    size_t n = v < 0 ? 2 : 1;
    for (; u >= 10; u /= 10)
        n++;
    return n;
}

/* A number, boolean or null, copied as it is. */
static bool take_scalar(ctx_t *c, json_t *v, json_t **out)
{
    if (!c->size) {
        *out = c->share ? json_incref(v) : json_copy(v);
        return true;
    }
    if (json_is_real(v)) {
        /* the digits as jansson prints them (its own trailing ".0" and exponent rules) */
        if (c->size->count17)
            c->size->reals17 += json_dumpb(v, NULL, 0, JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));
        else
            c->size->reals15 += json_dumpb(v, NULL, 0, JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
        if (!c->size->count17 && !real_fits_15_digits(json_real_value(v)))
            c->size->reals_fit_15 = false;
    } else if (json_is_integer(v)) {
        c->size->bytes += integer_len(json_integer_value(v));
    } else {
        c->size->bytes += json_is_false(v) ? 5 : 4; /* true, null */
    }
    return true;
}

/* A nested value with every string and key cleaned (single line), depth and sizes bounded:
 * its copy into *out, or (proto_check) its size counted. `depth` is the nesting level of `v`
 * itself (the frame object is 1). False with the error set when a bound is exceeded. */
static bool take_value(json_t *v, int depth, ctx_t *c, json_t **out)
{
    if (json_is_string(v))
        return take_string(c, v, TEXT_SINGLE_LINE, PROTO_MAX_LONGTEXT, out);
    if (!json_is_object(v) && !json_is_array(v))
        return take_scalar(c, v, out);
    if (depth > PROTO_MAX_DEPTH) {
        set_error(c->err, PROTO_ERR_BAD_FIELD, "%s.%s: nested deeper than %d", c->event,
                  c->field, PROTO_MAX_DEPTH);
        return false;
    }
    if (json_is_array(v)) {
        if (json_array_size(v) > PROTO_MAX_ARRAY) {
            set_error(c->err, PROTO_ERR_BAD_FIELD, "%s.%s: more than %d items", c->event,
                      c->field, PROTO_MAX_ARRAY);
            return false;
        }
        json_t *copy = c->size ? NULL : json_array();
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            json_t *kept = NULL;
            if (!take_value(item, depth + 1, c, &kept)) {
                json_decref(copy);
                return false;
            }
            if (copy)
                json_array_append_new(copy, kept);
            else
                c->size->bytes += i > 0; /* the comma before it */
        }
        if (c->size)
            c->size->bytes += 2; /* [] */
        else
            *out = copy;
        return true;
    }
    if (json_object_size(v) > PROTO_MAX_ARRAY) {
        set_error(c->err, PROTO_ERR_BAD_FIELD, "%s.%s: more than %d members", c->event,
                  c->field, PROTO_MAX_ARRAY);
        return false;
    }
    json_t *copy = c->size ? NULL : json_object();
    size_t kept_members = 0;
    const char *key;
    size_t key_len;
    json_t *member;
    json_object_keylen_foreach(v, key, key_len, member) {
        /* A key that is not clean text is not one a reader looks for: drop it. */
        if (key_len == 0 || key_len > PROTO_MAX_SHORT || !text_is_clean(key, key_len, TEXT_SINGLE_LINE))
            continue;
        json_t *kept = NULL;
        if (!take_value(member, depth + 1, c, &kept)) {
            json_decref(copy);
            return false;
        }
        if (copy)
            json_object_setn_new_nocheck(copy, key, key_len, kept);
        else
            c->size->bytes += (kept_members > 0) + quoted_len(key, key_len) + 1; /* ,"key": */
        kept_members++;
    }
    if (c->size)
        c->size->bytes += 2; /* {} */
    else
        *out = copy;
    return true;
}

static const char *type_word(proto_field_type t)
{
    switch (t) {
    case FT_ID: case FT_STRING: case FT_TEXT: case FT_ENUM: return "string";
    case FT_INT: return "integer";
    case FT_NUMBER: return "number";
    case FT_BOOL: return "boolean";
    case FT_OBJECT: return "object";
    case FT_ARRAY: return "array";
    }
    return "value";
}

/* Checks one present field: its cleaned copy into *out (or its size counted), or false with
 * the error set. */
static bool take_field(const proto_field *f, json_t *v, ctx_t *c, json_t **out)
{
    const char *ev = c->event, *name = f->name;
    bool is_str = f->type == FT_ID || f->type == FT_STRING || f->type == FT_TEXT || f->type == FT_ENUM;
    bool ok;
    switch (f->type) {
    case FT_INT: ok = json_is_integer(v); break;
    case FT_NUMBER: ok = json_is_number(v); break;
    case FT_BOOL: ok = json_is_boolean(v); break;
    case FT_OBJECT: ok = json_is_object(v); break;
    case FT_ARRAY: ok = json_is_array(v); break;
    default: ok = json_is_string(v); break;
    }
    if (!ok) {
        set_error(c->err, PROTO_ERR_BAD_FIELD, "%s.%s: expected %s", ev, name, type_word(f->type));
        return false;
    }
    if (is_str) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        if (f->type == FT_ENUM) {
            if (!proto_enum_has(f->values, s, len)) {
                char quoted[MAX_QUOTED_TYPE + 1];
                quote_name(s, len, quoted, sizeof quoted);
                set_error(c->err, PROTO_ERR_BAD_FIELD, "%s.%s: \"%s\" is not one of %s", ev, name,
                          quoted, f->values);
                return false;
            }
            if (c->size)
                c->size->bytes += quoted_len(s, len);
            else
                *out = c->share ? json_incref(v) : json_stringn_nocheck(s, len);
            return true;
        }
        size_t max = (size_t)f->max;
        if (len > max) {
            set_error(c->err, PROTO_ERR_BAD_FIELD, "%s.%s: exceeds %zu bytes", ev, name, max);
            return false;
        }
        if (f->type == FT_ID && len == 0) {
            set_error(c->err, PROTO_ERR_BAD_FIELD, "%s.%s: empty", ev, name);
            return false;
        }
        return take_string(c, v, f->type == FT_TEXT ? TEXT_KEEP_NEWLINES : TEXT_SINGLE_LINE, max, out);
    }
    if (f->type == FT_INT || f->type == FT_NUMBER) {
        double d = f->type == FT_INT ? (double)json_integer_value(v) : json_number_value(v);
        if (!(d >= f->min && d <= f->max)) {
            if (f->type == FT_INT)
                set_error(c->err, PROTO_ERR_BAD_FIELD, "%s.%s: %lld out of range %lld..%lld", ev,
                          name, (long long)json_integer_value(v), (long long)f->min, (long long)f->max);
            else
                set_error(c->err, PROTO_ERR_BAD_FIELD, "%s.%s: %.15g out of range %.15g..%.15g", ev,
                          name, d, f->min, f->max);
            return false;
        }
        return take_scalar(c, v, out);
    }
    if (f->type == FT_BOOL)
        return take_scalar(c, v, out);
    size_t items = f->type == FT_ARRAY ? json_array_size(v) : json_object_size(v);
    if (items > (size_t)f->max) {
        set_error(c->err, PROTO_ERR_BAD_FIELD, "%s.%s: more than %zu %s", ev, name, (size_t)f->max,
                  f->type == FT_ARRAY ? "items" : "members");
        return false;
    }
    return take_value(v, 2, c, out);
}

/* Fill `body` with the checked copies of `fields` found in `obj` (or count their size), in
 * catalogue order, so the first problem reported is the first listed field that has one. */
static bool take_fields(const proto_field *fields, json_t *obj, json_t *body, ctx_t *c)
{
    for (const proto_field *f = fields; f->name; f++) {
        json_t *v = json_object_get(obj, f->name);
        if (!v || (json_is_null(v) && !f->required)) {
            if (f->required) {
                set_error(c->err, PROTO_ERR_BAD_FIELD, "%s.%s: required", c->event, f->name);
                return false;
            }
            continue;
        }
        c->field = f->name;
        json_t *copy = NULL;
        if (!take_field(f, v, c, &copy))
            return false;
        if (body)
            json_object_set_new_nocheck(body, f->name, copy);
        else /* ,"name": — "type" always comes first, so every field has its comma */
            c->size->bytes += 1 + quoted_len(f->name, strlen(f->name)) + 1;
    }
    return true;
}

/* The one validation of decoding, encoding and proto_check: the event's checked, cleaned
 * body into *out, or, when `size` is given, only its frame counted (out unused). */
static bool validate(const proto_event_spec *spec, json_t *obj, proto_event *out, frame_size *size,
                     bool share, proto_error *err)
{
    ctx_t c = { spec->name, "", err, size, share };
    json_t *body = NULL;
    if (size)
        size->bytes += 2 + quoted_len("type", 4) + 1 + quoted_len(spec->name, strlen(spec->name));
    else {
        body = json_object();
        json_object_set_new_nocheck(body, "type", json_string_nocheck(spec->name));
    }
    bool durable = spec->durable && spec->dir == PROTO_TO_CONSOLE;
    if ((durable && !take_fields(durable_fields, obj, body, &c)) ||
        !take_fields(spec->fields, obj, body, &c)) {
        json_decref(body);
        return false;
    }
    if (out) {
        out->type = spec->type;
        out->body = body;
    }
    return true;
}

bool proto_decode_json(json_t *obj, proto_dir dir, proto_event *out, proto_error *err)
{
    out->type = EV__COUNT;
    out->body = NULL;
    if (!json_is_object(obj)) {
        set_error(err, PROTO_ERR_BAD_JSON, "frame is not a JSON object");
        return false;
    }
    json_t *type = json_object_get(obj, "type");
    if (!type) {
        set_error(err, PROTO_ERR_BAD_FIELD, "missing \"type\"");
        return false;
    }
    if (!json_is_string(type)) {
        set_error(err, PROTO_ERR_BAD_FIELD, "type: expected string");
        return false;
    }
    const char *name = json_string_value(type);
    size_t name_len = json_string_length(type);
    const proto_event_spec *spec = strlen(name) == name_len ? proto_spec_find(name, dir) : NULL;
    if (!spec) {
        char quoted[MAX_QUOTED_TYPE + 1];
        quote_name(name, name_len, quoted, sizeof quoted);
        set_error(err, PROTO_ERR_UNKNOWN_TYPE, "unknown type \"%s\"", quoted);
        return false;
    }
    return validate(spec, obj, out, NULL, false, err);
}

void proto_frame_ref(const json_t *frame, char out[PROTO_MAX_ID + 1])
{
    out[0] = '\0';
    json_t *id = json_is_object(frame) ? json_object_get(frame, "id") : NULL;
    if (!json_is_string(id) || json_string_length(id) == 0)
        return;
    size_t clean_len;
    char *clean = text_clean(json_string_value(id), json_string_length(id), TEXT_SINGLE_LINE, &clean_len);
    size_t keep = text_prefix_len(clean, clean_len, PROTO_MAX_ID);
    memcpy(out, clean, keep);
    out[keep] = '\0';
    free(clean);
}

/* The id of a frame refused before it could be parsed strictly (duplicate keys, nested too
 * deep): parsed leniently, but never deeper than the parser can safely recurse, so that the
 * error still names the action it answers. */
static void refused_frame_ref(const char *frame, size_t len, proto_error *err)
{
    err->ref[0] = '\0';
    if (json_text_depth(frame, len, 4 * PROTO_MAX_DEPTH) > 4 * PROTO_MAX_DEPTH)
        return;
    json_t *obj = json_loadb(frame, len, 0, NULL);
    proto_frame_ref(obj, err->ref);
    json_decref(obj);
}

json_t *proto_parse(const char *frame, size_t len, proto_error *err)
{
    err->ref[0] = '\0';
    if (len > PROTO_MAX_FRAME) {
        set_error(err, PROTO_ERR_TOO_BIG, "frame exceeds %d bytes", PROTO_MAX_FRAME);
        return NULL;
    }
    if (json_text_depth(frame, len, PROTO_MAX_DEPTH) > PROTO_MAX_DEPTH) {
        set_error(err, PROTO_ERR_BAD_JSON, "frame nests deeper than %d levels", PROTO_MAX_DEPTH);
        refused_frame_ref(frame, len, err);
        return NULL;
    }
    json_error_t jerr;
    /* Without JSON_ALLOW_NUL, "\u0000" inside a string is refused by the parser. */
    json_t *obj = json_loadb(frame, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!obj) {
        set_error(err, PROTO_ERR_BAD_JSON, "bad JSON at line %d column %d: %s", jerr.line,
                  jerr.column, jerr.text);
        if (json_error_code(&jerr) == json_error_duplicate_key)
            refused_frame_ref(frame, len, err);
        return NULL;
    }
    return obj;
}

bool proto_decode(const char *frame, size_t len, proto_dir dir, proto_event *out, proto_error *err)
{
    out->type = EV__COUNT;
    out->body = NULL;
    json_t *obj = proto_parse(frame, len, err);
    if (!obj)
        return false;
    bool ok = proto_decode_json(obj, dir, out, err);
    if (!ok)
        proto_frame_ref(obj, err->ref);
    json_decref(obj);
    return ok;
}

proto_event proto_new(proto_type type)
{
    proto_event ev = { type, json_object() };
    const proto_event_spec *spec = proto_spec(type);
    if (spec)
        json_object_set_new_nocheck(ev.body, "type", json_string_nocheck(spec->name));
    return ev;
}

/* True when every real in `v` prints back to the same double with 15 significant
 * digits: then frames show 0.1 rather than 0.10000000000000001, and only a value that
 * needs them gets 17 digits (the exact round trip the event log relies on). */
static bool reals_fit_15_digits(json_t *v)
{
    if (json_is_real(v))
        return real_fits_15_digits(json_real_value(v));
    size_t i;
    const char *key;
    json_t *item;
    if (json_is_array(v)) {
        json_array_foreach(v, i, item)
            if (!reals_fit_15_digits(item))
                return false;
    } else if (json_is_object(v)) {
        json_object_foreach(v, key, item)
            if (!reals_fit_15_digits(item))
                return false;
    }
    return true;
}

/* The event's spec, or NULL with the error both encoding and checking give. */
static const proto_event_spec *encodable(const proto_event *ev, proto_error *err)
{
    const proto_event_spec *spec = proto_spec(ev->type);
    if (!spec || !json_is_object(ev->body)) {
        set_error(err, PROTO_ERR_INTERNAL, "encode: not an event");
        return NULL;
    }
    return spec;
}

static bool frame_fits(size_t n, proto_error *err)
{
    if (n <= PROTO_MAX_FRAME)
        return true;
    set_error(err, PROTO_ERR_TOO_BIG, "frame exceeds %d bytes", PROTO_MAX_FRAME);
    return false;
}

static uint64_t frames_encoded;

uint64_t proto_encoded_total(void)
{
    return frames_encoded;
}

bool proto_check(const proto_event *ev, size_t *len, proto_error *err)
{
    const proto_event_spec *spec = encodable(ev, err);
    frame_size size = { 0, 0, 0, true, false };
    if (!spec || !validate(spec, ev->body, NULL, &size, false, err))
        return false;
    if (!size.reals_fit_15) {   /* every real at 17 digits: counted again */
        size = (frame_size){ 0, 0, 0, false, true };
        if (!validate(spec, ev->body, NULL, &size, false, err))
            return false;
    }
    size_t n = size.bytes + (size.reals_fit_15 ? size.reals15 : size.reals17);
    if (!frame_fits(n, err))
        return false;
    if (len)
        *len = n;
    return true;
}

char *proto_encode(const proto_event *ev, size_t *len, proto_error *err)
{
    frames_encoded++;
    const proto_event_spec *spec = encodable(ev, err);
    proto_event checked;
    /* the checked copy shares the body's clean values: it is dumped and freed here */
    if (!spec || !validate(spec, ev->body, &checked, NULL, true, err))
        return NULL;
    size_t precision = reals_fit_15_digits(checked.body) ? 15 : 17;
    char *frame = json_dumps(checked.body, JSON_COMPACT | JSON_REAL_PRECISION(precision));
    proto_free(&checked);
    if (!frame) {
        set_error(err, PROTO_ERR_INTERNAL, "encode: %s: out of memory", spec->name);
        return NULL;
    }
    size_t n = strlen(frame);
    if (!frame_fits(n, err)) {
        free(frame);
        return NULL;
    }
    if (len)
        *len = n;
    return frame;
}

void proto_free(proto_event *ev)
{
    if (!ev)
        return;
    json_decref(ev->body);
    ev->body = NULL;
}

void proto_set_str(proto_event *ev, const char *field, const char *value)
{
    if (!value) {
        json_object_del(ev->body, field);
        return;
    }
    size_t len = strlen(value);
    /* Invalid UTF-8 would make jansson refuse the string; clean it (newlines kept, so
     * FT_TEXT fields survive; single-line fields are cleaned again at encode). */
    if (text_is_clean(value, len, TEXT_KEEP_NEWLINES)) {
        json_object_set_new(ev->body, field, json_stringn_nocheck(value, len));
        return;
    }
    size_t clean_len;
    char *clean = text_clean(value, len, TEXT_KEEP_NEWLINES, &clean_len);
    json_object_set_new(ev->body, field, json_stringn_nocheck(clean, clean_len));
    free(clean);
}

void proto_set_int(proto_event *ev, const char *field, int64_t value)
{
    json_object_set_new(ev->body, field, json_integer((json_int_t)value));
}

void proto_set_num(proto_event *ev, const char *field, double value)
{
    /* JSON has no NaN or infinity; such a value is left out and reported at encode. */
    if (!isfinite(value)) {
        json_object_del(ev->body, field);
        return;
    }
    json_object_set_new(ev->body, field, json_real(value));
}

void proto_set_bool(proto_event *ev, const char *field, bool value)
{
    json_object_set_new(ev->body, field, json_boolean(value));
}

void proto_set_json(proto_event *ev, const char *field, json_t *value)
{
    if (!value) {
        json_object_del(ev->body, field);
        return;
    }
    json_object_set_new(ev->body, field, value);
}

const char *proto_str(const proto_event *ev, const char *field)
{
    return json_string_value(json_object_get(ev->body, field));
}

int64_t proto_int(const proto_event *ev, const char *field, int64_t def)
{
    json_t *v = json_object_get(ev->body, field);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

double proto_num(const proto_event *ev, const char *field, double def)
{
    json_t *v = json_object_get(ev->body, field);
    return json_is_number(v) ? json_number_value(v) : def;
}

bool proto_bool(const proto_event *ev, const char *field, bool def)
{
    json_t *v = json_object_get(ev->body, field);
    return json_is_boolean(v) ? json_is_true(v) : def;
}

json_t *proto_json(const proto_event *ev, const char *field)
{
    return json_object_get(ev->body, field);
}

proto_event proto_error_event(proto_dir dir, const proto_error *err, const char *ref)
{
    bool ingest = dir == PROTO_INGEST || dir == PROTO_INGEST_REPLY;
    proto_event ev = proto_new(ingest ? EV_INGEST_ERROR : EV_ERROR);
    proto_set_str(&ev, "code", err->code ? err->code : PROTO_ERR_INTERNAL);
    proto_set_str(&ev, "message", err->message);
    if (ref && *ref) {
        size_t clean_len;
        char *clean = text_clean(ref, strlen(ref), TEXT_SINGLE_LINE, &clean_len);
        json_object_set_new(ev.body, "ref",
                            json_stringn_nocheck(clean, text_prefix_len(clean, clean_len, PROTO_MAX_ID)));
        free(clean);
    }
    return ev;
}
