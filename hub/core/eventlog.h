/* eventlog.h — the hub's durable, hub-wide ordered log of hub->console events.
 *
 * One interface, two implementations: eventlog_sqlite.c (one hub, the default) and
 * eventlog_redis.c (several hubs sharing a Redis stream, `--bus`).
 *
 * Invariants: seq is strictly increasing across the whole hub and survives restarts
 * (kill -9 included); an appended entry is not visible to scan() and must not be sent to
 * anyone until commit() has returned 0 (group commit: the server appends all of one loop
 * turn's events, commits once, then sends). */
#ifndef AGENTDESK_HUB_EVENTLOG_H
#define AGENTDESK_HUB_EVENTLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

typedef struct {
    int64_t seq;
    int64_t ts;            /* ms since the epoch */
    const char *iid;       /* interaction it belongs to, or "" for hub-wide */
    const char *agent;     /* user name of the assigned agent (visibility), or "" */
    const char *audience;  /* "" = everyone allowed to see iid; else one user name */
    const char *frame;     /* the complete JSON frame, seq and ts included */
    size_t len;
} eventlog_entry;

typedef struct eventlog eventlog;

typedef int (*eventlog_scan_fn)(void *ctx, const eventlog_entry *entry); /* non-zero stops */

typedef struct {
    /* Assign the next seq. The caller then builds the frame with it and calls put(). -1
     * when no seq can be handed out now (a shared log that cannot be reached): the turn fails. */
    int64_t (*next_seq)(eventlog *log);
    /* Give back `seq`, the one next_seq just handed out, unused (its frame could not be
     * encoded): the next call hands it out again, so the log keeps no gap. */
    void (*unget_seq)(eventlog *log, int64_t seq);
    /* Stage one entry (seq from next_seq, in order) into the current batch. 0 or -1. */
    int (*put)(eventlog *log, const eventlog_entry *entry);
    /* Make the staged batch durable. 0 or -1. */
    int (*commit)(eventlog *log);
    /* Entries with seq > after, in order, committed only. 0, -1 on error, or the
     * callback's non-zero value. */
    int (*scan)(eventlog *log, int64_t after, eventlog_scan_fn fn, void *ctx);
    /* The same, only the entries of interaction `iid`: read through an index, so its cost
     * follows that interaction's events, not the log's. */
    int (*scan_interaction)(eventlog *log, const char *iid, int64_t after, eventlog_scan_fn fn, void *ctx);
    /* The entries of `iid` with seq < before (committed only), newest first, through the
     * same index: where a tail starts, found without reading what comes before it. */
    int (*scan_interaction_back)(eventlog *log, const char *iid, int64_t before, eventlog_scan_fn fn,
                                 void *ctx);
    /* The committed entries numbered seqs[0..n) (ascending), in that order, each found by its
     * seq; one not in the log is skipped: the few old frames a restart needs (pipeline_restore.c). */
    int (*scan_seqs)(eventlog *log, const int64_t *seqs, size_t n, eventlog_scan_fn fn, void *ctx);
    int64_t (*last_seq)(eventlog *log);   /* last committed seq, 0 when empty */
    int64_t (*count)(eventlog *log);
    void (*close)(eventlog *log);
    /* Why the last put() or commit() failed ("" if none). */
    const char *(*error)(eventlog *log);
    /* A log several hubs append to (eventlog_redis.h); NULL on a log only this hub writes.
     * pull: store in the open transaction what other hubs appended and this hub fetched
     * (0, or -1: the turn fails, and they are stored by a later one). take_remote: those
     * the last commit made durable here, in seq order, each handed to fn once (the
     * fan-out). trouble: why the log cannot append now ("" when it can). */
    int (*pull)(eventlog *log);
    int (*take_remote)(eventlog *log, eventlog_scan_fn fn, void *ctx);
    const char *(*trouble)(eventlog *log);
    /* Ownership of an interaction among the hubs of a shared log: a lease that expires unless
     * its holder renews it. claim: 1 when this hub holds it now (taken, or already its own),
     * 0 when another hub does (its name in holder), -1 when the bus cannot say. renew: this
     * hub's leases on iids[0..n) kept (retaken if lost and free). release: given up. */
    int (*claim)(eventlog *log, const char *iid, char *holder, size_t holder_len);
    void (*renew)(eventlog *log, const char *const *iids, size_t n);
    void (*release)(eventlog *log, const char *iid);
    /* Request ids (a connector's or console's `user` and `id`) applied to an interaction,
     * kept on the shared log with the turn's commit (remember), and read back by the hub that
     * takes it over (recall: each "user\nid" to fn), so a retry after a takeover is
     * acknowledged, not applied again. */
    void (*remember)(eventlog *log, const char *iid, const char *user, const char *id);
    int (*recall)(eventlog *log, const char *iid, void (*fn)(void *ctx, const char *key), void *ctx);
    /* Applied by a commit of this hub whose answer was lost and that Redis turned out to have
     * applied (its turn was rolled back here and the request answered unavailable). */
    bool (*seen)(eventlog *log, const char *iid, const char *user, const char *id);
    /* The highest seq this hub's copy is missing (the shared log trimmed it before this hub
     * read it), 0 when it misses none: a resume from before it cannot be replayed whole. */
    int64_t (*missing_upto)(eventlog *log);
} eventlog_ops;

struct eventlog {
    const eventlog_ops *ops;
};

/* The SQLite implementation, on the store's database handle (tables from store.c). Each
 * commit also records its last seq as meta(STORE_META_SEQ_HIGH), in the same transaction:
 * store_open refuses a database whose events end below it (seqs would be handed out
 * twice). */
struct sqlite3;
eventlog *eventlog_sqlite_open(struct sqlite3 *db, char *err, size_t errlen);

#endif
