/* pipeline.h — the hub's one path for interaction events:
 *   ingest event -> live state -> (assist stage) -> event log (seq, staged) -> after the
 *   loop turn's commit: fan-out to allowed sessions + recorder.
 * Used by the server's ingest endpoint, the Contact Lens adapter, the simulator and the
 * console actions that change an interaction (reply -> agent utterance, whisper, ...). */
#ifndef AGENTDESK_HUB_PIPELINE_H
#define AGENTDESK_HUB_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>
#include "proto/codec.h"

typedef struct pipeline pipeline;

/* Apply one decoded ingest event (EV_INGEST_START / EV_INGEST_UTTERANCE / EV_INGEST_END).
 * 0 on success; -1 with *err filled (unknown iid, duplicate start, unknown agent, ...). */
int pipeline_ingest(pipeline *p, const proto_event *ev, proto_error *err);

/* Is interaction `iid` live (started and not ended)? */
bool pipeline_is_live(pipeline *p, const char *iid);
/* How many lines consoles typed into a live interaction (replies, a supervisor's barge-in
 * lines): the demo's chat customer waits for the agent's. 0 when not live. */
unsigned pipeline_replies(pipeline *p, const char *iid);

/* Did `agent` choose a break (its status, docs/PROTOCOL.md "Agent status")? A source that
 * picks agents itself (the demo simulator) offers new contacts only to those who did not. */
bool pipeline_agent_on_break(pipeline *p, const char *agent);

/* The rule of the flags a source raises itself (Contact Lens categories): such a flag is
 * raised once per interaction, and the pipeline re-marks its fid as raised whenever it
 * rebuilds an interaction from its frames (a restart, a failed commit). */
#define PIPELINE_SOURCE_FLAG_RULE "contactlens-category"

#endif
