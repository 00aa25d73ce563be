/* test_hub_session.c — the real hub binary over real websockets and SQLite: hello and
 * welcome, snapshot, ingest to console, visibility between agents, roles, actions acked
 * once durable and applied once when retried, and the ingest errors. */
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

static wsc *console(const char *token, json_t **welcome)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    if (!c)
        return NULL;
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"test\"}", token);
    json_t *w = wsc_recv(c, 5000);
    if (welcome)
        *welcome = w;
    else
        json_decref(w);
    return c;
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

static void test_ingest_hello(void)
{
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(ingest != NULL);
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_t *w = wsc_recv(ingest, 5000);
    CHECK_STR(wsc_type(w), "welcome");
    CHECK_STR(json_string_value(json_object_get(w, "user")), "ingest");
    json_decref(w);
}

static void test_welcome_and_empty_snapshot(void)
{
    json_t *w = NULL;
    wsc *c = console("tok-agent-1", &w);
    CHECK(c != NULL);
    CHECK_STR(wsc_type(w), "welcome");
    CHECK_STR(json_string_value(json_object_get(w, "user")), "agent-1");
    CHECK_STR(json_string_value(json_object_get(w, "role")), "agent");
    CHECK(json_string_value(json_object_get(w, "hub_id")) != NULL);
    json_decref(w);
    json_t *s = wsc_recv(c, 5000);
    CHECK_STR(wsc_type(s), "snapshot");
    CHECK(json_is_true(json_object_get(s, "last")));
    CHECK_INT(json_array_size(json_object_get(s, "interactions")), 0);
    json_decref(s);
    wsc_close(c);
}

static void test_unauthorized(void)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_send(c, "{\"type\":\"hello\",\"token\":\"nope\",\"client\":\"test\"}");
    json_t *e = wsc_recv(c, 5000);
    CHECK_STR(wsc_type(e), "error");
    CHECK_STR(json_string_value(json_object_get(e, "code")), "unauthorized");
    json_decref(e);
    CHECK(wsc_wait_closed(c, 5000));
    /* an ingest token is no console token, and the reverse */
    c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_send(c, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    e = wsc_recv(c, 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "unauthorized");
    json_decref(e);
    CHECK(wsc_wait_closed(c, 5000));
    c = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_send(c, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"test\"}");
    e = wsc_recv(c, 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "unauthorized");
    json_decref(e);
    CHECK(wsc_wait_closed(c, 5000));
    /* an action before hello */
    c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_send(c, "{\"type\":\"ping\",\"id\":\"p\"}");
    e = wsc_recv_type(c, "error", 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "unauthorized");
    json_decref(e);
    CHECK(wsc_wait_closed(c, 5000));
}

static void test_ingest_reaches_only_its_agent(void)
{
    wsc *a1 = console("tok-agent-1", NULL);
    wsc *a2 = console("tok-agent-2", NULL);
    wsc *sup = console("tok-supervisor", NULL);
    json_decref(wsc_recv_type(a1, "snapshot", 5000));
    json_decref(wsc_recv_type(a2, "snapshot", 5000));
    json_decref(wsc_recv_type(sup, "snapshot", 5000));
    wsc_send(ingest, "{\"type\":\"start\",\"id\":\"s1\",\"iid\":\"chat-1\",\"channel\":\"chat\",\"queue\":\"billing\","
                     "\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}");
    json_t *ack = wsc_recv_answer(ingest, "s1", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    json_t *st = wsc_recv_type(a1, "interaction.started", 5000);
    CHECK_STR(json_string_value(json_object_get(st, "iid")), "chat-1");
    CHECK(json_integer_value(json_object_get(st, "seq")) > 0);
    json_decref(st);
    st = wsc_recv_type(sup, "interaction.started", 5000);
    CHECK_STR(json_string_value(json_object_get(st, "iid")), "chat-1");
    json_decref(st);
    wsc_send(ingest, "{\"type\":\"utterance\",\"id\":\"u1\",\"iid\":\"chat-1\",\"uid\":\"x1\",\"speaker\":\"customer\","
                     "\"text\":\"I was charged twice\",\"final\":true,\"offset_ms\":1200}");
    ack = wsc_recv_answer(ingest, "u1", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    json_t *u = wsc_recv_type(a1, "utterance", 5000);
    CHECK_STR(json_string_value(json_object_get(u, "text")), "I was charged twice");
    CHECK_STR(json_string_value(json_object_get(u, "speaker")), "customer");
    json_decref(u);
    /* agent-2 got nothing of chat-1 */
    wsc_service(X, 300);
    json_t *j;
    int leaked = 0;
    while ((j = wsc_recv(a2, 1))) {
        if (json_object_get(j, "iid"))
            leaked++;
        json_decref(j);
    }
    CHECK_INT(leaked, 0);
    /* and may not act on it */
    wsc_send(a2, "{\"type\":\"reply\",\"id\":\"r-x\",\"iid\":\"chat-1\",\"text\":\"hi\"}");
    json_t *e = wsc_recv_answer(a2, "r-x", 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "forbidden");
    json_decref(e);
    wsc_send(a2, "{\"type\":\"subscribe\",\"iid\":\"chat-1\"}");
    e = wsc_recv_type(a2, "error", 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "forbidden");
    json_decref(e);
    wsc_close(a1);
    wsc_close(a2);
    wsc_close(sup);
}

static void test_snapshot_replays_live_state(void)
{
    /* partials compacted: two partials then a final of one uid give one utterance */
    wsc_send(ingest, "{\"type\":\"utterance\",\"iid\":\"chat-1\",\"uid\":\"x2\",\"speaker\":\"customer\",\"text\":\"and\",\"final\":false,\"offset_ms\":2000}");
    wsc_send(ingest, "{\"type\":\"utterance\",\"iid\":\"chat-1\",\"uid\":\"x2\",\"speaker\":\"customer\",\"text\":\"and now\",\"final\":false,\"offset_ms\":2000}");
    wsc_send(ingest, "{\"type\":\"utterance\",\"id\":\"u3\",\"iid\":\"chat-1\",\"uid\":\"x2\",\"speaker\":\"customer\",\"text\":\"and now what\",\"final\":true,\"offset_ms\":2000}");
    json_decref(wsc_recv_answer(ingest, "u3", 5000));
    wsc *a1 = console("tok-agent-1", NULL);
    json_t *s = wsc_recv_type(a1, "snapshot", 5000);
    json_t *items = json_object_get(s, "interactions");
    CHECK_INT(json_array_size(items), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "iid")), "chat-1");
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "customer_name")), "");
    int64_t snap_seq = json_integer_value(json_object_get(s, "seq"));
    json_decref(s);
    int x2 = 0, x1 = 0, started = 0;
    int64_t last = 0;
    bool ordered = true;
    json_t *j;
    while ((j = wsc_recv(a1, 500))) {
        if (strcmp(wsc_type(j), "agent.status") == 0) { /* not durable: no seq */
            json_decref(j);
            continue;
        }
        int64_t seq = json_integer_value(json_object_get(j, "seq"));
        if (seq <= last)
            ordered = false;
        last = seq;
        const char *uid = json_string_value(json_object_get(j, "uid"));
        if (strcmp(wsc_type(j), "utterance") == 0 && uid && strcmp(uid, "x2") == 0) {
            x2++;
            CHECK_STR(json_string_value(json_object_get(j, "text")), "and now what");
        }
        if (strcmp(wsc_type(j), "utterance") == 0 && uid && strcmp(uid, "x1") == 0)
            x1++;
        if (strcmp(wsc_type(j), "interaction.started") == 0)
            started++;
        json_decref(j);
    }
    CHECK(ordered);
    CHECK(last <= snap_seq || last > 0);
    CHECK_INT(started, 1);
    CHECK_INT(x1, 1);
    CHECK_INT(x2, 1);
    wsc_close(a1);
}

static void test_actions_acked_and_applied_once(void)
{
    wsc *a1 = console("tok-agent-1", NULL);
    json_decref(wsc_recv_type(a1, "snapshot", 5000));
    wsc_service(X, 200);
    while (wsc_inbox(a1))
        json_decref(wsc_recv(a1, 1));
    wsc_send(a1, "{\"type\":\"reply\",\"id\":\"r-1\",\"iid\":\"chat-1\",\"text\":\"Sorry about that\"}");
    json_t *ack = wsc_recv_answer(a1, "r-1", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    CHECK(json_integer_value(json_object_get(ack, "seq")) > 0);
    json_decref(ack);
    /* the same id again, also from a new connection: acked, not applied */
    wsc_send(a1, "{\"type\":\"reply\",\"id\":\"r-1\",\"iid\":\"chat-1\",\"text\":\"Sorry about that\"}");
    ack = wsc_recv_answer(a1, "r-1", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    wsc *again = console("tok-agent-1", NULL);
    wsc_send(again, "{\"type\":\"reply\",\"id\":\"r-1\",\"iid\":\"chat-1\",\"text\":\"Sorry about that\"}");
    ack = wsc_recv_answer(again, "r-1", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    CHECK_INT(count_rows("SELECT count(*) FROM events WHERE iid='chat-1' AND frame LIKE '%Sorry about that%'"), 1);
    CHECK_INT(count_rows("SELECT count(*) FROM actions WHERE user='agent-1' AND id='r-1'"), 1);
    /* note and wrapup are stored once too */
    for (int i = 0; i < 3; i++)
        wsc_send(a1, "{\"type\":\"note\",\"id\":\"n-1\",\"iid\":\"chat-1\",\"text\":\"refund promised\"}");
    for (int i = 0; i < 3; i++) {
        ack = wsc_recv_answer(a1, "n-1", 5000);
        CHECK_STR(wsc_type(ack), "ack");
        json_decref(ack);
    }
    CHECK_INT(count_rows("SELECT count(*) FROM notes WHERE iid='chat-1'"), 1);
    wsc_send(a1, "{\"type\":\"help\",\"id\":\"h-1\",\"iid\":\"chat-1\",\"text\":\"need a hand\"}");
    ack = wsc_recv_answer(a1, "h-1", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    /* lowered again: supervisors see the hand go down */
    wsc_send(a1, "{\"type\":\"help\",\"id\":\"h-2\",\"iid\":\"chat-1\",\"lower\":true}");
    ack = wsc_recv_answer(a1, "h-2", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    CHECK_INT(count_rows("SELECT count(*) FROM events WHERE iid='chat-1' AND frame LIKE '%\"type\":\"hand\"%' "
                         "AND frame LIKE '%\"raised\":false%'"), 1);
    wsc_send(a1, "{\"type\":\"whisper\",\"id\":\"w-1\",\"iid\":\"chat-1\",\"text\":\"psst\"}");
    json_t *e = wsc_recv_answer(a1, "w-1", 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "forbidden");
    json_decref(e);
    wsc_send(a1, "{\"type\":\"recordings.list\",\"id\":\"rl\"}");
    e = wsc_recv_answer(a1, "rl", 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "forbidden");
    json_decref(e);
    wsc_send(a1, "{\"type\":\"ping\",\"id\":\"p1\",\"t\":42}");
    json_t *p = wsc_recv_answer(a1, "p1", 5000);
    CHECK_STR(wsc_type(p), "pong");
    CHECK_INT(json_integer_value(json_object_get(p, "t")), 42);
    json_decref(p);
    wsc_close(a1);
    wsc_close(again);
}

static void test_enrichment_actions(void)
{
    /* resume from 0: the interaction's checklist so far tells which items exist */
    wsc *a1 = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_send(a1, "{\"type\":\"hello\",\"token\":\"tok-agent-1\",\"client\":\"test\",\"resume_after\":0}");
    json_t *cl = NULL, *j;
    while ((j = wsc_recv(a1, 500))) {
        if (strcmp(wsc_type(j), "checklist") == 0) {
            json_decref(cl);
            cl = j;
        } else
            json_decref(j);
    }
    CHECK(cl != NULL);
    json_t *item = json_array_get(json_object_get(cl, "items"), 0);
    const char *item_id = json_string_value(json_object_get(item, "id"));
    CHECK(item_id != NULL);
    if (item_id) {
        wsc_sendf(a1, "{\"type\":\"checklist.tick\",\"id\":\"ct-1\",\"iid\":\"chat-1\",\"item\":\"%s\",\"done\":true}", item_id);
        /* the new checklist is in the same commit, delivered before the ack */
        json_t *c2 = wsc_recv_type(a1, "checklist", 5000);
        json_t *ack = wsc_recv_answer(a1, "ct-1", 5000);
        CHECK_STR(wsc_type(ack), "ack");
        json_decref(ack);
        json_t *first = json_array_get(json_object_get(c2, "items"), 0);
        CHECK(json_is_true(json_object_get(first, "done")));
        CHECK_STR(json_string_value(json_object_get(first, "by")), "hand");
        json_decref(c2);
    }
    json_decref(cl);
    wsc_send(a1, "{\"type\":\"summary.request\",\"id\":\"sr-1\",\"iid\":\"chat-1\"}");
    json_t *sum = wsc_recv_type(a1, "summary", 5000);
    CHECK(sum != NULL);
    CHECK(json_is_false(json_object_get(sum, "final")));
    json_decref(sum);
    json_t *ack = wsc_recv_answer(a1, "sr-1", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    wsc_send(a1, "{\"type\":\"suggestion.feedback\",\"id\":\"sf-1\",\"iid\":\"chat-1\",\"sid\":\"chat-1-S1\",\"action\":\"used\"}");
    ack = wsc_recv_answer(a1, "sf-1", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    /* barge: supervisor only, and the agent hears of it */
    wsc_send(a1, "{\"type\":\"barge\",\"id\":\"b-0\",\"iid\":\"chat-1\"}");
    json_t *e = wsc_recv_answer(a1, "b-0", 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "forbidden");
    json_decref(e);
    wsc *sup = console("tok-supervisor", NULL);
    wsc_send(sup, "{\"type\":\"barge\",\"id\":\"b-1\",\"iid\":\"chat-1\"}");
    ack = wsc_recv_answer(sup, "b-1", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    json_t *b = wsc_recv_type(a1, "barge", 5000);
    CHECK_STR(json_string_value(json_object_get(b, "from")), "supervisor");
    json_decref(b);
    wsc_close(sup);
    wsc_close(a1);
}

static void test_supervisor_whisper_reaches_agent(void)
{
    wsc *a1 = console("tok-agent-1", NULL);
    wsc *sup = console("tok-supervisor", NULL);
    json_decref(wsc_recv_type(a1, "snapshot", 5000));
    json_decref(wsc_recv_type(sup, "snapshot", 5000));
    wsc_service(X, 300);
    while (wsc_inbox(a1))
        json_decref(wsc_recv(a1, 1));
    wsc_send(sup, "{\"type\":\"whisper\",\"id\":\"w-2\",\"iid\":\"chat-1\",\"text\":\"offer the credit\"}");
    json_t *ack = wsc_recv_answer(sup, "w-2", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    json_t *w = wsc_recv_type(a1, "whisper", 5000);
    CHECK_STR(json_string_value(json_object_get(w, "text")), "offer the credit");
    CHECK_STR(json_string_value(json_object_get(w, "from")), "supervisor");
    json_decref(w);
    wsc_close(a1);
    wsc_close(sup);
}

static void test_ingest_errors(void)
{
    wsc_send(ingest, "{\"type\":\"utterance\",\"id\":\"bad-1\",\"iid\":\"no-such\",\"uid\":\"u\",\"speaker\":\"customer\","
                     "\"text\":\"hello\",\"final\":true,\"offset_ms\":0}");
    json_t *e = wsc_recv_answer(ingest, "bad-1", 5000);
    CHECK_STR(wsc_type(e), "error");
    CHECK_STR(json_string_value(json_object_get(e, "code")), "not_found");
    json_decref(e);
    wsc_send(ingest, "{\"type\":\"end\",\"id\":\"bad-2\",\"iid\":\"no-such\"}");
    e = wsc_recv_answer(ingest, "bad-2", 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "not_found");
    json_decref(e);
    wsc_send(ingest, "{\"type\":\"start\",\"id\":\"bad-3\",\"iid\":\"x\",\"channel\":\"voice\",\"queue\":\"q\","
                     "\"agent\":\"nobody\",\"customer_id\":\"C-1\"}");
    e = wsc_recv_answer(ingest, "bad-3", 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "not_found");
    json_decref(e);
    wsc_send(ingest, "{\"type\":\"start\",\"id\":\"bad-4\",\"iid\":\"chat-1\",\"channel\":\"chat\",\"queue\":\"q\","
                     "\"agent\":\"agent-1\",\"customer_id\":\"C-1\"}");
    e = wsc_recv_answer(ingest, "bad-4", 5000);
    CHECK_STR(wsc_type(e), "error");
    json_decref(e);
    /* the connection stays usable */
    wsc_send(ingest, "{\"type\":\"utterance\",\"id\":\"ok-1\",\"iid\":\"chat-1\",\"uid\":\"x3\",\"speaker\":\"customer\","
                     "\"text\":\"still there?\",\"final\":true,\"offset_ms\":9000}");
    e = wsc_recv_answer(ingest, "ok-1", 5000);
    CHECK_STR(wsc_type(e), "ack");
    json_decref(e);
}

static void test_end_and_recording(void)
{
    wsc_send(ingest, "{\"type\":\"utterance\",\"id\":\"card\",\"iid\":\"chat-1\",\"uid\":\"x4\",\"speaker\":\"customer\","
                     "\"text\":\"my email is jane.doe@example.com\",\"final\":true,\"offset_ms\":9500}");
    json_decref(wsc_recv_answer(ingest, "card", 5000));
    wsc_send(ingest, "{\"type\":\"end\",\"id\":\"e1\",\"iid\":\"chat-1\",\"reason\":\"resolved\"}");
    json_t *a = wsc_recv_answer(ingest, "e1", 5000);
    CHECK_STR(wsc_type(a), "ack");
    json_decref(a);
    wsc *t = console("tok-trainer", NULL);
    wsc_send(t, "{\"type\":\"recordings.list\",\"id\":\"l1\"}");
    json_t *l = wsc_recv_answer(t, "l1", 5000);
    CHECK_STR(wsc_type(l), "recordings");
    json_t *items = json_object_get(l, "items");
    CHECK_INT(json_array_size(items), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "iid")), "chat-1");
    json_decref(l);
    wsc_send(t, "{\"type\":\"recording.get\",\"id\":\"g1\",\"iid\":\"chat-1\"}");
    json_t *r = wsc_recv_answer(t, "g1", 5000);
    CHECK_STR(wsc_type(r), "recording");
    CHECK(json_is_true(json_object_get(r, "last")));
    json_t *lines = json_object_get(r, "lines");
    CHECK(json_array_size(lines) >= 5);
    json_t *head = json_loads(json_string_value(json_array_get(lines, 0)), 0, NULL);
    CHECK_STR(json_string_value(json_object_get(head, "format")), "agentdesk.recording");
    json_decref(head);
    json_t *last = json_loads(json_string_value(json_array_get(lines, json_array_size(lines) - 1)), 0, NULL);
    CHECK_STR(wsc_type(last), "interaction.ended");
    json_decref(last);
    bool pii = false;
    size_t i;
    json_t *ln;
    json_array_foreach(lines, i, ln) if (strstr(json_string_value(ln), "jane.doe@example.com")) pii = true;
    CHECK(!pii);
    json_decref(r);
    /* a trainer sees no live events and may not act */
    wsc_send(t, "{\"type\":\"note\",\"id\":\"tn\",\"iid\":\"chat-1\",\"text\":\"x\"}");
    json_t *e = wsc_recv_answer(t, "tn", 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "forbidden");
    json_decref(e);
    /* wrap-up after the end is accepted and stored once */
    wsc *a1 = console("tok-agent-1", NULL);
    wsc_send(a1, "{\"type\":\"wrapup\",\"id\":\"wu\",\"iid\":\"chat-1\",\"code\":\"billing\",\"summary\":\"refunded\",\"follow_up\":false}");
    json_t *ack = wsc_recv_answer(a1, "wu", 5000);
    CHECK_STR(wsc_type(ack), "ack");
    json_decref(ack);
    CHECK_INT(count_rows("SELECT count(*) FROM wrapups WHERE iid='chat-1'"), 1);
    wsc_close(a1);
    wsc_close(t);
}

static void test_snapshot_parts_and_subscriptions(void)
{
    for (int i = 0; i < 130; i++)
        wsc_sendf(ingest, "{\"type\":\"start\",\"id\":\"p-s%d\",\"iid\":\"p-%d\",\"channel\":\"voice\",\"queue\":\"q\","
                          "\"agent\":\"agent-3\",\"customer_id\":\"C-1001\"}", i, i);
    json_decref(wsc_recv_answer(ingest, "p-s129", 5000));
    wsc *sup = console("tok-supervisor", NULL);
    int parts = 0, total = 0, lasts = 0;
    bool small = true;
    for (;;) {
        json_t *s = wsc_recv_type(sup, "snapshot", 5000);
        if (!s)
            break;
        parts++;
        size_t n = json_array_size(json_object_get(s, "interactions"));
        small = small && n <= 100;
        total += (int)n;
        bool last = json_is_true(json_object_get(s, "last"));
        lasts += last;
        json_decref(s);
        if (last)
            break;
    }
    CHECK_INT(parts, 2);
    CHECK_INT(total, 130);
    CHECK_INT(lasts, 1);
    CHECK(small);
    /* agent-2 has none of them in its snapshot */
    wsc *a2 = console("tok-agent-2", NULL);
    json_t *s2 = wsc_recv_type(a2, "snapshot", 5000);
    CHECK_INT(json_array_size(json_object_get(s2, "interactions")), 0);
    json_decref(s2);
    wsc_close(a2);
    /* a supervisor narrowed to one interaction gets only that one's events */
    wsc_service(X, 300);
    while (wsc_inbox(sup))
        json_decref(wsc_recv(sup, 1));
    wsc_send(sup, "{\"type\":\"unsubscribe\",\"scope\":\"all\"}");
    wsc_send(sup, "{\"type\":\"subscribe\",\"iid\":\"p-5\"}");
    wsc_service(X, 100);
    for (int i = 5; i <= 6; i++)
        wsc_sendf(ingest, "{\"type\":\"utterance\",\"id\":\"p-u%d\",\"iid\":\"p-%d\",\"uid\":\"a\",\"speaker\":\"customer\","
                          "\"text\":\"hello\",\"final\":true,\"offset_ms\":10}", i, i);
    json_decref(wsc_recv_answer(ingest, "p-u6", 5000));
    int p5 = 0, p6 = 0;
    json_t *j;
    while ((j = wsc_recv(sup, 500))) {
        const char *iid = json_string_value(json_object_get(j, "iid"));
        p5 += iid && strcmp(iid, "p-5") == 0;
        p6 += iid && strcmp(iid, "p-6") == 0;
        json_decref(j);
    }
    CHECK(p5 >= 1);
    CHECK_INT(p6, 0);
    /* a trainer may not subscribe */
    wsc *t = console("tok-trainer", NULL);
    wsc_send(t, "{\"type\":\"subscribe\",\"scope\":\"all\"}");
    json_t *e = wsc_recv_type(t, "error", 5000);
    CHECK_STR(json_string_value(json_object_get(e, "code")), "forbidden");
    json_decref(e);
    wsc_close(t);
    wsc_close(sup);
}

static void test_recording_in_parts(void)
{
    wsc_send(ingest, "{\"type\":\"start\",\"id\":\"big-s\",\"iid\":\"big-1\",\"channel\":\"chat\",\"queue\":\"q\","
                     "\"agent\":\"agent-2\",\"customer_id\":\"C-1001\"}");
    /* JSON-escaped quotes and backslashes: the parts are sized by their escaped length */
    static const char pat[] = "say \\\"quoted\\\" and \\\\ ";
    char text[3001];
    size_t o = 0;
    while (o + sizeof pat - 1 < sizeof text)
        for (size_t k = 0; k < sizeof pat - 1; k++)
            text[o++] = pat[k];
    text[o] = 0;
    for (int i = 0; i < 120; i++)
        wsc_sendf(ingest, "{\"type\":\"utterance\",\"iid\":\"big-1\",\"uid\":\"u%d\",\"speaker\":\"customer\","
                          "\"text\":\"%s\",\"final\":true,\"offset_ms\":%d}", i, text, i * 100);
    wsc_send(ingest, "{\"type\":\"end\",\"id\":\"big-e\",\"iid\":\"big-1\"}");
    json_t *a = wsc_recv_answer(ingest, "big-e", 5000);
    CHECK_STR(wsc_type(a), "ack");
    json_decref(a);
    wsc *t = console("tok-trainer", NULL);
    wsc_send(t, "{\"type\":\"recording.get\",\"id\":\"g2\",\"iid\":\"big-1\"}");
    int parts = 0, lines = 0, lasts = 0;
    bool small = true, numbered = true;
    for (;;) {
        json_t *r = wsc_recv_answer(t, "g2", 5000);
        if (!r || strcmp(wsc_type(r), "recording") != 0) {
            json_decref(r);
            break;
        }
        char *raw = json_dumps(r, JSON_COMPACT);
        small = small && strlen(raw) < 65536;
        free(raw);
        numbered = numbered && json_integer_value(json_object_get(r, "part")) == parts;
        parts++;
        lines += (int)json_array_size(json_object_get(r, "lines"));
        bool last = json_is_true(json_object_get(r, "last"));
        lasts += last;
        json_decref(r);
        if (last)
            break;
    }
    CHECK(parts >= 6);
    CHECK(small);
    CHECK(numbered);
    CHECK_INT(lasts, 1);
    /* header + started + 120 utterances + enrichment + ended: every line of the file */
    CHECK_INT(lines, 1 + (int)count_rows("SELECT count(*) FROM events WHERE iid='big-1'"));
    wsc_close(t);
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
    RUN(test_ingest_hello);
    RUN(test_welcome_and_empty_snapshot);
    RUN(test_unauthorized);
    RUN(test_ingest_reaches_only_its_agent);
    RUN(test_snapshot_replays_live_state);
    RUN(test_actions_acked_and_applied_once);
    RUN(test_enrichment_actions);
    RUN(test_supervisor_whisper_reaches_agent);
    RUN(test_ingest_errors);
    RUN(test_end_and_recording);
    RUN(test_snapshot_parts_and_subscriptions);
    RUN(test_recording_in_parts);
    wsc_ctx_free(X);
    RUN(test_clean_exit);
    hubproc_cleanup(&H);
    return check_done("test_hub_session");
}
