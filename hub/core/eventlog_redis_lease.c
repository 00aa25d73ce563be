/* eventlog_redis_lease.c — who owns an interaction on a shared bus: a lease per interaction,
 * agentdesk:NAME:own:IID, holding the owner hub's name, taken at its start and renewed each
 * second while it is live; and the request ids applied to it (agentdesk:NAME:done:IID,
 * written by the commit script), read back by the hub that takes it over. */
#include "hub/core/eventlog_redis_private.h"
#include "base/logfile.h"
#include "base/mem.h"
#include "base/strset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KEYS: the leases. ARGV: this hub's name, the expiry. A lease free or ours is (re)taken;
 * the answer is 1 per key taken, else the holder's name. */
static const char CLAIM_LUA[] =
    "local out = {}\n"
    "for i, k in ipairs(KEYS) do\n"
    "  local v = redis.call('GET', k)\n"
    "  if not v or v == ARGV[1] then redis.call('SET', k, ARGV[1], 'PX', ARGV[2]) out[i] = 1\n"
    "  else out[i] = v end\n"
    "end\n"
    "return out\n";

static void lease_key(const redis_log *l, const char *iid, char *out, size_t len)
{
    snprintf(out, len, "agentdesk:%s:own:%s", l->cfg.name, iid);
}

int bus_lease_claim(eventlog *log, const char *iid, char *holder, size_t holder_len)
{
    redis_log *l = from(log);
    if (holder_len)
        holder[0] = 0;
    if (!bus_connected(l))
        return -1;
    char key[LEASE_KEY_MAX], ttl[16];
    lease_key(l, iid, key, sizeof key);
    snprintf(ttl, sizeof ttl, "%d", l->cfg.lease_ms);
    const char *keys[] = {key};
    const char *args[] = {l->cfg.hub, ttl};
    redisReply *r = bus_eval(l, CLAIM_LUA, 1, keys, 2, args, NULL);
    int rc = -1;
    if (r && r->type == REDIS_REPLY_ARRAY && r->elements == 1) {
        const redisReply *v = r->element[0];
        if (v->type == REDIS_REPLY_INTEGER)
            rc = 1;
        else if (v->type == REDIS_REPLY_STRING) {
            rc = 0;
            snprintf(holder, holder_len, "%.*s", v->len > 64 ? 64 : (int)v->len, v->str);
        }
    }
    if (r)
        freeReplyObject(r);
    return rc;
}

void bus_lease_renew(eventlog *log, const char *const *iids, size_t n)
{
    redis_log *l = from(log);
    if (n == 0 || !bus_connected(l))
        return;
    char ttl[16];
    snprintf(ttl, sizeof ttl, "%d", l->cfg.lease_ms);
    const char *args[] = {l->cfg.hub, ttl};
    /* in scripts of 256 keys: one round trip per 256 live interactions */
    for (size_t off = 0; off < n; off += 256) {
        size_t k = n - off < 256 ? n - off : 256;
        char (*keys)[LEASE_KEY_MAX] = mem_alloc(k * sizeof *keys);
        const char **kp = mem_alloc(k * sizeof *kp);
        for (size_t i = 0; i < k; i++) {
            lease_key(l, iids[off + i], keys[i], sizeof keys[i]);
            kp[i] = keys[i];
        }
        redisReply *r = bus_eval(l, CLAIM_LUA, (int)k, kp, 2, args, NULL);
        if (r && r->type == REDIS_REPLY_ARRAY)
            for (size_t i = 0; i < r->elements && i < k; i++)
                if (r->element[i]->type == REDIS_REPLY_STRING)
                    logfile_write("bus: %s is held by hub %.64s now: this hub no longer owns it",
                                  iids[off + i], r->element[i]->str);
        if (r)
            freeReplyObject(r);
        free(keys);
        free(kp);
    }
}

void bus_lease_release(eventlog *log, const char *iid)
{
    redis_log *l = from(log);
    if (!bus_connected(l))
        return;
    char key[LEASE_KEY_MAX];
    lease_key(l, iid, key, sizeof key);
    const char *keys[] = {key};
    const char *args[] = {l->cfg.hub};
    redisReply *r = bus_eval(l, BUS_RELEASE_LUA, 1, keys, 1, args, NULL);
    if (r)
        freeReplyObject(r);
}

void bus_lease_remember(eventlog *log, const char *iid, const char *user, const char *id)
{
    redis_log *l = from(log);
    if (!iid || !*iid || !user || !id)
        return;
    char key[2 * 130];
    int n = snprintf(key, sizeof key, "%s\n%s", user, id);
    if (n > 0 && (size_t)n < sizeof key)
        bus_list_push(&l->done, bus_entry_copy(0, 0, iid, "", "", key, (size_t)n));
}

int bus_lease_recall(eventlog *log, const char *iid, void (*fn)(void *ctx, const char *key), void *ctx)
{
    redis_log *l = from(log);
    if (!bus_connected(l))
        return -1;
    char key[LEASE_KEY_MAX];
    snprintf(key, sizeof key, "%s%s", l->done_prefix, iid);
    const char *argv[] = {"HKEYS", key};
    redisReply *r = bus_command(l, 2, argv, NULL);
    int rc = r && r->type == REDIS_REPLY_ARRAY ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < r->elements; i++)
        if (r->element[i]->type == REDIS_REPLY_STRING)
            fn(ctx, r->element[i]->str);
    if (r)
        freeReplyObject(r);
    return rc;
}

bool bus_lease_seen(eventlog *log, const char *iid, const char *user, const char *id)
{
    redis_log *l = from(log);
    if (!l->landed_done || !iid || !user || !id)
        return false;
    char key[REQUEST_KEY_MAX];
    snprintf(key, sizeof key, "%s\n%s\n%s", iid, user, id);
    return strset_has(l->landed_done, key);
}
