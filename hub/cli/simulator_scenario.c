/* simulator_scenario.c — reading and strictly validating scenario files. Every message
 * names the file and, for a line, its index, so a bad data file is fixed in one look. */
#include "hub/cli/simulator_scenario.h"
#include "base/mem.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "proto/catalogue.h"
#include "base/text.h"

#define MAX_FILE_BYTES (1 << 20)
#define MAX_END_REASON 64

static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return false;
}

/* value is one of the '|'-separated choices */
static bool one_of(const char *value, const char *choices)
{
    return proto_enum_has(choices, value, strlen(value));
}

static bool valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SIMULATOR_MAX_NAME)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

static bool valid_customer_id(const char *s)
{
    if (strncmp(s, "C-", 2) != 0 || !s[2] || strlen(s) > 16)
        return false;
    for (const char *p = s + 2; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

/* A single-line string that text_clean would leave alone, 1..max bytes. */
static const char *clean_string(json_t *v, size_t max, const char **why)
{
    if (!json_is_string(v)) {
        *why = "expected a string";
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 0) {
        *why = "must not be empty";
        return NULL;
    }
    if (n > max) {
        *why = "too long";
        return NULL;
    }
    if (strlen(s) != n || !text_is_clean(s, n, TEXT_SINGLE_LINE)) {
        *why = "contains control characters or invalid UTF-8";
        return NULL;
    }
    return s;
}

static bool only_keys(json_t *obj, const char *allowed, const char **bad)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        if (!one_of(key, allowed)) {
            *bad = key;
            return false;
        }
    }
    return true;
}

static bool parse_line(json_t *item, size_t i, int64_t prev_at, const char *label,
                       simulator_line *out, char *err, size_t errlen)
{
    const char *bad, *why;
    if (!json_is_object(item))
        return fail(err, errlen, "%s: lines[%zu]: expected an object", label, i);
    if (!only_keys(item, "at_ms|speaker|text", &bad))
        return fail(err, errlen, "%s: lines[%zu]: unknown key \"%.40s\"", label, i, bad);

    json_t *at = json_object_get(item, "at_ms");
    if (!at)
        return fail(err, errlen, "%s: lines[%zu].at_ms: missing", label, i);
    if (!json_is_integer(at))
        return fail(err, errlen, "%s: lines[%zu].at_ms: expected an integer", label, i);
    json_int_t at_ms = json_integer_value(at);
    if (at_ms < 0 || at_ms > SIMULATOR_MAX_AT_MS)
        return fail(err, errlen, "%s: lines[%zu].at_ms: %lld is outside 0..%d", label, i,
                    (long long)at_ms, SIMULATOR_MAX_AT_MS);
    if (at_ms < prev_at)
        return fail(err, errlen, "%s: lines[%zu].at_ms: %lld is before the previous line (%lld)",
                    label, i, (long long)at_ms, (long long)prev_at);

    json_t *sp = json_object_get(item, "speaker");
    if (!sp)
        return fail(err, errlen, "%s: lines[%zu].speaker: missing", label, i);
    const char *speaker = json_string_value(sp);
    static const char *const speakers[] = { "customer", "agent", "bot" };
    out->speaker = NULL;
    for (size_t k = 0; speaker && k < 3; k++)
        if (strcmp(speaker, speakers[k]) == 0)
            out->speaker = speakers[k];
    if (!out->speaker)
        return fail(err, errlen, "%s: lines[%zu].speaker: expected one of customer|agent|bot",
                    label, i);

    json_t *tx = json_object_get(item, "text");
    if (!tx)
        return fail(err, errlen, "%s: lines[%zu].text: missing", label, i);
    const char *text = clean_string(tx, SIMULATOR_MAX_LINE_TEXT, &why);
    if (!text)
        return fail(err, errlen, "%s: lines[%zu].text: %s", label, i, why);
    if (text[0] == ' ' || text[strlen(text) - 1] == ' ')
        return fail(err, errlen, "%s: lines[%zu].text: leading or trailing space", label, i);

    out->at_ms = at_ms;
    out->text = mem_strdup(text);
    return true;
}

/* A required single-line string field of the scenario object. */
static const char *field(json_t *root, const char *name, size_t max, const char *label,
                         char *err, size_t errlen)
{
    const char *why;
    json_t *v = json_object_get(root, name);
    if (!v) {
        fail(err, errlen, "%s: %s: missing", label, name);
        return NULL;
    }
    const char *s = clean_string(v, max, &why);
    if (!s)
        fail(err, errlen, "%s: %s: %s", label, name, why);
    return s;
}

static bool parse_root(json_t *root, const char *label, const char *expected_name,
                       simulator_scenario *out, char *err, size_t errlen)
{
    const char *bad;
    if (!json_is_object(root))
        return fail(err, errlen, "%s: expected a JSON object", label);
    if (!only_keys(root, "name|description|channel|queue|customer_id|weight|lines|end_reason",
                   &bad))
        return fail(err, errlen, "%s: unknown key \"%.40s\"", label, bad);

    const char *name = field(root, "name", SIMULATOR_MAX_NAME, label, err, errlen);
    if (!name)
        return false;
    if (!valid_name(name))
        return fail(err, errlen, "%s: name: use 1..%d of a-z, 0-9 and -", label,
                    SIMULATOR_MAX_NAME);
    if (expected_name && strcmp(name, expected_name) != 0)
        return fail(err, errlen, "%s: name: \"%s\" differs from the file name \"%.40s\"", label,
                    name, expected_name);

    json_t *desc = json_object_get(root, "description");
    if (desc && !json_is_string(desc))
        return fail(err, errlen, "%s: description: expected a string", label);

    const char *channel = field(root, "channel", 16, label, err, errlen);
    if (!channel)
        return false;
    if (!one_of(channel, "voice|chat"))
        return fail(err, errlen, "%s: channel: expected one of voice|chat", label);

    const char *queue = field(root, "queue", 32, label, err, errlen);
    if (!queue)
        return false;
    if (!one_of(queue, SIMULATOR_QUEUES))
        return fail(err, errlen, "%s: queue: expected one of " SIMULATOR_QUEUES, label);

    const char *customer = field(root, "customer_id", 16, label, err, errlen);
    if (!customer)
        return false;
    if (!valid_customer_id(customer))
        return fail(err, errlen, "%s: customer_id: expected C- followed by digits", label);

    json_t *w = json_object_get(root, "weight");
    if (!w)
        return fail(err, errlen, "%s: weight: missing", label);
    if (!json_is_integer(w) || json_integer_value(w) < 1 || json_integer_value(w) > 10)
        return fail(err, errlen, "%s: weight: expected an integer 1..10", label);

    const char *end_reason = field(root, "end_reason", MAX_END_REASON, label, err, errlen);
    if (!end_reason)
        return false;

    json_t *lines = json_object_get(root, "lines");
    if (!lines)
        return fail(err, errlen, "%s: lines: missing", label);
    if (!json_is_array(lines))
        return fail(err, errlen, "%s: lines: expected an array", label);
    size_t n = json_array_size(lines);
    if (n < SIMULATOR_MIN_LINES || n > SIMULATOR_MAX_LINES)
        return fail(err, errlen, "%s: lines: %zu lines, expected %d..%d", label, n,
                    SIMULATOR_MIN_LINES, SIMULATOR_MAX_LINES);

    simulator_line *parsed = mem_zalloc(n, sizeof *parsed);
    int64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        if (!parse_line(json_array_get(lines, i), i, prev, label, &parsed[i], err, errlen)) {
            for (size_t k = 0; k < i; k++)
                free(parsed[k].text);
            free(parsed);
            return false;
        }
        prev = parsed[i].at_ms;
    }

    out->name = mem_strdup(name);
    out->channel = mem_strdup(channel);
    out->queue = mem_strdup(queue);
    out->customer_id = mem_strdup(customer);
    out->end_reason = mem_strdup(end_reason);
    out->weight = (int)json_integer_value(w);
    out->voice = strcmp(channel, "voice") == 0;
    out->lines = parsed;
    out->nlines = n;
    return true;
}

bool simulator_scenario_parse(const char *json, size_t len, const char *label,
                              const char *expected_name, simulator_scenario *out,
                              char *err, size_t errlen)
{
    json_error_t jerr;
    memset(out, 0, sizeof *out);
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return fail(err, errlen, "%s:%d:%d: invalid JSON: %s", label, jerr.line, jerr.column,
                    jerr.text);
    bool ok = parse_root(root, label, expected_name, out, err, errlen);
    json_decref(root);
    return ok;
}

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = mem_alloc(MAX_FILE_BYTES + 1);
    size_t n = fread(buf, 1, MAX_FILE_BYTES + 1, f);
    bool read_error = ferror(f);
    fclose(f);
    if (read_error) {
        free(buf);
        fail(err, errlen, "%s: read error", path);
        return NULL;
    }
    if (n > MAX_FILE_BYTES) {
        free(buf);
        fail(err, errlen, "%s: larger than %d bytes", path, MAX_FILE_BYTES);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

bool simulator_scenario_load_file(const char *path, simulator_scenario *out,
                                  char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t blen = strlen(base);
    if (blen <= 5 || strcmp(base + blen - 5, ".json") != 0)
        return fail(err, errlen, "%s: a scenario file name ends in .json", path);
    char expected[SIMULATOR_MAX_NAME + 2];
    if (blen - 5 > SIMULATOR_MAX_NAME)
        return fail(err, errlen, "%s: file name longer than %d characters", path,
                    SIMULATOR_MAX_NAME);
    memcpy(expected, base, blen - 5);
    expected[blen - 5] = '\0';

    size_t len;
    char *text = read_file(path, &len, err, errlen);
    if (!text)
        return false;
    bool ok = simulator_scenario_parse(text, len, path, expected, out, err, errlen);
    free(text);
    return ok;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool simulator_scenario_load_dir(const char *dir, simulator_scenario_set *set,
                                 char *err, size_t errlen)
{
    memset(set, 0, sizeof *set);
    DIR *d = opendir(dir);
    if (!d)
        return fail(err, errlen, "%s: %s", dir, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = mem_realloc(names, cap * sizeof *names);
        }
        names[n++] = mem_strdup(de->d_name);
    }
    closedir(d);

    bool ok = true;
    if (n == 0)
        ok = fail(err, errlen, "%s: no scenario files (*.json)", dir);
    else
        qsort(names, n, sizeof *names, compare_names);

    if (ok) {
        set->items = mem_zalloc(n, sizeof *set->items);
    }
    for (size_t i = 0; ok && i < n; i++) {
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, names[i]) >= sizeof path) {
            ok = fail(err, errlen, "%s/%s: path too long", dir, names[i]);
            break;
        }
        ok = simulator_scenario_load_file(path, &set->items[set->count], err, errlen);
        if (ok)
            set->count++;
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (!ok)
        simulator_scenario_set_free(set);
    return ok;
}

bool simulator_scenario_check_customers(const simulator_scenario_set *set,
                                        const char *customers_path, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_load_file(customers_path, 0, &jerr);
    if (!root)
        return fail(err, errlen, "%s:%d:%d: invalid JSON: %s", customers_path, jerr.line,
                    jerr.column, jerr.text);
    bool ok = json_is_array(root);
    if (!ok)
        fail(err, errlen, "%s: expected a JSON array of customers", customers_path);
    for (size_t i = 0; ok && i < set->count; i++) {
        const char *want = set->items[i].customer_id;
        bool found = false;
        size_t k;
        json_t *c;
        json_array_foreach(root, k, c) {
            const char *id = json_string_value(json_object_get(c, "id"));
            if (id && strcmp(id, want) == 0) {
                found = true;
                break;
            }
        }
        if (!found)
            ok = fail(err, errlen, "scenario %s: customer_id: %s is not in %s",
                      set->items[i].name, want, customers_path);
    }
    json_decref(root);
    return ok;
}

void simulator_scenario_free(simulator_scenario *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->nlines; i++)
        free(sc->lines[i].text);
    free(sc->lines);
    free(sc->name);
    free(sc->channel);
    free(sc->queue);
    free(sc->customer_id);
    free(sc->end_reason);
    memset(sc, 0, sizeof *sc);
}

void simulator_scenario_set_free(simulator_scenario_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++)
        simulator_scenario_free(&set->items[i]);
    free(set->items);
    set->items = NULL;
    set->count = 0;
}
