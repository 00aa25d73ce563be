/* bench_hub_history.c — what history costs the hub: the real agentdesk-hub on databases
 * whose event logs are filled directly with SQLite (frames as the hub writes them), then:
 *   - hub RSS and start time (exec to /healthz answering) with 1,000 live interactions and
 *     10,000 events, then with the same live set and 1,000,000 events (the history in
 *     interactions that ended and were wrapped up), and RSS once 1,000 consoles (keep_lines
 *     10,000) have joined;
 *   - the same with the history inside the 1,000 live interactions (LIVE_EACH events each):
 *     what the hub holds of them is bounded per interaction (hub/core/live.h), the frames
 *     held read from /metrics (agentdesk_live_frames);
 *   - the same with the history inside one live interaction of 100,000 lines (it holds only
 *     its bounded part); for both, the start reads each live interaction's enrichment
 *     checkpoint and replays only the finals after it, and the first start, on the database
 *     as filled (no checkpoint yet), is timed too;
 *   - bytes and time for a console to join that 100,000-line interaction, with keep_lines
 *     10,000 and without, and to resume after 100,000 missed events, with and without
 *     keep_lines (from hello sent to the interaction's last event received).
 * Run after `make tests-build`, from the repo root:
 *   AGENTDESK_ROOT=$PWD AGENTDESK_BUILD=$PWD/build build/bench/bench_hub_history [history|live|big]...
 * (the phases named, or all three). */
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { LIVE = 1000, CONSOLES = 1000, BIG_LINES = 100000, KEEP = 10000, MISSED = 100000 };
/* Events of each live interaction in the live-history phase: past what one holds (about 150
 * frames, hub/core/live.h), short of a start that replays more finals than a bench run can
 * wait for (the first start, before any enrichment checkpoint, replays each final: about
 * 30 µs each). */
enum { LIVE_EACH = 250 };

static const char *const agents[] = {"agent-1", "agent-2", "agent-3"};

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *event, *interaction, *wrapup;
    int64_t seq;
} filler;

static int fill_open(filler *f, const char *path)
{
    memset(f, 0, sizeof *f);
    if (sqlite3_open(path, &f->db) != SQLITE_OK ||
        sqlite3_exec(f->db, "PRAGMA journal_mode=WAL; BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(f->db, "INSERT INTO events(seq, ts, iid, agent, audience, frame) VALUES(?1, ?2, ?3, ?4, '', ?5)",
                           -1, &f->event, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(f->db, "INSERT INTO interactions(iid, channel, queue, agent, customer_id, started_ms, ended_ms,"
                                  " end_reason) VALUES(?1, 'chat', 'billing', ?2, '', 1793612000000, ?3, ?4)",
                           -1, &f->interaction, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(f->db, "INSERT INTO wrapups(iid, user, ts, code, summary) VALUES(?1, ?2, 1, 'billing.refund', '')",
                           -1, &f->wrapup, NULL) != SQLITE_OK)
        return -1;
    sqlite3_stmt *st;
    sqlite3_prepare_v2(f->db, "SELECT COALESCE(MAX(seq), 0) FROM events", -1, &st, NULL);
    if (sqlite3_step(st) == SQLITE_ROW)
        f->seq = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return 0;
}

static void fill_event(filler *f, const char *iid, const char *agent, const char *frame_fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fill_event(filler *f, const char *iid, const char *agent, const char *frame_fmt, ...)
{
    char body[512], frame[640];
    va_list ap;
    va_start(ap, frame_fmt);
    vsnprintf(body, sizeof body, frame_fmt, ap);
    va_end(ap);
    int64_t seq = ++f->seq;
    /* body is `"type":"...",` and the rest after seq and ts, as the encoder orders them */
    const char *rest = strchr(body + 8, ',');
    int n = snprintf(frame, sizeof frame, "{%.*s,\"seq\":%lld,\"ts\":1793612009000%s", (int)(rest - body), body,
                     (long long)seq, rest);
    sqlite3_bind_int64(f->event, 1, seq);
    sqlite3_bind_int64(f->event, 2, 1793612009000LL);
    sqlite3_bind_text(f->event, 3, iid, -1, SQLITE_STATIC);
    sqlite3_bind_text(f->event, 4, agent, -1, SQLITE_STATIC);
    sqlite3_bind_text(f->event, 5, frame, n, SQLITE_STATIC);
    sqlite3_step(f->event);
    sqlite3_reset(f->event);
}

static void fill_interaction(filler *f, const char *iid, const char *agent, bool ended)
{
    sqlite3_bind_text(f->interaction, 1, iid, -1, SQLITE_STATIC);
    sqlite3_bind_text(f->interaction, 2, agent, -1, SQLITE_STATIC);
    if (ended) {
        sqlite3_bind_int64(f->interaction, 3, 1793612300000LL);
        sqlite3_bind_text(f->interaction, 4, "resolved", -1, SQLITE_STATIC);
    } else {
        sqlite3_bind_null(f->interaction, 3);
        sqlite3_bind_null(f->interaction, 4);
    }
    sqlite3_step(f->interaction);
    sqlite3_reset(f->interaction);
    fill_event(f, iid, agent, "\"type\":\"interaction.started\",\"iid\":\"%s\",\"channel\":\"chat\",\"queue\":\"billing\","
               "\"agent\":\"%s\",\"agent_name\":\"%s\",\"customer_id\":\"\",\"customer_name\":\"\",\"started_ms\":1793612000000}",
               iid, agent, agent);
    if (ended) {
        sqlite3_bind_text(f->wrapup, 1, iid, -1, SQLITE_STATIC);
        sqlite3_bind_text(f->wrapup, 2, agent, -1, SQLITE_STATIC);
        sqlite3_step(f->wrapup);
        sqlite3_reset(f->wrapup);
    }
}

static void fill_line(filler *f, const char *iid, const char *agent, int64_t n)
{
    fill_event(f, iid, agent, "\"type\":\"utterance\",\"iid\":\"%s\",\"uid\":\"u%lld\",\"speaker\":\"%s\","
               "\"text\":\"line %lld: I was charged twice for my bill this month and I want a refund\","
               "\"final\":true,\"offset_ms\":%lld}", iid, (long long)n, n % 2 ? "agent" : "customer", (long long)n,
               (long long)n * 1000);
    if (n % 10 == 9)
        fill_event(f, iid, agent, "\"type\":\"sentiment\",\"iid\":\"%s\",\"uid\":\"u%lld\",\"score\":-0.4,"
                   "\"label\":\"negative\",\"trend\":-0.3,\"slope\":-0.01,\"terms\":[\"charged twice\"]}",
                   iid, (long long)n);
}

/* Past interactions (ended, wrapped up) of 50 events each until the log holds `upto`. */
static void fill_history(filler *f, int64_t upto)
{
    char iid[48];
    for (int64_t k = 0; f->seq < upto; k++) {
        snprintf(iid, sizeof iid, "past-%lld-%lld", (long long)f->seq, (long long)k);
        const char *agent = agents[k % 3];
        fill_interaction(f, iid, agent, true);
        for (int64_t n = 0; n < 48 && f->seq < upto; n++)
            fill_line(f, iid, agent, n);
    }
}

static int fill_close(filler *f)
{
    char high[32];
    snprintf(high, sizeof high, "%lld", (long long)f->seq);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(f->db, "INSERT OR REPLACE INTO meta(key, value) VALUES('events_seq_high', ?1)", -1, &st, NULL);
    sqlite3_bind_text(st, 1, high, -1, SQLITE_STATIC);
    sqlite3_step(st);
    sqlite3_finalize(st);
    int rc = sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL);
    sqlite3_finalize(f->event);
    sqlite3_finalize(f->interaction);
    sqlite3_finalize(f->wrapup);
    sqlite3_close(f->db);
    return rc == SQLITE_OK ? 0 : -1;
}

static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *fp = fopen(path, "r");
    long kb = -1;
    while (fp && fgets(line, sizeof line, fp))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (fp)
        fclose(fp);
    return kb;
}

/* CPU time (user + system) the process has used, in ms: a start's cost on a loaded machine,
 * where its wall time says more about the other processes. */
static long cpu_ms(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *fp = fopen(path, "r");
    size_t n = fp ? fread(buf, 1, sizeof buf - 1, fp) : 0;
    if (fp)
        fclose(fp);
    buf[n] = 0;
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    unsigned long ut, st;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (long)((ut + st) * 1000 / (unsigned long)sysconf(_SC_CLK_TCK));
}

/* What the hub holds of its interactions' frames, and the log rows its start read to
 * rebuild them, from /metrics. */
static void print_held(const hubproc *h)
{
    printf("  frames held by live interactions: %.0f (%.1f MB); log rows read by the start: %.0f\n",
           hubproc_metric(h, "agentdesk_live_frames"), hubproc_metric(h, "agentdesk_live_frame_bytes") / 1e6,
           hubproc_metric(h, "agentdesk_start_log_rows"));
}

/* Start the hub; its start time in ms (exec to /healthz answering), -1 on failure. A
 * start longer than hubproc's 15 s is waited for up to 120 s. */
static int64_t timed_start(hubproc *h)
{
    /* CONSOLES consoles share the three agents' tokens */
    static const char *const args[] = {"--max-connections-per-token", "1000", NULL};
    int64_t t0 = wsc_now_ms();
    if (hubproc_start(h, args) != 0) {
        char *ok = NULL;
        while (h->pid > 0 && !ok && wsc_now_ms() - t0 < 120000) {
            struct timespec ts = {0, 100 * 1000000};
            nanosleep(&ts, NULL);
            ok = hubproc_http_get(h, "/healthz");
        }
        if (!ok)
            return -1;
        free(ok);
    }
    return wsc_now_ms() - t0;
}

/* The first start on a filled database: its migrations, and every final of the live
 * interactions replayed (the filler writes no enrichment checkpoint, as a hub from before
 * them did not); the start writes their checkpoints, which the timed start after it reads,
 * as after any run of the hub. Its time in ms, -1 on failure. */
static int64_t first_start(hubproc *h, long *cpu)
{
    int64_t ms = timed_start(h);
    *cpu = cpu_ms(h->pid);
    hubproc_stop(h, SIGTERM);
    return ms;
}

/* ---- CONSOLES consoles joined, each with its agent's snapshot: the hub's RSS then ---- */

static int joined;

static void on_console(wsc *c, const char *msg, size_t len)
{
    (void)c;
    static const char last[] = "\"last\":true";
    if (len > 20 && memcmp(msg, "{\"type\":\"snapshot\"", 18) == 0 && memmem(msg, len, last, sizeof last - 1))
        joined++;
}

static void with_consoles(const hubproc *h)
{
    wsc_ctx *x = wsc_ctx_new();
    joined = 0;
    int64_t t0 = wsc_now_ms();
    for (int i = 0; i < CONSOLES; i++) {
        wsc *c = wsc_connect(x, h->port, "agentdesk.v1", 0);
        wsc_set_handler(c, on_console);
        wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"tok-%s\",\"client\":\"bench\",\"keep_lines\":%d}",
                  agents[i % 3], KEEP);
    }
    while (joined < CONSOLES && wsc_now_ms() - t0 < 60000)
        wsc_service(x, 10);
    wsc_service(x, 1000); /* the snapshots' frames */

    printf("  with %d consoles joined (%d snapshots): RSS %.1f MB\n", CONSOLES, joined, rss_kb(h->pid) / 1024.0);
    wsc_ctx_free(x);
}

/* ---- a console joining or resuming: bytes and time until the last event arrives ---- */

static char last_marker[48];
static size_t got_bytes;
static bool got_last;

static void on_message(wsc *c, const char *msg, size_t len)
{
    (void)c;
    got_bytes += len;
    /* welcome and snapshot carry the log's last seq too: only an event counts */
    if (len > 20 && memcmp(msg, "{\"type\":\"snapshot\"", 18) != 0 && memcmp(msg, "{\"type\":\"welcome\"", 17) != 0 &&
        memmem(msg, len, last_marker, strlen(last_marker)))
        got_last = true;
}

static void join(wsc_ctx *x, const hubproc *h, int64_t last_seq, const char *extra, const char *label)
{
    snprintf(last_marker, sizeof last_marker, "\"seq\":%lld,", (long long)last_seq);
    got_bytes = 0;
    got_last = false;
    wsc *c = wsc_connect(x, h->port, "agentdesk.v1", 5000);
    if (!c) {
        printf("%s: cannot connect\n", label);
        return;
    }
    wsc_set_handler(c, on_message);
    int64_t t0 = wsc_now_ms();
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"bench\"%s}", extra);
    while (!got_last && wsc_now_ms() - t0 < 120000)
        wsc_service(x, 10);
    int64_t ms = wsc_now_ms() - t0;
    if (got_last)
        printf("%s: %.1f MB in %lld ms\n", label, got_bytes / 1e6, (long long)ms);
    else
        printf("%s: did not complete in 120 s (%.1f MB)\n", label, got_bytes / 1e6);
    wsc_close(c);
    wsc_service(x, 50);
}

static int history_phase(void)
{
    hubproc h;
    filler f;
    char live[32];
    if (hubproc_setup(&h) != 0 || fill_open(&f, h.db) != 0)
        return -1;
    for (int i = 0; i < LIVE; i++) {
        snprintf(live, sizeof live, "live-%d", i);
        fill_interaction(&f, live, agents[i % 3], false);
    }
    fill_history(&f, 10000);
    if (fill_close(&f) != 0)
        return -1;
    int64_t ms = timed_start(&h);
    printf("hub with %d live interactions, 10,000 events: start %lld ms (CPU %ld ms), RSS %.1f MB\n", LIVE,
           (long long)ms, cpu_ms(h.pid), rss_kb(h.pid) / 1024.0);
    print_held(&h);
    with_consoles(&h);
    hubproc_stop(&h, SIGTERM);
    if (fill_open(&f, h.db) != 0)
        return -1;
    fill_history(&f, 1000000);
    if (fill_close(&f) != 0)
        return -1;
    ms = timed_start(&h);
    printf("hub with %d live interactions, 1,000,000 events: start %lld ms (CPU %ld ms), RSS %.1f MB\n", LIVE,
           (long long)ms, cpu_ms(h.pid), rss_kb(h.pid) / 1024.0);
    print_held(&h);
    with_consoles(&h);
    hubproc_stop(&h, SIGTERM);
    hubproc_cleanup(&h);
    return 0;
}

/* The history inside the live interactions: each restored holding only its bounded part. */
static int live_history_phase(void)
{
    hubproc h;
    filler f;
    char live[32];
    if (hubproc_setup(&h) != 0 || fill_open(&f, h.db) != 0)
        return -1;
    for (int i = 0; i < LIVE; i++) {
        snprintf(live, sizeof live, "live-%d", i);
        fill_interaction(&f, live, agents[i % 3], false);
        for (int64_t n = 0; f.seq < (int64_t)(i + 1) * LIVE_EACH; n++)
            fill_line(&f, live, agents[i % 3], n);
    }
    if (fill_close(&f) != 0)
        return -1;
    long first_cpu;
    int64_t first = first_start(&h, &first_cpu);
    int64_t ms = timed_start(&h);
    if (first < 0 || ms < 0) {
        hubproc_cleanup(&h);
        return -1;
    }
    printf("hub with %d live interactions holding the %d events (%d each): start %lld ms (CPU %ld ms), RSS %.1f MB"
           " (first start, without checkpoints: %lld ms, CPU %ld ms)\n", LIVE, LIVE * LIVE_EACH, LIVE_EACH,
           (long long)ms, cpu_ms(h.pid), rss_kb(h.pid) / 1024.0, (long long)first, first_cpu);
    print_held(&h); /* no consoles: 1,000 of them would each be sent 333 whole histories */
    hubproc_stop(&h, SIGTERM);
    hubproc_cleanup(&h);
    return 0;
}

static int big_phase(void)
{
    hubproc h;
    filler f;
    if (hubproc_setup(&h) != 0 || fill_open(&f, h.db) != 0)
        return -1;
    fill_interaction(&f, "big-1", "agent-1", false);
    for (int64_t n = 0; n < BIG_LINES; n++)
        fill_line(&f, "big-1", "agent-1", n);
    int64_t last = f.seq;
    if (fill_close(&f) != 0)
        return -1;
    long first_cpu;
    int64_t first = first_start(&h, &first_cpu);
    int64_t ms = timed_start(&h);
    if (first < 0 || ms < 0)
        return -1;
    printf("hub with one live interaction of %d lines (%lld events): start %lld ms (CPU %ld ms), RSS %.1f MB"
           " (first start, without checkpoints: %lld ms, CPU %ld ms)\n", BIG_LINES, (long long)last,
           (long long)ms, cpu_ms(h.pid), rss_kb(h.pid) / 1024.0, (long long)first, first_cpu);
    print_held(&h);
    wsc_ctx *x = wsc_ctx_new();
    char extra[96];
    snprintf(extra, sizeof extra, ",\"keep_lines\":%d", KEEP);
    join(x, &h, last, extra, "join the 100,000-line interaction, keep_lines 10,000");
    join(x, &h, last, "", "join the 100,000-line interaction, no keep_lines (every event)");
    snprintf(extra, sizeof extra, ",\"keep_lines\":%d,\"resume_after\":%lld", KEEP, (long long)(last - MISSED));
    join(x, &h, last, extra, "resume after 100,000 missed events, keep_lines 10,000 (a fresh tail)");
    snprintf(extra, sizeof extra, ",\"resume_after\":%lld", (long long)(last - MISSED));
    join(x, &h, last, extra, "resume after 100,000 missed events, no keep_lines (replay)");
    wsc_ctx_free(x);
    hubproc_stop(&h, SIGTERM);
    hubproc_cleanup(&h);
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    /* the phases named on the command line (history, live, big), or all three */
    static const struct {
        const char *name;
        int (*run)(void);
    } phases[] = {{"history", history_phase}, {"live", live_history_phase}, {"big", big_phase}};
    for (size_t i = 0; i < sizeof phases / sizeof phases[0]; i++) {
        bool chosen = argc < 2;
        for (int a = 1; a < argc; a++)
            chosen |= strcmp(argv[a], phases[i].name) == 0;
        if (chosen && phases[i].run() != 0) {
            fprintf(stderr, "bench_hub_history: %s phase: setup failed\n", phases[i].name);
            return 1;
        }
    }
    return 0;
}
