/* test_eventlog.c — the SQLite event log on real database files: seq strictly increasing
 * across close/reopen and across a kill -9, staged entries invisible until commit, scan
 * order and bounds, count, a failed commit rolled back, and a commit made by the store. */
#include "hub/core/eventlog.h"
#include "hub/store/store.h"
#include "tests/unit/check.h"

#include <ftw.h>
#include <sqlite3.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char tmpdir[256];

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

static char *tmp_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

typedef struct {
    store *s;
    eventlog *log;
} opened;

static opened open_both(const char *name)
{
    char err[256] = "";
    opened o = { store_open(tmp_path(name), err, sizeof err), NULL };
    if (!o.s) {
        fprintf(stderr, "  store_open: %s\n", err);
        return o;
    }
    o.log = eventlog_sqlite_open(store_db(o.s), err, sizeof err);
    if (!o.log)
        fprintf(stderr, "  eventlog_sqlite_open: %s\n", err);
    return o;
}

static void close_both(opened *o)
{
    if (o->log)
        o->log->ops->close(o->log);
    store_close(o->s);
    o->log = NULL;
    o->s = NULL;
}

/* Append one event the way the server does: take a seq, build the frame with it, put. */
static int64_t append(eventlog *log, const char *iid, const char *agent)
{
    int64_t seq = log->ops->next_seq(log);
    char frame[160];
    int n = snprintf(frame, sizeof frame,
                     "{\"type\":\"utterance\",\"seq\":%lld,\"ts\":%lld,\"iid\":\"%s\"}",
                     (long long)seq, (long long)(1000 + seq), iid);
    eventlog_entry e = { .seq = seq, .ts = 1000 + seq, .iid = iid, .agent = agent,
                         .audience = "", .frame = frame, .len = (size_t)n };
    return log->ops->put(log, &e) == 0 ? seq : -1;
}

typedef struct {
    int64_t seqs[64];
    int n;
    int stop_after;
    int bad_frame;
} collected;

static int collect(void *ctx, const eventlog_entry *e)
{
    collected *c = ctx;
    if (c->n < 64)
        c->seqs[c->n] = e->seq;
    c->n++;
    char expect[64];
    snprintf(expect, sizeof expect, "\"seq\":%lld,", (long long)e->seq);
    if (!strstr(e->frame, expect) || strlen(e->frame) != e->len || e->ts != 1000 + e->seq)
        c->bad_frame++;
    return c->stop_after && c->n >= c->stop_after ? 7 : 0;
}

typedef struct {
    eventlog *log;
    int outer, inner;
} nested_ctx;

static int nested(void *ctx, const eventlog_entry *e)
{
    (void)e;
    nested_ctx *n = ctx;
    collected c = {0};
    n->outer++;
    if (n->log->ops->scan_interaction(n->log, "I-A", 0, collect, &c) == 0)
        n->inner += c.n;
    return 0;
}

/* One interaction's entries, in order, committed only, read through the index on
 * events(iid, seq) (its query plan names the index: no scan of the whole log); entries by
 * seq. */
static void test_scan_interaction(void)
{
    opened o = open_both("by_iid.db");
    CHECK(o.log != NULL);
    for (int i = 0; i < 9; i++)
        CHECK(append(o.log, i % 3 == 0 ? "I-A" : "I-B", "agent-1") > 0);
    CHECK_INT(o.log->ops->commit(o.log), 0);
    CHECK(append(o.log, "I-A", "agent-1") > 0); /* staged: not seen */
    collected c = {0};
    CHECK_INT(o.log->ops->scan_interaction(o.log, "I-A", 0, collect, &c), 0);
    CHECK_INT(c.n, 3);
    CHECK_INT(c.seqs[0], 1);
    CHECK_INT(c.seqs[1], 4);
    CHECK_INT(c.seqs[2], 7);
    CHECK_INT(c.bad_frame, 0);
    collected after = {0};
    CHECK_INT(o.log->ops->scan_interaction(o.log, "I-A", 4, collect, &after), 0);
    CHECK_INT(after.n, 1);
    CHECK_INT(after.seqs[0], 7);
    collected back = {0}; /* newest first, before 8: the staged 10 is not seen either */
    CHECK_INT(o.log->ops->scan_interaction_back(o.log, "I-A", 8, collect, &back), 0);
    CHECK_INT(back.n, 3);
    CHECK_INT(back.seqs[0], 7);
    CHECK_INT(back.seqs[2], 1);
    collected all_back = {0};
    CHECK_INT(o.log->ops->scan_interaction_back(o.log, "I-A", 1000, collect, &all_back), 0);
    CHECK_INT(all_back.n, 3);
    CHECK_INT(all_back.bad_frame, 0);
    /* by seq: the ones asked for in order, a missing one and a staged one (10) skipped */
    collected some = {0};
    const int64_t want[] = {2, 4, 8, 9, 10, 500};
    CHECK_INT(o.log->ops->scan_seqs(o.log, want, 6, collect, &some), 0);
    CHECK_INT(some.n, 4);
    CHECK_INT(some.seqs[0], 2);
    CHECK_INT(some.seqs[3], 9);
    CHECK_INT(some.bad_frame, 0);
    collected stopped = {.stop_after = 2};
    CHECK_INT(o.log->ops->scan_seqs(o.log, want, 6, collect, &stopped), 7);
    CHECK_INT(stopped.n, 2);
    /* a scan inside a scan's callback (a snapshot reading while another does) gets its own
     * statement: both see every row */
    nested_ctx nc = {.log = o.log};
    CHECK_INT(o.log->ops->scan_interaction(o.log, "I-B", 0, nested, &nc), 0);
    CHECK_INT(nc.outer, 6);
    CHECK_INT(nc.inner, 6 * 3);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(store_db(o.s), "EXPLAIN QUERY PLAN SELECT frame FROM events WHERE iid = 'I-A'"
                                 " AND seq > 0 AND seq <= 9 ORDER BY seq", -1, &st, NULL), SQLITE_OK);
    bool indexed = false;
    while (sqlite3_step(st) == SQLITE_ROW)
        indexed |= strstr((const char *)sqlite3_column_text(st, 3), "events_by_iid") != NULL;
    sqlite3_finalize(st);
    CHECK(indexed);
    close_both(&o);
}

static void test_seq_increases_across_reopen(void)
{
    opened o = open_both("reopen.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    CHECK_INT(o.log->ops->last_seq(o.log), 0);
    CHECK_INT(o.log->ops->count(o.log), 0);
    for (int i = 1; i <= 5; i++)
        CHECK_INT(append(o.log, "i-1", "agent-1"), i);
    CHECK_INT(o.log->ops->commit(o.log), 0);
    CHECK_INT(o.log->ops->last_seq(o.log), 5);
    close_both(&o);

    o = open_both("reopen.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    CHECK_INT(o.log->ops->last_seq(o.log), 5);
    CHECK_INT(o.log->ops->count(o.log), 5);
    CHECK_INT(append(o.log, "i-1", "agent-1"), 6);
    CHECK_INT(o.log->ops->commit(o.log), 0);
    CHECK_INT(o.log->ops->count(o.log), 6);
    close_both(&o);
}

static void test_staged_entries_are_invisible(void)
{
    opened o = open_both("staged.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    for (int i = 0; i < 4; i++)
        append(o.log, "i-1", "agent-1");
    CHECK_INT(o.log->ops->commit(o.log), 0);
    for (int i = 0; i < 3; i++)
        append(o.log, "i-2", "agent-2");
    collected c = { .n = 0 };
    CHECK_INT(o.log->ops->scan(o.log, 0, collect, &c), 0);
    CHECK_INT(c.n, 4);
    CHECK_INT(o.log->ops->last_seq(o.log), 4);
    CHECK_INT(o.log->ops->count(o.log), 4);

    /* nor to another connection (another hub process reading the file) */
    sqlite3 *other;
    CHECK_INT(sqlite3_open(tmp_path("staged.db"), &other), SQLITE_OK);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(other, "SELECT count(*) FROM events", -1, &st, NULL);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 4);
    sqlite3_reset(st);

    CHECK_INT(o.log->ops->commit(o.log), 0);
    c.n = 0;
    CHECK_INT(o.log->ops->scan(o.log, 0, collect, &c), 0);
    CHECK_INT(c.n, 7);
    CHECK_INT(o.log->ops->last_seq(o.log), 7);
    CHECK_INT(o.log->ops->count(o.log), 7);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 7);
    sqlite3_finalize(st);
    sqlite3_close(other);
    close_both(&o);
}

static void test_scan_after_and_stop(void)
{
    opened o = open_both("scan.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    for (int i = 0; i < 10; i++)
        append(o.log, i % 2 ? "i-odd" : "i-even", "agent-1");
    CHECK_INT(o.log->ops->commit(o.log), 0);

    collected c = { .n = 0 };
    CHECK_INT(o.log->ops->scan(o.log, 6, collect, &c), 0);
    CHECK_INT(c.n, 4);
    for (int i = 0; i < 4 && i < c.n; i++)
        CHECK_INT(c.seqs[i], 7 + i);
    CHECK_INT(c.bad_frame, 0);

    c = (collected){ .stop_after = 3 };
    CHECK_INT(o.log->ops->scan(o.log, 0, collect, &c), 7);
    CHECK_INT(c.n, 3);
    CHECK_INT(c.seqs[2], 3);

    c = (collected){ .n = 0 };
    CHECK_INT(o.log->ops->scan(o.log, 10, collect, &c), 0);
    CHECK_INT(c.n, 0);
    c = (collected){ .n = 0 };
    CHECK_INT(o.log->ops->scan(o.log, -5, collect, &c), 0);
    CHECK_INT(c.n, 10);
    close_both(&o);
}

static void test_put_rejects_out_of_order(void)
{
    opened o = open_both("order.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    int64_t a = append(o.log, "i", "a");
    CHECK_INT(a, 1);
    eventlog_entry dup = { .seq = 1, .ts = 1, .iid = "i", .agent = "a", .audience = "",
                           .frame = "{}", .len = 2 };
    CHECK_INT(o.log->ops->put(o.log, &dup), -1);
    CHECK_INT(o.log->ops->commit(o.log), 0);
    CHECK_INT(o.log->ops->put(o.log, &dup), -1);
    CHECK_INT(o.log->ops->count(o.log), 1);
    close_both(&o);
}

static void test_close_drops_staged(void)
{
    opened o = open_both("drop.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    append(o.log, "i", "a");
    CHECK_INT(o.log->ops->commit(o.log), 0);
    append(o.log, "i", "a");
    append(o.log, "i", "a");
    close_both(&o);
    o = open_both("drop.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    CHECK_INT(o.log->ops->count(o.log), 1);
    CHECK_INT(append(o.log, "i", "a"), 2);
    close_both(&o);
}

/* A deferred foreign key makes the COMMIT itself fail: the whole batch must go. */
static void test_failed_commit_rolls_back(void)
{
    opened o = open_both("fail.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    sqlite3 *db = store_db(o.s);
    CHECK_INT(sqlite3_exec(db, "CREATE TABLE parent(id INTEGER PRIMARY KEY);"
                               "CREATE TABLE child(p INTEGER REFERENCES parent(id)"
                               " DEFERRABLE INITIALLY DEFERRED);", NULL, NULL, NULL), SQLITE_OK);
    append(o.log, "i", "a");
    CHECK_INT(o.log->ops->commit(o.log), 0);

    append(o.log, "i", "a");
    append(o.log, "i", "a");
    CHECK_INT(sqlite3_exec(db, "INSERT INTO child(p) VALUES (42)", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(o.log->ops->commit(o.log), -1);
    CHECK(sqlite3_get_autocommit(db));
    CHECK_INT(o.log->ops->last_seq(o.log), 1);
    CHECK_INT(o.log->ops->count(o.log), 1);
    collected c = { .n = 0 };
    CHECK_INT(o.log->ops->scan(o.log, 0, collect, &c), 0);
    CHECK_INT(c.n, 1);

    /* and the log goes on, gap-free */
    CHECK_INT(append(o.log, "i", "a"), 2);
    CHECK_INT(o.log->ops->commit(o.log), 0);
    CHECK_INT(o.log->ops->last_seq(o.log), 2);
    CHECK_INT(o.log->ops->count(o.log), 2);
    close_both(&o);
}

/* The server's loop turn: store_begin, actions and events, then the log's commit makes
 * both durable at once; until then another connection sees neither. */
static void test_log_commit_covers_store_writes(void)
{
    opened o = open_both("turn.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    sqlite3 *other;
    CHECK_INT(sqlite3_open(tmp_path("turn.db"), &other), SQLITE_OK);
    sqlite3_stmt *st;
    CHECK_INT(sqlite3_prepare_v2(other, "SELECT (SELECT count(*) FROM actions) * 100 +"
                                 " (SELECT count(*) FROM events)", -1, &st, NULL), SQLITE_OK);
    CHECK_INT(store_begin(o.s), 0);
    CHECK(!store_action_seen(o.s, "agent-1", "r-1"));
    CHECK_INT(store_action_remember(o.s, "agent-1", "r-1", "reply", 5), 0);
    append(o.log, "i", "agent-1");
    append(o.log, "i", "agent-1");
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 0);
    sqlite3_reset(st);
    CHECK_INT(o.log->ops->commit(o.log), 0);
    CHECK(sqlite3_get_autocommit(store_db(o.s)));
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 102);
    sqlite3_finalize(st);
    sqlite3_close(other);
    CHECK_INT(o.log->ops->last_seq(o.log), 2);
    close_both(&o);
}

/* The server may end the loop turn with store_commit(): the log must notice. */
static void test_store_commit_covers_staged_events(void)
{
    opened o = open_both("shared.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    CHECK_INT(store_begin(o.s), 0);
    CHECK_INT(store_action_remember(o.s, "agent-1", "x-1", "reply", 5), 0);
    append(o.log, "i", "agent-1");
    append(o.log, "i", "agent-1");
    CHECK_INT(store_commit(o.s), 0);
    CHECK_INT(o.log->ops->last_seq(o.log), 2);
    CHECK_INT(o.log->ops->count(o.log), 2);
    CHECK_INT(append(o.log, "i", "agent-1"), 3);
    CHECK_INT(o.log->ops->commit(o.log), 0);

    /* and a rollback made outside is noticed too */
    append(o.log, "i", "agent-1");
    CHECK_INT(sqlite3_exec(store_db(o.s), "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    CHECK_INT(o.log->ops->last_seq(o.log), 3);
    CHECK_INT(append(o.log, "i", "agent-1"), 4);
    CHECK_INT(o.log->ops->commit(o.log), 0);
    CHECK_INT(o.log->ops->count(o.log), 4);
    close_both(&o);
}

/* Committed means durable against the process dying: a child commits, then SIGKILLs itself
 * with a further batch staged; the parent finds exactly the committed events. */
static void test_commit_survives_kill_9(void)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        opened o = open_both("kill.db");
        if (!o.log)
            _exit(3);
        for (int batch = 0; batch < 5; batch++) {
            for (int i = 0; i < 100; i++)
                append(o.log, "i", "a");
            if (o.log->ops->commit(o.log) != 0)
                _exit(4);
        }
        for (int i = 0; i < 50; i++)
            append(o.log, "i", "a");
        kill(getpid(), SIGKILL);
        _exit(5);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    opened o = open_both("kill.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    CHECK_INT(o.log->ops->last_seq(o.log), 500);
    CHECK_INT(o.log->ops->count(o.log), 500);
    CHECK_INT(append(o.log, "i", "a"), 501);
    close_both(&o);
}

static void test_empty_commit_and_bad_put(void)
{
    opened o = open_both("empty.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    CHECK_INT(o.log->ops->commit(o.log), 0);
    CHECK_INT(o.log->ops->put(o.log, NULL), -1);
    eventlog_entry no_frame = { .seq = o.log->ops->next_seq(o.log), .frame = NULL };
    CHECK_INT(o.log->ops->put(o.log, &no_frame), -1);
    /* NULL iid/agent/audience are stored as "" */
    eventlog_entry bare = { .seq = o.log->ops->next_seq(o.log), .ts = 1, .frame = "{}", .len = 2 };
    CHECK_INT(o.log->ops->put(o.log, &bare), 0);
    CHECK_INT(o.log->ops->commit(o.log), 0);
    CHECK_INT(o.log->ops->count(o.log), 1);
    close_both(&o);
    char err[64];
    CHECK(eventlog_sqlite_open(NULL, err, sizeof err) == NULL);
}

/* A seq given back unused is handed out again, so the committed log has no gap; only the
 * last one handed out can be given back. */
static void test_unget_seq_leaves_no_gap(void)
{
    opened o = open_both("unget.db");
    CHECK(o.log != NULL);
    if (!o.log)
        return;
    int64_t first = o.log->ops->next_seq(o.log);
    eventlog_entry a = { .seq = first, .ts = 1, .iid = "i", .frame = "{}", .len = 2 };
    CHECK_INT(o.log->ops->put(o.log, &a), 0);
    int64_t bad = o.log->ops->next_seq(o.log);
    o.log->ops->unget_seq(o.log, bad);
    int64_t again = o.log->ops->next_seq(o.log);
    CHECK_INT(again, bad);
    o.log->ops->unget_seq(o.log, first);   /* already put: stays taken */
    CHECK_INT(o.log->ops->next_seq(o.log), again + 1);
    eventlog_entry b = { .seq = again + 1, .ts = 2, .iid = "i", .frame = "{}", .len = 2 };
    CHECK_INT(o.log->ops->put(o.log, &b), 0);
    CHECK_INT(o.log->ops->commit(o.log), 0);
    CHECK_INT(o.log->ops->last_seq(o.log), again + 1);
    close_both(&o);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/agentdesk-test-eventlog-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
    RUN(test_seq_increases_across_reopen);
    RUN(test_staged_entries_are_invisible);
    RUN(test_scan_after_and_stop);
    RUN(test_put_rejects_out_of_order);
    RUN(test_close_drops_staged);
    RUN(test_failed_commit_rolls_back);
    RUN(test_log_commit_covers_store_writes);
    RUN(test_store_commit_covers_staged_events);
    RUN(test_commit_survives_kill_9);
    RUN(test_empty_commit_and_bad_put);
    RUN(test_scan_interaction);
    RUN(test_unget_seq_leaves_no_gap);
    nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return check_done("test_eventlog");
}
