/* suggest_private.h — the suggester's state, shared by suggest.c (open, document
 * frequencies, content words, replies, feedback) and suggest_rank.c (the intent model's
 * articles, the ranking): one module split for size. */
#ifndef AGENTDESK_HUB_ASSIST_SUGGEST_PRIVATE_H
#define AGENTDESK_HUB_ASSIST_SUGGEST_PRIVATE_H

#include "hub/assist/suggest.h"
#include "hub/assist/suggest_intent.h"

#define CANDIDATES_MAX 64   /* rows read back from one query, shown ones included */

/* Document frequency of every indexed token, by open addressing over a pool of stems. */
typedef struct {
    const char *stem;   /* NULL: empty slot */
    int df;
} df_slot;

typedef struct {
    sqlite3_int64 rowid;
    double score;
    double bm25;        /* -bm25, higher is better; 0 when bm25 did not find it */
    double intent;      /* the intent model's score; 0 when it did not */
    char source[SUGGEST_SOURCE_LEN];
    char title[SUGGEST_TITLE_LEN];
} candidate;

struct suggest {
    sqlite3 *db;
    sqlite3_stmt *query, *reply, *prior, *feedback, *boost, *vocab, *total, *data_version, *averages, *begin, *commit;
    sqlite3_stmt *bm25, *article, *examples, *examples_sig;
    fts5_tokenizer tokenizer;
    Fts5Tokenizer *porter;
    df_slot *slots;
    size_t nslots;          /* a power of two, or 0 */
    char *pool;
    int articles;
    int version;            /* PRAGMA data_version when the table was built */
    unsigned char totals[256];   /* the averages record the table was built from */
    int ntotals;                 /* its length, -1 unknown */
    double examples_state[3];    /* count, total length of examples, max rowid: a change rebuilds */
    suggest_intent *intent;      /* NULL when the knowledge base is empty, or stale */
    bool intent_stale;           /* the model is to be built before its next use */
    suggest_synonyms *synonyms;  /* NULL until suggest_use_synonyms */
    wordvec *vectors;            /* loaded with the synonyms; NULL when there are none */
    sqlite3_int64 *intent_rowid; /* article index -> kb.rowid */
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

/* The document frequency of stem in the table (no version check). */
int suggest_lookup_df(const suggest *s, const char *stem);

/* Appends v to out without splitting a UTF-8 sequence (suggest.c). */
void suggest_copy_text(const char *v, char *out, size_t outlen);

#endif
