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
 *         IssuesDetected [{CharacterOffsets {BeginOffsetChar, EndOffsetChar}}] of a final
 *                                      -> one `flag` per issue: kind "issue", rule
 *                                         "contactlens-issue", severity 2, text "Contact Lens
 *                                         issue: WORDS", evidence the words (200 bytes at most)
 *       Categories {MatchedCategories, or else the keys of MatchedDetails (chat 2.0.0)}
 *                                      -> one `flag` per category and contact: kind
 *                                        "category", rule "contactlens-category", severity 2,
 *                                        text "Contact Lens category: NAME", evidence NAME;
 *                                        names over 200 bytes are skipped, and at most
 *                                        CONTACTLENS_MAX_CATEGORY_FLAGS flags per contact
 *         Sentiment (POSITIVE|NEGATIVE|NEUTRAL|MIXED) of a final
 *                                      -> `sentiment` of its uid with source "contact-lens"
 *                                         (score 1/-1/0, MIXED neutral; trend, slope 0), a
 *                                         second opinion beside the hub's own
 *       PostContactSummary {Content, Status COMPLETED}
 *                                      -> `summary` with source "contact-lens" (also after
 *                                         the end, while it awaits its wrap-up; a SEGMENTS
 *                                         event for an ended contact maps nothing else)
 *       Event {EventType, DisplayName, ParticipantRole, Time} (chat)
 *                                      -> `contact.event` "NAME joined" / "left" / "is idle" /
 *                                         "is back", "the chat ended", transfers; typing and
 *                                         receipts are not shown
 *       Attachments {Attachments [{AttachmentName}], DisplayName, Time} (chat)
 *                                      -> `contact.event` "NAME attached FILE" each (at most
 *                                         10 of a segment)
 *       Events, Issues                 -> ignored
 *       any other kind                 -> skipped, logged, counted
 *                                        (agentdesk_contactlens_unknown_segments_total)
 *     COMPLETED / FAILED              -> end, reason "completed" / "failed"
 *   ParticipantRole CUSTOMER -> customer, AGENT and SUPERVISOR -> agent, SYSTEM and
 *   CUSTOM_BOT -> bot. Offsets missing (chat) -> the message's Time.AbsoluteTime (or
 *   AbsoluteTime), else its arrival, minus the contact's start.
 * SEGMENTS for a contact that is not live starts it first (started at its earliest message
 * time, if it has one); a repeated STARTED, or an end for a contact that is not live, is
 * ignored, so a replayed stream is harmless.
 * ContactId is cleaned once (base/text.h) and that iid is used for every lookup. The frame
 * meets the limits of every frame (proto_parse: size, nesting, duplicate keys) and these
 * bounds, else it is refused whole with bad_field before anything is applied. */
#ifndef AGENTDESK_HUB_CONTACTLENS_H
#define AGENTDESK_HUB_CONTACTLENS_H

#include <stdbool.h>
#include <stddef.h>
#include "hub/core/pipeline.h"

enum {
    CONTACTLENS_MAX_SEGMENTS = 100,       /* Segments of one event */
    CONTACTLENS_MAX_CATEGORIES = 100,     /* MatchedCategories of one segment */
    CONTACTLENS_MAX_CATEGORY_BYTES = 200, /* of a category name; longer ones are skipped */
    CONTACTLENS_MAX_CATEGORY_FLAGS = 100  /* distinct category flags per contact */
};

/* The rule of the flags raised for categories; a restarted hub re-marks their fids as
 * raised for the interactions it restores, so a repeated category is not flagged again. */
#define CONTACTLENS_CATEGORY_RULE PIPELINE_SOURCE_FLAG_RULE

typedef struct {
    const char *agent, *queue, *customer_id;
} contactlens_defaults;

/* Is this parsed frame a Contact Lens event? By its top-level keys only: no "type", and an
 * EventType or StreamingEventType. */
bool contactlens_detect(const json_t *frame);

/* Apply one parsed event. 0, or -1 with *err (no ContactId, over a bound, unknown event
 * type, a mapped event refused, ...). */
int contactlens_apply(pipeline *p, json_t *frame, const contactlens_defaults *d, proto_error *err);

#endif
