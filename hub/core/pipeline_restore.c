/* pipeline_restore.c — a start rebuilds the live interactions (and the ended ones awaiting a
 * wrap-up) from the interactions table, their enrichment checkpoints and the log read by
 * interaction; a failed commit reuses the same replay of finals and flag marks. Part of the
 * pipeline (pipeline_state.h). */
#include "hub/core/pipeline_state.h"
#include "hub/assist/assist.h"
#include "base/clock.h"
#include "base/logfile.h"

#include <stdlib.h>
#include <string.h>

/* A final utterance of the call's log, fed to its enrichment again (muted). */
void pipeline_replay_frame(pipeline *p, live_call *c, const char *frame, size_t len, int64_t seq)
{
    (void)p;
    if (!c->call || seq <= c->replay_after)
        return;
    json_t *j = json_loadb(frame, len, 0, NULL);
    const char *type = json_string_value(json_object_get(j, "type"));
    const char *uid = json_string_value(json_object_get(j, "uid"));
    if (type && strcmp(type, "utterance") == 0 && json_is_true(json_object_get(j, "final")) && uid) {
        assist_utterance_info u = {.uid = uid,
                                   .speaker = json_string_value(json_object_get(j, "speaker")),
                                   .text = json_string_value(json_object_get(j, "text")),
                                   .final = true,
                                   .offset_ms = json_integer_value(json_object_get(j, "offset_ms"))};
        if (u.speaker && u.text) {
            assist_call_utterance(c->call, &u, clock_wall_ms());
            c->last_final_seq = seq;
            c->finals_unsaved++;
        }
    }
    json_decref(j);
}

/* A Contact Lens category flag of the call's log marks its key again, so a category the
 * source repeats is not flagged twice: after a restart, and after a failed commit. */
static void remark_flag(live_call *c, json_t *frame)
{
    const char *type = json_string_value(json_object_get(frame, "type"));
    const char *rule = json_string_value(json_object_get(frame, "rule"));
    const char *fid = json_string_value(json_object_get(frame, "fid"));
    if (type && strcmp(type, "flag") == 0 && rule && strcmp(rule, PIPELINE_SOURCE_FLAG_RULE) == 0 && fid)
        live_call_flag_once(c, fid, SIZE_MAX);
}

void pipeline_remark_flags(live_call *c)
{
    live_call_forget_flags(c);
    for (size_t i = 0; i < c->nframes; i++) {
        if (!c->frames[i])
            continue;
        json_t *j = json_loadb(shared_frame_data(c->frames[i]), c->frames[i]->len, 0, NULL);
        remark_flag(c, j);
        json_decref(j);
    }
}

static int restore_frame(void *ctx, const eventlog_entry *e)
{
    pipeline *p = ctx;
    if (!e->iid || !e->iid[0])
        return 0;
    live_call *c = live_find(p->live, e->iid);
    if (!c)
        c = live_find(p->ended, e->iid);
    if (!c)
        return 0;
    const char *type = NULL, *uid = NULL;
    json_t *j = json_loadb(e->frame, e->len, 0, NULL);
    type = json_string_value(json_object_get(j, "type"));
    bool utt = type && strcmp(type, "utterance") == 0;
    uid = utt ? json_string_value(json_object_get(j, "uid")) : NULL;
    bool partial = utt && !json_is_true(json_object_get(j, "final"));
    shared_frame *f = shared_frame_new(e->frame, e->len, e->seq);
    live_call_append(c, f, uid, partial);
    live_call_commit(c); /* read from the committed log: final already */
    shared_frame_unref(f);
    if (!c->ended_ms)
        remark_flag(c, j);
    json_decref(j);
    if (utt && !partial)
        pipeline_replay_frame(p, c, e->frame, e->len, e->seq);
    return 0;
}

static void restore_call(void *ctx, live_call *c)
{
    pipeline *p = ctx;
    c->owner = p;
    c->last_activity_ms = clock_mono_ms();
    if (p->rec)
        c->rec = recorder_begin(p->rec, c->iid, c->channel, c->queue, c->agent, c->started_ms);
    pipeline_resume_assist(p, c);
}

static void restore_ended(void *ctx, live_call *c)
{
    c->owner = ctx;
}

/* A call whose start replayed many finals (a database from before checkpoints, or one whose
 * checkpoint could not be used) gets one now, so the next start does not replay them again. */
static void checkpoint_restored(pipeline *p)
{
    bool any = false;
    for (live_call *c = live_first(p->live); c && !any; c = c->next)
        any = c->call && c->finals_unsaved >= ASSIST_CHECKPOINT_FINALS;
    if (!any || store_begin(p->st) != 0)
        return;
    bool ok = true;
    for (live_call *c = live_first(p->live); c && ok; c = c->next) {
        if (!c->call || c->finals_unsaved < ASSIST_CHECKPOINT_FINALS)
            continue;
        size_t len = 0;
        unsigned char *state = assist_call_save(c->call, &len);
        ok = pipeline_db_checkpoint_put(&p->db, c->iid, c->last_final_seq, state, len) == 0;
        free(state);
        if (ok)
            c->finals_unsaved = 0;
    }
    sqlite3 *db = store_db(p->st);
    if (!ok || store_commit(p->st) != 0) {
        logfile_write("enrichment checkpoints after the start not written: %s", sqlite3_errmsg(db));
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
}

/* Interactions live at the last stop come back with what a call holds of their frames
 * (live.h: each commit trims it, so memory never holds a whole history); their enrichment
 * state is read from their checkpoint and only the finals after it are replayed, without
 * logging anything again. */
void pipeline_restore(pipeline *p)
{
    eventlog *log = p->log;
    p->muted = true;
    pipeline_db_restore(&p->db, p->live, restore_call, p);
    /* and so do the ended ones still awaiting a wrap-up, so a console's snapshot offers
     * them across the restart */
    pipeline_db_restore_unwrapped(&p->db, p->ended, clock_wall_ms() - UNWRAPPED_MAX_AGE_MS,
                                  UNWRAPPED_PER_AGENT, restore_ended, p);
    /* each through the log's index by interaction: the rest of the history is not read */
    for (live_call *c = live_first(p->live); c; c = c->next)
        log->ops->scan_interaction(log, c->iid, 0, restore_frame, p);
    for (live_call *c = live_first(p->ended); c; c = c->next)
        log->ops->scan_interaction(log, c->iid, 0, restore_frame, p);
    p->muted = false;
    checkpoint_restored(p);
}
