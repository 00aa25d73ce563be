/* pipeline_replica.c — on a shared bus (eventlog_redis.h), the interactions other hubs own,
 * as this hub sees them: kept from the frames the bus brings, so a console on this hub gets
 * them in its snapshot and live, exactly as if they were this hub's.
 *
 * A replica is a live_call with no enrichment state, no recording and no owner pipeline;
 * only the frames a snapshot needs (live.c trims it like any call) and the fields a snapshot
 * lists. It is never in the pipeline's own sets, so nothing this hub does to its own calls
 * (ticks, ingest, wrap-up offers) touches it. At start it is rebuilt from the local copy of
 * the log after the oldest start of a replica still open (meta bus_replica_from). */
#include "hub/core/pipeline_internal.h"
#include "hub/core/pipeline_state.h"
#include "base/clock.h"
#include "base/logfile.h"
#include "base/mem.h"
#include "base/strset.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ended replicas kept for a snapshot's wrap-up list (their owner keeps the real bound). */
enum { REPLICA_ENDED_MAX = 5000 };

static void copy_str(char *out, size_t cap, json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    snprintf(out, cap, "%s", v ? v : "");
}

static json_t *parse(const shared_frame *f)
{
    return json_loadb(shared_frame_data(f), f->len, 0, NULL);
}

static live_call *started(pipeline *p, shared_frame *f, const char *iid)
{
    if (live_find(p->live, iid) || live_find(p->ended, iid))
        return NULL;   /* ours (a commit that failed here after the bus took it) */
    live_call *c = live_find(p->remote_live, iid);
    if (c)
        return c;
    json_t *o = parse(f);
    if (!o)
        return NULL;
    c = live_add(p->remote_live, iid);
    copy_str(c->channel, sizeof c->channel, o, "channel");
    copy_str(c->queue, sizeof c->queue, o, "queue");
    copy_str(c->agent, sizeof c->agent, o, "agent");
    copy_str(c->agent_name, sizeof c->agent_name, o, "agent_name");
    copy_str(c->customer_id, sizeof c->customer_id, o, "customer_id");
    copy_str(c->customer_name, sizeof c->customer_name, o, "customer_name");
    c->started_ms = (int64_t)json_integer_value(json_object_get(o, "started_ms"));
    json_decref(o);
    return c;
}

/* One committed frame another hub appended. */
static void replica_apply(pipeline *p, shared_frame *f, const char *iid)
{
    if (!iid[0])
        return;
    proto_type type = live_frame_type(f);
    live_call *c = type == EV_INTERACTION_STARTED ? started(p, f, iid) : live_find(p->remote_live, iid);
    if (!c)
        c = live_find(p->remote_ended, iid);
    if (!c)
        return;   /* one that started before this hub's copy begins, or ours */
    for (size_t i = c->nframes; i-- > 0;)
        if (c->frames[i]) {
            if (f->seq <= c->frames[i]->seq)
                return;   /* held already (a start's rebuild after a reconcile) */
            break;
        }
    if (type == EV_WRAPPED_UP) {
        live_remove(p->remote_ended, c);
        return;
    }
    const char *uid = NULL;
    bool partial = false;
    json_t *o = NULL;
    if (type == EV_UTTERANCE || type == EV_ASSIGNED) {
        o = parse(f);
        uid = json_string_value(json_object_get(o, "uid"));
        partial = type == EV_UTTERANCE && !json_is_true(json_object_get(o, "final"));
        if (type == EV_ASSIGNED) {
            copy_str(c->agent, sizeof c->agent, o, "agent");
            copy_str(c->agent_name, sizeof c->agent_name, o, "agent_name");
        }
    }
    live_call_append(c, f, uid, partial);
    live_call_commit(c);
    json_decref(o);
    if (type == EV_INTERACTION_ENDED && !c->ended_ms) {
        c->ended_ms = clock_wall_ms();
        live_detach(p->remote_live, c);
        live_attach(p->remote_ended, c);
    }
    /* ended ones awaiting a wrap-up leave as their owner's do: after a day, or past the bound
     * (oldest end first, as they were attached) */
    live_call *old;
    int64_t now = clock_wall_ms();
    while ((old = live_first(p->remote_ended)) &&
           (live_count(p->remote_ended) > REPLICA_ENDED_MAX || old->ended_ms < now - UNWRAPPED_MAX_AGE_MS))
        live_remove(p->remote_ended, old);
}

/* Where a start's rebuild begins: before the oldest start of a replica still open. */
static int64_t replica_horizon(pipeline *p)
{
    int64_t from = p->log->ops->last_seq(p->log);
    live *sets[] = {p->remote_live, p->remote_ended};
    for (size_t k = 0; k < 2; k++)
        for (live_call *c = live_first(sets[k]); c; c = c->next)
            if (c->nframes && c->frames[0] && c->frames[0]->seq - 1 < from)
                from = c->frames[0]->seq - 1;
    return from;
}

static void save_horizon(pipeline *p)
{
    int64_t from = replica_horizon(p);
    if (from == p->replica_saved)
        return;
    sqlite3_stmt *st = NULL;
    sqlite3 *db = store_db(p->st);
    if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('bus_replica_from', ?1)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, from);
        if (sqlite3_step(st) == SQLITE_DONE)
            p->replica_saved = from;
    }
    sqlite3_finalize(st);
}

typedef struct {
    pipeline *p;
    bool changed;
} take_ctx;

static int take_one(void *ctx, const eventlog_entry *e)
{
    take_ctx *t = ctx;
    pipeline *p = t->p;
    shared_frame *f = shared_frame_new(e->frame, e->len, e->seq);
    proto_type type = live_frame_type(f);
    t->changed |= type == EV_INTERACTION_STARTED || type == EV_WRAPPED_UP;
    replica_apply(p, f, e->iid);
    if (p->hooks.deliver) {
        pipeline_entry pe = {.frame = f, .type = type};
        snprintf(pe.iid, sizeof pe.iid, "%s", e->iid);
        snprintf(pe.agent, sizeof pe.agent, "%s", e->agent);
        snprintf(pe.audience, sizeof pe.audience, "%s", e->audience);
        p->hooks.deliver(p->hooks.ctx, &pe);
    }
    shared_frame_unref(f);
    return 0;
}

void pipeline_replica_take(pipeline *p)
{
    if (!p->log->ops->take_remote)
        return;
    take_ctx t = {.p = p};
    p->log->ops->take_remote(p->log, take_one, &t);
    if (t.changed && sqlite3_get_autocommit(store_db(p->st)))
        save_horizon(p);
}

int pipeline_bus_pull(pipeline *p)
{
    if (!p->log->ops->pull)
        return 0;
    if (pipeline_begin(p) != 0)
        return -1;
    if (p->log->ops->pull(p->log) != 0) {
        pipeline_fail_turn(p, p->log->ops->error(p->log));
        return -1;
    }
    return 0;
}

static int rebuild_one(void *ctx, const eventlog_entry *e)
{
    pipeline *p = ctx;
    shared_frame *f = shared_frame_new(e->frame, e->len, e->seq);
    replica_apply(p, f, e->iid);
    shared_frame_unref(f);
    return 0;
}

void pipeline_replica_restore(pipeline *p)
{
    if (!p->log->ops->take_remote)
        return;
    int64_t from = 0;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(store_db(p->st), "SELECT value FROM meta WHERE key = 'bus_replica_from'", -1,
                           &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        from = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    p->replica_saved = from;
    p->log->ops->scan(p->log, from, rebuild_one, p);
    logfile_write("bus: %zu live and %zu ended interactions of other hubs, read from seq %lld",
                  live_count(p->remote_live), live_count(p->remote_ended), (long long)from);
}

bool pipeline_owned_elsewhere(pipeline *p, const char *iid)
{
    return iid && (live_find(p->remote_live, iid) || live_find(p->remote_ended, iid));
}

live *pipeline_remote_live(pipeline *p)
{
    return p->remote_live;
}

live *pipeline_remote_ended(pipeline *p)
{
    return p->remote_ended;
}

/* Each second while calls are live: this hub's leases on them kept, so no other hub takes
 * over an interaction this one still serves. */
void pipeline_renew_leases(pipeline *p)
{
    if (!p->log->ops->renew || !live_first(p->live))
        return;
    size_t n = live_count(p->live), i = 0;
    const char **iids = mem_alloc(n * sizeof *iids);
    for (live_call *c = live_first(p->live); c && i < n; c = c->next)
        iids[i++] = c->iid;
    p->log->ops->renew(p->log, iids, i);
    free(iids);
}

/* After a start: a live interaction this hub's database lists but another hub now owns (it
 * took it over while this one was down) is that hub's; kept here as a replica. */
void pipeline_replica_reconcile(pipeline *p)
{
    if (!p->log->ops->claim)
        return;
    for (live_call *c = live_first(p->live), *n; c; c = n) {
        n = c->next;
        char holder[80] = "";
        if (p->log->ops->claim(p->log, c->iid, holder, sizeof holder) != 0)
            continue;
        logfile_write("bus: %s is live on hub %s now: kept here as its replica", c->iid, holder);
        live_detach(p->live, c);
        pipeline_free_call(c);   /* its enrichment and recording are the new owner's */
        live_attach(p->remote_live, c);
    }
}

bool pipeline_lookup_replica(pipeline *p, const char *iid, pipeline_info *out)
{
    memset(out, 0, sizeof *out);
    live_call *c = iid ? live_find(p->remote_live, iid) : NULL;
    if (!c && iid)
        c = live_find(p->remote_ended, iid);
    if (!c)
        return false;
    snprintf(out->agent, sizeof out->agent, "%s", c->agent);
    snprintf(out->channel, sizeof out->channel, "%s", c->channel);
    out->started_ms = c->started_ms;
    out->live = !c->ended_ms;
    return true;
}

int pipeline_take_over(pipeline *p, const char *iid, char *holder, size_t holder_len)
{
    if (holder_len)
        holder[0] = 0;
    live_call *r = iid && p->log->ops->claim ? live_find(p->remote_live, iid) : NULL;
    if (!r)
        return 0;
    int claimed = p->log->ops->claim(p->log, iid, holder, holder_len);
    if (claimed != 1)
        return claimed;
    return pipeline_adopt(p, r) == 0 ? 1 : -1;
}

static void note_done_before(void *ctx, const char *key)
{
    live_call *c = ctx;
    if (!c->done_before)
        c->done_before = strset_new();
    strset_add(c->done_before, key);
}

/* What the interaction's earlier owners applied, read when this hub takes it over. */
void pipeline_recall_done(pipeline *p, live_call *c)
{
    if (p->log->ops->recall && p->log->ops->recall(p->log, c->iid, note_done_before, c) != 0)
        logfile_write("bus: %s taken over without the ids its earlier owner applied: a retry of one "
                      "of them would be applied again", c->iid);
}

bool pipeline_seen_on_bus(pipeline *p, const char *iid, const char *user, const char *id)
{
    if (!p->log->ops->recall || !iid || !user || !id)
        return false;
    if (p->log->ops->seen && p->log->ops->seen(p->log, iid, user, id))
        return true;
    live_call *c = live_find(p->live, iid);
    if (!c) {   /* another hub's whose owner died: taken over first, its ids with it */
        char holder[80];
        if (pipeline_take_over(p, iid, holder, sizeof holder) == 1)
            c = live_find(p->live, iid);
    }
    if (!c || !c->done_before)
        return false;
    char key[2 * 130];
    snprintf(key, sizeof key, "%s\n%s", user, id);
    return strset_has(c->done_before, key);
}

void pipeline_remember_on_bus(pipeline *p, const char *iid, const char *user, const char *id)
{
    if (p->log->ops->remember && iid)
        p->log->ops->remember(p->log, iid, user, id);
}
