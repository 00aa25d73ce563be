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

void replay_timeline_build(replay_timeline *tl, const recording *rec, size_t scrollback, size_t every)
{
    memset(tl, 0, sizeof *tl);
    tl->rec = rec;
    tl->scrollback = scrollback;
    size_t n = rec->n_events;
    tl->every = (n + REPLAY_MAX_KEYS - 1) / REPLAY_MAX_KEYS;
    if (tl->every < REPLAY_MIN_EVERY) tl->every = REPLAY_MIN_EVERY;
    if (every) tl->every = every;
    tl->n_keys = n / tl->every + 1;
    tl->keys = mem_zalloc(tl->n_keys, sizeof *tl->keys);
    model m;
    model_init(&m, scrollback);
    size_t cap_marks = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i % tl->every == 0) model_copy(&tl->keys[i / tl->every], &m);
        if (i == n) break;
        model_ix *ix = model_active(&m);
        size_t trend_points = ix ? ix->n_trend : 0;
        double before = ix && ix->has_sentiment ? ix->last_trend : 0;
        model_delta d = replay_timeline_apply(tl, &m, i);
        if (d.ix && d.flag_added && d.flag < d.ix->n_flags)
            add_mark(tl, &cap_marks, i, MARK_FLAG, d.ix->flags[d.flag].severity);
        else if (d.ix && d.ix == ix && (d.what & MODEL_CH_SENTIMENT) && d.ix->n_trend > trend_points &&
                 trend_points > 0 && d.ix->last_trend < 0 && before - d.ix->last_trend >= REPLAY_DROP)
            add_mark(tl, &cap_marks, i, MARK_DROP, 0);
    }
    model_free(&m);
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
