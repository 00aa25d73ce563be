/* pipeline_db.c — SQL of the pipeline (tables from hub/store_schema.c). */
#include "hub/core/pipeline_db.h"
#include "base/mem.h"
#include "base/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int prep(pipeline_db *d, sqlite3_stmt **st, const char *sql, char *err, size_t errlen)
{
    if (sqlite3_prepare_v2(d->db, sql, -1, st, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "prepare: %s", sqlite3_errmsg(d->db));
        return -1;
    }
    return 0;
}

int pipeline_db_open(pipeline_db *d, sqlite3 *db, char *err, size_t errlen)
{
    memset(d, 0, sizeof *d);
    d->db = db;
    if (prep(d, &d->agent, "SELECT display_name FROM users WHERE name=?1 AND role IN ('agent','supervisor')", err, errlen) ||
        prep(d, &d->customer, "SELECT first_name || ' ' || last_name FROM customers WHERE id=?1", err, errlen) ||
        prep(d, &d->insert, "INSERT INTO interactions(iid, channel, queue, agent, customer_id, started_ms)"
                            " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", err, errlen) ||
        prep(d, &d->end, "UPDATE interactions SET ended_ms=?2, end_reason=?3 WHERE iid=?1", err, errlen) ||
        prep(d, &d->get, "SELECT agent, channel, started_ms FROM interactions WHERE iid=?1", err, errlen) ||
        prep(d, &d->wrapped, "SELECT 1 FROM wrapups WHERE iid=?1 LIMIT 1", err, errlen) ||
        prep(d, &d->reassign, "UPDATE interactions SET agent=?2 WHERE iid=?1", err, errlen) ||
        prep(d, &d->on_break, "SELECT 1 FROM agent_status WHERE agent=?1 AND state='break'", err, errlen) ||
        prep(d, &d->ckpt_get, "SELECT seq, state FROM assist_checkpoints WHERE iid=?1", err, errlen) ||
        prep(d, &d->ckpt_put, "INSERT OR REPLACE INTO assist_checkpoints(iid, seq, state) VALUES(?1, ?2, ?3)",
             err, errlen) ||
        prep(d, &d->ckpt_del, "DELETE FROM assist_checkpoints WHERE iid=?1", err, errlen) ||
        prep(d, &d->connect_user, "SELECT user FROM connect_agents WHERE connect_id=?1", err, errlen) ||
        prep(d, &d->pending_get, "SELECT agent FROM connect_contacts WHERE iid=?1", err, errlen) ||
        prep(d, &d->pending_put, "INSERT OR REPLACE INTO connect_contacts(iid, agent, ts) VALUES(?1, ?2, ?3)",
             err, errlen) ||
        prep(d, &d->pending_prune, "DELETE FROM connect_contacts WHERE ts < ?1", err, errlen) ||
        prep(d, &d->held_get, "SELECT dropped_upto, dropped_lines, seqs FROM live_held WHERE iid=?1", err, errlen) ||
        prep(d, &d->held_put, "INSERT OR REPLACE INTO live_held(iid, dropped_upto, dropped_lines, seqs)"
                              " VALUES(?1, ?2, ?3, ?4)", err, errlen) ||
        prep(d, &d->held_del, "DELETE FROM live_held WHERE iid=?1", err, errlen)) {
        pipeline_db_close(d);
        return -1;
    }
    return 0;
}

void pipeline_db_close(pipeline_db *d)
{
    sqlite3_finalize(d->agent);
    sqlite3_finalize(d->customer);
    sqlite3_finalize(d->insert);
    sqlite3_finalize(d->end);
    sqlite3_finalize(d->get);
    sqlite3_finalize(d->wrapped);
    sqlite3_finalize(d->reassign);
    sqlite3_finalize(d->on_break);
    sqlite3_finalize(d->ckpt_get);
    sqlite3_finalize(d->ckpt_put);
    sqlite3_finalize(d->ckpt_del);
    sqlite3_finalize(d->connect_user);
    sqlite3_finalize(d->pending_get);
    sqlite3_finalize(d->pending_put);
    sqlite3_finalize(d->pending_prune);
    sqlite3_finalize(d->held_get);
    sqlite3_finalize(d->held_put);
    sqlite3_finalize(d->held_del);
    memset(d, 0, sizeof *d);
}

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t len)
{
    /* cut on a code point: a name cut inside a character is not UTF-8, and an event
     * carrying it could not be encoded */
    text_copy(out, len, (const char *)sqlite3_column_text(st, col));
}

bool pipeline_db_agent(pipeline_db *d, const char *name, char *display, size_t len)
{
    sqlite3_bind_text(d->agent, 1, name, -1, SQLITE_STATIC);
    bool found = sqlite3_step(d->agent) == SQLITE_ROW;
    if (found)
        copy_col(d->agent, 0, display, len);
    sqlite3_reset(d->agent);
    return found;
}

void pipeline_db_customer_name(pipeline_db *d, const char *id, char *out, size_t len)
{
    out[0] = 0;
    if (!id || !*id)
        return;
    sqlite3_bind_text(d->customer, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(d->customer) == SQLITE_ROW)
        copy_col(d->customer, 0, out, len);
    sqlite3_reset(d->customer);
}

int pipeline_db_insert_interaction(pipeline_db *d, const live_call *c)
{
    sqlite3_stmt *st = d->insert;
    sqlite3_bind_text(st, 1, c->iid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->channel, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->queue, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, c->agent, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, c->customer_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, c->started_ms);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int pipeline_db_end_interaction(pipeline_db *d, const char *iid, int64_t ended_ms, const char *reason)
{
    sqlite3_bind_text(d->end, 1, iid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(d->end, 2, ended_ms);
    sqlite3_bind_text(d->end, 3, reason, -1, SQLITE_STATIC);
    int rc = sqlite3_step(d->end);
    sqlite3_reset(d->end);
    return rc == SQLITE_DONE ? 0 : -1;
}

bool pipeline_db_interaction(pipeline_db *d, const char *iid, char *agent, size_t alen,
                             char *channel, size_t clen, int64_t *started_ms)
{
    sqlite3_bind_text(d->get, 1, iid, -1, SQLITE_STATIC);
    bool found = sqlite3_step(d->get) == SQLITE_ROW;
    if (found) {
        copy_col(d->get, 0, agent, alen);
        copy_col(d->get, 1, channel, clen);
        *started_ms = sqlite3_column_int64(d->get, 2);
    }
    sqlite3_reset(d->get);
    return found;
}

bool pipeline_db_wrapped_up(pipeline_db *d, const char *iid)
{
    sqlite3_bind_text(d->wrapped, 1, iid, -1, SQLITE_STATIC);
    bool found = sqlite3_step(d->wrapped) == SQLITE_ROW;
    sqlite3_reset(d->wrapped);
    return found;
}

/* Rows of (iid, channel, queue, agent, customer_id, started_ms[, ended_ms]) into calls. */
static void restore_rows(pipeline_db *d, sqlite3_stmt *st, live *l, void (*fn)(void *ctx, live_call *c),
                         void *ctx)
{
    bool has_end = sqlite3_column_count(st) > 6;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const unsigned char *iid = sqlite3_column_text(st, 0);
        live_call *c = iid ? live_add(l, (const char *)iid) : NULL;
        if (!c)
            continue;
        copy_col(st, 1, c->channel, sizeof c->channel);
        copy_col(st, 2, c->queue, sizeof c->queue);
        copy_col(st, 3, c->agent, sizeof c->agent);
        copy_col(st, 4, c->customer_id, sizeof c->customer_id);
        c->started_ms = sqlite3_column_int64(st, 5);
        if (has_end)
            c->ended_ms = sqlite3_column_int64(st, 6);
        pipeline_db_agent(d, c->agent, c->agent_name, sizeof c->agent_name);
        pipeline_db_customer_name(d, c->customer_id, c->customer_name, sizeof c->customer_name);
        fn(ctx, c);
    }
}

void pipeline_db_restore(pipeline_db *d, live *l, void (*fn)(void *ctx, live_call *c), void *ctx)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d->db,
                           "SELECT iid, channel, queue, agent, customer_id, started_ms FROM interactions"
                           " WHERE ended_ms IS NULL ORDER BY started_ms",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    restore_rows(d, st, l, fn, ctx);
    sqlite3_finalize(st);
}

void pipeline_db_restore_unwrapped(pipeline_db *d, live *l, int64_t since_ms, int per_agent,
                                   void (*fn)(void *ctx, live_call *c), void *ctx)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d->db,
                           "SELECT iid, channel, queue, agent, customer_id, started_ms, ended_ms FROM"
                           " (SELECT i.*, ROW_NUMBER() OVER (PARTITION BY agent ORDER BY ended_ms DESC, iid DESC) AS rn"
                           "  FROM interactions i WHERE ended_ms IS NOT NULL AND ended_ms >= ?1"
                           "  AND NOT EXISTS (SELECT 1 FROM wrapups w WHERE w.iid = i.iid))"
                           " WHERE rn <= ?2 ORDER BY ended_ms, iid",
                           -1, &st, NULL) != SQLITE_OK)
        return;
    sqlite3_bind_int64(st, 1, since_ms);
    sqlite3_bind_int(st, 2, per_agent);
    restore_rows(d, st, l, fn, ctx);
    sqlite3_finalize(st);
}

int pipeline_db_reassign(pipeline_db *d, const char *iid, const char *agent)
{
    sqlite3_bind_text(d->reassign, 1, iid, -1, SQLITE_STATIC);
    sqlite3_bind_text(d->reassign, 2, agent, -1, SQLITE_STATIC);
    int rc = sqlite3_step(d->reassign) == SQLITE_DONE ? 0 : -1;
    sqlite3_reset(d->reassign);
    return rc;
}

bool pipeline_db_on_break(pipeline_db *d, const char *agent)
{
    sqlite3_bind_text(d->on_break, 1, agent, -1, SQLITE_STATIC);
    bool yes = sqlite3_step(d->on_break) == SQLITE_ROW;
    sqlite3_reset(d->on_break);
    return yes;
}

unsigned char *pipeline_db_checkpoint(pipeline_db *d, const char *iid, int64_t *seq, size_t *len)
{
    unsigned char *state = NULL;
    sqlite3_bind_text(d->ckpt_get, 1, iid, -1, SQLITE_STATIC);
    if (sqlite3_step(d->ckpt_get) == SQLITE_ROW) {
        const void *blob = sqlite3_column_blob(d->ckpt_get, 1);
        int n = sqlite3_column_bytes(d->ckpt_get, 1);
        if (blob && n > 0) {
            state = mem_alloc((size_t)n);
            memcpy(state, blob, (size_t)n);
            *len = (size_t)n;
            *seq = sqlite3_column_int64(d->ckpt_get, 0);
        }
    }
    sqlite3_reset(d->ckpt_get);
    sqlite3_clear_bindings(d->ckpt_get);
    return state;
}

int pipeline_db_checkpoint_put(pipeline_db *d, const char *iid, int64_t seq, const void *state, size_t len)
{
    sqlite3_bind_text(d->ckpt_put, 1, iid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(d->ckpt_put, 2, seq);
    sqlite3_bind_blob64(d->ckpt_put, 3, state, len, SQLITE_STATIC);
    int rc = sqlite3_step(d->ckpt_put);
    sqlite3_reset(d->ckpt_put);
    sqlite3_clear_bindings(d->ckpt_put);
    return rc == SQLITE_DONE ? 0 : -1;
}

int pipeline_db_checkpoint_del(pipeline_db *d, const char *iid)
{
    sqlite3_bind_text(d->ckpt_del, 1, iid, -1, SQLITE_STATIC);
    int rc = sqlite3_step(d->ckpt_del);
    sqlite3_reset(d->ckpt_del);
    sqlite3_clear_bindings(d->ckpt_del);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* One text column of the first row of `st` (bound to `key`) into out: true when found. */
static bool lookup_text(sqlite3_stmt *st, const char *key, char *out, size_t len)
{
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    bool found = sqlite3_step(st) == SQLITE_ROW;
    if (found)
        copy_col(st, 0, out, len);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return found;
}

bool pipeline_db_connect_user(pipeline_db *d, const char *connect_id, char *user, size_t len)
{
    return lookup_text(d->connect_user, connect_id, user, len);
}

bool pipeline_db_pending_agent(pipeline_db *d, const char *iid, char *agent, size_t len)
{
    return lookup_text(d->pending_get, iid, agent, len);
}

int pipeline_db_pending_put(pipeline_db *d, const char *iid, const char *agent, int64_t now_ms)
{
    /* Connect names the agent of every contact, Contact Lens or not: those never started
     * here would pile up */
    sqlite3_bind_int64(d->pending_prune, 1, now_ms - 24 * 3600 * 1000LL);
    int rc = sqlite3_step(d->pending_prune);
    sqlite3_reset(d->pending_prune);
    if (rc != SQLITE_DONE)
        return -1;
    sqlite3_bind_text(d->pending_put, 1, iid, -1, SQLITE_STATIC);
    sqlite3_bind_text(d->pending_put, 2, agent, -1, SQLITE_STATIC);
    sqlite3_bind_int64(d->pending_put, 3, now_ms);
    rc = sqlite3_step(d->pending_put);
    sqlite3_reset(d->pending_put);
    sqlite3_clear_bindings(d->pending_put);
    return rc == SQLITE_DONE ? 0 : -1;
}
/* seqs are stored as 8 little-endian bytes each: the same on every host */
static void put_le64(unsigned char *b, int64_t v)
{
    uint64_t u = (uint64_t)v;
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(u >> (8 * i));
}

static int64_t get_le64(const unsigned char *b)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)b[i] << (8 * i);
    return (int64_t)u;
}

bool pipeline_db_held(pipeline_db *d, const char *iid, pipeline_held *h)
{
    memset(h, 0, sizeof *h);
    bool ok = false;
    sqlite3_bind_text(d->held_get, 1, iid, -1, SQLITE_STATIC);
    if (sqlite3_step(d->held_get) == SQLITE_ROW) {
        h->dropped_upto = sqlite3_column_int64(d->held_get, 0);
        int64_t lines = sqlite3_column_int64(d->held_get, 1);
        const unsigned char *blob = sqlite3_column_blob(d->held_get, 2);
        size_t n = (size_t)sqlite3_column_bytes(d->held_get, 2);
        ok = h->dropped_upto > 0 && lines >= 0 && n % 8 == 0;
        h->dropped_lines = (size_t)lines;
        h->nseqs = n / 8;
        h->seqs = mem_alloc((h->nseqs ? h->nseqs : 1) * sizeof *h->seqs);
        /* a record out of order or past dropped_upto is damaged: read the whole log instead */
        for (size_t i = 0; ok && i < h->nseqs; i++) {
            h->seqs[i] = get_le64(blob + 8 * i);
            ok = h->seqs[i] > (i ? h->seqs[i - 1] : 0) && h->seqs[i] <= h->dropped_upto;
        }
    }
    sqlite3_reset(d->held_get);
    sqlite3_clear_bindings(d->held_get);
    if (!ok) {
        free(h->seqs);
        memset(h, 0, sizeof *h);
    }
    return ok;
}

int pipeline_db_held_put(pipeline_db *d, const live_call *c)
{
    unsigned char *blob = mem_alloc(c->nframes ? 8 * c->nframes : 1);
    size_t n = 0;
    for (size_t i = 0; i < c->nframes; i++)
        if (c->frames[i] && c->frames[i]->seq <= c->dropped_upto)
            put_le64(blob + 8 * n++, c->frames[i]->seq);
    sqlite3_bind_text(d->held_put, 1, c->iid, -1, SQLITE_STATIC);
    sqlite3_bind_int64(d->held_put, 2, c->dropped_upto);
    sqlite3_bind_int64(d->held_put, 3, (int64_t)c->dropped_lines);
    sqlite3_bind_blob64(d->held_put, 4, blob, 8 * n, SQLITE_STATIC);
    int rc = sqlite3_step(d->held_put);
    sqlite3_reset(d->held_put);
    sqlite3_clear_bindings(d->held_put);
    free(blob);
    return rc == SQLITE_DONE ? 0 : -1;
}

int pipeline_db_held_prune(pipeline_db *d, live *a, live *b)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d->db, "SELECT iid FROM live_held", -1, &st, NULL) != SQLITE_OK)
        return -1;
    /* collected first: rows are not deleted under the statement reading them */
    char **gone = NULL;
    size_t n = 0, cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *iid = (const char *)sqlite3_column_text(st, 0);
        if (!iid || live_find(a, iid) || live_find(b, iid))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            gone = mem_realloc(gone, cap * sizeof *gone);
        }
        gone[n++] = mem_strdup(iid);
    }
    sqlite3_finalize(st);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_text(d->held_del, 1, gone[i], -1, SQLITE_STATIC);
        if (rc == 0 && sqlite3_step(d->held_del) != SQLITE_DONE)
            rc = -1;
        sqlite3_reset(d->held_del);
        sqlite3_clear_bindings(d->held_del);
        free(gone[i]);
    }
    free(gone);
    return rc;
}
