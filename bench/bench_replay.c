/* bench_replay.c — the trainer's replay on a long recording: the time to open a
 * 100,000-event recording (read, decode every line, build the keyframes) and to seek to its
 * end, to its middle and to 1,000 random positions, with the events each seek applies (at
 * most the keyframe spacing: a load-independent measure) and the memory held.
 *
 * The recording is made in the hub's format from a real one: the header and lines of
 * tests/fuzz/corpus/fuzz_recording/demo-cant-afford-bill.jsonl (recorded by the demo hub),
 * its utterance and sentiment lines repeated with new seqs, uids and times, a partial before
 * each final, until 100,000 events.
 * With --instr it runs itself under valgrind's callgrind and prints instruction counts, which
 * do not move with the machine's load: a seek to the end at 10,000 and 100,000 events (the
 * recording read and indexed uninstrumented), and the open of a 10,000-event recording.
 * Run from the repository root: build/bench/bench_replay [EVENTS | --instr] */
#include "agentdesk/model.h"
#include "agentdesk/recording.h"
#include "agentdesk/replay_timeline.h"
#include "base/clock.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#define SEED "tests/fuzz/corpus/fuzz_recording/demo-cant-afford-bill.jsonl"

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kib = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kib;
}

static void put(FILE *out, json_t *j)
{
    char *s = json_dumps(j, JSON_COMPACT);
    fprintf(out, "%s\n", s);
    free(s);
}

/* Writes the recording to `path`: the seed's lines but its end, then copies, then the end. */
static size_t make_recording(const char *path, size_t target)
{
    FILE *in = fopen(SEED, "r"), *out = fopen(path, "w");
    if (!in || !out) { fprintf(stderr, "bench_replay: cannot read %s or write %s\n", SEED, path); exit(1); }
    char *line = NULL;
    size_t cap = 0, n = 0;
    json_t *pool[256], *ended = NULL;
    size_t np = 0;
    int64_t seq = 0, ts = 0;
    while (getline(&line, &cap, in) > 0) {
        json_t *j = json_loads(line, 0, NULL);
        const char *type = json_string_value(json_object_get(j, "type"));
        if (json_object_get(j, "seq")) seq = json_integer_value(json_object_get(j, "seq"));
        if (json_object_get(j, "ts")) ts = json_integer_value(json_object_get(j, "ts"));
        if (type && strcmp(type, "interaction.ended") == 0) { ended = j; continue; }
        fputs(line, out);
        if (json_object_get(j, "seq")) n++;
        if (type && (strcmp(type, "utterance") == 0 || strcmp(type, "sentiment") == 0) && np < 256) pool[np++] = j;
        else json_decref(j);
    }
    for (size_t i = 0; n < target - 1; i++) {
        json_t *j = json_deep_copy(pool[i % np]);
        char uid[32];
        snprintf(uid, sizeof uid, "b%zu", i);
        bool utt = strcmp(json_string_value(json_object_get(j, "type")), "utterance") == 0;
        json_object_set_new(j, "uid", json_string(uid));
        if (utt) {   /* its partial first, as speech arrives */
            json_t *p = json_deep_copy(j);
            json_object_set_new(p, "final", json_false());
            json_object_set_new(p, "seq", json_integer(++seq));
            json_object_set_new(p, "ts", json_integer(ts += 400));
            put(out, p);
            json_decref(p);
            n++;
        }
        json_object_set_new(j, "seq", json_integer(++seq));
        json_object_set_new(j, "ts", json_integer(ts += 800));
        put(out, j);
        json_decref(j);
        n++;
    }
    if (ended) {
        json_object_set_new(ended, "seq", json_integer(++seq));
        json_object_set_new(ended, "ts", json_integer(ts += 1000));
        put(out, ended);
        json_decref(ended);
        n++;
    }
    for (size_t i = 0; i < np; i++) json_decref(pool[i]);
    free(line);
    fclose(in);
    fclose(out);
    return n;
}

/* Inside callgrind: open (or open uninstrumented, then seek to the end) collected. */
static int child(const char *what, size_t target)
{
    char path[] = "/tmp/bench-replay-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 1;
    close(fd);
    make_recording(path, target);
    bool open = strcmp(what, "open") == 0;
    recording r;
    replay_timeline tl;
    char err[300];
    model m;
    model_init(&m, 2000);
    if (open) { CALLGRIND_START_INSTRUMENTATION; CALLGRIND_TOGGLE_COLLECT; }
    recording_reader rd = replay_timeline_reader(&tl, &r, 2000, 0);
    if (!recording_open_file(&r, path, &rd, err, sizeof err)) return 1;
    replay_timeline_finish(&tl);
    if (open) { CALLGRIND_TOGGLE_COLLECT; CALLGRIND_STOP_INSTRUMENTATION; }
    else {
        CALLGRIND_START_INSTRUMENTATION;
        CALLGRIND_TOGGLE_COLLECT;
        replay_timeline_seek(&tl, &m, r.n_events);
        CALLGRIND_TOGGLE_COLLECT;
        CALLGRIND_STOP_INSTRUMENTATION;
    }
    model_free(&m);
    replay_timeline_free(&tl);
    recording_free(&r);
    unlink(path);
    return 0;
}

static double callgrind_total(const char *self, const char *what, const char *events)
{
    char outfile[] = "/tmp/agentdesk-instr-XXXXXX";
    int fd = mkstemp(outfile);
    if (fd < 0) return -1;
    close(fd);
    char opt[128];
    snprintf(opt, sizeof opt, "--callgrind-out-file=%s", outfile);
    pid_t pid = fork();
    if (pid == 0) {
        setenv("AGENTDESK_INSTR_CHILD", what, 1);
        execlp("valgrind", "valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no", "-q",
               opt, self, events, (char *)NULL);
        _exit(127);
    }
    int status;
    double total = -1;
    if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        FILE *f = fopen(outfile, "r");
        char line[512];
        while (f && fgets(line, sizeof line, f))
            if (strncmp(line, "totals:", 7) == 0) total = atof(line + 7);
        if (f) fclose(f);
    }
    unlink(outfile);
    if (total < 0) fprintf(stderr, "bench_replay: callgrind %s %s failed (is valgrind installed?)\n", what, events);
    return total;
}

int main(int argc, char **argv)
{
    const char *in_child = getenv("AGENTDESK_INSTR_CHILD");
    if (in_child) return child(in_child, strtoul(argc > 1 ? argv[1] : "10000", NULL, 10));
    if (argc > 1 && strcmp(argv[1], "--instr") == 0) {
        double s10 = callgrind_total(argv[0], "seek", "10000"), s100 = callgrind_total(argv[0], "seek", "100000");
        double o10 = callgrind_total(argv[0], "open", "10000");
        if (s10 <= 0 || s100 <= 0 || o10 <= 0) return 1;
        printf("seek to the end (callgrind): 10,000 events %.0f instructions, 100,000 events %.0f\n", s10, s100);
        printf("open (read, decode, keyframes) of 10,000 events: %.0f instructions, %.0f per event\n", o10, o10 / 10000);
        return 0;
    }
    size_t target = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    char path[] = "/tmp/bench-replay-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return 1;
    close(fd);
    size_t written = make_recording(path, target);
    long rss0 = rss_kib();
    int64_t t0 = clock_mono_us();
    recording r;
    char err[300];
    replay_timeline tl;
    recording_reader rd = replay_timeline_reader(&tl, &r, 2000, 0);   /* one pass, as the player opens */
    if (!recording_open_file(&r, path, &rd, err, sizeof err)) { fprintf(stderr, "%s\n", err); return 1; }
    replay_timeline_finish(&tl);
    int64_t t2 = clock_mono_us();
    model m;
    model_init(&m, 2000);
    replay_timeline_seek(&tl, &m, r.n_events);
    int64_t t3 = clock_mono_us();
    replay_timeline_seek(&tl, &m, r.n_events / 2);
    int64_t t4 = clock_mono_us();
    int64_t worst = 0, sum = 0;
    srand(1);
    for (int i = 0; i < 1000; i++) {
        size_t pos = (size_t)rand() % (r.n_events + 1);
        int64_t a = clock_mono_us();
        replay_timeline_seek(&tl, &m, pos);
        int64_t d = clock_mono_us() - a;
        sum += d;
        if (d > worst) worst = d;
    }
    printf("recording: %zu events written, %zu read, %zu bad, %.1f MB\n", written, r.n_events, r.n_bad,
           (double)r.len / 1e6);
    printf("open: %.0f ms (read, decode, apply and %zu keyframes, one every %zu events)\n",
           (double)(t2 - t0) / 1000, tl.n_keys, tl.every);
    printf("seek to the end: %.1f ms; to the middle: %.1f ms; 1,000 random seeks: mean %.1f ms, worst %.1f ms\n",
           (double)(t3 - t2) / 1000, (double)(t4 - t3) / 1000, (double)sum / 1000 / 1000, (double)worst / 1000);
    printf("a seek applies at most %zu events (the keyframe spacing) whatever the length\n", tl.every - 1);
    printf("memory: %.0f MB held by the recording, its keyframes and the model\n", (double)(rss_kib() - rss0) / 1024);
    model_free(&m);
    replay_timeline_free(&tl);
    recording_free(&r);
    unlink(path);
    return 0;
}
