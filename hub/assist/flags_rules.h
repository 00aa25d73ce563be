/* flags_rules.h — the parsed form of one flag rule, shared by the loader (flags_load.c) and
 * the matcher (flags.c). Not for use outside the flags module.
 *
 * Phrases are stored normalised as " w1 w2 " (lowercase ASCII, apostrophes dropped, every
 * other non-letter a single space), the same form flags_normalize gives an utterance, so a
 * word-boundary match is a plain substring search. */
#ifndef AGENTDESK_HUB_ASSIST_FLAGS_RULES_H
#define AGENTDESK_HUB_ASSIST_FLAGS_RULES_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hub/assist/flags.h"
#include "hub/assist/wordset.h"

typedef enum { FLAGS_MATCH_PHRASE, FLAGS_MATCH_REGEX, FLAGS_MATCH_COMPUTED } flags_match;

typedef enum {
    FLAGS_COMPUTED_NONE,
    FLAGS_COMPUTED_SENTIMENT_DROP,
    FLAGS_COMPUTED_SUSTAINED_NEGATIVE,
    FLAGS_COMPUTED_LONG_SILENCE,
    FLAGS_COMPUTED_TALK_RATIO,
    FLAGS_COMPUTED_COMPLIANCE_DEADLINE,
} flags_computed;

typedef enum { FLAGS_SPEAKER_CUSTOMER, FLAGS_SPEAKER_AGENT, FLAGS_SPEAKER_ANY } flags_speaker;

typedef struct {
    char id[FLAG_ID_LEN];
    char kind[FLAG_KIND_LEN];
    char reason[FLAG_REASON_LEN];
    int severity;
    flags_match match;
    flags_computed computed;
    flags_speaker speaker;
    char channel[8];            /* "" = every channel */
    bool partials;              /* also look at partial utterances */
    bool negation_guard;        /* phrase after not/don't/never (3 words) does not count */
    bool luhn;                  /* regex matches must hold a 13-19 digit Luhn-valid run */
    int min_digits;             /* skip the regex when the text has fewer digits */
    char **phrases;             /* phrase rules, compliance_deadline, long_silence's wait_phrases */
    wordset_phrase *phrase_words;   /* phrases[i]'s words, to skip it when the text lacks one */
    int nphrases;
    int nexamples;              /* its examples and counter-examples in flag_rules.model */
    double min_score;           /* an example must score this much (params.min_score) */
    regex_t re;
    bool has_re;
    /* computed parameters */
    double drop, below, threshold, ratio, rearm_ratio;
    int within, count, min_words;
    int64_t silence_ms, wait_ms, window_ms, deadline_ms;
} flags_rule;

struct flag_rules {
    flags_rule *rules;
    size_t n;
    struct phrasing *model;     /* every rule's example phrasings, NULL when none has any */
};

/* Normalises text into out (cap bytes) as " w1 w2 … " (see above); returns the length. */
size_t flags_normalize(const char *text, char *out, size_t cap);
/* The byte span [*from, *to) of text that produced normalised bytes [norm_from, norm_to)
 * (both ends letters or digits). scratch (cap bytes) is overwritten. false if none. */
bool flags_normalize_origin(const char *text, size_t norm_from, size_t norm_to, char *scratch,
                            size_t cap, size_t *from, size_t *to);

#endif
