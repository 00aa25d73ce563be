/* suggest_private.h — the suggester's state, shared by suggest.c (open, document
 * frequencies, content words, replies, feedback) and suggest_rank.c (the articles in
 * memory: the intent model, bm25, what a hit shows; the ranking): one module split for size. */
#ifndef AGENTDESK_HUB_ASSIST_SUGGEST_PRIVATE_H
#define AGENTDESK_HUB_ASSIST_SUGGEST_PRIVATE_H

#include "hub/assist/suggest.h"
#include "hub/assist/suggest_bm25.h"
#include "hub/assist/suggest_intent.h"

#define CANDIDATES_MAX 64   /* rows read back from one query, shown ones included */

/* Document frequency of every indexed token, by open addressing over a pool of stems. */
typedef struct {
    const char *stem;   /* NULL: empty slot */
    int df;
} df_slot;

/* An article as a hit shows it and the ranking moves it, read with the intent model: the
 * ranking of an utterance reads no database. Its strings are in suggest.kb_pool, KB_NULL
 * where the column is NULL. */
#define KB_NULL ((size_t)-1)
typedef struct {
    sqlite3_int64 rowid;
    size_t id, title, category, reply;
    double boost;
    bool unsettled;     /* boost written by a vote whose transaction had not ended */
} kb_article;

typedef struct {
    sqlite3_int64 rowid;
    int article;        /* index in suggest.kb, -1 for suggest_query's */
    double score;
    double bm25;        /* -bm25, higher is better; 0 when bm25 did not find it */
    double intent;      /* the intent model's score; 0 when it did not */
    char source[SUGGEST_SOURCE_LEN];
    char title[SUGGEST_TITLE_LEN];
} candidate;

struct suggest {
    sqlite3 *db;
    sqlite3_stmt *query, *reply, *prior, *feedback, *boost, *vocab, *total, *data_version, *averages, *begin, *commit;
    sqlite3_stmt *examples, *examples_sig, *shown, *boost_of, *vote_mark, *structure_rec;
    fts5_tokenizer tokenizer;
    Fts5Tokenizer *porter;
    df_slot *slots;
    size_t nslots;          /* a power of two, or 0 */
    char *pool;
    int articles;
    int version;            /* PRAGMA data_version when the table was built */
    unsigned char totals[256];   /* the averages record the table was built from */
    int ntotals;                 /* its length, -1 unknown */
    uint64_t structure;          /* hash of the index's structure record: any write to kb_fts moves it */
    double examples_state[3];    /* count, total length of examples, max rowid: a change rebuilds */
    suggest_intent *intent;      /* NULL when the knowledge base is empty, or stale */
    bool intent_stale;           /* the model is to be built before its next use */
    suggest_synonyms *synonyms;  /* NULL until suggest_use_synonyms */
    wordvec *vectors;            /* loaded with the synonyms; NULL when there are none */
    kb_article *kb;              /* the articles in kb.rowid order: the intent model's and bm25's */
    int nkb;                     /* 0 when stale, as the model */
    char *kb_pool;
    suggest_bm25 *text;          /* bm25 over their title, body and tags, as kb_fts scores it */
    int unsettled;               /* articles with .unsettled set */
    candidate cands[CANDIDATES_MAX];
};

/* Drops the intent model: it is built from kb (title, tags and examples of every article)
 * before its next use, or by suggest_use_synonyms. So opening and then setting the synonyms,
 * as the hub does, builds it once, not twice (the build is most of the suggester's start). */
void suggest_rank_load(suggest *s);
/* Did the examples change since the model was built? Remembers the new state. */
bool suggest_rank_examples_changed(suggest *s);
void suggest_rank_free(suggest *s);
/* Prepares the ranking's statements; false on failure. */
bool suggest_rank_prepare(suggest *s);
/* Another connection committed, changing neither the indexed text nor the examples: re-reads
 * what the articles show and their boosts (a different set of rows makes the model stale). */
void suggest_rank_reread(suggest *s);
/* The vote just stored moved article `rowid`'s boost to `boost`; inside a transaction it is
 * read again once that has ended (a rollback takes it back). */
void suggest_rank_boost_moved(suggest *s, sqlite3_int64 rowid, double boost);

/* The bm25 part of a ranking: the phrases of the FTS5 MATCH expression
 * ("lead1" OR …) AND ("lead1" OR … OR "context1" OR …) for r's finals, in its order, the
 * first nlead choosing the rows. */
typedef struct {
    const suggest_term *phrase[2 * SUGGEST_QUERY_TERMS + SUGGEST_CONTEXT_TERMS];
    int n, nlead;
} rank_query;
/* False when no word of r's is usable. */
bool suggest_rank_query_of(suggest *s, const suggest_recent *r, rank_query *q);
/* kb_fts's column weights in the ranking: the title weighs most, then tags, then the body */
extern const double suggest_rank_weights[SUGGEST_BM25_COLUMNS];

/* The document frequency of stem in the table (no version check). */
int suggest_lookup_df(const suggest *s, const char *stem);

/* Appends v to out without splitting a UTF-8 sequence (suggest.c). */
void suggest_copy_text(const char *v, char *out, size_t outlen);

#endif
