/* test_connect_assign.c — who gets a Contact Lens contact, on a real hub with real consoles:
 * unassigned (a supervisor sees it, no agent does) until what Connect knows names the agent —
 * a connector's native `start` for the same ContactId, before or after the segments (ingest
 * websocket), Connect's agent event stream record (`feed`, as a Kinesis record) or contact
 * event (a Firehose request), mapped by `agentdesk-hub import agents` — and then the agent
 * gets the interaction with its history. An unmapped agent leaves it unassigned; a kill -9
 * keeps every assignment and one remembered for a contact not started yet. */
#include "tests/unit/check.h"
#include "tests/lib/httpc.h"
#include "tests/lib/hubproc.h"
#include "tests/lib/wsc.h"

#include <libwebsockets.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define CL_FIXTURES "tests/unit/fixtures/contactlens/"
#define FIXTURES "tests/unit/fixtures/connect/"

static hubproc H;
static wsc_ctx *X;
static wsc *agent1, *agent2, *super, *in;
static char url[64], token_file[400];

static const char *str(json_t *j, const char *k)
{
    return json_string_value(json_object_get(j, k));
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    CHECK(fp != NULL);
    if (!fp)
        return strdup("");
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, fp);
    buf[n] = 0;
    fclose(fp);
    return buf;
}

/* AWS's voice sample (STARTED, SEGMENTS; with `end` also COMPLETED) for contact iid, one
 * compact JSON text a line. */
static json_t *segments(const char *iid, bool end)
{
    FILE *fp = fopen(CL_FIXTURES "voice-1.0.0.jsonl", "r");
    json_t *out = json_array();
    char line[8192];
    while (fp && fgets(line, sizeof line, fp)) {
        json_t *e = json_loads(line, 0, NULL);
        if (!e)
            continue;
        const char *kind = str(e, "EventType");
        if (end || (kind && strcmp(kind, "COMPLETED") != 0)) {
            json_object_set_new(e, "ContactId", json_string(iid));
            char *text = json_dumps(e, JSON_COMPACT);
            json_array_append_new(out, json_string(text));
            free(text);
        }
        json_decref(e);
    }
    if (fp)
        fclose(fp);
    CHECK(json_array_size(out) >= 2);
    return out;
}

/* A Connect event fixture with CONTACT replaced by iid (and, when `arn` is given, its agent). */
static char *connect_event(const char *name, const char *iid, const char *arn)
{
    char path[200];
    snprintf(path, sizeof path, FIXTURES "%s", name);
    char *text = slurp(path);
    json_t *e = json_loads(text, 0, NULL);
    free(text);
    CHECK(e != NULL);
    json_t *detail = json_object_get(e, "detail");
    if (detail) {
        json_object_set_new(detail, "contactId", json_string(iid));
        if (arn)
            json_object_set_new(json_object_get(detail, "agentInfo"), "agentArn", json_string(arn));
    } else {
        json_object_set_new(json_array_get(json_object_get(json_object_get(e, "CurrentAgentSnapshot"), "Contacts"), 0),
                            "ContactId", json_string(iid));
        if (arn)
            json_object_set_new(e, "AgentARN", json_string(arn));
    }
    char *out = json_dumps(e, JSON_COMPACT);
    json_decref(e);
    return out;
}

static wsc *console(const char *token)
{
    wsc *c = wsc_connect(X, H.port, "agentdesk.v1", 5000);
    wsc_sendf(c, "{\"type\":\"hello\",\"token\":\"%s\",\"client\":\"t\"}", token);
    return c;
}

/* The snapshot a console's hello gets: does it list iid, and with which agent? */
static bool snapshot_lists(wsc *c, const char *iid, const char *agent)
{
    bool found = false;
    json_t *s;
    while ((s = wsc_recv_type(c, "snapshot", 5000))) {
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(s, "interactions"), i, it)
            if (strcmp(str(it, "iid"), iid) == 0) {
                found = true;
                CHECK_STR(str(it, "agent"), agent);
            }
        bool last = json_is_true(json_object_get(s, "last"));
        json_decref(s);
        if (last)
            break;
    }
    return found;
}

/* What a console receives of iid within ms (a snapshot listing it counts as one of iid's). */
static json_t *of_iid(wsc *c, const char *iid, int ms, const char *until)
{
    json_t *out = json_array();
    int64_t end = wsc_now_ms() + ms;
    while (wsc_now_ms() < end) {
        json_t *j = wsc_recv(c, 100);
        if (!j)
            continue;
        bool mine = str(j, "iid") && strcmp(str(j, "iid"), iid) == 0;
        json_t *items = json_object_get(j, "interactions");
        for (size_t i = 0; !mine && i < json_array_size(items); i++)
            mine = strcmp(str(json_array_get(items, i), "iid"), iid) == 0;
        bool done = mine && until && strcmp(str(j, "type"), until) == 0;
        if (mine)
            json_array_append(out, j);
        json_decref(j);
        if (done)
            break;
    }
    return out;
}

static size_t count_type(json_t *evs, const char *type)
{
    size_t n = 0, i;
    json_t *e;
    json_array_foreach(evs, i, e) n += strcmp(str(e, "type"), type) == 0;
    return n;
}

static json_t *first_of(json_t *evs, const char *type)
{
    size_t i;
    json_t *e;
    json_array_foreach(evs, i, e) if (strcmp(str(e, "type"), type) == 0) return e;
    return NULL;
}

static void send_all(json_t *lines)
{
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) wsc_send(in, json_string_value(l));
}

/* A supervisor sees the contact, unassigned, with its lines; no agent sees anything of it. */
static void check_unassigned(const char *iid)
{
    json_t *sup = of_iid(super, iid, 5000, NULL);
    json_t *started = first_of(sup, "interaction.started");
    CHECK(started != NULL);
    if (started) {
        CHECK_STR(str(started, "agent"), "");
        CHECK_STR(str(started, "agent_name"), "");
    }
    CHECK(count_type(sup, "utterance") >= 2);
    json_decref(sup);
    json_t *a1 = of_iid(agent1, iid, 300, NULL), *a2 = of_iid(agent2, iid, 300, NULL);
    CHECK_INT(json_array_size(a1), 0);
    CHECK_INT(json_array_size(a2), 0);
    json_decref(a1);
    json_decref(a2);
}

/* The agent gets the contact as a snapshot with its history (AWS's sample's two finals and
 * the issue flag), then interaction.assigned from "" by `by`; the supervisor gets that too,
 * and the other agent nothing. */
static void check_handed(wsc *to, const char *agent, wsc *other, const char *iid, const char *by)
{
    json_t *got = of_iid(to, iid, 5000, "interaction.assigned");
    json_t *snap = first_of(got, "snapshot");
    CHECK(snap != NULL);
    if (snap)
        CHECK_STR(str(json_array_get(json_object_get(snap, "interactions"), 0), "agent"), agent);
    size_t finals = 0, i;
    json_t *e;
    json_array_foreach(got, i, e) finals += strcmp(str(e, "type"), "utterance") == 0 &&
                                            json_is_true(json_object_get(e, "final"));
    CHECK_INT(finals, 2);
    CHECK(count_type(got, "flag") >= 1);
    json_t *as = first_of(got, "interaction.assigned");
    CHECK(as != NULL);
    if (as) {
        CHECK_STR(str(as, "agent"), agent);
        CHECK_STR(str(as, "from"), "");
        CHECK_STR(str(as, "by"), "");
        CHECK_STR(str(as, "by_name"), by);
    }
    json_decref(got);
    json_t *sup = of_iid(super, iid, 3000, "interaction.assigned");
    CHECK_INT(count_type(sup, "interaction.assigned"), 1);
    json_decref(sup);
    json_t *none = of_iid(other, iid, 300, NULL);
    CHECK_INT(json_array_size(none), 0);
    json_decref(none);
}

static int tool(const char *const *args)
{
    return hubproc_run_tool(&H, args, NULL);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    fputs(text, fp);
    fclose(fp);
}

static bool log_has(const char *needle)
{
    char *log = slurp(H.log);
    bool yes = strstr(log, needle) != NULL;
    free(log);
    return yes;
}

/* ---- the agents table ---- */

static void test_import_agents(void)
{
    const char *ok[] = {"import", "--db", H.db, "agents", FIXTURES "agents.json", NULL};
    CHECK_INT(tool(ok), 0);
    char path[400];
    snprintf(path, sizeof path, "%s/bad-agents.json", H.dir);
    write_file(path, "[{\"connect_agent\":\"a-1\",\"user\":\"agent-1\",\"usr\":\"agent-2\"}]");
    const char *bad[] = {"import", "--db", H.db, "agents", path, NULL};
    CHECK_INT(tool(bad), 1);
    CHECK(log_has("unknown field \"usr\""));
    write_file(path, "[{\"connect_agent\":\"a-1\",\"user\":\"ingest\"}]");
    CHECK_INT(tool(bad), 1);
    CHECK(log_has("\"user\" \"ingest\" is no agent or supervisor"));
    write_file(path, "[{\"connect_agent\":\"arn:aws:connect:us-west-2:1:instance/x\",\"user\":\"agent-1\"}]");
    CHECK_INT(tool(bad), 1);
    CHECK(log_has("must be an agent ARN"));
}

/* ---- before and after, each way in ---- */

static void test_native_start_after_segments(void)
{
    json_t *lines = segments("as-after-ws", false);
    send_all(lines);
    check_unassigned("as-after-ws");
    wsc_send(in, "{\"type\":\"start\",\"id\":\"cti-1\",\"iid\":\"as-after-ws\",\"channel\":\"voice\",\"queue\":\"billing\","
                 "\"agent\":\"agent-1\",\"customer_id\":\"\"}");
    json_t *ack = wsc_recv_answer(in, "cti-1", 5000);
    CHECK_STR(str(ack, "type"), "ack");
    json_decref(ack);
    check_handed(agent1, "agent-1", agent2, "as-after-ws", "ingest");
    /* it is assigned now: another start for it is a duplicate, whichever agent it names */
    wsc_send(in, "{\"type\":\"start\",\"id\":\"cti-3\",\"iid\":\"as-after-ws\",\"channel\":\"voice\",\"queue\":\"billing\","
                 "\"agent\":\"agent-2\",\"customer_id\":\"\"}");
    ack = wsc_recv_answer(in, "cti-3", 5000);
    CHECK_STR(str(ack, "type"), "error");
    CHECK_STR(str(ack, "code"), "bad_field");
    json_decref(ack);
    json_decref(lines);
}

static void test_native_start_before_segments(void)
{
    wsc_send(in, "{\"type\":\"start\",\"id\":\"cti-4\",\"iid\":\"as-before-ws\",\"channel\":\"voice\",\"queue\":\"billing\","
                 "\"agent\":\"agent-2\",\"customer_id\":\"\"}");
    json_decref(wsc_recv_answer(in, "cti-4", 5000));
    json_t *lines = segments("as-before-ws", true);
    send_all(lines);
    json_t *got = of_iid(agent2, "as-before-ws", 5000, "interaction.ended");
    json_t *started = first_of(got, "interaction.started");
    CHECK(started != NULL);
    if (started)
        CHECK_STR(str(started, "agent"), "agent-2");
    CHECK(count_type(got, "utterance") >= 2);
    CHECK_INT(count_type(got, "interaction.ended"), 1);
    json_decref(got);
    json_t *none = of_iid(agent1, "as-before-ws", 300, NULL);
    CHECK_INT(json_array_size(none), 0);
    json_decref(none);
    json_decref(lines);
}

static char *b64(const char *s)
{
    size_t len = strlen(s), cap = len * 4 / 3 + 8;
    char *out = malloc(cap);
    CHECK(lws_b64_encode_string(s, (int)len, out, (int)cap) >= 0);
    return out;
}

/* Connect's agent event first, as a Kinesis record in `feed`, then the segments. */
static void test_agent_event_before_via_feed(void)
{
    char path[400];
    snprintf(path, sizeof path, "%s/connect.jsonl", H.dir);
    FILE *fp = fopen(path, "w");
    char *ev = connect_event("agent-event.json", "as-before-feed", NULL);
    char *data = b64(ev);
    fprintf(fp, "{\"SequenceNumber\":\"1\",\"Data\":\"%s\",\"PartitionKey\":\"agent\"}\n", data);
    json_t *lines = segments("as-before-feed", false);
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) fprintf(fp, "%s\n", json_string_value(l));
    fclose(fp);
    const char *args[] = {"feed", "--url", url, "--token-file", token_file, path, NULL};
    CHECK_INT(tool(args), 0);
    json_t *got = of_iid(agent2, "as-before-feed", 5000, NULL);
    json_t *started = first_of(got, "interaction.started");
    CHECK(started != NULL);
    if (started)
        CHECK_STR(str(started, "agent"), "agent-2");
    CHECK(count_type(got, "utterance") >= 2);
    json_decref(got);
    free(data);
    free(ev);
    json_decref(lines);
}

static int firehose(const char *rid, const char *const *events, size_t n)
{
    json_t *recs = json_array();
    for (size_t i = 0; i < n; i++) {
        char *d = b64(events[i]);
        json_array_append_new(recs, json_pack("{s:s}", "data", d));
        free(d);
    }
    json_t *o = json_pack("{s:s, s:I, s:o}", "requestId", rid, "timestamp", (json_int_t)1796000000000, "records", recs);
    char *body = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    char h1[200];
    snprintf(h1, sizeof h1, "X-Amz-Firehose-Request-Id: %s", rid);
    const char *headers[] = {h1, "X-Amz-Firehose-Access-Key: tok-ingest", NULL};
    httpc_answer a;
    int rc = httpc_post(H.port, "/v1/firehose", headers, body, strlen(body), 10000, &a);
    free(body);
    int status = rc == 0 ? a.status : -1;
    free(a.body);
    return status;
}

/* The segments by Firehose (unassigned), then Connect's contact event (EventBridge ->
 * Firehose) names the agent. */
static void test_contact_event_after_via_firehose(void)
{
    json_t *lines = segments("as-after-fh", false);
    const char *evs[8];
    size_t n = 0;
    for (; n < json_array_size(lines) && n < 8; n++)
        evs[n] = json_string_value(json_array_get(lines, n));
    CHECK_INT(firehose("fh-seg-1", evs, n), 200);
    check_unassigned("as-after-fh");
    char *ce = connect_event("contact-event.json", "as-after-fh", NULL);
    const char *one[] = {ce};
    CHECK_INT(firehose("fh-ce-1", one, 1), 200);
    check_handed(agent1, "agent-1", agent2, "as-after-fh", "Amazon Connect");
    free(ce);
    json_decref(lines);
}

/* An agent no row maps: skipped and counted; the contact stays unassigned. */
static void test_unmapped_agent(void)
{
    json_t *lines = segments("as-unmapped", false);
    send_all(lines);
    check_unassigned("as-unmapped");
    double before = hubproc_metric(&H, "agentdesk_connect_unmapped_agents_total");
    char *ev = connect_event("agent-event.json", "as-unmapped",
                             "arn:aws:connect:us-west-2:123456789012:instance/aaaaaaaa-bbbb-cccc-dddd-111111111111/agent/nobody");
    wsc_send(in, ev);
    free(ev);
    int64_t end = wsc_now_ms() + 5000;
    while (hubproc_metric(&H, "agentdesk_connect_unmapped_agents_total") < before + 1 && wsc_now_ms() < end)
        wsc_service(X, 50);
    CHECK(hubproc_metric(&H, "agentdesk_connect_unmapped_agents_total") == before + 1);
    json_t *a1 = of_iid(agent1, "as-unmapped", 300, NULL), *a2 = of_iid(agent2, "as-unmapped", 300, NULL);
    CHECK_INT(json_array_size(a1) + json_array_size(a2), 0);
    json_decref(a1);
    json_decref(a2);
    json_decref(lines);
}

/* Connect names the agent of a contact that is not live yet; kill -9; the segments then go
 * straight to that agent, and everything assigned before is still assigned. */
static void test_restart_keeps_assignment(void)
{
    char *ev = connect_event("agent-event.json", "as-pending", NULL);
    wsc_send(in, ev);
    free(ev);
    /* acks come after the commit: this one's means the event before it is durable too */
    wsc_send(in, "{\"type\":\"start\",\"id\":\"sync-1\",\"iid\":\"as-sync\",\"channel\":\"chat\",\"queue\":\"q\","
                 "\"customer_id\":\"\"}");
    json_t *ack = wsc_recv_answer(in, "sync-1", 5000);
    CHECK_STR(str(ack, "type"), "ack");
    json_decref(ack);
    wsc_ctx_free(X);
    CHECK_INT(hubproc_stop(&H, SIGKILL), 128 + SIGKILL);
    CHECK_INT(hubproc_start(&H, NULL), 0);
    X = wsc_ctx_new();
    agent1 = console("tok-agent-1");
    CHECK(snapshot_lists(agent1, "as-after-ws", "agent-1"));
    agent2 = console("tok-agent-2");
    CHECK(!snapshot_lists(agent2, "as-unmapped", ""));
    super = console("tok-supervisor");
    CHECK(snapshot_lists(super, "as-unmapped", ""));
    in = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(in, "welcome", 5000));
    json_t *lines = segments("as-pending", false);
    send_all(lines);
    json_t *got = of_iid(agent2, "as-pending", 5000, NULL);
    json_t *started = first_of(got, "interaction.started");
    CHECK(started != NULL);
    if (started)
        CHECK_STR(str(started, "agent"), "agent-2");
    json_decref(got);
    json_decref(lines);
}

int main(void)
{
    if (hubproc_setup(&H) != 0) {
        fprintf(stderr, "cannot set the hub up\n");
        return 1;
    }
    RUN(test_import_agents);
    if (hubproc_start(&H, NULL) != 0) {
        fprintf(stderr, "cannot start the hub\n");
        hubproc_cleanup(&H);
        return 1;
    }
    snprintf(url, sizeof url, "ws://127.0.0.1:%d", H.port);
    snprintf(token_file, sizeof token_file, "%s/ingest-token", H.dir);
    write_file(token_file, "tok-ingest\n");
    X = wsc_ctx_new();
    agent1 = console("tok-agent-1");
    agent2 = console("tok-agent-2");
    super = console("tok-supervisor");
    snapshot_lists(agent1, "", "");
    snapshot_lists(agent2, "", "");
    snapshot_lists(super, "", "");
    in = wsc_connect(X, H.port, "agentdesk.ingest.v1", 5000);
    wsc_send(in, "{\"type\":\"hello\",\"token\":\"tok-ingest\",\"client\":\"t\"}");
    json_decref(wsc_recv_type(in, "welcome", 5000));
    RUN(test_native_start_after_segments);
    RUN(test_native_start_before_segments);
    RUN(test_agent_event_before_via_feed);
    RUN(test_contact_event_after_via_firehose);
    RUN(test_unmapped_agent);
    RUN(test_restart_keeps_assignment);
    wsc_ctx_free(X);
    CHECK_INT(hubproc_stop(&H, SIGTERM), 0);
    hubproc_cleanup(&H);
    return check_done("test_connect_assign");
}
