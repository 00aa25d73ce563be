/* eventlog_redis_entries.c — the Redis event log's entries from the stream into this hub's
 * copy (eventlog_redis.h): the fields of an entry, what is new here, the gaps fetched
 * synchronously, what was trimmed before this hub read it, and storing them in order in the
 * open transaction. The log itself is eventlog_redis.c's. */
#include "hub/core/eventlog_redis_private.h"
#include "base/logfile.h"

#include <hiredis/hiredis.h>
#include <sqlite3.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *bus_field(const redisReply *fields, const char *name, size_t *len)
{
    for (size_t k = 0; k + 1 < fields->elements; k += 2) {
        const redisReply *key = fields->element[k], *val = fields->element[k + 1];
        if (key->type == REDIS_REPLY_STRING && strcmp(key->str, name) == 0 &&
            val->type == REDIS_REPLY_STRING) {
            if (len)
                *len = (size_t)val->len;
            return val->str;
        }
    }
    return NULL;
}

/* One [id, [bus_field, value...]] of XRANGE or XREAD: queued when it is new here, and not one of
 * this hub's own that is already stored. A malformed entry is said and skipped: it would
 * otherwise stop the hub's reading for good. */
static void take_stream_entry(redis_log *l, const redisReply *e)
{
    if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 || e->element[0]->type != REDIS_REPLY_STRING ||
        e->element[1]->type != REDIS_REPLY_ARRAY) {
        logfile_write("bus: a stream entry that is not [id, fields]: skipped");
        return;
    }
    char *end = NULL;
    errno = 0;
    long long seq = strtoll(e->element[0]->str, &end, 10);
    const redisReply *fields = e->element[1];
    size_t flen = 0;
    const char *frame = bus_field(fields, "f", &flen), *ts = bus_field(fields, "t", NULL);
    const char *iid = bus_field(fields, "i", NULL), *agent = bus_field(fields, "a", NULL);
    const char *audience = bus_field(fields, "u", NULL);
    if (errno || seq <= 0 || !end || strcmp(end, "-0") != 0 || !frame || !ts || !iid || !agent ||
        !audience || memchr(frame, 0, flen)) {
        logfile_write("bus: stream entry %.40s is not one of ours: skipped", e->element[0]->str);
        return;
    }
    if (seq <= bus_highest_known(l))
        return;
    bus_list_push(&l->pending, bus_entry_copy(seq, strtoll(ts, NULL, 10), iid, agent, audience, frame, flen));
}

void bus_take_stream_entries(redis_log *l, const redisReply *entries)
{
    if (entries->type != REDIS_REPLY_ARRAY)
        return;
    for (size_t i = 0; i < entries->elements; i++)
        take_stream_entry(l, entries->element[i]);
}

/* What this hub's copy misses, kept in its database (meta bus_missing_upto) so a restart
 * knows it too: a resume from before it gets a fresh snapshot (console_hello.c). */
static void note_missing(redis_log *l, int64_t from_seq, int64_t upto)
{
    if (upto <= l->missing_upto)
        return;
    logfile_write("bus: entries %lld to %lld were trimmed from the stream before this hub read them: "
                  "they are missing here", (long long)from_seq, (long long)upto);
    l->missing_upto = upto;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(l->db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('bus_missing_upto', ?1)", -1,
                           &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, upto);
        sqlite3_step(st);
    }
    sqlite3_finalize(st);
}

int64_t bus_missing_upto(eventlog *log)
{
    return from(log)->missing_upto;
}

/* Read from the stream, synchronously, what comes after `after` up to `upto` (inclusive):
 * a gap before what the reader brought, or what the counter says exists. */
int bus_fetch_range(redis_log *l, int64_t after, int64_t upto)
{
    while (after < upto) {
        char from_id[32], to_id[32];
        snprintf(from_id, sizeof from_id, "%lld-0", (long long)after + 1);
        snprintf(to_id, sizeof to_id, "%lld-0", (long long)upto);
        const char *argv[] = {"XRANGE", l->stream_key, from_id, to_id, "COUNT", "2048"};
        redisReply *r = bus_command(l, 6, argv, NULL);
        if (!r)
            return -1;
        if (r->type != REDIS_REPLY_ARRAY) {
            snprintf(l->error, sizeof l->error, "bus: XRANGE answered %s", r->type == REDIS_REPLY_ERROR ? r->str : "no list");
            freeReplyObject(r);
            return -1;
        }
        size_t got = r->elements;
        /* what precedes the first entry the stream still has was trimmed before we read it */
        const redisReply *e0 = got ? r->element[0] : NULL;
        int64_t first = e0 && e0->type == REDIS_REPLY_ARRAY && e0->elements == 2 &&
                                e0->element[0]->type == REDIS_REPLY_STRING
                            ? strtoll(e0->element[0]->str, NULL, 10)
                            : upto + 1;
        if (first > after + 1 && after + 1 > bus_highest_known(l))
            note_missing(l, after + 1, first - 1);
        size_t before = l->pending.n;
        bus_take_stream_entries(l, r);
        freeReplyObject(r);
        if (got == 0)
            break;
        int64_t last = l->pending.n > before ? l->pending.v[l->pending.n - 1].seq : upto;
        after = last;
    }
    return 0;
}

/* Store pending entries in the open transaction, in order, filling any gap before them. */
int bus_store_pending(redis_log *l)
{
    if (l->pending.n && l->pending.v[0].seq > l->applied + 1) {
        entry_list later = l->pending;
        memset(&l->pending, 0, sizeof l->pending);
        int rc = bus_fetch_range(l, l->applied, later.v[0].seq - 1);
        /* keep later after what the gap brought, whatever the fetch did */
        for (size_t i = 0; i < later.n; i++)
            if (later.v[i].seq > bus_highest_known(l))
                bus_list_push(&l->pending, later.v[i]);
            else
                free(later.v[i].iid);
        free(later.v);
        if (rc != 0)
            return -1;
    }
    size_t i = 0;
    for (; i < l->pending.n; i++) {
        bus_entry *e = &l->pending.v[i];
        eventlog_entry le = {.seq = e->seq, .ts = e->ts, .iid = e->iid, .agent = e->agent,
                             .audience = e->audience, .frame = e->frame, .len = e->len};
        if (l->local->ops->put(l->local, &le) != 0) {
            snprintf(l->error, sizeof l->error, "%s", l->local->ops->error(l->local));
            break;
        }
        l->applied = e->seq;
        bus_list_push(&l->staged, *e);
    }
    /* the stored ones moved to staged (their memory with them); none pending: no list yet */
    if (i < l->pending.n)
        memmove(l->pending.v, l->pending.v + i, (l->pending.n - i) * sizeof *l->pending.v);
    l->pending.n -= i;
    return l->pending.n ? -1 : 0;
}
