/* eventlog_redis_private.h — what the five files of the Redis event log share, and nobody
 * else: eventlog_redis.c (the log: the turn, the appending connection, reads),
 * eventlog_redis_open.c (the URL, the keys, the cluster's id, catching up),
 * eventlog_redis_entries.c (the stream's entries into this hub's copy),
 * eventlog_redis_reader.c (the reading connection's answers, and the actions and answers
 * streams), eventlog_redis_lease.c (ownership leases and the request ids of a takeover). */
#ifndef AGENTDESK_HUB_EVENTLOG_REDIS_PRIVATE_H
#define AGENTDESK_HUB_EVENTLOG_REDIS_PRIVATE_H

#include "hub/core/busconn.h"
#include "hub/core/eventlog_redis.h"

#include <hiredis/hiredis.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* agentdesk:NAME:own:IID, agentdesk:NAME:done:IID */
enum { LEASE_KEY_MAX = 96 + 64 + 64 };
/* "iid\nuser\nid": three protocol ids (PROTO_MAX_ID, 128 bytes) */
enum { REQUEST_KEY_MAX = 3 * 129 + 1 };

typedef struct {
    int64_t seq, ts;
    char *iid, *agent, *audience, *frame; /* one allocation, `iid` first */
    size_t len;
} bus_entry;

typedef struct {
    bus_entry *v;
    size_t n, cap;
} entry_list;

typedef struct {
    char *origin, *user, *display_name, *role, *frame; /* one allocation */
    size_t len;
    bool answer;
} bus_msg;

typedef struct {
    eventlog base;
    eventlog *local;               /* this hub's copy (eventlog_sqlite.c) */
    sqlite3 *db;
    bus_config cfg;
    char stream_key[96], counter_key[96], lock_key[96], id_key[96], actions_key[96], answers_key[96];
    char actions_last[48], answers_last[48];   /* the reader's place in those streams */
    bus_msg *msgs;                 /* actions and answers read, not yet drained */
    size_t nmsgs, capmsgs;
    char token[96];                /* this hub's lock value: its name and a random part */
    char cluster_id[40];
    busconn *rc;                   /* the appending connection */
    int64_t retry_at_ms;           /* no reconnect before then */
    int backoff_ms;
    bool locked;                   /* this turn holds the append lock */
    int64_t next;                  /* the seq handed out next while locked */
    entry_list own;                /* this turn's entries, for the commit script */
    entry_list done;               /* this turn's request ids: iid in .iid, "user\nid" in .frame */
    int64_t uncertain_first;       /* a commit whose answer was lost and outcome not known, 0 none */
    entry_list uncertain;          /* its request ids */
    struct strset *landed_done;    /* "iid\nuser\nid" of such commits found applied */
    char done_prefix[96];          /* agentdesk:NAME:done: */
    entry_list pending;            /* others' entries fetched, not stored here yet */
    entry_list staged;             /* others' entries stored in the open transaction */
    entry_list durable;            /* others' entries the last commit made durable here */
    int64_t applied;               /* highest seq stored here, committed or staged */
    int64_t committed;             /* highest seq durable here */
    int64_t missing_upto;          /* highest seq trimmed away before this hub read it, 0 none */
    redisReader *reader;
    bool reader_up;
    char reader_why[160];
    char error[200];
    char trouble[200];
    bus_stats stats;
} redis_log;

static inline redis_log *from(eventlog *log)
{
    return (redis_log *)log;
}


/* eventlog_redis.c's, for the others */
extern const char BUS_RELEASE_LUA[];   /* frees a key only while it holds this hub's value */
bool bus_connected(redis_log *l);      /* connected and signed in, or not now (backoff) */
redisReply *bus_command(redis_log *l, int argc, const char **argv, const size_t *lens);
redisReply *bus_eval(redis_log *l, const char *script, int nkeys, const char **keys, int nargs,
                     const char **args, const size_t *arglens);
void bus_pack_strings(size_t n, const char *const *in, const size_t *lens, char **out);
bus_entry bus_entry_copy(int64_t seq, int64_t ts, const char *iid, const char *agent,
                         const char *audience, const char *frame, size_t len);
void bus_list_push(entry_list *l, bus_entry e);
void bus_list_clear(entry_list *l);
const char *bus_field(const redisReply *fields, const char *name, size_t *len);
void bus_take_stream_entries(redis_log *l, const redisReply *entries);
int64_t bus_highest_known(const redis_log *l);
extern const eventlog_ops bus_redis_ops;
/* eventlog_redis_entries.c's */
int64_t bus_missing_upto(eventlog *log);   /* the ops' missing_upto */
/* reads (after, upto] from the stream into pending, noting what was trimmed before it */
int bus_fetch_range(redis_log *l, int64_t after, int64_t upto);
/* stores pending in the open transaction, in order, filling any gap first */
int bus_store_pending(redis_log *l);

/* eventlog_redis_lease.c's: the ops of ownership (eventlog.h) */
int bus_lease_claim(eventlog *log, const char *iid, char *holder, size_t holder_len);
void bus_lease_renew(eventlog *log, const char *const *iids, size_t n);
void bus_lease_release(eventlog *log, const char *iid);
void bus_lease_remember(eventlog *log, const char *iid, const char *user, const char *id);
int bus_lease_recall(eventlog *log, const char *iid, void (*fn)(void *ctx, const char *key), void *ctx);
bool bus_lease_seen(eventlog *log, const char *iid, const char *user, const char *id);

#endif
