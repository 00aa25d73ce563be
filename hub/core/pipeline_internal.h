/* pipeline_internal.h — the server-facing side of the pipeline (hub/pipeline.h is the
 * contract for ingest sources): opening it, staging durable events, the per-turn group
 * commit, and the live state the sessions read for snapshots and role checks.
 *
 * One loop turn: any number of pipeline_ingest / pipeline_emit (each stages events into
 * the open transaction and the batch; the first one calls hooks.wake so the server arms
 * its end-of-turn timer), then pipeline_flush: one commit, then hooks.deliver for each
 * event in seq order, the recorder, then hooks.committed (the server sends its acks).
 * When the commit fails, nothing is delivered or recorded, every in-memory change of the
 * turn is undone (pipeline_turn.c) and hooks.committed(false) turns the acks into
 * retryable errors. */
#ifndef AGENTDESK_HUB_PIPELINE_INTERNAL_H
#define AGENTDESK_HUB_PIPELINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "hub/core/pipeline.h"
#include "hub/core/eventlog.h"
#include "hub/store/store.h"
#include "hub/core/live.h"
#include "hub/core/recorder.h"
#include "hub/core/frame.h"

struct assist;

typedef struct pipeline_entry {
    shared_frame *frame;   /* what consoles get (PII masked) */
    char *record_line;     /* what the recording gets (PII tagged); NULL: not recorded */
    json_t *record_event;  /* record_line's event, which its outcome is read from */
    char iid[PROTO_MAX_ID + 1];
    char agent[PROTO_MAX_ID + 1];
    char audience[PROTO_MAX_ID + 1];
    proto_type type;
    recorder_file *rec;    /* the interaction's recording */
    /* An utterance's or a sentiment's fields the floor's figures count (report_data.h), kept
     * since its body is gone by delivery; `said` false: not known (another hub's event). */
    struct {
        bool said;
        bool scored;
        char speaker[16], level[16];
        char uid[PROTO_MAX_ID + 1];
        int64_t offset_ms;
        double score;
    } figures;
} pipeline_entry;

typedef struct {
    void *ctx;
    void (*wake)(void *ctx);
    void (*deliver)(void *ctx, const pipeline_entry *e);
    void (*committed)(void *ctx, bool ok);
} pipeline_hooks;

/* Facts about an interaction, live or ended, for role checks. */
typedef struct {
    char agent[PROTO_MAX_ID + 1];
    char channel[8];
    int64_t started_ms;
    bool live;
} pipeline_info;

/* `as` and `rec` may be NULL (no enrichment / no recordings). Restores the interactions
 * that were live when the hub last stopped and the ended ones awaiting a wrap-up (their
 * frames from the event log). */
pipeline *pipeline_open(store *st, eventlog *log, struct assist *as, recorder *rec,
                        const pipeline_hooks *hooks, char *err, size_t errlen);
void pipeline_close(pipeline *p);

/* Open the turn's transaction now (for store writes that go with an action). 0 or -1. */
int pipeline_begin(pipeline *p);
/* Stage a durable event. `body` (stolen) holds its fields, iid included, without type, seq
 * and ts; its text is cleaned and not yet redacted. `agent` is the interaction's agent
 * (visibility), `audience` "" or the one user it is for. The event is checked against the
 * catalogue and encoded once, with its seq; one that would not encode gives its seq back
 * (the log keeps no gap) and is dropped, counted as invalid. Returns its seq, or -1. */
int64_t pipeline_emit(pipeline *p, proto_type type, json_t *body, const char *agent,
                      const char *audience);
/* End of turn: commit, deliver, record, acks. Number of events committed, or -1. */
int pipeline_flush(pipeline *p);
bool pipeline_has_staged(const pipeline *p);
/* A write that belongs to the open turn failed (e.g. the dedupe row of an action): the
 * turn cannot commit as a whole, so none of it will; its acks become `unavailable`. */
void pipeline_fail_turn(pipeline *p, const char *why);
/* Why writes are failing (the last group commit failed), or NULL while they succeed. */
const char *pipeline_degraded(const pipeline *p);

/* Words of a console user into a live interaction's transcript (a reply on a chat, a
 * supervisor after barge): a final utterance through the same path as ingest. */
int pipeline_user_utterance(pipeline *p, const char *iid, const char *speaker, const char *uid,
                            const char *text, int64_t *seq, proto_error *err);

/* A supervisor (`by`) moves live interaction iid to `to`, an agent or supervisor: its owner
 * changes in memory and in the interactions table, and interaction.assigned is staged with
 * `to` as its visibility (the previous owner's consoles get it too: session.c). A failed
 * turn puts the owner back. 0 with *seq, or -1 with *err: not_found (not live), bad_field
 * (`to` is no agent or supervisor, or already owns it), unavailable. */
int pipeline_reassign(pipeline *p, const char *iid, const char *to, const char *by, const char *by_name,
                      int64_t *seq, proto_error *err);

/* Its source (a connector's later start, Amazon Connect's agent events) says `agent` has
 * interaction iid. Live and unassigned, or owned by `provisional` (the Contact Lens trial
 * fallback, NULL or "" for none): moved to agent as a takeover moves it, with by "" and
 * by_name the source, so the agent's consoles get a snapshot of it. Live and the agent's
 * already: nothing. Live and another's: bad_field (who has it stays). Ended: nothing. Not
 * known yet: remembered in the turn's transaction for pipeline_pending_agent. An agent
 * that is no agent or supervisor: not_found. 0, or -1 with *err. */
int pipeline_assign(pipeline *p, const char *iid, const char *agent, const char *by_name, const char *provisional,
                    proto_error *err);
/* The agent remembered for iid by pipeline_assign before it was live: true, in `agent`. */
bool pipeline_pending_agent(pipeline *p, const char *iid, char *agent, size_t len);
/* The agentdesk user that Amazon Connect user id `connect_id` is (`import agents`). */
bool pipeline_connect_user(pipeline *p, const char *connect_id, char *user, size_t len);

/* End a live interaction from inside the hub (e.g. simulated calls orphaned by a crash). */
int pipeline_end(pipeline *p, const char *iid, const char *reason);

bool pipeline_lookup(pipeline *p, const char *iid, pipeline_info *out);

/* A masked value in clear, for the reveal of the agent who owns the interaction (the caller
 * checks who asks): the index-th value of line uid, from memory (pii_vault.h), or with uid
 * NULL the customer card's `field` ("email" or "phone") from the customers table. Only while
 * the interaction is live or awaits its wrap-up. Returns the value (malloc'd, the caller
 * clears and frees it) and sets *count and *kind; NULL when it is not available. */
char *pipeline_reveal(pipeline *p, const char *iid, const char *uid, const char *field,
                      unsigned index, unsigned *count, const char **kind);
live *pipeline_live(pipeline *p);
/* On a shared bus (eventlog_redis.h): the interactions other hubs own, live and ended not
 * yet wrapped up, kept from the frames the bus brings (pipeline_replica.c). Empty otherwise. */
live *pipeline_remote_live(pipeline *p);
live *pipeline_remote_ended(pipeline *p);
bool pipeline_owned_elsewhere(pipeline *p, const char *iid);
/* pipeline_lookup for another hub's interaction (its replica here): for what only reads. */
bool pipeline_lookup_replica(pipeline *p, const char *iid, pipeline_info *out);
/* The bus brought entries: store them in this turn (0, or -1: the turn fails and a later
 * one stores them). They are delivered after the commit, before the turn's own events. */
int pipeline_bus_pull(pipeline *p);
/* pipeline.c's: after a commit, deliver what other hubs appended and it made durable here;
 * at open, rebuild the replica from the local log. */
void pipeline_replica_take(pipeline *p);
void pipeline_replica_restore(pipeline *p);
void pipeline_replica_reconcile(pipeline *p);
void pipeline_renew_leases(pipeline *p);
/* Take over `replica` (in the remote set; its owner's lease lapsed and this hub claimed it):
 * it becomes this hub's live interaction, its enrichment rebuilt from the log here as a
 * restart rebuilds it (pipeline_restore.c), in the open turn. 0 or -1. */
int pipeline_adopt(pipeline *p, live_call *replica);
/* Another hub's live interaction: claimed and adopted when its owner's lease lapsed (1), or
 * held by its owner (0, the owner's name in holder; 0 too when it is not another hub's live
 * one), or the bus cannot say (-1). */
int pipeline_take_over(pipeline *p, const char *iid, char *holder, size_t holder_len);
/* A request (`user`'s `id`) on interaction iid applied by an earlier owner on the bus (this
 * hub took it over; checked after this hub's own store said no), and noting one this turn
 * applies, for whoever takes it over next. No-ops without a shared bus. */
bool pipeline_seen_on_bus(pipeline *p, const char *iid, const char *user, const char *id);
void pipeline_remember_on_bus(pipeline *p, const char *iid, const char *user, const char *id);
void pipeline_recall_done(pipeline *p, live_call *c);
/* The ended interactions not yet wrapped up (ended within the last 24 h, the newest 50 per
 * agent, oldest end first) with their frames: a snapshot lists them after the live ones. */
live *pipeline_ended(pipeline *p);
struct assist_call *pipeline_assist_call(pipeline *p, const char *iid);

/* Frames emitted from now on carry this ingest arrival time (µs, monotonic); 0 clears. */
void pipeline_set_ingest_time(pipeline *p, int64_t mono_us);
/* Time-driven work: enrichment of live calls (silences, deadlines), once a second, and the
 * ended interactions whose wrap-up offer expired. Returns the milliseconds until it has
 * work again (1000 while a call is live), or 0 when it has none until something happens:
 * an idle hub need not wake for it. */
int64_t pipeline_tick(pipeline *p);

#endif
