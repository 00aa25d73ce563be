/* eventlog_redis.c — the event log on a Redis stream shared by several hubs (see
 * eventlog_redis.h for the design): the turn, the appending connection, the reads of the
 * local copy. Opening is eventlog_redis_open.c's, reading the stream into this copy
 * eventlog_redis_entries.c's. The appending connection is synchronous with short timeouts: a turn's
 * first event takes the lock (one round trip), its commit is one script (a second). The
 * reading connection's answers are eventlog_redis_reader.c's, the leases
 * eventlog_redis_lease.c's. */
#include "hub/core/eventlog_redis_private.h"
#include "base/clock.h"
#include "base/logfile.h"
#include "base/mem.h"
#include "base/strset.h"

#include <hiredis/hiredis.h>
#include <sqlite3.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Both in one script, so no hub ever sees the lock taken without the counter it guards. The
 * same hub asking again (a retried turn) keeps its lock. */
static const char ACQUIRE_LUA[] =
    "local cur = redis.call('GET', KEYS[1])\n"
    "if cur == ARGV[1] or (not cur and redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])) then\n"
    "  redis.call('PEXPIRE', KEYS[1], ARGV[2])\n"
    "  return {1, tonumber(redis.call('GET', KEYS[2]) or '0')}\n"
    "end\n"
    "return {0, redis.call('PTTL', KEYS[1])}\n";

/* KEYS: lock, counter, stream. ARGV: token, first seq, max length, hub, oldest ts kept, the
 * done-key prefix, the number of request ids, then two per id (iid, "user\nid"), then five per
 * entry (ts, iid, agent, audience, frame). Appends only while the lock is still this hub's
 * and the batch starts right after the counter; notes the ids per interaction (a day);
 * trims by length and by age. */
static const char COMMIT_LUA[] =
    "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('LOCKLOST the append lock expired') end\n"
    "local seq = tonumber(ARGV[2])\n"
    "local last = tonumber(redis.call('GET', KEYS[2]) or '0')\n"
    "if seq ~= last + 1 then return redis.error_reply('SEQ the stream is at ' .. last) end\n"
    "local ndone = tonumber(ARGV[7])\n"
    "for d = 0, ndone - 1 do\n"
    "  local k = ARGV[6] .. ARGV[8 + d * 2]\n"
    "  redis.call('HSET', k, ARGV[9 + d * 2], 1)\n"
    "  redis.call('PEXPIRE', k, 86400000)\n"
    "end\n"
    "local i = 8 + ndone * 2\n"
    "while i <= #ARGV do\n"
    "  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], string.format('%d-0', seq), 'h', ARGV[4],\n"
    "             't', ARGV[i], 'i', ARGV[i+1], 'a', ARGV[i+2], 'u', ARGV[i+3], 'f', ARGV[i+4])\n"
    "  seq = seq + 1\n"
    "  i = i + 5\n"
    "end\n"
    "redis.call('SET', KEYS[2], string.format('%d', seq - 1))\n"
    "redis.call('DEL', KEYS[1])\n"
    "local function older(e)\n"
    "  local f = e[2]\n"
    "  for k = 1, #f, 2 do if f[k] == 't' then return tonumber(f[k+1]) < tonumber(ARGV[5]) end end\n"
    "  return false\n"
    "end\n"
    "local first = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', 1)\n"
    "if not first[1] or not older(first[1]) then return seq - 1 end\n"
    "local old = redis.call('XRANGE', KEYS[3], '-', '+', 'COUNT', 64)\n"
    "local cut = nil\n"
    "for _, e in ipairs(old) do\n"
    "  if older(e) then cut = e[1] end\n"
    "end\n"
    "if cut then redis.call('XTRIM', KEYS[3], 'MINID', cut) redis.call('XDEL', KEYS[3], cut) end\n"
    "return seq - 1\n";

/* ARGV: the done-key prefix, then (iid, "user\nid") pairs: a turn with ids and no events. */
static const char DONE_LUA[] =
    "for d = 2, #ARGV, 2 do\n"
    "  local k = ARGV[1] .. ARGV[d]\n"
    "  redis.call('HSET', k, ARGV[d + 1], 1)\n"
    "  redis.call('PEXPIRE', k, 86400000)\n"
    "end\n"
    "return 1\n";

const char BUS_RELEASE_LUA[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end\n"
    "return 0\n";

/* ---- entries ---- */

/* n strings (lens[i] bytes each, a NUL added) in one allocation: out[0] is the block to free. */
void bus_pack_strings(size_t n, const char *const *in, const size_t *lens, char **out)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += lens[i] + 1;
    char *p = mem_alloc(total);
    for (size_t i = 0; i < n; i++) {
        out[i] = p;
        memcpy(p, in[i], lens[i]);
        p[lens[i]] = 0;
        p += lens[i] + 1;
    }
}

bus_entry bus_entry_copy(int64_t seq, int64_t ts, const char *iid, const char *agent,
                            const char *audience, const char *frame, size_t len)
{
    bus_entry e = {.seq = seq, .ts = ts, .len = len};
    const char *in[] = {iid, agent, audience, frame};
    size_t lens[] = {strlen(iid), strlen(agent), strlen(audience), len};
    char *out[4];
    bus_pack_strings(4, in, lens, out);
    e.iid = out[0];
    e.agent = out[1];
    e.audience = out[2];
    e.frame = out[3];
    return e;
}

void bus_list_push(entry_list *l, bus_entry e)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = mem_realloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = e;
}

void bus_list_clear(entry_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].iid);
    l->n = 0;
}

static void list_free(entry_list *l)
{
    bus_list_clear(l);
    free(l->v);
    l->v = NULL;
    l->cap = 0;
}

/* Put `from` back in front of `to`, keeping seq order (a rolled-back turn's entries are
 * stored again by the next). */
static void list_prepend(entry_list *to, entry_list *from)
{
    if (from->n == 0)
        return;
    size_t n = to->n + from->n;
    bus_entry *v = mem_alloc(n * sizeof *v + 1);
    memcpy(v, from->v, from->n * sizeof *v);
    if (to->n)
        memcpy(v + from->n, to->v, to->n * sizeof *v);
    free(to->v);
    to->v = v;
    to->n = to->cap = n;
    from->n = 0;
}

int64_t bus_highest_known(const redis_log *l)
{
    int64_t h = l->applied;
    if (l->pending.n && l->pending.v[l->pending.n - 1].seq > h)
        h = l->pending.v[l->pending.n - 1].seq;
    return h;
}

/* ---- the appending connection ---- */

static void set_trouble(redis_log *l, const char *fmt, const char *what)
{
    char msg[sizeof l->trouble];
    snprintf(msg, sizeof msg, fmt, what);
    if (strcmp(msg, l->trouble) != 0)
        logfile_write("bus: %s", msg);
    snprintf(l->trouble, sizeof l->trouble, "%s", msg);
}

static void drop_connection(redis_log *l, const char *why)
{
    set_trouble(l, "bus unreachable: %s", why && *why ? why : "connection lost");
    busconn_free(l->rc);
    l->rc = NULL;
    l->locked = false;
    int64_t now = clock_mono_ms();
    l->retry_at_ms = now + l->backoff_ms;
    l->backoff_ms = l->backoff_ms < 4000 ? l->backoff_ms * 2 : 8000;
}

redisReply *bus_command(redis_log *l, int argc, const char **argv, const size_t *lens)
{
    if (!l->rc)
        return NULL;
    redisReply *r = busconn_command(l->rc, argc, argv, lens);
    if (!r) {
        char why[200];
        snprintf(why, sizeof why, "%s", busconn_error(l->rc));
        drop_connection(l, why);
        return NULL;
    }
    return r;
}

/* Connected and signed in, or not now (backoff after a failure). */
bool bus_connected(redis_log *l)
{
    if (l->rc)
        return true;
    if (clock_mono_ms() < l->retry_at_ms)
        return false;
    char why[200];
    busconn *c = busconn_open(l->cfg.host, l->cfg.port, &l->cfg.tls, 500, 2000, why, sizeof why);
    if (!c) {
        drop_connection(l, why);
        return false;
    }
    l->rc = c;
    if (l->cfg.password[0]) {
        const char *argv[] = {"AUTH", l->cfg.password};
        redisReply *r = bus_command(l, 2, argv, NULL);
        bool ok = r && r->type == REDIS_REPLY_STATUS;
        snprintf(why, sizeof why, "the password was refused (%s)",
                 r && r->type == REDIS_REPLY_ERROR ? r->str : "no answer");
        if (r)
            freeReplyObject(r);
        if (!ok) {
            drop_connection(l, why);
            return false;
        }
    }
    if (l->trouble[0])
        logfile_write("bus: connected to %s:%d again", l->cfg.host, l->cfg.port);
    l->trouble[0] = 0;
    l->backoff_ms = 250;
    l->stats.reconnects++;
    return true;
}

redisReply *bus_eval(redis_log *l, const char *script, int nkeys, const char **keys, int nargs,
                        const char **args, const size_t *arglens)
{
    size_t argc = 3 + (size_t)nkeys + (size_t)nargs;
    const char **argv = mem_alloc(argc * sizeof *argv);
    size_t *lens = mem_alloc(argc * sizeof *lens);
    char nk[16];
    snprintf(nk, sizeof nk, "%d", nkeys);
    argv[0] = "EVAL";
    argv[1] = script;
    argv[2] = nk;
    for (size_t i = 0; i < 3; i++)
        lens[i] = strlen(argv[i]);
    for (int i = 0; i < nkeys; i++) {
        argv[3 + i] = keys[i];
        lens[3 + i] = strlen(keys[i]);
    }
    for (int i = 0; i < nargs; i++) {
        argv[3 + nkeys + i] = args[i];
        lens[3 + nkeys + i] = arglens ? arglens[i] : strlen(args[i]);
    }
    redisReply *r = bus_command(l, (int)argc, argv, lens);
    free(argv);
    free(lens);
    return r;
}

/* ---- the turn ---- */

static void release_lock(redis_log *l)
{
    if (!l->locked)
        return;
    l->locked = false;
    const char *keys[] = {l->lock_key};
    const char *args[] = {l->token};
    redisReply *r = bus_eval(l, BUS_RELEASE_LUA, 1, keys, 1, args, NULL);
    if (r)
        freeReplyObject(r);
}

/* The transaction ended without our commit (a rollback): forget this turn's own entries,
 * store the others' again later, and let the lock go. */
static void settle(redis_log *l)
{
    if (!sqlite3_get_autocommit(l->db))
        return;
    if (l->own.n == 0 && l->staged.n == 0 && l->done.n == 0 && !l->locked)
        return;
    bus_list_clear(&l->own);
    bus_list_clear(&l->done);
    list_prepend(&l->pending, &l->staged);
    l->applied = l->committed;
    release_lock(l);
}

static void settle_uncertain(redis_log *l);

static void pause_us(long us)
{
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* Take the append lock (waiting a little while another hub holds it), then bring this copy
 * up to the counter so our entries follow every entry before them here as in the stream. */
static int acquire(redis_log *l)
{
    char ttl[16];
    snprintf(ttl, sizeof ttl, "%d", l->cfg.lock_ttl_ms);
    const char *keys[] = {l->lock_key, l->counter_key};
    const char *args[] = {l->token, ttl};
    long wait_us = 50;   /* a turn holds the lock for about a millisecond: wait less than that */
    int64_t give_up = clock_mono_ms() + 2000;
    for (;;) {
        if (!bus_connected(l)) {
            snprintf(l->error, sizeof l->error, "%s", l->trouble);
            return -1;
        }
        redisReply *r = bus_eval(l, ACQUIRE_LUA, 2, keys, 2, args, NULL);
        if (!r) {
            snprintf(l->error, sizeof l->error, "%s", l->trouble);
            return -1;
        }
        bool got = r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
                   r->element[0]->type == REDIS_REPLY_INTEGER && r->element[0]->integer == 1;
        long long counter = got ? r->element[1]->integer : 0;
        if (r->type == REDIS_REPLY_ERROR)
            snprintf(l->error, sizeof l->error, "bus: %s", r->str);
        bool failed = r->type != REDIS_REPLY_ARRAY;
        freeReplyObject(r);
        if (failed)
            return -1;
        if (got) {
            l->locked = true;
            settle_uncertain(l);
            if (counter > bus_highest_known(l) && bus_fetch_range(l, bus_highest_known(l), counter) != 0)
                return -1;
            if (bus_store_pending(l) != 0)
                return -1;
            if (counter < l->applied) {
                snprintf(l->error, sizeof l->error, "bus: the stream's counter (%lld) is behind "
                         "this hub's log (%lld): another history", counter, (long long)l->applied);
                return -1;
            }
            l->next = counter + 1;
            return 0;
        }
        l->stats.lock_waits++;
        if (clock_mono_ms() > give_up) {
            snprintf(l->error, sizeof l->error, "bus: the append lock stayed busy for 2 s");
            return -1;
        }
        pause_us(wait_us);
        if (wait_us < 1000)
            wait_us *= 2;
    }
}

static int64_t redis_next_seq(eventlog *log)
{
    redis_log *l = from(log);
    settle(l);
    if (!l->locked && acquire(l) != 0) {
        release_lock(l);
        return -1;
    }
    return l->next++;
}

static void redis_unget_seq(eventlog *log, int64_t seq)
{
    redis_log *l = from(log);
    if (l->locked && seq > l->applied && seq == l->next - 1)
        l->next = seq;
}

static int redis_put(eventlog *log, const eventlog_entry *e)
{
    redis_log *l = from(log);
    if (!l->locked || !e || !e->frame || e->seq <= l->applied)
        return -1;
    if (l->local->ops->put(l->local, e) != 0) {
        snprintf(l->error, sizeof l->error, "%s", l->local->ops->error(l->local));
        return -1;
    }
    l->applied = e->seq;
    bus_list_push(&l->own, bus_entry_copy(e->seq, e->ts, e->iid ? e->iid : "", e->agent ? e->agent : "",
                                  e->audience ? e->audience : "", e->frame, e->len));
    return 0;
}

static int append_own(redis_log *l)
{
    size_t head = 7 + l->done.n * 2, nargs = head + l->own.n * 5;
    const char **args = mem_alloc(nargs * sizeof *args);
    size_t *lens = mem_alloc(nargs * sizeof *lens);
    char (*nums)[24] = mem_alloc((4 + l->own.n) * sizeof *nums);
    snprintf(nums[0], sizeof nums[0], "%lld", (long long)l->own.v[0].seq);
    snprintf(nums[1], sizeof nums[1], "%lld", (long long)l->cfg.max_len);
    snprintf(nums[2], sizeof nums[2], "%lld", (long long)(clock_wall_ms() - l->cfg.max_age_ms));
    snprintf(nums[3], sizeof nums[3], "%zu", l->done.n);
    args[0] = l->token;
    args[1] = nums[0];
    args[2] = nums[1];
    args[3] = l->cfg.hub;
    args[4] = nums[2];
    args[5] = l->done_prefix;
    args[6] = nums[3];
    for (size_t i = 0; i < 7; i++)
        lens[i] = strlen(args[i]);
    for (size_t i = 0; i < l->done.n; i++) {
        args[7 + i * 2] = l->done.v[i].iid;
        lens[7 + i * 2] = strlen(l->done.v[i].iid);
        args[8 + i * 2] = l->done.v[i].frame;
        lens[8 + i * 2] = l->done.v[i].len;
    }
    for (size_t i = 0; i < l->own.n; i++) {
        const bus_entry *e = &l->own.v[i];
        snprintf(nums[4 + i], sizeof nums[4 + i], "%lld", (long long)e->ts);
        const char *v[] = {nums[4 + i], e->iid, e->agent, e->audience, e->frame};
        for (size_t k = 0; k < 5; k++) {
            args[head + i * 5 + k] = v[k];
            lens[head + i * 5 + k] = k == 4 ? e->len : strlen(v[k]);
        }
    }
    const char *keys[] = {l->lock_key, l->counter_key, l->stream_key};
    redisReply *r = bus_eval(l, COMMIT_LUA, 3, keys, (int)nargs, args, lens);
    free(args);
    free(lens);
    free(nums);
    if (!r) {   /* the connection failed: the script may have run with its answer lost */
        snprintf(l->error, sizeof l->error, "%s", l->trouble);
        return -2;
    }
    int rc = r->type == REDIS_REPLY_INTEGER ? 0 : -1;
    if (rc != 0)
        snprintf(l->error, sizeof l->error, "bus: %s", r->type == REDIS_REPLY_ERROR ? r->str : "unexpected answer");
    freeReplyObject(r);
    return rc;
}

/* Is seq `first` in the stream, appended by this hub? 1, 0, or -1 when Redis cannot say. Only
 * this hub, under its lock, could have appended it: if it is there and ours, so is the rest
 * of that batch (one script). */
static int landed(redis_log *l, int64_t first)
{
    char id[32];
    snprintf(id, sizeof id, "%lld-0", (long long)first);
    const char *argv[] = {"XRANGE", l->stream_key, id, id};
    redisReply *r = bus_connected(l) ? bus_command(l, 4, argv, NULL) : NULL;
    if (!r)
        return -1;
    int rc = r->type != REDIS_REPLY_ARRAY ? -1 : 0;
    if (rc == 0 && r->elements == 1 && r->element[0]->type == REDIS_REPLY_ARRAY &&
        r->element[0]->elements == 2 && r->element[0]->element[1]->type == REDIS_REPLY_ARRAY) {
        const char *h = bus_field(r->element[0]->element[1], "h", NULL);
        rc = h && strcmp(h, l->cfg.hub) == 0;
    }
    freeReplyObject(r);
    return rc;
}

/* The commit's answer was lost with its connection: ask the stream, at once (a blip), then
 * twice more 100 ms apart. Unknown after that: the turn fails, and once Redis answers again
 * the batch is looked for (settle_uncertain); if it was applied, its request ids are kept so a
 * retry of one is acknowledged, not applied twice. */
static bool commit_landed(redis_log *l)
{
    int64_t first = l->own.v[0].seq;
    for (int attempt = 0; attempt < 3; attempt++) {
        l->retry_at_ms = 0;
        int rc = landed(l, first);
        if (rc >= 0) {
            if (rc == 1)
                logfile_write("bus: the commit of seqs %lld-%lld was applied though its answer was lost",
                              (long long)first, (long long)l->own.v[l->own.n - 1].seq);
            return rc == 1;
        }
        pause_us(100000);
    }
    l->uncertain_first = first;
    for (size_t i = 0; i < l->done.n; i++)
        bus_list_push(&l->uncertain, bus_entry_copy(0, 0, l->done.v[i].iid, "", "", l->done.v[i].frame,
                                                    l->done.v[i].len));
    logfile_write("bus: whether the commit of seq %lld was applied is not known yet: asked again "
                  "when Redis answers", (long long)first);
    return false;
}

/* An earlier commit whose outcome was not known: if Redis applied it, its request ids are
 * remembered as done (the entries themselves reach this hub through the reader). */
static void settle_uncertain(redis_log *l)
{
    if (!l->uncertain_first)
        return;
    int rc = landed(l, l->uncertain_first);
    if (rc < 0)
        return;
    for (size_t i = 0; rc == 1 && i < l->uncertain.n; i++) {
        char key[REQUEST_KEY_MAX];
        snprintf(key, sizeof key, "%s\n%s", l->uncertain.v[i].iid, l->uncertain.v[i].frame);
        if (!l->landed_done)
            l->landed_done = strset_new();
        strset_add(l->landed_done, key);
    }
    logfile_write("bus: the commit of seq %lld whose answer was lost was %s", (long long)l->uncertain_first,
                  rc == 1 ? "applied: its retries are acknowledged, not applied again" : "not applied");
    bus_list_clear(&l->uncertain);
    l->uncertain_first = 0;
}

/* A turn that applied requests but appended nothing: their ids alone. */
static int note_done(redis_log *l)
{
    size_t nargs = 1 + l->done.n * 2;
    const char **args = mem_alloc(nargs * sizeof *args);
    size_t *lens = mem_alloc(nargs * sizeof *lens);
    args[0] = l->done_prefix;
    lens[0] = strlen(l->done_prefix);
    for (size_t i = 0; i < l->done.n; i++) {
        args[1 + i * 2] = l->done.v[i].iid;
        lens[1 + i * 2] = strlen(l->done.v[i].iid);
        args[2 + i * 2] = l->done.v[i].frame;
        lens[2 + i * 2] = l->done.v[i].len;
    }
    redisReply *r = bus_connected(l) ? bus_eval(l, DONE_LUA, 0, NULL, (int)nargs, args, lens) : NULL;
    free(args);
    free(lens);
    int rc = r && r->type == REDIS_REPLY_INTEGER ? 0 : -1;
    if (rc != 0)
        snprintf(l->error, sizeof l->error, "bus: %.180s", r && r->type == REDIS_REPLY_ERROR ? r->str : l->trouble);
    if (r)
        freeReplyObject(r);
    return rc;
}

static int redis_commit(eventlog *log)
{
    redis_log *l = from(log);
    settle(l);
    if (l->own.n > 0) {
        int rc = append_own(l);
        if (rc == -2 && commit_landed(l))
            rc = 0;
        if (rc != 0) {
            release_lock(l);
            return -1;   /* the pipeline rolls back; settle() then puts things back */
        }
        l->locked = false;   /* the script freed it */
        l->stats.appended += l->own.n;
    } else {
        release_lock(l);
        if (l->done.n > 0 && note_done(l) != 0)
            return -1;
    }
    bus_list_clear(&l->done);
    /* the stream has our entries now: should this commit fail, they reach this copy later
     * through the reader like anyone else's */
    if (l->local->ops->commit(l->local) != 0) {
        snprintf(l->error, sizeof l->error, "%s", l->local->ops->error(l->local));
        return -1;
    }
    bus_list_clear(&l->own);
    l->committed = l->applied;
    l->stats.remote_entries += l->staged.n;
    for (size_t i = 0; i < l->staged.n; i++)
        bus_list_push(&l->durable, l->staged.v[i]);
    l->staged.n = 0;
    return 0;
}

static int redis_pull(eventlog *log)
{
    redis_log *l = from(log);
    settle(l);
    if (!l->rc && !bus_connected(l)) {   /* a pull after the reader came back also probes */
        snprintf(l->error, sizeof l->error, "%s", l->trouble);
        return -1;
    }
    return bus_store_pending(l);
}

static int redis_take_remote(eventlog *log, eventlog_scan_fn fn, void *ctx)
{
    redis_log *l = from(log);
    for (size_t i = 0; i < l->durable.n; i++) {
        const bus_entry *e = &l->durable.v[i];
        eventlog_entry le = {.seq = e->seq, .ts = e->ts, .iid = e->iid, .agent = e->agent,
                             .audience = e->audience, .frame = e->frame, .len = e->len};
        fn(ctx, &le);
    }
    bus_list_clear(&l->durable);
    return 0;
}

static const char *redis_trouble(eventlog *log)
{
    redis_log *l = from(log);
    if (l->trouble[0])
        return l->trouble;
    return l->reader_up ? "" : l->reader_why;
}

/* ---- reads: this hub's copy ---- */

static int redis_scan(eventlog *log, int64_t after, eventlog_scan_fn fn, void *ctx)
{
    settle(from(log));
    return from(log)->local->ops->scan(from(log)->local, after, fn, ctx);
}

static int redis_scan_interaction(eventlog *log, const char *iid, int64_t after, eventlog_scan_fn fn, void *ctx)
{
    settle(from(log));
    return from(log)->local->ops->scan_interaction(from(log)->local, iid, after, fn, ctx);
}

static int redis_scan_back(eventlog *log, const char *iid, int64_t before, eventlog_scan_fn fn, void *ctx)
{
    settle(from(log));
    return from(log)->local->ops->scan_interaction_back(from(log)->local, iid, before, fn, ctx);
}

static int redis_scan_seqs(eventlog *log, const int64_t *seqs, size_t n, eventlog_scan_fn fn, void *ctx)
{
    settle(from(log));
    return from(log)->local->ops->scan_seqs(from(log)->local, seqs, n, fn, ctx);
}

static int64_t redis_last_seq(eventlog *log)
{
    redis_log *l = from(log);
    settle(l);
    return l->local->ops->last_seq(l->local);
}

static int64_t redis_count(eventlog *log)
{
    settle(from(log));
    return from(log)->local->ops->count(from(log)->local);
}

static const char *redis_error(eventlog *log)
{
    return from(log)->error;
}

static void redis_close(eventlog *log)
{
    redis_log *l = from(log);
    if (!l)
        return;
    settle(l);
    release_lock(l);
    if (l->local)
        l->local->ops->close(l->local);
    busconn_free(l->rc);
    if (l->reader)
        redisReaderFree(l->reader);
    list_free(&l->own);
    list_free(&l->done);
    list_free(&l->uncertain);
    strset_free(l->landed_done);
    list_free(&l->pending);
    list_free(&l->staged);
    list_free(&l->durable);
    for (size_t i = 0; i < l->nmsgs; i++)
        free(l->msgs[i].origin);
    free(l->msgs);
    free(l);
}

const eventlog_ops bus_redis_ops = {
    .next_seq = redis_next_seq,
    .unget_seq = redis_unget_seq,
    .put = redis_put,
    .commit = redis_commit,
    .scan = redis_scan,
    .scan_interaction = redis_scan_interaction,
    .scan_interaction_back = redis_scan_back,
    .scan_seqs = redis_scan_seqs,
    .last_seq = redis_last_seq,
    .count = redis_count,
    .close = redis_close,
    .error = redis_error,
    .pull = redis_pull,
    .take_remote = redis_take_remote,
    .trouble = redis_trouble,
    .claim = bus_lease_claim,
    .renew = bus_lease_renew,
    .release = bus_lease_release,
    .remember = bus_lease_remember,
    .recall = bus_lease_recall,
    .seen = bus_lease_seen,
    .missing_upto = bus_missing_upto,
};
