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

/* A snapshot's frames (console_snapshot.c): per interaction those its call holds merged
 * with the older ones read from the event log, in one increasing order of seq; only the
 * tail when keep_lines is not 0. _add references the call's frames with seq <= upto;
 * _pump queues until full() says the page is full, reading a bounded number of log rows:
 * 1 when every frame is queued, 0 when there is more, -1 when the log cannot be read. */
typedef struct console_snapshot console_snapshot;
console_snapshot *console_snapshot_new(size_t keep_lines);
void console_snapshot_add(console_snapshot *snap, const live_call *c, int64_t upto);
int console_snapshot_pump(session *s, bool (*full)(const session *s, size_t queued));
void console_snapshot_free(console_snapshot *snap);
/* The lines of c with after < seq <= upto, counted while at most `limit` (from the log
 * for the ones c no longer holds). */
size_t console_lines_after(session *s, const live_call *c, int64_t after, int64_t upto, size_t limit);

/* A takeover (interaction.assigned of iid, from `from`, at `seq`) gives s's user the
 * interaction: when s could not see it before, it is sent as on a snapshot (one `snapshot`
 * part listing it, then its frames up to seq - 1) and delivery goes on from seq - 1, so the
 * interaction.assigned and what follows come after it (console_hello.c). false when nothing
 * was to be sent (s saw it already, it is gone, or this takeover was served). */
bool console_take_over(session *s, const char *iid, const char *from, int64_t seq);

/* The pipeline's hooks for the composition (console_floor.c): the fan-out of each committed
 * event (session_deliver) with what a takeover and an agent's status add to it, and after
 * the commit the acks (session_committed) and the agents' statuses the turn changed. */
void console_deliver(void *ctx, const pipeline_entry *e);
void console_committed(void *ctx, bool ok);

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
