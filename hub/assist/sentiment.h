/* sentiment.h — the polarity and the emotion of one utterance, for speech and chat in a
 * contact centre; plus the per-interaction trend (EWMA, its slope, and what may be said of it).
 *
 * Two parts: VADER's rules over its lexicon and contact-centre phrases (the "rules score"),
 * and a linear model learned from public labelled data (sentiment_model.h) that takes the
 * rules score as one of its features. Contact-centre cues (domain_emotions.tsv) add what
 * public data cannot teach: "I didn't order anything" is fraud worry, "oh great" sarcasm.
 * Everything is read once from DATA_DIR/lexicon/ (vader_lexicon.tsv, domain_phrases.tsv,
 * boosters.tsv, negators.txt, emoji.tsv, domain_emotions.tsv, sentiment_weights.tsv);
 * scoring is then read-only, so one sentiment_lexicon may be shared by every interaction.
 * Scoring allocates nothing.
 *
 * Invariants of a sentiment_result: -1 <= score <= 1, its sign the model's, its strength
 * 2P(positive)-1 damped by how likely the utterance is calm or asking, or the rules score
 * when that agrees and is stronger; rules_score is VADER's compound alone; label is
 * SENTIMENT_NEGATIVE when score <= -SENTIMENT_THRESHOLD, SENTIMENT_POSITIVE when
 * score >= SENTIMENT_THRESHOLD, else SENTIMENT_NEUTRAL; terms[0..nterms) are
 * NUL-terminated UTF-8 slices of the input (a negated word keeps its negator, e.g.
 * "not happy"), strongest first; cues[0..ncues) likewise name the words that carry the
 * emotion (empty for neutral). */
#ifndef AGENTDESK_HUB_ASSIST_SENTIMENT_H
#define AGENTDESK_HUB_ASSIST_SENTIMENT_H

#include <stddef.h>

#include "hub/assist/sentiment_model.h"

#define SENTIMENT_MAX_TERMS 8
#define SENTIMENT_TERM_LEN 48
#define SENTIMENT_THRESHOLD 0.15  /* chosen on the team set's development half (0.05: neutral lines read polar) */
#define SENTIMENT_MAX_CUES 3

enum { SENTIMENT_NEGATIVE = -1, SENTIMENT_NEUTRAL = 0, SENTIMENT_POSITIVE = 1 };

typedef struct sentiment_lexicon sentiment_lexicon;

typedef struct {
    double score;                                        /* -1..1 */
    int label;                                           /* SENTIMENT_* */
    char terms[SENTIMENT_MAX_TERMS][SENTIMENT_TERM_LEN]; /* what drove the score */
    int nterms;
    double rules_score;                                  /* VADER rules alone, -1..1 */
    int emotion;                                         /* EMOTION_* of sentiment_model.h */
    double emotion_p;                                    /* its probability */
    char cues[SENTIMENT_MAX_CUES][SENTIMENT_TERM_LEN];   /* words that carry the emotion */
    int ncues;
} sentiment_result;

/* Loads the files of DATA_DIR/lexicon/. NULL with a message in err on failure. */
sentiment_lexicon *sentiment_load(const char *data_dir, char *err, size_t errlen);
/* The same without the learned model (sentiment_weights.tsv): what the trainer reads features
 * through before any weights exist; its scores are the rules score alone. */
sentiment_lexicon *sentiment_load_rules(const char *data_dir, char *err, size_t errlen);
void sentiment_free(sentiment_lexicon *lx);

/* Number of single-word entries and of multi-word phrases loaded (for logs and tests). */
size_t sentiment_word_count(const sentiment_lexicon *lx);
size_t sentiment_phrase_count(const sentiment_lexicon *lx);

/* Scores cleaned UTF-8 text (any length; only the first SENTIMENT_MAX_TOKENS tokens count). */
#define SENTIMENT_MAX_TOKENS 1024
void sentiment_score(const sentiment_lexicon *lx, const char *text, sentiment_result *out);

/* The plain baseline the benchmark compares against: the sum of the lexicon valences of the
 * words (no phrases, negation, boosters, contrast or emphasis). Its sign is its label. */
double sentiment_lexicon_sum(const sentiment_lexicon *lx, const char *text);

/* The features of text as the model sees them (data/tools/train_sentiment.py reads them
 * through bench_sentiment --features): fn is called once a feature. */
void sentiment_features(const sentiment_lexicon *lx, const char *text, sentiment_feature_fn fn, void *ctx);

/* "negative" | "neutral" | "positive" */
const char *sentiment_label_name(int label);
int sentiment_label_of(double score);

/* The customer's trend within one interaction. ewma is the exponentially weighted mean of
 * the scores added (alpha = weight of the newest); slope is the least-squares slope of the
 * last SENTIMENT_TREND_WINDOW ewma values, per utterance (negative = getting worse).
 * direction is the slope's sign only when the slope is significant: at least
 * SENTIMENT_TREND_MIN_N scores, |slope| >= SENTIMENT_TREND_MIN_SLOPE, and a fit that explains
 * most of the window (R^2 >= 0.5), so a hostile plateau with noise has direction 0.
 * Zero-initialise or call sentiment_trend_init; alpha <= 0 means the default 0.3. */
#define SENTIMENT_TREND_MIN_N 3
#define SENTIMENT_TREND_MIN_SLOPE 0.05
#define SENTIMENT_TREND_WINDOW 5
typedef struct {
    double alpha;
    double ewma;
    double slope;
    int direction;                           /* -1 worse, 0 steady or unclear, 1 better */
    int n;                                   /* scores added so far */
    double recent[SENTIMENT_TREND_WINDOW];   /* last ewma values, ring buffer */
} sentiment_trend;

void sentiment_trend_init(sentiment_trend *t, double alpha);
void sentiment_trend_add(sentiment_trend *t, double score);

/* The level of a smoothed score in words: "hostile" (<= -0.5), "negative" (<= -0.15),
 * "neutral", "positive" (>= 0.15). */
const char *sentiment_level_name(double ewma);

#endif
