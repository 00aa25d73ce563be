/* sentiment_load.c — reading the tables of DATA_DIR/lexicon/ (see sentiment.h). */
#include "hub/assist/sentiment_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

#include "hub/assist/sentiment_tokens.h"

static int parse_valence(const char *s, double *v, const char *file, int lineno,
                         char *err, size_t errlen)
{
    char *end;
    *v = strtod(s, &end);
    if (end == s || *end || !isfinite(*v) || *v < -4.5 || *v > 4.5) {
        snprintf(err, errlen, "%s:%d: bad valence \"%s\"", file, lineno, s);
        return -1;
    }
    return 0;
}

bool sentiment_is_emoticon(const void *ctx, const char *key, size_t len)
{
    const sentiment_lexicon *lx = ctx;
    return lexicon_get(lx->words, key, len, NULL);
}

/* Tokenises a data-file phrase the way utterances are tokenised. */
static int phrase_tokens(const char *text, sentiment_token *toks, int max)
{
    sentiment_token_stats st;
    sentiment_tokens_cut(text, toks, max, NULL, NULL, &st);
    return st.ntokens;
}

static int add_phrase(sentiment_lexicon *lx, const char *text, double v, bool replace)
{
    sentiment_token toks[MAX_PHRASE_WORDS + 1];
    int n = phrase_tokens(text, toks, MAX_PHRASE_WORDS + 1);
    if (n < 2 || n > MAX_PHRASE_WORDS)
        return -1;
    char key[PHRASE_KEY_CAP];
    size_t klen = sentiment_tokens_phrase_key(toks, n, key, sizeof key);
    if (!klen)
        return -1;
    int rc = replace ? lexicon_set(lx->phrases, key, klen, v) : lexicon_put(lx->phrases, key, klen, v);
    if (rc < 0)
        return -1;
    if (rc == 1 || replace)
        lx->nphrases = lexicon_count(lx->phrases);
    char first[PHRASE_KEY_CAP];
    size_t flen = sentiment_tokens_phrase_key(toks, 1, first, sizeof first);
    double prev = 0;
    if (!lexicon_get(lx->phrase_first, first, flen, &prev) || prev < n)
        lexicon_set(lx->phrase_first, first, flen, n);
    return 0;
}

static void lowercase_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static int on_vader_line(void *ctx, char **f, int nf, int lineno, char *err, size_t errlen)
{
    sentiment_lexicon *lx = ctx;
    double v;
    if (nf < 2) {
        snprintf(err, errlen, "vader_lexicon.tsv:%d: expected token<TAB>valence", lineno);
        return -1;
    }
    if (parse_valence(f[1], &v, "vader_lexicon.tsv", lineno, err, errlen))
        return -1;
    lowercase_ascii(f[0]);
    if (strchr(f[0], ' ')) {
        add_phrase(lx, f[0], v, false);   /* a phrase of punctuation only is skipped */
        return 0;
    }
    if (lexicon_put(lx->words, f[0], strlen(f[0]), v) < 0) {
        snprintf(err, errlen, "vader_lexicon.tsv:%d: cannot store \"%s\"", lineno, f[0]);
        return -1;
    }
    return 0;
}

static int on_domain_line(void *ctx, char **f, int nf, int lineno, char *err, size_t errlen)
{
    sentiment_lexicon *lx = ctx;
    double v;
    if (nf < 2) {
        snprintf(err, errlen, "domain_phrases.tsv:%d: expected phrase<TAB>valence", lineno);
        return -1;
    }
    if (parse_valence(f[1], &v, "domain_phrases.tsv", lineno, err, errlen))
        return -1;
    sentiment_token toks[MAX_PHRASE_WORDS + 1];
    int n = phrase_tokens(f[0], toks, MAX_PHRASE_WORDS + 1);
    bool clause_start = nf >= 3 && strcmp(f[2], "clause-start") == 0;
    if (nf >= 3 && !clause_start) {
        snprintf(err, errlen, "domain_phrases.tsv:%d: third column may only be clause-start", lineno);
        return -1;
    }
    if (n == 1 && toks[0].key_len) {
        lexicon *table = clause_start ? lx->clause_start : lx->overrides;
        if (lexicon_set(table, toks[0].key, toks[0].key_len, v) == 0)
            return 0;
    } else if (add_phrase(lx, f[0], v, true) == 0) {
        return 0;
    }
    snprintf(err, errlen, "domain_phrases.tsv:%d: bad phrase \"%s\" (1..%d words)", lineno,
             f[0], MAX_PHRASE_WORDS);
    return -1;
}

static int on_booster_line(void *ctx, char **f, int nf, int lineno, char *err, size_t errlen)
{
    sentiment_lexicon *lx = ctx;
    double v;
    if (nf < 2 || parse_valence(f[1], &v, "boosters.tsv", lineno, err, errlen)) {
        if (nf < 2)
            snprintf(err, errlen, "boosters.tsv:%d: expected word<TAB>scalar", lineno);
        return -1;
    }
    sentiment_token toks[4];
    int n = phrase_tokens(f[0], toks, 4);
    char key[PHRASE_KEY_CAP];
    size_t klen = n >= 1 && n <= 3 ? sentiment_tokens_phrase_key(toks, n, key, sizeof key) : 0;
    if (!klen) {
        snprintf(err, errlen, "boosters.tsv:%d: bad booster \"%s\" (1..3 words)", lineno, f[0]);
        return -1;
    }
    lexicon_set(lx->boosters, key, klen, v);
    if (n > 1) {
        double prev = 0;
        size_t flen = sentiment_tokens_phrase_key(toks, 1, key, sizeof key);
        if (!lexicon_get(lx->booster_first, key, flen, &prev) || prev < n)
            lexicon_set(lx->booster_first, key, flen, n);
    }
    return 0;
}

static int on_negator_line(void *ctx, char **f, int nf, int lineno, char *err, size_t errlen)
{
    sentiment_lexicon *lx = ctx;
    (void)nf;
    sentiment_token toks[2];
    if (phrase_tokens(f[0], toks, 2) != 1 || !toks[0].key_len) {
        snprintf(err, errlen, "negators.txt:%d: one word a line", lineno);
        return -1;
    }
    lexicon_set(lx->negators, toks[0].key, toks[0].key_len, 1);
    return 0;
}

static int on_emoji_line(void *ctx, char **f, int nf, int lineno, char *err, size_t errlen)
{
    sentiment_lexicon *lx = ctx;
    double v;
    if (nf < 2 || parse_valence(f[1], &v, "emoji.tsv", lineno, err, errlen)) {
        if (nf < 2)
            snprintf(err, errlen, "emoji.tsv:%d: expected emoji<TAB>valence", lineno);
        return -1;
    }
    /* the key is the emoji without variation selectors, as the tokeniser cuts it */
    sentiment_token toks[2];
    sentiment_token_stats st;
    sentiment_tokens_cut(f[0], toks, 2, NULL, NULL, &st);
    if (st.ntokens != 1 || toks[0].kind != SENTIMENT_TOK_EMOJI) {
        snprintf(err, errlen, "emoji.tsv:%d: not one emoji", lineno);
        return -1;
    }
    lexicon_set(lx->emoji, toks[0].key, toks[0].key_len, v);
    return 0;
}

/* A contact-centre cue: a phrase that says how the caller feels with no sentiment word in it
 * ("I didn't order anything"), or says the opposite of its words ("oh great"). Its valence
 * scores it as a phrase for the rules; its emotion is added to the model's. */
static int on_cue_line(void *ctx, char **f, int nf, int lineno, char *err, size_t errlen)
{
    sentiment_lexicon *lx = ctx;
    double v;
    int e = nf == 3 ? sentiment_emotion_of(f[1]) : -1;
    if (e < 0) {
        snprintf(err, errlen, "domain_emotions.tsv:%d: expected phrase<TAB>emotion<TAB>valence", lineno);
        return -1;
    }
    if (parse_valence(f[2], &v, "domain_emotions.tsv", lineno, err, errlen))
        return -1;
    sentiment_token toks[MAX_PHRASE_WORDS + 1];
    int n = phrase_tokens(f[0], toks, MAX_PHRASE_WORDS + 1);
    char key[PHRASE_KEY_CAP];
    size_t klen = n >= 1 && n <= MAX_PHRASE_WORDS ? sentiment_tokens_phrase_key(toks, n, key, sizeof key) : 0;
    if (!klen || (n > 1 ? add_phrase(lx, f[0], v, true) : lexicon_set(lx->overrides, key, klen, v)) != 0) {
        snprintf(err, errlen, "domain_emotions.tsv:%d: bad phrase \"%s\"", lineno, f[0]);
        return -1;
    }
    lx->cue = mem_realloc(lx->cue, (lx->ncues + 1) * sizeof *lx->cue);
    lx->cue[lx->ncues].emotion = e;
    lx->cue[lx->ncues].valence = v;
    lexicon_set(lx->cues, key, klen, (double)lx->ncues++);
    double prev = 0;
    size_t flen = sentiment_tokens_phrase_key(toks, 1, key, sizeof key);
    if (!lexicon_get(lx->cue_first, key, flen, &prev) || prev < n)
        lexicon_set(lx->cue_first, key, flen, n);
    return 0;
}

/* ---------- the table of known keys ---------- */

typedef struct {
    sentiment_lexicon *lx;
    int table;
    size_t n, cap;
    bool place;         /* second pass: store the values */
} known_build;

static void know_key(void *ctx, const char *key, size_t len, double value)
{
    known_build *b = ctx;
    sentiment_lexicon *lx = b->lx;
    double at;
    if (b->place) {
        lexicon_get(lx->known, key, len, &at);
        known_token *k = &lx->known_tok[(size_t)at];
        lx->known_values[k->values + (uint32_t)__builtin_popcount(k->mask & ((1u << b->table) - 1))] = value;
        return;
    }
    if (!lexicon_get(lx->known, key, len, &at)) {
        if (b->n == b->cap) {
            b->cap = b->cap ? b->cap * 2 : 1024;
            lx->known_tok = mem_realloc(lx->known_tok, b->cap * sizeof *lx->known_tok);
        }
        at = (double)b->n;
        lx->known_tok[b->n++] = (known_token){0};
        lexicon_put(lx->known, key, len, at);
    }
    lx->known_tok[(size_t)at].mask |= (uint16_t)(1u << b->table);
}

/* Fills lx->known from the per-token tables, once they are read. */
static void build_known(sentiment_lexicon *lx)
{
    const lexicon *tables[KNOWN_TABLES] = {
        [KNOWN_PHRASE_FIRST] = lx->phrase_first, [KNOWN_BOOSTER_FIRST] = lx->booster_first,
        [KNOWN_CUE_FIRST] = lx->cue_first, [KNOWN_WORD] = lx->words, [KNOWN_OVERRIDE] = lx->overrides,
        [KNOWN_CLAUSE_START] = lx->clause_start, [KNOWN_BOOSTER] = lx->boosters,
        [KNOWN_NEGATOR] = lx->negators, [KNOWN_EMOJI] = lx->emoji,
    };
    known_build b = {.lx = lx};
    for (b.table = 0; b.table < KNOWN_TABLES; b.table++)
        lexicon_each(tables[b.table], know_key, &b);
    uint32_t nvalues = 0;
    for (size_t i = 0; i < b.n; i++) {
        lx->known_tok[i].values = nvalues;
        nvalues += (uint32_t)__builtin_popcount(lx->known_tok[i].mask);
    }
    lx->known_values = mem_alloc((nvalues ? nvalues : 1) * sizeof *lx->known_values);
    b.place = true;
    for (b.table = 0; b.table < KNOWN_TABLES; b.table++)
        lexicon_each(tables[b.table], know_key, &b);
}

const known_token *sentiment_known(const sentiment_lexicon *lx, const char *key, size_t len)
{
    double at;
    return lexicon_get(lx->known, key, len, &at) ? &lx->known_tok[(size_t)at] : NULL;
}

void sentiment_free(sentiment_lexicon *lx)
{
    if (!lx)
        return;
    lexicon_free(lx->known);
    free(lx->known_tok);
    free(lx->known_values);
    lexicon_free(lx->words);
    lexicon_free(lx->overrides);
    lexicon_free(lx->clause_start);
    lexicon_free(lx->phrases);
    lexicon_free(lx->phrase_first);
    lexicon_free(lx->boosters);
    lexicon_free(lx->booster_first);
    lexicon_free(lx->negators);
    lexicon_free(lx->emoji);
    lexicon_free(lx->cues);
    lexicon_free(lx->cue_first);
    free(lx->cue);
    sentiment_model_free(lx->model);
    free(lx);
}

static sentiment_lexicon *load(const char *data_dir, bool with_model, char *err, size_t errlen)
{
    static const struct {
        const char *file;
        lexicon_line_fn fn;
    } files[] = {
        {"vader_lexicon.tsv", on_vader_line},
        {"domain_phrases.tsv", on_domain_line},
        {"boosters.tsv", on_booster_line},
        {"negators.txt", on_negator_line},
        {"emoji.tsv", on_emoji_line},
        {"domain_emotions.tsv", on_cue_line},
    };
    sentiment_lexicon *lx = calloc(1, sizeof *lx);
    if (!lx) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    lexicon **tables[] = {&lx->words, &lx->overrides, &lx->clause_start, &lx->phrases, &lx->phrase_first,
                          &lx->boosters, &lx->booster_first, &lx->negators, &lx->emoji, &lx->cues, &lx->cue_first,
                          &lx->known};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        if (!(*tables[i] = lexicon_new())) {
            snprintf(err, errlen, "out of memory");
            sentiment_free(lx);
            return NULL;
        }
    }
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/lexicon/%s", data_dir, files[i].file);
        if (lexicon_read_tsv(path, files[i].fn, lx, err, errlen) != 0) {
            sentiment_free(lx);
            return NULL;
        }
    }
    if (lexicon_count(lx->words) == 0) {
        snprintf(err, errlen, "%s/lexicon/vader_lexicon.tsv has no entries", data_dir);
        sentiment_free(lx);
        return NULL;
    }
    build_known(lx);
    char path[4096];
    snprintf(path, sizeof path, "%s/lexicon/sentiment_weights.tsv", data_dir);
    if (with_model && !(lx->model = sentiment_model_load(path, err, errlen))) {
        sentiment_free(lx);
        return NULL;
    }
    return lx;
}

sentiment_lexicon *sentiment_load(const char *data_dir, char *err, size_t errlen)
{
    return load(data_dir, true, err, errlen);
}

sentiment_lexicon *sentiment_load_rules(const char *data_dir, char *err, size_t errlen)
{
    return load(data_dir, false, err, errlen);
}

size_t sentiment_word_count(const sentiment_lexicon *lx)
{
    return lexicon_count(lx->words);
}

size_t sentiment_phrase_count(const sentiment_lexicon *lx)
{
    return lx->nphrases;
}
