/* bench_console_model.c — the console's per-event cost in-process, without network noise:
 * decode a frame (proto_decode), apply it to the model, feed the agent screen's widgets and
 * draw the dirty ones into a headless 120x40 curses screen (newterm on /dev/null), one
 * doupdate per event. 10,000 utterances (each followed by its sentiment event) into one
 * interaction; prints the time per event for the first and the last thousand (the cost must
 * not grow with history) and the RSS holding 10,000 transcript lines.
 * Run: build/bench/bench_console_model (or `make bench`). */
#include "agentdesk/agent_sync.h"
#include "agentdesk/agent_view.h"
#include "agentdesk/app.h"
#include "agentdesk/session.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LINES_N 10000

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1) break;
    if (f) fclose(f);
    return kb;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void apply(session *s, agent_view *v, const char *frame)
{
    proto_event ev;
    proto_error err;
    if (!proto_decode(frame, strlen(frame), PROTO_TO_CONSOLE, &ev, &err)) {
        fprintf(stderr, "decode: %s\n", err.message);
        exit(1);
    }
    model_delta d = model_apply(&s->model, &ev);
    agent_sync_change(v, s, &d);
    proto_free(&ev);
    widget_render(v->render, v->n_render);
    doupdate();
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    const char *term = "xterm";   /* the real terminal does not matter: output goes to /dev/null */
    if (!out || !in || !newterm(term, out, in)) { fprintf(stderr, "no headless screen\n"); return 1; }
    resizeterm(40, 120);
    lws_set_log_level(0, NULL);
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof info);
    info.port = CONTEXT_PORT_NO_LISTEN;
    static app a;
    a.ctx = lws_create_context(&info);
    static session s;
    char err[256];
    if (!a.ctx || !session_init(&s, &a, "ws://127.0.0.1:9", "bench", NULL, LINES_N, err, sizeof err)) {
        fprintf(stderr, "setup: %s\n", err);
        return 1;
    }
    static agent_view v;
    agent_view_init(&v, LINES_N);
    agent_view_layout(&v);
    long rss0 = rss_kb();
    apply(&s, &v, "{\"type\":\"interaction.started\",\"seq\":1,\"ts\":1,\"iid\":\"B\",\"channel\":\"chat\","
                  "\"queue\":\"billing\",\"agent\":\"agent-1\",\"agent_name\":\"Ana\",\"customer_id\":\"C-1\","
                  "\"customer_name\":\"Maria Lopez\",\"started_ms\":1}");
    double t_first = 0, t_last = 0, t0 = now_ms();
    char frame[1024];
    for (int i = 1; i <= LINES_N; i++) {
        double t = now_ms();
        snprintf(frame, sizeof frame,
                 "{\"type\":\"utterance\",\"seq\":%d,\"ts\":2,\"iid\":\"B\",\"uid\":\"u%d\",\"speaker\":\"customer\","
                 "\"text\":\"line %d: my order arrived late and the box was damaged, can you help me with a refund\","
                 "\"final\":true,\"offset_ms\":%d}", 2 * i, i, i, i * 100);
        apply(&s, &v, frame);
        snprintf(frame, sizeof frame,
                 "{\"type\":\"sentiment\",\"seq\":%d,\"ts\":2,\"iid\":\"B\",\"uid\":\"u%d\",\"score\":-0.3,"
                 "\"label\":\"negative\",\"trend\":-0.2,\"slope\":-0.01,\"terms\":[\"damaged\"]}", 2 * i + 1, i);
        apply(&s, &v, frame);
        double d = now_ms() - t;
        if (i <= 1000) t_first += d;
        if (i > LINES_N - 1000) t_last += d;
    }
    double total = now_ms() - t0;
    long rss1 = rss_kb();
    model_ix *ix = model_find(&s.model, "B");
    endwin();
    printf("bench_console_model: %d utterances + %d sentiments, decode+apply+sync+draw+doupdate each (120x40, headless)\n",
           LINES_N, LINES_N);
    printf("  per utterance+sentiment pair: first 1000 %.1f us, last 1000 %.1f us, all %.1f us\n",
           t_first * 1000 / 1000, t_last * 1000 / 1000, total * 1000 / LINES_N);
    printf("  model holds %zu lines; RSS %ld kB before, %ld kB after (+%ld kB)\n",
           ix ? ix->count : 0, rss0, rss1, rss1 - rss0);
    agent_view_free(&v);
    session_free(&s);
    lws_context_destroy(a.ctx);
    delscreen(set_term(NULL));
    fclose(out);
    fclose(in);
    return 0;
}
