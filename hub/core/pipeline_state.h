/* pipeline_state.h — the pipeline's private state, shared by pipeline.c (the event path)
 * and pipeline_turn.c (what a loop turn changed in memory, made final by the group commit
 * or undone when the commit fails). Not for other modules: they use pipeline_internal.h. */
#ifndef AGENTDESK_HUB_PIPELINE_STATE_H
#define AGENTDESK_HUB_PIPELINE_STATE_H

#include "hub/core/pipeline_internal.h"
#include "hub/core/pipeline_db.h"
#include "hub/assist/assist.h"

/* How long and how many ended interactions per agent stay offered for wrap-up in a
 * snapshot: enough for a console restart or a long break, bounded in memory and size. */
enum { UNWRAPPED_PER_AGENT = 50 };
/* A live interaction's enrichment checkpoint is rewritten once it has about this many
 * finals more (in the turn's transaction; each interaction's own count lies between half and
 * one and a half times this, pipeline_turn.c): a start or a failed commit replays at most
 * about as many of its finals, whatever its history, for a checkpoint of a few KB every so
 * many finals. */
enum { ASSIST_CHECKPOINT_FINALS = 64 };
#define UNWRAPPED_MAX_AGE_MS (24 * 3600 * 1000LL)

typedef enum { PLACE_NONE, PLACE_LIVE, PLACE_ENDED } call_place;

/* A call the open turn changed, as it stood before (see pipeline_turn.c). */
typedef struct {
    live_call *c;
    call_place was;
    recorder_file *rec;              /* its recording at the first touch */
    struct assist_call *ended_call;  /* enrichment state its end took off: freed at commit */
    bool retired;                    /* ended and already wrapped up: held here, in no set */
    bool reassigned;                 /* taken over in the turn: its owner before, below */
    char was_agent[PROTO_MAX_ID + 1];
    char was_agent_name[PROTO_MAX_SHORT + 1];
} pipeline_touch;

struct pipeline {
    store *st;
    eventlog *log;
    struct assist *as;
    recorder *rec;
    pipeline_hooks hooks;
    live *live;
    live *ended;         /* ended, not yet wrapped up: oldest end first (see keep_ended) */
    live *remote_live;   /* on a shared bus, other hubs' interactions (pipeline_replica.c) */
    live *remote_ended;
    int64_t replica_saved; /* the replica's rebuild start as meta says it */
    pipeline_db db;
    pipeline_entry *batch;
    size_t nbatch, capbatch;
    bool woke;
    bool muted;          /* restoring or rebuilding: enrichment output is not re-logged */
    int64_t ingest_us;
    pipeline_touch *touched;   /* the open turn's changed calls, first touch first */
    size_t ntouched, captouched;
    bool turn_failed;    /* a write of the open turn failed: the whole turn is rolled back */
    bool settling;       /* pipeline_flush is ending the transaction itself */
    char turn_error[160];
    char degraded[200];  /* why the last commit failed; "" while commits succeed */
};

/* Record a call's state before the turn changes it (idempotent within a turn). */
pipeline_touch *pipeline_touch_call(pipeline *p, live_call *c, call_place was);
/* After a successful commit / a failed one: make the turn's changes final / undo them. */
void pipeline_turn_commit(pipeline *p);
void pipeline_turn_rollback(pipeline *p);
/* Watch the connection's transactions (an implicit rollback fails the turn). */
void pipeline_turn_hooks(pipeline *p, bool on);
/* Before the turn's commit: the checkpoints of its live calls due one, and the live_held
 * records of its calls that trimmed since theirs (a failed write fails the turn). */
void pipeline_turn_checkpoints(pipeline *p);

/* pipeline.c: enrichment for a call, afresh or from its checkpoint (false: none usable, so
 * started afresh), and one logged frame replayed into it: a final after the checkpoint's. */
void pipeline_start_assist(pipeline *p, live_call *c);
bool pipeline_resume_assist(pipeline *p, live_call *c);
void pipeline_replay_frame(pipeline *p, live_call *c, const char *frame, size_t len, int64_t seq);
/* The call's flag dedupe keys as its committed frames make them (see live_call_flag_once). */
void pipeline_remark_flags(live_call *c);
void pipeline_free_call(live_call *c);
/* At open: the live and un-wrapped interactions back from the database and the log
 * (pipeline_restore.c). */
void pipeline_restore(pipeline *p);

/* pipeline_redact.c: replace every free-text string of a body (at any depth) with its
 * redaction; `only_text`: only the keys a live console shows as free text ("text",
 * "evidence", "summary"); `spec`: the event's, for the top level's field limits. How many
 * values it replaced: 0, the body is as it was. */
size_t pipeline_redact(json_t *body, redact_mode mode, bool only_text, const proto_event_spec *spec);

#endif
