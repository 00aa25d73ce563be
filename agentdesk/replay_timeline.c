/* replay_timeline.c — keyframes and marks of a recording (see replay_timeline.h). */
#include "agentdesk/replay_timeline.h"
#include "agentdesk/model_copy.h"
#include "base/mem.h"

#include <string.h>

model_delta replay_timeline_apply(const replay_timeline *tl, model *m, size_t i)
{
    proto_event ev;
    model_delta d = {0};
    if (!recording_event_decode(tl->rec, i, &ev)) return d;
    d = model_apply(m, &ev);
    proto_free(&ev);
    return d;
}

static void add_mark(replay_timeline *tl, size_t *cap, size_t event, replay_mark_kind kind, int sev)
{
    if (tl->n_marks == *cap) {
        *cap = *cap ? *cap * 2 : 32;
        tl->marks = mem_realloc(tl->marks, *cap * sizeof *tl->marks);
    }
    tl->marks[tl->n_marks++] = (replay_mark){event, kind, sev};
}

static void push_key(replay_timeline *tl)
{
    if (tl->n_keys == tl->cap_keys) {
        tl->cap_keys = tl->cap_keys ? tl->cap_keys * 2 : REPLAY_MAX_KEYS + 1;
        tl->keys = mem_realloc(tl->keys, tl->cap_keys * sizeof *tl->keys);
    }
    model_copy(&tl->keys[tl->n_keys++], &tl->building);
}

static void start(replay_timeline *tl, const recording *rec, size_t scrollback, size_t every, size_t expected)
{
    memset(tl, 0, sizeof *tl);
    tl->rec = rec;
    tl->scrollback = scrollback;
    tl->every = (expected + REPLAY_MAX_KEYS - 1) / REPLAY_MAX_KEYS;
    if (tl->every < REPLAY_MIN_EVERY) tl->every = REPLAY_MIN_EVERY;
    if (every) tl->every = every;
    model_init(&tl->building, scrollback);
}

/* Event i (the next one) onto the state being built: a keyframe before it when due, marks. */
static void feed(replay_timeline *tl, size_t i, const proto_event *ev)
{
    if (i % tl->every == 0) push_key(tl);
    model *m = &tl->building;
    model_ix *ix = model_active(m);
    size_t trend_points = ix ? ix->n_trend : 0;
    double before = ix && ix->has_sentiment ? ix->last_trend : 0;
    model_delta d = model_apply(m, ev);
    if (d.ix && d.flag_added && d.flag < d.ix->n_flags)
        add_mark(tl, &tl->cap_marks, i, MARK_FLAG, d.ix->flags[d.flag].severity);
    else if (d.ix && d.ix == ix && (d.what & MODEL_CH_SENTIMENT) && d.ix->n_trend > trend_points &&
             trend_points > 0 && d.ix->last_trend < 0 && before - d.ix->last_trend >= REPLAY_DROP)
        add_mark(tl, &tl->cap_marks, i, MARK_DROP, 0);
    tl->fed = i + 1;
}

void replay_timeline_finish(replay_timeline *tl)
{
    if (tl->fed % tl->every == 0) push_key(tl);   /* the state after the last event */
    model_free(&tl->building);
}

static void reader_begin(void *ctx, const recording *r, size_t lines)
{
    replay_timeline *tl = ctx;
    size_t every = tl->every;   /* as asked (0: by the length), kept by replay_timeline_reader */
    start(tl, r, tl->scrollback, every, lines);
}

static void reader_event(void *ctx, const recording *r, size_t i, const proto_event *ev)
{
    (void)r;
    feed(ctx, i, ev);
}

recording_reader replay_timeline_reader(replay_timeline *tl, const recording *rec, size_t scrollback,
                                        size_t every)
{
    /* begin sets everything up once the lines are counted; until then only what it needs */
    memset(tl, 0, sizeof *tl);
    tl->rec = rec;
    tl->scrollback = scrollback;
    tl->every = every;
    return (recording_reader){reader_begin, reader_event, tl};
}

void replay_timeline_build(replay_timeline *tl, const recording *rec, size_t scrollback, size_t every)
{
    start(tl, rec, scrollback, every, rec->n_events);
    for (size_t i = 0; i < rec->n_events; i++) {
        proto_event ev;
        if (recording_event_decode(rec, i, &ev)) {
            feed(tl, i, &ev);
            proto_free(&ev);
        } else {
            if (i % tl->every == 0) push_key(tl);
            tl->fed = i + 1;
        }
    }
    replay_timeline_finish(tl);
}

void replay_timeline_free(replay_timeline *tl)
{
    for (size_t k = 0; k < tl->n_keys; k++) model_free(&tl->keys[k]);
    free(tl->keys);
    free(tl->marks);
    memset(tl, 0, sizeof *tl);
}

void replay_timeline_seek(const replay_timeline *tl, model *m, size_t pos)
{
    if (pos > tl->rec->n_events) pos = tl->rec->n_events;
    size_t k = pos / tl->every;
    model_free(m);
    model_copy(m, &tl->keys[k]);
    for (size_t i = k * tl->every; i < pos; i++) replay_timeline_apply(tl, m, i);
}

size_t replay_timeline_mark_step(const replay_timeline *tl, size_t pos, int dir)
{
    if (dir > 0) {
        for (size_t i = 0; i < tl->n_marks; i++)
            if (tl->marks[i].event + 1 > pos) return tl->marks[i].event + 1;
    } else {
        for (size_t i = tl->n_marks; i-- > 0;)
            if (tl->marks[i].event + 1 < pos) return tl->marks[i].event + 1;
    }
    return pos;
}
