/* sentiment_model.c — features, weights and the linear scores (see sentiment_model.h). */
#include "hub/assist/sentiment_model.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "hub/assist/lexicon.h"

#define NCOLS (1 + EMOTION_COUNT)
#define STEM_BYTES 4                /* of a "~stem" feature (3 and 5, 6 were worse on dev) */   /* polarity, then the emotions */

struct sentiment_model {
    lexicon *index;     /* feature -> row */
    float (*rows)[NCOLS];
    size_t nrows, cap;
    bool header_seen;
    const char *path;
};

static const char *const emotion_names[EMOTION_COUNT] = {
    "neutral", "anger", "frustration", "anxiety", "sadness", "confusion", "satisfaction",
};

const char *sentiment_emotion_name(int e)
{
    return e >= 0 && e < EMOTION_COUNT ? emotion_names[e] : "neutral";
}

int sentiment_emotion_of(const char *name)
{
    for (int e = 0; e < EMOTION_COUNT; e++)
        if (strcmp(name, emotion_names[e]) == 0)
            return e;
    return -1;
}

/* ---------- features ---------- */

/* The word part of a feature: the key without apostrophes ("don't" and "dont" meet). */
static size_t word_of(const sentiment_token *t, char *buf, size_t cap)
{
    size_t n = 0;
    for (int k = 0; k < t->key_len && n + 1 < cap; k++)
        if (t->key[k] != '\'')
            buf[n++] = t->key[k];
    buf[n] = 0;
    return n;
}

/* Words that turn a sentence: what follows them is what the speaker ends up saying ("the
 * cast is fine but the plot is dull"). */
static bool contrast_word(const char *w, size_t n)
{
    /* by length first: this runs for every word, and most are none of these */
    switch (n) {
    case 3: return memcmp(w, "but", 3) == 0 || memcmp(w, "yet", 3) == 0;
    case 6: return memcmp(w, "though", 6) == 0;
    case 7: return memcmp(w, "however", 7) == 0;
    case 8: return memcmp(w, "although", 8) == 0;
    }
    return false;
}

void sentiment_model_features(const sentiment_token *toks, const sentiment_token_ctx *tc, int n,
                              double rules_score, sentiment_feature_fn fn, void *ctx)
{
    char f[SENTIMENT_FEATURE_MAX], w[SENTIMENT_TOKEN_KEY], prev[SENTIMENT_TOKEN_KEY];
    size_t plen = 0;
    bool turned = false;   /* after a contrast word */
    fn(ctx, "__rules__", 9, rules_score, 0, n ? n - 1 : 0);
    for (int i = 0; i < n; i++) {
        if (tc[i].skip || !toks[i].key_len) {
            plen = 0;
            continue;
        }
        size_t wl = word_of(&toks[i], w, sizeof w);
        if (!wl) {
            plen = 0;
            continue;
        }
        if (tc[i].question && (i == 0 || toks[i].clause || !tc[i - 1].question))
            fn(ctx, "__q__", 5, 1, i, i);
        /* built by hand: this runs for every word of every utterance (snprintf cost half) */
        size_t fl = 0;
        if (tc[i].question || tc[i].negated)
            f[fl++] = tc[i].question ? '?' : '!';
        memcpy(f + fl, w, wl + 1);
        fn(ctx, f, fl + wl, 1, i, i);
        /* "^w": the word again after a contrast word (one of its own: the model learns how
         * much more what follows counts; train_sentiment.py --polarity-only, dev: 0.851
         * against 0.848 without) */
        if (turned && fl + wl + 1 < sizeof f) {
            char t[SENTIMENT_FEATURE_MAX];
            t[0] = '^';
            memcpy(t + 1, f, fl + wl + 1);
            fn(ctx, t, fl + wl + 1, 1, i, i);
        }
        if (toks[i].kind == SENTIMENT_TOK_WORD && contrast_word(w, wl))
            turned = true;
        /* the word's first STEM_BYTES bytes: a crude stem that lets "disappointingly" learn
         * from "disappoint" and "disappointed" (train_sentiment.py --polarity-only, dev: 0.848
         * against 0.842 without) */
        if (toks[i].kind == SENTIMENT_TOK_WORD && wl > STEM_BYTES) {
            size_t sl = STEM_BYTES;
            while (sl && ((unsigned char)w[sl] & 0xc0) == 0x80)   /* not inside a UTF-8 character */
                sl--;
            if (sl) {
                f[fl] = '~';
                memcpy(f + fl + 1, w, sl);
                f[fl + 1 + sl] = 0;
                fn(ctx, f, fl + 1 + sl, 1, i, i);
            }
        }
        /* bigrams stay inside a clause, of words only */
        if (plen && !toks[i].clause && toks[i].kind == SENTIMENT_TOK_WORD) {
            memcpy(f, prev, plen);
            f[plen] = ' ';
            memcpy(f + plen + 1, w, wl + 1);
            fn(ctx, f, plen + 1 + wl, 1, i - 1, i);
        }
        if (toks[i].kind == SENTIMENT_TOK_WORD) {
            memcpy(prev, w, wl + 1);
            plen = wl;
        } else {
            plen = 0;
        }
    }
}

/* ---------- weights ---------- */

/* Reads a weight as the trainer writes it ("-1.234": at most 9 digits): strtod's exactness
 * machinery cost three quarters of the hub's sentiment start-up for 430,000 such numbers.
 * Anything else goes to strtod. */
static bool parse_weight(const char *s, double *v)
{
    const char *p = s;
    bool neg = *p == '-';
    p += neg;
    uint64_t n = 0; /* unsigned: a long run of digits wraps, and is then read by strtod */
    const char *int_at = p;
    for (; (unsigned)(*p - '0') < 10; p++)
        n = n * 10 + (uint64_t)(*p - '0');
    int digits = (int)(p - int_at), frac = 0;
    if (*p == '.') {
        const char *frac_at = ++p;
        for (; (unsigned)(*p - '0') < 10; p++)
            n = n * 10 + (uint64_t)(*p - '0');
        frac = (int)(p - frac_at);
        digits += frac;
    }
    if (*p || !digits || digits > 9) {
        char *end;
        *v = strtod(s, &end);
        return end != s && !*end && isfinite(*v);
    }
    static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    *v = (neg ? -(double)n : (double)n) / scale[frac];
    return true;
}

static int on_weight_line(void *ctx, char **f, int nf, int lineno, char *err, size_t errlen)
{
    sentiment_model *m = ctx;
    if (!m->header_seen) {
        static const char *const want[NCOLS + 1] = {
            "feature", "polarity", "neutral", "anger", "frustration", "anxiety", "sadness",
            "confusion", "satisfaction"};
        for (int k = 0; k <= NCOLS; k++) {
            if (nf != NCOLS + 1 || strcmp(f[k], want[k]) != 0) {
                snprintf(err, errlen, "%s:%d: header must be feature, polarity, then the emotions "
                         "neutral anger frustration anxiety sadness confusion satisfaction", m->path, lineno);
                return -1;
            }
        }
        m->header_seen = true;
        return 0;
    }
    if (nf != NCOLS + 1 || !*f[0]) {
        snprintf(err, errlen, "%s:%d: expected a feature and %d weights", m->path, lineno, NCOLS);
        return -1;
    }
    if (m->nrows == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 4096;
        m->rows = mem_realloc(m->rows, m->cap * sizeof *m->rows);
    }
    for (int k = 0; k < NCOLS; k++) {
        double v;
        if (!parse_weight(f[k + 1], &v) || fabs(v) > 100) {
            snprintf(err, errlen, "%s:%d: bad weight \"%s\"", m->path, lineno, f[k + 1]);
            return -1;
        }
        m->rows[m->nrows][k] = (float)v;
    }
    int rc = lexicon_put(m->index, f[0], strlen(f[0]), (double)m->nrows);
    if (rc <= 0) {
        snprintf(err, errlen, "%s:%d: %s feature \"%s\"", m->path, lineno, rc ? "bad" : "duplicate", f[0]);
        return -1;
    }
    m->nrows++;
    return 0;
}

sentiment_model *sentiment_model_load(const char *path, char *err, size_t errlen)
{
    sentiment_model *m = mem_zalloc(1, sizeof *m);
    m->index = lexicon_new();
    m->path = path;
    if (lexicon_read_tsv(path, on_weight_line, m, err, errlen) != 0) {
        sentiment_model_free(m);
        return NULL;
    }
    if (!m->nrows) {
        snprintf(err, errlen, "%s: no weights", path);
        sentiment_model_free(m);
        return NULL;
    }
    m->path = NULL;
    return m;
}

void sentiment_model_free(sentiment_model *m)
{
    if (!m)
        return;
    lexicon_free(m->index);
    free(m->rows);
    free(m);
}

size_t sentiment_model_size(const sentiment_model *m)
{
    return m ? m->nrows : 0;
}

/* ---------- scoring ---------- */

#define SEEN_MAX 8192   /* slots of the set of rows already summed: a power of two */

typedef struct {
    const sentiment_model *m;
    sentiment_logits *out;
    float (*token_emotion)[EMOTION_COUNT];
    uint32_t *seen;      /* row + 1 by open addressing; 0 empty */
    uint32_t mask;       /* slots - 1 */
    uint32_t nseen;
} apply_ctx;

/* Was the row already summed in this utterance? Marks it. The trainer reads a feature's
 * presence (1 however often it occurs), so the sums must too: counting a repeated word or
 * bigram again put the public dev figure at 0.848 against the trainer's 0.851. When the set
 * is full (an utterance of thousands of features), repeats count again. */
static bool seen_before(apply_ctx *a, size_t row)
{
    if (a->nseen * 2 > a->mask)
        return false;
    uint32_t key = (uint32_t)row + 1;
    for (uint32_t i = (key * 2654435761u) & a->mask;; i = (i + 1) & a->mask) {
        if (a->seen[i] == key)
            return true;
        if (!a->seen[i]) {
            a->seen[i] = key;
            a->nseen++;
            return false;
        }
    }
}

static void add_feature(void *ctx, const char *feat, size_t len, double value, int first, int last)
{
    apply_ctx *a = ctx;
    double row;
    (void)last;
    if (!lexicon_get(a->m->index, feat, len, &row))
        return;
    const float *w = a->m->rows[(size_t)row];
    if (!seen_before(a, (size_t)row)) {
        a->out->polarity += value * w[0];
        for (int e = 0; e < EMOTION_COUNT; e++)
            a->out->emotion[e] += value * w[1 + e];
    }
    /* words and bigrams name the emotion; the rules score and the question mark do not */
    if (a->token_emotion && feat[0] != '_')
        for (int e = 0; e < EMOTION_COUNT; e++)
            a->token_emotion[first][e] += (float)(value * w[1 + e]);
}

void sentiment_model_apply(const sentiment_model *m, const sentiment_token *toks,
                           const sentiment_token_ctx *tc, int n, double rules_score,
                           sentiment_logits *out, float (*token_emotion)[EMOTION_COUNT])
{
    memset(out, 0, sizeof *out);
    if (token_emotion)
        memset(token_emotion, 0, (size_t)n * sizeof *token_emotion);
    double row;
    if (lexicon_get(m->index, "__bias__", 8, &row))
        for (int e = 0; e < EMOTION_COUNT; e++)
            out->emotion[e] = m->rows[(size_t)row][1 + e];
    /* a word makes at most five features (word, stem, contrast copy, bigram, question) */
    uint32_t seen[SEEN_MAX];
    uint32_t slots = 64;
    while (slots < SEEN_MAX && slots < (uint32_t)n * 16)
        slots *= 2;
    memset(seen, 0, slots * sizeof *seen);
    apply_ctx a = {m, out, token_emotion, seen, slots - 1, 0};
    sentiment_model_features(toks, tc, n, rules_score, add_feature, &a);
}
