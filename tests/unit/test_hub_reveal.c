/* test_hub_reveal.c — partly masked values and their reveal, through the real hub, real
 * websockets and real SQLite (issue 13 item 19):
 *   * the agent's console gets an e-mail, a phone and a postcode partly masked
 *     (j•••@…, •• •• 0958, SW1A •••), in a line and on the customer card; the event log holds
 *     those masks, the recording only tags; no clear value is in any of them;
 *   * `reveal` gives the owner the value in clear, to that connection only, and writes an
 *     audit row with who, the interaction and the kind, never the value;
 *   * a supervisor watching, and another agent, are refused (forbidden) and see no clear value;
 *   * after the wrap-up, and after a restart of the hub, a reveal says the value is no longer
 *     available. */
#include "tests/unit/check.h"
#include "tests/lib/dbquery.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EMAIL "jane.doe@example.com"
#define PHONE "+44 20 7946 0958"
#define SAID "write to " EMAIL " or ring " PHONE ", postcode SW1A 1AA"

static hubproc H;
static wsc_ctx *X;
static wsc *ingest, *agent, *other, *super;

static int64_t db_int(const char *sql)
{
    sqlite3 *db;
    int64_t n = -1;
    if (sqlite3_open_v2(H.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        n = dbquery_int(db, sql);
    sqlite3_close(db);
    return n;
}

static wsc *console(const char *token)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    CHECK(c != NULL);
    if (!c)
        return NULL;
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"test\"}", token);
    json_t *s = wsc_recv_type(c, "snapshot", 5000);
    CHECK(s != NULL);
    json_decref(s);
    return c;
}

static void connect_all(void)
{
    ingest = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    CHECK(ingest != NULL);
    wsc_send(ingest, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"test\"}");
    json_t *w = wsc_recv_type(ingest, "welcome", 5000);
    CHECK(w != NULL);
    json_decref(w);
    agent = console("tok-agent-1");
    other = console("tok-agent-2");
    super = console("tok-supervisor");
}

static bool acked(wsc *c, const char *id)
{
    json_t *a = wsc_recv_answer(c, id, 5000);
    bool ok = a && !strcmp(wsc_type(a), "ack");
    json_decref(a);
    return ok;
}

/* The answer to a reveal: "revealed" (its value copied to value) or the error's code. */
static const char *reveal(wsc *c, const char *id, const char *iid, const char *what, char *value, size_t cap)
{
    static char code[64];
    wsc_sendf(c, "{\"type\":\"reveal\",\"id\":\"%s\",\"iid\":\"%s\",%s}", id, iid, what);
    json_t *a = wsc_recv_answer(c, id, 5000);
    snprintf(code, sizeof code, "%s", !a ? "none" : !strcmp(wsc_type(a), "revealed") ? "revealed"
                                     : json_string_value(json_object_get(a, "code")));
    if (value && cap)
        snprintf(value, cap, "%s", a ? (json_string_value(json_object_get(a, "value")) ? json_string_value(json_object_get(a, "value"))
                                                                                         : json_string_value(json_object_get(a, "message")))
                                     : "");
    json_decref(a);
    return code;
}

/* Does any file of the recordings directory hold `needle`? */
static bool recordings_hold(const char *needle)
{
    DIR *d = opendir(H.records);
    bool found = false;
    struct dirent *e;
    while (d && !found && (e = readdir(d)) != NULL) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s", H.records, e->d_name);
        FILE *f = e->d_name[0] != '.' ? fopen(path, "r") : NULL;
        char line[16384];
        while (f && !found && fgets(line, sizeof line, f))
            found = strstr(line, needle) != NULL;
        if (f)
            fclose(f);
    }
    if (d)
        closedir(d);
    return found;
}

static void test_partly_masked_then_revealed(void)
{
    connect_all();
    wsc_send(ingest, "{\"type\":\"start\",\"id\":\"st-1\",\"iid\":\"rv-1\",\"channel\":\"voice\","
                     "\"queue\":\"billing\",\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}");
    CHECK(acked(ingest, "st-1"));
    wsc_sendf(super, "{\"type\":\"subscribe\",\"iid\":\"rv-1\"}");
    json_t *card = wsc_recv_type(agent, "customer", 5000);
    const char *email = card ? json_string_value(json_object_get(json_object_get(card, "customer"), "email")) : NULL;
    CHECK(email && strstr(email, "\u2022\u2022\u2022@") && !strchr(email, '['));
    json_decref(card);
    wsc_send(ingest, "{\"type\":\"utterance\",\"id\":\"u-1\",\"iid\":\"rv-1\",\"uid\":\"u-1\",\"speaker\":\"customer\","
                     "\"text\":\"" SAID "\",\"final\":true,\"offset_ms\":1000}");
    CHECK(acked(ingest, "u-1"));
    json_t *u = wsc_recv_type(agent, "utterance", 5000);
    const char *text = u ? json_string_value(json_object_get(u, "text")) : "";
    CHECK(strstr(text, "j\u2022\u2022\u2022@example.com") != NULL);
    CHECK(strstr(text, "\u2022\u2022 \u2022\u2022 0958") != NULL);
    CHECK(strstr(text, "SW1A \u2022\u2022\u2022") != NULL);
    CHECK(!strstr(text, EMAIL) && !strstr(text, "7946"));
    json_decref(u);

    /* the owner reveals the line's first value and the card's phone */
    char v[256];
    CHECK_STR(reveal(agent, "r-1", "rv-1", "\"uid\":\"u-1\",\"index\":0", v, sizeof v), "revealed");
    CHECK_STR(v, EMAIL);
    CHECK_STR(reveal(agent, "r-2", "rv-1", "\"uid\":\"u-1\",\"index\":1", v, sizeof v), "revealed");
    CHECK_STR(v, PHONE);
    CHECK_STR(reveal(agent, "r-3", "rv-1", "\"field\":\"phone\"", v, sizeof v), "revealed");
    CHECK(v[0] && !strchr(v, '\xe2'));
    CHECK_STR(reveal(agent, "r-4", "rv-1", "\"uid\":\"u-1\",\"index\":9", v, sizeof v), "not_found");
    /* nobody else: not the supervisor watching, not another agent */
    CHECK_STR(reveal(super, "r-5", "rv-1", "\"uid\":\"u-1\",\"index\":0", v, sizeof v), "forbidden");
    CHECK(!strstr(v, EMAIL));
    CHECK_STR(reveal(other, "r-6", "rv-1", "\"uid\":\"u-1\",\"index\":0", v, sizeof v), "forbidden");
    /* the supervisor saw the masks, never the value */
    json_t *m;
    bool clear = false;
    while ((m = wsc_recv(super, 300)) != NULL) {
        char *d = json_dumps(m, 0);
        clear |= d && (strstr(d, EMAIL) || strstr(d, "7946 0958"));
        free(d);
        json_decref(m);
    }
    CHECK(!clear);

    /* each reveal is audited: who, which interaction, which kind; never the value */
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE user='agent-1' AND action='reveal' AND iid='rv-1'"), 3);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE action='reveal' AND detail='email'"), 1);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE action='reveal' AND detail='phone'"), 2);
    CHECK_INT(db_int("SELECT count(*) FROM audit WHERE detail LIKE '%example%' OR detail LIKE '%7946%'"), 0);
    /* the log holds the masks, never the value; the recording tags */
    CHECK_INT(db_int("SELECT count(*) FROM events WHERE iid='rv-1' AND (instr(frame, 'jane.doe') OR "
                     "instr(frame, '7946 0958') OR instr(frame, '1AA'))"), 0);
    CHECK(db_int("SELECT count(*) FROM events WHERE iid='rv-1' AND instr(frame, 'SW1A')") >= 1);

    /* ended, not yet wrapped up: still there; wrapped up: gone */
    wsc_send(ingest, "{\"type\":\"end\",\"id\":\"e-1\",\"iid\":\"rv-1\",\"reason\":\"completed\"}");
    CHECK(acked(ingest, "e-1"));
    CHECK_STR(reveal(agent, "r-7", "rv-1", "\"uid\":\"u-1\",\"index\":0", v, sizeof v), "revealed");
    wsc_send(agent, "{\"type\":\"wrapup\",\"id\":\"w-1\",\"iid\":\"rv-1\",\"code\":\"billing\",\"summary\":\"done\"}");
    CHECK(acked(agent, "w-1"));
    CHECK_STR(reveal(agent, "r-8", "rv-1", "\"uid\":\"u-1\",\"index\":0", v, sizeof v), "not_found");
    CHECK(strstr(v, "no longer available") != NULL);
    CHECK(recordings_hold("[EMAIL]"));
    CHECK(!recordings_hold(EMAIL) && !recordings_hold("7946") && !recordings_hold("\u2022"));
}

/* A restarted hub has no clear value of the lines said before it: it says so. */
static void test_restart_forgets(void)
{
    wsc_send(ingest, "{\"type\":\"start\",\"id\":\"st-2\",\"iid\":\"rv-2\",\"channel\":\"voice\","
                     "\"queue\":\"billing\",\"agent\":\"agent-1\",\"customer_id\":\"C-1001\"}");
    CHECK(acked(ingest, "st-2"));
    wsc_send(ingest, "{\"type\":\"utterance\",\"id\":\"u-2\",\"iid\":\"rv-2\",\"uid\":\"u-2\",\"speaker\":\"customer\","
                     "\"text\":\"" SAID "\",\"final\":true,\"offset_ms\":1000}");
    CHECK(acked(ingest, "u-2"));
    wsc_ctx_free(X);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    CHECK(hubproc_start(&H, NULL) == 0);
    X = wsc_ctx_new();
    agent = console("tok-agent-1");
    char v[256];
    CHECK_STR(reveal(agent, "r-9", "rv-2", "\"uid\":\"u-2\",\"index\":0", v, sizeof v), "not_found");
    CHECK(strstr(v, "no longer available") && strstr(v, "restart"));
}

int main(void)
{
    char customers[700] = "";
    if (hubproc_setup(&H) == 0)
        snprintf(customers, sizeof customers, "%s/customers.json", H.data);
    const char *args[] = {"import", "--db", H.db, "customers", customers, NULL};
    /* the customer card's e-mail and phone come from the CRM's customers */
    if (hubproc_run_tool(&H, args, NULL) != 0 || hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    X = wsc_ctx_new();
    RUN(test_partly_masked_then_revealed);
    RUN(test_restart_forgets);
    wsc_ctx_free(X);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    hubproc_cleanup(&H);
    return check_done("test_hub_reveal");
}
