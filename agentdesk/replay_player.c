/* replay_player.c — the recording's clock (see replay_player.h). */
#include "agentdesk/replay_player.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const recording *rec_of(const replay_player *p) { return p->tl->rec; }

void replay_player_init(replay_player *p, const replay_timeline *tl, model *m)
{
    memset(p, 0, sizeof *p);
    p->tl = tl;
    p->m = m;
    p->speed = 1.0;
    replay_timeline_seek(tl, m, 0);
}

static int64_t time_of(const replay_player *p, size_t pos)
{
    return pos == 0 ? 0 : rec_of(p)->events[pos - 1].t_ms;
}

void replay_player_seek(replay_player *p, size_t pos, int64_t now_us)
{
    if (pos > rec_of(p)->n_events) pos = rec_of(p)->n_events;
    replay_timeline_seek(p->tl, p->m, pos);
    p->pos = pos;
    p->cur_ms = time_of(p, pos);
    p->anchor_ms = p->cur_ms;
    p->anchor_us = now_us;
}

void replay_player_seek_time(replay_player *p, int64_t t_ms, int64_t now_us)
{
    int64_t dur = recording_duration(rec_of(p));
    if (t_ms < 0) t_ms = 0;
    if (t_ms > dur) t_ms = dur;
    /* every event at t_ms is shown: the position is the first event after it */
    replay_player_seek(p, recording_event_at(rec_of(p), t_ms + 1), now_us);
    p->cur_ms = p->anchor_ms = t_ms;
}

void replay_player_play(replay_player *p, bool on, int64_t now_us)
{
    if (on && p->pos >= rec_of(p)->n_events) replay_player_seek(p, 0, now_us);   /* again from the start */
    p->playing = on && rec_of(p)->n_events > 0;
    p->anchor_ms = p->cur_ms;
    p->anchor_us = now_us;
}

bool replay_player_set_speed(replay_player *p, double speed, int64_t now_us)
{
    if (!(speed >= REPLAY_SPEED_MIN && speed <= REPLAY_SPEED_MAX)) return false;
    replay_player_advance(p, now_us, NULL, NULL);
    p->speed = speed;
    p->anchor_ms = p->cur_ms;
    p->anchor_us = now_us;
    return true;
}

void replay_player_speed_step(replay_player *p, int dir, int64_t now_us)
{
    double s = dir > 0 ? p->speed * 2 : p->speed / 2;
    if (s < REPLAY_SPEED_MIN) s = REPLAY_SPEED_MIN;
    if (s > REPLAY_SPEED_MAX) s = REPLAY_SPEED_MAX;
    replay_player_set_speed(p, s, now_us);
}

size_t replay_player_advance(replay_player *p, int64_t now_us, replay_change_fn fn, void *ctx)
{
    if (!p->playing) return 0;
    const recording *r = rec_of(p);
    int64_t t = p->anchor_ms + (int64_t)((double)(now_us - p->anchor_us) / 1000.0 * p->speed);
    int64_t dur = recording_duration(r);
    if (t > dur) t = dur;
    size_t n = 0;
    while (p->pos < r->n_events && r->events[p->pos].t_ms <= t) {
        model_delta d = replay_timeline_apply(p->tl, p->m, p->pos);
        p->pos++;
        n++;
        if (fn) fn(ctx, &d);
    }
    p->cur_ms = t;
    if (p->pos >= r->n_events) {
        p->playing = false;
        p->cur_ms = dur;
    }
    return n;
}

int64_t replay_player_wake_ms(const replay_player *p, int64_t now_us)
{
    if (!p->playing) return -1;
    const recording *r = rec_of(p);
    int64_t t = p->anchor_ms + (int64_t)((double)(now_us - p->anchor_us) / 1000.0 * p->speed);
    int64_t next = p->pos < r->n_events ? r->events[p->pos].t_ms : recording_duration(r);
    int64_t second = (t / 1000 + 1) * 1000;   /* the clock shown moves each second */
    if (second < next) next = second;
    int64_t wait = (int64_t)((double)(next - t) / p->speed);
    return wait < 1 ? 1 : wait;
}

bool replay_parse_goto(const char *s, int64_t duration_ms, int64_t *t_ms)
{
    while (*s == ' ') s++;
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ') len--;
    if (!len || len > 32) return false;
    char buf[40];
    memcpy(buf, s, len);
    buf[len] = 0;
    if (buf[len - 1] == '%') {
        buf[len - 1] = 0;
        char *end;
        double pct = strtod(buf, &end);
        if (end == buf || *end || !(pct >= 0 && pct <= 100)) return false;
        *t_ms = (int64_t)(pct / 100.0 * (double)duration_ms);
        return true;
    }
    long parts[3];
    int n = 0;
    const char *q = buf;
    while (*q && n < 3) {
        if (!isdigit((unsigned char)*q)) return false;
        char *end;
        parts[n++] = strtol(q, &end, 10);
        if (end - q > 6) return false;
        q = end;
        if (*q == ':') q++;
        else if (*q) return false;
    }
    if (*q || n == 0 || buf[len - 1] == ':') return false;
    long secs = n == 1 ? parts[0] : n == 2 ? parts[0] * 60 + parts[1] : parts[0] * 3600 + parts[1] * 60 + parts[2];
    if (n >= 2 && parts[n - 1] >= 60) return false;
    *t_ms = (int64_t)secs * 1000;
    return true;
}

void replay_fmt_time(int64_t ms, char *buf, size_t n)
{
    if (ms < 0) ms = 0;
    long s = (long)(ms / 1000);
    if (s >= 3600) snprintf(buf, n, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else snprintf(buf, n, "%02ld:%02ld", s / 60, s % 60);
}
