/* bench_bus.c — hubs sharing one event log on Redis Streams (--bus), on this machine: the
 * throughput of utterances ingested → delivered to consoles, for
 *   - 1 hub without the bus (its SQLite log only: the reference, same load),
 *   - 1 hub on the bus,
 *   - 3 hubs on one bus, ingest spread over the three (one connector per hub, each starting
 *     its own interactions) and each interaction's agent console on the NEXT hub, so every
 *     delivery crosses the bus.
 * Each run: a private redis-server (AOF, appendfsync always, tests/lib/redisproc.h), fresh
 * hubs with the knowledge base and customers imported (full enrichment), CALLS live
 * interactions, one agent console per interaction and one supervisor per hub following
 * everything. The connectors send final utterances as fast as a window of unacked frames
 * allows; the figure is utterances received on their agents' consoles a second, over the
 * time from the first send until the last one arrived. Then the latency, connector send →
 * agent console receive, at a fixed 1,000 utterances a second.
 * BENCH_QUICK=1 (or --quick): a fifth of the burst and 2 s of latency, for development.
 * Run: `make bench` (all benchmarks) or, after `make tests-build`, from the repo root:
 *   AGENTDESK_ROOT=$PWD AGENTDESK_BUILD=$PWD/build build/bench/bench_bus */
#include "tests/lib/hubproc.h"
#include "tests/lib/redisproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

enum { CALLS = 120, MAXHUBS = 3, WINDOW = 600, LAT_RATE = 1000 };

static const char *lines[] = {
    "I was charged twice for my bill this month and I want a refund",
    "my internet keeps dropping every evening and it is really frustrating",
    "I'd like to cancel my contract, I'm moving to another provider",
    "thanks, that sorted it, you've been very helpful",
    "the delivery still hasn't arrived and the tracking says delivered",
    "can you change my address, I'm moving next month",
    "there are payments on my account I don't recognise",
    "how do I set up my email on the new phone",
};

static wsc_ctx *X;
static int nhubs;
static wsc *ingest[MAXHUBS];
static int acks[MAXHUBS], errors;
static uint64_t delivered, sup_utterances;
static int ready;
static int64_t *sent_ms, *lat;
static size_t nlat;
static int measuring_from = -1;

static void on_console(wsc *c, const char *msg, size_t len)
{
    (void)c;
    if (len < 40 || !memmem(msg, len < 64 ? len : 64, "\"type\":\"utterance\"", 18)) {
        if (memmem(msg, len < 80 ? len : 80, "\"last\":true", 11) && memmem(msg, len < 40 ? len : 40, "\"snapshot\"", 10))
            ready++;
        return;
    }
    delivered++;
    const char *u = memmem(msg, len, "\"uid\":\"b", 8);
    if (!u)
        return;
    int n = atoi(u + 8);
    if (measuring_from >= 0 && n >= measuring_from && sent_ms[n])
        lat[nlat++] = wsc_now_ms() - sent_ms[n];
}

static void on_supervisor(wsc *c, const char *msg, size_t len)
{
    (void)c;
    if (len >= 40 && memmem(msg, len < 64 ? len : 64, "\"type\":\"utterance\"", 18))
        sup_utterances++;
    else if (memmem(msg, len < 80 ? len : 80, "\"last\":true", 11) && memmem(msg, len < 40 ? len : 40, "\"snapshot\"", 10))
        ready++;
}

static void on_ingest(wsc *c, const char *msg, size_t len)
{
    int k = (int)(intptr_t)wsc_user(c);
    if (memmem(msg, len, "\"ack\"", 5))
        acks[k]++;
    else if (memmem(msg, len, "\"error\"", 7) && errors++ < 5)
        fprintf(stderr, "ingest error: %.*s\n", (int)len, msg);
}

/* Utterance n: interaction n % CALLS, sent through the hub that started it. */
static void send_utterance(int n)
{
    int call = n % CALLS;
    sent_ms[n] = wsc_now_ms();
    wsc_sendf(ingest[call % nhubs],
              "{\"type\":\"utterance\",\"id\":\"i%d\",\"iid\":\"bus-%d\",\"uid\":\"b%d\",\"speaker\":\"customer\","
              "\"text\":\"%s\",\"final\":true,\"offset_ms\":%d}",
              n, call, n, lines[n % 8], n / CALLS * 1000);
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int setup_hub(hubproc *h)
{
    if (hubproc_setup(h) != 0)
        return -1;
    static char names[CALLS][32], tokens[CALLS][32];
    static const char *users[CALLS + 1][3];
    for (int i = 0; i < CALLS; i++) {
        snprintf(names[i], sizeof names[i], "bench-agent-%d", i);
        snprintf(tokens[i], sizeof tokens[i], "tok-bench-%d", i);
        users[i][0] = names[i];
        users[i][1] = "agent";
        users[i][2] = tokens[i];
    }
    if (hubproc_import_users(h, users, CALLS) != 0)
        return -1;
    char kb[600], cust[600];
    snprintf(kb, sizeof kb, "%s/kb.json", h->data);
    snprintf(cust, sizeof cust, "%s/customers.json", h->data);
    const char *a1[] = {"import", "--db", h->db, "kb", kb, NULL};
    const char *a2[] = {"import", "--db", h->db, "customers", cust, NULL};
    if (hubproc_run_tool(h, a1, NULL) != 0 || hubproc_run_tool(h, a2, NULL) != 0)
        fprintf(stderr, "bench_bus: no kb/customers imported (see %s)\n", h->log);
    return 0;
}

static bool wait_healthy(const hubproc *h)
{
    int64_t end = wsc_now_ms() + 15000;
    while (wsc_now_ms() < end) {
        char *r = hubproc_http_raw(h, "/healthz");
        bool ok = r && strncmp(r, "HTTP/1.1 200", 12) == 0;
        free(r);
        if (ok)
            return true;
        wsc_service(X, 50);
    }
    return false;
}

/* One configuration: `hubs` hubs, on the bus or not. Prints its lines; 0 or -1. */
static int run(int hubs, bool bus, int burst, int lat_secs)
{
    redisproc R;
    hubproc H[MAXHUBS];
    memset(H, 0, sizeof H);
    for (int i = 0; i < MAXHUBS; i++)
        H[i].pid = -1;
    memset(&R, 0, sizeof R);
    R.pid = -1;
    int rc = -1;
    char url[128], label[96];
    snprintf(label, sizeof label, bus ? "%d hub%s on one bus" : "%d hub%s without the bus (SQLite)", hubs,
             hubs > 1 ? "s" : "");
    nhubs = hubs;
    X = wsc_ctx_new();
    wsc *consoles[CALLS], *sups[MAXHUBS];
    if (bus && (redisproc_setup(&R) != 0 || redisproc_start(&R) != 0)) {
        fprintf(stderr, "bench_bus: cannot start redis-server\n");
        goto out;
    }
    redisproc_url(&R, "bench", url, sizeof url);
    for (int i = 0; i < hubs; i++) {
        char id[16];
        snprintf(id, sizeof id, "h%d", i);
        const char *args[] = {"--bus", url, "--hub-name", id, NULL};
        if (setup_hub(&H[i]) != 0 || hubproc_start(&H[i], bus ? args : NULL) != 0 || !wait_healthy(&H[i])) {
            fprintf(stderr, "bench_bus: cannot start hub %d (see %s)\n", i, H[i].log);
            goto out;
        }
    }
    ready = 0;
    delivered = sup_utterances = 0;
    errors = 0;
    nlat = 0;
    measuring_from = -1;
    for (int i = 0; i < CALLS; i++) {
        /* the console on the hub after the one that owns the call: deliveries cross the bus */
        consoles[i] = wsc_connect(X, H[(i + 1) % hubs].port, "agentdesk.v1", 0);
        wsc_set_handler(consoles[i], on_console);
        wsc_sendf(consoles[i], "{\"type\":\"hello\",\"token\":\"tok-bench-%d\",\"client\":\"bench\"}", i);
    }
    for (int k = 0; k < hubs; k++) {
        sups[k] = wsc_connect(X, H[k].port, "agentdesk.v1", 0);
        wsc_set_handler(sups[k], on_supervisor);
        wsc_send(sups[k], "{\"type\":\"hello\",\"token\":\"tok-supervisor\",\"client\":\"bench\"}");
    }
    int64_t t0 = wsc_now_ms();
    while (ready < CALLS + hubs && wsc_now_ms() - t0 < 30000)
        wsc_service(X, 10);
    if (ready < CALLS + hubs) {
        fprintf(stderr, "bench_bus: %d of %d consoles ready\n", ready, CALLS + hubs);
        goto out;
    }
    for (int k = 0; k < hubs; k++) {
        ingest[k] = wsc_connect(X, H[k].port, "agentdesk.ingest.v1", 5000);
        if (!ingest[k])
            goto out;
        wsc_set_user(ingest[k], (void *)(intptr_t)k);
        wsc_set_handler(ingest[k], on_ingest);
        wsc_send(ingest[k], "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"bench\"}");
        acks[k] = 0;
    }
    wsc_service(X, 100);
    for (int i = 0; i < CALLS; i++)
        wsc_sendf(ingest[i % hubs],
                  "{\"type\":\"start\",\"id\":\"s%d\",\"iid\":\"bus-%d\",\"channel\":\"%s\",\"queue\":\"billing\","
                  "\"agent\":\"bench-agent-%d\",\"customer_id\":\"C-%d\"}",
                  i, i, i % 2 ? "chat" : "voice", i, 1001 + i % 50);
    int started = 0;
    while (started < CALLS && wsc_now_ms() - t0 < 60000) {
        wsc_service(X, 10);
        started = 0;
        for (int k = 0; k < hubs; k++)
            started += acks[k];
    }
    if (started < CALLS || errors) {
        fprintf(stderr, "bench_bus: %d of %d interactions started\n", started, CALLS);
        goto out;
    }
    wsc_service(X, 300);

    /* throughput: each connector keeps a window of unacked utterances */
    int sent[MAXHUBS] = {0}, next = 0, acked = 0;
    for (int k = 0; k < hubs; k++)
        acks[k] = 0;
    uint64_t d0 = delivered, s0 = sup_utterances;
    int64_t b0 = wsc_now_ms();
    while ((acked < burst || delivered - d0 < (uint64_t)burst) && wsc_now_ms() - b0 < 60000) {
        while (next < burst && sent[(next % CALLS) % hubs] - acks[(next % CALLS) % hubs] < WINDOW) {
            sent[(next % CALLS) % hubs]++;
            send_utterance(next++);
        }
        wsc_service(X, 2);
        acked = 0;
        for (int k = 0; k < hubs; k++)
            acked += acks[k];
    }
    double secs = (double)(wsc_now_ms() - b0) / 1000.0;
    double waits = 0, appended = 0;
    for (int k = 0; bus && k < hubs; k++) {
        waits += hubproc_metric(&H[k], "agentdesk_bus_lock_waits_total");
        appended += hubproc_metric(&H[k], "agentdesk_bus_appended_total");
    }
    printf("bus throughput, %s: %.0f utterances/s ingested, enriched, committed and delivered to their agents' consoles "
           "(%d of %d in %.2f s; %d interactions, %d consoles%s; supervisors had %llu by then)\n",
           label, (double)(delivered - d0) / secs, (int)(delivered - d0), burst, secs, CALLS, CALLS + hubs,
           hubs > 1 ? ", each on the hub after its call's" : "", (unsigned long long)(sup_utterances - s0));
    int closed = 0;
    for (int k = 0; k < hubs; k++)
        closed += wsc_is_closed(sups[k]);
    if (closed)
        printf("  %d of %d supervisor connections were closed by their hub meanwhile (close code %d: slow_consumer is 1008)\n",
               closed, hubs, wsc_close_status(sups[0]));
    if (bus)
        printf("  on the bus: %.0f entries appended, the append lock found busy %.0f times (all hubs, since start)\n",
               appended, waits);

    /* latency at a fixed rate */
    wsc_service(X, 500);
    measuring_from = next;
    nlat = 0;
    int first = next, target = next + LAT_RATE * lat_secs;
    int64_t l0 = wsc_now_ms();
    while (next < target && wsc_now_ms() - l0 < 30000) {
        while (next < target && wsc_now_ms() - l0 >= (int64_t)((double)(next - first) * 1000.0 / LAT_RATE))
            send_utterance(next++);
        wsc_service(X, 1);
    }
    int64_t drain = wsc_now_ms();
    while (nlat < (size_t)(target - first) && wsc_now_ms() - drain < 10000)
        wsc_service(X, 5);
    qsort(lat, nlat, sizeof *lat, cmp64);
    if (nlat)
        printf("bus latency, %s, at %d utterances/s for %d s (%zu measured, connector send -> agent console): "
               "p50 %lld ms, p99 %lld ms, max %lld ms\n",
               label, LAT_RATE, lat_secs, nlat, (long long)lat[nlat / 2], (long long)lat[nlat * 99 / 100],
               (long long)lat[nlat - 1]);
    rc = errors || delivered - d0 < (uint64_t)burst ? -1 : 0;
out:
    measuring_from = -1;
    wsc_ctx_free(X);
    X = NULL;
    for (int i = 0; i < hubs; i++) {
        hubproc_stop(&H[i], SIGTERM);
        hubproc_cleanup(&H[i]);
    }
    redisproc_cleanup(&R);
    return rc;
}

int main(int argc, char **argv)
{
    const char *q = getenv("BENCH_QUICK");
    int quick = (q && strcmp(q, "1") == 0) || (argc > 1 && strcmp(argv[1], "--quick") == 0);
    int burst = quick ? 6000 : 30000, lat_secs = quick ? 2 : 5;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    size_t total = (size_t)burst + (size_t)LAT_RATE * (size_t)lat_secs + 1;
    sent_ms = calloc(total, sizeof *sent_ms);
    lat = calloc(total, sizeof *lat);
    int rc = 0;
    rc |= run(1, false, burst, lat_secs);
    rc |= run(1, true, burst, lat_secs);
    rc |= run(3, true, burst, lat_secs);
    free(sent_ms);
    free(lat);
    return rc ? 1 : 0;
}
