/* console.h — the console endpoint (agentdesk.v1): its row for the transport, and the
 * parts of it that live in their own files: hello and delivery (console_hello.c), the
 * actions (console_actions.c), the trainers' recordings (console_recording.c).
 *
 * Delivery invariant: `cursor` is the highest seq a session has queued or decided not to
 * see. SNAPSHOT: queueing the frames of the live and the ended-but-not-wrapped-up
 * interactions with seq <= snap_seq, then REPLAY from snap_seq. REPLAY: pages of the
 * committed log with seq > cursor, pulled when the outbox runs low. LIVE: the pipeline's
 * deliver hook (session_deliver) queues each committed event with seq > cursor. A replay
 * reaches LIVE only after a scan that saw the end of the committed log, and commits happen
 * only between callbacks, so nothing falls between the two. */
#ifndef AGENTDESK_HUB_ENDPOINTS_CONSOLE_H
#define AGENTDESK_HUB_ENDPOINTS_CONSOLE_H

#include "hub/endpoints/session.h"
#include "hub/net/server.h"

/* Registered by the composition with the hub as its context. */
extern const net_endpoint console_endpoint;

/* hello (console_hello.c). */
void console_hello(session *s, const proto_event *ev);
/* Pull the next page of the snapshot or replay into the outbox. */
void console_refill(session *s);

/* An action (console_actions.c). */
void console_action(session *s, const proto_event *ev);

/* Trainers' requests (console_recording.c): recordings.list answers one page of the index;
 * recording.get opens the recording and its parts are queued by console_recording_pump only
 * while the outbox has room for one more, so any size reaches a slow reader without ever
 * meeting the outbox bound. */
void console_recordings_list(session *s, const proto_event *ev);
void console_recording_get(session *s, const proto_event *ev);
void console_recording_pump(session *s);
void console_recording_free(session *s);

#endif
