/* test_hub_unwrapped.c — the real hub over real websockets and SQLite: an interaction that
 * has ended but is not wrapped up stays in the snapshot of a console that says a plain
 * hello (its agent's, and a supervisor's), replayed with its interaction.ended and final
 * summary, until a wrap-up for it is stored; across kill -9 too, and only the newest 50 per
 * agent ended within the last 24 h. */
#include "tests/unit/check.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static hubproc H;
static wsc_ctx *X;
static wsc *ingest;

static void connect_ingest(void)
{
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(ingest != NULL);
    if (!ingest)
        return;
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_t *w = wsc_recv(ingest, 5000);
    CHECK_STR(wsc_type(w), "welcome");
    json_decref(w);
}

static void ingest_ok(const char *id, const char *frame)
{
    wsc_send(ingest, frame);
    json_t *a = wsc_recv_answer(ingest, id, 5000);
    CHECK_STR(wsc_type(a), "ack");
    json_decref(a);
}

static void start_call(const char *iid, const char *agent)
{
    char frame[512], id[80];
    snprintf(id, sizeof id, "s-%s", iid);
    snprintf(frame, sizeof frame,
             "{\"type\":\"start\",\"id\":\"%s\",\"iid\":\"%s\",\"channel\":\"chat\",\"queue\":\"billing\","
             "\"agent\":\"%s\",\"customer_id\":\"C-1001\"}", id, iid, agent);
    ingest_ok(id, frame);
    snprintf(id, sizeof id, "u-%s", iid);
    snprintf(frame, sizeof frame,
             "{\"type\":\"utterance\",\"id\":\"%s\",\"iid\":\"%s\",\"uid\":\"u1\",\"speaker\":\"customer\","
             "\"text\":\"I was charged twice for my order\",\"final\":true,\"offset_ms\":1000}", id, iid);
    ingest_ok(id, frame);
}

static void end_call(const char *iid)
{
    char frame[256], id[80];
    snprintf(id, sizeof id, "e-%s", iid);
    snprintf(frame, sizeof frame, "{\"type\":\"end\",\"id\":\"%s\",\"iid\":\"%s\",\"reason\":\"resolved\"}", id, iid);
    ingest_ok(id, frame);
}

/* What a plain hello gets: the snapshot's iids and, per iid, the types replayed. */
typedef struct {
    char iids[64][64];
    size_t niids;
    bool complete;    /* every part arrived, the last with last:true */
    bool in_order;    /* replayed seqs increase and none is above the snapshot's */
    char types[64][512];
    char rid[64][64];
    size_t nr;
} seen;

static int find_iid(const seen *v, const char *iid)
{
    for (size_t i = 0; i < v->niids; i++)
        if (strcmp(v->iids[i], iid) == 0)
            return (int)i;
    return -1;
}

static bool listed(const seen *v, const char *iid)
{
    return find_iid(v, iid) >= 0;
}

/* " interaction.started utterance ..." replayed for iid, "" when none. */
static const char *replayed(const seen *v, const char *iid)
{
    for (size_t i = 0; i < v->nr; i++)
        if (strcmp(v->rid[i], iid) == 0)
            return v->types[i];
    return "";
}

static void take(seen *v, json_t *j, int64_t snap_seq, int64_t *last)
{
    if (strcmp(wsc_type(j), "agent.status") == 0) /* not durable: no seq, no interaction */
        return;
    const char *iid = json_string_value(json_object_get(j, "iid"));
    int64_t seq = json_integer_value(json_object_get(j, "seq"));
    if (seq <= *last || seq > snap_seq)
        v->in_order = false;
    *last = seq;
    if (!iid)
        return;
    size_t i = 0;
    while (i < v->nr && strcmp(v->rid[i], iid) != 0)
        i++;
    if (i == v->nr) {
        if (v->nr == 64)
            return;
        snprintf(v->rid[v->nr], sizeof v->rid[0], "%s", iid);
        v->types[v->nr][0] = 0;
        v->nr++;
    }
    size_t used = strlen(v->types[i]);
    snprintf(v->types[i] + used, sizeof v->types[0] - used, " %s", wsc_type(j));
}

/* Say a plain hello as `token` and collect the snapshot and the replay that follows it
 * (until the line stays quiet). Returns the connection, still open. */
static wsc *plain_hello(const char *token, seen *v)
{
    memset(v, 0, sizeof *v);
    v->in_order = true;
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    CHECK(c != NULL);
    if (!c)
        return NULL;
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"test\"}", token);
    json_t *w = wsc_recv(c, 5000);
    CHECK_STR(wsc_type(w), "welcome");
    json_decref(w);
    int64_t snap_seq = -1, last = 0;
    for (;;) {
        json_t *s = wsc_recv(c, 5000);
        if (!s || strcmp(wsc_type(s) ? wsc_type(s) : "", "snapshot") != 0) {
            json_decref(s);
            return c;
        }
        snap_seq = json_integer_value(json_object_get(s, "seq"));
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(s, "interactions"), i, it) {
            if (v->niids < 64)
                snprintf(v->iids[v->niids++], sizeof v->iids[0], "%s",
                         json_string_value(json_object_get(it, "iid")));
        }
        bool lastpart = json_is_true(json_object_get(s, "last"));
        json_decref(s);
        if (lastpart)
            break;
    }
    v->complete = true;
    json_t *j;
    while ((j = wsc_recv(c, 700)) != NULL) {
        take(v, j, snap_seq, &last);
        json_decref(j);
    }
    return c;
}

/* an ended call comes back with its end and final summary, to its agent and supervisors */
static void test_ended_call_in_snapshot(void)
{
    seen v;
    wsc *a1 = plain_hello("tok-agent-1", &v);
    CHECK(v.complete);
    CHECK_INT(v.niids, 0);
    start_call("done-1", "agent-1");
    start_call("live-1", "agent-1");
    start_call("done-2", "agent-2");
    end_call("done-1");
    end_call("done-2");
    json_t *e = wsc_recv_type(a1, "interaction.ended", 5000);
    CHECK_STR(json_string_value(json_object_get(e, "iid")), "done-1");
    json_decref(e);
    wsc_close(a1);

    /* the console restarts: a plain hello */
    a1 = plain_hello("tok-agent-1", &v);
    CHECK(v.complete);
    CHECK(v.in_order);
    CHECK_INT(v.niids, 2);
    CHECK(listed(&v, "done-1"));
    CHECK(listed(&v, "live-1"));
    CHECK(!listed(&v, "done-2"));
    const char *r = replayed(&v, "done-1");
    CHECK(strncmp(r, " interaction.started ", 21) == 0);
    CHECK(strstr(r, " utterance") != NULL);
    CHECK(strstr(r, " interaction.ended") != NULL);
    CHECK(strstr(r, " summary") != NULL);
    CHECK(strstr(replayed(&v, "live-1"), " interaction.ended") == NULL);
    CHECK_STR(replayed(&v, "done-2"), "");
    wsc_close(a1);

    wsc *a2 = plain_hello("tok-agent-2", &v);
    CHECK_INT(v.niids, 1);
    CHECK(listed(&v, "done-2"));
    CHECK(strstr(replayed(&v, "done-2"), " interaction.ended") != NULL);
    wsc_close(a2);

    wsc *sup = plain_hello("tok-supervisor", &v);
    CHECK(listed(&v, "done-1"));
    CHECK(listed(&v, "done-2"));
    CHECK(listed(&v, "live-1"));
    /* live ones first, then the ended ones newest end first */
    CHECK_STR(v.iids[0], "live-1");
    CHECK_STR(v.iids[1], "done-2");
    CHECK_STR(v.iids[2], "done-1");
    wsc_close(sup);
}

/* once a wrap-up is acked, a new plain hello no longer gets the interaction */
static void test_wrapup_removes_it(void)
{
    seen v;
    wsc *a1 = plain_hello("tok-agent-1", &v);
    CHECK(listed(&v, "done-1"));
    wsc_send(a1, "{\"type\":\"wrapup\",\"id\":\"wu-1\",\"iid\":\"done-1\",\"code\":\"billing\","
                 "\"summary\":\"refunded the double charge\",\"follow_up\":false}");
    json_t *ack = wsc_recv_answer(a1, "wu-1", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    wsc_close(a1);
    a1 = plain_hello("tok-agent-1", &v);
    CHECK(v.complete);
    CHECK_INT(v.niids, 1);
    CHECK(listed(&v, "live-1"));
    CHECK(!listed(&v, "done-1"));
    CHECK_STR(replayed(&v, "done-1"), "");
    wsc_close(a1);
    wsc *sup = plain_hello("tok-supervisor", &v);
    CHECK(!listed(&v, "done-1"));
    CHECK(listed(&v, "done-2"));
    wsc_close(sup);

    /* a wrap-up while still live is refused: it stays offered, and leaves once wrapped
     * up after its end */
    start_call("early-1", "agent-1");
    a1 = plain_hello("tok-agent-1", &v);
    CHECK(listed(&v, "early-1"));
    wsc_send(a1, "{\"type\":\"wrapup\",\"id\":\"wu-2\",\"iid\":\"early-1\",\"code\":\"billing\","
                 "\"summary\":\"done before the end\"}");
    json_t *err = wsc_recv_answer(a1, "wu-2", 5000);
    CHECK_STR(wsc_type(err), "error");
    CHECK_STR(json_string_value(json_object_get(err, "code")), "bad_field");
    json_decref(err);
    wsc_close(a1);
    end_call("early-1");
    a1 = plain_hello("tok-agent-1", &v);
    CHECK(listed(&v, "early-1"));
    wsc_send(a1, "{\"type\":\"wrapup\",\"id\":\"wu-2b\",\"iid\":\"early-1\",\"code\":\"billing\","
                 "\"summary\":\"done after the end\"}");
    ack = wsc_recv_answer(a1, "wu-2b", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    wsc_close(a1);
    a1 = plain_hello("tok-agent-1", &v);
    CHECK(!listed(&v, "early-1"));
    wsc_close(a1);
}

static void restart(void)
{
    hubproc_stop(&H, SIGKILL);
    CHECK(hubproc_start(&H, NULL) == 0);
    connect_ingest();
}

/* kill -9: what awaited a wrap-up still does, what was wrapped up stays gone */
static void test_across_kill(void)
{
    restart();
    seen v;
    wsc *a2 = plain_hello("tok-agent-2", &v);
    CHECK(v.complete);
    CHECK(v.in_order);
    CHECK_INT(v.niids, 1);
    CHECK(listed(&v, "done-2"));
    const char *r = replayed(&v, "done-2");
    CHECK(strncmp(r, " interaction.started ", 21) == 0);
    CHECK(strstr(r, " utterance") != NULL);
    CHECK(strstr(r, " interaction.ended") != NULL);
    CHECK(strstr(r, " summary") != NULL);
    wsc *a1 = plain_hello("tok-agent-1", &v);
    CHECK_INT(v.niids, 1);
    CHECK(listed(&v, "live-1"));
    wsc_close(a1);

    wsc_send(a2, "{\"type\":\"wrapup\",\"id\":\"wu-3\",\"iid\":\"done-2\",\"code\":\"billing\","
                 "\"summary\":\"after the restart\"}");
    json_t *ack = wsc_recv_answer(a2, "wu-3", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    wsc_close(a2);
    restart();
    a2 = plain_hello("tok-agent-2", &v);
    CHECK(v.complete);
    CHECK_INT(v.niids, 0);
    wsc_close(a2);

    /* an end made durable just before a kill -9 is offered after it */
    end_call("live-1");
    restart();
    a1 = plain_hello("tok-agent-1", &v);
    CHECK_INT(v.niids, 1);
    CHECK(listed(&v, "live-1"));
    CHECK(strstr(replayed(&v, "live-1"), " interaction.ended") != NULL);
    wsc_close(a1);
}

/* An ended interaction as an older hub left it: its row and its two durable events. */
static void add_ended(sqlite3 *db, const char *iid, int64_t started_ms, int64_t ended_ms)
{
    char *sql = sqlite3_mprintf(
        "INSERT INTO interactions(iid, channel, queue, agent, customer_id, started_ms, ended_ms, end_reason)"
        " VALUES(%Q, 'voice', 'billing', 'agent-3', 'C-1001', %lld, %lld, 'resolved');"
        "INSERT INTO events(seq, ts, iid, agent, audience, frame) SELECT coalesce(max(seq), 0) + 1, %lld, %Q,"
        " 'agent-3', '', json_object('type', 'interaction.started', 'iid', %Q, 'channel', 'voice',"
        " 'queue', 'billing', 'agent', 'agent-3', 'agent_name', 'agent-3', 'customer_id', 'C-1001',"
        " 'customer_name', '', 'started_ms', %lld, 'seq', coalesce(max(seq), 0) + 1, 'ts', %lld) FROM events;"
        "INSERT INTO events(seq, ts, iid, agent, audience, frame) SELECT coalesce(max(seq), 0) + 1, %lld, %Q,"
        " 'agent-3', '', json_object('type', 'interaction.ended', 'iid', %Q, 'reason', 'resolved',"
        " 'ended_ms', %lld, 'seq', coalesce(max(seq), 0) + 1, 'ts', %lld) FROM events;",
        iid, (long long)started_ms, (long long)ended_ms, (long long)started_ms, iid, iid,
        (long long)started_ms, (long long)started_ms, (long long)ended_ms, iid, iid, (long long)ended_ms,
        (long long)ended_ms);
    CHECK(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_free(sql);
}

/* bounded: ended within the last 24 h, the newest 50 per agent */
static void test_bounds(void)
{
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    sqlite3 *db;
    CHECK(sqlite3_open(H.db, &db) == SQLITE_OK);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
    add_ended(db, "old-1", now - 26 * 3600000LL, now - 25 * 3600000LL);
    for (int i = 0; i < 55; i++) {
        char iid[24];
        snprintf(iid, sizeof iid, "many-%02d", i);
        add_ended(db, iid, now - 7200000LL + i * 1000, now - 3600000LL + i * 1000);
    }
    sqlite3_close(db);
    CHECK(hubproc_start(&H, NULL) == 0);
    wsc *a3 = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    CHECK(a3 != NULL);
    wsc_send(a3, "{\"type\":\"hello\",\"token\":\"tok-agent-3\",\"client\":\"test\"}");
    json_decref(wsc_recv_type(a3, "welcome", 5000));
    size_t n = 0;
    bool old = false, oldest_kept = false, newest = false;
    for (;;) {
        json_t *s = wsc_recv_type(a3, "snapshot", 5000);
        CHECK(s != NULL);
        if (!s)
            break;
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(s, "interactions"), i, it) {
            const char *iid = json_string_value(json_object_get(it, "iid"));
            n++;
            old |= strcmp(iid, "old-1") == 0;
            oldest_kept |= strcmp(iid, "many-04") == 0;
            newest |= strcmp(iid, "many-54") == 0 && n == 1;
        }
        bool last = json_is_true(json_object_get(s, "last"));
        json_decref(s);
        if (last)
            break;
    }
    CHECK_INT(n, 50);
    CHECK(!old);
    CHECK(!oldest_kept);
    CHECK(newest);
    wsc_close(a3);
}

int main(void)
{
    if (hubproc_setup(&H) != 0 || hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    X = wsc_ctx_new();
    RUN(connect_ingest);
    RUN(test_ended_call_in_snapshot);
    RUN(test_wrapup_removes_it);
    RUN(test_across_kill);
    RUN(test_bounds);
    wsc_ctx_free(X);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    hubproc_cleanup(&H);
    return check_done("test_hub_unwrapped");
}
