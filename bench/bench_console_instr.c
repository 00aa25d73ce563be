/* bench_console_instr.c — instructions, not seconds: what one utterance event costs the console
 * with 100 and with 100,000 lines of history, and what the codec costs per frame. Counted by
 * valgrind's callgrind, so the figures are the same on a loaded machine as on a quiet one, and
 * `make test` can hold them to a budget (tests/e2e/test_bench_budget.sh).
 *
 * Run with no argument (as `make bench` does), it starts itself under
 *   valgrind --tool=callgrind --instr-atstart=no --collect-atstart=no
 * once per case and reads the collected total from callgrind's output file. Inside valgrind the
 * history is built uninstrumented (fast); instrumentation is switched on after it and collection
 * is toggled around exactly the measured calls, so the count is the events' own work:
 *   console: decode + model_apply + agent_sync_change + widget_render + doupdate of an utterance
 *            frame into a headless 120x40 curses screen (as bench_console_model);
 *   codec:   proto_decode + proto_encode + proto_free of the same utterance frame.
 * Prints
 *   console instructions per utterance event: 100 lines N, 100000 lines N, ratio R
 *   codec instructions per frame: N (decode N + encode N)
 * --quick: history 100 and 10,000 (the CI variant; the ratio is judged the same way).
 * Run: build/bench/bench_console_instr [--quick] */
#include "agentdesk/agent_sync.h"
#include "agentdesk/agent_view.h"
#include "agentdesk/app.h"
#include "agentdesk/session.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

enum { MEASURED_EVENTS = 200, CODEC_FRAMES = 200 };

static void utterance_frame(char *frame, size_t size, size_t i)
{
    snprintf(frame, size,
             "{\"type\":\"utterance\",\"seq\":%zu,\"ts\":2,\"iid\":\"B\",\"uid\":\"u%zu\",\"speaker\":\"customer\","
             "\"text\":\"line %zu: my order arrived late and the box was damaged, can you help me with a refund\","
             "\"final\":true,\"offset_ms\":%zu}",
             i + 1, i, i, i * 100);
}

/* decode, apply, feed the view; draw only when asked (the history is built without drawing). */
static void apply(session *s, agent_view *v, const char *frame, int draw)
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
    if (draw) {
        widget_render(v->render, v->n_render);
        doupdate();
    }
}

/* Inside valgrind: `history` lines, then MEASURED_EVENTS collected utterance events. */
static int child_console(size_t history)
{
    setlocale(LC_ALL, "C.UTF-8");
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    if (!out || !in || !newterm("xterm", out, in)) {
        fprintf(stderr, "no headless screen\n");
        return 1;
    }
    resizeterm(40, 120);
    static app a; /* no network: events come in through apply() */
    static session s;
    static agent_view v;
    char err[256];
    size_t keep = history + MEASURED_EVENTS; /* nothing is evicted: only the history differs */
    if (!session_init(&s, &a, NULL, NULL, NULL, keep, err, sizeof err)) {
        fprintf(stderr, "setup: %s\n", err);
        return 1;
    }
    agent_view_init(&v, keep);
    agent_view_layout(&v);
    apply(&s, &v,
          "{\"type\":\"interaction.started\",\"seq\":1,\"ts\":1,\"iid\":\"B\",\"channel\":\"chat\","
          "\"queue\":\"billing\",\"agent\":\"agent-1\",\"agent_name\":\"Ana\",\"customer_id\":\"C-1\","
          "\"customer_name\":\"Maria Lopez\",\"started_ms\":1}",
          1);
    char frame[1024];
    for (size_t i = 1; i <= history; i++) {
        utterance_frame(frame, sizeof frame, i);
        apply(&s, &v, frame, i == history);
    }
    /* a few drawn events before counting, so the measured ones are the steady state */
    for (size_t i = history + 1; i <= history + 10; i++) {
        utterance_frame(frame, sizeof frame, i);
        apply(&s, &v, frame, 1);
    }
    CALLGRIND_START_INSTRUMENTATION;
    for (size_t i = history + 11; i < history + 11 + MEASURED_EVENTS; i++) {
        utterance_frame(frame, sizeof frame, i); /* the frame is built outside the count */
        CALLGRIND_TOGGLE_COLLECT;
        apply(&s, &v, frame, 1);
        CALLGRIND_TOGGLE_COLLECT;
    }
    CALLGRIND_STOP_INSTRUMENTATION;
    endwin();
    agent_view_free(&v);
    session_free(&s);
    delscreen(set_term(NULL));
    fclose(out);
    fclose(in);
    return 0;
}

/* Inside valgrind: CODEC_FRAMES decodes (+ proto_free) of an utterance frame, or (encode != 0)
 * CODEC_FRAMES encodes of it (+ the free of the text). */
static int child_codec(int encode)
{
    char frame[1024];
    utterance_frame(frame, sizeof frame, 42);
    for (int pass = 0; pass < 2; pass++) { /* pass 0 warms up, pass 1 is counted */
        int count = pass == 1;
        if (count)
            CALLGRIND_START_INSTRUMENTATION;
        for (int i = 0; i < CODEC_FRAMES; i++) {
            proto_event ev;
            proto_error err;
            if (count && !encode) CALLGRIND_TOGGLE_COLLECT;
            bool ok = proto_decode(frame, strlen(frame), PROTO_TO_CONSOLE, &ev, &err);
            if (ok && encode) {
                size_t len;
                if (count) CALLGRIND_TOGGLE_COLLECT;
                char *text = proto_encode(&ev, &len, &err);
                free(text);
                if (count) CALLGRIND_TOGGLE_COLLECT;
            }
            if (ok)
                proto_free(&ev);
            if (count && !encode) CALLGRIND_TOGGLE_COLLECT;
            if (!ok) {
                fprintf(stderr, "decode: %s\n", err.message);
                return 1;
            }
        }
    }
    return 0;
}

/* Runs this program under callgrind in child mode `mode` with argument `arg`; returns the
 * collected instructions (the "totals:" line of the output file), or -1. */
static double callgrind_total(const char *self, const char *mode, const char *arg)
{
    char outfile[] = "/tmp/agentdesk-instr-XXXXXX";
    int fd = mkstemp(outfile);
    if (fd < 0)
        return -1;
    close(fd);
    char opt[128];
    snprintf(opt, sizeof opt, "--callgrind-out-file=%s", outfile);
    pid_t pid = fork();
    if (pid == 0) {
        setenv("AGENTDESK_INSTR_CHILD", mode, 1);
        execlp("valgrind", "valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no", "-q",
               opt, self, arg, (char *)NULL);
        perror("valgrind");
        _exit(127);
    }
    int status;
    double total = -1;
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        FILE *f = fopen(outfile, "r");
        char line[512];
        while (f && fgets(line, sizeof line, f))
            if (strncmp(line, "totals:", 7) == 0)
                total = atof(line + 7);
        if (f)
            fclose(f);
    }
    if (total < 0)
        fprintf(stderr, "bench_console_instr: callgrind run %s %s failed (is valgrind installed?)\n", mode, arg);
    unlink(outfile);
    return total;
}

int main(int argc, char **argv)
{
    const char *child = getenv("AGENTDESK_INSTR_CHILD");
    if (child && strcmp(child, "console") == 0)
        return child_console((size_t)atol(argc > 1 ? argv[1] : "100"));
    if (child && strcmp(child, "codec") == 0)
        return child_codec(argc > 1 && strcmp(argv[1], "encode") == 0);

    int quick = argc > 1 && strcmp(argv[1], "--quick") == 0;
    const char *big = quick ? "10000" : "100000";
    printf("bench_console_instr: callgrind instruction counts; console: decode + apply + sync + draw + doupdate"
           " of an utterance frame (120x40, headless), mean of %d events%s\n",
           MEASURED_EVENTS, quick ? " (quick: 10,000 lines for the long history)" : "");
    fflush(stdout);
    double small_n = callgrind_total(argv[0], "console", "100");
    double big_n = callgrind_total(argv[0], "console", big);
    double dec = callgrind_total(argv[0], "codec", "decode");
    double enc = callgrind_total(argv[0], "codec", "encode");
    if (small_n <= 0 || big_n <= 0 || dec <= 0 || enc <= 0)
        return 1;
    small_n /= MEASURED_EVENTS;
    big_n /= MEASURED_EVENTS;
    dec /= CODEC_FRAMES;
    enc /= CODEC_FRAMES;
    printf("console instructions per utterance event: 100 lines %.0f, %s lines %.0f, ratio %.3f\n", small_n, big,
           big_n, big_n / small_n);
    printf("codec instructions per frame: %.0f (decode %.0f + encode %.0f)\n", dec + enc, dec, enc);
    return 0;
}
