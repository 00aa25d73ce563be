/* console_hello.c — authentication, welcome, and bringing a console up to date: a snapshot
 * of the live interactions it may see and of the ended ones still awaiting a wrap-up (so a
 * console that restarts can still wrap them up) plus their frames so far, or a replay of
 * the log after resume_after; both end in live delivery (invariants in console.h). */
#include "hub/endpoints/console.h"
#include "base/logfile.h"
#include "base/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SNAPSHOT_PART = 100, PAGE_FRAMES = 512, PAGE_SCAN = 8192 };
/* A tail-only snapshot's suggestions per interaction: the suggestion pane shows a handful. */
enum { TAIL_SUGGESTIONS = 20 };

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

static int by_seq(const void *a, const void *b)
{
    int64_t x = (*(shared_frame *const *)a)->seq, y = (*(shared_frame *const *)b)->seq;
    return x < y ? -1 : x > y;
}

typedef struct {
    session *s;
    json_t *items;
    size_t nframes, cap;
    bool fresh;               /* said on the first part, then cleared */
} snapshot_build;

/* The event type of an encoded frame: the encoder always writes "type" first. */
static proto_type frame_type(const shared_frame *f)
{
    static const char lead[] = "{\"type\":\"";
    const char *d = shared_frame_data(f);
    if (f->len < sizeof lead || memcmp(d, lead, sizeof lead - 1) != 0)
        return EV__COUNT;
    const char *name = d + sizeof lead - 1, *end = memchr(name, '"', f->len - (sizeof lead - 1));
    char buf[48];
    if (!end || (size_t)(end - name) >= sizeof buf)
        return EV__COUNT;
    memcpy(buf, name, (size_t)(end - name));
    buf[end - name] = 0;
    const proto_event_spec *spec = proto_spec_find(buf, PROTO_TO_CONSOLE);
    return spec ? spec->type : EV__COUNT;
}

/* What a tail-only snapshot keeps of an interaction's frames (see docs/PROTOCOL.md,
 * "Tail-only snapshots"): the latest `keep` lines; its start; the enrichment state as it
 * stands (the latest sentiment, customer, checklist and summary, every flag, the latest
 * suggestions); every other event from the first kept line on. keep == 0: every frame. */
typedef struct {
    size_t cut;               /* frames from here on are the tail */
    size_t latest[EV__COUNT]; /* 1 + index of the latest frame of each type; 0 none */
    size_t suggestions_from;  /* index of the oldest suggestion kept */
} tail_plan;

static bool committed(const shared_frame *f, int64_t upto)
{
    return f && f->seq <= upto;
}

static void plan_tail(const live_call *c, int64_t upto, size_t keep, tail_plan *t)
{
    memset(t, 0, sizeof *t);
    if (!keep)
        return;
    size_t lines = 0, suggestions = 0;
    t->cut = c->nframes;
    t->suggestions_from = c->nframes;
    for (size_t i = c->nframes; i-- > 0;) {
        if (!committed(c->frames[i], upto))
            continue;
        proto_type ty = frame_type(c->frames[i]);
        if (ty == EV_UTTERANCE && lines < keep) {
            lines++;
            t->cut = i;
        }
        if (ty == EV_SUGGESTION && suggestions < TAIL_SUGGESTIONS) {
            suggestions++;
            t->suggestions_from = i;
        }
        if (ty < EV__COUNT && !t->latest[ty])
            t->latest[ty] = i + 1;
    }
    if (lines < keep)
        t->cut = 0; /* it has no more lines than the console keeps: the whole of it */
}

static bool tail_keeps(const tail_plan *t, const live_call *c, size_t i, size_t keep)
{
    if (!keep)
        return true;
    proto_type ty = frame_type(c->frames[i]);
    switch (ty) {
    case EV_INTERACTION_STARTED:
    case EV_FLAG:
        return true;
    case EV_SENTIMENT:
    case EV_CUSTOMER:
    case EV_CHECKLIST:
    case EV_SUMMARY:
    case EV_HANDOVER:
        return t->latest[ty] == i + 1;
    case EV_SUGGESTION:
        return i >= t->suggestions_from;
    default:
        return i >= t->cut;
    }
}

/* List one interaction in the snapshot and reference its committed frames (its tail only
 * when the console said keep_lines). */
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
    tail_plan plan;
    plan_tail(c, s->snap_seq, s->keep_lines, &plan);
    for (size_t i = 0; i < c->nframes; i++) {
        shared_frame *f = c->frames[i];
        if (!committed(f, s->snap_seq) || !tail_keeps(&plan, c, i, s->keep_lines))
            continue;
        if (b->nframes == b->cap) {
            b->cap = b->cap ? b->cap * 2 : 256;
            s->snap = mem_realloc(s->snap, b->cap * sizeof *s->snap);
        }
        s->snap[b->nframes++] = shared_frame_ref(f);
    }
}

/* The snapshot: its parts go out now; the frames of its interactions are referenced now
 * (so an interaction ending or being wrapped up meanwhile loses nothing) and queued page
 * by page. Live interactions first, then the ended ones awaiting a wrap-up, newest end
 * first; their replay includes interaction.ended, so the console shows them as ended. */
static void start_snapshot(session *s, bool fresh)
{
    s->snap_seq = s->h->log->ops->last_seq(s->h->log);
    s->cursor = s->snap_seq;
    snapshot_build b = {.s = s, .items = json_array(), .fresh = fresh};
    for (live_call *c = live_first(pipeline_live(s->h->pl)); c; c = c->next)
        snapshot_add(&b, c);
    for (live_call *c = live_last(pipeline_ended(s->h->pl)); c; c = c->prev)
        snapshot_add(&b, c);
    send_snapshot_part(s, b.items, true, b.fresh);
    size_t nframes = b.nframes;
    /* one increasing stream of seqs, so a console that drops mid-way may resume after the
     * highest seq it saw */
    if (nframes > 1)
        qsort(s->snap, nframes, sizeof *s->snap, by_seq);
    s->nsnap = nframes;
    s->isnap = 0;
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
    if (session_sees(s, e->iid, e->agent, e->audience)) {
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
        size_t n = 0;
        while (s->isnap < s->nsnap && !page_full(s, n)) {
            shared_frame *f = s->snap[s->isnap++];
            session_queue(s, f);
            shared_frame_unref(f);
            n++;
            if (session_closing(s))
                return;
        }
        if (s->isnap < s->nsnap)
            return;
        free(s->snap);
        s->snap = NULL;
        s->nsnap = s->isnap = 0;
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
    } else if (net_conn_outbox(s->conn).frames == 0) {
        /* a page of events this user may not see: keep going on the next writeable */
        net_conn_want_write(s->conn);
    }
}

/* More lines of one interaction after `after` than the console keeps? */
static bool lines_beyond(const session *s, const live_call *c, int64_t after, int64_t upto)
{
    if (!session_sees(s, c->iid, c->agent, ""))
        return false;
    size_t lines = 0;
    for (size_t i = c->nframes; i-- > 0;) {
        const shared_frame *f = c->frames[i];
        if (!f || f->seq > upto)
            continue;
        if (f->seq <= after)
            break; /* frames are in seq order */
        if (frame_type(f) == EV_UTTERANCE && ++lines > s->keep_lines)
            return true;
    }
    return false;
}

/* A resume the console could not use (more lines than it keeps), or one this log cannot
 * serve (a seq past its end: another history): a tail-only snapshot instead. Only for a
 * console that said keep_lines; others get the replay they asked for. */
static bool resume_beyond_tail(const session *s, int64_t after)
{
    if (!s->keep_lines)
        return false;
    int64_t last = s->h->log->ops->last_seq(s->h->log);
    if (after > last)
        return true;
    for (live_call *c = live_first(pipeline_live(s->h->pl)); c; c = c->next)
        if (lines_beyond(s, c, after, last))
            return true;
    for (live_call *c = live_first(pipeline_ended(s->h->pl)); c; c = c->next)
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
