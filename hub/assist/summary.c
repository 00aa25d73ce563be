/* summary.c — extractive draft summaries and disposition codes (see summary.h). */
#include "hub/assist/summary.h"
#include "hub/assist/redact.h"
#include "hub/assist/checklist.h"
#include "hub/assist/datafile.h"
#include "hub/assist/suggest_words.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

#define MAX_FLAG_KINDS 16
#define MAX_USED 16
#define KIND_LEN 64
#define TITLE_LEN 256
#define MAX_DONE 4
#define MAX_FOLLOWUPS 4
#define TOP_KEYWORDS 5
#define MAX_KEYWORDS 256

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
    char used[MAX_USED][TITLE_LEN];
    size_t nused;
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

void summary_log_used(summary_log *log, const char *title)
{
    for (size_t i = 0; i < log->nused; i++)
        if (!strcmp(log->used[i], title))
            return;
    if (log->nused < MAX_USED)
        text_copy(log->used[log->nused++], TITLE_LEN, title);
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

/* A sentence for the summary (already redacted in the log), bounded. */
static void sb_quote(sbuf *b, const char *text)
{
    char cut[SUMMARY_SENTENCE_MAX + 4];
    text_copy(cut, SUMMARY_SENTENCE_MAX, text);
    if (strlen(text) >= SUMMARY_SENTENCE_MAX)
        strcat(cut, "…");
    sb_add(b, cut);
}

static const char *const action_words[] = {
    " refunded ", " processed ", " sent ", " resent ", " cancelled ", " canceled ", " updated ",
    " reset ", " escalated ", " booked ", " applied ", " issued ", " credited ", " raised ",
    " arranged ", " changed ", " added ", " removed ", " reactivated ", " blocked ", " frozen ",
    " replaced ", " scheduled ", " logged ", " opened ", " reversed ", " waived ", " upgraded ",
    " downgraded ", " restarted ", " fixed ", " submitted ", " ordered ", " transferred ",
    " confirmed ", " corrected ", " unlocked ", " activated ",
};

static const char *const promise_phrases[] = {
    " call you back ", " ring you back ", " get back to you ", " email you ", " send you an email ",
    " send you a ", " follow up ", " you will receive ", " youll receive ", " ill send ",
    " i will send ", " well send ", " we will send ", " by tomorrow ", " in 24 hours ",
    " within 24 hours ", " engineer will ", " will be in touch ", " text you ",
};

static bool has_any(const char *norm, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strstr(norm, list[i]))
            return true;
    return false;
}

/* "within 5 days", "within three working days", "in 2 weeks" */
static bool has_deadline(const char *norm)
{
    static const char *const lead[] = {" within ", " in "};
    static const char *const units[] = {"day", "days", "hour", "hours", "week", "weeks"};
    static const char *const numbers[] = {"one", "two", "three", "four", "five", "six", "seven",
                                          "ten", "a", "24", "48", "72"};
    for (size_t l = 0; l < 2; l++) {
        for (const char *p = strstr(norm, lead[l]); p; p = strstr(p + 1, lead[l])) {
            const char *w = p + strlen(lead[l]);
            size_t wl = strcspn(w, " ");
            bool num = wl > 0 && strspn(w, "0123456789") == wl;
            for (size_t k = 0; k < sizeof numbers / sizeof numbers[0] && !num; k++)
                num = strlen(numbers[k]) == wl && !strncmp(w, numbers[k], wl);
            if (!num || !w[wl])
                continue;
            w += wl + 1;
            if (!strncmp(w, "working ", 8) || !strncmp(w, "business ", 9))
                w = strchr(w, ' ') + 1;
            wl = strcspn(w, " ");
            for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
                if (strlen(units[u]) == wl && !strncmp(w, units[u], wl))
                    return true;
        }
    }
    return false;
}

typedef struct {
    char word[SUGGEST_TERM_LEN];
    int count;
} keyword;

/* Blanks the redactor's tags ("[CARD]", "[CARD ****1234]", "[EMAIL]") in s: a mask is not
 * a keyword, and "card" or "1234" counted from it would say what it hides. */
static void blank_tags(char *s)
{
    for (char *p = strchr(s, '['); p; p = strchr(p + 1, '[')) {
        char *q = p + 1;
        while (*q >= 'A' && *q <= 'Z')
            q++;
        if (q == p + 1)
            continue;
        if (!strncmp(q, " ****", 5) && strspn(q + 5, "0123456789") == 4)
            q += 9;
        if (*q != ']')
            continue;
        memset(p, ' ', (size_t)(q - p) + 1);
        p = q;
    }
}

static void count_keywords(const char *redacted, keyword *kw, size_t *nkw)
{
    char text[SUMMARY_LINE_MAX];
    text_copy(text, sizeof text, redacted);
    blank_tags(text);
    char terms[64][SUGGEST_TERM_LEN];
    int n = suggest_words_content(text, terms, 64);
    for (int t = 0; t < n; t++) {
        size_t k;
        for (k = 0; k < *nkw; k++)
            if (!strcmp(kw[k].word, terms[t]))
                break;
        if (k == *nkw) {
            if (*nkw == MAX_KEYWORDS)
                continue;
            memcpy(kw[k].word, terms[t], SUGGEST_TERM_LEN);
            kw[k].count = 0;
            (*nkw)++;
        }
        kw[k].count++;
    }
}

json_t *summary_body(const summary_log *log, const summary_codes *codes, const char *iid,
                     const char *end_reason, bool final)
{
    size_t n = line_count(log);
    size_t ncodes = codes ? codes->n : 0;
    double *score = mem_zalloc(ncodes, sizeof *score);
    keyword *kw = mem_zalloc(MAX_KEYWORDS, sizeof *kw);
    size_t nkw = 0;
    long reason_line = -1, first_customer = -1;
    size_t done_lines[MAX_DONE], ndone = 0, follow_lines[MAX_FOLLOWUPS], nfollow = 0;
    char norm[SUMMARY_LINE_MAX + 3];

    for (size_t i = 0; i < n; i++) {
        const line *l = line_at(log, i);
        checklist_normalise(l->text, norm, sizeof norm);
        for (size_t c = 0; c < ncodes; c++)
            for (size_t p = 0; p < codes->d[c].nphrases; p++)
                if (strstr(norm, codes->d[c].phrases[p]))
                    score[c] += l->customer ? 1 : 3;
        if (l->customer) {
            if (first_customer < 0)
                first_customer = (long)i;
            char terms[8][SUGGEST_TERM_LEN];
            if (reason_line < 0 && suggest_words_content(l->text, terms, 8) >= 3)
                reason_line = (long)i;
            count_keywords(l->text, kw, &nkw);
        } else if (ndone < MAX_DONE && has_any(norm, action_words, sizeof action_words / sizeof action_words[0])) {
            done_lines[ndone++] = i;
        }
        if (nfollow < MAX_FOLLOWUPS && !l->customer &&
            (has_any(norm, promise_phrases, sizeof promise_phrases / sizeof promise_phrases[0]) || has_deadline(norm)))
            follow_lines[nfollow++] = i;
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
    sb_add(&b, "Reason for contact: ");
    if (reason_line < 0)
        reason_line = first_customer;
    if (reason_line >= 0)
        sb_quote(&b, line_at(log, (size_t)reason_line)->text);
    else
        sb_add(&b, "not stated");
    /* keywords: the most frequent content words of the customer, first seen first on ties */
    bool picked[MAX_KEYWORDS] = {false};
    for (int k = 0; k < TOP_KEYWORDS; k++) {
        long top = -1;
        for (size_t w = 0; w < nkw; w++)
            if (!picked[w] && (top < 0 || kw[w].count > kw[top].count))
                top = (long)w;
        if (top < 0)
            break;
        picked[top] = true;
        char *red = assist_redact(kw[top].word, REDACT_TAG);
        sb_add(&b, k == 0 ? " (keywords: " : ", ");
        sb_add(&b, red);
        free(red);
        if (k + 1 == TOP_KEYWORDS || k + 1 == (int)nkw)
            sb_add(&b, ")");
    }
    sb_add(&b, "\nWhat was done: ");
    for (size_t d = 0; d < ndone; d++) {
        if (d)
            sb_add(&b, " ");
        sb_quote(&b, line_at(log, done_lines[d])->text);
    }
    if (log->nused) {
        sb_add(&b, ndone ? " Suggestions used: " : "Suggestions used: ");
        for (size_t u = 0; u < log->nused; u++) {
            if (u)
                sb_add(&b, "; ");
            sb_add(&b, log->used[u]);
        }
        sb_add(&b, ".");
    }
    if (!ndone && !log->nused)
        sb_add(&b, "no action recorded");
    sb_add(&b, "\nOutcome: ");
    sb_add(&b, ncodes ? codes->d[best].label : "not known");
    if (final && end_reason && *end_reason) {
        char tail[160];
        snprintf(tail, sizeof tail, " (ended: %.*s)", /* cut on a code point */
                 (int)text_prefix_len(end_reason, strlen(end_reason), 120), end_reason);
        sb_add(&b, tail);
    } else if (!final) {
        sb_add(&b, " (in progress)");
    }
    sb_add(&b, "\nFollow-ups: ");
    for (size_t f = 0; f < nfollow; f++) {
        if (f)
            sb_add(&b, " ");
        sb_quote(&b, line_at(log, follow_lines[f])->text);
    }
    if (!nfollow)
        sb_add(&b, "none");
    if (log->nflags) {
        sb_add(&b, "\nFlags: ");
        for (size_t k = 0; k < log->nflags; k++) {
            if (k)
                sb_add(&b, ", ");
            sb_add(&b, log->flags[k]);
        }
    }

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
    free(kw);
    return body;
}
