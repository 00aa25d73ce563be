/* bench_firehose.c — what POST /v1/firehose takes on loopback: Firehose requests of 500
 * records each (a record: one Contact Lens SEGMENTS event with one final Transcript, over
 * 50 live contacts, each utterance through the full enrichment stage), sent one after the
 * other as one Firehose delivery stream does per connection, each answered only once its
 * events are committed. Prints requests a second, records a second, and the hub's CPU time
 * per request (steadier than the rates on a shared machine). The bodies are built before
 * the clock starts. Bounded: about 20 s.
 * Run after `make tests-build`, from the repo root:
 *   AGENTDESK_ROOT=$PWD AGENTDESK_BUILD=$PWD/build build/bench/bench_firehose */
#include "tests/lib/httpc.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <jansson.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { RECORDS = 500, REQUESTS = 60, CONTACTS = 50 };

static hubproc H;

static const char *lines[] = {
    "I was charged twice for my bill this month and I want a refund",
    "my internet keeps dropping every evening and it is really frustrating",
    "I'd like to cancel my contract, I'm moving to another provider",
    "thanks, that sorted it, you've been very helpful",
    "the delivery still hasn't arrived and the tracking says delivered",
    "there are payments on my account I don't recognise",
};

static double hub_cpu_seconds(void)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)H.pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    unsigned long long utime = 0, stime = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return 0;
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

static char *request_body(int req)
{
    json_t *recs = json_array();
    for (int r = 0; r < RECORDS; r++) {
        int n = req * RECORDS + r;
        char iid[32], uid[32];
        snprintf(iid, sizeof iid, "bench-contact-%d", n % CONTACTS);
        snprintf(uid, sizeof uid, "u-%d", n);
        json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:[{s:{s:s, s:s, s:s, s:s, s:i, s:i}}]}", "Version", "1.0.0",
                               "Channel", "VOICE", "ContactId", iid, "EventType", "SEGMENTS", "Segments",
                               "Transcript", "Id", uid, "ParticipantRole", n % 2 ? "AGENT" : "CUSTOMER",
                               "Content", lines[n % 6], "Sentiment", "NEUTRAL", "BeginOffsetMillis", n * 10,
                               "EndOffsetMillis", n * 10 + 9);
        char *text = json_dumps(ev, JSON_COMPACT);
        size_t len = strlen(text), cap = len * 4 / 3 + 8;
        char *b64 = malloc(cap);
        lws_b64_encode_string(text, (int)len, b64, (int)cap);
        json_array_append_new(recs, json_pack("{s:s}", "data", b64));
        free(b64);
        free(text);
        json_decref(ev);
    }
    char rid[40];
    snprintf(rid, sizeof rid, "bench-%d", req);
    json_t *o = json_pack("{s:s, s:I, s:o}", "requestId", rid, "timestamp", (json_int_t)1796000000000, "records", recs);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

int main(void)
{
    /* the contacts go to an agent, as they did before unassigned contacts existed, so the
     * figures stay comparable */
    const char *extra[] = {"--contactlens-agent", "agent-1", NULL};
    if (hubproc_setup(&H) != 0 || hubproc_start(&H, extra) != 0) {
        fprintf(stderr, "bench_firehose: cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    char *bodies[REQUESTS];
    size_t bytes = 0;
    for (int i = 0; i < REQUESTS; i++) {
        bodies[i] = request_body(i);
        bytes += strlen(bodies[i]);
    }
    int ok = 0;
    double cpu0 = hub_cpu_seconds();
    int64_t t0 = wsc_now_ms();
    for (int i = 0; i < REQUESTS; i++) {
        char h1[80];
        snprintf(h1, sizeof h1, "X-Amz-Firehose-Request-Id: bench-%d", i);
        const char *headers[] = {h1, "X-Amz-Firehose-Access-Key: tok-ingest", NULL};
        httpc_answer a;
        if (httpc_post(H.port, "/v1/firehose", headers, bodies[i], strlen(bodies[i]), 60000, &a) == 0 &&
            a.status == 200)
            ok++;
        else
            fprintf(stderr, "request %d: status %d %s\n", i, a.status, a.body ? a.body : "");
        free(a.body);
    }
    double secs = (double)(wsc_now_ms() - t0) / 1000.0;
    double cpu = hub_cpu_seconds() - cpu0;
    double skipped = hubproc_metric(&H, "agentdesk_firehose_events_skipped_total");
    printf("firehose: %d requests of %d records (%.0f KiB each), %d answered 200, %.0f events skipped\n", REQUESTS,
           RECORDS, (double)bytes / REQUESTS / 1024.0, ok, skipped);
    printf("firehose: %.1f requests/s, %.0f records/s, hub CPU %.1f ms per request (%.1f us per record)\n",
           ok / secs, ok * (double)RECORDS / secs, cpu * 1000.0 / REQUESTS, cpu * 1e6 / (REQUESTS * RECORDS));
    for (int i = 0; i < REQUESTS; i++)
        free(bodies[i]);
    hubproc_stop(&H, SIGTERM);
    hubproc_cleanup(&H);
    return ok == REQUESTS && skipped == 0 ? 0 : 1;
}
