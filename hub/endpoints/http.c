/* http.c — /healthz and /metrics. */
#include "hub/endpoints/http.h"
#include "hub/endpoints/hub.h"
#include "hub/endpoints/firehose.h"
#include "hub/core/metrics.h"

#include <stdio.h>
#include <stdlib.h>

/* `ok`, or `degraded` with the reason while commits fail (then HTTP 503: a load balancer
 * or probe stops sending writes here; reads are still served). */
static char *healthz(void *ctx, size_t *len, bool *unavailable)
{
    hub *h = ctx;
    const char *why = pipeline_degraded(h->pl);
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
    return metrics_render(h->log->ops->count(h->log), len);
}

const net_route http_routes[] = {
    {.path = "/healthz", .type = "application/json", .render = healthz},
    {.path = "/metrics", .type = "text/plain; version=0.0.4", .render = metrics},
    {.path = "/v1/firehose", .type = "application/json", .post = firehose_post, .gone = firehose_gone,
     .max_body = firehose_max_body},
    {.path = NULL},
};
