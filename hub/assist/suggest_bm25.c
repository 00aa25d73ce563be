/* suggest_bm25.c — BM25 over the knowledge base in memory, as FTS5 scores it (see
 * suggest_bm25.h). */
#include "hub/assist/suggest_bm25.h"
#include "base/mem.h"
#include "base/strhash.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int doc;
    unsigned tf[SUGGEST_BM25_COLUMNS];   /* occurrences in each column */
} posting;

typedef struct {
    size_t key;      /* offset of its bytes in the pool */
    int len;
    int first, df;   /* its postings: post[first .. first + df), in document order */
    int cur;         /* while indexing: its entry in the current document's list, or -1 */
} term;

typedef struct {
    int term;
    unsigned tf[SUGGEST_BM25_COLUMNS];
} doc_term;

struct suggest_bm25 {
    term *terms;
    int nterms, capterms;
    int *slots;          /* term index + 1, 0 for an empty slot; a power of two of them */
    size_t nslots;
    char *pool;
    size_t npool, cappool;
    doc_term *cur;       /* the current document's terms */
    int ncur, capcur;
    int curlen;          /* its tokens so far */
    posting *post;       /* while indexing, in document order, post_term[] beside them; then by term */
    int *post_term;
    int npost, cappost;
    int *doclen;         /* tokens of each document, all columns */
    int ndocs, capdocs;
    long long total;     /* tokens of all documents */
    bool finished;
};

suggest_bm25 *suggest_bm25_new(void)
{
    suggest_bm25 *b = mem_zalloc(1, sizeof *b);
    b->nslots = 1024;
    b->slots = mem_zalloc(b->nslots, sizeof *b->slots);
    return b;
}

void suggest_bm25_free(suggest_bm25 *b)
{
    if (!b)
        return;
    free(b->terms);
    free(b->slots);
    free(b->pool);
    free(b->cur);
    free(b->post);
    free(b->post_term);
    free(b->doclen);
    free(b);
}

static size_t slot_of(const char *token, int n, size_t nslots)
{
    return (size_t)strhash_fnv1a64(STRHASH64_SEED, token, (size_t)n) & (nslots - 1);
}

/* The term's index, or -1. */
static int lookup(const suggest_bm25 *b, const char *token, int n)
{
    for (size_t i = slot_of(token, n, b->nslots);; i = (i + 1) & (b->nslots - 1)) {
        int t = b->slots[i] - 1;
        if (t < 0)
            return -1;
        if (b->terms[t].len == n && !memcmp(b->pool + b->terms[t].key, token, (size_t)n))
            return t;
    }
}

static void grow_slots(suggest_bm25 *b)
{
    size_t nslots = b->nslots * 2;
    int *slots = mem_zalloc(nslots, sizeof *slots);
    for (int t = 0; t < b->nterms; t++) {
        size_t i = slot_of(b->pool + b->terms[t].key, b->terms[t].len, nslots);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = t + 1;
    }
    free(b->slots);
    b->slots = slots;
    b->nslots = nslots;
}

static int add_term(suggest_bm25 *b, const char *token, int n)
{
    if ((size_t)(b->nterms + 1) * 2 > b->nslots)
        grow_slots(b);
    if (b->nterms == b->capterms) {
        b->capterms = b->capterms ? b->capterms * 2 : 1024;
        b->terms = mem_realloc(b->terms, (size_t)b->capterms * sizeof *b->terms);
    }
    if (b->npool + (size_t)n > b->cappool) {
        while (b->npool + (size_t)n > b->cappool)
            b->cappool = b->cappool ? b->cappool * 2 : 16384;
        b->pool = mem_realloc(b->pool, b->cappool);
    }
    memcpy(b->pool + b->npool, token, (size_t)n);
    int t = b->nterms++;
    b->terms[t] = (term){.key = b->npool, .len = n, .first = 0, .df = 0, .cur = -1};
    b->npool += (size_t)n;
    size_t i = slot_of(token, n, b->nslots);
    while (b->slots[i])
        i = (i + 1) & (b->nslots - 1);
    b->slots[i] = t + 1;
    return t;
}

void suggest_bm25_token(suggest_bm25 *b, int column, const char *token, int ntoken)
{
    if (!b || b->finished || column < 0 || column >= SUGGEST_BM25_COLUMNS || ntoken < 0 || (!token && ntoken))
        return;
    /* as fts5StorageInsertCallback: every token counts in the row's size, a long one is
     * indexed by its first SUGGEST_BM25_TOKEN_MAX bytes */
    if (ntoken > SUGGEST_BM25_TOKEN_MAX)
        ntoken = SUGGEST_BM25_TOKEN_MAX;
    b->curlen++;
    int t = lookup(b, token ? token : "", ntoken);
    if (t < 0)
        t = add_term(b, token ? token : "", ntoken);
    if (b->terms[t].cur < 0) {
        if (b->ncur == b->capcur) {
            b->capcur = b->capcur ? b->capcur * 2 : 256;
            b->cur = mem_realloc(b->cur, (size_t)b->capcur * sizeof *b->cur);
        }
        b->terms[t].cur = b->ncur;
        b->cur[b->ncur++] = (doc_term){.term = t};
    }
    b->cur[b->terms[t].cur].tf[column]++;
}

void suggest_bm25_end_doc(suggest_bm25 *b)
{
    if (!b || b->finished)
        return;
    if (b->npost + b->ncur > b->cappost) {
        while (b->npost + b->ncur > b->cappost)
            b->cappost = b->cappost ? b->cappost * 2 : 4096;
        b->post = mem_realloc(b->post, (size_t)b->cappost * sizeof *b->post);
        b->post_term = mem_realloc(b->post_term, (size_t)b->cappost * sizeof *b->post_term);
    }
    for (int k = 0; k < b->ncur; k++) {
        posting *p = &b->post[b->npost];
        p->doc = b->ndocs;
        memcpy(p->tf, b->cur[k].tf, sizeof p->tf);
        b->post_term[b->npost++] = b->cur[k].term;
        b->terms[b->cur[k].term].cur = -1;
        b->terms[b->cur[k].term].df++;
    }
    b->ncur = 0;
    if (b->ndocs == b->capdocs) {
        b->capdocs = b->capdocs ? b->capdocs * 2 : 1024;
        b->doclen = mem_realloc(b->doclen, (size_t)b->capdocs * sizeof *b->doclen);
    }
    b->doclen[b->ndocs++] = b->curlen;
    b->total += b->curlen;
    b->curlen = 0;
}

void suggest_bm25_finish(suggest_bm25 *b)
{
    if (!b || b->finished)
        return;
    /* by term, each term's postings staying in document order (a counting sort) */
    int at = 0;
    for (int t = 0; t < b->nterms; t++) {
        b->terms[t].first = at;
        at += b->terms[t].df;
    }
    posting *sorted = mem_alloc((size_t)(b->npost ? b->npost : 1) * sizeof *sorted);
    int *fill = mem_zalloc((size_t)(b->nterms ? b->nterms : 1), sizeof *fill);
    for (int k = 0; k < b->npost; k++) {
        int t = b->post_term[k];
        sorted[b->terms[t].first + fill[t]++] = b->post[k];
    }
    free(fill);
    free(b->post);
    free(b->post_term);
    free(b->cur);
    b->post = sorted;
    b->post_term = NULL;
    b->cur = NULL;
    b->capcur = b->ncur = 0;
    b->finished = true;
}

int suggest_bm25_docs(const suggest_bm25 *b)
{
    return b ? b->ndocs : 0;
}

int suggest_bm25_df(const suggest_bm25 *b, const char *token)
{
    if (!b || !token)
        return 0;
    size_t n = strlen(token);
    int t = lookup(b, token, n > SUGGEST_BM25_TOKEN_MAX ? SUGGEST_BM25_TOKEN_MAX : (int)n);
    return t < 0 ? 0 : b->terms[t].df;
}

/* Keeps out[0..*got) the best `max` by score, a tie to the earlier row: SQLite's ORDER BY
 * LIMIT keeps the first rows of a tie (its sorter's key is the score and the row's arrival). */
static void keep_best(suggest_bm25_hit *out, int *got, int max, int doc, double score)
{
    if (*got == max && !(score > out[max - 1].score))
        return;
    int i = *got < max ? (*got)++ : max - 1;
    for (; i > 0 && score > out[i - 1].score; i--)
        out[i] = out[i - 1];
    out[i] = (suggest_bm25_hit){doc, score};
}

int suggest_bm25_query(const suggest_bm25 *b, const char *const *phrases, int n, int nmatch,
                       const double weights[SUGGEST_BM25_COLUMNS], suggest_bm25_hit *out, int max)
{
    if (!b || !b->finished || !phrases || !weights || !out || n < 1 || n > SUGGEST_BM25_PHRASES || nmatch < 1 ||
        nmatch > n || max <= 0 || b->ndocs <= 0)
        return 0;
    /* the distinct terms (a term twice in the expression is read once) */
    int of[SUGGEST_BM25_PHRASES], tid[SUGGEST_BM25_PHRASES], pos[SUGGEST_BM25_PHRASES], end[SUGGEST_BM25_PHRASES];
    bool chooses[SUGGEST_BM25_PHRASES];
    double idf[SUGGEST_BM25_PHRASES], f[SUGGEST_BM25_PHRASES];
    int nd = 0;
    const long long nrow = b->ndocs;
    for (int i = 0; i < n; i++) {
        if (!phrases[i])
            return 0;
        size_t len = strlen(phrases[i]);
        int t = lookup(b, phrases[i], len > SUGGEST_BM25_TOKEN_MAX ? SUGGEST_BM25_TOKEN_MAX : (int)len);
        int j = 0;
        while (j < nd && tid[j] != t)
            j++;
        if (j == nd) {
            tid[nd] = t;
            chooses[nd] = false;
            pos[nd] = t < 0 ? 0 : b->terms[t].first;
            end[nd] = t < 0 ? 0 : b->terms[t].first + b->terms[t].df;
            nd++;
        }
        of[i] = j;
        chooses[j] = chooses[j] || i < nmatch;
        /* fts5Bm25GetData: the IDF of each phrase, from the rows that hold it */
        long long nhit = t < 0 ? 0 : b->terms[t].df;
        idf[i] = log((nrow - nhit + 0.5) / (nhit + 0.5));
        if (idf[i] <= 0.0)
            idf[i] = 1e-6;
    }
    const double avgdl = (double)b->total / (double)nrow;
    const double k1 = 1.2, bb = 0.75;
    int got = 0;
    for (;;) {
        /* the next row, in rowid order as FTS5 walks them, holding a choosing term */
        int doc = INT_MAX;
        for (int j = 0; j < nd; j++)
            if (chooses[j] && pos[j] < end[j] && b->post[pos[j]].doc < doc)
                doc = b->post[pos[j]].doc;
        if (doc == INT_MAX)
            break;
        for (int j = 0; j < nd; j++) {
            while (pos[j] < end[j] && b->post[pos[j]].doc < doc)
                pos[j]++;
            f[j] = 0.0;
            if (pos[j] < end[j] && b->post[pos[j]].doc == doc) {
                /* fts5Bm25Function: the column's weight added per occurrence, in position
                 * order (one column after the other) */
                const posting *p = &b->post[pos[j]++];
                for (int c = 0; c < SUGGEST_BM25_COLUMNS; c++)
                    for (unsigned k = 0; k < p->tf[c]; k++)
                        f[j] += weights[c];
            }
        }
        /* FTS5's expression, operation for operation: the same double where neither side
         * fuses a multiply-add (-std=c11 does not here; Debian's x86-64 SQLite cannot) */
        double D = (double)b->doclen[doc];
        double score = 0.0;
        for (int i = 0; i < n; i++) {
            double fi = f[of[i]];
            score += idf[i] * ((fi * (k1 + 1.0)) / (fi + k1 * (1 - bb + bb * D / avgdl)));
        }
        keep_best(out, &got, max, doc, score);
    }
    return got;
}
