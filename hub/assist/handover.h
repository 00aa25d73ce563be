/* handover.h — the card an agent gets when a bot hands an interaction over: what the customer
 * wants, what the bot already did or asked, why it handed over, and the customer's mood now,
 * drafted from the bot part of the transcript so the customer never repeats themselves.
 *
 * Fed every final of the interaction (already redacted: the card is shown, logged and
 * recorded); it answers "ready" once, at the moment the card should reach the agent:
 * when the bot says it is passing the customer on ("I'm passing you to our delivery team"),
 * or, if it never says so, at the first words of a person (agent or supervisor); but only
 * once the customer has said something to the bot. An interaction that never had a bot, or
 * whose bot only made announcements, gets no card. Pure: no I/O, bounded memory. */
#ifndef AGENTDESK_HUB_ASSIST_HANDOVER_H
#define AGENTDESK_HUB_ASSIST_HANDOVER_H

#include "hub/assist/snap.h"
#include <stdbool.h>
#include <jansson.h>

typedef struct handover handover;

handover *handover_new(void);
void handover_free(handover *h);
/* A checkpoint of the card as it stands (snap.h), and it read back into a handover_new. */
void handover_save(const handover *h, snap_w *w);
bool handover_load(handover *h, snap_r *r);

/* One final utterance, redacted. `score` is its sentiment (customer finals). True when the
 * card is ready now (once per interaction): then handover_body gives it. */
bool handover_final(handover *h, const char *speaker, const char *redacted_text, double score);

/* The handover event's body (iid, wants, done, reason, mood, score, turns); NULL before the
 * card is ready. */
json_t *handover_body(const handover *h, const char *iid);

#endif
