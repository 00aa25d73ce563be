/* suggest.h — knowledge-base suggestions: FTS5 bm25 over kb_fts (porter), queried with the
 * content words of what the customer just said, ranked with each article's boost, which
 * agents' feedback (used / dismissed) moves.
 *
 * Terms that match no article, or more than SUGGEST_COMMON_SHARE of them, are dropped
 * before the query (their bm25 weight is small and they make FTS5 score nearly every
 * article); when all are common the two rarest are kept. Document frequencies are cached.
 *
 * The MATCH expression is built only from quoted terms ("word" with quotes doubled, joined
 * by OR), so no utterance can inject FTS5 syntax. Statements are prepared once. */
#ifndef AGENTDESK_HUB_ASSIST_SUGGEST_H
#define AGENTDESK_HUB_ASSIST_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include "hub/assist/suggest_words.h"

#define SUGGEST_MAX_TERMS 16
#define SUGGEST_QUERY_TERMS 6       /* terms actually sent to FTS5, rarest first */
#define SUGGEST_COMMON_SHARE 0.25   /* a term in more than this share of articles is dropped */
#define SUGGEST_TOP 3
#define SUGGEST_SOURCE_LEN 128
#define SUGGEST_TITLE_LEN 256
#define SUGGEST_TEXT_LEN 8192
#define SUGGEST_FALLBACK_TERMS 3    /* at most this many rare terms when the first pass falls short */
#define SUGGEST_FALLBACK_SHARE 0.1  /* … each in at most this share of articles (the rarest always) */
#define SUGGEST_CANDIDATES 12      /* bm25's best, beyond those needed, that boost may reorder */
#define SUGGEST_FEEDBACK_STEP 0.5   /* boost change per used (+) or dismissed (-) */
#define SUGGEST_BOOST_LIMIT 5.0     /* |boost| stays under this */

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
    double score;                      /* higher is better: -bm25 + boost */
} suggest_hit;

suggest *suggest_open(sqlite3 *db, char *err, size_t errlen);
void suggest_close(suggest *s);

/* The MATCH expression for `nterms` terms ("a" OR "b" …) into out; false when it does not
 * fit or there are no terms. */
bool suggest_match_expr(char terms[][SUGGEST_TERM_LEN], int nterms, char *out, size_t outlen);

/* Orders terms[0..nterms) rarest first and keeps the useful ones (see above); returns how
 * many are kept. */
int suggest_prune_terms(suggest *s, char terms[][SUGGEST_TERM_LEN], int nterms);

/* The best `max` articles for `match`, leaving out the ids in skip[0..nskip). Returns how
 * many were written to out (0 on no match or error). */
int suggest_query(suggest *s, const char *match, const char *const *skip, size_t nskip,
                  const suggest_fill *fill, suggest_hit *out, int max);

/* The search the stage runs: prune the terms; first only the rows holding the rarest term
 * and one of the others, ranked by bm25 over every kept term (few rows to score); when that
 * gives fewer than `max` articles, every row holding any kept term. terms[] is reordered. Returns how many hits
 * were written. */
int suggest_search(suggest *s, char terms[][SUGGEST_TERM_LEN], int nterms, const char *const *skip,
                   size_t nskip, const suggest_fill *fill, suggest_hit *out, int max);

/* Content words of `text` straight to hits (suggest_search): the analyzer's path. */
int suggest_for_text(suggest *s, const char *text, const suggest_fill *fill, suggest_hit *out,
                     int max);

/* Store feedback on article `article_id` and move its boost. 0 or -1. */
int suggest_feedback(suggest *s, const char *sid, const char *article_id, const char *iid,
                     const char *user, const char *action, int64_t ts_ms);

/* A reply template with its fields filled. An empty field also drops the space before it,
 * and a comma before it when punctuation follows ("that, {customer.first_name}." ->
 * "that."). */
void suggest_fill_reply(const char *tmpl, const suggest_fill *fill, char *out, size_t outlen);

#endif
