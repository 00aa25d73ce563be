/* sentiment_model.h — the learned part of sentiment: a linear model over word features, its
 * weights read from DATA_DIR/lexicon/sentiment_weights.tsv (written by
 * data/tools/train_sentiment.py from public training splits; see data/train/SOURCES.md).
 *
 * Features of an utterance (the trainer reads them from this code, through
 * `bench_sentiment --features`, so training and scoring cut text the same way):
 *   "w"      a word (lowercase key, apostrophes dropped; emoticons and emoji as they are);
 *   "!w"     a word inside a negation's scope: from a negator ("not", "never", "n't"...) to
 *            the end of its clause, however long (not VADER's three words);
 *   "?w"     a word of a clause that ends in '?' (asking "is orange bad?" asserts nothing);
 *   "^w"     a word (with its '!' or '?' mark) again when it follows a contrast word (but,
 *            however, yet, although, though) anywhere before it in the utterance;
 *   "~stem"  the first 4 bytes of a word longer than that (with the word's '!' or '?' mark
 *            before the '~'): unseen forms of a word share what its seen forms taught;
 *   "a b"    two adjacent words of one clause;
 *   "__q__"  once per question clause;
 *   "__rules__" with the value of the VADER-rule score (-1..1) instead of 1.
 * Each row holds a weight for polarity (the log-odds of positive; no bias, so an utterance
 * with no known feature is neutral) and one per emotion (a softmax; the row "__bias__" holds
 * the emotions' intercepts). A feature counts once however often the utterance holds it, as
 * the trainer reads it. Scoring allocates nothing and the model is read-only. */
#ifndef AGENTDESK_HUB_ASSIST_SENTIMENT_MODEL_H
#define AGENTDESK_HUB_ASSIST_SENTIMENT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hub/assist/sentiment_tokens.h"

/* The emotions, in the weight file's column order. */
enum {
    EMOTION_NEUTRAL, EMOTION_ANGER, EMOTION_FRUSTRATION, EMOTION_ANXIETY, EMOTION_SADNESS,
    EMOTION_CONFUSION, EMOTION_SATISFACTION, EMOTION_COUNT
};

#define SENTIMENT_FEATURE_MAX 80   /* bytes of one feature string: a bigram of two keys fits */
_Static_assert(SENTIMENT_FEATURE_MAX >= 2 * SENTIMENT_TOKEN_KEY + 1, "a bigram must fit");

typedef struct sentiment_model sentiment_model;

/* Per-token context the scorer works out from its lexicon before features are cut. */
typedef struct {
    bool negated;       /* inside a negation's scope */
    bool question;      /* in a clause that ends with '?' */
    bool skip;          /* carries no word feature (a token too long for a key) */
} sentiment_token_ctx;

/* Called for each feature: its string, its value (1, or the rules score), the token span. */
typedef void (*sentiment_feature_fn)(void *ctx, const char *feat, size_t len, double value,
                                     int first, int last);

void sentiment_model_features(const sentiment_token *toks, const sentiment_token_ctx *tc, int n,
                              double rules_score, sentiment_feature_fn fn, void *ctx);

/* NULL with "PATH:LINE: reason" in err on failure. */
sentiment_model *sentiment_model_load(const char *path, char *err, size_t errlen);
void sentiment_model_free(sentiment_model *m);
size_t sentiment_model_size(const sentiment_model *m);

/* The sums of one utterance: polarity log-odds, emotion logits, and for each token the
 * weight it gave to each emotion (so the words that carry the chosen emotion can be named). */
typedef struct {
    double polarity;
    double emotion[EMOTION_COUNT];
} sentiment_logits;

/* Adds the weights of the utterance's features to out (zeroed first); token_emotion[i][e]
 * receives what the word features starting at token i gave emotion e (may be NULL). */
void sentiment_model_apply(const sentiment_model *m, const sentiment_token *toks,
                           const sentiment_token_ctx *tc, int n, double rules_score,
                           sentiment_logits *out, float (*token_emotion)[EMOTION_COUNT]);

/* "neutral" "anger" "frustration" "anxiety" "sadness" "confusion" "satisfaction"; -1 if unknown */
const char *sentiment_emotion_name(int e);
int sentiment_emotion_of(const char *name);

#endif
