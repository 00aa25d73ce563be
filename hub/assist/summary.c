/* summary.c — structured draft summaries and disposition codes (see summary.h); the
 * sentences are read by summary_text.c. */
#include "hub/assist/summary.h"
#include "hub/assist/summary_text.h"
#include "hub/assist/redact.h"
#include "hub/assist/checklist.h"
#include "hub/assist/datafile.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

#define MAX_FLAG_KINDS 16
#define MAX_USED 16
#define KIND_LEN 64
#define TITLE_LEN 256
#define MAX_DONE 6
#define MAX_FOLLOWUPS 4
#define REASON_CUSTOMER_LINES 8   /* the reason is looked for in the customer's first lines */
#define MOOD_N 2                  /* customer finals averaged at the start and at the end */

typedef struct {
    char *code, *label;
    char **phrases;     /* normalised */
    size_t nphrases;
    char **flags;
    size_t nflags;
    char **end_reasons;
    size_t nend;
    bool is_default;
    double weight;      /* generic outcomes (resolved, info) weigh less than specific ones */
} disposition;

struct summary_codes {
    disposition *d;
    size_t n;
};

typedef struct {
    bool customer;
    char *text;        /* malloc'd, at most SUMMARY_LINE_MAX - 1 bytes */
} line;

struct summary_log {
    line head[SUMMARY_HEAD];
    size_t nhead;
    line tail[SUMMARY_TAIL];
    size_t ntail, tail_next;       /* ring: tail_next is where the next line goes */
    size_t total;                  /* lines ever added: the next line's number */
    char flags[MAX_FLAG_KINDS][KIND_LEN];
    size_t nflags;
    struct {
        char title[TITLE_LEN];
        char *text;        /* the suggestion as shown, redacted */
        size_t from;       /* the number of the first line said after it was used */
    } used[MAX_USED];
    size_t nused;
    double mood_start[MOOD_N], mood_end[MOOD_N];
    size_t nmood;          /* customer finals scored */
};

/* ---- dispositions ------------------------------------------------------------------ */

static void free_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

void summary_codes_free(summary_codes *codes)
{
    if (!codes)
        return;
    for (size_t i = 0; i < codes->n; i++) {
        free(codes->d[i].code);
        free(codes->d[i].label);
        free_list(codes->d[i].phrases, codes->d[i].nphrases);
        free_list(codes->d[i].flags, codes->d[i].nflags);
        free_list(codes->d[i].end_reasons, codes->d[i].nend);
    }
    free(codes->d);
    free(codes);
}

static char **string_list(const json_t *arr, size_t *n, bool normalise)
{
    char **list = mem_zalloc(json_array_size(arr), sizeof *list);
    size_t i;
    json_t *v;
    *n = 0;
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        if (!s || !*s)
            continue;
        if (normalise) {
            char norm[512];
            checklist_normalise(s, norm, sizeof norm);
            if (strlen(norm) <= 2)
                continue;
            list[(*n)++] = mem_strdup(norm);
        } else {
            list[(*n)++] = mem_strdup(s);
        }
    }
    return list;
}

summary_codes *summary_codes_from_json(const json_t *array, char *err, size_t errlen)
{
    if (!json_is_array(array) || json_array_size(array) == 0 || json_array_size(array) > 50) {
        snprintf(err, errlen, "dispositions.json: expected an array of 1 to 50 dispositions");
        return NULL;
    }
    summary_codes *c = mem_zalloc(1, sizeof *c);
    c->d = mem_zalloc(json_array_size(array), sizeof *c->d);
    size_t i;
    json_t *it;
    json_array_foreach(array, i, it) {
        const char *code = json_string_value(json_object_get(it, "code"));
        const char *label = json_string_value(json_object_get(it, "label"));
        if (!code || !*code || strlen(code) > 64 || !label) {
            snprintf(err, errlen, "dispositions.json: record %zu: needs a code (at most 64 bytes) and a label", i + 1);
            summary_codes_free(c);
            return NULL;
        }
        disposition *d = &c->d[c->n++];
        d->code = mem_strdup(code);
        d->label = mem_strdup(label);
        d->phrases = string_list(json_object_get(it, "phrases"), &d->nphrases, true);
        d->flags = string_list(json_object_get(it, "flags"), &d->nflags, false);
        d->end_reasons = string_list(json_object_get(it, "end_reasons"), &d->nend, false);
        d->is_default = json_is_true(json_object_get(it, "default"));
        json_t *w = json_object_get(it, "weight");
        d->weight = json_is_number(w) && json_number_value(w) > 0 ? json_number_value(w) : 1.0;
    }
    return c;
}

summary_codes *summary_codes_load(const char *path, char *err, size_t errlen)
{
    json_t *root = datafile_load_json(path, err, errlen);
    if (!root)
        return NULL;
    summary_codes *c = summary_codes_from_json(root, err, errlen);
    json_decref(root);
    return c;
}

size_t summary_codes_count(const summary_codes *codes)
{
    return codes ? codes->n : 0;
}

/* ---- the log ----------------------------------------------------------------------- */

summary_log *summary_log_new(void)
{
    return mem_zalloc(1, sizeof(summary_log));
}

void summary_log_free(summary_log *log)
{
    if (!log)
        return;
    for (size_t i = 0; i < SUMMARY_HEAD; i++)
        free(log->head[i].text);
    for (size_t i = 0; i < SUMMARY_TAIL; i++)
        free(log->tail[i].text);
    for (size_t i = 0; i < log->nused; i++)
        free(log->used[i].text);
    free(log);
}

size_t summary_log_final(summary_log *log, bool customer, const char *text)
{
    line *l;
    if (log->nhead < SUMMARY_HEAD) {
        l = &log->head[log->nhead++];
    } else {
        l = &log->tail[log->tail_next];
        log->tail_next = (log->tail_next + 1) % SUMMARY_TAIL;
        if (log->ntail < SUMMARY_TAIL)
            log->ntail++;
    }
    l->customer = customer;
    /* redacted before it is kept: reason, actions, follow-ups and keywords all come from
     * here, so no summary can quote or count what the redactor masks */
    char *t = assist_redact(text, REDACT_TAG);
    size_t len = strlen(t);
    char *copy = mem_alloc((len < SUMMARY_LINE_MAX ? len : SUMMARY_LINE_MAX - 1) + 1);
    text_copy(copy, len < SUMMARY_LINE_MAX ? len + 1 : SUMMARY_LINE_MAX, t);
    free(t);
    free(l->text);
    l->text = copy;
    return log->total++;
}

void summary_log_mask_end(summary_log *log, size_t number, const char *suffix, size_t len, const char *tag)
{
    line *l = NULL;
    if (number < SUMMARY_HEAD && number < log->nhead)
        l = &log->head[number];
    else if (number >= SUMMARY_HEAD && number < log->total && log->total - number <= SUMMARY_TAIL)
        l = &log->tail[(number - SUMMARY_HEAD) % SUMMARY_TAIL];
    size_t have = l && l->text ? strlen(l->text) : 0;
    if (!l || len == 0 || have < len || memcmp(l->text + have - len, suffix, len) != 0)
        return;
    size_t tl = strlen(tag);
    char *text = mem_alloc(have - len + tl + 1);
    memcpy(text, l->text, have - len);
    memcpy(text + have - len, tag, tl + 1);
    free(l->text);
    l->text = text;
}

void summary_log_flag(summary_log *log, const char *kind)
{
    for (size_t i = 0; i < log->nflags; i++)
        if (!strcmp(log->flags[i], kind))
            return;
    if (log->nflags < MAX_FLAG_KINDS)
        text_copy(log->flags[log->nflags++], KIND_LEN, kind);
}

void summary_log_used(summary_log *log, const char *title, const char *text)
{
    for (size_t i = 0; i < log->nused; i++)
        if (!strcmp(log->used[i].title, title))
            return;
    if (log->nused == MAX_USED)
        return;
    text_copy(log->used[log->nused].title, TITLE_LEN, title);
    log->used[log->nused].text = assist_redact(text ? text : "", REDACT_TAG);
    log->used[log->nused].from = log->total;
    log->nused++;
}

void summary_log_sentiment(summary_log *log, double score)
{
    if (log->nmood < MOOD_N)
        log->mood_start[log->nmood] = score;
    log->mood_end[log->nmood % MOOD_N] = score;
    log->nmood++;
}

/* The i-th line in spoken order. */
static const line *line_at(const summary_log *log, size_t i)
{
    if (i < log->nhead)
        return &log->head[i];
    i -= log->nhead;
    size_t first = log->ntail < SUMMARY_TAIL ? 0 : log->tail_next;
    return &log->tail[(first + i) % SUMMARY_TAIL];
}

static size_t line_count(const summary_log *log)
{
    return log->nhead + log->ntail;
}

/* ---- building ---------------------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 1024);
        while (cap < b->len + n + 1)
            cap *= 2;
        b->buf = mem_realloc(b->buf, cap);
        b->cap = cap;
    }
    memcpy(b->buf + b->len, s, n + 1);
    b->len += n;
}

/* The line numbered `number` (as summary_log_final() returned it), if still kept. */
static const line *line_numbered(const summary_log *log, size_t number)
{
    if (number < log->nhead)
        return &log->head[number];
    if (number >= SUMMARY_HEAD && number < log->total && log->total - number <= log->ntail)
        return &log->tail[(number - SUMMARY_HEAD) % SUMMARY_TAIL];
    return NULL;
}

/* Was suggestion u sent, mostly as it was shown? An agent line said after it was used that
 * holds at least SUMMARY_USED_OVERLAP of its words. */
static bool really_used(const summary_log *log, size_t u)
{
    for (size_t number = log->used[u].from; number < log->total; number++) {
        const line *l = line_numbered(log, number);
        if (l && !l->customer && summary_text_overlap(log->used[u].text, l->text) >= SUMMARY_USED_OVERLAP)
            return true;
    }
    return false;
}

/* A flag kind in words, for the reason line; a kind not listed is said as it is. */
static const char *flag_words(const char *kind)
{
    static const char *const words[][2] = {
        {"legal", "mentioned legal action"}, {"churn", "talked about leaving"},
        {"complaint", "made a complaint"}, {"escalation", "asked for someone senior"},
        {"fraud", "reported possible fraud"}, {"vulnerable", "may be vulnerable"},
        {"distress", "sounded in distress"}, {"abuse", "was abusive to the agent"},
        {"pci", "gave card details"}, {"repeat_contact", "had contacted us before about this"},
        {"sentiment_drop", "became upset"}, {"sustained_negative", "stayed upset"},
        {"silence", "long silences"}, {"talk_ratio", "the agent talked most of the time"},
        {"compliance", "a compliance step was missed"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(kind, words[i][0]))
            return words[i][1];
    return kind;
}

/* The customer's state at the end, in words, from the sentiment of their first and last
 * finals. */
static void mood_words(const summary_log *log, sbuf *b)
{
    if (log->nmood == 0) {
        sb_add(b, "not known");
        return;
    }
    size_t ns = log->nmood < MOOD_N ? log->nmood : MOOD_N;
    double start = 0, end = 0;
    for (size_t i = 0; i < ns; i++) {
        start += log->mood_start[i];
        end += log->mood_end[i];
    }
    start /= (double)ns;
    end /= (double)ns;
    sb_add(b, end >= 0.3 ? "satisfied" : end >= 0.05 ? "calm" : end > -0.3 ? "neutral" : end > -0.6 ? "unhappy" : "angry or very upset");
    if (log->nmood > MOOD_N && end - start >= 0.3)
        sb_add(b, ", calmer than at the start");
    else if (log->nmood > MOOD_N && start - end >= 0.3)
        sb_add(b, ", more upset than at the start");
}

static void sb_list(sbuf *b, char items[][SUMMARY_PHRASE_MAX], size_t n, const char *none)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_add(b, "; ");
        sb_add(b, items[i]);
    }
    if (!n)
        sb_add(b, none);
    sb_add(b, ".\n");
}

json_t *summary_body(const summary_log *log, const summary_codes *codes, const char *iid,
                     const char *end_reason, bool final)
{
    size_t n = line_count(log);
    size_t ncodes = codes ? codes->n : 0;
    double *score = mem_zalloc(ncodes, sizeof *score);
    char reason[SUMMARY_PHRASE_MAX] = "";
    char done[MAX_DONE][SUMMARY_PHRASE_MAX], follow[MAX_FOLLOWUPS][SUMMARY_PHRASE_MAX];
    size_t ndone = 0, nfollow = 0, customer_lines = 0;
    const char *prev_agent = NULL;
    char norm[SUMMARY_LINE_MAX + 3];

    for (size_t i = 0; i < n; i++) {
        const line *l = line_at(log, i);
        checklist_normalise(l->text, norm, sizeof norm);
        for (size_t c = 0; c < ncodes; c++)
            for (size_t p = 0; p < codes->d[c].nphrases; p++)
                if (strstr(norm, codes->d[c].phrases[p]))
                    score[c] += l->customer ? 1 : 3;
        if (l->customer) {
            if (!reason[0] && customer_lines++ < REASON_CUSTOMER_LINES)
                summary_text_reason(l->text, reason, sizeof reason);
            continue;
        }
        char got[MAX_DONE][SUMMARY_PHRASE_MAX];
        int k = summary_text_actions(l->text, prev_agent, got, MAX_DONE);
        for (int j = 0; j < k && ndone < MAX_DONE; j++)
            text_copy(done[ndone++], SUMMARY_PHRASE_MAX, got[j]);
        k = summary_text_followups(l->text, got, MAX_FOLLOWUPS);
        for (int j = 0; j < k && nfollow < MAX_FOLLOWUPS; j++)
            text_copy(follow[nfollow++], SUMMARY_PHRASE_MAX, got[j]);
        prev_agent = l->text;
    }
    for (size_t c = 0; c < ncodes; c++) {
        for (size_t f = 0; f < codes->d[c].nflags; f++)
            for (size_t k = 0; k < log->nflags; k++)
                if (!strcmp(codes->d[c].flags[f], log->flags[k]))
                    score[c] += 2;
        for (size_t e = 0; e < codes->d[c].nend && end_reason; e++)
            if (!strcmp(codes->d[c].end_reasons[e], end_reason))
                score[c] += 2;
        score[c] *= codes->d[c].weight;
    }
    /* codes by score, stable; the default leads when nothing scored */
    size_t *order = mem_zalloc(ncodes, sizeof *order);
    for (size_t c = 0; c < ncodes; c++)
        order[c] = c;
    for (size_t a = 1; a < ncodes; a++)
        for (size_t b = a; b > 0 && score[order[b]] > score[order[b - 1]]; b--) {
            size_t t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    size_t best = ncodes ? order[0] : 0;
    if (ncodes && score[best] == 0)
        for (size_t c = 0; c < ncodes; c++)
            if (codes->d[c].is_default)
                best = c;

    sbuf b = {0};
    sb_add(&b, "Reason: ");
    if (reason[0]) {
        sb_add(&b, "customer ");
        sb_add(&b, reason);
    } else {
        sb_add(&b, "not stated");
    }
    for (size_t k = 0; k < log->nflags; k++) {
        sb_add(&b, k == 0 ? "; they " : k + 1 == log->nflags ? " and " : ", ");
        sb_add(&b, flag_words(log->flags[k]));
    }
    size_t end = b.len;
    while (end > 0 && strchr(".!", b.buf[end - 1]))
        end--;
    b.buf[b.len = end] = 0;
    sb_add(&b, b.buf[end - 1] == '?' ? "\nDone: " : ".\nDone: ");
    sb_list(&b, done, ndone, "no action recorded");
    sb_add(&b, "Follow-ups: ");
    sb_list(&b, follow, nfollow, "none");
    sb_add(&b, "Customer at the end: ");
    mood_words(log, &b);
    sb_add(&b, ".\nOutcome: ");
    sb_add(&b, ncodes ? codes->d[best].label : "not known");
    if (final && end_reason && *end_reason) {
        char tail[160];
        snprintf(tail, sizeof tail, " (ended: %.*s)", /* cut on a code point */
                 (int)text_prefix_len(end_reason, strlen(end_reason), 120), end_reason);
        sb_add(&b, tail);
    } else if (!final) {
        sb_add(&b, " (in progress)");
    }
    if (ncodes) {
        sb_add(&b, "; suggested disposition ");
        sb_add(&b, codes->d[best].code);
    }
    sb_add(&b, ".");
    bool any_used = false;
    for (size_t u = 0; u < log->nused; u++) {
        if (!really_used(log, u))
            continue;
        sb_add(&b, any_used ? "; " : "\nSuggestions used: ");
        sb_add(&b, log->used[u].title);
        any_used = true;
    }
    if (any_used)
        sb_add(&b, ".");

    json_t *list = json_array();
    if (ncodes)
        json_array_append_new(list, json_string(codes->d[best].code));
    for (size_t c = 0; c < ncodes; c++)
        if (order[c] != best)
            json_array_append_new(list, json_string(codes->d[order[c]].code));
    json_t *body = json_pack("{s:s, s:s, s:s, s:o, s:b}", "iid", iid, "text", b.buf,
                             "disposition", ncodes ? codes->d[best].code : "INFO_ONLY",
                             "codes", list, "final", final);
    free(b.buf);
    free(order);
    free(score);
    return body;
}

static void save_lines(const line *l, size_t n, snap_w *w)
{
    for (size_t i = 0; i < n; i++) {
        snap_put(w, &l[i].customer, sizeof l[i].customer);
        snap_put_str(w, l[i].text);
    }
}

static void load_lines(line *l, size_t n, snap_r *r)
{
    for (size_t i = 0; i < n && !r->bad; i++) {
        snap_get(r, &l[i].customer, sizeof l[i].customer);
        l[i].text = snap_get_str(r);
    }
}

void summary_log_save(const summary_log *log, snap_w *w)
{
    snap_put_u64(w, SUMMARY_HEAD);
    snap_put_u64(w, SUMMARY_TAIL);
    snap_put_u64(w, sizeof log->flags + sizeof log->used[0].title + sizeof log->mood_start);
    snap_put_u64(w, log->nhead);
    save_lines(log->head, log->nhead, w);
    snap_put_u64(w, log->ntail);
    snap_put_u64(w, log->tail_next);
    save_lines(log->tail, log->ntail, w);
    snap_put_u64(w, log->total);
    snap_put(w, log->flags, sizeof log->flags);
    snap_put_u64(w, log->nflags);
    snap_put_u64(w, log->nused);
    for (size_t i = 0; i < log->nused; i++) {
        snap_put(w, log->used[i].title, sizeof log->used[i].title);
        snap_put_str(w, log->used[i].text);
        snap_put_u64(w, log->used[i].from);
    }
    snap_put(w, log->mood_start, sizeof log->mood_start);
    snap_put(w, log->mood_end, sizeof log->mood_end);
    snap_put_u64(w, log->nmood);
}

bool summary_log_load(summary_log *log, snap_r *r)
{
    if (!snap_expect(r, SUMMARY_HEAD) || !snap_expect(r, SUMMARY_TAIL) ||
        !snap_expect(r, sizeof log->flags + sizeof log->used[0].title + sizeof log->mood_start))
        return false;
    log->nhead = snap_get_u64(r);
    if (log->nhead > SUMMARY_HEAD)
        return r->bad = true, false;
    load_lines(log->head, log->nhead, r);
    log->ntail = snap_get_u64(r);
    log->tail_next = snap_get_u64(r);
    if (log->ntail > SUMMARY_TAIL || log->tail_next >= SUMMARY_TAIL)
        return r->bad = true, false;
    load_lines(log->tail, log->ntail, r);
    log->total = snap_get_u64(r);
    snap_get(r, log->flags, sizeof log->flags);
    log->nflags = snap_get_u64(r);
    log->nused = snap_get_u64(r);
    if (log->nflags > MAX_FLAG_KINDS || log->nused > MAX_USED) {
        log->nused = 0;
        return r->bad = true, false;
    }
    for (size_t i = 0; i < log->nused; i++) {
        snap_get(r, log->used[i].title, sizeof log->used[i].title);
        log->used[i].text = snap_get_str(r);
        log->used[i].from = snap_get_u64(r);
    }
    snap_get(r, log->mood_start, sizeof log->mood_start);
    snap_get(r, log->mood_end, sizeof log->mood_end);
    log->nmood = snap_get_u64(r);
    return !r->bad;
}
