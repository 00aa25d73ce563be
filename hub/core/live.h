/* live.h — the hub's live interactions: who they belong to, and their durable frames so
 * far with partial utterances compacted to the latest one per uid (what a console that
 * says hello without resume_after is replayed after its snapshot).
 *
 * The same structure holds the ended interactions not yet wrapped up (hub/pipeline.c).
 *
 * Invariants: frames[] is in seq order; a NULL slot is a partial that a later frame of the
 * same uid replaced; open[] lists the uids whose latest frame is a partial, with its slot.
 *
 * A loop turn's changes to a call are provisional until the turn's group commit: the first
 * append of a turn records where the call stood (its frame count and open partials) and
 * the partials the turn replaces keep their reference, so live_call_rollback can put the
 * call back exactly as it was committed; live_call_commit makes the changes final. */
#ifndef AGENTDESK_HUB_LIVE_H
#define AGENTDESK_HUB_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hub/core/frame.h"
#include "proto/catalogue.h"

struct assist_call;
struct pipeline;
struct recorder_file;
struct strset;

typedef struct live_open {
    char uid[PROTO_MAX_ID + 1];
    size_t slot;
} live_open;

typedef struct live_call {
    char iid[PROTO_MAX_ID + 1];
    char channel[8];
    char queue[PROTO_MAX_SHORT + 1];
    char agent[PROTO_MAX_ID + 1];
    char agent_name[PROTO_MAX_SHORT + 1];
    char customer_id[PROTO_MAX_ID + 1];
    char customer_name[PROTO_MAX_SHORT + 1];
    int64_t started_ms;
    int64_t ended_ms;          /* 0 while live */
    int64_t last_activity_ms;
    shared_frame **frames;
    size_t nframes, capframes, holes;
    live_open *open;
    size_t nopen, capopen;
    struct assist_call *call;
    struct recorder_file *rec;
    struct strset *flagged;    /* keys of flags raised while live (see live_call_flag_once) */
    struct pipeline *owner;
    struct live_call *prev, *next;
    /* the open turn's undo record (see above) */
    bool dirty;
    size_t turn_nframes;
    live_open *turn_open;
    size_t turn_nopen;
    struct live_replaced *replaced;
    size_t nreplaced, capreplaced;
    size_t touch_slot;         /* the pipeline's: 1 + index in the turn's touched list, 0 none */
    unsigned replies;          /* lines a console typed (pipeline_user_utterance): the demo
                                  customer waits for them (hub/cli/simulator.c) */
} live_call;

typedef struct live_replaced {
    size_t slot;
    shared_frame *frame;
} live_replaced;

typedef struct live live;

live *live_new(void);
/* Frees every call; `on_free` (may be NULL) runs first for each, e.g. to free call->call. */
void live_free(live *l, void (*on_free)(live_call *c));
live_call *live_find(live *l, const char *iid);
/* A new, empty call for iid; NULL when iid is already live. */
live_call *live_add(live *l, const char *iid);
void live_remove(live *l, live_call *c);
/* Free a call that is in no set (taken out with live_detach). */
void live_call_free(live_call *c);
/* Take c out of l without freeing it, and append a detached call to l (moving an ended
 * interaction, frames and all, from the live set to the set awaiting wrap-up). */
void live_detach(live *l, live_call *c);
void live_attach(live *l, live_call *c);
live_call *live_first(live *l);
live_call *live_last(live *l);
size_t live_count(const live *l);

/* Keep a durable frame of the call (takes a reference). For utterances pass the uid and
 * whether it is a partial: an earlier partial of that uid is dropped. */
void live_call_append(live_call *c, shared_frame *f, const char *uid, bool partial);
/* The turn committed: its appends are final (replaced partials are released). */
void live_call_commit(live_call *c);
/* The turn failed: drop its appends and bring back the partials it replaced. */
void live_call_rollback(live_call *c);

/* Deduplicating a flag that a source repeats (a Contact Lens category matched again in a
 * later segment): true the first time `key` is seen for this call and while the call holds
 * fewer than `max` keys; in constant time. The keys are freed by live_call_forget_flags,
 * which every end of the interaction calls (and freeing the call); their number is the
 * agentdesk_flag_keys gauge. */
bool live_call_flag_once(live_call *c, const char *key, size_t max);
void live_call_forget_flags(live_call *c);

#endif
