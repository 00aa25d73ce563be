/* store_wal.c — a serving store's WAL checkpoints, on a connection and thread of their own.
 * (Durability: store.c's header. What the loop's commits leave here: wal_grew.) */
#include "hub/store/store_wal.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct store_wal {
    sqlite3 *serving;             /* the loop's connection, whose commits wal_grew sees */
    sqlite3 *db;                  /* the thread's own connection */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool due, stop;
    bool failed_said;
    atomic_int backfilled;        /* WAL frames the thread's last checkpoint copied, 0 none */
    int db_fd;                    /* the database file, for the thread's own fdatasync; -1 none */
    char path[4096];              /* for what the thread says */
};

/* WAL checkpoints off the serving thread. SQLite's automatic checkpoint runs inside the
 * commit that passes 1,000 WAL pages, and with it two fsyncs (tens of milliseconds on a disk):
 * the one loop would stall for every console and connector, and such stalls were the p99 of
 * ingest -> console at half load. Here the commit only notes the WAL's size (the wal hook,
 * which replaces the automatic checkpoint) and wakes this thread, whose PASSIVE checkpoint
 * copies what no reader needs while the serving thread goes on committing (wal_grew says how
 * the WAL still starts over). Durability is unchanged: a commit is in the
 * WAL when it returns, which is what synchronous=NORMAL promises. */
/* Each finish on the serving thread (wal_grew) is a pause: two fdatasyncs and the pages the
 * thread left. The thread's catch-up passes and settling syncs leave it a few dozen pages,
 * so finishes take 0.6-3 ms (one pass left a few hundred: 7-14 ms), and waking the thread at
 * 8,000 pages (32 MB of WAL) makes them about one a second at 5,000 utterances a second (1,000
 * pages: 7 a second). Measured with bench_hub, a temporary probe and perf trace. */
enum { CHECKPOINT_PAGES = 8000, CHECKPOINT_GAP_MS = 100, FINISH_PAGES = 512, WAL_MOST_PAGES = 32000,
       CATCH_UP_PASSES = 4, CATCH_UP_PAGES = 48, SETTLE_ROUNDS = 4 };

static int wal_grew(void *arg, sqlite3 *db, const char *name, int pages)
{
    store_wal *w = arg;
    /* A checkpoint from another connection completes only when no commit lands while it
     * runs, and only a complete one lets the next commit start the WAL over: under a steady
     * load the WAL would grow without end. So once the thread has copied all but a little
     * (FINISH_PAGES: at most what 100 ms of commits add), this thread copies the rest, a
     * short pause where the whole WAL was a long one (commit p99.9 under steady writes 13 ->
     * 3.7 ms), and the next commit starts the WAL over. Past WAL_MOST_PAGES (128 MB: the
     * thread fell behind a slow disk) it copies whatever is left. */
    int backfilled = atomic_load(&w->backfilled);
    if (pages >= WAL_MOST_PAGES || (backfilled > 0 && pages - backfilled <= FINISH_PAGES)) {
        atomic_store(&w->backfilled, 0);
        /* The wake that commits since the thread's checkpoint asked for is for this WAL,
         * which starts over now. Left standing, the thread copied the new WAL's first few
         * hundred pages and this thread finished again: a second pause in every cycle
         * (bench_hub: a 3-7 ms finish at ~550 pages after each 8-14 ms one at ~4,200). */
        pthread_mutex_lock(&w->lock);
        w->due = false;
        pthread_mutex_unlock(&w->lock);
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        return SQLITE_OK;
    }
    if (pages >= CHECKPOINT_PAGES) {
        pthread_mutex_lock(&w->lock);
        w->due = true;
        pthread_cond_signal(&w->wake);
        pthread_mutex_unlock(&w->lock);
    }
    return SQLITE_OK;
}

/* One more PASSIVE pass after the first: the WAL's size and the pages copied so far move on,
 * and *added is what this pass copied. false: busy, failed, or the WAL started over meanwhile
 * (the counts are then left as they were). */
static bool another_pass(store_wal *w, int *log_pages, int *copied, int *added)
{
    int more_log = 0, more_copied = 0;
    if (sqlite3_wal_checkpoint_v2(w->db, "main", SQLITE_CHECKPOINT_PASSIVE, &more_log, &more_copied) != SQLITE_OK ||
        more_log < *log_pages)
        return false;
    *added = more_copied - *copied;
    *log_pages = more_log;
    *copied = more_copied;
    return true;
}

static void *checkpoint_later(void *arg)
{
    store_wal *w = arg;
    struct timespec next = {0, 0};   /* no checkpoint before this (CLOCK_REALTIME, the cond's) */
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->due && !w->stop)
            pthread_cond_wait(&w->wake, &w->lock);
        /* at most one every CHECKPOINT_GAP_MS: each costs the disk two fsyncs */
        while (!w->stop && pthread_cond_timedwait(&w->wake, &w->lock, &next) == 0)
            ;
        if (w->stop)
            break;
        /* the finish (wal_grew) may have started the WAL over meanwhile: a wake asked for by
         * the old WAL's commits would copy the new one's first few hundred pages (a probe saw
         * one such checkpoint, two fdatasyncs, in every cycle) */
        if (!w->due)
            continue;
        w->due = false;
        pthread_mutex_unlock(&w->lock);
        int log_pages = 0, copied = 0;
        int rc = sqlite3_wal_checkpoint_v2(w->db, "main", SQLITE_CHECKPOINT_PASSIVE, &log_pages, &copied);
        /* Catch up: each pass copies what the commits added while the one before ran, a
         * shorter run each time. One pass left the serving thread's finish (wal_grew) the
         * few hundred pages committed during it, and the finish's pause grows with its pages:
         * each is a random write its fdatasync waits for. */
        for (int pass = 1, added; rc == SQLITE_OK && pass < CATCH_UP_PASSES; pass++)
            if (!another_pass(w, &log_pages, &copied, &added) || added <= CATCH_UP_PAGES)
                break;
        /* A pass that ends while commits go on leaves what it copied unsynced (SQLite syncs the
         * database only when a checkpoint reaches the WAL's end), and the finish's fdatasync on
         * the serving thread then wrote all of it: a 20 ms pause where a few dozen pages take
         * 2 ms (perf trace). So the thread syncs them. That sync writes a whole cycle's pages
         * and takes a while, and what was committed meanwhile was left to the finish (a probe:
         * 60-420 pages, finishes of 2.5-11 ms). So it settles: a pass copies what came during
         * the sync before, then a sync of just those pages, each round shorter, until a pass
         * finds only a few dozen pages (finishes of 0.6-3 ms, bench_hub at 5,000 a second). */
        bool settled = false;
        for (int round = 0; rc == SQLITE_OK && copied > 0 && w->db_fd >= 0; round++) {
            (void)fdatasync(w->db_fd);
            if (settled || round == SETTLE_ROUNDS)
                break;
            int added;
            if (!another_pass(w, &log_pages, &copied, &added) || added == 0)
                break;
            settled = added <= CATCH_UP_PAGES;
        }
        if (rc != SQLITE_OK && rc != SQLITE_BUSY && !w->failed_said) {
            /* the WAL keeps every commit meanwhile; the next one that passes the size retries */
            w->failed_said = true;
            fprintf(stderr, "%s: WAL checkpoint failed (%s); commits go on in the WAL\n", w->path,
                    sqlite3_errmsg(w->db));
        } else if (rc == SQLITE_OK) {
            w->failed_said = false;
            /* a WAL that started over since the wake is too small to finish yet */
            if (copied > 0 && log_pages >= CHECKPOINT_PAGES)
                atomic_store(&w->backfilled, copied);
        }
        clock_gettime(CLOCK_REALTIME, &next);
        next.tv_nsec += CHECKPOINT_GAP_MS * 1000000L;
        next.tv_sec += next.tv_nsec / 1000000000L;
        next.tv_nsec %= 1000000000L;
        pthread_mutex_lock(&w->lock);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

store_wal *store_wal_start(sqlite3 *serving, const char *path)
{
    store_wal *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->serving = serving;
    w->db_fd = -1;
    snprintf(w->path, sizeof w->path, "%s", path);
    if (sqlite3_open_v2(path, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_busy_timeout(w->db, 5000);
    /* a connection learns the file is in WAL mode at its first read: until then a
     * checkpoint through it does nothing */
    if (sqlite3_exec(w->db, "PRAGMA journal_mode", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    w->db_fd = open(path, O_RDONLY | O_CLOEXEC);
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->wake, NULL);
    if (pthread_create(&w->thread, NULL, checkpoint_later, w) != 0) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->wake);
        goto fail;
    }
    sqlite3_wal_hook(serving, wal_grew, w);
    return w;
fail:
    if (w->db_fd >= 0)
        close(w->db_fd);
    sqlite3_close(w->db);
    free(w);
    return NULL;
}

void store_wal_stop(store_wal *w)
{
    if (!w)
        return;
    sqlite3_wal_hook(w->serving, NULL, NULL);
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->wake);
    if (w->db_fd >= 0)
        close(w->db_fd);
    sqlite3_close(w->db);
    free(w);
}
