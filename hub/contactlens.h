/* contactlens.h — Amazon Connect Contact Lens real-time segment events, accepted unchanged
 * on the ingest endpoint and mapped onto ingest start / utterance / end:
 *
 *   ContactId                         -> iid
 *   Version "2.0.0" or Channel "CHAT" -> channel chat, else voice
 *   EventType | StreamingEventType:
 *     STARTED                         -> start (agent, queue, customer_id: hub defaults,
 *                                        --contactlens-agent/-queue/-customer)
 *     SEGMENTS, each segment:
 *       Utterance {Id, TranscriptId?, ParticipantRole, PartialContent|Content,
 *                  BeginOffsetMillis}  -> partial utterance, uid = TranscriptId or Id
 *       Transcript {Id, ParticipantRole, Content, BeginOffsetMillis}
 *                                      -> final utterance, uid = Id
 *       Categories {MatchedCategories}  -> one `flag` per category and contact: kind
 *                                        "category", rule "contactlens-category", severity 2,
 *                                        text "Contact Lens category: NAME", evidence NAME
 *       PostContactSummary, Attachments, Event -> ignored (agentdesk's own stage summarises)
 *     COMPLETED / FAILED              -> end, reason "completed" / "failed"
 *   ParticipantRole CUSTOMER -> customer, AGENT and SUPERVISOR -> agent, SYSTEM and
 *   CUSTOM_BOT -> bot. Offsets missing (chat) -> milliseconds since the start.
 * SEGMENTS for a contact that is not live starts it first; a repeated STARTED, or an end
 * for a contact that is not live, is ignored, so a replayed stream is harmless. */
#ifndef AGENTDESK_HUB_CONTACTLENS_H
#define AGENTDESK_HUB_CONTACTLENS_H

#include <stdbool.h>
#include <stddef.h>
#include "hub/pipeline.h"

typedef struct {
    const char *agent, *queue, *customer_id;
} contactlens_defaults;

/* Does this frame look like a Contact Lens event (no "type", an EventType)? */
bool contactlens_detect(const char *msg, size_t len);

/* Apply one event. 0, or -1 with *err (bad JSON, no ContactId, unknown event type, ...). */
int contactlens_apply(pipeline *p, const char *msg, size_t len, const contactlens_defaults *d,
                      proto_error *err);

#endif
