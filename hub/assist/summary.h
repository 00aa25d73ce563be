/* summary.h — the structured draft summary of an interaction and its suggested disposition.
 *
 * The summary's text is five lines and an optional sixth, each a label and what it found:
 *   Reason: customer says <their first sentence about themselves, in the third person>;
 *           they <each flag raised, in words>.
 *   Done: <each action the agent said was done: "processed a refund to their card", or an
 *         offer the agent then said was "Done": "sent a mesh extender">; or "no action recorded".
 *   Follow-ups: <each commitment with its time: "agent to call them back tomorrow before 12",
 *               "they'll get a text as soon as it's back", "agent to email them the reference
 *               (no time given)">; or "none".
 *   Customer at the end: satisfied | calm | neutral | unhappy | angry or very upset
 *                        [, calmer than | more upset than at the start] | not known.
 *   Outcome: <disposition label> (ended: <reason>) | (in progress); suggested disposition <CODE>.
 *   Suggestions used: <titles of suggestions the agent sent mostly as shown>.
 * The sentences are read by their grammar (summary_text.h), never by topic keywords.
 *
 * A summary_log keeps the finals of one interaction, bounded: the first SUMMARY_HEAD lines
 * (where the reason for contact is) and a ring of the latest SUMMARY_TAIL (where the outcome
 * is); each line at most SUMMARY_LINE_MAX bytes. Adding a line is O(1); the summary is built
 * only on request and at the end. Lines are redacted (tags) as they are added, so every part
 * of the summary comes from redacted text.
 *
 * Dispositions come from data/dispositions.json: [{"code","label","phrases":[…],
 * "flags":[flag kinds],"end_reasons":[…],"default":bool,"weight":number}]. Each code scores 3
 * per phrase in an agent line (what the agent did is the best evidence), 1 per phrase in a
 * customer line, 2 per matching flag kind and 2 for a matching end reason, times its
 * weight (default 1; generic outcomes such as RESOLVED weigh less so that a specific one
 * wins); the best code is the disposition (ties: file order; all zero: the default). */
#ifndef AGENTDESK_HUB_ASSIST_SUMMARY_H
#define AGENTDESK_HUB_ASSIST_SUMMARY_H

#include "hub/assist/snap.h"
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#define SUMMARY_HEAD 32
#define SUMMARY_TAIL 224
#define SUMMARY_LINE_MAX 1024
/* A used suggestion counts when an agent line said after its use holds at least this share
 * of its words: a suggestion the agent rewrote is not claimed. */
#define SUMMARY_USED_OVERLAP 0.6

typedef struct summary_codes summary_codes;
typedef struct summary_log summary_log;

summary_codes *summary_codes_load(const char *path, char *err, size_t errlen);
summary_codes *summary_codes_from_json(const json_t *array, char *err, size_t errlen);
void summary_codes_free(summary_codes *codes);
size_t summary_codes_count(const summary_codes *codes);

summary_log *summary_log_new(void);
void summary_log_free(summary_log *log);
/* A checkpoint of the log (snap.h): its lines as kept, flags, suggestions used and mood; and
 * it read back into a summary_log_new. */
void summary_log_save(const summary_log *log, snap_w *w);
bool summary_log_load(summary_log *log, snap_r *r);
/* A final utterance (redacted here); customer: said by the customer (else the agent).
 * Returns the line's number, for summary_log_mask_end(). */
size_t summary_log_final(summary_log *log, bool customer, const char *text);
/* The line numbered `line`, if still kept and ending with `suffix` (len bytes, as it was
 * said), gets that end replaced by `tag`: a number the next utterance showed to be PII. */
void summary_log_mask_end(summary_log *log, size_t line, const char *suffix, size_t len, const char *tag);
/* A flag raised (its kind). */
void summary_log_flag(summary_log *log, const char *kind);
/* The agent used a suggestion (its title and the text shown): listed only if the agent then
 * says or sends mostly that text (SUMMARY_USED_OVERLAP). */
void summary_log_used(summary_log *log, const char *title, const char *text);
/* The sentiment score (-1..1) of a customer final, for the customer's state at the end. */
void summary_log_sentiment(summary_log *log, double score);

/* The `summary` event body {iid, text, disposition, codes, final}; codes lists every code,
 * most plausible first. end_reason may be NULL. */
json_t *summary_body(const summary_log *log, const summary_codes *codes, const char *iid,
                     const char *end_reason, bool final);

#endif
