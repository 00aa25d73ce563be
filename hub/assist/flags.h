/* flags.h — rule-driven flags on a live interaction: phrase and regex rules (escalation,
 * churn, legal threat, complaint, abuse, vulnerable customer, fraud, payment card said
 * aloud, repeat contact) and computed rules (sentiment drop, sustained negative, long
 * silence, talk ratio, compliance phrase deadline).
 *
 * Rules come from the db's `rules` table when it has rows (see hub/store_schema.c), else from
 * DATA_DIR/rules.json: [{"id","kind","severity":1..3,"match":"phrase|regex|computed",
 * "pattern","params":{…},"reason","speaker":"customer|agent|any"}].
 *   phrase: pattern "a b|c d|…", matched case-insensitively on whole words, apostrophes
 *     ignored ("im" = "I'm"). params.negation_guard (default true): a match with not, don't,
 *     never, won't, … among the 3 words before it does not count ("I won't cancel").
 *     params.examples / counter_examples / classes / min_score: phrasings scored by the
 *     example model (phrasing.h): an example scoring min_score (default 0.6) and beating
 *     every counter-example fires the rule; a counter-example scoring min_score vetoes a
 *     fixed phrase. See docs/DATA.md.
 *   regex: POSIX extended, case-insensitive, on the text as said. params.luhn: the match
 *     must hold a 13-19 digit run (spaces/dashes allowed) passing Luhn; params.min_digits:
 *     skip texts with fewer digits (a cheap pre-check).
 *   computed: pattern names the computation; its params (defaults):
 *     sentiment_drop {drop 0.5, within 3, below -0.05}: a customer final scoring at most
 *       `below` and at least `drop` under the best of the previous `within` customer finals.
 *     sustained_negative {count 3, threshold -0.05}: `count` customer finals in a row at or
 *       under `threshold`.
 *     long_silence {seconds 20, wait_seconds 120, wait_phrases []}: no utterance (partial or
 *       final, anyone) for that long; wait_seconds after an agent final holding one of the
 *       wait_phrases ("bear with me"), the wait the agent announced.
 *     talk_ratio {ratio 3, window_ms 120000, min_words 60, rearm_ratio ratio/2}: agent words
 *       >= min_words and >= ratio x customer words over the window (finals).
 *     compliance_deadline {phrases [...], deadline_ms 30000}: none of the phrases said (by
 *       the rule's speaker, finals) by the deadline.
 *   Every rule: params.channel "voice" | "chat" limits it to one channel; params.partials
 *   true lets a phrase/regex rule look at partials.
 *
 * Firing: a phrase/regex rule fires at most once per interaction (the card rule once per
 * distinct card number). Phrase and regex rules look at finals only, except rules with
 * params {"partials": true} (the card rule), so growing partials do not fire twice.
 * Computed rules fire once per condition and re-arm when the condition has cleared:
 * sentiment_drop after `within` customer finals without a drop, sustained_negative after a
 * non-negative customer final, long_silence on the next utterance, talk_ratio when the ratio
 * falls below params.rearm_ratio (default ratio/2); compliance_deadline never re-arms.
 *
 * A flag_rules is read-only after loading and may be shared; a flag_state belongs to one
 * interaction. Nothing here allocates per utterance (glibc regexec may, inside the card rule).
 */
#ifndef AGENTDESK_HUB_ASSIST_FLAGS_H
#define AGENTDESK_HUB_ASSIST_FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>
#include "hub/assist/snap.h"

#define FLAG_ID_LEN 129         /* the import limits: id <= 128, kind <= 64, reason <= 256 */
#define FLAG_KIND_LEN 65
#define FLAG_REASON_LEN 257
#define FLAG_EVIDENCE_LEN 128

typedef struct flag_rules flag_rules;
typedef struct flag_state flag_state;

typedef struct {
    char rule[FLAG_ID_LEN];           /* rule id, e.g. "escalation-manager" */
    char kind[FLAG_KIND_LEN];         /* e.g. "escalation" */
    int severity;                     /* 1..3 */
    char reason[FLAG_REASON_LEN];     /* the rule's reason text */
    char evidence[FLAG_EVIDENCE_LEN]; /* the words as said, or what was measured; a card: last 4 only */
} flag_hit;

/* db may be NULL. Loads the db's rules table if it has rows, else DATA_DIR/rules.json.
 * NULL with a message in err when no rule source is usable or a rule is invalid. */
flag_rules *flags_load(sqlite3 *db, const char *data_dir, char *err, size_t errlen);
/* Rules from a JSON array text in the rules.json format (also used by tests and import). */
flag_rules *flags_load_json(const char *json_text, char *err, size_t errlen);
void flags_free(flag_rules *rules);
size_t flags_rule_count(const flag_rules *rules);
/* Id and kind of rule i (0 <= i < flags_rule_count), NULL past the end. */
const char *flags_rule_id(const flag_rules *rules, size_t i);
const char *flags_rule_kind(const flag_rules *rules, size_t i);

/* channel: "voice" | "chat" (rules may be limited to one channel by params.channel). */
flag_state *flags_state_new(const flag_rules *rules, const char *channel);
void flags_state_free(flag_state *st);

/* One utterance. offset_ms: since the interaction started. sentiment_score is used only
 * for customer finals (pass 0 otherwise). Writes at most max_hits hits; returns how many. */
int flags_state_utterance(flag_state *st, const char *speaker, const char *text, bool final,
                          int64_t offset_ms, double sentiment_score,
                          flag_hit *hits, int max_hits);
/* Time passes (about once a second): long silence and compliance deadlines. */
int flags_state_tick(flag_state *st, int64_t offset_ms, flag_hit *hits, int max_hits);

/* A checkpoint of the state (snap.h), and the state read back into one flags_state_new
 * made with the same rules: false (st unusable) when it was written with other rules. */
void flags_state_save(const flag_state *st, snap_w *w);
bool flags_state_load(flag_state *st, snap_r *r);

/* Luhn check over the digits of s[0..len) (other characters ignored); false under 2 digits. */
bool flags_luhn_ok(const char *s, size_t len);

#endif
