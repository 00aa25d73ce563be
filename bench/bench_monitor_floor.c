/* bench_monitor_floor.c — the supervisor floor's cost per refresh, in-process and without
 * network noise: 500 live interactions built in the model from decoded frames (each with
 * customer lines, sentiment, a flag on one in ten, three suggestions), then the floor rebuilt
 * (rows, attention, order, agents) and the grid drawn into a headless 120x40 curses screen
 * (newterm on /dev/null), REFRESHES times. Prints the time per refresh and per draw; run it
 * under `valgrind --tool=callgrind` for instruction counts that do not depend on the load.
 * Run: build/bench/bench_monitor_floor [INTERACTIONS] [REFRESHES]. */
#include "agentdesk/monitor_floor.h"
#include "agentdesk/monitor_view.h"
#include "agentdesk/session.h"
#include "base/clock.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void apply(model *m, const char *frame)
{
    proto_event ev;
    proto_error err;
    if (!proto_decode(frame, strlen(frame), PROTO_TO_CONSOLE, &ev, &err)) {
        fprintf(stderr, "decode: %s: %s\n", err.message, frame);
        exit(1);
    }
    model_apply(m, &ev);
    proto_free(&ev);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 500, reps = argc > 2 ? atoi(argv[2]) : 200;
    setlocale(LC_ALL, "C.UTF-8");
    FILE *null = fopen("/dev/null", "w");
    SCREEN *scr = newterm("xterm-256color", null, stdin);
    set_term(scr);
    resizeterm(40, 120);
    app a = {0};
    session s;
    char err[200];
    if (!session_init(&s, &a, NULL, NULL, NULL, 1000, err, sizeof err)) { fprintf(stderr, "%s\n", err); return 1; }
    char f[1024];
    int64_t seq = 1, now = clock_wall_ms();
    apply(&s.model, "{\"type\":\"welcome\",\"user\":\"supervisor\",\"display_name\":\"Sam Ortiz\",\"role\":\"supervisor\",\"hub_id\":\"b\",\"seq\":0,\"protocol\":1}");
    static const char *queues[] = {"billing", "fraud", "tech", "sales", "delivery", "retention"};
    for (int i = 0; i < n; i++) {
        snprintf(f, sizeof f, "{\"type\":\"interaction.started\",\"seq\":%lld,\"ts\":1,\"iid\":\"F-%d\",\"channel\":\"chat\",\"queue\":\"%s\","
                 "\"agent\":\"agent-%d\",\"agent_name\":\"Agent %d\",\"customer_id\":\"C-%d\",\"customer_name\":\"Customer %d\",\"started_ms\":%lld}",
                 (long long)seq++, i, queues[i % 6], i % 8 + 1, i % 8 + 1, i, i, (long long)(now - (i % 600) * 1000));
        apply(&s.model, f);
        for (int k = 0; k < 6; k++) {
            snprintf(f, sizeof f, "{\"type\":\"utterance\",\"seq\":%lld,\"ts\":2,\"iid\":\"F-%d\",\"uid\":\"u%d\",\"speaker\":\"%s\",\"text\":\"line %d\",\"final\":true,\"offset_ms\":%d}",
                     (long long)seq++, i, k, k % 2 ? "agent" : "customer", k, k * 1000);
            apply(&s.model, f);
            double sc = ((i * 7 + k * 13) % 200) / 100.0 - 1;
            snprintf(f, sizeof f, "{\"type\":\"sentiment\",\"seq\":%lld,\"ts\":3,\"iid\":\"F-%d\",\"uid\":\"u%d\",\"score\":%.2f,\"label\":\"neutral\",\"trend\":%.2f,\"slope\":0,\"terms\":[],\"emotion\":\"anger\",\"cues\":[],\"level\":\"neutral\",\"direction\":-1}",
                     (long long)seq++, i, k, sc, sc);
            apply(&s.model, f);
        }
        for (int k = 0; k < 3; k++) {
            snprintf(f, sizeof f, "{\"type\":\"suggestion\",\"seq\":%lld,\"ts\":4,\"iid\":\"F-%d\",\"sid\":\"S-%d\",\"title\":\"Article %d\",\"text\":\"t\",\"source\":\"KB\",\"score\":0.5}",
                     (long long)seq++, i, k, k + i % 3);
            apply(&s.model, f);
        }
        if (i % 10 == 0) {
            snprintf(f, sizeof f, "{\"type\":\"flag\",\"seq\":%lld,\"ts\":5,\"iid\":\"F-%d\",\"fid\":\"X-%d\",\"kind\":\"churn\",\"severity\":3,\"text\":\"t\",\"rule\":\"r\",\"evidence\":\"e\",\"offset_ms\":1}",
                     (long long)seq++, i, i);
            apply(&s.model, f);
        }
    }
    monitor_view v;
    monitor_view_init(&v, &s);
    monitor_view_layout(&v);
    double rebuild_ms = 0, draw_ms = 0;
    for (int r = 0; r < reps; r++) {
        s.model.version++;   /* as if an event arrived */
        int64_t t0 = clock_mono_us();
        monitor_view_refresh(&v, false);
        int64_t t1 = clock_mono_us();
        table_widget(v.grid)->dirty = true;
        widget_render(v.render, v.n_render);
        doupdate();
        rebuild_ms += (t1 - t0) / 1000.0;
        draw_ms += (clock_mono_us() - t1) / 1000.0;
    }
    printf("floor of %d interactions, %d refreshes: rebuild %.3f ms, draw %.3f ms each\n", n, reps,
           rebuild_ms / reps, draw_ms / reps);
    monitor_view_free(&v);
    session_free(&s);
    endwin();
    delscreen(scr);
    fclose(null);
    return 0;
}
