/* eventlog_redis_open.c — opening the Redis event log (eventlog_redis.h): the --bus URL, the
 * stream's keys, the cluster's id, and catching this hub's copy up with what the other hubs
 * appended while it was away. The log itself is eventlog_redis.c's. */
#include "hub/core/eventlog_redis_private.h"
#include "base/clock.h"
#include "base/mem.h"

#include <hiredis/hiredis.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *eventlog_redis_cluster_id(eventlog *log)
{
    return from(log)->cluster_id;
}

void eventlog_redis_stats(eventlog *log, bus_stats *out)
{
    redis_log *l = from(log);
    *out = l->stats;
    out->up = l->rc && !l->trouble[0] && l->reader_up;
}

int bus_config_parse(const char *url, bus_config *cfg, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->port = 6379;
    snprintf(cfg->name, sizeof cfg->name, "default");
    cfg->max_len = 1000000;
    cfg->max_age_ms = 7LL * 24 * 3600 * 1000;
    cfg->lock_ttl_ms = 3000;
    cfg->lease_ms = 10000;
    size_t scheme = strncmp(url, "rediss://", 9) == 0 ? 9 : strncmp(url, "redis://", 8) == 0 ? 8 : 0;
    if (!scheme) {
        snprintf(err, errlen, "--bus: expected redis://HOST:PORT[/NAME] or rediss:// (TLS), got '%.100s'", url);
        return -1;
    }
    cfg->tls.on = scheme == 9;
    const char *p = url + scheme, *slash = strchr(p, '/');
    size_t hostport = slash ? (size_t)(slash - p) : strlen(p);
    char hp[300];
    if (hostport == 0 || hostport >= sizeof hp || memchr(p, '@', hostport)) {
        snprintf(err, errlen, "--bus: expected redis://HOST:PORT[/NAME] (the password goes in "
                 "--bus-password-file or AGENTDESK_BUS_PASSWORD), got '%.100s'", url);
        return -1;
    }
    memcpy(hp, p, hostport);
    hp[hostport] = 0;
    char *colon = strrchr(hp, ':');
    if (colon) {
        char *end = NULL;
        long port = strtol(colon + 1, &end, 10);
        if (!*(colon + 1) || *end || port < 1 || port > 65535) {
            snprintf(err, errlen, "--bus: bad port in '%.100s'", url);
            return -1;
        }
        cfg->port = (int)port;
        *colon = 0;
    }
    if (!hp[0] || strlen(hp) >= sizeof cfg->host) {
        snprintf(err, errlen, "--bus: no host in '%.100s'", url);
        return -1;
    }
    memcpy(cfg->host, hp, strlen(hp) + 1);   /* fits: checked above */
    if (slash && slash[1]) {
        const char *n = slash + 1;
        size_t nl = strlen(n);
        if (nl >= sizeof cfg->name || strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != nl) {
            snprintf(err, errlen, "--bus: the name after / is letters, digits, - _ and . (at most %zu)",
                     sizeof cfg->name - 1);
            return -1;
        }
        snprintf(cfg->name, sizeof cfg->name, "%s", n);
    }
    return 0;
}

/* The cluster's id: set by the first hub ever to open the bus, read by the others. */
static int cluster_identity(redis_log *l, char *err, size_t errlen)
{
    unsigned long long rnd = ((unsigned long long)clock_wall_ms() << 20) ^ (unsigned long long)getpid() ^
                             (unsigned long long)(uintptr_t)l;
    char mine[40];
    snprintf(mine, sizeof mine, "bus-%016llx", rnd);
    const char *set[] = {"SET", l->id_key, mine, "NX"};
    redisReply *r = bus_command(l, 4, set, NULL);
    if (r)
        freeReplyObject(r);
    const char *get[] = {"GET", l->id_key};
    r = bus_command(l, 2, get, NULL);
    if (!r || r->type != REDIS_REPLY_STRING || r->len >= (int)sizeof l->cluster_id) {
        snprintf(err, errlen, "bus: cannot read the cluster's id at %s (%s)", l->id_key,
                 r && r->type == REDIS_REPLY_ERROR ? r->str : l->trouble);
        if (r)
            freeReplyObject(r);
        return -1;
    }
    snprintf(l->cluster_id, sizeof l->cluster_id, "%s", r->str);
    freeReplyObject(r);
    return 0;
}

/* Bring this copy up to the stream before serving: what other hubs appended while this one
 * was away, stored in transactions of a few thousand. */
static int catch_up(redis_log *l, char *err, size_t errlen)
{
    const char *get[] = {"GET", l->counter_key};
    redisReply *r = bus_command(l, 2, get, NULL);
    if (!r || (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_NIL)) {
        snprintf(err, errlen, "bus: cannot read %s", l->counter_key);
        if (r)
            freeReplyObject(r);
        return -1;
    }
    long long counter = r->type == REDIS_REPLY_STRING ? strtoll(r->str, NULL, 10) : 0;
    freeReplyObject(r);
    if (counter < l->applied) {
        snprintf(err, errlen, "bus: this hub's database holds events up to %lld but the bus '%s' "
                 "only up to %lld: it belongs to another history (another bus, or Redis lost its "
                 "data: keep Redis's append-only file on); start it with a new --db",
                 (long long)l->applied, l->cfg.name, counter);
        return -1;
    }
    while (l->applied < counter) {
        int64_t upto = l->applied + 4096 < counter ? l->applied + 4096 : counter;
        if (bus_fetch_range(l, l->applied, upto) != 0 || sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
            snprintf(err, errlen, "bus: catching up: %s", l->error[0] ? l->error : sqlite3_errmsg(l->db));
            return -1;
        }
        if (l->pending.n == 0)   /* trimmed away: nothing more to read */
            l->applied = upto;
        if (bus_store_pending(l) != 0 || l->local->ops->commit(l->local) != 0) {
            snprintf(err, errlen, "bus: catching up: %s", l->error[0] ? l->error : sqlite3_errmsg(l->db));
            if (!sqlite3_get_autocommit(l->db))
                sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        /* not handed to the fan-out: no console is here yet, and the interactions other
         * hubs own are rebuilt from this copy (pipeline_replica.c) */
        l->committed = l->applied;
        l->stats.remote_entries += l->staged.n;
        bus_list_clear(&l->staged);
    }
    return 0;
}

/* The log's memory, keys and local copy; no connection yet. */
static redis_log *log_new(struct sqlite3 *db, const bus_config *cfg, char *err, size_t errlen)
{
    redis_log *l = mem_zalloc(1, sizeof *l);
    l->base.ops = &bus_redis_ops;
    l->db = db;
    l->cfg = *cfg;
    l->backoff_ms = 250;
    snprintf(l->stream_key, sizeof l->stream_key, "agentdesk:%s:events", cfg->name);
    snprintf(l->counter_key, sizeof l->counter_key, "agentdesk:%s:seq", cfg->name);
    snprintf(l->lock_key, sizeof l->lock_key, "agentdesk:%s:lock", cfg->name);
    snprintf(l->id_key, sizeof l->id_key, "agentdesk:%s:id", cfg->name);
    snprintf(l->actions_key, sizeof l->actions_key, "agentdesk:%s:actions", cfg->name);
    snprintf(l->done_prefix, sizeof l->done_prefix, "agentdesk:%s:done:", cfg->name);
    snprintf(l->answers_key, sizeof l->answers_key, "agentdesk:%s:answers", cfg->name);
    /* actions and answers from now on: older ones were for hubs and consoles of the past */
    snprintf(l->actions_last, sizeof l->actions_last, "%lld-0", (long long)clock_wall_ms());
    snprintf(l->answers_last, sizeof l->answers_last, "%lld-0", (long long)clock_wall_ms());
    snprintf(l->token, sizeof l->token, "%s/%lld.%d", cfg->hub, (long long)clock_wall_ms(), (int)getpid());
    snprintf(l->reader_why, sizeof l->reader_why, "bus reader: not connected yet");
    l->local = eventlog_sqlite_open(db, err, errlen);
    if (!l->local) {
        free(l);
        return NULL;
    }
    l->applied = l->committed = l->local->ops->last_seq(l->local);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'bus_missing_upto'", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        l->missing_upto = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return l;
}

eventlog *eventlog_redis_open(struct sqlite3 *db, const bus_config *cfg, char *err, size_t errlen)
{
    redis_log *l = log_new(db, cfg, err, errlen);
    if (!l)
        return NULL;
    if (!bus_connected(l)) {
        snprintf(err, errlen, "%s", l->trouble);
        l->base.ops->close(&l->base);
        return NULL;
    }
    if (cluster_identity(l, err, errlen) != 0 || catch_up(l, err, errlen) != 0) {
        l->base.ops->close(&l->base);
        return NULL;
    }
    return &l->base;
}

eventlog *eventlog_redis_offline(struct sqlite3 *db, const bus_config *cfg, char *err, size_t errlen)
{
    redis_log *l = log_new(db, cfg, err, errlen);
    if (!l)
        return NULL;
    l->retry_at_ms = INT64_MAX;   /* never connects */
    snprintf(l->trouble, sizeof l->trouble, "offline");
    return &l->base;
}
