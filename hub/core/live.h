/* live.h — the hub's live interactions: who they belong to, and the part of their durable
 * frames a snapshot needs from memory, partial utterances compacted to the latest one per
 * uid. The rest of their history is in the event log, read by interaction when a snapshot
 * reaches back that far (hub/endpoints/console_snapshot.c).
 *
 * The same structure holds the ended interactions not yet wrapped up (hub/pipeline.c).
 *
 * What a call keeps, so its memory follows its live state and not its history: the last
 * LIVE_TAIL_FRAMES frames, and from before them only its state frames — the start, every
 * flag (bounded per call by the rules and CONTACTLENS_MAX_CATEGORY_FLAGS), the latest
 * sentiment, customer, checklist, summary and handover card, the latest LIVE_STATE_SUGGESTIONS suggestions
 * and the open partials. The others are dropped at a commit once the call holds half a tail
 * more than that; `dropped_upto` and `dropped_lines` say what went.
 *
 * Invariants: frames[] is in seq order; a NULL slot is a partial that a later frame of the
 * same uid replaced; open[] lists the uids whose latest frame is a partial, with its slot.
 * Every committed frame of the call with seq > dropped_upto that no later partial of its
 * uid replaced is in frames[]; those with seq <= dropped_upto in frames[] are state frames.
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
struct pii_vault;
struct pipeline;
struct recorder_file;
struct strset;

/* 128 frames: the last 40 or so lines with their enrichment, what an agent's transcript
 * pane shows, so a short resume or a small keep_lines is served from memory; 42-64 KB a call
 * at the ~330 B a frame measured (docs/BENCHMARKS.md), so 1,000 live calls hold at most
 * about 64 MB whatever their history. 20 suggestions: what a tail-only snapshot sends. */
enum { LIVE_TAIL_FRAMES = 128, LIVE_STATE_SUGGESTIONS = 20 };

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
    size_t trim_at;            /* frames held when the next commit trims; 0: the first bound */
    int64_t dropped_upto;      /* highest seq dropped from frames[] (in the log only); 0 none */
    size_t dropped_lines;      /* utterance frames dropped (finals: no open partial is) */
    live_open *open;
    size_t nopen, capopen;
    struct assist_call *call;
    struct pii_vault *vault;   /* clear values behind its masks, memory only (pii_vault.h) */
    struct recorder_file *rec;
    struct strset *flagged;    /* keys of flags raised while live (see live_call_flag_once) */
    struct strset *done_before; /* taken over from another hub of a bus: the request ids
                                   ("user\nid") its earlier owners applied, so a retry is not
                                   applied twice (pipeline_replica.c) */
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
    int64_t replay_after;      /* the pipeline's: seq of the last final in the enrichment
                                  checkpoint it was rebuilt from (0: none) */
    int64_t last_final_seq;    /* the latest final's seq, enriched */
    unsigned finals_unsaved;   /* finals enriched since its checkpoint was written */
    int64_t held_saved;        /* the pipeline's: dropped_upto as its live_held record says
                                  (pipeline_db.h); -1 when not known */
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

/* The event type of an encoded frame (the encoder writes "type" first); EV__COUNT if none. */
proto_type live_frame_type(const shared_frame *f);

/* Keep a durable frame of the call (takes a reference). For utterances pass the uid and
 * whether it is a partial: an earlier partial of that uid is dropped. */
void live_call_append(live_call *c, shared_frame *f, const char *uid, bool partial);
/* The turn committed: its appends are final (replaced partials are released), and frames
 * past the bound above leave memory. */
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
