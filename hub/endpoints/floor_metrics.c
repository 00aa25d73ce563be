/* floor_metrics.c — the floor's figures for the last hour, sent to supervisors (see
 * floor_metrics.h). The computation is report_data.c's; this file chooses when, encodes the
 * rows and fans the one frame out. */
#include "hub/endpoints/floor_metrics.h"
#include "hub/store/report_data.h"
#include "base/clock.h"
#include "base/logfile.h"
#include "base/mem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct floor_board {
    report_tallies *tallies; /* each interaction of the hour's events so far (report_data.h) */
    shared_frame *last;     /* the latest figures, encoded; NULL before the first */
    int64_t computed_ms;    /* wall clock of `last` */
    int64_t due_ms;         /* the next computation, wall clock; 0 none planned */
};

static struct floor_board *board(hub *h)
{
    if (!h->floor) {
        h->floor = mem_zalloc(1, sizeof *h->floor);
        h->floor->tallies = report_tallies_new();
    }
    return h->floor;
}

void floor_metrics_note(hub *h, const pipeline_entry *e)
{
    if (!h->floor)   /* no supervisor yet: the first computation reads the log */
        return;
    report_event ev = {.kind = REPORT_EV_OTHER, .seq = e->frame->seq};
    if (e->type == EV_INTERACTION_STARTED)
        ev.kind = REPORT_EV_STARTED;
    else if (e->type == EV_UTTERANCE || e->type == EV_SENTIMENT) {
        ev.kind = e->type == EV_UTTERANCE ? REPORT_EV_UTTERANCE : REPORT_EV_SENTIMENT;
        ev.unknown = !e->figures.said;
        ev.speaker = e->figures.speaker;
        ev.uid = e->figures.uid[0] ? e->figures.uid : NULL;
        ev.level = e->figures.level;
        ev.offset_ms = e->figures.offset_ms;
        ev.scored = e->figures.scored;
        ev.score = e->figures.score;
    } else
        return;
    report_tallies_note(h->floor->tallies, e->iid, &ev);
}

static bool any_supervisor(const hub *h)
{
    for (const session *s = h->supervisors; s; s = s->unext)
        if (s->status_ready && !session_closing(s))
            return true;
    return false;
}

/* A row: the counts, then each average or share that has something to count. */
static json_t *row_json(const report_row *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "key", json_string(r->key));
    json_object_set_new(o, "interactions", json_integer(r->interactions));
    json_object_set_new(o, "ended", json_integer(r->ended));
    json_object_set_new(o, "waited", json_integer(r->waited));
    json_object_set_new(o, "scored", json_integer(r->scored));
    json_object_set_new(o, "with_customer", json_integer(r->with_customer));
    if (r->ended)
        json_object_set_new(o, "handle_ms", json_integer((json_int_t)(r->handle_ms / (double)r->ended + 0.5)));
    if (r->waited)
        json_object_set_new(o, "wait_ms", json_integer((json_int_t)(r->wait_ms / (double)r->waited + 0.5)));
    if (r->scored) {
        json_object_set_new(o, "uplift", json_real(r->uplift / (double)r->scored));
        json_object_set_new(o, "negative_share", json_real((double)r->negative / (double)r->scored));
    }
    if (r->with_customer)
        json_object_set_new(o, "repeat_share", json_real((double)r->repeats / (double)r->with_customer));
    return o;
}

static int by_interactions(const void *a, const void *b)
{
    const report_row *x = a, *y = b;
    return (x->interactions < y->interactions) - (x->interactions > y->interactions);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const report_row *)a)->key, ((const report_row *)b)->key);
}

/* At most `cap` rows, the busiest, by key. */
static json_t *rows_json(report *r, size_t cap)
{
    if (r->n > cap) {
        qsort(r->rows, r->n, sizeof *r->rows, by_interactions);
        qsort(r->rows, cap, sizeof *r->rows, by_key);
    }
    json_t *a = json_array();
    for (size_t i = 0; i < r->n && i < cap; i++)
        json_array_append_new(a, row_json(&r->rows[i]));
    return a;
}

static shared_frame *compute(hub *h, int64_t now)
{
    report q, a;
    char err[256];
    int64_t since = now - FLOOR_METRICS_WINDOW_MS;
    if (report_compute_tallied(store_db(h->st), since, now + 1, board(h)->tallies, &q, &a, err, sizeof err) != 0) {
        logfile_write("floor.metrics not computed: %s", err);
        return NULL;
    }
    shared_frame *f = NULL;
    /* long queue or agent names could pass the frame limit: fewer rows then */
    for (size_t cap = FLOOR_METRICS_MAX_ROWS; !f && cap > 0; cap /= 2) {
        proto_event ev = proto_new(EV_FLOOR_METRICS);
        proto_set_int(&ev, "since_ms", since);
        proto_set_int(&ev, "until_ms", now);
        proto_set_json(&ev, "total", row_json(&q.total));
        proto_set_json(&ev, "queues", rows_json(&q, cap));
        proto_set_json(&ev, "agents", rows_json(&a, cap));
        proto_error perr;
        size_t len;
        char *text = proto_encode(&ev, &len, &perr);
        proto_free(&ev);
        if (text)
            f = shared_frame_new(text, len, 0);
        else
            logfile_write("floor.metrics not encoded with %zu rows: %s", cap, perr.message);
        free(text);
    }
    report_free(&q);
    report_free(&a);
    return f;
}

/* Compute now and send to every live supervisor. */
static void refresh(hub *h, int64_t now)
{
    struct floor_board *b = board(h);
    b->due_ms = now + FLOOR_METRICS_EVERY_MS;
    shared_frame *f = compute(h, now);
    if (!f)
        return;
    if (b->last)
        shared_frame_unref(b->last);
    b->last = f;
    b->computed_ms = now;
    for (session *s = h->supervisors, *n; s; s = n) {
        n = s->unext;
        if (s->status_ready)
            session_queue(s, f);
    }
}

void floor_metrics_hello(session *s)
{
    if (s->user.role != ROLE_SUPERVISOR)
        return;
    hub *h = s->h;
    struct floor_board *b = board(h);
    int64_t now = clock_wall_ms();
    if (b->last && now - b->computed_ms < FLOOR_METRICS_EVERY_MS) {
        session_queue(s, b->last);
    } else {
        refresh(h, now);   /* it is among the live supervisors now */
    }
    net_server_tick_soon(h->net);   /* the periodic refresh runs while a supervisor is here */
}

void floor_metrics_ended(hub *h)
{
    struct floor_board *b = board(h);
    int64_t soon = clock_wall_ms() + FLOOR_METRICS_SOON_MS;
    if (b->last && soon < b->computed_ms + FLOOR_METRICS_GAP_MS)
        soon = b->computed_ms + FLOOR_METRICS_GAP_MS;
    if (!b->due_ms || b->due_ms > soon)
        b->due_ms = soon;
}

int64_t floor_metrics_tick(hub *h)
{
    if (h->stopping || !any_supervisor(h))
        return 0;
    struct floor_board *b = board(h);
    int64_t now = clock_wall_ms();
    if (!b->due_ms || now >= b->due_ms)
        refresh(h, now);
    int64_t wait = b->due_ms - now;
    return wait < 1000 ? 1000 : wait;
}

void floor_metrics_free(hub *h)
{
    if (!h->floor)
        return;
    if (h->floor->last)
        shared_frame_unref(h->floor->last);
    report_tallies_free(h->floor->tallies);
    free(h->floor);
    h->floor = NULL;
}
