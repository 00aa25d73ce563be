/* summary_text.h — reading a conversation's sentences for the summary (summary_text.c): the
 * customer's reason for contact in the third person, what the agent did, and what the agent
 * committed to with its time. Grammar, not topic: a sentence qualifies by its shape ("I've
 * refunded …", "I'll call you back tomorrow before 12", "Would you like me to send one?" …
 * "Done"), never by a list of topic words, so a summary works for any business.
 *
 * Input lines are already redacted (summary.h); outputs are pieces of them with pronouns
 * turned to the third person ("your card" -> "their card"), at most SUMMARY_PHRASE_MAX bytes,
 * cut on a word and a code point. */
#ifndef AGENTDESK_HUB_ASSIST_SUMMARY_TEXT_H
#define AGENTDESK_HUB_ASSIST_SUMMARY_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#define SUMMARY_PHRASE_MAX 200

/* The customer's first sentence in `line` that states something about them (a first-person
 * sentence or a question, with three content words or more), as "says they've been charged
 * twice this month" or "asks: does their plan include …". False when none qualifies. */
bool summary_text_reason(const char *line, char *out, size_t outlen);

/* What the agent says was done in `line` ("processed a refund to their card"); an agent's
 * "Done" takes the offer of `prev` (the agent's previous line, may be NULL: "Would you like me
 * to send one?" -> "sent one"). Writes at most max phrases; returns how many. */
int summary_text_actions(const char *line, const char *prev, char out[][SUMMARY_PHRASE_MAX], int max);

/* What the agent commits to in `line`, with its time ("agent to call them back tomorrow
 * before 12", "they'll get a text as soon as it's back"), or marked when no time is said
 * ("agent to email them the reference (no time given)"): a time is a day, a part of one, a
 * clock time, a deadline ("by Friday", "within 3 working days") or "as soon as …". Writes
 * at most max phrases; returns how many. */
int summary_text_followups(const char *line, char out[][SUMMARY_PHRASE_MAX], int max);

/* The share of the distinct words of `of` that `in` also holds (case-insensitive words of
 * letters and digits); 0 when `of` has none. */
double summary_text_overlap(const char *of, const char *in);

#endif
