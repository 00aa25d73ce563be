/* replay_timeline.h — the states of a recording, so seeking anywhere costs the same however
 * long it is: a keyframe (a copy of the model, model_copy.h) every `every` events, and a
 * seek starts from the nearest keyframe at or before the target and applies at most
 * `every` - 1 events. Keyframes are at most REPLAY_MAX_KEYS, so memory is bounded by
 * REPLAY_MAX_KEYS models of at most `scrollback` lines each.
 *
 * Position p means "the events [0, p) applied": 0 is before the first event, n_events
 * after the last. The timeline also holds the marks a trainer jumps between: each flag
 * raised, and each sentiment drop (the customer's trend falls by REPLAY_DROP or more at one
 * scored utterance and ends below zero). */
#ifndef AGENTDESK_REPLAY_TIMELINE_H
#define AGENTDESK_REPLAY_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include "agentdesk/model.h"
#include "agentdesk/recording.h"

#define REPLAY_MAX_KEYS 64
#define REPLAY_MIN_EVERY 256
#define REPLAY_DROP 0.2

typedef enum { MARK_FLAG, MARK_DROP } replay_mark_kind;

typedef struct {
    size_t event;          /* the event that raised it: position event + 1 shows it */
    replay_mark_kind kind;
    int severity;          /* a flag's, 1..3 */
} replay_mark;

typedef struct {
    const recording *rec;
    size_t scrollback;
    size_t every;
    model *keys;           /* keys[k]: the state at position k * every */
    size_t n_keys;
    replay_mark *marks;
    size_t n_marks;
    /* while building (replay_timeline_reader): the state so far and what was fed */
    model building;
    size_t fed, cap_keys, cap_marks;
} replay_timeline;

/* Apply every event once, keeping keyframes and marks. `every`: events between keyframes,
 * 0 for the default (n / REPLAY_MAX_KEYS, at least REPLAY_MIN_EVERY); tests pass a small one. */
void replay_timeline_build(replay_timeline *tl, const recording *rec, size_t scrollback, size_t every);
/* The same in the reading's one pass: recording_open_*(r, ..., &reader) with the reader made
 * here builds the timeline from the events as they are decoded (no second decode); then
 * replay_timeline_finish. */
recording_reader replay_timeline_reader(replay_timeline *tl, const recording *rec, size_t scrollback,
                                        size_t every);
void replay_timeline_finish(replay_timeline *tl);
void replay_timeline_free(replay_timeline *tl);
/* *m (initialised, or zeroed) becomes the state at position `pos` (clamped to n_events). */
void replay_timeline_seek(const replay_timeline *tl, model *m, size_t pos);
/* Apply event i to *m (the state at position i): what it changed. */
model_delta replay_timeline_apply(const replay_timeline *tl, model *m, size_t i);
/* The position showing the next (dir > 0) or previous (dir < 0) mark from `pos`; `pos`
 * itself when there is none that way. */
size_t replay_timeline_mark_step(const replay_timeline *tl, size_t pos, int dir);

#endif
