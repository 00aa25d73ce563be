/* suggest_bm25.h — BM25 over the knowledge base's text in memory, scoring exactly as SQLite
 * FTS5's bm25() does for kb_fts, so the suggestion ranking reads no database per utterance.
 *
 * The documents are the articles in kb.rowid order (doc i is the i-th row), their columns
 * title, body and tags, their tokens those of kb_fts's tokenizer (porter unicode61, fed by
 * the caller). A query is the phrases of an FTS5 MATCH expression of single-token phrases,
 * in the order they appear in it (a term written twice is two phrases, as FTS5 counts it),
 * of which the first `nmatch` choose the rows: those holding at least one of them. For
 * "(a OR b) AND (a OR b OR c OR d)" that is a, b, a, b, c, d with nmatch 2. FTS5's bm25 with
 * column weights w (ext/fts5/fts5_aux.c, fts5Bm25Function), per row:
 *
 *   sum over phrases i of  IDF(i) * f(i) * (k1 + 1) / (f(i) + k1 * (1 - b + b * D / avgdl))
 *
 * f(i): the weights of the columns of every occurrence of phrase i in the row; D: the row's
 * tokens over all columns; avgdl: all tokens over the number of rows; k1 1.2, b 0.75;
 * IDF(i) = log((N - n(i) + 0.5) / (n(i) + 0.5)) over N rows, n(i) of which hold the phrase,
 * and 1e-6 where that is not positive. The operations are FTS5's, in its order, so the
 * doubles are the same bit for bit (tests/unit/test_suggest_bm25.c compares them with
 * SQLite's). The best rows come out as ORDER BY bm25 LIMIT n gives them: by score, a tie in
 * row order.
 *
 * Postings by term: a query costs the postings of its terms, not the size of the knowledge
 * base, and allocates nothing. */
#ifndef AGENTDESK_HUB_ASSIST_SUGGEST_BM25_H
#define AGENTDESK_HUB_ASSIST_SUGGEST_BM25_H

#include <stdbool.h>

#define SUGGEST_BM25_COLUMNS 3     /* title, body, tags: kb_fts's columns, in its order */
#define SUGGEST_BM25_PHRASES 32    /* most phrases in one query */
#define SUGGEST_BM25_TOKEN_MAX 32768   /* FTS5 indexes at most this many bytes of a token */

typedef struct suggest_bm25 suggest_bm25;

typedef struct {
    int doc;
    double score;   /* -bm25(): positive, higher is better */
} suggest_bm25_hit;

suggest_bm25 *suggest_bm25_new(void);
void suggest_bm25_free(suggest_bm25 *b);

/* Indexing: the documents in order, each its tokens column by column, then
 * suggest_bm25_end_doc; suggest_bm25_finish once after the last. */
void suggest_bm25_token(suggest_bm25 *b, int column, const char *token, int ntoken);
void suggest_bm25_end_doc(suggest_bm25 *b);
void suggest_bm25_finish(suggest_bm25 *b);

/* Documents indexed (N). */
int suggest_bm25_docs(const suggest_bm25 *b);
/* How many documents hold the token (NUL-terminated). */
int suggest_bm25_df(const suggest_bm25 *b, const char *token);

/* The best `max` rows for the phrases (NUL-terminated tokens) phrases[0..n), the rows those
 * holding one of phrases[0..nmatch), with the column weights: written to out best first,
 * returns how many. 0 when n is above SUGGEST_BM25_PHRASES or nmatch not in 1..n. */
int suggest_bm25_query(const suggest_bm25 *b, const char *const *phrases, int n, int nmatch,
                       const double weights[SUGGEST_BM25_COLUMNS], suggest_bm25_hit *out, int max);

#endif
