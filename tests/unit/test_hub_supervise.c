/* test_hub_supervise.c — the supervisor's floor actions on the real hub, over real
 * websockets and SQLite:
 *   * whisper, barge and opening another agent's interaction are recorded in the audit
 *     trail with who and when, never the whispered text;
 *   * a supervisor's reply while barged reaches the transcript as speaker "supervisor". */
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
    wsc_ctx_free(X);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    hubproc_cleanup(&H);
    return check_done("test_hub_supervise");
}
