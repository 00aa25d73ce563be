/* bench_hub.c — the hub under load on loopback: 1,000 live interactions, 1,000 agent
 * consoles and 10 supervisors following every interaction (subscribe scope "all"; one
 * websocket each, all in this process on one lws context) and one connector.
 * Prints:
 *   - events/s committed to the event log and frames/s fanned out to consoles while the
 *     connector sends final utterances as fast as acks allow (window of unacked frames), and
 *     the hub's CPU time per committed event in that phase (steadier on a shared machine);
 *   - the shape of what it fanned out (console frames per utterance, mean bytes per frame), which
 *     bench_fanout_ceiling is given to fan out the same frames with no hub behind them;
 *   - p50 / p99 / p99.9 / max ingest -> console latency (the ingest frame's write to the socket
 *     to the receipt of the utterance on its agent's console) at 5,000 utterances a second and at 50% and 90% of
 *     the throughput measured just before, in the same run.
 * BENCH_QUICK=1 (or --quick): a third of the burst and 2 s per rate, for development.
 * Users are created with `agentdesk-hub import`, the knowledge base and customers from
 * data/, so every utterance goes through the full enrichment stage. Bounded: < 2 minutes.
 * Run: `make bench` (all benchmarks) or, after `make tests-build`, from the repo root:
 *   AGENTDESK_ROOT=$PWD AGENTDESK_BUILD=$PWD/build build/bench/bench_hub */
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

enum { CONSOLES = 1000, SUPERVISORS = 10, BURST_PER_CALL = 30, WINDOW = 6000, MAX_RATE = 100000 };
static int rate_secs = 6;

static hubproc H;
static wsc_ctx *X;
static wsc *ingest;
static wsc *consoles[CONSOLES], *supervisors[SUPERVISORS];
static int welcomed, snapshots, sup_snapshots;
static uint64_t sup_frames, sup_utterances;
static uint64_t sup_base;   /* sup_utterances before the first benchmark utterance */
static uint64_t frames_in, utterances_in, bytes_in;
static int64_t *sent_ms;    /* by utterance number */
static int64_t *lat;        /* latencies of the latency phase */
static size_t nlat;
static int measuring_from = -1;
static int acks, errors;

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

/* CPU seconds (user + system) the hub process has used so far: a figure of the hub's own
 * work per event that the load of other processes on the machine hardly moves. */
static double hub_cpu_seconds(void)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)H.pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    unsigned long long utime = 0, stime = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return 0;
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* CPU seconds this process (the consoles, supervisors and connector) has used so far. */
static double own_cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
           ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
}

static void on_console(wsc *c, const char *msg, size_t len)
{
    (void)c;
    frames_in++;
    bytes_in += len;
    if (len < 40 || !memmem(msg, len < 64 ? len : 64, "\"type\":\"utterance\"", 18)) {
        if (memmem(msg, len < 40 ? len : 40, "\"welcome\"", 9))
            welcomed++;
        else if (memmem(msg, len < 40 ? len : 40, "\"snapshot\"", 10))
            snapshots++;
        return;
    }
    utterances_in++;
    const char *u = memmem(msg, len, "\"uid\":\"b", 8);
    if (!u)
        return;
    int n = atoi(u + 8);
    if (n >= measuring_from && measuring_from >= 0 && sent_ms[n])
        lat[nlat++] = wsc_now_ms() - sent_ms[n];
}

/* A supervisor sees every frame: counted, not timed (latency is the agent console's). */
static void on_supervisor(wsc *c, const char *msg, size_t len)
{
    (void)c;
    sup_frames++;
    if (len >= 40 && memmem(msg, len < 64 ? len : 64, "\"type\":\"utterance\"", 18))
        sup_utterances++;
    else if (memmem(msg, len < 40 ? len : 40, "\"snapshot\"", 10))
        sup_snapshots++;
}

/* An utterance's send is when its frame is written to the socket: queued, it waited for the
 * load generator's own loop (the frames of 1,010 sockets to read), which is not the hub's time. */
static void on_ingest_written(wsc *c, const char *msg, size_t len)
{
    (void)c;
    const char *u = memmem(msg, len, "\"uid\":\"b", 8);
    if (u)
        sent_ms[atoi(u + 8)] = wsc_now_ms();
}

static void on_ingest(wsc *c, const char *msg, size_t len)
{
    (void)c;
    if (memmem(msg, len, "\"ack\"", 5))
        acks++;
    else if (memmem(msg, len, "\"error\"", 7)) {
        errors++;
        if (errors < 5)
            fprintf(stderr, "ingest error: %.*s\n", (int)len, msg);
    }
}

enum { MAXB = 32 };
typedef struct {
    double le[MAXB];
    double n[MAXB];
    int count;
} histo;

/* The hub's own ingest->send histogram from /metrics (cumulative buckets). */
static histo read_histo(void)
{
    histo h = {.count = 0};
    char *m = hubproc_http_get(&H, "/metrics");
    for (char *line = m ? strtok(m, "\n") : NULL; line && h.count < MAXB; line = strtok(NULL, "\n")) {
        const char *key = "agentdesk_ingest_to_send_seconds_bucket{le=\"";
        if (strncmp(line, key, strlen(key)) != 0)
            continue;
        const char *v = line + strlen(key);
        h.le[h.count] = strncmp(v, "+Inf", 4) == 0 ? 1e9 : atof(v);
        const char *sp = strrchr(line, ' ');
        h.n[h.count++] = sp ? atof(sp + 1) : 0;
    }
    free(m);
    return h;
}

/* The upper bound (ms) of the bucket holding quantile q of the events between a and b. */
static double histo_quantile_ms(const histo *a, const histo *b, double q)
{
    int k = b->count;
    if (k == 0 || a->count != k)
        return -1;
    double total = b->n[k - 1] - a->n[k - 1];
    for (int i = 0; i < k; i++)
        if (b->n[i] - a->n[i] >= q * total)
            return b->le[i] * 1000.0;
    return -1;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void send_utterance(int n)
{
    int call = n % CONSOLES;
    sent_ms[n] = wsc_now_ms();
    wsc_sendf(ingest, "{\"type\":\"utterance\",\"id\":\"i%d\",\"iid\":\"bench-%d\",\"uid\":\"b%d\",\"speaker\":\"customer\","
                      "\"text\":\"%s\",\"final\":true,\"offset_ms\":%d}",
              n, call, n, lines[n % 8], n / CONSOLES * 1000);
}

static int setup(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (hubproc_setup(&H) != 0)
        return -1;
    static char names[CONSOLES + SUPERVISORS][32], tokens[CONSOLES + SUPERVISORS][32];
    static const char *users[CONSOLES + SUPERVISORS][3];
    for (int i = 0; i < CONSOLES + SUPERVISORS; i++) {
        int sup = i >= CONSOLES;
        snprintf(names[i], sizeof names[i], sup ? "bench-sup-%d" : "bench-agent-%d", sup ? i - CONSOLES : i);
        snprintf(tokens[i], sizeof tokens[i], sup ? "tok-sup-%d" : "tok-bench-%d", sup ? i - CONSOLES : i);
        users[i][0] = names[i];
        users[i][1] = sup ? "supervisor" : "agent";
        users[i][2] = tokens[i];
    }
    if (hubproc_import_users(&H, users, CONSOLES + SUPERVISORS) != 0)
        return -1;
    char kb[600], cust[600];
    snprintf(kb, sizeof kb, "%s/kb.json", H.data);
    snprintf(cust, sizeof cust, "%s/customers.json", H.data);
    const char *a1[] = {"import", "--db", H.db, "kb", kb, NULL};
    const char *a2[] = {"import", "--db", H.db, "customers", cust, NULL};
    if (hubproc_run_tool(&H, a1, NULL) != 0 || hubproc_run_tool(&H, a2, NULL) != 0)
        fprintf(stderr, "bench_hub: no kb/customers imported (see %s)\n", H.log);
    return hubproc_start(&H, NULL);
}

/* Offer `rate` utterances a second for rate_secs from utterance number `first`; print the
 * latencies, labelled `what`. Returns the next utterance number. */
static int latency_phase(int first, int rate, const char *what)
{
    /* the phase starts on a hub with nothing left to write: the supervisors have every
     * utterance sent so far (a phase above the throughput ends with their outboxes still
     * full, which the next phase's agents would wait behind) */
    int64_t w0 = wsc_now_ms();
    while (sup_utterances - sup_base < (uint64_t)first * SUPERVISORS && wsc_now_ms() - w0 < 20000)
        wsc_service(X, 5);
    wsc_service(X, 500);
    nlat = 0;
    measuring_from = first;
    histo h0 = read_histo();
    int target = first + rate * rate_secs, next = first;
    double hub0 = hub_cpu_seconds(), own0 = own_cpu_seconds();
    int64_t l0 = wsc_now_ms();
    while (next < target && wsc_now_ms() - l0 < 30000) {
        int64_t due = (int64_t)((double)(next - first) * 1000.0 / rate);
        while (next < target && wsc_now_ms() - l0 >= due) {
            send_utterance(next++);
            due = (int64_t)((double)(next - first) * 1000.0 / rate);
        }
        wsc_service(X, 1);
    }
    double offered_s = (double)(wsc_now_ms() - l0) / 1000.0;
    double hub_busy = (hub_cpu_seconds() - hub0) / offered_s, own_busy = (own_cpu_seconds() - own0) / offered_s;
    int64_t drain = wsc_now_ms();
    while (nlat < (size_t)(target - first) && wsc_now_ms() - drain < 10000)
        wsc_service(X, 5);
    qsort(lat, nlat, sizeof *lat, cmp64);
    histo h1 = read_histo();
    if (nlat)
        printf("latency at %d utterances/s (%s) for %d s (%zu measured, connector send -> console receive):"
               " p50 %lld ms, p99 %lld ms, p99.9 %lld ms, max %lld ms\n",
               rate, what, rate_secs, nlat, (long long)lat[nlat / 2], (long long)lat[nlat * 99 / 100],
               (long long)lat[nlat * 999 / 1000], (long long)lat[nlat - 1]);
    printf("  hub's own histogram, ingest frame read -> console frame written: p50 <= %.2f ms, p99 <= %.2f ms\n",
           histo_quantile_ms(&h0, &h1, 0.5), histo_quantile_ms(&h0, &h1, 0.99));
    /* which side ran out of CPU: a core is 100%; the load generator shares the machine */
    printf("  while offered: hub %.0f%% of a core (%.0f us an utterance), load generator %.0f%%\n",
           hub_busy * 100.0, hub_busy * 1e6 / rate, own_busy * 100.0);
    return next;
}

int main(int argc, char **argv)
{
    const char *q = getenv("BENCH_QUICK");
    int quick = (q && strcmp(q, "1") == 0) || (argc > 1 && strcmp(argv[1], "--quick") == 0);
    if (quick)
        rate_secs = 2;
    int burst = CONSOLES * BURST_PER_CALL / (quick ? 3 : 1);
    int total = burst + (5000 + 2 * MAX_RATE) * rate_secs;
    sent_ms = calloc((size_t)total + 1, sizeof *sent_ms);
    lat = calloc((size_t)total + 1, sizeof *lat);
    if (setup() != 0) {
        fprintf(stderr, "bench_hub: cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    X = wsc_ctx_new_epoll();   /* the load generator on epoll too: it shares the machine with the hub */
    int64_t t0 = wsc_now_ms();
    for (int i = 0; i < CONSOLES; i++) {
        consoles[i] = wsc_connect(X, H.port, "agentdesk.v1", 0);
        wsc_set_handler(consoles[i], on_console);
        wsc_sendf(consoles[i], "{\"type\":\"hello\",\"token\":\"tok-bench-%d\",\"client\":\"bench\"}", i);
    }
    for (int i = 0; i < SUPERVISORS; i++) {
        supervisors[i] = wsc_connect(X, H.port, "agentdesk.v1", 0);
        wsc_set_handler(supervisors[i], on_supervisor);
        wsc_sendf(supervisors[i], "{\"type\":\"hello\",\"token\":\"tok-sup-%d\",\"client\":\"bench\"}", i);
        wsc_send(supervisors[i], "{\"type\":\"subscribe\",\"scope\":\"all\"}");
    }
    while ((snapshots < CONSOLES || sup_snapshots < SUPERVISORS) && wsc_now_ms() - t0 < 30000)
        wsc_service(X, 10);
    printf("connected %d consoles and %d supervisors in %lld ms\n", snapshots, sup_snapshots,
           (long long)(wsc_now_ms() - t0));
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_set_handler(ingest, on_ingest);
    wsc_set_written(ingest, on_ingest_written);
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"bench\"}");
    wsc_service(X, 100);
    acks = 0;
    for (int i = 0; i < CONSOLES; i++)
        wsc_sendf(ingest, "{\"type\":\"start\",\"id\":\"s%d\",\"iid\":\"bench-%d\",\"channel\":\"%s\",\"queue\":\"billing\","
                          "\"agent\":\"bench-agent-%d\",\"customer_id\":\"C-%d\"}",
                  i, i, i % 2 ? "chat" : "voice", i, 1001 + i % 50);
    while (acks < CONSOLES && wsc_now_ms() - t0 < 60000)
        wsc_service(X, 10);
    printf("started %d live interactions\n", acks);

    /* throughput: as fast as a window of unacked frames allows */
    double c0 = hubproc_metric(&H, "agentdesk_events_committed_total");
    double g0 = hubproc_metric(&H, "agentdesk_commits_total");
    uint64_t f0 = frames_in, u0 = utterances_in, b_in0 = bytes_in, sf0 = sup_frames, su0 = sup_utterances;
    sup_base = su0;
    double cpu0 = hub_cpu_seconds();
    int next = 0;
    acks = 0;
    int64_t b0 = wsc_now_ms();
    while ((acks < burst || utterances_in - u0 < (uint64_t)burst ||
            sup_utterances - su0 < (uint64_t)burst * SUPERVISORS) &&
           wsc_now_ms() - b0 < 45000) {
        while (next < burst && next - acks < WINDOW)
            send_utterance(next++);
        wsc_service(X, 2);
    }
    double secs = (double)(wsc_now_ms() - b0) / 1000.0;
    double c1 = hubproc_metric(&H, "agentdesk_events_committed_total");
    double g1 = hubproc_metric(&H, "agentdesk_commits_total");
    printf("throughput: %d utterances from 1 connector to %d interactions in %.2f s\n", acks, CONSOLES, secs);
    printf("  committed: %.0f events/s (%.0f events incl. enrichment)\n", (c1 - c0) / secs, c1 - c0);
    printf("  hub CPU: %.1f us per committed event (%.2f s user+system)\n",
           c1 > c0 ? (hub_cpu_seconds() - cpu0) * 1e6 / (c1 - c0) : 0.0, hub_cpu_seconds() - cpu0);
    printf("  group commits: %.0f (%.1f events per commit)\n", g1 - g0, g1 > g0 ? (c1 - c0) / (g1 - g0) : 0.0);
    printf("  fanned out: %.0f frames/s to %d consoles (%llu frames, %llu utterances)\n",
           (double)(frames_in - f0) / secs, CONSOLES, (unsigned long long)(frames_in - f0),
           (unsigned long long)(utterances_in - u0));
    printf("  to %d supervisors: %.0f frames/s (%llu frames, %llu utterances)\n", SUPERVISORS,
           (double)(sup_frames - sf0) / secs, (unsigned long long)(sup_frames - sf0),
           (unsigned long long)(sup_utterances - su0));
    double delivered = (double)(utterances_in - u0) / secs;
    printf("hub throughput: %.0f utterances/s ingested, enriched, committed and delivered (%d consoles, %d supervisors)\n",
           delivered, CONSOLES, SUPERVISORS);
    printf("frame shape: %.2f console frames per utterance, %.0f B per console frame\n",
           (double)(frames_in - f0) / (double)(utterances_in - u0 ? utterances_in - u0 : 1),
           (double)(bytes_in - b_in0) / (double)(frames_in - f0 ? frames_in - f0 : 1));

    /* latency at fixed offered rates: the goal's 5,000 a second, and 50% and 90% of the
     * throughput just measured */
    int half = (int)(delivered * 0.5), most = (int)(delivered * 0.9);
    next = latency_phase(next, 5000, "goal rate");
    next = latency_phase(next, half < MAX_RATE ? half : MAX_RATE, "50% of throughput");
    next = latency_phase(next, most < MAX_RATE ? most : MAX_RATE, "90% of throughput");
    printf("errors: %d\n", errors);
    wsc_ctx_free(X);
    hubproc_stop(&H, SIGTERM);
    hubproc_cleanup(&H);
    free(sent_ms);
    free(lat);
    return errors ? 1 : 0;
}
