/* bench_eventlog.c — events/s the SQLite event log commits: 100,000 events of ~300 bytes,
 * appended the way the server does (next_seq, build the frame, put) with one commit per
 * batch, on a fresh database file in a temp dir. Batches of 100 and 1,000 at the hub's
 * synchronous=NORMAL, the same at synchronous=FULL (an fsync per commit) for comparison,
 * and a batch of 1 (no group commit) on fewer events to show what grouping buys.
 * Run: make bench, or build/bench/bench_eventlog. */
#include "hub/core/eventlog.h"
#include "hub/store/store.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(path);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One run on its own database file. Returns events/s, or -1 on failure. */
static double run(const char *dir, const char *sync, int events, int batch, size_t *frame_bytes)
{
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/bench-%s-%d.db", dir, sync, batch);
    store *s = store_open(path, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bench_eventlog: %s\n", err);
        return -1;
    }
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA synchronous = %s", sync);
    sqlite3_exec(store_db(s), pragma, NULL, NULL, NULL);
    eventlog *log = eventlog_sqlite_open(store_db(s), err, sizeof err);
    if (!log) {
        fprintf(stderr, "bench_eventlog: %s\n", err);
        store_close(s);
        return -1;
    }
    static const char words[] = "I was charged twice for my router this month and nobody has "
                                "called me back about the refund I was promised last week, "
                                "can you please look into it";
    double start = now_s();
    int failed = 0;
    for (int i = 0; i < events && !failed; ) {
        for (int b = 0; b < batch && i < events; b++, i++) {
            int64_t seq = log->ops->next_seq(log);
            char iid[32], frame[512];
            snprintf(iid, sizeof iid, "i-%04d", i % 1000);
            int n = snprintf(frame, sizeof frame,
                             "{\"type\":\"utterance\",\"seq\":%lld,\"ts\":%lld,\"iid\":\"%s\","
                             "\"uid\":\"u-%d\",\"speaker\":\"customer\",\"text\":\"%s\","
                             "\"final\":true,\"offset_ms\":%d}",
                             (long long)seq, 1767225600000LL + i, iid, i, words, i * 40);
            *frame_bytes = (size_t)n;
            eventlog_entry e = { .seq = seq, .ts = 1767225600000LL + i, .iid = iid,
                                 .agent = "agent-1", .audience = "", .frame = frame,
                                 .len = (size_t)n };
            if (log->ops->put(log, &e) != 0)
                failed = 1;
        }
        if (!failed && log->ops->commit(log) != 0)
            failed = 1;
    }
    double elapsed = now_s() - start;
    if (!failed && log->ops->count(log) != events)
        failed = 1;
    log->ops->close(log);
    store_close(s);
    if (failed) {
        fprintf(stderr, "bench_eventlog: append or commit failed (%s, batch %d)\n", sync, batch);
        return -1;
    }
    return events / elapsed;
}

int main(void)
{
    char dir[] = "/tmp/agentdesk-bench-eventlog-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("bench_eventlog: mkdtemp");
        return 1;
    }
    static const struct { const char *sync; int events, batch; } runs[] = {
        { "NORMAL", 100000, 100 },
        { "NORMAL", 100000, 1000 },
        { "FULL", 100000, 100 },
        { "FULL", 100000, 1000 },
        { "NORMAL", 10000, 1 },
    };
    int rc = 0;
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        size_t bytes = 0;
        double rate = run(dir, runs[i].sync, runs[i].events, runs[i].batch, &bytes);
        if (rate < 0) {
            rc = 1;
            continue;
        }
        printf("eventlog sqlite synchronous=%-6s batch=%-5d %6d events of ~%zu bytes: %9.0f events/s\n",
               runs[i].sync, runs[i].batch, runs[i].events, bytes, rate);
    }
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc;
}
