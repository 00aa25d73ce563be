/* test_hub_bus.c — several hubs sharing one event log on Redis Streams (--bus), over real
 * processes: a private redis-server (AOF, appendfsync always) on a loopback port and three
 * hubs A, B, C, each with its own SQLite database, all on the bus "t" (stream
 * agentdesk:t:events, entry id "<seq>-0").
 *   * redis itself: an entry written survives kill -9 and a restart on the same port and
 *     directory (the harness the other tests rely on);
 *   * ownership: an interaction started through A is A's; ingest for it sent to B is refused,
 *     naming A, and nothing reaches the stream;
 *   * actions anywhere: a supervisor's whisper sent to C on A's interaction is applied once
 *     however many hubs the retries go through; an agent's is refused (forbidden) across hubs;
 *   * concurrent ingest through A and C: the stream's seqs are strictly increasing and gap-free,
 *     and a supervisor on B sees each of them once, in order, with every utterance;
 *   * ingest into A, an agent console (agent-1) and a supervisor on B and on C see it live;
 *     kill -9 B mid-call, B's consoles resume on C with resume_after = the last seq they saw:
 *     what each saw before and after is exactly what its twin on C saw continuously, no seq
 *     twice, strictly increasing; agent-1 never sees agent-2's call;
 *   * Redis killed mid-stream: ingest is refused with `unavailable`, /healthz says degraded
 *     naming the bus, agentdesk_bus_up is 0; Redis restarted on the same port and dir: the
 *     hub reconnects, retried ids are applied once, nothing acknowledged is lost;
 *   * B started again on its database catches up: its SQLite copy equals the stream, and a
 *     console resuming on it gets everything it missed;
 *   * takeover: A killed, its interaction's ingest at C is refused (naming A) while A's lease
 *     lasts, then C takes it over; A, back, refuses it (naming C); each line once;
 *   * every hub's SQLite copy equals the stream;
 *   * SIGTERM: each hub exits 0;
 *   * a Redis with a password: a hub given it in a file or the environment works, a wrong one
 *     does not start and says why; the command line never holds it;
 *   * a commit Redis applied whose answer was lost (a proxy drops it): the hub answers
 *     unavailable, the retried id is applied once, not twice. */
#include "tests/unit/check.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/faultproxy.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/redisproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAXSEQ = 1 << 16 };
#define BUS "t"
#define STREAM "agentdesk:" BUS ":events"

static redisproc R;
static hubproc A, B, C;
static wsc_ctx *X;
static char bus_url[128];

static const char *str(const json_t *j, const char *k)
{
    return json_string_value(json_object_get(j, k));
}

/* ---- hubs ---- */

static bool healthy(const hubproc *h)
{
    char *r = hubproc_http_raw(h, "/healthz");
    bool ok = r && strncmp(r, "HTTP/1.1 200", 12) == 0;
    free(r);
    return ok;
}

static bool wait_healthy(const hubproc *h, int ms)
{
    int64_t end = wsc_now_ms() + ms;
    while (wsc_now_ms() < end) {
        if (healthy(h))
            return true;
        wsc_service(X, 50);
    }
    return false;
}

static int start_hub(hubproc *h, const char *id)
{
    const char *args[] = {"--bus", bus_url, "--hub-name", id, NULL};
    if (hubproc_start(h, args) != 0)
        return -1;
    if (!wait_healthy(h, 15000)) {
        fprintf(stderr, "hub %s is not healthy on the bus (see %s)\n", id, h->log);
        return -1;
    }
    return 0;
}

/* ---- the stream ---- */

typedef struct {
    int64_t *seq;
    long n;
    json_t *frames;   /* each entry's fields as an object */
} stream;

static stream read_stream(void)
{
    stream s = {0};
    char bad[128];
    s.n = redisproc_stream_seqs(&R, STREAM, &s.seq, &s.frames, bad, sizeof bad);
    if (s.n < 0)
        fprintf(stderr, "  cannot read %s (%s)\n", STREAM, bad[0] ? bad : "unreachable");
    return s;
}

static void stream_free(stream *s)
{
    free(s->seq);
    json_decref(s->frames);
    s->seq = NULL;
    s->frames = NULL;
}

static int64_t stream_last(void)
{
    stream s = read_stream();
    int64_t last = s.n > 0 ? s.seq[s.n - 1] : 0;
    stream_free(&s);
    return last;
}

/* The console frame an entry carries: the one field value that is a JSON object with a type
 * (whatever the field is called), parsed; NULL when none. */
static json_t *entry_frame(json_t *fields)
{
    const char *k;
    json_t *v;
    json_object_foreach(fields, k, v) {
        const char *s = json_string_value(v);
        if (!s || s[0] != '{')
            continue;
        json_t *f = json_loads(s, 0, NULL);
        if (json_is_object(f) && str(f, "type"))
            return f;
        json_decref(f);
    }
    return NULL;
}

/* Strictly increasing and gap-free (each seq the one before plus 1). */
static void check_stream_order(const stream *s, const char *what)
{
    int bad = 0;
    for (long i = 1; i < s->n; i++)
        if (s->seq[i] != s->seq[i - 1] + 1) {
            if (bad++ < 3)
                fprintf(stderr, "  %s: stream seq %lld follows %lld\n", what, (long long)s->seq[i],
                        (long long)s->seq[i - 1]);
        }
    CHECK_INT(bad, 0);
}

/* ---- consoles ---- */

typedef struct {
    const char *name;
    const char *token;
    wsc *c;
    unsigned char *count;    /* by seq: times received */
    int64_t last, snap_seq;
    int dups, out_of_order, errors;
    bool ready;              /* snapshot's last part (fresh hello) or welcome (resume) */
    json_t *uids;            /* "iid/uid" -> times a final utterance was received */
} reader;

static void reader_init(reader *r, const char *name, const char *token)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->token = token;
    r->count = calloc(MAXSEQ, 1);
    r->uids = json_object();
}

static void reader_free(reader *r)
{
    free(r->count);
    json_decref(r->uids);
}

/* Hello on hub h: resume_after = the last seq received when `resume`, else a fresh hello. */
static bool reader_connect(reader *r, const hubproc *h, bool resume)
{
    r->c = wsc_connect(X, h->port, "agentdesk.v1", 5000);
    if (!r->c)
        return false;
    r->ready = false;
    if (resume)
        wsc_sendf(r->c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"bus-test\",\"resume_after\":%lld}",
                  r->token, (long long)r->last);
    else
        wsc_sendf(r->c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"bus-test\"}", r->token);
    return true;
}

static void reader_take(reader *r, json_t *j)
{
    const char *type = wsc_type(j);
    json_t *seq = json_object_get(j, "seq");
    if (type && strcmp(type, "snapshot") == 0) {
        /* consistent as of this seq: a resume later asks for what follows it */
        if (!r->snap_seq)
            r->snap_seq = json_integer_value(seq);
        if (json_integer_value(seq) > r->last)
            r->last = json_integer_value(seq);
        if (json_is_true(json_object_get(j, "last")))
            r->ready = true;
        return;
    }
    if (type && strcmp(type, "welcome") == 0 && r->last > 0)
        r->ready = true;   /* a resume: no snapshot follows */
    if (type && strcmp(type, "error") == 0) {
        r->errors++;
        fprintf(stderr, "  %s got error %s: %s\n", r->name, str(j, "code"), str(j, "message"));
    }
    if (!json_is_integer(seq) || !json_object_get(j, "ts"))
        return;   /* not durable */
    int64_t s = json_integer_value(seq);
    if (s <= 0 || s >= MAXSEQ)
        return;
    if (r->count[s]++)
        r->dups++;
    /* the snapshot's replay of its interactions' history comes before the live order */
    if (s > r->snap_seq && s <= r->last)
        r->out_of_order++;
    else if (s > r->last)
        r->last = s;
    if (type && strcmp(type, "utterance") == 0 && json_is_true(json_object_get(j, "final"))) {
        char key[160];
        snprintf(key, sizeof key, "%s/%s", str(j, "iid") ? str(j, "iid") : "", str(j, "uid") ? str(j, "uid") : "");
        json_t *n = json_object_get(r->uids, key);
        json_object_set_new(r->uids, key, json_integer(n ? json_integer_value(n) + 1 : 1));
    }
}

static void reader_pump(reader *r)
{
    json_t *j;
    while (r->c && (j = wsc_recv(r->c, 0)) != NULL) {
        reader_take(r, j);
        json_decref(j);
    }
}

static reader *all_readers[8];
static int nreaders;

static void pump(int ms)
{
    int64_t end = wsc_now_ms() + ms;
    do {
        wsc_service(X, 5);
        for (int i = 0; i < nreaders; i++)
            reader_pump(all_readers[i]);
    } while (wsc_now_ms() < end);
}

static bool wait_ready(reader **rs, int n, int ms)
{
    int64_t end = wsc_now_ms() + ms;
    for (;;) {
        bool all = true;
        for (int i = 0; i < n; i++)
            all = all && rs[i]->ready;
        if (all)
            return true;
        if (wsc_now_ms() >= end)
            return false;
        pump(10);
    }
}

/* Times reader r received the final utterance iid/uid. */
static int got_uid(const reader *r, const char *iid, const char *uid)
{
    char key[160];
    snprintf(key, sizeof key, "%s/%s", iid, uid);
    return (int)json_integer_value(json_object_get(r->uids, key));
}

/* Wait until every reader in rs has the final utterance iid/uid; true when all have it. */
static bool wait_uid(reader **rs, int n, const char *iid, const char *uid, int ms)
{
    int64_t end = wsc_now_ms() + ms;
    for (;;) {
        bool all = true;
        for (int i = 0; i < n; i++)
            all = all && got_uid(rs[i], iid, uid) > 0;
        if (all)
            return true;
        if (wsc_now_ms() >= end)
            return false;
        pump(5);
    }
}

/* Seqs in (after, through] that a and b disagree on (received by one and not the other, or not
 * once each). */
static int differ(const reader *a, const reader *b, int64_t after, int64_t through)
{
    int n = 0;
    for (int64_t s = after + 1; s <= through && s < MAXSEQ; s++)
        if (a->count[s] != b->count[s] || a->count[s] > 1) {
            if (n++ < 3)
                fprintf(stderr, "  seq %lld: %s got it %d times, %s %d\n", (long long)s, a->name, a->count[s],
                        b->name, b->count[s]);
        }
    return n;
}

/* ---- ingest ---- */

static wsc *ingest_connect(const hubproc *h)
{
    wsc *c = wsc_connect(X, h->port, "agentdesk.ingest.v1", 5000);
    if (!c)
        return NULL;
    wsc_send(c, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"bus-test\"}");
    json_t *w = wsc_recv_type(c, "welcome", 5000);
    bool ok = w != NULL;
    json_decref(w);
    return ok ? c : NULL;
}

/* Send and wait for the answer; returns the answer's type ("ack"/"error"), its code in code
 * (when an error). */
static char last_message[512];   /* the message of the last answer ingest_send got */

static const char *ingest_send(wsc *c, const char *id, const char *frame, char *code, size_t codelen)
{
    static char type[32];
    last_message[0] = 0;
    if (code && codelen)
        code[0] = 0;
    type[0] = 0;
    if (!c)
        return type;
    wsc_send(c, frame);
    int64_t end = wsc_now_ms() + 10000;
    json_t *a = NULL;
    while (!a && wsc_now_ms() < end) {
        a = wsc_recv_answer(c, id, 20);
        for (int i = 0; i < nreaders; i++)
            reader_pump(all_readers[i]);
    }
    if (a) {
        snprintf(type, sizeof type, "%s", wsc_type(a) ? wsc_type(a) : "");
        if (code && codelen && str(a, "code"))
            snprintf(code, codelen, "%s", str(a, "code"));
        snprintf(last_message, sizeof last_message, "%s", str(a, "message") ? str(a, "message") : "");
        json_decref(a);
    }
    return type;
}

static char *start_frame(const char *id, const char *iid, const char *agent)
{
    static char f[512];
    snprintf(f, sizeof f,
             "{\"type\":\"start\",\"id\":\"%s\",\"iid\":\"%s\",\"channel\":\"chat\",\"queue\":\"billing\","
             "\"agent\":\"%s\",\"customer_id\":\"C-1001\"}", id, iid, agent);
    return f;
}

static char *utterance_frame(const char *id, const char *iid, const char *uid, int n)
{
    static char f[512];
    snprintf(f, sizeof f,
             "{\"type\":\"utterance\",\"id\":\"%s\",\"iid\":\"%s\",\"uid\":\"%s\",\"speaker\":\"%s\","
             "\"text\":\"line %d: I was charged twice for my bill\",\"final\":true,\"offset_ms\":%d}",
             id, iid, uid, n % 2 ? "agent" : "customer", n, n * 1000);
    return f;
}

static char *end_frame(const char *id, const char *iid)
{
    static char f[256];
    snprintf(f, sizeof f, "{\"type\":\"end\",\"id\":\"%s\",\"iid\":\"%s\",\"reason\":\"resolved\"}", id, iid);
    return f;
}

#define ACK(c, id, frame) CHECK_STR(ingest_send((c), (id), (frame), NULL, 0), "ack")

/* ---- the hubs' SQLite copies ---- */

/* Seqs of hub h's events table not in the stream, plus stream seqs not in it (after `from`). */
static int db_differs(const hubproc *h, const stream *s, bool print)
{
    sqlite3 *db;
    if (sqlite3_open_v2(h->db, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 2000);
    sqlite3_stmt *st;
    int diff = 0;
    long i = 0;
    if (sqlite3_prepare_v2(db, "SELECT seq FROM events ORDER BY seq", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t q = sqlite3_column_int64(st, 0);
        while (i < s->n && s->seq[i] < q) {
            if (print && diff < 3)
                fprintf(stderr, "  %s: seq %lld of the stream is not in %s\n", h->dir, (long long)s->seq[i], h->db);
            diff++;
            i++;
        }
        if (i < s->n && s->seq[i] == q)
            i++;
        else {
            if (print && diff < 3)
                fprintf(stderr, "  %s: seq %lld is in its database, not in the stream\n", h->dir, (long long)q);
            diff++;
        }
    }
    diff += (int)(s->n - i);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return diff;
}

/* Poll until h's copy equals the stream (it follows the stream asynchronously). */
static int wait_db_equal(const hubproc *h, int ms)
{
    int64_t end = wsc_now_ms() + ms;
    int d;
    for (;;) {
        stream s = read_stream();
        d = s.n >= 0 ? db_differs(h, &s, wsc_now_ms() >= end) : -1;
        stream_free(&s);
        if (d == 0 || wsc_now_ms() >= end)
            return d;
        pump(100);
    }
}

/* ======================================================================================= */

/* The harness itself: what Redis acknowledged (AOF, fsync always) survives kill -9. */
static void test_redis_survives_kill(void)
{
    const char *add[] = {"XADD", "agentdesk:selftest:events", "7-0", "k", "v"};
    json_t *j = redisproc_command(&R, 5, add);
    CHECK_STR(json_string_value(j), "7-0");
    json_decref(j);
    CHECK(redisproc_stop(&R, SIGKILL) == 128 + SIGKILL);
    CHECK(!redisproc_ping(&R, 300));
    CHECK_INT(redisproc_start(&R), 0);
    int64_t *seqs = NULL;
    long n = redisproc_stream_seqs(&R, "agentdesk:selftest:events", &seqs, NULL, NULL, 0);
    CHECK_INT(n, 1);
    CHECK_INT(n == 1 ? seqs[0] : -1, 7);
    free(seqs);
    const char *del[] = {"DEL", "agentdesk:selftest:events"};
    json_decref(redisproc_command(&R, 2, del));
}

static int64_t xlen(void)
{
    const char *a[] = {"XLEN", STREAM};
    json_t *j = redisproc_command(&R, 2, a);
    int64_t n = json_is_integer(j) ? json_integer_value(j) : -1;
    json_decref(j);
    return n;
}

/* An interaction started through A is A's: B refuses its ingest and logs nothing. */
static void test_ownership(void)
{
    wsc *ia = ingest_connect(&A), *ib = ingest_connect(&B);
    CHECK(ia && ib);
    ACK(ia, "own-s", start_frame("own-s", "own-1", "agent-3"));
    ACK(ia, "own-u1", utterance_frame("own-u1", "own-1", "o1", 1));
    int64_t before = xlen();
    CHECK(before >= 2);
    char code[64];
    CHECK_STR(ingest_send(ib, "own-u2", utterance_frame("own-u2", "own-1", "o2", 2), code, sizeof code), "error");
    fprintf(stderr, "  utterance for A's interaction sent to B: error %s: %s\n", code, last_message);
    CHECK(code[0] != 0);
    CHECK(strstr(last_message, "hub a") != NULL);   /* it names the owner */
    CHECK_STR(ingest_send(ib, "own-s2", start_frame("own-s2", "own-1", "agent-2"), code, sizeof code), "error");
    CHECK_STR(ingest_send(ib, "own-e", end_frame("own-e", "own-1"), code, sizeof code), "error");
    pump(300);
    CHECK_INT(xlen(), before);
    /* the owner still takes it; the refused id was never applied, so A applies it */
    ACK(ia, "own-u2", utterance_frame("own-u2", "own-1", "o2", 2));
    ACK(ia, "own-e", end_frame("own-e", "own-1"));
    CHECK(xlen() > before);
    wsc_close(ia);
    wsc_close(ib);
    pump(50);
}

/* Two hubs' connectors at once: one gap-free, strictly increasing sequence. */
static void test_concurrent_ingest(void)
{
    enum { LINES = 300, WINDOW = 40 };
    reader sup;
    reader_init(&sup, "supervisor@B", "tok-supervisor");
    nreaders = 0;
    all_readers[nreaders++] = &sup;
    CHECK(reader_connect(&sup, &B, false));
    reader *rs[] = {&sup};
    CHECK(wait_ready(rs, 1, 5000));
    wsc *in[2] = {ingest_connect(&A), ingest_connect(&C)};
    CHECK(in[0] && in[1]);
    if (!in[0] || !in[1]) {
        reader_free(&sup);
        return;
    }
    const char *iid[2] = {"cc-a", "cc-c"};
    ACK(in[0], "cc-sa", start_frame("cc-sa", iid[0], "agent-2"));
    ACK(in[1], "cc-sc", start_frame("cc-sc", iid[1], "agent-3"));
    int sent[2] = {0, 0}, acked[2] = {0, 0}, errors = 0;
    int64_t end = wsc_now_ms() + 60000;
    while ((acked[0] < LINES || acked[1] < LINES) && wsc_now_ms() < end) {
        for (int k = 0; k < 2; k++)
            while (sent[k] < LINES && sent[k] - acked[k] < WINDOW) {
                char id[32], uid[32];
                snprintf(id, sizeof id, "cc-%d-%d", k, sent[k]);
                snprintf(uid, sizeof uid, "l%d", sent[k]);
                wsc_send(in[k], utterance_frame(id, iid[k], uid, sent[k]));
                sent[k]++;
            }
        wsc_service(X, 2);
        reader_pump(&sup);
        for (int k = 0; k < 2; k++) {
            json_t *j;
            while ((j = wsc_recv(in[k], 0)) != NULL) {
                if (strcmp(wsc_type(j), "ack") == 0)
                    acked[k]++;
                else if (strcmp(wsc_type(j), "error") == 0 && errors++ < 3)
                    fprintf(stderr, "  ingest error: %s %s\n", str(j, "code"), str(j, "message"));
                json_decref(j);
            }
        }
    }
    CHECK_INT(acked[0], LINES);
    CHECK_INT(acked[1], LINES);
    CHECK_INT(errors, 0);
    ACK(in[0], "cc-ea", end_frame("cc-ea", iid[0]));
    ACK(in[1], "cc-ec", end_frame("cc-ec", iid[1]));
    int64_t last = stream_last();
    end = wsc_now_ms() + 15000;
    while (sup.last < last && wsc_now_ms() < end)
        pump(20);
    stream s = read_stream();
    CHECK(s.n > 2 * LINES);
    check_stream_order(&s, "concurrent");
    /* the supervisor on B got every entry after its snapshot once, in order, and every line */
    int missing = 0, extra = 0;
    for (long i = 0; i < s.n; i++)
        if (s.seq[i] > sup.snap_seq && sup.count[s.seq[i]] != 1 && missing++ < 3)
            fprintf(stderr, "  supervisor@B: seq %lld received %d times\n", (long long)s.seq[i], sup.count[s.seq[i]]);
    for (int64_t q = last + 1; q < MAXSEQ; q++)
        extra += sup.count[q];
    CHECK_INT(missing, 0);
    CHECK_INT(extra, 0);
    CHECK_INT(sup.dups, 0);
    CHECK_INT(sup.out_of_order, 0);
    int lines_missing = 0;
    for (int k = 0; k < 2; k++)
        for (int l = 0; l < LINES; l++) {
            char uid[32];
            snprintf(uid, sizeof uid, "l%d", l);
            if (got_uid(&sup, iid[k], uid) != 1)
                lines_missing++;
        }
    CHECK_INT(lines_missing, 0);
    /* the two connectors' entries interleave in the one sequence: both hubs appended while the
     * other did (not one after the other) */
    int switches = 0, prev = -1;
    for (long i = 0; i < s.n; i++) {
        json_t *f = entry_frame(json_array_get(s.frames, i));
        const char *fi = f ? str(f, "iid") : NULL;
        int k = fi && strcmp(fi, iid[0]) == 0 ? 0 : fi && strcmp(fi, iid[1]) == 0 ? 1 : -1;
        if (k >= 0 && prev >= 0 && k != prev)
            switches++;
        if (k >= 0)
            prev = k;
        json_decref(f);
    }
    fprintf(stderr, "  concurrent: %ld entries, seqs %lld..%lld, %d switches between the two hubs' calls\n", s.n,
            s.n ? (long long)s.seq[0] : 0LL, s.n ? (long long)s.seq[s.n - 1] : 0LL, switches);
    CHECK(switches > 2);
    stream_free(&s);
    wsc_close(in[0]);
    wsc_close(in[1]);
    wsc_close(sup.c);
    pump(50);
    reader_free(&sup);
    nreaders = 0;
}

static reader SUPB, A1B, SUPC, A1C;
static int64_t supb_last_on_b;

/* Ingest into A; consoles on B and C see it live; B dies; B's consoles resume on C. */
static void test_kill_hub_mid_call(void)
{
    enum { BEFORE = 10, WHILE_DOWN = 10, AFTER = 10 };
    reader_init(&SUPB, "supervisor@B", "tok-supervisor");
    reader_init(&A1B, "agent-1@B", "tok-agent-1");
    reader_init(&SUPC, "supervisor@C", "tok-supervisor");
    reader_init(&A1C, "agent-1@C", "tok-agent-1");
    reader *rs[] = {&SUPB, &A1B, &SUPC, &A1C};
    nreaders = 4;
    for (int i = 0; i < 4; i++)
        all_readers[i] = rs[i];
    CHECK(reader_connect(&SUPB, &B, false) && reader_connect(&A1B, &B, false));
    CHECK(reader_connect(&SUPC, &C, false) && reader_connect(&A1C, &C, false));
    CHECK(wait_ready(rs, 4, 5000));
    wsc *ia = ingest_connect(&A);
    CHECK(ia != NULL);
    ACK(ia, "k-s1", start_frame("k-s1", "bus-1", "agent-1"));
    ACK(ia, "k-s2", start_frame("k-s2", "bus-2", "agent-2"));
    char id[32], uid[32];
    int n = 0, live = 0;
    for (; n < BEFORE; n++) {
        snprintf(id, sizeof id, "k-u%d", n);
        snprintf(uid, sizeof uid, "k%d", n);
        ACK(ia, id, utterance_frame(id, "bus-1", uid, n));
        snprintf(id, sizeof id, "k-v%d", n);
        ACK(ia, id, utterance_frame(id, "bus-2", uid, n));
        /* live: all four consoles have it within 5 s of the ack */
        live += wait_uid(rs, 4, "bus-1", uid, 5000);
    }
    CHECK_INT(live, BEFORE);
    supb_last_on_b = SUPB.last;
    CHECK(SUPB.last > 0 && A1B.last > 0);
    CHECK_INT(hubproc_stop(&B, SIGKILL), 128 + SIGKILL);
    pump(200);
    for (; n < BEFORE + WHILE_DOWN; n++) {
        snprintf(id, sizeof id, "k-u%d", n);
        snprintf(uid, sizeof uid, "k%d", n);
        ACK(ia, id, utterance_frame(id, "bus-1", uid, n));
        snprintf(id, sizeof id, "k-v%d", n);
        ACK(ia, id, utterance_frame(id, "bus-2", uid, n));
    }
    CHECK(wsc_is_closed(SUPB.c) && wsc_is_closed(A1B.c));
    int64_t supb_before = SUPB.last, a1b_before = A1B.last;
    SUPB.name = "supervisor@B then C";
    A1B.name = "agent-1@B then C";
    CHECK(reader_connect(&SUPB, &C, true) && reader_connect(&A1B, &C, true));
    for (; n < BEFORE + WHILE_DOWN + AFTER; n++) {
        snprintf(id, sizeof id, "k-u%d", n);
        snprintf(uid, sizeof uid, "k%d", n);
        ACK(ia, id, utterance_frame(id, "bus-1", uid, n));
        snprintf(id, sizeof id, "k-v%d", n);
        ACK(ia, id, utterance_frame(id, "bus-2", uid, n));
    }
    ACK(ia, "k-e1", end_frame("k-e1", "bus-1"));
    ACK(ia, "k-e2", end_frame("k-e2", "bus-2"));
    int64_t last = stream_last();
    int64_t end = wsc_now_ms() + 15000;
    while ((SUPB.last < last || SUPC.last < last) && wsc_now_ms() < end)
        pump(20);
    pump(300);
    CHECK(SUPB.ready && A1B.ready);
    CHECK_INT(SUPC.last, last);
    CHECK_INT(SUPB.last, last);
    /* every seq accounted for: what B's consoles saw before and after is what their twins on C
     * saw, each once, in order */
    int64_t from = SUPB.snap_seq > SUPC.snap_seq ? SUPB.snap_seq : SUPC.snap_seq;
    CHECK_INT(differ(&SUPB, &SUPC, from, MAXSEQ - 1), 0);
    int64_t afrom = A1B.snap_seq > A1C.snap_seq ? A1B.snap_seq : A1C.snap_seq;
    CHECK_INT(differ(&A1B, &A1C, afrom, MAXSEQ - 1), 0);
    for (int i = 0; i < 4; i++) {
        CHECK_INT(rs[i]->dups, 0);
        CHECK_INT(rs[i]->out_of_order, 0);
        CHECK_INT(rs[i]->errors, 0);
    }
    /* the supervisor on C saw every entry of the stream after its snapshot */
    stream s = read_stream();
    int missing = 0;
    for (long i = 0; i < s.n; i++)
        if (s.seq[i] > SUPC.snap_seq && SUPC.count[s.seq[i]] != 1)
            missing++;
    CHECK(s.n > 0);
    CHECK_INT(missing, 0);
    check_stream_order(&s, "kill");
    stream_free(&s);
    /* each line once on each console; agent-1 never got agent-2's call */
    int lines_bad = 0, leaked = 0, replayed = 0;
    for (int l = 0; l < n; l++) {
        snprintf(uid, sizeof uid, "k%d", l);
        for (int i = 0; i < 4; i++)
            if (got_uid(rs[i], "bus-1", uid) != 1)
                lines_bad++;
        if (got_uid(&SUPB, "bus-2", uid) != 1 || got_uid(&SUPC, "bus-2", uid) != 1)
            lines_bad++;
        leaked += got_uid(&A1B, "bus-2", uid) + got_uid(&A1C, "bus-2", uid);
    }
    CHECK_INT(lines_bad, 0);
    CHECK_INT(leaked, 0);
    /* the resume replayed what happened while B was down */
    for (int64_t q = supb_before + 1; q < MAXSEQ; q++)
        replayed += SUPB.count[q];
    CHECK(replayed >= 2 * WHILE_DOWN);
    fprintf(stderr, "  kill: supervisor@B last %lld before the kill, %lld after resuming on C; agent-1@B %lld -> %lld; stream last %lld\n",
            (long long)supb_before, (long long)SUPB.last, (long long)a1b_before, (long long)A1B.last, (long long)last);
    wsc_close(ia);
    for (int i = 0; i < 4; i++)
        wsc_close(rs[i]->c);
    pump(50);
    nreaders = 0;
}

/* Redis killed mid-stream and started again on the same port and directory. */
static void test_redis_restart(void)
{
    enum { LINES = 120, WINDOW = 10 };
    reader sup;
    reader_init(&sup, "supervisor@C", "tok-supervisor");
    nreaders = 1;
    all_readers[0] = &sup;
    CHECK(reader_connect(&sup, &C, false));
    reader *rs[] = {&sup};
    CHECK(wait_ready(rs, 1, 5000));
    wsc *ia = ingest_connect(&A);
    CHECK(ia != NULL);
    if (!ia) {
        reader_free(&sup);
        return;
    }
    ACK(ia, "r-s", start_frame("r-s", "rr-1", "agent-1"));
    bool acked[LINES] = {false}, pending[LINES] = {false};
    int nacked = 0, unavailable = 0, other_errors = 0, next = 0, inflight = 0, next_cap = LINES;
    bool killed = false, restarted = false, saw_degraded = false, bus_named = false;
    double bus_up_down = -2, bus_up_idle = -2, bus_up_after = -2;
    bool idle_healthy = false;
    int64_t end = wsc_now_ms() + 90000, down_at = 0, retry_at = 0;
    while (nacked < LINES && wsc_now_ms() < end) {
        /* send: new lines up to the window; after Redis is back, the refused ones again */
        while (next < next_cap && (inflight < WINDOW || (killed && !restarted))) {
            char id[32], uid[32];
            snprintf(id, sizeof id, "r-u%d", next);
            snprintf(uid, sizeof uid, "r%d", next);
            wsc_send(ia, utterance_frame(id, "rr-1", uid, next));
            pending[next++] = true;
            inflight++;
        }
        if (restarted && wsc_now_ms() >= retry_at) {
            for (int i = 0; i < next; i++)
                if (!acked[i] && !pending[i]) {
                    char id[32], uid[32];
                    snprintf(id, sizeof id, "r-u%d", i);
                    snprintf(uid, sizeof uid, "r%d", i);
                    wsc_send(ia, utterance_frame(id, "rr-1", uid, i));
                    pending[i] = true;
                    inflight++;
                }
            retry_at = wsc_now_ms() + 200;
        }
        wsc_service(X, 2);
        reader_pump(&sup);
        json_t *j;
        while ((j = wsc_recv(ia, 0)) != NULL) {
            const char *ref = str(j, "id") ? str(j, "id") : str(j, "ref");
            int i = ref && strncmp(ref, "r-u", 3) == 0 ? atoi(ref + 3) : -1;
            if (i >= 0 && i < LINES && pending[i]) {
                pending[i] = false;
                inflight--;
                if (strcmp(wsc_type(j), "ack") == 0) {
                    if (!acked[i])
                        nacked++;
                    acked[i] = true;
                } else if (str(j, "code") && strcmp(str(j, "code"), "unavailable") == 0)
                    unavailable++;
                else if (other_errors++ < 3)
                    fprintf(stderr, "  ingest error %s: %s\n", str(j, "code"), str(j, "message"));
            }
            json_decref(j);
        }
        if (!killed && nacked >= LINES / 2) {
            CHECK_INT(redisproc_stop(&R, SIGKILL), 128 + SIGKILL);
            killed = true;
            down_at = wsc_now_ms();
            next_cap = next + 5 < LINES ? next + 5 : LINES; /* a few new lines into the outage */
        }
        if (killed && !restarted && wsc_now_ms() - down_at > 1500) {
            /* what the hub says while the bus is down */
            char *h = hubproc_http_raw(&A, "/healthz");
            saw_degraded = h && strncmp(h, "HTTP/1.1 503", 12) == 0 && strstr(h, "degraded");
            bus_named = h && (strstr(h, "bus") != NULL);
            if (!saw_degraded || !bus_named)
                fprintf(stderr, "  /healthz with Redis down: %s\n", h ? h : "(no answer)");
            free(h);
            bus_up_down = hubproc_metric(&A, "agentdesk_bus_up");
            CHECK_INT(redisproc_start(&R), 0);
            restarted = true;
            next_cap = LINES;
            /* no ingest meanwhile: the hub finds the bus back on its own (a load balancer
             * sends nothing to a hub its health check calls degraded), within its longest
             * reconnect backoff (8 s, docs/SCALING.md) and some slack */
            idle_healthy = wait_healthy(&A, 20000);
            if (!idle_healthy) {
                char *h = hubproc_http_raw(&A, "/healthz");
                fprintf(stderr, "  hub A, idle, not healthy 20 s after Redis came back: %s\n", h ? h : "(no answer)");
                free(h);
            }
            bus_up_idle = hubproc_metric(&A, "agentdesk_bus_up");
        }
    }
    CHECK(killed && restarted);
    CHECK_INT(nacked, LINES);
    CHECK_INT(other_errors, 0);
    CHECK(unavailable > 0);
    CHECK(saw_degraded);
    CHECK(bus_named);
    CHECK(bus_up_down == 0);
    CHECK(idle_healthy);
    CHECK(bus_up_idle == 1);
    /* and after the retried lines went through */
    CHECK(wait_healthy(&A, 10000));
    bus_up_after = hubproc_metric(&A, "agentdesk_bus_up");
    CHECK(bus_up_after == 1);
    /* retried ids already applied: acked again, nothing new in the stream */
    pump(300);
    int64_t len0 = xlen();
    for (int i = 0; i < 5; i++) {
        char id[32], uid[32];
        snprintf(id, sizeof id, "r-u%d", i * 20);
        snprintf(uid, sizeof uid, "r%d", i * 20);
        ACK(ia, id, utterance_frame(id, "rr-1", uid, i * 20));
    }
    pump(300);
    CHECK_INT(xlen(), len0);
    ACK(ia, "r-e", end_frame("r-e", "rr-1"));
    /* nothing acknowledged lost, nothing twice: in the stream and on the supervisor's console
     * (which stayed on C through the outage, reconnecting with resume_after if dropped) */
    int64_t last = stream_last();
    end = wsc_now_ms() + 15000;
    while (sup.last < last && wsc_now_ms() < end) {
        if (wsc_is_closed(sup.c))
            reader_connect(&sup, &C, true);
        pump(20);
    }
    stream s = read_stream();
    check_stream_order(&s, "redis restart");
    json_t *in_stream = json_object();
    long frames = 0;
    for (long i = 0; i < s.n; i++) {
        json_t *f = entry_frame(json_array_get(s.frames, i));
        frames += f != NULL;
        if (f && strcmp(str(f, "type"), "utterance") == 0 && str(f, "iid") && strcmp(str(f, "iid"), "rr-1") == 0 &&
            json_is_true(json_object_get(f, "final")) && str(f, "uid")) {
            json_t *c = json_object_get(in_stream, str(f, "uid"));
            json_object_set_new(in_stream, str(f, "uid"), json_integer(c ? json_integer_value(c) + 1 : 1));
            if (c)
                fprintf(stderr, "  line %s again at seq %lld (appended by hub %s)\n", str(f, "uid"),
                        (long long)s.seq[i], str(json_array_get(s.frames, i), "h"));
        }
        json_decref(f);
    }
    CHECK_INT(frames, s.n);   /* every entry carries its console frame */
    int stream_bad = 0, console_bad = 0;
    for (int i = 0; i < LINES; i++) {
        char uid[32];
        snprintf(uid, sizeof uid, "r%d", i);
        if (json_integer_value(json_object_get(in_stream, uid)) != 1 && stream_bad++ < 3)
            fprintf(stderr, "  line %s is %lld times in the stream\n", uid,
                    (long long)json_integer_value(json_object_get(in_stream, uid)));
        if (got_uid(&sup, "rr-1", uid) != 1 && console_bad++ < 3)
            fprintf(stderr, "  line %s reached supervisor@C %d times\n", uid, got_uid(&sup, "rr-1", uid));
    }
    CHECK_INT(stream_bad, 0);
    CHECK_INT(console_bad, 0);
    CHECK_INT(sup.dups, 0);
    CHECK_INT(sup.out_of_order, 0);
    int missing = 0;
    for (long i = 0; i < s.n; i++)
        if (s.seq[i] > sup.snap_seq && sup.count[s.seq[i]] != 1)
            missing++;
    CHECK_INT(missing, 0);
    fprintf(stderr, "  redis restart: %d lines acked, %d unavailable answers while down\n", nacked, unavailable);
    json_decref(in_stream);
    stream_free(&s);
    wsc_close(ia);
    wsc_close(sup.c);
    pump(50);
    reader_free(&sup);
    nreaders = 0;
}

/* B, killed earlier, started again on its database: it catches up on what it missed. */
static void test_hub_catches_up(void)
{
    CHECK_INT(start_hub(&B, "b"), 0);
    CHECK_INT(wait_db_equal(&B, 15000), 0);
    /* a console resuming on B from the last seq it saw there before the kill gets the rest */
    reader sup;
    reader_init(&sup, "supervisor@B again", "tok-supervisor");
    sup.last = supb_last_on_b;
    nreaders = 1;
    all_readers[0] = &sup;
    CHECK(reader_connect(&sup, &B, true));
    int64_t last = stream_last();
    int64_t end = wsc_now_ms() + 15000;
    while (sup.last < last && wsc_now_ms() < end)
        pump(20);
    pump(200);
    stream s = read_stream();
    int missing = 0, extra = 0;
    for (long i = 0; i < s.n; i++)
        if (s.seq[i] > supb_last_on_b && sup.count[s.seq[i]] != 1 && missing++ < 3)
            fprintf(stderr, "  seq %lld reached the resumed console on B %d times\n", (long long)s.seq[i],
                    sup.count[s.seq[i]]);
    for (int64_t q = 0; q <= supb_last_on_b; q++)
        extra += sup.count[q];
    CHECK(s.n > 0 && supb_last_on_b > 0);
    CHECK_INT(missing, 0);
    CHECK_INT(extra, 0);
    CHECK_INT(sup.dups, 0);
    CHECK_INT(sup.out_of_order, 0);
    stream_free(&s);
    /* and it is live again: a new call through A reaches it */
    wsc *ia = ingest_connect(&A);
    ACK(ia, "cu-s", start_frame("cu-s", "cu-1", "agent-2"));
    ACK(ia, "cu-u", utterance_frame("cu-u", "cu-1", "c1", 1));
    reader *rs[] = {&sup};
    CHECK(wait_uid(rs, 1, "cu-1", "c1", 5000));
    ACK(ia, "cu-e", end_frame("cu-e", "cu-1"));
    wsc_close(ia);
    wsc_close(sup.c);
    pump(50);
    reader_free(&sup);
    nreaders = 0;
}

/* Every hub's SQLite copy is the whole stream, in order. */
static void test_copies_equal(void)
{
    CHECK_INT(wait_db_equal(&A, 10000), 0);
    CHECK_INT(wait_db_equal(&B, 10000), 0);
    CHECK_INT(wait_db_equal(&C, 10000), 0);
    stream s = read_stream();
    check_stream_order(&s, "at the end");
    stream_free(&s);
}

/* A console action, sent to hub `h` as `token`: the answer's type and code. */
static const char *act(const hubproc *h, const char *token, const char *id, const char *body, char *code,
                       size_t codelen)
{
    static char type[32];
    type[0] = 0;
    code[0] = 0;
    wsc *c = wsc_connect(X, h->port, "agentdesk.v1", 5000);
    if (!c)
        return type;
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"bus-test\"}", token);
    json_t *w = wsc_recv_type(c, "welcome", 5000);
    json_decref(w);
    wsc_sendf(c, "{\"id\":\"%s\",%s}", id, body);
    json_t *a = wsc_recv_answer(c, id, 10000);
    if (a) {
        snprintf(type, sizeof type, "%s", wsc_type(a) ? wsc_type(a) : "");
        snprintf(code, codelen, "%s", str(a, "code") ? str(a, "code") : "");
        json_decref(a);
    }
    wsc_close(c);
    return type;
}

/* Frames of `type` about iid in the stream; the seq of the first in *first (when not NULL). */
static int stream_count_at(const char *type, const char *iid, int64_t *first)
{
    stream s = read_stream();
    int n = 0;
    for (long i = 0; i < s.n; i++) {
        json_t *f = entry_frame(json_array_get(s.frames, i));
        if (f && strcmp(str(f, "type"), type) == 0 && str(f, "iid") && strcmp(str(f, "iid"), iid) == 0) {
            if (!n && first)
                *first = s.seq[i];
            n++;
        }
        json_decref(f);
    }
    stream_free(&s);
    return n;
}

static int stream_count(const char *type, const char *iid)
{
    return stream_count_at(type, iid, NULL);
}

/* A supervisor's action on C for an interaction A owns: applied once by A, whichever hub the
 * retry goes through; the owner's role checks answer across hubs too. */
static void test_actions_anywhere(void)
{
    reader a2;
    reader_init(&a2, "agent-2@B", "tok-agent-2");
    nreaders = 1;
    all_readers[0] = &a2;
    CHECK(reader_connect(&a2, &B, false));
    reader *rs[] = {&a2};
    CHECK(wait_ready(rs, 1, 5000));
    wsc *ia = ingest_connect(&A);
    ACK(ia, "act-s", start_frame("act-s", "act-1", "agent-2"));
    ACK(ia, "act-u", utterance_frame("act-u", "act-1", "a1", 1));
    pump(300);
    char code[64];
    const char *w = "\"type\":\"whisper\",\"iid\":\"act-1\",\"text\":\"offer the loyalty credit\"";
    CHECK_STR(act(&C, "tok-supervisor", "w-1", w, code, sizeof code), "ack");
    CHECK_STR(act(&B, "tok-supervisor", "w-1", w, code, sizeof code), "ack");   /* the retry, elsewhere */
    CHECK_STR(act(&C, "tok-supervisor", "w-1", w, code, sizeof code), "ack");
    CHECK_STR(act(&A, "tok-supervisor", "w-1", w, code, sizeof code), "ack");
    /* an agent may not whisper: refused by the owner, answered on C */
    CHECK_STR(act(&C, "tok-agent-3", "w-2", w, code, sizeof code), "error");
    CHECK_STR(code, "forbidden");
    pump(500);
    int64_t wseq = 0;
    CHECK_INT(stream_count_at("whisper", "act-1", &wseq), 1);
    /* the agent, on a third hub, got it once */
    int64_t end = wsc_now_ms() + 5000;
    while (wseq > 0 && wseq < MAXSEQ && !a2.count[wseq] && wsc_now_ms() < end)
        pump(20);
    pump(200);
    CHECK(wseq > 0 && wseq < MAXSEQ && a2.count[wseq] == 1);
    CHECK_INT(a2.dups, 0);
    ACK(ia, "act-e", end_frame("act-e", "act-1"));
    if (ia)
        wsc_close(ia);
    wsc_close(a2.c);
    pump(50);
    reader_free(&a2);
    nreaders = 0;
}

/* The owner dies: its interaction's ingest is refused elsewhere while its lease lasts, then
 * taken over by the hub it reaches; the old owner, back, refuses it. */
static void test_takeover(void)
{
    reader sup;
    reader_init(&sup, "supervisor@B", "tok-supervisor");
    nreaders = 1;
    all_readers[0] = &sup;
    CHECK(reader_connect(&sup, &B, false));
    reader *rs[] = {&sup};
    CHECK(wait_ready(rs, 1, 5000));
    wsc *ia = ingest_connect(&A);
    ACK(ia, "to-s", start_frame("to-s", "to-1", "agent-1"));
    ACK(ia, "to-u0", utterance_frame("to-u0", "to-1", "t0", 0));
    ACK(ia, "to-u1", utterance_frame("to-u1", "to-1", "t1", 1));
    CHECK(wait_uid(rs, 1, "to-1", "t1", 5000));
    CHECK_INT(hubproc_stop(&A, SIGKILL), 128 + SIGKILL);
    int64_t t0 = wsc_now_ms();
    wsc *ic = ingest_connect(&C);
    char code[64];
    /* at once: the lease is A's */
    CHECK_STR(ingest_send(ic, "to-u2", utterance_frame("to-u2", "to-1", "t2", 2), code, sizeof code), "error");
    CHECK(strstr(last_message, "hub a") != NULL);
    /* retried until the lease lapses and C takes it over */
    const char *t = "";
    while (wsc_now_ms() - t0 < 25000) {
        t = ingest_send(ic, "to-u2", utterance_frame("to-u2", "to-1", "t2", 2), code, sizeof code);
        if (strcmp(t, "ack") == 0)
            break;
        pump(500);
    }
    CHECK_STR(t, "ack");
    fprintf(stderr, "  takeover: C took to-1 over %.1f s after A was killed\n", (double)(wsc_now_ms() - t0) / 1000.0);
    ACK(ic, "to-u3", utterance_frame("to-u3", "to-1", "t3", 3));
    ACK(ic, "to-u2", utterance_frame("to-u2", "to-1", "t2", 2));   /* a retry: applied once */
    /* A, back on its database, keeps it as C's */
    CHECK_INT(start_hub(&A, "a"), 0);
    if (ia)
        wsc_close(ia);
    ia = ingest_connect(&A);
    CHECK_STR(ingest_send(ia, "to-u4", utterance_frame("to-u4", "to-1", "t4", 4), code, sizeof code), "error");
    CHECK(strstr(last_message, "hub c") != NULL);
    ACK(ic, "to-u4", utterance_frame("to-u4", "to-1", "t4", 4));
    ACK(ic, "to-e", end_frame("to-e", "to-1"));
    int64_t last = stream_last();
    int64_t end = wsc_now_ms() + 10000;
    while (sup.last < last && wsc_now_ms() < end)
        pump(20);
    int bad = 0;
    for (int l = 0; l <= 4; l++) {
        char uid[16];
        snprintf(uid, sizeof uid, "t%d", l);
        if (got_uid(&sup, "to-1", uid) != 1 && bad++ < 3)
            fprintf(stderr, "  line %s of to-1 reached supervisor@B %d times\n", uid, got_uid(&sup, "to-1", uid));
    }
    CHECK_INT(bad, 0);
    CHECK_INT(stream_count("utterance", "to-1"), 5);
    CHECK_INT(sup.dups, 0);
    CHECK_INT(sup.out_of_order, 0);
    if (ia)
        wsc_close(ia);
    if (ic)
        wsc_close(ic);
    wsc_close(sup.c);
    pump(50);
    reader_free(&sup);
    nreaders = 0;
}

static void test_clean_exit(void)
{
    CHECK_INT(hubproc_stop(&A, SIGTERM), 0);
    CHECK_INT(hubproc_stop(&B, SIGTERM), 0);
    CHECK_INT(hubproc_stop(&C, SIGTERM), 0);
}

/* A Redis that wants a password: a hub given it in a file or in AGENTDESK_BUS_PASSWORD works
 * (and its command line never holds it); a wrong one is refused at start, saying so. */
static void test_password(void)
{
    redisproc P;
    hubproc D;
    memset(&D, 0, sizeof D);
    D.pid = -1;
    if (redisproc_setup(&P) != 0) {
        CHECK(!"redis-server for the password test");
        return;
    }
    snprintf(P.password, sizeof P.password, "s3cret-bus-%d", (int)getpid());
    CHECK_INT(redisproc_start(&P), 0);
    CHECK_INT(hubproc_setup(&D), 0);
    char url[128], file[400], cmdline[4096];
    redisproc_url(&P, "pw", url, sizeof url);
    snprintf(file, sizeof file, "%s/bus-password", D.dir);
    FILE *f = fopen(file, "w");
    if (f) {
        fprintf(f, "%s\n", P.password);
        fclose(f);
    }
    const char *with_file[] = {"--bus", url, "--hub-name", "d", "--bus-password-file", file, NULL};
    CHECK_INT(hubproc_start(&D, with_file), 0);
    CHECK(wait_healthy(&D, 15000));
    /* its command line: no password */
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)D.pid);
    f = fopen(path, "r");
    size_t n = f ? fread(cmdline, 1, sizeof cmdline - 1, f) : 0;
    if (f)
        fclose(f);
    cmdline[n] = 0;
    for (size_t i = 0; i < n; i++)
        if (!cmdline[i])
            cmdline[i] = ' ';
    CHECK(n > 0 && strstr(cmdline, "--bus") && !strstr(cmdline, P.password));
    wsc *in = ingest_connect(&D);
    ACK(in, "pw-s", start_frame("pw-s", "pw-1", "agent-1"));
    const char *a[] = {"XLEN", "agentdesk:pw:events"};
    json_t *j = redisproc_command(&P, 2, a);
    CHECK(json_is_integer(j) && json_integer_value(j) >= 1);
    json_decref(j);
    if (in)
        wsc_close(in);
    pump(50);
    CHECK_INT(hubproc_stop(&D, SIGTERM), 0);
    /* from the environment */
    setenv("AGENTDESK_BUS_PASSWORD", P.password, 1);
    const char *with_env[] = {"--bus", url, "--hub-name", "d", NULL};
    CHECK_INT(hubproc_start(&D, with_env), 0);
    unsetenv("AGENTDESK_BUS_PASSWORD");
    CHECK(wait_healthy(&D, 15000));
    CHECK_INT(hubproc_stop(&D, SIGTERM), 0);
    /* a wrong one: the hub does not start, and its log says why */
    f = fopen(file, "w");
    if (f) {
        fputs("not-the-password\n", f);
        fclose(f);
    }
    CHECK(hubproc_start(&D, with_file) != 0 || !wait_healthy(&D, 3000));
    hubproc_stop(&D, SIGKILL);
    char cmd[800];
    snprintf(cmd, sizeof cmd, "grep -qi password '%s'", D.log);
    CHECK_INT(system(cmd), 0);
    hubproc_cleanup(&D);
    redisproc_cleanup(&P);
}

/* Times the final utterance iid/uid is in stream `key`. */
static int uid_in_stream(const char *key, const char *iid, const char *uid)
{
    int64_t *seqs = NULL;
    json_t *frames = NULL;
    long n = redisproc_stream_seqs(&R, key, &seqs, &frames, NULL, 0);
    int c = 0;
    for (long i = 0; i < n; i++) {
        json_t *f = entry_frame(json_array_get(frames, i));
        if (f && strcmp(str(f, "type"), "utterance") == 0 && str(f, "iid") && strcmp(str(f, "iid"), iid) == 0 &&
            str(f, "uid") && strcmp(str(f, "uid"), uid) == 0 && json_is_true(json_object_get(f, "final")))
            c++;
        json_decref(f);
    }
    free(seqs);
    json_decref(frames);
    return n < 0 ? -1 : c;
}

/* Redis applies a turn's commit and its answer is lost (the connection drops before the hub
 * reads it): the hub answers unavailable; the connector retries the same id; the line must be
 * in the stream once, not twice. A proxy loses the answer on purpose, so this does not depend
 * on killing Redis at the right microsecond (test_redis_restart meets it only sometimes). */
static void test_commit_answer_lost(void)
{
    faultproxy *fp = faultproxy_start(R.port);
    hubproc D;
    memset(&D, 0, sizeof D);
    D.pid = -1;
    CHECK(fp != NULL);
    if (!fp)
        return;
    char url[128];
    snprintf(url, sizeof url, "redis://127.0.0.1:%d/lost", faultproxy_port(fp));
    const char *args[] = {"--bus", url, "--hub-name", "d", NULL};
    CHECK_INT(hubproc_setup(&D), 0);
    CHECK_INT(hubproc_start(&D, args), 0);
    CHECK(wait_healthy(&D, 15000));
    wsc *in = ingest_connect(&D);
    ACK(in, "l-s", start_frame("l-s", "lost-1", "agent-1"));
    ACK(in, "l-u1", utterance_frame("l-u1", "lost-1", "p1", 1));
    faultproxy_arm(fp, "LOCKLOST");   /* a word of the commit script */
    char code[64] = "";
    /* the hub asks the stream whether the commit it lost the answer of was applied: it was,
     * so the line is acknowledged at once (or, when Redis could not be asked in time, answered
     * unavailable, and its retry acknowledged without applying it again) */
    const char *first = ingest_send(in, "l-u2", utterance_frame("l-u2", "lost-1", "p2", 2), code, sizeof code);
    CHECK(strcmp(first, "ack") == 0 || (strcmp(first, "error") == 0 && strcmp(code, "unavailable") == 0));
    CHECK_INT(faultproxy_fired(fp), 1);
    /* Redis has it already: the first attempt was applied */
    CHECK_INT(uid_in_stream("agentdesk:lost:events", "lost-1", "p2"), 1);
    const char *t = "";
    int64_t end = wsc_now_ms() + 15000;
    while (wsc_now_ms() < end) {
        t = ingest_send(in, "l-u2", utterance_frame("l-u2", "lost-1", "p2", 2), code, sizeof code);
        if (strcmp(t, "ack") == 0)
            break;
        pump(300);
    }
    CHECK_STR(t, "ack");
    CHECK_INT(uid_in_stream("agentdesk:lost:events", "lost-1", "p2"), 1);
    ACK(in, "l-e", end_frame("l-e", "lost-1"));
    if (in)
        wsc_close(in);
    pump(50);
    CHECK_INT(hubproc_stop(&D, SIGTERM), 0);
    hubproc_cleanup(&D);
    faultproxy_stop(fp);
}

int main(void)
{
    int rc = 1;
    X = wsc_ctx_new();
    if (redisproc_setup(&R) != 0 || redisproc_start(&R) != 0) {
        fprintf(stderr, "test_hub_bus: cannot start redis-server (see above)\n");
        goto out;
    }
    redisproc_url(&R, BUS, bus_url, sizeof bus_url);
    RUN(test_redis_survives_kill);   /* before the hubs connect to it */
    if (hubproc_setup(&A) != 0 || hubproc_setup(&B) != 0 || hubproc_setup(&C) != 0 ||
        start_hub(&A, "a") != 0 || start_hub(&B, "b") != 0 || start_hub(&C, "c") != 0) {
        fprintf(stderr, "test_hub_bus: cannot start three hubs on %s\n", bus_url);
        check_failed++;
        rc = check_done("test_hub_bus");
        goto out;
    }
    RUN(test_ownership);
    RUN(test_actions_anywhere);
    RUN(test_concurrent_ingest);
    RUN(test_kill_hub_mid_call);
    RUN(test_redis_restart);
    RUN(test_hub_catches_up);
    RUN(test_takeover);
    RUN(test_copies_equal);
    RUN(test_clean_exit);
    RUN(test_password);
    RUN(test_commit_answer_lost);
    rc = check_done("test_hub_bus");
out:
    wsc_ctx_free(X);
    reader_free(&SUPB);
    reader_free(&A1B);
    reader_free(&SUPC);
    reader_free(&A1C);
    hubproc_cleanup(&A);
    hubproc_cleanup(&B);
    hubproc_cleanup(&C);
    redisproc_cleanup(&R);
    return rc;
}
