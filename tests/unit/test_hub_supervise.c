/* test_hub_supervise.c — the supervisor's floor on the real hub, over real websockets and
 * SQLite:
 *   * whisper, barge, leave, takeover, alert.ack and opening another agent's interaction are
 *     recorded in the audit trail with who and when, never the whispered text;
 *   * a supervisor's reply while barged reaches the transcript as speaker "supervisor";
 *   * leave ends a barge (barge with left true), and needs one;
 *   * takeover moves an interaction: the previous agent gets interaction.assigned and
 *     nothing more of it, the new owner (live, or signing in later, or resuming) gets it as
 *     a snapshot and then its events, and the wrap-up is the new owner's;
 *   * alert.ack: the agent and supervisors get alert.acked once; again is acked only;
 *   * agent.status: offline / available / busy / acw / break with their counts, a break
 *     kept across a hub restart;
 *   * each is refused to the wrong role with a clear error. */
#include "tests/unit/check.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static hubproc H;
static wsc_ctx *X;
static wsc *ingest;

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

static int64_t db_int(const char *sql)
{
    sqlite3 *db;
    int64_t n = -1;
    if (sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        n = dbquery_int(db, sql);
    sqlite3_close(db);
    return n;
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
    char frame[640], id[80];
    snprintf(id, sizeof id, "s-%s", iid);
    snprintf(frame, sizeof frame,
             "{\"type\":\"start\",\"id\":\"%s\",\"iid\":\"%s\",\"channel\":\"chat\",\"queue\":\"billing\","
             "\"agent\":\"%s\",\"customer_id\":\"C-1001\"}", id, iid, agent);
    ingest_ok(id, frame);
    snprintf(id, sizeof id, "u-%s", iid);
    snprintf(frame, sizeof frame,
             "{\"type\":\"utterance\",\"id\":\"%s\",\"iid\":\"%s\",\"uid\":\"u1\",\"speaker\":\"customer\","
             "\"text\":\"I was charged twice\",\"final\":true,\"offset_ms\":1000}", id, iid);
    ingest_ok(id, frame);
}

/* Everything c receives until the answer to a ping (so: everything the hub had queued for
 * it), as an array. */
static json_t *until_pong(wsc *c, const char *ping_id)
{
    json_t *all = json_array(), *m;
    wsc_sendf(c, "{\"type\":\"ping\",\"id\":\"%s\"}", ping_id);
    while ((m = wsc_recv(c, 5000)) != NULL) {
        if (strcmp(wsc_type(m), "pong") == 0 && str(m, "id") && strcmp(str(m, "id"), ping_id) == 0) {
            json_decref(m);
            return all;
        }
        json_array_append_new(all, m);
    }
    CHECK(!"no pong");
    return all;
}

/* The first message of `type` in `all` (about iid, when given; for agent.status: of agent
 * `iid`), from index *from on; NULL when none. */
static json_t *find(json_t *all, const char *type, const char *iid, size_t *from)
{
    size_t i = from ? *from : 0;
    for (; i < json_array_size(all); i++) {
        json_t *m = json_array_get(all, i);
        const char *key = strcmp(type, "agent.status") == 0 ? "agent" : "iid";
        if (strcmp(wsc_type(m), type) == 0 && (!iid || (str(m, key) && strcmp(str(m, key), iid) == 0))) {
            if (from)
                *from = i + 1;
            return m;
        }
    }
    return NULL;
}

/* The latest agent.status of `agent` in `all`, NULL when none. */
static json_t *latest_status(json_t *all, const char *agent)
{
    json_t *last = NULL, *m;
    size_t i = 0;
    while ((m = find(all, "agent.status", agent, &i)) != NULL)
        last = m;
    return last;
}

static int64_t num(const json_t *j, const char *k)
{
    return json_integer_value(json_object_get(j, k));
}

/* Everything c receives up to and including the first `type` about iid (a snapshot being
 * pumped may come after a pong: this waits for the event itself). */
static json_t *until_event(wsc *c, const char *type, const char *iid)
{
    json_t *all = json_array(), *m;
    while ((m = wsc_recv(c, 5000)) != NULL) {
        json_array_append_new(all, m);
        if (strcmp(wsc_type(m), type) == 0 && str(m, "iid") && strcmp(str(m, "iid"), iid) == 0)
            return all;
    }
    fprintf(stderr, "  no %s of %s came\n", type, iid);
    CHECK(!"event came");
    return all;
}

/* Wait for the agent.status of `agent` saying exactly this (a console leaving is noticed
 * in its own time); the last one seen when it does not come. */
static json_t *wait_status(wsc *c, const char *agent, const char *state, int64_t live, int64_t acw,
                           int64_t handled)
{
    json_t *m, *last = NULL;
    while ((m = wsc_recv_type(c, "agent.status", 5000)) != NULL) {
        if (!str(m, "agent") || strcmp(str(m, "agent"), agent) != 0) {
            json_decref(m);
            continue;
        }
        json_decref(last);
        last = m;
        if (strcmp(str(m, "state"), state) == 0 && num(m, "live") == live && num(m, "acw_count") == acw &&
            num(m, "handled_today") == handled)
            return m;
    }
    char *d = last ? json_dumps(last, JSON_COMPACT) : NULL;
    fprintf(stderr, "  no agent.status %s %s live %lld acw %lld handled %lld; last: %s\n", agent, state,
            (long long)live, (long long)acw, (long long)handled, d ? d : "none");
    free(d);
    CHECK(!"status came");
    return last;
}

/* Send an action and return what answers it (ack or error). */
static json_t *act(wsc *c, const char *id, const char *fmt_body)
{
    wsc_sendf(c, "{\"id\":\"%s\",%s}", id, fmt_body);
    return wsc_recv_answer(c, id, 5000);
}

static void expect_ack(json_t *a)
{
    CHECK_STR(wsc_type(a), "ack");
    if (a && strcmp(wsc_type(a), "ack") != 0)
        fprintf(stderr, "  got %s: %s\n", wsc_type(a), str(a, "message") ? str(a, "message") : "");
    json_decref(a);
}

static void expect_error(json_t *e, const char *code)
{
    CHECK_STR(wsc_type(e), "error");
    CHECK_STR(str(e, "code"), code);
    CHECK(str(e, "message") && strlen(str(e, "message")) > 10);
    json_decref(e);
}

static void test_audited_actions(void)
{
    start_call("I-A1", "agent-1");
    wsc *sup = console("tok-supervisor");
    wsc_sendf(sup, "{\"type\":\"subscribe\",\"iid\":\"I-A1\"}");
    expect_ack(act(sup, "w-1", "\"type\":\"whisper\",\"iid\":\"I-A1\",\"text\":\"offer the 4539 1488 0343 6467 refund\""));
    expect_ack(act(sup, "b-1", "\"type\":\"barge\",\"iid\":\"I-A1\""));
    /* a retried id is applied once, and audited once */
    expect_ack(act(sup, "b-1", "\"type\":\"barge\",\"iid\":\"I-A1\""));
    expect_ack(act(sup, "r-1", "\"type\":\"reply\",\"iid\":\"I-A1\",\"text\":\"I am the supervisor, I will help\""));
    /* (its utterance came before the ack, which wsc_recv_answer skipped: read the log) */
    CHECK_INT(db_int("SELECT count(*) FROM events WHERE iid='I-A1' AND frame LIKE '%\"utterance\"%'"
                     " AND frame LIKE '%\"speaker\":\"supervisor\"%' AND frame LIKE '%I will help%'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE user='supervisor' AND action='open' AND iid='I-A1'"
                     " AND detail='agent agent-1'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE action='whisper' AND iid='I-A1' AND detail='to agent-1'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE action='barge' AND iid='I-A1'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE detail LIKE '%4539%' OR detail LIKE '%refund%'"), 0);
    CHECK(db_int("SELECT min(ts) FROM audit") > 1700000000000LL);
    /* an agent opening its own interaction is no supervisor action */
    wsc *ag = console("tok-agent-1");
    wsc_sendf(ag, "{\"type\":\"subscribe\",\"iid\":\"I-A1\"}");
    expect_ack(act(ag, "n-1", "\"type\":\"note\",\"iid\":\"I-A1\",\"text\":\"noted\""));
    expect_error(act(ag, "w-2", "\"type\":\"whisper\",\"iid\":\"I-A1\",\"text\":\"hi\""), "forbidden");
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE user='agent-1'"), 0);
    wsc_close(ag);
    wsc_close(sup);
}

static void say(const char *iid, const char *uid, const char *speaker, const char *text)
{
    char frame[640], id[80];
    snprintf(id, sizeof id, "say-%s-%s", iid, uid);
    snprintf(frame, sizeof frame,
             "{\"type\":\"utterance\",\"id\":\"%s\",\"iid\":\"%s\",\"uid\":\"%s\",\"speaker\":\"%s\","
             "\"text\":\"%s\",\"final\":true,\"offset_ms\":2000}", id, iid, uid, speaker, text);
    ingest_ok(id, frame);
}

static void end_call(const char *iid)
{
    char frame[256], id[80];
    snprintf(id, sizeof id, "e-%s", iid);
    snprintf(frame, sizeof frame, "{\"type\":\"end\",\"id\":\"%s\",\"iid\":\"%s\",\"reason\":\"resolved\"}", id, iid);
    ingest_ok(id, frame);
}

/* A console that has had its snapshot (or replay) and is live: drained up to a pong. */
static wsc *live_console(const char *token, json_t **got)
{
    wsc *c = console(token);
    json_t *all = c ? until_pong(c, "live") : json_array();
    if (got)
        *got = all;
    else
        json_decref(all);
    return c;
}

static int64_t ack_seq(json_t *a)
{
    CHECK_STR(wsc_type(a), "ack");
    int64_t seq = num(a, "seq");
    json_decref(a);
    return seq;
}

static void test_leave(void)
{
    start_call("I-L1", "agent-1");
    wsc *sup = live_console("tok-supervisor", NULL);
    wsc *ag = live_console("tok-agent-1", NULL);
    expect_error(act(sup, "l-0", "\"type\":\"leave\",\"iid\":\"I-L1\""), "bad_field");
    expect_ack(act(sup, "l-b", "\"type\":\"barge\",\"iid\":\"I-L1\""));
    expect_ack(act(sup, "l-1", "\"type\":\"leave\",\"iid\":\"I-L1\""));
    expect_error(act(sup, "l-2", "\"type\":\"leave\",\"iid\":\"I-L1\""), "bad_field");
    json_t *all = until_pong(ag, "l-p");
    size_t at = 0;
    json_t *joined = find(all, "barge", "I-L1", &at), *left = find(all, "barge", "I-L1", &at);
    CHECK(joined && !json_object_get(joined, "left"));
    CHECK(left && json_is_true(json_object_get(left, "left")));
    CHECK_STR(str(left, "from"), "supervisor");
    CHECK(find(all, "barge", "I-L1", &at) == NULL);
    json_decref(all);
    expect_error(act(ag, "l-3", "\"type\":\"leave\",\"iid\":\"I-L1\""), "forbidden");
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE action='leave' AND iid='I-L1'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM barges WHERE iid='I-L1'"), 0);
    wsc_close(ag);
    wsc_close(sup);
}

static void test_alert_ack(void)
{
    start_call("I-H1", "agent-1");
    wsc *sup = live_console("tok-supervisor", NULL);
    wsc *ag = live_console("tok-agent-1", NULL);
    int64_t hand = ack_seq(act(ag, "h-1", "\"type\":\"help\",\"iid\":\"I-H1\",\"text\":\"manager please\""));
    CHECK(hand > 0);
    char body[160];
    snprintf(body, sizeof body, "\"type\":\"alert.ack\",\"iid\":\"I-H1\",\"alert\":%lld", (long long)hand);
    int64_t acked = ack_seq(act(sup, "k-1", body));
    CHECK(acked > hand);
    /* again (another id): acknowledged, no new event */
    json_t *again = act(sup, "k-2", body);
    CHECK_STR(wsc_type(again), "ack");
    CHECK(json_object_get(again, "seq") == NULL);
    json_decref(again);
    /* a seq that is no hand or flag of the interaction */
    snprintf(body, sizeof body, "\"type\":\"alert.ack\",\"iid\":\"I-H1\",\"alert\":%lld", (long long)hand - 1);
    expect_error(act(sup, "k-4", body), "not_found");
    json_t *all = until_pong(ag, "k-p");
    size_t at = 0;
    json_t *m = find(all, "alert.acked", "I-H1", &at);
    CHECK(m != NULL);
    CHECK_INT(num(m, "alert"), hand);
    CHECK_INT(num(m, "seq"), acked);
    CHECK_STR(str(m, "by"), "supervisor");
    CHECK(find(all, "alert.acked", "I-H1", &at) == NULL);   /* once */
    json_decref(all);
    snprintf(body, sizeof body, "\"type\":\"alert.ack\",\"iid\":\"I-H1\",\"alert\":%lld", (long long)hand);
    expect_error(act(ag, "k-3", body), "forbidden");
    CHECK_INT(db_int("SELECT count(*) FROM alert_acks WHERE iid='I-H1'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE action='alert.ack' AND iid='I-H1'"), 2);
    wsc_close(ag);
    wsc_close(sup);
}

/* The interaction's events in `all` from its snapshot on: each about I-T1, seqs increasing. */
static void check_handed_over(json_t *all, const char *iid, const char *to)
{
    size_t at = 0;
    json_t *snap = find(all, "snapshot", NULL, &at);
    CHECK(snap != NULL);
    if (!snap)
        return;
    json_t *items = json_object_get(snap, "interactions");
    CHECK_INT(json_array_size(items), 1);
    CHECK_STR(str(json_array_get(items, 0), "iid"), iid);
    CHECK_STR(str(json_array_get(items, 0), "agent"), to);
    size_t started_at = at;
    json_t *started = find(all, "interaction.started", iid, &started_at);
    if (!started) fprintf(stderr, "  no interaction.started of %s after the snapshot (%zu messages)\n", iid, json_array_size(all));
    CHECK(started != NULL);
    size_t assigned_at = at;
    json_t *assigned = find(all, "interaction.assigned", iid, &assigned_at);
    CHECK(assigned != NULL);
    CHECK(started_at < assigned_at);
    int64_t last = 0;
    bool ordered = true;
    for (size_t i = at; i < assigned_at; i++) {
        json_t *m = json_array_get(all, i);
        if (!json_object_get(m, "seq"))
            continue;
        ordered = ordered && num(m, "seq") > last;
        last = num(m, "seq");
    }
    CHECK(ordered);
    CHECK(find(all, "utterance", iid, &started_at) != NULL);   /* its history came with it */
}

static void test_takeover(void)
{
    start_call("I-T1", "agent-1");
    say("I-T1", "t1-2", "customer", "it still does not work");
    wsc *sup = live_console("tok-supervisor", NULL);
    wsc *a1 = live_console("tok-agent-1", NULL);
    wsc *a2 = live_console("tok-agent-2", NULL);
    /* refusals first */
    expect_error(act(a1, "t-0", "\"type\":\"takeover\",\"iid\":\"I-T1\",\"to\":\"agent-2\""), "forbidden");
    expect_error(act(sup, "t-1", "\"type\":\"takeover\",\"iid\":\"I-T1\",\"to\":\"trainer\""), "bad_field");
    expect_error(act(sup, "t-2", "\"type\":\"takeover\",\"iid\":\"I-T1\",\"to\":\"agent-1\""), "bad_field");
    expect_error(act(sup, "t-3", "\"type\":\"takeover\",\"iid\":\"I-none\",\"to\":\"agent-2\""), "not_found");
    int64_t seq = ack_seq(act(sup, "t-4", "\"type\":\"takeover\",\"iid\":\"I-T1\",\"to\":\"agent-2\""));
    CHECK(seq > 0);
    say("I-T1", "t1-3", "customer", "hello again");
    json_t *got1 = until_event(a1, "interaction.assigned", "I-T1"), *more = until_pong(a1, "t-p1");
    json_array_extend(got1, more);
    json_decref(more);
    /* the new owner: the interaction's snapshot, the takeover, then the line said after it */
    json_t *got2 = until_event(a2, "interaction.assigned", "I-T1");
    more = until_event(a2, "utterance", "I-T1");
    json_array_extend(got2, more);
    json_decref(more);
    json_t *m = find(got1, "interaction.assigned", "I-T1", NULL);
    CHECK(m != NULL);
    CHECK_STR(str(m, "agent"), "agent-2");
    CHECK_STR(str(m, "from"), "agent-1");
    CHECK_STR(str(m, "by"), "supervisor");
    CHECK_INT(num(m, "seq"), seq);
    CHECK(find(got1, "utterance", "I-T1", NULL) == NULL);   /* nothing more of it */
    check_handed_over(got2, "I-T1", "agent-2");
    size_t at = 0;
    CHECK(find(got2, "interaction.assigned", "I-T1", &at) != NULL);
    json_t *u = find(got2, "utterance", "I-T1", &at);
    CHECK(u && strcmp(str(u, "text"), "hello again") == 0);
    json_decref(got1);
    json_decref(got2);
    /* the new owner works it, the previous one no longer */
    expect_error(act(a1, "t-5", "\"type\":\"reply\",\"iid\":\"I-T1\",\"text\":\"hi\""), "forbidden");
    expect_ack(act(a2, "t-6", "\"type\":\"reply\",\"iid\":\"I-T1\",\"text\":\"I am taking this over\""));
    end_call("I-T1");
    const char *wrap = "\"type\":\"wrapup\",\"iid\":\"I-T1\",\"code\":\"billing\",\"summary\":\"done\"";
    expect_error(act(a1, "t-7", wrap), "forbidden");
    expect_ack(act(a2, "t-8", wrap));
    CHECK_INT(db_int("SELECT count(*) FROM interactions WHERE iid='I-T1' AND agent='agent-2'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE action='takeover' AND iid='I-T1'"
                     " AND detail='from agent-1 to agent-2'"), 1);
    wsc_close(a1);
    wsc_close(a2);

    /* to an agent not signed in: its next hello has it; a resume from before the takeover
     * gets it as a snapshot, then the takeover */
    wsc *a3 = console("tok-agent-3");
    int64_t before = 0;
    json_t *all = until_pong(a3, "t-p3");
    for (size_t i = 0; i < json_array_size(all); i++)
        if (num(json_array_get(all, i), "seq") > before)
            before = num(json_array_get(all, i), "seq");
    json_decref(all);
    wsc_close(a3);
    start_call("I-T2", "agent-1");
    before = db_int("SELECT max(seq) FROM events");
    expect_ack(act(sup, "t-9", "\"type\":\"takeover\",\"iid\":\"I-T2\",\"to\":\"agent-3\""));
    a3 = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_sendf(a3, "{\"type\":\"hello\",\"token\":\"tok-agent-3\",\"client\":\"test\",\"resume_after\":%lld}",
              (long long)before);
    all = until_event(a3, "interaction.assigned", "I-T2");
    check_handed_over(all, "I-T2", "agent-3");
    json_decref(all);
    wsc_close(a3);
    a3 = console("tok-agent-3");
    all = until_pong(a3, "t-p5");
    json_t *snap = find(all, "snapshot", NULL, NULL);
    char *listed = snap ? json_dumps(snap, 0) : NULL;
    CHECK(listed && strstr(listed, "I-T2"));
    free(listed);
    json_decref(all);
    wsc_close(a3);
    /* to the supervisor itself (no to): it owns it */
    start_call("I-T3", "agent-1");
    expect_ack(act(sup, "t-10", "\"type\":\"takeover\",\"iid\":\"I-T3\""));
    expect_ack(act(sup, "t-11", "\"type\":\"note\",\"iid\":\"I-T3\",\"text\":\"mine now\""));
    CHECK_INT(db_int("SELECT count(*) FROM interactions WHERE iid='I-T3' AND agent='supervisor'"), 1);
    wsc_close(sup);
}

static void check_status(json_t *st, const char *state, int64_t live, int64_t acw, int64_t handled)
{
    CHECK(st != NULL);
    if (!st)
        return;
    CHECK_STR(str(st, "state"), state);
    CHECK_INT(num(st, "live"), live);
    CHECK_INT(num(st, "acw_count"), acw);
    CHECK_INT(num(st, "handled_today"), handled);
    CHECK(num(st, "since_ms") > 1700000000000LL);
}

static void test_agent_status(void)
{
    json_t *got;
    wsc *sup = live_console("tok-supervisor", &got);
    /* every agent's, after the snapshot */
    check_status(latest_status(got, "agent-2"), "offline", 0, 0, 1);
    CHECK(latest_status(got, "agent-3") != NULL);
    CHECK(latest_status(got, "agent-1") != NULL);
    CHECK(latest_status(got, "supervisor") == NULL);
    json_decref(got);
    wsc *a2 = live_console("tok-agent-2", &got);
    check_status(latest_status(got, "agent-2"), "available", 0, 0, 1);
    CHECK(latest_status(got, "agent-1") == NULL);   /* an agent gets its own only */
    json_decref(got);
    json_decref(wait_status(sup, "agent-2", "available", 0, 0, 1));

    expect_ack(act(a2, "s-1", "\"type\":\"status\",\"state\":\"break\""));
    json_decref(wait_status(sup, "agent-2", "break", 0, 0, 1));
    expect_error(act(sup, "s-2", "\"type\":\"status\",\"state\":\"break\""), "forbidden");
    start_call("I-S1", "agent-2");   /* a connector names the agent itself */
    json_decref(wait_status(sup, "agent-2", "break", 1, 0, 1));
    expect_ack(act(a2, "s-3", "\"type\":\"status\",\"state\":\"available\""));
    json_decref(wait_status(sup, "agent-2", "busy", 1, 0, 1));
    end_call("I-S1");
    json_t *st = wait_status(a2, "agent-2", "acw", 0, 1, 1);
    int64_t ended = db_int("SELECT ended_ms FROM interactions WHERE iid='I-S1'");
    CHECK_INT(num(st, "since_ms"), ended);   /* the after-call-work timer */
    json_decref(st);
    expect_ack(act(a2, "s-6", "\"type\":\"wrapup\",\"iid\":\"I-S1\",\"code\":\"x\",\"summary\":\"y\""));
    json_decref(wait_status(sup, "agent-2", "available", 0, 0, 2));

    /* a break outlives a restart of the hub */
    expect_ack(act(a2, "s-7", "\"type\":\"status\",\"state\":\"break\""));
    int64_t since = db_int("SELECT since_ms FROM agent_status WHERE agent='agent-2'");
    wsc_close(a2);
    json_decref(wait_status(sup, "agent-2", "offline", 0, 0, 2));
    wsc_close(sup);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    CHECK_INT(hubproc_start(&H, NULL), 0);
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    if (ingest) {
        wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
        json_decref(wsc_recv(ingest, 5000));
    }
    a2 = live_console("tok-agent-2", &got);
    st = latest_status(got, "agent-2");
    check_status(st, "break", 0, 0, 2);
    CHECK_INT(num(st, "since_ms"), since);
    json_decref(got);
    wsc_close(a2);
    /* and a takeover outlives it too (test_takeover gave I-T2 to agent-3) */
    wsc *a3 = console("tok-agent-3");
    json_t *snap = wsc_recv_type(a3, "snapshot", 5000);
    char *text = snap ? json_dumps(snap, JSON_COMPACT) : NULL;
    CHECK(text && strstr(text, "\"iid\":\"I-T2\",\"channel\":\"chat\",\"queue\":\"billing\",\"agent\":\"agent-3\""));
    free(text);
    json_decref(snap);
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
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    if (ingest) {
        wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
        json_decref(wsc_recv(ingest, 5000));
    }
    RUN(test_audited_actions);
    RUN(test_leave);
    RUN(test_alert_ack);
    RUN(test_takeover);
    RUN(test_agent_status);
    wsc_ctx_free(X);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    hubproc_cleanup(&H);
    return check_done("test_hub_supervise");
}
