/* test_hub_roles.c — the real hub over real websockets and SQLite: who may do what, and
 * what may not be counted twice.
 *   * a wrap-up is after-contact work: refused while the interaction is live (it stays
 *     offered), refused from anyone but its assigned agent (a supervisor included), stored
 *     once the agent sends it after the end;
 *   * suggestion.feedback counts once per user, interaction and article;
 *   * subscribe to an unknown iid is refused, and a supervisor's subscriptions are bounded;
 *   * the ingest-to-send latency histogram counts live sends only, not a snapshot replay
 *     of old events;
 *   * connections per token and in total are capped, refused with close 1008 and a reason. */
#include "tests/unit/check.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SUBSCRIPTIONS_BOUND = 100 };   /* as documented in docs/PROTOCOL.md */

static hubproc H;
static wsc_ctx *X;
static wsc *ingest;
static bool hub_up;

static const char *str(const json_t *j, const char *k)
{
    return json_string_value(json_object_get(j, k));
}

static wsc *console(const char *token)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    if (!c)
        return NULL;
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"test\"}", token);
    json_t *w = wsc_recv(c, 5000);
    CHECK_STR(wsc_type(w), "welcome");
    json_decref(w);
    return c;
}

/* Everything the hub has queued for c so far has arrived (a ping's pong follows it). */
static void drain(wsc *c, const char *ping_id)
{
    wsc_sendf(c, "{\"type\":\"ping\",\"id\":\"%s\"}", ping_id);
    json_t *p = wsc_recv_answer(c, ping_id, 10000);
    CHECK_STR(wsc_type(p), "pong");
    json_decref(p);
}

/* The first error before the answer to ping `ping_id` (NULL: none came). */
static json_t *error_before_pong(wsc *c, const char *ping_id)
{
    wsc_sendf(c, "{\"type\":\"ping\",\"id\":\"%s\"}", ping_id);
    json_t *err = NULL, *m;
    while ((m = wsc_recv(c, 5000)) != NULL) {
        const char *t = wsc_type(m);
        if (t && strcmp(t, "pong") == 0 && str(m, "id") && strcmp(str(m, "id"), ping_id) == 0) {
            json_decref(m);
            return err;
        }
        if (!err && t && strcmp(t, "error") == 0)
            err = m;
        else
            json_decref(m);
    }
    CHECK(!"no pong");
    return err;
}

static int64_t count_rows(const char *sql)
{
    sqlite3 *db;
    int64_t n = -1;
    if (sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        n = dbquery_int(db, sql);
    sqlite3_close(db);
    return n;
}

static double article_boost(const char *article)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    double b = -100;
    if (sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, "SELECT boost FROM kb WHERE id = ?1", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, article, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            b = sqlite3_column_double(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return b;
}

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

static void start_call(const char *iid, const char *agent, const char *text)
{
    char frame[640], id[80];
    snprintf(id, sizeof id, "s-%s", iid);
    snprintf(frame, sizeof frame,
             "{\"type\":\"start\",\"id\":\"%s\",\"iid\":\"%s\",\"channel\":\"chat\",\"queue\":\"billing\","
             "\"agent\":\"%s\",\"customer_id\":\"C-1001\"}", id, iid, agent);
    ingest_ok(id, frame);
    snprintf(id, sizeof id, "u-%s", iid);
    snprintf(frame, sizeof frame,
             "{\"type\":\"utterance\",\"id\":\"%s\",\"iid\":\"%s\",\"uid\":\"u1\",\"speaker\":\"customer\","
             "\"text\":\"%s\",\"final\":true,\"offset_ms\":1000}", id, iid, text);
    ingest_ok(id, frame);
}

static void end_call(const char *iid)
{
    char frame[256], id[80];
    snprintf(id, sizeof id, "e-%s", iid);
    snprintf(frame, sizeof frame, "{\"type\":\"end\",\"id\":\"%s\",\"iid\":\"%s\",\"reason\":\"resolved\"}", id, iid);
    ingest_ok(id, frame);
}

/* Send a wrap-up of iid as action `id`; the ack or error answering it. */
static json_t *wrapup(wsc *c, const char *id, const char *iid)
{
    wsc_sendf(c, "{\"type\":\"wrapup\",\"id\":\"%s\",\"iid\":\"%s\",\"code\":\"billing\","
                 "\"summary\":\"refunded the second charge\",\"follow_up\":false}", id, iid);
    return wsc_recv_answer(c, id, 5000);
}

/* Does a plain hello of `token` get iid in its snapshot? */
static bool in_snapshot(const char *token, const char *iid)
{
    wsc *c = console(token);
    bool found = false, last = false;
    json_t *m;
    while (!last && (m = wsc_recv_type(c, "snapshot", 5000)) != NULL) {
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(m, "interactions"), i, it) if (str(it, "iid") &&
                                                                          !strcmp(str(it, "iid"), iid))
            found = true;
        last = json_is_true(json_object_get(m, "last"));
        json_decref(m);
    }
    CHECK(last);
    wsc_close(c);
    return found;
}

static void check_error(json_t *e, const char *code, const char *ref)
{
    CHECK_STR(wsc_type(e), "error");
    CHECK_STR(str(e, "code"), code);
    CHECK_STR(str(e, "ref"), ref);
    CHECK(str(e, "message") && strlen(str(e, "message")) > 10);
    json_decref(e);
}

static void test_setup(void)
{
    static const char *const kinds[][2] = {{"customers", "customers.json"}, {"kb", "kb.json"}};
    CHECK(hubproc_setup(&H) == 0);
    for (size_t k = 0; k < 2; k++) {
        char path[700];
        snprintf(path, sizeof path, "%s/%s", H.data, kinds[k][1]);
        const char *args[] = {"import", "--db", H.db, kinds[k][0], path, NULL};
        CHECK_INT(hubproc_run_tool(&H, args, NULL), 0);
    }
    hub_up = hubproc_start(&H, NULL) == 0;
    CHECK(hub_up);
    X = wsc_ctx_new();
    if (hub_up)
        connect_ingest();
}

/* Wrap-up is the assigned agent's after-contact work, once the contact is over. */
static void test_wrapup_rules(void)
{
    start_call("wr-1", "agent-1", "I was charged twice for my order");
    wsc *a1 = console("tok-agent-1");
    drain(a1, "p-a1");
    /* live: refused, nothing stored, still offered to the agent */
    check_error(wrapup(a1, "w-live", "wr-1"), "bad_field", "w-live");
    CHECK_INT(count_rows("SELECT count(*) FROM wrapups WHERE iid = 'wr-1'"), 0);
    CHECK_INT(count_rows("SELECT count(*) FROM events WHERE iid = 'wr-1' AND frame LIKE '{\"type\":\"wrapup\"%'"), 0);
    CHECK(in_snapshot("tok-agent-1", "wr-1"));
    end_call("wr-1");
    /* a hand is for a live call: refused once it has ended, nothing logged */
    wsc_sendf(a1, "{\"type\":\"help\",\"id\":\"h-ended\",\"iid\":\"wr-1\",\"text\":\"too late\"}");
    json_t *e = wsc_recv_answer(a1, "h-ended", 5000);
    CHECK_STR(wsc_type(e), "error");
    CHECK_STR(str(e, "ref"), "h-ended");
    json_decref(e);
    CHECK_INT(count_rows("SELECT count(*) FROM events WHERE iid = 'wr-1' AND frame LIKE '%too late%'"), 0);
    /* ended: a supervisor and another agent are refused, the call stays offered */
    wsc *sup = console("tok-supervisor");
    check_error(wrapup(sup, "w-sup", "wr-1"), "forbidden", "w-sup");
    wsc *a2 = console("tok-agent-2");
    check_error(wrapup(a2, "w-a2", "wr-1"), "forbidden", "w-a2");
    CHECK_INT(count_rows("SELECT count(*) FROM wrapups WHERE iid = 'wr-1'"), 0);
    CHECK(in_snapshot("tok-agent-1", "wr-1"));
    /* its own agent, after the end: stored, and no longer offered */
    json_t *ack = wrapup(a1, "w-own", "wr-1");
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    CHECK_INT(count_rows("SELECT count(*) FROM wrapups WHERE iid = 'wr-1' AND user = 'agent-1'"), 1);
    CHECK_INT(count_rows("SELECT count(*) FROM wrapups WHERE iid = 'wr-1'"), 1);
    CHECK(!in_snapshot("tok-agent-1", "wr-1"));
    wsc_close(a1);
    wsc_close(a2);
    wsc_close(sup);
}

static void send_feedback(wsc *c, const char *id, const char *iid, const char *sid, const char *action)
{
    wsc_sendf(c, "{\"type\":\"suggestion.feedback\",\"id\":\"%s\",\"iid\":\"%s\",\"sid\":\"%s\",\"action\":\"%s\"}",
              id, iid, sid, action);
    json_t *a = wsc_recv_answer(c, id, 5000);
    CHECK_STR(wsc_type(a), "ack");
    json_decref(a);
}

/* One vote per user, interaction and article. */
static void test_feedback_counts_once(void)
{
    wsc *a1 = console("tok-agent-1");
    drain(a1, "p-fb0");
    start_call("fb-1", "agent-1", "I was charged twice for my order and I want a refund");
    json_t *sg = NULL, *m;
    while (!sg && (m = wsc_recv_type(a1, "suggestion", 10000)) != NULL) {
        if (str(m, "iid") && !strcmp(str(m, "iid"), "fb-1"))
            sg = m;
        else
            json_decref(m);
    }
    CHECK(sg != NULL);
    if (!sg) {
        wsc_close(a1);
        return;
    }
    char sid[160], article[160];
    snprintf(sid, sizeof sid, "%s", str(sg, "sid"));
    snprintf(article, sizeof article, "%s", str(sg, "source"));
    json_decref(sg);
    double b0 = article_boost(article);
    CHECK(b0 > -100);
    for (int i = 0; i < 10; i++) {
        char id[32];
        snprintf(id, sizeof id, "fb-d-%d", i);
        send_feedback(a1, id, "fb-1", sid, "dismissed");
    }
    double b1 = article_boost(article);
    if (b1 != b0 - 0.5)
        fprintf(stderr, "  boost %g -> %g after ten dismissals by one agent\n", b0, b1);
    CHECK(b1 == b0 - 0.5);
    /* a second user counts too */
    wsc *sup = console("tok-supervisor");
    send_feedback(sup, "fb-s-1", "fb-1", sid, "dismissed");
    send_feedback(sup, "fb-s-2", "fb-1", sid, "dismissed");
    CHECK(article_boost(article) == b0 - 1.0);
    /* changing one's mind replaces the vote */
    send_feedback(a1, "fb-u-1", "fb-1", sid, "used");
    CHECK(article_boost(article) == b0);
    CHECK_INT(count_rows("SELECT count(*) FROM suggestion_feedback WHERE iid = 'fb-1'"), 2);
    end_call("fb-1");
    wsc_close(a1);
    wsc_close(sup);
}

static void test_subscriptions(void)
{
    wsc *sup = console("tok-supervisor");
    drain(sup, "p-s0");
    wsc_send(sup, "{\"type\":\"subscribe\",\"iid\":\"no-such-call\"}");
    json_t *e = error_before_pong(sup, "p-s1");
    CHECK(e != NULL);
    CHECK_STR(str(e, "code"), "not_found");
    json_decref(e);
    wsc *a1 = console("tok-agent-1");
    drain(a1, "p-s2");
    wsc_send(a1, "{\"type\":\"subscribe\",\"iid\":\"no-such-call\"}");
    e = error_before_pong(a1, "p-s3");
    CHECK(e != NULL);
    CHECK_STR(str(e, "code"), "not_found");
    json_decref(e);
    wsc_close(a1);

    /* one more interaction than the bound, each subscribed to by iid */
    for (int i = 0; i <= SUBSCRIPTIONS_BOUND; i++)
        wsc_sendf(ingest, "{\"type\":\"start\",\"id\":\"sub-s-%d\",\"iid\":\"sub-%d\",\"channel\":\"voice\","
                          "\"queue\":\"billing\",\"agent\":\"agent-3\",\"customer_id\":\"C-1001\"}", i, i);
    for (int i = 0; i <= SUBSCRIPTIONS_BOUND; i++) {
        char id[32];
        snprintf(id, sizeof id, "sub-s-%d", i);
        json_t *a = wsc_recv_answer(ingest, id, 10000);
        CHECK_STR(wsc_type(a), "ack");
        json_decref(a);
    }
    drain(sup, "p-s4");
    for (int i = 0; i < SUBSCRIPTIONS_BOUND; i++)
        wsc_sendf(sup, "{\"type\":\"subscribe\",\"iid\":\"sub-%d\"}", i);
    e = error_before_pong(sup, "p-s5");
    if (e)
        fprintf(stderr, "  within the bound: %s\n", str(e, "message"));
    CHECK(e == NULL);
    json_decref(e);
    /* subscribing again to one already followed is no new subscription */
    wsc_send(sup, "{\"type\":\"subscribe\",\"iid\":\"sub-0\"}");
    e = error_before_pong(sup, "p-s6");
    CHECK(e == NULL);
    json_decref(e);
    wsc_sendf(sup, "{\"type\":\"subscribe\",\"iid\":\"sub-%d\"}", SUBSCRIPTIONS_BOUND);
    e = error_before_pong(sup, "p-s7");
    CHECK(e != NULL);
    CHECK_STR(str(e, "code"), "bad_field");
    CHECK(str(e, "message") && strstr(str(e, "message"), "100") != NULL);
    json_decref(e);
    /* unsubscribing one makes room */
    wsc_send(sup, "{\"type\":\"unsubscribe\",\"iid\":\"sub-1\"}");
    wsc_sendf(sup, "{\"type\":\"subscribe\",\"iid\":\"sub-%d\"}", SUBSCRIPTIONS_BOUND);
    e = error_before_pong(sup, "p-s8");
    CHECK(e == NULL);
    json_decref(e);
    wsc_close(sup);
    for (int i = 0; i <= SUBSCRIPTIONS_BOUND; i++) {
        char iid[32];
        snprintf(iid, sizeof iid, "sub-%d", i);
        end_call(iid);
    }
}

/* A console that joins with a snapshot of events older than a few seconds adds no
 * latency sample for them; live sends do add samples. */
static void test_latency_counts_live_only(void)
{
    wsc *a1 = console("tok-agent-1");
    drain(a1, "p-l0");
    start_call("lat-1", "agent-1", "hello, is anyone there?");
    drain(a1, "p-l1");
    double live = hubproc_metric(&H, "agentdesk_ingest_to_send_seconds_count");
    CHECK(live > 0);
    wsc_close(a1);
    sleep(4);
    /* a plain hello: the snapshot replays lat-1's events, ingested 4 s ago */
    wsc *a1b = console("tok-agent-1");
    drain(a1b, "p-l2");
    wsc *sup = console("tok-supervisor");
    drain(sup, "p-l3");
    double under = hubproc_metric(&H, "agentdesk_ingest_to_send_seconds_bucket{le=\"2.5\"}");
    double all = hubproc_metric(&H, "agentdesk_ingest_to_send_seconds_bucket{le=\"+Inf\"}");
    double sum = hubproc_metric(&H, "agentdesk_ingest_to_send_seconds_sum");
    if (under != all)
        fprintf(stderr, "  %g of %g samples above 2.5 s (sum %g s)\n", all - under, all, sum);
    CHECK(all > 0);
    CHECK(under == all);
    end_call("lat-1");
    wsc_close(a1b);
    wsc_close(sup);
}

/* Wait until a connection refused by the hub is closed, with 1008 and `reason`. */
static void check_refused(wsc *c, const char *reason)
{
    CHECK(c != NULL);
    if (!c)
        return;
    json_t *e = wsc_recv_type(c, "error", 5000);
    CHECK_STR(str(e, "code"), "too_many_connections");
    json_decref(e);
    CHECK(wsc_wait_closed(c, 5000));
    CHECK_INT(wsc_close_status(c), 1008);
    CHECK_STR(wsc_close_reason(c), reason);
}

static void test_connection_caps(void)
{
    wsc_ctx_free(X);
    X = wsc_ctx_new();
    hubproc_stop(&H, SIGTERM);
    const char *limits[] = {"--max-connections", "6", "--max-connections-per-token", "2", NULL};
    hub_up = hubproc_start(&H, limits) == 0;
    CHECK(hub_up);
    if (!hub_up)
        return;
    connect_ingest();
    wsc *a1 = console("tok-agent-1");
    wsc *a1b = console("tok-agent-1");
    drain(a1b, "p-c0");
    /* a third for the same token: refused, the first two unharmed */
    wsc *a1c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_send(a1c, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"test\"}");
    check_refused(a1c, "too many connections for this token");
    drain(a1, "p-c1");
    drain(a1b, "p-c2");
    /* another token is not affected */
    wsc *a2 = console("tok-agent-2");
    drain(a2, "p-c3");
    /* a freed slot may be used again */
    wsc_close(a1b);
    bool again = false;
    for (int i = 0; i < 20 && !again; i++) {
        wsc_service(X, 100);
        wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
        wsc_send(c, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"test\"}");
        json_t *w = wsc_recv(c, 5000);
        again = w && !strcmp(wsc_type(w), "welcome");
        json_decref(w);
        if (!again)
            wsc_wait_closed(c, 5000);
    }
    CHECK(again);                            /* 4: a1, a2, this one and the connector */
    wsc_service(X, 300);
    /* the hub as a whole: the sixth is the last one taken, signed in or not */
    wsc *fifth = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc *sixth = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    CHECK(fifth != NULL && sixth != NULL);
    wsc_service(X, 200);
    CHECK(!wsc_is_closed(fifth));
    wsc *seventh = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    check_refused(seventh, "too many connections to this hub");
    CHECK(!wsc_is_closed(sixth));
    wsc_send(sixth, "{\"type\":\"hello\",\"token\":\"tok-supervisor\",\"client\":\"test\"}");
    json_t *w = wsc_recv(sixth, 5000);
    CHECK_STR(wsc_type(w), "welcome");
    json_decref(w);
    CHECK(hubproc_metric(&H, "agentdesk_frames_rejected_total{reason=\"too_many_connections\"}") >= 2);
}

int main(void)
{
    RUN(test_setup);
    if (hub_up) {
        RUN(test_wrapup_rules);
        RUN(test_feedback_counts_once);
        RUN(test_subscriptions);
        RUN(test_latency_counts_live_only);
        RUN(test_connection_caps);
    }
    wsc_ctx_free(X);
    if (hub_up)
        CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    hubproc_cleanup(&H);
    return check_done("test_hub_roles");
}
