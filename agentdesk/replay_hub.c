/* replay_hub.c — the trainer's list, download and exemplar verdicts against a hub (see
 * replay_hub.h). */
#include "agentdesk/replay_hub.h"
#include "agentdesk/app.h"
#include "agentdesk/net.h"
#include "agentdesk/state.h"
#include "base/fdio.h"
#include "base/mem.h"
#include "base/text.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { ANSWER_MS = 30000, LIST_PAGE = 40 };

typedef enum { JOB_LIST, JOB_GET, JOB_VERDICT } job_kind;

typedef struct {
    app a;
    net *n;
    job_kind kind;
    const replay_hub_request *rq;
    FILE *out;           /* JOB_GET: the recording's lines */
    int part;            /* the next part expected */
    json_t *items;       /* JOB_LIST: the answer */
    char id[64];         /* the request's id: unique, for the hub applies an action id once */
    bool ok;
    char err[400];
} job;

static job *the_job;     /* the child's one job, for the app's timer callback */

static void finish(job *j, bool ok, const char *msg)
{
    j->ok = ok;
    if (msg) {
        char *clean = text_clean(msg, strlen(msg), TEXT_SINGLE_LINE, NULL);
        snprintf(j->err, sizeof j->err, "%s", clean);
        free(clean);
    }
    app_quit(&j->a, ok ? 0 : 1);
}

static void send_request(job *j)
{
    const replay_hub_request *rq = j->rq;
    proto_event ev = proto_new(j->kind == JOB_LIST ? EV_RECORDINGS_LIST
                               : j->kind == JOB_GET ? EV_RECORDING_GET : EV_RECORDING_EXEMPLAR);
    proto_set_str(&ev, "id", j->id);
    if (j->kind == JOB_LIST) {
        proto_set_int(&ev, "limit", LIST_PAGE);
        proto_set_str(&ev, "sort", rq->sort ? rq->sort : "recent");
        if (rq->queue) proto_set_str(&ev, "queue", rq->queue);
        if (rq->agent) proto_set_str(&ev, "agent", rq->agent);
        if (rq->exemplars) proto_set_bool(&ev, "exemplars", true);
    } else {
        proto_set_str(&ev, "iid", rq->iid);
        if (j->kind == JOB_VERDICT) {
            proto_set_str(&ev, "state", rq->verdict);
            if (rq->tags) proto_set_str(&ev, "tags", rq->tags);
            if (rq->comment) proto_set_str(&ev, "comment", rq->comment);
        }
    }
    size_t len;
    proto_error perr;
    char *frame = proto_encode(&ev, &len, &perr);
    proto_free(&ev);
    if (!frame) { finish(j, false, perr.message); return; }
    net_send(j->n, frame, len);
    free(frame);
}

/* A dropped connection starts the answer again from the first part. */
static void on_ready(void *ud)
{
    job *j = ud;
    if (j->out && (fflush(j->out) != 0 || ftruncate(fileno(j->out), 0) != 0 || fseek(j->out, 0, SEEK_SET) != 0)) {
        finish(j, false, "cannot restart the download's file");
        return;
    }
    j->part = 0;
    send_request(j);
}

static void on_recording_part(job *j, const proto_event *ev)
{
    if (proto_int(ev, "part", -1) != j->part++) { finish(j, false, "the hub's parts came out of order"); return; }
    json_t *lines = proto_json(ev, "lines");
    for (size_t i = 0; i < json_array_size(lines); i++) {
        const char *l = json_string_value(json_array_get(lines, i));
        if (l && (fputs(l, j->out) < 0 || fputc('\n', j->out) < 0)) {
            finish(j, false, strerror(errno));
            return;
        }
    }
    if (!proto_bool(ev, "last", false)) return;
    if (!proto_bool(ev, "complete", true)) {
        const char *why = proto_str(ev, "reason");
        fprintf(stderr, "agentdesk replay: the hub says this recording is incomplete (%s); playing what it has\n",
                why && !strcmp(why, "write_failed") ? "a write failed on the hub" : "its file ends in a torn line");
    }
    finish(j, true, NULL);
}

static void on_event(void *ud, const proto_event *ev)
{
    job *j = ud;
    const char *ref = proto_str(ev, ev->type == EV_ERROR || ev->type == EV_ACK ? "ref" : "id");
    if (ev->type == EV_ACK && j->kind == JOB_VERDICT && proto_str(ev, "id") && !strcmp(proto_str(ev, "id"), j->id)) {
        finish(j, true, NULL);
        return;
    }
    if (!ref || strcmp(ref, j->id) != 0) return;
    if (ev->type == EV_ERROR) finish(j, false, proto_str(ev, "message"));
    else if (ev->type == EV_RECORDINGS && j->kind == JOB_LIST) {
        j->items = json_incref(proto_json(ev, "items"));
        finish(j, true, NULL);
    } else if (ev->type == EV_RECORDING && j->kind == JOB_GET) on_recording_part(j, ev);
}

static void on_state(void *ud)
{
    job *j = ud;
    if (net_get_state(j->n) == NET_REFUSED) finish(j, false, net_last_error(j->n));
    /* a one-shot command: a hub that three attempts could not reach is reported, not awaited */
    else if (net_get_state(j->n) == NET_WAITING && net_attempts(j->n) >= 3) {
        char msg[300];
        snprintf(msg, sizeof msg, "cannot reach the hub at %s: %s", net_url(j->n), net_last_error(j->n));
        finish(j, false, msg);
    }
}

static void no_answer(app *a)
{
    (void)a;
    char msg[300];
    snprintf(msg, sizeof msg, "no answer from the hub at %s within %d s%s%s", net_url(the_job->n), ANSWER_MS / 1000,
             *net_last_error(the_job->n) ? ": " : "", net_last_error(the_job->n));
    finish(the_job, false, msg);
}

/* In the child: connect, ask, wait for the answer. */
static void run_job(job *j)
{
    static const net_hooks hooks = {.on_event = on_event, .on_ready = on_ready, .on_state = on_state};
    the_job = j;
    if (!app_init(&j->a, net_protocols(), false, j->err, sizeof j->err)) return;
    j->n = net_new(j->a.ctx, j->rq->url, j->rq->token, "agentdesk-replay", &hooks, j, j->err, sizeof j->err);
    if (!j->n) return;
    app_timer_arm(&j->a, APP_TIMER_USER1, ANSWER_MS, no_answer);
    net_start(j->n);
    app_run(&j->a);
    net_stop(j->n);
}

/* Run one job in a child. Its answer comes back on a pipe: '0' and the list's JSON (or
 * nothing), or '1' and a message. The answer's text (malloc'd) in *answer. */
static bool run_child(job_kind kind, const replay_hub_request *rq, FILE *out, char **answer)
{
    int fds[2];
    *answer = NULL;
    if (pipe(fds) != 0) { *answer = mem_printf("pipe: %s", strerror(errno)); return false; }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]); close(fds[1]);
        *answer = mem_printf("fork: %s", strerror(errno));
        return false;
    }
    if (pid == 0) {
        close(fds[0]);
        static job j;
        j = (job){.kind = kind, .rq = rq, .out = out};
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        snprintf(j.id, sizeof j.id, "replay-%ld-%lld%09ld", (long)getpid(), (long long)now.tv_sec, now.tv_nsec);
        run_job(&j);
        bool ok = j.ok && (!out || (fflush(out) == 0 && fsync(fileno(out)) == 0));
        char *text = ok && j.items ? json_dumps(j.items, JSON_COMPACT) : NULL;
        const char *body = ok ? (text ? text : "") : *j.err ? j.err : "the hub closed the connection";
        bool sent = fd_write_all(fds[1], ok ? "0" : "1", 1) == 0 && fd_write_all(fds[1], body, strlen(body)) == 0;
        _exit(sent && ok ? 0 : 1);   /* the loop's context is the child's copy: nothing to undo */
    }
    close(fds[1]);
    size_t len = 0, cap = 4096;
    char *buf = mem_alloc(cap);
    for (;;) {
        if (len + 1 == cap) buf = mem_realloc(buf, cap *= 2);
        ssize_t r = read(fds[0], buf + len, cap - len - 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        len += (size_t)r;
    }
    buf[len] = '\0';
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    bool ok = len > 0 && buf[0] == '0' && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    *answer = mem_strdup(len > 0 ? buf + 1 : "the hub's exchange ended without an answer");
    free(buf);
    return ok;
}

/* ---- the list ---- */

static const char *item_str(const json_t *item, const char *key)
{
    const char *v = json_string_value(json_object_get(item, key));
    return v ? v : "";
}

/* One line of the trainer's list for a recordings item (untrusted JSON), cleaned. */
static void item_line(FILE *out, size_t number, const json_t *item)
{
    time_t started = (time_t)(json_integer_value(json_object_get(item, "started_ms")) / 1000);
    char when[32] = "";
    struct tm tm;
    if (localtime_r(&started, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    long secs = (long)(json_integer_value(json_object_get(item, "duration_ms")) / 1000);
    bool ended = json_is_true(json_object_get(item, "ended"));
    char mood[48];
    snprintf(mood, sizeof mood, "%s", ended ? "no customer sentiment" : "(known when it ends)");
    if (json_is_number(json_object_get(item, "sentiment_last")))
        snprintf(mood, sizeof mood, "%+.2f → %+.2f (low %+.2f)",
                 json_number_value(json_object_get(item, "sentiment_first")),
                 json_number_value(json_object_get(item, "sentiment_last")),
                 json_number_value(json_object_get(item, "sentiment_low")));
    const char *ex = item_str(item, "exemplar");
    const char *mark = !strcmp(ex, "confirmed") ? "EXEMPLAR" : !strcmp(ex, "proposed") ? "proposed"
                       : !strcmp(ex, "rejected") ? "rejected" : "";
    char raw[1200];
    snprintf(raw, sizeof raw, "%3zu  %s  %-10.10s %-10.10s %3ld:%02ld  %-30s %2lld flag%s  %-12.12s %-8s %s%s%s",
             number, when, item_str(item, "queue"), item_str(item, "agent"), secs / 60, secs % 60, mood,
             (long long)json_integer_value(json_object_get(item, "flags")),
             json_integer_value(json_object_get(item, "flags")) == 1 ? " " : "s",
             *item_str(item, "disposition") ? item_str(item, "disposition") : ended ? "-" : "live",
             mark, *item_str(item, "tags") ? " [" : "", item_str(item, "tags"), *item_str(item, "tags") ? "]" : "");
    /* everything above came from the hub: one cleaning before the terminal */
    char *clean = text_clean(raw, strlen(raw), TEXT_SINGLE_LINE, NULL);
    fprintf(out, "%s\n", clean);
    free(clean);
    const char *iid = item_str(item, "iid");
    char *ciid = text_clean(iid, strlen(iid), TEXT_SINGLE_LINE, NULL);
    fprintf(out, "       %s\n", ciid);
    free(ciid);
    if (*item_str(item, "comment")) {
        const char *c = item_str(item, "comment");
        char *cc = text_clean(c, strlen(c), TEXT_SINGLE_LINE, NULL);
        fprintf(out, "       \"%s\"\n", cc);
        free(cc);
    }
}

/* The download's place: $XDG_STATE_HOME/agentdesk/hub-recordings/IID.jsonl, the iid's bytes
 * other than [A-Za-z0-9_.-] made '_' (cut to 100). */
static char *download_path(const char *iid, char *err, size_t errlen)
{
    char *sdir = state_dir(err, errlen);
    if (!sdir) return NULL;
    char *dir = mem_printf("%s/hub-recordings", sdir);
    free(sdir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot make %s: %s", dir, strerror(errno));
        free(dir);
        return NULL;
    }
    char name[101];
    size_t n = 0;
    for (const char *p = iid; *p && n < sizeof name - 1; p++) {
        bool plain = (strchr("_.-", *p) || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                      (*p >= '0' && *p <= '9')) && !(n == 0 && *p == '.');
        name[n++] = plain ? *p : '_';
    }
    name[n] = '\0';
    char *path = mem_printf("%s/%s.jsonl", dir, name);
    free(dir);
    return path;
}

static char *download(const replay_hub_request *rq, char *err, size_t errlen)
{
    char *path = download_path(rq->iid, err, errlen);
    if (!path) return NULL;
    char *tmp = mem_printf("%s.part", path);
    int fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    char *answer = NULL;
    bool ok = out && run_child(JOB_GET, rq, out, &answer);
    if (!out) snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
    else if (!ok) snprintf(err, errlen, "%s", answer);
    if (out) fclose(out);
    else if (fd >= 0) close(fd);
    if (ok && rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot keep %s: %s", path, strerror(errno));
        ok = false;
    }
    if (!ok) { unlink(tmp); free(path); path = NULL; }
    free(tmp);
    free(answer);
    return path;
}

char *replay_hub_fetch(const replay_hub_request *rq, char *err, size_t errlen)
{
    if (rq->iid) return download(rq, err, errlen);
    char *answer = NULL;
    if (!run_child(JOB_LIST, rq, NULL, &answer)) {
        snprintf(err, errlen, "%s", answer);
        free(answer);
        return NULL;
    }
    json_t *items = json_loads(answer, 0, NULL);
    free(answer);
    size_t n = json_array_size(items);
    char *path = NULL;
    *err = '\0';
    if (n == 0) {
        snprintf(err, errlen, "the hub has no recording%s", rq->queue || rq->agent || rq->exemplars ? " that matches" : "");
    } else {
        printf("recordings on the hub, %s%s:\n", rq->exemplars ? "exemplars only, " : "exemplars first, then ",
               rq->sort && strcmp(rq->sort, "recent") ? rq->sort : "newest");
        printf("  #  started           queue      agent       time  customer sentiment             flags  "
               "outcome      exemplar\n");
        for (size_t i = 0; i < n; i++) item_line(stdout, i + 1, json_array_get(items, i));
        if (rq->ask) {
            printf("play which? [1] ");
            fflush(stdout);
            char line[32];
            size_t pick = 0;
            if (fgets(line, sizeof line, stdin) && line[0] != '\n') {
                char *end;
                long k = strtol(line, &end, 10);
                pick = k >= 1 && (size_t)k <= n && (*end == '\n' || !*end) ? (size_t)k : 0;
                if (!pick) snprintf(err, errlen, "no recording numbered \"%.10s\"", line);
            } else pick = 1;
            if (pick) {
                replay_hub_request one = *rq;
                one.iid = item_str(json_array_get(items, pick - 1), "iid");
                path = download(&one, err, errlen);
            }
        }
    }
    json_decref(items);
    return path;
}

bool replay_hub_verdict(const replay_hub_request *rq, char *err, size_t errlen)
{
    char *answer = NULL;
    bool ok = run_child(JOB_VERDICT, rq, NULL, &answer);
    if (!ok) snprintf(err, errlen, "%s", answer);
    free(answer);
    return ok;
}
