/* http.c — /healthz and /metrics. */
#include "hub/endpoints/http.h"
#include "hub/endpoints/hub.h"
#include "hub/endpoints/firehose.h"
#include "hub/core/metrics.h"
#include "hub/core/eventlog_redis.h"

#include <stdio.h>
#include <stdlib.h>

/* `ok`, or `degraded` with the reason while commits fail (then HTTP 503: a load balancer
 * or probe stops sending writes here; reads are still served). */
static char *healthz(void *ctx, size_t *len, bool *unavailable)
{
    hub *h = ctx;
    const char *why = pipeline_degraded(h->pl);
    /* on a shared bus, a bus this hub cannot reach: it serves what it has, takes no writes */
    if (!why && h->log->ops->trouble && *h->log->ops->trouble(h->log))
        why = h->log->ops->trouble(h->log);
    *unavailable = why != NULL;
    char *reason = NULL;
    if (why) {
        json_t *j = json_string(why);
        reason = json_dumps(j, JSON_ENCODE_ANY);
        json_decref(j);
    }
    /* a recording that failed to write degrades the status too, but not the HTTP code: the
     * event log still takes writes, so a load balancer should keep sending them here */
    char *out, recordings[400];
    bool recording_ok = recorder_health(h->rec, recordings, sizeof recordings);
    int n = asprintf(&out, "{\"status\":\"%s\",%s%s%s\"hub_id\":\"%s\",\"seq\":%lld,\"live\":%zu,"
                           "\"connections\":%zu,\"assist\":%s,\"recordings\":%s}\n",
                     why || !recording_ok ? "degraded" : "ok", reason ? "\"reason\":" : "",
                     reason ? reason : "", reason ? "," : "", h->hub_id,
                     (long long)h->log->ops->last_seq(h->log), live_count(pipeline_live(h->pl)),
                     net_server_connections(h->net), h->as ? "true" : "false", recordings);
    free(reason);
    if (n < 0)
        abort();
    *len = (size_t)n;
    return out;
}

static char *metrics(void *ctx, size_t *len, bool *unavailable)
{
    hub *h = ctx;
    *unavailable = false;
    char *out = metrics_render(h->log->ops->count(h->log), len);
    if (!h->bus)
        return out;
    bus_stats b;
    eventlog_redis_stats(h->log, &b);
    char *all = NULL;
    int n = asprintf(&all,
                     "%s# HELP agentdesk_bus_up 1 while both connections to the bus answer.\n"
                     "# TYPE agentdesk_bus_up gauge\nagentdesk_bus_up %d\n"
                     "# HELP agentdesk_bus_appended_total Entries this hub appended to the bus.\n"
                     "# TYPE agentdesk_bus_appended_total counter\nagentdesk_bus_appended_total %llu\n"
                     "# HELP agentdesk_bus_remote_entries_total Entries of other hubs stored here.\n"
                     "# TYPE agentdesk_bus_remote_entries_total counter\nagentdesk_bus_remote_entries_total %llu\n"
                     "# HELP agentdesk_bus_lock_waits_total Times the append lock was held by another hub.\n"
                     "# TYPE agentdesk_bus_lock_waits_total counter\nagentdesk_bus_lock_waits_total %llu\n"
                     "# HELP agentdesk_bus_connects_total Connections made by the appending side.\n"
                     "# TYPE agentdesk_bus_connects_total counter\nagentdesk_bus_connects_total %llu\n",
                     out, b.up ? 1 : 0, (unsigned long long)b.appended, (unsigned long long)b.remote_entries,
                     (unsigned long long)b.lock_waits, (unsigned long long)b.reconnects);
    free(out);
    if (n < 0)
        abort();
    *len = (size_t)n;
    return all;
}

const net_route http_routes[] = {
    {.path = "/healthz", .type = "application/json", .render = healthz},
    {.path = "/metrics", .type = "text/plain; version=0.0.4", .render = metrics},
    {.path = "/v1/firehose", .type = "application/json", .post = firehose_post, .gone = firehose_gone,
     .max_body = firehose_max_body},
    {.path = NULL},
};
