/* flags.c — loading and checking the flag rule table (db `rules` table or rules.json), the
 * text normaliser phrase matching relies on, and the Luhn check. The per-interaction
 * matching lives in flags_state.c. */
#include "hub/assist/flags.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/assist/flags_rules.h"
#include "hub/assist/phrasing.h"

#define MAX_RULES 512
#define MAX_PHRASES 128
#define MAX_EXAMPLES_PER_RULE 256
#define DEFAULT_MIN_SCORE 0.6

static const struct {
    const char *name;
    flags_computed kind;
} computed_names[] = {
    {"sentiment_drop", FLAGS_COMPUTED_SENTIMENT_DROP},
    {"sustained_negative", FLAGS_COMPUTED_SUSTAINED_NEGATIVE},
    {"long_silence", FLAGS_COMPUTED_LONG_SILENCE},
    {"talk_ratio", FLAGS_COMPUTED_TALK_RATIO},
    {"compliance_deadline", FLAGS_COMPUTED_COMPLIANCE_DEADLINE},
};

/* ---------- text ---------- */

/* The normaliser; when origin is given, also reports which input byte produced output
 * bytes want[0] and want[1] (origin[1] is one past it), -1 if none did. */
static size_t normalize(const char *text, char *out, size_t cap, const size_t want[2],
                        long origin[2])
{
    size_t n = 0;
    if (origin)
        origin[0] = origin[1] = -1;
    if (cap < 3) {
        if (cap)
            out[0] = 0;
        return 0;
    }
    out[n++] = ' ';
    const unsigned char *start = (const unsigned char *)text;
    for (const unsigned char *p = start; *p && n + 2 < cap; p++) {
        unsigned char c = *p;
        if (c == '\'')
            continue;
        /* U+2019 / U+2018 quotes as apostrophes: dropped like ' */
        if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0x99 || p[2] == 0x98)) {
            p += 2;
            continue;
        }
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
            if (origin && n == want[0])
                origin[0] = (long)(p - start);
            if (origin && n == want[1])
                origin[1] = (long)(p - start) + 1;
            out[n++] = (char)c;
        } else if (out[n - 1] != ' ') {
            out[n++] = ' ';
        }
    }
    if (out[n - 1] != ' ')
        out[n++] = ' ';
    out[n] = 0;
    return n;
}

size_t flags_normalize(const char *text, char *out, size_t cap)
{
    return normalize(text, out, cap, NULL, NULL);
}

bool flags_normalize_origin(const char *text, size_t norm_from, size_t norm_to, char *scratch,
                            size_t cap, size_t *from, size_t *to)
{
    size_t want[2] = {norm_from, norm_to - 1};
    long origin[2];
    if (norm_to <= norm_from)
        return false;
    normalize(text, scratch, cap, want, origin);
    if (origin[0] < 0 || origin[1] < origin[0])
        return false;
    *from = (size_t)origin[0];
    *to = (size_t)origin[1];
    return true;
}

bool flags_luhn_ok(const char *s, size_t len)
{
    int sum = 0, ndigits = 0;
    for (size_t i = len; i-- > 0;) {
        if (s[i] < '0' || s[i] > '9')
            continue;
        int d = s[i] - '0';
        if (ndigits % 2 == 1) {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
        ndigits++;
    }
    return ndigits >= 2 && sum % 10 == 0;
}

/* ---------- rules ---------- */

static void rule_clear(flags_rule *r)
{
    for (int i = 0; i < r->nphrases; i++)
        free(r->phrases[i]);
    free(r->phrases);
    free(r->phrase_words);
    if (r->has_re)
        regfree(&r->re);
}

void flags_free(flag_rules *rules)
{
    if (!rules)
        return;
    for (size_t i = 0; i < rules->n; i++)
        rule_clear(&rules->rules[i]);
    free(rules->rules);
    phrasing_free(rules->model);
    free(rules);
}

size_t flags_rule_count(const flag_rules *rules)
{
    return rules ? rules->n : 0;
}

const char *flags_rule_id(const flag_rules *rules, size_t i)
{
    return rules && i < rules->n ? rules->rules[i].id : NULL;
}

const char *flags_rule_kind(const flag_rules *rules, size_t i)
{
    return rules && i < rules->n ? rules->rules[i].kind : NULL;
}

static int add_phrase(flags_rule *r, const char *text, size_t len, char *err, size_t errlen)
{
    char raw[1100], norm[1100];
    if (len >= sizeof raw || r->nphrases >= MAX_PHRASES) {
        snprintf(err, errlen, "rule %s: phrase too long or too many phrases", r->id);
        return -1;
    }
    memcpy(raw, text, len);
    raw[len] = 0;
    size_t n = flags_normalize(raw, norm, sizeof norm);
    if (n <= 2)
        return 0;   /* "||" or punctuation only: nothing to match */
    char **grown = realloc(r->phrases, (size_t)(r->nphrases + 1) * sizeof *grown);
    if (!grown || !(grown[r->nphrases] = strdup(norm))) {
        if (grown)
            r->phrases = grown;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    r->phrases = grown;
    wordset_phrase *words = realloc(r->phrase_words, (size_t)(r->nphrases + 1) * sizeof *words);
    if (!words) {
        free(grown[r->nphrases]);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    r->phrase_words = words;
    wordset_phrase_of(norm, &words[r->nphrases]);
    r->nphrases++;
    return 0;
}

/* "a|b|c" -> phrases a, b, c */
static int split_phrases(flags_rule *r, const char *pattern, char *err, size_t errlen)
{
    const char *p = pattern;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (add_phrase(r, p, len, err, errlen))
            return -1;
        if (!bar)
            return 0;
        p = bar + 1;
    }
}

static double num_param(json_t *params, const char *key, double dflt)
{
    json_t *v = json_object_get(params, key);
    return json_is_number(v) ? json_number_value(v) : dflt;
}

static bool bool_param(json_t *params, const char *key, bool dflt)
{
    json_t *v = json_object_get(params, key);
    return json_is_boolean(v) ? json_is_true(v) : dflt;
}

static int setup_computed(flags_rule *r, const char *pattern, json_t *params, char *err,
                          size_t errlen)
{
    for (size_t i = 0; i < sizeof computed_names / sizeof computed_names[0]; i++)
        if (strcmp(pattern, computed_names[i].name) == 0)
            r->computed = computed_names[i].kind;
    if (r->computed == FLAGS_COMPUTED_NONE) {
        snprintf(err, errlen, "rule %s: unknown computed rule \"%s\" (sentiment_drop, "
                 "sustained_negative, long_silence, talk_ratio, compliance_deadline)", r->id, pattern);
        return -1;
    }
    r->drop = num_param(params, "drop", 0.5);
    r->below = num_param(params, "below", -0.05);
    r->within = (int)num_param(params, "within", 3);
    r->threshold = num_param(params, "threshold", -0.05);
    r->count = (int)num_param(params, "count", 3);
    r->silence_ms = (int64_t)(num_param(params, "seconds", 20) * 1000);
    r->wait_ms = (int64_t)(num_param(params, "wait_seconds", 120) * 1000);
    r->ratio = num_param(params, "ratio", 3);
    r->rearm_ratio = num_param(params, "rearm_ratio", r->ratio / 2);
    r->min_words = (int)num_param(params, "min_words", 60);
    r->window_ms = (int64_t)num_param(params, "window_ms", 120000);
    r->deadline_ms = (int64_t)num_param(params, "deadline_ms", 30000);
    if (r->within < 1 || r->within > 16 || r->count < 1 || r->count > 1000 || r->drop <= 0 ||
        r->silence_ms < 1000 || r->wait_ms < r->silence_ms || r->ratio <= 1 ||
        r->window_ms < 1000 || r->deadline_ms < 0) {
        snprintf(err, errlen, "rule %s: a param is out of range (within 1..16, count >= 1, "
                 "drop > 0, seconds >= 1, wait_seconds >= seconds, ratio > 1, "
                 "window_ms >= 1000, deadline_ms >= 0)", r->id);
        return -1;
    }
    if (r->computed == FLAGS_COMPUTED_COMPLIANCE_DEADLINE ||
        r->computed == FLAGS_COMPUTED_LONG_SILENCE) {
        bool silence = r->computed == FLAGS_COMPUTED_LONG_SILENCE;
        json_t *list = json_object_get(params, silence ? "wait_phrases" : "phrases"), *v;
        size_t i;
        json_array_foreach(list, i, v) {
            if (json_is_string(v) &&
                add_phrase(r, json_string_value(v), strlen(json_string_value(v)), err, errlen))
                return -1;
        }
        if (r->nphrases == 0 && !silence) {
            snprintf(err, errlen, "rule %s: compliance_deadline needs params.phrases", r->id);
            return -1;
        }
    }
    return 0;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
}

/* Fills r from one rule's fields (params may be NULL). */
static int rule_init(flags_rule *r, const char *id, const char *kind, int severity,
                     const char *match, const char *pattern, json_t *params, const char *reason,
                     const char *speaker, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    if (!id || !*id || strlen(id) >= FLAG_ID_LEN) {
        snprintf(err, errlen, "a rule has no id or one over %d bytes", FLAG_ID_LEN - 1);
        return -1;
    }
    copy_str(r->id, sizeof r->id, id);
    if (!kind || !*kind || strlen(kind) >= FLAG_KIND_LEN || !reason || !*reason ||
        strlen(reason) >= FLAG_REASON_LEN) {
        snprintf(err, errlen, "rule %s: kind (1..64 bytes) and reason (1..256) are required", id);
        return -1;
    }
    copy_str(r->kind, sizeof r->kind, kind);
    copy_str(r->reason, sizeof r->reason, reason);
    if (severity < 1 || severity > 3) {
        snprintf(err, errlen, "rule %s: severity must be 1..3", id);
        return -1;
    }
    r->severity = severity;
    if (!speaker || !*speaker || strcmp(speaker, "customer") == 0)
        r->speaker = FLAGS_SPEAKER_CUSTOMER;
    else if (strcmp(speaker, "agent") == 0)
        r->speaker = FLAGS_SPEAKER_AGENT;
    else if (strcmp(speaker, "any") == 0)
        r->speaker = FLAGS_SPEAKER_ANY;
    else {
        snprintf(err, errlen, "rule %s: speaker must be customer, agent or any", id);
        return -1;
    }
    json_t *ch = json_object_get(params, "channel");
    if (json_is_string(ch)) {
        const char *c = json_string_value(ch);
        if (strcmp(c, "voice") != 0 && strcmp(c, "chat") != 0) {
            snprintf(err, errlen, "rule %s: params.channel must be voice or chat", id);
            return -1;
        }
        copy_str(r->channel, sizeof r->channel, c);
    }
    r->partials = bool_param(params, "partials", false);
    r->negation_guard = bool_param(params, "negation_guard", true);
    r->luhn = bool_param(params, "luhn", false);
    r->min_digits = (int)num_param(params, "min_digits", 0);
    pattern = pattern ? pattern : "";
    if (!match || strcmp(match, "phrase") == 0) {
        r->match = FLAGS_MATCH_PHRASE;
        if (split_phrases(r, pattern, err, errlen))
            return -1;
        json_t *examples = json_object_get(params, "examples");
        if (r->nphrases == 0 && json_array_size(examples) == 0) {
            snprintf(err, errlen, "rule %s: phrase rule with no phrase in pattern and no "
                     "params.examples", id);
            return -1;
        }
        r->min_score = num_param(params, "min_score", DEFAULT_MIN_SCORE);
        if (r->min_score <= 0 || r->min_score > 1) {
            snprintf(err, errlen, "rule %s: params.min_score must be in (0, 1]", id);
            return -1;
        }
    } else if (strcmp(match, "regex") == 0) {
        r->match = FLAGS_MATCH_REGEX;
        int rc = regcomp(&r->re, pattern, REG_EXTENDED | REG_ICASE);
        if (rc != 0 || !*pattern) {
            char why[128] = "empty pattern";
            if (rc != 0)
                regerror(rc, &r->re, why, sizeof why);
            else
                regfree(&r->re);
            snprintf(err, errlen, "rule %s: bad regex: %s", id, why);
            return -1;
        }
        r->has_re = true;
    } else if (strcmp(match, "computed") == 0) {
        r->match = FLAGS_MATCH_COMPUTED;
        if (setup_computed(r, pattern, params, err, errlen))
            return -1;
    } else {
        snprintf(err, errlen, "rule %s: match must be phrase, regex or computed", id);
        return -1;
    }
    return 0;
}

/* params.classes {"name": ["word", ...]}: "{name}" in an example stands for any of them. */
static int add_classes(phrasing *model, const flags_rule *r, json_t *classes, char *err,
                       size_t errlen)
{
    const char *name;
    json_t *words;
    json_object_foreach(classes, name, words) {
        char cls[64], norm[128];
        if (flags_normalize(name, cls, sizeof cls) <= 2 || strchr(cls + 1, ' ') != cls + strlen(cls) - 1) {
            snprintf(err, errlen, "rule %s: params.classes: \"%.40s\" is not one word", r->id, name);
            return -1;
        }
        cls[strlen(cls) - 1] = 0;
        size_t i;
        json_t *w;
        json_array_foreach(words, i, w) {
            if (!json_is_string(w) || flags_normalize(json_string_value(w), norm, sizeof norm) <= 2 ||
                strchr(norm + 1, ' ') != norm + strlen(norm) - 1) {
                snprintf(err, errlen, "rule %s: params.classes.%s[%zu] must be one word", r->id,
                         cls + 1, i);
                return -1;
            }
            norm[strlen(norm) - 1] = 0;
            if (phrasing_add_class(model, cls + 1, norm + 1)) {
                snprintf(err, errlen, "rule %s: too many class words", r->id);
                return -1;
            }
        }
    }
    return 0;
}

/* params.examples and params.counter_examples of a phrase rule into the shared model. */
static int add_examples(flag_rules *fr, flags_rule *r, json_t *params, char *err, size_t errlen)
{
    static const char *const keys[] = {"examples", "counter_examples"};
    json_t *classes = json_object_get(params, "classes");
    if (classes && !json_is_object(classes)) {
        snprintf(err, errlen, "rule %s: params.classes must be an object", r->id);
        return -1;
    }
    for (int k = 0; k < 2; k++) {
        json_t *list = json_object_get(params, keys[k]), *v;
        if (!list)
            continue;
        if (!json_is_array(list) || json_array_size(list) > MAX_EXAMPLES_PER_RULE) {
            snprintf(err, errlen, "rule %s: params.%s must be an array of at most %d texts",
                     r->id, keys[k], MAX_EXAMPLES_PER_RULE);
            return -1;
        }
        size_t i;
        json_array_foreach(list, i, v) {
            char norm[1100];
            if (!json_is_string(v) || strlen(json_string_value(v)) >= 1000) {
                snprintf(err, errlen, "rule %s: params.%s[%zu] must be a text under 1000 bytes",
                         r->id, keys[k], i);
                return -1;
            }
            if (!fr->model)
                fr->model = phrasing_new();
            flags_normalize(json_string_value(v), norm, sizeof norm);
            if (phrasing_add(fr->model, fr->n, k == 1, norm)) {
                snprintf(err, errlen, "rule %s: params.%s[%zu] has no content word, or there "
                         "are too many examples", r->id, keys[k], i);
                return -1;
            }
            r->nexamples++;
        }
    }
    if (classes && (fr->model || (fr->model = phrasing_new())) &&
        add_classes(fr->model, r, classes, err, errlen))
        return -1;
    return 0;
}

static flag_rules *rules_new(size_t n, char *err, size_t errlen)
{
    flag_rules *fr = calloc(1, sizeof *fr);
    if (fr && n)
        fr->rules = calloc(n, sizeof *fr->rules);
    if (!fr || (n && !fr->rules)) {
        free(fr);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    return fr;
}

/* Adds a rule, rejecting a repeated id. On failure the partly built rule is released. */
static int rules_add(flag_rules *fr, const char *id, const char *kind, int severity,
                     const char *match, const char *pattern, json_t *params, const char *reason,
                     const char *speaker, char *err, size_t errlen)
{
    flags_rule *r = &fr->rules[fr->n];
    if (rule_init(r, id, kind, severity, match, pattern, params, reason, speaker, err, errlen)) {
        rule_clear(r);
        return -1;
    }
    for (size_t i = 0; i < fr->n; i++) {
        if (strcmp(fr->rules[i].id, r->id) == 0) {
            snprintf(err, errlen, "rule %s: id used twice", r->id);
            rule_clear(r);
            return -1;
        }
    }
    if (r->match == FLAGS_MATCH_PHRASE && add_examples(fr, r, params, err, errlen)) {
        rule_clear(r);
        return -1;
    }
    fr->n++;
    return 0;
}

/* The model is weighed once every rule's examples are in. */
static flag_rules *rules_finish(flag_rules *fr)
{
    if (fr && fr->model)
        phrasing_finish(fr->model);
    return fr;
}

flag_rules *flags_load_json(const char *json_text, char *err, size_t errlen)
{
    json_error_t jerr;
    json_t *root = json_loads(json_text ? json_text : "", 0, &jerr);
    if (!json_is_array(root)) {
        snprintf(err, errlen, "rules: expected a JSON array (%s, line %d)",
                 root ? "not an array" : jerr.text, jerr.line);
        json_decref(root);
        return NULL;
    }
    size_t n = json_array_size(root);
    if (n > MAX_RULES) {
        snprintf(err, errlen, "rules: more than %d rules", MAX_RULES);
        json_decref(root);
        return NULL;
    }
    flag_rules *fr = rules_new(n, err, errlen);
    for (size_t i = 0; fr && i < n; i++) {
        json_t *o = json_array_get(root, i);
        json_t *params = json_object_get(o, "params");
        if (!json_is_object(o) || (params && !json_is_object(params))) {
            snprintf(err, errlen, "rules[%zu]: expected an object with an object params", i);
            flags_free(fr);
            fr = NULL;
            break;
        }
        json_t *sev = json_object_get(o, "severity");
        if (rules_add(fr, json_string_value(json_object_get(o, "id")),
                      json_string_value(json_object_get(o, "kind")),
                      json_is_integer(sev) ? (int)json_integer_value(sev) : 0,
                      json_string_value(json_object_get(o, "match")),
                      json_string_value(json_object_get(o, "pattern")), params,
                      json_string_value(json_object_get(o, "reason")),
                      json_string_value(json_object_get(o, "speaker")), err, errlen)) {
            flags_free(fr);
            fr = NULL;
        }
    }
    json_decref(root);
    return rules_finish(fr);
}

/* NULL with err empty: the table is absent or empty (fall back to rules.json). */
static flag_rules *load_db(sqlite3 *db, char *err, size_t errlen)
{
    sqlite3_stmt *st = NULL;
    err[0] = 0;
    if (sqlite3_prepare_v2(db, "SELECT id, kind, severity, match, pattern, params, reason, speaker"
                           " FROM rules ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    flag_rules *fr = rules_new(MAX_RULES, err, errlen);
    int rc;
    while (fr && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fr->n == MAX_RULES) {
            snprintf(err, errlen, "rules table: more than %d rules", MAX_RULES);
            flags_free(fr);
            fr = NULL;
            break;
        }
        const char *params_text = (const char *)sqlite3_column_text(st, 5);
        json_t *params = json_loads(params_text ? params_text : "{}", 0, NULL);
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (!json_is_object(params)) {
            snprintf(err, errlen, "rule %s: params is not a JSON object", id ? id : "?");
            json_decref(params);
            flags_free(fr);
            fr = NULL;
            break;
        }
        int bad = rules_add(fr, id, (const char *)sqlite3_column_text(st, 1),
                            sqlite3_column_int(st, 2), (const char *)sqlite3_column_text(st, 3),
                            (const char *)sqlite3_column_text(st, 4), params,
                            (const char *)sqlite3_column_text(st, 6),
                            (const char *)sqlite3_column_text(st, 7), err, errlen);
        json_decref(params);
        if (bad) {
            flags_free(fr);
            fr = NULL;
        }
    }
    sqlite3_finalize(st);
    if (fr && fr->n == 0) {
        flags_free(fr);
        fr = NULL;
    }
    return rules_finish(fr);
}

flag_rules *flags_load(sqlite3 *db, const char *data_dir, char *err, size_t errlen)
{
    if (db) {
        flag_rules *fr = load_db(db, err, errlen);
        if (fr || err[0])
            return fr;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/rules.json", data_dir ? data_dir : ".");
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "no rules in the db and cannot read %s", path);
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0, got;
    char chunk[8192];
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + got + 1 > cap) {
            cap = (len + got + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                snprintf(err, errlen, "out of memory");
                return NULL;
            }
            buf = nb;
        }
        memcpy(buf + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (!buf) {
        snprintf(err, errlen, "%s is empty", path);
        return NULL;
    }
    buf[len] = 0;
    flag_rules *fr = flags_load_json(buf, err, errlen);
    free(buf);
    return fr;
}
