/* eventlog_sqlite.c — the event log on the `events` table of the store's database.
 *
 * Group commit: put() opens a transaction lazily on the first entry of a batch and only
 * inserts; commit() ends it with one COMMIT, so a batch of any size costs one WAL append
 * (and, at synchronous=FULL, one fsync). The transaction is the connection's, so actions
 * the server writes through store.c in the same loop turn become durable in that same
 * commit; a COMMIT issued elsewhere (store_commit) is noticed and accounted for.
 *
 * Invariants: committed_last is the highest seq known durable; entries above it are
 * staged in the open transaction and invisible to scan(), last_seq() and count(). */
#include "hub/core/eventlog.h"
#include "hub/store/store.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

typedef enum { ROWS_ALL, ROWS_IID, ROWS_IID_BACK, ROWS_SEQ, ROWS__COUNT } rows_kind;

typedef struct {
    eventlog base;
    sqlite3 *db;
    sqlite3_stmt *insert;
    sqlite3_stmt *exists;
    sqlite3_stmt *high;      /* the seq high-water mark, written with each batch */
    sqlite3_stmt *high_first;   /* its row, when the database has none yet */
    sqlite3_stmt *begin, *commit;   /* prepared once: sqlite3_exec parsed them every turn */
    sqlite3_stmt *reads[ROWS__COUNT]; /* the scans' statements, kept between scans */
    char error[160];
    int64_t next;            /* the seq next_seq() hands out next */
    int64_t committed_last;  /* highest durable seq */
    int64_t committed_count; /* rows durable in the table; -1 until count() first asks:
                              * counting reads the whole table, so a start does not */
    int64_t staged_last;     /* highest seq put() since the last commit, 0 if none */
    int64_t staged_count;
} sqlite_log;

static sqlite_log *from(eventlog *log)
{
    return (sqlite_log *)log;
}

static bool row_exists(sqlite_log *l, int64_t seq)
{
    sqlite3_bind_int64(l->exists, 1, seq);
    bool found = sqlite3_step(l->exists) == SQLITE_ROW;
    sqlite3_reset(l->exists);
    return found;
}

/* Drop the staged batch from our accounting; the seqs it took are handed out again, so
 * the committed log stays gap-free (the failed entries were never sent to anyone). */
static void forget_staged(sqlite_log *l)
{
    l->next = l->committed_last + 1;
    l->staged_last = 0;
    l->staged_count = 0;
}

static void adopt_staged(sqlite_log *l)
{
    l->committed_last = l->staged_last;
    if (l->committed_count >= 0)
        l->committed_count += l->staged_count;
    l->staged_last = 0;
    l->staged_count = 0;
}

/* The batch's transaction ended without us (store_commit, or a rollback): find out how. */
static void settle(sqlite_log *l)
{
    if (l->staged_count == 0 || !sqlite3_get_autocommit(l->db))
        return;
    if (row_exists(l, l->staged_last))
        adopt_staged(l);
    else
        forget_staged(l);
}

static int64_t sqlite_next_seq(eventlog *log)
{
    sqlite_log *l = from(log);
    settle(l);
    return l->next++;
}

static void sqlite_unget_seq(eventlog *log, int64_t seq)
{
    sqlite_log *l = from(log);
    if (seq > l->committed_last && seq > l->staged_last && seq == l->next - 1)
        l->next = seq;
}

/* Runs a prepared statement that returns no rows; its result code. */
static int step_once(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc;
}

static int sqlite_put(eventlog *log, const eventlog_entry *e)
{
    sqlite_log *l = from(log);
    settle(l);
    if (!e || !e->frame || e->seq <= l->committed_last || e->seq <= l->staged_last)
        return -1;
    if (sqlite3_get_autocommit(l->db) && step_once(l->begin) != SQLITE_DONE)
        return -1;
    sqlite3_stmt *st = l->insert;
    sqlite3_bind_int64(st, 1, e->seq);
    sqlite3_bind_int64(st, 2, e->ts);
    sqlite3_bind_text(st, 3, e->iid ? e->iid : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e->agent ? e->agent : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e->audience ? e->audience : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e->frame, (int)e->len, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        snprintf(l->error, sizeof l->error, "%s", sqlite3_errmsg(l->db));
        return -1;
    }
    l->staged_last = e->seq;
    l->staged_count++;
    if (l->next <= e->seq)
        l->next = e->seq + 1;
    return 0;
}

static int sqlite_commit(eventlog *log)
{
    sqlite_log *l = from(log);
    settle(l);
    if (sqlite3_get_autocommit(l->db))
        return 0; /* nothing open: nothing staged */
    int rc = SQLITE_DONE;
    if (l->staged_count > 0) {
        sqlite3_bind_int64(l->high, 1, l->staged_last);
        rc = sqlite3_step(l->high);
        sqlite3_reset(l->high);
        if (rc == SQLITE_DONE && sqlite3_changes(l->db) == 0) {
            sqlite3_bind_int64(l->high_first, 1, l->staged_last);
            rc = sqlite3_step(l->high_first);
            sqlite3_reset(l->high_first);
        }
    }
    if (rc != SQLITE_DONE || step_once(l->commit) != SQLITE_DONE) {
        snprintf(l->error, sizeof l->error, "%s", sqlite3_errmsg(l->db));
        if (!sqlite3_get_autocommit(l->db))
            sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
        forget_staged(l);
        return -1;
    }
    if (l->staged_count > 0)
        adopt_staged(l);
    return 0;
}

/* One row of a scan to its callback's entry. */
static eventlog_entry row_entry(sqlite3_stmt *st)
{
    eventlog_entry e = {
        .seq = sqlite3_column_int64(st, 0),
        .ts = sqlite3_column_int64(st, 1),
        .iid = (const char *)sqlite3_column_text(st, 2),
        .agent = (const char *)sqlite3_column_text(st, 3),
        .audience = (const char *)sqlite3_column_text(st, 4),
        .frame = (const char *)sqlite3_column_text(st, 5),
    };
    e.len = (size_t)sqlite3_column_bytes(st, 5);
    if (!e.iid) e.iid = "";
    if (!e.agent) e.agent = "";
    if (!e.audience) e.audience = "";
    if (!e.frame) e.frame = "";
    return e;
}

static const char *const read_sql[ROWS__COUNT] = {
    [ROWS_ALL] = "SELECT seq, ts, iid, agent, audience, frame FROM events"
                 " WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
    [ROWS_IID] = "SELECT seq, ts, iid, agent, audience, frame FROM events"
                 " WHERE iid = ?3 AND seq > ?1 AND seq <= ?2 ORDER BY seq",
    [ROWS_IID_BACK] = "SELECT seq, ts, iid, agent, audience, frame FROM events"
                      " WHERE iid = ?3 AND seq < ?1 AND seq <= ?2 ORDER BY seq DESC",
    [ROWS_SEQ] = "SELECT seq, ts, iid, agent, audience, frame FROM events WHERE seq = ?1 AND seq <= ?2",
};

/* The kind's statement: the kept one, or while that one is stepping (a callback scanning
 * again) one of its own, which read_done finalizes. A start scans thousands of times:
 * preparing each was a tenth of its cost. */
static sqlite3_stmt *read_begin(sqlite_log *l, rows_kind kind)
{
    sqlite3_stmt *st = l->reads[kind];
    if (st && !sqlite3_stmt_busy(st))
        return st;
    if (sqlite3_prepare_v3(l->db, read_sql[kind], -1, st ? 0 : SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return NULL;
    if (!l->reads[kind])
        l->reads[kind] = st;
    return st;
}

static void read_done(sqlite_log *l, rows_kind kind, sqlite3_stmt *st)
{
    if (st != l->reads[kind]) {
        sqlite3_finalize(st);
        return;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
}

/* Entries with after < seq <= the last committed (ROWS_ALL), only those of `iid`
 * (ROWS_IID), or those of `iid` with seq < after, newest first (ROWS_IID_BACK). */
static int scan_rows(sqlite_log *l, rows_kind kind, const char *iid, int64_t after, eventlog_scan_fn fn,
                     void *ctx)
{
    settle(l);
    /* a callback may itself scan (or put) without clobbering us (read_begin); the upper
     * bound hides rows staged in this connection's open transaction */
    sqlite3_stmt *st = read_begin(l, kind);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, after);
    sqlite3_bind_int64(st, 2, l->committed_last);
    if (iid)
        sqlite3_bind_text(st, 3, iid, -1, SQLITE_STATIC);
    int result = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        eventlog_entry e = row_entry(st);
        result = fn(ctx, &e);
        if (result != 0)
            break;
    }
    if (result == 0 && rc != SQLITE_DONE)
        result = -1;
    read_done(l, kind, st);
    return result;
}

static int sqlite_scan(eventlog *log, int64_t after, eventlog_scan_fn fn, void *ctx)
{
    return scan_rows(from(log), ROWS_ALL, NULL, after, fn, ctx);
}

static int sqlite_scan_interaction(eventlog *log, const char *iid, int64_t after, eventlog_scan_fn fn,
                                   void *ctx)
{
    return scan_rows(from(log), ROWS_IID, iid ? iid : "", after, fn, ctx);
}

static int sqlite_scan_interaction_back(eventlog *log, const char *iid, int64_t before, eventlog_scan_fn fn,
                                        void *ctx)
{
    return scan_rows(from(log), ROWS_IID_BACK, iid ? iid : "", before, fn, ctx);
}

static int sqlite_scan_seqs(eventlog *log, const int64_t *seqs, size_t n, eventlog_scan_fn fn, void *ctx)
{
    sqlite_log *l = from(log);
    settle(l);
    if (n == 0)
        return 0;
    /* one statement for all of them, each a lookup by the primary key */
    sqlite3_stmt *st = read_begin(l, ROWS_SEQ);
    if (!st)
        return -1;
    int result = 0;
    for (size_t i = 0; i < n && result == 0; i++) {
        sqlite3_bind_int64(st, 1, seqs[i]);
        sqlite3_bind_int64(st, 2, l->committed_last);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            eventlog_entry e = row_entry(st);
            result = fn(ctx, &e);
        } else if (rc != SQLITE_DONE)
            result = -1;
        sqlite3_reset(st);
    }
    read_done(l, ROWS_SEQ, st);
    return result;
}

static int64_t sqlite_last_seq(eventlog *log)
{
    sqlite_log *l = from(log);
    settle(l);
    return l->committed_last;
}

static int64_t sqlite_count(eventlog *log)
{
    sqlite_log *l = from(log);
    settle(l);
    if (l->committed_count < 0) {
        /* the rows staged in an open transaction are this connection's to see: not counted */
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(l->db, "SELECT COUNT(*) FROM events WHERE seq <= ?1", -1, &st, NULL) != SQLITE_OK)
            return 0;
        sqlite3_bind_int64(st, 1, l->committed_last);
        if (sqlite3_step(st) == SQLITE_ROW)
            l->committed_count = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return l->committed_count < 0 ? 0 : l->committed_count;
}

static const char *sqlite_error(eventlog *log)
{
    return from(log)->error;
}

/* Staged, uncommitted entries are rolled back: close() is not a commit. */
static void sqlite_close(eventlog *log)
{
    sqlite_log *l = from(log);
    if (!l)
        return;
    if (l->staged_count > 0 && !sqlite3_get_autocommit(l->db))
        sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_finalize(l->insert);
    sqlite3_finalize(l->exists);
    sqlite3_finalize(l->high);
    sqlite3_finalize(l->high_first);
    sqlite3_finalize(l->begin);
    sqlite3_finalize(l->commit);
    for (int k = 0; k < ROWS__COUNT; k++)
        sqlite3_finalize(l->reads[k]);
    free(l);
}

static const eventlog_ops sqlite_ops = {
    .next_seq = sqlite_next_seq,
    .unget_seq = sqlite_unget_seq,
    .put = sqlite_put,
    .commit = sqlite_commit,
    .scan = sqlite_scan,
    .scan_interaction = sqlite_scan_interaction,
    .scan_interaction_back = sqlite_scan_interaction_back,
    .scan_seqs = sqlite_scan_seqs,
    .last_seq = sqlite_last_seq,
    .count = sqlite_count,
    .close = sqlite_close,
    .error = sqlite_error,
};

eventlog *eventlog_sqlite_open(struct sqlite3 *db, char *err, size_t errlen)
{
    if (!db) {
        snprintf(err, errlen, "event log: no database");
        return NULL;
    }
    sqlite_log *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, errlen, "event log: out of memory");
        return NULL;
    }
    l->base.ops = &sqlite_ops;
    l->db = db;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db,
                           "INSERT INTO events(seq, ts, iid, agent, audience, frame)"
                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           -1, SQLITE_PREPARE_PERSISTENT, &l->insert, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db, "SELECT 1 FROM events WHERE seq = ?1", -1,
                           SQLITE_PREPARE_PERSISTENT, &l->exists, NULL) != SQLITE_OK ||
        /* an UPDATE of the value rewrites the one page holding the row; INSERT OR REPLACE
         * deleted and inserted it, rewriting meta's key index too: a page more in every
         * commit, 5% of the WAL under bench_hub (its frames counted by table) */
        sqlite3_prepare_v3(db, "UPDATE meta SET value = ?1 WHERE key = '" STORE_META_SEQ_HIGH "'",
                           -1, SQLITE_PREPARE_PERSISTENT, &l->high, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db, "INSERT INTO meta(key, value) VALUES ('" STORE_META_SEQ_HIGH "', ?1)",
                           -1, SQLITE_PREPARE_PERSISTENT, &l->high_first, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db, "BEGIN IMMEDIATE", -1, SQLITE_PREPARE_PERSISTENT, &l->begin, NULL) != SQLITE_OK ||
        sqlite3_prepare_v3(db, "COMMIT", -1, SQLITE_PREPARE_PERSISTENT, &l->commit, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(seq), 0) FROM events", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        snprintf(err, errlen, "event log: %s", sqlite3_errmsg(db));
        sqlite3_finalize(st);
        sqlite_close(&l->base);
        return NULL;
    }
    l->committed_last = sqlite3_column_int64(st, 0);
    l->committed_count = -1;
    l->next = l->committed_last + 1;
    sqlite3_finalize(st);
    return &l->base;
}
