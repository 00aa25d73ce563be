/* agent_status.c — agents' status as supervisors see it (see agent_status.h). */
#include "hub/endpoints/agent_status.h"
#include "base/clock.h"
#include "base/logfile.h"
#include "base/mem.h"
#include "base/strmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One agent's status as last sent. */
typedef struct {
    char name[PROTO_MAX_ID + 1];
    char display[PROTO_MAX_SHORT + 1];
    const char *state;        /* a static string; NULL until first computed */
    int64_t since, live, acw, handled;
    bool dirty;
} agent_rec;

struct agent_board {
    strmap *by_name;          /* name -> agent_rec (the key is the record's own name) */
    agent_rec **dirty;
    size_t ndirty, capdirty;
    sqlite3_stmt *user, *chosen, *handled, *agents;
};

static sqlite3_stmt *prepared(hub *h, sqlite3_stmt **slot, const char *sql)
{
    if (!*slot && sqlite3_prepare_v2(store_db(h->st), sql, -1, slot, NULL) != SQLITE_OK) {
        logfile_write("agent status: %s", sqlite3_errmsg(store_db(h->st)));
        *slot = NULL;
    }
    return *slot;
}

static struct agent_board *board(hub *h)
{
    if (!h->board) {
        h->board = mem_zalloc(1, sizeof *h->board);
        h->board->by_name = strmap_new();
    }
    return h->board;
}

/* The record of `name` when it is an agent (users with role agent only; NULL otherwise). */
static agent_rec *rec_of(hub *h, const char *name)
{
    struct agent_board *b = board(h);
    agent_rec *r = strmap_get(b->by_name, name);
    if (r)
        return r;
    sqlite3_stmt *q = prepared(h, &b->user, "SELECT display_name FROM users WHERE name=?1 AND role='agent'");
    if (!q)
        return NULL;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW) {
        r = mem_zalloc(1, sizeof *r);
        snprintf(r->name, sizeof r->name, "%s", name);
        const unsigned char *d = sqlite3_column_text(q, 0);
        snprintf(r->display, sizeof r->display, "%s", d && *d ? (const char *)d : name);
        strmap_put(b->by_name, r->name, r);
    }
    sqlite3_reset(q);
    return r;
}

typedef struct {
    int64_t live, acw, first_start, first_end;
} agent_load;

static agent_load load_of(hub *h, const char *name)
{
    agent_load l = {0};
    /* on a shared bus an agent's interactions may be other hubs' (empty sets otherwise) */
    live *lives[] = {pipeline_live(h->pl), pipeline_remote_live(h->pl)};
    live *ended[] = {pipeline_ended(h->pl), pipeline_remote_ended(h->pl)};
    for (size_t k = 0; k < 2; k++)
        for (live_call *c = live_first(lives[k]); c; c = c->next)
            if (strcmp(c->agent, name) == 0) {
                l.live++;
                if (!l.first_start || c->started_ms < l.first_start)
                    l.first_start = c->started_ms;
            }
    for (size_t k = 0; k < 2; k++)
        for (live_call *c = live_first(ended[k]); c; c = c->next)
            if (strcmp(c->agent, name) == 0) {
                l.acw++;
                if (!l.first_end || c->ended_ms < l.first_end)
                    l.first_end = c->ended_ms;
            }
    return l;
}

/* Did the agent choose a break, and since when? */
static bool on_break(hub *h, const char *name, int64_t *since)
{
    sqlite3_stmt *q = prepared(h, &board(h)->chosen, "SELECT since_ms FROM agent_status WHERE agent=?1 AND state='break'");
    if (!q)
        return false;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    bool yes = sqlite3_step(q) == SQLITE_ROW;
    if (yes)
        *since = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    return yes;
}

/* Wrap-ups the agent stored since midnight UTC. */
static int64_t handled_today(hub *h, const char *name, int64_t now)
{
    sqlite3_stmt *q = prepared(h, &board(h)->handled, "SELECT count(*) FROM wrapups WHERE user=?1 AND ts>=?2");
    if (!q)
        return 0;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, now - now % (86400 * 1000LL));
    int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
    sqlite3_reset(q);
    return n;
}

/* Compute the agent's status now; true when it differs from what was last sent. */
static bool refresh(hub *h, agent_rec *r)
{
    int64_t now = clock_wall_ms(), break_since = 0;
    agent_load l = load_of(h, r->name);
    bool brk = on_break(h, r->name, &break_since);
    const char *state = !session_signed_in(h, r->name) ? "offline"
                        : brk                          ? "break"
                        : l.live                       ? "busy"
                        : l.acw                        ? "acw"
                                                       : "available";
    int64_t since;
    if (brk && strcmp(state, "break") == 0)
        since = break_since;
    else if (strcmp(state, "acw") == 0)
        since = l.first_end;   /* the after-call-work timer runs from the first unwrapped end */
    else if (r->state && strcmp(r->state, state) == 0)
        since = r->since;
    else if (!r->state && strcmp(state, "busy") == 0)
        since = l.first_start; /* first seen busy (a restart): since its oldest live contact */
    else
        since = now;
    int64_t handled = handled_today(h, r->name, now);
    bool changed = !r->state || strcmp(r->state, state) != 0 || since != r->since || l.live != r->live ||
                   l.acw != r->acw || handled != r->handled;
    r->state = state;
    r->since = since;
    r->live = l.live;
    r->acw = l.acw;
    r->handled = handled;
    return changed;
}

static shared_frame *encode(const agent_rec *r)
{
    proto_event ev = proto_new(EV_AGENT_STATUS);
    proto_set_str(&ev, "agent", r->name);
    proto_set_str(&ev, "agent_name", r->display);
    proto_set_str(&ev, "state", r->state);
    proto_set_int(&ev, "since_ms", r->since);
    proto_set_int(&ev, "live", r->live);
    proto_set_int(&ev, "acw_count", r->acw);
    proto_set_int(&ev, "handled_today", r->handled);
    proto_error err;
    size_t len;
    char *text = proto_encode(&ev, &len, &err);
    proto_free(&ev);
    if (!text) {
        logfile_write("agent.status of %s not encoded: %s", r->name, err.message);
        return NULL;
    }
    shared_frame *f = shared_frame_new(text, len, 0);
    free(text);
    return f;
}

static void queue_if_ready(session *s, void *ctx)
{
    if (s->status_ready && s->user.role == ROLE_AGENT)
        session_queue(s, ctx);
}

/* To every supervisor and to the agent's consoles that had their hello's statuses. */
static void broadcast(hub *h, const agent_rec *r)
{
    shared_frame *f = encode(r);
    if (!f)
        return;
    for (session *s = h->supervisors, *n; s; s = n) {
        n = s->unext;
        if (s->status_ready)
            session_queue(s, f);
    }
    session_each_of_user(h, r->name, queue_if_ready, f);
    shared_frame_unref(f);
}

void agent_status_touch(hub *h, const char *agent)
{
    agent_rec *r = agent && *agent ? rec_of(h, agent) : NULL;
    if (!r || r->dirty)
        return;
    struct agent_board *b = h->board;
    if (b->ndirty == b->capdirty) {
        b->capdirty = b->capdirty ? b->capdirty * 2 : 16;
        b->dirty = mem_realloc(b->dirty, b->capdirty * sizeof *b->dirty);
    }
    r->dirty = true;
    b->dirty[b->ndirty++] = r;
}

void agent_status_flush(hub *h)
{
    struct agent_board *b = h->board;
    for (size_t i = 0; b && i < b->ndirty; i++) {
        b->dirty[i]->dirty = false;
        if (refresh(h, b->dirty[i]))
            broadcast(h, b->dirty[i]);
    }
    if (b)
        b->ndirty = 0;
}

void agent_status_now(hub *h, const char *agent)
{
    if (h->stopping)
        return;
    agent_rec *r = rec_of(h, agent);
    if (r && refresh(h, r))
        broadcast(h, r);
}

/* One agent's status for a console that just went live: sent to everyone when it changed
 * meanwhile (the console is ready now, so it is among them), else to this console only. */
static void hello_one(session *s, agent_rec *r)
{
    if (refresh(s->h, r)) {
        broadcast(s->h, r);
        return;
    }
    shared_frame *f = encode(r);
    if (f) {
        session_queue(s, f);
        shared_frame_unref(f);
    }
}

void agent_status_hello(session *s)
{
    hub *h = s->h;
    s->status_ready = true;
    if (s->user.role == ROLE_AGENT) {
        agent_rec *r = rec_of(h, s->user.name);
        if (r)
            hello_one(s, r);
        return;
    }
    if (s->user.role != ROLE_SUPERVISOR)
        return;
    sqlite3_stmt *q = prepared(h, &board(h)->agents, "SELECT name FROM users WHERE role='agent' ORDER BY name");
    if (!q)
        return;
    /* the names first: the lookups below use statements of their own */
    size_t n = 0, cap = 0;
    char (*names)[PROTO_MAX_ID + 1] = NULL;
    while (sqlite3_step(q) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = mem_realloc(names, cap * sizeof *names);
        }
        const unsigned char *name = sqlite3_column_text(q, 0);
        snprintf(names[n++], sizeof names[0], "%s", name ? (const char *)name : "");
    }
    sqlite3_reset(q);
    for (size_t i = 0; i < n; i++) {
        agent_rec *r = rec_of(h, names[i]);
        if (r)
            hello_one(s, r);
    }
    free(names);
}

int agent_status_choose(hub *h, const char *agent, const char *state, int64_t now_ms)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(store_db(h->st),
                           "INSERT INTO agent_status(agent, state, since_ms) VALUES(?1, ?2, ?3)"
                           " ON CONFLICT(agent) DO UPDATE SET state=excluded.state, since_ms=excluded.since_ms"
                           " WHERE state != excluded.state",
                           -1, &q, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(q, 1, agent, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, now_ms);
    int rc = sqlite3_step(q) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(q);
    if (rc == 0)
        agent_status_touch(h, agent);
    return rc;
}

static void free_rec(const char *key, void *value, void *ctx)
{
    (void)key;
    (void)ctx;
    free(value);
}

void agent_status_free(hub *h)
{
    struct agent_board *b = h->board;
    if (!b)
        return;
    strmap_each(b->by_name, free_rec, NULL);
    strmap_free(b->by_name);
    sqlite3_finalize(b->user);
    sqlite3_finalize(b->chosen);
    sqlite3_finalize(b->handled);
    sqlite3_finalize(b->agents);
    free(b->dirty);
    free(b);
    h->board = NULL;
}
