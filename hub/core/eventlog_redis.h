/* eventlog_redis.h — the event log shared by several hubs on one Redis stream (`--bus`).
 *
 * The cluster's order is one stream, `agentdesk:NAME:events`, whose entry ids are the seqs
 * (`<seq>-0`), so Redis itself refuses an entry out of order. A hub appends under a short
 * cluster-wide append lock (`agentdesk:NAME:lock`, a token with an expiry, so a hub that dies
 * holding it costs the others at most its expiry): it takes the lock at its turn's first
 * event, reads the counter (`agentdesk:NAME:seq`), numbers its events after it, and one Lua
 * script checks the lock is still its own, appends the batch, moves the counter and frees
 * the lock, atomically. Only then does the hub commit its own SQLite transaction and send.
 *
 * Each hub keeps every committed entry in its own SQLite `events` table (eventlog_sqlite.c,
 * wrapped here): scans, snapshots and resumes read that copy, so they cost what they cost on
 * one hub and a console may resume on any hub. Entries other hubs appended reach this hub
 * through a second connection that waits on the stream (XREAD BLOCK), adopted into the hub's
 * one loop (hub/endpoints/bus_reader.c): they are fetched, stored in a turn like any write
 * (pull), and handed to the fan-out once durable here (take_remote). A gap (a reconnect, a
 * turn that rolled back) is filled from the stream before anything after it is stored.
 *
 * Invariants: seq is strictly increasing and gap-free across the cluster; a hub's local copy
 * holds a prefix of the stream (its own entries and others' in seq order), except where the
 * stream was trimmed before this hub read it (said in the log). */
#ifndef AGENTDESK_HUB_EVENTLOG_REDIS_H
#define AGENTDESK_HUB_EVENTLOG_REDIS_H

#include "hub/core/busconn.h"
#include "hub/core/eventlog.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    char host[256];
    int port;
    char name[64];          /* the cluster: key prefix agentdesk:NAME: */
    char password[256];     /* "" none; from a file or the environment, never argv */
    char hub[64];           /* this hub's name on the bus (entries say who appended them) */
    int64_t max_len;        /* the stream keeps about this many entries (XADD MAXLEN ~) */
    int64_t max_age_ms;     /* and none older than this, trimmed as hubs append */
    int lock_ttl_ms;        /* the append lock's expiry */
    int lease_ms;           /* an interaction's owner lease: renewed each second while live */
    bus_tls tls;            /* rediss://: both connections over TLS */
} bus_config;

/* redis://HOST:PORT[/NAME] or rediss:// (TLS) into cfg (defaults for the rest). 0 or -1 with
 * err. */
int bus_config_parse(const char *url, bus_config *cfg, char *err, size_t errlen);

struct sqlite3;
/* Connects (refusing to start when Redis cannot be reached or refuses the password), reads
 * into the local copy what the stream holds beyond it, and returns the log. */
eventlog *eventlog_redis_open(struct sqlite3 *db, const bus_config *cfg, char *err, size_t errlen);

/* The same log that never connects (its appending side is down for good): only what the
 * reader is fed is parsed and stored. For the fuzz target of the reader and for tests. */
eventlog *eventlog_redis_offline(struct sqlite3 *db, const bus_config *cfg, char *err, size_t errlen);

/* The cluster's identity (the same on every hub of the bus): the welcome's hub_id. */
const char *eventlog_redis_cluster_id(eventlog *log);

/* The reader connection (bus_reader.c owns the socket; this parses and queues). The command
 * to send once connected (AUTH when a password is set, then the first wait), and after each
 * answer the next wait: malloc'd RESP bytes in *out. */
int eventlog_redis_reader_hello(eventlog *log, char **out, size_t *len);
int eventlog_redis_reader_next(eventlog *log, char **out, size_t *len);
/* Bytes the reader connection received. Returns the number of whole answers they completed
 * (each wants a next wait sent), or -1 when the stream answered an error (then reconnect). */
int eventlog_redis_reader_feed(eventlog *log, const char *data, size_t len);
/* The reader connection is down or up again (for /healthz and /metrics). */
void eventlog_redis_reader_state(eventlog *log, bool up, const char *why);
/* Entries fetched and not yet stored here: the reader asks for a turn while there are. */
size_t eventlog_redis_pending(eventlog *log);

/* Console actions across hubs: a console's action on an interaction another hub owns goes to
 * the stream agentdesk:NAME:actions; its owner applies it as that user and sends what it
 * answers (ack, error) to agentdesk:NAME:answers, which the console's hub passes on. */
typedef struct {
    const char *origin;     /* the hub whose console sent it */
    const char *user, *display_name, *role;
    const char *frame;      /* the action as the console sent it (untrusted: decoded again) */
    size_t len;
} bus_action;

typedef struct {
    const char *user;       /* whose consoles on this hub get it */
    const char *frame;
    size_t len;
} bus_answer;

/* Append, synchronously: 0, or -1 when the bus cannot take it (the caller says unavailable). */
int eventlog_redis_forward(eventlog *log, const char *user, const char *display_name, const char *role,
                           const char *frame, size_t len);
int eventlog_redis_answer(eventlog *log, const char *origin, const char *user, const char *frame, size_t len);
/* What the reader brought on those two streams since the last call (actions for any owner:
 * the caller applies those of its own interactions; answers for this hub only). */
void eventlog_redis_drain(eventlog *log, void (*on_action)(void *ctx, const bus_action *a),
                          void (*on_answer)(void *ctx, const bus_answer *a), void *ctx);

typedef struct {
    bool up;                       /* both connections answer */
    uint64_t remote_entries;       /* entries of other hubs stored here */
    uint64_t appended;             /* entries this hub appended */
    uint64_t lock_waits;           /* times the append lock was held by another hub */
    uint64_t reconnects;
    uint64_t forwarded;            /* actions sent to other hubs' interactions */
    uint64_t relayed;              /* answers sent back for actions applied here */
} bus_stats;
void eventlog_redis_stats(eventlog *log, bus_stats *out);

#endif
