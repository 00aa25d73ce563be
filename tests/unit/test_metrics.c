/* test_metrics.c — counters and the Prometheus text of GET /metrics. */
#include "tests/unit/check.h"
#include "hub/core/metrics.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)); p += n)
        if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == 0))
            return true;
    return false;
}

static void test_render(void)
{
    metrics_reset();
    metrics_conn("agent", 1);
    metrics_conn("agent", 1);
    metrics_conn("pending", 1);
    metrics_conn("pending", -1);
    metrics_event_in();
    metrics_events_out(5);
    metrics_committed(7);
    metrics_reject("flood");
    metrics_reject("no-such-code");
    metrics_latency_us(100);
    metrics_latency_us(3000);
    size_t len;
    char *t = metrics_render(42, &len);
    CHECK(len == strlen(t));
    CHECK(has_line(t, "agentdesk_connections{role=\"agent\"} 2"));
    CHECK(has_line(t, "agentdesk_connections{role=\"pending\"} 0"));
    CHECK(has_line(t, "agentdesk_events_in_total 1"));
    CHECK(has_line(t, "agentdesk_events_out_total 5"));
    CHECK(has_line(t, "agentdesk_events_committed_total 7"));
    CHECK(has_line(t, "agentdesk_eventlog_length 42"));
    CHECK(has_line(t, "agentdesk_frames_rejected_total{reason=\"flood\"} 1"));
    CHECK(has_line(t, "agentdesk_frames_rejected_total{reason=\"other\"} 1"));
    CHECK(has_line(t, "agentdesk_ingest_to_send_seconds_bucket{le=\"0.00025\"} 1"));
    CHECK(has_line(t, "agentdesk_ingest_to_send_seconds_bucket{le=\"0.005\"} 2"));
    CHECK(has_line(t, "agentdesk_ingest_to_send_seconds_bucket{le=\"+Inf\"} 2"));
    CHECK(has_line(t, "agentdesk_ingest_to_send_seconds_count 2"));
    CHECK(has_line(t, "# TYPE agentdesk_ingest_to_send_seconds histogram"));
    free(t);
}

static void test_quantiles(void)
{
    metrics_reset();
    CHECK_INT(metrics_latency_quantile_us(0.5), 0);
    for (int i = 0; i < 99; i++)
        metrics_latency_us(200);
    metrics_latency_us(40000);
    CHECK_INT(metrics_latency_quantile_us(0.5), 250);
    CHECK_INT(metrics_latency_quantile_us(0.99), 250);
    CHECK_INT(metrics_latency_quantile_us(1.0), 50000);
}

int main(void)
{
    RUN(test_render);
    RUN(test_quantiles);
    return check_done("test_metrics");
}
