/* metrics.c — counters and a fixed-bucket latency histogram. */
#include "hub/core/metrics.h"
#include "base/mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const roles[] = {"agent", "supervisor", "trainer", "ingest", "pending"};
enum { NROLES = sizeof roles / sizeof roles[0] };

static const char *const reasons[] = {"bad_json", "too_big", "bad_field", "unknown_type",
                                      "unauthorized", "forbidden", "not_found", "flood",
                                      "slow_consumer", "internal", "too_many_connections",
                                      "unavailable",
                                      "other"};
enum { NREASONS = sizeof reasons / sizeof reasons[0] };

/* upper bounds in µs; the last bucket is +Inf */
static const int64_t bounds_us[] = {250, 500, 1000, 2500, 5000, 10000, 25000, 50000,
                                    100000, 250000, 500000, 1000000, 2500000};
enum { NBUCKETS = sizeof bounds_us / sizeof bounds_us[0] + 1 };

static struct {
    int64_t conns[NROLES];
    uint64_t in, out, committed, batches, commit_failures;
    int storage_degraded;
    uint64_t rejected[NREASONS];
    uint64_t buckets[NBUCKETS];
    uint64_t lat_count;
    double lat_sum_s;
    uint64_t recording_write_errors;
    uint64_t invalid;
    int64_t flag_keys;
    int64_t live_frames, live_frame_bytes;
    int64_t start_log_rows;
    uint64_t fh_requests, fh_failed, fh_records, fh_events, fh_skipped, cl_unknown_segments,
        connect_assigned, connect_unmapped;
} m;

void metrics_reset(void)
{
    memset(&m, 0, sizeof m);
}

void metrics_conn(const char *role, int delta)
{
    for (int i = 0; i < NROLES; i++)
        if (strcmp(roles[i], role) == 0) {
            m.conns[i] += delta;
            return;
        }
}

void metrics_event_in(void) { m.in++; }
void metrics_events_out(uint64_t n) { m.out += n; }

void metrics_committed(uint64_t events)
{
    m.committed += events;
    m.batches++;
}

void metrics_commit_failed(void) { m.commit_failures++; }
void metrics_storage_degraded(int on) { m.storage_degraded = on != 0; }

void metrics_reject(const char *code)
{
    for (int i = 0; i < NREASONS - 1; i++)
        if (code && strcmp(reasons[i], code) == 0) {
            m.rejected[i]++;
            return;
        }
    m.rejected[NREASONS - 1]++;
}

void metrics_recording_write_error(void) { m.recording_write_errors++; }

void metrics_firehose(bool ok, uint64_t records, uint64_t events, uint64_t skipped)
{
    m.fh_requests++;
    m.fh_failed += !ok;
    m.fh_records += records;
    m.fh_events += events;
    m.fh_skipped += skipped;
}

void metrics_contactlens_unknown_segment(void) { m.cl_unknown_segments++; }
void metrics_connect_agent(bool mapped) { mapped ? m.connect_assigned++ : m.connect_unmapped++; }

void metrics_latency_us(int64_t us)
{
    if (us < 0)
        us = 0;
    int b = 0;
    while (b < NBUCKETS - 1 && us > bounds_us[b])
        b++;
    m.buckets[b]++;
    m.lat_count++;
    m.lat_sum_s += (double)us / 1e6;
}

void metrics_event_invalid(void) { m.invalid++; }
void metrics_flag_keys(int64_t delta) { m.flag_keys += delta; }
void metrics_start_log_rows(int64_t rows) { m.start_log_rows += rows; }
void metrics_live_frames(int64_t frames, int64_t bytes)
{
    m.live_frames += frames;
    m.live_frame_bytes += bytes;
}

int64_t metrics_latency_quantile_us(double q)
{
    if (m.lat_count == 0)
        return 0;
    uint64_t want = (uint64_t)(q * (double)m.lat_count + 0.5);
    if (want == 0)
        want = 1;
    uint64_t acc = 0;
    for (int b = 0; b < NBUCKETS; b++) {
        acc += m.buckets[b];
        if (acc >= want)
            return b < NBUCKETS - 1 ? bounds_us[b] : bounds_us[NBUCKETS - 2] * 2;
    }
    return 0;
}

typedef struct {
    char *buf;
    size_t len, cap;
} sbuf;

static void put(sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(sbuf *s, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(s->buf + s->len, s->cap - s->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < s->cap - s->len) {
            s->len += (size_t)n;
            return;
        }
        s->cap = s->cap * 2 + (n > 0 ? (size_t)n : 64);
        s->buf = mem_realloc(s->buf, s->cap);
    }
}

/* The HELP and TYPE lines that precede every metric family. */
static void put_head(sbuf *s, const char *name, const char *type, const char *help)
{
    put(s, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void put_counter(sbuf *s, const char *name, const char *help, uint64_t v)
{
    put_head(s, name, "counter", help);
    put(s, "%s %llu\n", name, (unsigned long long)v);
}

char *metrics_render(int64_t eventlog_len, size_t *len)
{
    sbuf s = {mem_alloc(4096), 0, 4096};
    put_head(&s, "agentdesk_connections", "gauge", "Open websocket connections by role.");
    for (int i = 0; i < NROLES; i++)
        put(&s, "agentdesk_connections{role=\"%s\"} %lld\n", roles[i], (long long)m.conns[i]);
    put_counter(&s, "agentdesk_events_in_total", "Frames accepted from consoles and connectors.", m.in);
    put_counter(&s, "agentdesk_events_out_total", "Frames written to consoles and connectors.", m.out);
    put_counter(&s, "agentdesk_events_committed_total",
                "Durable events committed to the event log.", m.committed);
    put_counter(&s, "agentdesk_commits_total", "Group commits (one per loop turn with events).",
                m.batches);
    put_counter(&s, "agentdesk_commit_failures_total",
                "Group commits that failed (full disk, I/O error, busy); each turn was rolled back.",
                m.commit_failures);
    put_head(&s, "agentdesk_storage_degraded", "gauge", "1 while the last group commit failed.");
    put(&s, "agentdesk_storage_degraded %d\n", m.storage_degraded);
    put_head(&s, "agentdesk_eventlog_length", "gauge", "Entries in the event log.");
    put(&s, "agentdesk_eventlog_length %lld\n", (long long)eventlog_len);
    put_counter(&s, "agentdesk_events_invalid_total",
                "Events the hub built that failed to encode, so were never logged (each is an error).",
                m.invalid);
    put_head(&s, "agentdesk_flag_keys", "gauge",
             "Flag keys held to deduplicate repeated flags of live interactions.");
    put(&s, "agentdesk_flag_keys %lld\n", (long long)m.flag_keys);
    put_head(&s, "agentdesk_live_frames", "gauge",
             "Frames held in memory by live and un-wrapped interactions (the rest is in the event log).");
    put(&s, "agentdesk_live_frames %lld\n", (long long)m.live_frames);
    put_head(&s, "agentdesk_live_frame_bytes", "gauge", "Bytes of the frames agentdesk_live_frames counts.");
    put(&s, "agentdesk_live_frame_bytes %lld\n", (long long)m.live_frame_bytes);
    put_head(&s, "agentdesk_start_log_rows", "gauge",
             "Event log rows the start read to restore the live and un-wrapped interactions.");
    put(&s, "agentdesk_start_log_rows %lld\n", (long long)m.start_log_rows);
    put_head(&s, "agentdesk_frames_rejected_total", "counter", "Frames refused, by reason.");
    for (int i = 0; i < NREASONS; i++)
        put(&s, "agentdesk_frames_rejected_total{reason=\"%s\"} %llu\n", reasons[i],
            (unsigned long long)m.rejected[i]);
    put_counter(&s, "agentdesk_recording_write_errors_total",
                "Recording writes that failed (full disk, I/O error); the recording is cut there.",
                m.recording_write_errors);
    put_counter(&s, "agentdesk_firehose_requests_total", "Firehose delivery requests answered.",
                m.fh_requests);
    put_counter(&s, "agentdesk_firehose_failures_total",
                "Firehose delivery requests answered with an error (Firehose retries them).", m.fh_failed);
    put_counter(&s, "agentdesk_firehose_records_total", "Records of Firehose requests that were stored.",
                m.fh_records);
    put_counter(&s, "agentdesk_firehose_events_total", "Contact Lens events applied from Firehose records.",
                m.fh_events);
    put_counter(&s, "agentdesk_firehose_events_skipped_total",
                "Firehose events skipped as malformed or unknown (each logged).", m.fh_skipped);
    put_counter(&s, "agentdesk_contactlens_unknown_segments_total",
                "Contact Lens segments of a kind the hub does not map (skipped, logged).",
                m.cl_unknown_segments);
    put_counter(&s, "agentdesk_connect_agents_total",
                "Amazon Connect agent-and-contact pairs read from its agent or contact events and mapped to a user.",
                m.connect_assigned);
    put_counter(&s, "agentdesk_connect_unmapped_agents_total",
                "Amazon Connect agents named by its events that no imported agent row maps (skipped, logged).",
                m.connect_unmapped);
    put_head(&s, "agentdesk_ingest_to_send_seconds", "histogram",
             "From an ingest frame's arrival to a resulting frame written to a console.");
    uint64_t acc = 0;
    for (int b = 0; b < NBUCKETS; b++) {
        acc += m.buckets[b];
        if (b < NBUCKETS - 1)
            put(&s, "agentdesk_ingest_to_send_seconds_bucket{le=\"%g\"} %llu\n",
                (double)bounds_us[b] / 1e6, (unsigned long long)acc);
        else
            put(&s, "agentdesk_ingest_to_send_seconds_bucket{le=\"+Inf\"} %llu\n",
                (unsigned long long)acc);
    }
    put(&s, "agentdesk_ingest_to_send_seconds_sum %.6f\nagentdesk_ingest_to_send_seconds_count %llu\n",
        m.lat_sum_s, (unsigned long long)m.lat_count);
    if (len)
        *len = s.len;
    return s.buf;
}
