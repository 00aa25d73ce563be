/* sentiment_private.h — what sentiment.c (scoring) and sentiment_load.c (the tables) share:
 * one module split for size. */
#ifndef AGENTDESK_HUB_ASSIST_SENTIMENT_PRIVATE_H
#define AGENTDESK_HUB_ASSIST_SENTIMENT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hub/assist/lexicon.h"
#include "hub/assist/sentiment.h"
#include "hub/assist/sentiment_model.h"

#define MAX_PHRASE_WORDS 8
#define PHRASE_KEY_CAP 256

/* The tables a token's key is looked up in, as bits of known_token.mask. The first three are
 * keyed by the key without apostrophes (as phrase keys are), the others by the key itself. */
enum {
    KNOWN_PHRASE_FIRST, KNOWN_BOOSTER_FIRST, KNOWN_CUE_FIRST,
    KNOWN_WORD, KNOWN_OVERRIDE, KNOWN_CLAUSE_START, KNOWN_BOOSTER, KNOWN_NEGATOR, KNOWN_EMOJI,
    KNOWN_TABLES
};

/* Which tables hold one key, and where their values are: a token costs one lookup, not one
 * a table (about 150 lookups an utterance were a third of the enrichment's time). */
typedef struct {
    uint16_t mask;      /* bit t: table t holds the key */
    uint32_t values;    /* known_values[] index of the lowest held table's value; the others follow */
} known_token;

struct sentiment_lexicon {
    lexicon *words;         /* VADER words and emoticons, lowercase */
    lexicon *overrides;     /* single words from domain_phrases.tsv */
    lexicon *clause_start;  /* single words whose override holds only where a clause starts */
    lexicon *phrases;       /* multi-word phrase key -> valence */
    lexicon *phrase_first;  /* first word of a phrase -> longest phrase length */
    lexicon *boosters;      /* word or "w1 w2" -> scalar */
    lexicon *booster_first; /* first word of a multi-word booster -> its length */
    lexicon *negators;
    lexicon *emoji;
    lexicon *cues;          /* domain_emotions.tsv: phrase key -> index into cue[] */
    lexicon *cue_first;     /* first word of a cue -> its longest length */
    struct { int emotion; double valence; } *cue;
    size_t ncues;
    sentiment_model *model;
    size_t nphrases;
    lexicon *known;         /* every key of the tables above marked KNOWN_* -> known_tok index */
    known_token *known_tok;
    double *known_values;
};

/* What key[0..len) is to the KNOWN_* tables; NULL when none holds it. */
const known_token *sentiment_known(const sentiment_lexicon *lx, const char *key, size_t len);

static inline bool known_has(const known_token *k, int table)
{
    return k && (k->mask >> table & 1);
}

/* The value table `table` holds for the key (known_has must be true). */
static inline double known_value(const sentiment_lexicon *lx, const known_token *k, int table)
{
    return lx->known_values[k->values + (uint32_t)__builtin_popcount(k->mask & ((1u << table) - 1))];
}

/* The tokeniser's emoticon test: a chunk is an emoticon when the VADER lexicon has it. */
bool sentiment_is_emoticon(const void *ctx, const char *key, size_t len);

#endif
