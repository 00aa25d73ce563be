/* import_check.c — validation of one JSON record against a table of field specs.
 * This is a border: strings come out cleaned by text_clean(), never raw. */
#include "hub/store/import_check.h"
#include "base/mem.h"
#include "proto/catalogue.h"
#include "base/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_MAX_JSON_DEPTH 8

static bool valid_date(const char *s)
{
    static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

static bool has_space_or_control(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
            return true;
    return false;
}

/* A copy of `j` whose keys and strings are cleaned; NULL when nested too deep. */
static json_t *clean_json(json_t *j, int depth)
{
    if (depth > IMPORT_MAX_JSON_DEPTH)
        return NULL;
    if (json_is_string(j)) {
        char *c = text_clean(json_string_value(j), json_string_length(j), TEXT_KEEP_NEWLINES, NULL);
        json_t *out = json_string(c);
        free(c);
        return out;
    }
    if (json_is_object(j)) {
        json_t *out = json_object();
        const char *key;
        json_t *v;
        json_object_foreach(j, key, v) {
            json_t *cv = clean_json(v, depth + 1);
            if (!cv) {
                json_decref(out);
                return NULL;
            }
            char *ck = text_clean(key, strlen(key), TEXT_SINGLE_LINE, NULL);
            json_object_set_new(out, ck, cv);
            free(ck);
        }
        return out;
    }
    if (json_is_array(j)) {
        json_t *out = json_array();
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) {
            json_t *cv = clean_json(v, depth + 1);
            if (!cv) {
                json_decref(out);
                return NULL;
            }
            json_array_append_new(out, cv);
        }
        return out;
    }
    return json_incref(j);
}

static int check_string(const import_field_spec *f, json_t *j, import_field_value *out, char *msg, size_t len)
{
    if (!json_is_string(j)) {
        snprintf(msg, len, "\"%s\" must be a string", f->name);
        return -1;
    }
    const char *s = json_string_value(j);
    size_t n = json_string_length(j);
    if (f->kind == IMPORT_ID || f->kind == IMPORT_STRING || f->kind == IMPORT_TEXT) {
        if (n < (size_t)f->min) {
            if (f->min <= 1)
                snprintf(msg, len, "\"%s\" must not be empty", f->name);
            else
                snprintf(msg, len, "\"%s\" must be at least %d bytes", f->name, (int)f->min);
            return -1;
        }
        if (n > (size_t)f->max) {
            snprintf(msg, len, "\"%s\" must be at most %d bytes", f->name, (int)f->max);
            return -1;
        }
    }
    if (f->kind == IMPORT_ID && has_space_or_control(s, n)) {
        snprintf(msg, len, "\"%s\" must not contain spaces or control characters", f->name);
        return -1;
    }
    out->text = text_clean(s, n, f->kind == IMPORT_TEXT ? TEXT_KEEP_NEWLINES : TEXT_SINGLE_LINE, NULL);
    if (f->kind == IMPORT_ENUM && !proto_enum_has(f->values, out->text, strlen(out->text))) {
        snprintf(msg, len, "\"%s\" must be one of %s", f->name, f->values);
        return -1;
    }
    if (f->kind == IMPORT_DATE && !valid_date(out->text)) {
        snprintf(msg, len, "\"%s\" must be a date YYYY-MM-DD", f->name);
        return -1;
    }
    return 0;
}

/* j is an array of at most f->max items; `what` names the expected kind in the error. */
static int check_array(const import_field_spec *f, json_t *j, const char *what, char *msg, size_t len)
{
    if (!json_is_array(j)) {
        snprintf(msg, len, "\"%s\" must be %s", f->name, what);
        return -1;
    }
    if (json_array_size(j) > (size_t)f->max) {
        snprintf(msg, len, "\"%s\" must have at most %d items", f->name, (int)f->max);
        return -1;
    }
    return 0;
}

static int check_tags(const import_field_spec *f, json_t *j, import_field_value *out, char *msg, size_t len)
{
    if (check_array(f, j, "an array of strings", msg, len) != 0)
        return -1;
    size_t cap = 1, used = 0, i;
    json_t *tag;
    json_array_foreach(j, i, tag)
        cap += (json_is_string(tag) ? json_string_length(tag) * 3 : 0) + 1;
    out->text = mem_alloc(cap);
    out->text[0] = '\0';
    json_array_foreach(j, i, tag) {
        size_t n = json_is_string(tag) ? json_string_length(tag) : 0;
        if (!json_is_string(tag) || n == 0 || n > 64) {
            snprintf(msg, len, "\"%s\" item %zu must be a string of 1 to 64 bytes", f->name, i + 1);
            return -1;
        }
        size_t clen;
        char *c = text_clean(json_string_value(tag), n, TEXT_SINGLE_LINE, &clen);
        if (strchr(c, ',')) {
            free(c);
            snprintf(msg, len, "\"%s\" item %zu must not contain ','", f->name, i + 1);
            return -1;
        }
        if (used + clen + 2 > cap) { /* cleaning grew it beyond 3x: cannot, but stay safe */
            free(c);
            snprintf(msg, len, "\"%s\" item %zu is too long", f->name, i + 1);
            return -1;
        }
        if (used)
            out->text[used++] = ',';
        memcpy(out->text + used, c, clen + 1);
        used += clen;
        free(c);
    }
    return 0;
}

#define IMPORT_PHRASE_MAX 512

/* Customer phrasings: each cleaned to one line, kept in order, stored as a JSON array. */
static int check_phrases(const import_field_spec *f, json_t *j, import_field_value *out, char *msg, size_t len)
{
    if (check_array(f, j, "an array of strings", msg, len) != 0)
        return -1;
    json_t *clean = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(j, i, p) {
        size_t n = json_is_string(p) ? json_string_length(p) : 0;
        char *c = n ? text_clean(json_string_value(p), n, TEXT_SINGLE_LINE, NULL) : NULL;
        if (!c || !*c || n > IMPORT_PHRASE_MAX) {
            free(c);
            json_decref(clean);
            snprintf(msg, len, "\"%s\" item %zu must be a string of 1 to %d bytes", f->name, i + 1,
                     IMPORT_PHRASE_MAX);
            return -1;
        }
        json_array_append_new(clean, json_string(c));
        free(c);
    }
    out->text = json_dumps(clean, JSON_COMPACT);
    json_decref(clean);
    if (!out->text)
        abort();
    return 0;
}

static int check_field(const import_field_spec *f, json_t *j, import_field_value *out, char *msg, size_t len)
{
    out->present = true;
    switch (f->kind) {
    case IMPORT_ID: case IMPORT_STRING: case IMPORT_TEXT: case IMPORT_ENUM: case IMPORT_DATE:
        return check_string(f, j, out, msg, len);
    case IMPORT_INT:
        if (!json_is_integer(j)) {
            snprintf(msg, len, "\"%s\" must be an integer", f->name);
            return -1;
        }
        out->number = (double)json_integer_value(j);
        break;
    case IMPORT_NUMBER:
        if (!json_is_number(j) || !isfinite(json_number_value(j))) {
            snprintf(msg, len, "\"%s\" must be a number", f->name);
            return -1;
        }
        out->number = json_number_value(j);
        break;
    case IMPORT_TAGS:
        return check_tags(f, j, out, msg, len);
    case IMPORT_OBJECT: {
        if (!json_is_object(j)) {
            snprintf(msg, len, "\"%s\" must be an object", f->name);
            return -1;
        }
        json_t *clean = clean_json(j, 0);
        if (!clean) {
            snprintf(msg, len, "\"%s\" must be nested at most %d levels", f->name,
                     IMPORT_MAX_JSON_DEPTH);
            return -1;
        }
        out->text = json_dumps(clean, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
        json_decref(clean);
        if (!out->text)
            abort();
        if (strlen(out->text) > (size_t)f->max) {
            snprintf(msg, len, "\"%s\" must be at most %d bytes as JSON", f->name, (int)f->max);
            return -1;
        }
        return 0;
    }
    case IMPORT_PHRASES:
        return check_phrases(f, j, out, msg, len);
    case IMPORT_ARRAY:
        if (check_array(f, j, "an array", msg, len) != 0)
            return -1;
        out->json = j;
        return 0;
    }
    if (out->number < f->min || out->number > f->max) {
        snprintf(msg, len, "\"%s\" must be between %g and %g", f->name, f->min, f->max);
        return -1;
    }
    return 0;
}

void import_check_free(import_field_value *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].text);
    memset(v, 0, n * sizeof *v);
}

int import_check_fields(const import_field_spec *spec, size_t n, json_t *obj,
                        import_field_value *v, char *msg, size_t len)
{
    memset(v, 0, n * sizeof *v);
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value) {
        size_t i = 0;
        while (i < n && strcmp(spec[i].name, key) != 0)
            i++;
        if (i == n) {
            char *shown = text_clean(key, strlen(key), TEXT_SINGLE_LINE, NULL);
            int o = snprintf(msg, len, "unknown field \"%.64s\" (expected", shown);
            free(shown);
            for (size_t k = 0; k < n && o > 0 && (size_t)o < len; k++)
                o += snprintf(msg + o, len - (size_t)o, "%s%s", k ? ", " : " ", spec[k].name);
            if (o > 0 && (size_t)o < len)
                snprintf(msg + o, len - (size_t)o, ")");
            return -1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        json_t *j = json_object_get(obj, spec[i].name);
        if (!j || json_is_null(j)) {
            if (spec[i].required) {
                snprintf(msg, len, "\"%s\" is required", spec[i].name);
                import_check_free(v, n);
                return -1;
            }
            continue;
        }
        if (check_field(&spec[i], j, &v[i], msg, len) != 0) {
            import_check_free(v, n);
            return -1;
        }
    }
    return 0;
}

