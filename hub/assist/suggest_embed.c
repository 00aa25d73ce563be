/* suggest_embed.c — article vectors from pre-trained word vectors (see suggest_embed.h). */
#include "hub/assist/suggest_embed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

/* Four floats at once (GCC and Clang vector extension): the scores' loop, which -O2 would
 * leave scalar, in a quarter of the instructions */
typedef float v4 __attribute__((vector_size(16)));
/* Articles scored together: BLOCK / 4 sums stay in registers down the dimensions, and a
 * block's vectors are contiguous (dimension by dimension, BLOCK articles each) */
#define BLOCK 16
/* The articles' vectors are scored in their KEPT principal directions, not in all the
 * dimensions of the word vectors: half the query's multiply-adds. Tuned on CLINC150 val
 * (bench_relevance): 100 (all), 64, 48, 32 kept gave top-1 0.780 0.781 0.780 0.778 at 10
 * phrasings and the demo scenarios' key 1 right 26 26 26 25 of 29 (bench_assist) */
#define KEPT 48
#define KEPT_STRIDE ((KEPT + 3) / 4 * 4)   /* floats of one dimension in the basis */
/* A neighbour (suggest_embed_neighbours) is at least this close ("move"/"transfer" are 0.62
 * in data/wordvec.bin, "vacation"/"holiday" 0.71, "money"/"funds" 0.85). Tuned with the
 * neighbours' weight (suggest_intent.c) on CLINC150 val: 0.4, 0.45, 0.5, 0.55 gave top-1
 * 0.793 0.795 0.794 0.793 at 10 phrasings (with lighter character n-grams) */
#define NEIGHBOUR_MIN 0.5f

/* A word's neighbours, once searched */
typedef struct {
    uint32_t feature[EMBED_NEIGHBOURS];
    float cosine[EMBED_NEIGHBOURS];
    int n;
} neighbours;

typedef struct {
    int article;     /* -1: a word of the example started by the last header */
    int n;           /* a header: how many words follow */
    embed_word w;
} entry;

struct suggest_embed {
    const wordvec *wv;
    int dims, narticles;
    int kept;               /* principal directions scored: min(KEPT, dims) */
    float *basis;           /* dims x KEPT_STRIDE: those directions (unit length) by dimension */
    size_t stride;          /* narticles rounded up to a multiple of BLOCK */
    v4 *scores;             /* stride / 4 */
    entry *pool;            /* the examples while building: a header, then its words */
    size_t npool, cap;
    float *mean;            /* dims: the mean of the examples' unit vectors */
    float *article;         /* building: narticles x dims, unit (zero: no example had a vector);
                             * built: projected on the basis, by block of BLOCK articles */
    /* the examples' words, one per stem (the first form seen), for the neighbours' search */
    int nknown;
    size_t known_stride;    /* dims rounded up to a multiple of 4 */
    uint32_t *known_feature;
    float *known;           /* nknown x known_stride, unit */
    int32_t *searched;      /* by wordvec index: into found, or -1 (not searched yet); 4 bytes
                             * a word of the file (120 kB for data/wordvec.bin) */
    neighbours *found;
    size_t nfound, capfound;
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
    free(e->basis);
    free(e->known_feature);
    free(e->known);
    free(e->searched);
    free(e->found);
    free(e);
}

const wordvec *suggest_embed_vectors(const suggest_embed *e)
{
    return e ? e->wv : NULL;
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

/* The eigenvectors of the symmetric n x n matrix a (overwritten) into the columns of v, by
 * cyclic Jacobi rotations (Numerical Recipes, 11.1); the eigenvalues end on a's diagonal. */
static void jacobi(double *a, int n, double *v)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < n; k++)
            v[i * n + k] = i == k;
    for (int sweep = 0; sweep < 50; sweep++) {
        double off = 0, diag = 0;
        for (int p = 0; p < n; p++) {
            diag += a[p * n + p] * a[p * n + p];
            for (int q = p + 1; q < n; q++)
                off += a[p * n + q] * a[p * n + q];
        }
        if (off <= 1e-22 * diag)
            return;
        for (int p = 0; p < n; p++)
            for (int q = p + 1; q < n; q++) {
                double apq = a[p * n + q];
                if (fabs(apq) < 1e-300)
                    continue;
                double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                double t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
                double c = 1 / sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; k++) {
                    double kp = a[k * n + p], kq = a[k * n + q];
                    a[k * n + p] = c * kp - s * kq;
                    a[k * n + q] = s * kp + c * kq;
                }
                for (int k = 0; k < n; k++) {
                    double pk = a[p * n + k], qk = a[q * n + k];
                    a[p * n + k] = c * pk - s * qk;
                    a[q * n + k] = s * pk + c * qk;
                }
                for (int k = 0; k < n; k++) {
                    double kp = v[k * n + p], kq = v[k * n + q];
                    v[k * n + p] = c * kp - s * kq;
                    v[k * n + q] = s * kp + c * kq;
                }
            }
    }
}

/* e->basis: the KEPT directions in which the articles' (unit) vectors vary most, the
 * leading eigenvectors of the sum of their outer products. An article's score is then
 * the query's dot product with the article's vector projected on them, which is its
 * cosine less what the article has outside them (little: it is what the articles have
 * least of). */
static void principal(suggest_embed *e)
{
    int n = e->dims;
    e->kept = KEPT < n ? KEPT : n;
    double *cov = mem_zalloc((size_t)n * (size_t)n, sizeof *cov), *vec = mem_alloc((size_t)n * (size_t)n * sizeof *vec);
    for (int a = 0; a < e->narticles; a++) {
        const float *c = e->article + (size_t)a * (size_t)n;
        for (int i = 0; i < n; i++)
            for (int k = i; k < n; k++)
                cov[i * n + k] += (double)c[i] * c[k];
    }
    for (int i = 0; i < n; i++)
        for (int k = 0; k < i; k++)
            cov[i * n + k] = cov[k * n + i];
    jacobi(cov, n, vec);
    int *order = mem_alloc((size_t)n * sizeof *order);
    for (int i = 0; i < n; i++) {
        int k = i;
        for (; k > 0 && cov[order[k - 1] * n + order[k - 1]] < cov[i * n + i]; k--)
            order[k] = order[k - 1];
        order[k] = i;
    }
    e->basis = mem_zalloc((size_t)n * KEPT_STRIDE, sizeof *e->basis);
    for (int j = 0; j < e->kept; j++)
        for (int d = 0; d < n; d++)
            e->basis[(size_t)d * KEPT_STRIDE + (size_t)j] = (float)vec[d * n + order[j]];
    free(order);
    free(cov);
    free(vec);
}

static int by_feature(const void *a, const void *b)
{
    const embed_word *x = a, *y = b;
    return x->feature < y->feature ? -1 : x->feature > y->feature;
}

/* e->known: the examples' words with a vector, one per stem (the neighbours' candidates). */
static void know_words(suggest_embed *e)
{
    size_t n = 0;
    embed_word *w = mem_alloc((e->npool ? e->npool : 1) * sizeof *w);
    for (size_t i = 0; i < e->npool; i++)
        if (e->pool[i].article < 0 && e->pool[i].w.feature != UINT32_MAX)
            w[n++] = e->pool[i].w;
    /* stable enough: the first form of a stem wins whatever qsort does with equal keys, as
     * any form's vector serves; sorting makes the known words' order the features' */
    qsort(w, n, sizeof *w, by_feature);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || w[k - 1].feature != w[i].feature)
            w[k++] = w[i];
    e->nknown = (int)k;
    e->known_stride = ((size_t)e->dims + 3) / 4 * 4;
    e->known_feature = mem_alloc((k ? k : 1) * sizeof *e->known_feature);
    e->known = mem_zalloc((k ? k : 1) * e->known_stride, sizeof *e->known);
    for (size_t i = 0; i < k; i++) {
        e->known_feature[i] = w[i].feature;
        wordvec_add(e->wv, w[i].vec, 1, e->known + i * e->known_stride);
    }
    free(w);
    size_t nwords = wordvec_count(e->wv);
    e->searched = mem_alloc((nwords ? nwords : 1) * sizeof *e->searched);
    for (size_t i = 0; i < nwords; i++)
        e->searched[i] = -1;
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
    int dims = e->dims;
    for (int a = 0; a < narticles; a++) {
        float *c = e->article + (size_t)a * (size_t)dims;
        double sq = 0;
        for (int d = 0; d < dims; d++)
            sq += (double)c[d] * c[d];
        float inv = sq > 0 ? (float)(1 / sqrt(sq)) : 0;
        for (int d = 0; d < dims; d++)
            c[d] *= inv;
    }
    principal(e);
    know_words(e);
    /* projected on the basis, and stored by block of BLOCK articles, direction by direction
     * in a block: the scores' loop keeps a block's sums in registers */
    int k = e->kept;
    e->stride = ((size_t)narticles + BLOCK - 1) / BLOCK * BLOCK;
    /* malloc's alignment (16 on the 64-bit targets) suits v4; the padding stays 0 */
    float *blocked = mem_zalloc(e->stride * (size_t)k, sizeof *blocked);
    e->scores = mem_zalloc(e->stride / 4, sizeof *e->scores);
    for (int a = 0; a < narticles; a++) {
        const float *c = e->article + (size_t)a * (size_t)dims;
        for (int j = 0; j < k; j++) {
            float x = 0;
            for (int d = 0; d < dims; d++)
                x += e->basis[(size_t)d * KEPT_STRIDE + (size_t)j] * c[d];
            blocked[((size_t)a / BLOCK * (size_t)k + (size_t)j) * BLOCK + (size_t)a % BLOCK] = x;
        }
    }
    free(e->article);
    e->article = blocked;
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
    int dims = e->kept;
    /* q on the basis: the basis is stored by dimension, so that the sums run in v4 */
    v4 qk[(KEPT + 3) / 4] = {{0}};
    for (int d = 0; d < e->dims; d++) {
        const v4 *b = (const v4 *)(e->basis + (size_t)d * KEPT_STRIDE);
        v4 k = {q[d], q[d], q[d], q[d]};
        for (int j = 0; j < (dims + 3) / 4; j++)
            qk[j] += k * b[j];
    }
    q = (const float *)qk;
    const v4 *c = (const v4 *)e->article;
    for (size_t b = 0; b < e->stride / BLOCK; b++) {
        v4 s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
        for (int d = 0; d < dims; d++, c += BLOCK / 4) {
            v4 k = {q[d], q[d], q[d], q[d]};
            s0 += k * c[0];
            s1 += k * c[1];
            s2 += k * c[2];
            s3 += k * c[3];
        }
        v4 *out = e->scores + b * (BLOCK / 4);
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
    }
    return (const float *)e->scores;
}

int suggest_embed_neighbours(suggest_embed *e, const embed_word *w, uint32_t *feature, float *cosine)
{
    if (!e || !e->searched || w->vec < 0 || (size_t)w->vec >= wordvec_count(e->wv))
        return 0;
    if (e->searched[w->vec] < 0) {
        neighbours nb = {.n = 0};
        float v[WORDVEC_DIMS_MAX + 4] = {0};
        wordvec_add(e->wv, w->vec, 1, v);
        for (int k = 0; k < e->nknown; k++) {
            /* the stride is a multiple of 4 and the padding 0: the dot product in v4 */
            const v4 *a = (const v4 *)(e->known + (size_t)k * e->known_stride);
            v4 s = {0};
            for (size_t d = 0; d < e->known_stride / 4; d++) {
                v4 x;
                memcpy(&x, v + 4 * d, sizeof x);
                s += x * a[d];
            }
            float c = s[0] + s[1] + s[2] + s[3];
            if (c < NEIGHBOUR_MIN || e->known_feature[k] == w->feature ||
                (nb.n == EMBED_NEIGHBOURS && c <= nb.cosine[nb.n - 1]))
                continue;
            int t = nb.n < EMBED_NEIGHBOURS ? nb.n++ : nb.n - 1;
            for (; t > 0 && nb.cosine[t - 1] < c; t--) {
                nb.cosine[t] = nb.cosine[t - 1];
                nb.feature[t] = nb.feature[t - 1];
            }
            nb.cosine[t] = c;
            nb.feature[t] = e->known_feature[k];
        }
        if (e->nfound == e->capfound) {
            e->capfound = e->capfound ? e->capfound * 2 : 256;
            e->found = mem_realloc(e->found, e->capfound * sizeof *e->found);
        }
        e->found[e->nfound] = nb;
        e->searched[w->vec] = (int32_t)e->nfound++;
    }
    const neighbours *nb = &e->found[e->searched[w->vec]];
    for (int i = 0; i < nb->n; i++) {
        feature[i] = nb->feature[i];
        cosine[i] = nb->cosine[i];
    }
    return nb->n;
}
