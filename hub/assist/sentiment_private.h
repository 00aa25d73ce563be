/* sentiment_private.h — what sentiment.c (scoring) and sentiment_load.c (the tables) share:
 * one module split for size. */
#ifndef AGENTDESK_HUB_ASSIST_SENTIMENT_PRIVATE_H
#define AGENTDESK_HUB_ASSIST_SENTIMENT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "hub/assist/lexicon.h"
#include "hub/assist/sentiment.h"
#include "hub/assist/sentiment_model.h"

#define MAX_PHRASE_WORDS 8
#define PHRASE_KEY_CAP 256

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
};

/* The tokeniser's emoticon test: a chunk is an emoticon when the VADER lexicon has it. */
bool sentiment_is_emoticon(const void *ctx, const char *key, size_t len);

#endif
