/* phrasing.h — does an utterance say what an example phrasing says, in other words?
 *
 * A flag rule may carry example phrasings ("put me through to someone more senior") and
 * counter-examples ("my friend who is a lawyer recommended you") besides its fixed phrases.
 * This model scores an utterance against every example of every rule at once: both are
 * reduced to terms (lightly stemmed content words, their bigrams, and word classes such as
 * {competitor}), each term weighted by how rare it is among all the examples (idf; a bigram
 * half that), and an
 * example's score is the weighted share of its terms the utterance holds (0..1). So a
 * rephrasing that keeps the rare words of an example ("senior", "vodafone", "widowed")
 * scores high, and one that shares only common words ("want", "speak") scores low.
 *
 * Negation: negators (not, never, don't, nobody, no one, ...) are one term "not", so "I don't see the point
 * any more" needs the negation to match; an utterance that negates a matched word within
 * three words before it ("I won't cancel") scores half against an example with no negation.
 * First person: an example holding me, myself, us or ourselves ("nobody would miss me") scores
 * half against an utterance with no first-person word (I, me, my, we, ...: "nobody missed
 * the payment").
 *
 * Texts are the flags normaliser's form (" w1 w2 ", see flags_rules.h). Read-only once
 * built, so one model is shared by every interaction; scoring allocates nothing. */
#ifndef AGENTDESK_HUB_ASSIST_PHRASING_H
#define AGENTDESK_HUB_ASSIST_PHRASING_H

#include <stdbool.h>
#include <stddef.h>

typedef struct phrasing phrasing;

typedef struct {
    double score;       /* 0..1, the best example's */
    int example;        /* its index in phrasing_example order, -1 if none scored */
    size_t from, to;    /* normalised byte span of the utterance words it matched */
} phrasing_hit;

phrasing *phrasing_new(void);
void phrasing_free(phrasing *p);
/* A word of class `name`: "{name}" in an example then matches it. Normalised text; one word. */
int phrasing_add_class(phrasing *p, const char *name, const char *word);
/* An example (or a counter-example) of rule `rule`, in normalised form. -1 when full or
 * the example holds no content word. */
int phrasing_add(phrasing *p, size_t rule, bool counter, const char *norm);
/* Weighs the terms; call once after the last add, before scoring. */
void phrasing_finish(phrasing *p);
size_t phrasing_count(const phrasing *p);

/* Scores a normalised utterance: for every rule r < nrules, best[r] is its best example and
 * counter[r] the score of its best counter-example (0 when none). */
void phrasing_score(const phrasing *p, const char *norm, phrasing_hit *best, double *counter,
                    size_t nrules);

#endif
