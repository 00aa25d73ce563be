/* session.h — what the endpoints keep of one connection, console or connector (the
 * transport keeps the rest, hub/net/conn.h): who signed in, answers and errors in the
 * protocol, acks held until the turn commits, and the delivery state that takes a console
 * from its snapshot or resume point to live events without losing or doubling any seq.
 * The console endpoint is console*.c, the connector endpoint ingest.c; this file calls
 * neither.
 *
 * Delivery invariant: `cursor` is the highest seq this session has queued or decided not to
 * see. SNAPSHOT: queueing the frames of the live and the ended-but-not-wrapped-up
 * interactions with seq <= snap_seq, then REPLAY
 * from snap_seq. REPLAY: pages of the committed log with seq > cursor, pulled when the
 * outbox runs low. LIVE: the pipeline's deliver hook queues each committed event with
 * seq > cursor. A replay reaches LIVE only after a scan that saw the end of the committed
 * log, and commits happen only between callbacks, so nothing falls between the two. */
#ifndef AGENTDESK_HUB_ENDPOINTS_SESSION_H
#define AGENTDESK_HUB_ENDPOINTS_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hub/core/frame.h"
#include "hub/endpoints/hub.h"
#include "hub/net/conn.h"
#include "proto/codec.h"

typedef enum { SESSION_CONSOLE, SESSION_INGEST } session_kind;
typedef enum { DELIVER_NONE, DELIVER_SNAPSHOT, DELIVER_REPLAY, DELIVER_LIVE } session_mode;

typedef struct {
    char id[PROTO_MAX_ID + 1];
    int64_t seq;
    proto_event answer;       /* sent instead of the ack when has_answer (a reveal's value) */
    bool has_answer;
} session_ack;

typedef struct session {
    hub *h;
    net_conn *conn;
    session_kind kind;
    bool authed;
    store_user user;
    const char *metric_role;

    char frame_ref[PROTO_MAX_ID + 1]; /* top-level id of the frame being handled, "" if none:
                                         the ref of every error answering it */
    session_mode mode;
    int64_t cursor;
    int64_t snap_seq;
    struct console_snapshot *snap; /* the snapshot's frames still to queue (console.h) */
    size_t keep_lines;        /* hello's keep_lines: a snapshot's lines per interaction; 0 all */

    bool sub_all;             /* supervisors: every interaction unless narrowed */
    char (*subs)[PROTO_MAX_ID + 1];
    size_t nsubs;

    session_ack *acks;        /* acks waiting for the batch's commit */
    size_t nacks, capacks;
    struct session *ack_next;
    bool on_ack_list;

    struct recording_stream *streams;  /* recording.get answers being sent, oldest first */
    size_t nstreams;

    struct session *unext, *uprev;  /* by_user bucket or supervisors */
    bool indexed;

    bool status_ready;        /* has had the agent.status of hello (agent_status.h): gets changes */
    int64_t assigned_upto;    /* seq of the last interaction.assigned that gave this session an
                                 interaction's snapshot (console_take_over) */
    char relay_origin[64];    /* a relay session (no connection): the hub its user's console is
                                 on; what it would send goes back there over the bus */
} session;

session *session_new(hub *h, net_conn *conn, session_kind kind);
/* On a shared bus, the owner's stand-in for a console on another hub (`origin`) whose action on
 * one of this hub's interactions came over the bus: signed in as `user` (that hub checked the
 * token), no connection, not in the fan-out; what it sends goes through h->relay. */
session *session_new_relay(hub *h, const char *origin, const store_user *user);
void session_free(session *s);

/* Queue a frame; false when the session is closing or was closed as a slow consumer
 * because of it. Only a frame queued by the live fan-out in the turn its event was
 * committed carries its ingest time (a latency sample): a snapshot or replay sends old
 * events whose arrival says nothing about delivery latency. */
bool session_queue(session *s, shared_frame *f);
/* Encode and queue a non-durable event; frees ev. */
void session_send_event(session *s, proto_event *ev);
/* An error answering `ref`; with ref NULL or "", the frame being handled (frame_ref). */
void session_send_error(session *s, const char *code, const char *message, const char *ref);
/* Send an error, then close with a websocket status and reason. */
void session_fail(session *s, const char *code, const char *message, int status);
bool session_closing(const session *s);
/* The transport refused something (flood, size, outbox, caps, binary): say it as an error. */
void session_fault(session *s, net_fault why, const char *message);
/* Signed in as s->user: index it for fan-out, unless the token already has
 * --max-connections-per-token connections (then refused like a full hub, false). */
bool session_admit(session *s);
/* A frame that did not decode: report it (with err->ref, the frame's id if it had one);
 * before hello it also ends the connection. */
void session_refuse_frame(session *s, const proto_error *err);
/* Remember an ack to send once the current batch is committed. */
void session_ack_after_commit(session *s, const char *id, int64_t seq);
/* The same with an answer sent instead of the ack (owned by the session from here): what must
 * not go out unless what goes with it (an audit row) is stored. */
void session_answer_after_commit(session *s, const char *id, proto_event *answer);

/* May this session see an event of interaction iid assigned to agent, for audience? */
bool session_sees(const session *s, const char *iid, const char *agent, const char *audience);
/* The same for a logged frame: an interaction.assigned is seen by its previous owner too
 * (`from`: that console drops the interaction), though it is logged under the new one. */
bool session_sees_entry(const session *s, const char *iid, const char *agent, const char *audience,
                        const char *frame, size_t len);
/* When `frame` is an interaction.assigned: true, with its new owner and previous owner
 * (PROTO_MAX_ID + 1 bytes each). */
bool session_assigned_names(const char *frame, size_t len, char *to, char *from);
/* Call fn on each signed-in console session of `user` (agents' and supervisors'). */
void session_each_of_user(hub *h, const char *user, void (*fn)(session *s, void *ctx), void *ctx);
/* Is a console of `user` signed in (and not closing)? */
bool session_signed_in(hub *h, const char *user);

/* Pipeline hooks (ctx is the hub). */
void session_deliver(void *ctx, const pipeline_entry *e);
void session_committed(void *ctx, bool ok);

#endif
