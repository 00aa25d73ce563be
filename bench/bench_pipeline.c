/* bench_pipeline.c — what staging one durable event costs the hub (pipeline_emit: mask,
 * check, seq, encode, log, stage), in process on a fresh SQLite file without enrichment, so
 * the figure is the event path's own: 200,000 utterances of ~100 and ~1,000 bytes over 100
 * live interactions, one group commit per 100 events. Prints CPU µs per event for the
 * emits alone and with their commits, events/s of CPU, and proto_encode calls per event.
 * CPU time rather than wall time: steadier on a shared machine.
 * Run: make bench, or from the repo root build/bench/bench_pipeline. */
#include "tests/lib/pipefix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { CALLS = 100, EVENTS = 200000, BATCH = 100 };

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int start(pipefix *f, int i)
{
    char frame[256];
    snprintf(frame, sizeof frame, "{\"type\":\"start\",\"iid\":\"b-%d\",\"channel\":\"voice\",\"queue\":\"billing\","
                                  "\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}", i);
    proto_event ev;
    proto_error err;
    if (!proto_decode(frame, strlen(frame), PROTO_INGEST, &ev, &err))
        return -1;
    int rc = pipeline_ingest(f->p, &ev, &err);
    proto_free(&ev);
    return rc;
}

int main(void)
{
    pipefix f;
    if (!pipefix_open(&f, false)) {
        fprintf(stderr, "bench_pipeline: cannot open the pipeline\n");
        return 1;
    }
    for (int i = 0; i < CALLS; i++)
        if (start(&f, i) != 0) {
            fprintf(stderr, "bench_pipeline: start failed\n");
            return 1;
        }
    pipefix_flush(&f);
    json_array_clear(f.delivered);
    json_array_clear(f.arrivals);
    char *longtext = malloc(1001);
    for (int i = 0; i < 1000; i++)
        longtext[i] = "I was charged twice for my bill "[i % 32];
    longtext[1000] = '\0';
    const char *shorttext = "I was charged twice for my bill this month and I want a refund, please";
    double emit_s = 0, total0 = cpu_s();
    uint64_t encodes0 = proto_encoded_total();
    int staged = 0;
    for (int n = 0; n < EVENTS; n++) {
        char iid[16], uid[16];
        snprintf(iid, sizeof iid, "b-%d", n % CALLS);
        snprintf(uid, sizeof uid, "u-%d", n);
        json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:b, s:I}", "iid", iid, "uid", uid, "speaker", "customer",
                                 "text", n % 10 ? shorttext : longtext, "final", 1, "offset_ms", (json_int_t)n);
        double t0 = cpu_s();
        staged += pipeline_emit(f.p, EV_UTTERANCE, body, "agent-1", "") > 0;
        emit_s += cpu_s() - t0;
        if ((n + 1) % BATCH == 0) {
            pipefix_flush(&f);
            json_array_clear(f.delivered); /* keep the figure about the hub, not the fixture */
            json_array_clear(f.arrivals);
        }
    }
    double total_s = cpu_s() - total0;
    printf("pipeline_emit: %d utterances staged of %d (90%% ~70 bytes, 10%% 1,000 bytes), %d per commit\n",
           staged, EVENTS, BATCH);
    printf("  emit alone: %.2f us CPU per event (%.0f events/s of CPU)\n", emit_s * 1e6 / EVENTS, EVENTS / emit_s);
    printf("  with commits and delivery: %.2f us CPU per event\n", total_s * 1e6 / EVENTS);
    printf("  proto_encode calls per event: %.2f\n", (double)(proto_encoded_total() - encodes0) / EVENTS);
    free(longtext);
    pipefix_close(&f);
    return staged == EVENTS ? 0 : 1;
}
