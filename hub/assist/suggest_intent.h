/* suggest_intent.h — the intent model behind suggestions: which article a customer's words
 * are about, learnt from each article's examples (customer phrasings), title and tags.
 *
 * An utterance becomes a TF-IDF vector over three groups of features: stemmed words, pairs
 * of adjacent stemmed words, and character 3- and 4-grams of each word (which hear a
 * misspelling or another form of a word). Every group is scaled by its weight and the whole
 * vector has unit length. An article's vector is the normalised mean of its examples' (a
 * nearest-centroid classifier, "Rocchio"), stored as an inverted index (feature -> articles),
 * so a query costs the postings of its own features, not the size of the knowledge base;
 * the features most articles share ("<th", "my") are also kept as dense columns, added four
 * articles at a time.
 *
 * The score of an article is the cosine of the two vectors, in [0, 1]. Features never seen
 * in any example still count in the query's length (at the highest IDF): an utterance about
 * something else scores low everywhere, which is what the confidence threshold rejects.
 * Words are folded through a synonyms and abbreviations table (data/synonyms.tsv) before
 * stemming, so that an example with one form teaches the others.
 *
 * With word vectors (data/wordvec.bin, hub/assist/wordvec.h), an article's score adds the
 * cosine of the utterance's and the article's mean word vectors (suggest_embed.h; its
 * positive part, x 0.2, less 0.03 so that the confidence threshold keeps its meaning): a
 * paraphrase that shares no word with any example still scores. That costs one dense pass
 * over the articles per query (100 multiply-adds an article). The vectors also lend each
 * word of the utterance its nearest words among the examples' (suggest_embed_neighbours: at
 * most 3, cosine >= 0.5) as word features at half weight x their cosine, counted in the
 * query's length too: "move my money" also says "transfer" to the lexical model. A word's
 * search is done once and remembered. Without vectors the model is lexical only and its
 * scores are the cosines above. */
#ifndef AGENTDESK_HUB_ASSIST_SUGGEST_INTENT_H
#define AGENTDESK_HUB_ASSIST_SUGGEST_INTENT_H

#include <stddef.h>

#include "hub/assist/suggest_intent_words.h"
#include "hub/assist/wordvec.h"

#define INTENT_TOP_MAX 32     /* most articles one query returns */

typedef struct suggest_intent suggest_intent;

typedef struct {
    int article;      /* index given to suggest_intent_add */
    float score;      /* cosine, 0..1 */
} intent_hit;

/* A model folding words through syn, with the word vectors wv (both borrowed, NULL for none). */
suggest_intent *suggest_intent_new(const suggest_synonyms *syn, const wordvec *wv);
void suggest_intent_free(suggest_intent *m);

/* Adds one phrasing of article `article` (0-based, dense). Before suggest_intent_build. */
void suggest_intent_add(suggest_intent *m, int article, const char *text);

/* Computes the IDF and the article vectors; `narticles` bounds the indexes added. 0 or -1
 * (out of memory: the model then scores nothing). Adding after building is refused. */
int suggest_intent_build(suggest_intent *m, int narticles);

/* The articles scoring above 0 for `text`, best first, at most `max` (<= INTENT_TOP_MAX);
 * returns how many. Not reentrant: the model keeps its scratch. */
int suggest_intent_query(suggest_intent *m, const char *text, intent_hit *out, int max);

/* Several texts at once, each with its weight (the conversation: the newest final weighs
 * most): the scores are the weighted sum of each text's cosines. */
int suggest_intent_query_many(suggest_intent *m, const char *const *texts, const float *weights, int ntexts,
                              intent_hit *out, int max);

#endif
