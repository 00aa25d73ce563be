/* suggest.h — knowledge-base suggestions: an intent model learnt from each article's
 * examples (customer phrasings, hub/assist/suggest_intent.h) combined with FTS5 bm25 over
 * the article text (kb_fts, porter), both fed with what the customer said lately, re-ranked
 * by the interaction's queue and by each article's boost, which agents' feedback (used /
 * dismissed) moves. Every hit carries a confidence (the intent model's cosine for the
 * conversation, 0..1); the stage shows nothing below SUGGEST_MIN_CONFIDENCE, because no
 * suggestion serves an agent better than a wrong one.
 *
 * The candidates are the intent model's best and bm25's best; an article's score is
 *   (intent + SUGGEST_BM25_WEIGHT x bm25 / best bm25) x queue bonus + boost x SUGGEST_BOOST_WEIGHT
 * The intent model is built by suggest_use_synonyms, or else before its first use, and again
 * before the first use after the knowledge base's text or examples change (the same check
 * as the document frequencies below): opening and then setting the synonyms builds it once.
 *
 * bm25 is FTS5's, computed in memory (hub/assist/suggest_bm25.h: the same scores as
 * bm25(kb_fts, …) for the MATCH expression below), from postings by term read with the
 * intent model; what a hit shows (id, title, category, reply) and the boost are read then
 * too, so ranking an utterance reads no database. A query costs the rows it scores plus the
 * postings it walks, so the words are chosen by document frequency, known from an in-memory
 * table built from fts5vocab at open (and rebuilt when another connection changes the
 * indexed text, or on suggest_refresh). The rows scored are those holding one of the
 * rarest words of the newest final (those within SUGGEST_ROW_BUDGET rows); the other words
 * of the recent finals only add to their score, as FTS5 would score
 *   ("lead1" OR "lead2") AND ("lead1" OR "lead2" OR "context1" OR …)
 * which also counts the newest final's words twice in bm25. Words in more than
 * SUGGEST_COMMON_SHARE of the articles carry no topic and are left out. Articles of a
 * category serving the interaction's queue get SUGGEST_QUEUE_BONUS, feedback the boost.
 * A vote moves the boost in memory too (taken back if its transaction rolls back); another
 * connection's commit re-reads what hits show and the boosts, and one that wrote the
 * indexed text (any write to kb_fts) or the examples reads everything again.
 *
 * Words are cut and stemmed by FTS5's own porter tokenizer, so the document frequencies and
 * bm25's postings are those of the indexed tokens. suggest_query's MATCH expression (the one
 * search still run by SQLite) is built only from quoted terms ("word" with quotes doubled)
 * joined by OR, so no utterance can inject FTS5 syntax. Statements are prepared once; this
 * module allocates nothing per search. At open and when the indexed text changes, kb_fts is
 * merged into one b-tree ('optimize'): FTS5 looks every term up in each of its b-trees, and
 * imports leave many. */
#ifndef AGENTDESK_HUB_ASSIST_SUGGEST_H
#define AGENTDESK_HUB_ASSIST_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include "hub/assist/suggest_words.h"

#define SUGGEST_MAX_TERMS 16        /* content words kept per utterance */
#define SUGGEST_RECENT 3            /* customer finals a query draws on, the newest weighted most */
#define SUGGEST_QUERY_TERMS 6       /* lead words (those choosing the rows) in one query */
#define SUGGEST_ROW_BUDGET 80       /* most rows a query makes bm25 score: sum of the lead words' frequencies */
#define SUGGEST_CONTEXT_TERMS 6     /* other words, which only add to the score */
#define SUGGEST_CONTEXT_BUDGET 300  /* sum of their document frequencies (FTS5 walks their doclists) */
#define SUGGEST_COMMON_SHARE 0.25   /* a word in more than this share of articles carries no topic */
#define SUGGEST_QUEUE_BONUS 0.15    /* an article of a category serving the queue: score x (1 + this) */
#define SUGGEST_BM25_WEIGHT 0.10    /* bm25, relative to the query's best, beside the intent cosine */
#define SUGGEST_BOOST_WEIGHT 0.02   /* feedback boost (at most +-SUGGEST_BOOST_LIMIT) in score units */
#define SUGGEST_MIN_CONFIDENCE 0.21 /* below this, nothing is suggested (tuned on CLINC150 val + oos_val) */
/* A final with no content word of the articles is still searched on when the intent model's
 * best reaches this (lower than what is shown: the conversation's other finals may lift an
 * article over SUGGEST_MIN_CONFIDENCE). CLINC150 val, 10 phrasings: top-1 0.792 at 0.21,
 * 0.798 at 0.15, 0.800 at 0.12, out-of-scope rejection unchanged (the stage's bar is). */
#define SUGGEST_TAKE_CONFIDENCE 0.12
#define SUGGEST_REORDER 4           /* candidates beyond those needed that queue and boost may reorder */
#define SUGGEST_KEEP_TEXT 512       /* bytes of each recent final kept for the intent model */
#define SUGGEST_TOP 3
#define SUGGEST_SOURCE_LEN 128
#define SUGGEST_TITLE_LEN 256
#define SUGGEST_TEXT_LEN 8192
#define SUGGEST_CANDIDATES 12       /* suggest_query: bm25's best, beyond those needed, that queue and boost may reorder */
#define SUGGEST_FEEDBACK_STEP 0.5   /* boost change per used (+) or dismissed (-) */
#define SUGGEST_BOOST_LIMIT 5.0     /* |boost| stays under this */
#define SUGGEST_WORDVEC_FILE "wordvec.bin"   /* the word vectors, beside the synonyms table */

typedef struct suggest suggest;

/* What {customer.first_name}, {customer.last_name}, {customer.tier}, {customer.plan} and
 * {agent.name} become in a reply; NULL or "" for unknown. */
typedef struct {
    const char *first_name, *last_name, *tier, *plan, *agent_name;
} suggest_fill;

typedef struct {
    char source[SUGGEST_SOURCE_LEN];   /* article id */
    char title[SUGGEST_TITLE_LEN];
    char text[SUGGEST_TEXT_LEN];       /* the reply, fields filled */
    double score;                      /* higher is better (see above) */
    double confidence;                 /* 0..1: the intent model's cosine for the conversation */
} suggest_hit;

/* One content word: as said (what the MATCH expression quotes) and as indexed (its porter
 * stem: document frequency and duplicates). */
typedef struct {
    char word[SUGGEST_TERM_LEN];
    char stem[SUGGEST_TERM_LEN];
} suggest_term;

/* The content words of an interaction's latest customer finals, [0] the newest. Plain
 * data: zero it to start (an interaction embeds one). */
typedef struct {
    suggest_term terms[SUGGEST_RECENT][SUGGEST_MAX_TERMS];
    int nterms[SUGGEST_RECENT];
    char text[SUGGEST_RECENT][SUGGEST_KEEP_TEXT];   /* the finals themselves, cut at a word */
    int count;
} suggest_recent;

suggest *suggest_open(sqlite3 *db, char *err, size_t errlen);
void suggest_close(suggest *s);

/* Loads the synonyms table at path (data/synonyms.tsv) and builds the intent model with it
 * (most of the suggester's start: about 30 ms for the demo's knowledge base, 150 ms for
 * bench_assist's 1,000 articles). 0, or -1 with "PATH: line N: reason" in err (the model
 * keeps its table then). */
int suggest_use_synonyms(suggest *s, const char *path, char *err, size_t errlen);

/* Re-reads the document frequencies: after this connection itself changed the knowledge
 * base (changes by other connections are noticed by the next search). */
void suggest_refresh(suggest *s);

/* How many articles hold the stem (0 when none); the knowledge base's size when stem is NULL. */
int suggest_df(suggest *s, const char *stem);

/* The content words of `text` known to the knowledge base, each stem once; returns how many. */
int suggest_terms_of(suggest *s, const char *text, suggest_term *out, int max);

/* Adds a customer final to r, when it holds a known content word that none of r's finals
 * holds, or when the intent model recognises it (its best cosine reaches
 * SUGGEST_TAKE_CONFIDENCE); returns whether it did (false: nothing new to search for). */
bool suggest_recent_add(suggest *s, suggest_recent *r, const char *text);

/* The MATCH expression for `nterms` terms ("a" OR "b" …) into out; false when it does not
 * fit or there are no terms. */
bool suggest_match_expr(char terms[][SUGGEST_TERM_LEN], int nterms, char *out, size_t outlen);

/* The best `max` articles for `match`, leaving out the ids in skip[0..nskip); articles of a
 * category that serves `queue` (NULL: none) are favoured. Returns how many were written to
 * out (0 on no match or error). */
int suggest_query(suggest *s, const char *match, const char *queue, const char *const *skip, size_t nskip,
                  const suggest_fill *fill, suggest_hit *out, int max);

/* The ranking of r's finals without the confidence threshold, best first: what the
 * relevance benchmark measures. Returns how many hits. */
int suggest_rank_recent(suggest *s, const suggest_recent *r, const char *queue, const char *const *skip,
                        size_t nskip, const suggest_fill *fill, suggest_hit *out, int max);

/* The stage's search: the ranking above, keeping only hits of at least
 * SUGGEST_MIN_CONFIDENCE. Returns how many hits. */
int suggest_search_recent(suggest *s, const suggest_recent *r, const char *queue, const char *const *skip,
                          size_t nskip, const suggest_fill *fill, suggest_hit *out, int max);

/* One utterance straight to hits (threshold applied): the analyzer's path. */
int suggest_for_text(suggest *s, const char *text, const suggest_fill *fill, suggest_hit *out,
                     int max);

/* Does kb.category `category` serve interaction queue `queue`? (kb has no "tech": devices
 * and outages serve it.) */
bool suggest_category_serves(const char *category, const char *queue);

/* Store feedback on article `article_id` and move its boost: one vote per user, interaction
 * and article (the same action again changes nothing; the other action replaces the vote and
 * moves the boost by the difference). 0 or -1. */
int suggest_feedback(suggest *s, const char *sid, const char *article_id, const char *iid,
                     const char *user, const char *action, int64_t ts_ms);

/* A reply template with its fields filled. An empty field also drops the space before it,
 * and a comma before it when punctuation follows ("that, {customer.first_name}." ->
 * "that."). */
void suggest_fill_reply(const char *tmpl, const suggest_fill *fill, char *out, size_t outlen);

#endif
