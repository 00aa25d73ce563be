/* metrics.h — the hub's counters, rendered as Prometheus text for GET /metrics.
 * One set per process (the hub is one loop on one thread). */
#ifndef AGENTDESK_HUB_METRICS_H
#define AGENTDESK_HUB_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void metrics_reset(void);
/* A connection of `role` ("agent", "supervisor", "trainer", "ingest", "pending") came or went. */
void metrics_conn(const char *role, int delta);
void metrics_event_in(void);           /* a frame accepted from a console or connector */
void metrics_events_out(uint64_t n);   /* frames written to sockets */
void metrics_committed(uint64_t events); /* one group commit of `events` events */
void metrics_reject(const char *code); /* a frame refused, by error code */
void metrics_latency_us(int64_t us);   /* ingest arrival -> frame written to a console */
void metrics_recording_write_error(void); /* a recording write (open, write, close) failed */
void metrics_event_invalid(void);      /* an event the hub built failed to encode: not logged */
void metrics_flag_keys(int64_t delta); /* flag dedupe keys held by interactions (hub/live.h) */
/* frames (and their bytes) held in memory by live and un-wrapped interactions (hub/live.h) */
void metrics_live_frames(int64_t frames, int64_t bytes);
/* event log rows a start read to restore its interactions (hub/core/pipeline_restore.c) */
void metrics_start_log_rows(int64_t rows);
void metrics_commit_failed(void);      /* a group commit failed (its turn was rolled back) */
void metrics_storage_degraded(int on); /* 1 while commits fail, 0 once one succeeds */
/* A Firehose request answered (ok: 200): its records stored, events applied and skipped. */
void metrics_firehose(bool ok, uint64_t records, uint64_t events, uint64_t skipped);
void metrics_contactlens_unknown_segment(void); /* a segment kind not mapped, skipped */
/* Amazon Connect named a contact's agent: mapped to a user (true), or not mapped (skipped) */
void metrics_connect_agent(bool mapped);

/* Prometheus text exposition; malloc'd, length in *len. */
char *metrics_render(int64_t eventlog_len, size_t *len);

/* For tests and the benchmark: the latency quantile q (0..1) in µs from the histogram. */
int64_t metrics_latency_quantile_us(double q);

#endif
