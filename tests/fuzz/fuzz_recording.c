/* fuzz_recording.c — libFuzzer target: any bytes as a recording file. The reader must never
 * crash and must account for every line (an event, a bad line, the header or a torn end);
 * the timeline built over what it read (small keyframe spacing, a small scrollback, so the
 * model's ring and copies are exercised) must seek anywhere to exactly the model the replay
 * from the start gives, and every string that reached the model must be clean; the player's
 * one-pass build (replay_timeline_reader) must give the same timeline. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agentdesk/model_copy.h"
#include "agentdesk/recording.h"
#include "agentdesk/replay_timeline.h"
#include "base/text.h"

#define REQUIRE(cond) do { if (!(cond)) { \
    fprintf(stderr, "fuzz_recording: %s:%d: %s\n", __FILE__, __LINE__, #cond); abort(); } } while (0)

static void require_same(const model *a, const model *b)
{
    REQUIRE(a->n_ix == b->n_ix && a->last_seq == b->last_seq && a->active == b->active);
    for (size_t i = 0; i < a->n_ix; i++) {
        const model_ix *x = a->ix[i], *y = b->ix[i];
        REQUIRE(strcmp(x->iid, y->iid) == 0 && x->first_no == y->first_no && x->count == y->count);
        REQUIRE(x->n_flags == y->n_flags && x->n_sugg == y->n_sugg && x->n_trend == y->n_trend);
        for (uint64_t no = x->first_no; no < model_line_end(x); no++) {
            const model_line *l = model_line_at(x, no), *m = model_line_at(y, no);
            REQUIRE(strcmp(l->text, m->text) == 0 && l->final == m->final && l->version == m->version);
            REQUIRE(text_is_clean(l->text, strlen(l->text), TEXT_KEEP_NEWLINES));
        }
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    recording r;
    recording_open_mem(&r, (const char *)data, size, NULL);
    size_t newlines = 0;
    for (size_t i = 0; i < size; i++) newlines += data[i] == '\n';
    REQUIRE(r.n_lines == newlines + (r.torn ? 1 : 0));
    REQUIRE(r.n_events + r.n_bad <= r.n_lines);
    REQUIRE(text_is_clean(r.iid, strlen(r.iid), TEXT_SINGLE_LINE));
    REQUIRE(text_is_clean(r.agent, strlen(r.agent), TEXT_SINGLE_LINE));
    for (size_t i = 1; i < r.n_events; i++) REQUIRE(r.events[i].t_ms >= r.events[i - 1].t_ms);
    char problems[600];
    recording_problems(&r, problems, sizeof problems);
    REQUIRE(text_is_clean(problems, strlen(problems), TEXT_SINGLE_LINE));
    replay_timeline tl;
    replay_timeline_build(&tl, &r, 100, 3);
    model seq, sought;
    model_init(&seq, 100);
    model_init(&sought, 100);
    for (size_t p = 0; p <= r.n_events; p++) {
        replay_timeline_seek(&tl, &sought, p);
        require_same(&seq, &sought);
        if (p < r.n_events) replay_timeline_apply(&tl, &seq, p);
    }
    /* the player's one pass builds the same timeline */
    recording r2;
    replay_timeline t2;
    recording_reader rd = replay_timeline_reader(&t2, &r2, 100, 3);
    recording_open_mem(&r2, (const char *)data, size, &rd);
    replay_timeline_finish(&t2);
    REQUIRE(t2.n_keys == tl.n_keys && t2.n_marks == tl.n_marks);
    for (size_t p = 0; p <= r.n_events; p += 7) {
        replay_timeline_seek(&tl, &seq, p);
        replay_timeline_seek(&t2, &sought, p);
        require_same(&seq, &sought);
    }
    replay_timeline_free(&t2);
    recording_free(&r2);
    model_free(&seq);
    model_free(&sought);
    replay_timeline_free(&tl);
    recording_free(&r);
    return 0;
}
