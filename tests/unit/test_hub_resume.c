/* test_hub_resume.c — resume across dropped connections and a `kill -9` of the hub under
 * load: a connector keeps sending (resending what was not acked after each reconnect), two
 * consoles (a supervisor and agent-1) reconnect with resume_after = the last seq they saw.
 * A third console says a plain hello (snapshot) mid-load and resumes after that.
 * At the end every seq in the event log that a console may see was received exactly once,
 * nothing else was received, and every final transcript line is in the log exactly once. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

enum { CALLS = 24, LINES = 40, MAXSEQ = 1 << 20, WINDOW = 300 };

static hubproc H;
static wsc_ctx *X;

typedef struct {
    char **frames;
    char **ids;
    bool *acked;
    int n, next, low;
    wsc *c;
    bool welcomed;
    int reconnects;
} feeder;

typedef struct {
    const char *token;
    wsc *c;
    unsigned char *count;
    int64_t last;
    int dups, out_of_order, reconnects;
    bool welcomed;
    bool snapshot_first;   /* first hello without resume_after: snapshot, then live */
    bool started;
    int64_t snap_seq;
} reader;

static feeder F;
static reader SUP = {.token = "tok-supervisor"}, A1 = {.token = "tok-agent-1"};
static reader SNAP = {.token = "tok-supervisor", .snapshot_first = true};

static void add_frame(char *frame, const char *id)
{
    F.frames = realloc(F.frames, (size_t)(F.n + 1) * sizeof *F.frames);
    F.ids = realloc(F.ids, (size_t)(F.n + 1) * sizeof *F.ids);
    F.frames[F.n] = frame;
    F.ids[F.n] = strdup(id);
    F.n++;
}

static void build_script(void)
{
    char id[64], *f;
    for (int c = 0; c < CALLS; c++) {
        snprintf(id, sizeof id, "s-%d", c);
        if (asprintf(&f, "{\"type\":\"start\",\"id\":\"%s\",\"iid\":\"call-%d\",\"channel\":\"%s\",\"queue\":\"billing\","
                         "\"agent\":\"agent-%d\",\"customer_id\":\"C-1001\"}",
                     id, c, c % 2 ? "chat" : "voice", c % 3 + 1) < 0)
            abort();
        add_frame(f, id);
    }
    for (int l = 0; l < LINES; l++)
        for (int c = 0; c < CALLS; c++) {
            for (int part = 0; part < 3; part++) {
                bool final = part == 2;
                snprintf(id, sizeof id, "u-%d-%d-%d", c, l, part);
                if (asprintf(&f, "{\"type\":\"utterance\",\"id\":\"%s\",\"iid\":\"call-%d\",\"uid\":\"l%d\",\"speaker\":\"%s\","
                                 "\"text\":\"line %d of call %d%s\",\"final\":%s,\"offset_ms\":%d}",
                             id, c, l, l % 2 ? "agent" : "customer", l, c, final ? " is now complete" : part ? " is" : "",
                             final ? "true" : "false", l * 1000) < 0)
                    abort();
                add_frame(f, id);
            }
        }
    for (int c = 0; c < CALLS; c++) {
        snprintf(id, sizeof id, "e-%d", c);
        if (asprintf(&f, "{\"type\":\"end\",\"id\":\"%s\",\"iid\":\"call-%d\",\"reason\":\"resolved\"}", id, c) < 0)
            abort();
        add_frame(f, id);
    }
    F.acked = calloc((size_t)F.n, sizeof *F.acked);
}

static int index_of(const char *id)
{
    /* ids are unique; acks arrive roughly in order, so look forward from the low mark */
    for (int i = F.low; i < F.n; i++)
        if (strcmp(F.ids[i], id) == 0)
            return i;
    return -1;
}

static void feeder_pump(void)
{
    if (!F.c || wsc_is_closed(F.c)) {
        F.c = wsc_connect(X, H.port, "agentdesk.ingest.v1", 200);
        if (!F.c)
            return;
        F.reconnects++;
        F.welcomed = false;
        wsc_send(F.c, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"resume-test\"}");
    }
    json_t *j;
    while ((j = wsc_recv(F.c, 0))) {
        const char *t = json_string_value(json_object_get(j, "type"));
        if (t && strcmp(t, "welcome") == 0) {
            F.welcomed = true;
            F.next = F.low; /* resend everything not acked, in order */
        } else if (t && strcmp(t, "ack") == 0) {
            int i = index_of(json_string_value(json_object_get(j, "id")));
            if (i >= 0)
                F.acked[i] = true;
            while (F.low < F.n && F.acked[F.low])
                F.low++;
        } else if (t && strcmp(t, "error") == 0) {
            fprintf(stderr, "ingest error: %s %s\n", json_string_value(json_object_get(j, "ref")),
                    json_string_value(json_object_get(j, "message")));
        }
        json_decref(j);
    }
    if (!F.welcomed)
        return;
    while (F.next < F.n && F.next - F.low < WINDOW) {
        if (!F.acked[F.next])
            wsc_send(F.c, F.frames[F.next]);
        F.next++;
    }
}

static void reader_pump(reader *r)
{
    if (!r->c || wsc_is_closed(r->c)) {
        r->c = wsc_connect(X, H.port, "agentdesk.v1", 200);
        if (!r->c)
            return;
        r->reconnects++;
        if (r->snapshot_first && r->reconnects == 1)
            wsc_sendf(r->c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"resume-test\"}", r->token);
        else
            wsc_sendf(r->c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"resume-test\",\"resume_after\":%lld}",
                      r->token, (long long)r->last);
    }
    json_t *j;
    while ((j = wsc_recv(r->c, 0))) {
        json_t *seq = json_object_get(j, "seq");
        json_t *ts = json_object_get(j, "ts");
        const char *type = json_string_value(json_object_get(j, "type"));
        if (type && strcmp(type, "snapshot") == 0 && !r->snap_seq)
            r->snap_seq = json_integer_value(seq);
        if (json_is_integer(seq) && ts) { /* durable events carry seq and ts */
            int64_t s = json_integer_value(seq);
            if (s > 0 && s < MAXSEQ) {
                if (r->count[s]++)
                    r->dups++;
                if (s <= r->last)
                    r->out_of_order++;
                if (s > r->last)
                    r->last = s;
            }
        }
        json_decref(j);
    }
}

static void pump_all(int ms)
{
    int64_t end = wsc_now_ms() + ms;
    do {
        feeder_pump();
        reader_pump(&SUP);
        reader_pump(&A1);
        if (SNAP.started)
            reader_pump(&SNAP);
        wsc_service(X, 5);
    } while (wsc_now_ms() < end);
}

typedef struct {
    int64_t seq;
    char agent[64], audience[64];
} row;

static row *load_log(size_t *n, int64_t *finals, int64_t *max_final_dups)
{
    sqlite3 *db;
    *n = 0;
    row *rows = NULL;
    if (sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT seq, agent, audience FROM events ORDER BY seq", -1, &st, NULL);
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4096;
            rows = realloc(rows, cap * sizeof *rows);
        }
        rows[*n].seq = sqlite3_column_int64(st, 0);
        snprintf(rows[*n].agent, sizeof rows[0].agent, "%s", sqlite3_column_text(st, 1));
        snprintf(rows[*n].audience, sizeof rows[0].audience, "%s", sqlite3_column_text(st, 2));
        (*n)++;
    }
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, "SELECT count(*), coalesce(max(c), 0) FROM (SELECT count(*) AS c FROM events"
                           " WHERE json_extract(frame, '$.type') = 'utterance' AND json_extract(frame, '$.final')"
                           " GROUP BY iid, json_extract(frame, '$.uid'))", -1, &st, NULL);
    if (sqlite3_step(st) == SQLITE_ROW) {
        *finals = sqlite3_column_int64(st, 0);
        *max_final_dups = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}

static void test_resume_across_kill(void)
{
    build_script();
    int killed = 0, dropped = 0;
    int64_t end = wsc_now_ms() + 40000;
    while (F.low < F.n && wsc_now_ms() < end) {
        pump_all(20);
        if (!killed && F.low > F.n * 35 / 100) {
            hubproc_stop(&H, SIGKILL);
            killed = 1;
            CHECK(hubproc_start(&H, NULL) == 0);
        }
        if (killed == 1 && F.low > F.n * 60 / 100) {
            hubproc_stop(&H, SIGKILL);
            killed = 2;
            CHECK(hubproc_start(&H, NULL) == 0);
        }
        if (!SNAP.started && F.low > F.n / 5)
            SNAP.started = true; /* a console that arrives mid-load and says hello plainly */
        if (!dropped && F.low > F.n / 2 && wsc_is_open(A1.c)) {
            wsc_close(A1.c); /* the console drops on its own too */
            dropped = 1;
        }
    }
    CHECK_INT(F.low, F.n);
    CHECK_INT(killed, 2);
    if (!dropped) { /* acks come in windows: the load may have finished before the drop point */
        pump_all(200);
        wsc_close(A1.c);
    }
    /* let the consoles drain */
    int64_t quiet_end = wsc_now_ms() + 30000;
    size_t nrows = 0;
    int64_t finals = 0, worst = 0;
    row *rows = NULL;
    while (wsc_now_ms() < quiet_end) {
        pump_all(300);
        free(rows);
        rows = load_log(&nrows, &finals, &worst);
        if (nrows && SUP.last == rows[nrows - 1].seq && SNAP.last == rows[nrows - 1].seq)
            break;
    }
    pump_all(300);
    CHECK(nrows > (size_t)(CALLS * LINES));
    int sup_missing = 0, a1_missing = 0, a1_leaked = 0, snap_missing = 0;
    int64_t max = 0;
    for (size_t i = 0; i < nrows; i++) {
        int64_t s = rows[i].seq;
        if (s > max)
            max = s;
        if (SUP.count[s] != 1)
            sup_missing++;
        if (s > SNAP.snap_seq && SNAP.count[s] != 1)
            snap_missing++;
        bool mine = rows[i].audience[0] ? strcmp(rows[i].audience, "agent-1") == 0
                                        : strcmp(rows[i].agent, "agent-1") == 0;
        if (mine && A1.count[s] != 1)
            a1_missing++;
        if (!mine && A1.count[s])
            a1_leaked++;
    }
    /* nothing received that is not in the log */
    int phantom = 0;
    for (int64_t s = max + 1; s < MAXSEQ; s++)
        if (SUP.count[s] || A1.count[s] || SNAP.count[s])
            phantom++;
    CHECK_INT(sup_missing, 0);
    CHECK_INT(a1_missing, 0);
    CHECK_INT(a1_leaked, 0);
    CHECK_INT(phantom, 0);
    CHECK(SNAP.snap_seq > 0);
    CHECK_INT(snap_missing, 0);
    CHECK_INT(SNAP.dups, 0);
    CHECK_INT(SNAP.out_of_order, 0);
    CHECK_INT(SUP.dups, 0);
    CHECK_INT(A1.dups, 0);
    CHECK_INT(SUP.out_of_order, 0);
    CHECK_INT(A1.out_of_order, 0);
    CHECK(SUP.reconnects >= 3);
    CHECK(A1.reconnects >= 3); /* two kills, plus its own drop unless that met a kill */
    CHECK_INT(finals, CALLS * LINES);
    CHECK_INT(worst, 1);
    fprintf(stderr, "resume: %zu events (last %lld), acked %d/%d; supervisor last %lld, %d reconnects; "
            "agent-1 %d reconnects; plain-hello console snapshot at %lld, last %lld; feeder %d reconnects; "
            "missing sup %d a1 %d snap %d\n",
            nrows, nrows ? (long long)rows[nrows - 1].seq : 0LL, F.low, F.n, (long long)SUP.last, SUP.reconnects,
            A1.reconnects, (long long)SNAP.snap_seq, (long long)SNAP.last, F.reconnects, sup_missing,
            a1_missing, snap_missing);
    free(rows);
}

/* SIGTERM: a clean exit, status 0 (under ASan also no leak) */
static void test_clean_exit(void)
{
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
}

int main(void)
{
    if (hubproc_setup(&H) != 0 || hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    X = wsc_ctx_new();
    SUP.count = calloc(MAXSEQ, 1);
    A1.count = calloc(MAXSEQ, 1);
    SNAP.count = calloc(MAXSEQ, 1);
    RUN(test_resume_across_kill);
    wsc_ctx_free(X);
    RUN(test_clean_exit);
    hubproc_cleanup(&H);
    for (int i = 0; i < F.n; i++) {
        free(F.frames[i]);
        free(F.ids[i]);
    }
    free(F.frames);
    free(F.ids);
    free(F.acked);
    free(SUP.count);
    free(A1.count);
    free(SNAP.count);
    return check_done("test_hub_resume");
}
