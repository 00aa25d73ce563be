/* sentiment.c — scoring (see sentiment.h): VADER's rules, then the learned model over them.
 *
 * The rules and their constants follow VADER (Hutto & Gilbert 2014, via vader-sentiment
 * 1.1.3): boosters +-0.293 fading to 95% and 90% at 2 and 3 words away, ALL CAPS +0.733
 * when only some words are capitals, negation x -0.74 within 3 words, "but" halves what
 * came before and multiplies what follows by 1.5, "!" adds 0.292 each (up to 4), "?" adds
 * 0.18 each (2-3) or 0.96, and compound = sum / sqrt(sum^2 + 15). Our changes for speech and
 * chat: negation and boosters do not reach across clause punctuation ("No, it's great"),
 * "however" contrasts like "but", multi-word domain phrases score as one unit, emoji score,
 * a negator further back in the clause still turns a word ("I don't think it was in any way
 * good"), and a word in a question ("is orange bad?") counts 0.1 of itself. */
#include "hub/assist/sentiment_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

#include "hub/assist/lexicon.h"
#include "hub/assist/sentiment_model.h"
#include "hub/assist/sentiment_tokens.h"

#define BOOST_INCR 0.293
#define CAPS_INCR 0.733
#define NEGATION_SCALAR -0.74
#define LOOKBACK 3
#define COMPOUND_ALPHA 15.0
#define QUESTION_DAMPING 0.1 /* a sentiment word in a question is asked about, not felt */
#define CUE_LOGIT 3.0        /* what a contact-centre cue adds to its emotion's logit */
#define EMOTION_CARRIER 0.4  /* least weight a word gives the emotion to be named */

/* ---------- scoring ---------- */

typedef struct {
    double valence;     /* before modifiers: lexicon, override, phrase or emoji */
    double booster;     /* non-zero: this token scales what follows */
    int span_end;       /* last token of the unit starting here (phrase) */
    int term_start;     /* first token shown as the term (a negator before it) */
    bool negator;
    bool consumed;      /* inside a phrase or multi-word booster started earlier */
} token_info;

static double sign_of(double v)
{
    return v > 0 ? 1 : v < 0 ? -1 : 0;
}

static bool is_contrast(const sentiment_token *t)
{
    return t->kind == SENTIMENT_TOK_WORD &&
           ((t->key_len == 3 && memcmp(t->key, "but", 3) == 0) ||
            (t->key_len == 7 && memcmp(t->key, "however", 7) == 0));
}

static bool ends_nt(const sentiment_token *t)
{
    return t->key_len >= 3 && memcmp(t->key + t->key_len - 3, "n't", 3) == 0;
}

/* The phrase key (sentiment_tokens_phrase_key's) of toks[0..top) into key (PHRASE_KEY_CAP
 * bytes), and in ends[k] the length of the key of toks[0..k]: a shorter phrase's key is a
 * prefix of a longer one's, so trying the lengths longest first costs one key, not one each.
 * Returns how many tokens from the first have a part in it: a token with no key (too long),
 * or with words_only one that is no word, ends every phrase through it. */
static int phrase_keys(const sentiment_token *toks, int top, bool words_only, char *key, size_t *ends)
{
    int run = 0;
    size_t len = 0;
    if (top > MAX_PHRASE_WORDS)
        top = MAX_PHRASE_WORDS;     /* no table holds longer (8 keys of 31 bytes fit the key) */
    for (; run < top; run++) {
        const sentiment_token *t = &toks[run];
        if ((words_only && run > 0 && t->kind != SENTIMENT_TOK_WORD) || !t->key_len)
            break;
        if (run)
            key[len++] = ' ';
        for (int k = 0; k < t->key_len; k++)
            if (t->key[k] != '\'')
                key[len++] = t->key[k];
        ends[run] = len;
    }
    return run;
}

/* Longest entry of table (2+ words) starting at token i, whose first-word entry (the length
 * of the longest entry starting with the word) is `first` in lx's known key f: its length,
 * or 0. */
static int match_phrase(const sentiment_lexicon *lx, const sentiment_token *toks, int n, int i,
                        const known_token *f, const lexicon *table, int first, double *v)
{
    if (toks[i].kind != SENTIMENT_TOK_WORD || !toks[i].key_len || !known_has(f, first))
        return 0;
    char key[PHRASE_KEY_CAP];
    size_t ends[MAX_PHRASE_WORDS + 1];
    int top = (int)known_value(lx, f, first);
    if (top > n - i)
        top = n - i;
    int run = phrase_keys(toks + i, top, true, key, ends);
    for (int len = run; len >= 2; len--)
        if (lexicon_get(table, key, ends[len - 1], v))
            return len;
    return 0;
}

/* Fills info[] for every token: phrases, boosters, negators, raw valences. known[i] and
 * first[i]: what token i's key, and its key without apostrophes, are to the tables. */
static void classify(const sentiment_lexicon *lx, const sentiment_token *toks, int n,
                     const known_token *const *known, const known_token *const *first,
                     token_info *info)
{
    for (int i = 0; i < n; i++)
        info[i] = (token_info){.span_end = i, .term_start = i};
    for (int i = 0; i < n; i++) {
        if (info[i].consumed)
            continue;
        const sentiment_token *t = &toks[i];
        const known_token *k = known[i];
        double v;
        /* phrases first: "kind of you" is praise, "kind of" alone a dampener */
        int len = match_phrase(lx, toks, n, i, first[i], lx->phrases, KNOWN_PHRASE_FIRST, &v);
        if (len) {
            info[i].valence = v;
            info[i].span_end = i + len - 1;
            for (int k = 1; k < len; k++)
                info[i + k].consumed = true;
            i += len - 1;
            continue;
        }
        len = match_phrase(lx, toks, n, i, first[i], lx->boosters, KNOWN_BOOSTER_FIRST, &v);
        if (len) {
            info[i].booster = v;
            for (int k = 1; k < len; k++)
                info[i + k].consumed = true;
            i += len - 1;
            continue;
        }
        if (!t->key_len)
            continue;
        if (t->kind == SENTIMENT_TOK_EMOJI) {
            if (known_has(k, KNOWN_EMOJI))
                info[i].valence = known_value(lx, k, KNOWN_EMOJI);
            continue;
        }
        if (known_has(k, KNOWN_BOOSTER)) {
            info[i].booster = known_value(lx, k, KNOWN_BOOSTER);   /* no valence of their own */
            continue;
        }
        info[i].negator = known_has(k, KNOWN_NEGATOR) || ends_nt(t);
        /* a letter spelled out ("l s six two") is never sentiment */
        if (t->kind == SENTIMENT_TOK_WORD && t->key_len == 1)
            continue;
        /* discourse markers ("well, I called") are neutral where a clause starts */
        if ((i == 0 || t->clause) && known_has(k, KNOWN_CLAUSE_START)) {
            info[i].valence = known_value(lx, k, KNOWN_CLAUSE_START);
            continue;
        }
        if (known_has(k, KNOWN_OVERRIDE))
            info[i].valence = known_value(lx, k, KNOWN_OVERRIDE);
        else if (known_has(k, KNOWN_WORD))
            info[i].valence = known_value(lx, k, KNOWN_WORD);
    }
    /* "no good", "not bad": a negator followed by a sentiment word carries none itself */
    for (int i = 0; i + 1 < n; i++)
        if (info[i].negator && !toks[i + 1].clause && info[i + 1].valence != 0)
            info[i].valence = 0;
}

/* Applies caps, boosters and negation from the LOOKBACK tokens before unit i. */
static double modify(const sentiment_token *toks, token_info *info, int i, bool caps_diff,
                     const sentiment_token_ctx *tc)
{
    bool negated = false;
    double v = info[i].valence;
    if (toks[i].caps && caps_diff)
        v += sign_of(v) * CAPS_INCR;
    int k = i;
    for (int j = 1; j <= LOOKBACK; j++) {
        if (toks[k].clause)
            break;          /* clause punctuation before token k: stop looking further back */
        k--;
        if (k < 0)
            break;
        if (info[k].valence != 0 && !info[k].negator && info[k].booster == 0)
            continue;
        if (info[k].booster != 0) {
            double s = info[k].booster * sign_of(v);
            if (toks[k].caps && caps_diff)
                s += sign_of(v) * CAPS_INCR;
            if (j == 2)
                s *= 0.95;
            else if (j == 3)
                s *= 0.9;
            v += s;
        }
        if (info[k].negator && !info[k].consumed) {
            v *= NEGATION_SCALAR;
            info[i].term_start = k;
            negated = true;
        }
    }
    /* "I don't think this was in any way good": the negator is further back in the clause */
    if (!negated && tc[i].negated)
        v *= NEGATION_SCALAR;
    if (tc[i].question)
        v *= QUESTION_DAMPING;
    return v;
}

typedef struct {
    double weight;
    int first, last;    /* token range shown as the term */
} term_candidate;

static void keep_term(term_candidate *best, int *nbest, double weight, int first, int last)
{
    int pos = *nbest;
    if (pos == SENTIMENT_MAX_TERMS) {
        if (weight <= best[pos - 1].weight)
            return;
        pos--;
    } else {
        (*nbest)++;
    }
    while (pos > 0 && best[pos - 1].weight < weight) {
        best[pos] = best[pos - 1];
        pos--;
    }
    best[pos] = (term_candidate){weight, first, last};
}

/* Copies text[from, to) into dst, lowercased ASCII, cut at a UTF-8 boundary. */
static void copy_term(char *dst, const char *text, size_t from, size_t to)
{
    size_t n = text_prefix_len(text + from, to - from, SENTIMENT_TERM_LEN - 1);
    for (size_t i = 0; i < n; i++) {
        char c = text[from + i];
        dst[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    dst[n] = 0;
}

int sentiment_label_of(double score)
{
    if (score >= SENTIMENT_THRESHOLD)
        return SENTIMENT_POSITIVE;
    if (score <= -SENTIMENT_THRESHOLD)
        return SENTIMENT_NEGATIVE;
    return SENTIMENT_NEUTRAL;
}

const char *sentiment_label_name(int label)
{
    return label < 0 ? "negative" : label > 0 ? "positive" : "neutral";
}

typedef struct {
    int first, last;    /* token span */
    int emotion;
    double valence;
} cue_hit;

/* One utterance cut and read: its tokens, what each is to the rules and to the model, and
 * the contact-centre cues in it. */
typedef struct {
    sentiment_token toks[SENTIMENT_MAX_TOKENS];
    token_info info[SENTIMENT_MAX_TOKENS];
    sentiment_token_ctx tc[SENTIMENT_MAX_TOKENS];
    sentiment_token_stats st;
    const known_token *known[SENTIMENT_MAX_TOKENS];   /* the token's key to the tables */
    const known_token *first[SENTIMENT_MAX_TOKENS];   /* its key without apostrophes */
    cue_hit cues[SENTIMENT_MAX_CUES];
    int n, ncues;
} analysis;

/* Negation scope (a negator to the end of its clause or a "but") and question clauses. */
static void mark_context(const char *text, analysis *an)
{
    const sentiment_token *toks = an->toks;
    bool neg = false;
    int start = 0;
    size_t len = strlen(text);
    for (int i = 0; i < an->n; i++) {
        if (toks[i].clause || is_contrast(&toks[i]))
            neg = false;
        an->tc[i] = (sentiment_token_ctx){.negated = neg, .skip = !toks[i].key_len};
        if (an->info[i].negator && !an->info[i].consumed)
            neg = true;
    }
    for (int i = 0; i < an->n; i++) {
        if (i + 1 < an->n && !toks[i + 1].clause)
            continue;
        size_t from = (size_t)toks[i].off + toks[i].len, to = i + 1 < an->n ? toks[i + 1].off : len;
        /* one '?' asks; "??" or a "why" clause is a complaint in question form */
        int marks = 0;
        for (size_t k = from; k < to; k++)
            marks += text[k] == '?';
        const sentiment_token *head = &toks[start];
        bool q = marks == 1 && !(head->key_len == 3 && memcmp(head->key, "why", 3) == 0);
        for (int k = start; k <= i; k++)
            an->tc[k].question = q;
        start = i + 1;
    }
}

/* Finds the cues, longest first; their words give the model no feature of their own ("great"
 * in "oh great" is not praise). */
static void find_cues(const sentiment_lexicon *lx, analysis *an)
{
    char key[PHRASE_KEY_CAP];
    for (int i = 0; i < an->n && an->ncues < SENTIMENT_MAX_CUES; i++) {
        double idx;
        if (an->toks[i].kind != SENTIMENT_TOK_WORD || !an->toks[i].key_len ||
            !known_has(an->first[i], KNOWN_CUE_FIRST))
            continue;
        int maxlen = (int)known_value(lx, an->first[i], KNOWN_CUE_FIRST);
        int top = maxlen < an->n - i ? maxlen : an->n - i;
        size_t ends[MAX_PHRASE_WORDS + 1];
        /* a cue may run through any token with a key, as it always could */
        int run = phrase_keys(an->toks + i, top, false, key, ends);
        for (int len = run; len >= 1; len--) {
            if (!lexicon_get(lx->cues, key, ends[len - 1], &idx))
                continue;
            an->cues[an->ncues++] = (cue_hit){i, i + len - 1, lx->cue[(size_t)idx].emotion,
                                              lx->cue[(size_t)idx].valence};
            for (int k = i; k < i + len; k++)
                an->tc[k].skip = true;
            i += len - 1;
            break;
        }
    }
}

static void analyse(const sentiment_lexicon *lx, const char *text, analysis *an)
{
    sentiment_tokens_cut(text, an->toks, SENTIMENT_MAX_TOKENS, sentiment_is_emoticon, lx, &an->st);
    an->n = an->st.ntokens;
    an->ncues = 0;
    char key[PHRASE_KEY_CAP];
    for (int i = 0; i < an->n; i++) {
        const sentiment_token *t = &an->toks[i];
        an->known[i] = an->first[i] = NULL;
        if (!t->key_len)
            continue;
        an->known[i] = sentiment_known(lx, t->key, t->key_len);
        /* the first-word tables hold phrase keys, which drop apostrophes ("im" for "I'm") */
        an->first[i] = an->known[i];
        if (memchr(t->key, '\'', t->key_len)) {
            size_t klen = sentiment_tokens_phrase_key(t, 1, key, sizeof key);
            an->first[i] = klen ? sentiment_known(lx, key, klen) : NULL;
        }
    }
    classify(lx, an->toks, an->n, an->known, an->first, an->info);
    mark_context(text, an);
    find_cues(lx, an);
}

/* VADER's compound over the analysed utterance; the strongest terms into best[]. */
static double rules_score(analysis *an, term_candidate *best, int *nbest)
{
    const sentiment_token *toks = an->toks;
    token_info *info = an->info;
    int n = an->n, words = 0, caps = 0, contrast = -1;
    for (int i = 0; i < n; i++) {
        if (toks[i].kind != SENTIMENT_TOK_WORD)
            continue;
        words++;
        caps += toks[i].caps;
        if (contrast < 0 && !info[i].consumed && is_contrast(&toks[i]))
            contrast = i;
    }
    bool caps_diff = caps > 0 && caps < words;
    double sum = 0;
    for (int i = 0; i < n; i++) {
        if (info[i].consumed || info[i].valence == 0)
            continue;
        double v = modify(toks, info, i, caps_diff, an->tc);
        if (contrast >= 0)
            v *= i < contrast ? 0.5 : 1.5;
        sum += v;
        keep_term(best, nbest, fabs(v), info[i].term_start, info[i].span_end);
    }
    if (sum != 0) {
        int ex = an->st.exclamations > 4 ? 4 : an->st.exclamations;
        double emphasis = ex * 0.292;
        if (an->st.questions > 1)
            emphasis += an->st.questions <= 3 ? an->st.questions * 0.18 : 0.96;
        sum += sign_of(sum) * emphasis;
    }
    double score = sum / sqrt(sum * sum + COMPOUND_ALPHA);
    return score > 1 ? 1 : score < -1 ? -1 : score;
}

void sentiment_features(const sentiment_lexicon *lx, const char *text, sentiment_feature_fn fn, void *ctx)
{
    static _Thread_local analysis an;
    term_candidate best[SENTIMENT_MAX_TERMS];
    int nbest = 0;
    if (!lx || !text)
        return;
    analyse(lx, text, &an);
    double rules = rules_score(&an, best, &nbest);
    sentiment_model_features(an.toks, an.tc, an.n, rules, fn, ctx);
}

/* The words that carry emotion e: its cues, then the words that gave it most. */
static void name_carriers(const char *text, const analysis *an, int e,
                          float (*tok_emo)[EMOTION_COUNT], sentiment_result *out)
{
    for (int k = 0; k < an->ncues && out->ncues < SENTIMENT_MAX_CUES; k++)
        if (an->cues[k].emotion == e)
            copy_term(out->cues[out->ncues++], text, an->toks[an->cues[k].first].off,
                      (size_t)an->toks[an->cues[k].last].off + an->toks[an->cues[k].last].len);
    while (out->ncues < SENTIMENT_MAX_CUES) {
        int top = -1;
        for (int i = 0; i < an->n; i++)
            if (tok_emo[i][e] >= EMOTION_CARRIER && (top < 0 || tok_emo[i][e] > tok_emo[top][e]))
                top = i;
        if (top < 0)
            break;
        tok_emo[top][e] = 0;
        copy_term(out->cues[out->ncues++], text, an->toks[top].off,
                  (size_t)an->toks[top].off + an->toks[top].len);
    }
}

void sentiment_score(const sentiment_lexicon *lx, const char *text, sentiment_result *out)
{
    static _Thread_local analysis an;
    static _Thread_local float tok_emo[SENTIMENT_MAX_TOKENS][EMOTION_COUNT];
    memset(out, 0, sizeof *out);
    if (!lx || !text)
        return;
    analyse(lx, text, &an);
    term_candidate best[SENTIMENT_MAX_TERMS];
    int nbest = 0;
    out->rules_score = rules_score(&an, best, &nbest);
    for (int k = 0; k < nbest; k++) {
        const sentiment_token *a = &an.toks[best[k].first], *b = &an.toks[best[k].last];
        copy_term(out->terms[k], text, a->off, (size_t)b->off + b->len);
    }
    out->nterms = nbest;
    if (!lx->model) {
        out->score = out->rules_score;
        out->label = sentiment_label_of(out->score);
        return;
    }

    sentiment_logits lg;
    sentiment_model_apply(lx->model, an.toks, an.tc, an.n, out->rules_score, &lg, tok_emo);
    for (int k = 0; k < an.ncues; k++) {
        lg.polarity += an.cues[k].valence;
        lg.emotion[an.cues[k].emotion] += CUE_LOGIT;
    }
    double top = lg.emotion[0], z = 0;
    int e = 0;
    for (int k = 1; k < EMOTION_COUNT; k++)
        if (lg.emotion[k] > top)
            top = lg.emotion[e = k];
    for (int k = 0; k < EMOTION_COUNT; k++)
        z += exp(lg.emotion[k] - top);
    out->emotion = e;
    out->emotion_p = 1 / z;
    double calm = (exp(lg.emotion[EMOTION_NEUTRAL] - top) + exp(lg.emotion[EMOTION_CONFUSION] - top)) / z;
    /* The sign is the model's (learned from public data). The strength is 2P(positive)-1,
     * scaled down as far as the utterance is likely to carry no feeling or to be asking
     * (confusion: "is orange bad?" is not a complaint), cubed; or the rules score when it says
     * the same thing more strongly, since the rules know the contact-centre phrases the
     * public data lacks ("on hold for forty five minutes"). Chosen on the team set's
     * development half: 3-way accuracy 0.72 undamped, 0.84 cubed, 0.92 with the rules' strength;
     * binary accuracy on public dev sentences is the model's (0.838) by construction. */
    double learned = tanh(lg.polarity / 2) * (1 - calm) * (1 - calm) * (1 - calm);
    bool agree = (learned > 0) == (out->rules_score > 0);
    out->score = agree && fabs(out->rules_score) > fabs(learned) ? out->rules_score : learned;
    out->label = sentiment_label_of(out->score);
    if (e != EMOTION_NEUTRAL)
        name_carriers(text, &an, e, tok_emo, out);
}

double sentiment_lexicon_sum(const sentiment_lexicon *lx, const char *text)
{
    sentiment_token toks[SENTIMENT_MAX_TOKENS];
    sentiment_token_stats st;
    if (!lx || !text)
        return 0;
    sentiment_tokens_cut(text, toks, SENTIMENT_MAX_TOKENS, sentiment_is_emoticon, lx, &st);
    double sum = 0, v;
    for (int i = 0; i < st.ntokens; i++)
        if (toks[i].key_len && lexicon_get(lx->words, toks[i].key, toks[i].key_len, &v))
            sum += v;
    return sum;
}

/* ---------- trend ---------- */

void sentiment_trend_init(sentiment_trend *t, double alpha)
{
    memset(t, 0, sizeof *t);
    t->alpha = alpha;
}

void sentiment_trend_add(sentiment_trend *t, double score)
{
    double alpha = t->alpha > 0 && t->alpha <= 1 ? t->alpha : 0.3;
    if (!isfinite(score))
        return;
    t->ewma = t->n == 0 ? score : alpha * score + (1 - alpha) * t->ewma;
    t->recent[t->n % SENTIMENT_TREND_WINDOW] = t->ewma;
    t->n++;
    int k = t->n < SENTIMENT_TREND_WINDOW ? t->n : SENTIMENT_TREND_WINDOW;
    if (k < 2) {
        t->slope = 0;
        t->direction = 0;
        return;
    }
    /* least squares over x = 0..k-1, oldest first */
    double mx = (k - 1) / 2.0, my = 0, sxy = 0, sxx = 0;
    int first = t->n - k;
    for (int x = 0; x < k; x++)
        my += t->recent[(first + x) % SENTIMENT_TREND_WINDOW];
    my /= k;
    for (int x = 0; x < k; x++) {
        double dy = t->recent[(first + x) % SENTIMENT_TREND_WINDOW] - my;
        sxy += (x - mx) * dy;
        sxx += (x - mx) * (x - mx);
    }
    t->slope = sxy / sxx;
    /* a direction only when the line explains the window: noise on a plateau has none */
    double syy = 0;
    for (int x = 0; x < k; x++) {
        double dy = t->recent[(first + x) % SENTIMENT_TREND_WINDOW] - my;
        syy += dy * dy;
    }
    double r2 = syy > 1e-12 ? (sxy * sxy) / (sxx * syy) : 0;
    t->direction = 0;
    if (t->n >= SENTIMENT_TREND_MIN_N && fabs(t->slope) >= SENTIMENT_TREND_MIN_SLOPE && r2 >= 0.5)
        t->direction = t->slope > 0 ? 1 : -1;
}

const char *sentiment_level_name(double ewma)
{
    return ewma <= -0.5 ? "hostile" : ewma <= -0.15 ? "negative" : ewma >= 0.15 ? "positive" : "neutral";
}
