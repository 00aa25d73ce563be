/* console_hello.c — authentication, welcome, and bringing a console up to date: a snapshot
 * of the live interactions it may see and of the ended ones still awaiting a wrap-up (so a
 * console that restarts can still wrap them up) plus their frames so far, or a replay of
 * the log after resume_after; both end in live delivery (invariants in console.h). */
#include "hub/endpoints/console.h"
#include "hub/endpoints/agent_status.h"
#include "hub/endpoints/floor_metrics.h"
#include "base/logfile.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SNAPSHOT_PART = 100, PAGE_FRAMES = 512, PAGE_SCAN = 8192 };

/* A page stops at half the outbox bound, so a replay can never make a slow consumer. */
static bool page_full(const session *s, size_t queued)
{
    net_outbox o = net_conn_outbox(s->conn);
    return queued >= PAGE_FRAMES || o.bytes * 2 >= o.max_bytes || o.frames * 2 >= o.max_frames;
}

/* Visible, and started by a committed event: a call started in the current, uncommitted
 * turn reaches the console through the log replay instead, like any later event. */
static bool in_snapshot(const session *s, const live_call *c)
{
    if (!session_sees(s, c->iid, c->agent, ""))
        return false;
    for (size_t i = 0; i < c->nframes; i++)
        if (c->frames[i])
            return c->frames[i]->seq <= s->snap_seq;
    return false;
}

static json_t *snapshot_item(const live_call *c)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "iid", c->iid, "channel", c->channel,
                     "queue", c->queue, "agent", c->agent, "agent_name", c->agent_name,
                     "customer_id", c->customer_id, "customer_name", c->customer_name,
                     "started_ms", (json_int_t)c->started_ms);
}

static void send_snapshot_part(session *s, json_t *items, bool last, bool fresh)
{
    proto_event ev = proto_new(EV_SNAPSHOT);
    proto_set_int(&ev, "seq", s->snap_seq);
    proto_set_json(&ev, "interactions", items);
    proto_set_bool(&ev, "last", last);
    if (fresh)
        proto_set_bool(&ev, "fresh", true);
    session_send_event(s, &ev);
}

typedef struct {
    session *s;
    json_t *items;
    bool fresh;               /* said on the first part, then cleared */
} snapshot_build;

/* List one interaction in the snapshot, and its committed frames in the snapshot's
 * (console_snapshot.c: its tail only when the console said keep_lines). */
static void snapshot_add(snapshot_build *b, live_call *c)
{
    session *s = b->s;
    if (!in_snapshot(s, c))
        return;
    json_array_append_new(b->items, snapshot_item(c));
    if (json_array_size(b->items) == SNAPSHOT_PART) {
        send_snapshot_part(s, b->items, false, b->fresh);
        b->fresh = false;
        b->items = json_array();
    }
    console_snapshot_add(s->snap, c, s->snap_seq);
}

/* The snapshot: its parts go out now; the frames of its interactions are queued page by
 * page (console_snapshot.c). Live interactions first, then the ended ones awaiting a wrap-up, newest end
 * first; their replay includes interaction.ended, so the console shows them as ended. */
static void start_snapshot(session *s, bool fresh)
{
    s->snap_seq = s->h->log->ops->last_seq(s->h->log);
    s->cursor = s->snap_seq;
    snapshot_build b = {.s = s, .items = json_array(), .fresh = fresh};
    console_snapshot_free(s->snap);
    s->snap = console_snapshot_new(s->keep_lines);
    /* on a shared bus, other hubs' interactions too (empty sets otherwise) */
    live *lives[] = {pipeline_live(s->h->pl), pipeline_remote_live(s->h->pl)};
    live *ended[] = {pipeline_ended(s->h->pl), pipeline_remote_ended(s->h->pl)};
    for (size_t k = 0; k < 2; k++)
        for (live_call *c = live_first(lives[k]); c; c = c->next)
            snapshot_add(&b, c);
    for (size_t k = 0; k < 2; k++)
        for (live_call *c = live_last(ended[k]); c; c = c->prev)
            snapshot_add(&b, c);
    send_snapshot_part(s, b.items, true, b.fresh);
    s->mode = DELIVER_SNAPSHOT;
    console_refill(s);
}

typedef struct {
    session *s;
    size_t queued, scanned;
    bool stopped;
} page_ctx;

static int page_entry(void *ctx, const eventlog_entry *e)
{
    page_ctx *pc = ctx;
    session *s = pc->s;
    pc->scanned++;
    s->cursor = e->seq;
    char to[PROTO_MAX_ID + 1], from[PROTO_MAX_ID + 1];
    if (e->seq > s->assigned_upto && session_assigned_names(e->frame, e->len, to, from) &&
        strcmp(to, s->user.name) == 0 && console_take_over(s, e->iid, from, e->seq)) {
        /* the interaction's snapshot first; the replay goes on from before this event */
        pc->stopped = true;
        return 1;
    }
    if (session_sees_entry(s, e->iid, e->agent, e->audience, e->frame, e->len)) {
        shared_frame *f = shared_frame_new(e->frame, e->len, e->seq);
        bool ok = session_queue(s, f);
        shared_frame_unref(f);
        if (!ok)
            return 1;
        pc->queued++;
    }
    if (page_full(s, pc->queued) || pc->scanned >= PAGE_SCAN) {
        pc->stopped = true;
        return 1;
    }
    return 0;
}

void console_refill(session *s)
{
    if (session_closing(s))
        return;
    if (s->mode == DELIVER_SNAPSHOT) {
        int rc = console_snapshot_pump(s, page_full);
        if (session_closing(s))
            return;
        if (rc < 0) {
            session_fail(s, PROTO_ERR_INTERNAL, "event log unreadable", NET_CLOSE_UNEXPECTED);
            return;
        }
        if (rc == 0) {
            /* a turn's rows of the log read and nothing queued: go on at the next writeable */
            if (net_conn_outbox(s->conn).frames == 0)
                net_conn_want_write(s->conn);
            return;
        }
        console_snapshot_free(s->snap);
        s->snap = NULL;
        s->mode = DELIVER_REPLAY;
        s->cursor = s->snap_seq;
    }
    if (s->mode != DELIVER_REPLAY)
        return;
    page_ctx pc = {.s = s};
    int rc = s->h->log->ops->scan(s->h->log, s->cursor, page_entry, &pc);
    if (session_closing(s))
        return;
    if (rc < 0) {
        session_fail(s, PROTO_ERR_INTERNAL, "event log unreadable", NET_CLOSE_UNEXPECTED);
        return;
    }
    if (!pc.stopped) {
        /* saw the end of the committed log: from here the deliver hook takes over */
        int64_t last = s->h->log->ops->last_seq(s->h->log);
        if (last > s->cursor)
            s->cursor = last;
        s->mode = DELIVER_LIVE;
        if (!s->status_ready) { /* after the snapshot or replay: the statuses it may see */
            agent_status_hello(s);
            floor_metrics_hello(s);
        }
    } else if (net_conn_outbox(s->conn).frames == 0) {
        /* a page of events this user may not see: keep going on the next writeable */
        net_conn_want_write(s->conn);
    }
}

bool console_take_over(session *s, const char *iid, const char *from, int64_t seq)
{
    if (seq <= s->assigned_upto)
        return false;
    s->assigned_upto = seq;
    if (session_sees(s, iid, from, ""))
        return false; /* it had the interaction already (a supervisor watching everything) */
    live_call *c = live_find(pipeline_live(s->h->pl), iid);
    if (!c)
        c = live_find(pipeline_ended(s->h->pl), iid);
    if (!c)
        return false; /* wrapped up since: nothing left to hand over */
    console_snapshot_free(s->snap);
    s->snap = console_snapshot_new(s->keep_lines);
    s->snap_seq = seq - 1;
    s->cursor = seq - 1;
    json_t *items = json_array();
    json_array_append_new(items, snapshot_item(c));
    send_snapshot_part(s, items, true, false);
    console_snapshot_add(s->snap, c, seq - 1);
    s->mode = DELIVER_SNAPSHOT;
    return true;
}

/* More lines of one interaction after `after` than the console keeps? */
static bool lines_beyond(session *s, const live_call *c, int64_t after, int64_t upto)
{
    return session_sees(s, c->iid, c->agent, "") && console_lines_after(s, c, after, upto, s->keep_lines) > s->keep_lines;
}

/* A resume the console could not use (more lines than it keeps), or one this log cannot
 * serve (a seq past its end: another history): a tail-only snapshot instead. Only for a
 * console that said keep_lines; others get the replay they asked for. Either way, a resume
 * from before what a shared log trimmed away before this hub read it gets a fresh snapshot:
 * its replay would skip events. */
static bool resume_beyond_tail(session *s, int64_t after)
{
    eventlog *log = s->h->log;
    if (log->ops->missing_upto && after < log->ops->missing_upto(log))
        return true;
    if (!s->keep_lines)
        return false;
    int64_t last = s->h->log->ops->last_seq(s->h->log);
    if (after > last)
        return true;
    live *sets[] = {pipeline_live(s->h->pl), pipeline_ended(s->h->pl), pipeline_remote_live(s->h->pl),
                    pipeline_remote_ended(s->h->pl)};
    for (size_t k = 0; k < 4; k++)
        for (live_call *c = live_first(sets[k]); c; c = c->next)
            if (lines_beyond(s, c, after, last))
                return true;
    return false;
}

static void send_welcome(session *s)
{
    proto_event ev = proto_new(EV_WELCOME);
    proto_set_str(&ev, "user", s->user.name);
    proto_set_str(&ev, "display_name", s->user.display_name[0] ? s->user.display_name : s->user.name);
    proto_set_str(&ev, "role", store_role_name(s->user.role));
    proto_set_str(&ev, "hub_id", s->h->hub_id);
    proto_set_int(&ev, "seq", s->h->log->ops->last_seq(s->h->log));
    proto_set_int(&ev, "protocol", PROTO_VERSION);
    session_send_event(s, &ev);
}

void console_hello(session *s, const proto_event *ev)
{
    const char *token = proto_str(ev, "token");
    store_user u;
    if (!token || !store_user_by_token(s->h->st, token, &u) || u.role == ROLE_INGEST ||
        u.role == ROLE_NONE) {
        session_fail(s, PROTO_ERR_UNAUTHORIZED, "unknown token", NET_CLOSE_POLICY);
        return;
    }
    s->user = u;
    s->authed = true;
    if (!session_admit(s))
        return;
    if (u.role == ROLE_AGENT) /* signed in: no longer offline */
        agent_status_now(s->h, u.name);
    logfile_write("hello %s (%s) client %s", u.name, store_role_name(u.role),
               proto_str(ev, "client") ? proto_str(ev, "client") : "");
    send_welcome(s);
    if (u.role == ROLE_TRAINER) {
        s->mode = DELIVER_NONE; /* recordings only, on request */
        return;
    }
    int64_t keep = proto_int(ev, "keep_lines", 0);
    s->keep_lines = keep > 0 ? (size_t)keep : 0;
    int64_t after = proto_int(ev, "resume_after", -1);
    if (after >= 0 && !resume_beyond_tail(s, after)) {
        s->cursor = after;
        s->mode = DELIVER_REPLAY;
        console_refill(s);
    } else
        start_snapshot(s, after >= 0);
}
