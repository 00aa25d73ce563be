/* bus_reader.c — the waiting connection of a shared bus: one XREAD BLOCK at a time on a raw
 * connection of the hub's own loop (no thread), each answer queued by the event log, then a
 * turn asked for to store it; the next wait goes out at once. A dropped connection comes back
 * by itself (rawclient.c) and whatever it missed is read from the stream before anything
 * after it is stored (eventlog_redis.c fills the gap). */
#include "hub/endpoints/bus_reader.h"
#include "hub/endpoints/hub.h"
#include "hub/net/rawclient.h"
#include "base/logfile.h"
#include "base/mem.h"

#include <stdlib.h>

typedef struct {
    hub *h;
} bus_reader;

static void send_next(bus_reader *r, net_rawclient *c, bool hello)
{
    char *cmd = NULL;
    size_t len = 0;
    int rc = hello ? eventlog_redis_reader_hello(r->h->log, &cmd, &len)
                   : eventlog_redis_reader_next(r->h->log, &cmd, &len);
    if (rc == 0)
        net_rawclient_send(c, cmd, len);
}

static void connected(void *ctx, net_rawclient *c)
{
    bus_reader *r = ctx;
    eventlog_redis_reader_state(r->h->log, true, NULL);
    send_next(r, c, true);
}

static int data(void *ctx, net_rawclient *c, const char *bytes, size_t len)
{
    bus_reader *r = ctx;
    int answers = eventlog_redis_reader_feed(r->h->log, bytes, len);
    if (answers < 0)
        return -1;   /* closed; connects again and reads on from what is stored */
    if (answers > 0)
        send_next(r, c, false);
    if (eventlog_redis_pending(r->h->log))
        pipeline_bus_pull(r->h->pl);   /* stored in this turn, delivered after its commit */
    return 0;
}

static void down(void *ctx, const char *why)
{
    bus_reader *r = ctx;
    eventlog_redis_reader_state(r->h->log, false, why);
}

int bus_reader_start(hub *h, const bus_config *cfg)
{
    static const net_rawclient_handlers handlers = {.connected = connected, .data = data, .down = down};
    bus_reader *r = mem_zalloc(1, sizeof *r);   /* lives as long as the hub's transport */
    r->h = h;
    h->bus_reader = r;
    return net_rawclient_new(h->net, cfg->host, cfg->port, &handlers, r) ? 0 : -1;
}
