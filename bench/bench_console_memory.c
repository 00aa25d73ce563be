/* bench_console_memory.c — what the console's transcript costs in memory, in-process like
 * bench_console_model: a session (model) and the agent screen's widgets started with
 * `--scrollback N`, then N customer utterances of about 90 bytes each applied to the model
 * and fed to the agent view, drawn into a headless 120x40 curses screen after each one (as a
 * live screen would). Run once for N = 10,000 and once for N = 100,000, each in its own
 * child process so one run's heap does not hide in the other's.
 *
 * Prints, for each N: heap bytes in use (mallinfo2(): uordblks + hblkhd) after the start with no line,
 * and after the N lines; bytes per line; bytes per line over the text's own length; and the
 * process's PSS and RSS (from /proc/self/smaps_rollup) at the start and at the end.
 * Run: build/bench/bench_console_memory (or `make bench`). */
#include "agentdesk/agent_sync.h"
#include "agentdesk/agent_view.h"
#include "agentdesk/app.h"
#include "agentdesk/session.h"

#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Customer sentences of a realistic length (80..100 bytes); line i says sentence i % 8
 * with its number, so no two texts are the same. */
static const char *const sentences[] = {
    "my order arrived late and the box was damaged, can you help me with a refund please",
    "I was charged twice for the same subscription this month and I would like one charge back",
    "the tracking page has said out for delivery since Monday and nobody has come to the door",
    "can you change the delivery address on my order, I moved last week and forgot to update it",
    "the replacement you sent is the wrong size again, this is the second time it has happened",
    "I tried to reset my password but the email never arrives, not even in the spam folder",
    "your colleague promised me a call back yesterday about the refund but nobody called me",
    "is there any way to get the express shipping fee back since the parcel came four days late",
};

/* Bytes the program holds from malloc: small blocks (uordblks) and the large ones malloc
 * gives their own mapping (hblkhd), or a big calloc would not count. */
static size_t heap_in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

/* kB of the `key:` line of /proc/self/smaps_rollup, -1 when absent. */
static long smaps_kb(const char *key)
{
    FILE *f = fopen("/proc/self/smaps_rollup", "r");
    char line[256];
    long kb = -1;
    size_t klen = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
            kb = strtol(line + klen + 1, NULL, 10);
            break;
        }
    if (f) fclose(f);
    return kb;
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

static int run(size_t n)
{
    setlocale(LC_ALL, "C.UTF-8");
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    if (!out || !in || !newterm("xterm", out, in)) { fprintf(stderr, "no headless screen\n"); return 1; }
    resizeterm(40, 120);
    static app a;   /* no network: session_init with no url, events come in through apply() */
    static session s;
    static agent_view v;
    char err[256];
    size_t heap0 = heap_in_use();
    if (!session_init(&s, &a, NULL, NULL, NULL, n, err, sizeof err)) {
        fprintf(stderr, "setup: %s\n", err);
        return 1;
    }
    agent_view_init(&v, n);
    agent_view_layout(&v);
    apply(&s, &v, "{\"type\":\"interaction.started\",\"seq\":1,\"ts\":1,\"iid\":\"B\",\"channel\":\"chat\","
                  "\"queue\":\"billing\",\"agent\":\"agent-1\",\"agent_name\":\"Ana\",\"customer_id\":\"C-1\","
                  "\"customer_name\":\"Maria Lopez\",\"started_ms\":1}");
    size_t heap_start = heap_in_use();
    long pss0 = smaps_kb("Pss"), rss0 = smaps_kb("Rss");
    size_t text_bytes = 0;
    char text[256], frame[1024];
    for (size_t i = 1; i <= n; i++) {
        int len = snprintf(text, sizeof text, "%zu: %s", i,
                           sentences[i % (sizeof sentences / sizeof *sentences)]);
        text_bytes += (size_t)len;
        snprintf(frame, sizeof frame,
                 "{\"type\":\"utterance\",\"seq\":%zu,\"ts\":2,\"iid\":\"B\",\"uid\":\"u%zu\","
                 "\"speaker\":\"customer\",\"text\":\"%s\",\"final\":true,\"offset_ms\":%zu}",
                 i + 1, i, text, i * 1000);
        apply(&s, &v, frame);
    }
    size_t heap_end = heap_in_use();
    long pss = smaps_kb("Pss"), rss = smaps_kb("Rss");
    model_ix *ix = model_find(&s.model, "B");
    size_t held = ix ? (size_t)(model_line_end(ix) - ix->first_no) : 0;
    endwin();
    double per_line = (double)(heap_end - heap_start) / (double)n;
    double text_avg = (double)text_bytes / (double)n;
    printf("  --scrollback %zu: start %zu B heap (no line), PSS %ld kB, RSS %ld kB;"
           " after %zu lines (%zu held) %zu B heap\n",
           n, heap_start - heap0, pss0, rss0, n, held, heap_end - heap0);
    printf("    %.1f B per line, text %.1f B, %.1f B per line over the text; PSS %ld kB, RSS %ld kB\n",
           per_line, text_avg, per_line - text_avg, pss, rss);
    fflush(stdout);
    agent_view_free(&v);
    session_free(&s);
    delscreen(set_term(NULL));
    fclose(out);
    fclose(in);
    return 0;
}

int main(void)
{
    static const size_t sizes[] = {10000, 100000};
    printf("bench_console_memory: N customer utterances (~90 B text) into one interaction with "
           "--scrollback N, applied to the model and fed to the agent view, drawn after each "
           "(120x40, headless); heap = mallinfo2() uordblks + hblkhd\n");
    fflush(stdout);
    int rc = 0;
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        pid_t pid = fork();
        if (pid < 0) { perror("fork"); return 1; }
        if (pid == 0) _exit(run(sizes[k]));
        int status;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) rc = 1;
    }
    return rc;
}
