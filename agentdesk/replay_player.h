/* replay_player.h — the recording's clock: where the replay stands (a position on the
 * timeline and the recording time shown), playing or paused, at what speed. No curses: the
 * replay screen and --linear drive it, and it moves the model it is given only through the
 * timeline (seek from a keyframe, or apply the next events in order).
 *
 * Invariant: the model holds the state at `pos` (events [0, pos) applied), and cur_ms is
 * at or after the time of event pos - 1 and before the time of event pos. */
#ifndef AGENTDESK_REPLAY_PLAYER_H
#define AGENTDESK_REPLAY_PLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "agentdesk/replay_timeline.h"

typedef struct {
    const replay_timeline *tl;
    model *m;
    size_t pos;
    int64_t cur_ms;            /* the recording time shown */
    bool playing;
    double speed;              /* 0.25 .. 16 */
    int64_t anchor_ms;         /* while playing: cur_ms at anchor_us */
    int64_t anchor_us;
} replay_player;

#define REPLAY_SPEED_MIN 0.25
#define REPLAY_SPEED_MAX 16.0

typedef void (*replay_change_fn)(void *ctx, const model_delta *d);

void replay_player_init(replay_player *p, const replay_timeline *tl, model *m);
/* The model becomes the state at `pos` (clamped); cur_ms the time of event pos - 1. */
void replay_player_seek(replay_player *p, size_t pos, int64_t now_us);
/* Every event at or before t_ms shown, none after; cur_ms = t_ms (clamped). */
void replay_player_seek_time(replay_player *p, int64_t t_ms, int64_t now_us);
void replay_player_play(replay_player *p, bool on, int64_t now_us);
/* Double (dir > 0) or halve the speed, within 0.25x..16x. */
void replay_player_speed_step(replay_player *p, int dir, int64_t now_us);
/* Set the speed (clamped); false when out of range. */
bool replay_player_set_speed(replay_player *p, double speed, int64_t now_us);
/* While playing: move the clock to now and apply the events it passed, calling fn for
 * each. Pauses at the end. Returns how many events were applied. */
size_t replay_player_advance(replay_player *p, int64_t now_us, replay_change_fn fn, void *ctx);
/* Milliseconds of real time until the next event or the next second of the clock shown
 * (at least 1), or -1 when paused. */
int64_t replay_player_wake_ms(const replay_player *p, int64_t now_us);
/* "mm:ss", "h:mm:ss", "SS" seconds or "N%" of the duration into *t_ms. false when it is
 * none of these. */
bool replay_parse_goto(const char *s, int64_t duration_ms, int64_t *t_ms);
/* "04:12" or "1:04:12". */
void replay_fmt_time(int64_t ms, char *buf, size_t n);

#endif
