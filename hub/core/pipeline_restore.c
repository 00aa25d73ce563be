/* pipeline_restore.c — a start rebuilds the live interactions (and the ended ones awaiting a
 * wrap-up) from the interactions table, their enrichment checkpoints, their live_held records
 * and the log read by interaction; a failed commit reuses the same replay of finals and flag
 * marks. Part of the pipeline (pipeline_state.h).
 *
 * What a start reads of an interaction is bounded by what it holds, not by its history: the
 * frames it held from before its tail, by seq (its live_held record), the log after
 * dropped_upto (its tail and what came after the record), and, when its enrichment
 * checkpoint is older than dropped_upto, the log between the two (fewer than
 * ASSIST_CHECKPOINT_FINALS finals). An interaction without a record (a database written
 * before them) is read whole once, and gets one. Frames are classified without parsing them:
 * only the finals replayed into enrichment and the flags are parsed. */
#include "hub/core/pipeline_state.h"
#include "hub/core/metrics.h"
#include "hub/assist/assist.h"
#include "base/clock.h"
#include "base/logfile.h"

#include <stdlib.h>
#include <string.h>

/* Where `key` (starting with a quote) last starts in the frame, or NULL. `"final"` is a few
 * bytes from an utterance's end, so a plain loop from there beats memmem's from the start. */
static const char *find_key_back(const char *s, size_t len, const char *key, size_t klen)
{
    if (len < klen)
        return NULL;
    for (size_t i = len - klen + 1; i-- > 0;)
        if (s[i] == '"' && s[i + 1] == key[1] && memcmp(s + i, key, klen) == 0)
            return s + i;
    return NULL;
}

/* A final utterance. The encoder writes compact JSON, "type" first, and escapes every quote
 * inside a string, so `"final":true` can only be the field. */
static bool final_frame(const char *frame, size_t len)
{
    static const char utt[] = "{\"type\":\"utterance\"", fin[] = "\"final\":true";
    return len > sizeof utt && memcmp(frame, utt, sizeof utt - 1) == 0 &&
           find_key_back(frame, len, fin, sizeof fin - 1) != NULL;
}

/* A final utterance of the call's log, fed to its enrichment again (muted). */
void pipeline_replay_frame(pipeline *p, live_call *c, const char *frame, size_t len, int64_t seq)
{
    (void)p;
    if (!c->call || seq <= c->replay_after || !final_frame(frame, len))
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
        if (!c->frames[i] || live_frame_type(c->frames[i]) != EV_FLAG)
            continue;
        json_t *j = json_loadb(shared_frame_data(c->frames[i]), c->frames[i]->len, 0, NULL);
        remark_flag(c, j);
        json_decref(j);
    }
}

/* The uid of an utterance frame without parsing it (the same reasoning as final_frame: the
 * first `"uid":"` is the field, iid and seq coming before it); false when the value has an
 * escape, which only a parse reads right. */
static bool frame_uid(const char *frame, size_t len, char out[PROTO_MAX_ID + 1])
{
    static const char key[] = "\"uid\":\"";
    const char *v = memmem(frame, len, key, sizeof key - 1);
    if (!v)
        return false;
    v += sizeof key - 1;
    const char *end = memchr(v, '"', len - (size_t)(v - frame));
    if (!end || end - v > PROTO_MAX_ID || memchr(v, '\\', (size_t)(end - v)))
        return false;
    memcpy(out, v, (size_t)(end - v));
    out[end - v] = 0;
    return true;
}

typedef struct {
    pipeline *p;
    live_call *c;
    int64_t upto;   /* replay_upto: the last seq to replay */
    int64_t rows;
} restore_ctx;

/* A frame the call held (or holds now, as at run time): appended and committed, so the
 * call trims as it loads; a final after its checkpoint replayed into its enrichment. */
static int restore_frame(void *ctx, const eventlog_entry *e)
{
    restore_ctx *r = ctx;
    live_call *c = r->c;
    r->rows++;
    shared_frame *f = shared_frame_new(e->frame, e->len, e->seq);
    proto_type ty = live_frame_type(f);
    char uid[PROTO_MAX_ID + 1];
    const char *u = NULL;
    bool partial = false;
    if (ty == EV_UTTERANCE)
        partial = !final_frame(e->frame, e->len);
    /* the uid only matters to a partial, or to a final while partials are open */
    if (ty == EV_UTTERANCE && (partial || c->nopen)) {
        if (frame_uid(e->frame, e->len, uid)) {
            u = uid;
        } else { /* an escaped uid: parsed */
            json_t *j = json_loadb(e->frame, e->len, 0, NULL);
            const char *ju = json_string_value(json_object_get(j, "uid"));
            if (ju && strlen(ju) <= PROTO_MAX_ID) {
                strcpy(uid, ju);
                u = uid;
            }
            json_decref(j);
        }
    }
    live_call_append(c, f, u, partial);
    live_call_commit(c); /* read from the committed log: final already */
    shared_frame_unref(f);
    if (ty == EV_FLAG && !c->ended_ms) {
        json_t *j = json_loadb(e->frame, e->len, 0, NULL);
        remark_flag(c, j);
        json_decref(j);
    }
    if (ty == EV_UTTERANCE && !partial)
        pipeline_replay_frame(r->p, c, e->frame, e->len, e->seq);
    return 0;
}

/* A final the call no longer holds, after its checkpoint: replayed only. */
static int replay_upto(void *ctx, const eventlog_entry *e)
{
    restore_ctx *r = ctx;
    if (e->seq > r->upto)
        return 1;
    r->rows++;
    pipeline_replay_frame(r->p, r->c, e->frame, e->len, e->seq);
    return 0;
}

/* One interaction's frames and enrichment back (see the top). */
static void restore_frames(pipeline *p, live_call *c)
{
    eventlog *log = p->log;
    restore_ctx r = {.p = p, .c = c};
    pipeline_held h;
    int64_t after = 0;
    c->held_saved = 0;
    if (pipeline_db_held(&p->db, c->iid, &h)) {
        /* finals first, in order: the held frames before dropped_upto are state frames */
        if (c->call && c->replay_after < h.dropped_upto) {
            r.upto = h.dropped_upto;
            log->ops->scan_interaction(log, c->iid, c->replay_after, replay_upto, &r);
        }
        c->dropped_upto = h.dropped_upto;
        c->dropped_lines = h.dropped_lines;
        c->held_saved = h.dropped_upto;
        log->ops->scan_seqs(log, h.seqs, h.nseqs, restore_frame, &r);
        after = h.dropped_upto;
        free(h.seqs);
    }
    log->ops->scan_interaction(log, c->iid, after, restore_frame, &r);
    metrics_start_log_rows(r.rows);
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
 * checkpoint could not be used) gets a checkpoint now, so the next start does not replay them
 * again; and a call whose record is missing or behind what it now holds gets its live_held
 * record, so the next start reads only that. Records of interactions not restored go. */
static bool ckpt_due(const live_call *c)
{
    return c->call && c->finals_unsaved >= ASSIST_CHECKPOINT_FINALS;
}

static bool held_due(const live_call *c)
{
    return c->dropped_upto != c->held_saved;
}

static bool save_call(pipeline *p, live_call *c)
{
    if (ckpt_due(c)) {
        size_t len = 0;
        unsigned char *state = assist_call_save(c->call, &len);
        int rc = pipeline_db_checkpoint_put(&p->db, c->iid, c->last_final_seq, state, len);
        free(state);
        if (rc != 0)
            return false;
        c->finals_unsaved = 0;
    }
    if (held_due(c)) {
        if (pipeline_db_held_put(&p->db, c) != 0)
            return false;
        c->held_saved = c->dropped_upto;
    }
    return true;
}

static void save_restored(pipeline *p)
{
    if (store_begin(p->st) != 0)
        return;
    bool ok = pipeline_db_held_prune(&p->db, p->live, p->ended) == 0;
    for (live_call *c = live_first(p->live); c && ok; c = c->next)
        ok = save_call(p, c);
    for (live_call *c = live_first(p->ended); c && ok; c = c->next)
        ok = save_call(p, c);
    sqlite3 *db = store_db(p->st);
    if (!ok || store_commit(p->st) != 0) {
        logfile_write("enrichment checkpoints and held records after the start not written: %s",
                      sqlite3_errmsg(db));
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        for (live_call *c = live_first(p->live); c; c = c->next)
            c->held_saved = -1;
        for (live_call *c = live_first(p->ended); c; c = c->next)
            c->held_saved = -1;
    }
}

/* Interactions live at the last stop come back with what a call holds of their frames
 * (live.h: each commit trims it, so memory never holds a whole history), read as the top
 * says; their enrichment state is read from their checkpoint and only the finals after it
 * are replayed, without logging anything again. */
void pipeline_restore(pipeline *p)
{
    p->muted = true;
    /* each reopened recording rewrites its index row: one transaction for them all, not a
     * commit each (a failed one leaves the rows as they were: the next start recounts) */
    bool batch = store_begin(p->st) == 0;
    pipeline_db_restore(&p->db, p->live, restore_call, p);
    /* and so do the ended ones still awaiting a wrap-up, so a console's snapshot offers
     * them across the restart */
    pipeline_db_restore_unwrapped(&p->db, p->ended, clock_wall_ms() - UNWRAPPED_MAX_AGE_MS,
                                  UNWRAPPED_PER_AGENT, restore_ended, p);
    if (batch && store_commit(p->st) != 0)
        logfile_write("recordings reopened at the start: index rows not written: %s",
                      sqlite3_errmsg(store_db(p->st)));
    for (live_call *c = live_first(p->live); c; c = c->next)
        restore_frames(p, c);
    for (live_call *c = live_first(p->ended); c; c = c->next)
        restore_frames(p, c);
    p->muted = false;
    save_restored(p);
}

int pipeline_adopt(pipeline *p, live_call *replica)
{
    if (pipeline_begin(p) != 0)
        return -1;
    live_call *c = live_add(p->live, replica->iid);
    memcpy(c->channel, replica->channel, sizeof c->channel);
    memcpy(c->queue, replica->queue, sizeof c->queue);
    memcpy(c->agent, replica->agent, sizeof c->agent);
    memcpy(c->agent_name, replica->agent_name, sizeof c->agent_name);
    memcpy(c->customer_id, replica->customer_id, sizeof c->customer_id);
    memcpy(c->customer_name, replica->customer_name, sizeof c->customer_name);
    c->started_ms = replica->started_ms;
    if (pipeline_db_insert_interaction(&p->db, c) != 0) {
        live_remove(p->live, c);
        pipeline_fail_turn(p, sqlite3_errmsg(store_db(p->st)));
        return -1;
    }
    live_remove(p->remote_live, replica);
    /* as a start restores it: every frame from the log here, finals replayed, nothing
     * logged again; its recording here starts now (the earlier part is the old owner's) */
    p->muted = true;
    restore_call(p, c);
    restore_frames(p, c);
    p->muted = false;
    pipeline_touch_call(p, c, PLACE_NONE);
    pipeline_recall_done(p, c);
    logfile_write("bus: took over %s (its hub's lease lapsed): %zu frames, enrichment rebuilt", c->iid,
                  c->nframes);
    return 0;
}
