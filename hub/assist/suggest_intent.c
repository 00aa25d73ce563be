/* suggest_intent.c — nearest-centroid intent model over TF-IDF word, word-pair and character
 * n-gram features (see suggest_intent.h). */
#include "hub/assist/suggest_intent.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/strhash.h"
#include "hub/assist/suggest_embed.h"
#include "hub/assist/suggest_words.h"

#define WORDS_MAX 64          /* words of one text that count */
#define FEATURES_MAX 1024     /* features of one text */

/* Weights of the feature groups, tuned on CLINC150's validation split (bench_relevance). */
#define W_WORD 1.0f
#define W_PAIR 0.6f
#define W_CHAR 0.35f
/* With word vectors (suggest_embed.h), an article's score is the lexical cosine plus
 * W_VECTOR x the positive part of the vectors' cosine, minus VECTOR_SHIFT: every article gets
 * some of the vectors' share, out-of-scope utterances too, and the shift keeps the score a
 * confidence that SUGGEST_MIN_CONFIDENCE (0.21) still suits. Tuned the same way, with
 * bench_assist's scenarios (26/29 first suggestions right on the demo base) as a check:
 * W_VECTOR 0.1 0.2 0.3 0.4 (no shift) gave val top-1 0.775 0.782 0.784 0.785 at 10
 * phrasings, but out-of-scope rejection fell to 0.67 at 0.2; the shift 0.03 brings it back
 * to 0.79 for top-1 0.780 (0.05 rejects more but shows the demo's scenarios fewer right
 * first suggestions: 24/29). */
#define W_VECTOR 0.2f
#define VECTOR_SHIFT 0.03f
/* A word of the utterance adds its nearest words among the examples' (suggest_embed_neighbours,
 * at most 3 of cosine >= 0.5) as word features of W_NEIGHBOUR x cosine x its own weight:
 * "move my money" then also says "transfer". Tuned the same way: val top-1 at 10 phrasings
 * 0.780 -> 0.792 (all phrasings 0.916 -> 0.918), out-of-scope rejection 0.79 -> 0.76 (0.83
 * -> 0.79). Tried: the neighbours left out of the query's length, weight 0.3 and 0.5: top-1
 * 0.788 and 0.792, rejection 0.76; 0.7 and 1.0 (cosine >= 0.6): 0.794 and 0.793, rejection
 * 0.73 and 0.70; 5 neighbours of cosine >= 0.4: 0.791; counted, 5 at weight 1.0: 0.791, 8
 * at 0.7: 0.790; only for the words no example has: 0.784. The demo scenarios' key 1 stays
 * 26/29 (bench_assist). */
#define W_NEIGHBOUR 0.5f
/* The refinement (train below), tuned the same way */
#define EPOCHS 5
#define MARGIN 0.02f
#define RATE 0.05f
/* An example its article wins by more than IDLE_GAP sits out the next IDLE_ROUNDS rounds:
 * scoring an example walks the postings of all its features (most of the build's time),
 * and one that far ahead is not moved by a round's small steps. Halves the training
 * (CLINC150, 100 phrasings of 150 intents: 925 -> 390 ms; the 1,000-article base of
 * bench_assist: 340 -> 255 ms) for the same figures (val top-1 0.765 -> 0.764 at 10
 * phrasings, 0.911 -> 0.910 at 100; bench_assist's relevance unchanged) */
#define IDLE_GAP 0.1f
#define IDLE_ROUNDS 5
/* A feature that at least one article in HEAVY_SHARE has ("<th", "the", "my") is also kept
 * as a dense column over all the articles, zeros where an article lacks it: adding it four
 * articles at a time costs less than walking its postings one by one (an article index and
 * a scattered add each) past that density. The sums are the same: every weight is >= 0, so
 * a missing article adds +0, which leaves its sum exactly as it was. */
#define HEAVY_SHARE 8

/* Four floats at once (GCC and Clang vector extension, as suggest_embed.c) */
typedef float v4 __attribute__((vector_size(16)));

typedef struct {
    uint32_t id;     /* dense feature id */
    float w;
} feat;

typedef struct {
    uint32_t feature;
    uint32_t article;
    float w;
} triple;

struct suggest_intent {
    const suggest_synonyms *syn;   /* borrowed; NULL: none */
    suggest_embed *embed;          /* NULL: lexical only */
    int narticles;
    bool built;
    /* feature hash -> dense id, open addressing */
    uint64_t *keys;
    uint32_t *ids;
    size_t cap, nvocab;
    /* the examples while building: their features (dense id, group weight) in one pool */
    triple *pool;
    size_t npool, cappool;
    uint32_t *df;
    size_t capdf;
    size_t nexamples;
    /* built */
    float *idf;            /* by dense id */
    float idf_max;
    uint32_t *start;       /* postings of feature f: [start[f], start[f+1]) */
    uint32_t *post_article;
    float *post_w;
    /* the heavy features' dense copies of their postings (HEAVY_SHARE): column of feature f
     * at heavy[f] (-1: none), dstride floats each; kept equal to post_w */
    int32_t *heavy;
    float *dense;
    size_t dstride;
    /* query scratch (acc: dstride floats, the padding stays 0) */
    float *acc;
    int *touched;
    float *cnorm;          /* while training: the length of each article's sum of examples */
    unsigned char *mark;   /* touched[] holds the article (a weight may be 0: acc is no mark) */
};

static uint64_t hash_feature(char group, const char *a, size_t na, const char *b)
{
    uint64_t h = strhash_fnv1a64(0xcbf29ce484222325ULL, &group, 1);
    h = strhash_fnv1a64(h, a, na);
    if (b) {
        h = strhash_fnv1a64(h, " ", 1);
        h = strhash_fnv1a64(h, b, strlen(b));
    }
    return h | 1;   /* 0 marks an empty slot */
}

/* The dense id of hash h; with add, a new one when unknown; UINT32_MAX when not there. */
static uint32_t vocab_id(suggest_intent *m, uint64_t h, bool add)
{
    if (!m->cap)
        return UINT32_MAX;
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == h)
            return m->ids[i];
        if (!m->keys[i]) {
            if (!add)
                return UINT32_MAX;
            m->keys[i] = h;
            m->ids[i] = (uint32_t)m->nvocab;
            return (uint32_t)m->nvocab++;
        }
    }
}

static void vocab_grow(suggest_intent *m)
{
    if (m->nvocab * 2 < m->cap)
        return;
    size_t cap = m->cap ? m->cap * 2 : 4096;
    uint64_t *keys = mem_zalloc(cap, sizeof *keys);
    uint32_t *ids = mem_zalloc(cap, sizeof *ids);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t k = m->keys[i] & (cap - 1);
        while (keys[k])
            k = (k + 1) & (cap - 1);
        keys[k] = m->keys[i];
        ids[k] = m->ids[i];
    }
    free(m->keys);
    free(m->ids);
    m->keys = keys;
    m->ids = ids;
    m->cap = cap;
}

typedef struct {
    uint64_t hash;
    float w;
} raw_feat;

/* The features of the words (stemmed) as (hash, group weight), each once (its weights summed). */
static int raw_features(char words[][INTENT_WORD_MAX], int nw, raw_feat *out, int max)
{
    if (max > FEATURES_MAX)
        max = FEATURES_MAX;   /* the merge's table below holds twice that */
    int n = 0;
    for (int i = 0; i < nw && n < max; i++) {
        size_t len = strlen(words[i]);
        out[n++] = (raw_feat){hash_feature('w', words[i], len, NULL), W_WORD};
        if (i + 1 < nw && n < max)
            out[n++] = (raw_feat){hash_feature('p', words[i], len, words[i + 1]), W_PAIR};
        char padded[INTENT_WORD_MAX + 2];
        padded[0] = '<';
        memcpy(padded + 1, words[i], len);
        padded[len + 1] = '>';
        for (size_t g = 3; g <= 4; g++)
            for (size_t k = 0; k + g <= len + 2 && n < max; k++)
                out[n++] = (raw_feat){hash_feature((char)('0' + g), padded + k, g, NULL), W_CHAR};
    }
    /* merge repeats, in order (the first occurrence's place, the weights summed as they
     * come): a small open-addressing table of the kept ones' places (a pairwise search was
     * a tenth of a query) */
    int16_t slot[2 * FEATURES_MAX];
    memset(slot, -1, sizeof slot);
    int m = 0;
    for (int i = 0; i < n; i++) {
        size_t k = (size_t)(out[i].hash >> 1) & (2 * FEATURES_MAX - 1);
        while (slot[k] >= 0 && out[slot[k]].hash != out[i].hash)
            k = (k + 1) & (2 * FEATURES_MAX - 1);
        if (slot[k] >= 0) {
            out[slot[k]].w += out[i].w;
        } else {
            slot[k] = (int16_t)m;
            out[m++] = out[i];
        }
    }
    return m;
}

suggest_intent *suggest_intent_new(const suggest_synonyms *syn, const wordvec *wv)
{
    suggest_intent *m = mem_zalloc(1, sizeof(suggest_intent));
    m->syn = syn;
    m->embed = suggest_embed_new(wv);
    return m;
}

/* The words of a text that have a vector, as written (else as syn folds them: "acct"),
 * stop words left out; the IDF is that of their stem's word feature. */
static int embed_words(suggest_intent *m, char words[][INTENT_WORD_MAX], char raw[][INTENT_WORD_MAX], int nw,
                       embed_word *out)
{
    const wordvec *wv = suggest_embed_vectors(m->embed);
    int n = 0;
    for (int i = 0; i < nw; i++) {
        if (suggest_words_is_stop(raw[i]))
            continue;
        int v = wordvec_find(wv, raw[i]);
        const char *canon = v < 0 ? suggest_intent_canonical(m->syn, raw[i]) : raw[i];
        if (canon != raw[i])
            v = wordvec_find(wv, canon);
        if (v >= 0)
            out[n++] = (embed_word){v, vocab_id(m, hash_feature('w', words[i], strlen(words[i]), NULL), false)};
    }
    return n;
}

void suggest_intent_free(suggest_intent *m)
{
    if (!m)
        return;
    free(m->keys);
    free(m->ids);
    free(m->pool);
    free(m->df);
    free(m->idf);
    free(m->start);
    free(m->post_article);
    free(m->post_w);
    free(m->acc);
    free(m->heavy);
    free(m->dense);
    free(m->touched);
    free(m->mark);
    suggest_embed_free(m->embed);
    free(m);
}

void suggest_intent_add(suggest_intent *m, int article, const char *text)
{
    if (!m || m->built || article < 0)
        return;
    char words[WORDS_MAX][INTENT_WORD_MAX], raw[WORDS_MAX][INTENT_WORD_MAX];
    int nw = suggest_intent_words(m->syn, text, words, raw, WORDS_MAX);
    raw_feat f[FEATURES_MAX];
    int n = raw_features(words, nw, f, FEATURES_MAX);
    if (!n)
        return;
    if (m->npool + (size_t)n + 1 > m->cappool) {
        m->cappool = (m->cappool + (size_t)n + 1) * 2;
        m->pool = mem_realloc(m->pool, m->cappool * sizeof *m->pool);
    }
    /* a header triple (feature UINT32_MAX) starts each example */
    m->pool[m->npool++] = (triple){UINT32_MAX, (uint32_t)article, (float)n};
    for (int i = 0; i < n; i++) {
        vocab_grow(m);
        uint32_t id = vocab_id(m, f[i].hash, true);
        if (id >= m->capdf) {
            size_t cap = m->capdf ? m->capdf * 2 : 4096;
            while (cap <= id)
                cap *= 2;
            m->df = mem_realloc(m->df, cap * sizeof *m->df);
            memset(m->df + m->capdf, 0, (cap - m->capdf) * sizeof *m->df);
            m->capdf = cap;
        }
        m->df[id]++;
        m->pool[m->npool++] = (triple){id, (uint32_t)article, f[i].w};
    }
    m->nexamples++;
    if (m->embed) {
        embed_word ew[WORDS_MAX];
        suggest_embed_add(m->embed, article, ew, embed_words(m, words, raw, nw, ew));
    }
}

/* The n triples by (feature, article), those equal in both left in their order (their
 * weights are summed in it): two stable counting sorts, by article then by feature (a
 * comparison sort of the pool was a fifth of the build). Features < nvocab, articles <
 * narticles. */
static void sort_by_feature_article(triple *t, size_t n, size_t nvocab, size_t narticles)
{
    size_t buckets = nvocab > narticles ? nvocab : narticles;
    uint32_t *count = mem_alloc((buckets + 1) * sizeof *count);
    triple *tmp = mem_alloc((n ? n : 1) * sizeof *tmp);
    for (int pass = 0; pass < 2; pass++) {
        size_t nb = pass ? nvocab : narticles;
        memset(count, 0, (nb + 1) * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(pass ? t[i].feature : t[i].article) + 1]++;
        for (size_t b = 0; b < nb; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            tmp[count[pass ? t[i].feature : t[i].article]++] = t[i];
        memcpy(t, tmp, n * sizeof *t);
    }
    free(tmp);
    free(count);
}

/* The weight of article a for feature f, or NULL when a has none (postings sorted by article). */
static float *weight_of(suggest_intent *m, uint32_t f, uint32_t a)
{
    uint32_t lo = m->start[f], hi = m->start[f + 1];
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->post_article[mid] < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->start[f + 1] && m->post_article[lo] == a ? &m->post_w[lo] : NULL;
}

/* The heavy features' columns from their postings. */
static void dense_fill(suggest_intent *m)
{
    for (size_t f = 0; f < m->nvocab; f++) {
        if (m->heavy[f] < 0)
            continue;
        float *col = m->dense + (size_t)m->heavy[f] * m->dstride;
        for (uint32_t p = m->start[f]; p < m->start[f + 1]; p++)
            col[m->post_article[p]] = m->post_w[p];
    }
}

/* Picks the heavy features and builds their columns. */
static void dense_build(suggest_intent *m)
{
    m->dstride = ((size_t)m->narticles + 3) / 4 * 4;
    m->heavy = mem_alloc((m->nvocab ? m->nvocab : 1) * sizeof *m->heavy);
    size_t n = 0;
    for (size_t f = 0; f < m->nvocab; f++)
        m->heavy[f] = (size_t)(m->start[f + 1] - m->start[f]) * HEAVY_SHARE >= (size_t)m->narticles ? (int32_t)n++
                                                                                                   : -1;
    /* malloc's alignment (16 on the 64-bit targets) suits v4 */
    m->dense = mem_zalloc((n ? n : 1) * m->dstride, sizeof *m->dense);
    dense_fill(m);
}

/* acc += x * feature f's weights, every article sharing it (x >= 0), feature by feature in
 * the order given: a heavy feature waits in *pending for the next, so that two columns are
 * added in one pass over acc (each article's sum still takes them in order); add_flush ends
 * the sequence. */
typedef struct {
    const v4 *col;   /* NULL: nothing pending */
    float x;
} pending_col;

static void add_flush(suggest_intent *m, pending_col *pending)
{
    if (!pending->col)
        return;
    v4 *acc = (v4 *)m->acc, k = {pending->x, pending->x, pending->x, pending->x};
    const v4 *col = pending->col;
    for (size_t i = 0; i < m->dstride / 4; i++)
        acc[i] += k * col[i];
    pending->col = NULL;
}

static inline void add_feature(suggest_intent *m, uint32_t f, float x, pending_col *pending)
{
    if (m->heavy[f] >= 0) {
        const v4 *col = (const v4 *)(m->dense + (size_t)m->heavy[f] * m->dstride);
        if (!pending->col) {
            *pending = (pending_col){col, x};
            return;
        }
        v4 *acc = (v4 *)m->acc, k0 = {pending->x, pending->x, pending->x, pending->x}, k1 = {x, x, x, x};
        const v4 *col0 = pending->col;
        for (size_t i = 0; i < m->dstride / 4; i++) {
            v4 a = acc[i];
            a += k0 * col0[i];
            a += k1 * col[i];
            acc[i] = a;
        }
        pending->col = NULL;
        return;
    }
    add_flush(m, pending);
    float *acc = m->acc;
    const uint32_t *pa = m->post_article;
    const float *pw = m->post_w;
    for (uint32_t p = m->start[f], end = m->start[f + 1]; p < end; p++)
        acc[pa[p]] += x * pw[p];
}

/* Sets article a's weight for feature f (a has it) in the postings and the column. */
static void set_weight(suggest_intent *m, uint32_t f, uint32_t a, float *w, float v)
{
    *w = v;
    if (m->heavy[f] >= 0)
        m->dense[(size_t)m->heavy[f] * m->dstride + a] = v;
}

/* Every article's vector back to unit length. */
static void renormalise(suggest_intent *m)
{
    double *norm = mem_zalloc((size_t)m->narticles, sizeof *norm);
    uint32_t np = m->start[m->nvocab];
    for (uint32_t p = 0; p < np; p++)
        norm[m->post_article[p]] += (double)m->post_w[p] * m->post_w[p];
    for (uint32_t p = 0; p < np; p++)
        if (norm[m->post_article[p]] > 0)
            m->post_w[p] = (float)(m->post_w[p] / sqrt(norm[m->post_article[p]]));
    free(norm);
    dense_fill(m);
}

/* The article other than truth that the example (its n features) scores best in acc, its
 * score in *best, acc cleared; -1 (best untouched) when it shares no feature with another.
 * The same one as walking the articles in the order the postings first reach them (feature
 * by feature, article by article) and keeping the first of the highest: weights are >= 0,
 * so an article none of whose features the example has stays at 0 and one above 0 shares
 * one; ties and an all-zero best are settled by that order, walked again (rare). */
static int rival_of(suggest_intent *m, const triple *ex, size_t n, uint32_t truth, float *best)
{
    float *acc = m->acc, top = 0;
    int rival = -1, ties = 0;
    for (int a = 0; a < m->narticles; a++) {
        if ((uint32_t)a == truth)
            continue;
        if (acc[a] > top) {
            top = acc[a];
            rival = a;
            ties = 1;
        } else if (acc[a] == top && top > 0) {
            ties++;
        }
    }
    if (rival < 0 || ties > 1) {
        /* the first article the postings reach among those at top (any other when top is 0) */
        int first = -1;
        for (size_t k = 0; k < n && first < 0; k++)
            for (uint32_t p = m->start[ex[k].feature]; p < m->start[ex[k].feature + 1]; p++) {
                uint32_t a = m->post_article[p];
                if (a != truth && acc[a] == top) {
                    first = (int)a;
                    break;
                }
            }
        rival = first;
    }
    memset(acc, 0, (size_t)m->narticles * sizeof *acc);
    if (rival >= 0)
        *best = top;
    return rival;
}

/* DragPushing (Tan, "Using DragPushing to refine centroid text classifiers", SIGIR 2005): an
 * example that its own article, scored without it (leave one out, as an unseen phrasing
 * would be), does not beat every other by MARGIN drags its
 * article's vector towards it and pushes the winner's away (weights stay >= 0), a few rounds
 * over the examples. The centroids hold every feature of their own examples, so the
 * postings never need to grow. */
static void train(suggest_intent *m, const triple *ex, size_t n)
{
    unsigned char *idle = mem_zalloc(n ? n : 1, 1);   /* by header index: rounds left to sit out */
    int before = -1;
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
        int mistakes = 0;
        for (size_t i = 0; i < n;) {
            /* ex[i] is an example's header: its features follow */
            size_t j = i + 1 + (size_t)ex[i].w, head = i;
            if (idle[head]) {
                idle[head]--;
                i = j;
                continue;
            }
            i++;
            uint32_t truth = ex[i].article;
            /* no touched list here (its branch per posting was a third of the build): an
             * article sharing no feature keeps acc 0, and the rival is found below from acc
             * alone, exactly as the first touched of the best would be */
            pending_col pending = {NULL, 0};
            for (size_t k = i; k < j; k++)
                add_feature(m, ex[k].feature, ex[k].w, &pending);
            add_flush(m, &pending);
            /* its own article without it (leave one out): x.(S - x) / |S - x|, x of unit length */
            float N = m->cnorm[truth], dot = m->acc[truth] * N;
            float rest = N * N - 2 * dot + 1;
            float own = rest > 1e-6f ? (dot - 1) / sqrtf(rest) : 0, best = -1;
            int rival = rival_of(m, ex + i, j - i, truth, &best);
            if (own > best + IDLE_GAP)
                idle[head] = IDLE_ROUNDS;
            if (rival >= 0 && own < best + MARGIN) {
                mistakes++;
                for (size_t k = i; k < j; k++) {
                    float *w = weight_of(m, ex[k].feature, truth);
                    if (w)
                        set_weight(m, ex[k].feature, truth, w, *w + RATE * ex[k].w);
                    if ((w = weight_of(m, ex[k].feature, (uint32_t)rival))) {
                        float v = *w - RATE * ex[k].w;
                        set_weight(m, ex[k].feature, (uint32_t)rival, w, v < 0 ? 0 : v);
                    }
                }
            }
            i = j;
        }
        renormalise(m);
        /* a round that fixed under a tenth of the last one's misses is stuck: articles
         * whose examples are alike (parts of one topic) stay mistaken every round, and
         * more rounds only cost (the 1,050-article base of bench_relevance: 5.3 -> 2.9 s) */
        if (!mistakes || (before >= 0 && mistakes > before * 0.9))
            break;
        before = mistakes;
    }
    free(idle);
}

int suggest_intent_build(suggest_intent *m, int narticles)
{
    if (!m || m->built || narticles <= 0)
        return -1;
    m->built = true;
    m->narticles = narticles;
    m->idf = mem_zalloc(m->nvocab + 1, sizeof *m->idf);
    m->idf_max = logf((float)(m->nexamples + 1)) + 1;
    for (size_t f = 0; f < m->nvocab; f++)
        m->idf[f] = logf((float)(m->nexamples + 1) / (float)(m->df[f] + 1)) + 1;
    /* each example's vector to unit length, in place; the examples (headers kept) are
     * copied for the training below, the centroids' pool loses the headers */
    triple *examples = mem_alloc((m->npool ? m->npool : 1) * sizeof *examples);
    size_t out = 0, nex = 0;
    for (size_t i = 0; i < m->npool;) {
        size_t n = (size_t)m->pool[i].w, first = i + 1;
        bool keep = m->pool[i].article < (uint32_t)narticles;
        double norm = 0;
        for (size_t k = first; k < first + n; k++) {
            m->pool[k].w *= m->idf[m->pool[k].feature];
            norm += (double)m->pool[k].w * m->pool[k].w;
        }
        float inv = norm > 0 ? (float)(1 / sqrt(norm)) : 0;
        if (keep)
            examples[nex++] = m->pool[i];
        for (size_t k = first; k < first + n && keep; k++) {
            m->pool[k].w *= inv;
            examples[nex++] = m->pool[k];
            m->pool[out++] = m->pool[k];
        }
        i = first + n;
    }
    /* sum by (feature, article): the centroids, unnormalised */
    sort_by_feature_article(m->pool, out, m->nvocab, (size_t)narticles);
    size_t np = 0;
    for (size_t i = 0; i < out; i++) {
        if (np && m->pool[np - 1].feature == m->pool[i].feature && m->pool[np - 1].article == m->pool[i].article)
            m->pool[np - 1].w += m->pool[i].w;
        else
            m->pool[np++] = m->pool[i];
    }
    double *norm = mem_zalloc((size_t)narticles, sizeof *norm);
    for (size_t i = 0; i < np; i++)
        norm[m->pool[i].article] += (double)m->pool[i].w * m->pool[i].w;
    m->start = mem_zalloc(m->nvocab + 1, sizeof *m->start);
    m->post_article = mem_alloc((np ? np : 1) * sizeof *m->post_article);
    m->post_w = mem_alloc((np ? np : 1) * sizeof *m->post_w);
    for (size_t i = 0; i < np; i++) {
        m->post_article[i] = m->pool[i].article;
        m->post_w[i] = (float)(m->pool[i].w / sqrt(norm[m->pool[i].article]));
        m->start[m->pool[i].feature + 1]++;
    }
    for (size_t f = 0; f < m->nvocab; f++)
        m->start[f + 1] += m->start[f];
    m->cnorm = mem_alloc((size_t)narticles * sizeof *m->cnorm);
    for (int a = 0; a < narticles; a++)
        m->cnorm[a] = (float)sqrt(norm[a]);
    free(norm);
    free(m->pool);
    free(m->df);
    m->pool = NULL;
    m->df = NULL;
    m->npool = m->cappool = m->capdf = 0;
    dense_build(m);
    m->acc = mem_zalloc(m->dstride, sizeof *m->acc);
    m->touched = mem_alloc((size_t)narticles * sizeof *m->touched);
    m->mark = mem_zalloc((size_t)narticles, 1);
    suggest_embed_build(m->embed, narticles, m->idf, m->idf_max);
    train(m, examples, nex);
    free(examples);
    free(m->cnorm);
    m->cnorm = NULL;
    return 0;
}

/* Adds weight x cosine(text, article) to acc for every article sharing a feature; returns
 * the new count of touched articles. With untracked, the touched articles are not listed
 * (nor marked): the caller then reads every article's acc and clears it whole. */
static int accumulate(suggest_intent *m, const char *text, float weight, int ntouched, float *q, bool *embedded,
                      bool untracked)
{
    char words[WORDS_MAX][INTENT_WORD_MAX], raw[WORDS_MAX][INTENT_WORD_MAX];
    int nw = suggest_intent_words(m->syn, text, words, raw, WORDS_MAX);
    embed_word ew[WORDS_MAX];
    int ne = 0;
    if (m->embed) {
        ne = embed_words(m, words, raw, nw, ew);
        if (suggest_embed_text(m->embed, ew, ne, m->idf, m->idf_max, weight, q))
            *embedded = true;
    }
    /* the text's own features, then its words' neighbours */
    raw_feat f[FEATURES_MAX + WORDS_MAX * EMBED_NEIGHBOURS];
    uint32_t ids[FEATURES_MAX + WORDS_MAX * EMBED_NEIGHBOURS];
    int n = raw_features(words, nw, f, FEATURES_MAX);
    double norm = 0;
    for (int i = 0; i < n; i++) {
        ids[i] = vocab_id(m, f[i].hash, false);
        f[i].w *= ids[i] == UINT32_MAX ? m->idf_max : m->idf[ids[i]];
        norm += (double)f[i].w * f[i].w;
    }
    int own = n;
    for (int j = 0; j < ne; j++) {
        uint32_t nf[EMBED_NEIGHBOURS];
        float cos[EMBED_NEIGHBOURS];
        int nn = suggest_embed_neighbours(m->embed, &ew[j], nf, cos);
        float idf = ew[j].feature == UINT32_MAX ? m->idf_max : m->idf[ew[j].feature];
        for (int t = 0; t < nn; t++) {
            int i = 0;
            while (i < n && ids[i] != nf[t])
                i++;
            /* a word the text itself says already counts in full */
            if (i < own)
                continue;
            if (i == n) {
                ids[n] = nf[t];
                f[n++] = (raw_feat){0, 0};
            }
            f[i].w += W_NEIGHBOUR * cos[t] * W_WORD * idf;
        }
    }
    /* the neighbours count in the query's length too: an utterance about something else
     * gains as much length as score from them, and the confidence keeps its meaning */
    for (int i = own; i < n; i++)
        norm += (double)f[i].w * f[i].w;
    if (norm <= 0)
        return ntouched;
    float inv = weight * (float)(1 / sqrt(norm));
    pending_col pending = {NULL, 0};
    for (int i = 0; i < n && untracked; i++)
        if (ids[i] != UINT32_MAX)
            add_feature(m, ids[i], f[i].w * inv, &pending);
    add_flush(m, &pending);
    for (int i = 0; i < n && !untracked; i++) {
        if (ids[i] == UINT32_MAX)
            continue;
        float q = f[i].w * inv;
        for (uint32_t p = m->start[ids[i]]; p < m->start[ids[i] + 1]; p++) {
            uint32_t a = m->post_article[p];
            if (!m->mark[a]) {
                m->mark[a] = 1;
                m->touched[ntouched++] = (int)a;
            }
            m->acc[a] += q * m->post_w[p];
        }
    }
    return ntouched;
}

int suggest_intent_query_many(suggest_intent *m, const char *const *texts, const float *weights, int ntexts,
                              intent_hit *out, int max)
{
    if (!m || !m->built || !m->acc || max <= 0)
        return 0;
    if (max > INTENT_TOP_MAX)
        max = INTENT_TOP_MAX;
    int ntouched = 0;
    float q[WORDVEC_DIMS_MAX] = {0};
    bool embedded = false;
    const float *sem = NULL;
    /* with word vectors every article is a candidate (below), in their order: the touched
     * ones need no list, whose branch per posting was a third of the query; a query none of
     * whose words has a vector (rare) is walked again with the list, which orders the
     * candidates then */
    bool untracked = m->embed != NULL;
    for (int t = 0; t < ntexts; t++)
        if (texts[t] && weights[t] > 0)
            ntouched = accumulate(m, texts[t], weights[t], ntouched, q, &embedded, untracked);
    if (untracked && !embedded) {
        memset(m->acc, 0, (size_t)m->narticles * sizeof *m->acc);
        for (int t = 0; t < ntexts; t++)
            if (texts[t] && weights[t] > 0)
                ntouched = accumulate(m, texts[t], weights[t], ntouched, q, &embedded, false);
    }
    /* the vectors' opinion, for every article: a paraphrase shares no feature with the
     * examples of its article (a dense pass, articles x 48 directions); then every article
     * is a candidate, touched or not */
    if (embedded)
        sem = suggest_embed_scores(m->embed, q);
    int n = 0, ncand = sem ? m->narticles : ntouched;
    for (int i = 0; i < ncand; i++) {
        int a = sem ? i : m->touched[i];
        float s = m->acc[a] + (sem ? W_VECTOR * (sem[a] > 0 ? sem[a] : 0) - VECTOR_SHIFT : 0);
        if (!sem) {
            m->acc[a] = 0;
            m->mark[a] = 0;
        }
        if (s <= 0 || (n == max && s <= out[n - 1].score))
            continue;
        int k = n < max ? n++ : n - 1;
        while (k > 0 && out[k - 1].score < s) {
            out[k] = out[k - 1];
            k--;
        }
        out[k] = (intent_hit){a, s};
    }
    if (sem)
        memset(m->acc, 0, (size_t)m->narticles * sizeof *m->acc);
    return n;
}

int suggest_intent_query(suggest_intent *m, const char *text, intent_hit *out, int max)
{
    const float one = 1;
    return suggest_intent_query_many(m, &text, &one, 1, out, max);
}
