/* fuzz_bus_reader.c — libFuzzer target: what the reading connection of a shared bus (--bus)
 * does with the bytes Redis sends it. They are parsed as RESP answers (hiredis's reader), the
 * stream entries taken (ids, fields, frames; malformed ones skipped), and the actions and
 * answers queued and drained; then what was taken is stored in a transaction of an in-memory
 * database and the transaction rolled back, as a failed turn would, and stored again. The
 * log is offline (eventlog_redis_offline): nothing is sent anywhere. */
#include "hub/core/eventlog_redis.h"
#include "hub/store/store.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static store *db;
static bus_config cfg;

static void setup(void)
{
    char err[512];
    if (!(db = store_open(":memory:", err, sizeof err)) ||
        bus_config_parse("redis://127.0.0.1:1/fuzz", &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_bus_reader: %s\n", err);
        abort();
    }
    snprintf(cfg.hub, sizeof cfg.hub, "fuzz");
}

static void on_action(void *ctx, const bus_action *a)
{
    size_t *n = ctx;
    *n += a->len + (a->user[0] != 0) + (a->origin[0] != 0);
}

static void on_answer(void *ctx, const bus_answer *a)
{
    size_t *n = ctx;
    *n += a->len + (a->user[0] != 0);
}

static int on_entry(void *ctx, const eventlog_entry *e)
{
    size_t *n = ctx;
    *n += e->len + (e->iid[0] != 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!db)
        setup();
    char err[256];
    eventlog *log = eventlog_redis_offline(store_db(db), &cfg, err, sizeof err);
    if (!log)
        abort();
    char *cmd = NULL;
    size_t len = 0;
    if (eventlog_redis_reader_hello(log, &cmd, &len) == 0)
        free(cmd);
    /* in two halves: an answer cut across reads must be whole when it is taken */
    size_t half = size / 2, seen = 0;
    eventlog_redis_reader_feed(log, (const char *)data, half);
    eventlog_redis_reader_feed(log, (const char *)data + half, size - half);
    eventlog_redis_drain(log, on_action, on_answer, &seen);
    sqlite3 *s = store_db(db);
    sqlite3_exec(s, "BEGIN", NULL, NULL, NULL);
    log->ops->pull(log);
    sqlite3_exec(s, "ROLLBACK", NULL, NULL, NULL);
    log->ops->last_seq(log);   /* notices the rollback: the entries are pending again */
    sqlite3_exec(s, "BEGIN", NULL, NULL, NULL);
    log->ops->pull(log);
    log->ops->commit(log);
    log->ops->take_remote(log, on_entry, &seen);
    log->ops->close(log);
    sqlite3_exec(s, "DELETE FROM events; DELETE FROM meta WHERE key LIKE 'bus_%' OR key = 'events_seq_high'", NULL,
                 NULL, NULL);
    return 0;
}
