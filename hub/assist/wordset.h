/* wordset.h — the words of a normalised text (" w1 w2 … ", single spaces, as flags_normalize
 * and checklist_normalise give it) as a Bloom filter, so phrase matching can skip a phrase
 * one of whose words the text does not hold before searching the text for it.
 *
 * A phrase " a b " occurs in such a text only where its words are whole words of the text,
 * so a phrase the filter rules out has no match; one it lets through is searched as before
 * (a hash collision only costs that search). Nothing allocates. */
#ifndef AGENTDESK_HUB_ASSIST_WORDSET_H
#define AGENTDESK_HUB_ASSIST_WORDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WORDSET_BITS 4096           /* a power of two; two bits a word */
#define WORDSET_PHRASE_WORDS 4      /* words of a phrase checked (all must be in the text) */

typedef struct {
    uint64_t bits[WORDSET_BITS / 64];
} wordset;

typedef struct {
    uint32_t hash[WORDSET_PHRASE_WORDS];
    int n;
} wordset_phrase;

/* The words of the normalised text norm. */
void wordset_fill(wordset *s, const char *norm);
/* The first WORDSET_PHRASE_WORDS words of the normalised phrase (its longest ones first:
 * a long word is rarer). */
void wordset_phrase_of(const char *norm, wordset_phrase *p);
/* false: the text filled into s cannot hold the phrase's words, so not the phrase. Inline:
 * it runs for every phrase of every rule on every utterance. */
static inline bool wordset_may_hold(const wordset *s, const wordset_phrase *p)
{
    for (int i = 0; i < p->n; i++) {
        uint32_t a = p->hash[i] & (WORDSET_BITS - 1), b = (p->hash[i] >> 16) & (WORDSET_BITS - 1);
        if (!(s->bits[a / 64] >> (a % 64) & 1) || !(s->bits[b / 64] >> (b % 64) & 1))
            return false;
    }
    return true;
}

#endif
