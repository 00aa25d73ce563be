/* pipeline_turn.c — a loop turn's in-memory changes are final only once its group commit
 * is: this file keeps what is needed to undo them (an undo journal), and undoes them when
 * the commit fails.
 *
 * What a turn can change, and how each is put back:
 *   - frames of a call: live.c's per-call undo record (appends dropped, replaced partials
 *     restored);
 *   - which set a call is in (new, live, ended, ended and wrapped up): the touch records
 *     where it was, and who owned it before a takeover; nothing is freed before the commit (a call's end only sets its
 *     enrichment state and recording aside);
 *   - a call's enrichment state (flags raised and their dedupe, sentiment trend, checklist,
 *     suggestions shown): rebuilt as a restart does, from its committed checkpoint and the
 *     committed finals after it, with its flag and suggestion ids continuing where they were
 *     (an id is never reused): the finals it no longer holds read from the event log
 *     (live.h), the rest from memory;
 *   - the event log's next seq and the turn's database writes: SQLite's ROLLBACK, which the
 *     event log notices (eventlog_sqlite.c);
 *   - acks: the server answers them `unavailable` (hooks.committed(false)).
 * A write that fails inside the turn, or a rollback SQLite does on its own (SQLITE_FULL,
 * SQLITE_IOERR, SQLITE_BUSY may end the whole transaction), fails the rest of the turn:
 * the rollback hook notices, and the commit hook refuses any write the turn would then
 * make outside its transaction. */
#include "hub/core/pipeline_state.h"
#include "hub/assist/assist.h"
#include "base/mem.h"
#include "base/strhash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pipeline_touch *pipeline_touch_call(pipeline *p, live_call *c, call_place was)
{
    if (c->touch_slot)
        return &p->touched[c->touch_slot - 1];
    if (p->ntouched == p->captouched) {
        p->captouched = p->captouched ? p->captouched * 2 : 64;
        p->touched = mem_realloc(p->touched, p->captouched * sizeof *p->touched);
    }
    pipeline_touch *t = &p->touched[p->ntouched++];
    *t = (pipeline_touch){.c = c, .was = was, .rec = c->rec};
    c->touch_slot = p->ntouched;
    return t;
}

/* An ended call joins the set awaiting a wrap-up; the agent's oldest one leaves it when
 * the agent has more than UNWRAPPED_PER_AGENT (done at the commit, so a failed turn never
 * loses one). */
static void bound_ended(pipeline *p, const char *agent)
{
    size_t mine = 0;
    for (live_call *o = live_first(p->ended); o; o = o->next)
        mine += strcmp(o->agent, agent) == 0;
    for (live_call *o = live_first(p->ended), *n; o && mine > UNWRAPPED_PER_AGENT; o = n) {
        n = o->next;
        if (strcmp(o->agent, agent) == 0 && !o->touch_slot) {
            live_remove(p->ended, o);
            mine--;
        }
    }
}

void pipeline_turn_commit(pipeline *p)
{
    for (size_t i = 0; i < p->ntouched; i++) {
        pipeline_touch *t = &p->touched[i];
        live_call *c = t->c;
        live_call_commit(c);
        c->touch_slot = 0;
        if (t->ended_call)
            assist_call_free(t->ended_call);
        /* it ended in this turn: its last line is written, close the recording; no flag is
         * raised after the end, so its dedupe keys go too */
        if (c->ended_ms && t->was != PLACE_ENDED) {
            live_call_forget_flags(c);
            if (t->rec && p->rec)
                recorder_finish(p->rec, t->rec);
        }
        if (t->retired) {
            c->rec = NULL;
            pipeline_free_call(c);
            live_call_free(c);
        }
    }
    for (size_t i = 0; i < p->ntouched; i++) {
        pipeline_touch *t = &p->touched[i];
        if (!t->retired && t->c->ended_ms && t->was != PLACE_ENDED)
            bound_ended(p, t->c->agent);
    }
    p->ntouched = 0;
}

static call_place place_now(pipeline *p, live_call *c, const pipeline_touch *t)
{
    if (t->retired)
        return PLACE_NONE;
    if (live_find(p->live, c->iid) == c)
        return PLACE_LIVE;
    if (live_find(p->ended, c->iid) == c)
        return PLACE_ENDED;
    return PLACE_NONE;
}

typedef struct {
    pipeline *p;
    live_call *c;
} replay_ctx;

/* A frame the call no longer holds (seq <= dropped_upto; the ones after it are held). */
static int replay_dropped(void *ctx, const eventlog_entry *e)
{
    replay_ctx *r = ctx;
    if (e->seq > r->c->dropped_upto)
        return 1;
    pipeline_replay_frame(r->p, r->c, e->frame, e->len, e->seq);
    return 0;
}

/* The call's enrichment state as its committed frames make it, ids continuing: from its
 * committed checkpoint (the ROLLBACK took back one the turn wrote) and the finals after. */
static void rebuild_assist(pipeline *p, live_call *c, struct assist_call *before)
{
    if (!p->as)
        return;
    bool muted = p->muted;
    p->muted = true;
    pipeline_resume_assist(p, c);
    /* the frames held from before dropped_upto are state frames, not finals: replaying the
     * log's part first keeps the finals in order */
    if (c->dropped_upto > c->replay_after) {
        replay_ctx r = {p, c};
        p->log->ops->scan_interaction(p->log, c->iid, c->replay_after, replay_dropped, &r);
    }
    for (size_t i = 0; i < c->nframes; i++)
        if (c->frames[i])
            pipeline_replay_frame(p, c, shared_frame_data(c->frames[i]), c->frames[i]->len,
                                  c->frames[i]->seq);
    if (c->call && before)
        assist_call_continue_ids(c->call, before);
    p->muted = muted;
}

void pipeline_turn_rollback(pipeline *p)
{
    /* newest first: a call's later changes are undone before its earlier ones */
    for (size_t i = p->ntouched; i-- > 0;) {
        pipeline_touch *t = &p->touched[i];
        live_call *c = t->c;
        live_call_rollback(c);
        c->touch_slot = 0;
        c->held_saved = -1; /* a record the turn wrote went with it */
        if (t->reassigned) { /* a takeover that did not commit: the owner stays */
            memcpy(c->agent, t->was_agent, sizeof c->agent);
            memcpy(c->agent_name, t->was_agent_name, sizeof c->agent_name);
        }
        call_place now = place_now(p, c, t);
        if (t->was == PLACE_NONE) {
            /* started in the failed turn: it never existed */
            if (now == PLACE_LIVE)
                live_detach(p->live, c);
            else if (now == PLACE_ENDED)
                live_detach(p->ended, c);
            if (t->ended_call)
                assist_call_free(t->ended_call);
            if (!c->rec)
                c->rec = t->rec;
            pipeline_free_call(c);
            live_call_free(c);
            continue;
        }
        if (now != t->was) {
            if (now == PLACE_LIVE)
                live_detach(p->live, c);
            else if (now == PLACE_ENDED)
                live_detach(p->ended, c);
            live_attach(t->was == PLACE_LIVE ? p->live : p->ended, c);
        }
        if (t->was == PLACE_ENDED)
            continue;
        /* live before the turn: live again, with its recording and rebuilt enrichment */
        c->ended_ms = 0;
        c->rec = t->rec;
        pipeline_remark_flags(c); /* keys the failed turn marked are not flagged yet */
        struct assist_call *before = c->call ? c->call : t->ended_call;
        c->call = NULL;
        rebuild_assist(p, c, before);
        if (before)
            assist_call_free(before);
        if (t->ended_call && t->ended_call != before)
            assist_call_free(t->ended_call);
    }
    p->ntouched = 0;
}

/* Each interaction's own count between checkpoints, from 1/2 to 3/2 of
 * ASSIST_CHECKPOINT_FINALS by its id: interactions that move in step (a burst of calls
 * started together, a load generator's round robin) would otherwise all write theirs in the
 * same few turns: 1,000 of them stalled the hub for 0.4 s. */
static unsigned checkpoint_finals(const char *iid)
{
    return ASSIST_CHECKPOINT_FINALS / 2 + strhash_fnv1a(iid) % ASSIST_CHECKPOINT_FINALS;
}

void pipeline_turn_checkpoints(pipeline *p)
{
    for (size_t i = 0; i < p->ntouched && !p->turn_failed; i++) {
        pipeline_touch *t = &p->touched[i];
        live_call *c = t->c;
        /* a trim of an earlier commit moved what the call holds from before its tail: its
         * record follows (a record behind it only makes a start read more of the log) */
        if (!t->retired && c->dropped_upto != c->held_saved) {
            if (pipeline_db_held_put(&p->db, c) != 0) {
                pipeline_fail_turn(p, sqlite3_errmsg(store_db(p->st)));
                break;
            }
            c->held_saved = c->dropped_upto;
        }
        if (!c->call || c->ended_ms || c->finals_unsaved < checkpoint_finals(c->iid))
            continue;
        size_t len = 0;
        unsigned char *state = assist_call_save(c->call, &len);
        if (pipeline_db_checkpoint_put(&p->db, c->iid, c->last_final_seq, state, len) != 0)
            pipeline_fail_turn(p, sqlite3_errmsg(store_db(p->st)));
        else
            c->finals_unsaved = 0;
        free(state);
    }
}

/* SQLite ended the transaction by itself (or a statement of ours failed it): whatever
 * the turn does next would run outside it, so the turn is over. */
static void on_rollback(void *ctx)
{
    pipeline *p = ctx;
    if (!p->settling && p->woke)
        pipeline_fail_turn(p, "the transaction was rolled back by the database");
}

/* Nothing commits while the turn is failing: a write after an implicit rollback would
 * otherwise commit on its own, half a turn. Non-zero turns the COMMIT into a ROLLBACK. */
static int on_commit(void *ctx)
{
    pipeline *p = ctx;
    return p->turn_failed ? 1 : 0;
}

void pipeline_turn_hooks(pipeline *p, bool on)
{
    sqlite3 *db = store_db(p->st);
    sqlite3_rollback_hook(db, on ? on_rollback : NULL, on ? p : NULL);
    sqlite3_commit_hook(db, on ? on_commit : NULL, on ? p : NULL);
}
