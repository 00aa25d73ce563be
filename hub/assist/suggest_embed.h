/* suggest_embed.h — the intent model's second opinion, from pre-trained word vectors
 * (hub/assist/wordvec.h): for paraphrases sharing no word with any example of their article.
 *
 * A text's vector is the IDF-weighted sum of its content words' unit vectors (the IDF of
 * the word's stem among the examples, as the lexical model computes it; a word no example
 * has gets the highest), minus the mean of all examples' vectors (what every text has in
 * common: without it every cosine is high), at unit length. An article's vector is the
 * normalised sum of its examples'; its score for a text is the cosine of the two. One
 * dense pass over the articles per query (articles x 48 multiply-adds, below). It also
 * finds a word's nearest words among the examples' (suggest_embed_neighbours). Private to
 * the intent model (suggest_intent.c), which tokenises and combines the two scores. */
#ifndef AGENTDESK_HUB_ASSIST_SUGGEST_EMBED_H
#define AGENTDESK_HUB_ASSIST_SUGGEST_EMBED_H

#include <stdbool.h>
#include <stdint.h>

#include "hub/assist/wordvec.h"

/* A content word of a text: its vector (a wordvec index) and its stem's feature in the
 * lexical model (UINT32_MAX: none), whose IDF weighs it. */
typedef struct {
    int vec;
    uint32_t feature;
} embed_word;

typedef struct suggest_embed suggest_embed;

/* NULL when wv is NULL (no vectors: the model stays lexical). wv is borrowed. */
suggest_embed *suggest_embed_new(const wordvec *wv);
void suggest_embed_free(suggest_embed *e);
const wordvec *suggest_embed_vectors(const suggest_embed *e);

/* One example of article (>= 0), its words with a vector. Before suggest_embed_build. */
void suggest_embed_add(suggest_embed *e, int article, const embed_word *w, int n);

/* The article vectors, with the lexical model's IDF (by feature; idf_max for UINT32_MAX). */
void suggest_embed_build(suggest_embed *e, int narticles, const float *idf, float idf_max);

/* q[0..dims) += weight x the text's centred unit vector; false (q unchanged) when no word
 * has a vector. */
bool suggest_embed_text(const suggest_embed *e, const embed_word *w, int n, const float *idf, float idf_max,
                        float weight, float *q);

/* q . article a's vector at [a], for every article (scratch of e: valid until the next
 * call); NULL before suggest_embed_build. The articles' vectors are projected on their 48
 * principal directions (the leading eigenvectors of the sum of their outer products): the
 * dot products lose only what an article has outside them, and cost half. */
const float *suggest_embed_scores(suggest_embed *e, const float *q);

#define EMBED_NEIGHBOURS 3   /* most neighbours of a word (suggest_embed_neighbours) */

/* The words of the examples (as their stems' features) nearest w's in meaning: at most
 * EMBED_NEIGHBOURS with a cosine of at least 0.5, best first, w's own stem left out; returns
 * how many. A customer's word that no example of the right article has ("move" where the
 * examples say "transfer") can then count through the one they have. Each word's search
 * (all the examples' words with a vector x dims) is done once and remembered, so a query
 * costs a look-up per word once its words have been seen. 0 before suggest_embed_build. */
int suggest_embed_neighbours(suggest_embed *e, const embed_word *w, uint32_t *feature, float *cosine);

#endif
