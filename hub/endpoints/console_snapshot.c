/* console_snapshot.c — the frames of a snapshot, in one increasing order of seq (so a
 * console that drops mid-way may resume after the highest seq it saw).
 *
 * Per interaction they come from two places (hub/core/live.h): the frames its call holds,
 * referenced when the snapshot starts (so an interaction ending or being wrapped up meanwhile
 * loses nothing), and, when the snapshot reaches back past what the call holds, its older
 * frames read from the event log by interaction (the events(iid, seq) index) a page at a
 * time as the outbox drains. The interactions are merged by their next seq in a heap. A
 * console that said keep_lines gets its tail only (docs/PROTOCOL.md, "Tail-only
 * snapshots"); whether the log is read at all then depends on how far back its tail goes.
 *
 * The log holds every partial a call went through; the call only the latest of each open
 * uid. So from the log a partial is never taken: one before `dropped_upto` was replaced, or
 * is still open and then held. Nor is a frame the call holds (its state frames). */
#include "hub/endpoints/console.h"
#include "base/mem.h"

#include <stdlib.h>
#include <string.h>

enum {
    LOG_PAGE = 64,         /* frames read from the log per interaction and read, at most */
    LOG_PAGE_MIN = 8,      /* and at least: a read costs a statement */
    /* frames read ahead for all interactions of one snapshot (about 700 KB), so a
     * supervisor's snapshot of 1,000 interactions holds pages of 8, one of a few, of 64 */
    SNAPSHOT_READ_AHEAD = 2048,
    TURN_ROWS = 8192,      /* log rows one refill may read (the loop is never held long) */
};

typedef struct {
    char iid[PROTO_MAX_ID + 1];
    shared_frame **mem;        /* held frames, committed, in seq order */
    size_t nmem, imem;
    int64_t log_after, log_upto; /* still to read from the log: after < seq <= upto */
    shared_frame **page;       /* read from the log, not merged yet */
    size_t npage, ipage, cap;  /* cap: the page's size */
    /* the tail-only filter (keep_lines) */
    bool whole;                /* no more lines than the console keeps */
    size_t skip, passed;       /* lines before the tail; lines merged so far */
    int64_t latest[EV__COUNT]; /* seq of the latest sentiment, customer, checklist, summary */
    int64_t suggestions_from;  /* seq of the oldest suggestion kept */
    size_t seek;               /* lines of the log part the tail keeps, while its start is
                                * looked for (backwards); 0 once known */
    int64_t seek_before;       /* where the backward look goes on */
    size_t skip_held;          /* lines before the tail merged from mem (old open partials) */
} snap_src;

struct console_snapshot {
    snap_src *src;
    size_t nsrc, capsrc;
    size_t primed;             /* sources whose first log page is read */
    size_t *heap, nheap;       /* sources by their next seq */
    size_t keep;
};

console_snapshot *console_snapshot_new(size_t keep_lines)
{
    console_snapshot *snap = mem_zalloc(1, sizeof *snap);
    snap->keep = keep_lines;
    return snap;
}

void console_snapshot_free(console_snapshot *snap)
{
    if (!snap)
        return;
    for (size_t i = 0; i < snap->nsrc; i++) {
        snap_src *x = &snap->src[i];
        for (size_t k = x->imem; k < x->nmem; k++)
            shared_frame_unref(x->mem[k]);
        for (size_t k = x->ipage; k < x->npage; k++)
            shared_frame_unref(x->page[k]);
        free(x->mem);
        free(x->page);
    }
    free(snap->src);
    free(snap->heap);
    free(snap);
}

/* Where the tail starts and what state it keeps, from the frames the call holds: they
 * include every state frame (live.h), and the lines dropped from memory are counted. */
static void plan_tail(snap_src *x, const live_call *c, size_t keep)
{
    size_t lines = c->dropped_lines, old_lines = 0, suggestions = 0;
    for (size_t i = x->nmem; i-- > 0;) {
        const shared_frame *f = x->mem[i];
        proto_type ty = live_frame_type(f);
        if (ty == EV_UTTERANCE) {
            lines++;
            old_lines += f->seq <= c->dropped_upto;
        } else if (ty == EV_SUGGESTION && suggestions < LIVE_STATE_SUGGESTIONS) {
            suggestions++;
            x->suggestions_from = f->seq;
        } else if (ty < EV__COUNT && !x->latest[ty])
            x->latest[ty] = f->seq;
    }
    x->whole = lines < keep;
    x->skip = x->whole ? 0 : lines - keep;
    if (x->whole || !x->log_upto)
        return;
    size_t old = c->dropped_lines + old_lines;
    if (old <= x->skip) {
        /* the lines up to dropped_upto all come before the tail: nothing older is needed,
         * and the dropped ones count as merged */
        x->log_upto = 0;
        x->passed = c->dropped_lines;
    } else {
        /* the tail starts in the log: found backwards from dropped_upto (seek_step) */
        x->seek = old - x->skip;
        x->seek_before = x->log_upto + 1;
    }
}

void console_snapshot_add(console_snapshot *snap, const live_call *c, int64_t upto)
{
    if (snap->nsrc == snap->capsrc) {
        snap->capsrc = snap->capsrc ? snap->capsrc * 2 : 16;
        snap->src = mem_realloc(snap->src, snap->capsrc * sizeof *snap->src);
    }
    snap_src *x = &snap->src[snap->nsrc++];
    memset(x, 0, sizeof *x);
    memcpy(x->iid, c->iid, sizeof x->iid);
    x->mem = mem_alloc((c->nframes ? c->nframes : 1) * sizeof *x->mem);
    for (size_t i = 0; i < c->nframes; i++)
        if (c->frames[i] && c->frames[i]->seq <= upto)
            x->mem[x->nmem++] = shared_frame_ref(c->frames[i]);
    x->log_upto = c->dropped_upto; /* dropped frames are committed: <= upto */
    if (snap->keep)
        plan_tail(x, c, snap->keep);
}

/* Does the source hold a frame of this seq? (mem is in seq order) */
static bool held(const snap_src *x, int64_t seq)
{
    size_t lo = 0, hi = x->nmem;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->mem[mid]->seq < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->nmem && x->mem[lo]->seq == seq;
}

/* A partial: its uid's later frame replaced it (see the top). The encoder writes compact
 * JSON, and in a string a quote is escaped, so this key can only be the field. */
static bool partial_entry(const eventlog_entry *e)
{
    static const char utt[] = "{\"type\":\"utterance\"", fin[] = "\"final\":false";
    return e->len > sizeof utt && memcmp(e->frame, utt, sizeof utt - 1) == 0 &&
           memmem(e->frame, e->len, fin, sizeof fin - 1) != NULL;
}

typedef struct {
    snap_src *x;
    size_t rows;
} page_read;

static int page_row(void *ctx, const eventlog_entry *e)
{
    page_read *r = ctx;
    snap_src *x = r->x;
    r->rows++;
    if (e->seq > x->log_upto) {
        x->log_after = x->log_upto;
        return 1;
    }
    x->log_after = e->seq;
    /* who may see it was decided when its interaction joined the snapshot, as for the
     * frames its call holds (every frame of a call is for everyone who sees the call) */
    if (!partial_entry(e) && !held(x, e->seq))
        x->page[x->npage++] = shared_frame_new(e->frame, e->len, e->seq);
    return x->npage == x->cap || r->rows >= LOG_PAGE * 4 ? 1 : 0;
}

/* An utterance counted as a line: a final, or an open partial the call holds. */
static bool line_entry(const snap_src *x, const eventlog_entry *e)
{
    static const char utt[] = "{\"type\":\"utterance\"";
    return e->len > sizeof utt && memcmp(e->frame, utt, sizeof utt - 1) == 0 &&
           (!partial_entry(e) || held(x, e->seq));
}

typedef struct {
    snap_src *x;
    size_t rows;
} seek_read;

static int seek_row(void *ctx, const eventlog_entry *e)
{
    seek_read *r = ctx;
    snap_src *x = r->x;
    r->rows++;
    x->seek_before = e->seq;
    if (line_entry(x, e) && --x->seek == 0)
        return 1;
    return r->rows >= LOG_PAGE * 4 ? 1 : 0;
}

/* One step of the backward look for the tail's first line; once found, the log part starts
 * there, and the lines before it count as merged but for the held ones, merged still. The
 * rows read, or -1. */
static long seek_step(session *s, snap_src *x)
{
    seek_read r = {.x = x};
    eventlog *log = s->h->log;
    int rc = log->ops->scan_interaction_back(log, x->iid, x->seek_before, seek_row, &r);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        /* the log has fewer lines than the call counted: read it all, counting as it goes */
        x->seek = 0;
        return (long)r.rows;
    }
    if (x->seek)
        return (long)r.rows;
    int64_t cut = x->seek_before;
    size_t held_before = 0;
    for (size_t i = 0; i < x->nmem && x->mem[i]->seq < cut; i++)
        held_before += live_frame_type(x->mem[i]) == EV_UTTERANCE;
    x->passed = x->skip - held_before;
    x->log_after = cut - 1;
    return (long)r.rows;
}

/* The source's next page from the log (it may come back empty: rows it skipped). The
 * rows read, or -1 when the log cannot be read. */
static long read_page(session *s, snap_src *x)
{
    if (!x->page)
        x->page = mem_alloc(x->cap * sizeof *x->page);
    x->npage = x->ipage = 0;
    page_read r = {.x = x};
    eventlog *log = s->h->log;
    int rc = log->ops->scan_interaction(log, x->iid, x->log_after, page_row, &r);
    if (rc < 0)
        return -1;
    if (rc == 0)
        x->log_after = x->log_upto; /* read to the end */
    return (long)r.rows;
}

static bool log_left(const snap_src *x)
{
    return x->log_after < x->log_upto;
}

/* Fill the page until it has a frame or the log part is read; false on a log error. */
static bool fill(session *s, snap_src *x, size_t *rows)
{
    while (x->ipage == x->npage && log_left(x)) {
        long n = x->seek ? seek_step(s, x) : read_page(s, x);
        if (n < 0)
            return false;
        *rows += (size_t)n;
    }
    return true;
}

static shared_frame *head(const snap_src *x)
{
    shared_frame *m = x->imem < x->nmem ? x->mem[x->imem] : NULL;
    shared_frame *g = x->ipage < x->npage ? x->page[x->ipage] : NULL;
    if (!m || !g)
        return m ? m : g;
    return g->seq < m->seq ? g : m;
}

static int64_t head_seq(const console_snapshot *snap, size_t i)
{
    return head(&snap->src[snap->heap[i]])->seq;
}

static void sift_down(console_snapshot *snap, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < snap->nheap && head_seq(snap, l) < head_seq(snap, m))
            m = l;
        if (r < snap->nheap && head_seq(snap, r) < head_seq(snap, m))
            m = r;
        if (m == i)
            return;
        size_t t = snap->heap[i];
        snap->heap[i] = snap->heap[m];
        snap->heap[m] = t;
        i = m;
    }
}

/* Whether a tail-only snapshot keeps the frame (every frame without keep_lines). */
static bool keeps(snap_src *x, const shared_frame *f, size_t keep)
{
    if (!keep)
        return true;
    proto_type ty = live_frame_type(f);
    switch (ty) {
    case EV_INTERACTION_STARTED:
    case EV_FLAG:
        return true;
    case EV_SENTIMENT:
    case EV_CUSTOMER:
    case EV_CHECKLIST:
    case EV_SUMMARY:
    case EV_HANDOVER:
        return x->latest[ty] == f->seq;
    case EV_SUGGESTION:
        return x->suggestions_from && f->seq >= x->suggestions_from;
    case EV_UTTERANCE:
        return ++x->passed > x->skip;
    default:
        return x->whole || x->passed > x->skip;
    }
}

/* The first log page of each source, a turn's rows at a time: the merge needs every
 * source's first frame. */
static int prime(session *s, console_snapshot *snap, size_t *rows)
{
    if (snap->primed == 0) {
        size_t reading = 0;
        for (size_t i = 0; i < snap->nsrc; i++)
            reading += snap->src[i].log_upto > 0;
        size_t cap = reading ? SNAPSHOT_READ_AHEAD / reading : LOG_PAGE;
        cap = cap < LOG_PAGE_MIN ? LOG_PAGE_MIN : cap > LOG_PAGE ? LOG_PAGE : cap;
        for (size_t i = 0; i < snap->nsrc; i++)
            snap->src[i].cap = cap;
    }
    while (snap->primed < snap->nsrc && *rows < TURN_ROWS)
        if (!fill(s, &snap->src[snap->primed++], rows))
            return -1;
    if (snap->primed < snap->nsrc)
        return 0;
    if (!snap->heap) {
        snap->heap = mem_alloc((snap->nsrc ? snap->nsrc : 1) * sizeof *snap->heap);
        for (size_t i = 0; i < snap->nsrc; i++)
            if (head(&snap->src[i]))
                snap->heap[snap->nheap++] = i;
        for (size_t i = snap->nheap / 2; i-- > 0;)
            sift_down(snap, i);
    }
    return 1;
}

int console_snapshot_pump(session *s, bool (*full)(const session *s, size_t queued))
{
    console_snapshot *snap = s->snap;
    size_t rows = 0, queued = 0;
    int primed = prime(s, snap, &rows);
    if (primed <= 0)
        return primed;
    while (snap->nheap && !full(s, queued) && rows < TURN_ROWS) {
        snap_src *x = &snap->src[snap->heap[0]];
        shared_frame *f = head(x);
        if (x->ipage < x->npage && f == x->page[x->ipage])
            x->ipage++;
        else
            x->imem++;
        if (keeps(x, f, snap->keep)) {
            session_queue(s, f);
            queued++;
        }
        shared_frame_unref(f);
        if (session_closing(s))
            return -1;
        if (!fill(s, x, &rows))
            return -1;
        if (!head(x))
            snap->heap[0] = snap->heap[--snap->nheap];
        sift_down(snap, 0);
    }
    return snap->nheap ? 0 : 1;
}

/* Lines of the call after `after` up to `upto`: counted while at most `limit`. */
typedef struct {
    int64_t upto;
    size_t lines, limit;
} line_count;

static int count_row(void *ctx, const eventlog_entry *e)
{
    line_count *lc = ctx;
    if (e->seq > lc->upto)
        return 1;
    static const char utt[] = "{\"type\":\"utterance\"";
    if (e->len > sizeof utt && memcmp(e->frame, utt, sizeof utt - 1) == 0 && !partial_entry(e))
        lc->lines++;
    return lc->lines > lc->limit ? 1 : 0;
}

size_t console_lines_after(session *s, const live_call *c, int64_t after, int64_t upto, size_t limit)
{
    size_t lines = 0;
    for (size_t i = c->nframes; i-- > 0 && lines <= limit;) {
        const shared_frame *f = c->frames[i];
        if (!f || f->seq > upto)
            continue;
        if (f->seq <= after)
            break; /* frames are in seq order */
        lines += live_frame_type(f) == EV_UTTERANCE;
    }
    /* the held lines up to dropped_upto are open partials, which the log count skips; the
     * log is not read when it could not hold enough lines to pass the limit (fewer dropped
     * lines, or fewer seqs between after and dropped_upto, than the limit leaves) */
    size_t room = limit - (lines <= limit ? lines : limit);
    if (lines <= limit && after < c->dropped_upto && c->dropped_lines > room &&
        (uint64_t)(c->dropped_upto - after) > room) {
        line_count lc = {.upto = c->dropped_upto, .limit = limit - lines};
        s->h->log->ops->scan_interaction(s->h->log, c->iid, after, count_row, &lc);
        lines += lc.lines;
    }
    return lines;
}
