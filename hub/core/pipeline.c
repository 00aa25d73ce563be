/* pipeline.c — ingest events through live state and enrichment into the event log, one
 * group commit per loop turn, then fan-out and recording (see pipeline_internal.h). */
#include "hub/core/pipeline_state.h"
#include "hub/assist/assist.h"
#include "hub/core/metrics.h"
#include "hub/core/pii_vault.h"
#include "base/logfile.h"
#include "base/mem.h"
#include "base/text.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

live *pipeline_live(pipeline *p) { return p->live; }
live *pipeline_ended(pipeline *p) { return p->ended; }
bool pipeline_has_staged(const pipeline *p) { return p->nbatch > 0; }
void pipeline_set_ingest_time(pipeline *p, int64_t mono_us) { p->ingest_us = mono_us; }

bool pipeline_is_live(pipeline *p, const char *iid)
{
    return iid && live_find(p->live, iid) != NULL;
}

/* The caller changes the enrichment state (feedback, a tick by hand): part of the turn. */
struct assist_call *pipeline_assist_call(pipeline *p, const char *iid)
{
    live_call *c = live_find(p->live, iid);
    if (c && c->call)
        pipeline_touch_call(p, c, PLACE_LIVE);
    return c ? c->call : NULL;
}

bool pipeline_lookup(pipeline *p, const char *iid, pipeline_info *out)
{
    memset(out, 0, sizeof *out);
    live_call *c = live_find(p->live, iid);
    if (c) {
        snprintf(out->agent, sizeof out->agent, "%s", c->agent);
        snprintf(out->channel, sizeof out->channel, "%s", c->channel);
        out->started_ms = c->started_ms;
        out->live = true;
        return true;
    }
    return pipeline_db_interaction(&p->db, iid, out->agent, sizeof out->agent, out->channel,
                                   sizeof out->channel, &out->started_ms);
}

int pipeline_begin(pipeline *p)
{
    if (!p->woke) {
        p->woke = true;
        if (p->hooks.wake)
            p->hooks.wake(p->hooks.ctx);
    }
    /* a doomed turn takes nothing more: it would only be rolled back with the rest */
    if (p->turn_failed)
        return -1;
    if (store_begin(p->st) != 0) {
        pipeline_fail_turn(p, sqlite3_errmsg(store_db(p->st)));
        return -1;
    }
    return 0;
}

void pipeline_fail_turn(pipeline *p, const char *why)
{
    if (!p->turn_failed)
        snprintf(p->turn_error, sizeof p->turn_error, "%s", why && *why ? why : "write failed");
    p->turn_failed = true;
}

const char *pipeline_degraded(const pipeline *p)
{
    return p->degraded[0] ? p->degraded : NULL;
}

/* ---- staging one durable event: the steps of pipeline_emit ---- */

/* The largest seq the catalogue allows: an event checked with it cannot outgrow the frame
 * limit once its real (never wider) seq is given. */
#define WIDEST_SEQ 9007199254740991LL

/* When the event is logged (ts, ms since the epoch) and when the ingest frame that caused it
 * arrived (arrival_us, monotonic; 0: none, e.g. enrichment on a tick). Stamped once per
 * event: its frame, log entry, latency sample and recording line all read this stamp. */
typedef struct {
    int64_t seq, ts, arrival_us;
} event_stamp;

static event_stamp stamp(const pipeline *p)
{
    return (event_stamp){.seq = WIDEST_SEQ, .ts = clock_wall_ms(), .arrival_us = p->ingest_us};
}

/* A body framed as its event: type first, then its fields, seq and ts (a recording line). */
static json_t *framed(proto_type type, json_t *body, const event_stamp *at)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(proto_spec(type)->name));
    json_object_update(o, body);
    json_object_set_new(o, "seq", json_integer(at->seq));
    json_object_set_new(o, "ts", json_integer(at->ts));
    return o;
}

/* What consoles are shown of a body: a copy, its free text masked, framed for `at` (the
 * encoder writes the fields in catalogue order, whatever their order here). `masked`, when
 * given: how many values the masks changed. */
static json_t *shown_frame(proto_type type, json_t *body, const event_stamp *at, size_t *masked)
{
    json_t *shown = json_deep_copy(body);
    size_t changed = pipeline_redact(shown, REDACT_MASK, true, proto_spec(type));
    if (masked)
        *masked = changed;
    json_object_set_new(shown, "type", json_string(proto_spec(type)->name));
    json_object_set_new(shown, "seq", json_integer(at->seq));
    json_object_set_new(shown, "ts", json_integer(at->ts));
    return shown;
}

/* An event the hub built that cannot be encoded is never logged: said in the log and the
 * metrics here, and the caller answers the action that caused it with an error. */
static void invalid_event(proto_type type, const char *why)
{
    metrics_event_invalid();
    logfile_write("dropped invalid %s: %s", proto_spec(type)->name, why);
}

/* Would this frame encode? Checked against the catalogue without encoding it. */
static bool frame_valid(proto_type type, json_t *frame, proto_error *err)
{
    proto_error perr;
    proto_event ev = {.type = type, .body = frame};
    if (proto_check(&ev, NULL, err ? err : &perr))
        return true;
    invalid_event(type, (err ? err : &perr)->message);
    return false;
}

/* Give the frame its seq and encode it: the one check and the one encoding of the event.
 * A frame that does not encode (an event the hub built wrong, or out of memory) gives its
 * seq back, so no resumer sees a gap, and is said in the log and the metrics; the caller
 * answers the action that caused it with an error, and the turn goes on. (A check before
 * taking the seq was the same validation run twice, twice more for a frame with a real
 * in it: 4% of the hub's CPU.) */
static char *encode_with_seq(pipeline *p, proto_type type, json_t *shown, event_stamp *at, size_t *len)
{
    at->seq = p->log->ops->next_seq(p->log);
    if (at->seq <= 0) {   /* a shared log that cannot append now: the turn fails */
        pipeline_fail_turn(p, p->log->ops->error ? p->log->ops->error(p->log) : "no seq");
        return NULL;
    }
    json_object_set_new(shown, "seq", json_integer(at->seq));
    proto_event ev = {.type = type, .body = shown};
    proto_error perr;
    char *text = proto_encode(&ev, len, &perr);
    if (!text) {
        p->log->ops->unget_seq(p->log, at->seq);
        invalid_event(type, perr.message);
    }
    return text;
}

/* Append the frame to the event log's open batch. */
static bool log_frame(pipeline *p, const pipeline_entry *e, const event_stamp *at,
                      const char *text, size_t len)
{
    eventlog_entry le = {.seq = at->seq, .ts = at->ts, .iid = e->iid, .agent = e->agent,
                         .audience = e->audience, .frame = text, .len = len};
    if (p->log->ops->put(p->log, &le) == 0)
        return true;
    logfile_write("event log put failed for seq %lld", (long long)at->seq);
    pipeline_fail_turn(p, sqlite3_errmsg(store_db(p->st)));
    return false;
}

/* What the consoles were sent of an event, for its recording. */
typedef struct {
    json_t *shown;
    const char *text;
    size_t len;
    size_t masked;   /* values its masks changed */
} sent_frame;

/* The interaction's live (or ended: a note or hand after the end) call gets the frame for
 * its replay, and its recording gets the body with PII tagged rather than masked. */
static void attach_to_call(pipeline *p, pipeline_entry *e, json_t *body, const event_stamp *at,
                           const sent_frame *sent)
{
    live_call *c = e->iid[0] ? live_find(p->live, e->iid) : NULL;
    if (!c && e->iid[0])
        c = live_find(p->ended, e->iid);
    if (!c)
        return;
    pipeline_touch_call(p, c, c->ended_ms ? PLACE_ENDED : PLACE_LIVE);
    bool utterance = e->type == EV_UTTERANCE;
    const char *uid = utterance ? json_string_value(json_object_get(body, "uid")) : NULL;
    bool partial = utterance && !json_is_true(json_object_get(body, "final"));
    live_call_append(c, e->frame, uid, partial);
    if (utterance)   /* the clear values behind its masks, for the owner's reveal */
        pii_vault_note(&c->vault, uid, json_string_value(json_object_get(body, "text")));
    if (c->rec && p->rec) {
        if (pipeline_redact(body, REDACT_TAG, false, proto_spec(e->type)) == 0 && sent->masked == 0) {
            /* nothing to tag or mask (most events): the recording's line is the frame the
             * consoles got, the same fields, and encoding it again was 4% of the hub's CPU */
            e->record_line = mem_strndup(sent->text, sent->len);
            e->record_event = json_incref(sent->shown);
            e->rec = c->rec;
            return;
        }
        json_t *rec = framed(e->type, body, at);
        e->record_line = json_dumps(rec, JSON_COMPACT);
        e->record_event = rec;   /* the recorder reads the outcome from it, not the line */
        e->rec = c->rec;
    }
}

/* The logged frame joins its call and the turn's batch, delivered after the commit. */
static void stage(pipeline *p, pipeline_entry *e, json_t *body, const event_stamp *at,
                  const sent_frame *sent)
{
    e->frame = shared_frame_new(sent->text, sent->len, at->seq);
    e->frame->ingest_us = at->arrival_us;
    attach_to_call(p, e, body, at, sent);
    if (p->nbatch == p->capbatch) {
        p->capbatch = p->capbatch ? p->capbatch * 2 : 256;
        p->batch = mem_realloc(p->batch, p->capbatch * sizeof *p->batch);
    }
    p->batch[p->nbatch++] = *e;
}

static void copy_field(char *out, size_t cap, json_t *body, const char *name)
{
    const char *v = json_string_value(json_object_get(body, name));
    snprintf(out, cap, "%s", v ? v : "");
}

static void note_figures(pipeline_entry *e, json_t *body)
{
    e->figures.said = true;
    copy_field(e->figures.speaker, sizeof e->figures.speaker, body, "speaker");
    copy_field(e->figures.level, sizeof e->figures.level, body, "level");
    copy_field(e->figures.uid, sizeof e->figures.uid, body, "uid");
    e->figures.offset_ms = (int64_t)json_number_value(json_object_get(body, "offset_ms"));
    json_t *score = json_object_get(body, "score");
    e->figures.scored = json_is_number(score);
    e->figures.score = json_number_value(score);
}

int64_t pipeline_emit(pipeline *p, proto_type type, json_t *body, const char *agent,
                      const char *audience)
{
    if (!body) {
        invalid_event(type, "its fields are not valid UTF-8"); /* what makes json_pack fail */
        return -1;
    }
    const char *iid = json_string_value(json_object_get(body, "iid"));
    pipeline_entry e = {.type = type};
    snprintf(e.iid, sizeof e.iid, "%s", iid ? iid : "");
    snprintf(e.agent, sizeof e.agent, "%s", agent ? agent : "");
    snprintf(e.audience, sizeof e.audience, "%s", audience ? audience : "");
    if (type == EV_UTTERANCE || type == EV_SENTIMENT)
        note_figures(&e, body);
    event_stamp at = stamp(p);
    size_t masked = 0;
    json_t *shown = shown_frame(type, body, &at, &masked);
    char *text = NULL;
    size_t len = 0;
    bool ok = pipeline_begin(p) == 0 && (text = encode_with_seq(p, type, shown, &at, &len)) &&
              log_frame(p, &e, &at, text, len);
    if (ok)
        stage(p, &e, body, &at, &(sent_frame){shown, text, len, masked});
    json_decref(shown);
    free(text);
    json_decref(body);
    return ok ? at.seq : -1;
}

/* End the turn's transaction: COMMIT, or ROLLBACK when a write already failed. */
static bool commit_turn(pipeline *p)
{
    p->settling = true;
    if (!p->turn_failed)
        pipeline_turn_checkpoints(p);
    bool ok = !p->turn_failed && p->log->ops->commit(p->log) == 0;
    if (!ok && !p->turn_failed)
        pipeline_fail_turn(p, p->log->ops->error ? p->log->ops->error(p->log) : "commit failed");
    if (!ok) {
        sqlite3 *db = store_db(p->st);
        if (!sqlite3_get_autocommit(db))
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        p->log->ops->last_seq(p->log); /* the log notices the rollback and forgets the batch */
    }
    p->settling = false;
    return ok;
}

/* The hub says when writes fail and when they work again: /healthz, metrics, the log. */
static void note_outcome(pipeline *p, bool ok, size_t n)
{
    if (ok) {
        if (p->degraded[0])
            logfile_write("storage writable again: commits succeed");
        p->degraded[0] = 0;
        metrics_storage_degraded(false);
        return;
    }
    metrics_commit_failed();
    metrics_storage_degraded(true);
    logfile_write("group commit of %zu events failed (%s): the turn is rolled back and its "
               "actions get `unavailable`", n, p->turn_error);
    snprintf(p->degraded, sizeof p->degraded, "commits failing: %s", p->turn_error);
}

int pipeline_flush(pipeline *p)
{
    p->woke = false;
    size_t n = p->nbatch;
    bool ok = commit_turn(p);
    note_outcome(p, ok, n);
    p->turn_failed = false;
    if (ok)
        metrics_committed(n);
    else
        pipeline_turn_rollback(p); /* nothing of the turn is sent or recorded */
    if (ok)   /* other hubs' entries of the turn come before its own */
        pipeline_replica_take(p);
    for (size_t i = 0; ok && i < n; i++) {
        pipeline_entry *e = &p->batch[i];
        if (p->hooks.deliver)
            p->hooks.deliver(p->hooks.ctx, e);
        if (e->rec && e->record_line)
            recorder_write_event(p->rec, e->rec, e->record_line, strlen(e->record_line), e->record_event);
    }
    if (ok)
        pipeline_turn_commit(p); /* closes the recordings of the calls that ended */
    for (size_t i = 0; i < n; i++) {
        pipeline_entry *e = &p->batch[i];
        if (ok && e->type == EV_WRAPPED_UP) {
            /* durable now: no later snapshot offers it for wrap-up again */
            live_call *done = live_find(p->ended, e->iid);
            if (done)
                live_remove(p->ended, done);
        }
        free(e->record_line);
        json_decref(e->record_event);
        shared_frame_unref(e->frame);
    }
    p->nbatch = 0;
    if (p->rec)
        recorder_flush(p->rec);
    if (p->hooks.committed)
        p->hooks.committed(p->hooks.ctx, ok);
    return ok ? (int)n : -1;
}

/* ---- enrichment output ---- */

static void assist_emit(void *ctx, proto_type type, json_t *body)
{
    live_call *c = ctx;
    pipeline *p = c->owner;
    if (p->muted) {
        json_decref(body);
        return;
    }
    if (!json_object_get(body, "iid"))
        json_object_set_new(body, "iid", json_string(c->iid));
    pipeline_emit(p, type, body, c->agent, "");
}

void pipeline_start_assist(pipeline *p, live_call *c)
{
    if (!p->as)
        return;
    assist_start_info info = {.iid = c->iid, .channel = c->channel, .queue = c->queue,
                              .agent = c->agent, .agent_name = c->agent_name,
                              .customer_id = c->customer_id, .started_ms = c->started_ms,
                              .quiet = p->muted};
    c->call = assist_call_start(p->as, &info, assist_emit, c);
    c->replay_after = 0;
    c->finals_unsaved = 0;
}

bool pipeline_resume_assist(pipeline *p, live_call *c)
{
    int64_t seq = 0;
    size_t len = 0;
    unsigned char *state = p->as ? pipeline_db_checkpoint(&p->db, c->iid, &seq, &len) : NULL;
    if (state) {
        assist_start_info info = {.iid = c->iid, .channel = c->channel, .queue = c->queue,
                                  .agent = c->agent, .agent_name = c->agent_name,
                                  .customer_id = c->customer_id, .started_ms = c->started_ms};
        c->call = assist_call_resume(p->as, &info, state, len, assist_emit, c);
        free(state);
    }
    if (!c->call) {
        if (state)
            logfile_write("enrichment checkpoint of %s unusable: rebuilt from its log", c->iid);
        pipeline_start_assist(p, c);
        return false;
    }
    c->replay_after = c->last_final_seq = seq;
    c->finals_unsaved = 0;
    return true;
}

/* `fmt` has one %s: `arg`, cut on a code point to 100 bytes so the message stays text. */
static void fail(proto_error *err, const char *code, const char *fmt, const char *arg)
{
    if (!err)
        return;
    char cut[101];
    text_copy(cut, sizeof cut, arg);
    err->code = code;
    snprintf(err->message, sizeof err->message, fmt, cut);
}

/* A write of the turn failed: retryable when storage is failing, else internal. */
static void write_failed(pipeline *p, proto_error *err, const char *what)
{
    if (p->turn_failed) {
        if (err) {
            err->code = PROTO_ERR_UNAVAILABLE;
            snprintf(err->message, sizeof err->message, "%s: storage unavailable (%.80s); retry with the same id",
                     what, p->turn_error);
        }
    } else
        fail(err, PROTO_ERR_INTERNAL, "%s", what);
}

/* The live call named iid, or NULL with a not_found error. */
static live_call *find_call(pipeline *p, const char *iid, proto_error *err)
{
    live_call *c = iid ? live_find(p->live, iid) : NULL;
    if (!c && iid && live_find(p->remote_live, iid)) {
        /* another hub's: taken over when its lease lapsed (that hub died), else refused */
        char holder[80] = "";
        int claimed = pipeline_take_over(p, iid, holder, sizeof holder);
        if (claimed == 1)
            return live_find(p->live, iid);
        char which[260];
        snprintf(which, sizeof which, "%.128s is live on hub %.64s", iid, holder);
        if (claimed == 0)
            fail(err, PROTO_ERR_NOT_FOUND, "interaction %s of this bus: send its events there", which);
        else
            fail(err, PROTO_ERR_UNAVAILABLE, "interaction %s belongs to another hub and the bus cannot "
                 "say which now; retry with the same id", iid);
        return NULL;
    }
    if (!c)
        fail(err, PROTO_ERR_NOT_FOUND, "no live interaction %s", iid ? iid : "");
    return c;
}

/* Would pipeline_emit take this body (stolen) of `type`? Checked, not encoded; nothing is
 * staged or logged. */
static bool event_encodes(pipeline *p, proto_type type, json_t *body, proto_error *err)
{
    if (!body) {
        invalid_event(type, "its fields are not valid UTF-8");
        fail(err, PROTO_ERR_INTERNAL, "%s", "its fields are not valid UTF-8");
        return false;
    }
    event_stamp at = stamp(p);
    json_t *shown = shown_frame(type, body, &at, NULL);
    json_decref(body);
    bool ok = frame_valid(type, shown, err);
    json_decref(shown);
    return ok;
}

static json_t *started_body(const live_call *c)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "iid", c->iid, "channel",
                     c->channel, "queue", c->queue, "agent", c->agent, "agent_name", c->agent_name,
                     "customer_id", c->customer_id, "customer_name", c->customer_name,
                     "started_ms", (json_int_t)c->started_ms);
}

static int ingest_start(pipeline *p, const proto_event *ev, proto_error *err)
{
    const char *iid = proto_str(ev, "iid");
    const char *agent = proto_str(ev, "agent");
    const char *channel = proto_str(ev, "channel");
    const char *customer = proto_str(ev, "customer_id");
    const char *queue = proto_str(ev, "queue");
    if (!iid || !channel) {
        fail(err, PROTO_ERR_BAD_FIELD, "start: %s", "iid and channel are required");
        return -1;
    }
    pipeline_info info;
    if (pipeline_owned_elsewhere(p, iid)) {
        fail(err, PROTO_ERR_BAD_FIELD, "interaction %s was started on another hub of this bus", iid);
        return -1;
    }
    /* on a shared bus the start makes this hub its owner (a lease), unless another hub is */
    char holder[80] = "";
    int claimed = p->log->ops->claim ? p->log->ops->claim(p->log, iid, holder, sizeof holder) : 1;
    if (claimed == 0) {
        char which[260];
        snprintf(which, sizeof which, "%.128s is live on hub %.64s", iid, holder);
        fail(err, PROTO_ERR_BAD_FIELD, "interaction %s of this bus", which);
        return -1;
    }
    if (claimed < 0) {
        fail(err, PROTO_ERR_UNAVAILABLE, "start %s: the bus cannot be reached; retry with the same id", iid);
        return -1;
    }
    if (pipeline_lookup(p, iid, &info)) {
        fail(err, PROTO_ERR_BAD_FIELD, info.live ? "interaction %s is already live"
                                                 : "interaction %s has already ended", iid);
        return -1;
    }
    char agent_name[PROTO_MAX_SHORT + 1] = "";
    /* without an agent it is unassigned: supervisors see it until its source names one */
    if (agent && !pipeline_db_agent(&p->db, agent, agent_name, sizeof agent_name)) {
        fail(err, PROTO_ERR_NOT_FOUND, "unknown agent %s", agent);
        return -1;
    }
    if (pipeline_begin(p) != 0) {
        write_failed(p, err, "start");
        return -1;
    }
    live_call *c = live_add(p->live, iid);
    c->owner = p;
    snprintf(c->channel, sizeof c->channel, "%s", channel);
    snprintf(c->queue, sizeof c->queue, "%s", queue ? queue : "");
    snprintf(c->agent, sizeof c->agent, "%s", agent ? agent : "");
    snprintf(c->agent_name, sizeof c->agent_name, "%s", agent_name);
    snprintf(c->customer_id, sizeof c->customer_id, "%s", customer ? customer : "");
    pipeline_db_customer_name(&p->db, c->customer_id, c->customer_name, sizeof c->customer_name);
    c->started_ms = proto_int(ev, "started_ms", 0);
    if (c->started_ms <= 0)
        c->started_ms = clock_wall_ms();
    c->last_activity_ms = clock_mono_ms();
    /* An interaction.started that cannot be encoded would leave the interaction invisible
     * to every console while its start is acked: refuse the start before anything of it
     * is stored. */
    proto_error perr;
    if (!event_encodes(p, EV_INTERACTION_STARTED, started_body(c), &perr)) {
        live_remove(p->live, c);
        if (err) {
            *err = perr; /* its message names the event and the field */
            err->code = PROTO_ERR_INTERNAL;
        }
        return -1;
    }
    if (pipeline_db_insert_interaction(&p->db, c) != 0) {
        live_remove(p->live, c);
        pipeline_fail_turn(p, sqlite3_errmsg(store_db(p->st)));
        write_failed(p, err, "cannot store the interaction");
        return -1;
    }
    if (p->rec)
        c->rec = recorder_begin(p->rec, c->iid, c->channel, c->queue, c->agent, c->started_ms);
    pipeline_touch_call(p, c, PLACE_NONE); /* after: an end in this turn closes its recording */
    if (pipeline_emit(p, EV_INTERACTION_STARTED, started_body(c), c->agent, "") < 0) {
        /* it encodes (checked above): the log write failed, and the turn with it */
        write_failed(p, err, "cannot log interaction.started");
        return -1;
    }
    pipeline_start_assist(p, c);
    return 0;
}

/* simulated: a simulator's script said the line (the demo's agent speech), passed on so
 * consoles can say so rather than guess. */
static int utterance(pipeline *p, live_call *c, const char *uid, const char *speaker,
                     const char *text, bool final, int64_t offset_ms, bool simulated)
{
    /* a number begun in the speaker's previous final is masked where it ends, too */
    char *carried = c->call ? assist_call_carried(c->call, speaker, text, offset_ms) : NULL;
    json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:b, s:I}", "iid", c->iid, "uid", uid,
                             "speaker", speaker, "text", carried ? carried : text, "final", final,
                             "offset_ms", (json_int_t)offset_ms);
    if (body && simulated)
        json_object_set_new(body, "simulated", json_true());
    free(carried);
    c->last_activity_ms = clock_mono_ms();
    int64_t seq = pipeline_emit(p, EV_UTTERANCE, body, c->agent, "");
    if (seq < 0)
        return -1;
    if (c->call) {
        assist_utterance_info u = {.uid = uid, .speaker = speaker, .text = text, .final = final,
                                   .offset_ms = offset_ms};
        assist_call_utterance(c->call, &u, clock_wall_ms());
        if (final) {
            c->last_final_seq = seq;
            c->finals_unsaved++;
        }
    }
    return 0;
}

static int ingest_utterance(pipeline *p, const proto_event *ev, proto_error *err)
{
    live_call *c = find_call(p, proto_str(ev, "iid"), err);
    if (!c)
        return -1;
    const char *uid = proto_str(ev, "uid");
    const char *speaker = proto_str(ev, "speaker");
    const char *text = proto_str(ev, "text");
    if (!uid || !speaker || !text) {
        fail(err, PROTO_ERR_BAD_FIELD, "utterance: %s", "uid, speaker and text are required");
        return -1;
    }
    if (utterance(p, c, uid, speaker, text, proto_bool(ev, "final", true),
                  proto_int(ev, "offset_ms", clock_wall_ms() - c->started_ms),
                  proto_bool(ev, "simulated", false)) != 0) {
        write_failed(p, err, "cannot log the utterance");
        return -1;
    }
    return 0;
}

/* The call ends: its enrichment state, recording and place in the live set are only set
 * aside here; the commit releases them, a failed commit gives them back (pipeline_turn.c). */
static void end_call(pipeline *p, live_call *c, const char *raw_reason)
{
    /* a connector's free-text reason is stored and shown: tagged like any stored text first */
    char *masked = assist_redact_within(raw_reason, REDACT_TAG, PROTO_MAX_SHORT);
    const char *reason = masked ? masked : raw_reason;
    /* its flag keys are forgotten at the commit (pipeline_turn.c): a failed end keeps them */
    pipeline_touch *t = pipeline_touch_call(p, c, PLACE_LIVE);
    if (c->call) {
        assist_call_end(c->call, reason, clock_wall_ms());
        t->ended_call = c->call;
        c->call = NULL;
    }
    /* no enrichment after the end: its checkpoint goes with this turn (or stays with it) */
    if (pipeline_db_checkpoint_del(&p->db, c->iid) != 0)
        pipeline_fail_turn(p, sqlite3_errmsg(store_db(p->st)));
    int64_t ended = clock_wall_ms();
    if (pipeline_db_end_interaction(&p->db, c->iid, ended, reason) != 0)
        pipeline_fail_turn(p, sqlite3_errmsg(store_db(p->st)));
    json_t *body = json_pack("{s:s, s:s, s:I}", "iid", c->iid, "reason", reason, "ended_ms",
                             (json_int_t)ended);
    pipeline_emit(p, EV_INTERACTION_ENDED, body, c->agent, "");
    if (p->log->ops->release)   /* no other hub need take over an interaction that ended */
        p->log->ops->release(p->log, c->iid);
    live_detach(p->live, c);
    c->rec = NULL;
    c->ended_ms = ended;
    if (pipeline_db_wrapped_up(&p->db, c->iid))
        t->retired = true;
    else
        live_attach(p->ended, c);
    free(masked);
}

static int ingest_end(pipeline *p, const proto_event *ev, proto_error *err)
{
    live_call *c = find_call(p, proto_str(ev, "iid"), err);
    if (!c)
        return -1;
    const char *reason = proto_str(ev, "reason");
    if (pipeline_begin(p) != 0) {
        write_failed(p, err, "end");
        return -1;
    }
    end_call(p, c, reason && *reason ? reason : "ended");
    return 0;
}

int pipeline_end(pipeline *p, const char *iid, const char *reason)
{
    live_call *c = live_find(p->live, iid);
    if (!c || pipeline_begin(p) != 0)
        return -1;
    end_call(p, c, reason);
    return 0;
}

int pipeline_ingest(pipeline *p, const proto_event *ev, proto_error *err)
{
    /* sources without their own arrival stamp (the simulator) arrive now */
    bool stamp = p->ingest_us == 0;
    if (stamp)
        p->ingest_us = clock_mono_us();
    int rc;
    switch (ev->type) {
    case EV_INGEST_START: rc = ingest_start(p, ev, err); break;
    case EV_INGEST_UTTERANCE: rc = ingest_utterance(p, ev, err); break;
    case EV_INGEST_END: rc = ingest_end(p, ev, err); break;
    default:
        fail(err, PROTO_ERR_UNKNOWN_TYPE, "%s", "not an ingest event");
        rc = -1;
    }
    if (stamp)
        p->ingest_us = 0;
    return rc;
}

int pipeline_user_utterance(pipeline *p, const char *iid, const char *speaker, const char *uid,
                            const char *text, int64_t *seq, proto_error *err)
{
    live_call *c = find_call(p, iid, err);
    if (!c)
        return -1;
    size_t before = p->nbatch;
    if (utterance(p, c, uid, speaker, text, true, clock_wall_ms() - c->started_ms, false) != 0) {
        write_failed(p, err, "cannot log the utterance");
        return -1;
    }
    if (seq)
        *seq = p->nbatch > before ? p->batch[before].frame->seq : 0;
    c->replies++;
    return 0;
}

unsigned pipeline_replies(pipeline *p, const char *iid)
{
    live_call *c = iid ? live_find(p->live, iid) : NULL;
    return c ? c->replies : 0;
}

int64_t pipeline_tick(pipeline *p)
{
    int64_t now = clock_wall_ms();
    for (live_call *c = live_first(p->live); c; c = c->next)
        if (c->call)
            assist_call_tick(c->call, now);
    pipeline_renew_leases(p);
    live_call *old;
    while ((old = live_first(p->ended)) && old->ended_ms < now - UNWRAPPED_MAX_AGE_MS &&
           !old->touch_slot) /* a call the open turn changed stays until its commit */
        live_remove(p->ended, old);
    if (live_first(p->live))
        return 1000;
    /* the oldest ended one (they are kept oldest end first) is the next to expire */
    if (!old)
        return 0;
    int64_t due = old->ended_ms + UNWRAPPED_MAX_AGE_MS - now;
    return due < 1000 ? 1000 : due;
}

void pipeline_free_call(live_call *c)
{
    pipeline *p = c->owner;
    if (c->call)
        assist_call_free(c->call);
    c->call = NULL;
    if (c->rec && p && p->rec)
        recorder_finish(p->rec, c->rec);
    c->rec = NULL;
}

pipeline *pipeline_open(store *st, eventlog *log, struct assist *as, recorder *rec,
                        const pipeline_hooks *hooks, char *err, size_t errlen)
{
    pipeline *p = mem_zalloc(1, sizeof *p);
    p->st = st;
    p->log = log;
    p->as = as;
    p->rec = rec;
    if (hooks)
        p->hooks = *hooks;
    p->live = live_new();
    p->ended = live_new();
    p->remote_live = live_new();
    p->remote_ended = live_new();
    if (pipeline_db_open(&p->db, store_db(st), err, errlen) != 0) {
        live_free(p->live, NULL);
        live_free(p->ended, NULL);
        live_free(p->remote_live, NULL);
        live_free(p->remote_ended, NULL);
        free(p);
        return NULL;
    }
    pipeline_restore(p);
    pipeline_replica_reconcile(p);
    pipeline_replica_restore(p);
    pipeline_turn_hooks(p, true);
    return p;
}

void pipeline_close(pipeline *p)
{
    if (!p)
        return;
    if (p->nbatch || p->ntouched)
        pipeline_flush(p);
    pipeline_turn_hooks(p, false);
    live_free(p->live, pipeline_free_call);
    live_free(p->ended, pipeline_free_call);
    live_free(p->remote_live, NULL);
    live_free(p->remote_ended, NULL);
    pipeline_db_close(&p->db);
    free(p->batch);
    free(p->touched);
    free(p);
}
