/* suggest_embed.c — article vectors from pre-trained word vectors (see suggest_embed.h). */
#include "hub/assist/suggest_embed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* Four floats at once (GCC and Clang vector extension): the scores' loop, which -O2 would
 * leave scalar, in a quarter of the instructions */
typedef float v4 __attribute__((vector_size(16)));

typedef struct {
    int article;     /* -1: a word of the example started by the last header */
    int n;           /* a header: how many words follow */
    embed_word w;
} entry;

struct suggest_embed {
    const wordvec *wv;
    int dims, narticles;
    size_t stride;          /* narticles rounded up to a multiple of 4 */
    v4 *scores;             /* stride / 4 */
    entry *pool;            /* the examples while building: a header, then its words */
    size_t npool, cap;
    float *mean;            /* dims: the mean of the examples' unit vectors */
    float *article;         /* dims x narticles: unit vectors (zero: no example had a vector) */
};

suggest_embed *suggest_embed_new(const wordvec *wv)
{
    if (!wv || wordvec_dims(wv) <= 0)
        return NULL;
    suggest_embed *e = mem_zalloc(1, sizeof *e);
    e->wv = wv;
    e->dims = wordvec_dims(wv);
    e->mean = mem_zalloc((size_t)e->dims, sizeof *e->mean);
    return e;
}

void suggest_embed_free(suggest_embed *e)
{
    if (!e)
        return;
    free(e->pool);
    free(e->mean);
    free(e->article);
    free(e->scores);
    free(e);
}

const wordvec *suggest_embed_vectors(const suggest_embed *e)
{
    return e ? e->wv : NULL;
}

int suggest_embed_dims(const suggest_embed *e)
{
    return e ? e->dims : 0;
}

void suggest_embed_add(suggest_embed *e, int article, const embed_word *w, int n)
{
    if (!e || article < 0 || n <= 0 || e->article)
        return;
    if (e->npool + (size_t)n + 1 > e->cap) {
        e->cap = (e->cap + (size_t)n + 1) * 2;
        e->pool = mem_realloc(e->pool, e->cap * sizeof *e->pool);
    }
    e->pool[e->npool++] = (entry){article, n, {-1, 0}};
    for (int i = 0; i < n; i++)
        e->pool[e->npool++] = (entry){-1, 0, w[i]};
}

/* out = the IDF-weighted sum of the words' unit vectors at unit length; false when zero. */
static bool raw_vector(const suggest_embed *e, const embed_word *w, int n, const float *idf, float idf_max,
                       float *out)
{
    memset(out, 0, (size_t)e->dims * sizeof *out);
    for (int i = 0; i < n; i++)
        wordvec_add(e->wv, w[i].vec, w[i].feature == UINT32_MAX ? idf_max : idf[w[i].feature], out);
    double sq = 0;
    for (int d = 0; d < e->dims; d++)
        sq += (double)out[d] * out[d];
    if (sq <= 0)
        return false;
    float inv = (float)(1 / sqrt(sq));
    for (int d = 0; d < e->dims; d++)
        out[d] *= inv;
    return true;
}

/* v - mean, at unit length; false when that is zero. */
static bool centre(const suggest_embed *e, float *v)
{
    double sq = 0;
    for (int d = 0; d < e->dims; d++) {
        v[d] -= e->mean[d];
        sq += (double)v[d] * v[d];
    }
    if (sq <= 1e-12)
        return false;
    float inv = (float)(1 / sqrt(sq));
    for (int d = 0; d < e->dims; d++)
        v[d] *= inv;
    return true;
}

void suggest_embed_build(suggest_embed *e, int narticles, const float *idf, float idf_max)
{
    if (!e || e->article || narticles <= 0)
        return;
    e->narticles = narticles;
    e->article = mem_zalloc((size_t)narticles * (size_t)e->dims, sizeof *e->article);
    float *v = mem_alloc((size_t)e->dims * sizeof *v);
    /* two passes over the examples: the mean, then the centred sums (recomputing an
     * example's vector costs less than keeping them all) */
    size_t nmean = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < e->npool; i += 1 + (size_t)e->pool[i].n) {
            const entry *h = &e->pool[i];
            embed_word w[256];
            int n = h->n < 256 ? h->n : 256;
            for (int k = 0; k < n; k++)
                w[k] = e->pool[i + 1 + (size_t)k].w;
            if (h->article >= narticles || !raw_vector(e, w, n, idf, idf_max, v))
                continue;
            if (pass == 0) {
                for (int d = 0; d < e->dims; d++)
                    e->mean[d] += v[d];
                nmean++;
            } else if (centre(e, v)) {
                float *a = e->article + (size_t)h->article * (size_t)e->dims;
                for (int d = 0; d < e->dims; d++)
                    a[d] += v[d];
            }
        }
        if (pass == 0 && nmean)
            for (int d = 0; d < e->dims; d++)
                e->mean[d] /= (float)nmean;
    }
    /* to unit length, and stored by dimension: the scores' loop runs over the articles
     * with no sum to carry, which the compiler vectorises */
    e->stride = ((size_t)narticles + 3) / 4 * 4;
    /* malloc's alignment (16 on the 64-bit targets) suits v4; the padding stays 0 */
    float *by_dim = mem_zalloc(e->stride * (size_t)e->dims, sizeof *by_dim);
    e->scores = mem_zalloc(e->stride / 4, sizeof *e->scores);
    for (int a = 0; a < narticles; a++) {
        float *c = e->article + (size_t)a * (size_t)e->dims;
        double sq = 0;
        for (int d = 0; d < e->dims; d++)
            sq += (double)c[d] * c[d];
        float inv = sq > 0 ? (float)(1 / sqrt(sq)) : 0;
        for (int d = 0; d < e->dims; d++)
            by_dim[(size_t)d * e->stride + (size_t)a] = c[d] * inv;
    }
    free(e->article);
    e->article = by_dim;
    free(v);
    free(e->pool);
    e->pool = NULL;
    e->npool = e->cap = 0;
}

bool suggest_embed_text(const suggest_embed *e, const embed_word *w, int n, const float *idf, float idf_max,
                        float weight, float *q)
{
    if (!e || !e->article || n <= 0)
        return false;
    float v[WORDVEC_DIMS_MAX];
    if (!raw_vector(e, w, n, idf, idf_max, v) || !centre(e, v))
        return false;
    for (int d = 0; d < e->dims; d++)
        q[d] += weight * v[d];
    return true;
}

const float *suggest_embed_scores(suggest_embed *e, const float *q)
{
    if (!e || !e->article)
        return NULL;
    size_t n4 = e->stride / 4;
    v4 *out = e->scores;
    memset(out, 0, n4 * sizeof *out);
    for (int d = 0; d < e->dims; d++) {
        const v4 *c = (const v4 *)(e->article + (size_t)d * e->stride);
        v4 k = {q[d], q[d], q[d], q[d]};
        for (size_t i = 0; i < n4; i++)
            out[i] += k * c[i];
    }
    return (const float *)out;
}
